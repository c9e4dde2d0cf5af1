// Everything random in a lab instance comes from its seed: a byte stream made of HMAC-SHA256(seed, label ‖ counter)
// blocks, one stream per label ("secret", "sid", "password"…), so two instances with the same seed draw the same
// secret key, the same session ids and the same victim password, and a replayed log sees exactly what the learner saw.
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';

const encoder = new TextEncoder();

/** A deterministic byte source for `label` under `seed`: each call returns the next `n` bytes of the stream. */
export function seededBytes(seed: string, label: string): (n: number) => Uint8Array {
  const key = encoder.encode(seed);
  let counter = 0;
  let pool = new Uint8Array(0);
  return (n: number) => {
    while (pool.length < n) {
      const block = hmac(sha256, key, encoder.encode(`${label}\u0000${counter++}`));
      const next = new Uint8Array(pool.length + block.length);
      next.set(pool);
      next.set(block, pool.length);
      pool = next;
    }
    const out = pool.slice(0, n);
    pool = pool.slice(n);
    return out;
  };
}

/** A whole number in [0, n) drawn from `bytes` (n up to 2^32; the small bias of a modulo does not matter here). */
export function seededIndex(bytes: (n: number) => Uint8Array, n: number): number {
  const b = bytes(4);
  return (((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0) % n;
}

/** Lower-case hex of `n` bytes of `bytes`. */
export function seededHex(bytes: (n: number) => Uint8Array, n: number): string {
  return Array.from(bytes(n), (x) => x.toString(16).padStart(2, '0')).join('');
}
