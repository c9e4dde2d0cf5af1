// The TypeScript demo server (`session-lab serve`) and the real Flask + Flask-Session share one real redis-server
// and one browser-like cookie jar, under both judges: `--flask-session 0.3` beside Debian 12's Flask 2.2.2 +
// Flask-Session 0.3.2 (pickle), and `--flask-session 0.8` beside Debian 13's Flask 3.1.1 + Flask-Session 0.8.0
// (msgspec msgpack). Sessions written by either side are read by the other, with plain and signed ids and typed
// values (/set?tagged=, Flask's tagged JSON); the same session is stored as the same bytes by both; TTLs and
// deletion are checked in Redis itself; the signed-cookie interface interoperates with a plain Flask app.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect } from 'vitest';
import { LiveCounts } from '../conformance/live_counts.ts';
import { forEachJudge, itWithJudge, judgeMissing, type JudgeId } from '../support/judges.ts';
import { peerMissing } from '../support/peers.ts';
import { startRedis, type RedisServer } from '../support/redis.ts';
import { Jar, q, startFlaskSession, startServe, type Child, type Got } from './helpers.ts';
import modern from '../vectors/flask_session_msgspec.json' with { type: 'json' };

const SECRET = 'interop-secret-ключ';
const LIFETIME = 3600;

interface Side {
  version: '0.3' | '0.8';
  ts: Child;
  flask: Child;
  tsSigned: Child;
  flaskSigned: Child;
  tsCookie: Child;
  flaskCookie: Child;
}

const counts: Record<JudgeId, LiveCounts> = { 'flask-2.2': new LiveCounts('serve_interop', 'flask-2.2'), 'flask-3.1': new LiveCounts('serve_interop', 'flask-3.1') };
const bump = (id: JudgeId, what: string, n = 1): void => counts[id].add(what, n);

let redis: RedisServer | null = null;
let client: Redis | null = null;
const children: Child[] = [];
const sides = new Map<JudgeId, Side>();

beforeAll(async () => {
  if (peerMissing('redis-server')) return;
  redis = await startRedis();
  client = new Redis(redis.port, '127.0.0.1', { maxRetriesPerRequest: 1 });
  for (const id of ['flask-2.2', 'flask-3.1'] as const) {
    if (judgeMissing(id)) continue;
    const version = id === 'flask-2.2' ? '0.3' : '0.8';
    const p = `${version}-`; // each judge's sessions under their own prefixes, on the one redis-server
    const common = ['--interface', 'redis', '--secret', SECRET, '--redis', redis.url, '--flask-session', version, '--lifetime', String(LIFETIME)];
    const env = { SECRET_KEY: SECRET, REDIS_URL: redis.url, LIFETIME: String(LIFETIME) };
    const [ts, flask, tsSigned, flaskSigned, tsCookie, flaskCookie] = await Promise.all([
      startServe([...common, '--key-prefix', `${p}lab:`]),
      startFlaskSession({ ...env, KEY_PREFIX: `${p}lab:` }, id),
      startServe([...common, '--key-prefix', `${p}signed:`, '--use-signer']),
      startFlaskSession({ ...env, KEY_PREFIX: `${p}signed:`, USE_SIGNER: '1' }, id),
      startServe(['--interface', 'cookie', '--secret', SECRET]),
      startFlaskSession({ SECRET_KEY: SECRET, SESSION_MODE: 'cookie' }, id),
    ]);
    children.push(ts, flask, tsSigned, flaskSigned, tsCookie, flaskCookie);
    sides.set(id, { version, ts, flask, tsSigned, flaskSigned, tsCookie, flaskCookie });
  }
}, 60_000);

afterAll(async () => {
  await Promise.all(children.map((c) => c.stop()));
  client?.disconnect();
  await redis?.stop();
  for (const c of Object.values(counts)) c.print();
}, 30_000);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const VALUES = ['plain', 'José ☃ 𝄞', 'a;b=c "q"', '', '1'.repeat(300)];

/**
 * Typed values as Flask's tagged JSON, each one a value both session formats can store. Strings and keys are
 * distinct within a value (a JSON parser shares repeated keys, and pickle would then write a memo reference).
 */
const TYPED_COMMON = [
  '2.0',
  '-0.0',
  '1.5',
  '1e16',
  '0',
  '-1',
  '255',
  '-32769',
  '4294967296',
  '18446744073709551615',
  '-9223372036854775808',
  'true',
  'null',
  '"José ☃ 𝄞"',
  '[1,"two",3.5,null,false]',
  '{" t":[1,"x"]}',
  '{" t":[]}',
  '{" b":"AAEC/w=="}',
  '{" b":""}',
  '{"user":{"id":42,"roles":["admin","dev"]},"cart":[[1,2],[3]]}',
  '{" t":[{" b":"/w=="},[{" t":[7]}]]}',
  '"' + 'z'.repeat(70) + '"',
  '{" d":"not a date"}',
  '{" x":1}',
];
/**
 * Values checked one per session: lenient inputs Python accepts (base64 that skips what is not base64, JSON's
 * NaN and Infinity), and ones whose objects CPython shares (b"" twice would make pickle write a memo reference).
 */
const TYPED_SINGLE = ['{" b":"%%"}', '{" b":"AA=="}', 'NaN', '-Infinity', '[{"a":1},{"a":2}]'];
/** Values only the msgspec format stores (the engine's pickle writer never writes a global such as datetime). */
const TYPED_08 = [
  '{" d":"Mon, 01 Jan 2024 00:00:00 GMT"}',
  '{" d":"Thu, 01 Jan 1970 00:00:00 GMT"}',
  '{" d":"Wed, 31 Dec 1969 23:59:59 GMT"}',
  '{" d":"Sat, 01 Jan 2500 00:00:00 GMT"}',
  '{" d":"Mon, 01 Jan 0001 00:00:00 GMT"}',
  '{"at":{" d":"Tue, 02 Jan 2024 03:04:05 GMT"},"id":{" u":"12345678123456781234567812345678"}}',
  '{" u":"12345678123456781234567812345678"}',
];

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

function sidOf(jar: Jar): string {
  return jar.cookies.get('session')!.split('.')[0]!;
}

forEachJudge((j) => {
  const side = (): Side => sides.get(j.id)!;
  const idShape = j.id === 'flask-2.2' ? UUID : TOKEN;
  const fs = `Flask-Session ${j.flaskSession}`;

  itWithJudge(j.id, `${fs}: sessions written by the TypeScript server are read by Flask, and the reverse (plain ids)`, async () => {
    const { ts, flask } = side();
    for (let i = 0; i < 20; i++) {
      const [writer, reader, dir] = i < 10 ? [ts, flask, 'TS→Flask'] : [flask, ts, 'Flask→TS'];
      const { cookie } = await crossOnce(writer, reader, i);
      expect(cookie).toMatch(idShape);
      bump(j.id, `plain ${dir}`);
    }
  }, 60_000);

  itWithJudge(j.id, `${fs}: typed values (/set?tagged=) cross both ways and the same session is stored as the same bytes by both servers`, async () => {
    const { ts, flask, version } = side();
    const values = [...TYPED_COMMON, ...(version === '0.8' ? TYPED_08 : [])];
    const prefix = `${version}-lab:`;
    for (const [writer, reader, dir] of [
      [ts, flask, 'TS→Flask'],
      [flask, ts, 'Flask→TS'],
    ] as const) {
      const jar = new Jar();
      const twin = new Jar(); // the same session, written through the other server
      for (const [i, t] of values.entries()) {
        expect((await jar.get(`${writer.base}/set?key=v${i}&tagged=${q(t)}`)).body, t).toBe('ok');
        expect((await twin.get(`${reader.base}/set?key=v${i}&tagged=${q(t)}`)).body, t).toBe('ok');
      }
      const [a, b, c] = await Promise.all([jar.get(`${writer.base}/dump`), jar.get(`${reader.base}/dump`), twin.get(`${reader.base}/dump`)]);
      expect(a.status).toBe(200);
      expect(b.body, `${dir}: what the reader makes of the writer's session`).toBe(a.body);
      expect(c.body).toBe(a.body);
      const [mine, theirs] = await Promise.all([client!.getBuffer(prefix + sidOf(jar)), client!.getBuffer(prefix + sidOf(twin))]);
      expect(mine!.toString('hex'), `${dir}: stored bytes`).toBe(theirs!.toString('hex'));
      if (version === '0.8') expect(mine![0]).toBe(0xde); // a map16: more than 15 keys
      else expect(mine!.subarray(0, 2).toString('hex')).toBe('8004'); // pickle protocol 4
      bump(j.id, `typed values ${dir}`, values.length);
      bump(j.id, 'identical stored sessions');
    }
  }, 60_000);

  itWithJudge(j.id, `${fs}: each typed value alone reads back alike on both servers`, async () => {
    const { ts, flask, version } = side();
    const values = [...TYPED_COMMON, ...TYPED_SINGLE, ...(version === '0.8' ? TYPED_08 : [])];
    for (const t of values) {
      for (const [writer, reader] of [
        [ts, flask],
        [flask, ts],
      ] as const) {
        const jar = new Jar();
        expect((await jar.get(`${writer.base}/set?key=v&tagged=${q(t)}`)).body, t).toBe('ok');
        const [a, b] = await Promise.all([jar.get(`${writer.base}/dump`), jar.get(`${reader.base}/dump`)]);
        expect(b.body, t).toBe(a.body);
        bump(j.id, 'single typed values');
      }
    }
  }, 60_000);

  itWithJudge(j.id, `${fs}: values the format cannot store fail alike on both servers`, async () => {
    const { ts, flask, version } = side();
    // 0.8: msgspec refuses Markup (a str subclass) and ints past 64 bits. 0.3: the engine's pickle writer writes
    // no globals (Markup, datetime, UUID), where Python's pickle would.
    const refused = version === '0.8' ? ['{" m":"<b>bold</b>"}', '18446744073709551616'] : [];
    for (const t of refused) {
      const [a, b] = await Promise.all([new Jar().get(`${ts.base}/set?key=v&tagged=${q(t)}`), new Jar().get(`${flask.base}/set?key=v&tagged=${q(t)}`)]);
      expect([a.status, b.status], t).toEqual([500, 500]);
      expect(a.setCookies).toEqual([]);
      expect(b.setCookies).toEqual([]);
      bump(j.id, 'refused values');
    }
    if (version === '0.3') {
      // Python stores these through pickle's globals; the engine's safe reader refuses the stored bytes and
      // starts a fresh session, where Flask-Session 0.3.2 would run whatever the pickle names.
      for (const t of ['{" d":"Mon, 01 Jan 2024 00:00:00 GMT"}', '{" u":"12345678123456781234567812345678"}']) {
        const jar = new Jar();
        expect((await jar.get(`${flask.base}/set?key=v&tagged=${q(t)}`)).status).toBe(200);
        expect((await jar.get(`${flask.base}/get?key=v`)).status).toBe(200);
        expect((await jar.get(`${ts.base}/get?key=v`)).status).toBe(404);
        const r = await new Jar().get(`${ts.base}/set?key=v&tagged=${q(t)}`);
        expect(r.status).toBe(500);
        bump(j.id, 'refused values');
      }
    }
  }, 30_000);

  if (j.id === 'flask-3.1') {
    itWithJudge(j.id, `${fs}: values only Python can store (naive datetimes, dates, Decimals, sets, msgpack extensions) read alike on both servers`, async () => {
      const { ts, flask } = side();
      const planted = [...modern.msgpackPythonOnly.map((v) => ({ name: v.name, hex: v.hex })), ...modern.msgpack.filter((v) => v.name.startsWith('ext')).map((v) => ({ name: v.name, hex: `81a176${v.hex}` }))];
      for (const [n, v] of planted.entries()) {
        const sid = `planted${n}`.padEnd(43, '_');
        await client!.set(`0.8-lab:${sid}`, Buffer.from(v.hex, 'hex'), 'EX', 600);
        const got = [];
        for (const s of [ts, flask]) {
          const jar = new Jar();
          jar.cookies.set('session', sid);
          const r = await jar.get(`${s.base}/dump`);
          got.push(r.status === 200 ? r.body : r.status);
        }
        if (v.name === 'tuple as dict key') {
          // Python reads the tuple key and then cannot show it as JSON (500); the engine has no tuple keys and
          // refuses the stored value, starting a fresh session. The one case where the two differ.
          expect(got, v.name).toEqual(['{"_permanent":true}', 500]);
        } else if (v.name.startsWith('ext')) {
          // msgspec reads an extension value as msgspec.msgpack.Ext; Flask's tagged JSON cannot show it: both 500.
          expect(got, v.name).toEqual([500, 500]);
        } else {
          expect(got[0], v.name).toBe(got[1]);
        }
        bump(j.id, 'values only Python stores');
      }
    }, 60_000);
  }

  itWithJudge(j.id, `${fs}: bad tagged input is a 400 on both servers`, async () => {
    const { ts, flask } = side();
    for (const [query, why] of [
      ['key=v&tagged=%7B', /^tagged is not Flask's tagged JSON: /],
      ['key=v&tagged=', /^tagged is not Flask's tagged JSON: /],
      [`key=v&tagged=${q('{" t":1}')}`, /^tagged is not Flask's tagged JSON: /],
      [`key=v&tagged=${q('[1,]')}`, /^tagged is not Flask's tagged JSON: /],
      [`key=v&tagged=${q('{" d":1}')}`, /^tagged is not Flask's tagged JSON: /],
      [`key=v&tagged=${q("{'a':1}")}`, /^tagged is not Flask's tagged JSON: /],
      ['key=v&tagged=1&value=1', /^give value or tagged, not both/],
      ['tagged=1', /^missing query parameter: key/],
    ] as const) {
      const cookies: number[] = [];
      for (const s of [ts, flask]) {
        const r = await new Jar().get(`${s.base}/set?${query}`);
        expect([r.status, r.body], `${query} on ${s === ts ? 'TS' : 'Flask'}`).toEqual([400, expect.stringMatching(why)]);
        cookies.push(r.setCookies.length);
      }
      // Nothing was stored; 0.3.2 still gives every new visitor a session cookie, 0.8 gives none.
      expect(cookies, query).toEqual(side().version === '0.3' ? [1, 1] : [0, 0]);
      bump(j.id, 'bad tagged inputs');
    }
  }, 30_000);

  itWithJudge(j.id, `${fs}: signed ids (SESSION_USE_SIGNER): both ways, and the key in Redis is the bare id`, async () => {
    const { tsSigned, flaskSigned, version } = side();
    for (let i = 0; i < 10; i++) {
      const [writer, reader] = i % 2 ? [flaskSigned, tsSigned] : [tsSigned, flaskSigned];
      const { cookie } = await crossOnce(writer, reader, i);
      const [sid, sig] = cookie.split('.');
      expect(sid).toMatch(idShape);
      expect(sig).toMatch(/^[A-Za-z0-9_-]{27}$/);
      expect(await client!.exists(`${version}-signed:${sid}`)).toBe(1);
      bump(j.id, `signed ${i % 2 ? 'Flask→TS' : 'TS→Flask'}`);
    }
    // A forged signature is refused on both sides: a new session, the old data unseen.
    const jar = new Jar();
    await jar.get(`${tsSigned.base}/set?key=secret&value=x`);
    const sid = sidOf(jar);
    for (const s of [tsSigned, flaskSigned]) {
      const forged = new Jar();
      forged.cookies.set('session', `${sid}.AAAAAAAAAAAAAAAAAAAAAAAAAAA`);
      const r = await forged.get(`${s.base}/get?key=secret`);
      expect(r.status).toBe(404);
      // 0.3.2 sets a new session's cookie at once; 0.8 sets none until something is stored.
      if (version === '0.3') expect(forged.cookies.get('session')!.split('.')[0]).not.toBe(sid);
      else expect(r.setCookies).toEqual([]);
    }
  }, 60_000);

  itWithJudge(j.id, `${fs}: the TTL in Redis is PERMANENT_SESSION_LIFETIME from either side, and a write refreshes it`, async () => {
    const { ts, flask, tsSigned, flaskSigned, version } = side();
    for (const [writer, prefix] of [
      [ts, 'lab:'],
      [flask, 'lab:'],
      [tsSigned, 'signed:'],
      [flaskSigned, 'signed:'],
    ] as const) {
      const jar = new Jar();
      await jar.get(`${writer.base}/set?key=t&value=1`);
      const key = `${version}-${prefix}${sidOf(jar)}`;
      const first = await client!.ttl(key);
      expect(first).toBeLessThanOrEqual(LIFETIME);
      expect(first).toBeGreaterThan(LIFETIME / 2);
      await client!.expire(key, 100);
      // Both versions store again on every request (SESSION_REFRESH_EACH_REQUEST), a read included.
      await jar.get(`${writer.base}/get?key=t`);
      const again = await client!.ttl(key);
      expect(again).toBeGreaterThan(100);
      expect(again).toBeLessThanOrEqual(LIFETIME);
      bump(j.id, 'TTL checks');
    }
  }, 30_000);

  itWithJudge(j.id, `${fs}: clearing on either side deletes the key the other side wrote, and the cookie`, async () => {
    const { ts, flask, tsSigned, flaskSigned, version } = side();
    const after: string[] = [];
    for (const [writer, clearer, prefix] of [
      [ts, flask, 'lab:'],
      [flask, ts, 'lab:'],
      [tsSigned, flaskSigned, 'signed:'],
      [flaskSigned, tsSigned, 'signed:'],
    ] as const) {
      const jar = new Jar();
      await jar.get(`${writer.base}/set?key=c&value=1`);
      const key = `${version}-${prefix}${sidOf(jar)}`;
      expect(await client!.exists(key)).toBe(1);
      const r = await jar.get(`${clearer.base}/clear`);
      expect(r.status).toBe(200);
      expect(r.setCookies).toEqual(['session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/']);
      expect(await client!.exists(key)).toBe(0);
      expect(jar.cookies.has('session')).toBe(false);
      // The next request starts a new session: the same on both servers (what it shows, whether it is stored).
      const next = await jar.get(`${clearer.base}/dump`);
      const stored = jar.cookies.has('session') ? await client!.exists(`${version}-${prefix}${sidOf(jar)}`) : 'no cookie';
      after.push(`${next.body} ${next.setCookies.length} ${stored}`);
      expect(await client!.exists(key)).toBe(0);
      bump(j.id, 'clears');
    }
    expect(new Set(after).size, after.join(' | ')).toBe(1);
  }, 30_000);

  itWithJudge(j.id, `HEAD, OPTIONS and POST on the demo routes answer as Flask ${j.flask} does (cookie and Redis interfaces)`, async () => {
    const { tsCookie, flaskCookie, ts, flask } = side();
    const allow = (g: Got): string[] => (g.headers.get('allow') ?? '').split(',').map((m) => m.trim()).filter(Boolean).sort();
    for (const [tsSide, flaskSide] of [[tsCookie, flaskCookie], [ts, flask]] as const) {
      const seen: string[][] = [];
      for (const server of [tsSide, flaskSide]) {
        const jar = new Jar();
        const head = await jar.request('HEAD', `${server.base}/set?key=k&value=v`);
        const get = await new Jar().get(`${server.base}/set?key=k&value=v`);
        // HEAD runs the view like GET (the session is written) and sends GET's headers without a body.
        expect(head.body).toBe('');
        expect(head.headers.get('content-length')).toBe(get.headers.get('content-length'));
        const afterHead = await jar.get(`${server.base}/get?key=k`);
        const options = await jar.request('OPTIONS', `${server.base}/dump`);
        const post = await jar.request('POST', `${server.base}/dump`);
        // Werkzeug's error pages, byte for byte: 405 for the method, 404 for a path no route has.
        const missing = await jar.get(`${server.base}/no-such-page`);
        seen.push([
          `405 page ${post.headers.get('content-type')} ${JSON.stringify(post.body)}`,
          `404 page ${missing.status} ${missing.headers.get('content-type')} ${JSON.stringify(missing.body)}`,
          `HEAD ${head.status} cookie=${head.setCookies.length} then GET ${afterHead.status} ${afterHead.body}`,
          `OPTIONS ${options.status} body=${JSON.stringify(options.body)} allow=${allow(options).join(',')} cookie=${options.setCookies.length}`,
          `POST ${post.status} allow=${allow(post).join(',')}`,
        ]);
      }
      expect(seen[0], 'the TypeScript server').toEqual(seen[1]);
      expect(seen[1]![3]).toMatch(/^OPTIONS 200 body="" allow=GET,HEAD,OPTIONS cookie=\d$/);
      expect(seen[1]![1]).toContain('<p>');
      bump(j.id, 'HEAD, OPTIONS, POST alike');
    }
  }, 60_000);

  itWithJudge(j.id, `--interface cookie with a plain Flask ${j.flask} app: signed cookie sessions cross both ways`, async () => {
    const { tsCookie, flaskCookie } = side();
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
      bump(j.id, `signed cookies ${i % 2 ? 'Flask→TS' : 'TS→Flask'}`);
    }
    // A cookie signed with another key is not accepted by either side.
    const other = await startServe(['--interface', 'cookie', '--secret', 'another key']);
    children.push(other);
    const jar = new Jar();
    await jar.get(`${other.base}/set?key=k&value=v`);
    for (const s of [tsCookie, flaskCookie]) expect((await jar.get(`${s.base}/get?key=k`)).status).toBe(404);
  }, 60_000);
});
