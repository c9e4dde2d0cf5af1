// Mirrors flask_session/__init__.py (`Session`, config-driven setup), Flask-Session 0.8.0 and 0.3.2:
// https://github.com/pallets-eco/flask-session/blob/0.8.0/src/flask_session/__init__.py
import type { FlaskConfig, SessionApp } from '../flask/sessions.ts';
import { SessionInterface } from '../flask/sessions.ts';
import type { Request, Response } from '../flask/wrappers.ts';
import { FLASK_SESSION_DEFAULTS } from './base.ts';
import { PyValueError } from '../python/errors.ts';
import { pyTruthy } from '../python/values.ts';
import { reason } from '../flask/reasons.ts';
import {
  LegacyRedisSessionInterface,
  RedisSessionInterface,
  type FlaskSessionVersion,
  type RedisLikeClient,
} from './redis.ts';

export {
  FLASK_SESSION_DEFAULTS,
  randomBytes,
  ServerSideSession,
  ServerSideSessionInterface,
  SID_SALT,
  sidSigner,
  tokenUrlsafe,
  unwrapSession,
  uuid4,
  type ServerSideSessionOptions,
} from './base.ts';
export {
  createRedisSessionInterface,
  defaultToClientBytes,
  LegacyRedisSessionInterface,
  LegacyServerSideSession,
  RedisResponseError,
  RedisSessionInterface,
  type CreateRedisOptions,
  type FlaskSessionVersion,
  type LegacyRedisSessionInterfaceOptions,
  type RedisLikeClient,
  type RedisSessionInterfaceOptions,
} from './redis.ts';
export { jsonDecode, jsonEncode, MsgSpecSerializer, msgspecFloat, msgspecString, type DecodedWith, type SerializationFormat } from './serializers.ts';
export { packb, unpackb } from './msgpack.ts';
export { commandOf, COMMAND_RUNNERS, dumps as pickleDumps, loads as pickleLoads, PickleGlobal, UNSAFE_OPCODES, type PickleCall } from './pickle.ts';
export { MsgspecDecodeError, PickleError, PicklingError, UnpicklingError, UnsafePickleError, UnsupportedValueError } from '../python/errors.ts';
export {
  cacheFileExpiry,
  cacheFileName,
  COUNT_KEY,
  encodeCacheFile,
  FileSystemSessionInterface,
  TRANSACTION_SUFFIX,
  type DirectoryLike,
  type FileSystemSessionInterfaceOptions,
} from './filesystem.ts';
export { parseSqliteDatetime, SqlAlchemySessionInterface, sqliteDatetime, type SqlAlchemySessionInterfaceOptions, type SqlLikeClient, type SqlParam } from './sqlalchemy.ts';
export { FixedSessionInterface, MemoryStore, MySession, MySessionInterface, type FixedSessionInterfaceOptions, type MySessionInterfaceOptions } from './custom.ts';

/**
 * Flask-Session 0.3.2's fallback when `SESSION_TYPE` is not a known store: `open_session` returns None, so
 * every write raises NullSession's misleading "no secret key was set" even when SECRET_KEY is set.
 * Mirrors 0.3.2's `NullSessionInterface`.
 */
export class NullSessionInterface extends SessionInterface {
  /** The Python class this mirrors, for traces (a minified build renames JS classes). */
  override readonly interfaceName: string = 'NullSessionInterface';
  /** Always null: Flask substitutes its NullSession. */
  openSession(_app: SessionApp, request: Request): null {
    request.trace.emit({
      type: 'session-opened',
      stage: 'open',
      kind: 'null',
      why: reason('legacy.null-interface'),
      data: new Map(),
    });
    return null;
  }
  /** Never called for a NullSession. */
  saveSession(_app: SessionApp, _session: unknown, _response: Response): void {}
}

/** Options of {@link Session}: the version, and the client when it is not in `SESSION_REDIS`. */
export interface SessionSetupOptions {
  /** `'0.8'` (default) or `'0.3'`. */
  flaskSession?: FlaskSessionVersion;
  /** The Redis client; overrides `config.SESSION_REDIS`. */
  client?: RedisLikeClient;
  /** Passed to the interface (see {@link RedisSessionInterface}). */
  toClientBytes?: (bytes: Uint8Array) => Uint8Array;
  /** Passed to the interface, for reproducible ids in tests. */
  randomBytes?: (n: number) => Uint8Array;
}

/** The app shape `Session` configures: its config and a replaceable session interface. */
export interface ConfigurableApp {
  config: FlaskConfig;
  sessionInterface: SessionInterface;
}

/**
 * `Session(app)`: reads the `SESSION_*` config keys (filling Flask-Session's defaults in) and installs the
 * matching interface as `app.sessionInterface`. Only `SESSION_TYPE = 'redis'` is rebuilt here.
 * 0.8: any other type throws `Unrecognized value for SESSION_TYPE: X` (the default `null` included).
 * 0.3: any other type installs {@link NullSessionInterface}, as 0.3.2 does.
 * @throws {PyValueError} for an unknown type (0.8) or serialization format; {@link TypeError} when no client is given.
 */
export class Session {
  sessionInterface: SessionInterface | null = null;
  private readonly options: SessionSetupOptions;

  constructor(app: ConfigurableApp | null = null, options: SessionSetupOptions = {}) {
    this.options = options;
    if (app) this.initApp(app);
  }

  /** Configures `app`. Mirrors `Session.init_app`. */
  initApp(app: ConfigurableApp): void {
    const c = app.config as FlaskConfig & Record<string, unknown>;
    for (const [k, v] of Object.entries(FLASK_SESSION_DEFAULTS)) if (c[k] === undefined) c[k] = v;
    const type = String(c.SESSION_TYPE).toLowerCase();
    const legacy = this.options.flaskSession === '0.3';
    let si: SessionInterface;
    if (type !== 'redis') {
      if (!legacy) throw new PyValueError(`Unrecognized value for SESSION_TYPE: ${type}`);
      si = new NullSessionInterface();
    } else {
      const client = this.options.client ?? (c.SESSION_REDIS as RedisLikeClient | null | undefined);
      if (!client) throw new TypeError('SESSION_REDIS must be a Redis client (ioredis, an ioredis Cluster, or ioredis-mock); this port never connects to localhost by itself');
      const common = { client, keyPrefix: String(c.SESSION_KEY_PREFIX), useSigner: pyTruthy(c.SESSION_USE_SIGNER), permanent: pyTruthy(c.SESSION_PERMANENT) }; // `if use_signer:`, `if permanent:`
      const extra = {
        ...(this.options.toClientBytes ? { toClientBytes: this.options.toClientBytes } : {}),
        ...(this.options.randomBytes ? { randomBytes: this.options.randomBytes } : {}),
      };
      si = legacy
        ? new LegacyRedisSessionInterface({ ...common, ...extra })
        : new RedisSessionInterface({
            ...common,
            ...extra,
            sidLength: Number(c.SESSION_ID_LENGTH),
            serializationFormat: String(c.SESSION_SERIALIZATION_FORMAT),
          });
    }
    app.sessionInterface = si;
    this.sessionInterface = si;
  }
}
