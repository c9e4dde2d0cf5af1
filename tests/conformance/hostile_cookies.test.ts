// Hostile cookies against the engine's SecureCookieSessionInterface and app: random junk, bad base64 and
// zlib behind valid signatures, a 1 GiB zip bomb, 100k-deep nesting and megabyte inputs; the signed random
// payloads and the deep nesting are also opened by both judges' real Flask (the live part at the end). Like Flask, an
// invalid signature quietly gives a fresh session and a validly signed bad payload raises BadPayload,
// which the app turns into a 500; unlike Flask, inflating is capped, so a bomb fails fast.
// Replay a failure with FC_SEED=<seed printed below>.
import zlib from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Flask } from '../../src/engine/flask/app.ts';
import { DEFAULT_CONFIG, dictFromPayload, SecureCookieSession, SecureCookieSessionInterface, type FlaskConfig } from '../../src/engine/flask/sessions.ts';
import { pyTruthy, type PyValue } from '../../src/engine/python/values.ts';
import { Request } from '../../src/engine/flask/wrappers.ts';
import { BadPayload, base64Encode } from '../../src/engine/itsdangerous/index.ts';
import { TimestampSigner } from '../../src/engine/itsdangerous/timed.ts';
import { DEFAULT_MAX_DECOMPRESSED_SIZE } from '../../src/engine/itsdangerous/url_safe.ts';
import { FlaskPeer, canonical, canonicalWire, type PyError, type Wire } from '../peers/flask_peer_client.ts';
import { forEachJudge, itWithJudge, judgeMissing } from '../support/judges.ts';
import { followJudgePython, LiveCounts } from './live_counts.ts';
import { fcSeed } from '../support/seed.ts';
import { PyTypeError, PyValueError } from '../../src/engine/python/errors.ts';

const SEED = fcSeed();
console.log(`[hostile_cookies] fast-check seed ${SEED} (set FC_SEED=${SEED} to replay)`);
const counts = new Map<string, number>();
const count = (what: string, n = 1): void => void counts.set(what, (counts.get(what) ?? 0) + n);
afterAll(() => {
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  console.log(`[hostile_cookies] seed=${SEED} total=${total} ${[...counts].map(([k, v]) => `${k}=${v}`).join(' ')}`);
});

const KEY = 'hostile-key';
const NOW = 1700000000;
const config: FlaskConfig = { ...DEFAULT_CONFIG, SECRET_KEY: KEY };
const sessionApp = { config, now: () => NOW };
const iface = new SecureCookieSessionInterface();
const signer = new TimestampSigner(KEY, { salt: 'cookie-session', keyDerivation: 'hmac', digestMethod: 'sha1', now: () => NOW });

/** A cookie value whose signature is valid for the app's key, over any payload text. */
const signed = (payload: string): string => new TextDecoder().decode(signer.sign(payload));
/** `.` + base64url(raw zlib bytes), the compressed payload form. */
const compressedPayload = (z: Uint8Array): string => '.' + base64Encode(z);

/** Opens a session straight from a cookie value (no header parsing in between). */
function open(value: string): SecureCookieSession {
  const request = new Request({ url: '/' });
  request.cookies.set('session', value);
  return iface.openSession(sessionApp, request)!;
}

/** Runs `fn` and returns how long it took in ms, with what it returned or threw. */
function timed<T>(fn: () => T): { ms: number; value?: T; error?: unknown } {
  const t0 = performance.now();
  try {
    const value = fn();
    return { ms: performance.now() - t0, value };
  } catch (error) {
    return { ms: performance.now() - t0, error };
  }
}

const app = new Flask({ config: { SECRET_KEY: KEY }, now: () => NOW });
app.route('/', ({ session }) => String(session.get('n') ?? 'none'));

/** One request through the whole app with a raw Cookie header; must resolve, never throw. */
async function handle(cookieHeader: string): Promise<{ status: number; body: string; setCookie: string[]; ms: number }> {
  const t0 = performance.now();
  const { response } = await app.handle({ url: '/', headers: [['Cookie', cookieHeader]] });
  return { status: response.status, body: response.body, setCookie: response.getSetCookie(), ms: performance.now() - t0 };
}

const runs = (n: number) => ({ numRuns: n, seed: SEED, endOnFailure: true });

describe('hostile cookies: invalid signatures give a fresh session, never an exception', () => {
  const junk = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.string({ unit: 'binary', maxLength: 100 }),
    fc.string({ unit: 'binary-ascii', maxLength: 300 }),
    fc.stringMatching(/^[A-Za-z0-9_\-.=]{0,400}$/),
    fc.array(fc.stringMatching(/^[A-Za-z0-9_-]{0,40}$/), { minLength: 2, maxLength: 6 }).map((p) => p.join('.')),
    fc.string({ maxLength: 20 }).map((s) => '.'.repeat(50) + s),
  );

  it('random strings: openSession returns an empty, unmodified session', () => {
    fc.assert(
      fc.property(junk, (value) => {
        const r = timed(() => open(value));
        expect(r.error).toBeUndefined();
        expect(r.value).toBeInstanceOf(SecureCookieSession);
        expect(r.value!.size).toBe(0);
        expect(r.value!.modified).toBe(false);
        count('random strings');
      }),
      runs(400),
    );
  });

  it('random Cookie headers through app.handle: 200 with a fresh session, no cookie sent back', async () => {
    await fc.assert(
      fc.asyncProperty(junk, async (value) => {
        const r = await handle(`session=${value}`);
        expect(r.status).toBe(200);
        expect(r.body).toBe('none');
        expect(r.setCookie).toEqual([]);
        count('random Cookie headers');
      }),
      runs(200),
    );
  });

  it('a forged signature over a hostile payload is never decoded (the bomb is not even inflated)', () => {
    const bomb = zipBomb();
    const forged = `${compressedPayload(bomb)}.ZVPxAA.${'A'.repeat(27)}`;
    const r = timed(() => open(forged));
    expect(r.error).toBeUndefined();
    expect(r.value!.size).toBe(0);
    count('forged bomb');
  });
});

describe('hostile payloads behind a valid signature: BadPayload, and a 500 from the app', () => {
  const b64ish = fc.stringMatching(/^[A-Za-z0-9_\-=]{0,200}$/);
  const payloads = fc.oneof(
    b64ish,
    b64ish.map((s) => '.' + s),
    fc.uint8Array({ maxLength: 200 }).map((b) => base64Encode(b)),
    fc.uint8Array({ maxLength: 200 }).map((b) => compressedPayload(b)),
    fc.uint8Array({ minLength: 1, maxLength: 200 }).map((b) => compressedPayload(zlib.deflateSync(b).subarray(0, Math.max(2, b.length >> 1)))),
    fc.string({ maxLength: 100 }).map((s) => base64Encode(s)),
    fc.string({ maxLength: 100 }).map((s) => compressedPayload(zlib.deflateSync(Buffer.from(s)))),
  );

  it('random payloads: a session (a JSON dict, null, or an iterable of pairs that dict() accepts), BadPayload, or dict()\'s TypeError/ValueError, nothing else', async () => {
    await fc.assert(
      fc.asyncProperty(payloads, async (payload) => {
        const cookie = signed(payload);
        const r = timed(() => open(cookie));
        if (r.error === undefined) {
          expect(r.value).toBeInstanceOf(SecureCookieSession);
          count('signed random payload (decoded)');
        } else {
          // Flask builds the session with dict(data or ()): a valid JSON value that is not a mapping or
          // a sequence of pairs raises TypeError / ValueError there, which Flask does not catch either.
          const fromDict = r.error instanceof PyTypeError || r.error instanceof PyValueError;
          if (!fromDict) expect(r.error).toBeInstanceOf(BadPayload);
          const res = await handle(`session=${cookie}`);
          expect(res.status).toBe(500);
          expect(res.setCookie).toEqual([]);
          count(fromDict ? 'signed random payload (dict() error → 500)' : 'signed random payload (BadPayload → 500)');
        }
      }),
      runs(300),
    );
  });

  it('a 1 GiB zip bomb is cut off at the decompression cap: BadPayload, and a 500', async () => {
    const bomb = zipBomb();
    expect(bomb.length).toBeGreaterThan(1_000_000); // ~1 MB of deflate that inflates to 2^30 zero bytes
    const cookie = signed(compressedPayload(bomb));
    const r = timed(() => open(cookie));
    console.log(`[hostile_cookies] zip bomb refused in ${r.ms.toFixed(0)} ms (for information; npm run bench measures cost)`);
    expect(r.error).toBeInstanceOf(BadPayload);
    expect((r.error as BadPayload).message).toBe('Could not zlib decompress the payload before decoding the payload');
    // What bounds the work: inflation stops at the serializer's cap, long before the 1 GiB the bomb would make.
    expect(String(((r.error as BadPayload).cause as Error | undefined)?.message)).toBe(`decompressed data exceeds ${DEFAULT_MAX_DECOMPRESSED_SIZE} bytes`);

    const res = await handle(`session=${cookie}`);
    expect(res.status).toBe(500);
    expect(res.setCookie).toEqual([]);
    count('zip bomb');
  });

  it('100k-deep nesting (arrays, dicts, tags) fails with BadPayload instead of overflowing the stack', async () => {
    const depth = 100_000;
    const nested = [
      ['arrays', '['.repeat(depth) + ']'.repeat(depth)],
      ['dicts', '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)],
      ['tuple tags', '{" t":['.repeat(depth) + ']}'.repeat(depth)],
      ['session of arrays', '{"a":' + '['.repeat(depth) + ']'.repeat(depth) + '}'],
    ] as const;
    for (const [name, json] of nested) {
      const cookie = signed(compressedPayload(zlib.deflateSync(Buffer.from(json))));
      const r = timed(() => open(cookie));
      expect(r.error, name).toBeInstanceOf(BadPayload);
      expect((r.error as BadPayload).message, name).toBe('Could not load the payload because an exception occurred on unserializing the data.');
      const res = await handle(`session=${cookie}`);
      expect(res.status, name).toBe(500);
      count('deep nesting');
    }
  });

  it('megabyte inputs: junk is refused, a valid 1 MB session still loads', async () => {
    const mb = 1024 * 1024;
    const cases: [string, string][] = [
      ['1 MB of letters', 'a'.repeat(mb)],
      ['1 MB of dots', '.'.repeat(mb)],
      ['1 MB of base64 with a fake signature', 'A'.repeat(mb) + '.ZVPxAA.' + 'B'.repeat(27)],
      ['1 MB signature part', 'e30.ZVPxAA.' + 'C'.repeat(mb)],
      ['1 MB timestamp part', 'e30.' + 'D'.repeat(mb) + '.sig'],
    ];
    for (const [name, value] of cases) {
      const r = timed(() => open(value));
      expect(r.error, name).toBeUndefined();
      expect(r.value!.size, name).toBe(0);
      count('megabyte junk');
    }
    // 1 MB of base64 junk behind a valid signature: bad JSON, BadPayload.
    const junkSigned = timed(() => open(signed('A'.repeat(mb))));
    expect(junkSigned.error).toBeInstanceOf(BadPayload);
    // A valid session of ~1 MB (incompressible text) loads intact.
    const big = Array.from({ length: mb / 8 }, (_, i) => ((i * 2654435761) >>> 0).toString(36).padStart(8, '0')).join('');
    const cookie = signed(base64Encode(JSON.stringify({ big })));
    const ok = timed(() => open(cookie));
    expect(ok.error).toBeUndefined();
    expect(ok.value!.get('big')).toBe(big);
    // 10k cookies in one header: parsing stays bounded and the session cookie is still found.
    const header = Array.from({ length: 10_000 }, (_, i) => `c${i}=${'v'.repeat(50)}`).join('; ') + `; session=${signed(base64Encode('{"n":7}'))}`;
    const res = await handle(header);
    expect(res).toMatchObject({ status: 200, body: '7' });
    count('megabyte valid', 3);
  });
});

let bombCache: Uint8Array | null = null;
/**
 * A zlib stream that inflates to 2^30 zero bytes, built in milliseconds: one 1 MiB block compressed with
 * a full flush (so it does not depend on what came before) repeated 1024 times, a final empty block,
 * and the Adler-32 of 2^30 zeros.
 */
function zipBomb(): Uint8Array {
  if (bombCache) return bombCache;
  const MiB = 1 << 20;
  const block = zlib.deflateRawSync(Buffer.alloc(MiB), { level: 9, finishFlush: zlib.constants.Z_FULL_FLUSH });
  const final = zlib.deflateRawSync(Buffer.alloc(0));
  const adler = Buffer.alloc(4);
  adler.writeUInt32BE((((1024 * MiB) % 65521) << 16 | 1) >>> 0);
  bombCache = Buffer.concat([Buffer.from([0x78, 0xda]), ...Array<Buffer>(1024).fill(block), final, adler]);
  return bombCache;
}

// ---------------------------------------------------------------------------------------------------
// Live: the same hostile payloads behind a valid signature, opened by each judge's real Flask
// (SecureCookieSessionInterface.open_session) and by the engine: the same session, or the same error.

forEachJudge((j) => {
  followJudgePython(j.id);
  let peer: FlaskPeer | null = null;
  const tally = new LiveCounts('hostile_cookies', j.id);
  beforeAll(async () => {
    if (judgeMissing(j.id)) return;
    peer = new FlaskPeer(j.id);
    await peer.ready;
  });
  afterAll(async () => {
    await peer?.close();
    tally.print(`seed=${SEED}`);
  });

  /** What one side made of a cookie: the session (canonical form) or the error class and message. */
  async function both(cookie: string): Promise<{ theirs: unknown; mine: unknown }> {
    const py = await peer!.request<{ ok: boolean; value: Wire; error: PyError }>('open', { cookie, secret_key: KEY, now: NOW });
    const theirs = py.ok ? { ok: canonicalWire(py.value) } : { error: `${py.error.cls}: ${py.error.msg}` };
    let mine: unknown;
    try {
      mine = { ok: canonical(open(cookie).toDict()) };
    } catch (e) {
      mine = { error: `${(e as Error).name}: ${(e as Error).message}` };
    }
    return { theirs, mine };
  }

  itWithJudge(j.id, `random payloads behind a valid signature: the same session or the same error as Flask ${j.flask}`, async () => {
    const b64ish = fc.stringMatching(/^[A-Za-z0-9_\-=]{0,120}$/);
    const payloads = fc.oneof(
      b64ish,
      b64ish.map((s) => '.' + s),
      fc.uint8Array({ maxLength: 120 }).map((b) => base64Encode(b)),
      fc.uint8Array({ maxLength: 120 }).map((b) => compressedPayload(b)),
      fc.uint8Array({ minLength: 1, maxLength: 120 }).map((b) => compressedPayload(zlib.deflateSync(b).subarray(0, Math.max(2, b.length >> 1)))),
      fc.string({ maxLength: 60 }).map((s) => base64Encode(s)),
      fc.string({ maxLength: 60 }).map((s) => compressedPayload(zlib.deflateSync(Buffer.from(s)))),
      fc.constantFrom('{}', '[]', '0', 'false', 'null', '[["a",1]]', '[[1,2,3]]', '"ab"', '{" t":[1,2]}', '{" b":"!!"}', '{" d":"not a date"}', '{" u":"zz"}').map((json) => base64Encode(json)),
    );
    await fc.assert(
      fc.asyncProperty(payloads, async (payload) => {
        const cookie = signed(payload);
        const { theirs, mine } = await both(cookie);
        if (j.id === 'flask-2.2' && 'ok' in (theirs as object) && 'error' in (mine as object)) {
          // Known version difference: Werkzeug 2.2 built the session from dict(data or ()), so a falsy payload
          // that is not iterable (0, false, 0.0) gave an empty session; 3.1 (and the engine) raise TypeError.
          const data = iface.getSigningSerializer(sessionApp)!.loads(cookie) as PyValue;
          expect(pyTruthy(data), payload).toBe(false);
          expect((mine as { error: string }).error, payload).toMatch(/^TypeError: '\w+' object is not iterable$/);
          expect({ ok: canonical(dictFromPayload(data, { werkzeug22: true })) }, payload).toEqual(theirs);
          tally.add('signed random payload (2.2 difference asserted: falsy non-iterable)');
          return;
        }
        expect(mine, payload).toEqual(theirs);
        tally.add(`signed random payload (${'ok' in (theirs as object) ? 'session' : String((theirs as { error: string }).error).split(':')[0]})`);
      }),
      runs(300),
    );
  }, 120_000);

  itWithJudge(j.id, `deep nesting behind a valid signature: BadPayload with Flask ${j.flask}'s message`, async () => {
    const depth = 100_000;
    for (const json of ['['.repeat(depth) + ']'.repeat(depth), '{"a":'.repeat(depth) + '1' + '}'.repeat(depth), '{" t":['.repeat(depth) + ']}'.repeat(depth)]) {
      const { theirs, mine } = await both(signed(compressedPayload(zlib.deflateSync(Buffer.from(json)))));
      expect(theirs).toEqual({ error: 'BadPayload: Could not load the payload because an exception occurred on unserializing the data.' });
      expect(mine).toEqual(theirs);
      tally.add('deep nesting');
    }
  }, 60_000);
});
