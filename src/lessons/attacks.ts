// Build-time demos for the lesson "Attacking and defending cookie sessions": tampering, cracking a
// weak key, replay after logout, the size limit, key rotation and expiry, all run on the engine.
import { Flask } from '../engine/flask/app.ts';
import { sessionJsonSerializer } from '../engine/flask/json/tag.ts';
import { SecureCookieSessionInterface } from '../engine/flask/sessions.ts';
import { base64Encode, wantBytes } from '../engine/itsdangerous/encoding.ts';
import { BadSignature } from '../engine/itsdangerous/exc.ts';
import { hmac } from '../engine/itsdangerous/signer.ts';
import { URLSafeTimedSerializer } from '../engine/itsdangerous/url_safe.ts';
import type { PyDict } from '../engine/python/values.ts';
import { Clock, DEMO_TIME, cookieValue, send, type ExchangeView } from './exchange.ts';

const WEAK_KEY = 'sunshine';

/** A tiny app whose /admin page trusts `session["admin"]`. */
function adminApp(secretKey: string, clock = new Clock()): Flask {
  const app = new Flask({ config: { SECRET_KEY: secretKey, PERMANENT_SESSION_LIFETIME: 2 * 3600 }, now: clock.now });
  app.route('/login/alice', ({ session }) => {
    session.set('user', 'alice');
    session.set('admin', false);
    return 'hello alice';
  });
  app.route('/whoami', ({ session }) => String(session.get('user', 'nobody')));
  app.route('/admin', ({ session }) => (session.get('admin') === true ? 'welcome, admin' : 'forbidden'));
  app.route('/logout', ({ session }) => {
    session.clear();
    return 'bye';
  });
  return app;
}

/** Flask's signing serializer for a key, exactly as SecureCookieSessionInterface builds it. */
function flaskSerializer(secretKey: string | string[], now = () => DEMO_TIME): URLSafeTimedSerializer {
  const iface = new SecureCookieSessionInterface();
  const keys = Array.isArray(secretKey) ? secretKey : [secretKey];
  return new URLSafeTimedSerializer(keys, {
    salt: iface.salt,
    serializer: iface.serializer,
    signerKwargs: { keyDerivation: iface.keyDerivation, digestMethod: iface.digestMethod, now },
  });
}

const sessionHeader = (token: string): [string, string][] => [['Cookie', `session=${token}`]];

/** The attacker edits the payload to `"admin":true` and keeps the old signature. */
export async function tamper(): Promise<{ original: string; originalJson: string; forgedJson: string; forged: string; exchange: ExchangeView }> {
  const app = adminApp('a-long-random-secret-nobody-can-guess');
  const login = await send(app.testClient(), '/login/alice');
  const original = cookieValue(login)!;
  const [, stamp, sig] = original.split('.');
  const originalJson = sessionJsonSerializer.dumps(new Map<string, boolean | string>([['admin', false], ['user', 'alice']]) as PyDict, { sortKeys: true });
  const forgedJson = originalJson.replace('"admin":false', '"admin":true');
  const forged = `${base64Encode(wantBytes(forgedJson))}.${stamp}.${sig}`;
  const exchange = await send(app.testClient(), '/admin', { headers: sessionHeader(forged) });
  return { original, originalJson, forgedJson, forged, exchange };
}

/** The wordlist the lesson's attacker tries. */
export const WORDLIST = ['123456', 'password', 'flask', 'dev', 'secret', 'changeme', WEAK_KEY, 'qwerty'];

/**
 * Offline key search: tries each candidate as SECRET_KEY until the cookie verifies.
 * Mirrors `crack` in examples/python/crack_secret.py.
 */
export function crack(cookie: string, candidates: string[]): { key: string | null; tried: number } {
  let tried = 0;
  for (const candidate of candidates) {
    tried++;
    try {
      flaskSerializer(candidate).loads(cookie);
      return { key: candidate, tried };
    } catch (e) {
      if (!(e instanceof BadSignature)) throw e;
    }
  }
  return { key: null, tried };
}

/** Weak key → the cookie is cracked from the wordlist → a forged admin session is accepted. */
export async function weakSecret(): Promise<{ cookie: string; found: string | null; tried: number; forged: string; honest: ExchangeView; attack: ExchangeView }> {
  const app = adminApp(WEAK_KEY);
  const cookie = cookieValue(await send(app.testClient(), '/login/alice'))!;
  const { key, tried } = crack(cookie, WORDLIST);
  if (key === null) throw new Error('the demo key should be in the wordlist');
  const forged = flaskSerializer(key).dumps(new Map<string, string | boolean>([['admin', true], ['user', 'alice']]));
  const honest = await send(app.testClient(), '/admin', { headers: sessionHeader(cookie) });
  const attack = await send(app.testClient(), '/admin', { headers: sessionHeader(forged) });
  return { cookie, found: key, tried, forged, honest, attack };
}

/** How many HMAC-SHA1 computations per second this machine does: the attacker's speed, measured at build time. */
export function hmacRate(iterations = 20000): number {
  const msg = wantBytes('eyJ1c2VyIjoiYWxpY2UifQ.ZVPxAA');
  const t0 = performance.now();
  for (let i = 0; i < iterations; i++) hmac('sha1', hmac('sha1', wantBytes(`k${i}`), wantBytes('cookie-session')), msg);
  const seconds = (performance.now() - t0) / 1000;
  return Math.round(iterations / seconds);
}

/** Log in, copy the cookie, log out; the copy still works. */
export async function replay(): Promise<{ login: ExchangeView; logout: ExchangeView; replayed: ExchangeView }> {
  const app = adminApp('a-long-random-secret-nobody-can-guess');
  const browser = app.testClient();
  const login = await send(browser, '/login/alice');
  const copied = cookieValue(login)!;
  const logout = await send(browser, '/logout');
  const replayed = await send(app.testClient(), '/whoami', { headers: sessionHeader(copied) });
  return { login, logout, replayed };
}

/** Deterministic, poorly compressible article ids (hex of an HMAC), so the build output is stable. */
function articleId(i: number): string {
  const h = hmac('sha1', wantBytes('ids'), wantBytes(String(i)));
  return Array.from(h.subarray(0, 8), (x) => x.toString(16).padStart(2, '0')).join('');
}

/**
 * What browsers accept (RFC 6265bis, section 5.6, which Chromium follows): the cookie's name plus its value at most
 * 4096 bytes (the "=" and the attributes are not counted), and each attribute value at most 1024 bytes (a longer
 * one is ignored, the cookie kept). tests/e2e/cookie-limits.spec.ts measures both in the real Chromium.
 */
export const BROWSER_LIMITS = { nameValue: 4096, attributeValue: 1024 } as const;

/** One Set-Cookie header of the growing history, measured two ways. */
export interface SizedHeader {
  articles: number;
  /** The whole header value, as Werkzeug measures it for MAX_COOKIE_SIZE. */
  header: string;
  headerBytes: number;
  /** Name plus value, as browsers measure it. */
  nameValueBytes: number;
}

function sized(articles: number, header: string): SizedHeader {
  const pair = header.split(';', 1)[0]!;
  const eq = pair.indexOf('=');
  const bytes = (t: string) => new TextEncoder().encode(t).length;
  return { articles, header, headerBytes: bytes(header), nameValueBytes: bytes(pair.slice(0, eq)) + bytes(pair.slice(eq + 1)) };
}

/**
 * examples/python/too_big.py: the first response whose cookie passes MAX_COOKIE_SIZE (Werkzeug warns, counting
 * the whole header), the first whose name + value passes the browsers' 4096 bytes (the browser drops it), and the
 * bounded version after as many articles.
 */
export async function tooBig(): Promise<{
  articles: number;
  headerBytes: number;
  warning: string;
  stillSent: boolean;
  boundedBytes: number;
  limit: number;
  warned: SizedHeader;
  dropped: SizedHeader;
  lastKept: SizedHeader;
}> {
  const app = new Flask({ config: { SECRET_KEY: 'change-me-to-a-long-random-value' }, now: () => DEMO_TIME });
  app.route('/read-unbounded', ({ session, request }) => {
    const history = [...(session.get('history', []) as string[]), request.args.get('id') ?? ''];
    session.set('history', history);
    return `${history.length} articles read`;
  });
  app.route('/read', ({ session, request }) => {
    const history = [...(session.get('history', []) as string[]), request.args.get('id') ?? ''].slice(-10);
    session.set('history', history);
    return `${history.length} recent articles`;
  });
  const unbounded = app.testClient();
  let warned: SizedHeader | null = null;
  let warning = '';
  let previous: SizedHeader | null = null;
  for (let i = 1; i <= 1000; i++) {
    const x = await send(unbounded, `/read-unbounded?id=${articleId(i)}`);
    const now = sized(i, x.responseHeaders.find(([k]) => k === 'Set-Cookie')![1]);
    if (!warned && x.warnings.length) {
      warned = now;
      warning = x.warnings[0]!;
    }
    if (now.nameValueBytes > BROWSER_LIMITS.nameValue) {
      if (!warned || !previous) throw new Error('the browser limit came before the warning');
      const bounded = app.testClient();
      let last = '';
      for (let j = 1; j <= warned.articles; j++) last = (await send(bounded, `/read?id=${articleId(j)}`)).responseHeaders.find(([k]) => k === 'Set-Cookie')![1];
      return {
        articles: warned.articles,
        headerBytes: warned.headerBytes,
        warning,
        stillSent: true,
        boundedBytes: last.length,
        limit: app.config.MAX_COOKIE_SIZE,
        warned,
        dropped: now,
        lastKept: previous,
      };
    }
    previous = now;
  }
  throw new Error('the cookie never grew past the browser limit');
}

/** Whether a session cookie verifies under exactly these keys (no fallbacks beyond the list). */
function verifiesWith(key: string, token: string): boolean {
  try {
    flaskSerializer(key).loads(token);
    return true;
  } catch (e) {
    if (e instanceof BadSignature) return false;
    throw e;
  }
}

/**
 * examples/python/key_rotation.py on the engine: a cookie signed with the old key is accepted under
 * SECRET_KEY_FALLBACKS; a view that only reads sends no cookie (the browser keeps the old one), a view that writes
 * re-signs with SECRET_KEY; once the old key leaves the list, its cookies are refused.
 */
export async function rotation(): Promise<{
  oldCookie: string;
  read: ExchangeView;
  write: ExchangeView;
  newCookie: string;
  newVerifiesWith: Record<'key-2025-a' | 'key-2025-b', boolean>;
  retired: ExchangeView;
}> {
  const old = new Flask({ config: { SECRET_KEY: 'key-2025-a' }, now: () => DEMO_TIME });
  old.route('/login/alice', ({ session }) => {
    session.set('user', 'alice');
    return 'hello alice';
  });
  const oldCookie = cookieValue(await send(old.testClient(), '/login/alice'))!;
  const rotatedApp = (config: Record<string, unknown>) => {
    const app = new Flask({ config, now: () => DEMO_TIME });
    app.route('/whoami', ({ session }) => String(session.get('user', 'nobody')));
    app.route('/visit', ({ session }) => {
      const visits = Number(session.get('visits', 0)) + 1;
      session.set('visits', visits);
      return `${String(session.get('user', 'nobody'))}, visit ${visits}`;
    });
    return app;
  };
  const rotated = rotatedApp({ SECRET_KEY: 'key-2025-b', SECRET_KEY_FALLBACKS: ['key-2025-a'] });
  const read = await send(rotated.testClient(), '/whoami', { headers: sessionHeader(oldCookie) });
  const write = await send(rotated.testClient(), '/visit', { headers: sessionHeader(oldCookie) });
  const newCookie = cookieValue(write)!;
  const newVerifiesWith = { 'key-2025-a': verifiesWith('key-2025-a', newCookie), 'key-2025-b': verifiesWith('key-2025-b', newCookie) };
  const next = rotatedApp({ SECRET_KEY: 'key-2025-c', SECRET_KEY_FALLBACKS: ['key-2025-b'] });
  const retired = await send(next.testClient(), '/whoami', { headers: sessionHeader(oldCookie) });
  return { oldCookie, read, write, newCookie, newVerifiesWith, retired };
}

/** A browser-session (non-permanent) cookie read at the lifetime limit, one second past it, and from the future. */
export async function expiry(): Promise<{ lifetime: number; login: ExchangeView; atLimit: ExchangeView; pastLimit: ExchangeView; future: ExchangeView }> {
  const clock = new Clock(DEMO_TIME);
  const app = adminApp('a-long-random-secret-nobody-can-guess', clock);
  const login = await send(app.testClient(), '/login/alice');
  const token = cookieValue(login)!;
  const lifetime = app.config.PERMANENT_SESSION_LIFETIME;
  clock.t = DEMO_TIME + lifetime;
  const atLimit = await send(app.testClient(), '/whoami', { headers: sessionHeader(token) });
  clock.t = DEMO_TIME + lifetime + 1;
  const pastLimit = await send(app.testClient(), '/whoami', { headers: sessionHeader(token) });
  clock.t = DEMO_TIME - 5;
  const future = await send(app.testClient(), '/whoami', { headers: sessionHeader(token) });
  return { lifetime, login, atLimit, pastLimit, future };
}
