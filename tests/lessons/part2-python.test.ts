// Runs the lesson 5–8 Flask examples (examples/python/part2/*.py) under both judges (Debian 12's Flask 2.2.2 +
// Flask-Session 0.3.2, Debian 13's Flask 3.1.1 + Flask-Session 0.8.0), against a real redis-server where they need
// one, and checks them against the engine demos the lessons print (the engine's 0.3 or 0.8 mode to match).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itWithPeer, peerMissing } from '../support/peers.ts';
import { forEachJudge, itWithJudge, runPythonUnder, syncIntoTrixie, type JudgeId } from '../support/judges.ts';
import { LiveCounts } from '../conformance/live_counts.ts';
import { checksIn, registryExamples } from './checked-examples.ts';
import { startCluster, startRedis, type RedisServer } from '../support/redis.ts';
import { counterTutorial, neverForgets } from '../../src/lessons/custom-interface.ts';
import { compareVersions, configuredExample, nonPermanent, sessionTypeMissing, signedId, unknownId, type CommandRow } from '../../src/lessons/flask-session-redis.ts';
import { poisoned } from '../../src/lessons/server-side-security.ts';
import { keySlot, nodeOf } from '../../src/lessons/scaling-crc16.ts';
import { slots } from '../../src/lessons/scaling.ts';

const checker = fileURLToPath(new URL('./part2_check_examples.py', import.meta.url));
const examplesDir = fileURLToPath(new URL('../../examples/python/part2/', import.meta.url));

/** A Redis command as the checker records it: [name, key, ttl, value length (GET: found length, DEL: count)]. */
type Command = [string, string, number | null, number | null];

/** The engine's command lines ("SET k <27 bytes> EX 60  → OK") in the checker's form. */
function engineCommands(lines: string[]): Command[] {
  return lines.map((l) => {
    let m = /^SETEX (\S+) (\d+) <(\d+) bytes>/.exec(l);
    if (m) return ['SETEX', m[1]!, Number(m[2]), Number(m[3])];
    m = /^SET (\S+) <(\d+) bytes> EX (\d+)/.exec(l);
    if (m) return ['SET', m[1]!, Number(m[3]), Number(m[2])];
    m = /^GET (\S+) {2}→ (?:"<(\d+) bytes>"|\(nil\))/.exec(l);
    if (m) return ['GET', m[1]!, null, m[2] === undefined ? null : Number(m[2])];
    m = /^DEL (\S+) {2}→ \(integer\) (\d+)/.exec(l);
    if (m) return ['DEL', m[1]!, null, Number(m[2])];
    throw new Error(`unexpected command line ${l}`);
  });
}

/** Session ids and cookie dates differ run to run: what is left is the shape. */
function masked(text: string): string {
  return text
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[A-Za-z0-9_-]{43}/g, 'SID')
    .replace(/SID\.[A-Za-z0-9_-]{27}\b/g, 'SID.SIGNATURE')
    .replace(/Expires=(?!Thu, 01 Jan 1970)[^;]+/, 'Expires=DATE');
}

/** One request as the checker reports it, masked. */
function realRow(r: Step & { commands: Command[] }): unknown {
  return { status: r.status, body: r.body, commands: r.commands.map((c) => masked(JSON.stringify(c))), setCookie: r.set_cookie.map(masked), vary: r.vary };
}

/** The same for an engine request. */
function engineRow(r: CommandRow): unknown {
  const h = (name: string) => r.exchange.responseHeaders.filter(([k]) => k === name).map(([, v]) => v);
  return { status: r.exchange.status, body: r.exchange.body, commands: engineCommands(r.commands).map((c) => masked(JSON.stringify(c))), setCookie: h('Set-Cookie').map(masked), vary: h('Vary')[0] ?? null };
}

interface Step {
  path: string;
  status: number;
  body: string;
  set_cookie: string[];
  vary: string | null;
}

let redis: RedisServer | null = null;

const counts: Record<JudgeId, LiveCounts> = { 'flask-2.2': new LiveCounts('part2_examples', 'flask-2.2'), 'flask-3.1': new LiveCounts('part2_examples', 'flask-3.1') };

/** Runs one check of part2_check_examples.py under a judge (the examples and the checker are synced into Debian 13's root). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function check(id: JudgeId, name: string, input = '', env: Record<string, string> = {}): any {
  if (id === 'flask-3.1') {
    syncIntoTrixie(examplesDir);
    syncIntoTrixie(fileURLToPath(new URL('./', import.meta.url)));
  }
  const script = `import runpy, sys\nsys.argv = ['part2_check_examples.py', ${JSON.stringify(name)}]\nrunpy.run_path(${JSON.stringify(checker)}, run_name='__main__')`;
  counts[id].add(name);
  return JSON.parse(runPythonUnder(id, script, input, { ...(redis ? { REDIS_URL: redis.url } : {}), ...env }));
}


describe('examples/python/part2', () => {
  beforeAll(async () => {
    if (!peerMissing('redis-server')) redis = await startRedis();
  }, 30_000);
  afterAll(async () => {
    await redis?.stop();
    for (const c of Object.values(counts)) c.print();
  });

  it('every example the lesson registry lists under part2/ has a check in part2_check_examples.py', () => {
    const examples = registryExamples('part2');
    expect(examples.length).toBeGreaterThan(0);
    expect(checksIn(checker)).toEqual(expect.arrayContaining(examples));
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

  forEachJudge((j) => {
    itWithJudge(j.id, 'my_session_interface.py: 1, 2, 2, 2, nothing forgotten, one dict per process, a crash without a key — as the engine shows', async () => {
      const r = check(j.id, 'my_session_interface');
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

    itWithJudge(j.id, 'fixed_session_interface.py on a real Redis: 1, 2, 3, 4 with a TTL, logout deletes, visitors cost nothing, workers share', () => {
      const r = check(j.id, 'fixed_session_interface');
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

    itWithJudge(j.id, `flask_session_redis.py on Flask-Session ${j.flaskSession}: the same key shape, TTL, cookies and stored bytes as the engine's ${j.id === 'flask-2.2' ? '0.3' : '0.8'} mode`, async () => {
      const version = j.id === 'flask-2.2' ? '0.3' : '0.8';
      const r = check(j.id, 'flask_session_redis');
      const engine = await configuredExample(version);
      expect(r.version).toBe(j.flaskSession);
      expect(r.interface).toBe('RedisSessionInterface');
      expect(r.keys_anon).toEqual([]); // SESSION_PERMANENT=False: an empty new session is not stored
      expect([r.anon, r.login, r.index, r.logout].map((s: Step) => s.body)).toEqual(engine.steps.map((s) => s.exchange.body));
      // 0.3.2: uuid4 ids; 0.8: secrets.token_urlsafe(32), 43 characters.
      const SID = version === '0.3' ? /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/ : /[A-Za-z0-9_-]{43}/;
      expect(r.key).toMatch(new RegExp(`^myapp:${SID.source}$`));
      expect(engine.key).toMatch(new RegExp(`^myapp:${SID.source}$`));
      expect(r.ttl).toBe(engine.ttl);
      // Byte for byte: pickle protocol 4 (0.3.2) or msgspec msgpack (0.8) of {'user': 'guhanzhe'}.
      expect(r.raw_hex).toBe(engine.valueHex);
      const sid = r.key.slice('myapp:'.length);
      const mine = (h: string) => h.replace(SID, 'SID');
      const headers = (i: number, name: string) => engine.steps[i]!.exchange.responseHeaders.filter(([k]) => k === name).map(([, v]) => mine(v));
      // 0.8 sends SameSite (0.4 and later do); neither sends Expires for SESSION_PERMANENT=False.
      expect(r.login.set_cookie).toEqual([`hello_session=${sid}; HttpOnly; Path=/${version === '0.8' ? '; SameSite=Lax' : ''}`]);
      expect(r.login.set_cookie.map(mine)).toEqual(headers(1, 'Set-Cookie'));
      expect(r.logout.set_cookie).toEqual(['hello_session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/']);
      expect(r.logout.set_cookie.map(mine)).toEqual(headers(3, 'Set-Cookie'));
      for (const [i, step] of [r.anon, r.login, r.index, r.logout].entries()) expect(step.vary, `step ${i}`).toBe(headers(i, 'Vary')[0] ?? null);
      expect(r.keys_after).toEqual([]);
    });

    itWithJudge(j.id, `lesson 6's engine demos are what Flask-Session ${j.flaskSession} does: commands per request, visitors, SESSION_PERMANENT=False, signed ids, an unknown id, no SESSION_TYPE`, async () => {
      const v = j.id === 'flask-2.2' ? 'v03' : 'v08';
      const r = check(j.id, 'lesson6_demos');
      expect(r.version).toBe(j.flaskSession);
      const cmp = await compareVersions();
      expect(r.compare.map(realRow)).toEqual(cmp[v].map(engineRow));
      expect(r.visitor_keys).toBe(v === 'v03' ? cmp.v03Keys : cmp.v08Keys);
      if (v === 'v08') {
        // The engine demos of these situations run on 0.8 only.
        expect(r.non_permanent.map(realRow)).toEqual((await nonPermanent()).map(engineRow));
        expect(r.non_permanent_ttl).toEqual([2678400]);
        const s = await signedId();
        expect(masked(r.signed.set_cookie[0])).toBe(masked(s.login.responseHeaders.find(([k]) => k === 'Set-Cookie')![1]));
        expect(r.signer_warnings).toEqual(s.warnings);
      }
      const u = await unknownId();
      expect(realRow(r.unknown_id)).toEqual(engineRow(u[v]));
      expect(r.unknown_id_keys.map(masked)).toEqual((v === 'v03' ? u.v03Keys : u.v08Keys).map(masked));
      const t = await sessionTypeMissing();
      if (v === 'v08') expect(r.no_type_error).toBe(t.v08);
      else {
        expect(r.no_type_interface).toBe(t.v03Interface);
        expect(r.no_type_login.status).toBe(t.v03.status);
      }
    });

    itWithJudge(j.id, `login_regenerate.py on ${j.flaskSession}: a planted id works with the unsafe login and not with the new id; logout revokes`, () => {
      const r = check(j.id, 'login_regenerate');
      expect(r['/login-unsafe'].attacker).toBe('alice');
      expect(r['/login-unsafe'].login.set_cookie[0]).toContain(r['/login-unsafe'].planted);
      expect(r['/login'].attacker).toBe('nobody');
      expect(r['/login'].victim).toBe('alice');
      expect(r['/login'].login.set_cookie[0]).not.toContain(r['/login'].planted);
      expect(r.replay).toBe('nobody');
    });

    itWithJudge(j.id, 'pickle_danger.py: Python writes the bytes the lesson prints, and loading them runs the call', async () => {
      const r = check(j.id, 'pickle_danger');
      const engine = await poisoned();
      expect(r.hex).toBe(engine.hex);
      const op = (r.ops as { offset: number; name: string }[]).find((o) => o.offset === engine.offset);
      expect(op?.name).toBe(engine.opcode);
      expect((r.ops as { name: string }[]).findIndex((o) => o.name === 'STACK_GLOBAL')).toBe((r.ops as { offset: number }[]).findIndex((o) => o.offset === engine.offset));
      expect(r.loaded).toEqual({ user: 'alice', x: r.python }); // loading ran platform.python_version()
    });

    itWithJudge(j.id, 'keyslot.py and redis-py agree with the TypeScript CRC16', () => {
      const keys = ['123456789', 'foo', '{}x', 'a{}b{c}', 'session:{alice}:web', ...slots().map((s) => s.key), '会话:{用户}'];
      const r = check(j.id, 'keyslot', JSON.stringify(keys));
      const ts = keys.map(keySlot);
      expect(r.slots).toEqual(ts);
      expect(r.redis_py).toEqual(ts);
    });

    itWithJudge(j.id, `a RedisCluster client as SESSION_REDIS on Flask-Session ${j.flaskSession}: what lesson 8 and lesson 6 say happens`, async () => {
      const cluster = await startCluster();
      try {
        const r = check(j.id, 'cluster_client', '', { REDIS_CLUSTER_URL: cluster.urls[0]! });
        expect(r.is_redis_subclass).toBe(false);
        if (j.id === 'flask-3.1') {
          // 0.8 checks isinstance(client, Redis): it warns and makes its own Redis() on localhost:6379.
          expect(r.client_is_the_cluster).toBe(false);
          expect([r.client_class, r.host, r.port]).toEqual(['Redis', 'localhost', 6379]);
          expect(r.warnings).toHaveLength(1);
          const message = (r.warnings[0] as string).replace(/^RuntimeWarning: /, '');
          // The lessons quote the warning word for word.
          for (const page of ['content/lessons/flask-session-redis.mdx', 'content/zh-cn/lessons/flask-session-redis.mdx']) expect(readFileSync(page, 'utf8')).toContain(message);
        } else {
          // 0.3.2 takes any object as SESSION_REDIS, a cluster client included, without a warning.
          expect(r.client_is_the_cluster).toBe(true);
          expect(r.warnings).toEqual([]);
        }
      } finally {
        await cluster.stop();
      }
    }, 60_000);

    itWithJudge(j.id, 'cluster_sessions.py on a three-master Redis Cluster: sessions spread over the nodes, each key on the node its CRC16 slot names', async () => {
      const cluster = await startCluster();
      try {
        const r = check(j.id, 'cluster_sessions', '', { REDIS_CLUSTER_URL: cluster.urls[0]! });
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
});
