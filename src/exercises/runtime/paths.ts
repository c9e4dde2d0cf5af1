// Where the Node side finds the runtime's parts in a clone: Pyodide in node_modules, the Flask archive in the
// cache scripts/flask-archive.mjs fills, the exercise runner in exercises/_runner. Node-only.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const PYODIDE_DIR = join(REPO_ROOT, 'node_modules', 'pyodide');
export const ARCHIVE_CACHE_DIR = join(REPO_ROOT, 'node_modules', '.cache', 'flask-session-lab', 'runtime');
export const RUNNER_DIR = join(REPO_ROOT, 'exercises', '_runner');
/** The command that makes the archive (scripts/flask-archive.mjs). */
export const ARCHIVE_HOWTO = 'npm run runtime:archive';

/** The cached archive's path, or why there is none. */
export function findArchive(cacheDir = ARCHIVE_CACHE_DIR): { path: string } | { missing: string } {
  const infoPath = join(cacheDir, 'archive.json');
  if (!existsSync(infoPath)) return { missing: `${infoPath} does not exist` };
  let file: unknown;
  try {
    file = (JSON.parse(readFileSync(infoPath, 'utf8')) as { file?: unknown }).file;
  } catch (err) {
    return { missing: `${infoPath} is not readable JSON (${String(err)})` };
  }
  if (typeof file !== 'string') return { missing: `${infoPath} names no archive file` };
  const path = join(cacheDir, file);
  return existsSync(path) ? { path } : { missing: `${path} does not exist` };
}
