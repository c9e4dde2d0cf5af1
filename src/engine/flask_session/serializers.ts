// Session serializers of Flask-Session 0.8.0 (`MsgSpecSerializer`: msgspec msgpack or JSON, with the
// legacy pickle fallback): https://github.com/pallets-eco/flask-session/blob/0.8.0/src/flask_session/base.py
import { standardB64Encode } from '../itsdangerous/encoding.ts';
import { MsgspecDecodeError, PyRecursionError, PyTypeError, PyValueError, UnicodeEncodeError, UnpicklingError, UnsafePickleError } from '../python/errors.ts';
import { dictEntries, isDict, Markup, PyFloat, PyTuple, PyUUID, type PyDict, type PyKey, type PyValue } from '../python/values.ts';
import { datetimeToIso, isPyInt, MAX_NESTING, packb, unpackb } from './msgpack.ts';
import { loads as pickleLoads } from './pickle.ts';

/** The two formats `SESSION_SERIALIZATION_FORMAT` accepts. */
export type SerializationFormat = 'msgpack' | 'json';

const encoder = new TextEncoder();
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

// ---------------------------------------------------------------------------------------------
// msgspec JSON

/**
 * A float as msgspec's JSON encoder prints it: the shortest round-trip digits, plain decimal while the
 * decimal point falls within 16 digits (`1e15` → `1000000000000000.0`), else `1e16`, `1.5e-7`; `-0.0`; NaN
 * and infinities become `null`.
 */
export function msgspecFloat(x: number): string {
  if (!Number.isFinite(x)) return 'null';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  const [mant, exp] = Math.abs(x).toExponential().split('e') as [string, string];
  const digits = mant.replace('.', '');
  const kk = Number(exp) + 1; // position of the decimal point relative to the digits
  const len = digits.length;
  const k = kk - len; // exponent applied to the integer made of the digits
  if (k >= 0 && kk <= 16) return `${sign}${digits}${'0'.repeat(k)}.0`;
  if (kk > 0 && kk <= 16) return `${sign}${digits.slice(0, kk)}.${digits.slice(kk)}`;
  if (kk > -5 && kk <= 0) return `${sign}0.${'0'.repeat(-kk)}${digits}`;
  return `${sign}${digits[0]}${len > 1 ? `.${digits.slice(1)}` : ''}e${kk - 1}`;
}

const SHORT_ESCAPES: Record<number, string> = { 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r', 34: '\\"', 92: '\\\\' };

/** A JSON string as msgspec writes it: UTF-8 kept, only `"`, `\` and control characters escaped (`\u00XX` in lowercase). */
export function msgspecString(s: string): string {
  if (!(s as string & { isWellFormed(): boolean }).isWellFormed()) {
    throw new UnicodeEncodeError("'utf-8' codec can't encode a lone surrogate: surrogates not allowed");
  }
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 34 || c === 92) out += SHORT_ESCAPES[c] ?? `\\u00${c.toString(16).padStart(2, '0')}`;
    else out += s[i];
  }
  return out + '"';
}

/** msgspec's JSON encoder writes ints of any size (its MessagePack encoder stops at 64 bits). */
function jsonInt(v: number | bigint): string {
  return BigInt(v).toString();
}

function jsonKey(k: PyKey): string {
  if (typeof k === 'string') return msgspecString(k);
  if (isPyInt(k)) return `"${jsonInt(k)}"`;
  if (typeof k === 'number') return `"${msgspecFloat(k)}"`;
  if (k instanceof PyFloat) return `"${msgspecFloat(k.value)}"`;
  throw new PyTypeError('Only dicts with str-like or number-like keys are supported');
}

function jsonValue(v: PyValue, depth: number): string {
  if (depth > MAX_NESTING) throw new PyRecursionError('maximum recursion depth exceeded');
  if (v === null) return 'null';
  if (v === true) return 'true';
  if (v === false) return 'false';
  if (isPyInt(v)) return jsonInt(v);
  if (typeof v === 'number') return msgspecFloat(v);
  if (v instanceof PyFloat) return msgspecFloat(v.value);
  if (typeof v === 'string') return msgspecString(v);
  if (v instanceof Markup) throw new PyTypeError('Encoding objects of type Markup is unsupported'); // no str subclass, as in msgpack
  if (v instanceof PyUUID) return `"${v.toString()}"`;
  if (v instanceof Date) return `"${datetimeToIso(v)}"`;
  if (v instanceof Uint8Array) return `"${standardB64Encode(v)}"`;
  if (Array.isArray(v) || v instanceof PyTuple) {
    const items = Array.isArray(v) ? v : v.items;
    return `[${items.map((x) => jsonValue(x, depth + 1)).join(',')}]`;
  }
  if (isDict(v)) return `{${dictEntries(v).map(([k, x]) => `${jsonKey(k)}:${jsonValue(x, depth + 1)}`).join(',')}}`;
  throw new PyTypeError(`Encoding objects of type ${(v as object).constructor?.name ?? typeof v} is unsupported`);
}

/**
 * Encodes a value as `msgspec.json.encode` does: compact UTF-8 JSON, insertion order, no `\u` escapes
 * beyond control characters, floats as {@link msgspecFloat}, bytes as padded standard base64, int keys as strings.
 * @throws {PyTypeError} for unsupported key types or values (Markup among them); {@link UnicodeEncodeError} for a
 *   str with a lone surrogate; {@link PyRecursionError} past {@link MAX_NESTING}.
 */
export function jsonEncode(value: PyValue): Uint8Array {
  return encoder.encode(jsonValue(value, 0));
}

/** A strict JSON parser with number fidelity (`1` is an int, `1.0` a float), like msgspec's decoder. */
class JsonParser {
  private readonly s: string;
  private i = 0;
  constructor(s: string) {
    this.s = s;
  }
  fail(msg: string): never {
    throw new MsgspecDecodeError(`JSON is malformed: ${msg} (byte ${this.i})`, this.i);
  }
  ws(): void {
    while (this.i < this.s.length && ' \t\n\r'.includes(this.s[this.i]!)) this.i++;
  }
  parseDocument(): PyValue {
    this.ws();
    const v = this.value(0);
    this.ws();
    if (this.i !== this.s.length) this.fail('trailing characters');
    return v;
  }
  value(depth: number): PyValue {
    if (depth > MAX_NESTING) this.fail('nested too deeply');
    this.ws();
    const c = this.s[this.i];
    if (c === undefined) throw new MsgspecDecodeError('Input data was truncated', this.i);
    if (c === '{') return this.object(depth);
    if (c === '[') return this.array(depth);
    if (c === '"') return this.string();
    if (c === '-' || (c >= '0' && c <= '9')) return this.number();
    for (const [word, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.s.startsWith(word, this.i)) {
        this.i += word.length;
        return v;
      }
    }
    return this.fail('invalid character');
  }
  object(depth: number): PyDict {
    this.i++;
    const out: PyDict = new Map();
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      return out;
    }
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') this.fail('object keys must be strings');
      const k = this.string();
      this.ws();
      if (this.s[this.i] !== ':') this.fail("expected ':'");
      this.i++;
      out.set(k, this.value(depth + 1));
      this.ws();
      const c = this.s[this.i++];
      if (c === '}') return out;
      if (c !== ',') this.fail("expected ',' or '}'");
    }
  }
  array(depth: number): PyValue[] {
    this.i++;
    const out: PyValue[] = [];
    this.ws();
    if (this.s[this.i] === ']') {
      this.i++;
      return out;
    }
    for (;;) {
      out.push(this.value(depth + 1));
      this.ws();
      const c = this.s[this.i++];
      if (c === ']') return out;
      if (c !== ',') this.fail("expected ',' or ']'");
    }
  }
  string(): string {
    this.i++;
    let out = '';
    for (;;) {
      const c = this.s[this.i++];
      if (c === undefined) throw new MsgspecDecodeError('Input data was truncated', this.i);
      if (c === '"') return out;
      if (c < ' ') this.fail('invalid character in string');
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = this.s[this.i++];
      const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (e !== undefined && e in simple) out += simple[e];
      else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(this.s.slice(this.i, this.i + 4))) {
        out += String.fromCharCode(parseInt(this.s.slice(this.i, this.i + 4), 16));
        this.i += 4;
      } else this.fail('invalid escape character in string');
    }
  }
  number(): PyValue {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.s.slice(this.i, this.i + 5000));
    if (!m) return this.fail('invalid number');
    this.i += m[0].length;
    if (m[2] === undefined && m[3] === undefined) {
      const b = BigInt(m[0]);
      return b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
    }
    const f = Number(m[0]);
    return Number.isInteger(f) || !Number.isFinite(f) ? new PyFloat(f) : f;
  }
}

/**
 * Decodes JSON bytes as `msgspec.json.decode` does for untyped data (objects become `Map`s).
 * @throws {MsgspecDecodeError} for invalid UTF-8, malformed or truncated JSON, trailing characters, or nesting past {@link MAX_NESTING}.
 */
export function jsonDecode(bytes: Uint8Array): PyValue {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new MsgspecDecodeError('JSON is malformed: invalid utf-8', 0);
  }
  return new JsonParser(text).parseDocument();
}

// ---------------------------------------------------------------------------------------------
// The session serializer

/** Which decoder finally read the stored bytes. */
export type DecodedWith = SerializationFormat | 'pickle';

/** What {@link MsgSpecSerializer.decodeVerbose} returns: the data and which format read it. */
export interface Decoded {
  data: PyDict;
  format: DecodedWith;
}

function asDict(v: PyValue, format: DecodedWith): PyDict {
  if (v instanceof Map) return v;
  if (isDict(v)) return new Map(dictEntries(v));
  throw new TypeError(`the stored ${format} value is a ${Array.isArray(v) ? 'list' : typeof v}, not a dict`);
}

/**
 * Most values a pickle read by the 0.8 fallback may expand to, shared references counted as copies (at least
 * the stored length, so data without sharing is never refused). Flask-Session 0.8 has no such limit: it loads
 * `x = [x, x]` nested 24 times (165 bytes of pickle) and on save writes it back as 33.5 MB of msgpack; at 40
 * levels msgspec runs out of memory and the worker dies. The engine refuses such a value when it reads it, in
 * time linear in the stored bytes, so it is never written back.
 */
const MAX_EXPANDED_VALUES = 1_000_000;

/**
 * Flask-Session 0.8's session serializer: encodes `dict(session)` in the configured format; decodes with
 * that format, then the other one, then the safe pickle reader (for sessions written by 0.3–0.6).
 * Mirrors `MsgSpecSerializer`.
 * @param format `'msgpack'` (the default) or `'json'`.
 * @throws {PyValueError} `Unsupported serialization format: X` for any other format.
 */
export class MsgSpecSerializer {
  readonly format: SerializationFormat;

  constructor(format: string = 'msgpack') {
    if (format !== 'msgpack' && format !== 'json') throw new PyValueError(`Unsupported serialization format: ${format}`);
    this.format = format;
  }

  /** The stored bytes for a session's data. @throws {PyException} (TypeError, OverflowError, ...) for values the format cannot hold, as msgspec raises it. */
  encode(data: PyDict): Uint8Array {
    return this.format === 'msgpack' ? packb(data) : jsonEncode(data);
  }

  /**
   * Stored bytes back to a dict, reporting which decoder succeeded.
   * @throws {UnsafePickleError} when the bytes are a pickle that would import or call code (Python would run it).
   * @throws {UnpicklingError} `Failed to deserialize session data` when no decoder can read them, or the pickle
   * expands past {@link MAX_EXPANDED_VALUES} (a deliberate difference from 0.8, which writes it back expanded).
   */
  decodeVerbose(bytes: Uint8Array): Decoded {
    const order: SerializationFormat[] = this.format === 'msgpack' ? ['msgpack', 'json'] : ['json', 'msgpack'];
    for (const f of order) {
      try {
        return { data: asDict(f === 'msgpack' ? unpackb(bytes) : jsonDecode(bytes), f), format: f };
      } catch (e) {
        if (!(e instanceof MsgspecDecodeError)) throw e;
      }
    }
    try {
      return { data: asDict(pickleLoads(bytes, { maxExpanded: Math.max(MAX_EXPANDED_VALUES, bytes.length) }), 'pickle'), format: 'pickle' };
    } catch (e) {
      if (e instanceof UnsafePickleError) throw e;
      if (!(e instanceof UnpicklingError)) throw e;
      throw new UnpicklingError('Failed to deserialize session data');
    }
  }

  /** Stored bytes back to a dict. Mirrors `MsgSpecSerializer.decode`; throws as {@link decodeVerbose}. */
  decode(bytes: Uint8Array): PyDict {
    return this.decodeVerbose(bytes).data;
  }
}
