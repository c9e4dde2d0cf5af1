// Every property test runs from the run's one seed (tests/support/seed.ts): a fixed default, FC_SEED=random for a
// new one, FC_SEED=<n> to replay. The second half reads the test sources, so a new file that picks its own seed
// (the clock, Math.random) is caught here.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FC_SEED, describeFcSeed, fcSeed, resolveFcSeed } from '../support/seed.ts';

const tests = join(import.meta.dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sources(path);
    return /\.(ts|mjs)$/.test(name) ? [path] : [];
  });
}

describe('FC_SEED', () => {
  it('unset or empty gives the fixed default; a number is taken as it is; anything else is refused', () => {
    expect(resolveFcSeed(undefined)).toEqual({ seed: DEFAULT_FC_SEED, source: 'default' });
    expect(resolveFcSeed(' ')).toEqual({ seed: DEFAULT_FC_SEED, source: 'default' });
    expect(resolveFcSeed('1234')).toEqual({ seed: 1234, source: 'FC_SEED' });
    expect(() => resolveFcSeed('soon')).toThrow(/FC_SEED must be an integer or "random", not 'soon'/);
  });

  it('random draws a new seed and says how to replay it', () => {
    const r = resolveFcSeed('random', () => 0.5);
    expect(r).toEqual({ seed: 2 ** 30, source: 'random' });
    expect(describeFcSeed(r)).toBe(`fast-check seed ${2 ** 30} (random; replay with FC_SEED=${2 ** 30})`);
  });

  it('this run has one resolved seed, the one the config printed', () => {
    expect(process.env.FC_SEED).toMatch(/^-?\d+$/);
    expect(fcSeed()).toBe(Number(process.env.FC_SEED));
  });
});

describe('fast-check in the test sources', () => {
  const setup = join(tests, 'support/fc-setup.ts');
  const users = sources(tests).filter((f) => f !== setup && /from 'fast-check'/.test(readFileSync(f, 'utf8')));

  it('is used, so the check below has something to check', () => {
    expect(users.length).toBeGreaterThan(3);
  });

  it('takes its seed from the run (the global seed, or fcSeed()), never from the clock or Math.random', () => {
    const own = users.filter((f) => {
      const text = readFileSync(f, 'utf8');
      return /FC_SEED\s*\?\?|seed:\s*(Date\.now|Math\.random)|Date\.now\(\)\s*%/.test(text) || (/\bseed:/.test(text) && !/fcSeed\(\)/.test(text));
    });
    expect(own.map((f) => relative(tests, f))).toEqual([]);
  });
});
