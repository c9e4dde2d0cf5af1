#!/usr/bin/env bash
# The whole test line: peers, type checks, engine + conformance tests (Node), engine tests (Chromium),
# the site build with its size budget, and the end-to-end tests.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s ==\n' "$1"; }

step "peers"
bash scripts/peers.sh

step "type check"
npx astro check --minimumSeverity warning
npx tsc -p tsconfig.engine.json

step "unit, conformance and interop tests (Node)"
npx vitest run

step "engine tests in Chromium"
npx vitest run --config vitest.browser.config.ts

step "build and size budget"
npx astro build
node scripts/size-budget.mjs

step "end-to-end tests (Playwright)"
npx playwright test
