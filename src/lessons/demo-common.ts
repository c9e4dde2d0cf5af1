// Helpers shared by the build-time demos of lessons 5–8 (server-side sessions): reproducible "random" ids,
// the store commands of an exchange, and a store listing.
import type { RedisLikeClient } from '../engine/flask_session/redis.ts';
import { MemoryStore } from '../engine/flask_session/custom.ts';
import { commandsOf, commandText, resultText, type CommandLine } from '../components/redis-view/commands.ts';
import type { ExchangeView } from './exchange.ts';

/**
 * A reproducible byte source (xorshift32), so the session ids printed in a lesson stay the same from one
 * build to the next. Real apps use `secrets`/`crypto.getRandomValues`; this is for printed examples only.
 */
export function seededBytes(seed: number): (n: number) => Uint8Array {
  let x = seed >>> 0 || 1;
  return (n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      x ^= x << 13;
      x >>>= 0;
      x ^= x >>> 17;
      x ^= x << 5;
      x >>>= 0;
      out[i] = x & 0xff;
    }
    return out;
  };
}

/** The words a command line uses for stored values and dict answers, per page language. */
const LINE_WORDS = {
  en: { bytes: (n: number) => `${n} bytes`, chars: (n: number) => `${n} chars`, kept: '(kept the old value)', inserted: '(inserted)', found: '(found)' },
  'zh-cn': { bytes: (n: number) => `${n} 字节`, chars: (n: number) => `${n} 个字符`, kept: '（保留旧值）', inserted: '（已插入）', found: '（找到）' },
};

export type LineLang = keyof typeof LINE_WORDS;

/** The store commands an exchange sent, as redis-cli lines (`GET k → (nil)`), in the page's language. */
export function commandLines(x: ExchangeView, lang: LineLang = 'en'): string[] {
  return commandsOf(x.trace).map((c) => lineText(c, lang));
}

/** One command and its answer as a single line of text. */
function lineText(c: CommandLine, lang: LineLang = 'en'): string {
  const w = LINE_WORDS[lang];
  return `${commandText(c, w)}  → ${resultText(c.result, { bytes: (n) => `"<${w.bytes(n)}>"`, kept: w.kept, inserted: w.inserted, found: w.found })}`;
}

/** `KEYS *` with `TTL` for each, sorted: what `redis-cli` would list. */
export async function listStore(store: MemoryStore): Promise<{ key: string; ttl: number; bytes: number }[]> {
  const out: { key: string; ttl: number; bytes: number }[] = [];
  for (const key of store.keys().sort()) {
    const raw = await store.getBuffer(key);
    out.push({ key, ttl: await store.ttl(key), bytes: raw?.length ?? 0 });
  }
  return out;
}

/** A MemoryStore on a demo clock (typed as the Redis client the interfaces take). */
export function memoryStore(now: () => number): MemoryStore & RedisLikeClient {
  return new MemoryStore(now);
}

/** Hex of bytes, two digits each. */
export function hex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}
