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
interface PySession {
  session: string;
  cookie: string;
  sign: number;
  verify: number;
}
const py = JSON.parse(execFileSync('/usr/bin/python3', [pyScript, wordlist, String(SECONDS)], { encoding: 'utf8', maxBuffer: 1 << 26 })) as {
  sessions: Record<'small' | 'cart', PySession>;
  crack: number;
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
 * Calls per second of fn: after a short warm-up for the JIT, the best of 3 windows of `SECONDS` / 3 each,
 * exactly as bench.py measures the Python side.
 */
function rate(fn: () => unknown): number {
  const warm = performance.now() + 300;
  while (performance.now() < warm) for (let i = 0; i < 100; i++) fn();
  let best = 0;
  for (let w = 0; w < 3; w++) {
    let calls = 0;
    const start = performance.now();
    for (;;) {
      for (let i = 0; i < 100; i++) fn();
      calls += 100;
      const elapsed = (performance.now() - start) / 1000;
      if (elapsed >= SECONDS / 3) {
        best = Math.max(best, calls / elapsed);
        break;
      }
    }
  }
  return best;
}

// Same work as the Python side: a fresh interface and serializer per call, as Flask does per request.
const serializer = () => new SecureCookieSessionInterface().getSigningSerializer(app)!;
const ts: Record<string, { sign: number; verify: number }> = {};
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
const crackRun = await crackWordlist({
  cookie: py.sessions.small.cookie,
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
const small = { py: py.sessions.small, ts: ts.small! };
const cart = { py: py.sessions.cart, ts: ts.cart! };
const rows = [
  `Flask session cookies: Python ${py.python} (Flask ${py.flask}, itsdangerous ${py.itsdangerous}) vs TypeScript on Node ${process.version}`,
  `Machine: ${threads} cores available (${cpu}); sign/verify rates are the best of 3 windows over ${SECONDS} s`,
  '',
  `                                      Python      TypeScript     ratio`,
  `sign    small session  (dumps/s)  ${f(small.py.sign)}    ${f(small.ts.sign)}  ${r(small.ts.sign, small.py.sign)}   1 thread each`,
  `verify  small session  (loads/s)  ${f(small.py.verify)}    ${f(small.ts.verify)}  ${r(small.ts.verify, small.py.verify)}   1 thread each`,
  `sign    cart, zlib     (dumps/s)  ${f(cart.py.sign)}    ${f(cart.ts.sign)}  ${r(cart.ts.sign, cart.py.sign)}   1 thread each`,
  `verify  cart, zlib     (loads/s)  ${f(cart.py.verify)}    ${f(cart.ts.verify)}  ${r(cart.ts.verify, cart.py.verify)}   1 thread each`,
  `crack                (guesses/s)  ${f(py.crack)}    ${f(tsCrack)}  ${r(tsCrack, py.crack)}   Python 1 thread, TypeScript ${threads} threads`,
  '',
  `sign/verify: SecureCookieSessionInterface().get_signing_serializer(app).dumps(session) / .loads(cookie, max_age=${MAX_AGE})`,
  `  small: ${small.py.session}`,
  `  cart:  ${cart.py.session} (stored zlib-compressed)`,
  `crack: ${WORDS.toLocaleString('en-US')}-line wordlist, key on the last line, cookie of the small session. Python tried`,
  `  ${py.crack_tried.toLocaleString('en-US')} lines in its ${SECONDS} s budget (best of 3 windows); TypeScript read and tried all`,
  `  ${crackRun.guesses.toLocaleString('en-US')} in ${(crackRun.elapsedMs / 1000).toFixed(2)} s (worker start-up included) and found the key.`,
  `The JSON ratios below use the small session for sign and verify.`,
];
process.stdout.write(rows.join('\n') + '\n');
process.stdout.write(
  JSON.stringify({
    sign_ratio: Number((small.ts.sign / small.py.sign).toFixed(2)),
    verify_ratio: Number((small.ts.verify / small.py.verify).toFixed(2)),
    crack_ratio: Number((tsCrack / py.crack).toFixed(2)),
  }) + '\n',
);
