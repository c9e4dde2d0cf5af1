// The class server's dashboard in a browser, in English and in Chinese: it goes live, a submission appears in the
// students × tasks table without a reload, a name and a re-check message made of markup are shown as text (no
// element is made from them), the flags say what differs, and axe finds nothing. The class server is started here,
// in the test, on port 0 (a fake runner re-checks, so no Python is needed); the site server is not used.
import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startClassServer, type RunningClassServer } from '../../src/classroom/server.ts';
import { DASHBOARD_STRINGS } from '../../src/classroom/server-dashboard.ts';
import { LINK_STRINGS } from '../../src/classroom/server-link.ts';
import { CLASS_STRINGS } from '../../src/classroom/i18n.ts';
import { classLabSeed } from '../../src/labs/random.ts';
import { PANEL_STRINGS } from '../../src/components/exercises/i18n.ts';
import { asciiPunctuation, straySpaces } from '../support/zh-text.ts';
import { axeOn } from './support.ts';
import { EXERCISE, MARKUP_MESSAGE, fakeRunner, post, submission } from '../classroom/server-support.ts';

let server: RunningClassServer;
let dir: string;

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'class-e2e-'));
  server = await startClassServer({ db: join(dir, 'class.db'), port: 0, root: join(dir, 'no-site'), recheck: fakeRunner(), assignment: { name: 'Room 101', exercises: [EXERCISE, '02-cookies-delete'] } });
});

test.afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const NAME = `Ann "&lt;b&gt;bold&lt;/b&gt;" O'Brien`;

async function submitAndSee(page: Page, lang: 'en' | 'zh-CN', learner: string): Promise<void> {
  const t = DASHBOARD_STRINGS[lang];
  await expect(page.locator('body')).toHaveAttribute('data-live', 'true');
  await expect(page.locator('#live-status')).toHaveText(t.live);
  const res = await post(`${server.classUrl}submit`, submission(server.cls.token, learner, NAME, 'print("forged pass")'));
  expect(res.status).toBe(201);
  const row = page.locator(`tr[data-learner="${learner}"]`);
  await expect(row.locator('th')).toHaveText(NAME);
  const cell = row.locator(`td[data-task="exercise:${EXERCISE}"]`);
  // The page claimed a pass; the re-run found an error, so the cell says error and flags the claim.
  await expect(cell).toHaveAttribute('data-status', 'error');
  await expect(cell).toHaveAttribute('data-flagged', 'true');
  await expect(cell.locator('span')).toHaveText(t.status.error!);
  await expect(cell.locator('li').first()).toHaveText(t.claimDiffers.replace('{claimed}', t.status.pass!));
  await expect(cell.locator('li').nth(1)).toHaveText(t.recheckSaid.replace('{why}', MARKUP_MESSAGE));
  // Text, never markup: no element came out of the name or the message.
  expect(await page.locator('#results b, #results img, #results script, img').count()).toBe(0);
  await expect(page.locator('#announce')).toContainText(NAME);
  const axe = await (await axeOn(page)).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

test('the dashboard in English updates live and shows students’ strings as text @wide-only', async ({ page }) => {
  await page.goto(`${server.url}?lang=en`);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Class dashboard');
  await expect(page.locator('#student-link')).toHaveValue(server.links.en);
  await submitAndSee(page, 'en', 'learner-en-0001');
});

test('the dashboard in Chinese, chosen by Accept-Language, and the switch back to English @wide-only', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(server.url);
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('课堂面板');
  await expect(page.locator('#student-link')).toHaveValue(server.links.zh);
  await expect(page.getByRole('columnheader', { name: '学生', exact: true })).toBeVisible();
  await submitAndSee(page, 'zh-CN', 'learner-zh-0001');
  // A lab entry sent with another student's seed: not replayed, and the cell says why, in Chinese.
  const copied = { exercises: undefined, labs: { 'weak-secret': { seed: classLabSeed(server.cls, 'Someone else', 'weak-secret'), mode: 'vulnerable', log: [], claimedSolved: true } } };
  expect((await post(`${server.classUrl}submit`, submission(server.cls.token, 'learner-zh-0001', NAME, '', copied))).status).toBe(201);
  const labCell = page.locator('tr[data-learner="learner-zh-0001"] td[data-task="lab:weak-secret"]');
  await expect(labCell).toHaveAttribute('data-status', 'wrong-seed');
  await expect(labCell.locator('span')).toHaveText(DASHBOARD_STRINGS['zh-CN'].status['wrong-seed']!);
  // Each piece of Chinese text, one element at a time (a student's name is theirs, and left out).
  const texts = await page.locator('h1, h2, p, caption, thead th, td span, td li').allTextContents();
  expect(texts.flatMap((text) => [...straySpaces(text), ...asciiPunctuation(text)]).map((f) => f.context)).toEqual([]);
  await page.getByRole('link', { name: 'Switch to English' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Class dashboard');
  await context.close();
});

test('a student who opens the link checks an exercise on the class server\'s own site, and the dashboard shows it @wide-only', async ({ browser }) => {
  // This class server serves the built site too, as `npm run classroom` does.
  const site = await startClassServer({ db: join(dir, 'site.db'), port: 0, root: join(process.cwd(), 'dist'), recheck: fakeRunner(), assignment: { name: 'Room 102', exercises: [EXERCISE] } });
  const teacher = await browser.newContext();
  const student = await browser.newContext();
  try {
    const dashboard = await teacher.newPage();
    await dashboard.goto(`${site.url}?lang=en`);
    await expect(dashboard.locator('body')).toHaveAttribute('data-live', 'true');
    const page = await student.newPage();
    // The assignment asks the student's name in the page before anything is sent; saving it registers the learner.
    await page.goto(site.links.en);
    const banner = page.locator('class-banner');
    await banner.getByLabel(CLASS_STRINGS.en.nameLabel).fill('Lin 林');
    await banner.getByLabel(CLASS_STRINGS.en.nameLabel).press('Enter');
    await expect(banner.locator('[data-name-status]')).toHaveText(CLASS_STRINGS.en.registered);
    const panel = page.locator(`ex-panel[data-id="${EXERCISE}"]`);
    await panel.getByRole('button', { name: PANEL_STRINGS.en.open, exact: true }).click();
    await expect(panel).toHaveAttribute('data-runtime', 'ready', { timeout: 180_000 });
    await panel.getByRole('button', { name: PANEL_STRINGS.en.check, exact: true }).focus();
    await page.keyboard.press('Enter');
    await expect(panel).toHaveAttribute('data-checks', '1', { timeout: 180_000 });
    await expect(page.getByRole('status').filter({ hasText: LINK_STRINGS.en.sent })).toBeVisible();
    // The starter fails its tests in the page; the dashboard has the row, with the server's own re-check beside it.
    const cell = dashboard.locator(`td[data-task="exercise:${EXERCISE}"]`);
    await expect(dashboard.locator('tbody th')).toHaveText('Lin 林');
    await expect(cell).toHaveAttribute('data-status', /^(error|fail)$/);
    const stored = site.store.latest();
    expect(stored.map((r) => [r.name, r.task, r.claimed])).toEqual([['Lin 林', EXERCISE, 'fail']]);
    // The page registered first: its submission is under the learner the server gave a key to.
    expect(site.store.learnerKey(site.cls.id, stored[0]!.learner)).not.toBeNull();
  } finally {
    await teacher.close();
    await student.close();
    await site.close();
  }
});
