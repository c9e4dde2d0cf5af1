// Mirrors CPython 3.11 json (the C encoder and scanner in _json.c): https://github.com/python/cpython/blob/v3.11.2/Lib/json/__init__.py
import { JSONDecodeError, PyRecursionError, PyTypeError, PyUnicodeDecodeError, PyValueError } from './errors.ts';
import { dictEntries, isDict, Markup, PyFloat, PyTuple, type PyDict, type PyValue } from './values.ts';
import { pythonRules } from './version.ts';

/**
 * Containers nested deeper than this throw {@link PyRecursionError} in {@link dumps} and {@link loads}. It is the
 * depth where `json.loads` and `json.dumps` give up when called at the top of a fresh CPython 3.11 process (994
 * levels pass, 995 fail); deeper in a call stack Python gives up a little earlier.
 */
export const MAX_DEPTH = 994;

/** Python's limit on decimal digits when converting between int and str (`sys.get_int_max_str_digits()`). */
const INT_MAX_STR_DIGITS = 4300;

const INT_LIMIT_HINT = 'use sys.set_int_max_str_digits() to increase the limit';

// ---------------------------------------------------------------------------------------------------------------
// Numbers

/**
 * Python's `repr(float)`: the shortest digits that round-trip, fixed notation for 1e-4 ≤ |x| < 1e16 (always with a
 * `.0`), otherwise `d.ddde±XX`; `nan`, `inf`, `-inf` for the non-finite values (JSON writes those differently).
 * Mirrors `float_repr` (format code 'r').
 */
export function floatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  // toExponential() without an argument gives the shortest round-trip digits, as Python's repr does.
  const exp = Math.abs(x).toExponential();
  const e = exp.indexOf('e');
  const digits = exp.slice(0, e).replace('.', '');
  const exponent = Number(exp.slice(e + 1));
  const decpt = exponent + 1;
  if (decpt <= -4 || decpt > 16) {
    const mantissa = digits.length === 1 ? digits : `${digits[0]}.${digits.slice(1)}`;
    const ee = Math.abs(exponent);
    return `${sign}${mantissa}e${exponent < 0 ? '-' : '+'}${ee < 10 ? '0' : ''}${ee}`;
  }
  if (decpt <= 0) return `${sign}0.${'0'.repeat(-decpt)}${digits}`;
  if (decpt >= digits.length) return `${sign}${digits}${'0'.repeat(decpt - digits.length)}.0`;
  return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
}

/**
 * Python's `repr(int)` for a safe-integer number or a bigint.
 * @throws {PyValueError} past 4300 digits, as Python 3.11's int-to-str limit does.
 */
export function intRepr(n: number | bigint): string {
  const text = typeof n === 'bigint' ? n.toString() : Number.isSafeInteger(n) ? String(n) : BigInt(n).toString();
  if (text.length - (text.charCodeAt(0) === 0x2d ? 1 : 0) > INT_MAX_STR_DIGITS) {
    throw new PyValueError(`Exceeds the limit (${INT_MAX_STR_DIGITS} digits) for integer string conversion; ${INT_LIMIT_HINT}`);
  }
  return text;
}

/** JSON's spelling of a float: `NaN`, `Infinity`, `-Infinity`, or the repr. */
function jsonFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  return floatRepr(x);
}

/** True when a JS number stands for a Python int (integral and not -0), as the value model says. */
function isIntNumber(x: number): boolean {
  return Number.isInteger(x) && !Object.is(x, -0);
}

// ---------------------------------------------------------------------------------------------------------------
// Strings

const HEX = '0123456789abcdef';
const SHORT: Record<number, string> = { 0x22: '\\"', 0x5c: '\\\\', 0x08: '\\b', 0x0c: '\\f', 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t' };
const ASCII_ESCAPE = /[\u0000-\u001f"\\\u007f-\uffff]/g;
const TEXT_ESCAPE = /[\u0000-\u001f"\\]/g;

function escapeUnit(ch: string): string {
  const c = ch.charCodeAt(0);
  return SHORT[c] ?? `\\u${HEX[c >> 12]}${HEX[(c >> 8) & 15]}${HEX[(c >> 4) & 15]}${HEX[c & 15]}`;
}

/**
 * A JSON string literal as Python writes it: with `ensureAscii` every unit outside 0x20–0x7E is escaped (surrogate
 * pairs for astral characters, lowercase hex), otherwise only `"`, `\` and controls below 0x20.
 * Mirrors `py_encode_basestring_ascii` / `py_encode_basestring`.
 */
export function encodeString(s: string, ensureAscii = true): string {
  const re = ensureAscii ? ASCII_ESCAPE : TEXT_ESCAPE;
  re.lastIndex = 0;
  if (!re.test(s)) return `"${s}"`;
  re.lastIndex = 0;
  return `"${s.replace(re, escapeUnit)}"`;
}

// ---------------------------------------------------------------------------------------------------------------
// Comparing keys the way Python's sort does

/** Python's `type(x).__name__` for a dict key. */
function keyTypeName(k: unknown): string {
  if (k === null || k === undefined) return 'NoneType';
  if (typeof k === 'boolean') return 'bool';
  if (typeof k === 'bigint') return 'int';
  if (typeof k === 'number') return isIntNumber(k) ? 'int' : 'float';
  if (typeof k === 'string') return 'str';
  if (k instanceof PyFloat) return 'float';
  if (k instanceof Markup) return 'Markup';
  if (k instanceof PyTuple) return 'tuple';
  if (k instanceof Uint8Array) return 'bytes';
  if (Array.isArray(k)) return 'list';
  if (k instanceof Map || isDict(k)) return 'dict';
  if (k instanceof Set) return 'set';
  if (k instanceof Date) return 'datetime';
  if (typeof k === 'object') return (k as object).constructor?.name ?? 'object';
  return typeof k;
}

/** A key as a number/bigint when Python compares it numerically (bool, int, float), else undefined. */
function numericKey(k: unknown): number | bigint | undefined {
  if (typeof k === 'number' || typeof k === 'bigint') return k;
  if (typeof k === 'boolean') return k ? 1 : 0;
  if (k instanceof PyFloat) return k.value;
  return undefined;
}

/** Exact `a < b` between Python ints and floats. */
function numLess(a: number | bigint, b: number | bigint): boolean {
  if (typeof a === typeof b) return a < b;
  if (typeof a === 'number') {
    if (Number.isNaN(a)) return false;
    if (!Number.isFinite(a)) return a < 0;
    return Number.isInteger(a) ? BigInt(a) < (b as bigint) : BigInt(Math.floor(a)) < (b as bigint);
  }
  const y = b as number;
  if (Number.isNaN(y)) return false;
  if (!Number.isFinite(y)) return y > 0;
  // For an int x and a non-integral y: x < y exactly when x <= floor(y).
  return Number.isInteger(y) ? a < BigInt(y) : a <= BigInt(Math.floor(y));
}

/** Python's `a < b` on strings: by code point, which differs from JS's UTF-16 order above U+FFFF. */
export function strLess(a: string, b: string): boolean {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === n) return a.length < b.length;
  // Back up to the start of a surrogate pair so whole code points are compared.
  if (i > 0) {
    const prev = a.charCodeAt(i - 1);
    if (prev >= 0xd800 && prev <= 0xdbff) i--;
  }
  return (a.codePointAt(i) ?? 0) < (b.codePointAt(i) ?? 0);
}

/** Python's `a < b` for two dict keys. @throws {PyTypeError} `'<' not supported between instances of …`. */
function keyLess(a: unknown, b: unknown): boolean {
  const sa = typeof a === 'string' ? a : a instanceof Markup ? a.html : undefined;
  const sb = typeof b === 'string' ? b : b instanceof Markup ? b.html : undefined;
  if (sa !== undefined && sb !== undefined) return strLess(sa, sb);
  const na = numericKey(a);
  const nb = numericKey(b);
  if (na !== undefined && nb !== undefined) return numLess(na, nb);
  throw new PyTypeError(`'<' not supported between instances of '${keyTypeName(a)}' and '${keyTypeName(b)}'`);
}

/**
 * Sorts dict items by key as CPython's `list.sort` does: for fewer than 64 items the exact sequence of comparisons
 * (a natural run, then binary insertion), so that mixed key types fail with the same message; a stable merge sort
 * with the same comparison beyond that.
 */
function sortItems<V>(items: [unknown, V][]): [unknown, V][] {
  const n = items.length;
  if (n < 2) return items;
  const lt = (x: [unknown, V], y: [unknown, V]): boolean => keyLess(x[0], y[0]);
  if (n >= 64) return mergeSort(items, lt);
  // count_run
  let run = 2;
  if (lt(items[1]!, items[0]!)) {
    while (run < n && lt(items[run]!, items[run - 1]!)) run++;
    const head = items.slice(0, run).reverse();
    for (let i = 0; i < run; i++) items[i] = head[i]!;
  } else {
    while (run < n && !lt(items[run]!, items[run - 1]!)) run++;
  }
  // binarysort
  for (let start = run; start < n; start++) {
    const pivot = items[start]!;
    let l = 0;
    let r = start;
    do {
      const p = l + ((r - l) >> 1);
      if (lt(pivot, items[p]!)) r = p;
      else l = p + 1;
    } while (l < r);
    for (let p = start; p > l; p--) items[p] = items[p - 1]!;
    items[l] = pivot;
  }
  return items;
}

function mergeSort<T>(a: T[], lt: (x: T, y: T) => boolean): T[] {
  if (a.length < 2) return a;
  const mid = a.length >> 1;
  const left = mergeSort(a.slice(0, mid), lt);
  const right = mergeSort(a.slice(mid), lt);
  const out: T[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) out.push(lt(right[j]!, left[i]!) ? right[j++]! : left[i++]!);
  while (i < left.length) out.push(left[i++]!);
  while (j < right.length) out.push(right[j++]!);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// dumps

/** Options of {@link dumps}, named after `json.dumps`' keyword arguments. */
export interface DumpsOptions {
  /** Escape everything outside printable ASCII (default true). */
  ensureAscii?: boolean;
  /** Sort dict keys, comparing the original keys as Python does (default false). */
  sortKeys?: boolean;
  /** Item and key separators (default the compact `[',', ':']`). */
  separators?: [string, string];
  /** Called for a value JSON cannot hold; its result is serialised instead. */
  default?: (value: unknown) => PyValue;
}

/**
 * Serialises a Python value to JSON text the way CPython's `json.dumps` does (C encoder, no indent).
 * Tuples become arrays, Markup a string, and anything else unknown goes to `options.default`.
 * @throws {PyTypeError} for an unserialisable value or key, or unorderable keys with `sortKeys`.
 * @throws {PyValueError} for a circular reference or an int past 4300 digits.
 * @throws {PyRecursionError} past {@link MAX_DEPTH} nested containers.
 */
export function dumps(value: PyValue, options: DumpsOptions = {}): string {
  const ensureAscii = options.ensureAscii ?? true;
  const sortKeys = options.sortKeys ?? false;
  const [itemSep, keySep] = options.separators ?? [',', ':'];
  const fallback = options.default;
  const active = new Set<object>();
  const out: string[] = [];

  const enter = (obj: object, depth: number): void => {
    if (depth > MAX_DEPTH) throw new PyRecursionError('maximum recursion depth exceeded while encoding a JSON object');
    if (active.has(obj)) throw new PyValueError('Circular reference detected');
    active.add(obj);
  };

  const encode = (v: unknown, depth: number): void => {
    if (v === null) out.push('null');
    else if (v === true) out.push('true');
    else if (v === false) out.push('false');
    else if (typeof v === 'string') out.push(encodeString(v, ensureAscii));
    else if (v instanceof Markup) out.push(encodeString(v.html, ensureAscii));
    else if (typeof v === 'bigint') out.push(intRepr(v));
    else if (typeof v === 'number') out.push(isIntNumber(v) ? intRepr(v) : jsonFloat(v));
    else if (v instanceof PyFloat) out.push(jsonFloat(v.value));
    else if (Array.isArray(v) || v instanceof PyTuple) {
      const items: unknown[] = Array.isArray(v) ? v : v.items;
      if (items.length === 0) {
        out.push('[]');
        return;
      }
      enter(v, depth + 1);
      out.push('[');
      for (let i = 0; i < items.length; i++) {
        if (i) out.push(itemSep);
        encode(items[i], depth + 1);
      }
      out.push(']');
      active.delete(v);
    } else if (isDict(v)) {
      let items = dictEntries(v) as [unknown, PyValue][];
      if (items.length === 0) {
        out.push('{}');
        return;
      }
      enter(v, depth + 1);
      out.push('{');
      if (sortKeys) items = sortItems(items);
      let first = true;
      for (const [k, item] of items) {
        let ks: string;
        if (typeof k === 'string') ks = k;
        else if (k instanceof Markup) ks = k.html;
        else if (k instanceof PyFloat) ks = jsonFloat(k.value);
        else if (k === true) ks = 'true';
        else if (k === false) ks = 'false';
        else if (k === null) ks = 'null';
        else if (typeof k === 'number') ks = isIntNumber(k) ? intRepr(k) : jsonFloat(k);
        else if (typeof k === 'bigint') ks = intRepr(k);
        else throw new PyTypeError(`keys must be str, int, float, bool or None, not ${keyTypeName(k)}`);
        if (!first) out.push(itemSep);
        first = false;
        out.push(encodeString(ks, ensureAscii), keySep);
        encode(item, depth + 1);
      }
      out.push('}');
      active.delete(v);
    } else {
      const name = v === undefined ? 'undefined' : keyTypeName(v);
      if (!fallback) throw new PyTypeError(`Object of type ${name} is not JSON serializable`);
      const isObj = typeof v === 'object' || typeof v === 'function';
      if (isObj) enter(v as object, depth);
      const replacement = fallback(v);
      encode(replacement, depth + 1);
      if (isObj) active.delete(v as object);
    }
  };

  encode(value, 0);
  return out.join('');
}

// ---------------------------------------------------------------------------------------------------------------
// loads

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

/**
 * How deep a document may nest, and what to do with each dict once it is complete: the knobs of
 * {@link loadsWith}. Depths count containers from 1 (the outermost `[` or `{` is at depth 1).
 */
export interface LoadsOptions {
  /** Containers nested deeper than this throw {@link PyRecursionError} at the `[` or `{` (default {@link MAX_DEPTH}). */
  maxDepth?: number;
  /**
   * Called with each dict as soon as its `}` is read (children first, like `object_hook`), and with the number of
   * containers open around and including it; what it returns replaces the dict.
   */
  objectHook?: (dict: PyDict, depth: number) => PyValue;
  /** Called with the depth of the containers around each scalar value (string, number, literal); 0 at the top. */
  onScalar?: (depth: number) => void;
  /** Containers deeper than this (but within `maxDepth`) call {@link onDeep} with their depth when they open. */
  softDepth?: number;
  onDeep?: (depth: number) => void;
}

// The parser's state, shared by the functions below (a module-level cursor is faster than closures per call).
let src = '';
let pos = 0;
let end = 0;

function fail(msg: string, at: number): never {
  throw new JSONDecodeError(msg, src, at);
}

function skipWs(): void {
  let i = pos;
  while (i < end) {
    const c = src.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
    i++;
  }
  pos = i;
}

/** A string literal whose opening quote is at `pos - 1`; leaves `pos` after the closing quote. */
function scanString(): string {
  const begin = pos - 1;
  let i = pos;
  // Fast path: no escape before the closing quote.
  for (; i < end; i++) {
    const c = src.charCodeAt(i);
    if (c === 0x22) {
      const out = src.slice(pos, i);
      pos = i + 1;
      return out;
    }
    if (c === 0x5c || c <= 0x1f) break;
  }
  let result = '';
  let from = pos;
  for (;;) {
    let next = from;
    let c = 0;
    for (; next < end; next++) {
      c = src.charCodeAt(next);
      if (c === 0x22 || c === 0x5c) break;
      if (c <= 0x1f) fail('Invalid control character at', next);
    }
    if (next >= end) fail('Unterminated string starting at', begin);
    if (next > from) result += src.slice(from, next);
    next++;
    if (c === 0x22) {
      pos = next;
      return result;
    }
    if (next === end) fail('Unterminated string starting at', begin);
    c = src.charCodeAt(next);
    if (c !== 0x75) {
      from = next + 1;
      switch (c) {
        case 0x22: result += '"'; break;
        case 0x5c: result += '\\'; break;
        case 0x2f: result += '/'; break;
        case 0x62: result += '\b'; break;
        case 0x66: result += '\f'; break;
        case 0x6e: result += '\n'; break;
        case 0x72: result += '\r'; break;
        case 0x74: result += '\t'; break;
        default: fail('Invalid \\escape', from - 2);
      }
    } else {
      next++;
      let stop = next + 4;
      if (stop >= end) fail('Invalid \\uXXXX escape', next - 1);
      let u = 0;
      for (; next < stop; next++) {
        const h = hexValue(src.charCodeAt(next));
        if (h < 0) fail('Invalid \\uXXXX escape', stop - 5);
        u = (u << 4) | h;
      }
      if (u >= 0xd800 && u <= 0xdbff && stop + 6 < end && src.charCodeAt(stop) === 0x5c && src.charCodeAt(stop + 1) === 0x75) {
        next = stop + 2;
        stop += 6;
        let u2 = 0;
        for (; next < stop; next++) {
          const h = hexValue(src.charCodeAt(next));
          if (h < 0) fail('Invalid \\uXXXX escape', stop - 5);
          u2 = (u2 << 4) | h;
        }
        if (u2 >= 0xdc00 && u2 <= 0xdfff) result += String.fromCharCode(u, u2);
        else {
          stop -= 6;
          result += String.fromCharCode(u);
        }
      } else {
        result += String.fromCharCode(u);
      }
      from = stop;
    }
  }
}

function isDigitAt(k: number): boolean {
  const d = src.charCodeAt(k);
  return d >= 0x30 && d <= 0x39;
}

/** A number starting at `pos` (CPython's `_match_number_unicode`), or `Expecting value` there. */
function matchNumber(): PyValue {
  const start = pos;
  let i = start;
  const last = end - 1;
  const negative = src.charCodeAt(i) === 0x2d;
  if (negative) {
    i++;
    if (i > last) fail('Expecting value', start);
  }
  let c = src.charCodeAt(i);
  // Small ints, the usual case, are read digit by digit without slicing the text.
  let small = 0;
  if (c >= 0x31 && c <= 0x39) {
    small = c - 0x30;
    i++;
    while (i <= last) {
      c = src.charCodeAt(i);
      if (c < 0x30 || c > 0x39) break;
      small = small * 10 + (c - 0x30);
      i++;
    }
  } else if (c === 0x30) {
    i++;
  } else {
    fail('Expecting value', start);
  }
  let isFloat = false;
  if (i < last && src.charCodeAt(i) === 0x2e && isDigitAt(i + 1)) {
    isFloat = true;
    i += 2;
    while (i <= last && isDigitAt(i)) i++;
  }
  c = src.charCodeAt(i);
  if (i < last && (c === 0x65 || c === 0x45)) {
    const eStart = i;
    i++;
    c = src.charCodeAt(i);
    if (i < last && (c === 0x2d || c === 0x2b)) i++;
    while (i <= last && isDigitAt(i)) i++;
    if (isDigitAt(i - 1)) isFloat = true;
    else i = eStart;
  }
  pos = i;
  const digits = i - start - (negative ? 1 : 0);
  if (!isFloat && digits <= 15) return negative ? (small === 0 ? 0 : -small) : small;
  const numText = src.slice(start, i);
  if (isFloat) {
    const x = Number(numText);
    return Number.isInteger(x) || !Number.isFinite(x) ? new PyFloat(x) : x;
  }
  if (digits > INT_MAX_STR_DIGITS) {
    throw new PyValueError(
      `Exceeds the limit (${INT_MAX_STR_DIGITS} digits) for integer string conversion: value has ${digits} digits; ${INT_LIMIT_HINT}`,
    );
  }
  const big = BigInt(numText);
  return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
}

/** A scalar starting at `pos` (string, literal or number); containers are handled by the caller. */
function scanScalar(c: number): PyValue {
  const start = pos;
  switch (c) {
    case 0x22:
      pos++;
      return scanString();
    case 0x6e:
      if (src.startsWith('null', start)) {
        pos += 4;
        return null;
      }
      break;
    case 0x74:
      if (src.startsWith('true', start)) {
        pos += 4;
        return true;
      }
      break;
    case 0x66:
      if (src.startsWith('false', start)) {
        pos += 5;
        return false;
      }
      break;
    case 0x4e:
      if (src.startsWith('NaN', start)) {
        pos += 3;
        return new PyFloat(NaN);
      }
      break;
    case 0x49:
      if (src.startsWith('Infinity', start)) {
        pos += 8;
        return new PyFloat(Infinity);
      }
      break;
    case 0x2d:
      if (src.startsWith('-Infinity', start)) {
        pos += 9;
        return new PyFloat(-Infinity);
      }
      break;
  }
  return matchNumber();
}

/** Reads `"key"` then `:` and the whitespace after it, for an object whose next member starts at `pos`. */
function scanKey(): string {
  if (pos >= end || src.charCodeAt(pos) !== 0x22) fail('Expecting property name enclosed in double quotes', pos);
  pos++;
  const key = scanString();
  skipWs();
  if (pos >= end || src.charCodeAt(pos) !== 0x3a) fail("Expecting ':' delimiter", pos);
  pos++;
  skipWs();
  return key;
}

/**
 * Parses JSON text as CPython 3.11's `json.loads` does (the C scanner): NaN/Infinity/-Infinity accepted, ints exact
 * (bigint past 2^53), any number with `.` or an exponent a float ({@link PyFloat} when integral), objects as `Map`
 * with the last duplicate winning at the first one's position, lone surrogate escapes kept.
 * Iterative (an explicit stack of open containers), so no depth overflows the JS stack.
 * @throws {JSONDecodeError} with Python's message and position.
 * @throws {PyValueError} for an int literal past 4300 digits.
 * @throws {PyRecursionError} past {@link MAX_DEPTH} nested containers.
 */
export function loads(text: string): PyValue {
  return loadsWith(text, {});
}

/**
 * {@link loads} with a depth limit of its own and hooks (see {@link LoadsOptions}); what a hook throws
 * propagates at once, as from Python's `object_hook`.
 * @throws the same errors as {@link loads}, and whatever a hook throws.
 */
export function loadsWith(text: string, options: LoadsOptions): PyValue {
  const saved = [src, pos, end] as const;
  src = text;
  pos = 0;
  end = text.length;
  try {
    const onDeep = options.onDeep;
    return parseDocument(options.maxDepth ?? MAX_DEPTH, options.objectHook, options.onScalar, onDeep ? (options.softDepth ?? Infinity) : Infinity, onDeep);
  } finally {
    // Drop the reference to the text (it may be megabytes), or go back to an outer parse (a hook may parse too).
    [src, pos, end] = saved;
  }
}

function parseDocument(
  maxDepth: number,
  hook: LoadsOptions['objectHook'],
  onScalar: LoadsOptions['onScalar'],
  softDepth: number,
  onDeep: LoadsOptions['onDeep'],
): PyValue {
  if (src.charCodeAt(0) === 0xfeff) fail('Unexpected UTF-8 BOM (decode using utf-8-sig)', 0);
  const rules311 = pythonRules() === '3.11';
  // Open containers, innermost last; for a dict, the key whose value is being read.
  const stack: (PyDict | PyValue[])[] = [];
  const keys: string[] = [];
  let depth = 0;
  skipWs();
  let value: PyValue;
  // Each turn reads one value at `pos`: a scalar, an empty container, or the start of one (then its first member).
  for (;;) {
    if (pos >= end) fail('Expecting value', pos);
    const c = src.charCodeAt(pos);
    if (c === 0x7b) {
      if (depth >= maxDepth) throw new PyRecursionError('maximum recursion depth exceeded while decoding a JSON object from a unicode string');
      if (depth >= softDepth) onDeep!(depth + 1);
      pos++;
      const obj: PyDict = new Map();
      skipWs();
      if (pos < end && src.charCodeAt(pos) === 0x7d) {
        pos++;
        value = hook ? hook(obj, depth + 1) : obj;
      } else {
        depth++;
        keys[depth - 1] = scanKey();
        stack.push(obj);
        continue;
      }
    } else if (c === 0x5b) {
      if (depth >= maxDepth) throw new PyRecursionError('maximum recursion depth exceeded while decoding a JSON array from a unicode string');
      if (depth >= softDepth) onDeep!(depth + 1);
      pos++;
      const arr: PyValue[] = [];
      skipWs();
      if (pos < end && src.charCodeAt(pos) === 0x5d) {
        pos++;
        value = arr;
      } else {
        depth++;
        stack.push(arr);
        continue;
      }
    } else {
      if (onScalar) onScalar(depth);
      value = scanScalar(c);
    }
    // Store the value in its container; close every container that ends here.
    for (;;) {
      if (depth === 0) {
        skipWs();
        if (pos !== end) fail('Extra data', pos);
        return value;
      }
      const top = stack[depth - 1]!;
      skipWs();
      if (top instanceof Map) {
        top.set(keys[depth - 1]!, value);
        if (pos < end && src.charCodeAt(pos) === 0x7d) {
          pos++;
          stack.pop();
          depth--;
          value = hook ? hook(top, depth + 1) : top;
          continue;
        }
        if (pos >= end || src.charCodeAt(pos) !== 0x2c) fail("Expecting ',' delimiter", pos);
        const comma = pos++;
        skipWs();
        if (pos < end && src.charCodeAt(pos) === 0x7d && !rules311) fail('Illegal trailing comma before end of object', comma);
        keys[depth - 1] = scanKey();
        break;
      }
      (top as PyValue[]).push(value);
      if (pos < end && src.charCodeAt(pos) === 0x5d) {
        pos++;
        stack.pop();
        depth--;
        value = top as PyValue[];
        continue;
      }
      if (pos >= end || src.charCodeAt(pos) !== 0x2c) fail("Expecting ',' delimiter", pos);
      const comma = pos++;
      skipWs();
      if (pos < end && src.charCodeAt(pos) === 0x5d && !rules311) fail('Illegal trailing comma before end of array', comma);
      break;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// UTF-8

const utf8Fast = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

const isCont = (b: number): boolean => (b & 0xc0) === 0x80;

/**
 * Decodes UTF-8 strictly, like Python's `bytes.decode('utf-8')`: a BOM is kept, surrogates and overlong forms are
 * refused. @throws {PyUnicodeDecodeError} with Python's message for the first bad sequence.
 */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return utf8Fast.decode(bytes);
  } catch {
    // Find the first bad sequence the way CPython's decoder reports it.
  }
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i]!;
    const left = n - i;
    if (b < 0x80) {
      i++;
      continue;
    }
    if (b < 0xc2 || b > 0xf4) throw new PyUnicodeDecodeError(bytes, i, i + 1, 'invalid start byte');
    const need = b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
    const b2 = bytes[i + 1] ?? -1;
    const b2Bad =
      left >= 2 &&
      (!isCont(b2) ||
        (b === 0xe0 && b2 < 0xa0) ||
        (b === 0xed && b2 >= 0xa0) ||
        (b === 0xf0 && b2 < 0x90) ||
        (b === 0xf4 && b2 >= 0x90));
    if (b2Bad) throw new PyUnicodeDecodeError(bytes, i, i + 1, 'invalid continuation byte');
    if (need >= 3 && left >= 3 && !isCont(bytes[i + 2]!)) throw new PyUnicodeDecodeError(bytes, i, i + 2, 'invalid continuation byte');
    if (need === 4 && left >= 4 && !isCont(bytes[i + 3]!)) throw new PyUnicodeDecodeError(bytes, i, i + 3, 'invalid continuation byte');
    if (left < need) throw new PyUnicodeDecodeError(bytes, i, n, 'unexpected end of data');
    i += need;
  }
  // Unreachable when TextDecoder and this scan agree; fall back to the platform's error.
  return utf8Fast.decode(bytes);
}
