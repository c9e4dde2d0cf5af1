#!/usr/bin/env bash
# The whole test line: peers, type checks, the site build (as `npm start` does it, with no browser allowed),
# engine + conformance tests (Node), engine smoke tests (Chromium), the size budget, and the end-to-end tests.
# Every step runs even when an earlier one failed (so one run shows everything that is wrong); each step
# prints its wall-clock and CPU seconds, and the last lines add them up and count every test.
set -uo pipefail
cd "$(dirname "$0")/.."
export ASTRO_TELEMETRY_DISABLED=1

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT
failed_steps=()
timings=()

# CPU seconds (user + system) of every finished child process so far, from bash's own `times` (written to a
# file: in a command substitution it would count the subshell's children instead of this shell's).
cpu_seconds() {
  times >"$results/times"
  awk 'NR == 2 { n = 0; for (i = 1; i <= 2; i++) { split($i, p, /[ms]/); n += p[1] * 60 + p[2] } printf "%.1f", n }' "$results/times"
}

step() {
  local name="$1"
  shift
  printf '\n== %s ==\n' "$name"
  local start=$SECONDS cpu_start cpu_end
  cpu_seconds >"$results/cpu"
  cpu_start=$(<"$results/cpu")
  local status=ok
  "$@" || status=FAILED
  local wall=$((SECONDS - start)) cpu
  cpu_seconds >"$results/cpu"
  cpu_end=$(<"$results/cpu")
  cpu=$(awk -v a="$cpu_start" -v b="$cpu_end" 'BEGIN { printf "%.1f", b - a }')
  printf -- '-- %s: %s (%ss, CPU %ss)\n' "$name" "$status" "$wall" "$cpu"
  timings+=("$(printf '%-45s %6ss  CPU %7ss  %s' "$name" "$wall" "$cpu" "$status")")
  [ "$status" = ok ] || failed_steps+=("$name")
}

# The build runs exactly as `npm run build`, on a machine that might have no browser: an empty Playwright
# browser folder, and a preload that fails the build if anything loads a browser library or starts a browser.
# Its log is kept: tests/tools/start.test.ts counts its warnings (there must be none) and serves this dist/.
no_browsers="$(mktemp -d)"
build_site() {
  PLAYWRIGHT_BROWSERS_PATH="$no_browsers" NODE_OPTIONS="--import=$PWD/tests/support/no-browser.mjs" npm run --silent build 2>&1 | tee "$results/build.log"
}

step "peers" bash scripts/peers.sh
step "type check" bash -c 'npx astro check --minimumSeverity warning && npx tsc -p tsconfig.engine.json'
step "build (npm run build, no browser)" build_site
step "unit, conformance and interop tests (Node)" env SITE_BUILD_LOG="$results/build.log" npx vitest run --reporter=default --reporter=json --outputFile.json="$results/node.json"
step "engine smoke tests in Chromium" npx vitest run --config vitest.browser.config.ts --reporter=default --reporter=json --outputFile.json="$results/browser.json"
step "size budget" node scripts/size-budget.mjs
step "end-to-end tests (Playwright)" env PLAYWRIGHT_JSON_OUTPUT_NAME="$results/e2e.json" npx playwright test --reporter=list,json

rmdir "$no_browsers" 2>/dev/null
printf '\n== timings ==\n'
printf '%s\n' "${timings[@]}"
node scripts/test-summary.mjs "$results" "${failed_steps[@]}"
