// MessagePack as msgspec 0.19 writes and reads it for Flask-Session 0.8.0 (`msgspec.msgpack.Encoder()` / `Decoder()`):
// https://github.com/pallets-eco/flask-session/blob/0.8.0/src/flask_session/base.py
// Format: https://github.com/msgpack/msgpack/blob/master/spec.md (extension type -1 is the timestamp)
// Checked byte for byte against the real msgspec by tests/conformance/flask_session_live.test.ts.
import { MsgspecDecodeError, PyOverflowError, PyRecursionError, PyTypeError, PyValueError, UnicodeEncodeError, UnsupportedValueError } from '../python/errors.ts';
import { dictEntries, isDict, Markup, PyFloat, PyTuple, PyUUID, type PyDict, type PyKey, type PyValue } from '../python/values.ts';
import { ByteWriter } from './byte_writer.ts';

/**
 * A Python `datetime` with microseconds: a `Date` (milliseconds) plus the microseconds below the millisecond.
 * msgspec keeps microseconds, so a datetime read from Redis must keep them to be written back unchanged.
 */
export class PreciseDate extends Date {
  /** Microseconds below the millisecond, 0 to 999. */
  readonly micro: number;
  constructor(epochMicros: bigint) {
    const ms = epochMicros / 1000n - (epochMicros % 1000n < 0n ? 1n : 0n);
    super(Number(ms));
    this.micro = Number(epochMicros - ms * 1000n);
  }
}

/** Microseconds since 1970-01-01 UTC (a plain `Date` has none below the millisecond). */
function epochMicros(d: Date): bigint {
  return BigInt(d.getTime()) * 1000n + BigInt(d instanceof PreciseDate ? d.micro : 0);
}

/**
 * An extension value of a type other than the timestamp (-1): msgspec decodes it as `msgspec.msgpack.Ext(code, data)`
 * and encodes that back the same way, so a session holding one survives a round trip.
 */
export class MsgpackExt {
  readonly code: number;
  readonly data: Uint8Array;
  constructor(code: number, data: Uint8Array) {
    if (!Number.isInteger(code) || code < -128 || code > 127) throw new PyValueError('code must be an int between -128 and 127');
    this.code = code;
    this.data = data;
  }
}

/** Python's datetime covers years 1 to 9999; these are its limits in microseconds since 1970. */
const MIN_DATETIME_US = -62135596800n * 1_000_000n;
const MAX_DATETIME_US = 253402300800n * 1_000_000n - 1n;

function checkDatetime(d: Date): bigint {
  if (Number.isNaN(d.getTime())) throw new PyValueError('an invalid Date is not a datetime');
  const us = epochMicros(d);
  if (us < MIN_DATETIME_US || us > MAX_DATETIME_US) throw new PyValueError(`year ${d.getUTCFullYear()} is out of range`);
  return us;
}

/** Nesting deeper than this is refused on both sides, so hostile input cannot exhaust the stack. */
export const MAX_NESTING = 512;

const encoder = new TextEncoder();
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

const U64_MAX = (1n << 64n) - 1n;
const I64_MIN = -(1n << 63n);

/** True when a JS number stands for a Python int (integral and not -0), as the value model says. */
export function isPyInt(v: unknown): v is number | bigint {
  return typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v) && !Object.is(v, -0));
}

/**
 * An aware UTC datetime as msgspec's JSON encoder writes it: RFC 3339, `Z`, six digits of microseconds only
 * when they are not zero. (msgspec's MessagePack encoder writes a timestamp instead: see {@link packb}.)
 * @throws {PyValueError} for a Date outside Python's years 1 to 9999.
 */
export function datetimeToIso(d: Date): string {
  const us = checkDatetime(d);
  const iso = d.toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ for years 1 to 9999
  const frac = Number(((us % 1_000_000n) + 1_000_000n) % 1_000_000n);
  return iso.slice(0, 19) + (frac ? `.${String(frac).padStart(6, '0')}` : '') + 'Z';
}

/**
 * The timestamp extension (type -1) as msgspec writes an aware datetime: 32-bit seconds when there is no
 * fraction and the seconds fit; 64 bits (30-bit nanoseconds, 34-bit seconds) while the seconds are positive and
 * fit 34 bits; else 96 bits (32-bit nanoseconds, signed 64-bit seconds).
 */
function writeTimestamp(out: ByteWriter, d: Date): void {
  const us = checkDatetime(d);
  const seconds = us / 1_000_000n - (us % 1_000_000n < 0n ? 1n : 0n);
  const nanos = (us - seconds * 1_000_000n) * 1000n;
  if (seconds >> 34n === 0n) {
    const data64 = (nanos << 34n) | seconds;
    if (data64 >> 32n === 0n) {
      out.u8(0xd6), out.u8(0xff), out.u32(Number(data64));
    } else {
      out.u8(0xd7), out.u8(0xff), out.u64(data64);
    }
  } else {
    out.u8(0xc7), out.u8(12), out.u8(0xff), out.u32(Number(nanos)), out.i64(seconds);
  }
}

function writeExt(out: ByteWriter, e: MsgpackExt): void {
  const n = e.data.length;
  const fixed: Record<number, number> = { 1: 0xd4, 2: 0xd5, 4: 0xd6, 8: 0xd7, 16: 0xd8 };
  if (fixed[n] !== undefined) out.u8(fixed[n]);
  else if (n <= 0xff) (out.u8(0xc7), out.u8(n));
  else if (n <= 0xffff) (out.u8(0xc8), out.u16(n));
  else (out.u8(0xc9), out.u32(n));
  out.u8(e.code & 0xff);
  out.bytes(e.data);
}

function writeInt(out: ByteWriter, v: number | bigint): void {
  const b = BigInt(v);
  if (b >= 0n) {
    if (b <= 127n) out.u8(Number(b));
    else if (b <= 0xffn) (out.u8(0xcc), out.u8(Number(b)));
    else if (b <= 0xffffn) (out.u8(0xcd), out.u16(Number(b)));
    else if (b <= 0xffffffffn) (out.u8(0xce), out.u32(Number(b)));
    else if (b <= U64_MAX) (out.u8(0xcf), out.u64(b));
    else throw new PyOverflowError("can't serialize ints < -2**63 or > 2**64 - 1");
  } else {
    if (b >= -32n) out.u8(Number(b) & 0xff);
    else if (b >= -128n) (out.u8(0xd0), out.u8(Number(b) & 0xff));
    else if (b >= -32768n) (out.u8(0xd1), out.u16(Number(b) & 0xffff));
    else if (b >= -2147483648n) (out.u8(0xd2), out.u32(Number(b) >>> 0));
    else if (b >= I64_MIN) (out.u8(0xd3), out.i64(b));
    else throw new PyOverflowError("can't serialize ints < -2**63 or > 2**64 - 1");
  }
}

function writeStr(out: ByteWriter, s: string): void {
  if (!(s as string & { isWellFormed(): boolean }).isWellFormed()) {
    throw new UnicodeEncodeError("'utf-8' codec can't encode a lone surrogate: surrogates not allowed");
  }
  const b = encoder.encode(s);
  const n = b.length;
  if (n <= 31) out.u8(0xa0 | n);
  else if (n <= 0xff) (out.u8(0xd9), out.u8(n));
  else if (n <= 0xffff) (out.u8(0xda), out.u16(n));
  else (out.u8(0xdb), out.u32(n));
  out.bytes(b);
}

function writeBin(out: ByteWriter, b: Uint8Array): void {
  const n = b.length;
  if (n <= 0xff) (out.u8(0xc4), out.u8(n));
  else if (n <= 0xffff) (out.u8(0xc5), out.u16(n));
  else (out.u8(0xc6), out.u32(n));
  out.bytes(b);
}

function writeArrayHeader(out: ByteWriter, n: number): void {
  if (n <= 15) out.u8(0x90 | n);
  else if (n <= 0xffff) (out.u8(0xdc), out.u16(n));
  else (out.u8(0xdd), out.u32(n));
}

function writeMapHeader(out: ByteWriter, n: number): void {
  if (n <= 15) out.u8(0x80 | n);
  else if (n <= 0xffff) (out.u8(0xde), out.u16(n));
  else (out.u8(0xdf), out.u32(n));
}

function writeValue(out: ByteWriter, v: PyValue | PyKey, depth: number): void {
  if (depth > MAX_NESTING) throw new PyRecursionError('maximum recursion depth exceeded');
  if (v === null) return out.u8(0xc0);
  if (v === true) return out.u8(0xc3);
  if (v === false) return out.u8(0xc2);
  if (isPyInt(v)) return writeInt(out, v);
  if (typeof v === 'number') return (out.u8(0xcb), out.f64(v));
  if (v instanceof PyFloat) return (out.u8(0xcb), out.f64(v.value));
  if (typeof v === 'string') return writeStr(out, v);
  // msgspec takes exact str only: Markup, a str subclass, is refused (Flask-Session 0.8 then fails to save).
  if (v instanceof Markup) throw new PyTypeError('Encoding objects of type Markup is unsupported');
  if (v instanceof PyUUID) return writeStr(out, v.toString());
  if (v instanceof Date) return writeTimestamp(out, v); // an aware datetime (the value model's Date is UTC)
  if (v instanceof MsgpackExt) return writeExt(out, v);
  if (v instanceof Uint8Array) return writeBin(out, v);
  if (Array.isArray(v) || v instanceof PyTuple) {
    const items = Array.isArray(v) ? v : v.items;
    writeArrayHeader(out, items.length);
    for (const item of items) writeValue(out, item, depth + 1);
    return;
  }
  if (isDict(v)) {
    const entries = dictEntries(v);
    writeMapHeader(out, entries.length);
    for (const [k, item] of entries) {
      writeValue(out, k, depth + 1);
      writeValue(out, item, depth + 1);
    }
    return;
  }
  throw new PyTypeError(`Encoding objects of type ${(v as object).constructor?.name ?? typeof v} is unsupported`);
}

/**
 * Encodes a value as msgspec's MessagePack encoder does: the smallest int encoding, floats always as
 * float64, str/bin/array/map with the smallest size header, dict entries in insertion order; tuples become
 * arrays, UUIDs strings, datetimes (aware, UTC) the timestamp extension -1, {@link MsgpackExt} its
 * extension. Mirrors `msgspec.msgpack.encode`. (Python's naive datetimes, dates, times, timedeltas and Decimals
 * become strings and sets arrays; they come back as strings and lists, which this encoder writes identically.)
 * @throws {PyOverflowError} for ints outside [-2**63, 2**64-1]; {@link PyValueError} for a Date outside years 1 to
 *   9999; {@link PyTypeError} for unsupported types, Markup among them (msgspec takes no str subclass);
 *   {@link UnicodeEncodeError} for a str with a lone surrogate; {@link PyRecursionError} past {@link MAX_NESTING}.
 */
export function packb(value: PyValue): Uint8Array {
  const out = new ByteWriter();
  writeValue(out, value, 0);
  return out.result();
}

/** Reads MessagePack with bounds checks on every length. */
class Reader {
  readonly b: Uint8Array;
  readonly view: DataView;
  i = 0;
  constructor(b: Uint8Array) {
    this.b = b;
    this.view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  }
  need(k: number): void {
    if (this.i + k > this.b.length) throw new MsgspecDecodeError('Input data was truncated', this.i);
  }
  u8(): number {
    this.need(1);
    return this.b[this.i++]!;
  }
  u16(): number {
    this.need(2);
    const v = this.view.getUint16(this.i);
    this.i += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.i);
    this.i += 4;
    return v;
  }
  take(k: number): Uint8Array {
    this.need(k);
    const out = this.b.slice(this.i, this.i + k);
    this.i += k;
    return out;
  }
}

function intResult(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

function floatResult(v: number): number | PyFloat {
  return Number.isInteger(v) || !Number.isFinite(v) ? new PyFloat(v) : v;
}

function readStr(r: Reader, n: number): string {
  const at = r.i;
  const raw = r.take(n);
  try {
    return utf8.decode(raw);
  } catch {
    throw new MsgspecDecodeError('MessagePack data is malformed: invalid utf-8 in str', at);
  }
}

function readArray(r: Reader, n: number, depth: number): PyValue[] {
  // Every element takes at least one byte: a header claiming more than what is left is malformed.
  r.need(n);
  const out: PyValue[] = [];
  for (let k = 0; k < n; k++) out.push(readValue(r, depth + 1));
  return out;
}

function readMap(r: Reader, n: number, depth: number): PyDict {
  r.need(n * 2);
  const out: PyDict = new Map();
  for (let k = 0; k < n; k++) {
    const at = r.i;
    const key = readValue(r, depth + 1) as unknown;
    if (key instanceof Map) throw new PyTypeError(`unhashable type: 'dict' (a map used as a map key at byte ${at})`);
    if (key !== null && typeof key === 'object' && !(key instanceof PyFloat)) {
      // msgspec gives a tuple, bytes or datetime key; the value model's dict keys are str, int, float, bool and None.
      const what = Array.isArray(key) ? 'an array (Python: a tuple)' : key instanceof Uint8Array ? 'bin (Python: bytes)' : key instanceof Date ? 'a timestamp (Python: a datetime)' : 'this value';
      throw new UnsupportedValueError(`a map key that is ${what} at byte ${at}: this engine's dicts take only str, int, float, bool and None keys`);
    }
    out.set(key as PyKey, readValue(r, depth + 1));
  }
  return out;
}

/**
 * An extension value: type -1 is a timestamp, read as msgspec does (lengths 4, 8 or 12 only; nanoseconds below
 * 10**9; rounded half up to microseconds, as Python's datetime holds no more; years 1 to 9999), any other type a
 * {@link MsgpackExt}.
 * @throws {MsgspecDecodeError} for a malformed timestamp (msgspec's ValidationError, a DecodeError).
 * @throws {PyValueError} for a timestamp past year 9999 (msgspec raises ValueError, not a DecodeError).
 */
function readExt(r: Reader, n: number, at: number): PyValue {
  r.need(1);
  const code = r.view.getInt8(r.i);
  r.i += 1;
  const data = r.take(n);
  if (code !== -1) return new MsgpackExt(code, data) as unknown as PyValue;
  const v = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let seconds: bigint;
  let nanos: bigint;
  if (n === 4) {
    seconds = BigInt(v.getUint32(0));
    nanos = 0n;
  } else if (n === 8) {
    const x = v.getBigUint64(0);
    seconds = x & ((1n << 34n) - 1n);
    nanos = x >> 34n;
  } else if (n === 12) {
    nanos = BigInt(v.getUint32(0));
    seconds = v.getBigInt64(4);
  } else {
    throw new MsgspecDecodeError(`Invalid MessagePack timestamp (byte ${at})`, at);
  }
  if (nanos > 999_999_999n) throw new MsgspecDecodeError(`Invalid MessagePack timestamp: nanoseconds out of range (byte ${at})`, at);
  const us = seconds * 1_000_000n + (nanos + 500n) / 1000n;
  if (us < MIN_DATETIME_US) throw new MsgspecDecodeError(`Timestamp is out of range (byte ${at})`, at);
  if (us > MAX_DATETIME_US) throw new PyValueError(`year ${new Date(Number(us / 1000n)).getUTCFullYear()} is out of range`);
  return us % 1000n === 0n ? new Date(Number(us / 1000n)) : new PreciseDate(us);
}

function readValue(r: Reader, depth: number): PyValue {
  if (depth > MAX_NESTING) throw new MsgspecDecodeError('MessagePack data is nested too deeply', r.i);
  const at = r.i;
  const t = r.u8();
  if (t <= 0x7f) return t;
  if (t >= 0xe0) return t - 0x100;
  if ((t & 0xe0) === 0xa0) return readStr(r, t & 0x1f);
  if ((t & 0xf0) === 0x90) return readArray(r, t & 0x0f, depth);
  if ((t & 0xf0) === 0x80) return readMap(r, t & 0x0f, depth);
  switch (t) {
    case 0xc0:
      return null;
    case 0xc2:
      return false;
    case 0xc3:
      return true;
    case 0xc4:
      return r.take(r.u8());
    case 0xc5:
      return r.take(r.u16());
    case 0xc6:
      return r.take(r.u32());
    case 0xca: {
      r.need(4);
      const v = r.view.getFloat32(r.i);
      r.i += 4;
      return floatResult(v);
    }
    case 0xcb: {
      r.need(8);
      const v = r.view.getFloat64(r.i);
      r.i += 8;
      return floatResult(v);
    }
    case 0xcc:
      return r.u8();
    case 0xcd:
      return r.u16();
    case 0xce:
      return r.u32();
    case 0xcf: {
      r.need(8);
      const v = r.view.getBigUint64(r.i);
      r.i += 8;
      return intResult(v);
    }
    case 0xd0: {
      const v = r.u8();
      return v >= 0x80 ? v - 0x100 : v;
    }
    case 0xd1: {
      const v = r.u16();
      return v >= 0x8000 ? v - 0x10000 : v;
    }
    case 0xd2: {
      r.need(4);
      const v = r.view.getInt32(r.i);
      r.i += 4;
      return v;
    }
    case 0xd3: {
      r.need(8);
      const v = r.view.getBigInt64(r.i);
      r.i += 8;
      return intResult(v);
    }
    case 0xd9:
      return readStr(r, r.u8());
    case 0xda:
      return readStr(r, r.u16());
    case 0xdb:
      return readStr(r, r.u32());
    case 0xdc:
      return readArray(r, r.u16(), depth);
    case 0xdd:
      return readArray(r, r.u32(), depth);
    case 0xde:
      return readMap(r, r.u16(), depth);
    case 0xdf:
      return readMap(r, r.u32(), depth);
  }
  if (t >= 0xd4 && t <= 0xd8) return readExt(r, 1 << (t - 0xd4), at);
  if (t === 0xc7) return readExt(r, r.u8(), at);
  if (t === 0xc8) return readExt(r, r.u16(), at);
  if (t === 0xc9) return readExt(r, r.u32(), at);
  // 0xc1 is never used.
  throw new MsgspecDecodeError(`MessagePack data is malformed: invalid opcode '\\x${t.toString(16).padStart(2, '0')}' (byte ${at})`, at);
}

/**
 * Decodes one MessagePack value: ints come back as number (bigint beyond 2**53), floats as number or
 * {@link PyFloat} when integral, maps as `Map`, arrays as arrays, bin as `Uint8Array`, timestamps as `Date`
 * ({@link PreciseDate} when they carry microseconds below the millisecond), other extensions as
 * {@link MsgpackExt}. Mirrors `msgspec.msgpack.decode`.
 * @throws {MsgspecDecodeError} on truncated or malformed input, a malformed timestamp, trailing bytes, or nesting
 *   deeper than {@link MAX_NESTING}.
 * @throws {PyTypeError} for a map as a map key (Python's `unhashable type: 'dict'`), and its subclass
 *   {@link UnsupportedValueError} for keys msgspec reads but the value model cannot hold (an array, bin or timestamp).
 * @throws {PyValueError} for a timestamp past year 9999, as msgspec raises it.
 */
export function unpackb(bytes: Uint8Array): PyValue {
  const r = new Reader(bytes);
  const v = readValue(r, 0);
  if (r.i !== bytes.length) throw new MsgspecDecodeError(`MessagePack data is malformed: trailing characters (byte ${r.i})`, r.i);
  return v;
}
