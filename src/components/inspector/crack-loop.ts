// The wordlist attack as a plain loop: try every line of a wordlist against a cookie, a chunk at a time.
import { countLines, Cracker, type CrackOptions } from '../../engine/crack.ts';

/** Progress after each chunk: lines tried so far out of `total`, and the secret once found. */
export interface CrackProgress {
  tried: number;
  total: number;
  /** The secret that signed the cookie (decoded as UTF-8), or null. */
  match: string | null;
  done: boolean;
}

/**
 * Yields progress after every chunk of about `chunkBytes` bytes (always cut at a line end), stopping at
 * the first line that signed `cookie`. Lines end at `\n`; a trailing `\r` is ignored.
 * @throws {Error} when the cookie cannot be cracked at all (no `.`, bad base64, wrong signature length).
 */
export function* crackWordlist(
  cookie: string,
  wordlist: Uint8Array,
  options: CrackOptions & { chunkBytes?: number } = {},
): Generator<CrackProgress, CrackProgress> {
  const cracker = new Cracker(cookie.trim(), options);
  const total = countLines(wordlist);
  const chunkBytes = options.chunkBytes ?? 16 * 1024;
  let tried = 0;
  let start = 0;
  while (start < wordlist.length) {
    let end = Math.min(start + chunkBytes, wordlist.length);
    if (end < wordlist.length) {
      const nl = wordlist.indexOf(0x0a, end);
      end = nl === -1 ? wordlist.length : nl + 1;
    }
    const result = cracker.scanLines(wordlist.subarray(start, end));
    tried += result.tried;
    if (result.match) {
      const found: CrackProgress = { tried, total, match: new TextDecoder().decode(result.match), done: true };
      yield found;
      return found;
    }
    start = end;
    if (start < wordlist.length) yield { tried, total, match: null, done: false };
  }
  const last: CrackProgress = { tried, total, match: null, done: true };
  yield last;
  return last;
}

/** Guesses per second, rounded, from a count and elapsed milliseconds (0 when no time has passed). */
export function guessesPerSecond(tried: number, elapsedMs: number): number {
  return elapsedMs > 0 ? Math.round((tried * 1000) / elapsedMs) : 0;
}

/**
 * Below this much guessing time a rate says more about starting up (the worker, the key setup, the first
 * compiled loop) than about guessing, so the inspector gives the count and the time instead.
 */
export const MIN_RATE_WINDOW_MS = 250;

/** What the inspector reports about a crack run so far. */
export type RunRate = { kind: 'rate'; tried: number; perSecond: number } | { kind: 'too-short'; tried: number; elapsedMs: number };

/**
 * The speed of the whole run so far: every guess since the run started over the time since it started (not
 * the last batch). A run shorter than `minWindowMs` reports its count and duration instead of a rate.
 */
export function runRate(tried: number, startedMs: number, nowMs: number, minWindowMs = MIN_RATE_WINDOW_MS): RunRate {
  const elapsedMs = Math.max(0, nowMs - startedMs);
  if (elapsedMs < minWindowMs) return { kind: 'too-short', tried, elapsedMs: Math.round(elapsedMs) };
  return { kind: 'rate', tried, perSecond: guessesPerSecond(tried, elapsedMs) };
}
