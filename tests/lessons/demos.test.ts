// The lessons' build-time demos: they must show what the engine does, and the Python printed beside
// an engine output must produce that same output under the real Flask (Debian's, via check_demos.py).
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { itWithPeer, runPython } from '../support/peers.ts';
import { attributeExamples, cookieRoundTrip, parseCookieExample, sessionCookieSettings } from '../../src/lessons/cookies.ts';
import { basicFlow, cartFlow, cartFlowPermanent, modifiedTable, noSecretKey, permanentFlow } from '../../src/lessons/session-dict.ts';
import { anatomy, compressedExample, lifecycle, peek, tagExamples } from '../../src/lessons/inside-the-cookie.ts';
import { BROWSER_LIMITS, crack, expiry, replay, rotation, tamper, tooBig, weakSecret, WORDLIST } from '../../src/lessons/attacks.ts';
import { setCookies, type ExchangeView } from '../../src/lessons/exchange.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const bodies = (xs: ExchangeView[]) => xs.map((x) => x.body);
const cookieOf = (x: ExchangeView) => x.requestHeaders.find(([k]) => k === 'Cookie')?.[1] ?? null;

describe('lesson 1 demos (cookies)', () => {
  it('the round trip sets, returns, and deletes cookies like a browser', async () => {
    const trip = await cookieRoundTrip();
    expect(bodies(trip)).toEqual(['theme: light', 'theme set to dark', 'theme: dark', 'language set to zh-CN', 'theme: dark', 'forgotten', 'theme: light']);
    expect(setCookies(trip[1])).toEqual(['theme=dark; Path=/']);
    expect(cookieOf(trip[2])).toBe('theme=dark');
    expect(cookieOf(trip[4])).toBe('theme=dark; lang=zh-CN');
    expect(setCookies(trip[5])[0]).toMatch(/^theme=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0/);
    expect(cookieOf(trip[6])).toBe('lang=zh-CN');
  });

  it('parse_cookie keeps the first of two cookies with the same name', () => {
    expect(parseCookieExample().parsed).toEqual([['theme', 'dark'], ['lang', 'zh-CN']]);
  });

  it('each attribute row shows its own attribute; Partitioned adds Secure', () => {
    for (const row of attributeExamples()) {
      if (row.attribute === '(none)') expect(row.header).toBe('theme=dark; Path=/');
      else expect(row.header).toContain(row.attribute);
    }
    expect(attributeExamples().at(-1)!.header).toContain('Secure');
  });

  it('the SESSION_COOKIE_* settings reach the session cookie', async () => {
    const s = await sessionCookieSettings();
    expect(s.defaults).toMatch(/^session=.*; Expires=.*; HttpOnly; Path=\/$/);
    expect(s.configured).toMatch(/^sid=.*; Domain=example\.com; Expires=.*; Secure; Path=\/app; SameSite=Lax$/);
    expect(s.partitioned).toMatch(/; Secure; HttpOnly; Path=\/; SameSite=None; Partitioned$/);
  });
});

describe('lesson 2 demos (the session dict)', () => {
  it('login writes, a read sends nothing, pop of the last key and clear delete the cookie', async () => {
    const flow = await basicFlow();
    expect(bodies(flow)).toEqual(['nobody', 'hello alice', 'alice', 'bye', 'nobody', 'everything forgotten']);
    expect(setCookies(flow[1])).toHaveLength(1);
    expect(setCookies(flow[2])).toEqual([]);
    expect(setCookies(flow[3])[0]).toMatch(/^session=; Expires=Thu, 01 Jan 1970/);
    expect(setCookies(flow[5])[0]).toMatch(/^session=; Expires=Thu, 01 Jan 1970/);
    for (const x of flow) expect(x.responseHeaders).toContainEqual(['Vary', 'Cookie']);
  });

  it('a permanent session gets Expires and is re-sent on a plain read', async () => {
    const perm = await permanentFlow();
    expect(setCookies(perm[0])[0]).not.toContain('Expires');
    expect(setCookies(perm[1])[0]).toContain('Expires=Wed, 15 Nov 2023 00:13:20 GMT'); // demo time + 2 h
    expect(setCookies(perm[2])).toHaveLength(1);
  });

  it('the in-place append is lost, session.modified saves it, and a permanent session hides the bug', async () => {
    const cart = await cartFlow();
    expect(bodies(cart)).toEqual(['apple', 'apple, pear', 'apple', 'apple, pear', 'apple, pear']);
    expect(setCookies(cart[1])).toEqual([]);
    expect(setCookies(cart[3])).toHaveLength(1);
    const perm = await cartFlowPermanent();
    expect(perm.at(-1)!.body).toBe('apple, pear');
  });

  it('without SECRET_KEY a write fails with Flask’s message', async () => {
    const r = await noSecretKey();
    expect(r.exchange.status).toBe(500);
    expect(r.error).toBe('RuntimeError: The session is unavailable because no secret key was set.  Set the secret_key on the application to something unique and secret.');
  });
});

describe('lesson 3 demos (inside the cookie)', () => {
  it('the trace follows Flask’s order: open, view, after_request, save', async () => {
    const { login, whoami } = await lifecycle();
    const order = (x: ExchangeView) => x.trace.map((e) => e.type);
    const l = order(login);
    expect(l.indexOf('session-opened')).toBeLessThan(l.indexOf('session-op'));
    expect(l.indexOf('after-request')).toBeLessThan(l.indexOf('save-decision'));
    expect(l).toContain('set-cookie-built');
    expect(order(whoami)).toContain('payload-decoded');
    expect(order(whoami)).not.toContain('set-cookie-built');
  });

  it('the anatomy reassembles: the recomputed signature matches and peek reads the payload', async () => {
    const a = await anatomy();
    expect(a.signatureMatches).toBe(true);
    expect(a.parts.map((p) => p.text).join('.')).toBe(a.token);
    expect(a.timestamp).toBe(1700000000);
    expect(peek(a.token).json).toBe(a.json);
    expect(JSON.parse(a.json)).toEqual({ user: 'alice' });
  });

  it('a large session is compressed, marked with a dot, and peek inflates it', async () => {
    const big = await compressedExample();
    expect(big.token.startsWith('.')).toBe(true);
    expect(big.zlibBytes).toBeLessThan(big.jsonBytes - 1);
    expect(JSON.parse(big.peeked).cart).toHaveLength(20);
  });
});

describe('lesson 4 demos (attacks)', () => {
  it('a tampered payload is refused and the view sees an empty session', async () => {
    const t = await tamper();
    expect(t.exchange.body).toBe('forbidden');
    const check = t.exchange.trace.find((e) => e.type === 'signature-checked');
    expect(check && check.type === 'signature-checked' && check.ok).toBe(false);
  });

  it('the weak key is found in the wordlist and the forged admin cookie is accepted', async () => {
    const w = await weakSecret();
    expect(w.found).toBe('sunshine');
    expect(w.tried).toBe(WORDLIST.indexOf('sunshine') + 1);
    expect(w.honest.body).toBe('forbidden');
    expect(w.attack.body).toBe('welcome, admin');
    expect(crack(w.cookie, ['nope', 'also-nope']).key).toBeNull();
  });

  it('a cookie copied before logout still logs in', async () => {
    const r = await replay();
    expect(setCookies(r.logout)[0]).toMatch(/^session=;/);
    expect(r.replayed.body).toBe('alice');
  });

  it('the unbounded history passes MAX_COOKIE_SIZE, warns and is still sent; the bounded one stays small', async () => {
    const b = await tooBig();
    expect(b.headerBytes).toBeGreaterThan(b.limit);
    expect(b.warning).toMatch(/^The 'session' cookie is too large: the value was \d+ bytes but the header required 26 extra bytes\. The final size was \d+ bytes but the limit is 4093 bytes\./);
    expect(b.warning).toContain(`final size was ${b.headerBytes} bytes`);
    expect(b.boundedBytes).toBeLessThan(400);
    // Werkzeug counts the whole header, browsers only name + value (tests/e2e/cookie-limits.spec.ts measures Chromium).
    expect(b.warned.headerBytes).toBe(b.headerBytes);
    expect(b.warned.nameValueBytes).toBeLessThanOrEqual(BROWSER_LIMITS.nameValue);
    expect(b.lastKept.nameValueBytes).toBeLessThanOrEqual(BROWSER_LIMITS.nameValue);
    expect(b.dropped.nameValueBytes).toBeGreaterThan(BROWSER_LIMITS.nameValue);
    expect(b.dropped.articles).toBe(b.lastKept.articles + 1);
  });

  it('rotation: a read accepts the old key and sends no cookie; a write re-signs with the new key; a retired key is refused', async () => {
    const r = await rotation();
    expect(r.read.body).toBe('alice');
    expect(setCookies(r.read)).toEqual([]);
    expect(r.write.body).toBe('alice, visit 1');
    expect(r.newVerifiesWith).toEqual({ 'key-2025-a': false, 'key-2025-b': true });
    expect(r.newCookie).not.toBe(r.oldCookie);
    expect(r.retired.body).toBe('nobody');
  });

  it('max_age applies to a browser-session cookie: valid at the limit, refused one second later and from the future', async () => {
    const e = await expiry();
    expect(setCookies(e.login)[0]).not.toContain('Expires');
    expect(e.atLimit.body).toBe('alice');
    expect(e.pastLimit.body).toBe('nobody');
    expect(e.future.body).toBe('nobody');
    const why = (x: ExchangeView) => x.trace.find((t) => t.type === 'signature-checked');
    const past = why(e.pastLimit);
    expect(past && past.type === 'signature-checked' ? past.message : '').toBe(`Signature age ${e.lifetime + 1} > ${e.lifetime} seconds`);
  });
});

describe('the Python printed beside engine output', () => {
  itWithPeer('flask', 'produces the same headers, flags, tagged JSON and token under Debian’s Flask', async () => {
    const attrs = attributeExamples();
    const ops = modifiedTable();
    const tags = tagExamples();
    const a = await anatomy();
    const input = JSON.stringify({
      attributes: attrs.map((r) => r.python),
      ops: ops.map((r) => r.python),
      tags: tags.map((r) => r.python),
      token: { key: a.secretKey, data: JSON.parse(a.json) },
    });
    const script = `import runpy, sys\nsys.argv = ['check_demos.py']\nrunpy.run_path(${JSON.stringify(`${here}check_demos.py`)}, run_name='__main__')`;
    const py = JSON.parse(runPython(script, input));
    const maskExpires = (h: string) => h.replace(/Expires=[^;]+/, 'Expires=…');
    let compared = 0;
    attrs.forEach((row, i) => {
      if (py.attributes[i] === null) {
        expect(row.attribute).toBe('Partitioned'); // only Werkzeug < 3.1 lacks an argument we show
        return;
      }
      // Max-Age derives Expires from the wall clock in Python and from the demo clock here.
      expect(row.attribute === 'Max-Age' ? maskExpires(row.header) : row.header).toBe(row.attribute === 'Max-Age' ? maskExpires(py.attributes[i]) : py.attributes[i]);
      compared++;
    });
    expect(compared).toBeGreaterThanOrEqual(attrs.length - 1);
    expect(ops.map((r) => r.modified)).toEqual(py.ops);
    expect(tags.map((r) => r.json)).toEqual(py.tags);
    expect(a.token).toBe(py.token);
    expect(a.derivedKeyHex).toBe(py.derived_key);
  });

  itWithPeer('flask', 'the session_dict.py exchanges match the real app request for request', async () => {
    const script = `import runpy, sys\nsys.argv = ['check_examples.py', 'session_dict']\nrunpy.run_path(${JSON.stringify(`${here}check_examples.py`)}, run_name='__main__')`;
    const py = JSON.parse(runPython(script));
    const engineFlow = await basicFlow();
    expect(engineFlow.map((x) => x.url)).toEqual(py.flow.map((s: { path: string }) => s.path));
    expect(engineFlow.map((x) => setCookies(x))).toEqual(py.flow.map((s: { set_cookie: string[] }) => s.set_cookie));
    expect(engineFlow.map((x) => x.body)).toEqual(py.flow.map((s: { body: string }) => s.body));
    const engineCart = await cartFlow();
    expect(engineCart.map((x) => setCookies(x))).toEqual(py.cart.map((s: { set_cookie: string[] }) => s.set_cookie));
    expect(engineCart.map((x) => x.body)).toEqual(py.cart.map((s: { body: string }) => s.body));
  });
});
