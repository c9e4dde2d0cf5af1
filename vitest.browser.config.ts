import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';
import { chromiumLaunchOptions, DEBIAN_CHROMIUM } from './tests/support/chromium.ts';
import { describeFcSeed, resolveFcSeed } from './tests/support/seed.ts';

// A smoke subset of the engine's own suites reruns unchanged inside Chromium (Debian's when installed): the
// files that reach every browser-specific path, namely HMAC and SHA digests (@noble/hashes), zlib (pako), Python's
// JSON text, Flask's tags, the pickle reader, and the frozen vectors Flask produced, which also check that the
// browser is the Chromium expected. The whole engine suite runs in Node (vitest.config.ts); the other engine files
// add cases, not browser paths.
export const BROWSER_SMOKE = [
  'tests/engine/itsdangerous/signer.test.ts', // HMAC and key derivation with every digest
  'tests/engine/itsdangerous/serializer.test.ts', // zlib compression, base64, JSON payloads
  'tests/engine/crack.test.ts', // the inspector's key search: raw HMAC over many candidates
  'tests/engine/python/json.test.ts', // Python's JSON text, property tests included
  'tests/engine/flask/json/tag.test.ts', // Flask's tagged JSON, property tests included
  'tests/engine/flask_session/pickle.test.ts', // the pickle reader
  'tests/engine/flask/conformance_vectors.test.ts', // cookies Flask made, and which Chromium runs this
];

const fc = resolveFcSeed(process.env.FC_SEED);
process.env.FC_SEED = String(fc.seed);
console.log(describeFcSeed(fc));

const root = path.dirname(new URL(import.meta.url).pathname);
const projectDir = root + path.sep;
const nodeModules = path.join(root, 'node_modules') + path.sep;

/**
 * Fails the run when any project file loaded in the browser (engine code, an engine test, or a helper
 * they import) imports a `node:` module. Vite would otherwise hand it an empty stub, and a suite that
 * never calls into it could pass without noticing.
 */
function noNodeBuiltins(): Plugin {
  return {
    name: 'engine-no-node-builtins',
    enforce: 'pre',
    resolveId(id, importer) {
      if (!importer || !importer.startsWith(projectDir) || importer.startsWith(nodeModules)) return null;
      if (id.startsWith('node:')) {
        this.error(`${path.relative(root, importer)} imports "${id}": engine code and engine tests must run in the browser too (no node: modules)`);
      }
      return null;
    },
  };
}

/** The major.minor.build.patch of Debian's Chromium, which the browser under test must report. */
function debianChromiumVersion(): string | null {
  if (!existsSync(DEBIAN_CHROMIUM)) return null;
  const out = execFileSync(DEBIAN_CHROMIUM, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return /(\d+\.\d+\.\d+\.\d+)/.exec(out)?.[1] ?? null;
}

export default defineConfig({
  plugins: [noNodeBuiltins()],
  // Pre-bundle the engine's dependencies up front; discovering them mid-run reloads the page.
  optimizeDeps: {
    include: ['fast-check', 'pako', 'pako/lib/zlib/deflate.js', 'pako/lib/zlib/zstream.js', '@noble/hashes/hmac.js', '@noble/hashes/legacy.js', '@noble/hashes/sha2.js'],
  },
  test: {
    include: BROWSER_SMOKE,
    testTimeout: 60_000,
    setupFiles: ['tests/support/fc-setup.ts'],
    provide: { browserRuntime: { expectedChromium: debianChromiumVersion() }, fcSeed: fc.seed },
    browser: {
      enabled: true,
      headless: true,
      screenshotFailures: false,
      provider: playwright({ launchOptions: chromiumLaunchOptions() }),
      instances: [{ browser: 'chromium' }],
    },
  },
});
