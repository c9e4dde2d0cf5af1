// Build-time demos for lesson 7, "Security of server-side sessions": session fixation on 0.3.2 and 0.8 (with and
// without regenerate), a poisoned pickle refused by the engine's safe reader, and revocation compared with
// signed cookies. examples/python/part2/login_regenerate.py and pickle_danger.py are the Python side.
import { Flask, type ViewContext } from '../engine/flask/app.ts';
import type { FlaskConfig } from '../engine/flask/sessions.ts';
import { Session } from '../engine/flask_session/index.ts';
import type { ServerSideSessionInterface } from '../engine/flask_session/base.ts';
import { loads as pickleLoads } from '../engine/flask_session/pickle.ts';
import { UnsafePickleError } from '../engine/python/errors.ts';
import type { FlaskSessionVersion } from '../engine/flask_session/redis.ts';
import { pyRepr } from '../engine/python/repr.ts';
import { Clock, cookieValue, send, type ExchangeView } from './exchange.ts';
import { commandLines, hex, memoryStore, seededBytes } from './demo-common.ts';

/** The views of login_regenerate.py: a cart for anonymous visitors, a safe and an unsafe login, whoami, logout. */
function securityApp(version: FlaskSessionVersion, seed: number, clock = new Clock(), extra: Partial<FlaskConfig> = {}) {
  const store = memoryStore(clock.now);
  const app = new Flask({ config: { SECRET_KEY: 'change-me', SESSION_TYPE: 'redis', ...extra } as Partial<FlaskConfig>, now: clock.now });
  new Session(app, { flaskSession: version, client: store, randomBytes: seededBytes(seed) });
  app.route('/cart/add', ({ session }) => {
    session.set('cart', Number(session.get('cart', 0)) + 1);
    return `${String(session.getItem('cart'))} item(s)`;
  });
  app.route('/login', async ({ session, app: a }: ViewContext) => {
    session.set('user', 'alice');
    const si = a.sessionInterface as ServerSideSessionInterface | { regenerate?: undefined };
    if (typeof si.regenerate === 'function') await si.regenerate(session);
    return 'logged in';
  });
  app.route('/login-unsafe', ({ session }) => {
    session.set('user', 'alice');
    return 'logged in';
  });
  app.route('/whoami', ({ session }) => String(session.get('user', 'nobody')));
  app.route('/logout', ({ session }) => {
    session.clear();
    return 'logged out';
  });
  return { app, store };
}

/** One fixation attempt: the attacker plants an id, the victim logs in, the attacker asks who they are. */
export interface FixationRun {
  planted: string;
  steps: { who: 'attacker' | 'victim'; exchange: ExchangeView; commands: string[] }[];
  attackerSees: string;
}

async function fixation(version: FlaskSessionVersion, login: '/login' | '/login-unsafe', plant: 'made-up' | 'real', seed: number): Promise<FixationRun> {
  const { app } = securityApp(version, seed);
  const attacker = app.testClient();
  const victim = app.testClient();
  const steps: FixationRun['steps'] = [];
  const step = async (who: 'attacker' | 'victim', url: string, headers: [string, string][] = []) => {
    const c = who === 'attacker' ? attacker : victim;
    const exchange = await send(c, url, { headers });
    steps.push({ who, exchange, commands: commandLines(exchange) });
    return exchange;
  };
  let planted = 'chosen-by-attacker';
  if (plant === 'real') {
    const x = await step('attacker', '/cart/add');
    planted = cookieValue(x) ?? '';
  } else {
    attacker.store(`session=${planted}; Path=/`);
  }
  // The victim's browser carries the planted cookie (a link, a subdomain, a shared computer…).
  victim.store(`session=${planted}; Path=/`);
  await step('victim', login);
  const seen = await step('attacker', '/whoami');
  return { planted, steps, attackerSees: seen.body };
}

/** The fixation cases the lesson shows, each computed on the engine. */
export async function fixationCases() {
  return {
    legacyMadeUp: await fixation('0.3', '/login-unsafe', 'made-up', 21),
    currentMadeUp: await fixation('0.8', '/login-unsafe', 'made-up', 22),
    currentReal: await fixation('0.8', '/login-unsafe', 'real', 23),
    currentRegenerate: await fixation('0.8', '/login', 'real', 24),
  };
}

/**
 * The bytes `pickle.dumps({"user": "alice", "x": ShowsPythonVersion()}, protocol=4)` writes for pickle_danger.py, whose
 * `__reduce__` returns `(platform.python_version, ())`: loading them calls that function and stores its result under
 * "x". Assembled opcode by opcode (the engine's writer refuses to emit code references, so they are spelled out
 * here); a test compares them with what Python writes.
 */
export function poisonedPickle(module = 'platform', name = 'python_version'): Uint8Array {
  const enc = new TextEncoder();
  const out: number[] = [];
  const str = (s: string) => {
    const b = enc.encode(s);
    out.push(0x8c, b.length, ...b, 0x94); // SHORT_BINUNICODE, MEMOIZE
  };
  out.push(0x7d, 0x94, 0x28); // EMPTY_DICT, MEMOIZE, MARK
  str('user');
  str('alice');
  str('x');
  str(module);
  str(name);
  out.push(0x93, 0x94); // STACK_GLOBAL: push platform.python_version, MEMOIZE
  out.push(0x29, 0x52, 0x94); // EMPTY_TUPLE, REDUCE: call it with no arguments, MEMOIZE
  out.push(0x75, 0x2e); // SETITEMS, STOP
  const frame = out.length;
  const head = [0x80, 0x04, 0x95, frame & 0xff, (frame >> 8) & 0xff, 0, 0, 0, 0, 0, 0]; // PROTO 4, FRAME u64
  return new Uint8Array([...head, ...out]);
}

/** The session id the demo plants the poisoned value under (the real judges' run uses the same one). */
export const POISONED_SID = '0123456789abcdef0123456789abcdef';

/**
 * The poisoned bytes, the engine's safe reader on them, and one request to this site's engine (which follows
 * Flask-Session 0.8 except that it never runs a general unpickler) whose session key holds them. What the real
 * 0.3.2 and 0.8.0 do with the same bytes is in server-side-security-pickle.json, written by the real libraries.
 */
export async function poisoned(): Promise<{
  hex: string;
  length: number;
  opcode: string;
  offset: number;
  message: string;
  safe: { exchange: ExchangeView; error: string; commands: string[] };
}> {
  const bytes = poisonedPickle();
  let refused: UnsafePickleError | null = null;
  try {
    pickleLoads(bytes);
  } catch (e) {
    if (e instanceof UnsafePickleError) refused = e;
    else throw e;
  }
  if (!refused) throw new Error('the safe reader accepted a pickle that calls code');
  const { app, store } = securityApp('0.8', 25, new Clock(), { SESSION_PERMANENT: false });
  app.route('/whoami', ({ session }) => `user: ${String(session.get('user', 'nobody'))}, x: ${pyRepr(session.get('x', null))}`);
  // Someone with write access to Redis puts the value under a session key, then a request carries that id.
  await store.set(`session:${POISONED_SID}`, bytes, 'EX', 3600);
  const exchange = await send(app.testClient(), '/whoami', { headers: [['Cookie', `session=${POISONED_SID}`]] });
  const err = exchange.trace.find((e) => e.type === 'error');
  const safe = { exchange, error: err && err.type === 'error' ? err.error : '', commands: commandLines(exchange) };
  return { hex: hex(bytes), length: bytes.length, opcode: refused.opcode, offset: refused.offset ?? -1, message: refused.message, safe };
}

/** Log in, copy the cookie, log out, replay the copy: with signed cookies and with Redis (0.8). */
export async function revocation(): Promise<{ cookie: ExchangeView[]; redis: ExchangeView[]; redisCommands: string[][] }> {
  const clock = new Clock();
  const cookieApp = new Flask({ config: { SECRET_KEY: 'change-me' }, now: clock.now });
  cookieApp.route('/login', ({ session }) => (session.set('user', 'alice'), 'logged in'));
  cookieApp.route('/whoami', ({ session }) => String(session.get('user', 'nobody')));
  cookieApp.route('/logout', ({ session }) => (session.clear(), 'logged out'));
  const run = async (app: Flask, loginUrl: string) => {
    const c = app.testClient();
    const login = await send(c, loginUrl);
    const copied = cookieValue(login)!;
    const logout = await send(c, '/logout');
    const thief = app.testClient();
    thief.store(`session=${copied}; Path=/`);
    const replay = await send(thief, '/whoami');
    return [login, logout, replay];
  };
  const cookie = await run(cookieApp, '/login');
  const redis = await run(securityApp('0.8', 26, clock).app, '/login-unsafe');
  return { cookie, redis, redisCommands: redis.map((x) => commandLines(x)) };
}
