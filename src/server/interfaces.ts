// The demo app on a chosen session interface, ready to serve: Flask's signed cookie, the blog posts'
// MySessionInterface (flaws included), its fixed twin, or Flask-Session on Redis (0.8 or 0.3.2 behaviour),
// with the store guarded so an absent Redis gives 503s and an unreadable value a fresh session.
import { SecureCookieSessionInterface, sortedSessionSerializer, type FlaskConfig } from '../engine/flask/sessions.ts';
import { basename } from 'node:path';
import { Response } from '../engine/flask/wrappers.ts';
import {
  createRedisSessionInterface,
  cacheFileExpiry,
  cacheFileName,
  COUNT_KEY,
  FileSystemSessionInterface,
  FixedSessionInterface,
  MySessionInterface,
  SqlAlchemySessionInterface,
  type FlaskSessionVersion,
} from '../engine/flask_session/index.ts';
import { addDemoRoutes } from './demo-apps.ts';
import { openDirectory } from './file-store.ts';
import { BoundedContainer, CUSTOM_DEMO_LIMITS } from './bounded-container.ts';
import { checkPayloadValues, DEFAULT_MAX_INFLATED_BYTES, DEFAULT_MAX_PAYLOAD_VALUES } from './limits.ts';
import { connectCluster, connectMock, connectRedis, type ConnectOptions, type GuardedRedisClient } from './redis-client.ts';
import { openSqlite } from './sql-store.ts';
import { GuardedFlask } from './store-guard.ts';

/** The session interfaces the demo server offers. */
export const INTERFACES = ['cookie', 'custom', 'custom-fixed', 'redis', 'sqlalchemy', 'filesystem'] as const;
export type InterfaceName = (typeof INTERFACES)[number];

/** Options of {@link createServedApp}. */
export interface ServedAppOptions extends ConnectOptions {
  interface: InterfaceName;
  /** `SECRET_KEY`. */
  secret: string;
  /** A `redis://` URL for real Redis (interfaces `redis` and `custom-fixed`). */
  redisUrl?: string;
  /** Seed nodes of a Redis Cluster (interfaces `redis` and `custom-fixed`). */
  clusterUrls?: string[];
  /** `SESSION_KEY_PREFIX` (default `session:`). */
  keyPrefix?: string;
  /** `SESSION_USE_SIGNER` (default false). */
  useSigner?: boolean;
  /** Flask-Session behaviour for `redis`: `'0.8'` (default) or `'0.3'`. */
  flaskSession?: FlaskSessionVersion;
  /** Where the app is mounted (e.g. `/live/redis`): used in redirects and as `SESSION_COOKIE_PATH`. */
  prefix?: string;
  /** `SESSION_COOKIE_NAME` (default `session`). */
  cookieName?: string;
  /** `PERMANENT_SESSION_LIFETIME` in seconds (default 31 days). */
  lifetime?: number;
  /**
   * Largest size a compressed session cookie may inflate to (interface `cookie`), default
   * {@link DEFAULT_MAX_INFLATED_BYTES}: past it the payload is unreadable, a 500 as in Flask for a bad payload.
   */
  maxInflatedBytes?: number;
  /**
   * Most values a session cookie's JSON may hold (interface `cookie`), counted before parsing, default
   * {@link DEFAULT_MAX_PAYLOAD_VALUES}: past it the payload is unreadable, a 500 as for a bad payload.
   */
  maxPayloadValues?: number;
  /** The SQLite file of interface `sqlalchemy` (created when missing). */
  sqlitePath?: string;
  /** The session directory of interface `filesystem` (created when missing). */
  dir?: string;
  /** Caps of the `custom` interface's in-process container (default {@link CUSTOM_DEMO_LIMITS}). */
  customLimits?: { maxSessions?: number; maxChars?: number };
}

/** A demo app with its store client (null for interfaces that keep no external store). */
export interface ServedApp {
  app: GuardedFlask;
  store: GuardedRedisClient | null;
  /** A line saying what serves the sessions, e.g. `Flask-Session 0.8 on Redis at 127.0.0.1:6379`. */
  description: string;
  /** What this server does that the interface it shows does not (a cap, say), or null. */
  note: string | null;
  /** Closes the store connection. */
  close(): Promise<void>;
}

/**
 * Builds the demo app (playground and the blog posts' login app) on the chosen interface. With `redis` and no
 * URL it uses an in-process ioredis-mock. @throws {Error} for a bad Redis URL.
 */
export async function createServedApp(options: ServedAppOptions): Promise<ServedApp> {
  const connect: ConnectOptions = { ...(options.maxValueBytes !== undefined ? { maxValueBytes: options.maxValueBytes } : {}), ...(options.onState ? { onState: options.onState } : {}) };
  const wantsStore = options.interface === 'redis' || options.interface === 'custom-fixed';
  let store: GuardedRedisClient | null = null;
  if (wantsStore) {
    if (options.clusterUrls?.length) store = connectCluster(options.clusterUrls, connect);
    else if (options.redisUrl) store = connectRedis(options.redisUrl, connect);
    else if (options.interface === 'redis') store = await connectMock(connect);
  }
  const config: Partial<FlaskConfig> = {
    SECRET_KEY: options.secret,
    SESSION_COOKIE_NAME: options.cookieName ?? 'session',
    SESSION_COOKIE_PATH: options.prefix ? options.prefix : null,
    ...(options.lifetime !== undefined ? { PERMANENT_SESSION_LIFETIME: options.lifetime } : {}),
  };
  const keyPrefix = options.keyPrefix ?? 'session:';
  let description: string;
  let note: string | null = null;
  let sessionInterface;
  let closeExtra = (): void => {};
  // What /store lists for the SQL and file stores: the rows or the files, as a person would look at them.
  let listStore: (() => Promise<string>) | null = null;
  // The file and SQL stores read the app's clock (set below), as the Python stores read the system's.
  let appRef: GuardedFlask | null = null;
  const now = () => (appRef ? appRef.now() : Date.now() / 1000);
  switch (options.interface) {
    case 'cookie':
      sessionInterface = new SecureCookieSessionInterface();
      sessionInterface.maxDecompressedSize = options.maxInflatedBytes ?? DEFAULT_MAX_INFLATED_BYTES;
      {
        const maxValues = options.maxPayloadValues ?? DEFAULT_MAX_PAYLOAD_VALUES;
        // Flask's serializer, after a count of the values that refuses a payload too large to parse quickly.
        sessionInterface.serializer = {
          dumps: sortedSessionSerializer.dumps,
          loads: (payload) => (checkPayloadValues(payload, maxValues), sortedSessionSerializer.loads(payload)),
        };
      }
      description = "Flask's signed cookie (SecureCookieSessionInterface)";
      break;
    case 'custom': {
      const container = new BoundedContainer(options.customLimits);
      sessionInterface = new MySessionInterface({ container });
      description = "the blog posts' MySessionInterface, flaws included (sessions live in this process only)";
      note = `This demo caps the container's memory, which the posts' interface never does: at most ${container.maxSessions} sessions and ${container.maxChars} characters of ids and JSON, the oldest dropped first (a dropped session is a fresh one on the next request).`;
      break;
    }
    case 'custom-fixed':
      sessionInterface = new FixedSessionInterface({ keyPrefix, ...(store ? { store } : {}) });
      description = `FixedSessionInterface on ${store ? store.description : 'an in-process memory store'}`;
      break;
    case 'redis': {
      const version = options.flaskSession ?? '0.8';
      sessionInterface = createRedisSessionInterface({ client: store!, flaskSession: version, keyPrefix, useSigner: options.useSigner ?? false });
      // Real Flask-Session 0.8 refuses a cluster client (it wants a redis.Redis and falls back to localhost); this
      // server takes one anyway, and says so.
      const clusterNote = options.clusterUrls?.length ? (version === '0.8' ? " (a cluster client, which the real Flask-Session 0.8 does not accept: this server's extension)" : '') : '';
      description = `Flask-Session ${version === '0.3' ? '0.3.2' : '0.8'} on ${store!.description}${options.useSigner ? ', signed ids' : ''}${clusterNote}`;
      break;
    }
    case 'sqlalchemy': {
      if (!options.sqlitePath) throw new Error('the sqlalchemy interface needs a SQLite file (--sqlite FILE)');
      const db = openSqlite(options.sqlitePath);
      const sql = new SqlAlchemySessionInterface({ client: db, keyPrefix, useSigner: options.useSigner ?? false, now });
      await sql.ensureTable();
      sessionInterface = sql;
      closeExtra = () => db.close();
      listStore = async () => {
        const rows = db.all(`SELECT id, session_id, length(data) AS bytes, hex(data) AS data, expiry FROM ${sql.table} ORDER BY id`);
        return [`SELECT id, session_id, data, expiry FROM ${sql.table};  -- ${rows.length} row(s)`, ...rows.map((r) => `${r.id}  ${r.session_id}  X'${String(r.data).toLowerCase()}' (${r.bytes} bytes)  ${r.expiry}`)].join('\n');
      };
      description = `Flask-Session 0.8 on SQLite (${options.sqlitePath}, table ${sql.table})`;
      break;
    }
    case 'filesystem': {
      if (!options.dir) throw new Error('the filesystem interface needs a directory (--dir DIR)');
      const dir = await openDirectory(options.dir);
      sessionInterface = new FileSystemSessionInterface({ dir, keyPrefix, useSigner: options.useSigner ?? false, now });
      listStore = async () => {
        const names = (await dir.list()).sort();
        const lines = [`ls ${basename(options.dir!)}/  -- ${names.length} file(s): MD5 of the key, 4-byte expiry + pickle`];
        for (const n of names) {
          const bytes = await dir.read(n);
          lines.push(`${n}  ${bytes?.length ?? 0} bytes  expires ${bytes ? (cacheFileExpiry(bytes) ?? '?') : '?'}${n === cacheFileName(COUNT_KEY) ? '  (cachelib\'s file counter)' : ''}`);
        }
        return lines.join('\n');
      };
      description = `Flask-Session 0.8 on files in ${options.dir} (cachelib's format)`;
      break;
    }
  }
  const app = new GuardedFlask({ config, ...(sessionInterface ? { sessionInterface } : {}) });
  appRef = app;
  addDemoRoutes(app, options.prefix ?? '', options.interface, note);
  if (listStore) {
    const list = listStore;
    app.route('/store', async () => new Response(`${await list()}\n`, 200, [['Content-Type', 'text/plain; charset=utf-8']]));
  }
  return {
    app,
    store,
    description,
    note,
    close: async () => {
      await store?.close();
      closeExtra();
    },
  };
}
