// Request and response objects with Werkzeug's cookie rules, as Flask's wrappers use them:
// https://github.com/pallets/flask/blob/3.1.3/src/flask/wrappers.py
// https://github.com/pallets/werkzeug/blob/3.1.3/src/werkzeug/sansio/response.py
import { dumpCookie, parseCookie, type CookieOptions, type DumpedCookie } from '../werkzeug/http.ts';
import { Tracer } from './trace.ts';

/** What a request is built from. */
export interface RequestInit {
  method?: string;
  /** Path with an optional query string, e.g. `/set?key=a&value=1`. */
  url: string;
  headers?: [string, string][] | Record<string, string>;
  body?: string;
}

/** An incoming request: method, path, query arguments, headers and parsed cookies. */
export class Request {
  readonly method: string;
  readonly url: string;
  readonly path: string;
  readonly args: URLSearchParams;
  readonly headers: [string, string][];
  readonly body: string;
  /** Cookies from the `Cookie` header(s); when a name repeats, the first value wins. */
  readonly cookies: Map<string, string>;
  /** Where this request's lifecycle events go. */
  trace: Tracer;

  constructor(init: RequestInit, tracer: Tracer = new Tracer()) {
    this.method = (init.method ?? 'GET').toUpperCase();
    this.url = init.url;
    const q = init.url.indexOf('?');
    this.path = q === -1 ? init.url : init.url.slice(0, q);
    this.args = new URLSearchParams(q === -1 ? '' : init.url.slice(q + 1));
    this.headers = Array.isArray(init.headers) ? [...init.headers] : Object.entries(init.headers ?? {});
    this.body = init.body ?? '';
    this.cookies = parseCookie(
      this.headers
        .filter(([k]) => k.toLowerCase() === 'cookie')
        .map(([, v]) => v)
        .join('; '),
    );
    this.trace = tracer;
  }

  /** The first header with this name (case-insensitive), or null. */
  header(name: string): string | null {
    const lower = name.toLowerCase();
    return this.headers.find(([k]) => k.toLowerCase() === lower)?.[1] ?? null;
  }
}

/** An outgoing response whose cookie helpers follow Werkzeug. */
export class Response {
  status: number;
  body: string;
  headers: [string, string][];
  /** Header size above which setting a cookie warns (Flask passes `MAX_COOKIE_SIZE`). */
  maxCookieSize = 4093;
  /** Size warnings raised while building cookies, as Python's `warnings.warn` would print them. */
  readonly warnings: string[] = [];
  /** Where save-time lifecycle events go (set while Flask handles the request). */
  trace: Tracer | null = null;
  /** Clock used when Max-Age has to produce Expires. */
  now: () => number = () => Date.now() / 1000;

  constructor(body = '', status = 200, headers: [string, string][] = [['Content-Type', 'text/html; charset=utf-8']]) {
    this.body = body;
    this.status = status;
    this.headers = [...headers];
  }

  /** The first header with this name (case-insensitive), or null. */
  header(name: string): string | null {
    const lower = name.toLowerCase();
    return this.headers.find(([k]) => k.toLowerCase() === lower)?.[1] ?? null;
  }

  /** Every `Set-Cookie` header value, in order. */
  getSetCookie(): string[] {
    return this.headers.filter(([k]) => k.toLowerCase() === 'set-cookie').map(([, v]) => v);
  }

  /** Adds a `Set-Cookie` header; returns what was built. Mirrors `Response.set_cookie`. */
  setCookie(key: string, value = '', options: CookieOptions = {}): DumpedCookie {
    const dumped = dumpCookie(key, value, { maxSize: this.maxCookieSize, ...options }, this.now);
    if (dumped.warning) this.warnings.push(dumped.warning);
    this.headers.push(['Set-Cookie', dumped.header]);
    return dumped;
  }

  /** Adds a `Set-Cookie` header that makes the browser drop the cookie. Mirrors `Response.delete_cookie`. */
  deleteCookie(key: string, options: Omit<CookieOptions, 'maxAge' | 'expires'> = {}): DumpedCookie {
    return this.setCookie(key, '', { ...options, expires: 0, maxAge: 0 });
  }

  /** The values of the `Vary` header as a set, in order. */
  get vary(): string[] {
    const v = this.header('Vary');
    return v ? v.split(',').map((s) => s.trim()).filter(Boolean) : [];
  }

  /** Adds a value to `Vary` unless it is there already (compared case-insensitively, as Werkzeug's HeaderSet). */
  addVary(value: string): boolean {
    const current = this.vary;
    if (current.some((v) => v.toLowerCase() === value.toLowerCase())) return false;
    const next = [...current, value].join(', ');
    const i = this.headers.findIndex(([k]) => k.toLowerCase() === 'vary');
    if (i === -1) this.headers.push(['Vary', next]);
    else this.headers[i] = ['Vary', next];
    return true;
  }
}
