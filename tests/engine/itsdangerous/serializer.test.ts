import { deflate as pakoDeflate, inflate as pakoInflate } from 'pako';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  BadPayload,
  BadSignature,
  BadTimeSignature,
  base64Encode,
  Serializer,
  SignatureExpired,
  Signer,
  TimedSerializer,
  TimestampSigner,
  URLSafeSerializer,
  URLSafeTimedSerializer,
  zlibCompress,
  zlibDecompress,
  type DigestName,
} from '../../../src/engine/itsdangerous/index.ts';
import { ZlibError } from '../../../src/engine/python/errors.ts';
import { bytes, clock, compactJson, text, thrown, unhex } from './helpers.ts';

const T = 1700000000;

/** What Flask's SecureCookieSessionInterface builds
 * (https://github.com/pallets/flask/blob/3.1.1/src/flask/sessions.py#L317), with the plain compact JSON serializer. */
function flaskSerializer(key: string | string[], digestMethod: DigestName = 'sha1', now = clock(T)) {
  return new URLSafeTimedSerializer(key, {
    salt: 'cookie-session',
    serializer: compactJson,
    signerKwargs: { keyDerivation: 'hmac', digestMethod, now },
  });
}

const TOKEN1 = 'eyJhIjoxfQ.ZVPxAA.D3QXMI0ZQYNZDxORB__kVZyT7hk';
const CART = { cart: Array.from({ length: 20 }, (_, i) => `item-${i}`) };

describe('tokens the real Flask made', () => {
  it('example 1: {"a":1} with key dev', () => {
    const s = flaskSerializer('dev');
    expect(s.dumps({ a: 1 })).toBe(TOKEN1);
    expect(s.loads(TOKEN1)).toEqual({ a: 1 });
    const signer = s.makeSigner();
    expect(signer.keyDerivation).toBe('hmac');
    expect(Array.from(signer.deriveKey(), (x) => x.toString(16).padStart(2, '0')).join('')).toBe(
      '4d50ad79847b366eb85f0c79d35a580ff1348d10',
    );
  });

  it('examples 2 and 3: insertion order versus sorted keys', () => {
    const s = flaskSerializer('dev');
    expect(s.dumps({ user_id: 42, csrf: 'abc', _permanent: true })).toBe(
      'eyJ1c2VyX2lkIjo0MiwiY3NyZiI6ImFiYyIsIl9wZXJtYW5lbnQiOnRydWV9.ZVPxAA.F6zV6OxVi-vP5QrlDw57Dl9uXQA',
    );
    expect(s.dumps({ _permanent: true, csrf: 'abc', user_id: 42 })).toBe(
      'eyJfcGVybWFuZW50Ijp0cnVlLCJjc3JmIjoiYWJjIiwidXNlcl9pZCI6NDJ9.ZVPxAA.53ywUsM16U3VhCkdqFy34yAqDHg',
    );
  });

  it('example 7: a 200-byte payload is compressed', () => {
    const token = flaskSerializer('dev').dumps(CART);
    expect(token).toBe(
      '.eJxFzTEOQEAARNG7TE1iFsvuVUQholBsI9uJuytkRveq_2_s21WRF5z1KG2H5gOFIPTCIIxCFCZhFpKDf9ptOk7X6Tzdpwf0gV4wYX1eJLw3oQ.ZVPxAA.r_K3QyA6ARL-wrfBb1fY2GXfM10',
    );
    expect(flaskSerializer('dev').loads(token)).toEqual(CART);
  });

  it('example 8: key rotation', () => {
    const oldToken = flaskSerializer('old-key').dumps({ a: 1 });
    expect(oldToken).toBe('eyJhIjoxfQ.ZVPxAA.a5CogzY9x-5RTptoUZicjZGVeh8');
    const rotated = flaskSerializer(['old-key', 'new-key']);
    expect(rotated.loads(oldToken)).toEqual({ a: 1 });
    expect(rotated.dumps({ a: 1 })).toBe('eyJhIjoxfQ.ZVPxAA.fNp-mu8k33VRIvnZZJ1WV8yrWlo');
    expect(flaskSerializer('new-key').dumps({ a: 1 })).toBe('eyJhIjoxfQ.ZVPxAA.fNp-mu8k33VRIvnZZJ1WV8yrWlo');
    expect(thrown(() => flaskSerializer('new-key').loads(oldToken))).toBeInstanceOf(BadTimeSignature);
  });

  it('example 9: plain URLSafeTimedSerializer("secret") with its default compact JSON', () => {
    const s = new URLSafeTimedSerializer('secret', { signerKwargs: { now: clock(T) } });
    expect(s.dumps({ name: 'José' })).toBe('eyJuYW1lIjoiSm9zw6kifQ.ZVPxAA.O_svAPQ5FzFyPGWB9whYxihrI7g');
    const loaded = s.loads('eyJuYW1lIjoiSm9zw6kifQ.ZVPxAA.O_svAPQ5FzFyPGWB9whYxihrI7g') as Map<string, unknown>;
    expect(loaded.get('name')).toBe('José');
    expect(s.makeSigner().keyDerivation).toBe('django-concat');
  });

  it('example 11: SHA-256', () => {
    expect(flaskSerializer('dev', 'sha256').dumps({ a: 1 })).toBe('eyJhIjoxfQ.ZVPxAA.0eObDVXBA3yWI_ebb3lyW-bwVmSAwaLR-plEpBwKn60');
  });

  it('example 13: last character changed', () => {
    const e = thrown(() => flaskSerializer('dev').loads(TOKEN1.slice(0, -1) + 'A'));
    expect(e.constructor).toBe(BadTimeSignature);
    expect(String(e)).toBe("Signature b'D3QXMI0ZQYNZDxORB__kVZyT7hA' does not match");
  });

  describe('example 14: expiry with a frozen system clock', () => {
    beforeEach(() => vi.useFakeTimers());
    afterEach(() => vi.useRealTimers());
    it('expired, then from the future', () => {
      const s = new URLSafeTimedSerializer('dev', { salt: 'cookie-session', serializer: compactJson, signerKwargs: { keyDerivation: 'hmac' } });
      vi.setSystemTime((T + 2678401) * 1000);
      const e = thrown(() => s.loads(TOKEN1, 2678400)) as SignatureExpired;
      expect(e).toBeInstanceOf(SignatureExpired);
      expect(String(e)).toBe('Signature age 2678401 > 2678400 seconds');
      expect(e.dateSigned!.toISOString()).toBe('2023-11-14T22:13:20.000Z');
      vi.setSystemTime((T - 5) * 1000);
      expect(String(thrown(() => s.loads(TOKEN1, { maxAge: 2678400 })))).toBe('Signature age -5 < 0 seconds');
      expect(s.loads(TOKEN1)).toEqual({ a: 1 });
      vi.setSystemTime((T + 2678400) * 1000);
      const [obj, when] = s.loadsWithTimestamp(TOKEN1, 2678400);
      expect(obj).toEqual({ a: 1 });
      expect(when.getTime()).toBe(T * 1000);
    });
  });

  it('example 15: another key or another salt', () => {
    const other = flaskSerializer('other');
    const otherSalt = new URLSafeTimedSerializer('dev', { salt: 'itsdangerous', serializer: compactJson, signerKwargs: { keyDerivation: 'hmac' } });
    for (const s of [other, otherSalt]) {
      const e = thrown(() => s.loads(TOKEN1)) as BadTimeSignature;
      expect(e.constructor).toBe(BadTimeSignature);
      expect(String(e)).toBe("Signature b'D3QXMI0ZQYNZDxORB__kVZyT7hk' does not match");
      expect(e.dateSigned!.toISOString()).toBe('2023-11-14T22:13:20.000Z');
      expect(text((e as BadTimeSignature).payload!)).toBe('eyJhIjoxfQ');
    }
  });

  it('example 16: garbage', () => {
    const e = thrown(() => flaskSerializer('dev').loads('garbage'));
    expect(e.constructor).toBe(BadSignature);
    expect(String(e)).toBe("No b'.' found in value");
  });

  it('example 17: a validly signed payload that is not JSON', () => {
    const s = flaskSerializer('dev');
    const token = text(s.makeSigner().sign('e30x'));
    const e = thrown(() => s.loads(token)) as BadPayload;
    expect(e).toBeInstanceOf(BadPayload);
    expect(e).not.toBeInstanceOf(BadSignature);
    expect(e.message).toBe('Could not load the payload because an exception occurred on unserializing the data.');
    expect(e.originalError).toBeInstanceOf(Error);
    expect(e.cause).toBe(e.originalError);
    expect(e.code).toBe('bad_payload');
  });
});

describe('URL-safe payloads (compressed only when 2 bytes shorter)', () => {
  const s = flaskSerializer('dev');
  const signed = (payload: string | Uint8Array) => text(s.makeSigner().sign(payload));

  it('compresses exactly when that saves at least 2 bytes', () => {
    for (let n = 0; n < 60; n++) {
      const obj = { k: 'ab'.repeat(n) + 'xyz'.slice(0, n % 4) };
      const json = bytes(JSON.stringify(obj));
      const c = zlibCompress(json);
      const payload = text(s.dumpPayload(obj));
      if (c.length < json.length - 1) expect(payload).toBe('.' + base64Encode(c));
      else expect(payload).toBe(base64Encode(json));
      expect(s.loadPayload(bytes(payload))).toEqual(obj);
    }
  });

  it('produces the zlib container with header 78 9c', () => {
    expect(Array.from(zlibCompress(bytes('hello hello hello')).subarray(0, 2))).toEqual([0x78, 0x9c]);
  });

  it('fails base64 before zlib before JSON', () => {
    const b64 = thrown(() => s.loads(signed('Y'))) as BadPayload;
    expect(b64.message).toBe('Could not base64 decode the payload because of an exception');
    expect((b64.originalError as Error).message).toBe('Invalid base64-encoded data');

    const notZlib = thrown(() => s.loads(signed('.' + base64Encode('{"a":1}')))) as BadPayload;
    expect(notZlib.message).toBe('Could not zlib decompress the payload before decoding the payload');
    expect(notZlib.originalError).toBeInstanceOf(ZlibError);
    expect((notZlib.originalError as Error).message).toBe('Error -3 while decompressing data: incorrect header check');

    const json = bytes('{"a":1}');
    const c = zlibCompress(json);
    const truncated = thrown(() => s.loads(signed('.' + base64Encode(c.subarray(0, c.length - 3))))) as BadPayload;
    expect((truncated.originalError as Error).message).toBe('Error -5 while decompressing data: incomplete or truncated stream');
    const raw = thrown(() => s.loads(signed('.' + base64Encode(c.subarray(2))))) as BadPayload;
    expect((raw.originalError as Error).message).toBe('Error -3 while decompressing data: incorrect header check');

    const badUtf8 = thrown(() => s.loads(signed(base64Encode(unhex('7b22613a22ff7d'))))) as BadPayload;
    expect(badUtf8.message).toBe('Could not load the payload because an exception occurred on unserializing the data.');
    const utf8Default = new URLSafeTimedSerializer('dev', { salt: 'cookie-session', signerKwargs: { keyDerivation: 'hmac' } });
    const viaDefault = thrown(() => utf8Default.loads(signed(base64Encode(unhex('7b22613a22ff7d'))))) as BadPayload;
    expect((viaDefault.originalError as Error).message).toBe("'utf-8' codec can't decode byte 0xff in position 5: invalid start byte");
  });

  it('strips one leading dot; a second one is skipped by the lenient base64 decoder, as in Python', () => {
    const c = zlibCompress(bytes('{"a":1}'));
    expect(s.loads(signed('.' + base64Encode(c)))).toEqual({ a: 1 });
    expect(s.loads(signed('..' + base64Encode(c)))).toEqual({ a: 1 });
  });

  it('ignores bytes after the end of the zlib stream', () => {
    const c = zlibCompress(bytes('{"a":1}'));
    const padded = new Uint8Array([...c, 1, 2, 3, 4, 5]);
    expect(text(zlibDecompress(padded))).toBe('{"a":1}');
    expect(s.loads(signed('.' + base64Encode(padded)))).toEqual({ a: 1 });
  });

  it('the reused deflate and inflate states give exactly what fresh pako ones give', () => {
    // zlibCompress resets pako 2.2.0's internal state by hand; this catches a pako upgrade that changes it.
    let seed = 12345;
    const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, j) => x === b[j]);
    for (let i = 0; i < 80; i++) {
      const n = Math.floor(rnd() ** 3 * 80_000);
      const alphabet = 1 + Math.floor(rnd() * 60);
      const data = Uint8Array.from({ length: n }, () => 97 + Math.floor(rnd() * alphabet));
      const ours = zlibCompress(data);
      expect(same(ours, pakoDeflate(data, { level: 6 })), `case ${i}, ${n} bytes`).toBe(true);
      expect(same(zlibDecompress(ours, 1 << 30), data), `case ${i}, ${n} bytes`).toBe(true);
    }
  });

  it('inflates like zlib.decompress: big outputs, errors, a preset dictionary, and recovery after an error', () => {
    const big = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 251);
    expect(zlibDecompress(zlibCompress(big))).toEqual(big);
    expect(() => zlibDecompress(new Uint8Array(0))).toThrow('Error -5 while decompressing data: incomplete or truncated stream');
    // A header asking for a preset dictionary (FDICT): Python reports Z_NEED_DICT without text.
    expect(() => zlibDecompress(unhex('78bb00000001010203'))).toThrow(/^Error 2 while decompressing data$/);
    expect(() => zlibDecompress(unhex('0102030405'))).toThrow('Error -3 while decompressing data: incorrect header check');
    expect(text(zlibDecompress(zlibCompress(bytes('{"after":"error"}'))))).toBe('{"after":"error"}');
  });

  it('caps decompression: a zip bomb behind a valid signature fails fast', () => {
    const bomb = zlibCompress(new Uint8Array(1 << 20));
    expect(bomb.length).toBeLessThan(2000);
    const small = new URLSafeTimedSerializer('dev', { maxDecompressedSize: 4096, serializer: compactJson });
    const token = text(small.makeSigner().sign('.' + base64Encode(bomb)));
    const e = thrown(() => small.loads(token)) as BadPayload;
    expect(e.message).toBe('Could not zlib decompress the payload before decoding the payload');
    expect((e.originalError as Error).message).toBe('decompressed data exceeds 4096 bytes');
    expect(() => zlibDecompress(bomb, (1 << 20) - 1)).toThrow(RangeError);
    expect(zlibDecompress(bomb, 1 << 20)).toHaveLength(1 << 20);
  });

  it('enforces the 16 MiB default cap', () => {
    const bomb = zlibCompress(new Uint8Array(16 * 1024 * 1024 + 1));
    const token = text(s.makeSigner().sign('.' + base64Encode(bomb)));
    expect((thrown(() => s.loads(token)) as BadPayload).message).toBe(
      'Could not zlib decompress the payload before decoding the payload',
    );
  });

  it('URLSafeSerializer has no timestamp', () => {
    const u = new URLSafeSerializer('secret', { serializer: compactJson });
    const token = u.dumps({ a: 1 });
    expect(token.split('.')).toHaveLength(2);
    expect(token).toBe(text(new Signer('secret', { salt: 'itsdangerous' }).sign('eyJhIjoxfQ')));
    expect(u.loads(token)).toEqual({ a: 1 });
  });
});

describe('Serializer machinery', () => {
  it('loadsUnsafe returns what it can', () => {
    const s = flaskSerializer('dev');
    expect(s.loadsUnsafe(TOKEN1)).toEqual([true, { a: 1 }]);
    expect(flaskSerializer('other').loadsUnsafe(TOKEN1)).toEqual([false, { a: 1 }]);
    expect(s.loadsUnsafe('garbage')).toEqual([false, null]);
    expect(s.loadsUnsafe('!!!.ZVPxAA.sig')).toEqual([false, null]);
    const bad = text(s.makeSigner().sign('e30x'));
    expect(() => s.loadsUnsafe(bad)).toThrow(BadPayload);
  });

  it('tries fallback signers but stops at SignatureExpired', () => {
    const sha256Token = flaskSerializer('dev', 'sha256').dumps({ a: 1 });
    const withFallback = new URLSafeTimedSerializer('dev', {
      salt: 'cookie-session',
      serializer: compactJson,
      signerKwargs: { keyDerivation: 'hmac', now: clock(T) },
      fallbackSigners: [{ keyDerivation: 'hmac', digestMethod: 'sha256', now: clock(T) }],
    });
    expect(withFallback.loads(sha256Token)).toEqual({ a: 1 });
    expect(thrown(() => flaskSerializer('dev').loads(sha256Token))).toBeInstanceOf(BadTimeSignature);
    const classFallback = new URLSafeTimedSerializer('dev', {
      salt: 'cookie-session',
      serializer: compactJson,
      signerKwargs: { keyDerivation: 'hmac', digestMethod: 'sha256', now: clock(T) },
      fallbackSigners: [[TimestampSigner, { keyDerivation: 'hmac', digestMethod: 'sha1' }]],
    });
    expect(classFallback.loads(TOKEN1)).toEqual({ a: 1 });

    const late = new URLSafeTimedSerializer('dev', {
      salt: 'cookie-session',
      serializer: compactJson,
      signerKwargs: { keyDerivation: 'hmac', now: clock(T + 100) },
      fallbackSigners: [{ keyDerivation: 'hmac', digestMethod: 'sha256' }],
    });
    expect(thrown(() => late.loads(TOKEN1, 10))).toBeInstanceOf(SignatureExpired);
  });

  it('raises the last signer error when every signer fails', () => {
    const s = new URLSafeTimedSerializer('dev', {
      serializer: compactJson,
      fallbackSigners: [{ sep: '|' }],
    });
    const e = thrown(() => s.loads('no-separators-at-all'));
    expect(e.message).toBe("No b'|' found in value");
  });

  it('salt null means the signer default', () => {
    const s = new URLSafeSerializer('k', { salt: null, serializer: compactJson });
    expect(s.dumps({ a: 1 })).toBe(text(new Signer('k').sign('eyJhIjoxfQ')));
    expect(s.dumps({ a: 1 }, 'x')).toBe(text(new Signer('k', { salt: 'x' }).sign('eyJhIjoxfQ')));
    expect(s.loads(s.dumps({ a: 1 }, 'x'), { salt: 'x' })).toEqual({ a: 1 });
  });

  it('the base Serializer signs the stdlib json text itself', () => {
    const s = new Serializer('secret');
    const token = s.dumps({ a: [1, 'é'] });
    expect(token.startsWith('{"a": [1, "\\u00e9"]}.')).toBe(true);
    const loaded = s.loads(token) as Map<string, unknown>;
    expect(loaded.get('a')).toEqual([1, 'é']);
    const timed = new TimedSerializer('secret', { signerKwargs: { now: clock(T) } });
    expect(timed.dumps('x')).toBe(text(new TimestampSigner('secret', { salt: 'itsdangerous', now: clock(T) }).sign('"x"')));
  });

  it('surfaces data-serializer errors on dumps', () => {
    expect(() => new URLSafeSerializer('k').dumps(new Set([1]))).toThrow('Object of type set is not JSON serializable');
  });
});
