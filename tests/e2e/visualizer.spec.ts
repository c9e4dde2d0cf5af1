import { expect, type Locator, type Page } from '@playwright/test';
import { axeOn, useTheme, type Theme, test, onOneScreen, lookAt } from './support.ts';
import { Lab } from '../../src/components/visualizer/model.ts';
import { STRINGS, fill, reasonOf, summary, type Lang, type Strings } from '../../src/components/visualizer/i18n.ts';
import { EPOCH, formatTime, type ExchangeView, type StepView } from '../../src/components/visualizer/types.ts';
import type { PresetId } from '../../src/components/visualizer/presets.ts';
import { createClock } from '../../src/components/page-clock.ts';

// The playground in both languages and both themes. Every expected value is computed here by the same
// engine the page runs (a Lab driven through the same actions), never typed in.

const pages: { lang: Lang; path: string }[] = [
  { lang: 'en', path: '/playground/' },
  { lang: 'zh-CN', path: '/zh-cn/playground/' },
];
const themes: Theme[] = ['light', 'dark'];

type Step = { send: string } | { tamper: true } | { advance: number } | { reset: true } | { clear: true };

/** What the engine says after the same actions, starting from a preset on a page clock moved `offset` seconds. */
async function expected(preset: PresetId, actions: Step[], offset = 0): Promise<Lab> {
  const clock = createClock();
  clock.advance(offset);
  const lab = await Lab.open(preset, { clock });
  for (const a of actions) {
    if ('send' in a) await lab.send(a.send);
    else if ('tamper' in a) lab.tamper();
    else if ('advance' in a) lab.advance(a.advance);
    else if ('reset' in a) lab.resetClock();
    else lab.clearCookies();
  }
  return lab;
}

function last(lab: Lab): ExchangeView {
  const s = lab.snapshot();
  return s.history[s.history.length - 1]!;
}

function stepOf(x: ExchangeView, type: StepView['type']): StepView {
  const step = x.steps.find((s) => s.type === type);
  if (!step) throw new Error(`the engine's trace has no ${type} step`);
  return step;
}

async function open(page: Page, path: string, theme: Theme): Promise<Locator> {
  await useTheme(page, theme);
  await page.goto(path);
  const viz = page.locator('viz-lab');
  await viz.scrollIntoViewIfNeeded();
  await expect(viz).toHaveAttribute('data-state', 'ready');
  return viz;
}

async function choosePreset(viz: Locator, t: Strings, preset: PresetId): Promise<void> {
  await viz.getByLabel(t.preset, { exact: true }).selectOption(preset);
  await expect(viz.locator(`[data-preset-block="${preset}"]`)).toBeVisible();
  await expect(viz).not.toHaveAttribute('aria-busy', 'true');
}

async function send(viz: Locator, t: Strings, url: string, count: number): Promise<void> {
  const address = viz.getByRole('textbox', { name: t.address });
  await address.fill(url);
  await viz.getByRole('button', { name: t.send }).click();
  await expect(viz.locator('.viz-history li')).toHaveCount(count);
  await expect(viz).not.toHaveAttribute('aria-busy', 'true');
}

/** Moves the active step with the keyboard until it is `index`, checking aria-current and the live region on the way. */
async function stepTo(viz: Locator, t: Strings, x: ExchangeView, index: number): Promise<void> {
  const items = viz.locator('ol[data-steps] > li');
  await expect(items).toHaveCount(x.steps.length);
  await items.nth(0).getByRole('button').focus();
  await items.nth(0).getByRole('button').press('Home');
  for (let i = 0; i < index; i++) await viz.locator('ol[data-steps] li[aria-current="step"] button').press('ArrowDown');
  await expect(items.nth(index)).toHaveAttribute('aria-current', 'step');
  await expect(viz.locator('ol[data-steps] li[aria-current="step"]')).toHaveCount(1);
  const step = x.steps[index]!;
  const live = fill(t.stepOf, { n: String(index + 1), total: String(x.steps.length), title: t.titles[step.type]! });
  await expect(viz.locator('[data-live]')).toHaveText(`${live}${t.sentenceBreak}${summary(t, step.key, step.vars)}`);
  await expect(viz.locator('[data-current-summary]')).toHaveText(summary(t, step.key, step.vars));
  // Wide screens show the details in the card beside the list, phones right under the active step.
  if (step.reason) await expect(viz.getByText(reasonOf(t, step.reason), { exact: true }).locator('visible=true')).toHaveCount(1);
  if (step.literal) await expect(viz.locator('code', { hasText: step.literal }).locator('visible=true')).toHaveCount(1);
  if (step.code) await expect(viz.locator('pre', { hasText: step.code }).locator('visible=true')).toHaveCount(1);
}

/** Makes step `index` the active one with the keyboard (Home, then arrow keys). */
async function moveTo(viz: Locator, index: number): Promise<void> {
  const first = viz.locator('ol[data-steps] > li').first().getByRole('button');
  await first.focus();
  await first.press('Home');
  for (let i = 0; i < index; i++) await viz.locator('ol[data-steps] li[aria-current="step"] button').press('ArrowDown');
  await expect(viz.locator('ol[data-steps] > li').nth(index)).toHaveAttribute('aria-current', 'step');
}

/** Makes the last step (the response sent) the active one, so every panel shows the finished exchange. */
async function toEnd(viz: Locator): Promise<void> {
  const first = viz.locator('ol[data-steps] > li').first().getByRole('button');
  await first.focus();
  await first.press('End');
  await expect(viz.locator('ol[data-steps] > li').last()).toHaveAttribute('aria-current', 'step');
}

async function shoot(page: Page, viz: Locator, name: string, lang: Lang, theme: Theme, project: string): Promise<void> {
  await lookAt(page, `visualizer-${name}-${lang}-${project}-${theme}`, { fullPage: true });
  // Starlight's fixed header would be stitched into the middle of a tall element shot.
  await lookAt(viz, `visualizer-${name}-${lang}-${project}-${theme}-widget`, { style: 'header.header { visibility: hidden; }' });
}

for (const { lang, path } of pages) {
  const t = STRINGS[lang];

  test(`server-rendered trace reads without JavaScript (${lang})`, onOneScreen(`server-rendered trace reads without JavaScript (${lang})`), async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(path);
    const x = last(await expected('read', []));
    const items = page.locator('ol[data-steps] > li');
    await expect(items).toHaveCount(x.steps.length);
    for (const [i, step] of x.steps.entries()) await expect(items.nth(i)).toContainText(summary(t, step.key, step.vars));
    await expect(page.locator('[data-sent-cookie] [data-decoded-json]')).toHaveText(x.sentCookie!.json!);
    await expect(page.locator('[data-decision-why]')).toHaveText(reasonOf(t, x.decision!.why));
    await context.close();
  });

  // Behaviour does not depend on the theme, so each (language, theme) pair runs in one project only: English
  // light and Chinese dark on the wide screen, the other two on the phone. Every pair is still drawn, audited
  // (the tampering test runs axe on the widget) and photographed once.
  for (const theme of themes) {
    const only = { tag: (lang === 'en') === (theme === 'light') ? '@wide-only' : '@phone-only' };
    test(`full request cycle: Set-Cookie, then the cookie comes back and verifies (${lang}, ${theme})`, only, async ({ page }, info) => {
      const viz = await open(page, path, theme);
      await choosePreset(viz, t, 'login');

      // First request: no cookie sent, the session is modified, a Set-Cookie comes back and lands in the jar.
      const first = await expected('login', []);
      const x1 = last(first);
      expect(x1.sentCookie).toBeNull();
      await expect(viz.locator('.viz-history li')).toHaveCount(1);
      await toEnd(viz);
      await expect(viz.locator('[data-decision]')).toHaveAttribute('data-decision', 'set-cookie');
      await expect(viz.locator('[data-decision-why]')).toHaveText(reasonOf(t, x1.decision!.why));
      await expect(viz.locator('[data-set-cookie] [data-decoded-json]')).toHaveText(x1.setCookie!.anatomy!.json!);
      const jarValue = first.snapshot().jar[0]!.value;
      await expect(viz.locator('[data-cookie="session"] [data-cookie-value]')).toHaveText(jarValue);
      await expect(viz.locator('[data-vary]')).toHaveText(`Vary: ${x1.vary[0]!.value}`);

      // Second request: the browser sends the cookie; signature OK, payload decoded, nothing new to set.
      const second = await expected('login', [{ send: '/who' }]);
      const x2 = last(second);
      await send(viz, t, '/who', 2);
      await expect(viz.locator('.viz-http').first()).toContainText(`Cookie: session=${jarValue}`);
      const sig = stepOf(x2, 'signature-checked');
      expect(sig.tone).toBe('ok');
      await stepTo(viz, t, x2, sig.index);
      await expect(viz.locator('.viz-current')).toHaveAttribute('data-tone', 'ok');
      const decoded = stepOf(x2, 'payload-decoded');
      await stepTo(viz, t, x2, decoded.index);
      await expect(viz.locator('.viz-current .viz-code-extra')).toHaveText(decoded.code!);
      await expect(viz.locator('[data-sent-cookie] [data-decoded-json]')).toHaveText(x2.sentCookie!.json!);
      await expect(viz.locator('[data-sent-cookie] [data-signed-at]')).toHaveText(formatTime(x2.sentCookie!.signedAt!));
      // Before the view ran there is no response to show.
      await expect(viz.locator('[data-no-response]')).toHaveText(t.noResponseYet);
      await shoot(page, viz, 'cycle', lang, theme, info.project.name);

      // Prev / Next buttons move the same active step.
      await viz.getByRole('button', { name: t.next }).click();
      await expect(viz.locator('ol[data-steps] > li').nth(decoded.index + 1)).toHaveAttribute('aria-current', 'step');
      await viz.getByRole('button', { name: t.prev }).click();
      await expect(viz.locator('ol[data-steps] > li').nth(decoded.index)).toHaveAttribute('aria-current', 'step');
      await toEnd(viz);
      await expect(viz.locator('[data-body]')).toHaveText(x2.body);
    });

    test(`tampering with the cookie fails the signature check (${lang}, ${theme})`, only, async ({ page }, info) => {
      const viz = await open(page, path, theme);
      await choosePreset(viz, t, 'login');
      const lab = await expected('login', [{ tamper: true }]);
      const note = lab.snapshot().notes[0]!;
      await viz.getByRole('button', { name: t.tamper }).click();
      await expect(viz.locator('[data-note="tampered"]')).toHaveText(fill(t.notes.tampered!, note.vars));
      await expect(viz.locator('[data-cookie-value]')).toHaveText(lab.snapshot().jar[0]!.value);

      await lab.send('/who');
      const x = last(lab);
      await send(viz, t, '/who', 2);
      const sig = stepOf(x, 'signature-checked');
      expect(sig.tone).toBe('bad');
      expect(sig.key).toBe('signature-checked.BadSignature');
      await stepTo(viz, t, x, sig.index);
      await expect(viz.locator('.viz-current')).toHaveAttribute('data-tone', 'bad');
      await expect(viz.locator('[data-current-detail]')).toHaveText(reasonOf(t, sig.reason!));
      await toEnd(viz);
      await expect(viz.locator('[data-body]')).toHaveText(x.body);
      await shoot(page, viz, 'tamper', lang, theme, info.project.name);
      // The re-rendered island (a note, a failed step, a decoded bad cookie) is still accessible.
      const axe = await (await axeOn(page)).include('viz-lab').analyze();
      expect(axe.violations.map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    });

    test(`time travel: a 120 s session expires, a permanent cookie is dropped (${lang}, ${theme})`, only, async ({ page }, info) => {
      const viz = await open(page, path, theme);
      await choosePreset(viz, t, 'expired');
      await viz.getByRole('button', { name: t.resetClock }).click();
      await viz.getByRole('button', { name: t.clear }).click();
      await expect(viz.locator('[data-jar-empty]')).toBeVisible();
      await send(viz, t, '/login', 3);
      await viz.getByRole('button', { name: t.plusHour }).click();
      const lab = await expected('expired', [{ reset: true }, { clear: true }, { send: '/login' }, { advance: 3600 }, { send: '/who' }]);
      await expect(viz.locator('[data-clock]')).toHaveText(formatTime(EPOCH + 3600));
      await send(viz, t, '/who', 4);
      const x = last(lab);
      const sig = stepOf(x, 'signature-checked');
      expect(sig.key).toBe('signature-checked.SignatureExpired');
      await stepTo(viz, t, x, sig.index);
      await expect(viz.locator('[data-current-detail]')).toHaveText(reasonOf(t, sig.reason!));
      const opened = stepOf(x, 'session-opened');
      await expect(viz.locator('ol[data-steps] > li').nth(opened.index)).toContainText(summary(t, opened.key, opened.vars));
      await shoot(page, viz, 'expired', lang, theme, info.project.name);

      // A permanent cookie carries Expires: 31 days on, the browser drops it before Flask ever sees it.
      // Switching preset keeps the page's clock where it is (an hour on); the new scene ends there.
      await choosePreset(viz, t, 'permanent');
      const permanent = await expected('permanent', [{ advance: 31 * 24 * 3600 }], 3600);
      const dropped = permanent.snapshot().notes[0]!;
      expect(dropped.key).toBe('dropped');
      await viz.getByRole('button', { name: t.plus31Days }).click();
      await expect(viz.locator('[data-note="dropped"]')).toHaveText(fill(t.notes.dropped!, dropped.vars));
      await expect(viz.locator('[data-jar-empty]')).toBeVisible();
      await permanent.send('/who');
      await send(viz, t, '/who', 3);
      const cookieRead = stepOf(last(permanent), 'cookie-read');
      await expect(viz.locator('ol[data-steps] > li').nth(cookieRead.index)).toContainText(summary(t, cookieRead.key, cookieRead.vars));
    });

    test(`time travel: a replayed permanent cookie past its lifetime fails with SignatureExpired (${lang}, ${theme})`, only, async ({ page }, info) => {
      const viz = await open(page, path, theme);
      await choosePreset(viz, t, 'permanent');
      const lab = await Lab.open('permanent');
      lab.setKeepExpired(true);
      lab.advance(31 * 24 * 3600);
      lab.advance(3600);
      await viz.getByRole('checkbox', { name: t.keepExpired }).check();
      await viz.getByRole('button', { name: t.plus31Days }).click();
      await viz.getByRole('button', { name: t.plusHour }).click();
      const note = lab.snapshot().notes[0]!;
      expect(note.key).toBe('kept');
      await expect(viz.locator('[data-note="kept"]')).toHaveText(fill(t.notes.kept!, note.vars));
      await expect(viz.locator('[data-cookie="session"] [data-expired]')).toBeVisible();
      await lab.send('/who');
      await send(viz, t, '/who', 3);
      const x = last(lab);
      const sig = stepOf(x, 'signature-checked');
      expect(sig.key).toBe('signature-checked.SignatureExpired');
      await stepTo(viz, t, x, sig.index);
      await expect(viz.locator('[data-current-detail]')).toHaveText(reasonOf(t, sig.reason!));
      await toEnd(viz);
      await expect(viz.locator('[data-body]')).toHaveText(x.body);
      await shoot(page, viz, 'replay', lang, theme, info.project.name);
    });
  }
}

// The lesson widgets: each runs the app its lesson lists, and its panels follow the step.
const lessonPages: { lang: Lang; prefix: string }[] = [
  { lang: 'en', prefix: '' },
  { lang: 'zh-CN', prefix: '/zh-cn' },
];

async function openLesson(page: Page, path: string, theme: Theme = 'light'): Promise<Locator> {
  return open(page, path, theme);
}

for (const { lang, prefix } of lessonPages) {
  const t = STRINGS[lang];

  test(`lesson 1: the cookie experiment computes what the browser sends back (${lang})`, onOneScreen(`lesson 1: the cookie experiment computes what the browser sends back (${lang})`), async ({ page }, info) => {
    const viz = await openLesson(page, `${prefix}/lessons/cookies/`, lang === 'en' ? 'light' : 'dark');
    const lab = await Lab.open('cookies');
    const scene = structuredClone(lab.snapshot());
    const last = scene.history[scene.history.length - 1]!;
    // Server-rendered scene: both cookies went to /docs/intro, in the order the jar computed.
    await expect(viz.locator('.viz-history li')).toHaveCount(scene.history.length);
    await expect(viz.locator('.viz-http').first()).toContainText(`Cookie: ${last.requestHeaders.find(([k]) => k === 'Cookie')![1]}`);
    await expect(viz.locator('[data-document-cookie]')).toHaveText(JSON.stringify(scene.documentCookie));
    await shoot(page, viz, 'cookies', lang, lang === 'en' ? 'light' : 'dark', info.project.name);

    // `/`: the /docs cookie stays behind, and says why.
    const home = await lab.send('/');
    await send(viz, t, '/', scene.history.length + 1);
    for (const c of home.checks) await expect(viz.locator(`[data-check="${c.name}"]`)).toContainText(c.sent ? t.checkSent : t.skip[c.reason!]);

    // Plain http and a form on another site: Secure and SameSite keep cookies home.
    await viz.getByLabel(t.scheme, { exact: true }).selectOption('http');
    await viz.getByLabel(t.requestFrom, { exact: true }).selectOption('cross-site-form');
    await expect(viz).not.toHaveAttribute('aria-busy', 'true');
    lab.setRequestKind('http', 'cross-site-form');
    const post = await lab.send('/docs/intro');
    await send(viz, t, '/docs/intro', scene.history.length + 2);
    await expect(viz.locator('.viz-http').first()).toContainText(`POST /docs/intro HTTP/1.1`);
    for (const c of post.checks) await expect(viz.locator(`[data-check="${c.name}"]`)).toContainText(c.sent ? t.checkSent : t.skip[c.reason!]);
    await toEnd(viz);
    await expect(viz.locator('[data-body]')).toHaveText(post.body);

    // A Secure cookie over http is refused; an example button fills the address bar.
    await viz.getByLabel(t.requestFrom, { exact: true }).selectOption('same-site');
    await expect(viz).not.toHaveAttribute('aria-busy', 'true');
    lab.setRequestKind('http', 'same-site');
    await viz.getByRole('button', { name: '/prefs?theme=dark&secure&samesite=Strict' }).click();
    await expect(viz.getByRole('textbox', { name: t.address })).toHaveValue('/prefs?theme=dark&secure&samesite=Strict');
    const refused = await lab.send('/prefs?theme=dark&secure&samesite=Strict');
    await viz.getByRole('button', { name: t.send }).click();
    await expect(viz.locator('.viz-history li')).toHaveCount(scene.history.length + 3);
    await toEnd(viz);
    const outcome = refused.stored[0]!;
    await expect(viz.locator(`[data-stored="${outcome.name}"]`)).toContainText(`${t.storeActions.rejected} ${t.reject[outcome.reason!]}`);

    // An hour later the one-hour lang cookie is gone.
    lab.advance(3600);
    await viz.getByRole('button', { name: t.plusHour }).click();
    const note = lab.snapshot().notes[0]!;
    await expect(viz.locator('[data-note="dropped"]')).toHaveText(fill(t.notes.dropped!, note.vars));
    await expect(viz.locator('[data-cookie]')).toHaveCount(lab.snapshot().jar.length);
    await shoot(page, viz, 'cookies-after', lang, lang === 'en' ? 'light' : 'dark', info.project.name);
  });

  test(`lesson 2: /cart answers with what the cookie kept, on the lesson's app (${lang})`, onOneScreen(`lesson 2: /cart answers with what the cookie kept, on the lesson's app (${lang})`), async ({ page }, info) => {
    const viz = await openLesson(page, `${prefix}/lessons/session-dict/`);
    await expect(viz.locator('[data-preset-block]:not([hidden]) .viz-python')).toContainText('@app.get("/cart")');
    const broken = await expected('dict-cart-broken', [{ send: '/cart' }]);
    await send(viz, t, '/cart', 3);
    await toEnd(viz);
    const x = last(broken);
    expect(x.status).toBe(200);
    await expect(viz.locator('[data-body]')).toHaveText(x.body);
    await choosePreset(viz, t, 'dict-cart-fixed');
    const fixed = await expected('dict-cart-fixed', [{ send: '/cart' }]);
    await send(viz, t, '/cart', 3);
    await toEnd(viz);
    await expect(viz.locator('[data-body]')).toHaveText(last(fixed).body);
    expect(last(fixed).body).not.toBe(x.body);
    await shoot(page, viz, 'cart', lang, 'light', info.project.name);
  });

  test(`lesson 3: the trace is the listed app's, after_request included, and panels follow the step (${lang})`, onOneScreen(`lesson 3: the trace is the listed app's, after_request included, and panels follow the step (${lang})`), async ({ page }, info) => {
    const viz = await openLesson(page, `${prefix}/lessons/inside-the-cookie/`);
    await expect(viz.locator('.viz-python')).toContainText('def add_header(response):');
    await expect(viz.locator('.viz-python')).toContainText('@app.get("/whoami")');
    // One preset: no selector, its name as a label.
    await expect(viz.getByLabel(t.preset, { exact: true })).toHaveCount(0);
    const lab = await Lab.open('lifecycle');
    const x = last(lab);
    await expect(viz.locator('ol[data-steps] > li[data-type="after-request"]')).toContainText(summary(t, 'after-request', { name: 'add_header' }));
    // Step 1: no response yet; at the view: a response without the header; at add_header: X-Frame-Options.
    const response = viz.locator('.viz-card', { has: page.locator('[data-body]') });
    await moveTo(viz, 0);
    await expect(viz.locator('[data-no-response]')).toBeVisible();
    await moveTo(viz, stepOf(x, 'view-returned').index);
    await expect(response).not.toContainText('X-Frame-Options');
    await expect(response).not.toContainText('Vary: Cookie');
    await moveTo(viz, stepOf(x, 'after-request').index);
    await expect(response).toContainText('X-Frame-Options: DENY');
    await expect(response).not.toContainText('Vary: Cookie');
    await moveTo(viz, stepOf(x, 'vary-added').index);
    await expect(response).toContainText('Vary: Cookie');
    await shoot(page, viz, 'lifecycle', lang, 'light', info.project.name);
  });

  test(`playground: the NullSession preset names each step once (${lang})`, onOneScreen(`playground: the NullSession preset names each step once (${lang})`), async ({ page }) => {
    const viz = await open(page, `${prefix}/playground/`, 'light');
    await choosePreset(viz, t, 'no-secret');
    const x = last(await Lab.open('no-secret'));
    const titles = viz.locator('ol[data-steps] .viz-step-title');
    await expect(titles).toHaveCount(x.steps.length);
    const texts = await titles.allTextContents();
    expect(new Set(texts).size).toBe(texts.length);
    expect(texts.filter((s) => s === t.titles['session-opened'])).toHaveLength(0);
  });

  test(`attacks: two visualizers on one page share one clock (${lang})`, onOneScreen(`attacks: two visualizers on one page share one clock (${lang})`), async ({ page }) => {
    await useTheme(page, 'light');
    await page.goto(`${prefix}/lessons/attacks/`);
    const vizs = page.locator('viz-lab');
    await expect(vizs).toHaveCount(2);
    const [a, b] = [vizs.nth(0), vizs.nth(1)];
    for (const v of [a, b]) {
      await v.scrollIntoViewIfNeeded();
      await expect(v).toHaveAttribute('data-state', 'ready');
      await expect(v.locator('[data-clock]')).toHaveText(formatTime(EPOCH));
    }
    await a.getByRole('button', { name: t.plusDay }).click();
    await expect(b.locator('[data-clock]')).toHaveText(formatTime(EPOCH + 86400));
    await expect(a.locator('[data-clock]')).toHaveText(formatTime(EPOCH + 86400));
    await b.getByRole('button', { name: t.resetClock }).click();
    await expect(a.locator('[data-clock]')).toHaveText(formatTime(EPOCH));
  });
}
