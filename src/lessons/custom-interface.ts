// Build-time demos for lesson 5, "Write your own SessionInterface": examples/python/part2/my_session_interface.py
// and fixed_session_interface.py rebuilt on the engine (MySessionInterface with its flaws, FixedSessionInterface),
// run request by request so the lesson can print what each flaw does.
import { Flask } from '../engine/flask/app.ts';
import type { SessionInterface } from '../engine/flask/sessions.ts';
import { FixedSessionInterface, MySessionInterface } from '../engine/flask_session/custom.ts';
import { Clock, send, sendAll, type ExchangeView } from './exchange.ts';
import { listStore, memoryStore, seededBytes } from './demo-common.ts';

/** The posts' secret key (my_session_interface.py uses it; the fixed file reads SECRET_KEY from the environment). */
const POSTS_KEY = 'A0Zr98j/3yX R~XHH!jmN]LWX/,?RT';

/** The routes both example files define, on the engine's Flask with the given interface. */
export function customApp(si: SessionInterface, clock: Clock, secret: string | null = POSTS_KEY): Flask {
  const app = new Flask({ config: { SECRET_KEY: secret }, now: clock.now, sessionInterface: si });
  app.route('/count', ({ session }) => {
    session.set('n', Number(session.get('n', 0)) + 1);
    return String(session.getItem('n'));
  });
  app.route('/login', ({ session }) => {
    session.set('user', 'alex');
    return 'logged in as alex';
  });
  app.route('/who', ({ session }) => String(session.get('user', 'nobody')));
  app.route('/logout', ({ session }) => {
    session.clear();
    return 'logged out';
  });
  app.route('/hello', () => 'hello');
  return app;
}

/** The tutorial's interface with a reproducible id source. */
export function tutorialInterface(seed = 5): MySessionInterface {
  return new MySessionInterface({ randomBytes: seededBytes(seed) });
}

/** One request through MySessionInterface, for the open/save walk-through. */
export async function contract(): Promise<{ first: ExchangeView; second: ExchangeView }> {
  const app = customApp(tutorialInterface(1), new Clock());
  const c = app.testClient();
  const first = await send(c, '/login');
  const second = await send(c, '/who');
  return { first, second };
}

/** `/count` four times on each interface, with the stored value after each request. */
export interface CounterRun {
  exchanges: ExchangeView[];
  stored: string[];
}

/** Flaw 1: setdefault never updates. The tutorial answers 1, 2, 2, 2 and its dict keeps {"n": 1}. */
export async function counterTutorial(): Promise<CounterRun> {
  const si = tutorialInterface(2);
  const c = customApp(si, new Clock()).testClient();
  const exchanges: ExchangeView[] = [];
  const stored: string[] = [];
  for (let i = 0; i < 4; i++) {
    exchanges.push(await send(c, '/count'));
    stored.push([...si.container.values()].join(', '));
  }
  return { exchanges, stored };
}

/** The corrected interface counts 1, 2, 3, 4; the store holds the latest value, with a TTL. */
export async function counterFixed(): Promise<CounterRun & { ttl: number }> {
  const clock = new Clock();
  const store = memoryStore(clock.now);
  const si = new FixedSessionInterface({ store, randomBytes: seededBytes(2) });
  const c = customApp(si, clock).testClient();
  const exchanges: ExchangeView[] = [];
  const stored: string[] = [];
  for (let i = 0; i < 4; i++) {
    exchanges.push(await send(c, '/count'));
    const [key] = store.keys();
    stored.push(key ? new TextDecoder().decode((await store.getBuffer(key))!) : '');
  }
  const [key] = store.keys();
  return { exchanges, stored, ttl: key ? await store.ttl(key) : -2 };
}

/** Flaw 2: nothing is deleted or expires. Logout, ten years, and three visitors who never log in. */
export async function neverForgets(): Promise<{
  logout: ExchangeView;
  afterLogout: string[];
  afterTenYears: string[];
  visitors: ExchangeView[];
  entries: number;
  fixed: { logout: ExchangeView; visitors: ExchangeView[]; keys: string[] };
}> {
  const clock = new Clock();
  const si = tutorialInterface(3);
  const app = customApp(si, clock);
  const c = app.testClient();
  await send(c, '/login');
  const logout = await send(c, '/logout');
  const afterLogout = [...si.container.values()];
  clock.t += 10 * 365 * 86400;
  const afterTenYears = [...si.container.values()];
  const visitors: ExchangeView[] = [];
  for (let i = 0; i < 3; i++) visitors.push(await send(app.testClient(), '/hello'));

  const fclock = new Clock();
  const store = memoryStore(fclock.now);
  const fapp = customApp(new FixedSessionInterface({ store, randomBytes: seededBytes(3) }), fclock);
  const fc = fapp.testClient();
  await send(fc, '/login');
  const flogout = await send(fc, '/logout');
  const fvisitors: ExchangeView[] = [];
  for (let i = 0; i < 3; i++) fvisitors.push(await send(fapp.testClient(), '/hello'));
  return { logout, afterLogout, afterTenYears, visitors, entries: si.container.size, fixed: { logout: flogout, visitors: fvisitors, keys: store.keys() } };
}

/** Flaw 3: the dict lives in one process. Log in on worker 1, then ask worker 2; then the same with a shared store. */
export async function twoWorkers(): Promise<{ tutorial: ExchangeView[]; shared: ExchangeView[]; containers: number[] }> {
  const clock = new Clock();
  const w1 = tutorialInterface(4);
  const w2 = tutorialInterface(40);
  const a1 = customApp(w1, clock);
  const a2 = customApp(w2, clock);
  const tutorial = await viaTwo(a1, a2);

  const store = memoryStore(clock.now);
  const b1 = customApp(new FixedSessionInterface({ store, randomBytes: seededBytes(4) }), clock);
  const b2 = customApp(new FixedSessionInterface({ store, randomBytes: seededBytes(40) }), clock);
  const shared = await viaTwo(b1, b2);
  return { tutorial, shared, containers: [w1.container.size, w2.container.size] };
}

/** login on the first app, then /who on the second and the first, with one browser's cookies. */
async function viaTwo(first: Flask, second: Flask): Promise<ExchangeView[]> {
  const browser = first.testClient();
  const out = [await send(browser, '/login')];
  // The same browser, its request routed to the other process: the cookie goes along.
  const other = second.testClient();
  for (const [name, c] of browser.jar) other.jar.set(name, c);
  out.push(await send(other, '/who'));
  out.push(await send(browser, '/who'));
  return out;
}

/** Flaw 4: without a secret key the tutorial crashes on every response; the fixed one lets Flask explain. */
export async function withoutSecret(): Promise<{ tutorial: ExchangeView; tutorialError: string; fixed: ExchangeView; fixedError: string }> {
  const tutorial = await send(customApp(tutorialInterface(6), new Clock(), null).testClient(), '/hello');
  const fixed = await send(customApp(new FixedSessionInterface({ randomBytes: seededBytes(6) }), new Clock(), null).testClient(), '/login');
  const err = (x: ExchangeView) => {
    const e = x.trace.find((ev) => ev.type === 'error' || ev.type === 'view-error');
    return e && (e.type === 'error' || e.type === 'view-error') ? e.error : '';
  };
  return { tutorial, tutorialError: err(tutorial), fixed, fixedError: err(fixed) };
}

/** The whole corrected flow: count, login, who, logout, then what the store holds. */
export async function fixedFlow(): Promise<{ exchanges: ExchangeView[]; keys: { key: string; ttl: number; bytes: number }[] }> {
  const clock = new Clock();
  const store = memoryStore(clock.now);
  const app = customApp(new FixedSessionInterface({ store, randomBytes: seededBytes(7) }), clock);
  const exchanges = await sendAll(app.testClient(), ['/hello', '/login', '/who', '/logout']);
  return { exchanges, keys: await listStore(store) };
}
