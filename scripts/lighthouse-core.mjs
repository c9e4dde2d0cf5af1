// @ts-check
// Lighthouse as this site measures it, shared by `npm run lighthouse` (every page, a table) and
// `npm run lighthouse:panel` (pages with an exercise open): Debian's Chromium started headless, Lighthouse's default settings
// (a mid-range phone on a slow 4G network, simulated), the four categories, and a page judged on the median of
// several runs, since scores under simulated throttling move with the machine's load.

import { existsSync } from 'node:fs';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';

export const CATEGORIES = /** @type {const} */ (['performance', 'accessibility', 'best-practices', 'seo']);
export const CHROME = '/usr/bin/chromium';
const FLAGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** @typedef {import('lighthouse').Result} Lhr */
/** @typedef {{ path: string, scores: number[], runs: Lhr[], explained: Lhr, retries: number }} PageResult */

/** Fails clearly when the Chromium that Lighthouse drives is not installed. */
export function requireChrome() {
  if (!existsSync(CHROME)) throw new Error(`${CHROME} is missing (Debian package chromium): Lighthouse needs it`);
}

/** Starts the Chromium that Lighthouse drives; fails clearly when it is not installed. */
export async function launchChrome() {
  requireChrome();
  return chromeLauncher.launch({ chromePath: CHROME, chromeFlags: FLAGS });
}

/**
 * Polls `url` until it answers 2xx, for at most `ms` milliseconds: the server the two commands start
 * (or were pointed at) is ready once its home page answers.
 * @param {string} url
 * @param {number} ms
 */
export async function waitFor(url, ms) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${ms / 1000} s`);
}

/**
 * The four scores of one report, 0 to 100, in the order of CATEGORIES.
 * @param {Lhr} lhr
 */
export function scoresOf(lhr) {
  return CATEGORIES.map((c) => Math.round((lhr.categories[c]?.score ?? 0) * 100));
}

/** @param {number[]} xs */
function median(xs) {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
}

/**
 * Audits `origin + path` `runs` times (an odd number) and takes each category's median.
 * @param {string} origin
 * @param {string} path
 * @param {{ port: number }} chrome
 * @param {number} runs
 * @returns {Promise<PageResult>}
 */
export async function auditPage(origin, path, chrome, runs) {
  if (runs < 1 || runs % 2 === 0) throw new Error(`runs must be odd and at least 1, not ${runs}`);
  /** @type {Lhr[]} */
  const reports = [];
  // A run Lighthouse itself could not record (e.g. NO_NAVSTART: its trace missed the navigation, which happens on
  // a busy machine) is tried again, at most twice per page; the retries are counted in the result.
  let retries = 0;
  while (reports.length < runs) {
    const result = await lighthouse(`${origin}${path}`, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: [...CATEGORIES] });
    if (!result) throw new Error(`Lighthouse returned no report for ${path}`);
    if (result.lhr.runtimeError) {
      if (retries++ < 2) continue;
      throw new Error(`Lighthouse could not load ${path}: ${result.lhr.runtimeError.message}`);
    }
    reports.push(result.lhr);
  }
  const scores = CATEGORIES.map((_, i) => median(reports.map((r) => scoresOf(r)[i])));
  // The run whose performance score is the median explains the numbers shown.
  const explained = reports.find((r) => scoresOf(r)[0] === scores[0]) ?? reports[0];
  return { path, scores, runs: reports, explained, retries };
}

/**
 * The audits that cost a category points in a report, one line each (with the measured value when there is one).
 * @param {Lhr} lhr
 * @param {string} category
 */
export function costlyAudits(lhr, category) {
  const out = [];
  for (const ref of lhr.categories[category]?.auditRefs ?? []) {
    const a = lhr.audits[ref.id];
    if (ref.weight > 0 && a.score !== null && a.score < 1) out.push(`[${category}] ${a.id}: ${a.title}${a.displayValue ? ` (${a.displayValue})` : ''}`);
  }
  return out;
}
