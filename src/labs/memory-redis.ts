// A Redis for one lab instance: the few commands Flask-Session's Redis interfaces send (GET, SET … EX, SETEX, DEL,
// TTL), in memory, with key expiry on the lab's own clock so a replay sees the same store. The labs are about what
// the session interface does with the store, not about Redis, so nothing more of Redis is here.
import type { RedisLikeClient } from '../engine/flask_session/redis.ts';

export class LabRedis implements RedisLikeClient {
  private readonly data = new Map<string, { value: Uint8Array; expires: number | null }>();
  private readonly now: () => number;

  constructor(now: () => number) {
    this.now = now;
  }

  private live(key: string): { value: Uint8Array; expires: number | null } | null {
    const e = this.data.get(key);
    if (!e) return null;
    if (e.expires !== null && e.expires <= this.now()) {
      this.data.delete(key);
      return null;
    }
    return e;
  }

  async getBuffer(key: string): Promise<Uint8Array | null> {
    return this.live(key)?.value.slice() ?? null;
  }

  async set(key: string, value: never, _mode: 'EX', seconds: number): Promise<unknown> {
    this.data.set(key, { value: new Uint8Array(value as Uint8Array), expires: this.now() + seconds });
    return 'OK';
  }

  async setex(key: string, seconds: number, value: never): Promise<unknown> {
    return this.set(key, value, 'EX', seconds);
  }

  async del(key: string): Promise<number> {
    const had = this.live(key) !== null;
    this.data.delete(key);
    return had ? 1 : 0;
  }

  async ttl(key: string): Promise<number> {
    const e = this.live(key);
    if (!e) return -2;
    return e.expires === null ? -1 : Math.max(0, Math.ceil(e.expires - this.now()));
  }

  /** The keys now stored, for the lab's own checks. */
  keys(): string[] {
    return [...this.data.keys()].filter((k) => this.live(k) !== null);
  }
}
