import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { LAB_STRINGS } from '../../src/components/labs/i18n.ts';

// Labs 4–6, each in one page visit: a wrong attempt that leaves the run unsolved, Restart, the intended solution in
// the page's panel (the app in a Worker) until the page says "Solved", then the same attack over real HTTP against
// the site server's instance for this browser (Playwright's request API plays curl), until the page's HTTP part
// says solved too. The labs alternate between the English and the Chinese page.

type Strings = (typeof LAB_STRINGS)['en'];

/** Sends a request from the panel's address bar (POST with a form body when `body` is given). */
async function send(page: Page, t: Strings, url: string, body?: string): Promise<void> {
  const place = page.locator('[data-place="page"]');
  const count = await place.locator('.lab-x').count();
  await place.getByLabel(t.method, { exact: true }).selectOption(body === undefined ? 'GET' : 'POST');
  await place.getByRole('textbox', { name: t.address, exact: true }).fill(url);
  if (body !== undefined) await place.getByRole('textbox', { name: t.body, exact: true }).fill(body);
  await place.getByRole('button', { name: t.send, exact: true }).click();
  await expect(place.locator('.lab-x')).toHaveCount(count + 1);
}

/** Presses a victim button (after filling its argument) and waits for the victim's requests to reach the log. */
async function victim(page: Page, label: string, requests: number, arg?: { name: string; value: string }): Promise<void> {
  const place = page.locator('[data-place="page"]');
  const count = await place.locator('.lab-x').count();
  if (arg) await place.getByRole('textbox', { name: arg.name, exact: true }).fill(arg.value);
  await place.getByRole('button', { name: label, exact: true }).click();
  await expect(place.locator('.lab-x')).toHaveCount(count + requests);
}

async function restart(page: Page, t: Strings): Promise<void> {
  const place = page.locator('[data-place="page"]');
  await place.getByRole('button', { name: t.restart }).click();
  await expect(place.locator('.lab-x')).toHaveCount(0);
  await expect(place.locator('[data-run-status]')).toHaveText(t.runNoGoal);
}

async function learnerCookie(page: Page): Promise<string> {
  const text = page.locator('[data-http-learner]');
  await expect(text).toHaveText(/^flask_lab_learner=/);
  return (await text.textContent())!;
}

async function api(request: APIRequestContext, learner: string, slug: string, body: unknown): Promise<void> {
  const res = await request.post(`/labs/${slug}/api/victim`, { headers: { Cookie: learner, 'Content-Type': 'application/json' }, data: JSON.stringify(body) });
  expect(res.status()).toBe(200);
}

test('lab 4, missing Vary: Cookie (en): the victim fills an uncached URL, the cache hands it to you; over HTTP too', { tag: '@wide-only' }, async ({ page, request }) => {
  const t = LAB_STRINGS.en;
  await page.goto('/labs/vary-cookie/');
  const place = page.locator('[data-place="page"]');
  await expect(page.locator('[data-lab-status]')).toHaveText(t.notSolved);
  const link = { name: 'Path for the victim to open', value: '/account?x=1' };
  // Wrong: not the URL the victim filled; the cache has nothing there and the app sends you to the login.
  await victim(page, 'Victim logs in', 1);
  await victim(page, 'Victim opens a link', 1, link);
  await send(page, t, '/account');
  await expect(place.locator('.lab-x').last()).toContainText('X-Cache: MISS');
  await expect(place.locator('.lab-x').last().locator('[data-status]')).toHaveText('302 FOUND');
  await expect(place.locator('[data-run-status]')).toContainText(t.runNoGoal);
  await expect(page.locator('[data-lab-status]')).toHaveText(t.notSolved);
  await restart(page, t);
  await victim(page, 'Victim logs in', 1);
  await victim(page, 'Victim opens a link', 1, link);
  await send(page, t, '/account?x=1');
  await expect(place.locator('.lab-x').last()).toContainText('X-Cache: HIT');
  await expect(place.locator('.lab-x').last()).toContainText(t.goalReached);
  await expect(page.locator('[data-lab-status]')).toHaveText(new RegExp(`^${t.solved}\\.`));

  const learner = await learnerCookie(page);
  await expect(page.locator('[data-http-status]')).toHaveText(t.httpNotSolved);
  await api(request, learner, 'vary-cookie', { action: 'login' });
  await api(request, learner, 'vary-cookie', { action: 'open', arg: '/account?over=http' });
  const copy = await request.get('/labs/vary-cookie/app/account?over=http', { headers: { Cookie: learner }, maxRedirects: 0 });
  expect(copy.headers()['x-cache']).toBe('HIT');
  await expect(page.locator('[data-http-status]')).toHaveText(t.httpSolved);
});

test('lab 5, load balancer (zh-CN): one request of yours moves the victim to the other worker; two do not; over HTTP too', { tag: '@wide-only' }, async ({ page, request }) => {
  const t = LAB_STRINGS['zh-CN'];
  await page.goto('/zh-cn/labs/load-balancer/');
  const place = page.locator('[data-place="page"]');
  await expect(page.locator('[data-lab-status]')).toHaveText(t.notSolved);
  // Wrong: two requests of yours put the rotation back where it was.
  await victim(page, '受害者登录', 2);
  await send(page, t, '/');
  await send(page, t, '/');
  await victim(page, '受害者打开账户页面', 2);
  await expect(place.locator('.lab-x[data-client="victim"]').nth(2)).toContainText('Logged in as dana.');
  await expect(place.locator('[data-run-status]')).toContainText(t.runNoGoal);
  await restart(page, t);
  await victim(page, '受害者登录', 2);
  await send(page, t, '/');
  await victim(page, '受害者打开账户页面', 2);
  await expect(place.locator('.lab-x[data-client="victim"]').nth(2)).toContainText('You are not logged in.');
  await expect(place.locator('.lab-x[data-client="victim"]').nth(2)).toContainText(t.goalReached);
  await expect(page.locator('[data-lab-status]')).toHaveText(new RegExp(`^${t.solved}`));

  const learner = await learnerCookie(page);
  await expect(page.locator('[data-http-status]')).toHaveText(t.httpNotSolved);
  await api(request, learner, 'load-balancer', { action: 'login' });
  expect((await request.get('/labs/load-balancer/app/', { headers: { Cookie: learner } })).status()).toBe(200);
  await api(request, learner, 'load-balancer', { action: 'open-account' });
  await expect(page.locator('[data-http-status]')).toHaveText(t.httpSolved);
});

test('lab 6, pickle in a shared store (en): a pickle of os.system is recorded as "would run: id" on 0.3-style, refused when fixed; over HTTP too', { tag: '@wide-only' }, async ({ page, request }) => {
  const t = LAB_STRINGS.en;
  await page.goto('/labs/pickle-store/');
  const place = page.locator('[data-place="page"]');
  // The table of what the real versions did is on the page.
  await expect(page.locator('table').filter({ hasText: 'Flask-Session 0.8.0' })).toContainText('called system("id")');
  const payload = `"cos\\nsystem\\n(S'id'\\ntR."`;
  const attack = async (): Promise<void> => {
    await send(page, t, '/');
    const sid = await place.getByRole('textbox', { name: t.valueOf.replace('{name}', 'session') }).inputValue();
    await send(page, t, '/_redis', `command=SET session:${sid} ${payload}`);
    await expect(place.locator('.lab-x').last()).toContainText('OK');
    await send(page, t, '/account');
  };
  // Wrong: the fixed mode's reader refuses the same pickle.
  await place.getByRole('radio', { name: 'Fixed: a reader that refuses code' }).check();
  await expect(place.locator('.lab-x')).toHaveCount(0);
  await attack();
  await expect(place.locator('.lab-x').last()).toContainText('refused: UnsafePickleError');
  await expect(place.locator('[data-run-status]')).toContainText(t.runNoGoal);
  await expect(page.locator('[data-lab-status]')).toHaveText(t.notSolved);
  await place.getByRole('radio', { name: 'Vulnerable: 0.3-style, pickle.loads' }).check();
  await expect(place.locator('.lab-x')).toHaveCount(0);
  await attack();
  await expect(place.locator('.lab-x').last()).toContainText("X-Lab-Record: would run: id (os.system('id'))");
  await expect(page.locator('[data-lab-status]')).toHaveText(new RegExp(`^${t.solved}\\.`));

  const learner = await learnerCookie(page);
  await expect(page.locator('[data-http-status]')).toHaveText(t.httpNotSolved);
  const home = await request.get('/labs/pickle-store/app/', { headers: { Cookie: learner } });
  const session = /session=([^;]+)/.exec(home.headers()['set-cookie'] ?? '')![1]!;
  const set = await request.post('/labs/pickle-store/app/_redis', { headers: { Cookie: learner, 'Content-Type': 'text/plain' }, data: `SET session:${session} ${payload}` });
  expect(await set.text()).toBe('OK\n');
  const account = await request.get('/labs/pickle-store/app/account', { headers: { Cookie: `${learner}; session=${session}` } });
  expect(account.headers()['x-lab-record']).toBe("would run: id (os.system('id'))");
  await expect(page.locator('[data-http-status]')).toHaveText(t.httpSolved);
});
