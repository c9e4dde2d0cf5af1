import { describe, expect, it } from 'vitest';
import { Flask } from '../../../src/engine/flask/app.ts';
import { NULL_SESSION_MESSAGE, NullSession, SecureCookieSession, SecureCookieSessionInterface } from '../../../src/engine/flask/sessions.ts';
import type { TraceEvent } from '../../../src/engine/flask/trace.ts';
import { PyTuple, type PyDict } from '../../../src/engine/python/values.ts';
import { dumps as jsonDumps } from '../../../src/engine/python/json.ts';
import { traceJson } from '../../../src/engine/flask/trace-render.ts';

// Tokens and headers below were produced by the real Flask at T = 1700000000 with SECRET_KEY=dev;
// which header save_session writes follows https://github.com/pallets/flask/blob/3.1.1/src/flask/sessions.py#L351
const T = 1700000000;
const TOKEN_A1 = 'eyJhIjoxfQ.ZVPxAA.D3QXMI0ZQYNZDxORB__kVZyT7hk';

function makeApp(config: Record<string, unknown> = {}, clock = { t: T }) {
  return new Flask({ config: { SECRET_KEY: 'dev', ...config }, now: () => clock.t });
}
const events = (trace: TraceEvent[], type: TraceEvent['type']) => trace.filter((e) => e.type === type);

describe('SecureCookieSession tracks modification like CallbackDict', () => {
  const cases: [string, (s: SecureCookieSession) => void, boolean][] = [
    ['s[k]=v', (s) => s.set('a', 1), true],
    ['s[k]=same value', (s) => s.set('x', 1), true],
    ['del s[k]', (s) => s.delete('x'), true],
    ['clear() on a filled session', (s) => s.clear(), true],
    ['popitem()', (s) => s.popitem(), true],
    ['update({})', (s) => s.update({}), true],
    ['setdefault of a new key', (s) => s.setdefault('n', 1), true],
    ['pop of an existing key', (s) => s.pop('x'), true],
    ['pop of a missing key with default', (s) => s.pop('missing', null), false],
    ['setdefault of an existing key', (s) => s.setdefault('x', 2), false],
    ['reads', (s) => (s.get('x'), s.has('x'), s.keys(), s.size), false],
    ['nested mutation', (s) => (s.get('l') as number[]).push(2), false],
  ];
  it.each(cases)('%s → modified=%s', (_name, op, modified) => {
    const s = new SecureCookieSession(new Map<string, never>([['x', 1 as never], ['l', [1] as never]]));
    expect(s.modified).toBe(false);
    op(s);
    expect(s.modified).toBe(modified);
  });

  it('clear() counts as a change even when empty', () => {
    const s = new SecureCookieSession();
    s.clear();
    expect(s.modified).toBe(true);
  });

  it('keeps permanent under _permanent as a bool', () => {
    const s = new SecureCookieSession();
    expect(s.permanent).toBe(false);
    s.permanent = true;
    expect(s.get('_permanent')).toBe(true);
    expect(s.modified).toBe(true);
  });
});

describe('NullSession', () => {
  it('reads like an empty dict and raises Flask\'s message on every write', () => {
    const s = new NullSession();
    expect(s.get('a')).toBeNull();
    expect(s.size).toBe(0);
    expect(s.permanent).toBe(false);
    for (const write of [() => s.set('a', 1), () => s.delete('a'), () => s.clear(), () => s.pop('a'), () => s.popitem(), () => s.update({}), () => s.setdefault('a', 1), () => (s.permanent = true)]) {
      expect(write).toThrow(NULL_SESSION_MESSAGE);
    }
    expect(NULL_SESSION_MESSAGE).toContain('was set.  Set the');
  });
});

describe('the cookie a request produces', () => {
  it('session["a"] = 1', async () => {
    const app = makeApp().route('/', ({ session }) => (session.set('a', 1), 'ok'));
    const { response } = await app.handle({ url: '/' });
    expect(response.getSetCookie()).toEqual([`session=${TOKEN_A1}; HttpOnly; Path=/`]);
    expect(response.header('Vary')).toBe('Cookie');
  });

  it('a permanent session carries Expires', async () => {
    const app = makeApp().route('/', ({ session }) => {
      session.set('a', 1);
      session.permanent = true;
      return 'ok';
    });
    const { response } = await app.handle({ url: '/' });
    expect(response.getSetCookie()).toEqual([
      'session=eyJfcGVybWFuZW50Ijp0cnVlLCJhIjoxfQ.ZVPxAA.K_y0FJ_zgdHHYN6psCajj81CRm4; Expires=Fri, 15 Dec 2023 22:13:20 GMT; HttpOnly; Path=/',
    ]);
  });

  it('every cookie attribute comes from its config key', async () => {
    const app = makeApp({
      SESSION_COOKIE_NAME: 'sid',
      SESSION_COOKIE_DOMAIN: 'example.com',
      SESSION_COOKIE_PATH: '/app',
      SESSION_COOKIE_SECURE: true,
      SESSION_COOKIE_SAMESITE: 'lax',
      SESSION_COOKIE_HTTPONLY: false,
    }).route('/', ({ session }) => {
      session.set('a', 1);
      session.permanent = true;
      return 'ok';
    });
    const [header] = (await app.handle({ url: '/' })).response.getSetCookie();
    expect(header).toMatch(/^sid=[^;]+; Domain=example\.com; Expires=Fri, 15 Dec 2023 22:13:20 GMT; Secure; Path=\/app; SameSite=Lax$/);
  });

  it('clear() deletes the cookie, with or without one', async () => {
    const app = makeApp().route('/clear', ({ session }) => (session.clear(), 'ok'));
    for (const headers of [[], [['Cookie', `session=${TOKEN_A1}`]]] as [string, string][][]) {
      const { response } = await app.handle({ url: '/clear', headers });
      expect(response.getSetCookie()).toEqual(['session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Path=/']);
      expect(response.header('Vary')).toBe('Cookie');
    }
  });

  it('a partitioned session deletes with every attribute', async () => {
    const app = makeApp({ SESSION_COOKIE_PARTITIONED: true, SESSION_COOKIE_SAMESITE: 'None' }).route('/', ({ session }) => (session.clear(), 'ok'));
    const { response } = await app.handle({ url: '/' });
    expect(response.getSetCookie()).toEqual(['session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Secure; HttpOnly; Path=/; SameSite=None; Partitioned']);
  });

  it('a view that never touches the session gets neither cookie nor Vary', async () => {
    const app = makeApp().route('/', () => 'hello');
    const { response, trace } = await app.handle({ url: '/', headers: [['Cookie', `session=${TOKEN_A1}`]] });
    expect(response.getSetCookie()).toEqual([]);
    expect(response.header('Vary')).toBeNull();
    expect(events(trace, 'save-decision')).toMatchObject([{ action: 'skip' }]);
  });

  it('reading adds Vary but no cookie', async () => {
    const app = makeApp().route('/', ({ session }) => String(session.get('a')));
    const { response } = await app.handle({ url: '/', headers: [['Cookie', `session=${TOKEN_A1}`]] });
    expect(response.body).toBe('1');
    expect(response.getSetCookie()).toEqual([]);
    expect(response.header('Vary')).toBe('Cookie');
  });

  it('a nested mutation is lost unless modified is set', async () => {
    const clock = { t: T };
    const app = makeApp({}, clock)
      .route('/start', ({ session }) => (session.set('cart', ['a']), 'ok'))
      .route('/lost', ({ session }) => ((session.get('cart') as string[]).push('b'), 'ok'))
      .route('/kept', ({ session }) => {
        (session.get('cart') as string[]).push('b');
        session.modified = true;
        return 'ok';
      })
      .route('/show', ({ session }) => JSON.stringify(session.get('cart')));
    const client = app.testClient();
    await client.get('/start');
    expect((await client.get('/lost')).response.getSetCookie()).toEqual([]);
    expect((await client.get('/show')).response.body).toBe('["a"]');
    expect((await client.get('/kept')).response.getSetCookie()).toHaveLength(1);
    expect((await client.get('/show')).response.body).toBe('["a","b"]');
  });
});

describe('an empty dict read back from the cookie', () => {
  it('takes writes, is saved with them, and stays apart from its neighbours', async () => {
    const app = makeApp()
      .route('/start', ({ session }) => (session.set('prefs', new Map()), session.set('seen', new Map()), 'ok'))
      .route('/edit', ({ session }) => {
        (session.get('prefs') as PyDict).set('lang', 'zh');
        session.modified = true;
        return 'ok';
      })
      .route('/show', ({ session }) => jsonDumps(session.toDict(), { sortKeys: true }))
      .route('/kinds', ({ session }) => ['prefs', 'seen'].map((k) => (session.get(k) as object).constructor.name).join());
    const client = app.testClient();
    await client.get('/start');
    expect((await client.get('/kinds')).response.body).toBe('LazyDict,LazyDict');
    expect((await client.get('/show')).response.body).toBe('{"prefs":{},"seen":{}}');
    expect((await client.get('/edit')).response.getSetCookie()).toHaveLength(1);
    expect((await client.get('/show')).response.body).toBe('{"prefs":{"lang":"zh"},"seen":{}}');
  });
});

describe('reading a cookie back', () => {
  it('loads a cookie Flask signed, with tagged types', async () => {
    const app = makeApp().route('/', ({ session }) => String(session.get('a')));
    const { response, trace } = await app.handle({ url: '/', headers: [['Cookie', `session=${TOKEN_A1}`]] });
    expect(response.body).toBe('1');
    expect(events(trace, 'signature-checked')).toMatchObject([{ ok: true }]);
    expect(events(trace, 'payload-decoded')).toMatchObject([{ timestamp: T, compressed: false }]);
    const decoded = trace.find((e) => e.type === 'payload-decoded');
    expect(decoded && decoded.type === 'payload-decoded' ? traceJson(decoded.data) : null).toBe('{"a":1}');
  });

  it('round-trips flash messages as tuples', async () => {
    const app = makeApp()
      .route('/flash', ({ session }) => (session.set('_flashes', [new PyTuple(['message', 'Saved!'])]), 'ok'))
      .route('/read', ({ session }) => String((session.get('_flashes') as PyTuple[])[0] instanceof PyTuple));
    const client = app.testClient();
    const { response } = await client.get('/flash');
    expect(response.getSetCookie()[0]).toBe('session=eyJfZmxhc2hlcyI6W3siIHQiOlsibWVzc2FnZSIsIlNhdmVkISJdfV19.ZVPxAA.ISAE8W3y38nTbERQk_eZa19bg9A; HttpOnly; Path=/');
    expect((await client.get('/read')).response.body).toBe('true');
  });

  it('honours max_age at the second: T+2678400 readable, T+2678401 and T-1 empty', async () => {
    const clock = { t: T };
    const app = makeApp({}, clock).route('/', ({ session }) => String(session.get('a')));
    const at = async (t: number) => {
      clock.t = t;
      return app.handle({ url: '/', headers: [['Cookie', `session=${TOKEN_A1}`]] });
    };
    expect((await at(T + 2678400)).response.body).toBe('1');
    const late = await at(T + 2678401);
    expect(late.response.body).toBe('null');
    expect(events(late.trace, 'signature-checked')).toMatchObject([{ ok: false, errorClass: 'SignatureExpired', message: 'Signature age 2678401 > 2678400 seconds' }]);
    const early = await at(T - 1);
    expect(early.response.body).toBe('null');
    expect(events(early.trace, 'signature-checked')).toMatchObject([{ ok: false, errorClass: 'SignatureExpired', message: 'Signature age -1 < 0 seconds' }]);
  });

  it('a tampered cookie gives a fresh session quietly, without deleting the cookie', async () => {
    const app = makeApp().route('/', ({ session }) => String(session.size));
    const bad = TOKEN_A1.slice(0, -1) + 'A';
    const { response, trace } = await app.handle({ url: '/', headers: [['Cookie', `session=${bad}`]] });
    expect(response.status).toBe(200);
    expect(response.body).toBe('0');
    expect(response.getSetCookie()).toEqual([]);
    expect(events(trace, 'signature-checked')).toMatchObject([
      { ok: false, errorClass: 'BadTimeSignature', message: "Signature b'D3QXMI0ZQYNZDxORB__kVZyT7hA' does not match" },
    ]);
  });

  it('a validly signed payload that is not JSON is a 500, as in Flask', async () => {
    const si = new SecureCookieSessionInterface();
    const app = makeApp().route('/', () => 'never');
    const signer = si.getSigningSerializer(app)!.makeSigner();
    const token = new TextDecoder().decode(signer.sign('e30x'));
    const { response, trace } = await app.handle({ url: '/', headers: [['Cookie', `session=${token}`]] });
    expect(response.status).toBe(500);
    expect(response.getSetCookie()).toEqual([]);
    expect(events(trace, 'error')[0]).toMatchObject({ error: expect.stringContaining('BadPayload: Could not load the payload') });
  });
});

describe('the lifecycle', () => {
  it('without SECRET_KEY the session is a NullSession and a write is a 500', async () => {
    const app = new Flask({ now: () => T })
      .route('/read', ({ session }) => String(session.get('a')))
      .route('/write', ({ session }) => (session.set('a', 1), 'ok'));
    const read = await app.handle({ url: '/read' });
    expect(read.response.status).toBe(200);
    const write = await app.handle({ url: '/write' });
    expect(write.response.status).toBe(500);
    expect(events(write.trace, 'view-error')[0]).toMatchObject({ error: `RuntimeError: ${NULL_SESSION_MESSAGE}` });
    expect(write.response.getSetCookie()).toEqual([]);
  });

  it('saves what after_request changes, and runs after_request most recent first', async () => {
    const order: string[] = [];
    const app = makeApp()
      .route('/', () => 'ok')
      .afterRequest(function first(r, { session }) {
        order.push('first');
        session.set('a', 1);
        return r;
      })
      .afterRequest(function second(r) {
        order.push('second');
        return r;
      });
    const { response, trace } = await app.handle({ url: '/' });
    expect(order).toEqual(['second', 'first']);
    expect(response.getSetCookie()).toEqual([`session=${TOKEN_A1}; HttpOnly; Path=/`]);
    const types = trace.map((e) => e.type);
    expect(types.indexOf('after-request')).toBeLessThan(types.indexOf('save-decision'));
  });

  it('a 404 still saves the session; a failing view is a 500 that still saves it', async () => {
    const app = makeApp()
      .beforeRequest(({ session }) => void session.set('a', 1))
      .route('/boom', () => {
        throw new Error('boom');
      });
    for (const url of ['/nowhere', '/boom']) {
      const { response } = await app.handle({ url });
      expect(response.status).toBe(url === '/boom' ? 500 : 404);
      expect(response.getSetCookie()).toEqual([`session=${TOKEN_A1}; HttpOnly; Path=/`]);
    }
  });

  it('a permanent session is re-sent on every request while SESSION_REFRESH_EACH_REQUEST is on', async () => {
    for (const refresh of [true, false]) {
      const app = makeApp({ SESSION_REFRESH_EACH_REQUEST: refresh })
        .route('/login', ({ session }) => ((session.permanent = true), session.set('u', 'x'), 'ok'))
        .route('/', () => 'plain');
      const client = app.testClient();
      await client.get('/login');
      const { response, trace } = await client.get('/');
      expect(response.getSetCookie()).toHaveLength(refresh ? 1 : 0);
      expect(events(trace, 'save-decision')[0]).toMatchObject({ action: refresh ? 'set-cookie' : 'skip' });
    }
  });

  it('SECRET_KEY_FALLBACKS verifies old cookies and re-signs with the new key', async () => {
    const old = 'eyJhIjoxfQ.ZVPxAA.a5CogzY9x-5RTptoUZicjZGVeh8';
    const app = new Flask({ config: { SECRET_KEY: 'new-key', SECRET_KEY_FALLBACKS: ['old-key'] }, now: () => T }).route('/', ({ session }) => {
      session.modified = true;
      return String(session.get('a'));
    });
    const { response } = await app.handle({ url: '/', headers: [['Cookie', `session=${old}`]] });
    expect(response.body).toBe('1');
    expect(response.getSetCookie()).toEqual(['session=eyJhIjoxfQ.ZVPxAA.fNp-mu8k33VRIvnZZJ1WV8yrWlo; HttpOnly; Path=/']);
  });

  it('emits the lifecycle steps in Flask\'s order', async () => {
    const app = makeApp().route('/', ({ session }) => (session.set('a', 1), 'ok'));
    const { trace } = await app.handle({ url: '/' });
    expect(trace.map((e) => e.type)).toEqual([
      'request-received',
      'context-pushed',
      'cookie-read',
      'session-opened',
      'session-op',
      'view-returned',
      'vary-added',
      'save-decision',
      'set-cookie-built',
      'response-sent',
    ]);
    expect(trace.map((e) => e.step)).toEqual(trace.map((_, i) => i));
  });
});
