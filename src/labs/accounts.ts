// The accounts of the labs with a victim: the learner's own `guest` (password `guest`) and the victim `dana`, whose
// password is drawn from the seed and never shown, so the only way into dana's session is the attack.
import { seededBytes, seededHex } from './random.ts';

export const VICTIM = 'dana';

/** user → password for an instance. */
export function accountsFor(seed: string, slug: string): Map<string, string> {
  return new Map([
    ['guest', 'guest'],
    [VICTIM, seededHex(seededBytes(seed, `${slug}/password`), 12)],
  ]);
}

/** dana's private note: what a learner who got into her session reads. */
export function victimNote(seed: string, slug: string): string {
  return `order #${parseInt(seededHex(seededBytes(seed, `${slug}/note`), 3), 16) % 900000 + 100000}`;
}
