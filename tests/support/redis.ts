// Real redis-server processes for tests and the load benchmark: a single server or a three-master cluster on
// free loopback ports, each in its own temporary directory, persistence off, always cleaned up (stop(), and a
// process 'exit' hook for anything left behind).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const live = new Set<ChildProcess>();
const dirs = new Set<string>();
process.once('exit', () => {
  for (const p of live) p.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** A free loopback port; with `bus`, port + 10000 (a cluster node's bus port) is free as well. */
export async function freePort(bus = false): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const port = 20000 + Math.floor(Math.random() * (bus ? 25000 : 40000));
    if ((await portFree(port)) && (!bus || (await portFree(port + 10000)))) return port;
  }
  throw new Error('no free loopback port found');
}

/** Sends one inline command over a raw socket and resolves with the first reply line (null on failure). */
export function rawCommand(port: number, command: string, timeoutMs = 1000): Promise<string | null> {
  return new Promise((resolve) => {
    const sock = createConnection({ host: '127.0.0.1', port });
    let data = '';
    const done = (v: string | null): void => {
      clearTimeout(timer);
      sock.destroy();
      resolve(v);
    };
    const timer = setTimeout(() => done(null), timeoutMs);
    sock.on('connect', () => sock.write(`${command}\r\n`));
    sock.on('data', (d) => {
      data += String(d);
      if (data.includes('\r\n')) done(data);
    });
    sock.on('error', () => done(null));
  });
}

/** Runs redis-cli with arguments; resolves with its stdout. */
export function redisCli(args: string[], timeoutMs = 20_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('redis-cli', args, { timeout: timeoutMs, encoding: 'utf8' }, (err, stdout, stderr) => (err ? reject(new Error(`redis-cli ${args.join(' ')}: ${err.message} ${stderr}`)) : resolve(stdout)));
  });
}

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** One redis-server process. */
export interface RedisServer {
  port: number;
  url: string;
  dir: string;
  /** The running process, or null while killed. */
  process: ChildProcess | null;
  /** SIGKILL, as a crash would; resolves when the process has exited. */
  kill(): Promise<void>;
  /** Starts again on the same port (after {@link kill}); resolves when it answers PING. */
  restart(): Promise<void>;
  /** Kills the process and removes its directory. */
  stop(): Promise<void>;
}

function spawnRedis(port: number, dir: string, extra: string[]): ChildProcess {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no', '--logfile', join(dir, 'redis.log'), ...extra];
  const p = spawn('redis-server', args, { stdio: 'ignore' });
  live.add(p);
  p.once('exit', () => live.delete(p));
  return p;
}

function exited(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return Promise.resolve();
  return new Promise((r) => p.once('exit', () => r()));
}

/**
 * Starts a redis-server on a free loopback port in a fresh temporary directory, without persistence.
 * @param extra more redis-server arguments (e.g. `['--cluster-enabled', 'yes']`).
 * @param port a port to use (default: a free one).
 */
export async function startRedis(extra: string[] = [], port?: number): Promise<RedisServer> {
  const p = port ?? (await freePort(extra.includes('--cluster-enabled')));
  const dir = mkdtempSync(join(tmpdir(), 'session-lab-redis-'));
  dirs.add(dir);
  const server: RedisServer = {
    port: p,
    url: `redis://127.0.0.1:${p}/0`,
    dir,
    process: null,
    async kill() {
      const proc = server.process;
      if (!proc) return;
      server.process = null;
      proc.kill('SIGKILL');
      await exited(proc);
    },
    async restart() {
      if (server.process) return;
      server.process = spawnRedis(p, dir, extra);
      await waitUntil(`redis-server on port ${p}`, async () => (await rawCommand(p, 'PING'))?.startsWith('+PONG') ?? false, 10_000);
    },
    async stop() {
      await server.kill();
      rmSync(dir, { recursive: true, force: true });
      dirs.delete(dir);
    },
  };
  await server.restart();
  return server;
}

/** Three masters forming one Redis Cluster (no replicas). */
export interface RedisCluster {
  nodes: RedisServer[];
  ports: number[];
  /** `redis://127.0.0.1:port` for each master. */
  urls: string[];
  stop(): Promise<void>;
}

/**
 * Starts three cluster-enabled redis-servers and joins them with `redis-cli --cluster create … --cluster-replicas 0
 * --cluster-yes`; resolves once every node reports `cluster_state:ok`.
 */
export async function startCluster(): Promise<RedisCluster> {
  const nodes: RedisServer[] = [];
  try {
    for (let i = 0; i < 3; i++) {
      // Each node keeps its cluster state file inside its own temporary directory (--dir).
      nodes.push(await startRedis(['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '2000']));
    }
    await redisCli(['--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', '0', '--cluster-yes']);
    for (const n of nodes) {
      await waitUntil(`cluster_state:ok on ${n.port}`, async () => (await redisCli(['-p', String(n.port), 'cluster', 'info'])).includes('cluster_state:ok'), 20_000);
    }
  } catch (e) {
    await Promise.all(nodes.map((n) => n.stop()));
    throw e;
  }
  return {
    nodes,
    ports: nodes.map((n) => n.port),
    urls: nodes.map((n) => `redis://127.0.0.1:${n.port}`),
    stop: async () => void (await Promise.all(nodes.map((n) => n.stop()))),
  };
}
