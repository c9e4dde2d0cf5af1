// The small inflater gives zlib's bytes or hands over: checked against pako (which url_safe.ts falls back to) on
// streams pako writes at several levels and strategies, and on damaged copies of them.
import { deflate, inflate } from 'pako';
import { describe, expect, it } from 'vitest';
import { inflateSmall, MAX_OUTPUT } from '../../../src/engine/itsdangerous/inflate_small.ts';
import { zlibDecompress } from '../../../src/engine/itsdangerous/url_safe.ts';

function rng(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

/** Inputs of every kind a deflater meets: repeats near and far, small and large alphabets, random bytes. */
function inputs(count: number, rnd: () => number): Uint8Array[] {
  const alphabets = ['a', 'ab', '{}":,0123456789abcdefqtyskuAB-_', null];
  const out: Uint8Array[] = [new Uint8Array(0), Uint8Array.of(0)];
  for (let i = 0; i < count; i++) {
    const n = rnd() % (i % 100 === 0 ? 20_000 : 600);
    const alphabet = alphabets[rnd() % alphabets.length];
    const copying = rnd() % 2 === 0;
    const b = new Uint8Array(n);
    for (let j = 0; j < n; j++) {
      if (copying && j > 3 && rnd() % 3 === 0) b[j] = b[j - 1 - (rnd() % Math.min(j, 33_000))]!;
      else b[j] = alphabet ? alphabet.charCodeAt(rnd() % alphabet.length) : rnd() & 255;
    }
    out.push(b);
  }
  return out;
}

describe('inflateSmall', () => {
  it("gives pako's output for streams of every level and strategy, and hands over only what it does not handle", () => {
    const rnd = rng(0x85ebca6b);
    let decoded = 0;
    for (const b of inputs(400, rnd)) {
      const level = ([0, 1, 6, 9] as const)[rnd() % 4]!;
      const strategy = rnd() % 5; // default, filtered, Huffman only, RLE, fixed
      const z = deflate(b, { level, strategy });
      const ours = inflateSmall(z, 16 << 20);
      if (b.length <= MAX_OUTPUT) {
        expect(ours).not.toBeNull();
        decoded++;
      }
      if (ours) expect(Buffer.from(ours).equals(Buffer.from(b))).toBe(true);
    }
    expect(decoded).toBe(400 + 2);
  });

  it('hands every damaged stream to pako, or gives exactly what pako gives', () => {
    const rnd = rng(0x27d4eb2f);
    let handedOver = 0;
    for (const b of inputs(300, rnd)) {
      const z = deflate(b, { level: 6 });
      const bad = z.slice(0, Math.max(0, z.length - (rnd() % 3 === 0 ? 1 + (rnd() % 6) : 0)));
      for (let k = 1 + (rnd() % 3); k > 0 && bad.length > 0; k--) bad[rnd() % bad.length]! ^= 1 << (rnd() % 8);
      const ours = inflateSmall(bad, 16 << 20);
      let theirs: Uint8Array | null = null;
      try {
        theirs = inflate(bad);
      } catch {
        theirs = null;
      }
      if (ours === null) handedOver++;
      else expect(theirs !== null && Buffer.from(ours).equals(Buffer.from(theirs))).toBe(true);
    }
    expect(handedOver).toBeGreaterThan(150);
  });

  it('keeps the cap: past maxSize it hands over, and zlibDecompress then fails as before', () => {
    const z = deflate(new Uint8Array(5000).fill(97), { level: 6 });
    expect(inflateSmall(z, 4999)).toBeNull();
    expect(inflateSmall(z, 5000)?.length).toBe(5000);
    expect(() => zlibDecompress(z, 4999)).toThrow(/decompressed data exceeds 4999 bytes/);
    expect(inflateSmall(Uint8Array.of(0x78, 0xbb, 0, 0, 0, 0, 0), 100)).toBeNull(); // preset dictionary
    // Past MAX_OUTPUT it hands over too, and pako decodes it.
    const big = deflate(new Uint8Array(MAX_OUTPUT + 1).fill(98), { level: 6 });
    expect(inflateSmall(big, 16 << 20)).toBeNull();
    expect(zlibDecompress(big).length).toBe(MAX_OUTPUT + 1);
  });
});
