import { describe, expect, it } from 'vitest';
import { dumpCookie, makeCookieDomain, parseCookie, quoteCookiePath, quoteCookieValue, unquoteCookieValue } from '../../../src/engine/werkzeug/http.ts';

// Expected strings are the ones Werkzeug printed (spec §3.5).
describe('cookie value quoting', () => {
  it.each([
    ['eyJhIjoxfQ.ZVPxAA.D3QXMI0ZQYNZDxORB__kVZyT7hk', 'eyJhIjoxfQ.ZVPxAA.D3QXMI0ZQYNZDxORB__kVZyT7hk'],
    ['a b', '"a b"'],
    ['a;b', '"a\\073b"'],
    ['é', '"\\303\\251"'],
    ['say "hi"', '"say \\"hi\\""'],
    ['back\\slash', '"back\\\\slash"'],
    ['a,b', '"a\\054b"'],
    ['\x01', '"\\001"'],
    ['\x1a', '"\x1a"'],
  ])('%j → %s', (raw, quoted) => {
    expect(quoteCookieValue(raw)).toBe(quoted);
    expect(unquoteCookieValue(quoted)).toBe(raw);
  });
});

describe('parseCookie', () => {
  it('keeps the first value when a name repeats', () => {
    expect(parseCookie('session=A; session=B').get('session')).toBe('A');
  });
  it('tolerates spaces around = and gives a bare name an empty value', () => {
    const c = parseCookie('a = 1 ; flag; b=2');
    expect([...c]).toEqual([
      ['a', '1'],
      ['flag', ''],
      ['b', '2'],
    ]);
  });
  it('unescapes quoted values and drops unquoted ones holding a space or quote', () => {
    const c = parseCookie('q="a\\073b\\303\\251"; bad=a b; ok=x');
    expect(c.get('q')).toBe('a;bé');
    expect(c.has('bad')).toBe(false);
    expect(c.get('ok')).toBe('x');
  });
  it('gives an empty map for no header', () => {
    expect(parseCookie(null).size).toBe(0);
    expect(parseCookie('').size).toBe(0);
  });
});

describe('dumpCookie', () => {
  const T = 1700000000;
  const now = () => T;

  it('orders attributes as Werkzeug does', () => {
    const { header } = dumpCookie('sid', 'v', {
      domain: 'example.com',
      expires: new Date((T + 2678400) * 1000),
      secure: true,
      httponly: false,
      path: '/app',
      samesite: 'lax',
    });
    expect(header).toBe('sid=v; Domain=example.com; Expires=Fri, 15 Dec 2023 22:13:20 GMT; Secure; Path=/app; SameSite=Lax');
  });

  it('builds the deletion header', () => {
    const { header } = dumpCookie('session', '', { expires: 0, maxAge: 0, httponly: true }, now);
    expect(header).toBe('session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Path=/');
  });

  it('makes Partitioned imply Secure', () => {
    const { header } = dumpCookie('session', 'x', { httponly: true, samesite: 'None', partitioned: true });
    expect(header).toBe('session=x; Secure; HttpOnly; Path=/; SameSite=None; Partitioned');
  });

  it('derives Expires from Max-Age with the given clock', () => {
    const { header } = dumpCookie('k', 'v', { maxAge: 60 }, now);
    expect(header).toBe('k=v; Expires=Tue, 14 Nov 2023 22:14:20 GMT; Max-Age=60; Path=/');
  });

  it('rejects an unknown SameSite value with Werkzeug\'s message', () => {
    expect(() => dumpCookie('k', 'v', { samesite: 'sometimes' })).toThrow("SameSite must be 'Strict', 'Lax', or 'None'.");
  });

  it('percent-encodes the path and normalises the domain', () => {
    expect(quoteCookiePath('/a b/ü')).toBe('/a%20b/%C3%BC');
    expect(makeCookieDomain('.Example.com:8080')).toBe('Example.com');
    expect(makeCookieDomain('bücher.example')).toBe('xn--bcher-kva.example');
  });

  it('warns about an oversized cookie with Werkzeug\'s numbers and still builds it', () => {
    const value = 'x'.repeat(4119);
    const { header, warning } = dumpCookie('session', value, { httponly: true });
    expect(header.length).toBe(4145);
    expect(warning).toBe(
      "The 'session' cookie is too large: the value was 4119 bytes but the header required 26 extra bytes. " +
        'The final size was 4145 bytes but the limit is 4093 bytes. Browsers may silently ignore cookies larger than this.',
    );
    expect(dumpCookie('session', value, { httponly: true, maxSize: 0 }).warning).toBeNull();
  });
});
