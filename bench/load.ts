// npm run bench:load: the TypeScript demo server against the real Flask + Flask-Session 0.3.2 (Debian's, under
// gunicorn with one sync worker per CPU), both on one real redis-server on this machine, measured in one run.
// The TypeScript server runs with `--flask-session 0.3`, so both sides do the same work per request: read the
// cookie, GET a pickle, SETEX a pickle with the lifetime, send a Set-Cookie. It gets as many processes as gunicorn
// (`serve --workers`; see TS_WORKERS below).
// Many concurrent clients, each with its own cookie jar, repeat set/get cycles for a fixed time per side; every
// read must return exactly the value that client wrote last. The time per side is split into rounds that
// alternate between the two servers, so a busy machine slows both alike; besides requests per wall-clock second,
// requests per CPU second of the server processes (from /proc) are reported, which other load disturbs less.
// The last line is one JSON object.
//
// Environment: LOAD_SECONDS (default 10 per side), LOAD_ROUNDS (default 5), LOAD_CLIENTS (default 64),
// LOAD_WORKERS (gunicorn workers, default the CPU count), LOAD_TS_WORKERS (TypeScript server processes, default LOAD_WORKERS),
// LOAD_TS_VERSION (0.3, or 0.8 to measure the current format instead), LOAD_NODE_ARGS (extra Node flags for the
// TypeScript server, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { availableParallelism, cpus } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { freePort, startRedis } from '../tests/support/redis.ts';

const SECONDS = Number(process.env.LOAD_SECONDS ?? 10);
const CLIENTS = Number(process.env.LOAD_CLIENTS ?? 64);
const WORKERS = Number(process.env.LOAD_WORKERS ?? availableParallelism());
/**
 * Processes of the TypeScript server; default one. Node serves many connections from one event loop, and on a
 * 2-CPU machine that also runs Redis and the load generator, a second Node process mostly competes with them:
 * measured here, one process gave about 8,200 requests per server CPU second against 6,600 for two. Gunicorn's
 * sync workers handle one request at a time each, so Flask gets one per CPU, as its docs advise.
 * LOAD_TS_WORKERS=2 measures the TypeScript server with as many processes as gunicorn.
 */
const TS_WORKERS = Number(process.env.LOAD_TS_WORKERS ?? 1);
const TS_VERSION = process.env.LOAD_TS_VERSION === '0.8' ? '0.8' : '0.3';
const ROUNDS = Math.max(1, Number(process.env.LOAD_ROUNDS ?? 5));
const WARMUP_SECONDS = 1;
const SECRET = 'load-secret';
const ROOT = fileURLToPath(new URL('../', import.meta.url));

const children: ChildProcess[] = [];
function cleanup(): void {
  // SIGTERM: gunicorn's master then stops its workers, and the TypeScript server closes its connections.
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
}
process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => process.exit(130));

function gunicornPath(): string {
  for (const p of ['/usr/bin/gunicorn', '/usr/bin/gunicorn3']) if (existsSync(p)) return p;
  throw new Error('gunicorn is not installed: run "bash scripts/peers.sh" (Debian package gunicorn)');
}

/** Polls GET url until it answers, or throws after `ms`. */
async function waitForHttp(url: string, ms: number, proc: ChildProcess, output: () => string): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (proc.exitCode !== null) throw new Error(`${url}: the server exited: ${output()}`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`${url} did not answer in ${ms} ms: ${output()}`);
}

function capture(proc: ChildProcess): () => string {
  let text = '';
  proc.stdout?.on('data', (d) => (text += String(d)));
  proc.stderr?.on('data', (d) => (text += String(d)));
  return () => text.slice(-3000);
}

async function startTs(redisUrl: string): Promise<{ port: number; proc: ChildProcess }> {
  const proc = spawn(
    process.execPath,
    [...(process.env.LOAD_NODE_ARGS ?? '').split(' ').filter(Boolean), '--experimental-strip-types', '--no-warnings', 'src/cli/main.ts', 'serve', '--port', '0', '--interface', 'redis', '--flask-session', TS_VERSION, '--redis', redisUrl, '--secret', SECRET, '--key-prefix', 'ts:', '--workers', String(TS_WORKERS)],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
  );
  children.push(proc);
  const output = capture(proc);
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the TypeScript server did not start: ${output()}`)), 20_000);
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      const m = /^Listening on http:\/\/127\.0\.0\.1:(\d+)\//.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    proc.once('exit', (code) => reject(new Error(`the TypeScript server exited with ${code}: ${output()}`)));
  });
  return { port, proc };
}

async function startFlask(redisUrl: string): Promise<{ port: number; proc: ChildProcess }> {
  const port = await freePort();
  const proc = spawn(gunicornPath(), ['-w', String(WORKERS), '-k', 'sync', '-b', `127.0.0.1:${port}`, '--chdir', fileURLToPath(new URL('../tests/peers/', import.meta.url)), '--log-level', 'warning', 'flask_session_app:app'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, SECRET_KEY: SECRET, REDIS_URL: redisUrl, KEY_PREFIX: 'py:', PYTHONDONTWRITEBYTECODE: '1' },
  });
  children.push(proc);
  await waitForHttp(`http://127.0.0.1:${port}/get?key=warm`, 30_000, proc, capture(proc));
  return { port, proc };
}

const TICKS = 100; // USER_HZ on Linux

/** CPU seconds (user + system) used so far by `pid` and, with `children`, its direct children (gunicorn's workers). */
function cpuSeconds(pid: number, children = false): number {
  const one = (p: number): number => {
    try {
      const fields = readFileSync(`/proc/${p}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
      return (Number(fields[11]) + Number(fields[12])) / TICKS;
    } catch {
      return 0;
    }
  };
  let total = one(pid);
  if (children) {
    try {
      for (const t of readdirSync(`/proc/${pid}/task`)) {
        const kids = readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').trim();
        for (const k of kids ? kids.split(/\s+/) : []) total += one(Number(k));
      }
    } catch {
      // not Linux, or the process is gone
    }
  }
  return total;
}

/** A response as the load clients see it. */
interface Reply {
  status: number;
  body: string;
  setCookie: string[];
}

/**
 * One HTTP/1.1 connection per client, written and parsed by hand: much cheaper per request than node:http, so the
 * clients, which share the machine with both servers, take as little CPU as possible. Keeps the connection open
 * unless the server says `Connection: close` (gunicorn's sync workers do, every time), then reconnects.
 */
class RawClient {
  private readonly port: number;
  private sock: Socket | null = null;
  private buf = '';
  private pending: { resolve: (r: Reply) => void; reject: (e: Error) => void } | null = null;

  constructor(port: number) {
    this.port = port;
  }

  private connect(): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const sock = connect({ host: '127.0.0.1', port: this.port });
      sock.setNoDelay(true);
      sock.once('connect', () => {
        sock.off('error', reject);
        resolve(sock);
      });
      sock.once('error', reject);
      sock.on('data', (d: Buffer) => {
        this.buf += d.toString('latin1');
        this.parse();
      });
      sock.on('error', (e) => this.fail(sock, e));
      sock.on('close', () => this.fail(sock, new Error('connection closed before the response ended')));
    });
  }

  private fail(sock: Socket, e: Error): void {
    if (this.sock !== sock) return;
    this.sock = null;
    this.buf = '';
    const p = this.pending;
    this.pending = null;
    p?.reject(e);
  }

  private parse(): void {
    if (!this.pending) return;
    const end = this.buf.indexOf('\r\n\r\n');
    if (end === -1) return;
    const head = this.buf.slice(0, end);
    const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
    if (this.buf.length < end + 4 + length) return;
    const body = Buffer.from(this.buf.slice(end + 4, end + 4 + length), 'latin1').toString('utf8');
    this.buf = this.buf.slice(end + 4 + length);
    const setCookie = [...head.matchAll(/\r\nset-cookie:\s*([^\r]*)/gi)].map((m) => m[1]!);
    const p = this.pending;
    this.pending = null;
    if (/\r\nconnection:\s*close/i.test(head)) {
      const sock = this.sock;
      this.sock = null;
      sock?.destroy();
    }
    p.resolve({ status: Number(head.slice(9, 12)), body, setCookie });
  }

  /** GET `path` with an optional Cookie header. */
  async get(path: string, cookie: string | null): Promise<Reply> {
    this.sock ??= await this.connect();
    const sock = this.sock;
    return new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(() => this.fail(sock, new Error('request timed out')), 30_000);
      this.pending = {
        resolve: (r) => (clearTimeout(timer), resolve(r)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      };
      sock.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${this.port}\r\n${cookie ? `Cookie: ${cookie}\r\n` : ''}\r\n`);
    });
  }

  close(): void {
    const sock = this.sock;
    this.sock = null;
    sock?.destroy();
  }
}

/** What one side did. */
interface Result {
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** Reads that did not return exactly the value this client wrote last (lost or mixed up sessions). */
  lost: number;
  /** Clients whose final read-back, after the run, failed. */
  finalLost: number;
  /** CPU seconds the server processes used during the measured rounds. */
  cpu: number;
  /** CPU seconds this load-generating process used meanwhile (if close to `cpu`, the clients limit the rate). */
  clientCpu: number;
}

/** Sums rounds into one result (latency percentiles over all requests of all rounds). */
function combine(parts: { result: Result; latencies: number[] }[]): Result {
  const all = Float64Array.from(parts.flatMap((p) => p.latencies)).sort();
  const seconds = parts.reduce((a, p) => a + p.result.seconds, 0);
  const sum = (f: (r: Result) => number) => parts.reduce((a, p) => a + f(p.result), 0);
  return {
    requests: all.length,
    seconds,
    rps: all.length / seconds,
    p50: percentile(all, 50),
    p99: percentile(all, 99),
    errors: sum((r) => r.errors),
    lost: sum((r) => r.lost),
    finalLost: sum((r) => r.finalLost),
    cpu: sum((r) => r.cpu),
    clientCpu: sum((r) => r.clientCpu),
  };
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function load(port: number, seconds: number, measure: boolean, cpuNow: () => number): Promise<{ result: Result; latencies: number[] }> {
  const cpu0 = cpuNow();
  const client0 = process.cpuUsage();
  const clients = Array.from({ length: CLIENTS }, () => new RawClient(port));
  const latencies: number[] = [];
  let errors = 0;
  let lost = 0;
  let finalLost = 0;
  const stopAt = performance.now() + seconds * 1000;
  const started = performance.now();
  const last: string[] = [];
  const jars: (string | null)[] = Array.from({ length: CLIENTS }, () => null);
  const timed = async (id: number, path: string) => {
    const t0 = performance.now();
    const r = await clients[id]!.get(path, jars[id] ?? null);
    latencies.push(performance.now() - t0);
    for (const c of r.setCookie) {
      const pair = c.split(';', 1)[0]!;
      jars[id] = /=$/.test(pair) ? null : pair;
    }
    return r;
  };
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, id) => {
      let n = 0;
      while (performance.now() < stopAt) {
        const value = `${id}-${n++}`;
        try {
          const set = await timed(id, `/set?key=mine&value=${value}`);
          if (set.status !== 200) {
            errors++;
            continue;
          }
          last[id] = value;
          const got = await timed(id, `/get?key=mine`);
          if (got.status !== 200 && got.status !== 404) errors++;
          else if (got.body !== value) lost++;
        } catch {
          errors++;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  if (measure) {
    // After the run: every client reads back its own last value once more.
    const finals = await Promise.all(Array.from({ length: CLIENTS }, (_, id) => clients[id]!.get('/get?key=mine', jars[id] ?? null).catch(() => null)));
    finalLost = finals.filter((r, id) => !r || r.body !== last[id]).length;
  }
  for (const c of clients) c.close();
  const cpu = cpuNow() - cpu0;
  const clientUsage = process.cpuUsage(client0);
  const clientCpu = (clientUsage.user + clientUsage.system) / 1e6;
  const sorted = Float64Array.from(latencies).sort();
  return {
    result: { requests: latencies.length, seconds: elapsed, rps: latencies.length / elapsed, p50: percentile(sorted, 50), p99: percentile(sorted, 99), errors, lost, finalLost, cpu, clientCpu },
    latencies,
  };
}

async function main(): Promise<void> {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(`Load: ${CLIENTS} clients, ${SECONDS} s per side after ${WARMUP_SECONDS} s warm-up, ${availableParallelism()} CPUs (${cpu})`);
  const redis = await startRedis();
  try {
    const ts = await startTs(redis.url);
    const flask = await startFlask(redis.url);
    console.log(`TypeScript: session-lab serve --interface redis --flask-session ${TS_VERSION} --workers ${TS_WORKERS}, port ${ts.port}`);
    console.log(`Python:     Flask 2.2.2 + Flask-Session 0.3.2 under gunicorn -w ${WORKERS} (sync workers), port ${flask.port}`);
    console.log(`Both on redis-server ${redis.url}`);

    const tsCpu = () => cpuSeconds(ts.proc.pid!, true);
    const pyCpu = () => cpuSeconds(flask.proc.pid!, true);
    await load(ts.port, WARMUP_SECONDS, false, tsCpu);
    await load(flask.port, WARMUP_SECONDS, false, pyCpu);
    const tsParts: { result: Result; latencies: number[] }[] = [];
    const pyParts: { result: Result; latencies: number[] }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate which side goes first, so neither always runs right after the other.
      const order = round % 2 ? (['py', 'ts'] as const) : (['ts', 'py'] as const);
      for (const side of order) {
        if (side === 'ts') tsParts.push(await load(ts.port, SECONDS / ROUNDS, true, tsCpu));
        else pyParts.push(await load(flask.port, SECONDS / ROUNDS, true, pyCpu));
      }
    }
    const tsResult = combine(tsParts);
    const pyResult = combine(pyParts);
    // Stop the TypeScript server cleanly (SIGTERM), so a --cpu-prof profile gets written.
    await new Promise<void>((r) => {
      ts.proc.once('exit', () => r());
      ts.proc.kill('SIGTERM');
      setTimeout(() => (ts.proc.kill('SIGKILL'), r()), 5000).unref();
    });

    const row = (name: string, r: Result) =>
      `${name.padEnd(34)}${r.rps.toFixed(0).padStart(10)}${(r.requests / r.cpu).toFixed(0).padStart(12)}${r.p50.toFixed(1).padStart(9)}${r.p99.toFixed(1).padStart(9)}${String(r.requests).padStart(10)}${String(r.errors).padStart(8)}${String(r.lost + r.finalLost).padStart(7)}${`${r.cpu.toFixed(1)} / ${r.clientCpu.toFixed(1)}`.padStart(16)}`;
    console.log('');
    console.log(`${''.padEnd(34)}${'req/s'.padStart(10)}${'req/CPU s'.padStart(12)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'requests'.padStart(10)}${'errors'.padStart(8)}${'lost'.padStart(7)}${'CPU s srv/cli'.padStart(16)}`);
    console.log(row(`TypeScript (Flask-Session ${TS_VERSION})`, tsResult));
    console.log(row(`Flask + gunicorn -w ${WORKERS}`, pyResult));
    const ratio = tsResult.rps / pyResult.rps;
    const cpuRatio = tsResult.requests / tsResult.cpu / (pyResult.requests / pyResult.cpu);
    console.log(`TypeScript / Flask throughput: ${ratio.toFixed(2)}× per wall-clock second, ${cpuRatio.toFixed(2)}× per server CPU second   (p99 ${tsResult.p99.toFixed(1)} ms vs ${pyResult.p99.toFixed(1)} ms)`);
    const sessionsLost = tsResult.lost + tsResult.finalLost + pyResult.lost + pyResult.finalLost;
    if (sessionsLost) console.log(`WARNING: ${sessionsLost} reads did not return the client's own value (TypeScript ${tsResult.lost + tsResult.finalLost}, Flask ${pyResult.lost + pyResult.finalLost})`);
    console.log(
      JSON.stringify({
        rps_ratio: Number(ratio.toFixed(2)),
        ts_rps: Math.round(tsResult.rps),
        flask_rps: Math.round(pyResult.rps),
        ts_p99_ms: Number(tsResult.p99.toFixed(1)),
        flask_p99_ms: Number(pyResult.p99.toFixed(1)),
        cpu_ratio: Number(cpuRatio.toFixed(2)),
        sessions_lost: sessionsLost,
        errors: tsResult.errors + pyResult.errors,
      }),
    );
  } finally {
    cleanup();
    await redis.stop();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(`bench:load: ${e instanceof Error ? e.message : String(e)}`);
    cleanup();
    process.exit(1);
  },
);
