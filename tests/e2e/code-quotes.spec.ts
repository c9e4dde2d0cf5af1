// Code on the lesson pages keeps straight quotes: the Markdown typographer curls quotes in text, and a <code>
// element written with literal text in MDX gets curled too ("session[“v”]"), which no Python accepts. Every
// <code> of every built lesson page, in both languages, is checked.
import { expect, test } from '@playwright/test';
import { sitemapPaths } from './support.ts';
import { LESSON_SLUGS } from '../../src/lessons/registry.ts';

const lessons = sitemapPaths().filter((p) => p.includes('/lessons/'));

// The built HTML is the same on every viewport: checked once, on the wide project (the tag, see playwright.config.ts).
const wideOnly = { tag: '@wide-only' };

test('the site lists the lesson pages of both languages', wideOnly, () => {
  expect(lessons.filter((p) => p.startsWith('/lessons/')).length).toBe(LESSON_SLUGS.length);
  expect(lessons.filter((p) => p.startsWith('/zh-cn/lessons/')).length).toBe(LESSON_SLUGS.length);
});

for (const path of lessons) {
  test(`no curly quote inside code on ${path}`, wideOnly, async ({ page }) => {
    await page.goto(path, { waitUntil: 'domcontentloaded' });
    const curled = await page.evaluate(() =>
      [...document.querySelectorAll('code')].map((c) => c.textContent ?? '').filter((t) => /[‘’“”]/.test(t)).map((t) => t.slice(0, 120)),
    );
    expect(curled).toEqual([]);
  });
}
