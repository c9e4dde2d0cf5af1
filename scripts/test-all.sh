#!/usr/bin/env bash
# The whole test line: peers, type checks, engine + conformance tests (Node), engine tests (Chromium),
# the site build with its size budget, and the end-to-end tests. Every step runs even when an earlier
# one failed (so one run shows everything that is wrong); the last line counts every test.
set -uo pipefail
cd "$(dirname "$0")/.."

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT
failed_steps=()

step() {
  local name="$1"
  shift
  printf '\n== %s ==\n' "$name"
  local start=$SECONDS
  if "$@"; then
    printf -- '-- %s: ok (%ss)\n' "$name" $((SECONDS - start))
  else
    printf -- '-- %s: FAILED (%ss)\n' "$name" $((SECONDS - start))
    failed_steps+=("$name")
  fi
}

step "peers" bash scripts/peers.sh
step "type check" bash -c 'npx astro check --minimumSeverity warning && npx tsc -p tsconfig.engine.json'
step "unit, conformance and interop tests (Node)" npx vitest run --reporter=default --reporter=json --outputFile.json="$results/node.json"
step "engine tests in Chromium" npx vitest run --config vitest.browser.config.ts --reporter=default --reporter=json --outputFile.json="$results/browser.json"
step "build and size budget" bash -c 'npx astro build && node scripts/size-budget.mjs'
step "end-to-end tests (Playwright)" env PLAYWRIGHT_JSON_OUTPUT_NAME="$results/e2e.json" npx playwright test --reporter=list,json

node scripts/test-summary.mjs "$results" "${failed_steps[@]}"
