// Flask-Session 0.8.0's file store (filesystem/filesystem.py) over cachelib 0.13's FileSystemCache (file.py),
// in cachelib's own file format so a Python app on the same directory shares the sessions:
// https://github.com/pallets-eco/flask-session/blob/0.8.0/src/flask_session/filesystem/filesystem.py
// https://github.com/pallets-eco/cachelib/blob/0.13.0/src/cachelib/file.py
import { md5 } from '@noble/hashes/legacy.js';
import type { Tracer } from '../flask/trace.ts';
import { reason, type Reason } from '../flask/reasons.ts';
import { StructError, UnpicklingError, UnsafePickleError } from '../python/errors.ts';
import { isDict, type PyDict, type PyValue } from '../python/values.ts';
import { ServerSideSessionInterface, type ServerSideSession, type ServerSideSessionOptions } from './base.ts';
import { dumps as pickleDumps, loads as pickleLoads } from './pickle.ts';

/** What the file store needs from a directory. `src/server/file-store.ts` implements it with `node:fs`. */
export interface DirectoryLike {
  /** The file's bytes, or null when it does not exist. */
  read(name: string): Promise<Uint8Array | null>;
  /** Writes the whole file at once (a temporary file renamed over it, as cachelib does). */
  write(name: string, bytes: Uint8Array): Promise<void>;
  /** Removes the file; false when it did not exist. */
  remove(name: string): Promise<boolean>;
  /** The names of the files in the directory. */
  list(): Promise<string[]>;
}

/** cachelib's suffix for files being written, and the name of its item counter. */
export const TRANSACTION_SUFFIX = '.__wz_cache';
export const COUNT_KEY = '__wz_cache_count';
/** `pickle.HIGHEST_PROTOCOL` of Python 3.8 and later: what cachelib pickles with. */
const PICKLE_PROTOCOL = 5;

/** The file that holds `key`: the MD5 of its UTF-8 bytes in hex (cachelib's `_get_filename`). */
export function cacheFileName(key: string): string {
  return Array.from(md5(new TextEncoder().encode(key)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** One file: a 4-byte little-endian expiry (Unix seconds, 0 = never; Python's `struct.pack("I")` on x86) and a pickle. */
export function encodeCacheFile(expires: number, value: PyValue): Uint8Array {
  if (!Number.isInteger(expires) || expires < 0 || expires > 0xffffffff) throw new StructError(`argument out of range: expiry ${expires} does not fit struct "I"`);
  const body = pickleDumps(value, { protocol: PICKLE_PROTOCOL });
  const out = new Uint8Array(4 + body.length);
  new DataView(out.buffer).setUint32(0, expires, true);
  out.set(body, 4);
  return out;
}

/** The expiry of a cache file, or null when it is shorter than 4 bytes (cachelib logs and treats it as absent). */
export function cacheFileExpiry(bytes: Uint8Array): number | null {
  return bytes.length < 4 ? null : new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true);
}

/** Options of {@link FileSystemSessionInterface}. */
export interface FileSystemSessionInterfaceOptions extends ServerSideSessionOptions {
  /** The directory (`SESSION_FILE_DIR`). Required. */
  dir: DirectoryLike;
  /** Most files before old ones are pruned (`SESSION_FILE_THRESHOLD`, default 500; 0 = no limit). */
  threshold?: number;
  /** The clock, Unix seconds; default the system clock. */
  now?: () => number;
}

/**
 * Flask-Session 0.8's file store: each session is a file named by the MD5 of `key_prefix + sid`, holding its
 * expiry and `pickle.dumps(dict(session))` — a pickle, not msgpack: this store ignores
 * `SESSION_SERIALIZATION_FORMAT`, and Python runs `pickle.load` on every file it reads. Expired files are
 * skipped on read and deleted only when the directory passes its threshold. Mirrors
 * `flask_session.filesystem.FileSystemSessionInterface` with cachelib's `FileSystemCache`.
 * @param options `dir` (required), `threshold`, `now`, plus {@link ServerSideSessionOptions}.
 */
export class FileSystemSessionInterface extends ServerSideSessionInterface {
  override readonly interfaceName: string = 'FileSystemSessionInterface';
  readonly dir: DirectoryLike;
  readonly threshold: number;
  private readonly now: () => number;
  private counted: Promise<void> | null = null;

  constructor(options: FileSystemSessionInterfaceOptions) {
    super(options);
    this.dir = options.dir;
    this.threshold = options.threshold ?? 500;
    this.now = options.now ?? (() => Date.now() / 1000);
  }

  private op(trace: Tracer | null | undefined, command: string, key: string, why: Reason, extra: { bytes?: number; hit?: boolean; ttl?: number } = {}): void {
    trace?.emit({ type: 'store-op', stage: 'store', command, key, ...extra, why });
  }

  /** cachelib counts the files once when it opens a directory; so does this store, before its first write. */
  private countOnce(): Promise<void> {
    this.counted ??= (async () => {
      if (this.threshold === 0) return;
      const n = (await this.entries()).length;
      await this.dir.write(cacheFileName(COUNT_KEY), encodeCacheFile(0, n));
    })();
    return this.counted;
  }

  /** cachelib's `get`: the unpickled value while the file is unexpired, else null. */
  private async cacheGet(key: string): Promise<PyValue | null> {
    const bytes = await this.dir.read(cacheFileName(key));
    if (!bytes) return null;
    const expires = cacheFileExpiry(bytes);
    if (expires === null || (expires !== 0 && expires < this.now())) return null;
    return pickleLoads(bytes.subarray(4));
  }

  private async fileCount(): Promise<number> {
    const n = await this.cacheGet(COUNT_KEY).catch(() => null);
    return typeof n === 'number' ? n : typeof n === 'bigint' ? Number(n) : 0;
  }

  private async updateCount(delta: number): Promise<void> {
    if (this.threshold === 0) return;
    await this.dir.write(cacheFileName(COUNT_KEY), encodeCacheFile(0, (await this.fileCount()) + delta));
  }

  /** The session files (not the counter, not half-written files). */
  private async entries(): Promise<string[]> {
    const counter = cacheFileName(COUNT_KEY);
    return (await this.dir.list()).filter((n) => n !== counter && !n.endsWith(TRANSACTION_SUFFIX));
  }

  /** cachelib's `_prune`: over the threshold, delete expired files, then the soonest-expiring ones. */
  private async prune(trace: Tracer | null | undefined): Promise<void> {
    if (this.threshold === 0 || (await this.fileCount()) <= this.threshold) return;
    const now = this.now();
    const expiries: [number, string][] = [];
    for (const name of await this.entries()) {
      const bytes = await this.dir.read(name);
      const exp = bytes ? cacheFileExpiry(bytes) : null;
      if (exp === null) continue;
      if (exp !== 0 && exp < now) {
        if (await this.dir.remove(name)) await this.updateCount(-1);
      } else expiries.push([exp, name]);
    }
    let removed = 0;
    if ((await this.fileCount()) > this.threshold) {
      expiries.sort((a, b) => a[0] - b[0]);
      for (const [, name] of expiries) {
        if (await this.dir.remove(name)) await this.updateCount(-1);
        removed++;
        if ((await this.fileCount()) <= this.threshold) break;
      }
    }
    this.op(trace, 'PRUNE', '*', reason('files.prune', { threshold: this.threshold, removed }));
  }

  /** Reads the session's file (an expired one counts as absent but stays on disk). Mirrors `_retrieve_session_data`. */
  async retrieveSessionData(storeId: string, trace?: Tracer | null): Promise<PyDict | null> {
    const name = cacheFileName(storeId);
    const bytes = await this.dir.read(name);
    const expires = bytes ? cacheFileExpiry(bytes) : null;
    const live = bytes !== null && expires !== null && (expires === 0 || expires >= this.now());
    this.op(
      trace,
      'READ',
      storeId,
      bytes === null
        ? reason('files.read-missing', { file: name })
        : live
          ? reason('files.read', { file: name, bytes: bytes.length })
          : reason('files.read-expired', { file: name, expires: expires ?? 0 }),
      { hit: live, ...(bytes ? { bytes: bytes.length } : {}) },
    );
    if (!live) return null;
    let value: PyValue;
    try {
      value = pickleLoads(bytes.subarray(4));
    } catch (err) {
      if (!(err instanceof UnpicklingError)) throw err;
      // cachelib's serializer turns any PickleError into None: the request gets a new session.
      trace?.emit({
        type: 'error',
        stage: 'store',
        error: `${err.name}: ${err.message}`,
        why: err instanceof UnsafePickleError ? reason('files.unsafe-pickle') : reason('files.unreadable'),
      });
      return null;
    }
    return isDict(value) ? (value as PyDict) : null;
  }

  /** Removes the session's file. Mirrors `_delete_session` (cachelib's `delete`). */
  async deleteSession(storeId: string, trace?: Tracer | null): Promise<void> {
    await this.countOnce();
    const removed = await this.dir.remove(cacheFileName(storeId));
    if (removed) await this.updateCount(-1);
    this.op(trace, 'DELETE', storeId, reason('files.delete', { removed }), { hit: removed });
  }

  /** Writes `expiry + pickle(dict(session))`, expiry = now + lifetime in whole seconds. Mirrors `_upsert_session`. */
  async upsertSession(lifetime: number, session: ServerSideSession, storeId: string, trace?: Tracer | null): Promise<void> {
    await this.countOnce();
    await this.prune(trace);
    const ttl = Math.trunc(lifetime);
    const expires = ttl === 0 ? 0 : Math.trunc(this.now()) + ttl;
    const bytes = encodeCacheFile(expires, session.toDict());
    const name = cacheFileName(storeId);
    const existed = (await this.dir.read(name)) !== null;
    await this.dir.write(name, bytes);
    if (!existed) await this.updateCount(1);
    this.op(trace, 'WRITE', storeId, reason('files.write', { file: name, expires, protocol: PICKLE_PROTOCOL, bytes: bytes.length }), { bytes: bytes.length, ttl });
  }
}
