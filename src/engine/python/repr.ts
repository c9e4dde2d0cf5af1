// Mirrors CPython 3.11's repr()/str() of the session value types (Objects/unicodeobject.c unicode_repr, bytes_repr, Lib/datetime.py): https://github.com/python/cpython/blob/v3.11.2/Objects/unicodeobject.c
import { floatRepr, intRepr } from './json.ts';
import { dictEntries, isDict, Markup, PyFloat, PyTuple, PyUUID, type PyValue } from './values.ts';
import { PyValueError } from './errors.ts';

// Code points assigned after Unicode 14.0 (CPython 3.11's table) that this JS engine knows: Python still calls them
// unassigned, so not printable and not digits. Base-36 start, `+` base-36 length - 1.
const NEWER_THAN_UNICODE_14 =
  '1ov 1p3 2fw 2jg 2k3 2xa 5an+e 5b4+b 5e6+1 5fj 5mx+1 6gx 753+2 8ly 9h8+3 9us+1 9v3 x57+4 x5e x5g x5m+2 x69 1dqb+f ' +
  '1e34+1 1e4o+6 1fpc+1f 1ge8+p 1h6o+11 1h7t+s 1h8u+1 1hhe+5 1hhs+8 1hiy+5 1i67+2 1if4+9 1iff 1ifi 1ifk+11 1ign+9 ' +
  '1igy 1ih1 1ih3+3 1ih8+9 1ihj+1 1iht+1 1j2o+j 1jwg+9 1jz4+7 1k1s+x 1k34+9 1kfk+17 1kgw+9 1kow+g 1kpe+14 1kqm+s ' +
  '1ovj 1ow0+l 1oww+32y 1xq8+1l 205c+1l 20f4+o 20fv+o 20oi+4 25fc+7 26f3 26fd+l 26io+36 2dki 2dlh 2iv4+70 2j28+c3 ' +
  '2jei+m 2jfk+g 2k74+j 2mn9+5 2muo+1p 2mxb 2nrk+15 2nyo+16 2nzz 2o5c+u 2o68+l 2o72+1 2rbs 2rbw 2rg4+b 2rix 2roy+9 ' +
  '2rpc+1 2rps+8 2s0k+3 2s1h+2 2s1z+3 2s26+1 2s31+2 2s3f+4 2s3q 2s3s 2s3x+2 2s4a+2 2s4f 2s4o+2 2s4v 2s53+1 2saz+10 ' +
  '2sca 3tbt+6 3xya+b 43qo+h9 4bio+6jt';

const NEWER: [number, number][] = NEWER_THAN_UNICODE_14.split(' ').map((item) => {
  const [a, n] = item.split('+');
  const start = parseInt(a!, 36);
  return [start, start + (n ? parseInt(n, 36) : 0)];
});

function unassignedInPython(cp: number): boolean {
  let lo = 0;
  let hi = NEWER.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [a, b] = NEWER[mid]!;
    if (cp < a) hi = mid - 1;
    else if (cp > b) lo = mid + 1;
    else return true;
  }
  return false;
}

const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;
const DECIMAL = /\p{Nd}/u;
// Characters with Numeric_Type=Digit but not Decimal in Unicode 14 (superscripts, circled digits, …).
const DIGIT_NOT_DECIMAL = /[\u00b2\u00b3\u00b9\u1369-\u1371\u19da\u2070\u2074-\u2079\u2080-\u2089\u2460-\u2468\u2474-\u247c\u2488-\u2490\u24ea\u24f5-\u24fd\u24ff\u2776-\u277e\u2780-\u2788\u278a-\u2792\u{10a40}-\u{10a43}\u{10e60}-\u{10e68}\u{11052}-\u{1105a}\u{1f100}-\u{1f10a}]/u;
const SPACES = new Set([
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004,
  0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
]);

/** Python's `str.isprintable()` for one code point (Unicode 14, as in CPython 3.11). */
export function pyIsPrintable(cp: number): boolean {
  if (cp === 0x20) return true;
  return !NON_PRINTABLE.test(String.fromCodePoint(cp)) && !unassignedInPython(cp);
}

/** Python's `str.isspace()` for one code point. */
export function pyIsSpace(cp: number): boolean {
  return SPACES.has(cp);
}

/** The value 0–9 of a Unicode decimal digit as Python's `int()` reads it, or -1. */
function pyDecimalValue(cp: number): number {
  if (cp >= 0x30 && cp <= 0x39) return cp - 0x30;
  if (cp < 0x80 || !DECIMAL.test(String.fromCodePoint(cp)) || unassignedInPython(cp)) return -1;
  // Decimal digits come in runs of ten starting at zero; runs may touch, so count from the run's start.
  let start = cp;
  while (DECIMAL.test(String.fromCodePoint(start - 1))) start--;
  return (cp - start) % 10;
}

/** Python's `str.isdigit()` for one code point. */
export function pyIsDigit(cp: number): boolean {
  return pyDecimalValue(cp) >= 0 || DIGIT_NOT_DECIMAL.test(String.fromCodePoint(cp));
}

/**
 * Python's `int(text, base)` for base 10 or 16: surrounding whitespace, a sign, single underscores between digits,
 * any Unicode decimal digit, and for base 16 an optional `0x` prefix.
 * @throws {PyValueError} `invalid literal for int() with base N: '…'`, or the 4300-digit limit for base 10.
 */
export function pyInt(text: string, base: 10 | 16 = 10): bigint {
  // Like CPython: map Unicode spaces to ' ' and decimal digits to ASCII first, then parse the ASCII form.
  let ascii = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) ascii += ch;
    else if (pyIsSpace(cp)) ascii += ' ';
    else {
      const d = pyDecimalValue(cp);
      ascii += d >= 0 ? String(d) : '?';
    }
  }
  const m = /^[ \t\n\v\f\r]*([+-]?)(.*?)[ \t\n\v\f\r]*$/s.exec(ascii)!;
  let body = m[2]!;
  if (base === 16 && /^0[xX]/.test(body)) body = body.slice(2).replace(/^_/, '');
  const digit = base === 16 ? '[0-9a-fA-F]' : '[0-9]';
  if (!new RegExp(`^${digit}+(_${digit}+)*$`).test(body)) {
    let shown = pyRepr(text);
    if (shown.length > 200) shown = shown.slice(0, 200);
    throw new PyValueError(`invalid literal for int() with base ${base}: ${shown}`);
  }
  const clean = body.replace(/_/g, '');
  if (base === 10 && clean.length > 4300) {
    throw new PyValueError(
      `Exceeds the limit (4300 digits) for integer string conversion: value has ${clean.length} digits; use sys.set_int_max_str_digits() to increase the limit`,
    );
  }
  const v = BigInt(base === 16 ? `0x${clean}` : clean);
  return m[1] === '-' ? -v : v;
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}

/** Python's `repr(str)`: single quotes unless the text has `'` and no `"`, escapes for the unprintable. */
export function strRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${hex2(cp)}`;
    else if (cp < 0x7f || pyIsPrintable(cp)) out += ch;
    else if (cp <= 0xff) out += `\\x${hex2(cp)}`;
    else if (cp <= 0xffff) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return out + quote;
}

/** Python's `repr(bytes)`: `b'…'` with `\xNN` for bytes outside printable ASCII. */
export function bytesRepr(b: Uint8Array): string {
  let hasSingle = false;
  let hasDouble = false;
  for (const c of b) {
    if (c === 0x27) hasSingle = true;
    else if (c === 0x22) hasDouble = true;
  }
  const quote = hasSingle && !hasDouble ? 0x22 : 0x27;
  let out = `b${String.fromCharCode(quote)}`;
  for (const c of b) {
    if (c === quote || c === 0x5c) out += `\\${String.fromCharCode(c)}`;
    else if (c === 0x09) out += '\\t';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c < 0x20 || c >= 0x7f) out += `\\x${hex2(c)}`;
    else out += String.fromCharCode(c);
  }
  return out + String.fromCharCode(quote);
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Python's `repr()` of an aware UTC `datetime.datetime` for a Date (trailing zero fields dropped, as Python does). */
function datetimeRepr(d: Date): string {
  const fields = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes()];
  const us = d.getUTCMilliseconds() * 1000;
  if (us) fields.push(d.getUTCSeconds(), us);
  else if (d.getUTCSeconds()) fields.push(d.getUTCSeconds());
  return `datetime.datetime(${fields.join(', ')}, tzinfo=datetime.timezone.utc)`;
}

/** Python's `str()` of an aware UTC datetime: `YYYY-MM-DD HH:MM:SS[.ffffff]+00:00`. */
function datetimeStr(d: Date): string {
  const ms = d.getUTCMilliseconds();
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)} ` +
    `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}` +
    `${ms ? `.${pad(ms * 1000, 6)}` : ''}+00:00`
  );
}

/**
 * Python's `repr()` of a session value: `{'a': 1, 'b': [1, 2.0]}`, `b'\x00'`, `(1,)`, `True`, `None`, `Markup('<b>')`,
 * `UUID('…')`, `datetime.datetime(…, tzinfo=datetime.timezone.utc)`; a container inside itself shows as `[...]`.
 * @throws {PyValueError} for an int past 4300 digits, as Python 3.11 does.
 */
export function pyRepr(value: PyValue | unknown): string {
  const active = new Set<object>();
  const walk = (v: unknown): string => {
    if (v === null || v === undefined) return 'None';
    if (v === true) return 'True';
    if (v === false) return 'False';
    if (typeof v === 'string') return strRepr(v);
    if (typeof v === 'bigint') return intRepr(v);
    if (typeof v === 'number') return Number.isInteger(v) && !Object.is(v, -0) ? intRepr(v) : floatRepr(v);
    if (v instanceof PyFloat) return floatRepr(v.value);
    if (v instanceof Uint8Array) return bytesRepr(v);
    if (v instanceof Markup) return `Markup(${strRepr(v.html)})`;
    if (v instanceof PyUUID) return `UUID('${v.toString()}')`;
    if (v instanceof Date) return datetimeRepr(v);
    if (typeof v !== 'object') return `<${typeof v}>`;
    const isTuple = v instanceof PyTuple;
    if (active.has(v)) return Array.isArray(v) ? '[...]' : isTuple ? '(...)' : '{...}';
    active.add(v);
    try {
      if (Array.isArray(v)) return `[${v.map(walk).join(', ')}]`;
      if (isTuple) return v.items.length === 1 ? `(${walk(v.items[0])},)` : `(${v.items.map(walk).join(', ')})`;
      if (isDict(v)) return `{${dictEntries(v).map(([k, x]) => `${walk(k)}: ${walk(x)}`).join(', ')}}`;
      if (v instanceof Set) return v.size ? `{${[...v].map(walk).join(', ')}}` : 'set()';
      return `<${(v as object).constructor?.name ?? 'object'} object>`;
    } finally {
      active.delete(v);
    }
  };
  return walk(value);
}

/**
 * Python's `str()` of a session value: the text itself for str and Markup, the hyphenated form for a UUID,
 * `YYYY-MM-DD HH:MM:SS+00:00` for a datetime, and `repr()` for everything else.
 * @throws {PyValueError} for an int past 4300 digits.
 */
export function pyStr(value: PyValue | unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Markup) return value.html;
  if (value instanceof PyUUID) return value.toString();
  if (value instanceof Date) return datetimeStr(value);
  return pyRepr(value);
}
