#!/usr/bin/env node
// Lighthouse over the built site: every lesson page, the inspector and the home pages, in both languages,
// served by `astro preview` and audited in Debian's Chromium. Prints performance, accessibility,
// best-practices and SEO per page; exits 1 if any score is below the threshold (default 95).
//
// Scores under simulated throttling move with the machine's load, so a page that falls short is audited
// twice more and judged on the median of the three runs, as Lighthouse's own docs advise.
//
// Usage: npm run lighthouse [-- --min=95 --port=4398 --only=/inspector/ --save=dir]   (run `astro build` first)

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';

const args = process.argv.slice(2);
const option = (name, fallback) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const MIN = Number(option('min', '95'));
const PORT = Number(option('port', '4398'));
const ONLY = option('only', null);
const SAVE = option('save', null);
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'];
const CHROME = '/usr/bin/chromium';
const FLAGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Lesson pages, the inspector and the home page for each language, as URL paths. */
function pages() {
  const out = [];
  for (const prefix of ['', 'zh-cn/']) {
    if (existsSync(join('dist', prefix, 'index.html'))) out.push(`/${prefix}`);
    const lessons = join('dist', prefix, 'lessons');
    if (existsSync(lessons)) {
      for (const name of readdirSync(lessons).sort()) if (existsSync(join(lessons, name, 'index.html'))) out.push(`/${prefix}lessons/${name}/`);
    }
    if (existsSync(join('dist', prefix, 'inspector', 'index.html'))) out.push(`/${prefix}inspector/`);
  }
  return ONLY ? out.filter((p) => p === ONLY) : out;
}

async function waitFor(url, ms) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${ms / 1000} s`);
}

async function main() {
  if (!existsSync('dist/index.html')) throw new Error('dist/ is missing: run `astro build` first');
  if (!existsSync(CHROME)) throw new Error(`${CHROME} is missing (Debian package chromium)`);
  const list = pages();
  if (list.length === 0) throw new Error('no pages to audit');

  // The Node running this script (npm scripts use the project's pinned Node), not whatever `node` is on PATH.
  const preview = spawn(process.execPath, ['node_modules/astro/bin/astro.mjs', 'preview', '--host', '127.0.0.1', '--port', String(PORT)], { stdio: ['ignore', 'pipe', 'inherit'], detached: false });
  const origin = `http://127.0.0.1:${PORT}`;
  let chrome;
  const rows = [];
  const problems = [];
  try {
    await waitFor(`${origin}/`, 60_000);
    chrome = await chromeLauncher.launch({ chromePath: CHROME, chromeFlags: FLAGS });
    const audit = async (path) => (await lighthouse(`${origin}${path}`, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: CATEGORIES })).lhr;
    const scoresOf = (lhr) => CATEGORIES.map((c) => Math.round((lhr.categories[c]?.score ?? 0) * 100));
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    for (const path of list) {
      const runs = [await audit(path)];
      if (scoresOf(runs[0]).some((s) => s < MIN)) runs.push(await audit(path), await audit(path));
      const scores = CATEGORIES.map((_, i) => median(runs.map((r) => scoresOf(r)[i])));
      // The run whose performance score is the median explains the numbers shown.
      const lhr = runs.find((r) => scoresOf(r)[0] === scores[0]) ?? runs[0];
      if (SAVE) {
        mkdirSync(SAVE, { recursive: true });
        writeFileSync(join(SAVE, `${path.replace(/\//g, '_') || 'root'}.json`), JSON.stringify(lhr));
      }
      rows.push([path, ...scores, runs.length]);
      for (const [i, c] of CATEGORIES.entries()) {
        const category = lhr.categories[c];
        if (scores[i] >= MIN && !args.includes('--verbose')) continue;
        for (const ref of category.auditRefs) {
          const a = lhr.audits[ref.id];
          if (ref.weight > 0 && a.score !== null && a.score < 1) problems.push(`${path} [${c}] ${a.id}: ${a.title}${a.displayValue ? ` (${a.displayValue})` : ''}`);
        }
      }
      process.stdout.write('.');
    }
  } finally {
    process.stdout.write('\n');
    await chrome?.kill();
    preview.kill();
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
  console.log(`\nAll ${rows.length} pages at ${MIN} or above in every category.`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
