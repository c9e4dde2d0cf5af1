// Build-time demos for lesson 8, "Scaling sessions": several workers with the tutorial's in-process dict and with
// one shared store, Redis Cluster key slots, what anonymous traffic costs, cookie size against store round trips,
// and what rotating SECRET_KEY does to signed session ids.
import { Flask } from '../engine/flask/app.ts';
import type { FlaskConfig } from '../engine/flask/sessions.ts';
import { MySessionInterface } from '../engine/flask_session/custom.ts';
import { Session } from '../engine/flask_session/index.ts';
import { RedisSessionInterface, type FlaskSessionVersion } from '../engine/flask_session/redis.ts';
import { BROWSER_LIMITS } from './attacks.ts';
import { Clock, cookieValue, send, type ExchangeView } from './exchange.ts';
import { customApp } from './custom-interface.ts';
import { commandLines, memoryStore, seededBytes } from './demo-common.ts';
import { keySlot, nodeOf } from './scaling-crc16.ts';

/** Four requests from one browser, spread round-robin over two workers. */
export async function roundRobin(): Promise<{ tutorial: { worker: number; exchange: ExchangeView }[]; shared: { worker: number; exchange: ExchangeView; commands: string[] }[] }> {
  const urls = ['/login', '/who', '/who', '/who'];
  const clock = new Clock();
  const tutorialWorkers = [customApp(new MySessionInterface({ randomBytes: seededBytes(31) }), clock), customApp(new MySessionInterface({ randomBytes: seededBytes(32) }), clock)];
  const store = memoryStore(clock.now);
  const sharedWorkers = [0, 1].map((i) => {
    const app = customApp(new RedisSessionInterface({ client: store, randomBytes: seededBytes(33 + i) }), clock, 'change-me');
    return app;
  });
  const run = async (workers: Flask[]) => {
    const browser = workers[0]!.testClient();
    const out: { worker: number; exchange: ExchangeView; commands: string[] }[] = [];
    for (let i = 0; i < urls.length; i++) {
      const w = i % workers.length;
      // One browser, one cookie jar; the load balancer picks the process.
      const client = workers[w]!.testClient();
      for (const [name, c] of browser.jar) client.jar.set(name, c);
      const exchange = await send(client, urls[i]!);
      for (const h of exchange.responseHeaders.filter(([k]) => k === 'Set-Cookie').map(([, v]) => v)) browser.store(h);
      out.push({ worker: w + 1, exchange, commands: commandLines(exchange) });
    }
    return out;
  };
  return { tutorial: await run(tutorialWorkers), shared: await run(sharedWorkers) };
}

/** Slots of a few session keys, and keys that share a hash tag, on a three-master cluster. */
export function slots(): { key: string; slot: number; node: number }[] {
  const si = new RedisSessionInterface({ client: memoryStore(() => 0), randomBytes: seededBytes(34) });
  const keys = [0, 1, 2, 3].map(() => si.getStoreId(si.generateSid()));
  keys.push('session:{alice}:web', 'session:{alice}:mobile');
  return keys.map((key) => ({ key, slot: keySlot(key), node: nodeOf(keySlot(key)) + 1 }));
}

/** Visitors who never log in (crawlers, health checks): what each version keeps in Redis for them. */
export async function anonymousTraffic(visitors = 1000): Promise<{ version: FlaskSessionVersion; keys: number; bytes: number }[]> {
  const out = [];
  for (const version of ['0.3', '0.8'] as const) {
    const clock = new Clock();
    const store = memoryStore(clock.now);
    const app = new Flask({ config: { SECRET_KEY: 'change-me', SESSION_TYPE: 'redis' } as Partial<FlaskConfig>, now: clock.now });
    new Session(app, { flaskSession: version, client: store, randomBytes: seededBytes(35) });
    app.route('/', () => 'home page');
    for (let i = 0; i < visitors; i++) await app.handle({ method: 'GET', url: '/', headers: [] });
    let bytes = 0;
    for (const k of store.keys()) bytes += k.length + ((await store.getBuffer(k))?.length ?? 0);
    out.push({ version, keys: store.keys().length, bytes });
  }
  return out;
}

/**
 * A cart of `n` items: the signed cookie's size, against the server-side cookie and the Redis value.
 * `browserDrops` says whether a browser would refuse the signed cookie: its name plus value passes
 * {@link BROWSER_LIMITS}.nameValue bytes (the limit the attacks lesson measures in Chromium).
 */
export async function cookieVsStore(sizes = [0, 10, 100, 400]): Promise<{ items: number; signedCookie: number; browserDrops: boolean; redisCookie: number; redisValue: number; roundTrips: number }[]> {
  const out = [];
  for (const n of sizes) {
    const ids = seededBytes(38);
    // Product ids that do not compress well, as real ones (UUIDs, hashes) mostly do not.
    const cart = Array.from({ length: n }, () => Array.from(ids(6), (b) => b.toString(16).padStart(2, '0')).join(''));
    const clock = new Clock();
    const cookieApp = new Flask({ config: { SECRET_KEY: 'change-me' }, now: clock.now });
    const store = memoryStore(clock.now);
    const redisApp = new Flask({ config: { SECRET_KEY: 'change-me' }, now: clock.now, sessionInterface: new RedisSessionInterface({ client: store, randomBytes: seededBytes(36) }) });
    for (const app of [cookieApp, redisApp]) {
      app.route('/fill', ({ session }) => {
        session.set('user', 'alice');
        session.set('cart', cart);
        return 'ok';
      });
      app.route('/view', ({ session }) => `${(session.get('cart', []) as unknown[]).length} items`);
    }
    const signed = await send(cookieApp.testClient(), '/fill');
    const rc = redisApp.testClient();
    const stored = await send(rc, '/fill');
    const read = await send(rc, '/view');
    const [key] = store.keys();
    const value = cookieValue(signed) ?? '';
    const nameValueBytes = new TextEncoder().encode(cookieApp.config.SESSION_COOKIE_NAME + value).length;
    out.push({
      items: n,
      signedCookie: value.length,
      browserDrops: nameValueBytes > BROWSER_LIMITS.nameValue,
      redisCookie: (cookieValue(stored) ?? '').length,
      redisValue: key ? ((await store.getBuffer(key))?.length ?? 0) : 0,
      roundTrips: commandLines(read).length,
    });
  }
  return out;
}

/**
 * Rotating SECRET_KEY on 0.8 with SESSION_USE_SIGNER: the id signer has no fallback keys, so every signed id
 * stops verifying and each user starts a new session. Without the signer the key is not involved at all.
 */
export async function rotateKey(): Promise<{ signed: ExchangeView[]; unsigned: ExchangeView[] }> {
  const run = async (useSigner: boolean) => {
    const clock = new Clock();
    const store = memoryStore(clock.now);
    const config = { SECRET_KEY: 'old-key', SESSION_TYPE: 'redis', SESSION_USE_SIGNER: useSigner } as Partial<FlaskConfig>;
    const app = customApp(new RedisSessionInterface({ client: store }), clock, 'old-key');
    app.config = { ...app.config, ...config };
    new Session(app, { client: store, randomBytes: seededBytes(37) });
    const c = app.testClient();
    const login = await send(c, '/login');
    // The fleet is redeployed with a new key; the old one is kept as a fallback, as lesson 4 recommends.
    app.config.SECRET_KEY = 'new-key';
    app.config.SECRET_KEY_FALLBACKS = ['old-key'];
    const after = await send(c, '/who');
    return [login, after];
  };
  return { signed: await run(true), unsigned: await run(false) };
}
