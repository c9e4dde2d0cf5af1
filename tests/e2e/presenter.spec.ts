import { expect, type Page } from '@playwright/test';
import { axeOn, overflowAt, settle, test, useTheme } from './support.ts';
import { PRESENTER_STRINGS } from '../../src/components/presenter/i18n.ts';
import { STORAGE_KEY } from '../../src/components/presenter/keys.ts';

// Presenter mode (src/components/presenter/): the toggle (button and Alt+Shift+P), the navigation it hides, the
// larger type, the keys that step the visualizer in view or move to the next section, Escape, and the state kept in
// localStorage and in the address. Four page visits in all: a wide English run through everything, a 简体中文 visit
// with axe, and a phone visit for the header button and the page width.

const en = PRESENTER_STRINGS.en;
const zh = PRESENTER_STRINGS['zh-CN'];

/** The parts of Starlight's frame presenter mode hides. */
const CHROME = ['nav.sidebar', '.right-sidebar-container', 'mobile-starlight-toc', 'site-search', '.pagination-links'];

const presenting = (page: Page) => page.evaluate(() => document.documentElement.hasAttribute('data-present'));
const stored = (page: Page) => page.evaluate((key) => localStorage.getItem(key), STORAGE_KEY);
const rootFontPx = (page: Page) => page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
const inAddress = (page: Page) => new URL(page.url()).searchParams.has('present');

/** "3 / 10" of the first visualizer, as [3, 10]. */
async function stepOf(page: Page): Promise<[number, number]> {
  const text = (await page.locator('viz-lab').first().locator('.viz-counter').textContent()) ?? '';
  const m = /(\d+)\s*\/\s*(\d+)/.exec(text);
  if (!m) throw new Error(`no step counter in the visualizer: "${text}"`);
  return [Number(m[1]), Number(m[2])];
}

test('toggle by button and by key, chrome hidden, keys step the visualizer, Escape leaves, kept across pages', { tag: '@wide-only' }, async ({ page }) => {
  await page.goto('/lessons/cookies/');
  const toggle = page.getByRole('button', { name: en.toggle });
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await expect(toggle).toHaveAttribute('aria-keyshortcuts', 'Alt+Shift+P');
  await expect(page.locator('#starlight__sidebar')).toBeVisible();
  const normalFont = await rootFontPx(page);

  // On by the button: the frame goes, the type grows, the address and storage say so.
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  expect(await presenting(page)).toBe(true);
  for (const part of CHROME) await expect(page.locator(part).first(), `${part} while presenting`).toBeHidden();
  // The button now sits in the header bar, where leaving is one click away however far the page is scrolled.
  await expect(page.locator('header').getByRole('button', { name: en.toggle })).toBeVisible();
  await expect(page.getByText(en.keys)).toBeVisible();
  expect(await rootFontPx(page)).toBeGreaterThan(normalFont);
  expect(inAddress(page)).toBe(true);
  expect(await stored(page)).toBe('1');
  expect(await overflowAt(page, 1920)).toEqual([]);

  // Another lesson, opened without the parameter: still presenting, from its first paint, and the address says so.
  await page.goto('/lessons/attacks/');
  expect(await presenting(page)).toBe(true);
  await expect.poll(() => inAddress(page)).toBe(true);
  for (const part of CHROME) await expect(page.locator(part).first(), `${part} after navigating`).toBeHidden();

  // Page Down from the top moves to the first section.
  const firstSection = page.locator('.sl-markdown-content h2').first();
  const edge = await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).scrollPaddingTop));
  await page.keyboard.press('PageDown');
  await expect.poll(async () => Math.abs(((await firstSection.boundingBox())?.y ?? Infinity) - edge)).toBeLessThan(2);

  // The visualizer in view steps with the keys: it opens on its outcome (the last step), the first press plays it
  // from the first step, then forward and back one at a time.
  const viz = page.locator('viz-lab').first();
  await viz.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await expect(viz).toHaveAttribute('data-state', 'ready');
  const [, total] = await stepOf(page);
  expect(total).toBeGreaterThan(2);
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => stepOf(page)).toEqual([1, total]);
  await page.keyboard.press('PageDown');
  await expect.poll(() => stepOf(page)).toEqual([2, total]);
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => stepOf(page)).toEqual([3, total]);
  await page.keyboard.press('ArrowLeft');
  await expect.poll(() => stepOf(page)).toEqual([2, total]);

  // Keys typed into a field stay there: the arrow moves the caret, Escape does not leave.
  const address = viz.locator('[data-address-input]');
  await address.focus();
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Escape');
  expect(await stepOf(page)).toEqual([2, total]);
  expect(await presenting(page)).toBe(true);

  // Escape elsewhere leaves, and the frame is back.
  await address.blur();
  await page.keyboard.press('Escape');
  expect(await presenting(page)).toBe(false);
  await expect(page.getByRole('button', { name: en.toggle })).toHaveAttribute('aria-pressed', 'false');
  await expect(page.locator('#starlight__sidebar')).toBeVisible();
  expect(inAddress(page)).toBe(false);
  expect(await stored(page)).toBe('0');

  // Alt+Shift+P turns it on and off again.
  await page.keyboard.press('Alt+Shift+KeyP');
  expect(await presenting(page)).toBe(true);
  await expect(page.locator('#starlight__sidebar')).toBeHidden();
  await page.keyboard.press('Alt+Shift+KeyP');
  expect(await presenting(page)).toBe(false);
});

test('简体中文: labels, a bookmarked ?present, and axe finds nothing while presenting', { tag: '@wide-only' }, async ({ page }) => {
  test.setTimeout(300_000);
  await useTheme(page, 'dark');
  await page.goto('/zh-cn/lessons/cookies/?present');
  const toggle = page.locator('header').getByRole('button', { name: zh.toggle });
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByText(zh.keys)).toBeVisible();
  for (const part of CHROME) await expect(page.locator(part).first(), `${part} while presenting`).toBeHidden();
  await settle(page);
  const { violations } = await (await axeOn(page)).analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  // A bookmark with ?present=0 turns it off.
  await page.goto('/zh-cn/lessons/cookies/?present=0');
  await expect(page.getByRole('button', { name: zh.toggle })).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByText(zh.shortcut)).toBeVisible();
});

test('on a phone: the button in the header, no page wider than the screen, Escape leaves', { tag: '@phone-only' }, async ({ page }) => {
  await page.goto('/lessons/cookies/?present');
  const toggle = page.locator('header').getByRole('button', { name: en.toggle });
  await expect(toggle).toBeVisible();
  await expect(page.locator('.sl-menu-button')).toBeHidden();
  for (const width of [390, 360]) expect(await overflowAt(page, width), `at ${width} px`).toEqual([]);
  await page.keyboard.press('Escape');
  expect(await presenting(page)).toBe(false);
  await expect(page.locator('.sl-menu-button')).toBeVisible();
});
