import { expect, type Page } from '@playwright/test';
import { useTheme, type Theme, test, onOneScreen, lookAt } from './support.ts';
import { LESSON_REGISTRY, lessonPath } from '../../src/lessons/registry.ts';

const homes = [
  { lang: 'en', path: '/', heading: 'Flask Session Lab', start: 'Start the first lesson', languageLabel: 'Select language', other: '/zh-cn/' },
  { lang: 'zh-CN', path: '/zh-cn/', heading: 'Flask 会话实验室', start: '开始第一课', languageLabel: '选择语言', other: '/' },
] as const;

/** The language select, opening the mobile menu first where the header hides it. */
async function languageSelect(page: Page, label: string) {
  const select = page.getByRole('combobox', { name: label });
  if (!(await select.first().isVisible())) {
    const menu = page.getByRole('button', { name: /^(Menu|菜单)$/ });
    if (await menu.isVisible()) await menu.click();
  }
  return select.locator('visible=true').first();
}

for (const home of homes) {
  test(`home page renders (${home.lang})`, onOneScreen(`home page renders (${home.lang})`), async ({ page }) => {
    await page.goto(home.path);
    await expect(page.locator('html')).toHaveAttribute('lang', home.lang);
    await expect(page.getByRole('heading', { level: 1, name: home.heading })).toBeVisible();
    await expect(page.getByRole('link', { name: home.start })).toBeVisible();
    // The course's cards come from the lesson registry: numbered titles, in its order.
    const cards = page.locator('.sl-link-card a[href*="/lessons/"]');
    expect(await cards.evaluateAll((as) => as.map((a) => [a.getAttribute('href'), a.textContent?.trim()]))).toEqual(
      LESSON_REGISTRY.map((l, at) => [lessonPath(l.slug, home.lang), `${at + 1}. ${l.title[home.lang]}`]),
    );
  });

  test(`language switcher leaves ${home.path} for ${home.other}`, onOneScreen(`language switcher leaves ${home.path} for ${home.other}`), async ({ page }) => {
    await page.goto(home.path);
    const select = await languageSelect(page, home.languageLabel);
    await expect(select).toBeVisible();
    await select.selectOption(home.other);
    await expect(page).toHaveURL(home.other);
    const back = homes.find((h) => h.path === home.other)!;
    await expect(page.locator('html')).toHaveAttribute('lang', back.lang);
  });

  test(`first-lesson link works (${home.lang})`, onOneScreen(`first-lesson link works (${home.lang})`), async ({ page }) => {
    await page.goto(home.path);
    await page.getByRole('link', { name: home.start }).click();
    await expect(page).toHaveURL(new RegExp(`^[^?#]*${home.path}lessons/[^/]+/$`));
    const response = await page.request.get(page.url());
    expect(response.status()).toBe(200);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  });

  for (const theme of ['light', 'dark'] as Theme[]) {
    test(`${theme} theme renders (${home.lang})`, onOneScreen(`${theme} theme renders (${home.lang})`), async ({ page }, info) => {
      await useTheme(page, theme);
      await page.goto(home.path);
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
      const select = page.getByRole('combobox', { name: /^(Select theme|选择主题)$/ }).locator('visible=true');
      if (await select.count()) await expect(select.first()).toHaveValue(theme);
      // The page background follows the theme: light pages are bright, dark pages are dark.
      const luminance = await page.evaluate(() => {
        const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\d+/g)!.map(Number);
        return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
      });
      if (theme === 'light') expect(luminance).toBeGreaterThan(0.8);
      else expect(luminance).toBeLessThan(0.2);
      await lookAt(page, `home-${home.lang}-${info.project.name}-${theme}`, { fullPage: true });
    });
  }
}

test('the theme select switches the theme', onOneScreen('the theme select switches the theme'), async ({ page }) => {
  await useTheme(page, 'light');
  await page.goto('/lessons/cookies/');
  let select = page.getByRole('combobox', { name: 'Select theme' }).locator('visible=true');
  if (!(await select.count())) {
    await page.getByRole('button', { name: 'Menu' }).click();
    select = page.getByRole('combobox', { name: 'Select theme' }).locator('visible=true');
  }
  await select.first().selectOption('dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await select.first().selectOption('light');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
});

// Every lesson is listed in the sidebar of a lesson page, in course order, in both languages.
for (const [prefix, lang] of [['', 'en'], ['/zh-cn', 'zh-CN']] as const) {
  test(`sidebar lists the lessons in registry order (${lang})`, onOneScreen(`sidebar lists the lessons in registry order (${lang})`), async ({ page }) => {
    await page.goto(`${prefix}/lessons/cookies/`);
    // On a phone the sidebar sits behind the menu button.
    const menu = page.getByRole('button', { name: /^(Menu|菜单)$/ });
    if (await menu.isVisible()) await menu.click();
    const links = page.locator('nav[aria-label] a[href*="/lessons/"]').locator('visible=true');
    const items = await links.evaluateAll((as) => as.map((a) => [a.getAttribute('href'), a.textContent?.trim()]));
    // Labelled with each page's title, which tests/lessons/registry.test.ts holds to the registry's.
    expect(items.filter(([h]) => /\/lessons\/[^/]+\/$/.test(h ?? ''))).toEqual(LESSON_REGISTRY.map((l) => [lessonPath(l.slug, lang), l.title[lang]]));
  });
}
