// The simulated browser's cookie jar, following the storage and retrieval rules of RFC 6265bis
// (draft-ietf-httpbis-rfc6265bis, sections 5.6 to 5.8): how a Set-Cookie line is parsed, when a cookie is
// refused, replaced or deleted, and which cookies go back on a request (domain, path, Secure, SameSite,
// expiry), in which order. Pure data and functions: no DOM, no engine, no clock of its own.
//
// Where the draft leaves a choice to the browser, this jar does what Chromium does, and says so: a cookie
// without SameSite is treated as Lax, except on a cross-site top-level POST in its first two minutes, and
// lifetimes are capped at 400 days.

/** `Strict`, `Lax`, `None`, or `Default` when the cookie has no (valid) SameSite attribute. */
export type SameSite = 'Strict' | 'Lax' | 'None' | 'Default';

/** One stored cookie (RFC 6265bis §5.7: the cookie store's fields). */
export interface StoredCookie {
  name: string;
  value: string;
  domain: string;
  /** True without a Domain attribute: sent to this exact host only. */
  hostOnly: boolean;
  path: string;
  secure: boolean;
  httpOnly: boolean;
  sameSite: SameSite;
  /** Unix seconds, or null for a cookie that lasts until the browser closes (not persistent). */
  expires: number | null;
  /** Unix seconds when first stored (kept when a cookie is replaced); orders cookies of equal path length. */
  created: number;
  /** A tie-breaker for cookies created in the same second: the order they were first stored in. */
  seq: number;
}

/** Who caused the request, and how: what SameSite looks at. */
export type Initiator =
  /** The user typed the address or followed a link on the same site. */
  | 'same-site'
  /** A link on another site: a cross-site, top-level GET navigation. */
  | 'cross-site-link'
  /** A form on another site posting here: a cross-site, top-level POST navigation. */
  | 'cross-site-form'
  /** An image, iframe or fetch() on another site: a cross-site request that is not a top-level navigation. */
  | 'cross-site-embed';

export const INITIATORS: readonly Initiator[] = ['same-site', 'cross-site-link', 'cross-site-form', 'cross-site-embed'];

/** The request a cookie is stored from or sent on. */
export interface RequestContext {
  /** `https` or `http`. */
  scheme: string;
  host: string;
  /** The path, without the query. */
  path: string;
  initiator: Initiator;
}

/** Why a Set-Cookie line was not stored (each a translation key). */
export type RejectReason =
  | 'empty'
  | 'too-long'
  | 'secure-over-http'
  | 'samesite-none-needs-secure'
  | 'cross-site-cannot-set'
  | 'overwrites-secure'
  | 'domain-mismatch'
  | 'public-suffix'
  | 'prefix';

/** What storing one Set-Cookie line did. */
export interface StoreOutcome {
  name: string;
  /** `stored`: a new cookie; `replaced`: an older one of the same name, domain and path; `deleted`: it expired on arrival. */
  action: 'stored' | 'replaced' | 'deleted' | 'rejected';
  reason: RejectReason | null;
}

/** Why a stored cookie was left off a request (each a translation key). */
export type SkipReason = 'expired' | 'domain' | 'path' | 'secure' | 'samesite-strict' | 'samesite-lax' | 'samesite-default';

/** One stored cookie's fate on one request. */
export interface SendCheck {
  name: string;
  path: string;
  sent: boolean;
  reason: SkipReason | null;
}

/** How long Chromium lets a cookie without SameSite through on a cross-site top-level POST, in seconds. */
export const LAX_ALLOWING_UNSAFE_AGE = 120;
/** Browsers cap cookie lifetimes at 400 days (RFC 6265bis §5.6.1/§5.6.2). */
export const MAX_AGE_CAP = 400 * 24 * 3600;
/** Name and value together may not exceed 4096 bytes; an attribute value 1024 (RFC 6265bis §5.6). */
const MAX_NAME_VALUE = 4096;
const MAX_ATTRIBUTE_VALUE = 1024;

/** Suffixes under which anyone can register a name; a cookie may not be widened to one. A tiny stand-in for the Public Suffix List. */
const PUBLIC_SUFFIXES = new Set(['com', 'org', 'net', 'io', 'example', 'test', 'localhost', 'github.io', 'co.uk']);

const byteLength = (s: string): number => new TextEncoder().encode(s).length;
const trimWsp = (s: string): string => s.replace(/^[ \t]+|[ \t]+$/g, '');

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Parses a cookie date (RFC 6265bis §5.1.1) to Unix seconds; null when it fails. */
export function parseCookieDate(text: string): number | null {
  const tokens = text.split(/[\x09\x20-\x2F\x3B-\x40\x5B-\x60\x7B-\x7E]+/).filter(Boolean);
  let time: [number, number, number] | null = null;
  let day: number | null = null;
  let month: number | null = null;
  let year: number | null = null;
  for (const token of tokens) {
    const t = /^(\d{1,2}):(\d{1,2}):(\d{1,2})(?:[^\d].*)?$/.exec(token);
    if (!time && t) {
      time = [Number(t[1]), Number(t[2]), Number(t[3])];
      continue;
    }
    const d = /^(\d{1,2})(?:[^\d].*)?$/.exec(token);
    if (day === null && d) {
      day = Number(d[1]);
      continue;
    }
    const m = MONTHS.indexOf(token.slice(0, 3).toLowerCase());
    if (month === null && m >= 0) {
      month = m;
      continue;
    }
    const y = /^(\d{2,4})(?:[^\d].*)?$/.exec(token);
    if (year === null && y) {
      year = Number(y[1]);
      continue;
    }
  }
  if (year !== null && year >= 70 && year <= 99) year += 1900;
  if (year !== null && year >= 0 && year <= 69) year += 2000;
  if (!time || day === null || month === null || year === null) return null;
  if (day < 1 || day > 31 || year < 1601 || time[0] > 23 || time[1] > 59 || time[2] > 59) return null;
  const ms = Date.UTC(year, month, day, time[0], time[1], time[2]);
  // A day that does not exist in that month (30 February) fails.
  if (new Date(ms).getUTCDate() !== day) return null;
  return ms / 1000;
}

/** A parsed Set-Cookie line (RFC 6265bis §5.6), before the store decides anything. */
export interface ParsedSetCookie {
  name: string;
  value: string;
  expires: number | null;
  /** Max-Age in seconds (may be 0 or negative), or null. */
  maxAge: number | null;
  domain: string | null;
  path: string | null;
  secure: boolean;
  httpOnly: boolean;
  sameSite: SameSite;
}

/** Parses one Set-Cookie header value; null when the whole line is ignored (with the reason). */
function parseSetCookie(line: string): ParsedSetCookie | { ignored: RejectReason } {
  const semi = line.indexOf(';');
  const pair = semi === -1 ? line : line.slice(0, semi);
  const rest = semi === -1 ? '' : line.slice(semi);
  const eq = pair.indexOf('=');
  const name = trimWsp(eq === -1 ? '' : pair.slice(0, eq));
  const value = trimWsp(eq === -1 ? pair : pair.slice(eq + 1));
  if (!name && !value) return { ignored: 'empty' };
  if (byteLength(name) + byteLength(value) > MAX_NAME_VALUE) return { ignored: 'too-long' };
  const out: ParsedSetCookie = { name, value, expires: null, maxAge: null, domain: null, path: null, secure: false, httpOnly: false, sameSite: 'Default' };
  for (const raw of rest.split(';').slice(1)) {
    const i = raw.indexOf('=');
    const key = trimWsp(i === -1 ? raw : raw.slice(0, i)).toLowerCase();
    const val = trimWsp(i === -1 ? '' : raw.slice(i + 1));
    if (byteLength(val) > MAX_ATTRIBUTE_VALUE) continue;
    switch (key) {
      case 'expires': {
        const at = parseCookieDate(val);
        if (at !== null) out.expires = at;
        break;
      }
      case 'max-age':
        if (/^-?\d+$/.test(val)) out.maxAge = Number(val);
        break;
      case 'domain':
        if (val) out.domain = val.replace(/^\./, '').toLowerCase();
        break;
      case 'path':
        out.path = val.startsWith('/') ? val : null;
        break;
      case 'secure':
        out.secure = true;
        break;
      case 'httponly':
        out.httpOnly = true;
        break;
      case 'samesite': {
        const v = val.toLowerCase();
        out.sameSite = v === 'strict' ? 'Strict' : v === 'lax' ? 'Lax' : v === 'none' ? 'None' : 'Default';
        break;
      }
    }
  }
  return out;
}

/** The default path of a request path (RFC 6265bis §5.1.4): its "directory". */
export function defaultPath(path: string): string {
  if (!path.startsWith('/')) return '/';
  const last = path.lastIndexOf('/');
  return last <= 0 ? '/' : path.slice(0, last);
}

/** Path-match (RFC 6265bis §5.1.4): equal, or a prefix ending at a `/` boundary. */
export function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath.charAt(cookiePath.length) === '/';
}

/** Domain-match (RFC 6265bis §5.1.3) for host names. */
function domainMatches(host: string, domain: string): boolean {
  host = host.toLowerCase();
  return host === domain || (host.endsWith(`.${domain}`) && !/^[\d.]+$/.test(host));
}

function isSecure(scheme: string): boolean {
  return scheme === 'https' || scheme === 'wss';
}

/** The cookie jar of one browser. */
export class CookieJar {
  cookies: StoredCookie[] = [];
  private seq = 0;

  constructor(cookies: StoredCookie[] = []) {
    this.cookies = cookies.map((c) => ({ ...c }));
    this.seq = cookies.reduce((m, c) => Math.max(m, c.seq + 1), 0);
  }

  /** Stores one Set-Cookie line received on a response to `req` at time `now` (RFC 6265bis §5.7). */
  store(line: string, req: RequestContext, now: number): StoreOutcome {
    const parsed = parseSetCookie(line);
    if ('ignored' in parsed) return { name: '', action: 'rejected', reason: parsed.ignored };
    const p = parsed;
    const reject = (reason: RejectReason): StoreOutcome => ({ name: p.name, action: 'rejected', reason });
    // Expiry: Max-Age wins over Expires; both are capped at 400 days.
    let expires: number | null = null;
    if (p.maxAge !== null) expires = p.maxAge <= 0 ? -Infinity : now + Math.min(p.maxAge, MAX_AGE_CAP);
    else if (p.expires !== null) expires = Math.min(p.expires, now + MAX_AGE_CAP);
    // Domain.
    const host = req.host.toLowerCase();
    let domain = host;
    let hostOnly = true;
    // A Domain attribute widens the cookie to that domain and its subdomains, if the host is inside it; a
    // public suffix is refused, unless it is the host itself (then the cookie stays host-only).
    if (p.domain !== null && !(PUBLIC_SUFFIXES.has(p.domain) && p.domain === host)) {
      if (PUBLIC_SUFFIXES.has(p.domain)) return reject('public-suffix');
      if (!domainMatches(host, p.domain)) return reject('domain-mismatch');
      domain = p.domain;
      hostOnly = false;
    }
    const path = p.path ?? defaultPath(req.path);
    const secureScheme = isSecure(req.scheme);
    if (p.secure && !secureScheme) return reject('secure-over-http');
    // A plain-HTTP response may not overwrite (or shadow) a Secure cookie of the same name.
    if (!p.secure && !secureScheme) {
      const clash = this.cookies.some(
        (c) => c.name === p.name && c.secure && (domainMatches(c.domain, domain) || domainMatches(domain, c.domain)) && pathMatches(path, c.path),
      );
      if (clash) return reject('overwrites-secure');
    }
    // A cross-site request that is not a top-level navigation cannot set a cookie unless it is SameSite=None.
    if (p.sameSite !== 'None' && req.initiator === 'cross-site-embed') return reject('cross-site-cannot-set');
    if (p.sameSite === 'None' && !p.secure) return reject('samesite-none-needs-secure');
    // Cookie name prefixes.
    const lower = p.name.toLowerCase();
    if (lower.startsWith('__secure-') && !p.secure) return reject('prefix');
    if (lower.startsWith('__host-') && (!p.secure || !hostOnly || path !== '/')) return reject('prefix');
    const i = this.cookies.findIndex((c) => c.name === p.name && c.domain === domain && c.hostOnly === hostOnly && c.path === path);
    const old = i >= 0 ? this.cookies[i]! : null;
    if (old) this.cookies.splice(i, 1);
    if (expires !== null && expires <= now) return { name: p.name, action: 'deleted', reason: null };
    this.cookies.push({
      name: p.name,
      value: p.value,
      domain,
      hostOnly,
      path,
      secure: p.secure,
      httpOnly: p.httpOnly,
      sameSite: p.sameSite,
      expires,
      created: old ? old.created : now,
      seq: old ? old.seq : this.seq++,
    });
    return { name: p.name, action: old ? 'replaced' : 'stored', reason: null };
  }

  /** Why `c` would not go on `req` at `now`, or null when it would (RFC 6265bis §5.8.3). */
  static skipReason(c: StoredCookie, req: RequestContext, now: number, method: string, ignoreExpiry = false): SkipReason | null {
    if (!ignoreExpiry && c.expires !== null && c.expires <= now) return 'expired';
    const host = req.host.toLowerCase();
    if (c.hostOnly ? host !== c.domain : !domainMatches(host, c.domain)) return 'domain';
    if (!pathMatches(req.path, c.path)) return 'path';
    if (c.secure && !isSecure(req.scheme)) return 'secure';
    if (req.initiator !== 'same-site') {
      if (c.sameSite === 'Strict') return 'samesite-strict';
      const topLevel = req.initiator !== 'cross-site-embed';
      const laxAllows = topLevel && ['GET', 'HEAD', 'OPTIONS', 'TRACE'].includes(method.toUpperCase());
      if (c.sameSite === 'Lax' && !laxAllows) return 'samesite-lax';
      // Chromium's "Lax-allowing-unsafe": a cookie without SameSite still goes on a cross-site top-level POST
      // in its first two minutes (checked against Chromium in tests/e2e/cookie-jar.spec.ts).
      const young = now - c.created < LAX_ALLOWING_UNSAFE_AGE;
      if (c.sameSite === 'Default' && !laxAllows && !(topLevel && young)) return 'samesite-default';
    }
    return null;
  }

  /** Every stored cookie's fate on `req`, in the order the Cookie header lists the ones sent. */
  check(req: RequestContext, now: number, method = 'GET', ignoreExpiry = false): SendCheck[] {
    return this.ordered().map((c) => {
      const reason = CookieJar.skipReason(c, req, now, method, ignoreExpiry);
      return { name: c.name, path: c.path, sent: reason === null, reason };
    });
  }

  /** The `Cookie` header for `req`, or null when no cookie goes (longer paths first, then older cookies first). */
  cookieHeader(req: RequestContext, now: number, method = 'GET', ignoreExpiry = false): string | null {
    const sent = this.ordered().filter((c) => CookieJar.skipReason(c, req, now, method, ignoreExpiry) === null);
    return sent.length ? sent.map((c) => (c.name ? `${c.name}=${c.value}` : c.value)).join('; ') : null;
  }

  /** What `document.cookie` shows on a page at `req`: the same rules, without HttpOnly cookies (a same-site read). */
  documentCookie(req: RequestContext, now: number): string {
    const page = { ...req, initiator: 'same-site' as const };
    return this.ordered()
      .filter((c) => !c.httpOnly && CookieJar.skipReason(c, page, now, 'GET') === null)
      .map((c) => (c.name ? `${c.name}=${c.value}` : c.value))
      .join('; ');
  }

  /** Removes cookies whose expiry has passed; returns them. */
  evict(now: number): StoredCookie[] {
    const gone = this.cookies.filter((c) => c.expires !== null && c.expires <= now);
    this.cookies = this.cookies.filter((c) => !(c.expires !== null && c.expires <= now));
    return gone;
  }

  /** Cookies in Cookie-header order: longer paths first, then earlier creation. */
  ordered(): StoredCookie[] {
    return [...this.cookies].sort((a, b) => b.path.length - a.path.length || a.created - b.created || a.seq - b.seq);
  }

  /** The cookie a name refers to (the first in header order), or null. */
  find(name: string): StoredCookie | null {
    return this.ordered().find((c) => c.name === name) ?? null;
  }

  clear(): void {
    this.cookies = [];
  }
}

/** The attributes a stored cookie keeps, written out for the jar table (e.g. `Path=/docs; Secure; HttpOnly; SameSite=Lax`; a host-only cookie shows no Domain). */
export function describeAttributes(c: StoredCookie): string {
  const parts = [...(c.hostOnly ? [] : [`Domain=${c.domain}`]), `Path=${c.path}`];
  if (c.secure) parts.push('Secure');
  if (c.httpOnly) parts.push('HttpOnly');
  if (c.sameSite !== 'Default') parts.push(`SameSite=${c.sameSite}`);
  return parts.join('; ');
}
