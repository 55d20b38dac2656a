#!/usr/bin/env bash
# Builds and tests the Node binding: npm ci (when node_modules is missing or
# older than package-lock.json), release build, `node --test`, then a
# TypeScript type check of the examples in tests/types/. Runs from anywhere.
set -euo pipefail
cd "$(dirname "$0")"

if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "== npm ci"
  npm ci --no-audit --no-fund
fi
echo "== napi build (release)"
npm run build
echo "== node --test"
npm test
echo "== tsc --noEmit"
npx tsc --noEmit -p tsconfig.json
