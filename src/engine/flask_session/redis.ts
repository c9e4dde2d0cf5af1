// Redis-backed server-side sessions: Flask-Session 0.8.0's redis/redis.py and, for the 2018–2021 tutorials,
// Flask-Session 0.3.2's RedisSessionInterface (sessions.py):
// https://github.com/pallets-eco/flask-session/blob/0.8.0/src/flask_session/redis/redis.py
// https://github.com/pallets-eco/flask-session/blob/0.3.2/flask_session/sessions.py
import { utf8Decode } from '../itsdangerous/encoding.ts';
import { BadSignature } from '../itsdangerous/exc.ts';
import type { Signer } from '../itsdangerous/signer.ts';
import { dictFromPayload, SessionInterface, SessionMixin, type SessionApp } from '../flask/sessions.ts';
import type { Tracer } from '../flask/trace.ts';
import { reason, type Reason } from '../flask/reasons.ts';
import type { Request, Response } from '../flask/wrappers.ts';
import { UnsafePickleError } from '../python/errors.ts';
import type { PyDict, PyObject } from '../python/values.ts';
import { ServerSideSession, ServerSideSessionInterface, sidSigner, uuid4, type ServerSideSessionOptions } from './base.ts';
import { dumps as pickleDumps, loads as pickleLoads, type PickleCall } from './pickle.ts';

/**
 * The Redis commands the session interfaces send, as both ioredis (and its Cluster client) and
 * ioredis-mock provide them; every method returns a Promise. Binary values go in as the client's byte type
 * (see {@link RedisSessionInterfaceOptions.toClientBytes}) and come back from `getBuffer` as bytes.
 */
export interface RedisLikeClient {
  /** `GET key` as bytes, or null when the key does not exist. */
  getBuffer(key: string): Promise<Uint8Array | null>;
  /**
   * `SET key value EX seconds`. `value` is the client's own byte type (ioredis: `Buffer`), made by `toClientBytes`;
   * it is typed `never` so that ioredis's overloaded signatures satisfy this interface.
   */
  set(key: string, value: never, mode: 'EX', seconds: number): Promise<unknown>;
  /** `SETEX key seconds value`, `value` as in {@link set}. */
  setex(key: string, seconds: number, value: never): Promise<unknown>;
  /** `DEL key`: the number of keys removed. */
  del(key: string): Promise<number>;
  /** `TTL key`: seconds left, -1 without expiry, -2 when missing. */
  ttl(key: string): Promise<number>;
}

/** Redis's error reply (ioredis's `ReplyError`), raised here before sending a command Redis would refuse. */
export class RedisResponseError extends Error {
  /** redis-py's class name, as in python/errors.ts. */
  readonly code: string;
  constructor(message: string) {
    super(message);
    this.name = this.code = 'ResponseError';
  }
}

/**
 * Converts bytes to what the client sends as a binary string. ioredis and ioredis-mock only treat their
 * `Buffer` class as binary and stringify any other Uint8Array ("1,2,3"), so this copies into the host's
 * `Buffer` when there is one (Node defines it; ioredis-mock's browser bundle installs one on `window`),
 * and passes plain bytes through otherwise.
 */
export function defaultToClientBytes(bytes: Uint8Array): Uint8Array {
  const B = (globalThis as { Buffer?: { from(b: Uint8Array): Uint8Array } }).Buffer;
  return B ? B.from(bytes) : bytes;
}

/** Options of {@link RedisSessionInterface}: the store client plus the shared 0.8 options. */
export interface RedisSessionInterfaceOptions extends ServerSideSessionOptions {
  /** The Redis client (`SESSION_REDIS`): ioredis, ioredis Cluster, or ioredis-mock. Required. */
  client: RedisLikeClient;
  /** Turns bytes into the client's binary type; default {@link defaultToClientBytes}. */
  toClientBytes?: (bytes: Uint8Array) => Uint8Array;
}

/** Sends the traced commands both Redis interfaces use. */
class TracedRedis {
  readonly client: RedisLikeClient;
  readonly toClientBytes: (bytes: Uint8Array) => Uint8Array;
  constructor(client: RedisLikeClient, toClientBytes: (bytes: Uint8Array) => Uint8Array) {
    this.client = client;
    this.toClientBytes = toClientBytes;
  }
  async get(key: string, trace: Tracer | null | undefined, purpose: Reason): Promise<Uint8Array | null> {
    const raw = await this.client.getBuffer(key);
    const value = raw === null || raw === undefined ? null : new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
    trace?.emit({
      type: 'store-op',
      stage: 'store',
      command: 'GET',
      key,
      hit: value !== null,
      ...(value ? { bytes: value.length } : {}),
      why: value ? reason('store.get', { purpose, found: true, bytes: value.length }) : reason('store.get', { purpose, found: false }),
    });
    return value;
  }
  async set(key: string, value: Uint8Array, ttl: number, trace: Tracer | null | undefined, purpose: Reason): Promise<void> {
    trace?.emit({ type: 'store-op', stage: 'store', command: 'SET', key, ttl, bytes: value.length, why: reason('store.set', { purpose, key, bytes: value.length, ttl }) });
    if (ttl <= 0) throw new RedisResponseError("invalid expire time in 'set' command");
    await this.client.set(key, this.toClientBytes(value) as never, 'EX', ttl);
  }
  async setex(key: string, ttl: number, value: Uint8Array, trace: Tracer | null | undefined, purpose: Reason): Promise<void> {
    trace?.emit({ type: 'store-op', stage: 'store', command: 'SETEX', key, ttl, bytes: value.length, why: reason('store.setex', { purpose, key, bytes: value.length, ttl }) });
    if (ttl <= 0) throw new RedisResponseError("invalid expire time in 'setex' command");
    await this.client.setex(key, ttl, this.toClientBytes(value) as never);
  }
  async del(key: string, trace: Tracer | null | undefined, purpose: Reason): Promise<void> {
    const n = await this.client.del(key);
    trace?.emit({ type: 'store-op', stage: 'store', command: 'DEL', key, hit: n > 0, why: reason('store.del', { purpose, removed: n > 0 }) });
  }
}

/**
 * Flask-Session 0.8's Redis store: `GET` on open, `SET key value EX ttl` on save, `DEL` on clear, values in
 * msgpack (or JSON) with the safe pickle reader as last fallback. Mirrors `flask_session.redis.RedisSessionInterface`.
 * @param options `client` (required) plus {@link ServerSideSessionOptions}: keyPrefix `session:`, useSigner false,
 * permanent true, sidLength 32, serializationFormat `msgpack`; `toClientBytes`, `randomBytes` for special hosts and tests.
 * @throws {PyValueError} `Unsupported serialization format: X`.
 */
export class RedisSessionInterface extends ServerSideSessionInterface {
  /** The Python class this mirrors, for traces (a minified build renames JS classes). */
  override readonly interfaceName: string = 'RedisSessionInterface';
  readonly client: RedisLikeClient;
  private readonly redis: TracedRedis;

  constructor(options: RedisSessionInterfaceOptions) {
    super(options);
    this.client = options.client;
    this.redis = new TracedRedis(options.client, options.toClientBytes ?? defaultToClientBytes);
  }

  /** `GET store_id` and decode; an absent or empty value is "no session". Mirrors `_retrieve_session_data`. */
  async retrieveSessionData(storeId: string, trace?: Tracer | null): Promise<PyDict | null> {
    const raw = await this.redis.get(storeId, trace, reason('purpose.load'));
    if (!raw || raw.length === 0) return null;
    try {
      const { data, format } = this.serializer.decodeVerbose(raw);
      if (format !== this.serializer.format) {
        trace?.emit({
          type: 'store-op',
          stage: 'store',
          command: 'DECODE',
          key: storeId,
          bytes: raw.length,
          why: reason('store.other-format', { expected: this.serializer.format, found: format }),
        });
      }
      return data;
    } catch (err) {
      if (err instanceof UnsafePickleError) {
        trace?.emit({ type: 'error', stage: 'store', error: `${err.name}: ${err.message}`, why: reason('store.unsafe-pickle') });
      }
      throw err;
    }
  }

  /** `DEL store_id`. Mirrors `_delete_session`. */
  async deleteSession(storeId: string, trace?: Tracer | null): Promise<void> {
    await this.redis.del(storeId, trace, reason('purpose.forget'));
  }

  /** `SET store_id <encoded> EX int(lifetime)`. Mirrors `_upsert_session`. @throws {RedisResponseError} for a TTL below 1. */
  async upsertSession(lifetime: number, session: ServerSideSession, storeId: string, trace?: Tracer | null): Promise<void> {
    const value = this.serializer.encode(session.toDict());
    await this.redis.set(storeId, value, Math.trunc(lifetime), trace, reason('purpose.store', { format: this.serializer.format }));
  }
}

// ---------------------------------------------------------------------------------------------
// Flask-Session 0.3.2

/**
 * Flask-Session 0.3.2's session: a dict that sets only `modified`; plain dict truthiness (so `{_permanent: True}`
 * is true) and a plain `clear()`. Mirrors 0.3.2's `ServerSideSession` / `RedisSession`.
 * @param initial stored data; @param sid the session id; @param permanent when truthy, stores `_permanent = True`.
 */
export class LegacyServerSideSession extends SessionMixin {
  sid: string;
  constructor(initial: PyDict | PyObject | null = null, sid = '', permanent: boolean | null = null) {
    super(initial, (self) => {
      (self as LegacyServerSideSession).modified = true;
    });
    this.sid = sid;
    if (permanent) this.permanent = permanent;
    this.modified = false;
  }
}

/** Options of {@link LegacyRedisSessionInterface}: 0.3.2's `(redis, key_prefix, use_signer=False, permanent=True)`. */
export interface LegacyRedisSessionInterfaceOptions {
  /** The Redis client. Required (0.3.2 falls back to `Redis()` on localhost). */
  client: RedisLikeClient;
  /** Prepended as is (`SESSION_KEY_PREFIX`, default `session:`); `__` in the tutorials gives `__<sid>`. */
  keyPrefix?: string;
  /** Sign the sid in the cookie (default false). */
  useSigner?: boolean;
  /** New sessions get `_permanent = True` (default true). */
  permanent?: boolean;
  /** Pickle protocol of stored values: 4 (Python ≥ 3.8, the default) or 3 (Python 3.0–3.7), also 2 or 5. */
  pickleProtocol?: number;
  /** Turns bytes into the client's binary type; default {@link defaultToClientBytes}. */
  toClientBytes?: (bytes: Uint8Array) => Uint8Array;
  /** The byte source for uuid4 ids; default `crypto.randomUUID` / `getRandomValues`. */
  randomBytes?: (n: number) => Uint8Array;
  /**
   * When given, a stored pickle that imports and calls code is not refused: the calls Python's pickle would make
   * are described (never made, see the reader's `describeCalls`) and handed here with the key, and the session
   * loads as 0.3.2 would load it with each call's result replaced by None. Without it such a pickle is refused.
   */
  onPickleCalls?: (calls: PickleCall[], key: string) => void;
}

/**
 * Flask-Session 0.3.2's Redis store, flaws included: it adopts ANY session id from the cookie (fixation),
 * writes `SETEX` and a Set-Cookie on every request (even when nothing changed, and for every visitor without
 * a cookie), sends no SameSite and no Vary, and stores pickles. Mirrors 0.3.2's `RedisSessionInterface`;
 * pickles are read with the safe reader, which refuses code where 0.3.2 would run it.
 * @param options see {@link LegacyRedisSessionInterfaceOptions}.
 */
export class LegacyRedisSessionInterface extends SessionInterface {
  /** The Python class this mirrors, for traces (a minified build renames JS classes). */
  override readonly interfaceName: string = 'LegacyRedisSessionInterface';
  readonly client: RedisLikeClient;
  readonly keyPrefix: string;
  readonly useSigner: boolean;
  readonly permanent: boolean;
  readonly pickleProtocol: number;
  override pickleBased = true;
  private readonly redis: TracedRedis;
  private readonly random: ((n: number) => Uint8Array) | undefined;
  private readonly onPickleCalls: ((calls: PickleCall[], key: string) => void) | undefined;

  constructor(options: LegacyRedisSessionInterfaceOptions) {
    super();
    this.onPickleCalls = options.onPickleCalls;
    this.client = options.client;
    this.keyPrefix = options.keyPrefix ?? 'session:';
    this.useSigner = options.useSigner ?? false;
    this.permanent = options.permanent ?? true;
    this.pickleProtocol = options.pickleProtocol ?? 4;
    this.redis = new TracedRedis(options.client, options.toClientBytes ?? defaultToClientBytes);
    this.random = options.randomBytes;
  }

  /** `str(uuid4())`. Mirrors `_generate_sid`. */
  generateSid(): string {
    return uuid4(this.random);
  }

  /** The id signer, or null without a secret key. Mirrors 0.3.2's `_get_signer`. */
  getSigner(app: SessionApp): Signer | null {
    const key = app.config.SECRET_KEY;
    if (!key || key.length === 0) return null;
    return sidSigner(key);
  }

  /** `days * 86400 + seconds` of PERMANENT_SESSION_LIFETIME (0.3.2's `total_seconds`, which drops microseconds). */
  storageTtl(app: SessionApp): number {
    return Math.floor(app.config.PERMANENT_SESSION_LIFETIME);
  }

  private fresh(trace: Tracer, sid: string, why: Reason): LegacyServerSideSession {
    const session = new LegacyServerSideSession(null, sid, this.permanent);
    trace.emit({ type: 'session-opened', stage: 'open', kind: 'new', why, data: session.toDict() });
    return session;
  }

  /**
   * Reads the sid from the cookie and the pickle from `GET prefix+sid`. A missing key gives an empty session
   * that KEEPS the client's sid, so an attacker-chosen id is adopted (session fixation). Returns null (the
   * NullSession) with `useSigner` and no secret key. Mirrors 0.3.2's `open_session`.
   */
  async openSession(app: SessionApp, request: Request): Promise<LegacyServerSideSession | null> {
    const trace = request.trace;
    const name = this.getCookieName(app);
    let sid = request.cookies.get(name) ?? null;
    trace.emit({ type: 'cookie-read', stage: 'open', name, value: sid });
    if (!sid) {
      const fresh = this.generateSid();
      return this.fresh(trace, fresh, reason('legacy.no-cookie', { name, sid: fresh }));
    }
    if (this.useSigner) {
      const signer = this.getSigner(app);
      if (signer === null) {
        trace.emit({ type: 'session-opened', stage: 'open', kind: 'null', why: reason('legacy.signer-no-key'), data: new Map() });
        return null;
      }
      try {
        sid = utf8Decode(signer.unsign(sid));
        trace.emit({ type: 'signature-checked', stage: 'open', ok: true, why: reason('server.sid-signature-ok') });
      } catch (err) {
        if (!(err instanceof BadSignature)) throw err;
        trace.emit({ type: 'signature-checked', stage: 'open', ok: false, errorClass: err.name, message: err.message, why: reason('legacy.sid-signature-bad') });
        const fresh = this.generateSid();
        return this.fresh(trace, fresh, reason('legacy.bad-signature-new', { sid: fresh }));
      }
    }
    const key = this.keyPrefix + sid;
    const raw = await this.redis.get(key, trace, reason('purpose.load-pickle'));
    if (raw !== null) {
      try {
        // RedisSession(data) is Werkzeug 2.2's CallbackDict: dict(data or ()), so a list of pairs is a session,
        // a falsy value an empty one, and anything else raises into 0.3.2's bare except below.
        const calls: PickleCall[] | null = this.onPickleCalls ? [] : null;
        let loaded;
        try {
          loaded = pickleLoads(raw, calls ? { describeCalls: calls } : {});
        } finally {
          // Python would have made these calls even when loading fails afterwards.
          if (calls && calls.length) this.onPickleCalls!(calls, key);
        }
        const data = dictFromPayload(loaded, { werkzeug22: true });
        const session = new LegacyServerSideSession(data, sid);
        trace.emit({ type: 'session-opened', stage: 'open', kind: 'loaded', why: reason('legacy.unpickled', { key }), data: session.toDict() });
        return session;
      } catch (err) {
        const why =
          err instanceof UnsafePickleError
            ? reason('legacy.unsafe-pickle', { message: err.message })
            : reason('legacy.unpickle-failed', { message: (err as Error).message });
        trace.emit({ type: 'error', stage: 'open', error: `${(err as Error).name}: ${(err as Error).message}`, why });
        return this.fresh(trace, sid, reason('legacy.unreadable'));
      }
    }
    return this.fresh(
      trace,
      sid,
      reason('legacy.store-miss', { key }),
    );
  }

  /**
   * Deletes key and cookie for an emptied, modified session; otherwise ALWAYS `SETEX prefix+sid ttl pickle` and
   * Set-Cookie (no `should_set_cookie` check, no SameSite, no Vary). Mirrors 0.3.2's `save_session`.
   * @throws {RedisResponseError} for a lifetime under one second.
   */
  async saveSession(app: SessionApp, session: SessionMixin, response: Response): Promise<void> {
    const s = session as LegacyServerSideSession;
    const trace = response.trace;
    const domain = this.getCookieDomain(app);
    const path = this.getCookiePath(app);
    const name = this.getCookieName(app);
    const key = this.keyPrefix + s.sid;
    if (!s.truthy) {
      if (s.modified) {
        trace?.emit({ type: 'save-decision', stage: 'save', action: 'delete-cookie', why: reason('legacy.delete') });
        await this.redis.del(key, trace, reason('purpose.forget'));
        const dumped = response.deleteCookie(name, { domain, path });
        trace?.emit({ type: 'set-cookie-built', stage: 'save', header: dumped.header, name, value: '', attributes: dumped.attributes, warning: dumped.warning });
      } else {
        trace?.emit({ type: 'save-decision', stage: 'save', action: 'skip', why: reason('legacy.empty-unchanged') });
      }
      return;
    }
    trace?.emit({
      type: 'save-decision',
      stage: 'save',
      action: 'set-cookie',
      why: s.modified ? reason('save.modified') : reason('legacy.always-save'),
    });
    const value = pickleDumps(s.toDict(), { protocol: this.pickleProtocol });
    await this.redis.setex(key, this.storageTtl(app), value, trace, reason('purpose.store-pickle', { protocol: this.pickleProtocol }));
    const cookieValue = this.useSigner ? utf8Decode(this.getSigner(app)!.sign(s.sid)) : s.sid;
    const dumped = response.setCookie(name, cookieValue, {
      expires: this.getExpirationTime(app, s),
      httponly: this.getCookieHttponly(app),
      domain,
      path,
      secure: this.getCookieSecure(app),
    });
    trace?.emit({ type: 'set-cookie-built', stage: 'save', header: dumped.header, name, value: cookieValue, attributes: dumped.attributes, warning: dumped.warning });
  }
}

/** Which Flask-Session behaviour to rebuild: 0.8.0 (current) or 0.3.2 (Debian's, and the old tutorials'). */
export type FlaskSessionVersion = '0.3' | '0.8';

/** Options of {@link createRedisSessionInterface}: the union of both versions' options plus the version. */
export type CreateRedisOptions = RedisSessionInterfaceOptions & LegacyRedisSessionInterfaceOptions & { flaskSession?: FlaskSessionVersion };

/**
 * A Redis session interface of the chosen Flask-Session version (`flaskSession`, default `'0.8'`).
 * Options the chosen version does not know are ignored.
 */
export function createRedisSessionInterface(options: CreateRedisOptions): RedisSessionInterface | LegacyRedisSessionInterface {
  return options.flaskSession === '0.3' ? new LegacyRedisSessionInterface(options) : new RedisSessionInterface(options);
}

