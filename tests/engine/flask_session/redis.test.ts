import { describe, expect, it } from 'vitest';
import { Flask } from '../../../src/engine/flask/app.ts';
import { NULL_SESSION_MESSAGE } from '../../../src/engine/flask/sessions.ts';
import type { TraceEvent } from '../../../src/engine/flask/trace.ts';
import { ServerSideSession, tokenUrlsafe, uuid4 } from '../../../src/engine/flask_session/base.ts';
import { NullSessionInterface, Session } from '../../../src/engine/flask_session/index.ts';
import { dumps as pickleDumps } from '../../../src/engine/flask_session/pickle.ts';
import {
  createRedisSessionInterface,
  defaultToClientBytes,
  LegacyRedisSessionInterface,
  LegacyServerSideSession,
  RedisSessionInterface,
  type RedisLikeClient,
} from '../../../src/engine/flask_session/redis.ts';
import { Signer } from '../../../src/engine/itsdangerous/signer.ts';
import { counterBytes, fromHex, mockClient, toHex, vectors } from './support.ts';
import modern from '../../vectors/flask_session_msgspec.json' with { type: 'json' };
import { PreciseDate } from '../../../src/engine/flask_session/msgpack.ts';
import { PyTuple } from '../../../src/engine/python/values.ts';
import { pyStr } from '../../../src/engine/python/repr.ts';
import { reasonText } from '../../../src/engine/flask/reasons.ts';

const T = 1700000000;
const EXPIRES_31D = 'Expires=Fri, 15 Dec 2023 22:13:20 GMT';
const DELETE_COOKIE = 'session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/';

const storeOps = (trace: TraceEvent[]) => trace.filter((e) => e.type === 'store-op') as Extract<TraceEvent, { type: 'store-op' }>[];
const ofType = <K extends TraceEvent['type']>(trace: TraceEvent[], type: K) => trace.filter((e) => e.type === type) as Extract<TraceEvent, { type: K }>[];

async function setup(config: Record<string, unknown> = {}, options: Partial<ConstructorParameters<typeof RedisSessionInterface>[0]> = {}) {
  const client = await mockClient();
  const si = new RedisSessionInterface({ client, randomBytes: counterBytes(), ...options });
  const clock = { t: T };
  const app = new Flask({ config: { SECRET_KEY: 'dev', ...config }, now: () => clock.t, sessionInterface: si });
  app.route('/set', ({ session }) => {
    session.set('name', 'x');
    session.set('a', 1);
    return 'ok';
  });
  app.route('/read', ({ session }) => String(session.get('name') ?? 'None'));
  app.route('/nothing', () => 'n');
  app.route('/clear', ({ session }) => {
    session.clear();
    return 'c';
  });
  app.route('/login', async ({ session, app }) => {
    session.set('user', 'alice');
    await (app.sessionInterface as RedisSessionInterface).regenerate(session);
    return 'in';
  });
  return { client, si, app, clock, c: app.testClient() };
}

describe('ServerSideSession (0.8)', () => {
  it('is false when empty or holding only _permanent; clear() keeps _permanent and counts as modified', () => {
    const s = new ServerSideSession(null, 'sid', true);
    expect(s.toDict()).toEqual(new Map([['_permanent', true]]));
    expect(s.modified).toBe(false);
    expect(s.accessed).toBe(false);
    expect(s.truthy).toBe(false);
    s.set('a', 1);
    expect(s.truthy).toBe(true);
    expect(s.modified && s.accessed).toBe(true);
    s.modified = false;
    s.clear();
    expect(s.toDict()).toEqual(new Map([['_permanent', true]]));
    expect(s.modified).toBe(true);
    expect(s.truthy).toBe(false);
    const plain = new ServerSideSession(null, 'sid');
    plain.clear();
    expect(plain.toDict()).toEqual(new Map([['_permanent', false]]));
  });

  it('get, getItem and setdefault mark it accessed; has() does not', () => {
    for (const op of [(s: ServerSideSession) => s.get('a'), (s: ServerSideSession) => s.getItem('a'), (s: ServerSideSession) => s.setdefault('a', 2)]) {
      const s = new ServerSideSession(new Map([['a', 1]]), 'x');
      op(s);
      expect(s.accessed).toBe(true);
      expect(s.modified).toBe(false);
    }
    const s = new ServerSideSession(new Map([['a', 1]]), 'x');
    s.has('a');
    expect(s.accessed).toBe(false);
  });

  it('session ids: token_urlsafe lengths and alphabet; uuid4 shape', () => {
    for (const [n, len] of [[16, 22], [24, 32], [32, 43], [33, 44], [48, 64], [64, 86]]) {
      const t = tokenUrlsafe(n);
      expect(t).toHaveLength(len);
      expect(t).toMatch(/^[A-Za-z0-9_-]+$/);
    }
    expect(tokenUrlsafe(32)).not.toBe(tokenUrlsafe(32));
    expect(uuid4()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(uuid4(counterBytes(0))).toBe('00010203-0405-4607-8809-0a0b0c0d0e0f');
  });
});

describe('RedisSessionInterface (Flask-Session 0.8) over ioredis-mock', () => {
  it('a new session: SET <prefix><43-char sid> <msgpack> EX 2678400, cookie = sid with Expires, Vary: Cookie', async () => {
    const { c, client } = await setup();
    const { response, trace } = await c.get('/set');
    const [set] = storeOps(trace);
    expect(set).toMatchObject({ command: 'SET', ttl: 2678400, bytes: 23 });
    const sid = set!.key.slice('session:'.length);
    expect(sid).toHaveLength(43);
    expect(set!.key.startsWith('session:')).toBe(true);
    expect(toHex((await client.getBuffer(set!.key))!)).toBe('83aa5f7065726d616e656e74c3a46e616d65a178a16101');
    expect(await client.ttl(set!.key)).toBeGreaterThan(2678390);
    expect(response.getSetCookie()).toEqual([`session=${sid}; ${EXPIRES_31D}; HttpOnly; Path=/`]);
    expect(response.header('Vary')).toBe('Cookie');
  });

  it('a request that never touches the session: no store command, no cookie, no Vary', async () => {
    const { c } = await setup();
    const { response, trace } = await c.get('/nothing');
    expect(storeOps(trace)).toEqual([]);
    expect(response.getSetCookie()).toEqual([]);
    expect(response.header('Vary')).toBe(null);
  });

  it('reading with the cookie: GET, then the SET refresh, and the cookie is re-sent', async () => {
    const { c } = await setup();
    await c.get('/set');
    const { response, trace } = await c.get('/read');
    expect(response.body).toBe('x');
    expect(storeOps(trace).map((e) => e.command)).toEqual(['GET', 'SET']);
    expect(storeOps(trace)[0]).toMatchObject({ hit: true, bytes: 23 });
    expect(response.getSetCookie()).toHaveLength(1);
  });

  it('SESSION_PERMANENT=False: no Expires; later reads refresh the store but send no cookie', async () => {
    const { c } = await setup({}, { permanent: false });
    const first = await c.get('/set');
    expect(first.response.getSetCookie()[0]).toMatch(/^session=[A-Za-z0-9_-]{43}; HttpOnly; Path=\/$/);
    const { response, trace } = await c.get('/read');
    expect(storeOps(trace).map((e) => [e.command, e.ttl])).toEqual([['GET', undefined], ['SET', 2678400]]);
    expect(response.getSetCookie()).toEqual([]);
    expect(reasonText(ofType(trace, 'save-decision').at(-1)!.why)).toMatch(/TTL was refreshed/);
  });

  it('SESSION_REFRESH_EACH_REQUEST=False: a read is a GET only, nothing sent', async () => {
    const { c } = await setup({ SESSION_REFRESH_EACH_REQUEST: false });
    await c.get('/set');
    const { response, trace } = await c.get('/read');
    expect(storeOps(trace).map((e) => e.command)).toEqual(['GET']);
    expect(response.getSetCookie()).toEqual([]);
  });

  it('an id the store does not know is replaced by a new one (fixation defence): one GET, no cookie', async () => {
    const { c, client } = await setup();
    c.jar.set('session', { value: 'attacker-chosen', expires: null, attributes: '' });
    const { response, trace } = await c.get('/read');
    expect(storeOps(trace)).toEqual([expect.objectContaining({ command: 'GET', key: 'session:attacker-chosen', hit: false })]);
    const opened = ofType(trace, 'session-opened')[0]!;
    expect(opened.kind).toBe('new');
    expect(reasonText(opened.why)).toMatch(/fixation/);
    expect(response.getSetCookie()).toEqual([]);
    expect(response.header('Vary')).toBe('Cookie');
    // Writing now stores under a fresh id, never under the attacker's.
    const w = await c.get('/set');
    expect(storeOps(w.trace).filter((e) => e.command === 'SET').map((e) => e.key)).not.toContain('session:attacker-chosen');
    expect(await client.getBuffer('session:attacker-chosen')).toBe(null);
  });

  it('regenerate(session): GET old, DEL old, SET new, and the cookie carries the new id', async () => {
    const { c, client } = await setup();
    await c.get('/set');
    const oldSid = c.cookie('session')!;
    const { response, trace } = await c.get('/login');
    const ops = storeOps(trace);
    expect(ops.map((e) => e.command)).toEqual(['GET', 'DEL', 'SET']);
    expect(ops[1]!.key).toBe(`session:${oldSid}`);
    const newSid = ops[2]!.key.slice('session:'.length);
    expect(newSid).not.toBe(oldSid);
    expect(response.getSetCookie()[0]).toContain(`session=${newSid};`);
    expect(await client.getBuffer(`session:${oldSid}`)).toBe(null);
  });

  it('regenerate() leaves an empty session alone', async () => {
    const { si } = await setup();
    const s = new ServerSideSession(null, 'same', true);
    await si.regenerate(s);
    expect(s.sid).toBe('same');
    expect(s.modified).toBe(false);
  });

  it('clear(): DEL and a delete cookie with only Path (no HttpOnly, SameSite or Partitioned)', async () => {
    const { c, client } = await setup({ SESSION_COOKIE_SAMESITE: 'Lax', SESSION_COOKIE_PARTITIONED: true, SESSION_COOKIE_SECURE: true });
    const first = await c.get('/set');
    expect(first.response.getSetCookie()[0]).toMatch(/; Secure; HttpOnly; Path=\/; SameSite=Lax$/); // Partitioned never sent
    const sid = c.cookie('session')!;
    const { response, trace } = await c.get('/clear');
    expect(storeOps(trace).map((e) => [e.command, e.key])).toEqual([['GET', `session:${sid}`], ['DEL', `session:${sid}`]]);
    expect(response.getSetCookie()).toEqual([DELETE_COOKIE]);
    expect(response.header('Vary')).toBe('Cookie');
    expect(await client.getBuffer(`session:${sid}`)).toBe(null);
  });

  it('lifetime 90.7 s with the json format: SET … EX 90 (truncated) and Expires = now + 90.7 s', async () => {
    const { c, client } = await setup({ PERMANENT_SESSION_LIFETIME: 90.7 }, { serializationFormat: 'json', keyPrefix: 'myapp:' });
    const { response, trace } = await c.get('/set');
    const set = storeOps(trace)[0]!;
    expect(set.ttl).toBe(90);
    expect(set.key.startsWith('myapp:')).toBe(true);
    expect(new TextDecoder().decode((await client.getBuffer(set.key))!)).toBe('{"_permanent":true,"name":"x","a":1}');
    expect(response.getSetCookie()[0]).toContain('Expires=Tue, 14 Nov 2023 22:14:50 GMT');
  });

  it('a lifetime under one second gives EX 0, which Redis refuses: a 500', async () => {
    const { c } = await setup({ PERMANENT_SESSION_LIFETIME: 0.5 });
    const { response, trace } = await c.get('/set');
    expect(response.status).toBe(500);
    expect(ofType(trace, 'error')[0]!.error).toBe("ResponseError: invalid expire time in 'set' command");
  });

  it('useSigner: cookie = sid.HMAC (salt flask-session); a tampered cookie gives a new session', async () => {
    const { c, si } = await setup({}, { useSigner: true });
    expect(si.warnings[0]).toMatch(/'use_signer' option is deprecated/);
    const { response, trace } = await c.get('/set');
    const sid = storeOps(trace)[0]!.key.slice('session:'.length);
    const expected = new TextDecoder().decode(new Signer('dev', { salt: 'flask-session', keyDerivation: 'hmac' }).sign(sid));
    expect(response.getSetCookie()[0]).toContain(`session=${expected};`);
    const ok = await c.get('/read');
    expect(ofType(ok.trace, 'signature-checked')[0]!.ok).toBe(true);
    expect(ok.response.body).toBe('x');
    c.jar.set('session', { value: `${sid}.AAAAAAAAAAAAAAAAAAAAAAAAAAA`, expires: null, attributes: '' });
    const bad = await c.get('/read');
    expect(ofType(bad.trace, 'signature-checked')[0]).toMatchObject({ ok: false, errorClass: 'BadSignature' });
    expect(bad.response.body).toBe('None');
    expect(storeOps(bad.trace)).toEqual([]);
  });

  it('useSigner without SECRET_KEY: KeyError with Flask-Session\'s message, a 500', async () => {
    const { c } = await setup({ SECRET_KEY: null }, { useSigner: true });
    c.jar.set('session', { value: 'x.y', expires: null, attributes: '' });
    const { response, trace } = await c.get('/read');
    expect(response.status).toBe(500);
    expect(ofType(trace, 'error')[0]!.error).toBe("KeyError: 'SECRET_KEY must be set when SESSION_USE_SIGNER=True'");
  });

  it('a legacy pickle in the store is read by the safe reader and rewritten as msgpack', async () => {
    const { c, client } = await setup();
    const legacy = fromHex('80049524000000000000007d94288c0a5f7065726d616e656e7494888c046e616d65948c0178948c0161944b01752e');
    await client.set('session:legacy', defaultToClientBytes(legacy) as never, 'EX', 100);
    c.jar.set('session', { value: 'legacy', expires: null, attributes: '' });
    const { response, trace } = await c.get('/read');
    expect(response.body).toBe('x');
    expect(storeOps(trace).map((e) => e.command)).toEqual(['GET', 'DECODE', 'SET']);
    expect(toHex((await client.getBuffer('session:legacy'))!)).toBe('83aa5f7065726d616e656e74c3a46e616d65a178a16101');
  });

  it('a pickle that would run code (a call to builtins.print) is refused: a 500, and the trace says why', async () => {
    const { c, client } = await setup();
    const evil = vectors.pickleUnsafe.find((v) => v.name.startsWith('print payload'))!;
    await client.set('session:evil', defaultToClientBytes(fromHex(evil.hex)) as never, 'EX', 100);
    c.jar.set('session', { value: 'evil', expires: null, attributes: '' });
    const { response, trace } = await c.get('/read');
    expect(response.status).toBe(500);
    const errors = ofType(trace, 'error');
    expect(errors[0]!.error).toMatch(/^UnsafePickleError: refusing opcode GLOBAL \(0x63\) at byte 0/);
    expect(reasonText(errors[0]!.why)).toMatch(/would have executed/);
  });
});

describe('Session(app): setup from config', () => {
  it('0.8: the default SESSION_TYPE "null" and unknown formats raise; redis installs the interface', async () => {
    expect(() => new Session(new Flask())).toThrow('Unrecognized value for SESSION_TYPE: null');
    const client = await mockClient();
    expect(() => new Session(new Flask({ config: { SESSION_TYPE: 'redis', SESSION_SERIALIZATION_FORMAT: 'xml' } }), { client })).toThrow('Unsupported serialization format: xml');
    expect(() => new Session(new Flask({ config: { SESSION_TYPE: 'redis' } }))).toThrow(/SESSION_REDIS must be a Redis client/);
    const app = new Flask({ config: { SESSION_TYPE: 'Redis', SESSION_REDIS: client, SESSION_KEY_PREFIX: 'p:', SESSION_ID_LENGTH: 16 } });
    new Session(app);
    const si = app.sessionInterface as RedisSessionInterface;
    expect(si).toBeInstanceOf(RedisSessionInterface);
    expect([si.keyPrefix, si.sidLength, si.permanent, si.useSigner, si.serializer.format]).toEqual(['p:', 16, true, false, 'msgpack']);
  });

  it('0.3: an unknown SESSION_TYPE installs NullSessionInterface, whose writes blame a missing secret key even with one set', async () => {
    const app = new Flask({ config: { SECRET_KEY: 'dev' } });
    new Session(app, { flaskSession: '0.3' });
    expect(app.sessionInterface).toBeInstanceOf(NullSessionInterface);
    app.route('/w', ({ session }) => {
      session.set('a', 1);
      return 'never';
    });
    const { response, trace } = await app.testClient().get('/w');
    expect(response.status).toBe(500);
    expect(ofType(trace, 'view-error')[0]!.error).toBe(`RuntimeError: ${NULL_SESSION_MESSAGE}`);
  });

  it('createRedisSessionInterface picks the version', async () => {
    const client = await mockClient();
    expect(createRedisSessionInterface({ client })).toBeInstanceOf(RedisSessionInterface);
    expect(createRedisSessionInterface({ client, flaskSession: '0.3' })).toBeInstanceOf(LegacyRedisSessionInterface);
  });
});

describe('LegacyRedisSessionInterface (Flask-Session 0.3.2): replays the transcript recorded under Flask 2.2.2', () => {
  for (const useSigner of [false, true]) {
    it(`useSigner=${useSigner}: same commands, stored pickles and Set-Cookie headers as the real 0.3.2`, async () => {
      const steps = vectors.transcript032.filter((s) => s.useSigner === useSigner);
      // The recording replaced uuid4 with UUID(int=1), UUID(int=2), …; the signed run continued the count.
      let next = useSigner ? 3 : 1;
      class Numbered extends LegacyRedisSessionInterface {
        override generateSid(): string {
          const h = (next++).toString(16).padStart(32, '0');
          return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
        }
      }
      const client = await mockClient();
      const app = new Flask({ config: { SECRET_KEY: 'dev' }, now: () => T, sessionInterface: new Numbered({ client, keyPrefix: 'session:', useSigner }) });
      app.route('/set', ({ session }) => {
        session.set('name', 'x');
        session.set('a', 1);
        return 'ok';
      });
      app.route('/read', ({ session }) => String(session.get('name') ?? 'None'));
      app.route('/nothing', () => 'n');
      app.route('/clear', ({ session }) => {
        session.clear();
        return 'c';
      });
      for (const step of steps) {
        const headers: [string, string][] = step.cookieSent ? [['Cookie', `session=${step.cookieSent}`]] : [];
        const { response, trace } = await app.handle({ url: step.path, headers });
        expect(response.body, step.path).toBe(step.body);
        const ops = storeOps(trace);
        const commands: unknown[] = [];
        for (const op of ops) {
          if (op.command === 'SETEX') commands.push(['SETEX', op.key, op.ttl, toHex((await client.getBuffer(op.key))!)]);
          else commands.push([op.command, op.key]);
        }
        expect(commands, `${step.path} with ${step.cookieSent}`).toEqual(step.commands);
        expect(response.getSetCookie(), step.path).toEqual(step.setCookie);
        expect(response.header('Vary')).toBe(step.vary);
      }
    });
  }

  it('0.3.2 sessions: {_permanent: True} is truthy and clear() removes _permanent', () => {
    const s = new LegacyServerSideSession(null, 'x', true);
    expect(s.truthy).toBe(true);
    expect(s.modified).toBe(false);
    s.clear();
    expect(s.toDict()).toEqual(new Map());
  });

  it('an unsafe pickle in the store: refused, and 0.3.2\'s bare except hands out an empty session with the same id', async () => {
    const client = await mockClient();
    const evil = vectors.pickleUnsafe.find((v) => v.name.includes('protocol 4 (STACK_GLOBAL'))!;
    await client.set('session:victim', defaultToClientBytes(fromHex(evil.hex)) as never, 'EX', 100);
    const app = new Flask({ config: { SECRET_KEY: 'dev' }, now: () => T, sessionInterface: new LegacyRedisSessionInterface({ client }) });
    app.route('/read', ({ session }) => String(session.get('p') ?? 'None'));
    const { response, trace } = await app.handle({ url: '/read', headers: [['Cookie', 'session=victim']] });
    expect(response.body).toBe('None');
    expect(reasonText(ofType(trace, 'error')[0]!.why)).toMatch(/would have run it/);
    expect(toHex((await client.getBuffer('session:victim'))!)).toBe(toHex(pickleDumps(new Map([['_permanent', true]]))));
  });

  it('useSigner without a secret key: open returns None, so Flask uses its NullSession', async () => {
    const client: RedisLikeClient = await mockClient();
    const app = new Flask({ now: () => T, sessionInterface: new LegacyRedisSessionInterface({ client, useSigner: true }) });
    app.route('/read', ({ session }) => String(session.get('a')));
    const { response, trace } = await app.handle({ url: '/read', headers: [['Cookie', 'session=abc.def']] });
    expect(response.status).toBe(200);
    expect(ofType(trace, 'session-opened')[0]!.kind).toBe('null');
  });

  it('signed ids match itsdangerous vectors (salt flask-session, HMAC key derivation)', () => {
    for (const v of vectors.signedSid) {
      const s = new Signer(v.key, { salt: 'flask-session', keyDerivation: 'hmac' });
      expect(new TextDecoder().decode(s.sign(v.sid))).toBe(v.signed);
    }
    const spec = vectors.signedSid.find((v) => v.key === 'dev' && v.sid === '12345678-1234-5678-1234-567812345678')!;
    expect(spec.signed).toBe('12345678-1234-5678-1234-567812345678.TXTwW9g-PDQHPzmmj6pQ_pr4rCE'); // made by the real itsdangerous
  });
});

describe('Session(app) with Flask-Session 0.3.2: replays the transcripts recorded under Flask 2.2.2 per configuration', () => {
  const configs = [...new Set(vectors.transcript032Configs.map((s) => s.config))];
  it.each(configs)('%s: same commands, stored pickles, Set-Cookie and Vary as the real 0.3.2', async (name) => {
    const steps = vectors.transcript032Configs.filter((s) => s.config === name);
    let next = 1;
    class Numbered extends LegacyRedisSessionInterface {
      override generateSid(): string {
        const h = (next++).toString(16).padStart(32, '0');
        return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
      }
    }
    const client = await mockClient();
    const app = new Flask({ config: { SECRET_KEY: 'dev', SESSION_TYPE: 'redis', ...steps[0]!.configValues } as never, now: () => T });
    new Session(app, { flaskSession: '0.3', client });
    // Session(app) built the interface from the config; the same settings on a subclass whose ids are numbered.
    const built = app.sessionInterface as LegacyRedisSessionInterface;
    app.sessionInterface = Object.assign(Object.create(Numbered.prototype), built) as LegacyRedisSessionInterface;
    app.route('/set', ({ session }) => {
      session.set('name', 'x');
      session.set('a', 1);
      return 'ok';
    });
    app.route('/typed', ({ session }) => {
      session.set('raw', new Uint8Array([0, 255]));
      session.set('pair', new PyTuple([1, 'two']));
      session.set('big', 2n ** 70n);
      session.set('f', 2.5);
      return 'typed';
    });
    app.route('/read', ({ session }) => pyStr(session.get('name')));
    app.route('/nothing', () => 'n');
    app.route('/clear', ({ session }) => {
      session.clear();
      return 'c';
    });
    for (const step of steps) {
      const headers: [string, string][] = step.cookieSent ? [['Cookie', `session=${step.cookieSent}`]] : [];
      const { response, trace } = await app.handle({ url: step.path, headers });
      const what = `${step.path} with ${step.cookieSent}`;
      expect(response.status, what).toBe(step.status);
      expect(response.body, what).toBe(step.body);
      const commands: unknown[] = [];
      for (const op of storeOps(trace)) {
        if (op.command === 'SETEX') commands.push(['SETEX', op.key, op.ttl, toHex((await client.getBuffer(op.key))!)]);
        else commands.push([op.command, op.key]);
      }
      expect(commands, what).toEqual(step.commands);
      expect(response.getSetCookie(), what).toEqual(step.setCookie);
      expect(response.header('Vary'), what).toBe(step.vary);
    }
  });
});

describe('RedisSessionInterface (Flask-Session 0.8.0): replays the transcripts recorded under Flask 3.1.1', () => {
  const configs = [...new Set(modern.transcript08.map((s) => s.config))];
  it.each(configs)('%s: same commands, stored bytes, Set-Cookie and Vary as the real 0.8.0', async (name) => {
    const steps = modern.transcript08.filter((s) => s.config === name);
    const client = await mockClient();
    const app = new Flask({ config: { SECRET_KEY: 'dev', SESSION_TYPE: 'redis', ...steps[0]!.configValues } as never, now: () => T });
    new Session(app, { client, randomBytes: counterBytes() });
    app.route('/set', ({ session }) => {
      session.set('name', 'x');
      session.set('a', 1);
      return 'ok';
    });
    app.route('/typed', ({ session }) => {
      session.set('at', new PreciseDate(1704164645678901n));
      session.set('raw', new Uint8Array([0, 255]));
      session.set('pair', new PyTuple([1, 'x']));
      session.set('big', 2n ** 64n - 1n);
      return 'typed';
    });
    app.route('/read', ({ session }) => pyStr(session.get('name')));
    app.route('/nothing', () => 'n');
    app.route('/clear', ({ session }) => {
      session.clear();
      return 'c';
    });
    for (const step of steps) {
      const headers: [string, string][] = step.cookieSent ? [['Cookie', `session=${step.cookieSent}`]] : [];
      const { response, trace } = await app.handle({ url: step.path, headers });
      const what = `${step.path} with ${step.cookieSent}`;
      expect(response.status, what).toBe(step.status);
      expect(response.body, what).toBe(step.body);
      const commands: unknown[] = [];
      for (const op of storeOps(trace)) {
        if (op.command === 'SET') commands.push(['SET', op.key, op.ttl, toHex((await client.getBuffer(op.key))!)]);
        else commands.push([op.command, op.key]);
      }
      expect(commands, what).toEqual(step.commands);
      expect(response.getSetCookie(), what).toEqual(step.setCookie);
      expect(response.header('Vary'), what).toBe(step.vary);
    }
  });
});


describe('a planted pickle whose lists share references (x = [x, x], 24 and 40 levels)', () => {
  const tower = (levels: number) => {
    let x: unknown[] = [];
    for (let i = 0; i < levels; i++) x = [x, x];
    return pickleDumps(new Map<string, unknown>([['n', 'kept'], ['x', x]]) as never);
  };
  for (const levels of [24, 40]) {
    it(`${levels} levels, Flask-Session 0.3.2: loads, answers, and writes back the same few hundred bytes (as pickle.dumps does)`, async () => {
      const client = await mockClient();
      const planted = tower(levels);
      await client.set('session:tower', defaultToClientBytes(planted) as never, 'EX', 100);
      const app = new Flask({ config: { SECRET_KEY: 'dev' }, now: () => T, sessionInterface: new LegacyRedisSessionInterface({ client }) });
      app.route('/read', ({ session }) => String(session.get('n') ?? 'None'));
      const { response, trace } = await app.handle({ url: '/read', headers: [['Cookie', 'session=tower']] });
      expect([response.status, response.body]).toEqual([200, 'kept']);
      expect(storeOps(trace).map((e) => [e.command, e.bytes])).toEqual([
        ['GET', planted.length],
        ['SETEX', planted.length],
      ]);
      expect(toHex((await client.getBuffer('session:tower'))!)).toBe(toHex(planted));
    });

    it(`${levels} levels as the whole pickle (a list, not a dict), Flask-Session 0.3.2: dict() of it raises, the bare except gives an empty session, same id`, async () => {
      const client = await mockClient();
      let x: unknown[] = [];
      for (let i = 0; i < levels; i++) x = [x, x];
      await client.set('session:list', defaultToClientBytes(pickleDumps(x as never)) as never, 'EX', 100);
      const app = new Flask({ config: { SECRET_KEY: 'dev' }, now: () => T, sessionInterface: new LegacyRedisSessionInterface({ client }) });
      app.route('/read', ({ session }) => String(session.get('n') ?? 'None'));
      const { response, trace } = await app.handle({ url: '/read', headers: [['Cookie', 'session=list']] });
      expect([response.status, response.body]).toEqual([200, 'None']);
      expect(ofType(trace, 'error')[0]!.error).toBe("TypeError: unhashable type: 'list'");
      expect(toHex((await client.getBuffer('session:list'))!)).toBe(toHex(pickleDumps(new Map([['_permanent', true]]))));
    });

    it(`${levels} levels, Flask-Session 0.8: refused as it is read (0.8 would write 2^${levels + 1} values back), a 500, nothing written`, async () => {
      const { c, client } = await setup();
      const planted = tower(levels);
      await client.set('session:tower', defaultToClientBytes(planted) as never, 'EX', 100);
      c.jar.set('session', { value: 'tower', expires: null, attributes: '' });
      const { response, trace } = await c.get('/read');
      expect(response.status).toBe(500);
      expect(ofType(trace, 'error')[0]!.error).toBe('UnpicklingError: Failed to deserialize session data');
      expect(storeOps(trace).map((e) => e.command)).toEqual(['GET']);
      expect(toHex((await client.getBuffer('session:tower'))!)).toBe(toHex(planted));
    });
  }
});
