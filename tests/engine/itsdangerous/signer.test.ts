import { describe, expect, it } from 'vitest';
import {
  constantTimeEqual,
  digest,
  hmac,
  HMACAlgorithm,
  Signer,
  TimestampSigner,
  type SigningAlgorithm,
} from '../../../src/engine/itsdangerous/index.ts';
import { bytes, hex, text, unhex } from './helpers.ts';
import { signerContract } from './signer_contract.ts';

signerContract('Signer', (key, options) => new Signer(key, options));

describe('Signer: tokens the real itsdangerous made', () => {
  it('example 10: Signer("secret").sign("hello")', () => {
    expect(text(new Signer('secret').sign('hello'))).toBe('hello.7KTthSs1fJgtbigPvFpQH1bpoGA');
  });

  it.each([
    ['concat', '6f7cc33565ce0494b649ab94fcabef4e62e5ca24', 'hello.8VEKCFhsKH241fVP2WW_aa8nLEA'],
    ['django-concat', 'd24837accda5bebff4794059b3828ee6f0919734', 'hello.ZYKuzzVEyG83xAOOQ4xTM77qemA'],
    ['hmac', '0a26b3510d5b7638b77ab0a6475da3ed2013414f', 'hello.6Am8ulkQ7rbYk1atQnz6CZDtzM4'],
    ['none', '736563726574', 'hello.URIFXAX5RPhXVe_FzYlw4ZTp9Fs'],
  ])('derivation table: %s', (keyDerivation, derived, signed) => {
    const s = new Signer('secret', { salt: 'my-salt', keyDerivation });
    expect(hex(s.deriveKey())).toBe(derived);
    expect(text(s.sign('hello'))).toBe(signed);
  });

  it('example 12: the Flask-Session signed sid', () => {
    const s = new Signer('dev', { salt: 'flask-session', keyDerivation: 'hmac' });
    expect(text(s.sign('12345678-1234-5678-1234-567812345678'))).toBe(
      '12345678-1234-5678-1234-567812345678.TXTwW9g-PDQHPzmmj6pQ_pr4rCE',
    );
    expect(text(s.sign('SIGNEDSID'))).toBe('SIGNEDSID.wD627BRHq57SJMN-WfYoQSP73wI');
  });

  it('the final character of hello.7KTthSs1fJgtbigPvFpQH1bpoGA may be A, B, C or D', () => {
    const s = new Signer('secret');
    const passing = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'].filter((c) =>
      s.validate('hello.7KTthSs1fJgtbigPvFpQH1bpoG' + c),
    );
    expect(passing).toEqual(['A', 'B', 'C', 'D']);
  });

  it('reports the unverified payload and Python repr of the signature', () => {
    const s = new Signer('secret');
    try {
      s.unsign("it's.bad'sig");
      expect.unreachable();
    } catch (e) {
      expect(String(e)).toBe(`Signature b"bad'sig" does not match`);
      expect(text((e as { payload: Uint8Array }).payload)).toBe("it's");
    }
  });

  it('splits at the last separator', () => {
    const s = new Signer('k', { sep: '::' });
    const signed = text(s.sign('a::b'));
    expect(text(s.unsign(signed))).toBe('a::b');
  });

  it('getSignature and verifySignature work on the base64 text', () => {
    const s = new Signer('secret');
    expect(text(s.getSignature('hello'))).toBe('7KTthSs1fJgtbigPvFpQH1bpoGA');
    expect(s.verifySignature('hello', '7KTthSs1fJgtbigPvFpQH1bpoGA')).toBe(true);
    expect(s.verifySignature('hello', '7KTthSs1fJgtbigPvFpQH1bpoG')).toBe(false);
    expect(s.verifySignature('hello', '!')).toBe(false);
    expect(s.verifySignature('hellO', '7KTthSs1fJgtbigPvFpQH1bpoGA')).toBe(false);
  });

  it('deriveKey takes an explicit secret and returns a copy', () => {
    const s = new Signer(['a', 'b']);
    expect(hex(s.deriveKey('a'))).toBe(hex(new Signer('a').deriveKey()));
    const k = s.deriveKey();
    k.fill(0);
    expect(hex(s.deriveKey())).toBe(hex(new Signer('b').deriveKey()));
  });

  it('accepts a custom SigningAlgorithm', () => {
    const reversed: SigningAlgorithm = {
      getSignature: (key, value) => hmac('sha256', key, value).reverse(),
      verifySignature(key, value, sig) {
        return constantTimeEqual(this.getSignature(key, value), sig);
      },
    };
    const s = new Signer('k', { algorithm: reversed });
    expect(text(s.unsign(s.sign('v')))).toBe('v');
    expect(new Signer('k').validate(s.sign('v'))).toBe(false);
  });
});

describe('algorithm subclasses', () => {
  it('a HMACAlgorithm subclass with shorter signatures signs and verifies', () => {
    class Truncated extends HMACAlgorithm {
      override getSignature(key: Uint8Array, value: Uint8Array): Uint8Array {
        return super.getSignature(key, value).subarray(0, 10);
      }
    }
    for (const s of [new Signer('k', { algorithm: new Truncated() }), new TimestampSigner('k', { algorithm: new Truncated() })]) {
      const t = text(s.sign('hello'));
      expect(t.length - t.lastIndexOf('.') - 1).toBe(14);
      expect(text(s.unsign(t))).toBe('hello');
      expect(new Signer('k').validate(t)).toBe(false);
    }
  });
});

describe('hashing primitives', () => {
  it('match RFC test values', () => {
    expect(hex(digest('sha1', bytes('abc')))).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(hex(digest('sha256', bytes('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    // RFC 4231 test case 2.
    expect(hex(hmac('sha256', bytes('Jefe'), bytes('what do ya want for nothing?')))).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
    // RFC 2202 test case 2.
    expect(hex(hmac('sha1', bytes('Jefe'), bytes('what do ya want for nothing?')))).toBe(
      'effcdf6ae5eb2fa2d27416d5f184df9c259a7c79',
    );
  });

  it('HMAC-SHA1 agrees with Web Crypto for every message length across block boundaries and long keys', async () => {
    for (const keyLength of [0, 5, 63, 64, 65, 200]) {
      const key = Uint8Array.from({ length: keyLength }, (_, i) => (i * 37 + 11) & 0xff);
      // Web Crypto refuses an empty HMAC key; one zero byte is the same key to HMAC, which pads every short key
      // with zeros to the block size.
      const subtleKey = await crypto.subtle.importKey('raw', keyLength === 0 ? new Uint8Array(1) : key, { name: 'HMAC', hash: 'SHA-1' }, false, ['sign']);
      const alg = new HMACAlgorithm();
      for (let n = 0; n <= 200; n++) {
        const msg = Uint8Array.from({ length: n }, (_, i) => (i * 101 + n) & 0xff);
        const want = hex(new Uint8Array(await crypto.subtle.sign('HMAC', subtleKey, msg)));
        expect(hex(alg.getSignature(key, msg))).toBe(want);
        expect(hex(hmac('sha1', key, msg))).toBe(want);
      }
    }
  });

  it('HMACAlgorithm reuses keyed state without mixing messages', () => {
    const alg = new HMACAlgorithm();
    const key = bytes('Jefe');
    const a = hex(alg.getSignature(key, bytes('one')));
    const b = hex(alg.getSignature(key, bytes('two')));
    expect(a).toBe(hex(hmac('sha1', key, bytes('one'))));
    expect(b).toBe(hex(hmac('sha1', key, bytes('two'))));
    expect(hex(alg.getSignature(key, bytes('one')))).toBe(a);
    expect(new HMACAlgorithm().digestMethod).toBe('sha1');
  });

  it('constantTimeEqual is false on length mismatch and on any difference', () => {
    expect(constantTimeEqual(unhex('0102'), unhex('0102'))).toBe(true);
    expect(constantTimeEqual(unhex('0102'), unhex('010203'))).toBe(false);
    expect(constantTimeEqual(unhex('0102'), unhex('0103'))).toBe(false);
    expect(constantTimeEqual(unhex(''), unhex(''))).toBe(true);
  });
});
