// Mirrors werkzeug.http / werkzeug.sansio.http cookie helpers, Werkzeug 3.1:
// https://github.com/pallets/werkzeug/blob/3.1.3/src/werkzeug/sansio/http.py
// https://github.com/pallets/werkzeug/blob/3.1.3/src/werkzeug/http.py
import { pyTruthy } from '../python/values.ts';
import { httpDate } from './dates.ts';
import { PyValueError, UnicodeEncodeError } from '../python/errors.ts';

const encoder = new TextEncoder();
const utf8Replace = new TextDecoder('utf-8');

/** Characters a cookie value may hold without quotes (Werkzeug 3.1's list). */
const LEGAL_COOKIE_CHAR = /^[A-Za-z0-9_!#$%&'()*+\-./:<=>?@[\]^`{|}~]*$/;

/**
 * Quotes a cookie value the way Werkzeug does when it holds characters outside the legal set.
 * Mirrors `werkzeug.http._cookie_quote` (3.1): `"` and `\` are backslash-escaped; bytes below
 * 0x1a, `,`, `;` and 0x7f–0xff become three-digit octal escapes; 0x1a–0x1f pass through.
 */
export function quoteCookieValue(value: string): string {
  if (LEGAL_COOKIE_CHAR.test(value)) return value;
  let out = '"';
  for (const byte of encoder.encode(value)) {
    if (byte === 0x22) out += '\\"';
    else if (byte === 0x5c) out += '\\\\';
    else if (byte < 0x1a || byte === 0x2c || byte === 0x3b || byte >= 0x7f) out += '\\' + byte.toString(8).padStart(3, '0');
    else out += String.fromCharCode(byte);
  }
  return out + '"';
}

/**
 * Reverses {@link quoteCookieValue} on a quoted value (one that starts and ends with `"`), as Werkzeug
 * 3.1 does: the inside, taken as UTF-8, has its `\ooo` octal escapes and `\x` escapes undone, and the
 * bytes are decoded as UTF-8 with replacement. Any other value is returned as it is.
 */
export function unquoteCookieValue(value: string): string {
  if (value.length < 2 || value[0] !== '"' || value[value.length - 1] !== '"') return value;
  return utf8Replace.decode(unslash(encoder.encode(value.slice(1, -1))));
}

/** Python's `str.strip()` whitespace (Unicode White_Space as `str.isspace` has it); JavaScript's `trim` differs. */
const PY_SPACE = ' \\t\\n\\r\\x0b\\x0c\\x1c-\\x1f\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const PY_STRIP = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, 'g');
/** `bytes.strip()`: ASCII whitespace only. */
const BYTES_STRIP = /^[ \t\n\r\x0b\x0c]+|[ \t\n\r\x0b\x0c]+$/g;

/**
 * One `name=value;` pair of a Cookie header, as Werkzeug's `_cookie_re` finds it. Python's `\s` under
 * re.ASCII and `.` (anything but a newline) are spelled out, since JavaScript's `\s` and `.` differ.
 */
const COOKIE_PAIR = /([^=;]*)(?:[ \t\n\r\f\v]*=[ \t\n\r\f\v]*("(?:[^\\"]|\\[^\n])*"|[^\n]*?))?[ \t\n\r\f\v]*;/;

/** Unescapes the inside of a quoted value: `\ooo` octal escapes a byte, `\x` (x not a newline) is `x`. */
function unslash(bytes: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 0x5c && i + 1 < bytes.length) {
      const [d0, d1, d2] = [bytes[i + 1]!, bytes[i + 2], bytes[i + 3]];
      if (d0 >= 0x30 && d0 <= 0x33 && d1 !== undefined && d1 >= 0x30 && d1 <= 0x37 && d2 !== undefined && d2 >= 0x30 && d2 <= 0x37) {
        out.push((d0 - 0x30) * 64 + (d1 - 0x30) * 8 + (d2 - 0x30));
        i += 3;
        continue;
      }
      if (d0 !== 0x0a) {
        out.push(d0);
        i += 1;
        continue;
      }
    }
    out.push(b);
  }
  return Uint8Array.from(out);
}

/** Header text as bytes the way Werkzeug 2.2 took it: `str.encode("latin1", "replace")`. */
const latin1Bytes = (s: string): Uint8Array => Uint8Array.from(s, (ch) => (ch.charCodeAt(0) < 0x100 ? ch.charCodeAt(0) : 0x3f));

/** Which Werkzeug's cookie parsing to follow: 3.1 (the default) or 2.2. */
export interface ParseCookieOptions {
  /**
   * Werkzeug 2.2.2 parsed the header as latin-1 bytes and decoded every value as UTF-8 with
   * replacement; it stopped at the first part its pattern did not match and stripped ASCII space only.
   */
  werkzeug22?: boolean;
}

/**
 * Parses a `Cookie` request header into name → value; when a name repeats the first value wins.
 * Mirrors `werkzeug.sansio.http.parse_cookie` as `Request.cookies` calls it (3.1), on the header as
 * the server hands it over (PEP 3333's latin-1 text: each byte one character):
 *
 * - spaces around `=` and `;` are allowed, and names and values are stripped (Python's whitespace);
 * - a bare name gives an empty string, an empty name is skipped;
 * - an unquoted value is kept exactly as it is, spaces and `"` included (Werkzeug 2.2 kept them too);
 * - a quoted value is unescaped (`\ooo` octal bytes and `\x`), its text taken as UTF-8 first.
 *
 * Pass `{ werkzeug22: true }` for Werkzeug 2.2.2's reading (see {@link ParseCookieOptions}).
 */
export function parseCookie(header: string | null | undefined, options: ParseCookieOptions = {}): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  const text = header + ';';
  if (options.werkzeug22) {
    // re.match at each position in turn: the first failure ends the parse.
    const re = new RegExp(COOKIE_PAIR.source, 'y');
    while (re.lastIndex < header.length) {
      const m = re.exec(text);
      if (!m) break;
      const key = m[1]!.replace(BYTES_STRIP, '');
      if (!key) continue;
      const raw = latin1Bytes(m[2] ?? '');
      const quoted = raw.length >= 2 && raw[0] === 0x22 && raw[raw.length - 1] === 0x22;
      const value = utf8Replace.decode(quoted ? unslash(raw.subarray(1, -1)) : raw);
      const name = utf8Replace.decode(latin1Bytes(key));
      if (!out.has(name)) out.set(name, value);
    }
    return out;
  }
  // re.findall: each match is searched for from where the last one ended.
  const re = new RegExp(COOKIE_PAIR.source, 'g');
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const key = m[1]!.replace(PY_STRIP, '');
    let value = (m[2] ?? '').replace(PY_STRIP, '');
    if (!key) continue;
    if (value.length >= 2 && value[0] === '"' && value[value.length - 1] === '"') value = utf8Replace.decode(unslash(encoder.encode(value.slice(1, -1))));
    if (!out.has(key)) out.set(key, value);
  }
  return out;
}

/** Options of {@link dumpCookie}, named as Werkzeug's keyword arguments. */
export interface CookieOptions {
  /** Seconds; also sets Expires when `expires` is not given and `syncExpires` is on. */
  maxAge?: number | null;
  /** A Date, a Unix time in seconds, or a ready HTTP date string. */
  expires?: Date | number | string | null;
  path?: string | null;
  domain?: string | null;
  secure?: boolean;
  httponly?: boolean;
  syncExpires?: boolean;
  /** Warn when the header is longer than this; 0 turns the check off. Default 4093. */
  maxSize?: number;
  samesite?: string | null;
  partitioned?: boolean;
}

/** What {@link dumpCookie} built: the header value, its parts, and a size warning if any. */
export interface DumpedCookie {
  header: string;
  attributes: [string, string | true][];
  warning: string | null;
}

/** Encodes a path the way Werkzeug does: percent-encode all but unreserved and `%!$&'()*+,/:=@`. */
function quoteCookiePath(path: string): string {
  let out = '';
  for (const byte of encoder.encode(path)) {
    const ch = String.fromCharCode(byte);
    if (/[A-Za-z0-9_.\-~%!$&'()*+,/:=@]/.test(ch)) out += ch;
    else out += '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/**
 * Python's `str.encode("idna")` on an ASCII name (its fast path): no label but the last may be empty, and
 * none may be 64 characters or longer. Python 3.13's messages.
 */
function checkAsciiIdna(d: string): void {
  const labels = d.split('.');
  const at = (i: number) => labels.slice(0, i).reduce((n, l) => n + l.length, 0) + i;
  labels.slice(0, -1).forEach((label, i) => {
    if (!label.length) throw new UnicodeEncodeError(`'idna' codec can't encode character '\\x2e' in position ${at(i)}: label empty`);
  });
  labels.forEach((label, i) => {
    if (label.length >= 64) throw new UnicodeEncodeError(`'idna' codec can't encode characters in position ${at(i)}-${at(i) + label.length - 1}: label too long`);
  });
}

/**
 * Normalises a cookie domain as Werkzeug 3.1 does when the domain is not empty: the port cut, leading
 * dots removed, then Python's idna codec (an ASCII name is checked, a non-ASCII label becomes punycode).
 * An empty domain stays empty (and `Domain=` is still written); null means no Domain attribute. So `'.'`
 * gives `''`.
 * @throws {UnicodeEncodeError} for an empty label inside the name or a label of 64 characters or more.
 */
function makeCookieDomain(domain: string | null | undefined | false): string | null {
  if (domain == null || domain === false) return null;
  if (!domain) return domain;
  let d = domain.split(':')[0]!.replace(/^\.+/, '');
  if (/[^\x00-\x7f]/.test(d)) {
    // The URL parser applies IDNA (punycode) to each label. Python's codec is IDNA 2003, which maps the four
    // characters UTS 46 treats differently (ß → ss, ς → σ, and drops the zero-width joiners) first.
    d = d
      .split('.')
      .map((label) => {
        if (!/[^\x00-\x7f]/.test(label)) return label;
        const mapped = label.replace(/ß/g, 'ss').replace(/ς/g, 'σ').replace(/[\u200c\u200d]/g, '');
        return new URL(`http://${mapped}/`).hostname;
      })
      .join('.');
  } else if (d) {
    checkAsciiIdna(d);
  }
  return d;
}

/** A cookie name as Werkzeug 3.1 writes it into the header: its UTF-8 bytes, one character each (latin-1). */
function cookieKeyText(key: string): string {
  return Array.from(encoder.encode(key), (b) => String.fromCharCode(b)).join('');
}

/** Python's `len(str)`: code points, not UTF-16 units. */
const pyLen = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

/**
 * A flag attribute as Werkzeug 3.1 writes one: None or False leave it out, True writes the bare name, and any
 * other value (a config value that is not a bool, say `1` or `''`) is written as `Name=value`.
 */
function flag(name: string, v: unknown): [string, string | true] | null {
  if (v === null || v === undefined || v === false) return null;
  if (v === true) return [name, true];
  return [name, String(v)];
}

/**
 * Builds a `Set-Cookie` header value. Mirrors `werkzeug.http.dump_cookie` (3.1).
 * Attributes always come in Werkzeug's order: Domain, Expires, Max-Age, Secure, HttpOnly, Path,
 * SameSite, Partitioned. `now` (Unix seconds) is only used when Max-Age has to produce Expires.
 *
 * - A domain that is not null is always written, even when empty: `''` and `'.'` give `Domain=`.
 * - A non-ASCII name is written as its UTF-8 bytes in latin-1 text, as Werkzeug does, so it goes out as
 *   UTF-8 on the wire.
 * - The size check counts what Werkzeug counts: the header's length in characters (so the name's UTF-8
 *   bytes) against `maxSize`, and the value's length after quoting for the message.
 * @throws {PyValueError} `SameSite must be 'Strict', 'Lax', or 'None'.` for any other SameSite value.
 */
export function dumpCookie(key: string, value = '', options: CookieOptions = {}, now: () => number = () => Date.now() / 1000): DumpedCookie {
  const { maxAge = null, path = '/', domain = null, httponly = false, syncExpires = true, maxSize = 4093, partitioned = false } = options;
  let { expires = null, samesite = null, secure = false } = options;
  const quotedPath = path == null ? null : quoteCookiePath(path);
  const cookieDomain = makeCookieDomain(domain);
  let expiresText: string | null = null;
  if (expires != null) {
    if (typeof expires === 'string') expiresText = expires;
    else expiresText = httpDate(typeof expires === 'number' ? new Date(expires * 1000) : expires);
  } else if (maxAge != null && syncExpires) {
    expiresText = httpDate(new Date((now() + maxAge) * 1000));
  }
  if (samesite != null) {
    samesite = samesite.charAt(0).toUpperCase() + samesite.slice(1).toLowerCase();
    if (!['Strict', 'Lax', 'None'].includes(samesite)) throw new PyValueError("SameSite must be 'Strict', 'Lax', or 'None'.");
  }
  if (pyTruthy(partitioned)) secure = true;
  const quotedValue = quoteCookieValue(value);
  const attributes: [string, string | true][] = [];
  if (cookieDomain != null) attributes.push(['Domain', cookieDomain]);
  if (expiresText != null) attributes.push(['Expires', expiresText]);
  if (maxAge != null) attributes.push(['Max-Age', String(Math.trunc(maxAge))]);
  for (const a of [flag('Secure', secure), flag('HttpOnly', httponly)]) if (a) attributes.push(a);
  if (quotedPath != null) attributes.push(['Path', quotedPath]);
  if (samesite != null) attributes.push(['SameSite', samesite]);
  const p = flag('Partitioned', partitioned);
  if (p) attributes.push(p);
  const header = [`${cookieKeyText(key)}=${quotedValue}`, ...attributes.map(([k, v]) => (v === true ? k : `${k}=${v}`))].join('; ');
  const size = pyLen(header);
  let warning: string | null = null;
  if (maxSize && size > maxSize) {
    const valueSize = pyLen(quotedValue);
    warning =
      `The '${key}' cookie is too large: the value was ${valueSize} bytes but the header required ` +
      `${size - valueSize} extra bytes. The final size was ${size} bytes but the limit is ${maxSize} bytes. ` +
      'Browsers may silently ignore cookies larger than this.';
  }
  return { header, attributes, warning };
}
