#!/usr/bin/env node
// Lighthouse over the built site: every page in the sitemap, in both languages, served by `astro preview` and
// audited in Debian's Chromium (scripts/lighthouse-core.mjs). Prints performance, accessibility, best-practices
// and SEO per page, each the median of three runs (scores under simulated throttling move with the machine's
// load, as Lighthouse's own docs warn); exits 1 if any median is below the threshold (default 95).
// It is not part of `npm test`: a score under simulated throttling is a measure of time.
//
// Usage: npm run lighthouse [-- --min=95 --runs=3 --port=4398 --only=/inspector/ --save=dir --verbose]
//        (run `npm run build` first; --origin=http://127.0.0.1:8080 audits a server already serving dist/ instead
//        of starting `astro preview`)

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CATEGORIES, auditPage, costlyAudits, launchChrome, waitFor } from './lighthouse-core.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const MIN = Number(option('min', '95'));
const RUNS = Number(option('runs', '3'));
const PORT = Number(option('port', '4398'));
const ONLY = option('only', null);
const SAVE = option('save', null);
const ORIGIN = option('origin', null);

/** Every page the built sitemap lists, as URL paths (`/`, `/zh-cn/lessons/cookies/`, …). */
function pages() {
  const index = readFileSync(join('dist', 'sitemap-index.xml'), 'utf8');
  const out = new Set();
  for (const [, sitemap] of index.matchAll(/<loc>([^<]+)<\/loc>/g)) {
    for (const [, loc] of readFileSync(join('dist', new URL(sitemap).pathname), 'utf8').matchAll(/<loc>([^<]+)<\/loc>/g)) out.add(new URL(loc).pathname);
  }
  const list = [...out].sort();
  return ONLY ? list.filter((p) => p === ONLY) : list;
}

async function main() {
  if (!existsSync('dist/sitemap-index.xml')) throw new Error('dist/ is missing: run `npm run build` first');
  const list = pages();
  if (list.length === 0) throw new Error(ONLY ? `${ONLY} is not in the sitemap` : 'no pages to audit');

  // The Node running this script (npm scripts use the project's pinned Node), not whatever `node` is on PATH.
  const preview = ORIGIN ? null : spawn(process.execPath, ['node_modules/astro/bin/astro.mjs', 'preview', '--host', '127.0.0.1', '--port', String(PORT)], { stdio: ['ignore', 'pipe', 'inherit'], detached: false });
  const origin = ORIGIN ?? `http://127.0.0.1:${PORT}`;
  let chrome;
  const rows = [];
  const problems = [];
  try {
    await waitFor(`${origin}/`, 60_000);
    chrome = await launchChrome();
    for (const path of list) {
      let audited;
      try {
        audited = await auditPage(origin, path, chrome, RUNS);
      } catch (e) {
        // One page that cannot be audited does not throw away the others' figures: it is listed as failing.
        problems.push(`${path} ${e instanceof Error ? e.message : e}`);
        rows.push([path, 0, 0, 0, 0, 0]);
        process.stdout.write('x');
        continue;
      }
      const { scores, explained } = audited;
      if (SAVE) {
        mkdirSync(SAVE, { recursive: true });
        writeFileSync(join(SAVE, `${path.replace(/\//g, '_') || 'root'}.json`), JSON.stringify(explained));
      }
      rows.push([path, ...scores, RUNS]);
      for (const [i, c] of CATEGORIES.entries()) {
        if (scores[i] >= MIN && !args.includes('--verbose')) continue;
        for (const line of costlyAudits(explained, c)) problems.push(`${path} ${line}`);
      }
      process.stdout.write('.');
    }
  } finally {
    process.stdout.write('\n');
    await chrome?.kill();
    preview?.kill();
  }

  const header = ['page', 'perf', 'a11y', 'best', 'seo', 'runs'];
  const table = rows.map((r) => r.map(String));
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of table) console.log(line(r));
  if (problems.length) console.log(`\nAudits that cost points:\n  ${problems.join('\n  ')}`);
  const failing = rows.filter((r) => r.slice(1, 1 + CATEGORIES.length).some((s) => s < MIN));
  if (failing.length) {
    console.error(`\n${failing.length} page(s) below ${MIN}: ${failing.map((r) => r[0]).join(', ')}`);
    process.exit(1);
  }
  console.log(`\nAll ${rows.length} pages at ${MIN} or above in every category (median of ${RUNS} runs).`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
