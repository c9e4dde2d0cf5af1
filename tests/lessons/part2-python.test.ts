// Runs the lesson 5–8 Flask examples (examples/python/part2/*.py) under Debian's Flask and Flask-Session 0.3.2,
// against a real redis-server where they need one, and checks them against the engine demos the lessons print.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { itWithPeer, peerMissing, runPython } from '../support/peers.ts';
import { startCluster, startRedis, type RedisServer } from '../support/redis.ts';
import { counterTutorial, neverForgets } from '../../src/lessons/part2/custom-interface.ts';
import { configuredExample } from '../../src/lessons/part2/flask-session-redis.ts';
import { poisoned } from '../../src/lessons/part2/security.ts';
import { keySlot, nodeOf } from '../../src/lessons/part2/crc16.ts';
import { slots } from '../../src/lessons/part2/scaling.ts';

const checker = fileURLToPath(new URL('./part2_check_examples.py', import.meta.url));
const examplesDir = fileURLToPath(new URL('../../examples/python/part2/', import.meta.url));

interface Step {
  path: string;
  status: number;
  body: string;
  set_cookie: string[];
  vary: string | null;
}

let redis: RedisServer | null = null;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function check(name: string, input = '', env: Record<string, string> = {}): any {
  const script = `import runpy, sys\nsys.argv = ['part2_check_examples.py', ${JSON.stringify(name)}]\nrunpy.run_path(${JSON.stringify(checker)}, run_name='__main__')`;
  return JSON.parse(runPython(script, input, { ...(redis ? { REDIS_URL: redis.url } : {}), ...env }));
}

const checked = ['my_session_interface', 'fixed_session_interface', 'flask_session_redis', 'login_regenerate', 'pickle_danger', 'keyslot', 'cluster_sessions'];

describe('examples/python/part2', () => {
  beforeAll(async () => {
    if (!peerMissing('redis-server')) redis = await startRedis();
  }, 30_000);
  afterAll(async () => {
    await redis?.stop();
  });

  itWithPeer('flask', 'every example file has a check', () => {
    const files = readdirSync(examplesDir).filter((f) => f.endsWith('.py')).map((f) => f.replace(/\.py$/, ''));
    expect(files.sort()).toEqual([...checked].sort());
  });

  itWithPeer('flask', 'my_session_interface.py: 1, 2, 2, 2, nothing forgotten, one dict per process, a crash without a key — as the engine shows', async () => {
    const r = check('my_session_interface');
    const engine = await counterTutorial();
    expect((r.counter as Step[]).map((s) => s.body)).toEqual(engine.exchanges.map((x) => x.body));
    expect(r.counter.at(-1).stored).toEqual([engine.stored.at(-1)]);
    for (const s of r.counter as Step[]) expect(s.set_cookie[0]).toMatch(/^session=[0-9a-f-]{36}\.[\w-]{27}; HttpOnly; Path=\/$/);
    const n = await neverForgets();
    expect(r.after_logout).toEqual(n.afterLogout);
    expect(r.entries).toBe(n.entries);
    for (const v of r.visitors as Step[]) expect(v.set_cookie).toHaveLength(1);
    expect(r.w2_who.body).toBe('nobody');
    expect(r.no_key_status).toBe(500);
    expect(r.no_key_error).toBe("AttributeError: 'NoneType' object has no attribute 'sign'");
  });

  itWithPeer('redis-server', 'fixed_session_interface.py on a real Redis: 1, 2, 3, 4 with a TTL, logout deletes, visitors cost nothing, workers share', () => {
    const r = check('fixed_session_interface');
    expect(r.counter.map((s: Step) => s.body)).toEqual(['1', '2', '3', '4']);
    expect(r.counter.at(-1).stored).toEqual(['{"n": 4}']);
    expect(r.counter.at(-1).ttl).toEqual([31 * 86400]);
    expect((r.flow as Step[]).map((s) => s.body)).toEqual(['hello', 'logged in as alex', 'alex', 'logged out']);
    expect(r.flow[0].set_cookie).toEqual([]);
    expect(r.flow[2].set_cookie).toEqual([]);
    expect(r.flow[2].vary).toBe('Cookie');
    expect(r.flow[3].set_cookie).toEqual(['session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Path=/']);
    expect(r.keys_after).toEqual([]);
    for (const v of r.visitors as Step[]) expect(v.set_cookie).toEqual([]);
    expect(r.w2_who.body).toBe('alex');
    expect(r.no_key_error).toMatch(/^RuntimeError: The session is unavailable because no secret key was set/);
  });

  itWithPeer('redis-server', 'flask_session_redis.py on Flask-Session 0.3.2: the same key shape, TTL, cookies and stored bytes as the engine', async () => {
    const r = check('flask_session_redis');
    const engine = await configuredExample('0.3');
    expect(r.version).toBe('0.3.2');
    expect(r.interface).toBe('RedisSessionInterface');
    expect(r.keys_anon).toEqual([]); // SESSION_PERMANENT=False: an empty new session is not stored
    expect([r.anon, r.login, r.index, r.logout].map((s: Step) => s.body)).toEqual(engine.steps.map((s) => s.exchange.body));
    expect(r.key).toMatch(/^myapp:[0-9a-f-]{36}$/);
    expect(r.ttl).toBe(engine.ttl);
    expect(r.raw_hex).toBe(engine.valueHex); // byte for byte: pickle protocol 4 of {'user': 'guhanzhe'}
    const sid = r.key.slice('myapp:'.length);
    const mine = (h: string) => h.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/, 'SID');
    expect(r.login.set_cookie).toEqual([`hello_session=${sid}; HttpOnly; Path=/`]);
    expect(r.login.set_cookie.map(mine)).toEqual(engine.steps[1]!.exchange.responseHeaders.filter(([k]) => k === 'Set-Cookie').map(([, v]) => mine(v)));
    expect(r.logout.set_cookie).toEqual(['hello_session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/']);
    expect(r.keys_after).toEqual([]);
  });

  itWithPeer('redis-server', 'login_regenerate.py on 0.3.2: a planted id works with the unsafe login and not with the new id; logout revokes', () => {
    const r = check('login_regenerate');
    expect(r['/login-unsafe'].attacker).toBe('alice');
    expect(r['/login-unsafe'].login.set_cookie[0]).toContain(r['/login-unsafe'].planted);
    expect(r['/login'].attacker).toBe('nobody');
    expect(r['/login'].victim).toBe('alice');
    expect(r['/login'].login.set_cookie[0]).not.toContain(r['/login'].planted);
    expect(r.replay).toBe('nobody');
  });

  itWithPeer('flask', 'pickle_danger.py: Python writes the bytes the lesson prints, and loading them runs the call', async () => {
    const r = check('pickle_danger');
    const engine = await poisoned();
    expect(r.hex).toBe(engine.hex);
    const op = (r.ops as { offset: number; name: string }[]).find((o) => o.offset === engine.offset);
    expect(op?.name).toBe(engine.opcode);
    expect((r.ops as { name: string }[]).findIndex((o) => o.name === 'STACK_GLOBAL')).toBe((r.ops as { offset: number }[]).findIndex((o) => o.offset === engine.offset));
    expect(r.printed).toBe('this line ran inside the web server\n');
  });

  itWithPeer('flask', 'keyslot.py and redis-py agree with the TypeScript CRC16', () => {
    const keys = ['123456789', 'foo', '{}x', 'a{}b{c}', 'session:{alice}:web', ...slots().map((s) => s.key), '会话:{用户}'];
    const r = check('keyslot', JSON.stringify(keys));
    const ts = keys.map(keySlot);
    expect(r.slots).toEqual(ts);
    expect(r.redis_py).toEqual(ts);
  });

  itWithPeer('redis-server', 'a cluster-enabled redis-server computes the same slots (CLUSTER KEYSLOT)', async () => {
    const node = await startRedis(['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf']);
    try {
      const { redisCli } = await import('../support/redis.ts');
      for (const s of slots()) {
        const out = await redisCli(['-p', String(node.port), 'cluster', 'keyslot', s.key]);
        expect(Number(out.trim())).toBe(s.slot);
      }
    } finally {
      await node.stop();
    }
  }, 30_000);

  itWithPeer('redis-server', 'cluster_sessions.py on a three-master Redis Cluster: sessions spread over the nodes, each key on the node its CRC16 slot names', async () => {
    const cluster = await startCluster();
    try {
      const r = check('cluster_sessions', '', { REDIS_CLUSTER_URL: cluster.urls[0]! });
      expect(r.who).toEqual(r.users);
      const keys = Object.keys(r.placement);
      expect(keys).toHaveLength(12);
      expect(new Set(Object.values(r.placement)).size).toBeGreaterThan(1);
      for (const key of keys) {
        expect(r.slots[key]).toBe(keySlot(key));
        expect(r.placement[key]).toBe(cluster.ports[nodeOf(keySlot(key))]);
      }
    } finally {
      await cluster.stop();
    }
  }, 60_000);
});
