import { it } from 'vitest';
import { findArchive } from '../../src/exercises/runtime/paths.ts';

/** Why the Flask archive for the exercise runtime is missing, or null when it is there. */
export function archiveMissing(): string | null {
  const found = findArchive();
  return 'missing' in found ? `${found.missing}: run "npm run runtime:archive" (or bash scripts/peers.sh)` : null;
}

/**
 * `it`, for a test that runs Python on the Flask archive. Without the archive the test is reported as skipped
 * with the reason in its name; under CI=true it fails instead.
 */
export function itWithArchive(name: string, fn: () => unknown, timeout?: number): void {
  const why = archiveMissing();
  if (!why) it(name, fn, timeout);
  else if (process.env.CI) {
    it(name, () => {
      throw new Error(`Flask archive missing under CI: ${why}`);
    });
  } else {
    console.warn(`[archive missing] ${name}: ${why}`);
    it(`${name} [archive missing: ${why}]`, (ctx) => ctx.skip(why));
  }
}
