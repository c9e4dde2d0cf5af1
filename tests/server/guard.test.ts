// The server layer without processes: which store failures become a 503 and which stay Flask's 500, how an
// unreadable stored value becomes a fresh session, Redis URLs, the terminal trace, and the serve command's
// argument errors.
import { execFile } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { reasonText } from '../../src/engine/flask/reasons.ts';
import { createRedisSessionInterface } from '../../src/engine/flask_session/index.ts';
import { addDemoRoutes } from '../../src/server/demo-apps.ts';
import { GuardedRedisClient, parseRedisUrl, reconnectDelay, StoreUnavailableError, StoredValueTooLargeError } from '../../src/server/redis-client.ts';
import { GuardedFlask } from '../../src/server/store-guard.ts';
import { formatExchange } from '../../src/server/trace-text.ts';

/** A stand-in for an ioredis client whose commands do whatever `behave` says. */
class FakeIoredis extends EventEmitter {
  status = 'ready';
  data = new Map<string, Buffer>();
  fail: Error | null = null;
  /** Writes are applied, then fail with this error (the reply never came). */
  failAfterWrite: Error | null = null;
  private async run<T>(fn: () => T, write = false): Promise<T> {
    if (this.fail) throw this.fail;
    const result = fn();
    if (write && this.failAfterWrite) throw this.failAfterWrite;
    return result;
  }
  getBuffer(key: string) {
    return this.run(() => this.data.get(key) ?? null);
  }
  set(key: string, value: Buffer) {
    return this.run(() => (this.data.set(key, value), 'OK'), true);
  }
  setex(key: string, _ttl: number, value: Buffer) {
    return this.run(() => (this.data.set(key, value), 'OK'), true);
  }
  del(key: string) {
    return this.run(() => (this.data.delete(key) ? 1 : 0), true);
  }
  ttl() {
    return this.run(() => -1);
  }
  quit() {
    return Promise.resolve('OK');
  }
  disconnect() {}
}

function setup(version: '0.3' | '0.8' = '0.8', maxValueBytes?: number) {
  const fake = new FakeIoredis();
  const client = new GuardedRedisClient(fake as never, 'Redis at 127.0.0.1:6390', maxValueBytes ? { maxValueBytes } : {});
  const app = new GuardedFlask({ config: { SECRET_KEY: 'dev' }, sessionInterface: createRedisSessionInterface({ client, flaskSession: version }) });
  addDemoRoutes(app);
  return { fake, client, app, browser: app.testClient() };
}

describe('store failures in the server layer', () => {
  for (const version of ['0.8', '0.3'] as const) {
    it(`Flask-Session ${version}: a store that does not answer gives 503 with the store named, no cookie, and the why in the trace`, async () => {
      const { fake, browser } = setup(version);
      expect((await browser.get('/set?key=a&value=1')).response.status).toBe(200);
      const cookie = browser.cookie('session');
      fake.fail = new Error("Stream isn't writeable and enableOfflineQueue options is false");
      for (const path of ['/get?key=a', '/set?key=b&value=2', '/clear']) {
        const { response, trace } = await browser.get(path);
        expect(response.status).toBe(503);
        expect(response.body).toBe("503 Session store unavailable: Redis at 127.0.0.1:6390 is not answering (Stream isn't writeable and enableOfflineQueue options is false)\n");
        expect(response.getSetCookie()).toEqual([]);
        expect(response.header('Retry-After')).toBe('1');
        const errors = trace.filter((e) => e.type === 'error');
        expect(errors.length).toBeGreaterThanOrEqual(2);
        expect(errors.at(-1)).toMatchObject({ stage: 'response', error: expect.stringMatching(/^StoreUnavailableError: Redis at 127\.0\.0\.1:6390/) });
        expect(trace.at(-1)).toMatchObject({ type: 'response-sent', status: 503 });
        expect(trace.filter((e) => e.type === 'response-sent')).toHaveLength(1);
      }
      // Nothing was half-written: when the store answers again, the session is as it was.
      fake.fail = null;
      expect(browser.cookie('session')).toBe(cookie);
      const { response } = await browser.get('/get?key=a');
      expect(response.status).toBe(200);
      expect(response.body).toBe('1');
    });
  }

  for (const version of ['0.8', '0.3'] as const) {
    it(`Flask-Session ${version}: a write that times out after Redis applied it is a 503 that says the outcome is unknown`, async () => {
      const { fake, browser } = setup(version);
      expect((await browser.get('/set?key=a&value=1')).response.status).toBe(200);
      fake.failAfterWrite = new Error('Command timed out');
      const { response, trace } = await browser.get('/set?key=a&value=2');
      expect(response.status).toBe(503);
      expect(response.getSetCookie()).toEqual([]);
      expect(response.body).toContain('is not answering (Command timed out). The write was sent but never confirmed, so its outcome is unknown');
      const whys = trace.flatMap((e) => (e.type === 'error' && e.why ? [reasonText(e.why)] : []));
      expect(whys.some((w) => w.includes('whether it was applied is unknown'))).toBe(true);
      expect(whys.at(-1)).toContain('the outcome is unknown');
      // Redis did apply it: the next request reads the new value.
      fake.failAfterWrite = null;
      expect((await browser.get('/get?key=a')).response.body).toBe('2');
      // A command that never left (no connection) is not called unknown.
      fake.fail = new Error("Stream isn't writeable and enableOfflineQueue options is false");
      const down = await browser.get('/set?key=a&value=3');
      expect(down.response.body).not.toContain('unknown');
    });
  }

  it('a reply error from Redis, or any other failure, stays a 500', async () => {
    const { fake, browser } = setup();
    await browser.get('/set?key=a&value=1');
    const reply = new Error('WRONGTYPE Operation against a key holding the wrong kind of value');
    reply.name = 'ReplyError';
    fake.fail = reply;
    const { response, trace } = await browser.get('/get?key=a');
    expect(response.status).toBe(500);
    expect(trace.some((e) => e.type === 'error' && e.error.startsWith('ReplyError: WRONGTYPE'))).toBe(true);
    expect(trace.some((e) => e.type === 'error' && e.error.startsWith('StoreUnavailableError'))).toBe(false);
  });

  it('a stored value over the limit gives a fresh session (and never reaches a decoder)', async () => {
    const { fake, browser } = setup('0.8', 64);
    await browser.get('/set?key=a&value=1');
    const sid = browser.cookie('session')!;
    fake.data.set(`session:${sid}`, Buffer.alloc(65, 0x80));
    const { response, trace } = await browser.get('/get?key=a');
    expect(response.status).toBe(404);
    const err = trace.find((e) => e.type === 'error');
    expect(err).toMatchObject({ error: `StoredValueTooLargeError: the value stored under session:${sid} is 65 bytes, more than the 64 bytes a session may take` });
    expect(trace.filter((e) => e.type === 'session-opened').at(-1)).toMatchObject({ kind: 'new' });
  });

  it('errors that are not about the stored value are not hidden', async () => {
    // Signing ids with no SECRET_KEY is a configuration error (KeyError), not an unreadable value: still a 500.
    const fake = new FakeIoredis();
    const client = new GuardedRedisClient(fake as never, 'Redis at x:1');
    const app = new GuardedFlask({ config: { SECRET_KEY: null }, sessionInterface: createRedisSessionInterface({ client, useSigner: true }) });
    addDemoRoutes(app);
    const { response } = await app.testClient().get('/get?key=a', [['Cookie', 'session=abc.def']]);
    expect(response.status).toBe(500);
  });

  it('the guarded interface still shows its own class name in the trace', async () => {
    const { browser } = setup();
    const { trace } = await browser.get('/dump');
    expect(trace.find((e) => e.type === 'context-pushed')).toMatchObject({ interface: 'RedisSessionInterface' });
  });

  it('StoreUnavailableError keeps the client error as its cause; too-large carries sizes', () => {
    const cause = new Error('connect ECONNREFUSED 127.0.0.1:6390');
    const e = new StoreUnavailableError('Redis at 127.0.0.1:6390', cause);
    expect(e.cause).toBe(cause);
    expect(e.message).toBe('Redis at 127.0.0.1:6390 is not answering (connect ECONNREFUSED 127.0.0.1:6390)');
    expect(new StoredValueTooLargeError('k', 10, 5)).toMatchObject({ bytes: 10, limit: 5, code: 'STORED_VALUE_TOO_LARGE' });
  });

  it('reconnect delays grow to one second and never stop', () => {
    expect([1, 2, 10, 20, 1000].map(reconnectDelay)).toEqual([50, 100, 500, 1000, 1000]);
  });
});

describe('parseRedisUrl', () => {
  it('reads host, port, db and credentials', () => {
    expect(parseRedisUrl('redis://127.0.0.1:6390/2')).toEqual({ host: '127.0.0.1', port: 6390, db: 2 });
    expect(parseRedisUrl('localhost')).toEqual({ host: 'localhost', port: 6379, db: 0 });
    expect(parseRedisUrl('10.0.0.1:7000')).toEqual({ host: '10.0.0.1', port: 7000, db: 0 });
    expect(parseRedisUrl('redis://u:p%40ss@h:1/0')).toEqual({ host: 'h', port: 1, db: 0, username: 'u', password: 'p@ss' });
    expect(parseRedisUrl('redis://[::1]:6379')).toMatchObject({ host: '::1' });
  });
  it('refuses what it cannot use', () => {
    expect(() => parseRedisUrl('http://h:1')).toThrow(/only redis:\/\//);
    expect(() => parseRedisUrl('redis://h:0')).toThrow(/bad port/);
    expect(() => parseRedisUrl('redis://h:1/x')).toThrow(/bad database/);
  });
});

describe('formatExchange', () => {
  it('prints one aligned line per step with the why, colour only when asked', async () => {
    const { browser } = setup();
    const exchange = await browser.get('/set?key=a&value=1');
    const plain = formatExchange(exchange);
    const lines = plain.split('\n');
    expect(lines[0]).toBe('GET /set?key=a&value=1 → 200');
    expect(lines).toHaveLength(exchange.trace.length + 1);
    expect(plain).not.toMatch(/\x1b\[/);
    // The summary column starts at the same place on every line.
    const start = '  00 request  '.length + Math.max(...exchange.trace.map((e) => e.type.length)) + 2;
    for (const l of lines.slice(1)) {
      expect(l.slice(0, start)).toMatch(/^  \d\d [a-z]+ +[a-z-]+ +$/);
      expect(l[start]).toMatch(/\S/);
    }
    expect(plain).toMatch(/save-decision +set-cookie — the session was modified/);
    expect(formatExchange(exchange, { color: true })).toMatch(/\x1b\[/);
  });
});

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--experimental-strip-types', '--no-warnings', 'src/cli/main.ts', ...args], { cwd: ROOT, timeout: 20_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('session-lab serve arguments', () => {
  it('--help prints the options and exits 0', async () => {
    const r = await cli(['serve', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--interface NAME +cookie \| custom \| custom-fixed \| redis \| sqlalchemy \| filesystem/);
    expect(r.stdout).toMatch(/--sqlite FILE/);
    expect(r.stdout).toMatch(/--redis-cluster/);
  });
  for (const [args, message] of [
    [['--secret', 's', '--interface', 'memcached'], "--interface must be one of cookie, custom, custom-fixed, redis, sqlalchemy, filesystem, not 'memcached'"],
    [['--secret', 's', '--interface', 'sqlalchemy'], '--interface sqlalchemy needs --sqlite FILE (a SQLite database file; it is created when missing)'],
    [['--secret', 's', '--interface', 'filesystem'], '--interface filesystem needs --dir DIR (the session directory; it is created when missing)'],
    [['--secret', 's', '--interface', 'redis', '--dir', 'x'], '--dir applies to --interface filesystem'],
    [['--interface', 'redis'], '--secret is required'],
    [['--secret', 's', '--port', 'http'], "--port must be a whole number, not 'http'"],
    [['--secret', 's', '--port', '70000'], "--port must be at most 65535, not '70000'"],
    [['--secret', 's', '--redis', 'redis://h:1'], '--interface cookie keeps no server-side store; --redis and --redis-cluster apply to redis and custom-fixed'],
    [['--secret', 's', '--interface', 'redis', '--redis', 'http://h:1'], "only redis:// URLs are supported, not 'http://'"],
    [['--secret', 's', '--interface', 'redis', '--flask-session', '0.5'], "--flask-session must be one of 0.3, 0.8, not '0.5'"],
    [['--secret', 's', '--interface', 'redis', '--redis', 'h:1', '--redis-cluster', 'h:2'], 'give --redis or --redis-cluster, not both'],
    [['--secret', 's', '--bogus'], 'unknown option --bogus'],
  ] as const) {
    it(`${args.join(' ')} → exit 2, one line`, async () => {
      const r = await cli(['serve', ...args]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`session-lab serve: ${message} (see session-lab serve --help)\n`);
    });
  }
});
