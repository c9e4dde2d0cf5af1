// npm run bench: Flask-style session signing, verifying and wordlist cracking, Python (Debian's Flask) against
// the TypeScript engine, on this machine in one run. The last line is a JSON object with the three ratios.
import { execFileSync } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crackWordlist } from '../src/cli/crack.ts';
import { sessionJsonSerializer } from '../src/engine/flask/json/tag.ts';
import { DEFAULT_CONFIG, SecureCookieSessionInterface } from '../src/engine/flask/sessions.ts';

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
const py = JSON.parse(execFileSync('/usr/bin/python3', [pyScript, wordlist, String(SECONDS)], { encoding: 'utf8', maxBuffer: 1 << 26 })) as {
  sign: number;
  verify: number;
  crack: number;
  crack_tried: number;
  crack_total: number;
  crack_found: boolean;
  cookie: string;
  session: string;
  python: string;
  flask: string;
  itsdangerous: string;
};

// ---- TypeScript -------------------------------------------------------------------------------
process.stderr.write('bench: TypeScript...\n');
const session = sessionJsonSerializer.loads(py.session);
const app = { config: { ...DEFAULT_CONFIG, SECRET_KEY: SECRET }, now: () => Date.now() / 1000 };

/** Calls fn in batches until `SECONDS` have passed (after a short warm-up for the JIT); returns calls per second. */
function rate(fn: () => unknown): number {
  const warm = performance.now() + 300;
  while (performance.now() < warm) for (let i = 0; i < 200; i++) fn();
  let calls = 0;
  const start = performance.now();
  for (;;) {
    for (let i = 0; i < 200; i++) fn();
    calls += 200;
    const elapsed = (performance.now() - start) / 1000;
    if (elapsed >= SECONDS) return calls / elapsed;
  }
}

// Same work as the Python side: a fresh interface and serializer per call, as Flask does per request.
const sign = () => new SecureCookieSessionInterface().getSigningSerializer(app)!.dumps(session);
const verify = (cookie: string) => new SecureCookieSessionInterface().getSigningSerializer(app)!.loads(cookie, MAX_AGE);

// Both sides must produce and accept the same cookies before their speed means anything.
const ours = sign();
const [payload, , sig] = ours.split('.');
const [pyPayload] = py.cookie.split('.');
if (payload !== pyPayload) throw new Error(`payloads differ: ${payload} vs ${pyPayload}`);
if (sessionJsonSerializer.dumps(verify(py.cookie), { sortKeys: true }) !== py.session) throw new Error('TypeScript does not load the Python cookie back');
if (!sig) throw new Error('no signature');

const tsSign = rate(sign);
const tsVerify = rate(() => verify(py.cookie));

const threads = availableParallelism();
const crackRun = await crackWordlist({
  cookie: py.cookie,
  options: { salt: 'cookie-session', keyDerivation: 'hmac', digest: 'sha1' },
  source: createReadStream(wordlist, { highWaterMark: 1 << 20 }),
  totalBytes: statSync(wordlist).size,
  threads,
});
const found = crackRun.secret ? new TextDecoder().decode(crackRun.secret) : null;
if (found !== SECRET) throw new Error(`the TypeScript cracker did not find the key (got ${found})`);
const tsCrack = (crackRun.guesses * 1000) / crackRun.elapsedMs;

// ---- Report -----------------------------------------------------------------------------------
const f = (n: number) => Math.round(n).toLocaleString('en-US').padStart(12);
const r = (a: number, b: number) => `${(a / b).toFixed(1)}×`.padStart(8);
const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
const rows = [
  `Flask session cookies: Python ${py.python} (Flask ${py.flask}, itsdangerous ${py.itsdangerous}) vs TypeScript on Node ${process.version}`,
  `Machine: ${threads} cores available (${cpu}); each rate measured for about ${SECONDS} s`,
  '',
  `                             Python      TypeScript     ratio`,
  `sign    (dumps/s)      ${f(py.sign)}    ${f(tsSign)}  ${r(tsSign, py.sign)}   1 thread each`,
  `verify  (loads/s)      ${f(py.verify)}    ${f(tsVerify)}  ${r(tsVerify, py.verify)}   1 thread each`,
  `crack   (guesses/s)    ${f(py.crack)}    ${f(tsCrack)}  ${r(tsCrack, py.crack)}   Python 1 thread, TypeScript ${threads} threads`,
  '',
  `sign/verify: SecureCookieSessionInterface().get_signing_serializer(app).dumps / .loads(max_age=${MAX_AGE}) of ${py.session}`,
  `crack: ${WORDS.toLocaleString('en-US')}-line wordlist, key on the last line. Python tried ${py.crack_tried.toLocaleString('en-US')} lines in its ${SECONDS} s budget;`,
  `       TypeScript read and tried all ${crackRun.guesses.toLocaleString('en-US')} in ${(crackRun.elapsedMs / 1000).toFixed(2)} s (worker start-up included) and found the key.`,
];
process.stdout.write(rows.join('\n') + '\n');
process.stdout.write(
  JSON.stringify({
    sign_ratio: Number((tsSign / py.sign).toFixed(2)),
    verify_ratio: Number((tsVerify / py.verify).toFixed(2)),
    crack_ratio: Number((tsCrack / py.crack).toFixed(2)),
  }) + '\n',
);
