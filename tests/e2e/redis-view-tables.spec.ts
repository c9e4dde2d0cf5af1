import { expect } from '@playwright/test';
import { test } from './support.ts';
import { redisViewStrings } from '../../src/components/redis-view/i18n.ts';

// Lesson 9's view of the SQL table and the session files: a login is listed, and after the lifetime the row or
// the file is still there, marked expired, in both languages (English on the wide page, Chinese on the phone).
for (const p of [
  { lang: 'en', path: '/lessons/other-stores/', tag: '@wide-only' },
  { lang: 'zh-cn', path: '/zh-cn/lessons/other-stores/', tag: '@phone-only' },
] as const) {
  const t = redisViewStrings(p.lang);
  test(`the SQL table and the session files outlive their expiry (${p.lang})`, { tag: p.tag }, async ({ page }) => {
    await page.goto(p.path);
    const rv = page.locator('redis-view#rv-tables');
    await rv.scrollIntoViewIfNeeded();
    // Server-rendered: the login's row, and the INSERT that wrote it.
    await expect(rv.locator('[data-slot="store"] .rv-key')).toHaveText(/^session:[\w-]{43}$/);
    await expect(rv.locator('[data-slot="log"]')).toContainText('INSERT INTO sessions');
    await rv.getByRole('button', { name: t.advance.month }).click();
    await expect(rv.locator('td[data-expired="true"]')).toHaveText(t.expiredStored);
    await expect(rv.locator('[data-slot="jar"]')).toHaveText(t.jarEmpty);
    // The file store: one file per session plus cachelib's counter, and the same fate.
    await rv.getByRole('radio', { name: t.modes.files }).check();
    await rv.getByRole('button', { name: 'GET /login' }).click();
    await expect(rv.locator('[data-slot="log"]')).toContainText('write(md5(');
    await expect(rv.locator('[data-slot="store"] tbody tr')).toHaveCount(2);
    // cachelib still serves a file at its exact expiry second, so go a day past it.
    await rv.getByRole('button', { name: t.advance.month }).click();
    await expect(rv.locator('td[data-expired="true"]')).toHaveCount(0);
    await rv.getByRole('button', { name: t.advance.day }).click();
    await expect(rv.locator('td[data-expired="true"]')).toHaveCount(1);
    await expect(rv.locator('[data-slot="store"] tbody tr')).toHaveCount(2);
  });
}
