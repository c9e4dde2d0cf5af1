// The wordlist cracker's SHA-1 path (see crack.ts), in a module of its own that imports nothing but the SHA-1
// block: a cracking thread of `session-lab crack` loads only this for a SHA-1 cookie, which keeps thread start-up
// short (the rest of the engine takes longer to load than a chunk of guesses takes to try).
import { SHA1_IV, sha1Block } from './itsdangerous/sha1.ts';

const EMPTY = new Uint8Array(0);
const SIGNER = new TextEncoder().encode('signer');

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
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

/** Everything a {@link Sha1Tester} is built from (plain data, so it can be sent to a thread). */
export interface Sha1Setup {
  /** What the signature covers: `payload.timestamp` for a Flask cookie. */
  message: Uint8Array;
  /** The 20-byte signature. */
  signature: Uint8Array;
  salt: Uint8Array;
  /** `hmac`, `concat`, `django-concat` or `none`. */
  derivation: string;
}

/** Candidate tester for SHA-1 cookies, built once per cookie. */
export class Sha1Tester {
  readonly setup: Sha1Setup;
  private readonly derivation: string;
  private readonly saltHmac: Sha1Hmac;
  private readonly sigHmac: Sha1Hmac;
  private readonly prefix: Uint8Array;
  private readonly scratch = new Sha1Scratch();
  private readonly key = new Int32Array(16);
  /** The derived key of the candidate being tried: a digest, so words 5-15 stay zero. */
  private readonly derived = new Int32Array(16);
  private readonly sig: Int32Array;

  constructor(setup: Sha1Setup) {
    const { message, signature, salt, derivation } = setup;
    this.setup = setup;
    this.derivation = derivation;
    this.saltHmac = new Sha1Hmac(salt);
    this.sigHmac = new Sha1Hmac(message);
    this.prefix = derivation === 'django-concat' ? concat(salt, SIGNER) : derivation === 'concat' ? salt : new Uint8Array(0);
    const view = new DataView(signature.buffer, signature.byteOffset, 20);
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

/** The outcome of scanning a chunk of wordlist lines. */
export interface ChunkResult {
  /** How many lines were tried (all of them when nothing matched). */
  tried: number;
  /** The matching line's bytes (one trailing `\r` removed), or null. */
  match: Uint8Array | null;
}

/**
 * Tries every line of a chunk of a wordlist with `tester`: lines end at `\n`, one trailing `\r` is dropped, bytes
 * are kept as they are (no text decoding). A final line without `\n` counts too; an empty piece after the last
 * `\n` does not.
 */
export function scanLines(tester: { test(src: Uint8Array, start: number, end: number): boolean }, chunk: Uint8Array): ChunkResult {
  let tried = 0;
  let start = 0;
  const n = chunk.length;
  while (start < n) {
    let nl = chunk.indexOf(0x0a, start);
    if (nl === -1) nl = n;
    let end = nl;
    if (end > start && chunk[end - 1] === 0x0d) end--;
    tried++;
    if (tester.test(chunk, start, end)) return { tried, match: chunk.slice(start, end) };
    start = nl + 1;
  }
  return { tried, match: null };
}
