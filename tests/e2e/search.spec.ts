import { readFileSync } from 'node:fs';
import { expect } from '@playwright/test';
import { test } from './support.ts';

// Pagefind search finds lesson text in each language, and only loads its index once the reader searches.
const cases = [
  { lang: 'en', home: '/', word: 'stateless', page: '/lessons/cookies/' },
  { lang: 'zh-CN', home: '/zh-cn/', word: '无状态', page: '/zh-cn/lessons/cookies/' },
] as const;

for (const c of cases) {
  test(`search finds “${c.word}” (${c.lang})`, async ({ page }) => {
    // The word must really be in the lesson, or this test would prove nothing.
    expect(readFileSync(`dist${c.page}index.html`, 'utf8'), `${c.page} no longer contains “${c.word}”`).toContain(c.word);

    const loaded: string[] = [];
    page.on('request', (r) => loaded.push(new URL(r.url()).pathname));
    await page.goto(c.home);
    await page.waitForLoadState('networkidle');
    expect(loaded.filter((p) => p.startsWith('/pagefind/')), 'Pagefind is fetched before anyone searches').toEqual([]);

    await page.locator('site-search button[data-open-modal]').click();
    const input = page.locator('#starlight__search input[type="text"]');
    await expect(input).toBeFocused();
    await input.fill(c.word);
    const hit = page.locator('.pagefind-ui__result-link', { hasText: /./ }).filter({ has: page.locator(`xpath=self::a[contains(@href, "${c.page}")]`) });
    await expect(hit.first()).toBeVisible();
    expect(loaded).toContain('/pagefind/pagefind.js');
    // Results stay in the page's language.
    const hrefs = await page.locator('.pagefind-ui__result-link').evaluateAll((as) => as.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
    for (const href of hrefs) expect(href.startsWith('/zh-cn/')).toBe(c.lang === 'zh-CN');
    await hit.first().click();
    await expect(page).toHaveURL(new RegExp(`${c.page.replace(/\//g, '\\/')}`));
  });
}
