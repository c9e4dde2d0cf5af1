// The file store's directory in Node: cachelib's layout on disk (files written to a temporary name and
// renamed over the old one, mode 0600), so a Python app on the same directory reads them.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TRANSACTION_SUFFIX, type DirectoryLike } from '../engine/flask_session/filesystem.ts';

/** A directory on disk for {@link FileSystemSessionInterface}, created when missing. */
export async function openDirectory(path: string, mode = 0o600): Promise<DirectoryLike & { path: string }> {
  await mkdir(path, { recursive: true });
  return {
    path,
    async read(name) {
      try {
        return new Uint8Array(await readFile(join(path, name)));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
    },
    async write(name, bytes) {
      const tmp = join(path, `tmp${randomBytes(6).toString('hex')}${TRANSACTION_SUFFIX}`);
      await writeFile(tmp, bytes, { mode });
      await rename(tmp, join(path, name));
      await chmod(join(path, name), mode);
    },
    async remove(name) {
      try {
        await rm(join(path, name));
        return true;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
        throw err;
      }
    },
    async list() {
      return (await readdir(path, { withFileTypes: true })).filter((d) => d.isFile()).map((d) => d.name);
    },
  };
}
