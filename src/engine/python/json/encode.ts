// `json.dumps` as CPython 3.11's C encoder writes: float and int text, string escapes, key sorting, and the
// document itself. https://github.com/python/cpython/blob/v3.11.2/Modules/_json.c
import { PyRecursionError, PyTypeError, PyValueError } from '../errors.ts';
import { dictEntries, isDict, Markup, PyFloat, PyTuple, type PyValue } from '../values.ts';
import { INT_LIMIT_HINT, INT_MAX_STR_DIGITS, MAX_DEPTH } from './limits.ts';

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
