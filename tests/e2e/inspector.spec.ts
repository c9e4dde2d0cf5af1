import { expect, type Page } from '@playwright/test';
import { sortedSessionSerializer } from '../../src/engine/flask/sessions.ts';
import { BadData } from '../../src/engine/itsdangerous/exc.ts';
import { URLSafeTimedSerializer } from '../../src/engine/itsdangerous/url_safe.ts';
import { pyRepr } from '../../src/engine/python/repr.ts';
import { Markup, PyTuple, PyUUID, type PyDict, type PyKey, type PyValue } from '../../src/engine/python/values.ts';
import { axeOn, useTheme, type Theme, test, onOneScreen, lookAt } from './support.ts';
import { signHs256 } from '../../src/engine/jwt.ts';
import { inspectorStrings } from '../../src/i18n/inspector.ts';

// Decode, verify, re-sign, tamper and crack, end to end, in both languages and themes. Every expected
// value is computed here by the engine with the clock the page is given.

const T = Math.floor(Date.now() / 1000);

/** Flask's session serializer, as the engine builds it, with the clock at `now`. */
const flask = (secret: string, now = T) =>
  new URLSafeTimedSerializer(secret, {
    salt: 'cookie-session',
    serializer: sortedSessionSerializer,
    signerKwargs: { keyDerivation: 'hmac', digestMethod: 'sha1', now: () => now },
  });

/** The exception the engine raises when Flask loads `cookie` with `secret` (max_age 31 days). */
function failure(cookie: string, secret: string): string {
  try {
    flask(secret).loads(cookie, 31 * 86400);
  } catch (e) {
    if (e instanceof BadData) return `${e.name}: ${e.message}`;
    throw e;
  }
  throw new Error('expected the cookie to be refused');
}

const session: PyDict = new Map<PyKey, PyValue>([
  ['user', 'José'],
  ['roles', new PyTuple(['admin', 'ops'])],
  ['raw', new Uint8Array([0, 1, 254])],
  ['note', new Markup('<i>hi</i>')],
  ['id', new PyUUID('12345678-1234-5678-1234-567812345678')],
  ['seen', new Date(Date.UTC(2024, 0, 2, 3, 4, 5))],
  ['n', [1, 2.5, null, true]],
]);

const languages = [
  { lang: 'en', path: '/inspector/', cookie: 'Cookie', secret: 'Secret key', json: 'Payload (tagged JSON)', resign: 'Sign with this key', use: 'Inspect this cookie', flip: 'Flip one character', crack: 'Start guessing', file: 'Or load your own wordlist (one key per line)', useFound: 'Use this key', privacy: 'never leave your browser',
    maxAge: 'max_age, in seconds (PERMANENT_SESSION_LIFETIME)', none: /^None: no age check/, fixed: 'A fixed moment', moment: 'Moment (UTC)', real: "The current time (this computer's clock)", checkedDefault: 'Checked at 2023-11-14T23:13:20Z with max_age 2678400 seconds (31 days).', rate: /^3 of [\d,]+ tried(, [\d,]+ guesses per second| in [\d,]+ ms, too short a run to give a rate)$/ },
  { lang: 'zh-CN', path: '/zh-cn/inspector/', cookie: 'Cookie', secret: '密钥', json: '载荷（带标签 JSON）', resign: '用这个密钥签名', use: '检查这个 Cookie', flip: '改动一个字符', crack: '开始猜测', file: '或者载入你自己的字典（每行一个密钥）', useFound: '使用这个密钥', privacy: '不会离开你的浏览器',
    maxAge: 'max_age，单位秒（PERMANENT_SESSION_LIFETIME）', none: /^无：不检查年龄/, fixed: '固定时刻', moment: '时刻（UTC）', real: '当前时间（本机时钟）', checkedDefault: '检查时刻 2023-11-14T23:13:20Z，max_age 为 2678400 秒 (31 天)。', rate: /^已尝试 3 \/ [\d,]+ 个，(每秒 [\d,]+ 次|用时 [\d,]+ 毫秒；运行时间太短，给不出速率)$/ },
] as const;

test.use({ screenshot: 'only-on-failure' });

const verdict = (page: Page) => page.locator('[data-slot="verdict"] [data-verdict]');

for (const l of languages) {
  for (const theme of ['light', 'dark'] as Theme[]) {
    test(`inspector (${l.lang}, ${theme})`, onOneScreen(`inspector (${l.lang}, ${theme})`), async ({ page }, info) => {
      await useTheme(page, theme);
      await page.clock.setFixedTime(T * 1000);
      await page.goto(l.path);
      await expect(page.getByText(l.privacy)).toBeVisible();

      // Readable before any script runs: the example is decoded on the server.
      await expect(page.locator('[data-slot="decoded"] [data-field="json"]')).not.toBeEmpty();

      // Decode.
      const secret = 'correct horse battery staple';
      const cookie = flask(secret).dumps(session);
      const cookieBox = page.getByLabel(l.cookie, { exact: true });
      await cookieBox.fill(`session=${cookie}`);
      const decoded = page.locator('[data-slot="decoded"]');
      await expect(decoded.locator('[data-field="repr"]')).toHaveText(pyRepr(flask(secret).loads(cookie) as PyValue));
      await expect(decoded.locator('[data-field="unix"]')).toHaveText(String(T));
      await expect(decoded.locator('[data-field="iso"]')).toHaveText(new Date(T * 1000).toISOString().replace('.000Z', 'Z'));
      await expect(decoded.locator('.ci-compressed')).toHaveText(cookie.startsWith('.') ? /zlib/ : /base64url/);
      for (const type of ['tuple', 'bytes', 'Markup', 'UUID', 'datetime']) {
        await expect(decoded.locator('.ci-tagged', { hasText: new RegExp(`^${type}$`) }).first()).toBeVisible();
      }
      await expect(verdict(page)).toHaveAttribute('data-verdict', 'no-secret');

      // Verify: the right key, then a wrong one with itsdangerous' exception.
      const secretBox = page.getByLabel(l.secret, { exact: true });
      await secretBox.fill(secret);
      await expect(verdict(page)).toHaveAttribute('data-verdict', 'valid');
      await secretBox.fill('wrong key');
      await expect(verdict(page)).toHaveAttribute('data-verdict', 'mismatch');
      await expect(page.locator('[data-slot="verdict"] .ci-exc')).toHaveText(failure(cookie, 'wrong key'));
      await secretBox.fill(secret);
      await expect(verdict(page)).toHaveAttribute('data-verdict', 'valid');

      // Edit the payload and re-sign: the page must produce the engine's cookie for the edited data.
      const jsonBox = page.getByLabel(l.json, { exact: true });
      const edited = (await jsonBox.inputValue()).replace('"José"', '"admin"').replace('Jos\\u00e9', 'admin');
      expect(edited).toContain('"admin"');
      await jsonBox.fill(edited);
      await page.getByRole('button', { name: l.resign }).click();
      const editedData = sortedSessionSerializer.loads(new TextEncoder().encode(edited)) as PyValue;
      const expected = flask(secret).dumps(editedData);
      await expect(page.locator('[data-field="resigned"]')).toHaveText(expected);
      await page.getByRole('button', { name: l.use }).click();
      await expect(cookieBox).toHaveValue(expected);
      await expect(verdict(page)).toHaveAttribute('data-verdict', 'valid');
      await expect(decoded.locator('[data-field="repr"]')).toHaveText(pyRepr(editedData));

      // Flip one character: the signature no longer matches, with the engine's message.
      await page.getByRole('button', { name: l.flip }).click();
      const flipped = await cookieBox.inputValue();
      expect(flipped).not.toBe(expected);
      expect(flipped.length).toBe(expected.length);
      await expect(verdict(page)).toHaveAttribute('data-verdict', 'mismatch');
      await expect(page.locator('[data-slot="verdict"] .ci-exc')).toHaveText(failure(flipped, secret));

      // Crack a weak key from the built-in list, in a worker, with a progress bar.
      const weak = flask('GuHanZhe').dumps(new Map([['user_id', 7]]));
      await cookieBox.fill(weak);
      await secretBox.fill('');
      await page.getByRole('button', { name: l.crack }).click();
      await expect(page.locator('[data-field="found"]')).toHaveText('GuHanZhe');
      const progress = page.getByRole('progressbar');
      await expect(progress).toHaveAttribute('aria-valuetext', /^\d+ \/ \d+$/);
      // The run found the key at the third line: the report covers the whole run, and a run this short gives
      // its count and time rather than a rate (which rule applies is up to the machine, so both forms match).
      await expect(page.locator('[data-slot="rate"]')).toHaveText(l.rate);
      await page.getByRole('button', { name: l.useFound }).click();
      await expect(secretBox).toHaveValue('GuHanZhe');
      await expect(verdict(page)).toHaveAttribute('data-verdict', 'valid');

      // Crack from a wordlist the learner loads.
      const own = flask('not-in-any-list-42').dumps(new Map([['a', 1]]));
      await cookieBox.fill(own);
      // A key found for the previous cookie is cleared once the cookie changes.
      await expect(page.locator('[data-field="found"]')).toHaveCount(0);
      await page.getByLabel(l.file, { exact: true }).setInputFiles({
        name: 'mine.txt',
        mimeType: 'text/plain',
        buffer: Buffer.from(['alpha', 'beta', 'not-in-any-list-42', 'gamma'].join('\n')),
      });
      await page.getByRole('button', { name: l.crack }).click();
      await expect(page.locator('[data-field="found"]')).toHaveText('not-in-any-list-42');
      await expect(progress).toHaveAttribute('aria-valuetext', '3 / 4');

      // Every state drawn above (valid, invalid, found) still passes axe in this theme.
      const axe = await (await axeOn(page)).include('cookie-inspector').analyze();
      expect(axe.violations.map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);

      await lookAt(page, `inspector-${l.lang}-${info.project.name}-${theme}`, { fullPage: true });
    });
  }

  test(`the verdict follows max_age and the moment checked (${l.lang})`, onOneScreen(`the verdict follows max_age and the moment checked (${l.lang})`), async ({ page }, info) => {
    await page.clock.setFixedTime(T * 1000);
    await page.goto(l.path);
    const secretBox = page.getByLabel(l.secret, { exact: true });
    const maxAge = page.getByLabel(l.maxAge, { exact: true });
    const none = page.getByRole('checkbox', { name: l.none });
    const fixed = page.getByRole('radio', { name: l.fixed, exact: true });
    const real = page.getByRole('radio', { name: l.real, exact: true });
    const moment = page.getByLabel(l.moment, { exact: true });
    const checked = page.locator('[data-slot="verdict"] [data-field="checked"]');
    await expect(maxAge).toHaveValue('2678400');
    await expect(none).not.toBeChecked();
    await expect(fixed).toBeChecked();
    await expect(moment).toHaveValue('2023-11-14T23:13:20');

    // The built-in example with its key: valid (it used to show "expired" in red on the real clock).
    await secretBox.fill('GuHanZhe');
    await expect(verdict(page)).toHaveAttribute('data-verdict', 'valid');
    await expect(checked).toHaveText(l.checkedDefault);
    await expect(page.locator('[data-slot="verdict"] [data-field="expires"]')).toHaveText('2023-12-15T22:13:20Z');

    // max_age: an hour after signing, 60 seconds is too short; 3600 is exactly enough; none never expires.
    await maxAge.fill('60');
    await expect(verdict(page)).toHaveAttribute('data-verdict', 'expired');
    await expect(page.locator('[data-slot="verdict"] .ci-exc')).toHaveText('SignatureExpired: Signature age 3600 > 60 seconds');
    await maxAge.fill('3600');
    await expect(verdict(page)).toHaveAttribute('data-verdict', 'valid');
    await maxAge.fill('abc');
    await expect(page.locator('[data-slot="maxage-error"]')).toBeVisible();
    await expect(maxAge).toHaveAttribute('aria-invalid', 'true');
    await maxAge.fill('60');
    await none.check();
    await expect(maxAge).toBeDisabled();
    await expect(verdict(page)).toHaveAttribute('data-verdict', 'valid');
    await expect(page.locator('[data-slot="verdict"] [data-field="expires"]')).toHaveCount(0);
    await none.uncheck();
    await expect(verdict(page)).toHaveAttribute('data-verdict', 'expired');
    await maxAge.fill('2678400');

    // The moment: before the signature, the cookie comes from the future; the real clock (fixed by the test to
    // ${new Date(T * 1000).getUTCFullYear()}) is years past the example's 31 days.
    await moment.fill('2023-11-14T22:00:00');
    await expect(verdict(page)).toHaveAttribute('data-verdict', 'future');
    await real.check();
    await expect(verdict(page)).toHaveAttribute('data-verdict', T - 1700000000 > 2678400 ? 'expired' : 'valid');
    await expect(checked).toContainText(new Date(T * 1000).toISOString().replace('.000Z', 'Z'));
    await fixed.check();
    await moment.fill('2023-11-14T23:13:20');
    await expect(verdict(page)).toHaveAttribute('data-verdict', 'valid');

    // Re-signing uses the moment checked, so the re-signed cookie is valid on the same clock.
    await page.getByRole('button', { name: l.resign }).click();
    await page.getByRole('button', { name: l.use }).click();
    await expect(verdict(page)).toHaveAttribute('data-verdict', 'valid');
    await expect(page.locator('[data-slot="decoded"] [data-field="unix"]')).toHaveText('1700003600');

    // A cookie of the reader's own, signed now, is checked at the current time unless they picked a clock.
    await page.reload();
    const own = flask('k').dumps(new Map([['a', 1]]));
    await page.getByLabel(l.cookie, { exact: true }).fill(own);
    await secretBox.fill('k');
    await expect(real).toBeChecked();
    await expect(verdict(page)).toHaveAttribute('data-verdict', 'valid');

    const axe = await (await axeOn(page)).include('cookie-inspector').analyze();
    expect(axe.violations.map((v) => `${v.impact} ${v.id}`)).toEqual([]);
    await page.locator('.ci-clock').scrollIntoViewIfNeeded();
    await lookAt(page, `inspector-clock-${l.lang}-${info.project.name}`);
  });

  test(`inspector is keyboard operable (${l.lang})`, onOneScreen(`inspector is keyboard operable (${l.lang})`), async ({ page }) => {
    await page.goto(l.path);
    const secret = 'k';
    const cookie = flask(secret).dumps(new Map([['a', 1]]));
    await page.getByLabel(l.cookie, { exact: true }).focus();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.insertText(cookie);
    await page.keyboard.press('Tab');
    await expect(page.getByLabel(l.secret, { exact: true })).toBeFocused();
    await page.keyboard.insertText(secret);
    await expect(verdict(page)).toHaveAttribute('data-verdict', 'valid');
    await page.keyboard.press('Tab');
    await expect(page.getByRole('button', { name: l.flip })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(verdict(page)).toHaveAttribute('data-verdict', 'mismatch');
  });
}

test('the inspector page loads no engine code until it is touched', onOneScreen('the inspector page loads no engine code until it is touched'), async ({ page }) => {
  const scripts: string[] = [];
  page.on('request', (r) => {
    if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname);
  });
  await page.goto('/inspector/');
  await page.waitForLoadState('networkidle');
  expect(scripts.filter((s) => /controller|url_safe|crack/.test(s))).toEqual([]);
  await page.getByLabel('Secret key', { exact: true }).focus();
  await expect.poll(() => scripts.some((s) => s.includes('controller'))).toBe(true);
});

// A JSON Web Token pasted into the inspector is named as another format, decoded, verified as HS256 and cracked.
for (const l of languages) {
  // English on the wide page, Chinese on the phone: each language and each layout once.
  test(`a JWT is labelled, verified and cracked (${l.lang})`, { tag: l.lang === 'en' ? '@wide-only' : '@phone-only' }, async ({ page }) => {
    const strings = inspectorStrings[l.lang === 'en' ? 'en' : 'zh-cn'].jwt;
    await page.goto(l.path);
    const token = signHs256(`{"user_id":42,"exp":${Math.floor(Date.now() / 1000) + 86400}}`, 'dev');
    await page.getByLabel(l.cookie, { exact: true }).fill(token);
    await page.getByLabel(l.secret, { exact: true }).fill('');
    await expect(page.locator('[data-field="jwt-notice"]')).toHaveText(strings.notice);
    await expect(page.locator('[data-field="jwt-payload"]')).toHaveText(/"user_id":42/);
    await expect(verdict(page)).toHaveAttribute('data-verdict', 'jwt-no-secret');
    await page.getByRole('button', { name: l.crack }).click();
    await expect(page.locator('[data-field="found"]')).toHaveText('dev');
    await page.getByRole('button', { name: l.useFound }).click();
    await expect(verdict(page)).toHaveAttribute('data-verdict', 'jwt-valid');
    await page.getByLabel(l.secret, { exact: true }).fill('wrong');
    await expect(verdict(page)).toHaveAttribute('data-verdict', 'jwt-bad-signature');
  });
}
