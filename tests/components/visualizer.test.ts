import { describe, expect, it } from 'vitest';
import { Lab, opExpression, stepView } from '../../src/components/visualizer/model.ts';
import { PLAYGROUND_PRESETS, PRESETS, PRESET_IDS, SESSION_DICT_APP, SHORT_LIFETIME, isPresetId, matchRoute, type PresetId } from '../../src/components/visualizer/presets.ts';
import { PAGE_EPOCH, createClock } from '../../src/components/page-clock.ts';
import { readFileSync } from 'node:fs';
import { LANGS, STRINGS, duration, fill, reasonOf, summary, toLang } from '../../src/components/visualizer/i18n.ts';
import { REASONS_ZH } from '../../src/components/visualizer/reasons-zh.ts';
import { REASONS_EN, reason, reasonText } from '../../src/engine/flask/reasons.ts';
import { decodeCookie, flipCharacter } from '../../src/components/visualizer/cookie.ts';
import { esc, renderAnatomy, renderHistory, renderJar, renderTrace, statusText, stepTitle } from '../../src/components/visualizer/render.ts';
import { CookieJar, LAX_ALLOWING_UNSAFE_AGE, MAX_AGE_CAP, defaultPath, parseCookieDate, pathMatches, type Initiator, type RequestContext } from '../../src/components/visualizer/jar.ts';
import { stepForKey, withExchange, withStep } from '../../src/components/visualizer/controller.ts';
import { EPOCH, formatTime, type ExchangeView, type LabState, type ResponseState, type StepView } from '../../src/components/visualizer/types.ts';
import { Flask } from '../../src/engine/flask/app.ts';
import { URLSafeTimedSerializer } from '../../src/engine/itsdangerous/url_safe.ts';
import { sortedSessionSerializer } from '../../src/engine/flask/sessions.ts';
import { PyTuple } from '../../src/engine/python/values.ts';

// The visualizer's pure logic: presets → trace steps → what is shown. Expected cookies and traces come
// from the engine itself (an app built here, or itsdangerous directly), never from typed-in tokens.

/** The Python a preset shows, as Visualizer.astro resolves it (an example file is shown up to `until`). */
function listing(id: PresetId): string {
  const python = PRESETS[id].python;
  if (typeof python === 'string') return python;
  const text = readFileSync(new URL(`../../examples/python/${python.file}`, import.meta.url), 'utf8');
  const end = python.until ? text.indexOf(python.until) : -1;
  return end === -1 ? text : text.slice(0, end);
}

const shown = (lab: Lab): ExchangeView => lab.snapshot().history[lab.snapshot().selected]!;
const types = (x: ExchangeView) => x.steps.map((s) => s.type);

/** The session cookie a plain engine app sets for `/login`, to compare with what the lab's jar holds. */
async function engineLoginCookie(now: number): Promise<string> {
  const app = new Flask({ config: { SECRET_KEY: 'dev' }, now: () => now });
  app.route('/login', ({ session }) => {
    session.set('user', 'alice');
    return 'ok';
  });
  const client = app.testClient();
  await client.get('/login');
  return client.jar.get('session')!.value;
}

describe('presets', () => {
  it('every preset id has a preset whose scenario ends with a request', () => {
    expect(Object.keys(PRESETS).sort()).toEqual([...PRESET_IDS].sort());
    for (const id of PRESET_IDS) {
      const scenario = PRESETS[id].scenario;
      expect(scenario.length, id).toBeGreaterThan(0);
      expect('send' in scenario[scenario.length - 1]!, id).toBe(true);
    }
    expect(isPresetId('login')).toBe(true);
    expect(isPresetId('nope')).toBe(false);
  });

  it('each preset runs exactly the routes and hooks its Python listing shows', () => {
    for (const id of PRESET_IDS) {
      const python = listing(id);
      const { app } = PRESETS[id];
      // Every rule the listing declares, with its endpoint (the function below the decorators).
      const declared = [...python.matchAll(/@app\.(?:route|get)\("([^"]+)"[^)]*\)\n(?:@app\.(?:route|get)\("[^"]+"[^)]*\)\n)*def (\w+)/g)].map((m) => m[2]);
      const rules = [...python.matchAll(/@app\.(?:route|get)\("([^"]+)"/g)].map((m) => m[1]);
      expect(app.routes.map((r) => r.rule).sort(), id).toEqual([...rules].sort());
      for (const r of app.routes) expect(declared, `${id} ${r.rule}`).toContain(r.endpoint);
      const hooks = [...python.matchAll(/@app\.after_request\ndef (\w+)/g)].map((m) => m[1]);
      expect((app.after ?? []).map((h) => h.name), id).toEqual(hooks);
      // And every request the scene sends reaches one of them.
      for (const a of PRESETS[id].scenario) if ('send' in a) expect(matchRoute(app, a.send.split('?')[0]!), `${id} ${a.send}`).not.toBeNull();
    }
  });

  it('the Python config matches the engine config of each preset', () => {
    expect(listing('no-secret')).not.toContain('secret_key =');
    expect(PRESETS['no-secret'].app.config.SECRET_KEY).toBeNull();
    expect(listing('expired')).toContain(`PERMANENT_SESSION_LIFETIME"] = ${SHORT_LIFETIME}`);
    expect(PRESETS.expired.app.config.PERMANENT_SESSION_LIFETIME).toBe(SHORT_LIFETIME);
    for (const id of PLAYGROUND_PRESETS.filter((p) => p !== 'no-secret')) expect(listing(id)).toContain('app.secret_key = "dev"');
    expect(listing('dict-cart-broken')).toContain(`app.config["SECRET_KEY"] = "${PRESETS['dict-cart-broken'].app.config.SECRET_KEY}"`);
    expect(listing('dict-cart-broken')).toContain('timedelta(hours=2)');
    expect(PRESETS['dict-cart-broken'].app.config.PERMANENT_SESSION_LIFETIME).toBe(7200);
    expect(listing('lifecycle')).toContain(`app.config["SECRET_KEY"] = "${PRESETS.lifecycle.app.config.SECRET_KEY}"`);
    expect(listing('cookies')).not.toMatch(/secret_key|SECRET_KEY/);
    expect(PRESETS.cookies.app.config.SECRET_KEY).toBeUndefined();
  });

  it('Werkzeug rules match as the router does: string segments stop at a slash, path segments do not', () => {
    expect(matchRoute(SESSION_DICT_APP, '/cart/add/kiwi')!.args).toEqual({ item: 'kiwi' });
    expect(matchRoute(SESSION_DICT_APP, '/cart/add/a/b')).toBeNull();
    expect(matchRoute(SESSION_DICT_APP, '/login/bob')!.route.endpoint).toBe('login');
    expect(matchRoute(PRESETS.cookies.app, '/docs/a/b')!.args).toEqual({ page: 'a/b' });
    expect(matchRoute(PRESETS.cookies.app, '/docs/')).toBeNull();
  });
});

describe('trace steps per preset', () => {
  it('login: no cookie in, session modified, Set-Cookie out with the engine’s token', async () => {
    const lab = await Lab.open('login');
    const x = shown(lab);
    expect(types(x)).toEqual(['request-received', 'context-pushed', 'cookie-read', 'session-opened', 'session-op', 'view-returned', 'vary-added', 'save-decision', 'set-cookie-built', 'response-sent']);
    expect(x.steps.find((s) => s.type === 'session-op')!.code).toBe("session['user'] = 'alice'");
    expect(x.steps.find((s) => s.type === 'session-op')!.key).toBe('session-op.modifies');
    const token = await engineLoginCookie(EPOCH);
    expect(lab.snapshot().jar.map((c) => [c.name, c.value, c.expires, c.path, c.httpOnly, c.secure, c.sameSite])).toEqual([['session', token, null, '/', true, false, 'Default']]);
    expect(x.setCookie!.header.startsWith(`session=${token};`)).toBe(true);
    expect(x.decision!.key).toBe('save-decision.set-cookie.modified');
    expect(x.vary.map((v) => v.value)).toEqual(['Cookie']);
  });

  it('read: the cookie comes back, the signature verifies and the payload decodes to what was signed', async () => {
    const x = shown(await Lab.open('read'));
    expect(types(x)).toContain('signature-checked');
    const sig = x.steps.find((s) => s.type === 'signature-checked')!;
    expect(sig.tone).toBe('ok');
    const decoded = x.steps.find((s) => s.type === 'payload-decoded')!;
    const serializer = new URLSafeTimedSerializer('dev', { salt: 'cookie-session', serializer: sortedSessionSerializer, signerKwargs: { keyDerivation: 'hmac', digestMethod: 'sha1' } });
    const token = x.sentCookie!.value;
    expect(decoded.code).toBe(sortedSessionSerializer.dumps(serializer.loadsUnsafe(token)[1] as never));
    expect(x.sentCookie!.json).toBe(decoded.code);
    expect(x.sentCookie!.signedAt).toBe(EPOCH);
    expect(x.decision!.key).toBe('save-decision.skip.unchanged');
    expect(x.setCookie).toBeNull();
    expect(x.body).toBe('Hello, alice');
  });

  it('permanent: a day later the unchanged session is re-signed with a later Expires', async () => {
    const lab = await Lab.open('permanent');
    const x = shown(lab);
    expect(x.decision!.key).toBe('save-decision.set-cookie.refresh');
    // The scene ends at the page clock's now: the login happened a day earlier.
    expect(lab.snapshot().history.map((h) => h.at)).toEqual([EPOCH - 24 * 3600, EPOCH]);
    expect(lab.snapshot().offset).toBe(0);
    const jar = lab.snapshot().jar[0]!;
    expect(jar.expires).toBe(EPOCH + 31 * 24 * 3600);
    expect(decodeCookie(jar.value).signedAt).toBe(EPOCH);
    // 31 more days: the browser drops the cookie itself, so the next request carries none.
    lab.advance(31 * 24 * 3600);
    expect(lab.snapshot().notes).toEqual([{ key: 'dropped', vars: { name: 'session', expires: formatTime(jar.expires!) } }]);
    expect(lab.snapshot().jar).toEqual([]);
    const next = await lab.send('/who');
    expect(next.steps.find((s) => s.type === 'cookie-read')!.key).toBe('cookie-read.none');
  });

  it('permanent, replayed: a browser that ignores Expires gets SignatureExpired once the lifetime has passed', async () => {
    const lab = await Lab.open('permanent');
    const signedAt = decodeCookie(lab.snapshot().jar[0]!.value).signedAt!;
    lab.setKeepExpired(true);
    lab.advance(31 * 24 * 3600);
    expect(lab.snapshot().notes.map((n) => n.key)).toEqual(['kept']);
    expect(lab.snapshot().jar.length).toBe(1);
    // Exactly the lifetime old: still accepted (itsdangerous refuses only age > max_age), and re-signed.
    expect(lab.now - signedAt).toBe(31 * 24 * 3600);
    const edge = await lab.send('/who');
    expect(edge.steps.find((s) => s.type === 'signature-checked')!.tone).toBe('ok');
    // Replay the same token one second past its lifetime (a fresh page and scene, so it was not re-signed).
    const old = edge.sentCookie!.value;
    const again = await Lab.open('permanent');
    again.setKeepExpired(true);
    again.advance(31 * 24 * 3600 + 1);
    const late = await again.send('/who');
    expect(late.sentCookie!.value).toBe(old);
    const sig = late.steps.find((s) => s.type === 'signature-checked')!;
    expect(sig.key).toBe('signature-checked.SignatureExpired');
    expect(sig.literal).toContain(`Signature age ${31 * 24 * 3600 + 1} > ${31 * 24 * 3600} seconds`);
    again.setKeepExpired(false);
    expect(again.snapshot().notes.map((n) => n.key)).toEqual(['dropped']);
    expect(again.snapshot().jar).toEqual([]);
  });

  it('logout: clear() deletes the cookie and the jar empties', async () => {
    const lab = await Lab.open('logout');
    const x = shown(lab);
    expect(x.decision!.key).toBe('save-decision.delete-cookie');
    expect(x.setCookie!.deletes).toBe(true);
    expect(x.setCookie!.anatomy).toBeNull();
    expect(lab.snapshot().jar).toEqual([]);
  });

  it('cart trap: setdefault of an existing key and the append do not modify, so the cookie keeps one item', async () => {
    const lab = await Lab.open('cart-trap');
    const x = shown(lab);
    const op = x.steps.find((s) => s.type === 'session-op')!;
    // Snapshotted when emitted: the list is shown as it was passed, not as the view later changed it.
    expect(op.code).toBe("session.setdefault('cart', [])");
    expect(op.key).toBe('session-op.reads');
    expect(x.decision!.key).toBe('save-decision.skip.unchanged');
    expect(x.body).toBe("cart = ['apple', 'pear']");
    expect(decodeCookie(lab.snapshot().jar[0]!.value).json).toBe('{"cart":["apple"]}');
  });

  it('cart fixed: session.modified = True writes both items', async () => {
    const lab = await Lab.open('cart-fixed');
    const x = shown(lab);
    expect(x.steps.filter((s) => s.type === 'session-op').map((s) => s.code)).toEqual(["session.setdefault('cart', [])", 'session.modified = True']);
    expect(x.decision!.key).toBe('save-decision.set-cookie.modified');
    expect(decodeCookie(lab.snapshot().jar[0]!.value).json).toBe('{"cart":["apple","pear"]}');
  });

  it('no secret key: a NullSession, the write raises RuntimeError, a 500 and nothing saved', async () => {
    const lab = await Lab.open('no-secret');
    const x = shown(lab);
    expect(x.status).toBe(500);
    expect(x.statusLine).toBe('500 INTERNAL SERVER ERROR');
    expect(x.steps.some((s) => s.key === 'session-opened.null')).toBe(true);
    const err = x.steps.find((s) => s.type === 'view-error')!;
    expect(err.vars.error).toBe('RuntimeError');
    expect(err.literal).toContain('no secret key was set.  Set the secret_key');
    expect(x.decision!.key).toBe('save-decision.skip.null');
    expect(lab.snapshot().jar).toEqual([]);
  });

  it('tampered: the flipped cookie fails with a mismatch and the session starts empty', async () => {
    const x = shown(await Lab.open('tampered'));
    const sig = x.steps.find((s) => s.type === 'signature-checked')!;
    expect(sig.tone).toBe('bad');
    expect(sig.key).toBe('signature-checked.BadSignature');
    expect(sig.literal).toMatch(/does not match/);
    expect(sig.reason).toEqual({ code: 'signature.mismatch', params: {} });
    expect(x.steps.find((s) => s.type === 'session-opened')!.key).toBe('session-opened.new');
    expect(x.body).toBe('Hello, stranger');
    const good = await engineLoginCookie(EPOCH);
    expect(x.sentCookie!.value).toBe(flipCharacter(good).value);
  });

  it('expired: an hour after login the 120 s cookie is refused with SignatureExpired', async () => {
    const lab = await Lab.open('expired');
    const x = shown(lab);
    const sig = x.steps.find((s) => s.type === 'signature-checked')!;
    expect(sig.key).toBe('signature-checked.SignatureExpired');
    expect(sig.literal).toContain(`> ${SHORT_LIFETIME} seconds`);
    expect(sig.reason).toEqual({ code: 'signature.expired', params: { maxAge: SHORT_LIFETIME } });
    // The login was an hour before the page's now.
    expect(lab.snapshot().history.map((h) => h.at)).toEqual([EPOCH - 3600, EPOCH]);
    // A fresh login: exactly the lifetime later the cookie still verifies, one second more and it does not.
    lab.clearCookies();
    await lab.send('/login');
    lab.advance(SHORT_LIFETIME);
    const edge = await lab.send('/who');
    expect(edge.steps.find((s) => s.type === 'signature-checked')!.tone).toBe('ok');
    lab.advance(1);
    const late = await lab.send('/who');
    expect(late.steps.find((s) => s.type === 'signature-checked')!.key).toBe('signature-checked.SignatureExpired');
  });
});

describe('browser actions', () => {
  it('tamper without a cookie says so and changes nothing', async () => {
    const lab = await Lab.open('logout');
    expect(lab.tamper()).toBe(false);
    expect(lab.snapshot().notes[0]!.key).toBe('nothing-to-tamper');
  });

  it('selecting a preset resets the jar and the history, and keeps the page clock', async () => {
    const lab = await Lab.open('expired');
    lab.advance(60);
    await lab.selectPreset('login');
    const s = lab.snapshot();
    expect(s.now).toBe(EPOCH + 60);
    expect(s.history[0]!.at).toBe(EPOCH + 60);
    expect(s.history.length).toBe(1);
    expect(s.path).toBe('/login');
  });

  it('a path without a leading slash is fixed, an unknown path is a 404 that touches no session', async () => {
    const lab = await Lab.open('login');
    const x = await lab.send('nowhere');
    expect(x.url).toBe('/nowhere');
    expect(x.status).toBe(404);
    expect(x.vary).toEqual([]);
  });
});

describe('cookie anatomy', () => {
  it('splits a token into payload, timestamp and signature and decodes each', async () => {
    const token = await engineLoginCookie(EPOCH + 5);
    const a = decodeCookie(token);
    expect([a.payload, a.timestamp, a.signature].join('.')).toBe(token);
    expect(a.json).toBe('{"user":"alice"}');
    expect(a.signedAt).toBe(EPOCH + 5);
    expect(a.signatureBytes).toBe(20);
    expect(a.compressed).toBe(false);
  });

  it('decodes a compressed token (leading dot)', () => {
    const s = new URLSafeTimedSerializer('dev', { salt: 'cookie-session', serializer: sortedSessionSerializer, signerKwargs: { keyDerivation: 'hmac', digestMethod: 'sha1', now: () => EPOCH } });
    const data = new Map([['items', Array.from({ length: 40 }, () => 'same')]]);
    const token = s.dumps(data);
    expect(token.startsWith('.')).toBe(true);
    const a = decodeCookie(token);
    expect(a.compressed).toBe(true);
    expect(a.json).toBe(sortedSessionSerializer.dumps(data));
    expect(a.signedAt).toBe(EPOCH);
  });

  it('never throws on garbage', () => {
    for (const v of ['', '.', 'abc', '!!.??.**', '.eJ.x.y']) {
      const a = decodeCookie(v);
      expect(a.value).toBe(v);
    }
    expect(decodeCookie('!!.??.**').signedAt).toBeNull();
  });

  it('flipCharacter changes exactly one payload character', () => {
    const token = 'eyJ1c2VyIjoiYWxpY2UifQ.ZVPxAA.sig';
    const f = flipCharacter(token);
    expect(f.value.length).toBe(token.length);
    expect([...token].filter((c, i) => c !== f.value[i]).length).toBe(1);
    expect(f.position).toBeLessThan(token.indexOf('.'));
    expect(token[f.position]).toBe(f.from);
    expect(f.value[f.position]).toBe(f.to);
  });
});

describe('translations and rendering', () => {
  it('both languages have the same keys, and every step key the presets produce has a summary', async () => {
    const en = STRINGS.en;
    const zh = STRINGS['zh-CN'];
    expect(Object.keys(zh.summaries).sort()).toEqual(Object.keys(en.summaries).sort());
    expect(Object.keys(zh.titles).sort()).toEqual(Object.keys(en.titles).sort());
    expect(Object.keys(zh.notes).sort()).toEqual(Object.keys(en.notes).sort());
    expect(Object.keys(zh.presets).sort()).toEqual([...PRESET_IDS].sort());
    for (const id of PRESET_IDS) {
      for (const x of (await Lab.open(id)).snapshot().history) {
        for (const s of x.steps) {
          for (const lang of LANGS) {
            expect(STRINGS[lang].summaries[s.key], `${lang} ${s.key}`).toBeDefined();
            expect(STRINGS[lang].titles[s.type], `${lang} ${s.type}`).toBeDefined();
            expect(summary(STRINGS[lang], s.key, s.vars), `${lang} ${s.key}`).not.toMatch(/\{\w+\}/);
          }
        }
      }
    }
  });

  it('Chinese pages get the summary and the engine’s reason in Chinese; only the exception line stays as Python wrote it', async () => {
    const x = shown(await Lab.open('expired'));
    const sig = x.steps.find((s) => s.type === 'signature-checked')!;
    const html = renderTrace(STRINGS['zh-CN'], { ...(await Lab.open('expired')).snapshot(), step: x.steps.indexOf(sig) }, 'v');
    expect(html).toContain('SignatureExpired：签名本身没问题');
    expect(html).toContain(esc(reasonOf(STRINGS['zh-CN'], sig.reason!)));
    expect(html).toContain('max_age 拒绝接受');
    expect(html).not.toContain(esc(reasonText(sig.reason!)));
    expect(html).not.toContain('引擎原文');
    expect(html).toContain(`<code lang="en">${esc(sig.literal!)}</code>`);
  });

  it('renders every reason of every preset in both languages, English as the engine’s own text', async () => {
    let n = 0;
    for (const id of PRESET_IDS) {
      const lab = await Lab.open(id);
      for (const x of lab.snapshot().history) {
        const reasons = [...x.steps.flatMap((s) => (s.reason ? [s.reason] : [])), ...(x.decision ? [x.decision.why] : []), ...x.vary.map((v) => v.why)];
        for (const r of reasons) {
          n++;
          expect(reasonOf(STRINGS.en, r)).toBe(reasonText(r));
          const zh = reasonOf(STRINGS['zh-CN'], r);
          expect(zh, r.code).toMatch(/[\u4e00-\u9fff]/);
          expect(zh, r.code).not.toMatch(/ [,.;:]|[\u4e00-\u9fff] [\u4e00-\u9fff]/);
        }
      }
    }
    expect(n).toBeGreaterThan(20);
    expect(Object.keys(REASONS_ZH).sort()).toEqual(Object.keys(REASONS_EN).sort());
  });

  it('marks exactly one step as current and only that one tabbable', async () => {
    const state = { ...(await Lab.open('read')).snapshot(), step: 3 };
    const html = renderTrace(STRINGS.en, state, 'v');
    expect(html.match(/aria-current="step"/g)!.length).toBe(1);
    expect(html.match(/tabindex="0"/g)!.length).toBe(1);
    expect(html).toMatch(/<li[^>]*aria-current="step"><button type="button" data-step="3"/);
    expect(statusText(STRINGS.en, state)).toBe(`${fill(STRINGS.en.stepOf, { n: '4', total: String(state.history[state.selected]!.steps.length), title: 'Signature checked' })}. ${STRINGS.en.summaries['signature-checked.ok']}`);
  });

  it('escapes everything that comes from a request', async () => {
    const lab = await Lab.open('login');
    await lab.send('/<script>alert(1)</script>');
    const s = lab.snapshot();
    const html = renderTrace(STRINGS.en, s, 'v') + renderHistory(STRINGS.en, s);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&#60;script&#62;');
  });

  it('renders the anatomy in three coloured parts and the jar as a table', async () => {
    const token = await engineLoginCookie(EPOCH);
    const html = renderAnatomy(STRINGS.en, decodeCookie(token));
    for (const part of ['viz-payload', 'viz-timestamp', 'viz-signature']) expect(html).toContain(`viz-part ${part}`);
    expect(html).toContain(esc('{"user":"alice"}'));
    const jar = renderJar(STRINGS.en, (await Lab.open('login')).snapshot());
    expect(jar).toContain(token);
    expect(jar).toContain(STRINGS.en.untilClose);
  });

  it('formats durations and languages', () => {
    expect(duration(STRINGS.en, 0)).toBe('0 s');
    expect(duration(STRINGS.en, 32 * 86400 + 3600)).toBe('32 d 1 h');
    expect(duration(STRINGS['zh-CN'], 86400 + 120)).toBe('1 天 2 分');
    expect(toLang('zh-cn')).toBe('zh-CN');
    expect(toLang(undefined)).toBe('en');
    expect(formatTime(EPOCH)).toBe('2023-11-14 22:13:20 UTC');
  });
});

describe('stepping', () => {
  it('clamps steps and switches exchanges', async () => {
    const s = (await Lab.open('read')).snapshot();
    const n = s.history[s.selected]!.steps.length;
    expect(withStep(s, 99).step).toBe(n - 1);
    expect(withStep(s, -3).step).toBe(0);
    expect(withExchange(s, 0)).toMatchObject({ selected: 0, step: 0 });
    expect(withExchange(s, 9)).toBe(s);
  });

  it('maps arrow keys, Home and End', () => {
    expect(stepForKey('ArrowDown', 2, 10)).toBe(3);
    expect(stepForKey('ArrowRight', 9, 10)).toBe(9);
    expect(stepForKey('ArrowUp', 0, 10)).toBe(0);
    expect(stepForKey('ArrowLeft', 5, 10)).toBe(4);
    expect(stepForKey('Home', 5, 10)).toBe(0);
    expect(stepForKey('End', 5, 10)).toBe(9);
    expect(stepForKey('a', 5, 10)).toBeNull();
  });
});

describe('stepView', () => {
  it('writes session operations as the Python a view would contain', () => {
    expect(opExpression('get', 'user', undefined, 'alice')).toBe("session.get('user')  → 'alice'");
    expect(opExpression('delitem', 'user', undefined, undefined)).toBe("del session['user']");
    expect(opExpression('contains', 'user', undefined, false)).toBe("'user' in session  → False");
    expect(opExpression('setitem', 't', new PyTuple([1, 2]), undefined)).toBe("session['t'] = (1, 2)");
    expect(opExpression('clear', undefined, undefined, undefined)).toBe('session.clear()');
  });

  it('recognises an expired signature and a malformed timestamp', () => {
    const base = { step: 0, at: 0, stage: 'open' as const, type: 'signature-checked' as const, ok: false, why: reason('signature.mismatch') };
    expect(stepView({ ...base, errorClass: 'SignatureExpired', message: 'Signature age 3600 > 120 seconds' }).key).toBe('signature-checked.SignatureExpired');
    expect(stepView({ ...base, errorClass: 'BadTimeSignature', message: 'Malformed timestamp' }).key).toBe('signature-checked.BadTimeSignature');
    expect(stepView({ ...base, errorClass: 'BadTimeSignature', message: "Signature b'x' does not match" }).key).toBe('signature-checked.BadSignature');
  });
});

describe('the NullSession preset', () => {
  it('names its two open steps differently: open_session returns None, then Flask substitutes a NullSession', async () => {
    const x = shown(await Lab.open('no-secret'));
    const opened = x.steps.filter((s) => s.type === 'session-opened');
    expect(opened.map((s) => s.key)).toEqual(['session-opened.none', 'session-opened.null']);
    for (const lang of LANGS) {
      const t = STRINGS[lang];
      const lines = x.steps.map((s) => `${stepTitle(t, s)}: ${summary(t, s.key, s.vars)}`);
      expect(new Set(lines).size, lang).toBe(lines.length);
      const titles = opened.map((s) => stepTitle(t, s));
      expect(titles[0]).not.toBe(titles[1]);
    }
  });
});

describe('panels follow the selected step', () => {
  const at = (state: LabState, type: StepView['type']) => state.history[state.selected]!.steps.find((s) => s.type === type)!.index;
  const card = (html: string, heading: string) => {
    const start = html.indexOf(`>${heading}</h4>`);
    return html.slice(start, html.indexOf('</section>', start));
  };

  it('the response has no Vary and no Set-Cookie before the steps that add them, and no response before the view', async () => {
    const state = (await Lab.open('login')).snapshot();
    const t = STRINGS.en;
    const render = (step: number) => renderTrace(t, withStep(state, step), 'v');
    const first = render(0);
    expect(card(first, t.response)).toContain(t.noResponseYet);
    expect(card(first, t.response)).not.toContain('Vary');
    expect(card(first, t.vary)).toContain(t.notYet);
    expect(card(first, t.decision)).toContain(t.notYet);
    const view = render(at(state, 'view-returned'));
    expect(card(view, t.response)).toContain('HTTP/1.1 200 OK');
    expect(card(view, t.response)).not.toContain('Vary: Cookie');
    const vary = render(at(state, 'vary-added'));
    expect(card(vary, t.response)).toContain('Vary: Cookie');
    expect(card(vary, t.response)).not.toContain('Set-Cookie');
    expect(card(vary, t.anatomy)).toContain(t.notYet);
    const built = render(at(state, 'set-cookie-built'));
    expect(card(built, t.response)).toContain(`Set-Cookie: ${state.history[0]!.setCookie!.header}`);
    // The jar panel: as the request left (empty), then after the response (the session cookie).
    expect(card(first, t.jarBefore)).toContain(t.jarEmpty);
    const last = render(state.history[0]!.steps.length - 1);
    expect(card(last, t.jarAfter)).toContain(state.jar[0]!.value);
  });

  it("an after_request function's header appears at its own step", async () => {
    const state = (await Lab.open('lifecycle')).snapshot();
    const x = state.history[state.selected]!;
    const header = (type: StepView['type']) => (x.steps.find((s) => s.type === type)!.response as ResponseState).headers.some(([k]) => k === 'X-Frame-Options');
    expect(header('view-returned')).toBe(false);
    expect(header('after-request')).toBe(true);
    expect(x.steps.find((s) => s.type === 'after-request')!.vars.name).toBe('add_header');
  });

  it('a 404 made by the engine shows its response from the view step on', async () => {
    const lab = await Lab.open('read');
    const x = await lab.send('/nowhere');
    const view = x.steps.find((s) => s.type === 'view-returned')!;
    expect(view.response).toEqual({ status: 404, headers: [['Content-Type', 'text/html; charset=utf-8']] });
    expect(x.steps[0]!.response).toBeNull();
  });
});

describe('one clock per page', () => {
  it('two labs on one page clock: moving it in one moves it in the other and each drops its expired cookies', async () => {
    const clock = createClock();
    const a = await Lab.open('permanent', { clock });
    const b = await Lab.open('cookies', { clock });
    expect(a.snapshot().now).toBe(EPOCH);
    expect(b.snapshot().now).toBe(EPOCH);
    b.advance(3600);
    expect(a.snapshot().now).toBe(EPOCH + 3600);
    expect(a.snapshot().offset).toBe(3600);
    // The cookie lab's lang cookie had one hour: gone, with a note, in the lab that did not move the clock too.
    expect(b.snapshot().jar.map((c) => c.name)).toEqual(['theme']);
    a.advance(31 * 24 * 3600);
    expect(a.snapshot().notes.map((n) => n.key)).toEqual(['dropped']);
    expect(b.snapshot().now).toBe(EPOCH + 3600 + 31 * 24 * 3600);
    a.resetClock();
    expect(b.snapshot().now).toBe(EPOCH);
  });

  it('every preset renders at the epoch, the same instant as the Redis view and the lessons', async () => {
    for (const id of PRESET_IDS) {
      const s = (await Lab.open(id)).snapshot();
      expect(s.now, id).toBe(EPOCH);
      expect(s.history[s.history.length - 1]!.at, id).toBe(EPOCH);
    }
    expect(EPOCH).toBe(PAGE_EPOCH);
  });
});

describe('the cookie experiment (lesson 1)', () => {
  it('the scene: theme for the whole site, lang for /docs only; both go to /docs/intro, only theme to /', async () => {
    const lab = await Lab.open('cookies');
    const s = lab.snapshot();
    const x = s.history[2]!;
    expect(x.url).toBe('/docs/intro');
    // Longer path first (RFC 6265bis §5.8.3), without attributes.
    expect(x.requestHeaders).toContainEqual(['Cookie', 'lang=zh-CN; theme=dark']);
    expect(x.body).toBe('theme=dark lang=zh-CN');
    // HttpOnly hides lang from scripts; the /docs path hides it from the home page anyway.
    expect(s.documentCookie).toBe('theme=dark');
    const home = await lab.send('/');
    expect(home.checks).toEqual([
      { name: 'lang', path: '/docs', sent: false, reason: 'path' },
      { name: 'theme', path: '/', sent: true, reason: null },
    ]);
    expect(home.body).toBe('theme=dark lang=None');
  });

  it('http, another site, and time: each left-out cookie says why', async () => {
    const lab = await Lab.open('cookies');
    lab.setRequestKind('http', 'same-site');
    expect((await lab.send('/docs/x')).checks.find((c) => c.name === 'lang')!.reason).toBe('secure');
    lab.setRequestKind('https', 'cross-site-link');
    expect((await lab.send('/docs/x')).checks.every((c) => c.sent)).toBe(true);
    lab.setRequestKind('https', 'cross-site-form');
    const post = await lab.send('/docs/x');
    expect(post.method).toBe('POST');
    // theme has no SameSite and was set just now: Chromium still lets it through a cross-site POST for two minutes.
    expect(post.checks.map((c) => c.reason)).toEqual(['samesite-lax', null]);
    lab.advance(LAX_ALLOWING_UNSAFE_AGE);
    expect((await lab.send('/docs/x')).checks.map((c) => c.reason)).toEqual(['samesite-lax', 'samesite-default']);
    lab.setRequestKind('https', 'same-site');
    lab.advance(3600 - LAX_ALLOWING_UNSAFE_AGE);
    expect(lab.snapshot().notes).toEqual([{ key: 'dropped', vars: { name: 'lang', expires: formatTime(EPOCH + 3600) } }]);
    expect((await lab.send('/docs/x')).requestHeaders).toContainEqual(['Cookie', 'theme=dark']);
  });

  it('what the browser refuses to store', async () => {
    const lab = await Lab.open('cookies');
    lab.setRequestKind('http', 'same-site');
    expect((await lab.send('/prefs?theme=x&secure')).stored).toEqual([{ name: 'theme', action: 'rejected', reason: 'secure-over-http' }]);
    lab.setRequestKind('https', 'same-site');
    expect((await lab.send('/prefs?theme=x&samesite=None')).stored).toEqual([{ name: 'theme', action: 'rejected', reason: 'samesite-none-needs-secure' }]);
    expect((await lab.send('/prefs?theme=x&max_age=0')).stored).toEqual([{ name: 'theme', action: 'deleted', reason: null }]);
    expect(lab.snapshot().jar.map((c) => c.name)).toEqual(['lang']);
  });
});

describe('cookie jar (RFC 6265bis)', () => {
  const req = (path: string, over: Partial<RequestContext> = {}): RequestContext => ({ scheme: 'https', host: 'site.example', path, initiator: 'same-site', ...over });
  const T = 1_700_000_000;

  it('parses dates the way browsers do', () => {
    expect(parseCookieDate('Tue, 14 Nov 2023 23:13:20 GMT')).toBe(T + 3600);
    expect(parseCookieDate('Tuesday, 14-Nov-23 23:13:20 GMT')).toBe(T + 3600);
    expect(parseCookieDate('14 Nov 2023')).toBeNull();
    expect(parseCookieDate('Fri, 30 Feb 2024 00:00:00 GMT')).toBeNull();
  });

  it('default path, path-match on / boundaries, host-only cookies', () => {
    expect(defaultPath('/docs/intro')).toBe('/docs');
    expect(defaultPath('/docs')).toBe('/');
    expect(pathMatches('/docs/a', '/docs')).toBe(true);
    expect(pathMatches('/docsx', '/docs')).toBe(false);
    expect(pathMatches('/docs', '/docs/')).toBe(false);
    const jar = new CookieJar();
    jar.store('a=1', req('/docs/intro'), T);
    expect(jar.cookies[0]!.path).toBe('/docs');
    expect(jar.cookieHeader(req('/docs/other'), T)).toBe('a=1');
    expect(jar.cookieHeader(req('/'), T)).toBeNull();
    expect(jar.cookieHeader(req('/docs/x', { host: 'www.site.example' }), T)).toBeNull();
    jar.store('b=2; Domain=site.example; Path=/', req('/'), T);
    expect(jar.cookieHeader(req('/', { host: 'www.site.example' }), T)).toBe('b=2');
    expect(jar.store('c=3; Domain=other.example', req('/'), T).reason).toBe('domain-mismatch');
    expect(jar.store('c=3; Domain=example', req('/'), T).reason).toBe('public-suffix');
  });

  it('Max-Age wins over Expires, lifetimes are capped at 400 days, and a past expiry deletes', () => {
    const jar = new CookieJar();
    jar.store('a=1; Expires=Tue, 14 Nov 2023 23:13:20 GMT; Max-Age=60', req('/'), T);
    expect(jar.cookies[0]!.expires).toBe(T + 60);
    jar.store('a=1; Max-Age=999999999', req('/'), T);
    expect(jar.cookies[0]!.expires).toBe(T + MAX_AGE_CAP);
    expect(jar.store('a=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0', req('/'), T).action).toBe('deleted');
    expect(jar.cookies).toEqual([]);
  });

  it('replacing keeps the creation time, so the header order stays', () => {
    const jar = new CookieJar();
    jar.store('a=1', req('/'), T);
    jar.store('b=1', req('/'), T + 1);
    expect(jar.store('a=2', req('/'), T + 2).action).toBe('replaced');
    expect(jar.cookieHeader(req('/'), T + 2)).toBe('a=2; b=1');
  });

  it('Secure, and an http response may not overwrite a Secure cookie', () => {
    const jar = new CookieJar();
    jar.store('s=1; Secure', req('/'), T);
    expect(jar.cookieHeader(req('/', { scheme: 'http' }), T)).toBeNull();
    expect(jar.store('s=2', req('/', { scheme: 'http' }), T).reason).toBe('overwrites-secure');
    expect(jar.store('__Host-x=1; Secure; Path=/docs', req('/'), T).reason).toBe('prefix');
    expect(jar.store('__Secure-x=1', req('/'), T).reason).toBe('prefix');
  });

  it('SameSite on cross-site requests: Strict never, Lax and no SameSite only on a top-level GET, None always', () => {
    const jar = new CookieJar();
    for (const line of ['st=1; SameSite=Strict', 'lx=1; SameSite=Lax', 'df=1', 'no=1; SameSite=None; Secure']) jar.store(line, req('/'), T);
    const sent = (initiator: Initiator, method = 'GET') => jar.cookieHeader(req('/', { initiator }), T, method);
    expect(sent('same-site')).toBe('st=1; lx=1; df=1; no=1');
    expect(sent('cross-site-link')).toBe('lx=1; df=1; no=1');
    // A cookie without SameSite still goes on a cross-site top-level POST in its first two minutes (Chromium).
    expect(sent('cross-site-form', 'POST')).toBe('df=1; no=1');
    expect(jar.cookieHeader(req('/', { initiator: 'cross-site-form' }), T + LAX_ALLOWING_UNSAFE_AGE - 1, 'POST')).toBe('df=1; no=1');
    expect(jar.cookieHeader(req('/', { initiator: 'cross-site-form' }), T + LAX_ALLOWING_UNSAFE_AGE, 'POST')).toBe('no=1');
    expect(sent('cross-site-embed')).toBe('no=1');
    // A cross-site image may only set SameSite=None cookies.
    expect(jar.store('x=1; SameSite=Lax', req('/', { initiator: 'cross-site-embed' }), T).reason).toBe('cross-site-cannot-set');
  });

  it('ignores lines with neither name nor value, and names plus values over 4096 bytes', () => {
    const jar = new CookieJar();
    expect(jar.store('=', req('/'), T).reason).toBe('empty');
    expect(jar.store(`a=${'x'.repeat(4096)}`, req('/'), T).reason).toBe('too-long');
    expect(jar.store(`a=${'x'.repeat(4095)}`, req('/'), T).action).toBe('stored');
  });
});
