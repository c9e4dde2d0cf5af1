import { defineConfig } from 'vitest/config';
import { describeFcSeed, resolveFcSeed } from './tests/support/seed.ts';

// One fast-check seed for the whole run (a fixed default; FC_SEED=random or FC_SEED=<n> to change it), resolved
// here once and passed to the workers through FC_SEED and `provide`.
const fc = resolveFcSeed(process.env.FC_SEED);
process.env.FC_SEED = String(fc.seed);
console.log(describeFcSeed(fc));

// Two kinds of test file:
// - engine: tests/engine/**, pure code with no node: imports (the same files run in Chromium). They share one
//   module graph in worker threads (isolate: false), so the engine is loaded once per worker, not once per file.
//   Files there run one after another in a worker; one that flips a global switch (fake timers, setPythonRules,
//   setBase64Rules) must restore it in afterEach/afterAll, as they all do.
// - node: everything else (the CLI, the servers, the live comparisons with Python, Redis and the site build).
//   They start processes and servers and keep module state, so each file gets its own process.
// Two workers even on two cores: most of the node files wait on Python, Redis or a server most of the time.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
    provide: { fcSeed: fc.seed },
    setupFiles: ['tests/support/fc-setup.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'engine', include: ['tests/engine/**/*.test.ts'], isolate: false, pool: 'threads' },
      },
      {
        extends: true,
        test: { name: 'node', include: ['tests/**/*.test.ts'], exclude: ['tests/engine/**', 'tests/e2e/**', 'node_modules/**'], pool: 'forks' },
      },
    ],
  },
});
