#!/usr/bin/env bash
# Builds and tests the Node binding: npm ci (when node_modules is missing or
# older than package-lock.json), release build, `node --test`, then a
# TypeScript type check of tests/types/, then runs examples/node/quickstart.mjs
# and type-checks examples/node/quickstart.mts. Runs from anywhere.
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
echo "== examples/node (quickstart.mjs run, quickstart.mts type-checked)"
# The examples import 'leadflow' like an application would: link this package
# into examples/node/node_modules (what `npm install` there does, without network).
examples=../../examples/node
mkdir -p "$examples/node_modules"
ln -sfn ../../../bindings/node "$examples/node_modules/leadflow"
node "$examples/quickstart.mjs" > /dev/null
npx tsc --noEmit -p "$examples/tsconfig.json"
