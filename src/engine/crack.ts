// Wordlist attack on itsdangerous 2.2.0 signatures (Signer.verify_signature): https://github.com/pallets/itsdangerous/blob/2.2.0/src/itsdangerous/signer.py
import { hmac as nobleHmac } from '@noble/hashes/hmac.js';
import { DIGESTS, isDigestName, KEY_DERIVATIONS, type DigestName, type KeyDerivation } from './itsdangerous/digests.ts';
import { base64Decode } from './itsdangerous/encoding.ts';
import { scanLines, Sha1Tester, type ChunkResult, type Sha1Setup } from './crack_sha1.ts';

/** How a candidate secret and the salt become the HMAC key, as in `Signer.key_derivation`. */
export type CrackKeyDerivation = KeyDerivation;

/** The digests a cookie can be signed with (`Signer.digest_method`). */
export type CrackDigest = DigestName;

/** What the cracker needs to know besides the cookie; defaults are Flask's session settings. */
export interface CrackOptions {
  /** Default `cookie-session` (Flask's `SecureCookieSessionInterface.salt`). */
  salt?: string | Uint8Array;
  /** Default `hmac`. */
  keyDerivation?: CrackKeyDerivation;
  /** Default `sha1`. */
  digest?: CrackDigest;
  /**
   * `auto` (default) uses the hand-specialised SHA-1 HMAC when the digest is SHA-1 and @noble/hashes
   * otherwise; `noble` forces the library path, for measurement and cross-checks.
   */
  engine?: 'auto' | 'noble';
}

/** A cookie split into what its signature covers and the signature itself. */
export interface SignedParts {
  /** Everything before the last `.`: `payload.timestamp` for a Flask cookie. */
  message: Uint8Array;
  /** The signature, base64-decoded the lenient way itsdangerous does. */
  signature: Uint8Array;
}

const encoder = new TextEncoder();
const SIGNER = encoder.encode('signer');

/**
 * Splits a signed value at its last `.` and decodes the signature, as `Signer.unsign` does.
 * Text is UTF-8 encoded first, as itsdangerous's `want_bytes` does.
 * @throws {Error} when there is no `.` or the signature is not base64.
 */
export function splitSigned(cookie: string | Uint8Array): SignedParts {
  const bytes = typeof cookie === 'string' ? encoder.encode(cookie.trim()) : cookie;
  const at = bytes.lastIndexOf(0x2e);
  if (at === -1) throw new Error("not a signed value: no '.' found");
  let signature: Uint8Array;
  try {
    signature = base64Decode(bytes.subarray(at + 1));
  } catch {
    throw new Error('the signature part is not valid base64');
  }
  return { message: bytes.slice(0, at), signature };
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

/** Candidate tester through @noble/hashes, for every digest. */
class NobleTester {
  private readonly hash: (typeof DIGESTS)[CrackDigest]['hash'];
  private readonly parts: SignedParts;
  private readonly salt: Uint8Array;
  private readonly derivation: CrackKeyDerivation;
  private readonly prefix: Uint8Array;

  constructor(parts: SignedParts, salt: Uint8Array, derivation: CrackKeyDerivation, digest: CrackDigest) {
    this.hash = DIGESTS[digest].hash;
    this.parts = parts;
    this.salt = salt;
    this.derivation = derivation;
    this.prefix = derivation === 'django-concat' ? concat(salt, SIGNER) : salt;
  }

  test(src: Uint8Array, start: number, end: number): boolean {
    const candidate = src.subarray(start, end);
    let key: Uint8Array;
    switch (this.derivation) {
      case 'hmac':
        key = nobleHmac(this.hash, candidate, this.salt);
        break;
      case 'concat':
      case 'django-concat':
        key = this.hash(concat(this.prefix, candidate));
        break;
      default:
        key = candidate;
    }
    const mac = nobleHmac(this.hash, key, this.parts.message);
    const sig = this.parts.signature;
    if (mac[0] !== sig[0] || mac[1] !== sig[1] || mac[2] !== sig[2] || mac[3] !== sig[3]) return false;
    let diff = 0;
    for (let i = 0; i < mac.length; i++) diff |= mac[i]! ^ sig[i]!;
    return diff === 0;
  }
}

export type { ChunkResult } from './crack_sha1.ts';

/**
 * Tests candidate secrets against one signed cookie: for each candidate it derives the key from the
 * salt and compares the HMAC of `payload.timestamp` with the cookie's signature, the check
 * `Signer.verify_signature` makes. Everything that does not depend on the candidate is prepared once.
 * @param cookie a signed value such as a Flask session cookie.
 * @param options salt, key derivation and digest (Flask's by default).
 * @throws {Error} when the cookie has no `.`, its signature is not base64, or the signature's length
 *   cannot come from the digest (then no key could ever match).
 */
export class Cracker {
  readonly parts: SignedParts;
  readonly digest: CrackDigest;
  readonly keyDerivation: CrackKeyDerivation;
  private readonly tester: { test(src: Uint8Array, start: number, end: number): boolean };

  constructor(cookie: string | Uint8Array | SignedParts, options: CrackOptions = {}) {
    this.parts = typeof cookie === 'string' || cookie instanceof Uint8Array ? splitSigned(cookie) : cookie;
    this.digest = options.digest ?? 'sha1';
    this.keyDerivation = options.keyDerivation ?? 'hmac';
    if (!isDigestName(this.digest)) throw new Error(`unknown digest: ${String(this.digest)}`);
    if (!(KEY_DERIVATIONS as readonly string[]).includes(this.keyDerivation)) {
      throw new Error(`unknown key derivation: ${String(this.keyDerivation)}`);
    }
    const size = DIGESTS[this.digest].size;
    if (this.parts.signature.length !== size) {
      throw new Error(`the signature is ${this.parts.signature.length} bytes but ${this.digest} gives ${size}: no key can match`);
    }
    const salt = options.salt === undefined ? encoder.encode('cookie-session') : typeof options.salt === 'string' ? encoder.encode(options.salt) : options.salt;
    this.tester =
      this.digest === 'sha1' && options.engine !== 'noble'
        ? new Sha1Tester({ message: this.parts.message, signature: this.parts.signature, salt, derivation: this.keyDerivation })
        : new NobleTester(this.parts, salt, this.keyDerivation, this.digest);
  }

  /** True when the secret `src[start, end)` signed the cookie. */
  testRange(src: Uint8Array, start: number, end: number): boolean {
    return this.tester.test(src, start, end);
  }

  /** True when `candidate` is the secret that signed the cookie. */
  test(candidate: Uint8Array): boolean {
    return this.tester.test(candidate, 0, candidate.length);
  }

  /** The index of the first candidate that signed the cookie, or -1. */
  findIndex(candidates: readonly Uint8Array[]): number {
    for (let i = 0; i < candidates.length; i++) {
      const c = candidates[i]!;
      if (this.tester.test(c, 0, c.length)) return i;
    }
    return -1;
  }

  /**
   * Tries every line of a chunk of a wordlist: lines end at `\n`, one trailing `\r` is dropped, bytes
   * are kept as they are (no text decoding). A final line without `\n` counts too; an empty piece after
   * the last `\n` does not.
   */
  scanLines(chunk: Uint8Array): ChunkResult {
    return scanLines(this.tester, chunk);
  }

  /**
   * What a thread needs to build this cracker's SHA-1 tester without loading this module (see
   * crack_sha1.ts), or null when the cracker uses @noble/hashes.
   */
  sha1Setup(): Sha1Setup | null {
    return this.tester instanceof Sha1Tester ? this.tester.setup : null;
  }
}

/**
 * One-shot form of {@link Cracker.findIndex}: the index of the candidate that signed `cookie`, or -1.
 * @throws {Error} as the {@link Cracker} constructor.
 */
export function crack(cookie: string | Uint8Array, candidates: readonly Uint8Array[], options: CrackOptions = {}): number {
  return new Cracker(cookie, options).findIndex(candidates);
}

/** Counts the lines {@link Cracker.scanLines} would try in a chunk. */
export function countLines(chunk: Uint8Array): number {
  let count = 0;
  let start = 0;
  while (start < chunk.length) {
    const nl = chunk.indexOf(0x0a, start);
    count++;
    if (nl === -1) break;
    start = nl + 1;
  }
  return count;
}
