// npm run bench: Flask-style session signing, verifying and wordlist cracking, Python (Debian's Flask) against
// the TypeScript engine, on this machine in one run. The last line is a JSON object with the three ratios.
import { execFileSync } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crackWordlist } from '../src/cli/crack.ts';
import { sessionJsonSerializer } from '../src/engine/flask/json/tag.ts';
import { DEFAULT_CONFIG, SecureCookieSessionInterface } from '../src/engine/flask/sessions.ts';

/** Calls per wall-clock second and per CPU second of this process. */
interface Rate {
  wall: number;
  cpu: number;
}

/** Seconds each rate is measured for, on each side. */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
/** Wordlist lines: enough that the TypeScript cracker runs for a few seconds on all cores. */
const WORDS = Number(process.env.BENCH_WORDS ?? 1_500_000);
const MAX_AGE = 2678400;

const dir = mkdtempSync(join(tmpdir(), 'session-lab-bench-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

// A wordlist of random lowercase words, 6 to 12 letters, with the key as its last line.
const wordlist = join(dir, 'words.txt');
{
  let x = 0x2545f491;
  const rnd = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
  const parts: Buffer[] = [];
  let buf = Buffer.alloc(1 << 20);
  let o = 0;
  for (let i = 0; i < WORDS - 1; i++) {
    if (o > buf.length - 16) {
      parts.push(buf.subarray(0, o));
      buf = Buffer.alloc(1 << 20);
      o = 0;
    }
    const len = 6 + (rnd() % 7);
    for (let j = 0; j < len; j++) buf[o++] = 0x61 + (rnd() % 26);
    buf[o++] = 0x0a;
  }
  parts.push(buf.subarray(0, o), Buffer.from('correct-horse-battery\n'));
  writeFileSync(wordlist, Buffer.concat(parts));
}
const SECRET = 'correct-horse-battery';

// ---- Python -----------------------------------------------------------------------------------
process.stderr.write(`bench: Python (${SECONDS} s per measurement)...\n`);
const pyScript = fileURLToPath(new URL('./bench.py', import.meta.url));
interface PySession {
  session: string;
  cookie: string;
  sign: { wall: number; cpu: number };
  verify: { wall: number; cpu: number };
}
const py = JSON.parse(execFileSync('/usr/bin/python3', [pyScript, wordlist, String(SECONDS)], { encoding: 'utf8', maxBuffer: 1 << 26 })) as {
  sessions: Record<'small' | 'cart', PySession>;
  crack: Rate;
  crack_tried: number;
  crack_total: number;
  crack_found: boolean;
  python: string;
  flask: string;
  itsdangerous: string;
};

// ---- TypeScript -------------------------------------------------------------------------------
process.stderr.write('bench: TypeScript...\n');
const app = { config: { ...DEFAULT_CONFIG, SECRET_KEY: SECRET }, now: () => Date.now() / 1000 };

/**
 * Rates of fn, measured as bench.py measures the Python side: after a short warm-up for the JIT, the best
 * of 3 windows of `SECONDS` / 3, in wall-clock time and in CPU time (which also counts V8's helper threads).
 */
function rate(fn: () => unknown): Rate {
  const warm = performance.now() + 500;
  while (performance.now() < warm) for (let i = 0; i < 100; i++) fn();
  const best = { wall: 0, cpu: 0 };
  for (let w = 0; w < 3; w++) {
    let calls = 0;
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    for (;;) {
      for (let i = 0; i < 100; i++) fn();
      calls += 100;
      const elapsed = (performance.now() - start) / 1000;
      if (elapsed >= SECONDS / 3) {
        const cpu = process.cpuUsage(cpuStart);
        best.wall = Math.max(best.wall, calls / elapsed);
        best.cpu = Math.max(best.cpu, calls / Math.max((cpu.user + cpu.system) / 1e6, 1e-9));
        break;
      }
    }
  }
  return best;
}

// Same work as the Python side: a fresh interface and serializer per call, as Flask does per request.
const serializer = () => new SecureCookieSessionInterface().getSigningSerializer(app)!;
const ts: Record<string, { sign: Rate; verify: Rate }> = {};
for (const [name, p] of Object.entries(py.sessions)) {
  const session = sessionJsonSerializer.loads(p.session);
  // Both sides must write and read the same cookies before their speed means anything.
  const ours = serializer().dumps(session);
  if (ours.split('.').slice(0, -2).join('.') !== p.cookie.split('.').slice(0, -2).join('.')) {
    throw new Error(`${name}: payloads differ: ${ours} vs ${p.cookie}`);
  }
  if (sessionJsonSerializer.dumps(serializer().loads(p.cookie, MAX_AGE), { sortKeys: true }) !== p.session) {
    throw new Error(`${name}: TypeScript does not load the Python cookie back`);
  }
  ts[name] = { sign: rate(() => serializer().dumps(session)), verify: rate(() => serializer().loads(p.cookie, MAX_AGE)) };
}

const threads = availableParallelism();
// Progress samples, to rate the run in 3 consecutive windows of SECONDS / 3 from its start, the way bench.py
// rates the Python loop (the first window includes starting the workers).
const samples: { ms: number; guesses: number }[] = [{ ms: 0, guesses: 0 }];
const crackCpuStart = process.cpuUsage();
const crackRun = await crackWordlist({
  cookie: py.sessions.small.cookie,
  options: { salt: 'cookie-session', keyDerivation: 'hmac', digest: 'sha1' },
  source: createReadStream(wordlist, { highWaterMark: 1 << 20 }),
  totalBytes: statSync(wordlist).size,
  threads,
  onProgress: (p) => samples.push({ ms: p.elapsedMs, guesses: p.guesses }),
});
const found = crackRun.secret ? new TextDecoder().decode(crackRun.secret) : null;
if (found !== SECRET) throw new Error(`the TypeScript cracker did not find the key (got ${found})`);
const crackCpu = process.cpuUsage(crackCpuStart);
// Per CPU second counts the CPU time of every thread of this process (workers, reader, V8 helpers).
const wholeRun = (crackRun.guesses * 1000) / crackRun.elapsedMs;
let bestWindow = 0;
for (let k = 1, from = samples[0]!; k <= 3; k++) {
  const to = samples.find((x) => x.ms >= (k * SECONDS * 1000) / 3);
  if (!to || to === from) break;
  bestWindow = Math.max(bestWindow, ((to.guesses - from.guesses) * 1000) / (to.ms - from.ms));
  from = to;
}
const tsCrack: Rate = { wall: bestWindow || wholeRun, cpu: crackRun.guesses / ((crackCpu.user + crackCpu.system) / 1e6) };

// ---- Report -----------------------------------------------------------------------------------
const f = (n: number) => Math.round(n).toLocaleString('en-US').padStart(12);
const r = (a: number, b: number) => `${(a / b).toFixed(1)}×`.padStart(8);
const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
const small = { py: py.sessions.small, ts: ts.small! };
const cart = { py: py.sessions.cart, ts: ts.cart! };
const row = (label: string, p: Rate, t: Rate) =>
  `${label}  ${f(p.wall)}    ${f(t.wall)}  ${r(t.wall, p.wall)}    ${f(p.cpu)}    ${f(t.cpu)}  ${r(t.cpu, p.cpu)}`;
const rows = [
  `Flask session cookies: Python ${py.python} (Flask ${py.flask}, itsdangerous ${py.itsdangerous}) vs TypeScript on Node ${process.version}`,
  `Machine: ${threads} cores available (${cpu}), load average ${loadavg()[0]!.toFixed(1)} at the end of the run`,
  `sign/verify: 1 thread each, best of 3 windows over ${SECONDS} s, per wall-clock second and per CPU second`,
  '',
  `                                    ------- per wall-clock second -------  ---------- per CPU second -----------`,
  `                                          Python    TypeScript     ratio        Python    TypeScript     ratio`,
  row('sign    small session  (dumps/s)', small.py.sign, small.ts.sign),
  row('verify  small session  (loads/s)', small.py.verify, small.ts.verify),
  row('sign    cart, zlib     (dumps/s)', cart.py.sign, cart.ts.sign),
  row('verify  cart, zlib     (loads/s)', cart.py.verify, cart.ts.verify),
  row('crack             (guesses/s)', py.crack, tsCrack) + `   (wall: Python 1 thread, TypeScript ${threads} threads)`,
  '',
  `sign/verify: SecureCookieSessionInterface().get_signing_serializer(app).dumps(session) / .loads(cookie, max_age=${MAX_AGE})`,
  `  small: ${small.py.session}`,
  `  cart:  ${cart.py.session} (stored zlib-compressed)`,
  `crack: ${WORDS.toLocaleString('en-US')}-line wordlist, key on the last line, cookie of the small session; wall rates are the`,
  `  best of 3 consecutive windows of ${(SECONDS / 3).toFixed(2)} s from the start on both sides. Python tried ${py.crack_tried.toLocaleString('en-US')} lines.`,
  `  TypeScript streamed the whole file and found the key in ${(crackRun.elapsedMs / 1000).toFixed(2)} s: ${Math.round(wholeRun).toLocaleString('en-US')} guesses/s`,
  `  over the whole run, worker start-up included (counting only the ${crackRun.guesses.toLocaleString('en-US')} guesses of completed chunks).`,
  `The JSON ratios below are per wall-clock second, with the small session for sign and verify.`,
];
process.stdout.write(rows.join('\n') + '\n');
process.stdout.write(
  JSON.stringify({
    sign_ratio: Number((small.ts.sign.wall / small.py.sign.wall).toFixed(2)),
    verify_ratio: Number((small.ts.verify.wall / small.py.verify.wall).toFixed(2)),
    crack_ratio: Number((tsCrack.wall / py.crack.wall).toFixed(2)),
  }) + '\n',
);
