#!/usr/bin/env bash
# Runs the lab: installs npm packages when missing, builds, serves on http://localhost:5173.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
npx vite build
echo "Redis Lab: open http://localhost:5173"
exec npx vite preview --host 127.0.0.1 --port 5173 --strictPort
