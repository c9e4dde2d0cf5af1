// Mirrors itsdangerous 2.2.0 url_safe.py: https://github.com/pallets/itsdangerous/blob/2.2.0/src/itsdangerous/url_safe.py
import { deflate } from 'pako';
import zlibDeflate from 'pako/lib/zlib/deflate.js';
import zlibInflate from 'pako/lib/zlib/inflate.js';
import ZStream from 'pako/lib/zlib/zstream.js';
import { ZlibError } from '../python/errors.ts';
import { writeAnalysed, zlibCompressedLength } from './deflate_size.ts';
import { inflateSmall } from './inflate_small.ts';
import { base64Decode, base64EncodeBytes, base64EncodeWithPrefix } from './encoding.ts';
import { BadPayload } from './exc.ts';
import { compactJson, Serializer, type DataSerializer, type SerializerOptions } from './serializer.ts';
import { TimedSerializer } from './timed.ts';
import type { SecretKey } from './signer.ts';

/** Default cap on a decompressed payload: 16 MiB. */
export const DEFAULT_MAX_DECOMPRESSED_SIZE = 16 * 1024 * 1024;

/** Options of the URL-safe serializers: the {@link SerializerOptions} plus a decompression cap. */
export interface URLSafeSerializerOptions extends SerializerOptions {
  /** Largest decompressed payload accepted, in bytes (Python has no cap); default 16 MiB. */
  maxDecompressedSize?: number;
}

const ZLIB_MESSAGES: Record<number, string> = {
  [-5]: 'incomplete or truncated stream',
  [-3]: 'invalid input data',
  [-2]: 'inconsistent stream state',
};

// One deflate state, reset between calls: a fresh one allocates ~260 KB, and pako's reset clears the 32K-entry
// hash table with a scalar loop; together they made compression cost ~100 µs for a 100-byte cookie.
let reusable: ZStream | null = null;
let tuning: Record<string, number> | null = null;
let dirtyWindow = 0; // how much of the window the previous input may have written
const TUNING_FIELDS = ['window_size', 'max_lazy_match', 'good_match', 'nice_match', 'max_chain_length'] as const;

/** pako's deflateReset (deflateResetKeep + lm_init), with the hash table and window cleared by `fill`. */
function resetDeflate(strm: ZStream): void {
  zlibDeflate.deflateResetKeep(strm);
  const st = strm.state as unknown as Record<string, unknown> & { head: Uint16Array; window: Uint8Array };
  st.head.fill(0);
  // A fresh window is all zeros, and match search may peek past the input end: keep it that way.
  st.window.fill(0, 0, dirtyWindow);
  for (const f of TUNING_FIELDS) st[f] = tuning![f];
  st.strstart = 0;
  st.block_start = 0;
  st.lookahead = 0;
  st.insert = 0;
  st.match_length = 2;
  st.prev_length = 2;
  st.match_available = 0;
  st.ins_h = 0;
}

let deflateOut = new Uint8Array(1024);

/**
 * Deflates into a reused buffer and returns a view of it, valid until the next call (no allocation for a cookie).
 */
function deflateToScratch(data: Uint8Array): Uint8Array {
  let strm = reusable;
  if (!strm) {
    strm = new ZStream();
    // level 6, Z_DEFLATED, 15-bit window, memLevel 8, default strategy, zlib's classic hash (pako's default).
    if (zlibDeflate.deflateInit2(strm, 6, 8, 15, 8, 0, true) !== 0) return deflate(data, { level: 6 });
    const st = strm.state as unknown as Record<string, number>;
    tuning = Object.fromEntries(TUNING_FIELDS.map((f) => [f, st[f]!]));
    reusable = strm;
  } else {
    resetDeflate(strm);
  }
  dirtyWindow = Math.min(data.length, (strm.state as unknown as { window: Uint8Array }).window.length);
  // Above zlib's deflateBound (stored blocks cost 5 bytes per 64 KiB, plus header and checksum).
  const bound = data.length + (data.length >>> 3) + 64;
  if (deflateOut.length < bound) deflateOut = new Uint8Array(Math.max(bound, deflateOut.length * 2));
  const out = deflateOut;
  strm.input = data;
  strm.next_in = 0;
  strm.avail_in = data.length;
  strm.output = out;
  strm.next_out = 0;
  strm.avail_out = out.length;
  const status = zlibDeflate.deflate(strm, 4); // Z_FINISH
  const size = strm.next_out;
  strm.input = null;
  strm.output = null;
  if (status !== 1) {
    // Not Z_STREAM_END: drop the state and use pako's one-shot path.
    reusable = null;
    return deflate(data, { level: 6 });
  }
  // Keep the scratch buffer from pinning megabytes after one large payload.
  if (deflateOut.length > 1 << 20) deflateOut = new Uint8Array(1024);
  return out.subarray(0, size);
}

/**
 * `zlib.compress(data)` at level 6; pako 2.2.0 produces the same bytes as CPython's zlib 1.2.13.
 * @throws {Error} only if pako itself fails, which it does not for in-memory input.
 */
export function zlibCompress(data: Uint8Array): Uint8Array {
  return deflateToScratch(data).slice();
}

let inflateStream: ZStream | null = null;
// Inflate writes here; each filled stretch is copied out at its exact size.
const inflateOut = new Uint8Array(65536);
let inflateHeadMode = 0;

/** pako's inflateReset, minus the two code tables it reallocates each time (they are rewritten before use). */
function resetInflate(strm: ZStream): void {
  const st = strm.state as unknown as Record<string, unknown> & { lendyn: Int32Array; distdyn: Int32Array; wrap: number };
  st.wsize = 0;
  st.whave = 0;
  st.wnext = 0;
  strm.total_in = 0;
  strm.total_out = 0;
  st.total = 0;
  strm.msg = '';
  if (st.wrap) (strm as unknown as { adler: number }).adler = st.wrap & 1;
  st.mode = inflateHeadMode;
  st.last = 0;
  st.havedict = 0;
  st.flags = -1;
  st.dmax = 32768;
  st.head = null;
  st.hold = 0;
  st.bits = 0;
  st.lencode = st.lendyn;
  st.distcode = st.distdyn;
  st.sane = 1;
  st.back = -1;
}

/**
 * `zlib.decompress(data)` with a size cap; bytes after the end of the stream are ignored, as in Python.
 * One inflate state and one 64 KiB output buffer are reused; the result is copied out at its exact size.
 * @param maxSize the most output bytes allowed.
 * @throws {ZlibError} with Python's message for a bad or truncated stream.
 * @throws {RangeError} `decompressed data exceeds N bytes` as soon as the output passes `maxSize`.
 */
export function zlibDecompress(data: Uint8Array, maxSize: number = DEFAULT_MAX_DECOMPRESSED_SIZE): Uint8Array {
  // A cookie-sized, well-formed stream is decoded without pako's state machine; anything else comes here.
  const quick = inflateSmall(data, maxSize);
  if (quick) return quick;
  let strm = inflateStream;
  if (!strm) {
    strm = new ZStream();
    if (zlibInflate.inflateInit2(strm, 15) !== 0) throw new ZlibError('Error -2 while preparing to decompress data: inconsistent stream state');
    inflateHeadMode = (strm.state as unknown as { mode: number }).mode;
    inflateStream = strm;
  } else {
    resetInflate(strm);
  }
  strm.input = data;
  strm.next_in = 0;
  strm.avail_in = data.length;
  const chunks: Uint8Array[] = [];
  let total = 0;
  const out = inflateOut;
  try {
    for (;;) {
      strm.output = out;
      strm.next_out = 0;
      strm.avail_out = out.length;
      const status = zlibInflate.inflate(strm, 4); // Z_FINISH: all input is here, as in CPython
      const produced = strm.next_out;
      if (produced > 0) {
        total += produced;
        if (total > maxSize) throw new RangeError(`decompressed data exceeds ${maxSize} bytes`);
        chunks.push(out.slice(0, produced));
      }
      if (status === 1) break; // Z_STREAM_END
      if ((status === 0 || status === -5) && strm.avail_out === 0) continue;
      if (status === 0 || status === -5) throw new ZlibError('Error -5 while decompressing data: incomplete or truncated stream');
      if (status === 2) throw new ZlibError('Error 2 while decompressing data'); // Z_NEED_DICT: zlib gives no text
      const msg = strm.msg || ZLIB_MESSAGES[status];
      throw new ZlibError(msg ? `Error ${status} while decompressing data: ${msg}` : `Error ${status} while decompressing data`);
    }
  } finally {
    strm.input = null;
    strm.output = null;
  }
  if (chunks.length === 1) return chunks[0]!;
  const joined = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    joined.set(c, o);
    o += c.length;
  }
  return joined;
}

/**
 * `b64u(json)`, or `"." ‖ b64u(zlib(json))` when compression saves at least 2 bytes. Mirrors `dump_payload`:
 * https://github.com/pallets/itsdangerous/blob/2.2.0/src/itsdangerous/url_safe.py#L55
 */
function urlSafeDump(json: Uint8Array): Uint8Array {
  // A small payload that zlib would not shrink by 2 bytes is known from the length alone: skip the compressor.
  const size = zlibCompressedLength(json);
  if (size !== -1 && size >= json.length - 1) return base64EncodeBytes(json);
  // A payload that shrinks and was sized above is written from that analysis; anything else goes through pako.
  const compressed = (size !== -1 && writeAnalysed(json)) || deflateToScratch(json);
  if (compressed.length < json.length - 1) return base64EncodeWithPrefix(compressed, 0x2e);
  return base64EncodeBytes(json);
}

/** Undoes {@link urlSafeDump}: strip one `.`, base64-decode, inflate; the caller parses the result. */
function urlSafeDecode(payload: Uint8Array, maxSize: number): Uint8Array {
  let p = payload;
  const decompress = p.length > 0 && p[0] === 0x2e;
  if (decompress) p = p.subarray(1);
  let json: Uint8Array;
  try {
    json = base64Decode(p);
  } catch (e) {
    throw new BadPayload('Could not base64 decode the payload because of an exception', e);
  }
  if (decompress) {
    try {
      json = zlibDecompress(json, maxSize);
    } catch (e) {
      throw new BadPayload('Could not zlib decompress the payload before decoding the payload', e);
    }
  }
  return json;
}

/** A class that builds a {@link Serializer} from a key and options (the plain and the timed one). */
// Any arguments: the shape TypeScript asks of a mixin's base class.
type SerializerClass = abstract new (...args: any[]) => Serializer;

/**
 * What makes a serializer URL-safe, written once for both: compact JSON by default, a payload that is base64url
 * (zlib-compressed first when that saves at least 2 bytes), and a cap on how far a payload may inflate.
 * itsdangerous does the same with one mixin class ahead of `Serializer` or `TimedSerializer`:
 * https://github.com/pallets/itsdangerous/blob/2.2.0/src/itsdangerous/url_safe.py
 */
function urlSafe<Base extends SerializerClass>(base: Base) {
  abstract class UrlSafe extends base {
    /** `_CompactJSON`: `,`/`:` separators, `ensure_ascii=False`, keys in insertion order. */
    static defaultSerializer: DataSerializer = compactJson;
    readonly maxDecompressedSize: number;

    // A mixin's constructor takes any arguments (TypeScript's rule); the classes below give it its real signature.
    constructor(...args: any[]) {
      super(args[0] as SecretKey, args[1] as URLSafeSerializerOptions | undefined);
      this.maxDecompressedSize = (args[1] as URLSafeSerializerOptions | undefined)?.maxDecompressedSize ?? DEFAULT_MAX_DECOMPRESSED_SIZE;
    }

    /**
     * Decodes base64, inflates a `.`-prefixed payload, then parses it.
     * @throws {BadPayload} for bad base64, a bad or oversized zlib stream, or unparsable data, with upstream's messages:
     * https://github.com/pallets/itsdangerous/blob/2.2.0/src/itsdangerous/url_safe.py#L23
     */
    override loadPayload(payload: Uint8Array, serializer?: DataSerializer): unknown {
      return super.loadPayload(urlSafeDecode(payload, this.maxDecompressedSize), serializer);
    }

    /** Compact JSON, compressed when that saves ≥ 2 bytes, base64url. */
    override dumpPayload(obj: unknown): Uint8Array {
      return urlSafeDump(super.dumpPayload(obj));
    }
  }
  return UrlSafe;
}

/**
 * A Serializer whose tokens are URL-safe: compact JSON, optionally zlib-compressed, then base64url.
 * Mirrors `URLSafeSerializer`.
 * @param secretKey one key or a list, oldest first.
 * @param options {@link URLSafeSerializerOptions}.
 */
export class URLSafeSerializer extends urlSafe(Serializer) {
  constructor(secretKey: SecretKey, options: URLSafeSerializerOptions = {}) {
    super(secretKey, options);
  }
}

/**
 * {@link URLSafeSerializer} with a timestamp: Flask's session cookie format. Mirrors `URLSafeTimedSerializer`.
 * @param secretKey one key or a list, oldest first.
 * @param options {@link URLSafeSerializerOptions}.
 */
export class URLSafeTimedSerializer extends urlSafe(TimedSerializer) {
  constructor(secretKey: SecretKey, options: URLSafeSerializerOptions = {}) {
    super(secretKey, options);
  }
}
