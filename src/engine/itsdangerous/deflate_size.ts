// How long zlib's `compress(data)` (level 6, the one CPython and pako write byte for byte alike) would be, without
// writing it, and then, when the payload does shrink, the bytes themselves. itsdangerous compresses a payload only
// to compare lengths, and a small session usually does not shrink: knowing the length is enough to skip the
// compressor then. The length is computed by the same steps zlib 1.2.13 takes (deflate.c's lazy matcher at level
// 6, trees.c's Huffman trees and block choice); writeAnalysed then sends the symbols the matcher kept with those
// trees, as trees.c does. tests/engine/itsdangerous/deflate_size.test.ts checks every length and every stream here
// against pako's output, and the lengths against a judge's zlib.
//
// Only small inputs are handled (one block, no window sliding); see MAX_INPUT.

/** Largest input sized here; longer ones return -1 (the caller compresses them for real). */
export const MAX_INPUT = 2048;

// deflate's alphabets and limits.
const LITERALS = 256;
const L_CODES = 286;
const D_CODES = 30;
const BL_CODES = 19;
const MAX_BITS = 15;
const MAX_BL_BITS = 7;
const MIN_MATCH = 3;
const MAX_MATCH = 258;
const TOO_FAR = 4096;
// Level 6: good_length 8, max_lazy 16, nice_length 128, max_chain 128.
const GOOD_LENGTH = 8;
const MAX_LAZY = 16;
const NICE_LENGTH = 128;
const MAX_CHAIN = 128;
const HASH_SIZE = 1 << 15;

const EXTRA_LBITS = Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0);
const EXTRA_DBITS = Uint8Array.of(0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13);
const EXTRA_BLBITS = Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 3, 7);
const BL_ORDER = Uint8Array.of(16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15);

// Length code (257 + index) of each match length - 3, and distance code of each distance - 1, built from the
// extra-bit tables as deflate defines them.
const LENGTH_CODE = new Uint8Array(256);
const DIST_CODE_LOW = new Uint8Array(256); // distances 1..256
const DIST_CODE_HIGH = new Uint8Array(256); // (distance - 1) >> 7, for longer ones
{
  let length = 0;
  for (let code = 0; code < 28; code++) for (let n = 0; n < 1 << EXTRA_LBITS[code]!; n++) LENGTH_CODE[length++] = code;
  // Length 258 (index 255) has a code of its own.
  LENGTH_CODE[255] = 28;
  let dist = 0;
  for (let code = 0; code < 16; code++) for (let n = 0; n < 1 << EXTRA_DBITS[code]!; n++) DIST_CODE_LOW[dist++] = code;
  dist >>= 7;
  for (let code = 16; code < D_CODES; code++) for (let n = 0; n < 1 << (EXTRA_DBITS[code]! - 7); n++) DIST_CODE_HIGH[256 + dist++ - 256] = code;
}

/** Code lengths of the fixed Huffman codes (RFC 1951 §3.2.6). */
const STATIC_LLEN = new Uint8Array(L_CODES + 2);
for (let n = 0; n < 288; n++) STATIC_LLEN[n] = n < 144 ? 8 : n < 256 ? 9 : n < 280 ? 7 : 8;
const STATIC_DLEN = new Uint8Array(D_CODES).fill(5);

/** One Huffman tree's working arrays, as trees.c keeps them (frequencies, parents, lengths, node depths). */
class Tree {
  readonly freq: Int32Array;
  readonly dad: Int32Array;
  readonly len: Int32Array;
  readonly elems: number;
  readonly extra: Uint8Array;
  readonly extraBase: number;
  readonly maxLength: number;
  readonly staticLen: Uint8Array | null;
  maxCode = 0;
  constructor(elems: number, extra: Uint8Array, extraBase: number, maxLength: number, staticLen: Uint8Array | null) {
    this.elems = elems;
    this.extra = extra;
    this.extraBase = extraBase;
    this.maxLength = maxLength;
    this.staticLen = staticLen;
    this.freq = new Int32Array(2 * elems + 1);
    this.dad = new Int32Array(2 * elems + 1);
    this.len = new Int32Array(2 * elems + 2);
  }
}

const HEAP_SIZE = 2 * L_CODES + 1;
const heap = new Int32Array(HEAP_SIZE);
const depth = new Uint8Array(HEAP_SIZE);
const ltree = new Tree(L_CODES, EXTRA_LBITS, LITERALS + 1, MAX_BITS, STATIC_LLEN);
const dtree = new Tree(D_CODES, EXTRA_DBITS, 0, MAX_BITS, STATIC_DLEN);
const bltree = new Tree(BL_CODES, EXTRA_BLBITS, 0, MAX_BL_BITS, null);
let heapLen = 0;
let heapMax = 0;
let optLen = 0;
let staticLen = 0;
let overflowed = false;

/** Sifts heap[k] down (trees.c `pqdownheap`), ordering by frequency, then by depth (trees.c `smaller`). */
function siftDown(freq: Int32Array, k: number): void {
  const v = heap[k]!;
  const fv = freq[v]!;
  const dv = depth[v]!;
  let j = k << 1;
  while (j <= heapLen) {
    let c = heap[j]!;
    if (j < heapLen) {
      const r = heap[j + 1]!;
      const fr = freq[r]!;
      const fc = freq[c]!;
      if (fr < fc || (fr === fc && depth[r]! <= depth[c]!)) {
        j++;
        c = r;
      }
    }
    const fc = freq[c]!;
    if (fv < fc || (fv === fc && dv <= depth[c]!)) break;
    heap[k] = c;
    k = j;
    j <<= 1;
  }
  heap[k] = v;
}

/** Builds the tree and adds its cost to optLen (and staticLen): trees.c `build_tree` + `gen_bitlen`. */
function buildTree(t: Tree): void {
  const { freq, dad, len, elems } = t;
  heapLen = 0;
  heapMax = HEAP_SIZE;
  let maxCode = -1;
  for (let n = 0; n < elems; n++) {
    if (freq[n] !== 0) {
      heap[++heapLen] = maxCode = n;
      depth[n] = 0;
    } else {
      len[n] = 0;
    }
  }
  // At least two codes, so that a code is at least one bit long.
  while (heapLen < 2) {
    const node = (heap[++heapLen] = maxCode < 2 ? ++maxCode : 0);
    freq[node] = 1;
    depth[node] = 0;
    optLen--;
    if (t.staticLen) staticLen -= t.staticLen[node]!;
  }
  t.maxCode = maxCode;
  for (let n = heapLen >> 1; n >= 1; n--) siftDown(freq, n);
  let node = elems;
  do {
    const n = heap[1]!;
    heap[1] = heap[heapLen--]!;
    siftDown(freq, 1);
    const m = heap[1]!;
    heap[--heapMax] = n;
    heap[--heapMax] = m;
    freq[node] = freq[n]! + freq[m]!;
    depth[node] = Math.max(depth[n]!, depth[m]!) + 1;
    dad[n] = dad[m] = node;
    heap[1] = node++;
    siftDown(freq, 1);
  } while (heapLen >= 2);
  heap[--heapMax] = heap[1]!;
  // gen_bitlen: lengths from the root down, costs of the leaves.
  len[heap[heapMax]!] = 0;
  const { maxLength, extra, extraBase, staticLen: stree } = t;
  let opt = 0;
  let stat = 0;
  for (let h = heapMax + 1; h < HEAP_SIZE; h++) {
    const n = heap[h]!;
    let bits = len[dad[n]!]! + 1;
    if (bits > maxLength) {
      bits = maxLength;
      overflowed = true;
    }
    len[n] = bits;
    if (n > maxCode) continue;
    const xbits = n >= extraBase ? extra[n - extraBase]! : 0;
    const f = freq[n]!;
    opt += f * (bits + xbits);
    if (stree) stat += f * (stree[n]! + xbits);
  }
  optLen += opt;
  staticLen += stat;
}

/**
 * Walks a tree's code lengths as deflate describes them to the decoder: runs of one length become a copy code
 * (16: repeat the previous length 3–6 times; 17 and 18: 3–10 and 11–138 zeros), shorter runs the lengths
 * themselves. `emit` gets each code-length symbol with its extra bits (value, width); the same walk sizes the
 * tree (counting symbols) and writes it (sending them), so the two can never disagree. The run limits are zlib's,
 * which the output must match byte for byte.
 */
function forEachLengthSymbol(len: Int32Array, maxCode: number, emit: (symbol: number, extra: number, extraBits: number) => void): void {
  let prevlen = -1;
  let nextlen = len[0]!;
  let count = 0;
  let maxCount = nextlen === 0 ? 138 : 7;
  let minCount = nextlen === 0 ? 3 : 4;
  for (let n = 0; n <= maxCode; n++) {
    const curlen = nextlen;
    // Past the last code stands a length no code has, so the final run always ends there.
    nextlen = n + 1 <= maxCode ? len[n + 1]! : 0xffff;
    if (++count < maxCount && curlen === nextlen) continue;
    if (count < minCount) {
      for (; count > 0; count--) emit(curlen, 0, 0);
    } else if (curlen !== 0) {
      if (curlen !== prevlen) {
        emit(curlen, 0, 0);
        count--;
      }
      emit(16, count - 3, 2);
    } else if (count <= 10) emit(17, count - 3, 3);
    else emit(18, count - 11, 7);
    count = 0;
    prevlen = curlen;
    if (nextlen === 0) {
      maxCount = 138;
      minCount = 3;
    } else if (curlen === nextlen) {
      maxCount = 6;
      minCount = 3;
    } else {
      maxCount = 7;
      minCount = 4;
    }
  }
}

const countLengthSymbol = (symbol: number): void => {
  bltree.freq[symbol]!++;
};

/** Counts the code-length symbols that describe a tree's lengths. */
function scanTree(t: Tree): void {
  forEachLengthSymbol(t.len, t.maxCode, countLengthSymbol);
}

// The lazy matcher's state.
let win = new Uint8Array(MAX_INPUT + MAX_MATCH + 16);
const headPos = new Int32Array(HASH_SIZE);
const headStamp = new Int32Array(HASH_SIZE);
let stamp = 0;
const prev = new Int32Array(MAX_INPUT + 8);
let strstart = 0;
let lookahead = 0;
let matchStart = 0;
let prevLength = 0;

/** Hash of the 3 bytes at `p` (deflate's rolling hash with 15 bits, shift 5). */
function hashAt(p: number): number {
  return ((win[p]! << 10) ^ (win[p + 1]! << 5) ^ win[p + 2]!) & (HASH_SIZE - 1);
}

/** Inserts position `p` in its hash chain; returns the previous head (0 for none: position 0 is never a match). */
function insert(p: number): number {
  const h = hashAt(p);
  const head = headStamp[h] === stamp ? headPos[h]! : 0;
  prev[p] = head;
  headPos[h] = p;
  headStamp[h] = stamp;
  return head;
}

/** deflate.c `longest_match` for the chain starting at `curMatch`. */
function longestMatch(curMatch: number): number {
  let chain = MAX_CHAIN;
  const scan = strstart;
  let bestLen = prevLength;
  let nice = NICE_LENGTH;
  const strend = scan + MAX_MATCH;
  let scanEnd1 = win[scan + bestLen - 1]!;
  let scanEnd = win[scan + bestLen]!;
  if (prevLength >= GOOD_LENGTH) chain >>= 2;
  if (nice > lookahead) nice = lookahead;
  do {
    const match = curMatch;
    if (win[match + bestLen] !== scanEnd || win[match + bestLen - 1] !== scanEnd1 || win[match] !== win[scan] || win[match + 1] !== win[scan + 1]) continue;
    // Byte 2 matches too (same hash, same first two bytes); compare from byte 3, up to MAX_MATCH.
    let s = scan + 2;
    let m = match + 2;
    do {
      s++;
      m++;
    } while (s < strend && win[s] === win[m]);
    const length = s - scan;
    if (length > bestLen) {
      matchStart = curMatch;
      bestLen = length;
      if (length >= nice) break;
      scanEnd1 = win[scan + bestLen - 1]!;
      scanEnd = win[scan + bestLen]!;
    }
  } while ((curMatch = prev[curMatch]!) > 0 && --chain !== 0);
  return bestLen <= lookahead ? bestLen : lookahead;
}

// The symbols of the block in order, for writeAnalysed: a literal byte (distance 0) or a match (distance, length).
const symDist = new Uint16Array(MAX_INPUT + 8);
const symLen = new Uint16Array(MAX_INPUT + 8);
let symCount = 0;

/** Counts a match of `length` bytes at `distance` (deflate.h `_tr_tally_dist`). */
function tallyMatch(distance: number, length: number): void {
  ltree.freq[LENGTH_CODE[length - MIN_MATCH]! + LITERALS + 1]!++;
  const d = distance - 1;
  dtree.freq[d < 256 ? DIST_CODE_LOW[d]! : DIST_CODE_HIGH[d >> 7]!]!++;
  symDist[symCount] = distance;
  symLen[symCount++] = length;
}

/** Counts a literal byte (deflate.h `_tr_tally_lit`). */
function tallyLiteral(byte: number): void {
  ltree.freq[byte]!++;
  symDist[symCount] = 0;
  symLen[symCount++] = byte;
}

/**
 * The length of zlib's `compress(data)` at level 6 (2-byte header, one deflate block, 4-byte Adler-32), or -1 when
 * `data` is longer than {@link MAX_INPUT} or a Huffman code would need more bits than deflate allows (zlib then
 * rebalances the tree, which this does not follow).
 */
export function zlibCompressedLength(data: Uint8Array): number {
  const n = data.length;
  analysed = null;
  if (n > MAX_INPUT) return -1;
  // The window: the data, then zeros (the matcher reads past the end of the input, as zlib's does).
  win.fill(0, 0, Math.min(win.length, n + MAX_MATCH + 16));
  win.set(data);
  if (++stamp === 0x7fffffff) {
    headStamp.fill(0);
    stamp = 1;
  }
  ltree.freq.fill(0);
  dtree.freq.fill(0);
  bltree.freq.fill(0);
  ltree.freq[256] = 1; // end of block

  // deflate_slow with everything in the window and Z_FINISH.
  strstart = 0;
  lookahead = n;
  matchStart = 0;
  symCount = 0;
  let matchLength = MIN_MATCH - 1;
  let matchAvailable = false;
  while (lookahead > 0) {
    const hashHead = lookahead >= MIN_MATCH ? insert(strstart) : 0;
    prevLength = matchLength;
    const prevMatch = matchStart;
    matchLength = MIN_MATCH - 1;
    if (hashHead !== 0 && prevLength < MAX_LAZY) {
      matchLength = longestMatch(hashHead);
      if (matchLength === MIN_MATCH && strstart - matchStart > TOO_FAR) matchLength = MIN_MATCH - 1;
    }
    if (prevLength >= MIN_MATCH && matchLength <= prevLength) {
      const maxInsert = strstart + lookahead - MIN_MATCH;
      tallyMatch(strstart - 1 - prevMatch, prevLength);
      lookahead -= prevLength - 1;
      for (let k = prevLength - 2; k > 0; k--) if (++strstart <= maxInsert) insert(strstart);
      matchAvailable = false;
      matchLength = MIN_MATCH - 1;
      strstart++;
    } else if (matchAvailable) {
      tallyLiteral(data[strstart - 1]!);
      strstart++;
      lookahead--;
    } else {
      matchAvailable = true;
      strstart++;
      lookahead--;
    }
  }
  if (matchAvailable) tallyLiteral(data[strstart - 1]!);

  // _tr_flush_block: the cost of a dynamic block and of a fixed one; the smaller wins, stored if not smaller.
  optLen = 0;
  staticLen = 0;
  overflowed = false;
  buildTree(ltree);
  buildTree(dtree);
  scanTree(ltree);
  scanTree(dtree);
  buildTree(bltree);
  if (overflowed) return -1;
  let maxBlIndex = BL_CODES - 1;
  for (; maxBlIndex >= 3; maxBlIndex--) if (bltree.len[BL_ORDER[maxBlIndex]!] !== 0) break;
  optLen += 3 * (maxBlIndex + 1) + 5 + 5 + 4;
  let optLenB = (optLen + 3 + 7) >> 3;
  const staticLenB = (staticLen + 3 + 7) >> 3;
  if (staticLenB <= optLenB) optLenB = staticLenB;
  // A stored block: 3 header bits padded to a byte, LEN and NLEN, the data.
  const stored = n + 4 <= optLenB;
  const length = 2 + (stored ? 1 + 4 + n : optLenB) + 4;
  analysed = stored ? null : { data, fixed: staticLenB === optLenB, maxBlIndex, length };
  return length;
}

// ---------------------------------------------------------------------------------------------------------------
// Writing the stream: what zlibCompressedLength sized, as zlib's trees.c sends it (codes, tree headers, symbols).

/** The last input zlibCompressedLength sized as a fixed or dynamic block, and what writing it needs. */
let analysed: { data: Uint8Array; fixed: boolean; maxBlIndex: number; length: number } | null = null;

// First length - 3 of each length code, and first distance - 1 of each distance code.
const BASE_LENGTH = new Uint16Array(29);
const BASE_DIST = new Uint16Array(D_CODES);
for (let code = 0, length = 0; code < 28; code++) {
  BASE_LENGTH[code] = length;
  length += 1 << EXTRA_LBITS[code]!;
}
BASE_LENGTH[28] = 255;
for (let code = 0, dist = 0; code < D_CODES; code++) {
  BASE_DIST[code] = dist;
  dist += 1 << EXTRA_DBITS[code]!;
}

/** `len` low bits of `code` in reverse order (Huffman codes go out most significant bit first). */
function reverseBits(code: number, len: number): number {
  let r = 0;
  for (let i = 0; i < len; i++) {
    r = (r << 1) | (code & 1);
    code >>>= 1;
  }
  return r;
}

const lengthCount = new Uint16Array(MAX_BITS + 1);
const nextCode = new Uint16Array(MAX_BITS + 1);

/** Canonical codes for the lengths `len[0..maxCode]`, bit-reversed, into `codes` (trees.c `gen_codes`). */
function canonicalCodes(len: ArrayLike<number>, maxCode: number, codes: Uint16Array): void {
  const count = lengthCount.fill(0);
  for (let n = 0; n <= maxCode; n++) count[len[n]!]!++;
  count[0] = 0;
  const next = nextCode;
  for (let bits = 1, code = 0; bits <= MAX_BITS; bits++) {
    code = (code + count[bits - 1]!) << 1;
    next[bits] = code;
  }
  for (let n = 0; n <= maxCode; n++) {
    const l = len[n]!;
    if (l !== 0) codes[n] = reverseBits(next[l]!++, l);
  }
}

const STATIC_LCODES = new Uint16Array(L_CODES + 2);
canonicalCodes(STATIC_LLEN, L_CODES + 1, STATIC_LCODES);
const STATIC_DCODES = Uint16Array.from({ length: D_CODES }, (_, n) => reverseBits(n, 5));
const lcodes = new Uint16Array(L_CODES + 2);
const dcodes = new Uint16Array(D_CODES);
const blcodes = new Uint16Array(BL_CODES);

// The bit writer: bits go out least significant first, as deflate packs them.
let outBuf = new Uint8Array(0);
let outPos = 0;
let bitBuf = 0;
let bitCount = 0;

function sendBits(value: number, len: number): void {
  bitBuf |= value << bitCount;
  bitCount += len;
  while (bitCount >= 8) {
    outBuf[outPos++] = bitBuf & 0xff;
    bitBuf >>>= 8;
    bitCount -= 8;
  }
}

const sendLengthSymbol = (symbol: number, extra: number, extraBits: number): void => {
  sendBits(blcodes[symbol]!, bltree.len[symbol]!);
  if (extraBits) sendBits(extra, extraBits);
};

/** Writes the code lengths of one tree, run-length coded with the code-length code. */
function sendTree(len: Int32Array, maxCode: number): void {
  forEachLengthSymbol(len, maxCode, sendLengthSymbol);
}

/**
 * The zlib stream of `data` when zlibCompressedLength(data) was the last call and sized it as a fixed or dynamic
 * block (the length it returned, exactly the bytes zlib writes); null otherwise, and the caller compresses for real.
 */
export function writeAnalysed(data: Uint8Array): Uint8Array | null {
  const a = analysed;
  if (!a || a.data !== data) return null;
  analysed = null;
  outBuf = new Uint8Array(a.length);
  outPos = 0;
  bitBuf = 0;
  bitCount = 0;
  outBuf[outPos++] = 0x78;
  outBuf[outPos++] = 0x9c;
  let llen: ArrayLike<number>, lcode: Uint16Array, dlen: ArrayLike<number>, dcode: Uint16Array;
  if (a.fixed) {
    sendBits(3, 3); // last block, fixed codes
    llen = STATIC_LLEN;
    lcode = STATIC_LCODES;
    dlen = STATIC_DLEN;
    dcode = STATIC_DCODES;
  } else {
    sendBits(5, 3); // last block, dynamic codes
    canonicalCodes(ltree.len, ltree.maxCode, lcodes);
    canonicalCodes(dtree.len, dtree.maxCode, dcodes);
    canonicalCodes(bltree.len, bltree.maxCode, blcodes);
    sendBits(ltree.maxCode + 1 - 257, 5);
    sendBits(dtree.maxCode + 1 - 1, 5);
    sendBits(a.maxBlIndex + 1 - 4, 4);
    for (let rank = 0; rank <= a.maxBlIndex; rank++) sendBits(bltree.len[BL_ORDER[rank]!]!, 3);
    sendTree(ltree.len, ltree.maxCode);
    sendTree(dtree.len, dtree.maxCode);
    llen = ltree.len;
    lcode = lcodes;
    dlen = dtree.len;
    dcode = dcodes;
  }
  for (let i = 0; i < symCount; i++) {
    const dist = symDist[i]!;
    if (dist === 0) {
      const c = symLen[i]!;
      sendBits(lcode[c]!, llen[c]!);
      continue;
    }
    const lc = symLen[i]! - MIN_MATCH;
    let code = LENGTH_CODE[lc]!;
    sendBits(lcode[code + LITERALS + 1]!, llen[code + LITERALS + 1]!);
    let extra = EXTRA_LBITS[code]!;
    if (extra !== 0) sendBits(lc - BASE_LENGTH[code]!, extra);
    const d = dist - 1;
    code = d < 256 ? DIST_CODE_LOW[d]! : DIST_CODE_HIGH[d >> 7]!;
    sendBits(dcode[code]!, dlen[code]!);
    extra = EXTRA_DBITS[code]!;
    if (extra !== 0) sendBits(d - BASE_DIST[code]!, extra);
  }
  sendBits(lcode[256]!, llen[256]!);
  if (bitCount > 0) sendBits(0, 8 - bitCount);
  // Adler-32 of the data, big-endian (sums stay exact in a double for inputs this short).
  let s1 = 1;
  let s2 = 0;
  for (let i = 0; i < data.length; i++) {
    s1 += data[i]!;
    s2 += s1;
  }
  s1 %= 65521;
  s2 %= 65521;
  outBuf[outPos++] = s2 >>> 8;
  outBuf[outPos++] = s2 & 0xff;
  outBuf[outPos++] = s1 >>> 8;
  outBuf[outPos++] = s1 & 0xff;
  const out = outBuf;
  outBuf = new Uint8Array(0);
  // The length was computed from the same trees: a difference is a bug here, and the caller then compresses.
  return outPos === a.length ? out : null;
}
