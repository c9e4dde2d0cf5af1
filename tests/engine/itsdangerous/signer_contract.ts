// The Signer contract, run against Signer and rerun against TimestampSigner (a subclass keeps its base's promises).
import { describe, expect, it } from 'vitest';
import {
  BadSignature,
  NoneAlgorithm,
  type DigestName,
  type Signer,
  type SignerOptions,
} from '../../../src/engine/itsdangerous/index.ts';
import { PyTypeError } from '../../../src/engine/python/errors.ts';
import { bytes, hex, text, thrown } from './helpers.ts';

export type MakeSigner = (key: string | Uint8Array | (string | Uint8Array)[], options?: SignerOptions) => Signer;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Small mutations of a signed token; each one must break it. */
export const TAMPERS: [string, (t: string) => string][] = [
  ['flip a data bit of the last signature char', (t) => t.slice(0, -1) + ALPHABET[ALPHABET.indexOf(t.at(-1)!) ^ 0x20]],
  ['change the first signature char', (t) => {
    const i = t.lastIndexOf('.') + 1;
    return t.slice(0, i) + (t[i] === 'A' ? 'B' : 'A') + t.slice(i + 1);
  }],
  ['change the first value char', (t) => (t[0] === 'x' ? 'y' : 'x') + t.slice(1)],
  ['drop the last char', (t) => t.slice(0, -1)],
  ['drop the last 4 chars', (t) => t.slice(0, -4)],
  ['append a data char', (t) => t + 'A'],
  ['prepend a char', (t) => 'x' + t],
  ['empty signature', (t) => t.slice(0, t.lastIndexOf('.') + 1)],
  ['no signature at all', (t) => t.slice(0, t.lastIndexOf('.'))],
  ['swap case of the signature', (t) => {
    const i = t.lastIndexOf('.') + 1;
    return t.slice(0, i) + [...t.slice(i)].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join('');
  }],
  ['value with an extra dot', (t) => '.' + t],
  ['empty string', () => ''],
  ['only the separator', () => '.'],
];

export function signerContract(label: string, make: MakeSigner): void {
  describe(`${label}: Signer contract`, () => {
    const digests: DigestName[] = ['sha1', 'sha256', 'sha512'];
    const derivations = ['concat', 'django-concat', 'hmac', 'none'];

    it.each(derivations.flatMap((d) => digests.map((g) => [d, g] as const)))('round-trips with %s / %s', (keyDerivation, digestMethod) => {
      const s = make('secret', { keyDerivation, digestMethod, salt: 'salt' });
      for (const v of ['hello', '', 'a.b.c', 'José ☃ 𝄞']) {
        const signed = s.sign(v);
        expect(text(s.unsign(signed))).toBe(v);
        expect(text(s.unsign(text(signed)))).toBe(v);
        expect(s.validate(signed)).toBe(true);
      }
      const raw = Uint8Array.from([0, 255, 46, 128]);
      expect(hex(s.unsign(s.sign(raw)))).toBe(hex(raw));
    });

    it('has a signature length set by the digest', () => {
      const sigLen = (d: DigestName) => {
        const t = text(make('k', { digestMethod: d }).sign('v'));
        return t.length - t.lastIndexOf('.') - 1;
      };
      expect([sigLen('sha1'), sigLen('sha256'), sigLen('sha512')]).toEqual([27, 43, 86]);
    });

    it('treats text and UTF-8 bytes alike for keys, salts and values', () => {
      const a = make('ké', { salt: 'sé' }).sign('vé');
      const b = make(bytes('ké'), { salt: bytes('sé') }).sign(bytes('vé'));
      expect(hex(a)).toBe(hex(b));
    });

    it('uses itsdangerous.Signer as the salt for both null and absent', () => {
      expect(hex(make('k', { salt: null }).sign('v'))).toBe(hex(make('k').sign('v')));
      expect(hex(make('k', { salt: 'itsdangerous.Signer' }).sign('v'))).toBe(hex(make('k').sign('v')));
      expect(hex(make('k', { salt: 'other' }).sign('v'))).not.toBe(hex(make('k').sign('v')));
    });

    it.each(TAMPERS)('rejects a token after: %s', (_name, mutate) => {
      const s = make('secret');
      const bad = mutate(text(s.sign('hello world')));
      const e = thrown(() => s.unsign(bad));
      expect(e).toBeInstanceOf(BadSignature);
      expect(s.validate(bad)).toBe(false);
    });

    it('rejects another key, another salt, another derivation and another digest', () => {
      const token = make('secret', { salt: 'a' }).sign('v');
      for (const other of [
        make('secret2', { salt: 'a' }),
        make('secret', { salt: 'b' }),
        make('secret', { salt: 'a', keyDerivation: 'hmac' }),
        make('secret', { salt: 'a', digestMethod: 'sha256' }),
      ]) {
        expect(other.validate(token)).toBe(false);
        expect(thrown(() => other.unsign(token))).toBeInstanceOf(BadSignature);
      }
    });

    it('signs with the newest key and verifies with every key', () => {
      const old = make('old');
      const rotated = make(['old', 'new']);
      const fresh = make('new');
      expect(hex(rotated.sign('v'))).toBe(hex(fresh.sign('v')));
      expect(text(rotated.unsign(old.sign('v')))).toBe('v');
      expect(text(rotated.unsign(fresh.sign('v')))).toBe('v');
      expect(old.validate(rotated.sign('v'))).toBe(false);
      expect(make(['a', 'b', 'c']).validate(make('a').sign('v'))).toBe(true);
    });

    it('reports a missing separator with payload null', () => {
      const e = thrown(() => make('k').unsign('garbage')) as BadSignature;
      expect(e).toBeInstanceOf(BadSignature);
      expect(e.message).toBe("No b'.' found in value");
      expect(e.payload).toBeNull();
    });

    it('accepts custom separators, multi-byte ones included', () => {
      for (const sep of ['|', '::', '~', 'é', '$$']) {
        const s = make('k', { sep });
        const signed = text(s.sign('a.b'));
        expect(signed.startsWith('a.b' + sep)).toBe(true);
        expect(text(s.unsign(signed))).toBe('a.b');
        expect(thrown(() => s.unsign('nothing here')).message).toBe(`No b'${sep === 'é' ? '\\xc3\\xa9' : sep}' found in value`);
      }
    });

    it.each(['a', 'Z', '0', '-', '_', '=', 'ab', ''])('refuses separator %j at construction', (sep) => {
      expect(thrown(() => make('k', { sep })).message).toBe(
        "The given separator cannot be used because it may be contained in the signature itself. ASCII letters, digits, and '-_=' must not be used.",
      );
    });

    it('fails only when signing or verifying for an unknown key derivation', () => {
      const s = make('k', { keyDerivation: 'nope' });
      expect(thrown(() => s.sign('v'))).toBeInstanceOf(PyTypeError);
      expect(thrown(() => s.sign('v')).message).toBe('Unknown key derivation method');
      const good = make('k').sign('v');
      expect(thrown(() => s.unsign(good)).message).toBe('Unknown key derivation method');
      expect(thrown(() => s.validate(good)).message).toBe('Unknown key derivation method');
    });

    it('compares decoded bytes: padding, +/ and spare low bits pass', () => {
      const s = make('k');
      const t = text(s.sign('hello'));
      expect(s.validate(t + '=')).toBe(true);
      expect(s.validate(t + '==')).toBe(true);
      const i = t.lastIndexOf('.');
      const swapped = t.slice(0, i) + t.slice(i).replaceAll('-', '+').replaceAll('_', '/');
      expect(s.validate(swapped)).toBe(true);
      // 27 characters carry 162 bits for 160: the last char's 2 low bits are ignored, so 4 chars pass.
      const last = ALPHABET.indexOf(t.at(-1)!);
      const passing = [...ALPHABET].filter((c) => s.validate(t.slice(0, -1) + c));
      expect(passing).toHaveLength(4);
      expect(passing).toContain(ALPHABET[last & ~3]);
    });

    it('signs with an empty signature under NoneAlgorithm', () => {
      const s = make('k', { algorithm: new NoneAlgorithm() });
      const t = text(s.sign('hello'));
      expect(t.endsWith('.')).toBe(true);
      expect(text(s.unsign(t))).toBe('hello');
      expect(s.validate(t + 'A')).toBe(false);
    });

    it('refuses to sign with an empty key list', () => {
      expect(thrown(() => make([]).sign('v')).message).toBe('list index out of range');
      expect(make([]).validate('v.x')).toBe(false);
    });
  });
}
