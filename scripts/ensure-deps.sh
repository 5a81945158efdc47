#!/usr/bin/env bash
# Installs what the lab and its tests need when missing: npm packages, and (for tests) Debian's
# redis-server 7.0 (the conformance oracle), redis-tools (redis-cli, redis-benchmark) and chromium.
# Usage: ensure-deps.sh [--system]
set -uo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "==> npm ci"
  npm ci --no-audit --no-fund || { echo "FAILED: npm ci (is the npm registry reachable?)"; exit 1; }
fi

if [ "${1:-}" = "--system" ]; then
  missing=()
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  command -v redis-benchmark >/dev/null 2>&1 || missing+=(redis-tools)
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" != "0" ]; then
      echo "FAILED: missing system packages: ${missing[*]}. Install them with: sudo apt-get install -y ${missing[*]}"
      exit 1
    fi
    echo "==> apt-get install ${missing[*]}"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null) ||
      { echo "FAILED: apt-get install ${missing[*]} (are Debian's package mirrors reachable?)"; exit 1; }
  fi
  version=$(redis-server --version | sed -n 's/.*v=\([0-9.]*\).*/\1/p')
  case "$version" in
    7.0.*) ;;
    *) echo "WARNING: redis-server is $version; the conformance oracle is meant to be 7.0.x (Debian 12's 7.0.15)";;
  esac
fi
exit 0
