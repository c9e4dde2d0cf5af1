// The Redis view's lab: one or two Flask "workers" running the demo app on a server-side session interface
// (Flask-Session 0.8, 0.3.2, or the tutorials' MySessionInterface), one browser cookie jar, a virtual clock,
// and a store that can be listed key by key. No DOM: the island renders what `snapshot()` returns, and the
// same code runs at build time (over MemoryStore) to server-render the first state.
import { Flask } from '../../engine/flask/app.ts';
import type { TestClient } from '../../engine/flask/app.ts';
import { MySessionInterface, MemoryStore } from '../../engine/flask_session/custom.ts';
import { dumps as pickleDumps, loads as pickleLoads } from '../../engine/flask_session/pickle.ts';
import { LegacyRedisSessionInterface, RedisSessionInterface, type RedisLikeClient } from '../../engine/flask_session/redis.ts';
import { FileSystemSessionInterface, cacheFileExpiry } from '../../engine/flask_session/filesystem.ts';
import { SqlAlchemySessionInterface, parseSqliteDatetime, sqliteDatetime } from '../../engine/flask_session/sqlalchemy.ts';
import { MemoryDirectory, MemorySqlTable } from './memory-stores.ts';
import { MsgSpecSerializer } from '../../engine/flask_session/serializers.ts';
import { pyRepr } from '../../engine/python/repr.ts';
import type { PyDict } from '../../engine/python/values.ts';
import { addDemoRoutes } from '../../server/demo-apps.ts';
import { commandsOf, type CommandLine } from './commands.ts';
import { PAGE_EPOCH } from '../page-clock.ts';

/** Which session interface the workers run: on Redis (0.8, 0.3.2), the tutorials' dict, or lesson 9's SQL table and files. */
export type LabMode = '0.8' | '0.3' | 'custom' | 'sql' | 'files';
/** The modes a Redis view offers unless a page chooses: the three Redis-era ones. */
export const LAB_MODES: readonly LabMode[] = ['0.8', '0.3', 'custom'];
/** A store the lab can list and age: a Redis-like client plus the inspection the table needs. */
export interface LabStore {
  /** The Redis client the interface talks to (absent for the SQL and file modes, which build their own). */
  readonly client?: RedisLikeClient;
  /** Live keys, any order. */
  keys(): Promise<string[]>;
  /** `TTL key`: seconds left, -1 without expiry, -2 when missing. */
  ttl(key: string): Promise<number>;
  /** The stored bytes, or null. */
  get(key: string): Promise<Uint8Array | null>;
  /** Moves the store's time forward (keys whose TTL runs out disappear). */
  advance(seconds: number): Promise<void>;
  /** Writes a key with a TTL (restoring server-rendered state). */
  seed(key: string, value: Uint8Array, ttl: number): Promise<void>;
  /** For stores whose entries outlive their expiry (a SQL table, files): whether this one is past it but still stored. */
  expired?(key: string): Promise<boolean>;
}

/**
 * The SQL mode's table as a {@link LabStore}: a row's TTL is its expiry minus now, and it goes NEGATIVE once the
 * expiry has passed, because nothing deletes a row by itself (the store deletes it when it reads it).
 */
function sqlLabStore(table: MemorySqlTable, now: () => number): LabStore {
  const row = (k: string) => table.rows.find((r) => r.session_id === k);
  return {
    keys: async () => table.rows.map((r) => r.session_id),
    ttl: async (k) => {
      const r = row(k);
      return r ? Math.round(parseSqliteDatetime(r.expiry) - now()) : -2;
    },
    get: async (k) => row(k)?.data ?? null,
    expired: async (k) => {
      const r = row(k);
      return r !== undefined && parseSqliteDatetime(r.expiry) <= now();
    },
    advance: async () => {}, // rows do not expire by themselves
    seed: async (k, v, ttl) => void (await table.run('INSERT INTO sessions (session_id, data, expiry) VALUES (?, ?, ?)', [k, v, sqliteDatetime(now() + ttl)])),
  };
}

/** The file mode's directory as a {@link LabStore}: keys are file names (MD5 of the store key), TTL from each header. */
function fileLabStore(dir: MemoryDirectory, now: () => number): LabStore {
  return {
    keys: async () => [...dir.files.keys()],
    ttl: async (k) => {
      const bytes = dir.files.get(k);
      const expires = bytes ? cacheFileExpiry(bytes) : null;
      return expires === null ? -2 : expires === 0 ? -1 : Math.round(expires - now());
    },
    get: async (k) => dir.files.get(k) ?? null,
    expired: async (k) => {
      const bytes = dir.files.get(k);
      const expires = bytes ? cacheFileExpiry(bytes) : null;
      return expires !== null && expires !== 0 && expires < now();
    },
    advance: async () => {}, // an expired file stays until the directory is pruned
    seed: async (k, v, ttl) => {
      const copy = v.slice();
      if (copy.length >= 4 && ttl > 0) new DataView(copy.buffer).setUint32(0, Math.trunc(now()) + ttl, true);
      await dir.write(k, copy);
    },
  };
}

/** A {@link LabStore} over the engine's MemoryStore, on the lab's own clock (used at build time and in tests). */
export function memoryLabStore(now: () => number): LabStore {
  const store = new MemoryStore(now);
  return {
    client: store,
    keys: async () => store.keys(),
    ttl: (k) => store.ttl(k),
    get: (k) => store.getBuffer(k),
    advance: async () => {}, // the store reads the lab clock, which the lab moves itself
    seed: async (k, v, ttl) => void (await store.set(k, v, 'EX', ttl)),
  };
}

/** The ioredis(-mock) commands {@link ioredisLabStore} uses beyond {@link RedisLikeClient}. */
export interface IoredisLike extends RedisLikeClient {
  keys(pattern: string): Promise<string[]>;
  expire(key: string, seconds: number): Promise<number>;
}

/**
 * A {@link LabStore} over ioredis-mock (or ioredis). Its TTLs run on the real clock; moving the virtual clock
 * forward shortens every TTL by that much, and deletes keys whose time is up, as Redis would have.
 * @param toClientBytes the client's byte type (ioredis-mock: its Buffer).
 */
export function ioredisLabStore(client: IoredisLike, toClientBytes: (b: Uint8Array) => Uint8Array): LabStore {
  return {
    client,
    keys: () => client.keys('*'),
    ttl: (k) => client.ttl(k),
    get: async (k) => {
      const raw = await client.getBuffer(k);
      return raw ? new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength) : null;
    },
    advance: async (seconds) => {
      for (const key of await client.keys('*')) {
        const left = await client.ttl(key);
        if (left < 0) continue;
        if (left - seconds <= 0) await client.del(key);
        else await client.expire(key, left - seconds);
      }
    },
    seed: async (k, v, ttl) => void (await client.set(k, toClientBytes(v) as never, 'EX', ttl)),
  };
}

/** One request the learner sent, kept for the log. Plain data (it is serialized into the page). */
export interface LogEntry {
  n: number;
  /** 1-based worker that handled it. */
  worker: number;
  url: string;
  status: number;
  location: string | null;
  setCookie: string[];
  body: string;
  commands: CommandLine[];
  /** An error the trace recorded (e.g. a refused pickle), or null. */
  error: string | null;
}

/** One row of the store table. */
export interface StoreRow {
  key: string;
  /** Seconds left; null for the tutorial's dict, which never expires. */
  ttl: number | null;
  bytes: number;
  /** `msgpack`, `json`, `pickle`, `str` (the tutorial stores JSON text) or `error`. */
  format: string;
  /** The value as Python's repr. */
  repr: string;
  /** For the tutorial's per-process dicts: which worker's dict (1-based); null for a shared store. */
  worker: number | null;
  /** A SQL row or a file past its expiry that nothing has deleted yet. */
  expired?: boolean;
}

/** A cookie in the browser's jar; `expiresIn` is seconds from now, null for a browser-session cookie. */
export interface JarRow {
  name: string;
  value: string;
  expiresIn: number | null;
}

/** Everything the island shows. */
export interface LabSnapshot {
  mode: LabMode;
  workers: number;
  /** Seconds the virtual clock has been moved forward. */
  offset: number;
  rows: StoreRow[];
  jar: JarRow[];
  log: LogEntry[];
}

/** The state the page carries from the build to the browser: what {@link SessionLab.restore} needs. */
export interface LabState {
  mode: LabMode;
  workers: number;
  /** How many requests the round robin has handed out: the next goes to worker `turn % workers + 1`. */
  turn: number;
  entries: { key: string; hex: string; ttl: number | null; worker: number | null }[];
  jar: JarRow[];
  log: LogEntry[];
}

/** Options of {@link SessionLab.create}. */
export interface LabOptions {
  mode: LabMode;
  /** 1 (default) or 2 workers behind one load balancer. */
  workers?: number;
  /** The clock in Unix seconds (in a page: the page's virtual clock; the lab's own offset is added to it). */
  clock: () => number;
  /** Makes the store, given the lab's clock (virtual time included). */
  makeStore: (now: () => number) => LabStore | Promise<LabStore>;
  /** Byte source for session ids (tests pass a fixed one). */
  randomBytes?: (n: number) => Uint8Array;
}

/** The secret key of the lab's app (the demo server's default too). */
const LAB_SECRET = 'dev';
const KEY_PREFIX = 'session:';
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function toHex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

export function fromHex(h: string): Uint8Array {
  const out = new Uint8Array(h.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Python's repr of a stored value, decoded as the mode stores it. */
export function describeValue(mode: LabMode, raw: Uint8Array): { format: string; repr: string } {
  try {
    if (mode === '0.3') return { format: 'pickle', repr: pyRepr(pickleLoads(raw)) };
    // cachelib's file: a 4-byte expiry, then the pickle.
    if (mode === 'files') return { format: 'pickle', repr: pyRepr(pickleLoads(raw.subarray(4))) };
    const { data, format } = new MsgSpecSerializer('msgpack').decodeVerbose(raw);
    return { format, repr: pyRepr(data) };
  } catch (err) {
    return { format: 'error', repr: `${(err as Error).name}: ${(err as Error).message}` };
  }
}

/** The lab: workers, jar, store and log. Create it with {@link SessionLab.create}. */
export class SessionLab {
  readonly mode: LabMode;
  readonly apps: Flask[];
  readonly store: LabStore | null;
  /** The tutorial's per-process dicts (custom mode), one per worker. */
  readonly containers: Map<string, string>[];
  readonly log: LogEntry[] = [];
  offset = 0;
  private turn = 0;
  private readonly browser: TestClient;
  private readonly clock: () => number;

  private constructor(mode: LabMode, apps: Flask[], store: LabStore | null, containers: Map<string, string>[], clock: () => number) {
    this.mode = mode;
    this.apps = apps;
    this.store = store;
    this.containers = containers;
    this.clock = clock;
    this.browser = apps[0]!.testClient();
  }

  /** Builds the workers (the demo app: /set, /get, /dump, /clear, /login, /index, /logout) on a fresh store. */
  static async create(options: LabOptions): Promise<SessionLab> {
    const n = Math.max(1, Math.min(2, options.workers ?? 1));
    let lab: SessionLab | null = null;
    const now = () => options.clock() + (lab?.offset ?? 0);
    const table = options.mode === 'sql' ? new MemorySqlTable() : null;
    const dir = options.mode === 'files' ? new MemoryDirectory() : null;
    const store = options.mode === 'custom' ? null : table ? sqlLabStore(table, now) : dir ? fileLabStore(dir, now) : await options.makeStore(now);
    const containers: Map<string, string>[] = [];
    const apps: Flask[] = [];
    for (let i = 0; i < n; i++) {
      const random = options.randomBytes ? { randomBytes: options.randomBytes } : {};
      let si;
      if (table) {
        const sql = new SqlAlchemySessionInterface({ client: table, keyPrefix: KEY_PREFIX, now, ...random });
        await sql.ensureTable();
        si = sql;
      } else if (dir) {
        si = new FileSystemSessionInterface({ dir, keyPrefix: KEY_PREFIX, now, ...random });
      } else if (options.mode === 'custom') {
        const container = new Map<string, string>();
        containers.push(container);
        si = new MySessionInterface({ container, ...random });
      } else if (options.mode === '0.3') {
        si = new LegacyRedisSessionInterface({ client: store!.client!, keyPrefix: KEY_PREFIX, ...random });
      } else {
        si = new RedisSessionInterface({ client: store!.client!, keyPrefix: KEY_PREFIX, ...random });
      }
      apps.push(addDemoRoutes(new Flask({ config: { SECRET_KEY: LAB_SECRET }, now, sessionInterface: si }), '', options.mode));
    }
    lab = new SessionLab(options.mode, apps, store, containers, now);
    return lab;
  }

  /** The virtual time now (Unix seconds). */
  now(): number {
    return this.clock();
  }

  /**
   * Sends `GET url` from the browser to a worker (1-based), or to the next one in turn (`'alternate'`, the
   * default: a load balancer's round robin), stores its cookies and logs what the store was asked.
   */
  async send(url: string, worker: number | 'alternate' = 'alternate'): Promise<LogEntry> {
    const index = worker === 'alternate' ? this.turn++ % this.apps.length : Math.min(this.apps.length, Math.max(1, worker)) - 1;
    const app = this.apps[index]!;
    const cookie = this.browser.cookieHeader();
    const { response, trace } = await app.handle({ method: 'GET', url, headers: cookie ? [['Cookie', cookie]] : [] });
    const setCookie = response.getSetCookie();
    for (const h of setCookie) this.browser.store(h);
    const failure = trace.find((e) => e.type === 'error' || e.type === 'view-error');
    const entry: LogEntry = {
      n: this.log.length + 1,
      worker: index + 1,
      url,
      status: response.status,
      location: response.headers.find(([k]) => k.toLowerCase() === 'location')?.[1] ?? null,
      setCookie,
      body: response.body.length > 200 ? `${response.body.slice(0, 200)}…` : response.body,
      commands: commandsOf(trace),
      error: failure && (failure.type === 'error' || failure.type === 'view-error') ? failure.error : null,
    };
    this.log.push(entry);
    return entry;
  }

  /** Moves the virtual clock forward: TTLs shrink, keys and cookies whose time is up are gone. */
  async advance(seconds: number): Promise<void> {
    if (this.store) await this.store.advance(seconds);
    this.offset += seconds;
  }

  /** The store table, the jar and the log as they are now. */
  async snapshot(): Promise<LabSnapshot> {
    const rows: StoreRow[] = [];
    if (this.store) {
      for (const key of (await this.store.keys()).sort()) {
        const raw = await this.store.get(key);
        if (!raw) continue;
        const ttl = await this.store.ttl(key);
        const expired = (await this.store.expired?.(key)) ?? false;
        rows.push({ key, ttl: expired ? 0 : ttl, bytes: raw.length, ...describeValue(this.mode, raw), worker: null, ...(expired ? { expired } : {}) });
      }
    } else {
      this.containers.forEach((c, i) => {
        for (const [key, text] of c) rows.push({ key, ttl: null, bytes: encoder.encode(text).length, format: 'str', repr: pyRepr(text), worker: i + 1 });
      });
    }
    const now = this.now();
    this.browser.cookieHeader(); // drops expired cookies
    const jar: JarRow[] = [...this.browser.jar].map(([name, c]) => ({ name, value: c.value, expiresIn: c.expires === null ? null : Math.round(c.expires - now) }));
    return { mode: this.mode, workers: this.apps.length, offset: this.offset, rows, jar, log: [...this.log] };
  }

  /** What the page needs to rebuild this lab in the browser (see {@link restore}). */
  async exportState(): Promise<LabState> {
    const snap = await this.snapshot();
    const entries: LabState['entries'] = [];
    if (this.store) {
      for (const row of snap.rows) {
        const raw = await this.store.get(row.key);
        if (raw) entries.push({ key: row.key, hex: toHex(raw), ttl: row.ttl, worker: null });
      }
    } else {
      this.containers.forEach((c, i) => {
        for (const [key, text] of c) entries.push({ key, hex: toHex(encoder.encode(text)), ttl: null, worker: i + 1 });
      });
    }
    return { mode: this.mode, workers: this.apps.length, turn: this.turn, entries, jar: snap.jar, log: snap.log };
  }

  /** Loads a state exported by {@link exportState} (TTLs and cookie lifetimes are relative, so they carry over). */
  async restore(state: LabState): Promise<void> {
    for (const e of state.entries) {
      const bytes = fromHex(e.hex);
      // A file that never expires (cachelib's counter, TTL -1) is restored too.
      if (this.store && e.ttl !== null && (e.ttl > 0 || (this.mode === 'files' && e.ttl === -1))) await this.store.seed(e.key, bytes, e.ttl);
      else if (!this.store && e.worker !== null) this.containers[e.worker - 1]?.set(e.key, decoder.decode(bytes));
    }
    const now = this.now();
    for (const c of state.jar) this.browser.jar.set(c.name, { value: c.value, expires: c.expiresIn === null ? null : now + c.expiresIn, attributes: '' });
    this.log.push(...state.log);
    this.turn = state.turn ?? 0;
  }

  /** The worker (1-based) the round robin sends the next request to. */
  nextWorker(): number {
    return (this.turn % this.apps.length) + 1;
  }
}

/** Runs requests on a fresh lab over MemoryStore at the page clock's epoch: the server-rendered first state. */
export async function prerender(mode: LabMode, workers: number, urls: string[], at = PAGE_EPOCH): Promise<{ snapshot: LabSnapshot; state: LabState }> {
  const lab = await SessionLab.create({ mode, workers, clock: () => at, makeStore: memoryLabStore });
  for (const url of urls) await lab.send(url);
  return { snapshot: await lab.snapshot(), state: await lab.exportState() };
}

/** The stored value a mode writes for `data` (for tests and lessons that seed a store by hand). */
export function encodeFor(mode: LabMode, data: PyDict): Uint8Array {
  if (mode === '0.3') return pickleDumps(data);
  return new MsgSpecSerializer('msgpack').encode(data);
}

/** Which store heading a mode shows. */
export function headingKind(mode: LabMode): 'redis' | 'custom' | 'sql' | 'files' {
  return mode === 'custom' || mode === 'sql' || mode === 'files' ? mode : 'redis';
}
