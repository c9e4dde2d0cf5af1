import { describe, expect, it } from 'vitest';
import { Flask } from '../../../src/engine/flask/app.ts';
import { NULL_SESSION_MESSAGE, type SessionInterface } from '../../../src/engine/flask/sessions.ts';
import type { TraceEvent } from '../../../src/engine/flask/trace.ts';
import { FixedSessionInterface, MemoryStore, MySessionInterface } from '../../../src/engine/flask_session/custom.ts';
import { Signer } from '../../../src/engine/itsdangerous/signer.ts';
import { mockClient } from './support.ts';
import { reasonText } from '../../../src/engine/flask/reasons.ts';

const T = 1700000000;
const ofType = <K extends TraceEvent['type']>(trace: TraceEvent[], type: K) => trace.filter((e) => e.type === type) as Extract<TraceEvent, { type: K }>[];

/** The tutorials' counter app (`session.setdefault('n', 0)` then `+= 1`) plus login/logout views. */
function counterApp(si: SessionInterface, config: Record<string, unknown> = { SECRET_KEY: 'A0Zr98j/3yX R~XHH!jmN]LWX/,?RT' }, clock = { t: T }) {
  const app = new Flask({ config, now: () => clock.t, sessionInterface: si });
  app.route('/count', ({ session }) => {
    const n = Number(session.get('n', 0)) + 1;
    session.set('n', n);
    return String(n);
  });
  app.route('/login', ({ session }) => {
    session.set('user1', 'alex');
    return 'in';
  });
  app.route('/who', ({ session }) => String(session.get('user1', 'nobody')));
  app.route('/logout', ({ session }) => {
    session.clear();
    return 'out';
  });
  app.route('/hello', () => 'hello');
  return app;
}

async function bodies(c: ReturnType<Flask['testClient']>, path: string, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push((await c.get(path)).response.body);
  return out;
}

describe('MySessionInterface: the tutorial code, flaw by flaw', () => {
  it('works at first sight: the cookie is uuid4 + "." + HMAC-SHA1 signature (salt flask-session)', async () => {
    const si = new MySessionInterface();
    const c = counterApp(si).testClient();
    const { response } = await c.get('/login');
    const value = c.cookie('session')!;
    const [sid] = value.split('.');
    expect(sid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(value).toBe(new TextDecoder().decode(new Signer('A0Zr98j/3yX R~XHH!jmN]LWX/,?RT', { salt: 'flask-session', keyDerivation: 'hmac' }).sign(sid!)));
    expect(response.getSetCookie()[0]).toBe(`session=${value}; HttpOnly; Path=/`);
    expect(si.container.get(sid!)).toBe('{"user1": "alex"}'); // json.dumps with Python's default separators
    expect((await c.get('/who')).response.body).toBe('alex');
  });

  it('flaw 1: setdefault never updates — responses go 1, 2, 2, 2 while the store stays {"n": 1}', async () => {
    const si = new MySessionInterface();
    const c = counterApp(si).testClient();
    expect(await bodies(c, '/count', 4)).toEqual(['1', '2', '2', '2']);
    expect([...si.container.values()]).toEqual(['{"n": 1}']);
    const last = await c.get('/count');
    const op = ofType(last.trace, 'store-op').find((e) => e.command === 'container.setdefault')!;
    expect(op.hit).toBe(true);
    expect(reasonText(op.why)).toMatch(/keeps the old value and drops \{"n": 2\}/);
  });

  it('flaw 2: nothing is ever deleted or expires — logout leaves the data, and every visitor adds an entry', async () => {
    const clock = { t: T };
    const si = new MySessionInterface();
    const app = counterApp(si, undefined, clock);
    const c = app.testClient();
    await c.get('/login');
    const sid = c.cookie('session')!.split('.')[0]!;
    await c.get('/logout');
    expect(si.container.get(sid)).toBe('{"user1": "alex"}');
    clock.t += 10 * 365 * 86400; // ten years later, the data is still in memory
    expect(si.container.has(sid)).toBe(true);
    // Ten visitors who never touch the session each leave an entry behind ({}), and each gets a cookie.
    for (let i = 0; i < 10; i++) {
      const { response } = await app.testClient().get('/hello');
      expect(response.getSetCookie()).toHaveLength(1);
    }
    expect(si.container.size).toBe(11);
    expect([...si.container.values()].filter((v) => v === '{}')).toHaveLength(10);
  });

  it('flaw 3: two processes do not share the container — worker B does not know worker A\'s session', async () => {
    const workerA = counterApp(new MySessionInterface());
    const workerB = counterApp(new MySessionInterface());
    const browser = workerA.testClient();
    await browser.get('/login');
    const cookie = browser.cookieHeader()!;
    expect((await workerA.handle({ url: '/who', headers: [['Cookie', cookie]] })).response.body).toBe('alex');
    const onB = await workerB.handle({ url: '/who', headers: [['Cookie', cookie]] });
    expect(onB.response.body).toBe('nobody');
    expect(reasonText(ofType(onB.trace, 'session-opened')[0]!.why)).toMatch(/another worker/);
  });

  it('flaw 4: no secret key crashes every response (TypeError where Python raises AttributeError on None.sign)', async () => {
    const app = counterApp(new MySessionInterface(), {});
    const { response, trace } = await app.testClient().get('/hello');
    expect(response.status).toBe(500);
    expect(ofType(trace, 'error')[0]!.error).toMatch(/^TypeError: .*'sign'/);
    // With a cookie, open_session fails first (None.unsign).
    const withCookie = await app.handle({ url: '/hello', headers: [['Cookie', 'session=abc.def']] });
    expect(withCookie.response.status).toBe(500);
    expect(ofType(withCookie.trace, 'error')[0]!.error).toMatch(/^TypeError: .*'unsign'/);
  });

  it('also: a Set-Cookie on every response and no Vary: Cookie', async () => {
    const c = counterApp(new MySessionInterface()).testClient();
    await c.get('/login');
    const { response } = await c.get('/who');
    expect(response.getSetCookie()).toHaveLength(1);
    expect(response.header('Vary')).toBe(null);
  });
});

describe('FixedSessionInterface: each flaw corrected', () => {
  it('expired sessions are removed, not only hidden: 500 one-second visitors, two seconds later only the newest remains', async () => {
    const clock = { t: T };
    const si = new FixedSessionInterface({ now: () => clock.t });
    const app = counterApp(si, { SECRET_KEY: 'k', PERMANENT_SESSION_LIFETIME: 1 }, clock);
    for (let i = 0; i < 500; i++) expect((await app.handle({ url: '/count' })).response.status).toBe(200);
    const store = si.store as MemoryStore;
    expect(store.size).toBe(500);
    clock.t += 2;
    // Nobody reads those keys again; the next command still finds them gone.
    await app.handle({ url: '/count' });
    expect(store.size).toBe(1);
  });

  it('the store is bounded: 20 000 short-lived entries expire on their own, and past maxEntries the soonest to expire goes first', async () => {
    const clock = { t: T };
    const store = new MemoryStore(() => clock.t, { maxEntries: 10_000 });
    const value = new Uint8Array([0x7b, 0x7d]);
    for (let i = 0; i < 20_000; i++) await store.set(`session:${i}`, value, 'EX', 1 + (i % 2));
    expect(store.size).toBe(10_000);
    // The 10 000 that stayed are those that expire last: the two-second ones.
    expect(await store.ttl('session:0')).toBe(-2);
    expect(await store.ttl('session:19999')).toBe(2);
    clock.t += 1;
    expect(store.size).toBe(10_000);
    clock.t += 1;
    expect(store.size).toBe(0);
    expect(store.keys()).toEqual([]);
    expect(() => new MemoryStore(() => clock.t, { maxEntries: 0 })).toThrow(/maxEntries must be a whole number of at least 1, not 0/);
  });

  it('a key written again keeps one entry and its latest expiry', async () => {
    const clock = { t: T };
    const store = new MemoryStore(() => clock.t);
    for (let i = 0; i < 5000; i++) {
      await store.set('session:one', new Uint8Array([i & 0xff]), 'EX', 10);
      clock.t += 0.001;
    }
    expect(store.size).toBe(1);
    clock.t += 9.5;
    expect(await store.getBuffer('session:one')).toEqual(new Uint8Array([(4999) & 0xff]));
    clock.t += 1;
    expect(store.size).toBe(0);
  });

  it('fix 1: assignment instead of setdefault — 1, 2, 3, 4, and the store follows', async () => {
    const store = new MemoryStore(() => T);
    const c = counterApp(new FixedSessionInterface({ store })).testClient();
    expect(await bodies(c, '/count', 4)).toEqual(['1', '2', '3', '4']);
    const [key] = store.keys();
    expect(new TextDecoder().decode((await store.getBuffer(key!))!)).toBe('{"n": 4}');
  });

  it('fix 2: a TTL of PERMANENT_SESSION_LIFETIME, deletion on clear, and nothing stored for visitors who never use the session', async () => {
    const clock = { t: T };
    const store = new MemoryStore(() => clock.t);
    const app = counterApp(new FixedSessionInterface({ store }), { SECRET_KEY: 'k', PERMANENT_SESSION_LIFETIME: 3600 }, clock);
    const c = app.testClient();
    await c.get('/count');
    const [key] = store.keys();
    expect(await store.ttl(key!)).toBe(3600);
    const out = await c.get('/logout');
    expect(store.keys()).toEqual([]);
    expect(out.response.getSetCookie()[0]).toMatch(/^session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Path=\/$/);
    // Expiry: an hour later the stored data is gone and the counter starts again under a new id.
    await c.get('/count');
    const oldCookie = c.cookie('session');
    clock.t += 3601;
    const later = await c.get('/count');
    expect(later.response.body).toBe('1');
    expect(c.cookie('session')).not.toBe(oldCookie);
    // Visitors who never touch the session leave nothing behind and get no cookie.
    const before = store.keys().length;
    const v = await app.testClient().get('/hello');
    expect(v.response.getSetCookie()).toEqual([]);
    expect(store.keys().length).toBe(before);
  });

  it('fix 3: a shared store (ioredis-mock here) lets two processes share sessions', async () => {
    const client = await mockClient();
    const workerA = counterApp(new FixedSessionInterface({ store: client }));
    const workerB = counterApp(new FixedSessionInterface({ store: client }));
    const browser = workerA.testClient();
    await browser.get('/login');
    const cookie = browser.cookieHeader()!;
    expect((await workerB.handle({ url: '/who', headers: [['Cookie', cookie]] })).response.body).toBe('alex');
  });

  it('fix 4: without a secret key reads work and a write raises Flask\'s clear RuntimeError', async () => {
    const app = counterApp(new FixedSessionInterface(), {});
    const read = await app.testClient().get('/who');
    expect(read.response.status).toBe(200);
    expect(read.response.body).toBe('nobody');
    const write = await app.testClient().get('/login');
    expect(write.response.status).toBe(500);
    expect(ofType(write.trace, 'view-error')[0]!.error).toBe(`RuntimeError: ${NULL_SESSION_MESSAGE}`);
  });

  it('fix 4 reads a key as Python does: an empty str or bytes SECRET_KEY is no key', async () => {
    for (const SECRET_KEY of ['', new Uint8Array(0)]) {
      const app = counterApp(new FixedSessionInterface(), { SECRET_KEY });
      expect(new FixedSessionInterface().getSigner(app)).toBeNull();
      const write = await app.testClient().get('/login');
      expect(write.response.status).toBe(500);
      expect(ofType(write.trace, 'view-error')[0]!.error).toBe(`RuntimeError: ${NULL_SESSION_MESSAGE}`);
    }
  });

  it('also: an unknown id is replaced, Set-Cookie only when needed, and Vary: Cookie', async () => {
    const store = new MemoryStore(() => T);
    const si = new FixedSessionInterface({ store });
    const app = counterApp(si);
    const forged = new TextDecoder().decode(si.getSigner(app)!.sign('chosen-by-attacker'));
    const c = app.testClient();
    c.jar.set('session', { value: forged, expires: null, attributes: '' });
    await c.get('/login');
    expect(c.cookie('session')!.startsWith('chosen-by-attacker.')).toBe(false);
    const read = await c.get('/who');
    expect(read.response.getSetCookie()).toEqual([]);
    expect(read.response.header('Vary')).toBe('Cookie');
  });
});
