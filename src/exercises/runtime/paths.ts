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

/** An on-demand zip next to the archive: its name, path and the modules whose import needs it. */
export interface ExtraArchive {
  name: string;
  path: string;
  imports: string[];
}

/** The cached archive's path (and its on-demand zips), or why there is none. */
export function findArchive(cacheDir = ARCHIVE_CACHE_DIR): { path: string; extras: ExtraArchive[] } | { missing: string } {
  const infoPath = join(cacheDir, 'archive.json');
  if (!existsSync(infoPath)) return { missing: `${infoPath} does not exist` };
  let info: { file?: unknown; extras?: { name: string; file: string; imports: string[] }[] };
  try {
    info = JSON.parse(readFileSync(infoPath, 'utf8')) as typeof info;
  } catch (err) {
    return { missing: `${infoPath} is not readable JSON (${String(err)})` };
  }
  if (typeof info.file !== 'string') return { missing: `${infoPath} names no archive file` };
  const path = join(cacheDir, info.file);
  if (!existsSync(path)) return { missing: `${path} does not exist` };
  const extras = (info.extras ?? []).map((e) => ({ name: e.name, path: join(cacheDir, e.file), imports: e.imports }));
  return { path, extras };
}
