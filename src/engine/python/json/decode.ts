// `json.loads` as CPython 3.11 reads: the same values, the same errors at the same positions. The text is read
// by one cursor over module state (faster than a closure per call) and one loop with an explicit stack of open
// containers, so no nesting depth can overflow the JavaScript stack.
//
// The pieces follow CPython's C scanner, Modules/_json.c (https://github.com/python/cpython/blob/v3.11.2/Modules/_json.c):
// - scanString: `scanstring_unicode`, a string literal and its escapes;
// - matchNumber: `_match_number_unicode`, an int or a float;
// - scanScalar: the non-container branches of `scan_once_unicode` (strings, the literals, NaN and the infinities);
// - scanMemberName: the `"key":` step of `_parse_object_unicode`;
// - scanDocument: `scan_once_unicode` with `_parse_object_unicode` and `_parse_array_unicode`, which recurse into
//   one another there and are one loop over a stack of open containers here.
import { JSONDecodeError, PyRecursionError, PyValueError } from '../errors.ts';
import { LazyDict, PyFloat, type PyDict, type PyValue } from '../values.ts';
import { pythonRules } from '../version.ts';
import { INT_LIMIT_HINT, INT_MAX_STR_DIGITS, MAX_DEPTH } from './limits.ts';

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

/**
 * A number starting at `pos`: an int when it has neither `.` nor exponent (a JS number up to 15 digits or when safe,
 * else a bigint), otherwise a float; `Expecting value` there when no number starts at `pos`.
 */
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
function scanMemberName(): string {
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
 * (`{}` as a {@link LazyDict}) with the last duplicate winning at the first one's position, lone surrogate escapes kept.
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
    return scanDocument(options.maxDepth ?? MAX_DEPTH, options.objectHook, options.onScalar, onDeep ? (options.softDepth ?? Infinity) : Infinity, onDeep);
  } finally {
    // Drop the reference to the text (it may be megabytes), or go back to an outer parse (a hook may parse too).
    [src, pos, end] = saved;
  }
}

function scanDocument(
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
      skipWs();
      if (pos < end && src.charCodeAt(pos) === 0x7d) {
        pos++;
        // `{}` makes no table until something is stored in it (see LazyDict).
        const obj = new LazyDict();
        value = hook ? hook(obj, depth + 1) : obj;
      } else {
        depth++;
        keys[depth - 1] = scanMemberName();
        stack.push(new Map() as PyDict);
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
        keys[depth - 1] = scanMemberName();
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
