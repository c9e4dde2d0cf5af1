// The compressed length zlibCompressedLength predicts is the length zlib writes: checked against the engine's
// zlibCompress (pako, which writes CPython's zlib bytes) on generated inputs, and against a judge's zlib.compress.
import { describe, expect, it } from 'vitest';
import { MAX_INPUT, writeAnalysed, zlibCompressedLength } from '../../../src/engine/itsdangerous/deflate_size.ts';
import { zlibCompress } from '../../../src/engine/itsdangerous/url_safe.ts';
import { itWithJudge, runPythonUnder } from '../../support/judges.ts';

/** Deterministic inputs: random bytes over small and large alphabets, copies from earlier (matches of every
 * length and distance), runs, session-like JSON, and the lengths around the edges. */
function inputs(count: number, seed: number): Uint8Array[] {
  let x = seed;
  const rnd = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
  const alphabets = ['ab', 'abc', 'abcdefgh', '{}[]":,0123456789abcdef', 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_', null];
  const keys = ['user_id', 'csrf', 'cart', '_permanent', '_fresh', 'theme', 'sku', 'qty', ' t', ' b'];
  const out: Uint8Array[] = [new Uint8Array(0), Uint8Array.of(1), Uint8Array.of(1, 2), new Uint8Array(MAX_INPUT).fill(7)];
  for (let i = 0; i < count; i++) {
    if (i % 3 === 2) {
      const parts: string[] = [];
      for (let j = rnd() % 12; j > 0; j--) {
        const v = [String(rnd() % 100000), `"${rnd().toString(16)}${rnd().toString(36)}"`, `[${Array.from({ length: rnd() % 6 }, () => rnd() % 5000).join(',')}]`, 'true'][rnd() % 4];
        parts.push(`"${keys[rnd() % keys.length]}":${v}`);
      }
      out.push(new TextEncoder().encode(`{${parts.join(',')}}`));
      continue;
    }
    const n = rnd() % (i % 10 === 0 ? MAX_INPUT + 1 : 300);
    const alphabet = alphabets[rnd() % alphabets.length];
    const copying = rnd() % 3 === 0;
    const b = new Uint8Array(n);
    for (let j = 0; j < n; j++) {
      if (copying && j > 3 && rnd() % 4 === 0) b[j] = b[j - 1 - (rnd() % Math.min(j, 5000))]!;
      else b[j] = alphabet ? alphabet.charCodeAt(rnd() % alphabet.length) : rnd() & 255;
    }
    out.push(b);
  }
  return out;
}

describe('zlibCompressedLength', () => {
  it("equals the length of pako's level-6 zlib stream for 4,000 generated inputs (or declines)", () => {
    let sized = 0;
    const wrong: string[] = [];
    for (const b of inputs(4_000, 0x2545f491)) {
      const got = zlibCompressedLength(b);
      if (got === -1) continue;
      sized++;
      const want = zlibCompress(b).length;
      if (got !== want) wrong.push(`${got} ≠ ${want}: ${Buffer.from(b).toString('hex')}`);
    }
    expect(wrong).toEqual([]);
    // Declining is for a code that would pass 15 (or 7) bits, which few inputs need.
    expect(sized).toBeGreaterThan(3_970);
  });

  it("writes pako's level-6 zlib stream byte for byte for every generated input it sizes as a fixed or dynamic block", () => {
    let written = 0;
    const wrong: string[] = [];
    for (const b of inputs(2_000, 0x1b873593)) {
      if (zlibCompressedLength(b) === -1) continue;
      const ours = writeAnalysed(b);
      if (!ours) continue;
      written++;
      const want = Buffer.from(zlibCompress(b)).toString('hex');
      if (Buffer.from(ours).toString('hex') !== want) wrong.push(Buffer.from(b).toString('hex'));
    }
    expect(wrong).toEqual([]);
    expect(written).toBeGreaterThan(500);
    // Only the input sized last can be written.
    const [a, b] = [new TextEncoder().encode('a'.repeat(40)), new TextEncoder().encode('b'.repeat(40))];
    zlibCompressedLength(a);
    zlibCompressedLength(b);
    expect(writeAnalysed(a)).toBeNull();
    expect(writeAnalysed(b)).not.toBeNull();
  });

  it('declines inputs longer than MAX_INPUT', () => {
    expect(zlibCompressedLength(new Uint8Array(MAX_INPUT + 1))).toBe(-1);
  });

  itWithJudge('flask-3.1', "equals the length of CPython's zlib.compress on the Debian 13 judge", () => {
    const batch = inputs(1500, 0x9e3779b9).filter((b) => zlibCompressedLength(b) !== -1);
    const hex = batch.map((b) => Buffer.from(b).toString('hex')).join('\n');
    const theirs = runPythonUnder('flask-3.1', 'import sys, zlib\nprint(" ".join(str(len(zlib.compress(bytes.fromhex(l)))) for l in sys.stdin.read().split("\\n")))', hex)
      .trim()
      .split(' ')
      .map(Number);
    expect(batch.map((b) => zlibCompressedLength(b))).toEqual(theirs);
  });
});
