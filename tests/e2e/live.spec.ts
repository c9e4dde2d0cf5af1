import { expect, test, type Page } from '@playwright/test';
import { startSite, type RunningSite } from '../../src/server/site.ts';
import { onOneScreen } from './support.ts';

// The /live/ landing page, against the real `npm start` server (built pages from dist/ plus the demo apps),
// started here on a free port: the page exists in both languages, says the apps answer, shows commands that
// use its own origin, every app link on it answers, and the lessons that use the apps link to it.

let site: RunningSite;
let origin = '';

test.beforeAll(async () => {
  site = await startSite({ root: 'dist', port: 0 });
  origin = site.url.slice(0, -1);
});

test.afterAll(async () => {
  await site?.close();
});

const languages = [
  { lang: 'en', prefix: '', heading: 'Live demo apps', up: 'The apps answer on this server', down: 'They run only under npm start' },
  { lang: 'zh-CN', prefix: '/zh-cn', heading: '在线演示应用', up: '这些应用正在本服务器上响应', down: '它们只在 npm start 下运行' },
] as const;

/** The lessons that send their reader to the live apps. */
const LESSONS = ['session-dict', 'inside-the-cookie', 'attacks', 'custom-interface', 'flask-session-redis', 'server-side-security'];

/** The app links in the page's content, in document order. */
async function appLinks(page: Page): Promise<string[]> {
  return page.locator('main a[href^="/live/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
}

for (const l of languages) {
  test(`/live/ exists and its routes answer (${l.lang})`, onOneScreen(`/live/ exists and its routes answer (${l.lang})`), async ({ page, context }) => {
    const response = await page.goto(`${origin}${l.prefix}/live/`);
    expect(response?.status()).toBe(200);
    await expect(page.locator('html')).toHaveAttribute('lang', l.lang);
    await expect(page.getByRole('heading', { level: 1, name: l.heading })).toBeVisible();
    // The page checks the apps itself and says they answer here.
    await expect(page.locator('.live-status')).toHaveAttribute('data-state', 'up');
    await expect(page.locator('.live-status')).toContainText(l.up);

    // Every command names this page's origin, in the text and in what the copy button copies.
    const code = (await page.locator('main .expressive-code pre').allInnerTexts()).join('\n');
    const urls = [...code.matchAll(/'(https?:\/\/[^']+)'/g)].map((m) => m[1]!);
    expect(urls.length).toBeGreaterThanOrEqual(4);
    for (const u of urls) expect(new URL(u).origin).toBe(origin);
    expect(code).not.toContain('127.0.0.1:4321');
    const copied = await page.locator('main .expressive-code button[data-code]').evaluateAll((bs) => bs.map((b) => (b as HTMLElement).dataset.code ?? ''));
    expect(copied.join('\n')).toContain(`${origin}/live/cookie/set?key=theme&value=dark`);
    expect(copied.join('\n')).not.toContain('127.0.0.1:4321');

    // Each command's URL answers (the requests share one cookie jar, as curl -c/-b does).
    for (const u of urls) {
      const r = await context.request.get(u);
      expect(r.status(), u).toBe(200);
    }

    // Every app link on the page answers, in order, with the browser's cookies: set before get.
    const links = await appLinks(page);
    for (const app of ['cookie', 'custom', 'custom-fixed', 'redis']) expect(links).toContain(`/live/${app}/`);
    for (const route of ['set?key=theme&value=dark', 'get?key=theme', 'dump', 'clear', 'login?user=amy', 'index', 'logout']) {
      expect(links).toContain(`/live/cookie/${route}`);
    }
    for (const href of links) {
      const r = await context.request.get(origin + href);
      expect(r.status(), href).toBe(200);
      expect(r.headers()['content-type'], href).toBe('text/plain; charset=utf-8');
    }

    // What step 2 of the DevTools walk-through describes: the cookie and its Path.
    const set = await context.request.get(`${origin}/live/cookie/set?key=theme&value=dark`);
    expect(set.headers()['set-cookie']).toMatch(/^session_cookie=[^;]+; HttpOnly; Path=\/live\/cookie$/);
    const dump = await context.request.get(`${origin}/live/cookie/dump`);
    expect(await dump.text()).toBe('{"theme":"dark"}');

    // Following a link in the browser shows the app's answer, with the cookie stored for that path only.
    await page.goto(`${origin}${l.prefix}/live/`);
    await page.locator('main a[href="/live/cookie/login?user=amy"]').click();
    await expect(page).toHaveURL(`${origin}/live/cookie/index`);
    await expect(page.locator('body')).toHaveText('Logged in as amy');
    const cookies = await context.cookies(`${origin}/live/cookie/index`);
    expect(cookies.find((c) => c.name === 'session_cookie')?.path).toBe('/live/cookie');
  });

  test(`/live/ says when the apps do not answer (${l.lang})`, onOneScreen(`/live/ says when the apps do not answer (${l.lang})`), async ({ page }) => {
    // What `astro dev` or `astro preview` would answer: the page, but a 404 page where the apps should be.
    await page.route('**/live/cookie/', (route) => route.fulfill({ status: 404, contentType: 'text/html', body: '<!doctype html><title>404</title>' }));
    await page.goto(`${origin}${l.prefix}/live/`);
    await expect(page.locator('.live-status')).toHaveAttribute('data-state', 'down');
    await expect(page.locator('.live-status')).toContainText(l.down);
  });

  test(`lessons that use the apps link to /live/ (${l.lang})`, onOneScreen(`lessons that use the apps link to /live/ (${l.lang})`), async ({ page }) => {
    for (const lesson of [...LESSONS.map((s) => `/lessons/${s}/`), '/']) {
      await page.goto(`${origin}${l.prefix}${lesson}`);
      const link = page.locator(`main a[href="${l.prefix}/live/"]`);
      expect(await link.count(), `${l.prefix}${lesson} links to ${l.prefix}/live/`).toBeGreaterThan(0);
    }
    await page.goto(`${origin}${l.prefix}/lessons/custom-interface/`);
    await page.locator(`main a[href="${l.prefix}/live/"]`).first().click();
    await expect(page).toHaveURL(`${origin}${l.prefix}/live/`);
    await expect(page.getByRole('heading', { level: 1, name: l.heading })).toBeVisible();
  });
}
