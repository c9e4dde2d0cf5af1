// Real Redis for the session interfaces: an ioredis client (single server or Cluster) set up to fail fast
// while Redis is away and to reconnect by itself, behind the small RedisLikeClient surface the engine uses.
// Errors are sorted here: a reply from Redis stays what it is; anything else means the store did not
// answer, and becomes a StoreUnavailableError that the server layer turns into a 503. Node-only.
import { Cluster, Redis, ReplyError } from 'ioredis';
import type { RedisLikeClient } from '../engine/flask_session/redis.ts';

/** The session store did not answer (refused, closed, timed out, not yet reconnected). `cause` holds the client's error. */
export class StoreUnavailableError extends Error {
  readonly code = 'STORE_UNAVAILABLE';
  /** Where the store was expected, e.g. `Redis at 127.0.0.1:6390`. */
  readonly store: string;
  /**
   * True when a write was sent but no answer came (it timed out, or the connection closed under it): Redis may
   * have applied it or not, and nobody here can tell. False when the command never left (no connection).
   */
  readonly outcomeUnknown: boolean;
  constructor(store: string, cause: unknown, outcomeUnknown = false) {
    super(`${store} is not answering (${cause instanceof Error ? cause.message : String(cause)})`, { cause });
    this.name = 'StoreUnavailableError';
    this.store = store;
    this.outcomeUnknown = outcomeUnknown;
  }
}

/** ioredis's errors for a command that was written to Redis but got no reply: a timeout, or the connection closing. */
function sentWithoutReply(err: unknown): boolean {
  const message = err instanceof Error ? err.message : String(err);
  return /timed out|Connection is closed/i.test(message);
}

/** A stored session value longer than the server accepts; the server starts a fresh session instead of decoding it. */
export class StoredValueTooLargeError extends Error {
  readonly code = 'STORED_VALUE_TOO_LARGE';
  readonly bytes: number;
  readonly limit: number;
  constructor(key: string, bytes: number, limit: number) {
    super(`the value stored under ${key} is ${bytes} bytes, more than the ${limit} bytes a session may take`);
    this.name = 'StoredValueTooLargeError';
    this.bytes = bytes;
    this.limit = limit;
  }
}

/** The first {@link StoreUnavailableError} in an error's cause chain, or null. */
export function storeUnavailableCause(err: unknown): StoreUnavailableError | null {
  for (let e = err, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    if (e instanceof StoreUnavailableError) return e;
  }
  return null;
}

/** How long a command may wait before the request gives up on the store, in milliseconds. */
const COMMAND_TIMEOUT_MS = 1000;
/** How long one connection attempt may take, in milliseconds. */
const CONNECT_TIMEOUT_MS = 1000;
/** Largest stored session value read, in bytes (a Flask cookie holds about 4 KB; a server-side session may hold more). */
const DEFAULT_MAX_VALUE_BYTES = 1024 * 1024;

/** The delay before reconnect attempt `times`: 50 ms growing to 1 s, and never giving up. */
export function reconnectDelay(times: number): number {
  return Math.min(50 * times, 1000);
}

/** Options shared by the single-server and cluster clients: fail fast, keep reconnecting. */
const FAIL_FAST = {
  connectTimeout: CONNECT_TIMEOUT_MS,
  commandTimeout: COMMAND_TIMEOUT_MS,
  maxRetriesPerRequest: 1,
  enableOfflineQueue: false,
  retryStrategy: reconnectDelay,
  // Commands issued by concurrent requests in one event-loop turn go out in one write: far fewer syscalls.
  enableAutoPipelining: true,
} as const;

/** A parsed `redis://host:port/db` (or `host:port`) address. */
export interface RedisAddress {
  host: string;
  port: number;
  db: number;
  password?: string;
  username?: string;
}

/**
 * Parses `redis://[user:password@]host[:port][/db]`, or a bare `host:port`.
 * @throws {Error} for another scheme, a bad port or a bad database number.
 */
export function parseRedisUrl(text: string): RedisAddress {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `redis://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new Error(`not a Redis URL: '${text}'`);
  }
  if (url.protocol !== 'redis:') throw new Error(`only redis:// URLs are supported, not '${url.protocol}//'`);
  if (!url.hostname) throw new Error(`no host in '${text}'`);
  const port = url.port === '' ? 6379 : Number(url.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`bad port in '${text}'`);
  const dbText = url.pathname.replace(/^\//, '');
  if (dbText !== '' && !/^\d+$/.test(dbText)) throw new Error(`bad database number in '${text}'`);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return {
    host,
    port,
    db: dbText === '' ? 0 : Number(dbText),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
  };
}

/** A session store client for the server: the engine's RedisLikeClient, plus a name and a way to close it. */
export interface ServerRedisClient extends RedisLikeClient {
  /** `Redis at host:port` or `Redis Cluster at host:port, …`, for messages. */
  readonly description: string;
  /** Resolves once the client is connected, or after `timeoutMs` (false then). */
  ready(timeoutMs?: number): Promise<boolean>;
  /** Closes the connection(s). */
  close(): Promise<void>;
}

type AnyClient = Redis | Cluster;

/**
 * Wraps an ioredis client (or ioredis-mock) so every command either answers, throws Redis's own reply error,
 * or throws a {@link StoreUnavailableError} naming the store; a GET longer than `maxValueBytes` throws
 * {@link StoredValueTooLargeError}.
 */
export class GuardedRedisClient implements ServerRedisClient {
  readonly description: string;
  readonly client: AnyClient;
  readonly maxValueBytes: number;
  private readonly onState: ((up: boolean, detail: string) => void) | undefined;
  private up: boolean | null = null;

  constructor(client: AnyClient, description: string, options: { maxValueBytes?: number; onState?: (up: boolean, detail: string) => void } = {}) {
    this.client = client;
    this.description = description;
    this.maxValueBytes = options.maxValueBytes ?? DEFAULT_MAX_VALUE_BYTES;
    this.onState = options.onState;
    // Without an 'error' listener ioredis prints every failed reconnect; report state changes once instead.
    client.on('error', (err: Error) => this.state(false, err.message));
    client.on('ready', () => this.state(true, 'ready'));
  }

  private state(up: boolean, detail: string): void {
    if (this.up === up) return;
    const first = this.up === null;
    this.up = up;
    // Coming up for the first time is not news; going down, or coming back, is.
    if (first && up) return;
    this.onState?.(up, detail);
  }

  /**
   * Rethrows a client error: Redis's own reply as is, anything else as {@link StoreUnavailableError}; for a write
   * that went out and got no reply, one whose outcome is unknown.
   */
  private failed(err: unknown, write = false): never {
    if (err instanceof ReplyError || (err instanceof Error && err.name === 'ReplyError')) throw err;
    throw new StoreUnavailableError(this.description, err, write && sentWithoutReply(err));
  }

  async getBuffer(key: string): Promise<Uint8Array | null> {
    let value: Buffer | null;
    try {
      value = await this.client.getBuffer(key);
    } catch (err) {
      this.failed(err);
    }
    if (value !== null && value.length > this.maxValueBytes) throw new StoredValueTooLargeError(key, value.length, this.maxValueBytes);
    return value;
  }

  async set(key: string, value: never, mode: 'EX', seconds: number): Promise<unknown> {
    try {
      return await this.client.set(key, value as Buffer, mode, seconds);
    } catch (err) {
      this.failed(err, true);
    }
  }

  async setex(key: string, seconds: number, value: never): Promise<unknown> {
    try {
      return await this.client.setex(key, seconds, value as Buffer);
    } catch (err) {
      this.failed(err, true);
    }
  }

  async del(key: string): Promise<number> {
    try {
      return await this.client.del(key);
    } catch (err) {
      this.failed(err, true);
    }
  }

  async ttl(key: string): Promise<number> {
    try {
      return await this.client.ttl(key);
    } catch (err) {
      this.failed(err);
    }
  }

  ready(timeoutMs = 3000): Promise<boolean> {
    if (this.client.status === 'ready') return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.client.off('ready', onReady);
        resolve(false);
      }, timeoutMs);
      const onReady = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      this.client.once('ready', onReady);
    });
  }

  async close(): Promise<void> {
    try {
      await this.client.quit();
    } catch {
      this.client.disconnect();
    }
  }
}

/** Options of {@link connectRedis} and {@link connectCluster}. */
export interface ConnectOptions {
  maxValueBytes?: number;
  /** Called when the store goes down or comes back (once per change), e.g. to print a line. */
  onState?: (up: boolean, detail: string) => void;
}

/**
 * A real Redis client for `url` that fails fast while Redis is away (no offline queue, one retry, 1 s command
 * and connect timeouts) and keeps reconnecting in the background. @throws {Error} for a bad URL.
 */
export function connectRedis(url: string, options: ConnectOptions = {}): GuardedRedisClient {
  const a = parseRedisUrl(url);
  const client = new Redis({ ...FAIL_FAST, host: a.host, port: a.port, db: a.db, password: a.password, username: a.username, lazyConnect: false });
  return new GuardedRedisClient(client, `Redis at ${a.host}:${a.port}`, options);
}

/**
 * An ioredis Cluster client seeded with `urls` (any of the masters will do: it learns the slot map and follows
 * MOVED replies), failing fast like {@link connectRedis}. @throws {Error} for a bad URL or an empty list.
 */
export function connectCluster(urls: string[], options: ConnectOptions = {}): GuardedRedisClient {
  if (urls.length === 0) throw new Error('no cluster node given');
  const nodes = urls.map(parseRedisUrl);
  const { password, username } = nodes[0]!;
  const client = new Cluster(
    nodes.map((n) => ({ host: n.host, port: n.port })),
    {
      enableOfflineQueue: false,
      enableAutoPipelining: true,
      clusterRetryStrategy: reconnectDelay,
      slotsRefreshTimeout: CONNECT_TIMEOUT_MS,
      retryDelayOnFailover: 50,
      retryDelayOnClusterDown: 50,
      retryDelayOnTryAgain: 50,
      maxRedirections: 16,
      redisOptions: { ...FAIL_FAST, password, username },
    },
  );
  return new GuardedRedisClient(client, `Redis Cluster at ${nodes.map((n) => `${n.host}:${n.port}`).join(', ')}`, options);
}

/** Loads ioredis-mock (in-process, no server) and wraps it like a real client, for `--interface redis` without `--redis`. */
export async function connectMock(options: ConnectOptions = {}): Promise<GuardedRedisClient> {
  const RedisMock = (await import('ioredis-mock')).default as unknown as new (opts?: object) => Redis;
  // ioredis-mock shares data per host:port; a random port keeps each server's sessions to itself.
  const client = new RedisMock({ port: 20000 + Math.floor(Math.random() * 40000) });
  return new GuardedRedisClient(client, 'in-process ioredis-mock', options);
}
