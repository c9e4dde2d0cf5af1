// session-lab serve: the demo app (playground and the blog posts' login app) over real HTTP on loopback,
// on the session interface of your choice, optionally printing each request's lifecycle trace.
import cluster from 'node:cluster';
import { createLimitedServer, DEFAULT_CONNECTION_LIMITS, type ConnectionLimits } from '../server/connections.ts';
import { createNodeHandler } from '../server/node.ts';
import type { AddressInfo } from 'node:net';
import { createServedApp, INTERFACES } from '../server/interfaces.ts';
import { parseRedisUrl } from '../server/redis-client.ts';
import { DEFAULT_MAX_INFLATED_BYTES, DEFAULT_MAX_PAYLOAD_VALUES } from '../server/limits.ts';
import { formatExchange } from '../server/trace-text.ts';
import { choice, integer, out, parse, untilStopped, UsageError } from './common.ts';

const HELP = `Usage: session-lab serve [options]

Serve the demo app on http://127.0.0.1:PORT/ : the playground (/set?key=K&value=V for a string,
/set?key=K&tagged=T for any value given as Flask's tagged JSON, /get?key=K, /dump, /clear) and the blog
posts' app (/login?user=NAME, /index, /logout).

Options:
  --port P                  TCP port on 127.0.0.1 (default: 5000; 0 picks a free one)
  --interface NAME          cookie | custom | custom-fixed | redis | sqlalchemy | filesystem
                            (default: cookie)
                              cookie        Flask's signed cookie session
                              custom        the blog posts' MySessionInterface, flaws included
                              custom-fixed  the same interface with every flaw corrected
                              redis         Flask-Session's Redis interface
                              sqlalchemy    Flask-Session 0.8's SQL store, on a SQLite file (--sqlite)
                              filesystem    Flask-Session 0.8's file store, in cachelib's format (--dir)
  --secret S                SECRET_KEY (required)
  --redis URL               real Redis, e.g. redis://127.0.0.1:6379/0 (redis, custom-fixed);
                            without it, redis uses an in-process ioredis-mock
  --redis-cluster URL,...   a Redis Cluster, seeded with one or more of its nodes
  --sqlite FILE             the SQLite file of --interface sqlalchemy (created when missing); a
                            Flask app with SESSION_TYPE="sqlalchemy" on the same file shares sessions
  --dir DIR                 the session directory of --interface filesystem (created when missing);
                            a Flask app with SESSION_TYPE="filesystem" on it shares sessions
  --key-prefix P            SESSION_KEY_PREFIX (default: session:)
  --use-signer              SESSION_USE_SIGNER: sign the session id in the cookie
  --flask-session V         0.8 (default: token_urlsafe ids, msgpack, SET EX) or
                            0.3 (Flask-Session 0.3.2: uuid4 ids, pickle, SETEX)
  --lifetime SECONDS        PERMANENT_SESSION_LIFETIME (default: 2678400, 31 days)
  --max-inflated BYTES      largest size a compressed session cookie may inflate to (default: ${DEFAULT_MAX_INFLATED_BYTES},
                            the most any cookie a browser keeps can reach); past it the payload is unreadable:
                            500, as Flask answers for a payload it cannot decode
  --max-values N            most values (containers and list or dict items) a session cookie's JSON may hold
                            (default: ${DEFAULT_MAX_PAYLOAD_VALUES}), counted before parsing; past it: 500 as above
  --header-timeout SECONDS  close a connection whose request headers are not all in after this long (default: ${DEFAULT_CONNECTION_LIMITS.headersTimeoutMs / 1000})
  --request-timeout SECONDS close a connection whose whole request is not in after this long (default: ${DEFAULT_CONNECTION_LIMITS.requestTimeoutMs / 1000})
  --idle-timeout SECONDS    close an idle keep-alive connection after this long (default: ${DEFAULT_CONNECTION_LIMITS.idleTimeoutMs / 1000}); a connection
                            on which nothing moves either way (a client that stops reading) closes after ${DEFAULT_CONNECTION_LIMITS.stalledTimeoutMs / 1000}
  --max-connections N       connections at once, in all (default: ${DEFAULT_CONNECTION_LIMITS.maxConnections}) and from one address
  --max-per-address N       (default: ${DEFAULT_CONNECTION_LIMITS.maxConnectionsPerAddress}); one more gets "503 Too many connections" and is closed
  --trace                   print each request's lifecycle, one line per step
  --workers N               N server processes sharing the port, like gunicorn -w N (default: 1).
                            Sessions must then live in real Redis (--redis), or in the cookie;
                            with custom, each process has its own sessions: the tutorial's flaw 3
  -h, --help                this help

When Redis does not answer, requests get "503 Session store unavailable" and no cookie; the server
reconnects by itself. Stop it with Ctrl-C.`;

const OPTIONS = {
  port: { type: 'string' },
  interface: { type: 'string' },
  secret: { type: 'string' },
  redis: { type: 'string' },
  'redis-cluster': { type: 'string' },
  'key-prefix': { type: 'string' },
  sqlite: { type: 'string' },
  dir: { type: 'string' },
  'use-signer': { type: 'boolean' },
  'flask-session': { type: 'string' },
  lifetime: { type: 'string' },
  'max-inflated': { type: 'string' },
  'max-values': { type: 'string' },
  'header-timeout': { type: 'string' },
  'request-timeout': { type: 'string' },
  'idle-timeout': { type: 'string' },
  'max-connections': { type: 'string' },
  'max-per-address': { type: 'string' },
  trace: { type: 'boolean' },
  workers: { type: 'string' },
} as const;

/** Set in the environment of the processes `--workers` starts. */
const WORKER_ENV = 'SESSION_LAB_SERVE_WORKER';

/** Runs the server until SIGINT or SIGTERM; exit status 0 then, 2 for bad arguments, 1 when the port is taken. */
export async function run(argv: string[]): Promise<number> {
  const { values } = parse(argv, OPTIONS);
  if (values.help) {
    out(HELP);
    return 0;
  }
  const port = values.port === undefined ? 5000 : integer('port', values.port);
  if (port > 65535) throw new UsageError(`--port must be at most 65535, not '${values.port}'`);
  const iface = choice('interface', values.interface ?? 'cookie', INTERFACES);
  if (values.secret === undefined) throw new UsageError('--secret is required');
  if (values.secret === '') throw new UsageError('--secret must not be empty (Flask signs nothing without a SECRET_KEY)');
  if (values.redis !== undefined && values['redis-cluster'] !== undefined) throw new UsageError('give --redis or --redis-cluster, not both');
  const storeGiven = values.redis !== undefined || values['redis-cluster'] !== undefined;
  if (storeGiven && iface !== 'redis' && iface !== 'custom-fixed') throw new UsageError(`--interface ${iface} keeps no server-side store; --redis and --redis-cluster apply to redis and custom-fixed`);
  const clusterUrls = values['redis-cluster']?.split(',').map((s) => s.trim()).filter(Boolean);
  if (clusterUrls !== undefined && clusterUrls.length === 0) throw new UsageError('--redis-cluster needs at least one node');
  for (const url of [...(values.redis !== undefined ? [values.redis] : []), ...(clusterUrls ?? [])]) {
    try {
      parseRedisUrl(url);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  }
  if (iface === 'sqlalchemy' && !values.sqlite) throw new UsageError('--interface sqlalchemy needs --sqlite FILE (a SQLite database file; it is created when missing)');
  if (iface === 'filesystem' && !values.dir) throw new UsageError('--interface filesystem needs --dir DIR (the session directory; it is created when missing)');
  if (values.sqlite !== undefined && iface !== 'sqlalchemy') throw new UsageError('--sqlite applies to --interface sqlalchemy');
  if (values.dir !== undefined && iface !== 'filesystem') throw new UsageError('--dir applies to --interface filesystem');
  const version = values['flask-session'] === undefined ? undefined : choice('flask-session', values['flask-session'], ['0.3', '0.8'] as const);
  if (version !== undefined && iface !== 'redis') throw new UsageError('--flask-session applies to --interface redis');
  const flaskSessionStore = iface === 'redis' || iface === 'sqlalchemy' || iface === 'filesystem';
  if (values['use-signer'] && !flaskSessionStore) throw new UsageError('--use-signer applies to --interface redis, sqlalchemy and filesystem (the custom interfaces always sign their ids)');
  const lifetime = values.lifetime === undefined ? undefined : integer('lifetime', values.lifetime, 1);
  const maxInflated = values['max-inflated'] === undefined ? undefined : integer('max-inflated', values['max-inflated'], 1);
  const maxValues = values['max-values'] === undefined ? undefined : integer('max-values', values['max-values'], 1);
  if (maxValues !== undefined && iface !== 'cookie') throw new UsageError('--max-values applies to --interface cookie (the other interfaces keep only an id in the cookie)');
  if (maxInflated !== undefined && iface !== 'cookie') throw new UsageError('--max-inflated applies to --interface cookie (the other interfaces keep only an id in the cookie)');
  const limits: Partial<ConnectionLimits> = {};
  const seconds = (name: 'header-timeout' | 'request-timeout' | 'idle-timeout'): number | undefined => (values[name] === undefined ? undefined : integer(name, values[name], 1) * 1000);
  const headersTimeoutMs = seconds('header-timeout');
  const requestTimeoutMs = seconds('request-timeout');
  const idleTimeoutMs = seconds('idle-timeout');
  if (headersTimeoutMs !== undefined) limits.headersTimeoutMs = headersTimeoutMs;
  if (requestTimeoutMs !== undefined) limits.requestTimeoutMs = requestTimeoutMs;
  if (idleTimeoutMs !== undefined) limits.idleTimeoutMs = idleTimeoutMs;
  if (values['max-connections'] !== undefined) limits.maxConnections = integer('max-connections', values['max-connections'], 1);
  if (values['max-per-address'] !== undefined) limits.maxConnectionsPerAddress = integer('max-per-address', values['max-per-address'], 1);
  if ((limits.headersTimeoutMs ?? DEFAULT_CONNECTION_LIMITS.headersTimeoutMs) > (limits.requestTimeoutMs ?? DEFAULT_CONNECTION_LIMITS.requestTimeoutMs)) {
    throw new UsageError('--header-timeout cannot be longer than --request-timeout');
  }
  const workers = values.workers === undefined ? 1 : integer('workers', values.workers, 1);
  if (workers > 1 && (iface === 'redis' || iface === 'custom-fixed') && !storeGiven) {
    throw new UsageError(`--workers ${workers} with --interface ${iface} needs --redis or --redis-cluster: an in-process store is not shared between processes`);
  }
  if (workers > 1 && cluster.isPrimary) return runPrimary(workers, port);
  const isWorker = process.env[WORKER_ENV] === '1';

  const served = await createServedApp({
    interface: iface,
    secret: values.secret,
    ...(values.redis !== undefined ? { redisUrl: values.redis } : {}),
    ...(clusterUrls ? { clusterUrls } : {}),
    ...(values['key-prefix'] !== undefined ? { keyPrefix: values['key-prefix'] } : {}),
    useSigner: values['use-signer'] ?? false,
    ...(version ? { flaskSession: version } : {}),
    ...(lifetime !== undefined ? { lifetime } : {}),
    ...(maxInflated !== undefined ? { maxInflatedBytes: maxInflated } : {}),
    ...(maxValues !== undefined ? { maxPayloadValues: maxValues } : {}),
    ...(values.sqlite !== undefined ? { sqlitePath: values.sqlite } : {}),
    ...(values.dir !== undefined ? { dir: values.dir } : {}),
    onState: (up, detail) => process.stderr.write(up ? `session store is answering again\n` : `session store is not answering: ${detail}\n`),
  });
  if (served.store && !(await served.store.ready(3000)) && !isWorker) {
    process.stderr.write(`warning: ${served.store.description} is not answering yet; requests get 503 until it does\n`);
  }

  const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
  const handler = createNodeHandler(served.app, values.trace ? { onExchange: (ex) => out(formatExchange(ex, { color }) + '\n') } : {});
  const server = createLimitedServer(handler, limits);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    await served.close();
    process.stderr.write(`session-lab serve: cannot listen on 127.0.0.1:${port}: ${(e as Error).message}\n`);
    return 1;
  }
  const actual = (server.address() as AddressInfo).port;
  if (!isWorker) {
    out(`Serving the demo app with ${served.description}`);
    if (served.note) out(served.note);
    out(`Listening on http://127.0.0.1:${actual}/`);
  }

  await untilStopped();
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
  await served.close();
  // A worker's IPC channel to the primary would keep it alive; let go of it so the process can end.
  if (isWorker && cluster.isWorker) process.disconnect?.();
  return 0;
}

/**
 * `--workers N`: forks N copies of this command that share one listening socket (the kernel spreads the
 * connections), prints the URL once they all listen, and stops them on SIGINT or SIGTERM.
 */
async function runPrimary(workers: number, port: number): Promise<number> {
  // Let every worker accept on the shared socket itself instead of the primary passing each connection on.
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  const procs = Array.from({ length: workers }, () => cluster.fork({ [WORKER_ENV]: '1' }));
  let failed = false;
  let stopping = false;
  const listening = procs.map(
    (w) =>
      new Promise<number>((resolve, reject) => {
        w.once('listening', (address) => resolve(address.port));
        w.once('exit', (code) => reject(new Error(`a worker exited with status ${code} before it listened`)));
      }),
  );
  let ports: number[];
  try {
    ports = await Promise.all(listening);
  } catch (e) {
    process.stderr.write(`session-lab serve: ${(e as Error).message}\n`);
    for (const w of procs) w.kill();
    return 1;
  }
  out(`Serving the demo app from ${workers} processes`);
  out(`Listening on http://127.0.0.1:${ports[0] ?? port}/`);
  for (const w of procs) {
    w.on('exit', (code, signal) => {
      if (stopping) return;
      failed = true;
      process.stderr.write(`session-lab serve: worker ${w.process.pid} exited (${signal ?? code})\n`);
    });
  }
  await untilStopped();
  stopping = true;
  await Promise.all(
    procs.map(
      (w) =>
        new Promise<void>((resolve) => {
          if (w.isDead()) return resolve();
          w.once('exit', () => resolve());
          w.process.kill('SIGTERM');
          setTimeout(() => (w.isDead() ? undefined : w.process.kill('SIGKILL')), 3000).unref();
        }),
    ),
  );
  return failed ? 1 : 0;
}
