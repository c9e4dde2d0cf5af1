import { mkdirSync, readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type Page } from '@playwright/test';

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
 * Waits until the page has done what it does by itself, by conditions, not by the clock: the network is quiet, the
 * fonts are in (they decide which code blocks overflow), two idle callbacks have run, and Expressive Code has made
 * every overflowing code block focusable. Expressive Code marks a block from a ResizeObserver, after a debounce and
 * an idle callback, so a slow machine only takes longer; the widgets render on the server and change no layout
 * until the reader touches them, so once this holds the layout is final. Bounded only by the test's own timeout.
 */
export async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  for (let i = 0; i < 2; i++) {
    await page.evaluate(() => new Promise<void>((done) => (window.requestIdleCallback ?? setTimeout)(() => done())));
  }
  await page.waitForFunction(() => [...document.querySelectorAll('.expressive-code pre')].every((p) => p.scrollWidth <= p.clientWidth || p.hasAttribute('tabindex')), null, {
    timeout: 0,
    polling: 100,
  });
}

/**
 * Lays the page out at `width` CSS pixels (keeping its height) and names what sticks out past the right edge: an
 * empty list when the page is no wider than the screen. Each culprit is the outermost element wider than the
 * screen, with its class, text and right edge, so a failure says where to look.
 */
export async function overflowAt(page: Page, width: number): Promise<string[]> {
  const { height } = page.viewportSize()!;
  if (width !== page.viewportSize()!.width) await page.setViewportSize({ width, height });
  return page.evaluate(() => {
    const root = document.documentElement;
    const screen = root.clientWidth;
    if (root.scrollWidth <= screen) return [];
    const sticksOut = (el: Element) => el.getBoundingClientRect().right > screen + 0.5;
    const culprits = [...document.body.querySelectorAll('*')]
      .filter((el) => sticksOut(el) && el.parentElement !== null && !sticksOut(el.parentElement) && !el.closest('header, nav, mobile-starlight-toc'))
      .slice(0, 8)
      .map((el) => `<${el.tagName.toLowerCase()} class="${el.className}"> right edge ${Math.round(el.getBoundingClientRect().right)} px: ${(el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 80)}`);
    return [`the page is ${root.scrollWidth} px wide on a ${screen} px screen`, ...culprits];
  });
}

/**
 * `test` with two additions: E2E_CPU_THROTTLE=N slows each page's CPU N times (Chromium's own throttling), to show
 * on a fast machine what a slow one does (off by default); and every page a test opens is watched for Content
 * Security Policy violations (the site server's policy, see src/server/static-files.ts): the page's own
 * `securitypolicyviolation` events and Chromium's console errors about the policy, from any page the test
 * visits. A test that saw one fails, naming what was blocked.
 */
export const test = base.extend<{ cpuThrottle: void; cspGuard: void }>({
  cspGuard: [
    async ({ page }, use, testInfo) => {
      const seen: string[] = [];
      await page.exposeBinding('__reportCspViolation', ({ frame }, text: string) => void seen.push(`${frame.url()}: ${text}`));
      await page.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (e) => {
          const report = (window as unknown as { __reportCspViolation?: (t: string) => void }).__reportCspViolation;
          report?.(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`);
        });
      });
      page.on('console', (msg) => {
        if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) seen.push(`console: ${msg.text()}`);
      });
      await use();
      if (testInfo.status === testInfo.expectedStatus && seen.length) {
        throw new Error(`Content Security Policy violations:\n  ${[...new Set(seen)].join('\n  ')}`);
      }
    },
    { auto: true },
  ],
  cpuThrottle: [
    async ({ page }, use) => {
      const rate = Number(process.env.E2E_CPU_THROTTLE ?? '1');
      if (rate > 1) {
        const cdp = await page.context().newCDPSession(page);
        await cdp.send('Emulation.setCPUThrottlingRate', { rate });
      }
      await use();
    },
    { auto: true },
  ],
});

/**
 * An axe audit run inside the page with one `axe.run` (axe's "legacy" mode). The default mode audits each frame
 * apart and then opens a blank page to merge the parts, which takes twice as long on a long lesson; on a page
 * without frames both see the same elements, so this first proves the page has none. Only violations are
 * gathered in full (`resultTypes`): axe still runs every rule on every element, but skips building a selector for
 * each element that passed (about 40% of its time on the lessons; the tests read the violations alone). Callers add
 * `include(...)`.
 */
export async function axeOn(page: Page): Promise<AxeBuilder> {
  expect(await page.locator('iframe, frame').count(), 'a page with frames needs axe\'s frame-by-frame mode').toBe(0);
  return new AxeBuilder({ page }).setLegacyMode(true).options({ resultTypes: ['violations'] });
}

/**
 * For a test whose behaviour does not depend on the screen: it runs in one of the two projects (wide or phone),
 * picked from its title, so the choice is stable and a file's tests spread over both screens. How every page is
 * laid out at both sizes is checked by a11y.spec.ts, page by page.
 */
export function onOneScreen(title: string): { tag: string } {
  let h = 0;
  for (let i = 0; i < title.length; i++) h = (h * 31 + title.charCodeAt(i)) | 0;
  return { tag: (h & 1) === 0 ? '@wide-only' : '@phone-only' };
}

/**
 * Saves a screenshot for a person to look at, only when E2E_SCREENSHOTS names a folder (it judges nothing, so
 * the test line does not pay for it): `E2E_SCREENSHOTS=shots npx playwright test visualizer`.
 */
export async function lookAt(
  target: { screenshot(options: { path: string; fullPage?: boolean; style?: string }): Promise<unknown> },
  name: string,
  options: { fullPage?: boolean; style?: string } = {},
): Promise<void> {
  const dir = process.env.E2E_SCREENSHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await target.screenshot({ path: `${dir}/${name}.png`, ...options });
}
