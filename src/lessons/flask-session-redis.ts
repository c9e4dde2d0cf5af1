// Build-time demos for lesson 6, "Server-side sessions with Flask-Session and Redis": the engine's
// Flask-Session 0.8 and 0.3.2 Redis interfaces run over a MemoryStore on a fixed clock, and each request's
// Redis commands are read from its trace.
import { Flask } from '../engine/flask/app.ts';
import type { FlaskConfig } from '../engine/flask/sessions.ts';
import { Session, NullSessionInterface } from '../engine/flask_session/index.ts';
import { tokenUrlsafe } from '../engine/flask_session/base.ts';
import { dumps as pickleDumps } from '../engine/flask_session/pickle.ts';
import { LegacyRedisSessionInterface, RedisSessionInterface, type FlaskSessionVersion } from '../engine/flask_session/redis.ts';
import { MsgSpecSerializer } from '../engine/flask_session/serializers.ts';
import { pyRepr } from '../engine/python/repr.ts';
import type { PyDict, PyKey, PyValue } from '../engine/python/values.ts';
import { Clock, cookieValue, send, sendAll, type ExchangeView } from './exchange.ts';
import { commandLines, hex, listStore, memoryStore, seededBytes } from './demo-common.ts';

/** The views of examples/python/part2/flask_session_redis.py. */
function addViews(app: Flask): Flask {
  app.route('/login', ({ session }) => {
    session.set('user', 'guhanzhe');
    return 'logged in';
  });
  app.route('/index', ({ session }) => `hello ${String(session.get('user', 'stranger'))}`);
  app.route('/logout', ({ session }) => {
    session.clear();
    return 'logged out';
  });
  return app;
}

/** The configuration of flask_session_redis.py (lifetime one hour, prefix myapp:, browser-session cookie). */
const EXAMPLE_CONFIG = {
  SECRET_KEY: 'change-me',
  SESSION_TYPE: 'redis',
  SESSION_KEY_PREFIX: 'myapp:',
  SESSION_PERMANENT: false,
  PERMANENT_SESSION_LIFETIME: 3600,
  SESSION_COOKIE_NAME: 'hello_session',
  SESSION_COOKIE_HTTPONLY: true,
  SESSION_COOKIE_SAMESITE: 'Lax',
  SESSION_COOKIE_SECURE: false,
} as const;

/** An app set up by `Session(app)` from `config`, on a MemoryStore; returns the app and the store. */
export function sessionApp(version: FlaskSessionVersion, config: Record<string, unknown>, seed = 11, clock = new Clock()) {
  const store = memoryStore(clock.now);
  const app = addViews(new Flask({ config: config as Partial<FlaskConfig>, now: clock.now }));
  new Session(app, { flaskSession: version, client: store, randomBytes: seededBytes(seed) });
  return { app, store, clock };
}

/** One request and the Redis commands it sent. */
export interface CommandRow {
  exchange: ExchangeView;
  commands: string[];
}

async function rows(app: Flask, urls: string[]): Promise<CommandRow[]> {
  const xs = await sendAll(app.testClient(), urls);
  return xs.map((exchange) => ({ exchange, commands: commandLines(exchange) }));
}

/** flask_session_redis.py on 0.8 and 0.3.2: an anonymous visit, login, a read, logout; and the key it stored. */
export async function configuredExample(version: FlaskSessionVersion) {
  const { app, store } = sessionApp(version, { ...EXAMPLE_CONFIG });
  const c = app.testClient();
  const anon = await send(c, '/index');
  const login = await send(c, '/login');
  const [stored] = await listStore(store);
  const raw = stored ? await store.getBuffer(stored.key) : null;
  const index = await send(c, '/index');
  const logout = await send(c, '/logout');
  return {
    steps: [anon, login, index, logout].map((exchange) => ({ exchange, commands: commandLines(exchange) })),
    key: stored?.key ?? '',
    ttl: stored?.ttl ?? -2,
    valueHex: raw ? hex(raw) : '',
    after: store.keys(),
  };
}

/** The request sequence of the side-by-side table (default settings: permanent sessions, 31 days). */
export const COMPARE_URLS = ['/index', '/login', '/index', '/logout'];

/** The same four requests on 0.3.2 and 0.8 with Flask-Session's defaults. */
export async function compareVersions(): Promise<{ v03: CommandRow[]; v08: CommandRow[]; v03Keys: number; v08Keys: number }> {
  const config = { SECRET_KEY: 'change-me', SESSION_TYPE: 'redis' };
  const a = sessionApp('0.3', { ...config }, 12);
  const b = sessionApp('0.8', { ...config }, 12);
  const v03 = await rows(a.app, COMPARE_URLS);
  const v08 = await rows(b.app, COMPARE_URLS);
  // Three visitors who only look at /index: 0.3.2 stores a key for each, 0.8 stores nothing.
  for (let i = 0; i < 3; i++) {
    await send(a.app.testClient(), '/index');
    await send(b.app.testClient(), '/index');
  }
  return { v03, v08, v03Keys: a.store.keys().length, v08Keys: b.store.keys().length };
}

/** Session ids: 0.8's `token_urlsafe(32)` and 0.3.2's `uuid4`, and token lengths for other byte counts. */
export function sessionIds(): { v08: string; v03: string; lengths: { bytes: number; chars: number }[] } {
  const r = seededBytes(13);
  const v08 = new RedisSessionInterface({ client: memoryStore(() => 0), randomBytes: r }).generateSid();
  const v03 = new LegacyRedisSessionInterface({ client: memoryStore(() => 0), randomBytes: r }).generateSid();
  const lengths = [16, 24, 32, 48, 64].map((bytes) => ({ bytes, chars: tokenUrlsafe(bytes, r).length }));
  return { v08, v03, lengths };
}

/** The same session stored both ways: msgpack (0.8) and pickle protocol 4 (0.3.2), hex and decoded. */
export function storedBytes(): { data: string; msgpack: string; msgpackLength: number; pickle: string; pickleLength: number } {
  const data: PyDict = new Map<PyKey, PyValue>([
    ['_permanent', true],
    ['name', 'x'],
    ['a', 1],
  ]);
  const m = new MsgSpecSerializer('msgpack').encode(data);
  const p = pickleDumps(data);
  return { data: pyRepr(data), msgpack: hex(m), msgpackLength: m.length, pickle: hex(p), pickleLength: p.length };
}

/** SESSION_PERMANENT = False on 0.8: no Expires on the cookie, but Redis still gets the lifetime as TTL. */
export async function nonPermanent(): Promise<CommandRow[]> {
  const { app } = sessionApp('0.8', { SECRET_KEY: 'change-me', SESSION_TYPE: 'redis', SESSION_PERMANENT: false }, 14);
  return rows(app, ['/login', '/index']);
}

/** SESSION_USE_SIGNER = True: the cookie carries `sid.signature`; 0.8 warns that the option is deprecated. */
export async function signedId(): Promise<{ login: ExchangeView; cookie: string; warnings: string[] }> {
  const { app } = sessionApp('0.8', { SECRET_KEY: 'change-me', SESSION_TYPE: 'redis', SESSION_USE_SIGNER: true }, 15);
  const login = await send(app.testClient(), '/login');
  return { login, cookie: cookieValue(login) ?? '', warnings: [...(app.sessionInterface as RedisSessionInterface).warnings] };
}

/** SESSION_TYPE left out: 0.8 refuses to start; 0.3.2 installs a NullSession whose writes blame the secret key. */
export async function sessionTypeMissing(): Promise<{ v08: string; v03: ExchangeView; v03Error: string; v03Interface: string }> {
  let v08 = '';
  try {
    sessionApp('0.8', { SECRET_KEY: 'change-me' });
  } catch (e) {
    v08 = `${(e as Error).name}: ${(e as Error).message}`;
  }
  const { app } = sessionApp('0.3', { SECRET_KEY: 'change-me' });
  const v03 = await send(app.testClient(), '/login');
  const failed = v03.trace.find((e) => e.type === 'view-error');
  return { v08, v03, v03Error: failed && failed.type === 'view-error' ? failed.error : '', v03Interface: app.sessionInterface instanceof NullSessionInterface ? 'NullSessionInterface' : app.sessionInterface.constructor.name };
}

/** A cookie with an id the server never issued: 0.8 replaces it, 0.3.2 adopts it. */
export async function unknownId(): Promise<{ v08: CommandRow; v03: CommandRow; v03Keys: string[]; v08Keys: string[] }> {
  const out = [] as CommandRow[];
  const keys: string[][] = [];
  for (const version of ['0.8', '0.3'] as const) {
    const { app, store } = sessionApp(version, { SECRET_KEY: 'change-me', SESSION_TYPE: 'redis' }, 16);
    const x = await send(app.testClient(), '/login', { headers: [['Cookie', 'session=chosen-by-attacker']] });
    out.push({ exchange: x, commands: commandLines(x) });
    keys.push(store.keys());
  }
  return { v08: out[0]!, v03: out[1]!, v08Keys: keys[0]!, v03Keys: keys[1]! };
}
