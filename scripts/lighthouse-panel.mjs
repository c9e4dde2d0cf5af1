#!/usr/bin/env node
// Lighthouse on lesson pages with the exercise panel open, as a learner opens it: a Lighthouse user flow in Debian's
// Chromium (Lighthouse's default settings: a mid-range phone, simulated slow 4G) with three steps per page:
//   1. the page's load (navigation: performance, accessibility, best practices, SEO, panel closed);
//   2. opening the first exercise panel and pressing Check until the result shows (timespan: performance of the
//      interaction: blocking time, layout shift; Python and the editor load here);
//   3. the page as it then stands, panel open with its results (snapshot: accessibility, best practices, SEO).
// Prints the scores per step and the audits that cost points. Timing-based, so not part of the tests.
//
// Usage: npm run build && npm run lighthouse:panel [-- --only=/lessons/cookies/ --origin=http://127.0.0.1:8080 --save=dir]
//        (without --origin it starts the site server of `npm start`, which serves the runtime with its headers)

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFlow } from 'lighthouse';
import puppeteer from 'puppeteer-core';
import { CATEGORIES, CHROME, costlyAudits, requireChrome, waitFor } from './lighthouse-core.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const PORT = Number(option('port', '4397'));
const ORIGIN = option('origin', null);
const ONLY = option('only', null);
const SAVE = option('save', null);
/** Three lessons: the first (small), the custom-interface one (long listings), the Chinese Redis one (fakeredis). */
const PAGES = ONLY ? [ONLY] : ['/lessons/cookies/', '/lessons/custom-interface/', '/zh-cn/lessons/flask-session-redis/'];

/** The scores of one step's report, by category it measured (a timespan has no SEO; '-' for what it lacks). */
function scores(lhr) {
  return CATEGORIES.map((c) => (lhr.categories[c] && lhr.categories[c].score !== null ? String(Math.round(lhr.categories[c].score * 100)) : '-'));
}

async function main() {
  if (!existsSync('dist/runtime/manifest.json')) throw new Error('dist/ has no runtime: run `npm run build` first');
  const server = ORIGIN
    ? null
    : spawn(process.execPath, ['--experimental-strip-types', '--no-warnings', 'src/server/site.ts'], { env: { ...process.env, PORT: String(PORT) }, stdio: ['ignore', 'ignore', 'inherit'] });
  const origin = ORIGIN ?? `http://127.0.0.1:${PORT}`;
  const rows = [];
  const problems = [];
  let browser;
  try {
    await waitFor(`${origin}/`, 60_000);
    requireChrome();
    browser = await puppeteer.launch({ executablePath: CHROME, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
    for (const path of PAGES) {
      const page = await browser.newPage();
      const flow = await startFlow(page, { name: path });
      await flow.navigate(`${origin}${path}`);
      await flow.startTimespan();
      await page.waitForSelector('ex-panel [data-open]');
      await page.evaluate(() => {
        const open = document.querySelector('ex-panel [data-open]');
        open.scrollIntoView();
        open.click();
      });
      await page.waitForSelector('ex-panel .cm-content', { timeout: 120_000 });
      await page.evaluate(() => document.querySelector('ex-panel [data-action="check"]').click());
      await page.waitForSelector('ex-panel[data-checks="1"]', { timeout: 180_000 });
      await flow.endTimespan();
      await flow.snapshot();
      const result = await flow.createFlowResult();
      const { steps } = result;
      if (SAVE) {
        mkdirSync(SAVE, { recursive: true });
        writeFileSync(join(SAVE, `${path.replace(/\//g, '_')}flow.json`), JSON.stringify(result));
      }
      for (const [i, step] of steps.entries()) {
        const kind = ['load', 'open + check', 'panel open'][i];
        rows.push([path, kind, ...scores(step.lhr)]);
        for (const c of CATEGORIES) for (const line of costlyAudits(step.lhr, c)) problems.push(`${path} (${kind}) ${line}`);
      }
      await page.close();
      process.stdout.write('.');
    }
  } finally {
    process.stdout.write('\n');
    await browser?.close();
    server?.kill();
  }
  const header = ['page', 'step', 'perf', 'a11y', 'best', 'seo'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
  if (problems.length) console.log(`\nAudits that cost points:\n  ${problems.join('\n  ')}`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
