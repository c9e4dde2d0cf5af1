// Mirrors flask/sessions.py, Flask 3.1.3:
// https://github.com/pallets/flask/blob/3.1.3/src/flask/sessions.py
import { BadData, BadPayload, BadSignature, SignatureExpired } from '../itsdangerous/exc.ts';
import { DEFAULT_MAX_DECOMPRESSED_SIZE, URLSafeTimedSerializer } from '../itsdangerous/url_safe.ts';
import type { DataSerializer } from '../itsdangerous/serializer.ts';
import type { DigestName } from '../itsdangerous/signer.ts';
import { sessionJsonSerializer } from './json/tag.ts';
import { RuntimeError } from '../python/errors.ts';
import { pyDict } from '../python/dict.ts';
import { pyTruthy, type PyDict, type PyKey, type PyObject, type PyValue } from '../python/values.ts';
import { CallbackDict } from '../werkzeug/datastructures.ts';
import type { Request, Response } from './wrappers.ts';
import { reason, type Reason } from './reasons.ts';
import type { SessionApp } from './config.ts';
import { reuseSigningSerializer } from './signing-cache.ts';

// The dict under the sessions and the configuration they read live in their own modules; importers of this one
// still find them here.
export { CallbackDict } from '../werkzeug/datastructures.ts';
export { DEFAULT_CONFIG, type FlaskConfig, type SessionApp } from './config.ts';

/**
 * What every session offers on top of the dict (Flask's `SessionMixin`): the `permanent` flag kept
 * under `_permanent`, and the `new`, `modified` and `accessed` flags the interfaces read.
 */
export class SessionMixin extends CallbackDict {
  /** Whether the session was created on this request (always false for the cookie session). */
  new = false;
  /** Set by any change to the dict itself; a nested mutation must set it by hand. */
  modified = true;
  /** Set when the view touched the session at all (Flask 3.1.3: any access through `flask.session`). */
  accessed = false;

  /** Reads `_permanent`, defaulting to false. */
  get permanent(): boolean {
    return pyTruthy(this.get('_permanent', false));
  }
  /** Stores `bool(value)` under `_permanent`, which counts as a change. */
  set permanent(value: boolean) {
    this.set('_permanent', Boolean(value));
  }
}

/** The signed-cookie session: a dict that records changes in `modified`. Mirrors `SecureCookieSession`. */
export class SecureCookieSession extends SessionMixin {
  constructor(initial?: PyDict | PyObject | null) {
    super(initial, (self) => {
      (self as SecureCookieSession).modified = true;
    });
    this.modified = false;
  }
}

/** The message Flask gives when a session is written without a secret key (note the two spaces). */
export const NULL_SESSION_MESSAGE =
  'The session is unavailable because no secret key was set.  Set the secret_key on the application to something unique and secret.';

/** A read-only empty session used when no secret key is set; every write raises. Mirrors `NullSession`. */
export class NullSession extends SecureCookieSession {
  private fail(): never {
    throw new RuntimeError(NULL_SESSION_MESSAGE);
  }
  override set(..._args: unknown[]): void {
    this.fail();
  }
  override delete(..._args: unknown[]): void {
    this.fail();
  }
  override clear(..._args: unknown[]): void {
    this.fail();
  }
  override pop(..._args: unknown[]): PyValue {
    this.fail();
  }
  override popitem(): [PyKey, PyValue] {
    this.fail();
  }
  override update(..._args: unknown[]): void {
    this.fail();
  }
  override setdefault(..._args: unknown[]): PyValue {
    this.fail();
  }
}

/**
 * The interface Flask calls around every request to open and save the session. Mirrors
 * `SessionInterface`: one small `getCookie*` hook per cookie attribute, each reading its config key.
 */
export abstract class SessionInterface {
  /** The class whose instance stands in when no session can be opened. */
  nullSessionClass: new () => SessionMixin = NullSession;
  /** The name traces show for this interface; each concrete class sets its Python class name. */
  readonly interfaceName: string = 'SessionInterface';
  /** Whether the interface stores pickles (Flask-Session's legacy stores do). */
  pickleBased = false;

  /** Creates the stand-in session. */
  makeNullSession(_app: SessionApp): SessionMixin {
    return new this.nullSessionClass();
  }
  /** Whether `obj` is the stand-in session (then `saveSession` is not called). */
  isNullSession(obj: unknown): boolean {
    return obj instanceof this.nullSessionClass;
  }
  /** `SESSION_COOKIE_NAME`. */
  getCookieName(app: SessionApp): string {
    return app.config.SESSION_COOKIE_NAME;
  }
  /**
   * `SESSION_COOKIE_DOMAIN` as it is (since 2.3 there is no fallback to `SERVER_NAME`): Werkzeug 3.1 then
   * writes `Domain=` for `''` or `'.'`. (Flask 2.2 turned `''` into no domain and kept `'.'` as `Domain=.`.)
   */
  getCookieDomain(app: SessionApp): string | null {
    return app.config.SESSION_COOKIE_DOMAIN ?? null;
  }
  /** `SESSION_COOKIE_PATH`, or `APPLICATION_ROOT` when that is falsy (Python truthiness). */
  getCookiePath(app: SessionApp): string {
    return pyTruthy(app.config.SESSION_COOKIE_PATH) ? app.config.SESSION_COOKIE_PATH! : app.config.APPLICATION_ROOT;
  }
  /** `SESSION_COOKIE_HTTPONLY`. */
  getCookieHttponly(app: SessionApp): boolean {
    return app.config.SESSION_COOKIE_HTTPONLY;
  }
  /** `SESSION_COOKIE_SECURE`. */
  getCookieSecure(app: SessionApp): boolean {
    return app.config.SESSION_COOKIE_SECURE;
  }
  /** `SESSION_COOKIE_SAMESITE`. */
  getCookieSamesite(app: SessionApp): string | null {
    return app.config.SESSION_COOKIE_SAMESITE;
  }
  /** `SESSION_COOKIE_PARTITIONED` (new in Flask 3.1). */
  getCookiePartitioned(app: SessionApp): boolean {
    return app.config.SESSION_COOKIE_PARTITIONED;
  }
  /** Now plus `PERMANENT_SESSION_LIFETIME` for a permanent session; null (a browser-session cookie) otherwise. */
  getExpirationTime(app: SessionApp, session: SessionMixin): Date | null {
    if (!session.permanent) return null;
    return new Date((app.now() + app.config.PERMANENT_SESSION_LIFETIME) * 1000);
  }
  /** Send the cookie when the session changed, or when it is permanent and `SESSION_REFRESH_EACH_REQUEST` is truthy. */
  shouldSetCookie(app: SessionApp, session: SessionMixin): boolean {
    return pyTruthy(session.modified) || (session.permanent && pyTruthy(app.config.SESSION_REFRESH_EACH_REQUEST));
  }
  /** Loads the session for a request; null means "use the null session". */
  abstract openSession(app: SessionApp, request: Request): SessionMixin | null | Promise<SessionMixin | null>;
  /** Writes the session to the response (and to the store, for server-side interfaces). */
  abstract saveSession(app: SessionApp, session: SessionMixin, response: Response): void | Promise<void>;
}

/** Flask's tagged JSON as the signed serializer's data format, with keys sorted as inside a request. */
export const sortedSessionSerializer: DataSerializer = {
  dumps: (obj) => sessionJsonSerializer.dumps(obj as PyValue, { sortKeys: true }),
  loads: (payload) => sessionJsonSerializer.loads(payload),
};

/**
 * The session dict Flask 3.1 builds from a verified payload: `session_class(data)`, whose Werkzeug 3.1
 * `CallbackDict` calls `dict(data)` unless `data` is None. So null gives an empty dict, a dict is copied,
 * a sequence of pairs becomes a dict, and anything else raises as Python does: `0`, `false` and `0.0`
 * included. (Werkzeug 2.2's `CallbackDict` called `dict(data or ())`, so there any falsy payload gave an
 * empty session; pass `{ werkzeug22: true }` for that.)
 * @throws {PyTypeError} / {PyValueError} with Python's message (Flask lets it become a 500).
 */
export function dictFromPayload(data: PyValue, options: { werkzeug22?: boolean } = {}): PyDict {
  if (data === null || (options.werkzeug22 && !pyTruthy(data))) return new Map();
  return pyDict(data);
}

/** Explains, in a sentence, why itsdangerous refused a cookie. */
function explainBadSignature(err: BadData, maxAge: number): Reason {
  if (err instanceof SignatureExpired) {
    return err.message.includes('< 0') ? reason('signature.future') : reason('signature.expired', { maxAge });
  }
  if (err.message.startsWith('No ')) return reason('signature.missing');
  if (err.message.includes('timestamp')) return reason('signature.timestamp');
  return reason('signature.mismatch');
}

/**
 * Flask's default: the whole session, serialized and signed, lives in the cookie.
 * Mirrors `SecureCookieSessionInterface`: salt `cookie-session`, HMAC key derivation, SHA-1.
 */
export class SecureCookieSessionInterface extends SessionInterface {
  /** The Python class this mirrors, for traces (a minified build renames JS classes). */
  override readonly interfaceName: string = 'SecureCookieSessionInterface';
  salt = 'cookie-session';
  digestMethod: DigestName = 'sha1';
  keyDerivation = 'hmac';
  serializer: DataSerializer = sortedSessionSerializer;
  sessionClass: new (initial?: PyDict | null) => SecureCookieSession = SecureCookieSession;
  /**
   * Build the session from the payload as Werkzeug 2.2's CallbackDict did (`dict(data or ())`: a falsy `0`,
   * `false` or `0.0` gives an empty session) instead of 3.1's `dict(data)` (they raise TypeError). For checking
   * the engine against Flask 2.2; the default follows Flask 3.1.
   */
  werkzeug22 = false;
  /**
   * Largest payload a compressed cookie may inflate to, in bytes (Flask has no such limit); past it the payload is
   * unreadable (BadPayload, so a 500, as for any payload Flask cannot decode). A server may lower it.
   */
  maxDecompressedSize: number = DEFAULT_MAX_DECOMPRESSED_SIZE;

  /**
   * The serializer for this app's keys, or null when SECRET_KEY is falsy in Python's sense (None, `''`,
   * `b''`): then Flask uses the NullSession. Signs with SECRET_KEY, verifies with it and each fallback
   * (`SECRET_KEY_FALLBACKS` is read only when truthy, as Flask 3.1's `if fallbacks := ...`).
   */
  getSigningSerializer(app: SessionApp): URLSafeTimedSerializer | null {
    if (!pyTruthy(app.config.SECRET_KEY)) return null;
    const fallbacks = app.config.SECRET_KEY_FALLBACKS;
    const keys = [...(pyTruthy(fallbacks) ? (typeof fallbacks === 'string' ? Array.from(fallbacks as string) : fallbacks!) : []), app.config.SECRET_KEY!];
    // Flask builds a new serializer on every request; the engine reuses the one it built while these stay the same.
    const settings = [this.salt, this.keyDerivation, this.digestMethod, this.serializer, this.maxDecompressedSize, ...keys];
    return reuseSigningSerializer(app, settings, () => this.buildSigningSerializer(app, keys));
  }

  private buildSigningSerializer(app: SessionApp, keys: (string | Uint8Array)[]): URLSafeTimedSerializer {
    return new URLSafeTimedSerializer(keys, {
      salt: this.salt,
      serializer: this.serializer,
      maxDecompressedSize: this.maxDecompressedSize,
      signerKwargs: { keyDerivation: this.keyDerivation, digestMethod: this.digestMethod, now: () => Math.floor(app.now()) },
    });
  }

  /**
   * Reads and verifies the session cookie. A missing cookie or any bad signature (tampered, wrong
   * key, expired, future) gives a fresh empty session; a bad payload behind a good signature throws.
   * @throws {BadPayload} when the signature is valid but the payload cannot be decoded.
   */
  openSession(app: SessionApp, request: Request): SecureCookieSession | null {
    const trace = request.trace;
    const s = this.getSigningSerializer(app);
    if (s === null) {
      trace.emit({ type: 'session-opened', stage: 'open', kind: 'null', why: reason('cookie.no-secret-key'), data: new Map() });
      return null;
    }
    const name = this.getCookieName(app);
    const val = request.cookies.get(name) ?? null;
    trace.emit({ type: 'cookie-read', stage: 'open', name, value: val });
    if (!val) {
      const session = new this.sessionClass();
      trace.emit({ type: 'session-opened', stage: 'open', kind: 'new', why: reason('cookie.absent', { name }), data: session.toDict() });
      return session;
    }
    const maxAge = Math.trunc(app.config.PERMANENT_SESSION_LIFETIME);
    try {
      const [data, signedAt] = s.loadsWithTimestamp(val, maxAge);
      trace.emit({ type: 'signature-checked', stage: 'open', ok: true, why: reason('cookie.signature-ok', { digest: this.digestMethod.toUpperCase(), maxAge }) });
      const session = new this.sessionClass(dictFromPayload(data as PyValue, { werkzeug22: this.werkzeug22 }));
      trace.emit({
        type: 'payload-decoded',
        stage: 'open',
        data: session.toDict(),
        timestamp: signedAt.getTime() / 1000,
        compressed: val.startsWith('.'),
      });
      trace.emit({ type: 'session-opened', stage: 'open', kind: 'loaded', why: reason('cookie.loaded'), data: session.toDict() });
      return session;
    } catch (err) {
      if (err instanceof BadSignature) {
        const why = explainBadSignature(err, maxAge);
        trace.emit({ type: 'signature-checked', stage: 'open', ok: false, errorClass: err.name, message: err.message, why });
        const session = new this.sessionClass();
        trace.emit({ type: 'session-opened', stage: 'open', kind: 'new', why: reason('cookie.bad-signature-new', { cause: why }), data: session.toDict() });
        return session;
      }
      if (err instanceof BadPayload) {
        trace.emit({ type: 'error', stage: 'open', error: `${err.name}: ${err.message}`, why: reason('cookie.bad-payload') });
      }
      throw err;
    }
  }

  /**
   * Writes the session into a `Set-Cookie` header, deletes the cookie when the session was emptied,
   * or does nothing, following Flask's decision tree; adds `Vary: Cookie` whenever the session was used.
   */
  saveSession(app: SessionApp, session: SessionMixin, response: Response): void {
    const trace = response.trace;
    const name = this.getCookieName(app);
    const domain = this.getCookieDomain(app);
    const path = this.getCookiePath(app);
    const secure = this.getCookieSecure(app);
    const partitioned = this.getCookiePartitioned(app);
    const samesite = this.getCookieSamesite(app);
    const httponly = this.getCookieHttponly(app);

    if (session.accessed && response.addVary('Cookie')) {
      trace?.emit({ type: 'vary-added', stage: 'save', value: 'Cookie', why: reason('vary.session-used') });
    }
    if (!session.truthy) {
      if (session.modified) {
        trace?.emit({ type: 'save-decision', stage: 'save', action: 'delete-cookie', why: reason('save.cookie-delete') });
        const dumped = response.deleteCookie(name, { domain, path, secure, partitioned, samesite, httponly });
        trace?.emit({ type: 'set-cookie-built', stage: 'save', header: dumped.header, name, value: '', attributes: dumped.attributes, warning: dumped.warning });
        if (response.addVary('Cookie')) trace?.emit({ type: 'vary-added', stage: 'save', value: 'Cookie', why: reason('vary.cookie-deleted') });
      } else {
        trace?.emit({ type: 'save-decision', stage: 'save', action: 'skip', why: reason('save.empty-unchanged') });
      }
      return;
    }
    if (!this.shouldSetCookie(app, session)) {
      trace?.emit({
        type: 'save-decision',
        stage: 'save',
        action: 'skip',
        why: session.permanent ? reason('save.unchanged-no-refresh') : reason('save.unchanged-not-permanent'),
      });
      return;
    }
    trace?.emit({
      type: 'save-decision',
      stage: 'save',
      action: 'set-cookie',
      why: session.modified ? reason('save.modified') : reason('save.cookie-refresh'),
    });
    const expires = this.getExpirationTime(app, session);
    const value = this.getSigningSerializer(app)!.dumps(session.toDict());
    const dumped = response.setCookie(name, value, { expires, httponly, domain, path, secure, partitioned, samesite });
    trace?.emit({ type: 'set-cookie-built', stage: 'save', header: dumped.header, name, value, attributes: dumped.attributes, warning: dumped.warning });
    if (response.addVary('Cookie')) trace?.emit({ type: 'vary-added', stage: 'save', value: 'Cookie', why: reason('vary.cookie-set') });
  }
}
