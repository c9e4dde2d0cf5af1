// One seed for every property test (fast-check), so a run is the same run every time: a fixed default, or the
// one FC_SEED names. FC_SEED=random picks a new one, printed so that a failure can be replayed with FC_SEED=<it>.
// The Vitest configs resolve FC_SEED once per run (resolveFcSeed), put the number back into FC_SEED for the
// workers and hand it to every file through `provide` (tests/support/fc-setup.ts sets it as fast-check's global
// seed, in Node and in Chromium). A file that samples by hand takes fcSeed(). No node: imports: the engine
// tests load this in the browser too.

/** The seed when FC_SEED is not set. */
export const DEFAULT_FC_SEED = 20240101;

/** The seed FC_SEED asks for: unset or empty → the default, `random` → a new one, else the integer it holds. */
export function resolveFcSeed(value: string | undefined, random: () => number = Math.random): { seed: number; source: 'default' | 'random' | 'FC_SEED' } {
  if (value === undefined || value.trim() === '') return { seed: DEFAULT_FC_SEED, source: 'default' };
  if (value.trim().toLowerCase() === 'random') return { seed: Math.floor(random() * 2 ** 31), source: 'random' };
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`FC_SEED must be an integer or "random", not '${value}'`);
  return { seed: n, source: 'FC_SEED' };
}

/** The line a run prints about its seed. */
export function describeFcSeed({ seed, source }: ReturnType<typeof resolveFcSeed>): string {
  if (source === 'default') return `fast-check seed ${seed} (the fixed default; FC_SEED=random for a random one)`;
  return `fast-check seed ${seed} (${source === 'random' ? 'random' : 'from FC_SEED'}; replay with FC_SEED=${seed})`;
}

/** This run's seed, in a Node test file (the config has already resolved FC_SEED to a number). */
export function fcSeed(): number {
  const env = typeof process === 'undefined' ? undefined : process.env.FC_SEED;
  return resolveFcSeed(env).seed;
}
