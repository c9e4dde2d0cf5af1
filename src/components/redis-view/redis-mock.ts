// Loads ioredis-mock the same way in the browser and in Node: the Redis view's lab and the Redis test suites use it.
import type { IoredisLike } from './model.ts';

/** ioredis-mock's client class; clients on the same port share their data. */
export type RedisMockCtor = new (options?: { port?: number }) => IoredisLike;
let mockCtor: Promise<RedisMockCtor> | null = null;

/**
 * Loads ioredis-mock once (later calls share the first load). Its browser bundle calls `require("fs")`,
 * `require("path")` and `require("vm")` while it loads (code it bundles from ioredis and never uses); a page has
 * no `require`, so when none exists one answering `{}` for those three is installed for the import only.
 * @throws {Error} (through the promise) when the bundle asks `require` for any other module.
 */
export function loadRedisMock(): Promise<RedisMockCtor> {
  mockCtor ??= (async () => {
    const g = globalThis as { require?: unknown };
    const shim = typeof g.require === 'undefined';
    if (shim) {
      g.require = (name: string) => {
        if (name === 'fs' || name === 'path' || name === 'vm') return {};
        throw new Error(`ioredis-mock asked for ${name}`);
      };
    }
    try {
      return (await import('ioredis-mock')).default as unknown as RedisMockCtor;
    } finally {
      if (shim) delete g.require;
    }
  })();
  return mockCtor;
}
