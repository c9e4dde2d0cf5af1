import type AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import { axeOn, overflowAt, settle, sitemapPaths, useTheme, type Theme, test } from './support.ts';
import { redisViewStrings } from '../../src/components/redis-view/i18n.ts';

// Every page in the built sitemap, in both themes, in one visit each:
//
// - axe finds nothing: every rule axe runs by default, at every impact, on every element. Nothing is waived.
// - no page is wider than the screen: on the phone visit the page is laid out again at 390 and 360 px (the
//   narrowest phones in common use) as well as the phone's own width; on the wide visit at 1280 px.
// - code in an indentation language never wraps, and no word in a table is split across lines.
//
// Each page is visited once per theme, and its two visits are split between the two viewports (light wide and
// dark on the phone, or the other way round, alternating page by page), so every page is seen at every size
// without loading it four times. The tag names the project that runs it (playwright.config.ts).
// E2E_SCREENSHOTS=<dir> also saves a full-page screenshot of each page at each width (for looking at, not judged).
const themes: Theme[] = ['light', 'dark'];
const PHONE_WIDTHS = [390, 360];

function axeReport(violations: Awaited<ReturnType<AxeBuilder['analyze']>>['violations']): string[] {
  return violations.map((v) => `${v.impact} ${v.id}: ${v.help}\n    ${v.nodes.map((n) => `${n.target.join(' ')}\n      ${n.failureSummary?.replace(/\n/g, ' ') ?? ''}`).join('\n    ')}`);
}

/** Python and TypeScript listings that wrap their lines (an indentation language must never be wrapped). */
function wrappedCode(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('.expressive-code pre[data-language]')]
      .filter((pre) => ['py', 'python', 'ts', 'typescript', 'sh', 'bash'].includes(pre.dataset.language ?? '') && getComputedStyle(pre.querySelector('.ec-line .code') ?? pre).whiteSpace !== 'pre')
      .map((pre) => `${pre.dataset.language}: ${pre.closest('figure')?.querySelector('.title')?.textContent ?? pre.textContent?.slice(0, 60)}`),
  );
}

/**
 * Words in the lessons' tables that the layout broke across two lines, the sign of a squeezed column ("GET /index"
 * drawn one letter a line). A word is a run of letters, digits and underscores; a line may still break beside a
 * hyphen or a quote, as in prose. Only words in runs of text of at most 20 characters between spaces are judged:
 * longer ones are ids, hashes and cookie values, which may wrap anywhere. Chinese text may break between any two
 * characters, so it is not judged, nor is text hidden for screen readers (a 1-pixel box, never drawn).
 */
function brokenWordsInTables(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const broken: string[] = [];
    const range = document.createRange();
    for (const table of document.querySelectorAll('.sl-markdown-content table:not(:where(.not-content *))')) {
      const walker = document.createTreeWalker(table, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const box = node.parentElement?.getBoundingClientRect();
        if (!box || box.width < 2 || box.height < 2) continue;
        const text = node.textContent ?? '';
        for (const token of text.matchAll(/\S+/g)) {
          if (token[0].length > 20 || /[\p{Script=Han}\u3000-\u303f\uff00-\uffef]/u.test(token[0])) continue;
          for (const word of token[0].matchAll(/[\p{L}\p{N}_]+/gu)) {
            const start = token.index + word.index;
            range.setStart(node, start);
            range.setEnd(node, start + word[0].length);
            // One box per line the word is drawn on (an empty box can appear at a line's end: not counted).
            const lines = [...range.getClientRects()].filter((r) => r.width > 0).length;
            if (lines > 1) broken.push(`${word[0]} (in: ${text.trim().slice(0, 60)})`);
          }
        }
      }
    }
    return broken;
  });
}

sitemapPaths().forEach((path, i) => {
  themes.forEach((theme, j) => {
    const viewport = (i + j) % 2 === 0 ? 'wide' : 'phone';
    test(`${path} (${theme}): axe, page width, code and tables`, { tag: `@${viewport}-only` }, async ({ page }, info) => {
      // A full-page audit of a long lesson is a lot of work for a slow machine; the timeout is only a guard
      // against a browser that hangs.
      test.setTimeout(300_000);
      await useTheme(page, theme);
      await page.goto(path);
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
      await settle(page);

      const results = await (await axeOn(page)).analyze();
      expect(axeReport(results.violations), `axe on ${path} (${theme}, ${info.project.name})`).toEqual([]);

      expect(await wrappedCode(page), `wrapped code listings on ${path}`).toEqual([]);

      // The Redis view says its buttons need JavaScript only to a browser that runs none.
      for (const rv of await page.locator('redis-view').all()) {
        const t = redisViewStrings((await rv.getAttribute('data-lang')) ?? 'en');
        expect(await rv.locator('[data-slot="static"]').innerText()).not.toContain(t.needsScript);
      }

      const { width } = page.viewportSize()!;
      const widths = viewport === 'phone' ? [width, ...PHONE_WIDTHS] : [width];
      for (const w of widths) {
        expect(await overflowAt(page, w), `${path} at ${w} px`).toEqual([]);
        if (viewport === 'phone') expect(await brokenWordsInTables(page), `words broken in a table on ${path} at ${w} px`).toEqual([]);
        if (process.env.E2E_SCREENSHOTS) {
          const name = `${path.replace(/^\/|\/$/g, '').replace(/\//g, '_') || 'home'}-${w}-${theme}.png`;
          await page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/${name}`, fullPage: true });
        }
      }

      // The search dialog, open, on each language's home page: its field has a label of its own.
      if (path === '/' || path === '/zh-cn/') {
        await page.setViewportSize({ width, height: page.viewportSize()!.height });
        const open = page.locator('site-search button[data-open-modal]');
        await expect(open).toBeEnabled();
        await open.click();
        const dialog = page.locator('site-search dialog');
        const name = await dialog.getAttribute('aria-label');
        await expect(dialog.getByRole('textbox', { name: name!, exact: true })).toBeFocused();
        const inDialog = await (await axeOn(page)).include('site-search dialog').analyze();
        expect(axeReport(inDialog.violations), `axe on the search dialog of ${path} (${theme})`).toEqual([]);
      }
    });
  });
});
