// The exercise runtime's files in the built site, under dist/runtime/ (called by scripts/build.mjs):
//   pyodide/<version>/   the Pyodide files a Worker loads (copied from node_modules/pyodide), with a lock file
//                        that lists no packages: the exercises load none of Pyodide's own, only the archive
//   flask-<version>.zip  the Flask archive (scripts/flask-archive.mjs), when it could be made, and
//   fakeredis-<version>.zip  its on-demand part (fakeredis, redis-py, sortedcontainers)
//   runner/*.py          the exercise runner's modules (exercises/_runner)
//   manifest.json        what is there, with versions, sizes and gzip sizes; when the archive is missing,
//                        "missing" (why) and "howto" (the command that makes it)
// Every file but manifest.json has a versioned path or is fetched with ?v=<sha256> from the manifest, so the
// server can let browsers cache them for good (src/server/site.ts).
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { makeArchive } from './flask-archive.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
/** The Pyodide files a Worker fetches: the loader, the Emscripten module, the WebAssembly, the standard library. */
export const PYODIDE_FILES = ['pyodide.mjs', 'pyodide.asm.mjs', 'pyodide.asm.wasm', 'python_stdlib.zip', 'pyodide-lock.json'];

function describe(path, name) {
  const data = readFileSync(path);
  return {
    name,
    size: data.length,
    gzipSize: gzipSync(data, { level: 9 }).length,
    sha256: createHash('sha256').update(data).digest('hex'),
  };
}

/**
 * Writes dist/runtime/. Never throws for a missing archive (the manifest says so); returns the manifest.
 * @param {string} outDir the built site
 * @param {{ log?: (line: string) => void }} [options]
 */
export function writeRuntime(outDir, { log = () => {} } = {}) {
  const dir = join(outDir, 'runtime');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const manifest = { version: 1 };

  // Resolved as Node resolves it (a copy of the project inside another finds the outer node_modules).
  const pyodideSrc = dirname(createRequire(import.meta.url).resolve('pyodide/package.json'));
  const pyodideVersion = JSON.parse(readFileSync(join(pyodideSrc, 'package.json'), 'utf8')).version;
  const pyodideDir = join(dir, 'pyodide', pyodideVersion);
  mkdirSync(pyodideDir, { recursive: true });
  const files = [];
  for (const name of PYODIDE_FILES) {
    const target = join(pyodideDir, name);
    if (name === 'pyodide-lock.json') {
      // Only the lock file's header (ABI, Python version): without packages it is 200 bytes instead of 120 KB.
      const lock = JSON.parse(readFileSync(join(pyodideSrc, name), 'utf8'));
      writeFileSync(target, JSON.stringify({ info: lock.info, packages: {} }));
    } else {
      copyFileSync(join(pyodideSrc, name), target);
    }
    files.push(describe(target, name));
  }
  const pythonVersion = JSON.parse(readFileSync(join(pyodideSrc, 'pyodide-lock.json'), 'utf8')).info.python;
  manifest.pyodide = { version: pyodideVersion, python: pythonVersion, path: `pyodide/${pyodideVersion}/`, files };
  // Name (lower case) → version of everything that runs, for a page to say which Flask it runs.
  manifest.versions = { python: pythonVersion, pyodide: pyodideVersion };

  const made = makeArchive({ log });
  if (made.ok) {
    const { info } = made;
    copyFileSync(info.path, join(dir, info.file));
    for (const e of info.extras) copyFileSync(e.path, join(dir, e.file));
    manifest.archive = {
      file: info.file,
      size: info.size,
      gzipSize: info.gzipSize,
      sha256: info.sha256,
      unpackedSize: info.unpackedSize,
      suite: info.suite,
      packages: info.packages.map((p) => ({ deb: p.deb, debVersion: p.debVersion, distribution: p.distribution, version: p.version, archive: p.group === 'flask' ? info.file : info.extras.find((e) => e.name === p.group).file, files: p.files, bytes: p.bytes })),
    };
    // Zips loaded only when a check's code imports one of `imports` (fakeredis: 40 % of the bytes, few checks).
    manifest.extras = info.extras.map((e) => ({ name: e.name, file: e.file, size: e.size, gzipSize: e.gzipSize, sha256: e.sha256, imports: e.imports }));
    for (const p of info.packages) manifest.versions[p.distribution.toLowerCase()] = p.version;
  } else {
    manifest.archive = null;
    manifest.extras = [];
    manifest.missing = `The Flask archive could not be made: ${made.missing}`;
    manifest.howto = made.howto;
  }

  const runnerSrc = join(root, 'exercises', '_runner');
  const runnerFiles = existsSync(runnerSrc) ? readdirSync(runnerSrc).filter((n) => n.endsWith('.py')).sort() : [];
  if (runnerFiles.length > 0) {
    mkdirSync(join(dir, 'runner'), { recursive: true });
    manifest.runner = { path: 'runner/', files: runnerFiles.map((n) => (copyFileSync(join(runnerSrc, n), join(dir, 'runner', n)), describe(join(dir, 'runner', n), n))) };
  } else {
    manifest.runner = null;
  }

  writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** One line for the build log: what the runtime weighs, or what is missing. */
export function summarize(manifest) {
  const mb = (n) => `${(n / 1024 / 1024).toFixed(1)} MB`;
  const py = manifest.pyodide.files.reduce((a, f) => ({ size: a.size + f.size, gz: a.gz + f.gzipSize }), { size: 0, gz: 0 });
  const parts = [`Pyodide ${manifest.pyodide.version} ${mb(py.size)} (${mb(py.gz)} gzip)`];
  if (manifest.archive) {
    const flask = manifest.archive.packages.find((p) => p.deb === 'python3-flask');
    parts.push(`Flask ${flask.version} archive ${mb(manifest.archive.size)} (${mb(manifest.archive.gzipSize)} gzip)`);
    for (const e of manifest.extras) parts.push(`${e.file} on demand ${mb(e.size)}`);
  }
  if (!manifest.runner) parts.push('no exercise runner yet (exercises/_runner)');
  // One line either way: the build prints few lines (tests/tools/start.test.ts counts them).
  if (!manifest.archive) parts.push(`${manifest.missing.replace(/\n/g, ' ')}; to make it: ${manifest.howto}`);
  return `Exercise runtime in runtime/: ${parts.join('; ')}.`;
}

