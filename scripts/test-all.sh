#!/usr/bin/env bash
# Every test of the project, in order: lint, types, unit + property + live conformance tests (real
# redis-server 7.0 as the oracle), production build, end-to-end tests in Chromium.
# Installs missing npm packages and Debian packages (redis-server, redis-tools, chromium) first.
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-deps.sh --system || exit 1

failed=()
step() {
  local name="$1"
  shift
  echo
  echo "==> $name"
  if ! "$@"; then
    echo "FAILED: $name"
    failed+=("$name")
  fi
}

step "lint (biome)" npx biome check .
step "typecheck (tsc)" npx tsc --noEmit -p tsconfig.json
step "unit, property and conformance tests (vitest)" npx vitest run
step "compatibility table is current" bash -c 'git diff --quiet -- COMPATIBILITY.md 2>/dev/null || { git --no-pager diff --stat -- COMPATIBILITY.md; echo "COMPATIBILITY.md changed: commit the regenerated table"; [ -z "${CI:-}" ]; }'
step "production build (vite)" npx vite build
# Playwright starts `vite preview` on the build above and drives Debian's Chromium (never a download).
step "e2e (playwright, chromium)" npx playwright test

echo
if [ ${#failed[@]} -gt 0 ]; then
  echo "Test run FAILED in: ${failed[*]}"
  exit 1
fi
echo "All test steps passed."
