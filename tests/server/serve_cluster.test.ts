// `session-lab serve --redis-cluster` against a real three-master Redis Cluster started here: many sessions spread
// over the hash slots (keys land on all three masters), three server processes each seeded with a different
// node, and every session read back through every server with nothing lost.
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { itWithPeer, peerMissing } from '../support/peers.ts';
import { redisCli, startCluster, type RedisCluster } from '../support/redis.ts';
import { Jar, startServe, type Child } from './helpers.ts';

const ready = !peerMissing('redis-server');
let cluster: RedisCluster | null = null;
const servers: Child[] = [];

beforeAll(async () => {
  if (!ready) return;
  cluster = await startCluster();
  // Each server knows one different node to start from; ioredis learns the slot map and follows MOVED.
  for (let i = 0; i < 3; i++) {
    const seed = cluster.urls[i]!;
    const version = i === 2 ? '0.3' : '0.8';
    servers.push(await startServe(['--interface', 'redis', '--secret', 'cluster-secret', '--redis-cluster', seed, '--flask-session', version, '--key-prefix', `v${version}:`]));
  }
}, 90_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await cluster?.stop();
}, 30_000);

describe('session-lab serve on a three-master Redis Cluster', () => {
  itWithPeer('redis-server', 'sessions spread over all three masters; written through one node, read through every other; nothing lost', async () => {
    const [a, b, c] = servers as [Child, Child, Child];
    const N = 150;
    // Servers a and b share Flask-Session 0.8's format and prefix, so a session written through one is read through the other.
    const jars = Array.from({ length: N }, () => new Jar());
    await Promise.all(jars.map((j, i) => j.get(`${(i % 2 ? a : b).base}/set?key=n&value=${i}`)));
    const reads = await Promise.all(jars.flatMap((j) => [j.get(`${a.base}/get?key=n`), j.get(`${b.base}/get?key=n`)]));
    const lost = reads.filter((r, k) => r.status !== 200 || r.body !== String(Math.floor(k / 2))).length;
    expect(lost).toBe(0);
    // The 0.3 server (its own prefix) through the third node: write, then read many times.
    const legacy = Array.from({ length: 60 }, () => new Jar());
    await Promise.all(legacy.map((j, i) => j.get(`${c.base}/set?key=n&value=${i}`)));
    const legacyReads = await Promise.all(legacy.map((j) => j.get(`${c.base}/get?key=n`)));
    expect(legacyReads.map((r) => r.body)).toEqual(legacy.map((_, i) => String(i)));

    // Every master holds some of the keys.
    const perNode = await Promise.all(cluster!.ports.map(async (p) => Number((await redisCli(['-p', String(p), 'dbsize'])).trim())));
    for (const n of perNode) expect(n).toBeGreaterThan(0);
    expect(perNode.reduce((x, y) => x + y, 0)).toBe(N + legacy.length);
    console.log(`[serve cluster] ${N} Flask-Session 0.8 sessions written and read across 2 servers, ${legacy.length} 0.3 sessions; keys per master ${perNode.join(' / ')}; lost ${lost}`);
  }, 60_000);
});
