// Small shared helpers for the itsdangerous suites (no Node imports: these suites also run in Chromium).
import { utf8Decode, type DataSerializer } from '../../../src/engine/itsdangerous/index.ts';

const enc = new TextEncoder();

/** UTF-8 bytes of a string. */
export const bytes = (s: string): Uint8Array => enc.encode(s);

/** Text of UTF-8 bytes. */
export const text = (b: Uint8Array): string => utf8Decode(b);

/** Lowercase hex of bytes. */
export const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

/** Bytes of a hex string (spaces allowed). */
export const unhex = (h: string): Uint8Array => {
  const s = h.replace(/\s+/g, '');
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(i * 2, i * 2 + 2), 16);
  return out;
};

/**
 * A stand-in for Python's compact JSON (`,`/`:` separators, ensure_ascii=False) that is exact for the values
 * these suites use: strings, safe integers, booleans, null, arrays and objects whose keys are not integer-like.
 */
export const compactJson: DataSerializer = {
  dumps: (obj) => JSON.stringify(obj),
  loads: (payload) => JSON.parse(utf8Decode(payload)),
};

/** A frozen clock at `ts` seconds. */
export const clock = (ts: number) => () => ts;

/** The error thrown by `fn`, or a failure when it does not throw. */
export function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error, got none');
}
