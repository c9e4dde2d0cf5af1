// npm run bench: Flask-style session signing, verifying and wordlist cracking, and parsing large JSON, Python
// (Debian's Flask) against the TypeScript engine, on this machine in one run. Sign, verify and JSON are measured
// a Python window (or call) and a TypeScript one in turn; crack runs on the Python side and then at once on the
// TypeScript side; so both see the same load when the machine is shared. The last line is a JSON object with the
// ratios (TypeScript's speed over Python's: above 1 is faster).
import { execFileSync, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { createReadStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crackWordlist } from '../src/cli/crack.ts';
import { sessionJsonSerializer } from '../src/engine/flask/json/tag.ts';
import { loads as jsonLoads } from '../src/engine/python/json.ts';
import { LazyDict } from '../src/engine/python/values.ts';
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

// ---- Python, one part at a time --------------------------------------------------------------------------
const pyScript = fileURLToPath(new URL('./bench.py', import.meta.url));
interface PySession {
  session: string;
  cookie: string;
  sign: { wall: number; cpu: number };
  verify: { wall: number; cpu: number };
}
interface PyTimes {
  wall: number;
  cpu: number;
}
interface PyOut {
  python: string;
  flask: string;
  itsdangerous: string;
  sessions: Record<'small' | 'cart', PySession>;
  crack: Rate;
  crack_cookie: string;
  crack_tried: number;
  crack_total: number;
  crack_found: boolean;
}
const loads: number[] = [];
function python(part: 'sessions' | 'crack' | 'json'): PyOut {
  loads.push(loadavg()[0]!);
  process.stderr.write(`bench: Python, ${part} (load average ${loadavg()[0]!.toFixed(1)})...\n`);
  return JSON.parse(execFileSync('/usr/bin/python3', [pyScript, wordlist, String(SECONDS), part], { encoding: 'utf8', maxBuffer: 1 << 26 })) as PyOut;
}

// ---- sign and verify ----------------------------------------------------------------------------------------
// Window by window: a Python window, then a TypeScript one, three times, for each measurement (bench.py windows).
loads.push(loadavg()[0]!);
process.stderr.write(`bench: sign and verify, Python and TypeScript windows in turn (load average ${loadavg()[0]!.toFixed(1)})...\n`);
const pyWindows = spawn('/usr/bin/python3', [pyScript, wordlist, String(SECONDS), 'windows'], { stdio: ['pipe', 'pipe', 'inherit'] });
const pyLines = createInterface({ input: pyWindows.stdout })[Symbol.asyncIterator]();
const pyLine = async (): Promise<unknown> => {
  const { value, done } = await pyLines.next();
  if (done) throw new Error('bench.py windows stopped');
  return JSON.parse(value as string);
};
const pySetup = (await pyLine()) as Pick<PyOut, 'python' | 'flask' | 'itsdangerous'> & { sessions: Record<'small' | 'cart', { session: string; cookie: string }> };
const pyWindow = async (op: 'sign' | 'verify', name: string): Promise<Rate> => {
  pyWindows.stdin.write(`${op} ${name}\n`);
  return (await pyLine()) as Rate;
};
const app = { config: { ...DEFAULT_CONFIG, SECRET_KEY: SECRET }, now: () => Date.now() / 1000 };

/** Rates of fn over one window of `SECONDS` / 3, in wall-clock time and in CPU time (V8's helper threads included). */
function window(fn: () => unknown): Rate {
  let calls = 0;
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  for (;;) {
    for (let i = 0; i < 100; i++) fn();
    calls += 100;
    const elapsed = (performance.now() - start) / 1000;
    if (elapsed >= SECONDS / 3) {
      const cpu = process.cpuUsage(cpuStart);
      return { wall: calls / elapsed, cpu: calls / Math.max((cpu.user + cpu.system) / 1e6, 1e-9) };
    }
  }
}

/**
 * The best of 3 windows on each side, a Python window and a TypeScript one in turn, so that a burst of load
 * elsewhere on the machine hits both; TypeScript first warms up its JIT for half a second.
 */
async function rates(op: 'sign' | 'verify', name: string, fn: () => unknown): Promise<{ py: Rate; ts: Rate }> {
  const warm = performance.now() + 500;
  while (performance.now() < warm) for (let i = 0; i < 100; i++) fn();
  const py = { wall: 0, cpu: 0 };
  const ts = { wall: 0, cpu: 0 };
  for (let w = 0; w < 3; w++) {
    const p = await pyWindow(op, name);
    const t = window(fn);
    py.wall = Math.max(py.wall, p.wall);
    py.cpu = Math.max(py.cpu, p.cpu);
    ts.wall = Math.max(ts.wall, t.wall);
    ts.cpu = Math.max(ts.cpu, t.cpu);
  }
  return { py, ts };
}

// Same work as the Python side: a fresh interface and serializer per call, as Flask does per request.
const serializer = () => new SecureCookieSessionInterface().getSigningSerializer(app)!;
const ts: Record<string, { sign: Rate; verify: Rate }> = {};
const py = { ...pySetup, sessions: {} as Record<string, PySession> };
for (const [name, p] of Object.entries(pySetup.sessions)) {
  const session = sessionJsonSerializer.loads(p.session);
  // Both sides must write and read the same cookies before their speed means anything.
  const ours = serializer().dumps(session);
  if (ours.split('.').slice(0, -2).join('.') !== p.cookie.split('.').slice(0, -2).join('.')) {
    throw new Error(`${name}: payloads differ: ${ours} vs ${p.cookie}`);
  }
  if (sessionJsonSerializer.dumps(serializer().loads(p.cookie, MAX_AGE), { sortKeys: true }) !== p.session) {
    throw new Error(`${name}: TypeScript does not load the Python cookie back`);
  }
  const sign = await rates('sign', name, () => serializer().dumps(session));
  const verify = await rates('verify', name, () => serializer().loads(p.cookie, MAX_AGE));
  ts[name] = { sign: sign.ts, verify: verify.ts };
  py.sessions[name] = { ...p, sign: sign.py, verify: verify.py };
}
// ---- JSON parsing -------------------------------------------------------------------------------------------
// Text by text, one Python call (json.loads, then the tagged loads) and then the same two calls here, three times.
loads.push(loadavg()[0]!);
process.stderr.write(`bench: json, Python and TypeScript calls in turn (load average ${loadavg()[0]!.toFixed(1)})...\n`);
const items = (piece: string, n: number) => '[' + Array(n).fill(piece).join(',') + ']';
/** The texts bench.py's json_texts builds, with how many items each holds. */
const jsonTexts: Record<string, [string, number]> = {
  'empty dicts': [items('{}', 2_666_666), 2_666_666],
  'cart items': [items('{"qty":2,"sku":"A-1001"}', 250_000), 250_000],
  strings: [items('"9c4b1e7f0a3d5c2e8b6f4a1d3c5e7b9f"', 220_000), 220_000],
  numbers: ['[' + Array.from({ length: 1_100_000 }, (_, i) => String((i * 7919) % 1000003)).join(',') + ']', 1_100_000],
  'tuple tags': [items('{" t":[1,2]}', 600_000), 600_000],
};
/** Seconds for one call of fn, wall and CPU (the CPU of this process counts V8's garbage-collector threads). */
function once(fn: () => unknown): PyTimes {
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  fn();
  const cpu = process.cpuUsage(cpuStart);
  return { wall: (performance.now() - start) / 1000, cpu: (cpu.user + cpu.system) / 1e6 };
}
const faster = (a: PyTimes, b: PyTimes): PyTimes => ({ wall: Math.min(a.wall, b.wall), cpu: Math.min(a.cpu, b.cpu) });
const never: PyTimes = { wall: Infinity, cpu: Infinity };
const pyJson: Record<string, { bytes: number; json: PyTimes; tagged: PyTimes }> = {};
const tsJson: Record<string, { json: PyTimes; tagged: PyTimes }> = {};
// What the dicts of the empty-dicts text cost by themselves, pushed into an array: as the LazyDicts the reader
// makes for `{}`, and as empty Maps (what every dict cost before LazyDict).
let lazyFloor = never;
let mapFloor = never;
for (const [name, [text, count]] of Object.entries(jsonTexts)) {
  for (const v of [jsonLoads(text), sessionJsonSerializer.loads(text)]) {
    if (!Array.isArray(v) || v.length !== count) throw new Error(`json ${name}: did not load ${count} items`);
  }
  const p = { bytes: 0, json: never, tagged: never };
  const t = { json: never, tagged: never };
  for (let k = 0; k < 3; k++) {
    pyWindows.stdin.write(`json ${name}\n`);
    const q = (await pyLine()) as { bytes: number; json: PyTimes; tagged: PyTimes };
    if (q.bytes !== text.length) throw new Error(`json ${name}: the Python text has ${q.bytes} characters, ours ${text.length}`);
    p.bytes = q.bytes;
    p.json = faster(p.json, q.json);
    p.tagged = faster(p.tagged, q.tagged);
    t.json = faster(t.json, once(() => jsonLoads(text)));
    t.tagged = faster(t.tagged, once(() => sessionJsonSerializer.loads(text)));
    if (name === 'empty dicts') {
      lazyFloor = faster(
        lazyFloor,
        once(() => {
          const a: LazyDict[] = [];
          for (let i = 0; i < count; i++) a.push(new LazyDict());
          return a;
        }),
      );
      mapFloor = faster(
        mapFloor,
        once(() => {
          const a: Map<unknown, unknown>[] = [];
          for (let i = 0; i < count; i++) a.push(new Map());
          return a;
        }),
      );
    }
  }
  pyJson[name] = p;
  tsJson[name] = t;
}
pyWindows.stdin.end('quit\n');

// ---- crack ----------------------------------------------------------------------------------------------
const pyCrack = python('crack');
process.stderr.write('bench: TypeScript, crack...\n');
const threads = availableParallelism();
// Progress samples, to rate the run in 3 consecutive windows of SECONDS / 3 from its start, the way bench.py
// rates the Python loop (the first window includes starting the workers).
const samples: { ms: number; guesses: number }[] = [{ ms: 0, guesses: 0 }];
const crackCpuStart = process.cpuUsage();
const crackRun = await crackWordlist({
  cookie: pyCrack.crack_cookie,
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
const small = { py: py.sessions.small!, ts: ts.small! };
const cart = { py: py.sessions.cart!, ts: ts.cart! };
const row = (label: string, p: Rate, t: Rate) =>
  `${label}  ${f(p.wall)}    ${f(t.wall)}  ${r(t.wall, p.wall)}    ${f(p.cpu)}    ${f(t.cpu)}  ${r(t.cpu, p.cpu)}`;
const rows = [
  `Flask session cookies: Python ${py.python} (Flask ${py.flask}, itsdangerous ${py.itsdangerous}) vs TypeScript on Node ${process.version}`,
  `Machine: ${threads} cores available (${cpu}), 1-minute load average ${loads.map((l) => l.toFixed(1)).join(' → ')} (before each Python part, and at the end)`,
  `sign/verify: 1 thread each, best of 3 windows of ${(SECONDS / 3).toFixed(2)} s, Python's and TypeScript's in turn, per wall-clock second and per CPU second`,
  '',
  `                                    ------- per wall-clock second -------  ---------- per CPU second -----------`,
  `                                          Python    TypeScript     ratio        Python    TypeScript     ratio`,
  row('sign    small session  (dumps/s)', small.py.sign, small.ts.sign),
  row('verify  small session  (loads/s)', small.py.verify, small.ts.verify),
  row('sign    cart, zlib     (dumps/s)', cart.py.sign, cart.ts.sign),
  row('verify  cart, zlib     (loads/s)', cart.py.verify, cart.ts.verify),
  row('crack             (guesses/s)', pyCrack.crack, tsCrack) + `   (wall: Python 1 thread, TypeScript ${threads} threads)`,
  '',
  `sign/verify: SecureCookieSessionInterface().get_signing_serializer(app).dumps(session) / .loads(cookie, max_age=${MAX_AGE})`,
  `  small: ${small.py.session}`,
  `  cart:  ${cart.py.session} (stored zlib-compressed)`,
  `crack: ${WORDS.toLocaleString('en-US')}-line wordlist, key on the last line, cookie of the small session; wall rates are the`,
  `  best of 3 consecutive windows of ${(SECONDS / 3).toFixed(2)} s from the start on both sides. Python tried ${pyCrack.crack_tried.toLocaleString('en-US')} lines.`,
  `  TypeScript streamed the whole file and found the key in ${(crackRun.elapsedMs / 1000).toFixed(2)} s: ${Math.round(wholeRun).toLocaleString('en-US')} guesses/s`,
  `  over the whole run, worker start-up included (counting only the ${crackRun.guesses.toLocaleString('en-US')} guesses of completed chunks).`,
  '',
  `JSON: seconds for one json.loads / Flask's TaggedJSONSerializer.loads against the engine's loads /`,
  `  sessionJsonSerializer.loads, best of 3 calls, Python's and TypeScript's in turn; ratio = Python's time over`,
  `  TypeScript's (0.5 = twice as slow). The engine reads \`{}\` as a LazyDict, a Map-like whose table is made on the`,
  `  first write: pushing ${jsonTexts['empty dicts']![1].toLocaleString('en-US')} of them into an array, and nothing else, takes ${lazyFloor.wall.toFixed(3)} s wall, ${lazyFloor.cpu.toFixed(3)} s CPU`,
  `  here (the floor under "empty dicts"); as many empty Maps take ${mapFloor.wall.toFixed(3)} s wall, ${mapFloor.cpu.toFixed(3)} s CPU.`,
  ...(['wall', 'cpu'] as const).flatMap((clock) => [
    '',
    `${clock === 'wall' ? 'wall-clock' : 'CPU      '}                      -------------- json.loads --------------  ------------- tagged loads -------------`,
    `                             MB        Python    TypeScript     ratio        Python    TypeScript     ratio`,
    ...Object.entries(tsJson).map(([name, t]) => {
      const p = pyJson[name]!;
      const g = (x: number) => `${x.toFixed(3)} s`.padStart(12);
      const q = (a: number, b: number) => `${(a / b).toFixed(2)}×`.padStart(8);
      return `${name.padEnd(24)}${(p.bytes / 1e6).toFixed(1).padStart(6)}  ${g(p.json[clock])}  ${g(t.json[clock])}  ${q(p.json[clock], t.json[clock])}  ${g(p.tagged[clock])}  ${g(t.tagged[clock])}  ${q(p.tagged[clock], t.tagged[clock])}`;
    }),
  ]),
  '',
  `The JSON line: sign and verify with the small session; json_* and untag_* are the worst shape's ratio.`,
];
process.stdout.write(rows.join('\n') + '\n');
const round = (x: number) => Number(x.toFixed(2));
const worst = (pick: (p: { json: PyTimes; tagged: PyTimes }, t: { json: PyTimes; tagged: PyTimes }) => number) =>
  round(Math.min(...Object.entries(tsJson).map(([name, t]) => pick(pyJson[name]!, t))));
process.stdout.write(
  JSON.stringify({
    sign_ratio: round(small.ts.sign.wall / small.py.sign.wall),
    verify_ratio: round(small.ts.verify.wall / small.py.verify.wall),
    crack_ratio: round(tsCrack.wall / pyCrack.crack.wall),
    sign_cpu_ratio: round(small.ts.sign.cpu / small.py.sign.cpu),
    verify_cpu_ratio: round(small.ts.verify.cpu / small.py.verify.cpu),
    crack_cpu_ratio: round(tsCrack.cpu / pyCrack.crack.cpu),
    json_loads_ratio: worst((p, t) => p.json.wall / t.json.wall),
    untag_ratio: worst((p, t) => p.tagged.wall / t.tagged.wall),
    json_loads_cpu_ratio: worst((p, t) => p.json.cpu / t.json.cpu),
    untag_cpu_ratio: worst((p, t) => p.tagged.cpu / t.tagged.cpu),
    load_average: loads.map((l) => round(l)),
  }) + '\n',
);
