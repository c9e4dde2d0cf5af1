// The TypeScript demo server (`session-lab serve`) and the real Flask 2.2.2 + Flask-Session 0.3.2 share one real
// redis-server and one browser-like cookie jar: sessions written by either side are read by the other, with plain
// and signed ids; TTLs and deletion are checked in Redis itself; the signed-cookie interface interoperates with a
// plain Flask app; and the 0.8 format is checked with python3-msgpack.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { itWithPeer, peerMissing, runPython } from '../support/peers.ts';
import { startRedis, type RedisServer } from '../support/redis.ts';
import { Jar, q, startFlaskSession, startServe, type Child } from './helpers.ts';

const SECRET = 'interop-secret-ключ';
const LIFETIME = 3600;
const counts = { tsToFlask: 0, flaskToTs: 0, signedTsToFlask: 0, signedFlaskToTs: 0, cookieTsToFlask: 0, cookieFlaskToTs: 0, msgpackChecked: 0 };

const ready = !peerMissing('redis-server') && !peerMissing('flask_session');
let redis: RedisServer | null = null;
let client: Redis | null = null;
const children: Child[] = [];
let ts: Child, flask: Child, tsSigned: Child, flaskSigned: Child, tsCookie: Child, flaskCookie: Child, tsModern: Child;

beforeAll(async () => {
  if (!ready) return;
  redis = await startRedis();
  client = new Redis(redis.port, '127.0.0.1', { maxRetriesPerRequest: 1 });
  const common = ['--interface', 'redis', '--secret', SECRET, '--redis', redis.url, '--flask-session', '0.3', '--lifetime', String(LIFETIME)];
  const env = { SECRET_KEY: SECRET, REDIS_URL: redis.url, LIFETIME: String(LIFETIME) };
  [ts, flask, tsSigned, flaskSigned, tsCookie, flaskCookie, tsModern] = await Promise.all([
    startServe([...common, '--key-prefix', 'lab:']),
    startFlaskSession({ ...env, KEY_PREFIX: 'lab:' }),
    startServe([...common, '--key-prefix', 'signed:', '--use-signer']),
    startFlaskSession({ ...env, KEY_PREFIX: 'signed:', USE_SIGNER: '1' }),
    startServe(['--interface', 'cookie', '--secret', SECRET]),
    startFlaskSession({ SECRET_KEY: SECRET, SESSION_MODE: 'cookie' }),
    startServe(['--interface', 'redis', '--secret', SECRET, '--redis', redis.url, '--key-prefix', 'modern:']),
  ]);
  children.push(ts, flask, tsSigned, flaskSigned, tsCookie, flaskCookie, tsModern);
}, 60_000);

afterAll(async () => {
  await Promise.all(children.map((c) => c.stop()));
  client?.disconnect();
  await redis?.stop();
  console.log(
    `[serve interop] sessions crossed: Flask-Session 0.3 plain ids TS→Flask ${counts.tsToFlask}, Flask→TS ${counts.flaskToTs}; ` +
      `signed ids TS→Flask ${counts.signedTsToFlask}, Flask→TS ${counts.signedFlaskToTs}; ` +
      `signed cookies TS→Flask ${counts.cookieTsToFlask}, Flask→TS ${counts.cookieFlaskToTs}; 0.8 values decoded by python3-msgpack ${counts.msgpackChecked}`,
  );
}, 30_000);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const VALUES = ['plain', 'José ☃ 𝄞', 'a;b=c "q"', '', '1'.repeat(300)];

/** Sets values on `writer`, reads each back on `reader` and compares both /dump outputs; returns the session id cookie. */
async function crossOnce(writer: Child, reader: Child, i: number): Promise<{ jar: Jar; cookie: string }> {
  const jar = new Jar();
  const value = `${VALUES[i % VALUES.length]}-${i}`;
  expect((await jar.get(`${writer.base}/set?key=k${i}&value=${q(value)}`)).status).toBe(200);
  expect((await jar.get(`${writer.base}/set?key=n&value=${i}`)).status).toBe(200);
  const got = await jar.get(`${reader.base}/get?key=k${i}`);
  expect(got.status).toBe(200);
  expect(got.body).toBe(value);
  const [a, b] = await Promise.all([jar.get(`${writer.base}/dump`), jar.get(`${reader.base}/dump`)]);
  expect(b.body).toBe(a.body);
  expect(JSON.parse(a.body)).toEqual({ _permanent: true, [`k${i}`]: value, n: String(i) });
  return { jar, cookie: jar.cookies.get('session')! };
}

describe('session-lab serve --flask-session 0.3 with the real Flask-Session 0.3.2 on one redis-server', () => {
  itWithPeer('flask_session', 'sessions written by the TypeScript server are read by Flask, and the reverse (plain uuid4 ids)', async () => {
    for (let i = 0; i < 20; i++) {
      const { cookie } = await crossOnce(ts, flask, i);
      expect(cookie).toMatch(UUID);
      counts.tsToFlask++;
    }
    for (let i = 20; i < 40; i++) {
      const { cookie } = await crossOnce(flask, ts, i);
      expect(cookie).toMatch(UUID);
      counts.flaskToTs++;
    }
  }, 60_000);

  itWithPeer('flask_session', 'signed ids (SESSION_USE_SIGNER): both ways, and the key in Redis is the bare uuid', async () => {
    for (let i = 0; i < 10; i++) {
      const [writer, reader] = i % 2 ? [flaskSigned, tsSigned] : [tsSigned, flaskSigned];
      const { cookie } = await crossOnce(writer, reader, i);
      const [sid, sig] = cookie.split('.');
      expect(sid).toMatch(UUID);
      expect(sig).toMatch(/^[A-Za-z0-9_-]{27}$/);
      expect(await client!.exists(`signed:${sid}`)).toBe(1);
      if (i % 2) counts.signedFlaskToTs++;
      else counts.signedTsToFlask++;
    }
    // A forged signature is refused on both sides: a new session, the old data unseen.
    const jar = new Jar();
    await jar.get(`${tsSigned.base}/set?key=secret&value=x`);
    const sid = jar.cookies.get('session')!.split('.')[0]!;
    for (const side of [tsSigned, flaskSigned]) {
      const forged = new Jar();
      forged.cookies.set('session', `${sid}.AAAAAAAAAAAAAAAAAAAAAAAAAAA`);
      const r = await forged.get(`${side.base}/get?key=secret`);
      expect(r.status).toBe(404);
      expect(forged.cookies.get('session')!.split('.')[0]).not.toBe(sid);
    }
  }, 60_000);

  itWithPeer('redis-server', 'TTL in Redis is PERMANENT_SESSION_LIFETIME from either side; SETEX refreshes it', async () => {
    for (const [writer, prefix] of [
      [ts, 'lab:'],
      [flask, 'lab:'],
      [tsSigned, 'signed:'],
      [flaskSigned, 'signed:'],
    ] as const) {
      const jar = new Jar();
      await jar.get(`${writer.base}/set?key=t&value=1`);
      const sid = jar.cookies.get('session')!.split('.')[0]!;
      await client!.expire(`${prefix}${sid}`, 100);
      await jar.get(`${writer.base}/get?key=t`);
      const ttl = await client!.ttl(`${prefix}${sid}`);
      expect(ttl).toBeGreaterThan(LIFETIME - 5);
      expect(ttl).toBeLessThanOrEqual(LIFETIME);
    }
  }, 30_000);

  itWithPeer('flask_session', 'clearing on either side deletes the key the other side wrote, and the cookie', async () => {
    for (const [writer, clearer] of [
      [ts, flask],
      [flask, ts],
      [tsSigned, flaskSigned],
      [flaskSigned, tsSigned],
    ] as const) {
      const jar = new Jar();
      await jar.get(`${writer.base}/set?key=c&value=1`);
      const sid = jar.cookies.get('session')!.split('.')[0]!;
      const prefix = writer === ts || writer === flask ? 'lab:' : 'signed:';
      expect(await client!.exists(`${prefix}${sid}`)).toBe(1);
      const r = await jar.get(`${clearer.base}/clear`);
      expect(r.status).toBe(200);
      expect(r.setCookies.some((c) => /^session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=\/$/.test(c))).toBe(true);
      expect(await client!.exists(`${prefix}${sid}`)).toBe(0);
      expect(jar.cookies.has('session')).toBe(false);
    }
  }, 30_000);
});

describe('session-lab serve --interface cookie with a plain Flask 2.2.2 app', () => {
  itWithPeer('flask', 'signed cookie sessions cross both ways', async () => {
    for (let i = 0; i < 20; i++) {
      const [writer, reader] = i % 2 ? [flaskCookie, tsCookie] : [tsCookie, flaskCookie];
      const jar = new Jar();
      const value = `${VALUES[i % VALUES.length]}-${i}`;
      await jar.get(`${writer.base}/set?key=k&value=${q(value)}`);
      expect(jar.cookies.get('session')).toMatch(/^[\w.-]+$/);
      const got = await jar.get(`${reader.base}/get?key=k`);
      expect(got.status).toBe(200);
      expect(got.body).toBe(value);
      const [a, b] = await Promise.all([jar.get(`${writer.base}/dump`), jar.get(`${reader.base}/dump`)]);
      expect(b.body).toBe(a.body);
      if (i % 2) counts.cookieFlaskToTs++;
      else counts.cookieTsToFlask++;
    }
    // A cookie signed with another key is not accepted by either side.
    const other = await startServe(['--interface', 'cookie', '--secret', 'another key']);
    children.push(other);
    const jar = new Jar();
    await jar.get(`${other.base}/set?key=k&value=v`);
    for (const side of [tsCookie, flaskCookie]) expect((await jar.get(`${side.base}/get?key=k`)).status).toBe(404);
  }, 60_000);
});

describe('session-lab serve --interface redis (Flask-Session 0.8 behaviour) on real Redis', () => {
  itWithPeer('flask_session', 'ids are 43 characters and values decode with python3-msgpack to the session dict', async () => {
    const sids: string[] = [];
    const dumps: string[] = [];
    for (let i = 0; i < 12; i++) {
      const jar = new Jar();
      await jar.get(`${tsModern.base}/set?key=name&value=${q(`${VALUES[i % VALUES.length]}${i}`)}`);
      await jar.get(`${tsModern.base}/set?key=i&value=${i}`);
      const sid = jar.cookies.get('session')!;
      expect(sid).toMatch(/^[A-Za-z0-9_-]{43}$/);
      sids.push(sid);
      dumps.push((await jar.get(`${tsModern.base}/dump`)).body);
    }
    const raw = await Promise.all(sids.map((s) => client!.getBuffer(`modern:${s}`)));
    const ttls = await Promise.all(sids.map((s) => client!.ttl(`modern:${s}`)));
    for (const t of ttls) expect(t).toBeGreaterThan(2678400 - 5);
    const out = runPython(
      `import sys, json, msgpack
for line in sys.stdin.read().split():
    d = msgpack.unpackb(bytes.fromhex(line), raw=False)
    assert isinstance(d, dict), type(d)
    print(json.dumps(d, sort_keys=True, separators=(",", ":")))`,
      raw.map((b) => b!.toString('hex')).join('\n'),
    );
    const decoded = out.trim().split('\n');
    expect(decoded).toEqual(dumps);
    for (const d of decoded) expect(JSON.parse(d)._permanent).toBe(true);
    // New sessions store _permanent first, then the keys in insertion order: fixmap of 3, then fixstr "_permanent".
    for (const b of raw) expect(b!.subarray(0, 12).toString('hex')).toBe('83aa5f7065726d616e656e74');
    counts.msgpackChecked += decoded.length;
  }, 30_000);
});
