// Mirrors itsdangerous 2.2.0 signer.py: https://github.com/pallets/itsdangerous/blob/2.2.0/src/itsdangerous/signer.py
import { hmac as nobleHmac, type _HMAC } from '@noble/hashes/hmac.js';
import { PyIndexError, PyTypeError, PyValueError } from '../python/errors.ts';
import { DIGESTS, type DigestName, type KeyDerivation } from './digests.ts';
import { base64Decode, base64EncodeBytes, base64EncodeTo, base64Length, bytesRepr, wantBytes } from './encoding.ts';
import { BadSignature } from './exc.ts';
import { SHA1_IV, sha1Block } from './sha1.ts';

/** One secret key, or a list of them ordered oldest first, newest last (the newest signs). */
export type SecretKey = string | Uint8Array | (string | Uint8Array)[];

export type { DigestName, KeyDerivation } from './digests.ts';

function hashFor(name: DigestName) {
  const h = Object.hasOwn(DIGESTS, name) ? DIGESTS[name].hash : undefined;
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
  if (name === 'sha1') return new Sha1Hmac(key).mac(msg);
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

// ---------------------------------------------------------------------------------------------------------------
// HMAC-SHA1 specialised for short messages: the keyed inner/outer states are computed once per key, and each
// signature then costs two or three compression rounds with no allocation besides the 20-byte result.

const W = new Int32Array(16);
const TAIL = new Uint8Array(128);

/** One SHA-1 compression of the 64 bytes at `off` into the state `h`. */
function sha1Compress(h: Int32Array, buf: Uint8Array, off: number): void {
  for (let i = 0; i < 16; i++, off += 4) W[i] = (buf[off]! << 24) | (buf[off + 1]! << 16) | (buf[off + 2]! << 8) | buf[off + 3]!;
  sha1Block(h, W, 0);
}

/** HMAC-SHA1 with the key schedule done once. */
class Sha1Hmac {
  private readonly inner = new Int32Array(5);
  private readonly outer = new Int32Array(5);
  private readonly h = new Int32Array(5);
  /** The last result of {@link macView}, overwritten by the next call. */
  private readonly view = new Uint8Array(20);

  constructor(key: Uint8Array) {
    const block = new Uint8Array(64);
    block.set(key.length > 64 ? DIGESTS.sha1.hash(key) : key);
    for (let i = 0; i < 64; i++) block[i]! ^= 0x36;
    this.inner.set(SHA1_IV);
    sha1Compress(this.inner, block, 0);
    for (let i = 0; i < 64; i++) block[i]! ^= 0x36 ^ 0x5c;
    this.outer.set(SHA1_IV);
    sha1Compress(this.outer, block, 0);
  }

  /** The 20-byte HMAC of `msg`, in a new array. */
  mac(msg: Uint8Array): Uint8Array {
    return this.macView(msg).slice();
  }

  /** The 20-byte HMAC of `msg`, in a buffer the next call overwrites (for callers that only read it at once). */
  macView(msg: Uint8Array): Uint8Array {
    const h = this.h;
    h.set(this.inner);
    const n = msg.length;
    const full = n - (n % 64);
    for (let off = 0; off < full; off += 64) sha1Compress(h, msg, off);
    // Final block(s): the rest of the message, 0x80, zeros, then the bit length of ipad block + message.
    const rest = n - full;
    TAIL.fill(0);
    TAIL.set(msg.subarray(full), 0);
    TAIL[rest] = 0x80;
    const tailLen = rest < 56 ? 64 : 128;
    const bits = (n + 64) * 8;
    TAIL[tailLen - 4] = bits >>> 24;
    TAIL[tailLen - 3] = bits >>> 16;
    TAIL[tailLen - 2] = bits >>> 8;
    TAIL[tailLen - 1] = bits;
    TAIL[tailLen - 5] = Math.floor((n + 64) / 0x20000000);
    sha1Compress(h, TAIL, 0);
    if (tailLen === 128) sha1Compress(h, TAIL, 64);
    // Outer hash: opad state, then the 20-byte inner digest, padded; total 84 bytes = 672 bits.
    for (let i = 0; i < 5; i++) W[i] = h[i]!;
    W[5] = 0x80000000 | 0;
    for (let i = 6; i < 15; i++) W[i] = 0;
    W[15] = 672;
    h.set(this.outer);
    sha1Block(h, W, 0);
    const out = this.view;
    for (let i = 0, o = 0; i < 5; i++, o += 4) {
      const v = h[i]!;
      out[o] = v >>> 24;
      out[o + 1] = v >>> 16;
      out[o + 2] = v >>> 8;
      out[o + 3] = v;
    }
    return out;
  }
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
  // Keyed states by key object, in a short list: Flask builds a signer per request, and a WeakMap per
  // instance cost more in garbage collection than it saved.
  private keyed: [Uint8Array, Sha1Hmac | { template: _HMAC<any>; work: _HMAC<any> }][] = [];

  constructor(digestMethod?: DigestName) {
    this.digestMethod = digestMethod ?? HMACAlgorithm.defaultDigestMethod;
    hashFor(this.digestMethod);
  }

  /** HMAC of `value` under `key`. */
  getSignature(key: Uint8Array, value: Uint8Array): Uint8Array {
    const entry = this.keyedFor(key);
    if (entry instanceof Sha1Hmac) return entry.mac(value);
    const mac = entry.template._cloneInto(entry.work);
    const out = new Uint8Array(mac.outputLen);
    mac.update(value).digestInto(out);
    return out;
  }

  /** Writes the base64url HMAC of `value` into `out` at `at` (what {@link Signer} signs with, without a copy). */
  writeSignatureBase64(key: Uint8Array, value: Uint8Array, out: Uint8Array, at: number): void {
    const entry = this.keyedFor(key);
    base64EncodeTo(entry instanceof Sha1Hmac ? entry.macView(value) : this.getSignature(key, value), out, at);
  }

  /** The keyed HMAC state for `key`, made on first use. */
  private keyedFor(key: Uint8Array): Sha1Hmac | { template: _HMAC<any>; work: _HMAC<any> } {
    let entry: Sha1Hmac | { template: _HMAC<any>; work: _HMAC<any> } | undefined;
    const keyed = this.keyed;
    for (let i = 0; i < keyed.length; i++) {
      if (keyed[i]![0] === key) {
        entry = keyed[i]![1];
        break;
      }
    }
    if (!entry) {
      if (this.digestMethod === 'sha1') {
        entry = new Sha1Hmac(key);
      } else {
        const template = nobleHmac.create(hashFor(this.digestMethod), key);
        entry = { template, work: template.clone() };
      }
      if (keyed.length >= 8) keyed.shift();
      keyed.push([key, entry]);
    }
    return entry;
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
  for (let i = 0; i < parts.length; i++) n += parts[i]!.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (let i = 0; i < parts.length; i++) {
    out.set(parts[i]!, o);
    o += parts[i]!.length;
  }
  return out;
}

/** Copies `src` into `out` at `at`; a plain loop beats `TypedArray.set` for the short pieces of a token. */
function copyInto(out: Uint8Array, src: Uint8Array, at: number): void {
  if (src.length > 64) {
    out.set(src, at);
    return;
  }
  for (let i = 0; i < src.length; i++) out[at + i] = src[i]!;
}

/** `a ‖ b ‖ c` without a rest-parameter array (the signing hot path). */
export function concat3(a: Uint8Array, b: Uint8Array, c: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length + c.length);
  copyInto(out, a, 0);
  copyInto(out, b, a.length);
  copyInto(out, c, a.length + b.length);
  return out;
}

/**
 * Signs values with a secret key and checks them again: `value ‖ sep ‖ b64u(HMAC(derived key, value))`.
 * Mirrors `itsdangerous.Signer`.
 * @param secretKey one key or a list, oldest first; the last one signs, all of them verify.
 * @param options salt, separator, key derivation, digest and algorithm (see {@link SignerOptions}).
 * @throws {PyValueError} when `sep` could appear inside a signature (same message as Python).
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
  // Derived keys by secret-key object (a short list, see HMACAlgorithm).
  private derived: [Uint8Array, Uint8Array][] = [];

  constructor(secretKey: SecretKey, options: SignerOptions = {}) {
    const ctor = this.constructor as typeof Signer;
    this.secretKeys = Array.isArray(secretKey) ? secretKey.map(wantBytes) : [wantBytes(secretKey)];
    this.sep = wantBytes(options.sep ?? '.');
    if (indexOfBytes(BASE64_ALPHABET, this.sep) !== -1) {
      throw new PyValueError(
        "The given separator cannot be used because it may be contained in the signature itself. ASCII letters, digits, and '-_=' must not be used.",
      );
    }
    this.salt = options.salt == null ? encoder.encode('itsdangerous.Signer') : wantBytes(options.salt);
    this.keyDerivation = options.keyDerivation ?? ctor.defaultKeyDerivation;
    this.digestMethod = options.digestMethod ?? ctor.defaultDigestMethod;
    hashFor(this.digestMethod);
    this.algorithm = options.algorithm ?? new HMACAlgorithm(this.digestMethod);
  }

  /** The newest key, the one that signs (`Signer.secret_key`). @throws {PyIndexError} when the list is empty. */
  get secretKey(): Uint8Array {
    const k = this.secretKeys[this.secretKeys.length - 1];
    if (!k) throw new PyIndexError('list index out of range');
    return k;
  }

  /** The derived key for one secret key, cached by key object; callers must not mutate the result. */
  protected derivedKeyFor(secretKey: Uint8Array): Uint8Array {
    const derived = this.derived;
    for (let i = 0; i < derived.length; i++) if (derived[i]![0] === secretKey) return derived[i]![1];
    let key: Uint8Array;
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
        throw new PyTypeError('Unknown key derivation method');
    }
    if (derived.length >= 16) derived.shift();
    derived.push([secretKey, key]);
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

  /** Length of the base64 signature when the algorithm is HMAC (known in advance), else -1. */
  protected signatureLength(): number {
    // Exactly HMACAlgorithm: a subclass may return signatures of another length.
    const alg = this.algorithm;
    return alg.constructor === HMACAlgorithm ? base64Length(DIGESTS[(alg as HMACAlgorithm).digestMethod].size) : -1;
  }

  /** Writes the base64 signature of `value` into `out` at `at` (sized with {@link signatureLength}). */
  protected writeSignature(value: Uint8Array, out: Uint8Array, at: number): void {
    // signatureLength() let this run only for exactly HMACAlgorithm.
    (this.algorithm as HMACAlgorithm).writeSignatureBase64(this.derivedKeyFor(this.secretKey), value, out, at);
  }

  /**
   * `value ‖ sep ‖ signature`, signed with the newest key. Mirrors `sign`.
   * @throws {TypeError} `Unknown key derivation method`.
   */
  sign(value: string | Uint8Array): Uint8Array {
    const v = wantBytes(value);
    const sigLength = this.signatureLength();
    if (sigLength < 0) return concat3(v, this.sep, this.getSignature(v));
    const out = new Uint8Array(v.length + this.sep.length + sigLength);
    out.set(v, 0);
    out.set(this.sep, v.length);
    this.writeSignature(v, out, v.length + this.sep.length);
    return out;
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
