// The demo servers' cap on an inflated session cookie: the largest compressed cookie a browser keeps still
// opens, and a 10 KB cookie signed with the demo key that inflates to 8 MB of `[{},{},…]` is refused by
// the cap (a 500, as Flask answers any payload it cannot read) instead of being parsed; `verify` and
// `decode` stop at the same cap with a message saying so.
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { base64Encode } from '../../src/engine/itsdangerous/index.ts';
import { TimestampSigner } from '../../src/engine/itsdangerous/timed.ts';
import { createServedApp } from '../../src/server/interfaces.ts';
import { BROWSER_COOKIE_BYTES, checkPayloadValues, DEFAULT_MAX_INFLATED_BYTES, DEFAULT_MAX_PAYLOAD_VALUES, maxInflatedCookieBytes, PayloadTooComplexError } from '../../src/server/limits.ts';
import { cli } from '../cli/run.ts';
import { reasonText } from '../../src/engine/flask/reasons.ts';

const signer = new TimestampSigner('dev', { salt: 'cookie-session', keyDerivation: 'hmac', digestMethod: 'sha1' });
/** A cookie value signed with the demo key around `json`, compressed as Flask compresses it. */
const cookieFor = (json: string): string => new TextDecoder().decode(signer.sign('.' + base64Encode(zlib.deflateSync(json, { level: 9 }))));
const text = (b: Uint8Array | string): string => (typeof b === 'string' ? b : new TextDecoder().decode(b));

/** The 8 MB bomb: `[{},{},…]`, which a 10 KB cookie carries. */
const BOMB_JSON = '[' + '{},'.repeat(2_666_665) + '{}]';
const BOMB = cookieFor(BOMB_JSON);

describe('the inflated-size cap', () => {
  it('the bound follows from the browser limit: more cookie, more room, and the default is the 4096-byte bound', () => {
    expect(DEFAULT_MAX_INFLATED_BYTES).toBe(maxInflatedCookieBytes(BROWSER_COOKIE_BYTES));
    expect(maxInflatedCookieBytes(8)).toBe(0); // 6 bytes hold only zlib's wrapper
    expect(maxInflatedCookieBytes(4100)).toBeGreaterThan(DEFAULT_MAX_INFLATED_BYTES);
  });

  it('the most compressible session that still fits a browser cookie opens: a string as long as 4096 bytes of cookie allow', async () => {
    // Grow one string value until `session=<cookie>` passes the browser limit; the last that fits is the densest
    // real cookie (a run of one letter is what deflate packs best).
    const fits = (n: number): boolean => `session=${cookieFor(`{"a":"${'x'.repeat(n)}"}`)}`.length <= BROWSER_COOKIE_BYTES;
    let lo = 1;
    let hi = 1 << 22;
    while (lo + 1 < hi) {
      const mid = (lo + hi) >> 1;
      if (fits(mid)) lo = mid;
      else hi = mid;
    }
    expect(lo).toBeGreaterThan(1_000_000);
    const served = await createServedApp({ interface: 'cookie', secret: 'dev' });
    const ex = await served.app.handle({ method: 'GET', url: '/get?key=a', headers: [['Cookie', `session=${cookieFor(`{"a":"${'x'.repeat(lo)}"}`)}`]] });
    expect(ex.response.status).toBe(200);
    expect(text(ex.response.body).length).toBe(lo);
  });

  it('the 10 KB bomb stops at the cap: a 500 without a cookie, and the trace says which limit refused it', async () => {
    expect(BOMB.length).toBeGreaterThan(BROWSER_COOKIE_BYTES);
    const served = await createServedApp({ interface: 'cookie', secret: 'dev' });
    const ex = await served.app.handle({ method: 'GET', url: '/dump', headers: [['Cookie', `session=${BOMB}`]] });
    expect(ex.response.status).toBe(500);
    expect(ex.response.getSetCookie()).toEqual([]);
    const refused = ex.trace.find((e) => e.type === 'error' && e.stage === 'open' && reasonText(e.why).includes(`inflates past ${DEFAULT_MAX_INFLATED_BYTES} bytes`));
    expect(refused, JSON.stringify(ex.trace.map((e) => e.type))).toBeDefined();
    // What bounds the work: the engine never saw a payload to parse.
    expect(ex.trace.some((e) => e.type === 'payload-decoded')).toBe(false);
  });

  it('a larger configured cap reads the same cookie (then the payload is what fails, as in Flask)', async () => {
    const served = await createServedApp({ interface: 'cookie', secret: 'dev', maxInflatedBytes: 64 });
    const small = cookieFor(`{"a":"${'x'.repeat(100)}"}`);
    const ex = await served.app.handle({ method: 'GET', url: '/get?key=a', headers: [['Cookie', `session=${small}`]] });
    expect(ex.response.status).toBe(500);
    const roomy = await createServedApp({ interface: 'cookie', secret: 'dev', maxInflatedBytes: 1000 });
    expect((await roomy.app.handle({ method: 'GET', url: '/get?key=a', headers: [['Cookie', `session=${small}`]] })).response.status).toBe(200);
  });
});

describe('the value count', () => {
  it('a 4 KB cookie carrying a million values is refused before parsing: a 500, and the trace names the limit', async () => {
    // The densest bomb a browser would still send: as many `{},` as fit in 4096 bytes of cookie.
    const fits = (n: number): boolean => `session=${cookieFor('[' + '{},'.repeat(n) + '{}]')}`.length <= BROWSER_COOKIE_BYTES;
    let lo = 1;
    let hi = 1 << 21;
    while (lo + 1 < hi) {
      const mid = (lo + hi) >> 1;
      if (fits(mid)) lo = mid;
      else hi = mid;
    }
    expect(lo).toBeGreaterThan(DEFAULT_MAX_PAYLOAD_VALUES);
    const cookie = cookieFor('[' + '{},'.repeat(lo) + '{}]');
    const served = await createServedApp({ interface: 'cookie', secret: 'dev' });
    const ex = await served.app.handle({ method: 'GET', url: '/dump', headers: [['Cookie', `session=${cookie}`]] });
    expect(ex.response.status).toBe(500);
    const whys = ex.trace.flatMap((e) => (e.type === 'error' && e.why?.code === 'guard.payload-too-complex' ? [reasonText(e.why)] : []));
    expect(whys).toHaveLength(1);
    expect(whys[0]).toContain(`more than ${DEFAULT_MAX_PAYLOAD_VALUES} values`);
  });

  it('counts values outside strings only; a payload within the limit opens', async () => {
    expect(checkPayloadValues('{"a":"{[,,,]}","b":[1,2,{}]}', 100)).toBe(7); // 1 + two {, one [, three commas
    expect(checkPayloadValues(new TextEncoder().encode('["\\",","]'), 100)).toBe(3);
    expect(() => checkPayloadValues('[1,2,3]', 2)).toThrow(PayloadTooComplexError);
    const served = await createServedApp({ interface: 'cookie', secret: 'dev', maxPayloadValues: 3 });
    const ok = cookieFor('{"a":"x,y,z,{[","b":"2"}');
    expect((await served.app.handle({ method: 'GET', url: '/get?key=a', headers: [['Cookie', `session=${ok}`]] })).response.status).toBe(200);
    const many = cookieFor('{"a":[1,2,3,4]}');
    expect((await served.app.handle({ method: 'GET', url: '/get?key=a', headers: [['Cookie', `session=${many}`]] })).response.status).toBe(500);
  });
});

describe('verify and decode on the bomb', () => {
  it('verify refuses it with the cap in the message; decode too; --max-inflated moves the limit', async () => {
    const v = await cli(['verify', '--secret', 'dev', '--max-age', 'none', BOMB]);
    expect(v.status).toBe(1);
    expect(v.stderr).toContain(`BadPayload: Could not zlib decompress the payload before decoding the payload (the payload inflates past ${DEFAULT_MAX_INFLATED_BYTES} bytes`);
    expect(v.stderr).toContain('--max-inflated');
    const d = await cli(['decode', BOMB]);
    expect(d.status).toBe(1);
    expect(d.stderr).toContain(`session-lab decode: the payload inflates past ${DEFAULT_MAX_INFLATED_BYTES} bytes`);
    const small = cookieFor(`{"a":"${'x'.repeat(100)}"}`);
    const tight = await cli(['decode', '--max-inflated', '50', small]);
    expect(tight.status).toBe(1);
    expect(tight.stderr).toContain('inflates past 50 bytes');
    expect((await cli(['decode', '--max-inflated', '200', small])).status).toBe(0);
    expect((await cli(['verify', '--secret', 'dev', '--max-age', 'none', '--max-inflated', '200', small])).stdout).toContain('"a":"xxx');
    // A payload with too many values for the count: both commands say so instead of parsing it.
    const list = cookieFor('[1,2,3,4,5]');
    const v2 = await cli(['verify', '--secret', 'dev', '--max-age', 'none', '--max-values', '3', list]);
    expect([v2.status, v2.stderr]).toEqual([1, 'BadPayload: Could not load the payload because an exception occurred on unserializing the data. (the payload holds more than 3 values, so it is not parsed; --max-values raises the limit)\n']);
    const d2 = await cli(['decode', '--max-values', '3', list]);
    expect([d2.status, d2.stderr]).toEqual([1, 'session-lab decode: the payload holds more than 3 values, so it is not parsed; --max-values raises the limit\n']);
    const bad = await cli(['decode', '--max-inflated', 'lots', small]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("--max-inflated must be a whole number of at least 1, not 'lots'");
  });
});
