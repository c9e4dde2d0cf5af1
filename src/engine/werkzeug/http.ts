// Mirrors werkzeug.http / werkzeug.sansio.http cookie helpers, Werkzeug 3.1:
// https://github.com/pallets/werkzeug/blob/3.1.3/src/werkzeug/sansio/http.py
// https://github.com/pallets/werkzeug/blob/3.1.3/src/werkzeug/http.py
import { httpDate } from './dates.ts';

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

/** Reverses {@link quoteCookieValue}: `\ooo` octal escapes and `\x` → `x`, on a quoted value. */
export function unquoteCookieValue(value: string): string {
  if (value.length < 2 || value[0] !== '"' || value[value.length - 1] !== '"') return value;
  const inner = value.slice(1, -1);
  const bytes: number[] = [];
  for (let i = 0; i < inner.length; i++) {
    const c = inner.charCodeAt(i);
    if (c === 0x5c && i + 1 < inner.length) {
      const oct = inner.slice(i + 1, i + 4);
      if (/^[0-3][0-7][0-7]$/.test(oct)) {
        bytes.push(parseInt(oct, 8));
        i += 3;
      } else {
        pushChar(bytes, inner, i + 1);
        i += 1;
      }
    } else {
      pushChar(bytes, inner, i);
    }
  }
  return utf8Replace.decode(new Uint8Array(bytes));
}

function pushChar(bytes: number[], s: string, i: number): void {
  const c = s.charCodeAt(i);
  // Header text arrives as latin-1 code units; anything wider is kept as UTF-8.
  if (c < 0x100) bytes.push(c);
  else bytes.push(...encoder.encode(s[i]));
}

/**
 * Parses a `Cookie` request header into name → value; when a name repeats the first value wins.
 * Mirrors `werkzeug.sansio.http.parse_cookie` (3.1): spaces around `=` are allowed, quoted values
 * are unescaped, a bare name gives an empty string, and an unquoted value holding a space or `"`
 * is dropped.
 */
export function parseCookie(header: string | null | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  const re = /([^=;]*)(?:\s*=\s*("(?:[^\\"]|\\.)*"|.*?))?\s*;/gy;
  const text = header + ';';
  let m: RegExpExecArray | null;
  re.lastIndex = 0;
  while (re.lastIndex < header.length && (m = re.exec(text)) !== null) {
    const key = m[1].trim();
    if (!key) continue;
    let value = m[2] ?? '';
    if (value.length >= 2 && value[0] === '"' && value[value.length - 1] === '"') value = unquoteCookieValue(value);
    else if (/[ "]/.test(value)) continue;
    else value = utf8Replace.decode(Uint8Array.from(value, (ch) => ch.charCodeAt(0) & 0xff));
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
export function quoteCookiePath(path: string): string {
  let out = '';
  for (const byte of encoder.encode(path)) {
    const ch = String.fromCharCode(byte);
    if (/[A-Za-z0-9_.\-~%!$&'()*+,/:=@]/.test(ch)) out += ch;
    else out += '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/** Normalises a cookie domain: the port cut, leading dots removed, IDNA for non-ASCII labels. */
export function makeCookieDomain(domain: string | null | undefined): string | null {
  if (!domain) return null;
  let d = domain.split(':')[0].replace(/^\.+/, '');
  if (/[^\x00-\x7f]/.test(d)) {
    // The URL parser applies IDNA (punycode) to each label, as Python's idna codec does.
    d = d
      .split('.')
      .map((label) => (/[^\x00-\x7f]/.test(label) ? new URL(`http://${label}/`).hostname : label))
      .join('.');
  }
  return d || null;
}

/**
 * Builds a `Set-Cookie` header value. Mirrors `werkzeug.http.dump_cookie` (3.1).
 * Attributes always come in Werkzeug's order: Domain, Expires, Max-Age, Secure, HttpOnly, Path,
 * SameSite, Partitioned. `now` (Unix seconds) is only used when Max-Age has to produce Expires.
 * @throws {Error} `SameSite must be 'Strict', 'Lax', or 'None'.` for any other SameSite value.
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
    if (!['Strict', 'Lax', 'None'].includes(samesite)) throw new Error("SameSite must be 'Strict', 'Lax', or 'None'.");
  }
  if (partitioned) secure = true;
  const quotedValue = quoteCookieValue(value);
  const attributes: [string, string | true][] = [];
  if (cookieDomain != null) attributes.push(['Domain', cookieDomain]);
  if (expiresText != null) attributes.push(['Expires', expiresText]);
  if (maxAge != null) attributes.push(['Max-Age', String(Math.trunc(maxAge))]);
  if (secure) attributes.push(['Secure', true]);
  if (httponly) attributes.push(['HttpOnly', true]);
  if (quotedPath != null) attributes.push(['Path', quotedPath]);
  if (samesite != null) attributes.push(['SameSite', samesite]);
  if (partitioned) attributes.push(['Partitioned', true]);
  const header = [`${key}=${quotedValue}`, ...attributes.map(([k, v]) => (v === true ? k : `${k}=${v}`))].join('; ');
  const size = header.length;
  let warning: string | null = null;
  if (maxSize && size > maxSize) {
    const valueSize = encoder.encode(value).length;
    warning =
      `The '${key}' cookie is too large: the value was ${valueSize} bytes but the header required ` +
      `${size - valueSize} extra bytes. The final size was ${size} bytes but the limit is ${maxSize} bytes. ` +
      'Browsers may silently ignore cookies larger than this.';
  }
  return { header, attributes, warning };
}
