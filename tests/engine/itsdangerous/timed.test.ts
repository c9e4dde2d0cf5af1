import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  BadSignature,
  BadTimeSignature,
  base64Encode,
  intToBytes,
  Signer,
  SignatureExpired,
  timestampToDatetime,
  TimestampSigner,
} from '../../../src/engine/itsdangerous/index.ts';
import { PyValueError } from '../../../src/engine/python/errors.ts';
import { clock, text, thrown } from './helpers.ts';
import { signerContract } from './signer_contract.ts';

const T = 1700000000;

signerContract('TimestampSigner', (key, options) => new TimestampSigner(key, options));

describe('TimestampSigner (timed.py)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(T * 1000);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('example 10: TimestampSigner("secret").sign("hello") at 1700000000', () => {
    expect(text(new TimestampSigner('secret').sign('hello'))).toBe('hello.ZVPxAA.0pZnxd2yvPSFX93jOV9WdHNP6nk');
    expect(text(new TimestampSigner('secret', { now: clock(T) }).sign('hello'))).toBe('hello.ZVPxAA.0pZnxd2yvPSFX93jOV9WdHNP6nk');
  });

  it('reads the clock at call time', () => {
    const s = new TimestampSigner('secret');
    expect(s.getTimestamp()).toBe(T);
    vi.setSystemTime((T + 10) * 1000 + 999);
    expect(s.getTimestamp()).toBe(T + 10);
  });

  it('returns the value and the aware signing time', () => {
    const s = new TimestampSigner('secret');
    const [value, when] = s.unsignWithTimestamp('hello.ZVPxAA.0pZnxd2yvPSFX93jOV9WdHNP6nk');
    expect(text(value)).toBe('hello');
    expect(when.toISOString()).toBe('2023-11-14T22:13:20.000Z');
  });

  it('expires after maxAge, accepts exactly maxAge, and rejects the future only with maxAge', () => {
    const s = new TimestampSigner('secret');
    const token = s.sign('hello');
    vi.setSystemTime((T + 2678400) * 1000);
    expect(text(s.unsign(token, 2678400))).toBe('hello');
    vi.setSystemTime((T + 2678401) * 1000);
    const late = thrown(() => s.unsign(token, 2678400)) as SignatureExpired;
    expect(late).toBeInstanceOf(SignatureExpired);
    expect(late.message).toBe('Signature age 2678401 > 2678400 seconds');
    expect(text(late.payload!)).toBe('hello');
    expect(late.dateSigned!.toISOString()).toBe('2023-11-14T22:13:20.000Z');
    expect(late.code).toBe('signature_expired');
    expect(s.validate(token, 2678400)).toBe(false);
    expect(s.validate(token)).toBe(true);

    vi.setSystemTime((T - 5) * 1000);
    const early = thrown(() => s.unsign(token, 2678400)) as SignatureExpired;
    expect(early.message).toBe('Signature age -5 < 0 seconds');
    expect(early.dateSigned!.toISOString()).toBe('2023-11-14T22:13:20.000Z');
    expect(text(s.unsign(token))).toBe('hello');
  });

  it('turns a bad signature into BadTimeSignature carrying the value and date', () => {
    const s = new TimestampSigner('secret');
    const e = thrown(() => s.unsign('hello.ZVPxAA.0pZnxd2yvPSFX93jOV9WdHNP6nA')) as BadTimeSignature;
    expect(e).toBeInstanceOf(BadTimeSignature);
    expect(e).not.toBeInstanceOf(SignatureExpired);
    expect(e.message).toBe("Signature b'0pZnxd2yvPSFX93jOV9WdHNP6nA' does not match");
    expect(text(e.payload!)).toBe('hello');
    expect(e.dateSigned!.toISOString()).toBe('2023-11-14T22:13:20.000Z');
  });

  it('gives date null when the timestamp of a badly signed value is unreadable', () => {
    const e = thrown(() => new TimestampSigner('secret').unsign('hello.Y.sig')) as BadTimeSignature;
    expect(e.message).toBe("Signature b'sig' does not match");
    expect(e.dateSigned).toBeNull();
    expect(text(e.payload!)).toBe('hello');
  });

  it('re-raises the plain BadSignature when nothing has a separator', () => {
    const e = thrown(() => new TimestampSigner('secret').unsign('garbage'));
    expect(e.constructor).toBe(BadSignature);
    expect(e.message).toBe("No b'.' found in value");
    const e2 = thrown(() => new TimestampSigner('secret').unsign('hello.sig'));
    expect(e2.constructor).toBe(BadSignature);
    expect(e2.message).toBe("Signature b'sig' does not match");
  });

  it('reports "timestamp missing" for a validly signed value without a timestamp', () => {
    const token = new Signer('secret').sign('hello');
    const e = thrown(() => new TimestampSigner('secret').unsign(token)) as BadTimeSignature;
    expect(e.constructor).toBe(BadTimeSignature);
    expect(e.message).toBe('timestamp missing');
    expect(text(e.payload!)).toBe('hello');
  });

  it.each([
    ['undecodable base64', 'Y'],
    ['more than 8 bytes', base64Encode(new Uint8Array(9).fill(1))],
  ])('reports "Malformed timestamp" for a validly signed %s', (_name, ts) => {
    const token = new Signer('secret').sign(`hello.${ts}`);
    const e = thrown(() => new TimestampSigner('secret').unsign(token)) as BadTimeSignature;
    expect(e.constructor).toBe(BadTimeSignature);
    expect(e.message).toBe('Malformed timestamp');
    expect(text(e.payload!)).toBe('hello');
    expect(e.dateSigned).toBeNull();
  });

  it('reads an empty timestamp as 1970-01-01', () => {
    const token = new Signer('secret').sign('hello.');
    const [value, when] = new TimestampSigner('secret').unsignWithTimestamp(token);
    expect(text(value)).toBe('hello');
    expect(when.toISOString()).toBe('1970-01-01T00:00:00.000Z');
  });

  it('reports "Malformed timestamp" for a bad signature over a timestamp past year 9999', () => {
    const ts = base64Encode(intToBytes(253402300800));
    const e = thrown(() => new TimestampSigner('secret').unsign(`hello.${ts}.sig`)) as BadTimeSignature;
    expect(e.message).toBe('Malformed timestamp');
    expect(e.dateSigned).toBeNull();
    const ok = base64Encode(intToBytes(253402300799));
    const e2 = thrown(() => new TimestampSigner('secret').unsign(`hello.${ok}.sig`)) as BadTimeSignature;
    expect(e2.message).toBe("Signature b'sig' does not match");
    expect(e2.dateSigned!.toISOString()).toBe('9999-12-31T23:59:59.000Z');
  });

  it('lets a validly signed timestamp past year 9999 through unsign but not through the date', () => {
    const s = new TimestampSigner('secret', { now: clock(253402300800) });
    const token = s.sign('hello');
    const reader = new TimestampSigner('secret');
    expect(text(reader.unsign(token))).toBe('hello');
    expect(thrown(() => reader.unsignWithTimestamp(token)).message).toBe('year 10000 is out of range');
    expect(thrown(() => reader.unsign(token, 60))).toBeInstanceOf(PyValueError);
    expect(thrown(() => reader.validate(token, 60))).toBeInstanceOf(PyValueError);
  });
});

describe('timestampToDatetime (Python datetime.fromtimestamp on glibc)', () => {
  it.each([
    [0, '1970-01-01T00:00:00.000Z'],
    [1700000000, '2023-11-14T22:13:20.000Z'],
    [253402300799, '9999-12-31T23:59:59.000Z'],
  ])('%d → %s', (ts, iso) => {
    expect(timestampToDatetime(ts).toISOString()).toBe(iso);
  });
  it.each([
    [253402300800n, 'year 10000 is out of range'],
    [2n ** 40n, 'year 36812 is out of range'],
    [2n ** 53n, 'year 285428751 is out of range'],
    [2n ** 55n, 'year 1141709097 is out of range'],
    [67767976233316800n, 'year 2147483647 is out of range'],
    [67767976233532800n, 'year -2147483648 is out of range'],
    [67768036191676799n, 'year -2147481749 is out of range'],
    [67768036191676800n, '[Errno 75] Value too large for defined data type'],
    [2n ** 58n, '[Errno 75] Value too large for defined data type'],
    [2n ** 63n, 'timestamp out of range for platform time_t'],
    [2n ** 64n - 1n, 'timestamp out of range for platform time_t'],
  ])('%s fails with %j', (ts, message) => {
    expect(thrown(() => timestampToDatetime(ts)).message).toBe(message);
  });
});
