// session-lab crack: tries every line of a wordlist as the secret key of a signed cookie, on every core.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { Cracker, type CrackOptions } from '../engine/crack.ts';
import { bytesRepr } from '../engine/itsdangerous/encoding.ts';
import type { ChunkAnswer, CrackWorkerData } from './crack-worker.ts';
import { integer, parse, readScheme, required, SCHEME_HELP, SCHEME_OPTIONS, UsageError, println, type CliIo } from './common.ts';

const HELP = `Usage: session-lab crack --wordlist FILE [options] COOKIE

Finds the secret key that signed COOKIE by trying each line of FILE, on every core. Lines end at
\\n, one trailing \\r is dropped, and bytes are used as they are (a line that is not UTF-8 is tried
as its raw bytes). Prints the key on stdout; a key that is not UTF-8 is printed as a Python bytes
literal (b'...'). Progress goes to stderr.

Options:
  --wordlist FILE, -w FILE  candidate keys, one per line ("-" reads stdin)
${SCHEME_HELP}
  --threads N               worker threads (default and most: ${availableParallelism()}, the number of cores)
  --quiet, -q               no progress, notes or summary on stderr
  --help, -h                show this help

Exit status: 0 found, 1 no line matched, 2 bad arguments or a cookie no key could match.`;

/** Bytes per chunk sent to a thread: a few thousand typical lines, tens of milliseconds of work. */
const CHUNK = 64 * 1024;
/** Chunks queued per thread, so a thread never waits for the reader. */
const DEPTH = 2;

/** Running totals, as reported to {@link CrackRun.onProgress}. */
export interface CrackProgress {
  guesses: number;
  bytes: number;
  /** Wordlist size in bytes, when known. */
  totalBytes: number | null;
  elapsedMs: number;
}

/** A wordlist attack to run: the cookie, how it was signed, where the lines come from. */
export interface CrackRun {
  cookie: string;
  options: CrackOptions;
  /** Chunks of the wordlist in order (any split; lines may cross chunk boundaries). */
  source: AsyncIterable<Uint8Array>;
  totalBytes?: number | null;
  threads: number;
  onProgress?: (p: CrackProgress) => void;
}

/** The outcome of {@link crackWordlist}. */
export interface CrackResult {
  secret: Uint8Array | null;
  guesses: number;
  elapsedMs: number;
}

/** Bytes {@link lineChunks} copied, for tests that check it stays linear in the input. */
export interface ChunkStats {
  copiedBytes: number;
}

/** One buffer holding `parts` end to end. */
function joinParts(parts: Uint8Array[], length: number, stats?: ChunkStats): Uint8Array {
  const out = new Uint8Array(length);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  if (stats) stats.copiedBytes += length;
  return out;
}

/**
 * Pieces of a byte stream regrouped into chunks of whole lines of about {@link CHUNK} bytes. Linear in the
 * input however long a line is: each piece is searched once for its last newline and kept as it is until
 * newlines close two chunks' worth of lines; only then are the pieces joined and cut. What is left over (under
 * a chunk of whole lines, then the unfinished line) is joined again only after at least a chunk more of input.
 */
export async function* lineChunks(source: AsyncIterable<Uint8Array>, stats?: ChunkStats): AsyncGenerator<Uint8Array> {
  let parts: Uint8Array[] = [];
  let length = 0;
  // Bytes of whole lines at the front of `parts` (up to and including the last newline seen).
  let whole = 0;
  for await (const raw of source) {
    if (raw.length === 0) continue;
    // A copy: the source may reuse its buffer, and the chunks we cut are transferred to the workers.
    const piece = new Uint8Array(raw);
    if (stats) stats.copiedBytes += piece.length;
    const nl = piece.lastIndexOf(0x0a);
    parts.push(piece);
    length += piece.length;
    if (nl !== -1) whole = length - piece.length + nl + 1;
    if (whole < 2 * CHUNK) continue;
    const buf = joinParts(parts, length, stats);
    let start = 0;
    while (whole - start >= CHUNK) {
      let cut = buf.lastIndexOf(0x0a, start + CHUNK - 1);
      // One line longer than a chunk: cut at its end instead (there is one: whole - start >= CHUNK).
      if (cut < start) cut = buf.indexOf(0x0a, start + CHUNK - 1);
      // A copy of its own: each chunk's buffer is transferred to a worker.
      const chunk = buf.slice(start, cut + 1);
      if (stats) stats.copiedBytes += chunk.length;
      yield chunk;
      start = cut + 1;
    }
    const rest = buf.slice(start);
    if (stats) stats.copiedBytes += rest.length;
    parts = rest.length ? [rest] : [];
    length = rest.length;
    whole -= start;
  }
  if (length) yield parts.length === 1 ? parts[0]! : joinParts(parts, length, stats);
}

/**
 * Runs a wordlist attack on a pool of worker threads; resolves with the secret, or null when no line
 * matched. Workers are stopped as soon as one finds the key.
 * @throws {Error} when the cookie cannot be cracked at all (see {@link Cracker}) or a worker fails.
 */
export async function crackWordlist(run: CrackRun): Promise<CrackResult> {
  // Fail on a bad cookie here, before any thread starts.
  const sha1 = new Cracker(run.cookie, run.options).sha1Setup();
  const started = performance.now();
  const workerUrl = new URL('./crack-worker.ts', import.meta.url);
  const workerData: CrackWorkerData = sha1 ? { sha1 } : { cookie: run.cookie, options: run.options };
  const workers = Array.from({ length: run.threads }, () => new Worker(workerUrl, { workerData }));
  const inflight = new Array<number>(run.threads).fill(0);
  let guesses = 0;
  let bytes = 0;
  let secret: Uint8Array | null = null;
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const wakeUp = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  const progress = () => run.onProgress?.({ guesses, bytes, totalBytes: run.totalBytes ?? null, elapsedMs: performance.now() - started });

  workers.forEach((worker, i) => {
    worker.on('message', (a: ChunkAnswer) => {
      inflight[i]!--;
      guesses += a.tried;
      bytes += a.bytes;
      if (a.match && !secret) secret = a.match;
      wakeUp();
    });
    worker.on('error', (e: unknown) => {
      failure ??= e instanceof Error ? e : new Error(String(e));
      wakeUp();
    });
  });
  const waitForAnswer = () => new Promise<void>((resolve) => (wake = resolve));

  try {
    let id = 0;
    for await (const chunk of lineChunks(run.source)) {
      let slot = -1;
      while (!secret && !failure) {
        slot = inflight.indexOf(Math.min(...inflight));
        if (inflight[slot]! < DEPTH) break;
        await waitForAnswer();
        progress();
      }
      if (secret || failure) break;
      inflight[slot]!++;
      workers[slot]!.postMessage({ id: id++, chunk }, [chunk.buffer as ArrayBuffer]);
    }
    while (!secret && !failure && inflight.some((n) => n > 0)) {
      await waitForAnswer();
      progress();
    }
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  if (failure) throw failure;
  progress();
  return { secret, guesses, elapsedMs: performance.now() - started };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** One progress line: guesses, guesses per second, and the share of the wordlist done when its size is known. */
function progressLine(p: CrackProgress, threads: number): string {
  const rate = p.elapsedMs > 0 ? (p.guesses * 1000) / p.elapsedMs : 0;
  const pct = p.totalBytes ? `, ${((100 * p.bytes) / p.totalBytes).toFixed(1)}%` : '';
  return `crack: ${fmt(p.guesses)} guesses, ${fmt(rate)}/s${pct} (${threads} thread${threads === 1 ? '' : 's'})`;
}

/** Text for a found key: as is when it is UTF-8, else Python's bytes repr. */
function showSecret(secret: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(secret);
  } catch {
    return bytesRepr(secret);
  }
}

/** `session-lab crack`. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(
    argv,
    { ...SCHEME_OPTIONS, wordlist: { type: 'string', short: 'w' }, threads: { type: 'string' }, quiet: { type: 'boolean', short: 'q' } },
    1,
  );
  if (values.help) {
    println(io, HELP);
    return 0;
  }
  const wordlist = required('wordlist', values.wordlist);
  const cookie = positionals[0];
  if (cookie === undefined) throw new UsageError('missing COOKIE');
  const scheme = readScheme(values);
  const cores = availableParallelism();
  const asked = values.threads === undefined ? cores : integer('threads', values.threads, 1);
  // More threads than cores only adds start-up time and memory (each is a V8 isolate of its own).
  const threads = Math.min(asked, cores);
  if (asked > threads && values.quiet !== true) {
    io.stderr.write(`crack: --threads ${asked} is more than the ${cores} core${cores === 1 ? '' : 's'} of this machine; using ${threads} thread${threads === 1 ? '' : 's'}\n`);
  }
  const options: CrackOptions = { salt: scheme.salt, keyDerivation: scheme.keyDerivation, digest: scheme.digest };
  try {
    new Cracker(cookie, options);
  } catch (e) {
    throw new UsageError(`COOKIE: ${(e as Error).message}`);
  }

  let source: AsyncIterable<Uint8Array>;
  let totalBytes: number | null = null;
  if (wordlist === '-') {
    source = io.stdin;
  } else {
    const path = resolve(io.cwd, wordlist);
    try {
      const st = await stat(path);
      if (st.isDirectory()) throw new Error('is a directory');
      if (st.isFile()) totalBytes = st.size;
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      throw new UsageError(`cannot read wordlist '${wordlist}': ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
    }
    source = createReadStream(path, { highWaterMark: 1 << 20 });
  }

  const stderr = io.stderr;
  const tty = stderr.isTTY === true;
  const quiet = values.quiet === true;
  const every = tty ? 100 : 1000;
  let lastShown = performance.now();
  const onProgress = (p: CrackProgress) => {
    if (quiet) return;
    const now = performance.now();
    if (now - lastShown < every) return;
    lastShown = now;
    stderr.write(tty ? `\r${progressLine(p, threads)}\x1b[K` : progressLine(p, threads) + '\n');
  };

  let result: CrackResult;
  try {
    result = await crackWordlist({ cookie, options, source, totalBytes, threads, onProgress });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    // A read error (permissions, a vanished file) is about the --wordlist argument.
    if (typeof err.code === 'string' && err.syscall) throw new UsageError(`cannot read wordlist '${wordlist}': ${err.message}`);
    throw e;
  }
  if (!quiet) {
    const rate = result.elapsedMs > 0 ? (result.guesses * 1000) / result.elapsedMs : 0;
    const summary = `crack: ${result.secret ? 'found' : 'done'} after ${fmt(result.guesses)} guesses in ${(result.elapsedMs / 1000).toFixed(2)} s (${fmt(rate)}/s, ${threads} thread${threads === 1 ? '' : 's'})`;
    stderr.write(tty ? `\r${summary}\x1b[K\n` : summary + '\n');
  }
  if (result.secret) {
    println(io, showSecret(result.secret));
    return 0;
  }
  stderr.write(
    `session-lab crack: no match: none of the ${fmt(result.guesses)} lines of ${wordlist === '-' ? 'stdin' : `'${wordlist}'`} signed this cookie (salt '${scheme.salt}', key derivation ${scheme.keyDerivation}, digest ${scheme.digest})\n`,
  );
  return 1;
}
