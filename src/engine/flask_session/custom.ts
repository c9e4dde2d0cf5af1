// The hand-written `MySessionInterface` that Chinese Flask tutorials (2018–2020) copy: a dict in process
// memory, uuid4 ids signed with itsdangerous, json values. It subclasses Flask's SessionInterface:
// https://github.com/pallets/flask/blob/3.1.3/src/flask/sessions.py
// `MySessionInterface` keeps every flaw on purpose, for the lesson; `FixedSessionInterface` corrects each one.
import { utf8Decode } from '../itsdangerous/encoding.ts';
import { BadSignature } from '../itsdangerous/exc.ts';
import type { Signer } from '../itsdangerous/signer.ts';
import { SessionInterface, SessionMixin, type SessionApp } from '../flask/sessions.ts';
import type { Request, Response } from '../flask/wrappers.ts';
import { dumps as jsonDumps, loads as jsonLoads } from '../python/json.ts';
import { dictEntries, isDict, pyTruthy, type PyDict, type PyObject } from '../python/values.ts';
import { saveServerSideSession, ServerSideSession, sidSigner, uuid4, type SaveReasons } from './base.ts';
import { reason, type Reason } from '../flask/reasons.ts';
import { defaultToClientBytes, type RedisLikeClient } from './redis.ts';

/** `json.dumps(dict(session))` with Python's default separators (`', '` and `': '`) and ASCII escapes. */
function pyJsonDumps(data: PyDict): string {
  return jsonDumps(data, { separators: [', ', ': '] });
}

/**
 * What the tutorial's interface and its corrected version share: a random uuid4 as the session id, signed in the
 * cookie with Flask-Session's id signer, and no signer at all when the app has no secret key.
 * @param random the byte source for ids (tests pass a fixed one); default the platform's.
 */
abstract class UuidSidInterface extends SessionInterface {
  private readonly random: ((n: number) => Uint8Array) | undefined;

  constructor(random?: (n: number) => Uint8Array) {
    super();
    this.random = random;
  }

  /** `str(uuid.uuid4())`. */
  generateSid(): string {
    return uuid4(this.random);
  }

  /** `Signer(secret_key, salt='flask-session', key_derivation='hmac')`, or null without a secret key. */
  getSigner(app: SessionApp): Signer | null {
    // Python's `if not app.secret_key`: None, '' and b'' all mean no key.
    if (!pyTruthy(app.config.SECRET_KEY)) return null;
    return sidSigner(app.config.SECRET_KEY!);
  }
}

/**
 * The tutorial's `MySession(dict, SessionMixin)`: a plain dict with a `sid`. Being a plain dict it tracks
 * nothing, so `modified` keeps SessionMixin's class default, True, on every request.
 * @param initial the loaded data; @param sid the session id.
 */
export class MySession extends SessionMixin {
  sid: string;
  /** The constructor's `initial` argument, kept as the tutorial keeps it. */
  initial: PyDict | PyObject | null;
  constructor(initial: PyDict | PyObject | null = null, sid = '') {
    super(initial, null);
    this.sid = sid;
    this.initial = initial;
  }
}

/** Options of {@link MySessionInterface}. */
export interface MySessionInterfaceOptions {
  /**
   * The `container` dict: in Python a class attribute, so ONE per worker process, shared by nothing else.
   * Default: a new Map, i.e. each interface instance stands for its own process. Values are JSON text.
   */
  container?: Map<string, string>;
  /** The byte source for uuid4 ids (tests pass a fixed one). */
  randomBytes?: (n: number) => Uint8Array;
}

/**
 * The tutorial's `MySessionInterface`, rebuilt flaw for flaw (each flaw is named where it happens):
 * 1. `container.setdefault(sid, val)` stores the first value only: later changes are never saved.
 * 2. Nothing ever expires or is deleted: `clear()` leaves the stored data, and every visitor, even one who
 *    never touches the session, adds an entry (`{}`): save_session stores and sets the cookie unconditionally
 *    (it never reads `modified`, which a plain dict leaves at True anyway).
 * 3. The container lives in one process's memory: another worker (or a restart) does not know the session.
 * 4. Without a secret key, `self._get_signer(app)` is None and `.sign(...)` crashes every response
 *    (Python: `AttributeError: 'NoneType' object has no attribute 'sign'`; here the same TypeError JS gives).
 * Also: no `should_set_cookie` (a Set-Cookie on every response), no `Vary: Cookie`, and a bare `except:` that
 * hides decoding errors. (The tutorial reads `app.session_cookie_name`, removed in Flask 2.3; this port reads
 * `SESSION_COOKIE_NAME`, and the tutorial's unused `redis.Redis()` connection is left out.)
 */
export class MySessionInterface extends UuidSidInterface {
  /** The Python class this mirrors, for traces (a minified build renames JS classes). */
  override readonly interfaceName: string = 'MySessionInterface';
  sessionClass = MySession;
  readonly container: Map<string, string>;

  constructor(options: MySessionInterfaceOptions = {}) {
    super(options.randomBytes);
    this.container = options.container ?? new Map();
  }

  /** The tutorial's `open_session`. @throws {TypeError} for a request with a cookie when no secret key is set (flaw 4). */
  openSession(app: SessionApp, request: Request): MySession {
    const trace = request.trace;
    const name = this.getCookieName(app);
    let sid = request.cookies.get(name) ?? null;
    trace.emit({ type: 'cookie-read', stage: 'open', name, value: sid });
    if (!sid) {
      const session = new this.sessionClass(null, this.generateSid());
      trace.emit({ type: 'session-opened', stage: 'open', kind: 'new', why: reason('my.no-cookie', { name }), data: session.toDict() });
      return session;
    }
    const signer = this.getSigner(app);
    try {
      // Flaw 4: `signer` is null without a secret key, and this line throws, as `None.unsign` does in Python.
      sid = utf8Decode((signer as Signer).unsign(sid));
      trace.emit({ type: 'signature-checked', stage: 'open', ok: true, why: reason('my.id-verifies') });
    } catch (err) {
      if (!(err instanceof BadSignature)) throw err;
      trace.emit({ type: 'signature-checked', stage: 'open', ok: false, errorClass: err.name, message: err.message, why: reason('my.id-altered') });
      const session = new this.sessionClass(null, this.generateSid());
      trace.emit({ type: 'session-opened', stage: 'open', kind: 'new', why: reason('my.bad-signature-new'), data: session.toDict() });
      return session;
    }
    const val = this.container.get(sid);
    trace.emit({ type: 'store-op', stage: 'store', command: 'container.get', key: sid, hit: val !== undefined, why: reason('my.container-get') });
    if (val !== undefined) {
      try {
        const data = jsonLoads(val);
        const session = new this.sessionClass(isDict(data) ? new Map(dictEntries(data)) : null, sid);
        trace.emit({ type: 'session-opened', stage: 'open', kind: 'loaded', why: reason('my.loaded'), data: session.toDict() });
        return session;
      } catch {
        // The tutorial's bare `except:` swallows any error here.
      }
    }
    const session = new this.sessionClass(null, sid);
    trace.emit({ type: 'session-opened', stage: 'open', kind: 'new', why: reason('my.container-miss'), data: session.toDict() });
    return session;
  }

  /** The tutorial's `save_session`: `setdefault` into the container, then always a Set-Cookie. @throws {TypeError} without a secret key (flaw 4). */
  saveSession(app: SessionApp, session: SessionMixin, response: Response): void {
    const s = session as MySession;
    const trace = response.trace;
    const domain = this.getCookieDomain(app);
    const path = this.getCookiePath(app);
    const httponly = this.getCookieHttponly(app);
    const secure = this.getCookieSecure(app);
    const expires = this.getExpirationTime(app, s);
    const val = pyJsonDumps(s.toDict());
    // Flaw 1: setdefault only inserts; a sid that is already there keeps its FIRST value forever.
    const had = this.container.has(s.sid);
    if (!had) this.container.set(s.sid, val);
    trace?.emit({
      type: 'store-op',
      stage: 'store',
      command: 'container.setdefault',
      key: s.sid,
      bytes: val.length,
      hit: had,
      why: had ? reason('my.setdefault-kept', { value: val }) : reason('my.setdefault-first', { value: val }),
    });
    trace?.emit({ type: 'save-decision', stage: 'save', action: 'set-cookie', why: reason('my.always-cookie') });
    // Flaw 4: getSigner returns null without a secret key; `.sign` then throws.
    const sessionId = utf8Decode((this.getSigner(app) as Signer).sign(s.sid));
    const dumped = response.setCookie(this.getCookieName(app), sessionId, { expires, httponly, domain, path, secure });
    trace?.emit({ type: 'set-cookie-built', stage: 'save', header: dumped.header, name: this.getCookieName(app), value: sessionId, attributes: dumped.attributes, warning: dumped.warning });
  }
}

// ---------------------------------------------------------------------------------------------

/** Options of {@link MemoryStore}. */
export interface MemoryStoreOptions {
  /**
   * Most keys held (default {@link DEFAULT_MAX_ENTRIES}). When a new key would pass it, the key that expires
   * soonest is evicted first, as Redis does under `maxmemory-policy volatile-ttl`.
   */
  maxEntries?: number;
}

/** Default of {@link MemoryStoreOptions.maxEntries}. */
const DEFAULT_MAX_ENTRIES = 100_000;

type Entry = { value: Uint8Array; expiresAt: number };

/**
 * A small in-memory key-value store with Redis's `EX` expiry, satisfying {@link RedisLikeClient}. Hand the
 * same instance to several apps to model workers sharing one Redis; or use ioredis / ioredis-mock instead.
 * Like Redis, it removes expired keys on its own, not only when they are read: every command first drops the
 * keys whose time has come (a heap ordered by expiry, so each key costs O(log n) once), and the number of keys
 * is bounded ({@link MemoryStoreOptions.maxEntries}).
 * @param now clock in Unix seconds (default `Date.now() / 1000`); pass the app's virtual clock in lessons.
 */
export class MemoryStore implements RedisLikeClient {
  private readonly data = new Map<string, Entry>();
  /** Binary min-heap of (expiresAt, key, entry); an item whose entry was replaced or deleted is skipped when it surfaces. */
  private heap: { at: number; key: string; entry: Entry }[] = [];
  private readonly now: () => number;
  readonly maxEntries: number;
  constructor(now: () => number = () => Date.now() / 1000, options: MemoryStoreOptions = {}) {
    this.now = now;
    const max = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    if (!(Number.isInteger(max) && max >= 1)) throw new RangeError(`maxEntries must be a whole number of at least 1, not ${max}`);
    this.maxEntries = max;
  }

  private push(item: { at: number; key: string; entry: Entry }): void {
    const h = this.heap;
    h.push(item);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (h[p]!.at <= item.at) break;
      h[i] = h[p]!;
      i = p;
    }
    h[i] = item;
  }
  private popTop(): void {
    const h = this.heap;
    const last = h.pop()!;
    if (!h.length) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= h.length) break;
      const c = l + 1 < h.length && h[l + 1]!.at < h[l]!.at ? l + 1 : l;
      if (h[c]!.at >= last.at) break;
      h[i] = h[c]!;
      i = c;
    }
    h[i] = last;
  }
  /** Drops the top of the heap; deletes its key when the item is still the key's current entry. */
  private evictTop(): void {
    const top = this.heap[0]!;
    this.popTop();
    if (this.data.get(top.key) === top.entry) this.data.delete(top.key);
  }
  /** Removes every key whose expiry has come, and rebuilds the heap when stale items outnumber live keys. */
  private sweep(): void {
    const now = this.now();
    while (this.heap.length && this.heap[0]!.at <= now) this.evictTop();
    if (this.heap.length > 2 * this.data.size + 1024) {
      this.heap = [];
      for (const [key, entry] of this.data) this.push({ at: entry.expiresAt, key, entry });
    }
  }
  private live(key: string): Entry | null {
    this.sweep();
    return this.data.get(key) ?? null;
  }
  /** `GET key` as bytes (a copy), or null. */
  async getBuffer(key: string): Promise<Uint8Array | null> {
    const e = this.live(key);
    return e ? new Uint8Array(e.value) : null;
  }
  /** `SET key value EX seconds`. @throws {Error} for seconds below 1, as Redis answers. */
  async set(key: string, value: Uint8Array, _mode: 'EX', seconds: number): Promise<'OK'> {
    if (!(seconds > 0)) throw new Error("invalid expire time in 'set' command");
    this.sweep();
    if (!this.data.has(key)) {
      while (this.data.size >= this.maxEntries && this.heap.length) this.evictTop();
    }
    const entry = { value: new Uint8Array(value), expiresAt: this.now() + seconds };
    this.data.set(key, entry);
    this.push({ at: entry.expiresAt, key, entry });
    return 'OK';
  }
  /** `SETEX key seconds value`. */
  async setex(key: string, seconds: number, value: Uint8Array): Promise<'OK'> {
    if (!(seconds > 0)) throw new Error("invalid expire time in 'setex' command");
    return this.set(key, value, 'EX', seconds);
  }
  /** `DEL key`. */
  async del(key: string): Promise<number> {
    return this.live(key) && this.data.delete(key) ? 1 : 0;
  }
  /** `TTL key`. */
  async ttl(key: string): Promise<number> {
    const e = this.live(key);
    if (!e) return -2;
    return Math.ceil(e.expiresAt - this.now());
  }
  /** Live keys, for lessons that show the whole store. */
  keys(): string[] {
    this.sweep();
    return [...this.data.keys()];
  }
  /** How many keys are held right now (`DBSIZE`), expired ones already removed. */
  get size(): number {
    this.sweep();
    return this.data.size;
  }
}

/** Options of {@link FixedSessionInterface}. */
export interface FixedSessionInterfaceOptions {
  /**
   * Where sessions live: share one store between app instances to share sessions. Default: a new
   * {@link MemoryStore} on the `now` clock, holding at most `maxEntries` sessions; expired ones are removed.
   */
  store?: RedisLikeClient;
  /** Clock of the default store, Unix seconds (pass the app's clock); ignored with `store`. */
  now?: () => number;
  /** Most sessions the default store holds (default {@link DEFAULT_MAX_ENTRIES}); ignored with `store`. */
  maxEntries?: number;
  /** Prepended to store keys (default `session:`). */
  keyPrefix?: string;
  /** Turns bytes into the client's binary type (see {@link defaultToClientBytes}); only needed for ioredis clients. */
  toClientBytes?: (bytes: Uint8Array) => Uint8Array;
  /** The byte source for uuid4 ids (tests pass a fixed one). */
  randomBytes?: (n: number) => Uint8Array;
}

const encoder = new TextEncoder();

const FIXED_SAVE_REASONS: SaveReasons = {
  varyAccessed: reason('fixed.vary-accessed'),
  delete: reason('fixed.delete'),
  emptyUnchanged: reason('fixed.empty-untouched'),
  noRefresh: reason('fixed.no-refresh'),
  storedNoCookie: reason('fixed.stored-no-cookie'),
  cookieRefresh: reason('fixed.cookie-refresh'),
};

/**
 * `MySessionInterface` with each flaw corrected, keeping its shape (uuid4 id signed with salt
 * `flask-session`, json values): the store is written by assignment with a TTL (`SET … EX`), emptied
 * sessions are deleted, `should_set_cookie` decides the Set-Cookie and `Vary: Cookie` is added, the store can
 * be shared between processes, an unknown id is replaced (no fixation), and without a secret key Flask's
 * NullSession gives its clear "no secret key was set" error instead of a crash.
 * @param options see {@link FixedSessionInterfaceOptions}.
 */
export class FixedSessionInterface extends UuidSidInterface {
  /** The Python class this mirrors, for traces (a minified build renames JS classes). */
  override readonly interfaceName: string = 'FixedSessionInterface';
  readonly store: RedisLikeClient;
  readonly keyPrefix: string;
  private readonly toClientBytes: (bytes: Uint8Array) => Uint8Array;

  constructor(options: FixedSessionInterfaceOptions = {}) {
    super(options.randomBytes);
    this.store = options.store ?? new MemoryStore(options.now, { maxEntries: options.maxEntries });
    this.keyPrefix = options.keyPrefix ?? 'session:';
    this.toClientBytes = options.toClientBytes ?? defaultToClientBytes;
  }

  private fresh(request: Request, why: Reason): ServerSideSession {
    const session = new ServerSideSession(null, this.generateSid());
    request.trace.emit({ type: 'session-opened', stage: 'open', kind: 'new', why, data: session.toDict() });
    return session;
  }

  /** Opens the session; returns null (so Flask uses its NullSession) when no secret key is set. */
  async openSession(app: SessionApp, request: Request): Promise<ServerSideSession | null> {
    const trace = request.trace;
    const signer = this.getSigner(app);
    if (signer === null) {
      trace.emit({ type: 'session-opened', stage: 'open', kind: 'null', why: reason('fixed.no-secret-key'), data: new Map() });
      return null;
    }
    const name = this.getCookieName(app);
    const cookie = request.cookies.get(name) ?? null;
    trace.emit({ type: 'cookie-read', stage: 'open', name, value: cookie });
    if (!cookie) return this.fresh(request, reason('my.no-cookie', { name }));
    let sid: string;
    try {
      sid = utf8Decode(signer.unsign(cookie));
      trace.emit({ type: 'signature-checked', stage: 'open', ok: true, why: reason('my.id-verifies') });
    } catch (err) {
      if (!(err instanceof BadSignature)) throw err;
      trace.emit({ type: 'signature-checked', stage: 'open', ok: false, errorClass: err.name, message: err.message, why: reason('my.id-altered') });
      return this.fresh(request, reason('my.bad-signature-new'));
    }
    const key = this.keyPrefix + sid;
    const raw = await this.store.getBuffer(key);
    trace.emit({ type: 'store-op', stage: 'store', command: 'GET', key, hit: raw !== null, ...(raw ? { bytes: raw.length } : {}), why: reason('fixed.get') });
    if (raw === null) return this.fresh(request, reason('fixed.store-miss', { key }));
    // A stored value that does not parse is an error worth seeing, not something to swallow.
    const data = jsonLoads(utf8Decode(new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength)));
    const session = new ServerSideSession(isDict(data) ? new Map(dictEntries(data)) : null, sid);
    trace.emit({ type: 'session-opened', stage: 'open', kind: 'loaded', why: reason('fixed.loaded', { key }), data: session.toDict() });
    return session;
  }

  /**
   * Saves as Flask-Session does ({@link saveServerSideSession}): DEL + delete cookie when emptied (the removing cookie
   * keeps Secure, HttpOnly and SameSite), `SET key json EX lifetime` when changed (or refreshed), the signed id in
   * the cookie when `shouldSetCookie`.
   */
  async saveSession(app: SessionApp, session: SessionMixin, response: Response): Promise<void> {
    const s = session as ServerSideSession;
    const key = this.keyPrefix + s.sid;
    await saveServerSideSession(this, app, s, response, {
      reasons: FIXED_SAVE_REASONS,
      deleteCookieAttributes: { secure: this.getCookieSecure(app), httponly: this.getCookieHttponly(app), samesite: this.getCookieSamesite(app) },
      refresh: s.modified || pyTruthy(app.config.SESSION_REFRESH_EACH_REQUEST),
      forget: async (trace) => {
        const n = await this.store.del(key);
        trace?.emit({ type: 'store-op', stage: 'store', command: 'DEL', key, hit: n > 0, why: reason('fixed.forget') });
      },
      write: async (trace) => {
        const ttl = Math.trunc(app.config.PERMANENT_SESSION_LIFETIME);
        const value = encoder.encode(pyJsonDumps(s.toDict()));
        trace?.emit({ type: 'store-op', stage: 'store', command: 'SET', key, ttl, bytes: value.length, why: reason('fixed.set') });
        await this.store.set(key, this.toClientBytes(value) as never, 'EX', ttl);
      },
      cookieValue: () => utf8Decode(this.getSigner(app)!.sign(s.sid)),
    });
  }
}
