import { hmac } from '@noble/hashes/hmac.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { countLines, crack, Cracker, splitSigned, type CrackDigest, type CrackKeyDerivation } from '../../src/engine/crack.ts';

const enc = new TextEncoder();
const b = (s: string) => enc.encode(s);
const HASH = { sha1, sha256, sha512 };

/** base64url without padding, written out here so the test does not lean on the engine's encoder. */
function b64u(bytes: Uint8Array): string {
  let bin = '';
  for (const x of bytes) bin += String.fromCharCode(x);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Signs `message` the way itsdangerous's Signer does, written again from its definition here:
 * https://github.com/pallets/itsdangerous/blob/2.2.0/src/itsdangerous/signer.py#L182 (key derivation) and #L215 (signature). */
function sign(message: string, key: Uint8Array, salt: string, kd: CrackKeyDerivation, digest: CrackDigest): string {
  const h = HASH[digest];
  const derived =
    kd === 'hmac' ? hmac(h, key, b(salt)) : kd === 'concat' ? h(concat(b(salt), key)) : kd === 'django-concat' ? h(concat(b(salt), b('signer'), key)) : key;
  return `${message}.${b64u(hmac(h, derived, b(message)))}`;
}

function randomBytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

describe('Cracker against tokens from the real itsdangerous', () => {
  const words = ['', 'a', 'secret', 'dev', 'x'.repeat(80)].map(b);

  it('finds SECRET_KEY "dev" for Flask example token 1', () => {
    expect(crack('eyJhIjoxfQ.ZVPxAA.D3QXMI0ZQYNZDxORB__kVZyT7hk', words)).toBe(3);
  });

  it('finds the key of a SHA-256 session cookie (example 11)', () => {
    const token = 'eyJhIjoxfQ.ZVPxAA.0eObDVXBA3yWI_ebb3lyW-bwVmSAwaLR-plEpBwKn60';
    expect(crack(token, words, { digest: 'sha256' })).toBe(3);
    expect(crack(token, words, { digest: 'sha256', engine: 'noble' })).toBe(3);
  });

  it('finds "secret" under each key derivation with salt my-salt', () => {
    const table: [CrackKeyDerivation, string][] = [
      ['concat', 'hello.8VEKCFhsKH241fVP2WW_aa8nLEA'],
      ['django-concat', 'hello.ZYKuzzVEyG83xAOOQ4xTM77qemA'],
      ['hmac', 'hello.6Am8ulkQ7rbYk1atQnz6CZDtzM4'],
      ['none', 'hello.URIFXAX5RPhXVe_FzYlw4ZTp9Fs'],
    ];
    for (const [keyDerivation, token] of table) {
      for (const engine of ['auto', 'noble'] as const) {
        expect(crack(token, words, { salt: 'my-salt', keyDerivation, engine }), `${keyDerivation}/${engine}`).toBe(2);
      }
    }
  });

  it('misses with the wrong salt or derivation', () => {
    const token = 'eyJhIjoxfQ.ZVPxAA.D3QXMI0ZQYNZDxORB__kVZyT7hk';
    expect(crack(token, words, { salt: 'itsdangerous' })).toBe(-1);
    expect(crack(token, words, { keyDerivation: 'django-concat' })).toBe(-1);
  });

  it('accepts the signature spellings itsdangerous accepts (padding, +/)', () => {
    expect(crack('eyJhIjoxfQ.ZVPxAA.D3QXMI0ZQYNZDxORB//kVZyT7hk=', words)).toBe(3);
  });
});

describe('specialised SHA-1 path agrees with @noble/hashes', () => {
  const derivations: CrackKeyDerivation[] = ['hmac', 'concat', 'django-concat', 'none'];
  // Key lengths around the 64-byte HMAC block and message lengths around the SHA-1 padding edges.
  const keyLengths = [0, 1, 19, 20, 55, 56, 63, 64, 65, 119, 200];
  const messageLengths = [0, 1, 40, 55, 56, 63, 64, 119, 120, 500];

  it('finds the secret at the same index for every derivation, key length and message length', () => {
    let seed = 7;
    for (const kd of derivations) {
      for (const klen of keyLengths) {
        for (const mlen of messageLengths) {
          const secret = randomBytes(klen, seed++);
          const message = b64u(randomBytes(mlen, seed++)) + '.ZVPxAA';
          const salt = klen % 2 ? 'cookie-session' : 'a salt that is longer than one sixty-four byte SHA-1 block, on purpose';
          const token = sign(message, secret, salt, kd, 'sha1');
          const decoys = [klen ? randomBytes(klen, seed++) : b('z'), randomBytes(klen + 1, seed++), b('dev')];
          const list = [...decoys, secret];
          const fast = crack(token, list, { salt, keyDerivation: kd });
          const lib = crack(token, list, { salt, keyDerivation: kd, engine: 'noble' });
          expect([fast, lib], `${kd} key ${klen} msg ${mlen}`).toEqual([3, 3]);
        }
      }
    }
  });

  it('SHA-512 cookies crack too', () => {
    const secret = b('hunter2');
    const token = sign('eyJhIjoxfQ.ZVPxAA', secret, 'cookie-session', 'hmac', 'sha512');
    expect(crack(token, [b('hunter1'), secret], { digest: 'sha512' })).toBe(1);
  });
});

describe('Cracker.scanLines', () => {
  const secret = b('s3cr3t');
  const token = sign('eyJhIjoxfQ.ZVPxAA', secret, 'cookie-session', 'hmac', 'sha1');

  it('splits on \\n, strips one \\r, keeps raw bytes, and reports how many lines it tried', () => {
    const chunk = concat(b('one\n'), Uint8Array.of(0xff, 0xfe, 0x00, 0x0a), b('two\r\r\n'), b('s3cr3t\r\n'), b('after\n'));
    const r = new Cracker(token).scanLines(chunk);
    expect(r.tried).toBe(4);
    expect(r.match).toEqual(secret);
  });

  it('tries a last line without a newline, and counts no empty piece after a final newline', () => {
    const c = new Cracker(token);
    expect(c.scanLines(b('a\nb\ns3cr3t'))).toEqual({ tried: 3, match: secret });
    expect(c.scanLines(b('a\nb\n'))).toEqual({ tried: 2, match: null });
    expect(countLines(b('a\nb\n'))).toBe(2);
    expect(countLines(b('a\n\nb'))).toBe(3);
  });

  it('only strips one \\r', () => {
    const c = new Cracker(token);
    expect(c.scanLines(b('s3cr3t\r\r\n')).match).toBeNull();
  });

  it('finds a secret that is not UTF-8', () => {
    const raw = Uint8Array.of(0x6b, 0xe9, 0xff, 0x00, 0x20);
    const t = sign('eyJhIjoxfQ.ZVPxAA', raw, 'cookie-session', 'hmac', 'sha1');
    const r = new Cracker(t).scanLines(concat(b('dev\n'), raw, b('\n')));
    expect(r).toEqual({ tried: 2, match: raw });
  });
});

describe('bad cookies', () => {
  it('rejects a value without a dot', () => {
    expect(() => splitSigned('garbage')).toThrow(/no '\.' found/);
  });

  it('rejects a signature whose length no digest can give', () => {
    expect(() => new Cracker('eyJhIjoxfQ.ZVPxAA.D3QXMI0Z')).toThrow(/signature is 6 bytes but sha1 gives 20/);
    expect(() => new Cracker('eyJhIjoxfQ.ZVPxAA.D3QXMI0ZQYNZDxORB__kVZyT7hk', { digest: 'sha256' })).toThrow(/sha256 gives 32/);
  });

  it('rejects a signature that is not base64', () => {
    expect(() => new Cracker('eyJhIjoxfQ.ZVPxAA.D')).toThrow(/not valid base64/);
  });

  it('splits at the last dot and keeps the compressed-payload dot in the message', () => {
    // Flask example 5: a compressed payload (leading dot), signed with s3cr3t.
    const token =
      '.eJyrVkpSsqpWUgCSSo4BFrZKtTpKKWARIKkUUpqqo2BgpOCVmKdgZGBkomBgbGVgYmVgquDuGwJSmg1RmgmmSuLjlawMa4HCuWA-kFSySbLLyLTRT7IDqS6BKFOyijbUUapQigUKlYKFgKSSoZGxiamZuQUuWqm2FgCm_yqq.ZVPxAA.vu8RRvPkIKScq7uC5RhQKYHhrnM';
    const parts = splitSigned(token);
    expect(new TextDecoder().decode(parts.message)).toBe(token.slice(0, token.lastIndexOf('.')));
    expect(parts.signature.length).toBe(20);
    expect(crack(token, [b('dev'), b('s3cr3t')])).toBe(1);
  });
});
