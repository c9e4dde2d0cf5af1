import { readFileSync } from 'node:fs';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { crackWordlist } from '../../src/components/inspector/crack-loop.ts';
import { flaskSerializer } from '../../src/components/inspector/inspect.ts';
import { fillLab, LAB_STRINGS } from '../../src/components/labs/i18n.ts';
import { axeOn, overflowAt } from './support.ts';

// The labs, each solved the intended way in one page visit: first in the page's panel (the app in a Worker), then
// over real HTTP against the site server's instance for this browser (Playwright's request API plays curl), and
// the page shows both solved states. Labs alternate between the English and the Chinese page. Labs 1 and 2 run
// their Python app on the real Flask, in the page and on the server, where the site's runtime has the Flask archive,
// and the panel says so; without it, the panel says they run on the engine.

const WORDLIST = new Uint8Array(readFileSync('public/wordlists/flask-secrets.txt'));

/** The key that signed `cookie`, found with the inspector's own crack loop over the course wordlist. */
function crack(cookie: string): string {
  for (const p of crackWordlist(cookie, WORDLIST)) if (p.match !== null) return p.match;
  throw new Error(`no wordlist line signed ${cookie}`);
}

/** Sends a request from the panel's address bar. */
async function send(page: Page, url: string): Promise<void> {
  const place = page.locator('[data-place="page"]');
  const count = await place.locator('.lab-x').count();
  await place.getByRole('textbox', { name: /^(Address|地址)$/ }).fill(url);
  await place.getByRole('button', { name: /^(Send|发送)$/ }).click();
  await expect(place.locator('.lab-x')).toHaveCount(count + 1);
}

/** The learner cookie the page's HTTP section shows (the page got it from the status endpoint). */
async function learnerCookie(page: Page): Promise<string> {
  const text = page.locator('[data-http-learner]');
  await expect(text).toHaveText(/^flask_lab_learner=/);
  return (await text.textContent())!;
}

/** The Flask version of the site's runtime, or null when it has no Flask archive (then labs 1 and 2 run on the engine). */
async function realFlask(page: Page): Promise<string | null> {
  const manifest = (await (await page.request.get('/runtime/manifest.json')).json()) as { archive: unknown; versions: { flask?: string } };
  return manifest.archive ? manifest.versions.flask! : null;
}

/** The panel's runtime notes, in the page and (under npm start) on the server, once a run has answered. */
async function expectRuntime(page: Page, t: (typeof LAB_STRINGS)['en'], version: string | null): Promise<void> {
  await expect(page.locator('[data-runtime]')).toHaveAttribute('data-runs', version ? 'flask' : 'engine');
  await expect(page.locator('[data-runtime]')).toContainText(version ? fillLab(t.runtimeFlask, { version, size: '' }).split('（')[0]!.split(' (')[0]! : t.runtimeNoArchive.split('（')[0]!.split(' (')[0]!);
  await expect(page.locator('[data-http-runtime]')).toHaveText(version ? fillLab(t.httpRuntimeFlask, { version }) : t.httpRuntimeNoArchive);
}

test('lab 1, weak secret (en): crack, forge admin, solved in the page and over HTTP', { tag: '@wide-only' }, async ({ page, request }) => {
  const t = LAB_STRINGS.en;
  await page.goto('/labs/weak-secret/');
  const version = await realFlask(page);
  const place = page.locator('[data-place="page"]');
  await expect(page.locator('[data-lab-status]')).toHaveText(t.notSolved);
  if (version) await expect(page.locator('[data-runtime]')).toContainText(`Real Flask ${version} in your browser`);
  await send(page, '/login');
  const captured = await place.getByRole('textbox', { name: 'Value of cookie session' }).inputValue();
  // A wrong attempt: the guest cookie does not open /admin.
  await send(page, '/admin');
  await expect(place.locator('.lab-x').last().locator('[data-status]')).toHaveText('403 FORBIDDEN');
  await expect(page.locator('[data-lab-status]')).toHaveText(t.notSolved);
  const forged = flaskSerializer(crack(captured)).dumps(new Map([['user', 'admin']]));
  await place.getByRole('textbox', { name: 'Value of cookie session' }).fill(forged);
  await place.getByRole('textbox', { name: 'Value of cookie session' }).press('Tab');
  await send(page, '/admin');
  await expect(place.locator('.lab-x').last()).toContainText(t.goalReached);
  await expect(page.locator('[data-lab-status]')).toHaveText(new RegExp(`^${t.solved}\\.`));
  // The solving answer came from the runtime the panel names.
  await expectRuntime(page, t, version);
  // Restart: a fresh run, the lab stays solved in this browser.
  await place.getByRole('button', { name: t.restart }).click();
  await expect(place.locator('[data-run-status]')).toHaveText(t.runNoGoal);
  await expect(place.locator('.lab-x')).toHaveCount(0);
  await expect(page.locator('[data-lab-status]')).toHaveText(new RegExp(`^${t.solved}\\.`));

  // Over HTTP, as curl would (a request context of its own, sending only the cookies given): this browser's
  // own instance, with its own key.
  const learner = await learnerCookie(page);
  await expect(page.locator('[data-http-status]')).toHaveText(t.httpNotSolved);
  const login = await request.get('/labs/weak-secret/app/login', { headers: { Cookie: learner }, maxRedirects: 0 });
  const session = /session=([^;]+)/.exec(login.headers()['set-cookie'] ?? '')![1]!;
  const forgedHttp = flaskSerializer(crack(session)).dumps(new Map([['user', 'admin']]));
  const admin = await request.get('/labs/weak-secret/app/admin', { headers: { Cookie: `${learner}; session=${forgedHttp}` } });
  expect(admin.status()).toBe(200);
  await expect(page.locator('[data-http-status]')).toHaveText(t.httpSolved);
  // The labs index reads the same progress.
  await page.goto('/labs/');
  await expect(page.locator('[data-lab="weak-secret"] [data-state]')).toHaveText(t.indexSolved);
  await expect(page.locator('[data-lab="replay-after-logout"] [data-state]')).toHaveText(t.indexNotSolved);
});

/** Puts a cookie in the panel's jar through its "Add or replace a cookie" form. */
async function addCookie(page: Page, t: (typeof LAB_STRINGS)['en'], value: string): Promise<void> {
  const form = page.locator('[data-add-cookie]');
  await form.getByRole('textbox', { name: t.addValue, exact: true }).fill(value);
  await form.getByRole('button', { name: t.addCookie }).click();
  await expect(page.locator('[data-place="page"]').getByRole('textbox', { name: fillName(t.valueOf, 'session') })).toHaveValue(value);
}

function fillName(template: string, name: string): string {
  return template.replace('{name}', name);
}

/** Presses a victim button in the panel and waits for the victim's requests to reach the log. */
async function victim(page: Page, label: string, requests: number): Promise<void> {
  const place = page.locator('[data-place="page"]');
  const count = await place.locator('.lab-x').count();
  await place.getByRole('button', { name: label }).click();
  await expect(place.locator('.lab-x')).toHaveCount(count + requests);
}

/** The API of this learner's HTTP instance, as the page's buttons call it. */
async function api(request: APIRequestContext, learner: string, slug: string, part: string, body: unknown): Promise<{ solved: boolean; exchanges: { client: string; responseHeaders: [string, string][] }[] }> {
  const res = await request.post(`/labs/${slug}/api/${part}`, { headers: { Cookie: learner, 'Content-Type': 'application/json' }, data: JSON.stringify(body) });
  expect(res.status()).toBe(200);
  return res.json();
}

test('lab 2, replay after logout (zh-CN): replay solves it on the signed cookie, fails on 0.8; over HTTP too', { tag: '@wide-only' }, async ({ page, request }) => {
  const t = LAB_STRINGS['zh-CN'];
  await page.goto('/zh-cn/labs/replay-after-logout/');
  const version = await realFlask(page);
  const place = page.locator('[data-place="page"]');
  await expect(page.getByRole('heading', { name: t.pageHeading })).toBeVisible();
  await expect(page.locator('[data-lab-status]')).toHaveText(t.notSolved);
  const replay = async (): Promise<void> => {
    await victim(page, '受害者登录', 2);
    const line = await place.locator('.lab-x[data-client="victim"] [data-set-cookie]').first().textContent();
    const copied = /session=([^;]+)/.exec(line!)![1]!;
    await victim(page, '受害者登出', 1);
    await addCookie(page, t, copied);
    await send(page, '/account');
  };
  await replay();
  await expect(place.locator('.lab-x').last()).toContainText(t.goalReached);
  await expect(page.locator('[data-lab-status]')).toHaveText(new RegExp(`^${t.solved}${t.stop}已于`));
  await expectRuntime(page, t, version);
  if (version) await expect(page.locator('[data-runtime]')).toContainText(`真正的 Flask ${version}`);
  // The fixed mode: a new run with the session on the server, where the same replay meets a deleted record (on the
  // real Flask, the course's own server-side interface; on the engine, its Flask-Session 0.8 with Redis).
  await place.getByRole('radio', { name: '已修复：会话保存在服务器端' }).check();
  await expect(place.locator('.lab-x')).toHaveCount(0);
  await replay();
  await expect(place.locator('.lab-x').last().locator('[data-status]')).toHaveText('401 UNAUTHORIZED');
  await expect(place.locator('[data-run-status]')).toHaveText(`${t.you}${t.colon}GET /account → 401 UNAUTHORIZED${t.stop}${t.runNoGoal}`);

  const learner = await learnerCookie(page);
  await expect(page.locator('[data-http-status]')).toHaveText(t.httpNotSolved);
  const logged = await api(request, learner, 'replay-after-logout', 'victim', { action: 'login' });
  const setCookie = logged.exchanges.find((x) => x.client === 'victim')!.responseHeaders.find(([k]) => k === 'Set-Cookie')![1];
  await api(request, learner, 'replay-after-logout', 'victim', { action: 'logout' });
  const account = await request.get('/labs/replay-after-logout/app/account', { headers: { Cookie: `${learner}; ${setCookie.split(';')[0]}` } });
  expect(account.status()).toBe(200);
  expect(await account.text()).toMatch(/^Logged in as dana\. Private note: order #\d{6}\.\nThis session was logged out/);
  await expect(page.locator('[data-http-status]')).toHaveText(t.httpSolved);
  // The filled panel (jar, both logs, the HTTP details) has nothing for axe either; the empty one is in a11y.spec.ts.
  const axe = await (await axeOn(page)).include('lab-panel').analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  // Filled, it still fits a 360 px phone.
  expect(await overflowAt(page, 360)).toEqual([]);
});

test('lab 3, session fixation (en): a planted id read after the victim logs in on 0.3, not on 0.8; over HTTP too', { tag: '@wide-only' }, async ({ page, request }) => {
  const t = LAB_STRINGS.en;
  await page.goto('/labs/session-fixation/');
  const place = page.locator('[data-place="page"]');
  // Planting nothing: the panel says what is missing, in the page's words.
  await place.getByRole('button', { name: 'Plant it in the victim’s browser' }).click();
  await expect(place.getByRole('alert')).toHaveText('Error: Fill in “Session id to plant” first.');
  const fixate = async (): Promise<void> => {
    await place.getByRole('textbox', { name: 'Session id to plant' }).fill('fixed-by-me');
    await place.getByRole('button', { name: 'Plant it in the victim’s browser' }).click();
    await victim(page, 'Victim logs in', 2);
    await expect(place.locator('.lab-x[data-client="victim"]').first()).toContainText(t.cookiesHidden);
    await addCookie(page, t, 'fixed-by-me');
    await send(page, '/account');
  };
  await fixate();
  await expect(place.locator('.lab-x').last()).toContainText('Logged in as dana');
  await expect(page.locator('[data-lab-status]')).toHaveText(new RegExp(`^${t.solved}\\.`));
  await place.getByRole('radio', { name: 'Fixed: Flask-Session 0.8, regenerate() at login' }).check();
  await expect(place.locator('.lab-x')).toHaveCount(0);
  await fixate();
  await expect(place.locator('.lab-x').last().locator('[data-status]')).toHaveText('401 UNAUTHORIZED');
  await expect(place.locator('[data-run-status]')).toHaveText(`${t.you}${t.colon}GET /account → 401 UNAUTHORIZED${t.stop}${t.runNoGoal}`);

  const learner = await learnerCookie(page);
  await api(request, learner, 'session-fixation', 'victim', { action: 'plant', arg: 'planted-over-http' });
  await api(request, learner, 'session-fixation', 'victim', { action: 'login' });
  const account = await request.get('/labs/session-fixation/app/account', { headers: { Cookie: `${learner}; session=planted-over-http` } });
  expect(account.status()).toBe(200);
  await expect(page.locator('[data-http-status]')).toHaveText(t.httpSolved);
});
