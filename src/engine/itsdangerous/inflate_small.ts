// A small inflater (RFC 1950 zlib wrapper around RFC 1951 deflate) for the payloads of session cookies, which are a
// few hundred bytes: it decodes a well-formed stream and answers null for anything else (a header it does not
// expect, a bad or incomplete code, a distance before the start, a wrong checksum, truncation, output past the
// cap), and url_safe.ts then runs pako, which gives zlib's own error for it. So the result is either the bytes
// zlib would give or a hand-over, never a different answer. tests/engine/itsdangerous/inflate_small.test.ts checks
// it against pako on generated and damaged streams.

/** Largest output decoded here; a longer one is left to pako. */
export const MAX_OUTPUT = 1 << 16;

// Deflate's length and distance codes: the base value and the extra bits of each.
const LENGTH_BASE = Uint16Array.of(3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258);
const LENGTH_EXTRA = Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0);
const DIST_BASE = Uint16Array.of(1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577);
const DIST_EXTRA = Uint8Array.of(0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13);
// The order in which a dynamic block lists the code lengths of the code-length alphabet.
const CL_ORDER = Uint8Array.of(16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15);

/** Bits a code's lookup table is indexed by; longer codes are decoded bit by bit. */
const TABLE_BITS = 9;

/**
 * A canonical Huffman code for decoding. Codes up to TABLE_BITS long are found in one step: the table, indexed by
 * the next TABLE_BITS input bits, holds `symbol << 4 | length` (0 for a longer code). Longer codes walk the
 * lengths: at each one, the codes of that length are the next `count[len]` values after the shorter ones.
 */
class Code {
  readonly count = new Uint16Array(16);
  readonly symbol: Uint16Array;
  readonly table = new Uint16Array(1 << TABLE_BITS);
  /** Bits the table is indexed by now: TABLE_BITS, or the longest code when shorter (a smaller table to fill). */
  tableBits = TABLE_BITS;
  constructor(size: number) {
    this.symbol = new Uint16Array(size);
  }

  /**
   * Sets the code from the lengths `lens[from, from + n)`; false unless the code is complete (no unused codes),
   * or, with `incomplete`, unless it is at least not over-full.
   */
  build(lens: Uint8Array, from: number, n: number, incomplete = false): boolean {
    const count = this.count;
    count.fill(0);
    for (let i = 0; i < n; i++) count[lens[from + i]!]!++;
    if (count[0] === n) return false;
    let left = 1;
    for (let len = 1; len < 16; len++) {
      left = (left << 1) - count[len]!;
      if (left < 0) return false;
    }
    if (left !== 0 && !incomplete) return false;
    let maxLen = 15;
    while (count[maxLen] === 0) maxLen--;
    const tb = (this.tableBits = maxLen < TABLE_BITS ? maxLen : TABLE_BITS);
    const offs = OFFS;
    const next = NEXT;
    offs[1] = 0;
    next[1] = 0;
    for (let len = 1; len < 15; len++) {
      offs[len + 1] = offs[len]! + count[len]!;
      next[len + 1] = (next[len]! + count[len]!) << 1;
    }
    const table = this.table;
    table.fill(0, 0, 1 << tb);
    for (let i = 0; i < n; i++) {
      const l = lens[from + i]!;
      if (l === 0) continue;
      this.symbol[offs[l]!++] = i;
      const code = next[l]!++;
      if (l > tb) continue;
      // The input holds a code's first bit lowest: index the table by the code reversed.
      const rev = REVERSED[code]! >>> (TABLE_BITS - l);
      const entry = (i << 4) | l;
      for (let k = rev; k < 1 << tb; k += 1 << l) table[k] = entry;
    }
    return true;
  }
}
const OFFS = new Uint16Array(16);
/** Each TABLE_BITS-bit value with its bits in reverse order. */
const REVERSED = Uint16Array.from({ length: 1 << TABLE_BITS }, (_, v) => {
  let r = 0;
  for (let b = 0; b < TABLE_BITS; b++, v >>>= 1) r = (r << 1) | (v & 1);
  return r;
});
const NEXT = new Uint16Array(16);

const fixedLit = new Code(288);
const fixedDist = new Code(30);
const dynLit = new Code(288);
const dynDist = new Code(30);
const dynLen = new Code(19);
const lens = new Uint8Array(288 + 32);
{
  for (let i = 0; i < 288; i++) lens[i] = i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8;
  fixedLit.build(lens, 0, 288);
  // The fixed distance code uses 30 of the 32 five-bit codes.
  lens.fill(5, 0, 30);
  fixedDist.build(lens, 0, 30, true);
}

// The reader's state.
let src: Uint8Array = new Uint8Array(0);
let at = 0;
let bitBuf = 0;
let bitCount = 0;
let out = new Uint8Array(1024);
let outLen = 0;
let cap = 0;

/** Thrown inside the decoder for anything it hands over to pako. */
const GIVE_UP = new Error('inflate_small: not handled here');

/** Loads whole bytes into the bit buffer while it has room for one more and input is left. */
function refill(): void {
  while (bitCount <= 24 && at < src.length) {
    bitBuf |= src[at++]! << bitCount;
    bitCount += 8;
  }
}

/** The next `n` bits (n ≤ 16), least significant first. */
function bits(n: number): number {
  if (bitCount < n) {
    refill();
    if (bitCount < n) throw GIVE_UP;
  }
  const v = bitBuf & ((1 << n) - 1);
  bitBuf >>>= n;
  bitCount -= n;
  return v;
}

/** One symbol of `code`; Huffman codes are packed most significant bit first. */
function decode(code: Code): number {
  const tb = code.tableBits;
  if (bitCount < tb) refill();
  const entry = code.table[bitBuf & ((1 << tb) - 1)]!;
  const len = entry & 15;
  if (entry !== 0 && len <= bitCount) {
    bitBuf >>>= len;
    bitCount -= len;
    return entry >>> 4;
  }
  // A code longer than the table, or the last bits of the input: bit by bit.
  const count = code.count;
  let value = 0;
  let first = 0;
  let index = 0;
  for (let l = 1; l < 16; l++) {
    if (bitCount === 0) {
      refill();
      if (bitCount === 0) throw GIVE_UP;
    }
    value |= bitBuf & 1;
    bitBuf >>>= 1;
    bitCount--;
    const c = count[l]!;
    if (value - c < first) return code.symbol[index + (value - first)]!;
    index += c;
    first = (first + c) << 1;
    value <<= 1;
  }
  throw GIVE_UP;
}

function put(byte: number): void {
  if (outLen >= out.length) grow(outLen + 1);
  out[outLen++] = byte;
}

function grow(need: number): void {
  if (need > cap) throw GIVE_UP;
  const bigger = new Uint8Array(Math.min(cap, Math.max(need, out.length * 2)));
  bigger.set(out.subarray(0, outLen));
  out = bigger;
}

/** The symbols of one compressed block, up to its end-of-block code. */
function codes(lit: Code, dist: Code): void {
  for (;;) {
    const sym = decode(lit);
    if (sym < 256) {
      put(sym);
      continue;
    }
    if (sym === 256) return;
    const li = sym - 257;
    if (li >= 29) throw GIVE_UP;
    const length = LENGTH_BASE[li]! + bits(LENGTH_EXTRA[li]!);
    const di = decode(dist);
    if (di >= 30) throw GIVE_UP;
    const distance = DIST_BASE[di]! + bits(DIST_EXTRA[di]!);
    if (distance > outLen) throw GIVE_UP;
    if (outLen + length > out.length) grow(outLen + length);
    let from = outLen - distance;
    for (let k = 0; k < length; k++) out[outLen++] = out[from++]!;
  }
}

/** Reads a dynamic block's code descriptions into dynLit and dynDist. */
function readDynamic(): void {
  const nlen = bits(5) + 257;
  const ndist = bits(5) + 1;
  const ncode = bits(4) + 4;
  if (nlen > 286 || ndist > 30) throw GIVE_UP;
  lens.fill(0, 0, 19);
  for (let i = 0; i < ncode; i++) lens[CL_ORDER[i]!] = bits(3);
  if (!dynLen.build(lens, 0, 19)) throw GIVE_UP;
  let i = 0;
  while (i < nlen + ndist) {
    const sym = decode(dynLen);
    if (sym < 16) {
      lens[i++] = sym;
      continue;
    }
    let len = 0;
    let repeat: number;
    if (sym === 16) {
      if (i === 0) throw GIVE_UP;
      len = lens[i - 1]!;
      repeat = 3 + bits(2);
    } else if (sym === 17) {
      repeat = 3 + bits(3);
    } else {
      repeat = 11 + bits(7);
    }
    if (i + repeat > nlen + ndist) throw GIVE_UP;
    while (repeat-- > 0) lens[i++] = len;
  }
  if (lens[256] === 0) throw GIVE_UP;
  if (!dynLit.build(lens, 0, nlen) || !dynDist.build(lens, nlen, ndist)) throw GIVE_UP;
}

/**
 * `zlib.decompress(data)` for a well-formed stream with the usual 32 KiB window whose output fits `maxSize` (and
 * {@link MAX_OUTPUT}); null for anything else, which the caller hands to zlib (pako) for its answer or error.
 */
export function inflateSmall(data: Uint8Array, maxSize: number): Uint8Array | null {
  if (data.length < 6 || data[0] !== 0x78 || (data[1]! & 0x20) !== 0 || ((data[0]! << 8) | data[1]!) % 31 !== 0) return null;
  src = data;
  at = 2;
  bitBuf = 0;
  bitCount = 0;
  outLen = 0;
  cap = Math.min(maxSize, MAX_OUTPUT);
  if (out.length > cap) out = new Uint8Array(cap);
  try {
    let last = 0;
    do {
      last = bits(1);
      const type = bits(2);
      if (type === 0) {
        // A stored block starts at the next whole byte: give back the whole bytes the buffer holds.
        at -= bitCount >> 3;
        bitBuf = 0;
        bitCount = 0;
        if (at + 4 > src.length) throw GIVE_UP;
        const len = src[at]! | (src[at + 1]! << 8);
        const nlen = src[at + 2]! | (src[at + 3]! << 8);
        at += 4;
        if (len !== (~nlen & 0xffff) || at + len > src.length) throw GIVE_UP;
        if (outLen + len > out.length) grow(outLen + len);
        out.set(src.subarray(at, at + len), outLen);
        outLen += len;
        at += len;
      } else if (type === 1) {
        codes(fixedLit, fixedDist);
      } else if (type === 2) {
        readDynamic();
        codes(dynLit, dynDist);
      } else {
        throw GIVE_UP;
      }
    } while (!last);
    // The Adler-32 trailer starts at the next whole byte.
    at -= bitCount >> 3;
    if (at + 4 > src.length) return null;
    let s1 = 1;
    let s2 = 0;
    for (let i = 0; i < outLen; i++) {
      s1 += out[i]!;
      s2 += s1;
      if ((i & 4095) === 4095) {
        s1 %= 65521;
        s2 %= 65521;
      }
    }
    s1 %= 65521;
    s2 %= 65521;
    const want = ((src[at]! << 24) | (src[at + 1]! << 16) | (src[at + 2]! << 8) | src[at + 3]!) >>> 0;
    if (((s2 << 16) | s1) >>> 0 !== want) return null;
    return out.slice(0, outLen);
  } catch {
    // GIVE_UP, or anything unforeseen: zlib (pako) decides.
    return null;
  } finally {
    src = new Uint8Array(0);
    if (out.length > 1 << 14) out = new Uint8Array(1024);
  }
}
