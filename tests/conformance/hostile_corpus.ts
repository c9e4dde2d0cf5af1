// The differential corpus of hostile session cookies: the checked-in cases of hostile_corpus.json plus cases
// made by a small generator from a fixed seed (the same cookies on every run and machine), each turned into
// the cookie value a browser would send. tests/conformance/hostile_corpus_live.test.ts runs them through the
// engine and both judges' Flask and compares what each makes of them.
import { readFileSync } from 'node:fs';
import { base64Encode } from '../../src/engine/itsdangerous/index.ts';
import { TimestampSigner } from '../../src/engine/itsdangerous/timed.ts';
import { zlibCompress } from '../../src/engine/itsdangerous/url_safe.ts';

/** One case of hostile_corpus.json (see its `about`). */
export interface CorpusCase {
  name: string;
  json?: string;
  compress?: boolean;
  payload?: string;
  raw?: string;
  repeat?: { before: string; open: string; middle: string; close: string; after: string; n: number };
  cookie?: string;
  signedAt?: number;
  key?: string;
  tamper?: boolean;
}

export const CORPUS_KEY = 'corpus-key';
export const CORPUS_NOW = 1700000000;
/** The generator's seed: fixed, so the corpus is the same everywhere. */
export const GENERATOR_SEED = 20240101;
/** How many cases the generator adds to the checked-in ones. */
export const GENERATED_CASES = 400;

const encoder = new TextEncoder();

/** The checked-in cases. */
export function checkedInCases(): CorpusCase[] {
  const file = JSON.parse(readFileSync(new URL('./hostile_corpus.json', import.meta.url), 'utf8')) as { cases: CorpusCase[] };
  return file.cases;
}

/** mulberry32: a small seeded generator, enough to pick grammar branches reproducibly. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ATOMS = ['null', 'true', 'false', '0', '-0', '0.0', '-0.0', '1', '1.5', '1e400', '-1e400', 'NaN', 'Infinity', '""', '"a"', '"n"', '"\\ud800"', '"\\u00e9"', '12345678901234567890123'];
const KEYS = ['a', 'n', '_permanent', '1', ' t', ' b', '', 'x y', '\\u4e2d'];
const DATES = ['Tue, 01 Dec 2026 10:00:00 GMT', 'Thu, 01 Jan 1970 00:00:00 GMT', 'not a date', 'Tue, 01 Dec 2026 10:00:00 +0100'];
const UUIDS = ['12345678123456781234567812345678', '12345678-1234-5678-1234-567812345678', 'zz', ''];
const B64 = ['', 'YQ==', 'YWI', '!!', 'eA=='];

/**
 * Random payload text from a grammar of what a session can hold and what breaks it: Python's JSON extras
 * (NaN, 1e400, lone surrogates), every tag of Flask's tagged JSON with good and bad contents, lists of pairs with
 * keys of mixed types (`dict()` of them), falsy top levels, and now and then a cut or a stray character.
 */
export function generatedCases(seed = GENERATOR_SEED, count = GENERATED_CASES): CorpusCase[] {
  const r = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const value = (depth: number): string => {
    const k = r();
    if (depth > 3 || k < 0.35) return pick(ATOMS);
    if (k < 0.45) return `{" t":[${Array.from({ length: Math.floor(r() * 3) }, () => value(depth + 1)).join(',')}]}`;
    if (k < 0.5) return `{" b":"${pick(B64)}"}`;
    if (k < 0.55) return `{" u":"${pick(UUIDS)}"}`;
    if (k < 0.6) return `{" d":"${pick(DATES)}"}`;
    if (k < 0.63) return `{" m":${pick(['"<b>"', '""', '1'])}}`;
    if (k < 0.66) return `{" di":${dict(depth + 1)}}`;
    if (k < 0.68) return `{" x":${value(depth + 1)}}`;
    if (k < 0.84) return `[${Array.from({ length: Math.floor(r() * 4) }, () => value(depth + 1)).join(',')}]`;
    return dict(depth + 1);
  };
  const dict = (depth: number): string => `{${Array.from({ length: Math.floor(r() * 4) }, () => `"${pick(KEYS)}":${value(depth)}`).join(',')}}`;
  const pairs = (): string => `[${Array.from({ length: 1 + Math.floor(r() * 4) }, () => (r() < 0.85 ? `[${value(3)},${value(2)}]` : value(2))).join(',')}]`;
  const out: CorpusCase[] = [];
  for (let i = 0; i < count; i++) {
    const k = r();
    let text = k < 0.45 ? dict(0) : k < 0.75 ? pairs() : value(0);
    const m = r();
    if (m < 0.06) text = text.slice(0, Math.floor(r() * text.length));
    else if (m < 0.1) text += pick(['x', ',', ']', '}', ' ', '\\u0000']);
    out.push({ name: `generated #${i} (seed ${seed})`, json: text, compress: r() < 0.3 });
  }
  return out;
}

/** The payload text of a case as it goes before the signature: base64url of the JSON (zlib first when compressed). */
function payloadOf(c: CorpusCase): string {
  if (c.payload !== undefined) return c.payload;
  let bytes: Uint8Array;
  if (c.raw !== undefined) bytes = Uint8Array.from(Buffer.from(c.raw, 'base64'));
  else if (c.repeat) {
    const { before, open, middle, close, after, n } = c.repeat;
    bytes = encoder.encode(before + open.repeat(n) + middle + close.repeat(n) + after);
  } else bytes = encoder.encode(c.json ?? '');
  return c.compress ? '.' + base64Encode(zlibCompress(bytes)) : base64Encode(bytes);
}

/** The cookie value a browser would send for a case. */
export function cookieFor(c: CorpusCase): string {
  if (c.cookie !== undefined) return c.cookie;
  const signer = new TimestampSigner(c.key ?? CORPUS_KEY, {
    salt: 'cookie-session',
    keyDerivation: 'hmac',
    digestMethod: 'sha1',
    now: () => CORPUS_NOW + (c.signedAt ?? 0),
  });
  const value = new TextDecoder().decode(signer.sign(payloadOf(c)));
  if (!c.tamper) return value;
  // A character inside the signature (the last one carries two unused bits, so changing it may change nothing).
  const at = value.length - 5;
  return value.slice(0, at) + (value[at] === 'A' ? 'B' : 'A') + value.slice(at + 1);
}

/** Every case: the checked-in ones, then the generated ones. */
export function corpus(): CorpusCase[] {
  return [...checkedInCases(), ...generatedCases()];
}
