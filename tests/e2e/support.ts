import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';

/** Every page path listed in the built sitemap (both languages), e.g. `/` and `/zh-cn/lessons/cookies/`. */
export function sitemapPaths(dist = 'dist'): string[] {
  const index = readFileSync(`${dist}/sitemap-index.xml`, 'utf8');
  const paths = new Set<string>();
  for (const [, sitemapUrl] of index.matchAll(/<loc>([^<]+)<\/loc>/g)) {
    const file = `${dist}${new URL(sitemapUrl).pathname}`;
    for (const [, loc] of readFileSync(file, 'utf8').matchAll(/<loc>([^<]+)<\/loc>/g)) paths.add(new URL(loc).pathname);
  }
  if (paths.size === 0) throw new Error('the sitemap lists no pages: was the site built?');
  return [...paths].sort();
}

export type Theme = 'light' | 'dark';

/** Makes Starlight start in the given theme on every page this `page` opens (its theme select reads localStorage). */
export async function useTheme(page: Page, theme: Theme): Promise<void> {
  await page.addInitScript((t) => window.localStorage.setItem('starlight-theme', t), theme);
  await page.emulateMedia({ colorScheme: theme });
}

/**
 * Waits until the page has done what it does by itself: network quiet, then two idle callbacks (scripts such as
 * Expressive Code's make overflowing code blocks focusable only once the browser is idle).
 */
export async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  for (let i = 0; i < 2; i++) {
    await page.evaluate(() => new Promise<void>((done) => (window.requestIdleCallback ?? setTimeout)(() => done())));
  }
  // Expressive Code re-checks after layout changes (widgets rendering), so give it up to 5 s to mark every
  // overflowing block; if it never does, the audit that follows reports it.
  await page
    .waitForFunction(() => [...document.querySelectorAll('.expressive-code pre')].every((p) => p.scrollWidth <= p.clientWidth || p.hasAttribute('tabindex')), null, { timeout: 5_000 })
    .catch(() => {});
}
