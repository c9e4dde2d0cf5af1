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

// ---- Seeds that belong to one student of one class ----
// Outside a class a lab's seed is the browser's random learner seed (src/labs/progress.ts). Inside a class it is
// computed, so whoever re-checks a lab (the teacher's page, the class server) computes it again instead of taking
// it from a file, and a lab entry copied from another student's file replays against the wrong instance:
// - from the class alone (the file route, and a class server's learners who have no key yet): HMAC-SHA256 keyed by
//   what identifies the class in its code (its token when it has one, which a class server keeps across restarts and
//   address changes; else its name; never its task list or due date, so the teacher may edit those), over the
//   student's name and the lab's slug. Anyone holding the class link can compute it for any name, but it only ever counts for a file
//   under that name, so copying someone's entry into one's own file never counts;
// - from a key the class server gave this learner when the name was registered (kept in its database and in this
//   browser only): HMAC-SHA256 keyed by that key, over the slug. Nobody else can compute it at all.

/** What identifies a class in its code, for seeds. */
export interface SeedClass {
  name: string;
  token?: string | null;
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (x) => x.toString(16).padStart(2, '0')).join('');
}

/** A student's name as seeds read it: NFC, trimmed, runs of white space as one space (case is kept). */
export function seedName(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/gu, ' ');
}

/** The seed of lab `slug` for student `name` of class `cls` (the file route). */
export function classLabSeed(cls: SeedClass, name: string, slug: string): string {
  const key = encoder.encode(JSON.stringify(['flask-session-lab class seed 1', cls.token ? { token: cls.token } : { name: cls.name.trim() }]));
  return hex(hmac(sha256, key, encoder.encode(JSON.stringify([seedName(name), slug]))));
}

/** The seed of lab `slug` for the learner the class server gave `learnerKey`. */
export function learnerLabSeed(learnerKey: string, slug: string): string {
  return hex(hmac(sha256, encoder.encode(learnerKey), encoder.encode(JSON.stringify(['flask-session-lab learner seed 1', slug]))));
}
