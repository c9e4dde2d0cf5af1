import { describe, expect, it } from 'vitest';
import { Lab, opExpression, stepView } from '../../src/components/visualizer/model.ts';
import { PRESETS, PRESET_IDS, SHORT_LIFETIME, isPresetId } from '../../src/components/visualizer/presets.ts';
import { LANGS, STRINGS, duration, fill, summary, toLang } from '../../src/components/visualizer/i18n.ts';
import { decodeCookie, flipCharacter } from '../../src/components/visualizer/cookie.ts';
import { esc, renderAnatomy, renderHistory, renderJar, renderTrace, statusText } from '../../src/components/visualizer/render.ts';
import { stepForKey, withExchange, withStep } from '../../src/components/visualizer/controller.ts';
import { EPOCH, formatTime, type ExchangeView } from '../../src/components/visualizer/types.ts';
import { Flask } from '../../src/engine/flask/app.ts';
import { URLSafeTimedSerializer } from '../../src/engine/itsdangerous/url_safe.ts';
import { sortedSessionSerializer } from '../../src/engine/flask/sessions.ts';
import { PyTuple } from '../../src/engine/python/values.ts';

// The visualizer's pure logic: presets → trace steps → what is shown. Expected cookies and traces come
// from the engine itself (an app built here, or itsdangerous directly), never from typed-in tokens.

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

  it('each preset shows the Python for every route its scenario and address bar use', () => {
    for (const id of PRESET_IDS) {
      const { python, scenario, path } = PRESETS[id];
      const urls = [path, ...scenario.flatMap((a) => ('send' in a ? [a.send] : []))];
      for (const url of urls) expect(python, `${id} → ${url}`).toContain(`@app.route("${url.split('?')[0]}")`);
    }
  });

  it('the Python config matches the engine config of each preset', () => {
    expect(PRESETS['no-secret'].python).not.toContain('secret_key =');
    expect(PRESETS['no-secret'].config.SECRET_KEY).toBeNull();
    expect(PRESETS.expired.python).toContain(`PERMANENT_SESSION_LIFETIME"] = ${SHORT_LIFETIME}`);
    expect(PRESETS.expired.config.PERMANENT_SESSION_LIFETIME).toBe(SHORT_LIFETIME);
    for (const id of PRESET_IDS.filter((p) => p !== 'no-secret')) expect(PRESETS[id].python).toContain('app.secret_key = "dev"');
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
    expect(lab.snapshot().jar).toEqual([{ name: 'session', value: token, expires: null, attributes: 'HttpOnly; Path=/' }]);
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
    const jar = lab.snapshot().jar[0]!;
    expect(jar.expires).toBe(EPOCH + 24 * 3600 + 31 * 24 * 3600);
    expect(decodeCookie(jar.value).signedAt).toBe(EPOCH + 24 * 3600);
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
    // Replay the same token one second past its lifetime (a fresh scene, so it was not re-signed).
    const old = edge.sentCookie!.value;
    await lab.selectPreset('permanent');
    lab.setKeepExpired(true);
    lab.advance(31 * 24 * 3600 + 1);
    const late = await lab.send('/who');
    expect(late.sentCookie!.value).toBe(old);
    const sig = late.steps.find((s) => s.type === 'signature-checked')!;
    expect(sig.key).toBe('signature-checked.SignatureExpired');
    expect(sig.detail).toContain(`Signature age ${31 * 24 * 3600 + 1} > ${31 * 24 * 3600} seconds`);
    lab.setKeepExpired(false);
    expect(lab.snapshot().notes.map((n) => n.key)).toEqual(['dropped']);
    expect(lab.snapshot().jar).toEqual([]);
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
    expect(err.detail).toContain('no secret key was set.  Set the secret_key');
    expect(x.decision!.key).toBe('save-decision.skip.null');
    expect(lab.snapshot().jar).toEqual([]);
  });

  it('tampered: the flipped cookie fails with a mismatch and the session starts empty', async () => {
    const x = shown(await Lab.open('tampered'));
    const sig = x.steps.find((s) => s.type === 'signature-checked')!;
    expect(sig.tone).toBe('bad');
    expect(sig.key).toBe('signature-checked.BadSignature');
    expect(sig.detail).toMatch(/does not match/);
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
    expect(sig.detail).toContain(`> ${SHORT_LIFETIME} seconds`);
    expect(x.at).toBe(EPOCH + 3600);
    // Inside the lifetime the same cookie still verifies.
    lab.resetClock();
    const fresh = await lab.send('/who');
    expect(fresh.steps.find((s) => s.type === 'signature-checked')!.tone).toBe('ok');
  });
});

describe('browser actions', () => {
  it('tamper without a cookie says so and changes nothing', async () => {
    const lab = await Lab.open('logout');
    expect(lab.tamper()).toBe(false);
    expect(lab.snapshot().notes[0]!.key).toBe('nothing-to-tamper');
  });

  it('selecting a preset resets the clock, the jar and the history', async () => {
    const lab = await Lab.open('expired');
    await lab.selectPreset('login');
    const s = lab.snapshot();
    expect(s.now).toBe(EPOCH);
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

  it('Chinese pages get a Chinese summary and keep the engine’s English detail', async () => {
    const x = shown(await Lab.open('expired'));
    const html = renderTrace(STRINGS['zh-CN'], { ...(await Lab.open('expired')).snapshot(), step: x.steps.findIndex((s) => s.type === 'signature-checked') }, 'v');
    expect(html).toContain('SignatureExpired：签名本身没问题');
    expect(html).toContain(esc(x.steps.find((s) => s.type === 'signature-checked')!.detail!));
    expect(html).toContain('lang="en"');
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
    const base = { step: 0, at: 0, stage: 'open' as const, type: 'signature-checked' as const, ok: false, why: 'w' };
    expect(stepView({ ...base, errorClass: 'SignatureExpired', message: 'Signature age 3600 > 120 seconds' }).key).toBe('signature-checked.SignatureExpired');
    expect(stepView({ ...base, errorClass: 'BadTimeSignature', message: 'Malformed timestamp' }).key).toBe('signature-checked.BadTimeSignature');
    expect(stepView({ ...base, errorClass: 'BadTimeSignature', message: "Signature b'x' does not match" }).key).toBe('signature-checked.BadSignature');
  });
});
