// Why a trace event happened, as data: a code plus the parameters it needs. The engine never writes prose
// into a trace; each reader renders a reason in its own language. English lives here (the CLI, the servers
// and the tests use it); the visualizer keeps a table per language with the same codes, checked by the
// compiler against {@link ReasonParams}.

type None = Record<string, never>;

/** The parameters of every reason, by code. A `cause` or `purpose` is itself a reason. */
export interface ReasonParams {
  // Flask's cookie session (flask/sessions.py)
  'cookie.no-secret-key': None;
  'cookie.absent': { name: string };
  'cookie.signature-ok': { digest: string; maxAge: number };
  'cookie.loaded': None;
  'cookie.bad-signature-new': { cause: Reason };
  'cookie.bad-payload': None;
  'signature.future': None;
  'signature.expired': { maxAge: number };
  'signature.missing': None;
  'signature.timestamp': None;
  'signature.mismatch': None;
  'vary.session-used': None;
  'vary.session-accessed': None;
  'vary.cookie-deleted': None;
  'vary.cookie-set': None;
  'save.cookie-delete': None;
  'save.empty-unchanged': None;
  'save.unchanged-no-refresh': None;
  'save.unchanged-not-permanent': None;
  'save.modified': None;
  'save.cookie-refresh': None;
  // Flask's app (flask/app.py)
  'app.open-raised': None;
  'app.null-session': None;
  'app.after-request-raised': None;
  'app.skip-null-session': None;
  'app.save-raised': None;
  'app.save-raised-again': None;
  // Flask-Session 0.8 (flask_session/base.py, redis)
  'server.new-sid': { cause: Reason; sid: string };
  'server.sid-unsigned-bad': None;
  'server.store-miss': { key: string };
  'server.sid-signature-ok': None;
  'server.sid-signature-bad': None;
  'server.store-holds': { key: string };
  'server.delete': None;
  'server.empty-unchanged': None;
  'server.no-refresh': None;
  'server.ttl-refreshed': None;
  'server.cookie-refresh': None;
  'store.get': { purpose: Reason; found: boolean; bytes?: number };
  'store.set': { purpose: Reason; key: string; bytes: number; ttl: number };
  'store.setex': { purpose: Reason; key: string; bytes: number; ttl: number };
  'store.del': { purpose: Reason; removed: boolean };
  'store.other-format': { expected: string; found: string };
  'store.unsafe-pickle': None;
  'purpose.load': None;
  'purpose.load-pickle': None;
  'purpose.forget': None;
  'purpose.store': { format: string };
  'purpose.store-pickle': { protocol: number };
  // Flask-Session 0.3.2
  'legacy.null-interface': None;
  'legacy.no-cookie': { name: string; sid: string };
  'legacy.signer-no-key': None;
  'legacy.sid-signature-bad': None;
  'legacy.bad-signature-new': { sid: string };
  'legacy.unpickled': { key: string };
  'legacy.unsafe-pickle': { message: string };
  'legacy.unpickle-failed': { message: string };
  'legacy.unreadable': None;
  'legacy.store-miss': { key: string };
  'legacy.delete': None;
  'legacy.empty-unchanged': None;
  'legacy.always-save': None;
  // The tutorial's MySessionInterface and its corrected FixedSessionInterface
  'my.no-cookie': { name: string };
  'my.id-verifies': None;
  'my.id-altered': None;
  'my.bad-signature-new': None;
  'my.container-get': None;
  'my.loaded': None;
  'my.container-miss': None;
  'my.setdefault-kept': { value: string };
  'my.setdefault-first': { value: string };
  'my.always-cookie': None;
  'fixed.no-secret-key': None;
  'fixed.store-miss': { key: string };
  'fixed.get': None;
  'fixed.loaded': { key: string };
  'fixed.vary-accessed': None;
  'fixed.delete': None;
  'fixed.forget': None;
  'fixed.empty-untouched': None;
  'fixed.no-refresh': None;
  'fixed.set': None;
  'fixed.stored-no-cookie': None;
  'fixed.cookie-refresh': None;
  // Flask-Session 0.8's file store (cachelib) and SQL store
  'files.prune': { threshold: number; removed: number };
  'files.read-missing': { file: string };
  'files.read': { file: string; bytes: number };
  'files.read-expired': { file: string; expires: number };
  'files.unsafe-pickle': None;
  'files.unreadable': None;
  'files.delete': { removed: boolean };
  'files.write': { file: string; expires: number; protocol: number; bytes: number };
  'sql.select': { found: boolean; bytes?: number; expiry: string };
  'sql.expired': None;
  'sql.delete': { removed: boolean };
  'sql.store': { format: string; bytes: number; expiry: string };
  'sql.cleanup': { removed: number };
  // The demo servers around the engine (src/server/store-guard.ts)
  'guard.inflated-past-cap': { cap: number; browserLimit: number };
  'guard.payload-too-complex': { limit: number };
  'guard.open-unavailable': None;
  'guard.too-large': None;
  'guard.unreadable': None;
  'guard.save-unavailable': None;
  'guard.connection-failure': None;
  'guard.save-outcome-unknown': None;
  'guard.outcome-unknown': None;
}

export type ReasonCode = keyof ReasonParams;

/** A structured reason: what a reader renders in its own language. Plain data (JSON-safe). */
export type Reason = { [C in ReasonCode]: { code: C; params: ReasonParams[C] } }[ReasonCode];

/** Builds a reason; `params` is omitted for codes that take none. */
export function reason<C extends ReasonCode>(code: C, ...params: ReasonParams[C] extends None ? [] : [ReasonParams[C]]): Reason {
  return { code, params: (params[0] ?? {}) as ReasonParams[C] } as Reason;
}

/** One language's rendering of every code; `r` renders a nested reason (a cause or a purpose) in the same language. */
export type ReasonTable = { [C in ReasonCode]: (p: ReasonParams[C], r: (inner: Reason) => string) => string };

/** Renders a reason with a table (the same function serves every language). */
export function renderReason(table: ReasonTable, why: Reason): string {
  const render = (inner: Reason): string => (table[inner.code] as (p: unknown, r: (x: Reason) => string) => string)(inner.params, render);
  return render(why);
}

const bytesNote = (n: number | undefined): string => (n === undefined ? '' : ` (${n} bytes)`);

/** The English rendering of every reason code. */
export const REASONS_EN: ReasonTable = {
  'cookie.no-secret-key': () => 'SECRET_KEY is not set, so there is no signing serializer',
  'cookie.absent': (p) => `the request carries no "${p.name}" cookie`,
  'cookie.signature-ok': (p) => `HMAC-${p.digest} matches and the cookie is at most ${p.maxAge} s old`,
  'cookie.loaded': () => 'the cookie verified; its data becomes the session',
  'cookie.bad-signature-new': (p, r) => `${r(p.cause)}; Flask quietly starts an empty session`,
  'cookie.bad-payload': () => 'the signature is valid but the payload cannot be decoded; Flask does not catch this',
  'signature.future': () => 'the cookie was signed in the future (the clocks disagree), which max_age refuses',
  'signature.expired': (p) => `the cookie is older than PERMANENT_SESSION_LIFETIME (${p.maxAge} s), so max_age refuses it`,
  'signature.missing': () => 'the cookie has no signature at all',
  'signature.timestamp': () => "the cookie's timestamp part is missing or malformed",
  'signature.mismatch': () => 'the signature does not match: the cookie was altered, or signed with another SECRET_KEY or salt',
  'vary.session-used': () => 'the view used the session, so caches must key this response on the Cookie header',
  'vary.session-accessed': () => 'the session was accessed, so caches must key this response on the Cookie header',
  'vary.cookie-deleted': () => 'a cookie was deleted',
  'vary.cookie-set': () => 'a cookie was set',
  'save.cookie-delete': () => 'the session is empty and was modified (e.g. cleared), so the cookie is deleted',
  'save.empty-unchanged': () => 'the session is empty and unchanged: nothing to send',
  'save.unchanged-no-refresh': () => 'the session is unchanged and SESSION_REFRESH_EACH_REQUEST is off',
  'save.unchanged-not-permanent': () => 'the session is unchanged and not permanent, so the browser keeps the cookie it has',
  'save.modified': () => 'the session was modified',
  'save.cookie-refresh': () => 'the session is permanent and SESSION_REFRESH_EACH_REQUEST is on, so the cookie is re-signed to roll its expiry',
  'app.open-raised': () => 'open_session raised, so the request ends with a 500 and the session is never saved',
  'app.null-session': () => 'open_session returned None, so Flask substitutes a NullSession: reads work, writes raise',
  'app.after-request-raised': () => 'an after_request function raised: the response becomes a 500 and the session is not saved',
  'app.skip-null-session': () => 'the session is a NullSession, so save_session is not called',
  'app.save-raised': () => 'save_session raised, so the request ends with a 500',
  'app.save-raised-again': () => 'saving the session on the 500 response failed too; Flask sends that response as it stands',
  'server.new-sid': (p, r) => `${r(p.cause)}; new sid ${p.sid}`,
  'server.sid-unsigned-bad': () => 'the signed session id did not verify',
  'server.store-miss': (p) =>
    `the store has nothing under ${p.key} (expired, deleted, or an id the server never issued), so the id is not reused: this is the defence against session fixation`,
  'server.sid-signature-ok': () => 'the HMAC-SHA1 of the session id (salt "flask-session") matches',
  'server.sid-signature-bad': () => 'the session id was altered or signed with another SECRET_KEY',
  'server.store-holds': (p) => `the store holds ${p.key}`,
  'server.delete': () => 'the session was emptied: its store key is deleted and the browser told to drop the cookie',
  'server.empty-unchanged': () => 'the session is empty (or holds only _permanent) and unchanged: nothing is stored and no cookie is sent',
  'server.no-refresh': () => 'the session is unchanged and SESSION_REFRESH_EACH_REQUEST is off: no store write, no cookie',
  'server.ttl-refreshed': () => 'the store TTL was refreshed, but the session is unchanged and not permanent, so the browser keeps the cookie it has',
  'server.cookie-refresh': () => 'the session is permanent and SESSION_REFRESH_EACH_REQUEST is on, so the cookie expiry rolls forward',
  'store.get': (p, r) => `${r(p.purpose)}: ${p.found ? `found${bytesNote(p.bytes)}` : 'nothing stored'}`,
  'store.set': (p, r) => `${r(p.purpose)}: SET ${p.key} <${p.bytes} bytes> EX ${p.ttl}`,
  'store.setex': (p, r) => `${r(p.purpose)}: SETEX ${p.key} ${p.ttl} <${p.bytes} bytes>`,
  'store.del': (p, r) => `${r(p.purpose)}: ${p.removed ? 'key removed' : 'no such key'}`,
  'store.other-format': (p) =>
    `the stored value is not ${p.expected}; it was read as ${p.found}${p.found === 'pickle' ? ' by the safe reader (Python would run pickle.loads here)' : ''} and will be rewritten as ${p.expected} on save`,
  'store.unsafe-pickle': () => 'Flask-Session 0.8 falls back to pickle.loads, which would have executed this payload; the safe reader refused it',
  'purpose.load': () => 'load the session data for the id in the cookie',
  'purpose.load-pickle': () => 'load the pickled session',
  'purpose.forget': () => 'forget the session on the server',
  'purpose.store': (p) => `store the session as ${p.format}`,
  'purpose.store-pickle': (p) => `store pickle protocol ${p.protocol}`,
  'legacy.null-interface': () =>
    'SESSION_TYPE is not a store Flask-Session 0.3.2 knows, so it installed NullSessionInterface; writes will blame a missing secret key',
  'legacy.no-cookie': (p) => `no "${p.name}" cookie: new uuid4 id ${p.sid}`,
  'legacy.signer-no-key': () => 'use_signer is on but SECRET_KEY is not set, so open_session returns None',
  'legacy.sid-signature-bad': () => 'the session id was altered or signed with another key',
  'legacy.bad-signature-new': (p) => `bad signature: new uuid4 id ${p.sid}`,
  'legacy.unpickled': (p) => `unpickled ${p.key}`,
  'legacy.unsafe-pickle': (p) =>
    `${p.message}. Flask-Session 0.3.2 calls pickle.loads here and would have run it; its bare except then hands out an empty session with the same id`,
  'legacy.unpickle-failed': (p) => `the stored value could not be unpickled (${p.message}); 0.3.2's bare except gives an empty session with the same id`,
  'legacy.unreadable': () => 'unreadable stored value: empty session, same id',
  'legacy.store-miss': (p) =>
    `nothing stored under ${p.key}, yet 0.3.2 keeps the id the client sent: an attacker who plants a cookie knows the victim's future session id (session fixation)`,
  'legacy.delete': () => 'the session was emptied: DEL the key and delete the cookie (Domain and Path only)',
  'legacy.empty-unchanged': () => 'the session is empty and unchanged',
  'legacy.always-save': () => 'Flask-Session 0.3.2 has no should_set_cookie check: it rewrites the store and the cookie on every request, changed or not',
  'my.no-cookie': (p) => `no "${p.name}" cookie: a new uuid4 id`,
  'my.id-verifies': () => 'the signed id verifies',
  'my.id-altered': () => 'the id was altered',
  'my.bad-signature-new': () => 'bad signature: a new uuid4 id',
  'my.container-get': () => "read this process's in-memory dict",
  'my.loaded': () => 'json.loads of the stored text: a fresh copy',
  'my.container-miss': () => "nothing in this process's container for that id (another worker, a restart, or never saved)",
  'my.setdefault-kept': (p) => `the id is already stored, so setdefault keeps the old value and drops ${p.value}`,
  'my.setdefault-first': (p) => `first save for this id: stores ${p.value}`,
  'my.always-cookie': () => 'the tutorial sets the cookie on every response, whatever happened',
  'fixed.no-secret-key': () => 'no SECRET_KEY: return None so Flask substitutes its NullSession, whose writes raise a clear RuntimeError',
  'fixed.store-miss': (p) => `nothing stored under ${p.key} (expired or deleted): a new id, never the one the client sent`,
  'fixed.get': () => 'load the session data',
  'fixed.loaded': (p) => `json.loads of ${p.key}`,
  'fixed.vary-accessed': () => 'the session was accessed',
  'fixed.delete': () => 'the session was emptied: delete the stored data and the cookie',
  'fixed.forget': () => 'forget the session on the server',
  'fixed.empty-untouched': () => 'an empty, untouched session is not stored: visitors who never log in cost nothing',
  'fixed.no-refresh': () => 'unchanged and SESSION_REFRESH_EACH_REQUEST is off',
  'fixed.set': () => 'assignment, not setdefault: the latest data replaces the old, and the TTL makes it expire',
  'fixed.stored-no-cookie': () => 'stored, but the cookie is unchanged and not permanent: no Set-Cookie needed',
  'fixed.cookie-refresh': () => 'permanent session: refresh the cookie expiry',
  'files.prune': (p) => `more than ${p.threshold} files: expired files deleted${p.removed ? `, then the ${p.removed} expiring soonest` : ''}`,
  'files.read-missing': (p) => `open the file ${p.file} (the MD5 of the key): no such file`,
  'files.read': (p) => `open the file ${p.file} (the MD5 of the key): ${p.bytes} bytes, unpickled`,
  'files.read-expired': (p) => `open the file ${p.file} (the MD5 of the key): expired at ${p.expires}, so ignored (it stays on disk until the directory is pruned)`,
  'files.unsafe-pickle': () =>
    'cachelib calls pickle.load on every session file, which would have run this payload; the safe reader refused it and the session is treated as absent',
  'files.unreadable': () => 'the file is not a readable pickle; cachelib logs it and the session is treated as absent',
  'files.delete': (p) => `forget the session on the server: ${p.removed ? 'file removed' : 'no such file'}`,
  'files.write': (p) => `write ${p.file}: expiry ${p.expires} and pickle protocol ${p.protocol} (${p.bytes} bytes)`,
  'sql.select': (p) => (p.found ? `load the row for the id in the cookie: found${bytesNote(p.bytes)}, expiry ${p.expiry}` : 'load the row for the id in the cookie: no such row'),
  'sql.expired': () => 'the row has expired (SQL keeps it until someone deletes it): delete it and treat the session as absent',
  'sql.delete': (p) => `forget the session on the server: ${p.removed ? 'row removed' : 'no such row'}`,
  'sql.store': (p) => `store the session as ${p.format} (${p.bytes} bytes), expiry ${p.expiry} UTC`,
  'sql.cleanup': (p) => `clean-up: ${p.removed} expired row${p.removed === 1 ? '' : 's'} removed`,
  'guard.payload-too-complex': (p) =>
    `the payload holds more than ${p.limit} values, more than this server parses for one request (its limit: Flask would parse them all, which takes seconds for a million); an unreadable payload is a 500 in Flask too`,
  'guard.inflated-past-cap': (p) =>
    `the payload inflates past ${p.cap} bytes, more than any cookie a browser keeps (${p.browserLimit} bytes) can carry, so it is not read: this server's limit. Flask would inflate it all, then fail or not on its content; an unreadable payload is a 500 there too`,
  'guard.open-unavailable': () => 'the session store did not answer while opening the session, so the server answers 503 and writes nothing',
  'guard.too-large': () => 'the stored session is larger than the server reads, so it is left unread and the request starts a fresh session',
  'guard.unreadable': () =>
    'the stored session could not be read safely, so it is refused and the request starts a fresh session (Flask-Session itself would answer 500 here, or run the pickle)',
  'guard.save-unavailable': () => 'the session store did not answer while saving, so the server answers 503 and sends no cookie',
  'guard.connection-failure': () =>
    'the cause is a connection failure to the session store, not a bug: 503 tells the client to retry, and no Set-Cookie goes out',
  'guard.save-outcome-unknown': () =>
    'the write reached the session store but no answer came back, so whether it was applied is unknown (the store may hold the new session or the old one); the server answers 503 and sends no cookie',
  'guard.outcome-unknown': () => 'the session store took the write but never confirmed it: the outcome is unknown, so the answer is a 503 that says so, with no Set-Cookie',
};

/** A reason in English: the text the CLI, the servers and the tests read. */
export function reasonText(why: Reason): string {
  return renderReason(REASONS_EN, why);
}
