// Mirrors itsdangerous 2.2.0 signer.py: https://github.com/pallets/itsdangerous/blob/2.2.0/src/itsdangerous/signer.py
import { hmac as nobleHmac, type _HMAC } from '@noble/hashes/hmac.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { base64Decode, base64EncodeBytes, bytesRepr, wantBytes } from './encoding.ts';
import { BadSignature } from './exc.ts';

/** One secret key, or a list of them ordered oldest first, newest last (the newest signs). */
export type SecretKey = string | Uint8Array | (string | Uint8Array)[];

/** How a secret key and the salt become the HMAC key (`Signer.key_derivation`). */
export type KeyDerivation = 'concat' | 'django-concat' | 'hmac' | 'none';

/** The hashlib constructors this port supports as `digest_method`. */
export type DigestName = 'sha1' | 'sha256' | 'sha512';

const HASHES = { sha1, sha256, sha512 } as const;

function hashFor(name: DigestName) {
  const h = HASHES[name];
  if (!h) throw new TypeError(`Unsupported digest method: ${String(name)}`);
  return h;
}

/**
 * A plain hash digest, like `hashlib.new(name, data).digest()`.
 * @throws {TypeError} for an unsupported digest name.
 */
export function digest(name: DigestName, data: Uint8Array): Uint8Array {
  return hashFor(name)(data);
}

/**
 * HMAC of `msg` under `key`, like `hmac.new(key, msg, name).digest()`.
 * @throws {TypeError} for an unsupported digest name.
 */
export function hmac(name: DigestName, key: Uint8Array, msg: Uint8Array): Uint8Array {
  return nobleHmac(hashFor(name), key, msg);
}

/**
 * Compares two byte strings in time that depends only on their length; false when lengths differ.
 * Mirrors `hmac.compare_digest`.
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** What a signing algorithm provides (`SigningAlgorithm`): make a signature, and check one. */
export interface SigningAlgorithm {
  /** The raw signature bytes of `value` under the derived `key`. */
  getSignature(key: Uint8Array, value: Uint8Array): Uint8Array;
  /** True when `sig` is the signature of `value` under `key`, compared in constant time. */
  verifySignature(key: Uint8Array, value: Uint8Array, sig: Uint8Array): boolean;
}

/** An algorithm whose signature is always empty. Mirrors `NoneAlgorithm`. */
export class NoneAlgorithm implements SigningAlgorithm {
  /** Always returns empty bytes. */
  getSignature(_key: Uint8Array, _value: Uint8Array): Uint8Array {
    return new Uint8Array(0);
  }
  /** True only for an empty `sig`. */
  verifySignature(key: Uint8Array, value: Uint8Array, sig: Uint8Array): boolean {
    return constantTimeEqual(sig, this.getSignature(key, value));
  }
}

/**
 * HMAC with the given digest (SHA-1 by default). Mirrors `HMACAlgorithm`.
 * Keeps the keyed HMAC state per key object, so a signer that reuses its derived key skips the key schedule.
 * @param digestMethod `'sha1'`, `'sha256'` or `'sha512'`.
 * @throws {TypeError} for an unsupported digest name.
 */
export class HMACAlgorithm implements SigningAlgorithm {
  /** Python's class default, `hashlib.sha1`. */
  static defaultDigestMethod: DigestName = 'sha1';
  readonly digestMethod: DigestName;
  private readonly keyed = new WeakMap<Uint8Array, { template: _HMAC<any>; work: _HMAC<any> }>();

  constructor(digestMethod?: DigestName) {
    this.digestMethod = digestMethod ?? HMACAlgorithm.defaultDigestMethod;
    hashFor(this.digestMethod);
  }

  /** HMAC of `value` under `key`. */
  getSignature(key: Uint8Array, value: Uint8Array): Uint8Array {
    let entry = this.keyed.get(key);
    if (!entry) {
      const template = nobleHmac.create(hashFor(this.digestMethod), key);
      entry = { template, work: template.clone() };
      this.keyed.set(key, entry);
    }
    const mac = entry.template._cloneInto(entry.work);
    const out = new Uint8Array(mac.outputLen);
    mac.update(value).digestInto(out);
    return out;
  }

  /** True when `sig` equals the HMAC of `value`, compared in constant time. */
  verifySignature(key: Uint8Array, value: Uint8Array, sig: Uint8Array): boolean {
    return constantTimeEqual(sig, this.getSignature(key, value));
  }
}

/** Options of {@link Signer}, named like Python's keyword arguments. */
export interface SignerOptions {
  /** Namespace for the derived key; null or absent means `itsdangerous.Signer`. */
  salt?: string | Uint8Array | null;
  /** Separator between value and signature; default `.`. */
  sep?: string | Uint8Array;
  /** `'concat'`, `'django-concat'` (default), `'hmac'` or `'none'`; anything else fails when signing. */
  keyDerivation?: string;
  /** Digest for key derivation and the default HMAC; default `'sha1'`. */
  digestMethod?: DigestName;
  /** Signing algorithm; default `new HMACAlgorithm(digestMethod)`. */
  algorithm?: SigningAlgorithm;
}

const encoder = new TextEncoder();
const BASE64_ALPHABET = encoder.encode('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=');
const SIGNER_BYTES = encoder.encode('signer');

/** Index of `needle` in `hay` searching from `from` forward, or -1. */
function indexOfBytes(hay: Uint8Array, needle: Uint8Array, from = 0): number {
  if (needle.length === 1) return hay.indexOf(needle[0]!, from);
  outer: for (let i = from; i <= hay.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** Index of the last occurrence of `needle` in `hay`, or -1 (the split point of `bytes.rsplit(sep, 1)`). */
export function lastIndexOfBytes(hay: Uint8Array, needle: Uint8Array): number {
  if (needle.length === 1) return hay.lastIndexOf(needle[0]!);
  outer: for (let i = hay.length - needle.length; i >= 0; i--) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** Concatenation of byte strings. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * Signs values with a secret key and checks them again: `value ‖ sep ‖ b64u(HMAC(derived key, value))`.
 * Mirrors `itsdangerous.Signer`.
 * @param secretKey one key or a list, oldest first; the last one signs, all of them verify.
 * @param options salt, separator, key derivation, digest and algorithm (see {@link SignerOptions}).
 * @throws {RangeError} when `sep` could appear inside a signature (Python's ValueError, same message).
 */
export class Signer {
  /** Python's `default_digest_method`. */
  static defaultDigestMethod: DigestName = 'sha1';
  /** Python's `default_key_derivation`. */
  static defaultKeyDerivation: string = 'django-concat';

  /** Every secret key as bytes, oldest first, newest last. */
  readonly secretKeys: Uint8Array[];
  readonly salt: Uint8Array;
  readonly sep: Uint8Array;
  readonly keyDerivation: string;
  readonly digestMethod: DigestName;
  readonly algorithm: SigningAlgorithm;
  private readonly derived = new WeakMap<Uint8Array, Uint8Array>();

  constructor(secretKey: SecretKey, options: SignerOptions = {}) {
    const ctor = this.constructor as typeof Signer;
    this.secretKeys = Array.isArray(secretKey) ? secretKey.map(wantBytes) : [wantBytes(secretKey)];
    this.sep = wantBytes(options.sep ?? '.');
    if (indexOfBytes(BASE64_ALPHABET, this.sep) !== -1) {
      throw new RangeError(
        "The given separator cannot be used because it may be contained in the signature itself. ASCII letters, digits, and '-_=' must not be used.",
      );
    }
    this.salt = options.salt == null ? encoder.encode('itsdangerous.Signer') : wantBytes(options.salt);
    this.keyDerivation = options.keyDerivation ?? ctor.defaultKeyDerivation;
    this.digestMethod = options.digestMethod ?? ctor.defaultDigestMethod;
    hashFor(this.digestMethod);
    this.algorithm = options.algorithm ?? new HMACAlgorithm(this.digestMethod);
  }

  /** The newest key, the one that signs (`Signer.secret_key`). @throws {RangeError} when the list is empty. */
  get secretKey(): Uint8Array {
    const k = this.secretKeys[this.secretKeys.length - 1];
    if (!k) throw new RangeError('list index out of range');
    return k;
  }

  /** The derived key for one secret key, cached by key object; callers must not mutate the result. */
  protected derivedKeyFor(secretKey: Uint8Array): Uint8Array {
    let key = this.derived.get(secretKey);
    if (key) return key;
    const salt = this.salt;
    switch (this.keyDerivation) {
      case 'concat':
        key = digest(this.digestMethod, concatBytes(salt, secretKey));
        break;
      case 'django-concat':
        key = digest(this.digestMethod, concatBytes(salt, SIGNER_BYTES, secretKey));
        break;
      case 'hmac':
        key = hmac(this.digestMethod, secretKey, salt);
        break;
      case 'none':
        key = secretKey;
        break;
      default:
        throw new TypeError('Unknown key derivation method');
    }
    this.derived.set(secretKey, key);
    return key;
  }

  /**
   * The key HMAC uses, derived from a secret key (default: the newest) and the salt. Mirrors `derive_key`.
   * @throws {TypeError} `Unknown key derivation method`.
   */
  deriveKey(secretKey?: string | Uint8Array): Uint8Array {
    const k = secretKey === undefined ? this.secretKey : wantBytes(secretKey);
    return this.derivedKeyFor(k).slice();
  }

  /**
   * The base64url signature of a value, as ASCII bytes (Python returns bytes). Mirrors `get_signature`.
   * @throws {TypeError} `Unknown key derivation method`.
   */
  getSignature(value: string | Uint8Array): Uint8Array {
    const v = wantBytes(value);
    return base64EncodeBytes(this.algorithm.getSignature(this.derivedKeyFor(this.secretKey), v));
  }

  /**
   * `value ‖ sep ‖ signature`, signed with the newest key. Mirrors `sign`.
   * @throws {TypeError} `Unknown key derivation method`.
   */
  sign(value: string | Uint8Array): Uint8Array {
    const v = wantBytes(value);
    return concatBytes(v, this.sep, this.getSignature(v));
  }

  /**
   * True when `sig` (base64url) signs `value` under any key, newest first; the decoded bytes are compared,
   * so padding, `+/` and some final-character variants also pass, as in Python. Mirrors `verify_signature`.
   * @throws {TypeError} `Unknown key derivation method`.
   */
  verifySignature(value: string | Uint8Array, sig: string | Uint8Array): boolean {
    const v = wantBytes(value);
    let raw: Uint8Array;
    try {
      raw = base64Decode(wantBytes(sig));
    } catch {
      return false;
    }
    for (let i = this.secretKeys.length - 1; i >= 0; i--) {
      if (this.algorithm.verifySignature(this.derivedKeyFor(this.secretKeys[i]!), v, raw)) return true;
    }
    return false;
  }

  /**
   * Splits at the last separator, checks the signature and returns the value. Mirrors `unsign`.
   * @throws {BadSignature} `No b'.' found in value` (payload null) or `Signature b'…' does not match` (payload = value).
   * @throws {TypeError} `Unknown key derivation method`.
   */
  unsign(signedValue: string | Uint8Array): Uint8Array {
    const s = wantBytes(signedValue);
    const at = lastIndexOfBytes(s, this.sep);
    if (at === -1) throw new BadSignature(`No ${bytesRepr(this.sep)} found in value`);
    const value = s.subarray(0, at);
    const sig = s.subarray(at + this.sep.length);
    if (this.verifySignature(value, sig)) return value;
    throw new BadSignature(`Signature ${bytesRepr(sig)} does not match`, value);
  }

  /**
   * True when the signed value verifies; never throws BadSignature. Mirrors `validate`.
   * @throws {TypeError} `Unknown key derivation method`.
   */
  validate(signedValue: string | Uint8Array): boolean {
    try {
      this.unsign(signedValue);
      return true;
    } catch (e) {
      if (e instanceof BadSignature) return false;
      throw e;
    }
  }
}
