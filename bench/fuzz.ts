// npm run fuzz: one million hostile session cookies through the engine's SecureCookieSessionInterface.openSession,
// as a server would meet them. Prints the rate, every crash (anything Flask would not do: an exception other than
// BadPayload, or the TypeError / ValueError that dict() raises on a payload that is not a mapping), and the slowest
// cases by CPU time (so that a busy machine pausing the process does not pick them). Deterministic: FUZZ_SEED
// picks another sequence, FUZZ_COUNT another size.
import { BadPayload, base64Encode } from '../src/engine/itsdangerous/index.ts';
import { TimestampSigner } from '../src/engine/itsdangerous/timed.ts';
import { zlibCompress } from '../src/engine/itsdangerous/url_safe.ts';
import { DEFAULT_CONFIG, SecureCookieSessionInterface } from '../src/engine/flask/sessions.ts';
import { Request } from '../src/engine/flask/wrappers.ts';
import { PyTypeError, PyValueError } from '../src/engine/python/errors.ts';

const COUNT = Number(process.env.FUZZ_COUNT ?? 1_000_000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261201) >>> 0 || 1;
const KEY = 'fuzz-key';
const NOW = 1700000000;

const iface = new SecureCookieSessionInterface();
const app = { config: { ...DEFAULT_CONFIG, SECRET_KEY: KEY }, now: () => NOW };
const signer = new TimestampSigner(KEY, { salt: 'cookie-session', keyDerivation: 'hmac', digestMethod: 'sha1', now: () => NOW });
const decoder = new TextDecoder();
const encoder = new TextEncoder();

let state = SEED;
/** xorshift32: a uniform 32-bit integer. */
function next(): number {
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  return state >>> 0;
}
const below = (n: number): number => next() % n;
const pick = <T>(xs: readonly T[]): T => xs[below(xs.length)]!;
const repeat = (n: number, f: () => string): string => Array.from({ length: n }, f).join('');

const PRINTABLE = ' !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~';
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const TAGS = [' t', ' b', ' d', ' u', ' m', ' di', ' x'];

/** A random JSON-ish value: valid most of the time, with tags, odd numbers, escapes and the odd broken token. */
function json(depth: number): string {
  const r = below(depth > 4 ? 6 : 11);
  switch (r) {
    case 0: return pick(['null', 'true', 'false', 'NaN', '-Infinity', '0', '-0', '1e400', '1.5', '12345678901234567890', '-0.0']);
    case 1: return String(below(1 << 30) - (1 << 29));
    case 2: return '"' + repeat(below(12), () => pick(['a', 'é', '\\n', '\\u00e9', '\\ud83d', '\\ud83d\\ude00', '"', '\\', '\\x', '\u0001'].slice(0, 6 + below(4)))) + '"';
    case 3: return '"' + repeat(below(40), () => B64[below(64)]!) + '"';
    case 4: return pick(['"Tue, 01 Dec 2026 10:00:00 GMT"', '"' + '0'.repeat(32) + '"', '"YQ=="', '"<b>"', '""']);
    case 5: return pick(['', ',', ']', '}', '{', '[', '"', 'nul', '1.', '--1', '01']);
    case 6:
    case 7: return '[' + Array.from({ length: below(4) }, () => json(depth + 1)).join(',') + ']';
    case 8: return `{"${pick(TAGS)}":${json(depth + 1)}}`;
    default: return '{' + Array.from({ length: below(4) }, () => `"${pick(['a', 'b', ' t', '_permanent', 'x__'])}":${json(depth + 1)}`).join(',') + '}';
  }
}

/** A payload as itsdangerous writes it: base64url of the text, or `.` + base64url of its zlib form. */
function payload(text: string): string {
  const bytes = encoder.encode(text);
  return below(2) ? base64Encode(bytes) : '.' + base64Encode(zlibCompress(bytes));
}

const sign = (p: string): string => decoder.decode(signer.sign(p));

/** One hostile cookie and the name of the family it comes from. */
function cookie(): [string, string] {
  switch (below(10)) {
    case 0: return ['junk', repeat(below(200), () => PRINTABLE[below(PRINTABLE.length)]!)];
    case 1: return ['base64 junk', repeat(below(300), () => pick([...B64, '.', '='])!)];
    case 2: return ['signed random bytes', sign(pick(['', '.']) + repeat(below(200), () => B64[below(64)]!))];
    case 3: {
      const valid = sign(payload(`{"a":${json(1)}}`));
      const i = below(valid.length);
      return ['tampered', valid.slice(0, i) + PRINTABLE[below(PRINTABLE.length)] + valid.slice(i + 1)];
    }
    case 4: {
      const n = 400 + below(1800);
      const [open, close] = pick([['[', ']'], ['{"a":', '}'], ['{" t":[', ']}'], ['{" di":{" t__":', '}}']]);
      return ['signed deep nesting', sign(payload(open!.repeat(n) + (open === '[' || open === '{" t":[' ? '' : '1') + close!.repeat(n)))];
    }
    case 5: return ['signed odd timestamp', `${payload('{"a":1}')}.${repeat(below(12), () => B64[below(64)]!)}.${repeat(27, () => B64[below(64)]!)}`];
    default: return ['signed JSON', sign(payload(json(0)))];
  }
}

function open(value: string): void {
  const request = new Request({ url: '/' });
  request.cookies.set('session', value);
  iface.openSession(app, request);
}

const families = new Map<string, { count: number; ms: number }>();
const crashes: { family: string; cookie: string; error: string }[] = [];
const slowest: { family: string; cookie: string; ms: number }[] = [];
let outcomes = { session: 0, badPayload: 0, dictError: 0 };
const started = performance.now();
const cpuStarted = process.cpuUsage();
let openMs = 0;
for (let i = 0; i < COUNT; i++) {
  const [family, value] = cookie();
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  try {
    open(value);
    outcomes.session++;
  } catch (e) {
    if (e instanceof BadPayload) outcomes.badPayload++;
    else if (e instanceof PyTypeError || e instanceof PyValueError) outcomes.dictError++;
    else crashes.push({ family, cookie: value.slice(0, 160), error: String((e as Error)?.stack ?? e).split('\n').slice(0, 3).join(' | ') });
  }
  const c1 = process.cpuUsage(c0);
  const ms = (c1.user + c1.system) / 1000;
  openMs += performance.now() - t0;
  const f = families.get(family) ?? { count: 0, ms: 0 };
  f.count++;
  f.ms += ms;
  families.set(family, f);
  if (slowest.length < 3 || ms > slowest[slowest.length - 1]!.ms) {
    slowest.push({ family, cookie: value, ms });
    slowest.sort((a, b) => b.ms - a.ms);
    slowest.length = Math.min(slowest.length, 3);
  }
  if ((i + 1) % 100_000 === 0) process.stderr.write(`fuzz: ${(i + 1).toLocaleString('en-US')} cookies, ${crashes.length} crashes\n`);
}
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuStarted);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const lines = [
  `fuzz: ${fmt(COUNT)} hostile cookies through SecureCookieSessionInterface.openSession (seed ${SEED}) in ${seconds.toFixed(1)} s`,
  `  ${fmt(COUNT / seconds)} cookies/s over the whole run (making the cookies included), ${fmt(COUNT / (openMs / 1000))}/s inside openSession, ${fmt(COUNT / ((cpu.user + cpu.system) / 1e6))} per CPU second`,
  `  outcomes: ${fmt(outcomes.session)} sessions, ${fmt(outcomes.badPayload)} BadPayload, ${fmt(outcomes.dictError)} dict() errors on a non-mapping payload`,
  `  by family (CPU time per cookie): ${[...families].map(([name, f]) => `${name} ${fmt(f.count)} (${(f.ms / f.count).toFixed(3)} ms avg)`).join(', ')}`,
  `  crashes: ${crashes.length}`,
  ...crashes.slice(0, 10).map((c) => `    [${c.family}] ${JSON.stringify(c.cookie)}: ${c.error}`),
  `  slowest (CPU time, the garbage collector's threads included):`,
  ...slowest.map((s) => `    ${s.ms.toFixed(1)} ms [${s.family}] ${s.cookie.length} characters: ${JSON.stringify(s.cookie.slice(0, 100))}${s.cookie.length > 100 ? '…' : ''}`),
];
process.stdout.write(lines.join('\n') + '\n');
process.exitCode = crashes.length ? 1 : 0;
