import { expect, type Page } from '@playwright/test';
import { axeOn, useTheme, type Theme, test, onOneScreen, lookAt } from './support.ts';
import { redisViewStrings, type RedisViewStrings } from '../../src/components/redis-view/i18n.ts';
import { describeValue, encodeFor, prerender, SessionLab, memoryLabStore } from '../../src/components/redis-view/model.ts';
import { clockText } from '../../src/components/redis-view/render.ts';
import { PAGE_EPOCH, createClock } from '../../src/components/page-clock.ts';

// The Redis view island on the lesson pages, in both languages and themes: readable before any script runs,
// then driven with the mouse and the keyboard. Expected values come from the same lab run here on the engine.

const pages = [
  { lang: 'en', path: '/lessons/flask-session-redis/', scaling: '/lessons/scaling/' },
  { lang: 'zh-cn', path: '/zh-cn/lessons/flask-session-redis/', scaling: '/zh-cn/lessons/scaling/' },
] as const;
const themes: Theme[] = ['light', 'dark'];

const view = (page: Page, id: string) => page.locator(`redis-view#${id}`);

/** The repr the engine gives a session holding these pairs (0.8 stores `_permanent` first). */
function repr(pairs: [string, string][]): string {
  return describeValue('0.8', encodeFor('0.8', new Map<string, string | boolean>([['_permanent', true], ...pairs]))).repr;
}

for (const p of pages) {
  const t: RedisViewStrings = redisViewStrings(p.lang);
  for (const theme of themes) {
    test(`redis view (${p.lang}, ${theme})`, onOneScreen(`redis view (${p.lang}, ${theme})`), async ({ page }, info) => {
      await useTheme(page, theme);
      const scripts: string[] = [];
      page.on('request', (r) => {
        if (r.resourceType() === 'script') scripts.push(r.url());
      });
      await page.goto(p.path);
      const rv = view(page, 'rv-redis');
      await rv.scrollIntoViewIfNeeded();

      // Server-rendered: the login has been stored, the cookie holds the id, the log shows the SET.
      const rows = rv.locator('[data-slot="store"] tbody tr');
      await expect(rows).toHaveCount(1);
      const key = (await rv.locator('[data-slot="store"] .rv-key').first().textContent())!;
      expect(key).toMatch(/^session:[\w-]{43}$/);
      await expect(rv.locator('[data-slot="jar"]')).toContainText(`session=${key.slice('session:'.length)}`);
      await expect(rv.locator('[data-slot="log"] .rv-entry')).toHaveCount(1);
      await expect(rv.locator('[data-slot="log"]')).toContainText(`SET ${key}`);
      await expect(rv.getByRole('log')).toBeAttached();
      // Nothing heavy before the reader touches the view.
      expect(scripts.some((u) => /controller|browser\./.test(u))).toBe(false);

      // A request with the mouse.
      await rv.getByLabel(t.keyLabel, { exact: true }).fill('colour');
      await rv.getByLabel(t.valueLabel, { exact: true }).fill('blue');
      await rv.getByRole('button', { name: 'GET /set?key=…&value=…' }).click();
      await expect(rv.locator('[data-slot="log"] .rv-entry')).toHaveCount(2);
      const second = rv.locator('[data-slot="log"] .rv-entry').nth(1);
      await expect(second).toContainText('GET /set?key=colour&value=blue');
      await expect(second).toContainText(`GET ${key}`);
      await expect(second).toContainText(`SET ${key}`);
      await expect(rv.locator('[data-slot="store"] .rv-value')).toHaveText(repr([['username', 'alex'], ['colour', 'blue']]));

      // And with the keyboard.
      await rv.getByRole('button', { name: 'GET /get?key=…' }).focus();
      await page.keyboard.press('Enter');
      await expect(rv.locator('[data-slot="log"] .rv-entry')).toHaveCount(3);
      await expect(rv.locator('[data-slot="log"] .rv-entry').nth(2)).toContainText('200 blue');

      // The page's virtual clock: it stands still until moved, so the TTL is exact; a day off it, then past the lifetime.
      await expect(rv.locator('[data-slot="clock"]')).toHaveText(clockText(t, PAGE_EPOCH, 0));
      await expect(rv.locator('td[data-key]')).toHaveAttribute('data-ttl', '2678400');
      await rv.getByRole('button', { name: t.advance.day }).click();
      await expect(rv.locator('[data-slot="clock"]')).toHaveText(clockText(t, PAGE_EPOCH + 86400, 86400));
      await expect(rv.locator('td[data-key]')).toHaveAttribute('data-ttl', String(2678400 - 86400));
      await rv.getByRole('button', { name: t.advance.month }).click();
      await expect(rv.locator('[data-slot="store"]')).toHaveText(t.storeEmpty);
      await expect(rv.locator('[data-slot="jar"]')).toHaveText(t.jarEmpty);
      // A cookie set now carries the page clock's date (the same year as everything else on the page).
      const clock = createClock();
      clock.advance(86400 + 2678400);
      const same = await SessionLab.create({ mode: '0.8', clock: () => clock.now(), makeStore: memoryLabStore });
      const expires = /Expires=[^;]+/.exec((await same.send('/login')).setCookie[0]!)![0];
      await rv.getByRole('button', { name: 'GET /login' }).click();
      await expect(rv.locator('[data-slot="log"] .rv-entry').last()).toContainText(expires);

      await expect(async () => {
        const results = await (await axeOn(page)).include('redis-view#rv-redis').analyze();
        expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`)).toEqual([]);
      }).toPass();
      await lookAt(rv, `redis-view-${p.lang}-${info.project.name}-${theme}`);

      // 0.3.2: a visitor who only reads gets a key, a pickle, and SETEX.
      await rv.getByRole('radio', { name: t.modes['0.3'] }).check();
      await expect(rv.locator('[data-slot="log"] .rv-entry')).toHaveCount(0);
      await rv.getByRole('button', { name: 'GET /index' }).click();
      await expect(rv.locator('[data-slot="log"] .rv-entry')).toHaveCount(1);
      await expect(rv.locator('[data-slot="log"]')).toContainText(/SETEX session:[0-9a-f-]{36} 2678400/);
      await expect(rv.locator('[data-slot="store"] .rv-value')).toHaveText("{'_permanent': True}");
      await expect(rv.locator('[data-slot="store"] .rv-meta')).toContainText('pickle');
    });
  }

  test(`redis view, two workers and the tutorial dicts (${p.lang})`, onOneScreen(`redis view, two workers and the tutorial dicts (${p.lang})`), async ({ page }, info) => {
    await page.goto(p.scaling);
    const rv = view(page, 'rv-scaling');
    await rv.scrollIntoViewIfNeeded();
    // The build-time state matches the lab run here.
    const lab = await SessionLab.create({ mode: '0.8', workers: 2, clock: () => 1700000000, makeStore: memoryLabStore });
    for (const u of ['/login', '/index', '/index']) await lab.send(u, 'alternate');
    const bodies = (await lab.snapshot()).log.map((e) => e.body.trim());
    await expect(rv.locator('.rv-entry .rv-body')).toHaveText(bodies);
    await expect(rv.locator('.rv-entry').nth(1)).toContainText(t.onWorker(2));

    // By default requests take turns: the browser continues the round robin where the build left it.
    const { state } = await prerender('0.8', 2, ['/login', '/index', '/index']);
    const live = await SessionLab.create({ mode: '0.8', workers: 2, clock: () => PAGE_EPOCH, makeStore: memoryLabStore });
    await live.restore(state);
    const nextTwo = [(await live.send('/index')).worker, (await live.send('/index')).worker];
    expect(nextTwo).toEqual([2, 1]);
    await expect(rv.getByRole('radio', { name: t.alternate })).toBeChecked();
    await expect(rv.locator('[data-slot="next-worker"]')).toHaveText(t.nextWorker(nextTwo[0]!));
    await rv.getByRole('button', { name: 'GET /index' }).click();
    await expect(rv.locator('.rv-entry')).toHaveCount(4);
    await rv.getByRole('button', { name: 'GET /index' }).click();
    await expect(rv.locator('.rv-entry')).toHaveCount(5);
    await expect(rv.locator('.rv-entry').nth(3)).toContainText(t.onWorker(nextTwo[0]!));
    await expect(rv.locator('.rv-entry').nth(4)).toContainText(t.onWorker(nextTwo[1]!));
    await expect(rv.locator('[data-slot="next-worker"]')).toHaveText(t.nextWorker(live.nextWorker()));

    await rv.getByRole('radio', { name: t.modes.custom }).check();
    await expect(rv.locator('.rv-entry')).toHaveCount(0);
    await rv.getByRole('button', { name: 'GET /login' }).click();
    await rv.getByRole('button', { name: 'GET /index' }).click();
    await expect(rv.locator('.rv-entry')).toHaveCount(2);
    await expect(rv.locator('.rv-entry').nth(1)).toContainText('You are not logged in');
    await expect(rv.locator('[data-slot="store"] tbody tr')).toHaveCount(2);
    await lookAt(rv, `redis-view-workers-${p.lang}-${info.project.name}`);
  });
}

// Every lesson of the second half renders its computed tables and its Redis view. (Their axe audits are in
// a11y.spec.ts with every other page, once per theme.)
const lessons = ['custom-interface', 'flask-session-redis', 'server-side-security', 'scaling'];
for (const lang of ['en', 'zh-cn'] as const) {
  for (const slug of lessons) {
    test(`lesson page ${lang}/${slug}`, onOneScreen(`lesson page ${lang}/${slug}`), async ({ page }, info) => {
      await page.goto(`${lang === 'en' ? '' : '/zh-cn'}/lessons/${slug}/`);
      await expect(page.locator('html')).toHaveAttribute('lang', lang === 'en' ? 'en' : 'zh-CN');
      await expect(page.locator('redis-view')).toHaveCount(1);
      await expect(page.locator('redis-view [data-slot="log"] .rv-entry').first()).toBeVisible();
      await expect(page.locator('.sl-markdown-content details')).not.toHaveCount(0);
      await lookAt(page, `lesson-${slug}-${lang}-${info.project.name}`, { fullPage: true });
    });
  }
}
