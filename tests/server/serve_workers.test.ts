// `session-lab serve --workers N` on real Redis: N processes share the port, and a session written through one
// is read through any other (the store is shared, unlike the tutorial's per-process dict).
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { itWithPeer, peerMissing } from '../support/peers.ts';
import { startRedis, type RedisServer } from '../support/redis.ts';
import { Jar, startServe, type Child } from './helpers.ts';

const ready = !peerMissing('redis-server');
let redis: RedisServer | null = null;
let server: Child | null = null;

beforeAll(async () => {
  if (!ready) return;
  redis = await startRedis();
  server = await startServe(['--interface', 'redis', '--secret', 'w', '--redis', redis.url, '--workers', '3']);
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await redis?.stop();
}, 30_000);

/** The direct children of a process, from /proc. */
function children(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).flatMap((t) => readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
}

describe('session-lab serve --workers', () => {
  itWithPeer('redis-server', 'three processes serve one port; every session reads back whichever process answers', async () => {
    expect(children(server!.proc.pid!)).toHaveLength(3);
    const jars = Array.from({ length: 60 }, () => new Jar());
    await Promise.all(jars.map((j, i) => j.get(`${server!.base}/set?key=n&value=${i}`)));
    for (let round = 0; round < 3; round++) {
      const got = await Promise.all(jars.map((j) => j.get(`${server!.base}/get?key=n`)));
      expect(got.map((g) => g.body)).toEqual(jars.map((_, i) => String(i)));
    }
  }, 30_000);

  itWithPeer('redis-server', 'stopping the primary stops every worker', async () => {
    const kids = children(server!.proc.pid!);
    await server!.stop();
    for (const k of kids) expect(() => readFileSync(`/proc/${k}/stat`)).toThrow();
  }, 30_000);
});
