import { readFileSync } from 'node:fs';
import { expect } from '@playwright/test';
import { test, onOneScreen } from './support.ts';

// Pagefind search finds lesson text in each language, and only loads its index once the reader searches.
const cases = [
  { lang: 'en', home: '/', word: 'stateless', page: '/lessons/cookies/' },
  { lang: 'zh-CN', home: '/zh-cn/', word: '无状态', page: '/zh-cn/lessons/cookies/' },
] as const;

for (const c of cases) {
  test(`search finds “${c.word}” (${c.lang})`, onOneScreen(`search finds “${c.word}” (${c.lang})`), async ({ page }) => {
    // The word must really be in the lesson, or this test would prove nothing.
    expect(readFileSync(`dist${c.page}index.html`, 'utf8'), `${c.page} no longer contains “${c.word}”`).toContain(c.word);

    const loaded: string[] = [];
    page.on('request', (r) => loaded.push(new URL(r.url()).pathname));
    await page.goto(c.home);
    await page.waitForLoadState('networkidle');
    expect(loaded.filter((p) => p.startsWith('/pagefind/')), 'Pagefind is fetched before anyone searches').toEqual([]);

    // The search box is mounted when the browser is idle; opening the dialog before that leaves nothing to focus.
    await page.locator('#starlight__search input[type="text"]').waitFor({ state: 'attached' });
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

/** Opens the search dialog on `home` and types `word`; returns the dialog's input. */
async function searchFor(page: import('@playwright/test').Page, home: string, word: string) {
  await page.goto(home);
  await page.locator('#starlight__search input[type="text"]').waitFor({ state: 'attached' });
  await page.locator('site-search button[data-open-modal]').click();
  const input = page.locator('#starlight__search input[type="text"]');
  await expect(input).toBeFocused();
  await input.fill(word);
  return input;
}

// A word only the Chinese pages have: the English search finds nothing, and offers the Chinese pages' results.
test('an English search with no results lists the 简体中文 pages that have the word @wide-only', async ({ page }) => {
  const word = '签名';
  expect(readFileSync('dist/zh-cn/lessons/inside-the-cookie/index.html', 'utf8')).toContain(word);
  expect(readFileSync('dist/lessons/inside-the-cookie/index.html', 'utf8')).not.toContain(word);
  await searchFor(page, '/', word);
  await expect(page.locator('.pagefind-ui__message')).toHaveText(/No results/);
  const other = page.locator('other-language-results');
  await expect(other).toBeVisible();
  await expect(other.locator('.other-language-heading')).toContainText(`“${word}”`);
  const links = other.locator('ul[lang="zh-CN"] a');
  await expect(links.first()).toBeVisible();
  const hrefs = await links.evaluateAll((as) => as.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
  expect(hrefs.every((h) => h.startsWith('/zh-cn/'))).toBe(true);
  await links.first().click();
  await expect(page).toHaveURL(/\/zh-cn\//);
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
});

// The Chinese search speaks Chinese, and a section's name leads to that section.
test('searching 会话固定 on the Chinese site lands on the session fixation section @wide-only', async ({ page }) => {
  await searchFor(page, '/zh-cn/', '会话固定');
  await expect(page.locator('.pagefind-ui__message')).toHaveText(/^找到 \d+ 个“会话固定”的结果$/);
  await expect(page.locator('other-language-results')).toBeHidden();
  // The lesson's own result (not one of its sub-results) leads to the section.
  const section = page.locator('.pagefind-ui__result-inner > .pagefind-ui__result-title a[href*="/zh-cn/lessons/server-side-security/"]').first();
  await expect(section).toHaveAttribute('href', /\/zh-cn\/lessons\/server-side-security\/#/);
  await section.click();
  await expect(page).toHaveURL(/\/zh-cn\/lessons\/server-side-security\/#/);
  expect(decodeURIComponent(new URL(page.url()).hash)).toBe('#会话固定');
  await expect(page.locator("h2[id=\"会话固定\"]")).toBeInViewport();
});
