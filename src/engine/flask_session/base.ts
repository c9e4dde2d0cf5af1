// Mirrors flask_session/base.py, Flask-Session 0.8.0:
// https://github.com/pallets-eco/flask-session/blob/0.8.0/src/flask_session/base.py
import { base64Encode, utf8Decode } from '../itsdangerous/encoding.ts';
import { BadSignature } from '../itsdangerous/exc.ts';
import { Signer } from '../itsdangerous/signer.ts';
import { SessionInterface, SessionMixin, type SessionApp } from '../flask/sessions.ts';
import type { Tracer } from '../flask/trace.ts';
import { reason, type Reason } from '../flask/reasons.ts';
import type { Request, Response } from '../flask/wrappers.ts';
import { KeyError } from '../python/errors.ts';
import type { PyDict, PyKey, PyObject, PyValue } from '../python/values.ts';
import type { CookieOptions } from '../werkzeug/http.ts';
import { MsgSpecSerializer, type SerializationFormat } from './serializers.ts';

/** Flask-Session 0.8.0's defaults (`flask_session.defaults.Defaults`) for the keys this port reads. */
export const FLASK_SESSION_DEFAULTS = {
  SESSION_TYPE: 'null',
  SESSION_PERMANENT: true,
  SESSION_USE_SIGNER: false,
  SESSION_KEY_PREFIX: 'session:',
  SESSION_ID_LENGTH: 32,
  SESSION_SERIALIZATION_FORMAT: 'msgpack' as SerializationFormat,
} as const;

/** The salt both Flask-Session versions use when signing the session id. */
export const SID_SALT = 'flask-session';

/**
 * The session-id signer every server-side interface here uses (both Flask-Session versions and the lessons'
 * custom interfaces): `Signer(secret_key, salt="flask-session", key_derivation="hmac")`, SHA-1, no fallbacks.
 */
export function sidSigner(key: string | Uint8Array): Signer {
  return new Signer(key, { salt: SID_SALT, keyDerivation: 'hmac' });
}

/** Random bytes from `crypto.getRandomValues` (Web Crypto, in Node and in browsers), as `os.urandom` gives. */
export function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  // getRandomValues fills at most 65536 bytes per call.
  for (let i = 0; i < n; i += 65536) crypto.getRandomValues(out.subarray(i, Math.min(n, i + 65536)));
  return out;
}

/**
 * `secrets.token_urlsafe(n)`: n random bytes as unpadded base64url, ceil(4n/3) characters (43 for 32).
 * @param random the byte source (tests pass a fixed one).
 */
export function tokenUrlsafe(n: number, random: (n: number) => Uint8Array = randomBytes): string {
  return base64Encode(random(n));
}

/**
 * `str(uuid.uuid4())`: 36 characters with hyphens; `crypto.randomUUID` when the host has it (secure
 * contexts), else built from `getRandomValues` with the version and variant bits set.
 * @param random the byte source (tests pass a fixed one; then randomUUID is not used).
 */
export function uuid4(random?: (n: number) => Uint8Array): string {
  const c = globalThis.crypto as Crypto & { randomUUID?: () => string };
  if (!random && typeof c.randomUUID === 'function') return c.randomUUID();
  const b = (random ?? randomBytes)(16);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * Flask-Session 0.8's session: a dict that tracks writes (`modified` and `accessed`) and reads through
 * `[]`, `get` and `setdefault` (`accessed`). It is false when empty or when `_permanent` is its only key,
 * and `clear()` keeps `_permanent`. Mirrors `ServerSideSession`.
 * @param initial the stored data, if any.
 * @param sid the session id (the part after the key prefix in the store).
 * @param permanent when truthy, stores `_permanent = True` (then resets both flags).
 */
export class ServerSideSession extends SessionMixin {
  sid: string;
  /** Where store commands issued on this session's behalf (e.g. by `regenerate`) are traced; not in Python. */
  trace: Tracer | null = null;

  constructor(initial: PyDict | PyObject | null = null, sid = '', permanent: boolean | null = null) {
    super(initial, (self) => {
      const s = self as ServerSideSession;
      s.modified = true;
      s.accessed = true;
    });
    this.sid = sid;
    if (permanent) this.permanent = permanent;
    this.modified = false;
    this.accessed = false;
  }

  /** `bool(session)`: false when empty or when `_permanent` is the only key. */
  override get truthy(): boolean {
    return this.data.size > 0 && !(this.data.size === 1 && this.data.has('_permanent'));
  }
  /** `session.get(key, default)`; marks the session accessed. */
  override get(key: PyKey, fallback: PyValue = null): PyValue {
    this.accessed = true;
    return super.get(key, fallback);
  }
  /** `session[key]`; marks the session accessed. @throws {KeyError} when missing. */
  override getItem(key: PyKey): PyValue {
    this.accessed = true;
    return super.getItem(key);
  }
  /** `session.setdefault(key, default)`; marks the session accessed. */
  override setdefault(key: PyKey, value: PyValue = null): PyValue {
    this.accessed = true;
    return super.setdefault(key, value);
  }
  /** Empties the session but writes `_permanent` back (False when it was unset), so it counts as modified. */
  override clear(): void {
    const permanent = this.get('_permanent', false);
    super.clear();
    this.set('_permanent', permanent);
  }
}

/** Constructor options shared by the 0.8 server-side interfaces (Python's keyword arguments, camelCased). */
export interface ServerSideSessionOptions {
  /** Prepended as is to every store key (`SESSION_KEY_PREFIX`, default `session:`). */
  keyPrefix?: string;
  /** Sign the session id in the cookie (`SESSION_USE_SIGNER`, default false; deprecated upstream). */
  useSigner?: boolean;
  /** New sessions get `_permanent = True` (`SESSION_PERMANENT`, default true). */
  permanent?: boolean;
  /** Random bytes per session id (`SESSION_ID_LENGTH`, default 32 → 43 characters). */
  sidLength?: number;
  /** `'msgpack'` (default) or `'json'` (`SESSION_SERIALIZATION_FORMAT`). */
  serializationFormat?: string;
  /** The byte source for session ids; default `crypto.getRandomValues`. Tests pass a fixed one. */
  randomBytes?: (n: number) => Uint8Array;
}

/** Accepts the session itself or the `session` proxy a view receives. */
export function unwrapSession<T extends SessionMixin>(s: T | { target: T }): T {
  return 'target' in s && s.target instanceof SessionMixin ? s.target : (s as T);
}

/**
 * The base of Flask-Session 0.8's server-side interfaces: the cookie holds only a session id, the data
 * lives in a store. Subclasses implement the three store methods. Mirrors `ServerSideSessionInterface`.
 * @param options see {@link ServerSideSessionOptions}.
 * @throws {PyValueError} `Unsupported serialization format: X`.
 */
export abstract class ServerSideSessionInterface extends SessionInterface {
  readonly keyPrefix: string;
  readonly useSigner: boolean;
  readonly permanent: boolean;
  readonly sidLength: number;
  readonly serializer: MsgSpecSerializer;
  /** Set when `useSigner` is on: Python issues this DeprecationWarning at setup. */
  readonly warnings: string[] = [];
  protected readonly random: (n: number) => Uint8Array;

  constructor(options: ServerSideSessionOptions = {}) {
    super();
    this.keyPrefix = options.keyPrefix ?? FLASK_SESSION_DEFAULTS.SESSION_KEY_PREFIX;
    this.useSigner = options.useSigner ?? FLASK_SESSION_DEFAULTS.SESSION_USE_SIGNER;
    this.permanent = options.permanent ?? FLASK_SESSION_DEFAULTS.SESSION_PERMANENT;
    this.sidLength = options.sidLength ?? FLASK_SESSION_DEFAULTS.SESSION_ID_LENGTH;
    this.serializer = new MsgSpecSerializer(options.serializationFormat ?? FLASK_SESSION_DEFAULTS.SESSION_SERIALIZATION_FORMAT);
    this.random = options.randomBytes ?? randomBytes;
    if (this.useSigner) {
      this.warnings.push(
        "DeprecationWarning: The 'use_signer' option is deprecated and will be removed in the next minor release. Please update your configuration accordingly or open an issue.",
      );
    }
  }

  /** A new random session id. Mirrors `_generate_sid` (`secrets.token_urlsafe`). */
  generateSid(): string {
    return tokenUrlsafe(this.sidLength, this.random);
  }

  /**
   * The id signer: `Signer(SECRET_KEY, salt="flask-session", key_derivation="hmac")`, SHA-1, no fallbacks.
   * Mirrors `_get_signer`. @throws {KeyError} `'SECRET_KEY must be set when SESSION_USE_SIGNER=True'`.
   */
  getSigner(app: SessionApp): Signer {
    const key = app.config.SECRET_KEY;
    if (!key || key.length === 0) throw new KeyError('SECRET_KEY must be set when SESSION_USE_SIGNER=True');
    return sidSigner(key);
  }

  /** The signed cookie value `sid.signature`. Mirrors `_sign`. @throws {KeyError} without a secret key. */
  sign(app: SessionApp, sid: string): string {
    return utf8Decode(this.getSigner(app).sign(sid));
  }

  /** The sid inside a signed cookie value. Mirrors `_unsign`. @throws {BadSignature}; {KeyError} without a secret key. */
  unsign(app: SessionApp, value: string): string {
    return utf8Decode(this.getSigner(app).unsign(value));
  }

  /** `key_prefix + sid`. Mirrors `_get_store_id`. */
  getStoreId(sid: string): string {
    return this.keyPrefix + sid;
  }

  /** Write to the store when the session changed or `SESSION_REFRESH_EACH_REQUEST` is on. Mirrors `should_set_storage`. */
  shouldSetStorage(app: SessionApp, session: SessionMixin): boolean {
    return session.modified || app.config.SESSION_REFRESH_EACH_REQUEST;
  }

  /** The store TTL in seconds: `int(PERMANENT_SESSION_LIFETIME.total_seconds())`, for every session. */
  storageTtl(app: SessionApp): number {
    return Math.trunc(app.config.PERMANENT_SESSION_LIFETIME);
  }

  /** Reads and decodes `storeId`; null when nothing is stored. Mirrors `_retrieve_session_data`. */
  abstract retrieveSessionData(storeId: string, trace?: Tracer | null): Promise<PyDict | null>;
  /** Removes `storeId` from the store. Mirrors `_delete_session`. */
  abstract deleteSession(storeId: string, trace?: Tracer | null): Promise<void>;
  /** Encodes and writes the session under `storeId` with a TTL from `lifetime` seconds. Mirrors `_upsert_session`. */
  abstract upsertSession(lifetime: number, session: ServerSideSession, storeId: string, trace?: Tracer | null): Promise<void>;

  /**
   * Gives a non-empty session a new id, the defence against session fixation: deletes the old key now;
   * the request's save then writes the data under the new id and sends the new cookie. Call it after login
   * (`await app.sessionInterface.regenerate(session)`); an empty session is left alone. Mirrors `regenerate`.
   */
  async regenerate(session: SessionMixin | { target: SessionMixin }): Promise<void> {
    const s = unwrapSession(session);
    if (!(s instanceof ServerSideSession)) throw new TypeError('regenerate() needs a server-side session');
    if (!s.truthy) return;
    await this.deleteSession(this.getStoreId(s.sid), s.trace);
    s.sid = this.generateSid();
    s.modified = true;
  }

  private fresh(trace: Tracer, why: Reason): ServerSideSession {
    const session = new ServerSideSession(null, this.generateSid(), this.permanent);
    session.trace = trace;
    trace.emit({ type: 'session-opened', stage: 'open', kind: 'new', why: reason('server.new-sid', { cause: why, sid: session.sid }), data: session.toDict() });
    return session;
  }

  /**
   * Reads the sid from the cookie (unsigning it with `useSigner`), then the data from the store. No cookie,
   * a bad signature, or an id the store does not know all give a new session with a NEW random id, so an id
   * chosen by an attacker is never adopted. Mirrors `open_session`.
   * @throws {KeyError} with `useSigner` and no SECRET_KEY; decoding errors from {@link retrieveSessionData}.
   */
  async openSession(app: SessionApp, request: Request): Promise<ServerSideSession> {
    const trace = request.trace;
    const name = this.getCookieName(app);
    let sid = request.cookies.get(name) ?? null;
    trace.emit({ type: 'cookie-read', stage: 'open', name, value: sid });
    if (!sid) return this.fresh(trace, reason('cookie.absent', { name }));
    if (this.useSigner) {
      try {
        sid = this.unsign(app, sid);
        trace.emit({ type: 'signature-checked', stage: 'open', ok: true, why: reason('server.sid-signature-ok') });
      } catch (err) {
        if (!(err instanceof BadSignature)) throw err;
        trace.emit({
          type: 'signature-checked',
          stage: 'open',
          ok: false,
          errorClass: err.name,
          message: err.message,
          why: reason('server.sid-signature-bad'),
        });
        return this.fresh(trace, reason('server.sid-unsigned-bad'));
      }
    }
    const data = await this.retrieveSessionData(this.getStoreId(sid), trace);
    if (data !== null) {
      const session = new ServerSideSession(data, sid);
      session.trace = trace;
      trace.emit({ type: 'session-opened', stage: 'open', kind: 'loaded', why: reason('server.store-holds', { key: this.getStoreId(sid) }), data: session.toDict() });
      return session;
    }
    return this.fresh(trace, reason('server.store-miss', { key: this.getStoreId(sid) }));
  }

  /**
   * Adds `Vary: Cookie` when the session was accessed; deletes key and cookie for an emptied session; else
   * writes the store (TTL = PERMANENT_SESSION_LIFETIME, even for non-permanent sessions) when
   * {@link shouldSetStorage}, then the cookie when `shouldSetCookie`. The delete cookie carries only Domain and
   * Path, and Partitioned is never sent. Mirrors `save_session`; the steps are {@link saveServerSideSession}'s.
   * @throws {KeyError} with `useSigner` and no SECRET_KEY; store errors (e.g. an expire time of 0).
   */
  async saveSession(app: SessionApp, session: SessionMixin, response: Response): Promise<void> {
    const s = session as ServerSideSession;
    const storeId = this.getStoreId(s.sid);
    await saveServerSideSession(this, app, s, response, {
      reasons: SERVER_SAVE_REASONS,
      deleteCookieAttributes: {},
      refresh: this.shouldSetStorage(app, s),
      forget: (trace) => this.deleteSession(storeId, trace),
      write: (trace) => this.upsertSession(app.config.PERMANENT_SESSION_LIFETIME, s, storeId, trace),
      cookieValue: () => (this.useSigner ? this.sign(app, s.sid) : s.sid),
    });
  }
}

/** The reasons a save step gives in the trace, at each of its decisions. */
export interface SaveReasons {
  varyAccessed: Reason;
  delete: Reason;
  emptyUnchanged: Reason;
  noRefresh: Reason;
  storedNoCookie: Reason;
  cookieRefresh: Reason;
}

const SERVER_SAVE_REASONS: SaveReasons = {
  varyAccessed: reason('vary.session-accessed'),
  delete: reason('server.delete'),
  emptyUnchanged: reason('server.empty-unchanged'),
  noRefresh: reason('server.no-refresh'),
  storedNoCookie: reason('server.ttl-refreshed'),
  cookieRefresh: reason('server.cookie-refresh'),
};

/** What one interface brings to {@link saveServerSideSession}: its store, its cookie value and its words. */
export interface ServerSideSave {
  reasons: SaveReasons;
  /** Attributes the cookie that removes an emptied session carries beside Domain and Path. */
  deleteCookieAttributes: Pick<CookieOptions, 'secure' | 'httponly' | 'samesite'>;
  /** Whether a non-empty session is written to the store (it changed, or every request refreshes it). */
  refresh: boolean;
  /** Removes the session from the store. */
  forget: (trace: Tracer | null | undefined) => Promise<void>;
  /** Writes the session to the store with its TTL. */
  write: (trace: Tracer | null | undefined) => Promise<void>;
  /** The cookie's value: the session id, signed or not. */
  cookieValue: () => string;
}

/**
 * The save step of an interface whose cookie holds only a session id, shared by Flask-Session's interfaces and
 * the course's corrected hand-written one: `Vary: Cookie` when the session was accessed; an emptied session is
 * removed from the store and its cookie deleted; otherwise the store is written (when `refresh`), then the cookie
 * when `shouldSetCookie` allows; each cookie written or deleted adds `Vary: Cookie`.
 */
export async function saveServerSideSession(iface: SessionInterface, app: SessionApp, s: ServerSideSession, response: Response, how: ServerSideSave): Promise<void> {
  const trace = response.trace;
  const domain = iface.getCookieDomain(app);
  const path = iface.getCookiePath(app);
  const name = iface.getCookieName(app);
  const why = how.reasons;

  if (s.accessed && response.addVary('Cookie')) {
    trace?.emit({ type: 'vary-added', stage: 'save', value: 'Cookie', why: why.varyAccessed });
  }
  if (!s.truthy) {
    if (!s.modified) {
      trace?.emit({ type: 'save-decision', stage: 'save', action: 'skip', why: why.emptyUnchanged });
      return;
    }
    trace?.emit({ type: 'save-decision', stage: 'save', action: 'delete-cookie', why: why.delete });
    await how.forget(trace);
    const dumped = response.deleteCookie(name, { domain, path, ...how.deleteCookieAttributes });
    trace?.emit({ type: 'set-cookie-built', stage: 'save', header: dumped.header, name, value: '', attributes: dumped.attributes, warning: dumped.warning });
    if (response.addVary('Cookie')) trace?.emit({ type: 'vary-added', stage: 'save', value: 'Cookie', why: reason('vary.cookie-deleted') });
    return;
  }
  if (!how.refresh) {
    trace?.emit({ type: 'save-decision', stage: 'save', action: 'skip', why: why.noRefresh });
    return;
  }
  await how.write(trace);
  if (!iface.shouldSetCookie(app, s)) {
    trace?.emit({ type: 'save-decision', stage: 'save', action: 'skip', why: why.storedNoCookie });
    return;
  }
  trace?.emit({ type: 'save-decision', stage: 'save', action: 'set-cookie', why: s.modified ? reason('save.modified') : why.cookieRefresh });
  const value = how.cookieValue();
  const dumped = response.setCookie(name, value, {
    expires: iface.getExpirationTime(app, s),
    httponly: iface.getCookieHttponly(app),
    domain,
    path,
    secure: iface.getCookieSecure(app),
    samesite: iface.getCookieSamesite(app),
  });
  trace?.emit({ type: 'set-cookie-built', stage: 'save', header: dumped.header, name, value, attributes: dumped.attributes, warning: dumped.warning });
  if (response.addVary('Cookie')) trace?.emit({ type: 'vary-added', stage: 'save', value: 'Cookie', why: reason('vary.cookie-set') });
}
