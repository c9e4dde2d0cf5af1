// A small Flask-shaped application that runs the session machinery around each request, in the
// order Flask does: push the context → open_session (or the null session) → before_request → view
// → after_this_request / after_request → save_session → response. Mirrors the lifecycle in
// https://github.com/pallets/flask/blob/3.1.3/src/flask/app.py and
// https://github.com/pallets/flask/blob/3.1.3/src/flask/ctx.py
import { DEFAULT_CONFIG, SecureCookieSessionInterface, type FlaskConfig, type SessionInterface, type SessionMixin } from './sessions.ts';
import { Tracer, type TraceEvent } from './trace.ts';
import { reason } from './reasons.ts';
import { Request, Response, type RequestInit } from './wrappers.ts';
import { SessionProxy } from './globals.ts';
import { parseCookie } from '../werkzeug/http.ts';

/** What a view may return: a body, a body with a status, or a full response. */
export type ViewResult = string | [string, number] | Response;

/** What a view receives, in place of Flask's context-local globals. */
export interface ViewContext {
  app: Flask;
  request: Request;
  /** `flask.session`: every access marks the session accessed and is recorded in the trace. */
  session: SessionProxy;
  /** `flask.g`: a scratch object for this request. */
  g: Record<string, unknown>;
  /** `flask.after_this_request`. */
  afterThisRequest(fn: (response: Response) => Response | void): void;
}

export type View = (ctx: ViewContext) => ViewResult | Promise<ViewResult>;
/** A `before_request` function: returning nothing lets the request go on to the view. */
export type BeforeRequest = (ctx: ViewContext) => ViewResult | void | Promise<ViewResult | void>;
export type AfterRequest = (response: Response, ctx: ViewContext) => Response | void | Promise<Response | void>;

/** Options for {@link Flask}. */
export interface FlaskOptions {
  config?: Partial<FlaskConfig>;
  /** The app clock in Unix seconds; a virtual clock lets a lesson fast-forward time. */
  now?: () => number;
  sessionInterface?: SessionInterface;
}

/** The outcome of one request: the response and its lifecycle trace. */
export interface Exchange {
  request: Request;
  response: Response;
  trace: TraceEvent[];
}

/** The Flask application object, reduced to what sessions need. */

/**
 * The paragraph Werkzeug's HTTP exceptions put under the heading of their HTML error page. It is part of the bytes
 * a client receives (Werkzeug 2.2.2 and 3.1.3 send the same text; tests/server/serve_interop.test.ts compares the
 * pages byte for byte with both). Where it is defined:
 * https://github.com/pallets/werkzeug/blob/3.1.3/src/werkzeug/exceptions.py
 */
const ERROR_DESCRIPTIONS = {
  404: 'The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.',
  405: 'The method is not allowed for the requested URL.',
  500: 'The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.',
} as const;
export class Flask {
  config: FlaskConfig;
  sessionInterface: SessionInterface;
  private readonly clock: () => number;
  private readonly routes = new Map<string, { view: View; methods: string[]; allowed: string[]; automaticOptions: boolean; endpoint: string }>();
  private readonly beforeRequestFuncs: BeforeRequest[] = [];
  private readonly afterRequestFuncs: AfterRequest[] = [];

  constructor(options: FlaskOptions = {}) {
    this.config = { ...DEFAULT_CONFIG, ...options.config } as FlaskConfig;
    this.clock = options.now ?? (() => Date.now() / 1000);
    this.sessionInterface = options.sessionInterface ?? new SecureCookieSessionInterface();
  }

  /** Current Unix time in seconds, from the app clock. */
  now(): number {
    return this.clock();
  }

  /** `app.secret_key`, an alias of `config.SECRET_KEY`. */
  get secretKey(): string | Uint8Array | null {
    return this.config.SECRET_KEY;
  }
  set secretKey(value: string | Uint8Array | null) {
    this.config.SECRET_KEY = value;
  }

  /**
   * Registers a view for a path (`@app.route`). As in Flask and Werkzeug, a route that takes GET also takes HEAD
   * (the view runs; the server sends no body), and one that does not list OPTIONS gets Flask's automatic OPTIONS
   * answer: 200, empty, with the allowed methods in `Allow`.
   */
  route(path: string, view: View, options: { methods?: string[]; endpoint?: string } = {}): this {
    const methods = (options.methods ?? ['GET']).map((m) => m.toUpperCase());
    const automaticOptions = !methods.includes('OPTIONS');
    const allowed = new Set(methods);
    if (allowed.has('GET')) allowed.add('HEAD');
    allowed.add('OPTIONS');
    this.routes.set(path, { view, methods, allowed: [...allowed].sort(), automaticOptions, endpoint: options.endpoint ?? (view.name || path) });
    return this;
  }

  /** `@app.before_request`: runs before the view; a non-undefined return value becomes the response. */
  beforeRequest(fn: BeforeRequest): this {
    this.beforeRequestFuncs.push(fn);
    return this;
  }

  /** `@app.after_request`: runs after the view, most recently registered first, before the session is saved. */
  afterRequest(fn: AfterRequest): this {
    this.afterRequestFuncs.push(fn);
    return this;
  }

  /** A client that keeps cookies between requests, like a browser or Flask's test client. */
  testClient(): TestClient {
    return new TestClient(this);
  }

  /** Turns a view's return value into a response. Mirrors `Flask.make_response` for the cases sessions need. */
  makeResponse(rv: ViewResult): Response {
    if (rv instanceof Response) return rv;
    if (Array.isArray(rv)) return new Response(rv[0], rv[1]);
    return new Response(rv);
  }

  /** Runs one request through the whole lifecycle and returns the response with its trace. */
  async handle(init: RequestInit | Request, listener?: (e: TraceEvent) => void): Promise<Exchange> {
    const tracer = new Tracer(() => this.now());
    if (listener) tracer.listen(listener);
    const request = init instanceof Request ? init : new Request(init, tracer);
    request.trace = tracer;
    tracer.emit({ type: 'request-received', stage: 'request', method: request.method, url: request.url, headers: request.headers });

    // RequestContext.push(): the session is opened before URL matching.
    const si = this.sessionInterface;
    tracer.emit({ type: 'context-pushed', stage: 'context', interface: si.interfaceName });
    let session: SessionMixin | null;
    try {
      session = await si.openSession(this, request);
    } catch (err) {
      // Flask's error handler then tries save_session(None) and fails: a 500 without a cookie.
      const response = this.errorResponse(500, 'Internal Server Error');
      tracer.emit({ type: 'error', stage: 'open', error: describe(err), why: reason('app.open-raised') });
      return this.finish(request, response, tracer);
    }
    if (session === null) {
      session = si.makeNullSession(this);
      tracer.emit({ type: 'session-opened', stage: 'open', kind: 'null', why: reason('app.null-session'), data: new Map() });
    }
    const proxy = new SessionProxy(session, tracer);
    const afterThis: ((r: Response) => Response | void)[] = [];
    const ctx: ViewContext = { app: this, request, session: proxy, g: {}, afterThisRequest: (fn) => void afterThis.push(fn) };

    let response: Response;
    const route = this.routes.get(request.path);
    const endpoint = route?.endpoint ?? request.path;
    try {
      let rv: ViewResult | undefined;
      let noView: 'no-route' | 'method-not-allowed' | 'automatic-options' | 'before-request' | undefined;
      for (const fn of this.beforeRequestFuncs) {
        const r = await fn(ctx);
        if (r !== undefined && r !== null) {
          rv = r;
          noView = 'before-request';
          break;
        }
      }
      if (rv === undefined) {
        if (!route) {
          rv = this.errorResponse(404, 'Not Found');
          noView = 'no-route';
        } else if (request.method === 'OPTIONS' && route.automaticOptions) {
          // Flask's make_default_options_response: an empty 200 whose Allow header lists the route's methods.
          rv = new Response('', 200, [
            ['Content-Type', 'text/html; charset=utf-8'],
            ['Allow', route.allowed.join(', ')],
          ]);
          noView = 'automatic-options';
        } else if (!route.allowed.includes(request.method)) {
          // Werkzeug's MethodNotAllowed carries the valid methods in Allow.
          rv = this.errorResponse(405, 'Method Not Allowed');
          rv.headers.push(['Allow', route.allowed.join(', ')]);
          noView = 'method-not-allowed';
        } else {
          rv = await route.view(ctx);
        }
      }
      response = this.makeResponse(rv);
      tracer.emit({ type: 'view-returned', stage: 'view', endpoint, status: response.status, ...(noView ? { noView } : {}) });
    } catch (err) {
      // With PROPAGATE_EXCEPTIONS off, an unhandled error becomes a 500 and the session is still saved.
      tracer.emit({ type: 'view-error', stage: 'view', endpoint, error: describe(err) });
      response = this.errorResponse(500, 'Internal Server Error');
    }

    response.trace = tracer;
    response.maxCookieSize = this.config.MAX_COOKIE_SIZE;
    response.now = () => this.now();
    try {
      response = await this.processResponse(response, ctx, afterThis);
    } catch (err) {
      tracer.emit({ type: 'error', stage: 'after', error: describe(err), why: reason('app.after-request-raised') });
      return this.finish(request, this.errorResponse(500, 'Internal Server Error'), tracer);
    }
    if (si.isNullSession(session)) {
      tracer.emit({ type: 'save-decision', stage: 'save', action: 'skip', why: reason('app.skip-null-session') });
    } else {
      try {
        await si.saveSession(this, session, response);
      } catch (err) {
        tracer.emit({ type: 'error', stage: 'save', error: describe(err), why: reason('app.save-raised') });
        // Flask's handle_exception finalizes the 500 response too: after_request functions and save_session run
        // again on it. When that raises as well, Flask logs it and sends the 500 as it stands, with whatever
        // save_session had added before raising (Vary: Cookie, say).
        let failed = this.errorResponse(500, 'Internal Server Error');
        failed.trace = tracer;
        failed.maxCookieSize = this.config.MAX_COOKIE_SIZE;
        failed.now = () => this.now();
        try {
          failed = await this.processResponse(failed, ctx, []);
          await si.saveSession(this, session, failed);
        } catch (again) {
          tracer.emit({ type: 'error', stage: 'save', error: describe(again), why: reason('app.save-raised-again') });
        }
        return this.finish(request, failed, tracer);
      }
    }
    return this.finish(request, response, tracer);
  }

  private async processResponse(response: Response, ctx: ViewContext, afterThis: ((r: Response) => Response | void)[]): Promise<Response> {
    for (const fn of afterThis) response = fn(response) ?? response;
    for (const fn of [...this.afterRequestFuncs].reverse()) {
      ctx.request.trace.emit({ type: 'after-request', stage: 'after', name: fn.name || 'after_request' });
      response = (await fn(response, ctx)) ?? response;
      response.trace = ctx.request.trace;
    }
    return response;
  }

  private errorResponse(status: 404 | 405 | 500, title: string): Response {
    return new Response(`<!doctype html>\n<html lang=en>\n<title>${status} ${title}</title>\n<h1>${title}</h1>\n<p>${ERROR_DESCRIPTIONS[status]}</p>\n`, status);
  }

  private finish(request: Request, response: Response, tracer: Tracer): Exchange {
    response.trace = tracer;
    tracer.emit({ type: 'response-sent', stage: 'response', status: response.status, headers: response.headers });
    return { request, response, trace: tracer.events };
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/** A cookie jar client: sends stored cookies, applies every Set-Cookie it receives (Expires and Max-Age included). */
export class TestClient {
  readonly app: Flask;
  /** name → { value, expires (Unix seconds or null for a browser-session cookie) } */
  readonly jar = new Map<string, { value: string; expires: number | null; attributes: string }>();

  constructor(app: Flask) {
    this.app = app;
  }

  /** The `Cookie` header the client would send now, or null when the jar is empty. */
  cookieHeader(): string | null {
    const now = this.app.now();
    const parts: string[] = [];
    for (const [name, c] of this.jar) {
      if (c.expires !== null && c.expires <= now) this.jar.delete(name);
      else parts.push(`${name}=${c.value}`);
    }
    return parts.length ? parts.join('; ') : null;
  }

  /** Sends a request with the jar's cookies and stores the response's cookies. */
  async request(method: string, url: string, headers: [string, string][] = []): Promise<Exchange> {
    const cookie = this.cookieHeader();
    const all: [string, string][] = cookie ? [['Cookie', cookie], ...headers] : headers;
    const exchange = await this.app.handle({ method, url, headers: all });
    for (const header of exchange.response.getSetCookie()) this.store(header);
    return exchange;
  }

  /** A GET request. */
  get(url: string, headers: [string, string][] = []): Promise<Exchange> {
    return this.request('GET', url, headers);
  }

  /** A POST request. */
  post(url: string, headers: [string, string][] = []): Promise<Exchange> {
    return this.request('POST', url, headers);
  }

  /** Applies one Set-Cookie header to the jar as a browser would (simplified: one host, every path). */
  store(header: string): void {
    const [pair, ...attrs] = header.split(/;\s*/);
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    let expires: number | null = null;
    for (const a of attrs) {
      const [k, v = ''] = a.split('=');
      if (k.toLowerCase() === 'expires') expires = Date.parse(v) / 1000;
    }
    const maxAge = attrs.find((a) => a.toLowerCase().startsWith('max-age='));
    if (maxAge) expires = this.app.now() + Number(maxAge.split('=')[1]);
    if (expires !== null && expires <= this.app.now()) this.jar.delete(name);
    else this.jar.set(name, { value, expires, attributes: attrs.join('; ') });
  }

  /** The value the jar holds for a cookie, parsed as the server would read it. */
  cookie(name: string): string | null {
    const c = this.jar.get(name);
    return c ? (parseCookie(`${name}=${c.value}`).get(name) ?? null) : null;
  }
}
