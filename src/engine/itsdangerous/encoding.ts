// Mirrors itsdangerous 2.2.0 encoding.py: https://github.com/pallets/itsdangerous/blob/2.2.0/src/itsdangerous/encoding.py
import { BinasciiError, PyValueError, StructError, UnicodeEncodeError } from '../python/errors.ts';
import { pythonRules, setPythonRules } from '../python/version.ts';
import { BadData } from './exc.ts';

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Text to UTF-8 bytes; bytes pass through unchanged. Mirrors `want_bytes`.
 * @throws {UnicodeEncodeError} for a string with a lone surrogate, which Python cannot encode either.
 */
export function wantBytes(s: string | Uint8Array): Uint8Array {
  if (typeof s !== 'string') return s;
  const n = s.length;
  // Short ASCII text (keys, salts, separators): a plain loop beats a call into the encoder.
  if (n <= 32) {
    const out = new Uint8Array(n);
    let i = 0;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c > 127) break;
      out[i] = c;
    }
    if (i === n) return out;
  } else if (n <= 4096) {
    // ASCII text (the usual token) fits in one byte per unit; encodeInto tells us whether it all fit.
    const out = new Uint8Array(n);
    if (encoder.encodeInto(s, out).read === n) return out;
  }
  if (!(s as string & { isWellFormed(): boolean }).isWellFormed()) {
    const i = s.search(/[\ud800-\udfff]/u);
    const hex = s.charCodeAt(i).toString(16);
    throw new UnicodeEncodeError(`'utf-8' codec can't encode character '\\u${hex}' in position ${i}: surrogates not allowed`);
  }
  return encoder.encode(s);
}

/**
 * UTF-8 bytes to text, like Python's `bytes.decode("utf-8")` (a BOM is kept).
 * @throws {TypeError} on invalid UTF-8.
 */
export function utf8Decode(b: Uint8Array): string {
  return strictDecoder.decode(b);
}

const STD_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const STD_CODES = Uint8Array.from(STD_ALPHABET, (c) => c.charCodeAt(0));
const URL_CODES = Uint8Array.from(URL_ALPHABET, (c) => c.charCodeAt(0));

// 6-bit values by ASCII code; 255 marks a byte the decoder skips.
const STD_TABLE = new Uint8Array(256).fill(255);
for (let i = 0; i < 64; i++) STD_TABLE[STD_ALPHABET.charCodeAt(i)] = i;
// itsdangerous swaps -_ for +/ before decoding, so both pairs are data characters.
const URL_TABLE = STD_TABLE.slice();
URL_TABLE[0x2d] = 62;
URL_TABLE[0x5f] = 63;

const EQ = 0x3d;

/** Length of the unpadded base64 text of `n` bytes. */
export function base64Length(n: number): number {
  const rest = n % 3;
  return ((n - rest) / 3) * 4 + (rest === 0 ? 0 : rest + 1);
}

/**
 * Encodes bytes into ASCII base64 codes with the given alphabet, optionally padded with `=`, into a new array
 * with `lead` spare bytes in front (or into `into` at `at` when given).
 */
function encodeInto(b: Uint8Array, codes: Uint8Array, pad: boolean, lead = 0, into?: Uint8Array, at = 0): Uint8Array {
  const n = b.length;
  const full = n - (n % 3);
  const rest = n - full;
  const out = into ?? new Uint8Array(lead + (pad ? Math.ceil(n / 3) * 4 : base64Length(n)));
  let o = into ? at : lead;
  for (let i = 0; i < full; i += 3) {
    const v = (b[i]! << 16) | (b[i + 1]! << 8) | b[i + 2]!;
    out[o++] = codes[v >>> 18]!;
    out[o++] = codes[(v >>> 12) & 63]!;
    out[o++] = codes[(v >>> 6) & 63]!;
    out[o++] = codes[v & 63]!;
  }
  if (rest === 1) {
    const v = b[full]!;
    out[o++] = codes[v >>> 2]!;
    out[o++] = codes[(v & 3) << 4]!;
    if (pad) {
      out[o++] = EQ;
      out[o++] = EQ;
    }
  } else if (rest === 2) {
    const v = (b[full]! << 8) | b[full + 1]!;
    out[o++] = codes[v >>> 10]!;
    out[o++] = codes[(v >>> 4) & 63]!;
    out[o++] = codes[(v & 15) << 2]!;
    if (pad) out[o++] = EQ;
  }
  return out;
}

/** ASCII codes to a JS string without going through TextDecoder (faster for short inputs). */
function asciiToString(codes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < codes.length; i += 4096) {
    s += String.fromCharCode.apply(null, codes.subarray(i, i + 4096) as unknown as number[]);
  }
  return s;
}

/**
 * URL-safe base64 of `b` as ASCII bytes, with every `=` stripped (what Python's `base64_encode` returns).
 * Used on the signing hot path to skip a string round trip.
 */
export function base64EncodeBytes(b: string | Uint8Array): Uint8Array {
  return encodeInto(wantBytes(b), URL_CODES, false);
}

/** `prefix ‖ b64u(b)` as ASCII bytes in one allocation (the `.` of a compressed payload). */
export function base64EncodeWithPrefix(b: Uint8Array, prefix: number): Uint8Array {
  const out = encodeInto(b, URL_CODES, false, 1);
  out[0] = prefix;
  return out;
}

/** Writes `b64u(b)` into `out` at `at` (the caller sized it with {@link base64Length}). */
export function base64EncodeTo(b: Uint8Array, out: Uint8Array, at: number): void {
  encodeInto(b, URL_CODES, false, 0, out, at);
}

/**
 * URL-safe base64 text of a value (text is UTF-8 encoded first), with every `=` stripped. Mirrors `base64_encode`.
 */
export function base64Encode(b: string | Uint8Array): string {
  return asciiToString(encodeInto(wantBytes(b), URL_CODES, false));
}

/**
 * Standard base64 (`+/` alphabet) with `=` padding, like Python's `base64.b64encode`; used by Flask's ` b` tag.
 */
export function standardB64Encode(b: Uint8Array): string {
  return asciiToString(encodeInto(b, STD_CODES, true));
}

/**
 * Fast path for the common case: every byte is a data character and the length is not 1 more than a multiple
 * of 4. The lenient decoder gives the same bytes then (missing padding is implied). Returns null otherwise.
 */
function decodeClean(src: Uint8Array, table: Uint8Array): Uint8Array | null {
  const len = src.length;
  const rest = len & 3;
  if (rest === 1) return null;
  const full = len - rest;
  const out = new Uint8Array((full >>> 2) * 3 + (rest === 0 ? 0 : rest - 1));
  let o = 0;
  let bad = 0;
  for (let i = 0; i < full; i += 4) {
    const a = table[src[i]!]!, b = table[src[i + 1]!]!, c = table[src[i + 2]!]!, d = table[src[i + 3]!]!;
    bad |= a | b | c | d;
    out[o++] = (a << 2) | (b >>> 4);
    out[o++] = ((b << 4) | (c >>> 2)) & 0xff;
    out[o++] = ((c << 6) | d) & 0xff;
  }
  if (rest >= 2) {
    const a = table[src[full]!]!, b = table[src[full + 1]!]!;
    bad |= a | b;
    out[o++] = (a << 2) | (b >>> 4);
    if (rest === 3) {
      const c = table[src[full + 2]!]!;
      bad |= c;
      out[o++] = ((b << 4) | (c >>> 2)) & 0xff;
    }
  }
  // Table values are 0..63 for data characters and 255 otherwise: any stray sets bit 7.
  return bad & 0x80 ? null : out;
}

/**
 * Which CPython's non-strict `binascii.a2b_base64` to follow. The two judges differ here (it is Python's, not
 * itsdangerous'), for a `=` followed by more data:
 *
 * - `python3.13` (Debian 13, the default): every `=` is skipped; the input must end on a whole quad, or on a
 *   partial one followed by enough `=` (so `"YQ==YQ=="` decodes to `a\x06\x10`);
 * - `python3.11` (Debian 12): decoding stops at the first `=` run that completes a quad (`"YQ==YQ=="` is `a`).
 *
 * This is the engine-wide {@link setPythonRules} choice, seen from base64.
 */
export type Base64Rules = 'python3.13' | 'python3.11';

/** The rules base64 decoding follows now. */
export function base64Rules(): Base64Rules {
  return `python${pythonRules()}`;
}

/** Switches the CPython rules (base64 and every other Python difference); returns the previous ones. */
export function setBase64Rules(next: Base64Rules): Base64Rules {
  return `python${setPythonRules(next === 'python3.11' ? '3.11' : '3.13')}`;
}

/**
 * CPython's non-strict `binascii.a2b_base64` over byte codes (a Uint8Array, or an ASCII-only string), followed by
 * `extraPads` virtual `=`. Skips bytes the table marks 255; a `=` is handled by {@link base64Rules}.
 * @throws {BinasciiError} `Incorrect padding` or the "1 more than a multiple of 4" message.
 */
function a2bBase64(src: Uint8Array | string, extraPads: number, table: Uint8Array): Uint8Array {
  if (typeof src !== 'string') {
    const fast = decodeClean(src, table);
    if (fast) return fast;
  }
  const stopAtPadding = pythonRules() === '3.11';
  const len = src.length;
  const isText = typeof src === 'string';
  const out = new Uint8Array(((len + 3) >>> 2) * 3);
  let o = 0;
  let q = 0;
  let pads = 0;
  let acc = 0;
  const total = len + extraPads;
  for (let i = 0; i < total; i++) {
    const c = i >= len ? EQ : isText ? (src as string).charCodeAt(i) : (src as Uint8Array)[i]!;
    if (c === EQ) {
      // 3.11: padding only counts once two data characters of the quad are in, and a complete run ends the data.
      if (stopAtPadding) {
        if (q >= 2 && q + ++pads >= 4) return out.subarray(0, o);
      } else {
        pads++;
      }
      continue;
    }
    const v = c < 256 ? table[c]! : 255;
    if (v === 255) continue;
    pads = 0;
    if (q === 0) {
      acc = v;
      q = 1;
    } else if (q === 1) {
      out[o++] = (acc << 2) | (v >>> 4);
      acc = v & 15;
      q = 2;
    } else if (q === 2) {
      out[o++] = ((acc << 4) | (v >>> 2)) & 0xff;
      acc = v & 3;
      q = 3;
    } else {
      out[o++] = ((acc << 6) | v) & 0xff;
      q = 0;
    }
  }
  if (q === 1) {
    const n = ((o / 3) | 0) * 4 + 1;
    throw new BinasciiError(`Invalid base64-encoded string: number of data characters (${n}) cannot be 1 more than a multiple of 4`);
  }
  // 3.13: a partial quad is fine when the `=` after the last data character complete it.
  if (q !== 0 && (stopAtPadding || q + pads < 4)) throw new BinasciiError('Incorrect padding');
  return out.subarray(0, o);
}

/**
 * Decodes URL-safe base64 the lenient way itsdangerous does (through CPython's `binascii`): non-ASCII code points
 * of text input are dropped, missing `=` are restored, `+/` are accepted too, other stray characters are skipped.
 * Mirrors `base64_decode`: https://github.com/pallets/itsdangerous/blob/2.2.0/src/itsdangerous/encoding.py#L28
 * @throws {BadData} `Invalid base64-encoded data`, with the {@link BinasciiError} as `cause`.
 */
export function base64Decode(s: string | Uint8Array): Uint8Array {
  try {
    if (typeof s === 'string') {
      // Fast path: pure ASCII text, the usual case for a token.
      let ascii = true;
      for (let i = 0; i < s.length; i++) {
        if (s.charCodeAt(i) > 127) {
          ascii = false;
          break;
        }
      }
      if (!ascii) {
        let kept = '';
        for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) < 128) kept += s[i];
        s = kept;
      }
      return a2bBase64(s, (4 - (s.length % 4)) % 4, URL_TABLE);
    }
    return a2bBase64(s, (4 - (s.length % 4)) % 4, URL_TABLE);
  } catch (e) {
    throw new BadData('Invalid base64-encoded data', { cause: e });
  }
}

/**
 * Python's `base64.b64decode(s)` without `validate`: characters outside `A–Z a–z 0–9 + /` are skipped and
 * padding is NOT restored (`"eA"` fails, `"!!"` gives empty bytes). Used by Flask's ` b` tag.
 * @throws {BinasciiError} with Python's message (`Incorrect padding`, …).
 * @throws {PyValueError} `string argument should contain only ASCII characters` for non-ASCII text.
 */
export function standardB64DecodeLoose(s: string): Uint8Array {
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 127) throw new PyValueError('string argument should contain only ASCII characters');
  }
  return a2bBase64(s, 0, STD_TABLE);
}

const TWO_64 = 1n << 64n;

/**
 * An unsigned integer as big-endian bytes with leading zero bytes removed (0 → empty). Mirrors `int_to_bytes`,
 * which packs the number as a C `unsigned long long` (struct format `>Q`) and strips the zeros.
 * @throws {StructError} when n < 0 or n ≥ 2^64, with the message of the CPython being followed (3.11 and 3.13
 *   word it differently), and `required argument is not an integer` for a non-integral number.
 */
export function intToBytes(n: number | bigint): Uint8Array {
  if (typeof n === 'number') {
    if (!Number.isInteger(n)) throw new StructError('required argument is not an integer');
    if (n >= 0 && n <= Number.MAX_SAFE_INTEGER) {
      let len = 0;
      for (let t = n; t > 0; t = Math.floor(t / 256)) len++;
      const out = new Uint8Array(len);
      for (let i = len - 1, t = n; i >= 0; i--, t = Math.floor(t / 256)) out[i] = t % 256;
      return out;
    }
    n = BigInt(n);
  }
  if (n < 0n || n >= TWO_64) {
    throw new StructError(pythonRules() === '3.11' ? 'int too large to convert' : "'Q' format requires 0 <= number <= 18446744073709551615");
  }
  const digits: number[] = [];
  for (let t = n; t > 0n; t >>= 8n) digits.push(Number(t & 0xffn));
  return Uint8Array.from(digits.reverse());
}

/**
 * Reads up to 8 big-endian bytes as an unsigned integer, exactly. Mirrors `bytes_to_int`.
 * @throws {StructError} `unpack requires a buffer of 8 bytes` for more than 8 bytes.
 */
export function bytesToBigInt(b: Uint8Array): bigint {
  if (b.length > 8) throw new StructError('unpack requires a buffer of 8 bytes');
  let n = 0n;
  for (const x of b) n = (n << 8n) | BigInt(x);
  return n;
}

/**
 * Reads up to 8 big-endian bytes as an unsigned integer. Mirrors `bytes_to_int`.
 * Exact up to 2^53 − 1; larger values (only 7–8 byte inputs) come back rounded to the nearest double,
 * which is enough for timestamps (anything past 253402300799 is malformed anyway). Use
 * {@link bytesToBigInt} when every bit matters.
 * @throws {StructError} `unpack requires a buffer of 8 bytes` for more than 8 bytes.
 */
export function bytesToInt(b: Uint8Array): number {
  if (b.length > 8) throw new StructError('unpack requires a buffer of 8 bytes');
  let n = 0;
  for (let i = 0; i < b.length; i++) n = n * 256 + b[i]!;
  if (n > Number.MAX_SAFE_INTEGER) return Number(bytesToBigInt(b));
  return n;
}

/**
 * Python's `repr()` of a bytes value, e.g. `b'\xc3\xa9\t'` or `b"it's"`, as used in BadSignature messages.
 */
export function bytesRepr(b: Uint8Array): string {
  let hasSingle = false;
  let hasDouble = false;
  for (const x of b) {
    if (x === 0x27) hasSingle = true;
    else if (x === 0x22) hasDouble = true;
  }
  const quote = hasSingle && !hasDouble ? '"' : "'";
  const q = quote.charCodeAt(0);
  let s = 'b' + quote;
  for (const x of b) {
    if (x === q || x === 0x5c) s += '\\' + String.fromCharCode(x);
    else if (x === 0x09) s += '\\t';
    else if (x === 0x0a) s += '\\n';
    else if (x === 0x0d) s += '\\r';
    else if (x < 0x20 || x >= 0x7f) s += '\\x' + x.toString(16).padStart(2, '0');
    else s += String.fromCharCode(x);
  }
  return s + quote;
}
