// HS256 tokens against RFC 7515's worked example and against jose (a maintained JOSE library): each side
// verifies the other's tokens, and every kind of bad token is refused with its own code.
import { jwtVerify, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { base64urlDecode, base64urlEncode, decodeJwt, JwtError, signHs256, verifyHs256 } from '../../src/engine/jwt.ts';

const enc = new TextEncoder();

describe('HS256 JWT', () => {
  it("verifies RFC 7515 appendix A.1's token with its key", () => {
    const key = base64urlDecode('AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow', 'key');
    const token =
      'eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
    const d = verifyHs256(token, key, { now: 1300819379 });
    expect(d.payload).toEqual({ iss: 'joe', exp: 1300819380, 'http://example.com/is_root': true });
    expect(() => verifyHs256(token, key, { now: 1300819380 })).toThrow(expect.objectContaining({ code: 'expired' }));
    // Re-signing the same header and payload text gives the RFC's signature back.
    expect(signHs256(d.payloadJson, key, d.headerJson)).toBe(token);
  });

  it('jose verifies our tokens and we verify jose tokens', async () => {
    const secret = 'correct horse battery staple';
    const ours = signHs256('{"user_id":42,"exp":4102444800}', secret);
    const { payload } = await jwtVerify(ours, enc.encode(secret), { algorithms: ['HS256'] });
    expect(payload).toEqual({ user_id: 42, exp: 4102444800 });
    const theirs = await new SignJWT({ user: 'alice', roles: ['admin', 'ü'] }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuedAt(1700000000).sign(enc.encode(secret));
    expect(verifyHs256(theirs, secret, { now: 1700000001 }).payload).toEqual({ user: 'alice', roles: ['admin', 'ü'], iat: 1700000000 });
  });

  it('refuses alg none, other algorithms, changed payloads, other keys and broken text, each with its code', () => {
    const good = signHs256('{"user":"alice"}', 'k');
    const [h, p, s] = good.split('.') as [string, string, string];
    const forgedPayload = base64urlEncode('{"user":"admin"}');
    const cases: [string, JwtError['code']][] = [
      [`${base64urlEncode('{"alg":"none","typ":"JWT"}')}.${forgedPayload}.`, 'unsupported-alg'],
      [`${base64urlEncode('{"alg":"HS512"}')}.${p}.${s}`, 'unsupported-alg'],
      [`${h}.${forgedPayload}.${s}`, 'bad-signature'],
      [signHs256('{"user":"alice"}', 'other'), 'bad-signature'],
      [`${h}.${p}`, 'malformed'],
      [`${h}.${p}=.${s}`, 'bad-base64'],
      [`${h}.${base64urlEncode('not json')}.${s}`, 'bad-json'],
      [`${base64urlEncode('[1]')}.${p}.${s}`, 'bad-json'],
    ];
    for (const [token, code] of cases) {
      expect(() => verifyHs256(token, 'k'), token).toThrow(expect.objectContaining({ code }));
    }
    expect(verifyHs256(good, 'k').payload).toEqual({ user: 'alice' });
    expect(decodeJwt(`${h}.${forgedPayload}.${s}`).payload).toEqual({ user: 'admin' });
  });

  it('base64url round-trips every length', () => {
    for (let n = 0; n < 40; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 73 + n) & 0xff);
      expect(base64urlDecode(base64urlEncode(bytes), 'x')).toEqual(bytes);
      expect(base64urlEncode(bytes)).toBe(Buffer.from(bytes).toString('base64url'));
    }
  });
});
