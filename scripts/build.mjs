#!/usr/bin/env node
// `npm run build` (and the first half of `npm start`): the Astro build, with nothing but Node and npm, then the
// exercise runtime under runtime/ (scripts/runtime-dist.mjs): Pyodide's files and the Flask archive, which is
// made with apt-get where the machine has it (cached after the first time) and reported missing where not.
// Astro's telemetry is off for this project; Astro prints only warnings and errors, and this script prints
// one line before and one after. The page-weight budget (scripts/size-budget.mjs, which opens a browser)
// is a test and runs in `npm test`, not here.
//
// Usage: node scripts/build.mjs [--out=DIR] [--verbose]
//   --out=DIR   build into DIR instead of dist/
//   --verbose   Astro's full log (every page it writes)
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

process.env.ASTRO_TELEMETRY_DISABLED = '1';
// A production build whatever the shell says: Astro keeps a NODE_ENV it finds, and under NODE_ENV=test (set by
// test runners) it would build the development flavour of some components (Starlight's search among them).
process.env.NODE_ENV = 'production';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const out = args.find((a) => a.startsWith('--out='))?.slice('--out='.length);
const outDir = resolve(root, out ?? 'dist');
const verbose = args.includes('--verbose');

function countPages(dir) {
  let n = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) n += countPages(path);
    else if (name.endsWith('.html')) n += 1;
  }
  return n;
}

const started = performance.now();
const shown = relative(process.cwd(), outDir);
console.log(`Building the site into ${shown === '' ? '.' : shown.startsWith('..') ? outDir : shown}/ …`);
const { build } = await import('astro');
await build({ root, outDir, logLevel: verbose ? 'info' : 'warn' });
const { writeRuntime, summarize } = await import('./runtime-dist.mjs');
console.log(summarize(writeRuntime(outDir, { log: verbose ? (line) => console.log(line) : undefined })));
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`Built ${countPages(outDir)} pages in ${seconds} s.`);
