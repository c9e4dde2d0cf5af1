// Build-time demos for lesson 9, "Other stores, other tokens": Flask-Session 0.8's SQL store on SQLite (every
// statement it sends, expiry by deletion), its file store in cachelib's format, and Flask's signed cookie beside
// an HS256 JWT carrying the same data (what each shows, how each is checked, and the same wordlist cracking both).
import { DatabaseSync } from 'node:sqlite';
import { crack } from '../engine/crack.ts';
import { Flask } from '../engine/flask/app.ts';
import {
  cacheFileExpiry,
  cacheFileName,
  COUNT_KEY,
  FileSystemSessionInterface,
  SqlAlchemySessionInterface,
  type SqlLikeClient,
  type SqlParam,
} from '../engine/flask_session/index.ts';
import type { SessionInterface } from '../engine/flask/sessions.ts';
import { base64urlEncode, decodeJwt, signHs256, verifyHs256, type JwtError } from '../engine/jwt.ts';
import { decodeCookie } from '../components/inspector/inspect.ts';
import { Clock, cookieValue, DEMO_TIME, send, type ExchangeView } from './exchange.ts';
import { hex, seededBytes } from './demo-common.ts';
import { MemoryDirectory } from '../components/redis-view/memory-stores.ts';
import realRuns from './other-stores-real.json' with { type: 'json' };

/**
 * One judge's answers to the corrections the lesson makes to the posts, recorded by running the real Flask
 * (tests/lessons/real_demos.py `loose_ends`; checked live by tests/lessons/other-stores.test.ts).
 */
export interface LooseEnds {
  judge: 'flask-2.2' | 'flask-3.1';
  flask: string;
  session_proxy: string;
  request_var: string;
  request_var_name: string;
  has_request_ctx_stack: boolean;
  has_flask_escape: boolean;
  has_auto_pop: boolean;
  local_stack_exists: boolean;
  class_interface_error: string | null;
  class_interface_status: number;
}

/** The recorded runs, Flask 2.2 first. */
export const looseEnds: LooseEnds[] = (realRuns as { runs: LooseEnds[] }).runs;

/** One SQL statement as the store sent it, with its parameters shown the way a query log would. */
export interface SqlLine {
  sql: string;
  params: string[];
}

function showParam(p: SqlParam): string {
  // A blob as SQL writes a literal: X'hex'.
  if (p instanceof Uint8Array) return `X'${hex(p)}'`;
  return typeof p === 'string' ? `'${p}'` : String(p);
}

/** Wraps a SQL client so every statement is logged. */
function recording(client: SqlLikeClient, log: SqlLine[]): SqlLikeClient {
  return {
    get: (sql, params) => (log.push({ sql, params: params.map(showParam) }), client.get(sql, params)),
    run: (sql, params) => (log.push({ sql, params: params.map(showParam) }), client.run(sql, params)),
    exec: (sql) => (log.push({ sql, params: [] }), client.exec(sql)),
  };
}

function sqliteMemory(): SqlLikeClient & { db: DatabaseSync } {
  const db = new DatabaseSync(':memory:');
  return {
    db,
    get: async (sql, params) => db.prepare(sql).get(...(params as (string | number | Uint8Array | null)[])) as Record<string, unknown> | undefined,
    run: async (sql, params) => ({ changes: Number(db.prepare(sql).run(...(params as (string | number | Uint8Array | null)[])).changes) }),
    exec: async (sql) => void db.exec(sql),
  };
}

/** The login app the course uses, on any session interface, with a demo clock. */
function loginApp(si: SessionInterface, clock: Clock): Flask {
  const app = new Flask({ config: { SECRET_KEY: 'change-me' }, now: clock.now, sessionInterface: si });
  app.route('/login', ({ session }) => (session.set('user', 'alex'), 'logged in as alex'));
  app.route('/who', ({ session }) => String(session.get('user', 'nobody')));
  return app;
}

export interface SqlStep {
  /** Which request this is: the login, a visit a minute later, the same cookie replayed 32 days later. */
  label: 'login' | 'visit' | 'old-cookie';
  exchange: ExchangeView;
  statements: SqlLine[];
}

/**
 * The SQL store on an in-memory SQLite database: the table it creates, the statements of a login, of a later
 * visit and of a visit after the lifetime, and the clean-up job on a second, abandoned session.
 */
export async function sqlDemo(): Promise<{
  createTable: string;
  steps: SqlStep[];
  rowAfterLogin: { id: number; session_id: string; dataBytes: number; dataHex: string; expiry: string };
  cleanup: { statements: SqlLine[]; removed: number; rowsLeft: number };
}> {
  const clock = new Clock();
  const base = sqliteMemory();
  const log: SqlLine[] = [];
  const si = new SqlAlchemySessionInterface({ client: recording(base, log), now: clock.now, randomBytes: seededBytes(91) });
  await si.ensureTable();
  const createTable = log.splice(0)[0]!.sql;
  const app = loginApp(si, clock);
  const browser = app.testClient();
  const steps: SqlStep[] = [];
  const step = async (label: SqlStep['label'], url: string, headers?: [string, string][]) => {
    // With explicit headers the request is sent as is, without the browser's jar.
    const exchange = headers ? await send(app.testClient(), url, { headers }) : await send(browser, url);
    steps.push({ label, exchange, statements: log.splice(0) });
  };
  await step('login', '/login');
  const row = (await base.get('SELECT id, session_id, data, expiry FROM sessions', [])) as { id: number; session_id: string; data: Uint8Array; expiry: string };
  await step('visit', (clock.t += 60, '/who'));
  // A second visitor logs in and never comes back.
  await send(loginApp(si, clock).testClient(), '/login');
  log.splice(0);
  clock.t += 32 * 86400;
  // A browser drops the cookie when it expires; the same cookie sent again anyway (kept by a session cookie in a
  // browser never closed, or copied) finds a row past its expiry.
  await step('old-cookie', '/who', [['Cookie', `session=${cookieValue(steps[0]!.exchange)}`]]);
  const removed = await si.deleteExpired();
  const rowsLeft = Number((await base.get('SELECT COUNT(*) AS n FROM sessions', []))!.n);
  return {
    createTable,
    steps,
    rowAfterLogin: { id: row.id, session_id: row.session_id, dataBytes: row.data.length, dataHex: hex(row.data), expiry: row.expiry },
    cleanup: { statements: log.splice(0), removed, rowsLeft },
  };
}


/** The file store after one login: the file's name and bytes, the counter file, and a visit after the lifetime. */
export async function fileDemo(): Promise<{
  sid: string;
  storeKey: string;
  fileName: string;
  fileBytes: number;
  headerHex: string;
  expires: number;
  pickleHex: string;
  counterName: string;
  files: number;
  afterLifetime: { who: string; filesStillThere: number };
}> {
  const clock = new Clock();
  const dir = new MemoryDirectory();
  const si = new FileSystemSessionInterface({ dir, now: clock.now, randomBytes: seededBytes(92) });
  const app = loginApp(si, clock);
  const browser = app.testClient();
  const login = await send(browser, '/login');
  const sid = cookieValue(login)!;
  const storeKey = `session:${sid}`;
  const fileName = cacheFileName(storeKey);
  const bytes = dir.files.get(fileName)!;
  clock.t += 32 * 86400;
  const later = await send(browser, '/who');
  return {
    sid,
    storeKey,
    fileName,
    fileBytes: bytes.length,
    headerHex: hex(bytes.subarray(0, 4)),
    expires: cacheFileExpiry(bytes)!,
    pickleHex: hex(bytes.subarray(4)),
    counterName: cacheFileName(COUNT_KEY),
    files: dir.files.size,
    afterLifetime: { who: later.body, filesStillThere: dir.files.size },
  };
}

/** Why the verifier refused a token (its {@link JwtError} code), with what a page needs to say it in any language. */
export interface Refusal {
  code: JwtError['code'] | 'accepted';
  alg: string | null;
  exp: number | null;
  now: number;
}

/** The secret both tokens are signed with: a word in any wordlist. */
export const WEAK_KEY = 'dev';
const WORDLIST = ['123456', 'password', 'secret', 'admin', 'changeme', 'dev', 'flask'];

/** One token taken apart, as anyone holding it can: each part as sent and what it decodes to. */
export interface TokenView {
  value: string;
  length: number;
  parts: { name: 'header' | 'payload' | 'timestamp' | 'signature'; raw: string; decoded: string }[];
  /** The candidate from the wordlist that verifies it, found by the same cracker. */
  cracked: string | null;
}

/**
 * `{"user_id": 42}` as Flask's session cookie and as an HS256 JWT with `iat` and `exp`, both signed with the
 * weak key at the demo time: what each carries, its size, and the same wordlist attack finding the key of both.
 */
export async function cookieVsJwt(): Promise<{ cookie: TokenView; jwt: TokenView; jwtForgedNone: string; noneRefused: Refusal; jwtExpiredRefused: Refusal }> {
  const clock = new Clock(DEMO_TIME);
  const app = new Flask({ config: { SECRET_KEY: WEAK_KEY }, now: clock.now });
  app.route('/login', ({ session }) => (session.set('user_id', 42), 'ok'));
  const value = cookieValue(await send(app.testClient(), '/login'))!;
  const decoded = decodeCookie(value);
  if (!decoded.ok) throw new Error('the demo cookie did not decode');
  const candidates = WORDLIST.map((w) => new TextEncoder().encode(w));
  const found = (index: number) => (index >= 0 ? WORDLIST[index]! : null);
  const [payload, ts, sig] = value.split('.');
  const cookie: TokenView = {
    value,
    length: value.length,
    parts: [
      { name: 'payload', raw: payload!, decoded: decoded.json },
      { name: 'timestamp', raw: ts!, decoded: `${decoded.timestamp?.unix ?? ''} (${decoded.timestamp?.iso ?? ''})` },
      { name: 'signature', raw: sig!, decoded: `HMAC-SHA1, 20 B` },
    ],
    cracked: found(crack(value, candidates)),
  };
  const jwtValue = signHs256(`{"user_id":42,"iat":${DEMO_TIME},"exp":${DEMO_TIME + 31 * 86400}}`, WEAK_KEY);
  const d = decodeJwt(jwtValue);
  const [h, p, s] = jwtValue.split('.');
  const jwt: TokenView = {
    value: jwtValue,
    length: jwtValue.length,
    parts: [
      { name: 'header', raw: h!, decoded: d.headerJson },
      { name: 'payload', raw: p!, decoded: d.payloadJson },
      { name: 'signature', raw: s!, decoded: `HMAC-SHA256, ${d.signature.length} B` },
    ],
    cracked: found(crack(jwtValue, candidates, { keyDerivation: 'none', digest: 'sha256', salt: '' })),
  };
  // The classic forgery: a header that names no algorithm, a payload of one's choosing, no signature.
  const forged = `${base64urlEncode('{"alg":"none","typ":"JWT"}')}.${base64urlEncode('{"user_id":1}')}.`;
  const refusal = (token: string, now: number): Refusal => {
    try {
      verifyHs256(token, WEAK_KEY, { now });
      return { code: 'accepted', alg: null, exp: null, now };
    } catch (e) {
      const t = decodeJwt(token);
      return { code: (e as JwtError).code, alg: String(t.header.alg), exp: (t.payload as { exp?: number }).exp ?? null, now };
    }
  };
  return { cookie, jwt, jwtForgedNone: forged, noneRefused: refusal(forged, DEMO_TIME), jwtExpiredRefused: refusal(jwtValue, DEMO_TIME + 32 * 86400) };
}
