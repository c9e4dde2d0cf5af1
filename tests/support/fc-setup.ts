// Setup file of both Vitest configs: every fast-check property in every test file runs from this run's seed
// (see tests/support/seed.ts).
import fc from 'fast-check';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    fcSeed: number;
  }
}

fc.configureGlobal({ seed: inject('fcSeed') });
