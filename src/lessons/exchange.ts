// Build-time helpers shared by the lesson demos: run a request through the engine's Flask app and
// keep what a lesson shows (request line and headers, response status, headers, body, warnings, trace).
import type { TestClient } from '../engine/flask/app.ts';
import type { TraceEvent } from '../engine/flask/trace.ts';

/** One request and its response: the request line and headers, the response's status, headers and body. */
export interface HttpExchange {
  method: string;
  url: string;
  requestHeaders: [string, string][];
  status: number;
  responseHeaders: [string, string][];
  body: string;
}

/** One request and its response, as a lesson renders it. */
export interface ExchangeView extends HttpExchange {
  /** Size warnings Werkzeug would print while building a cookie. */
  warnings: string[];
  trace: TraceEvent[];
}

/** Sends one request with the client's cookie jar and captures everything the lesson needs. */
export async function send(client: TestClient, url: string, options: { method?: string; headers?: [string, string][] } = {}): Promise<ExchangeView> {
  const { request, response, trace } = await client.request(options.method ?? 'GET', url, options.headers ?? []);
  return {
    method: request.method,
    url: request.url,
    requestHeaders: request.headers,
    status: response.status,
    responseHeaders: response.headers,
    body: response.body,
    warnings: [...response.warnings],
    trace,
  };
}

/** Sends several requests in order with the same client. */
export async function sendAll(client: TestClient, urls: string[]): Promise<ExchangeView[]> {
  const out: ExchangeView[] = [];
  for (const url of urls) out.push(await send(client, url));
  return out;
}

/** The `Set-Cookie` header values of a response. */
export function setCookies(x: ExchangeView): string[] {
  return x.responseHeaders.filter(([k]) => k.toLowerCase() === 'set-cookie').map(([, v]) => v);
}

/** The first header of this name (case-insensitive), or null. */
export function header(headers: [string, string][], name: string): string | null {
  const lower = name.toLowerCase();
  return headers.find(([k]) => k.toLowerCase() === lower)?.[1] ?? null;
}

/** The value of the named cookie in a Set-Cookie header list, or null when it was not set. */
export function cookieValue(x: ExchangeView, name = 'session'): string | null {
  for (const h of setCookies(x)) {
    const pair = h.split(';', 1)[0];
    const eq = pair.indexOf('=');
    if (pair.slice(0, eq) === name) return pair.slice(eq + 1);
  }
  return null;
}

/** A fixed virtual clock that a demo can move forward. */
export class Clock {
  t: number;
  constructor(start = 1700000000) {
    this.t = start;
  }
  now = (): number => this.t;
}

/** The instant every demo starts at: 2023-11-14T22:13:20Z (Unix 1700000000), the time the tests' tokens from the real Flask were made at. */
export const DEMO_TIME = 1700000000;
