// Adds up the Vitest and Playwright JSON reports of one test-line run and prints one closing line,
// "tests: N passed, N failed" (", N skipped" when any were), exiting non-zero when a test or a step failed.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [dir, ...failedSteps] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
const rows = [];

function read(name) {
  const file = join(dir, name);
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null;
}

for (const [name, label] of [['node.json', 'Node'], ['browser.json', 'Chromium']]) {
  const r = read(name);
  if (!r) {
    rows.push(`${label}: no report`);
    continue;
  }
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + (r.numTodoTests ?? 0);
  rows.push(`${label}: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);
}

const e2e = read('e2e.json');
if (e2e) {
  const s = e2e.stats;
  passed += s.expected + s.flaky;
  failed += s.unexpected;
  skipped += s.skipped;
  rows.push(`Playwright: ${s.expected} passed, ${s.unexpected} failed, ${s.flaky} flaky, ${s.skipped} skipped`);
} else {
  rows.push('Playwright: no report');
}

console.log('\n== summary ==');
for (const r of rows) console.log(r);
if (failedSteps.length) console.log(`failed steps: ${failedSteps.join('; ')}`);
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed || failedSteps.length ? 1 : 0);
