// Faults against the live TypeScript server on a real redis-server: Redis killed and restarted under load (no
// crash, fast 503s with no cookie, recovery by itself), hostile pickles made by Debian's Python planted in Redis
// (refused, never run, never a 500), and values too large or corrupt (a fresh session and a trace event).
// Beside them, what the real Flask-Session 0.3.2 and 0.8.0 do with the same planted values (they run the pickles):
// the engine's refusal is its own safer choice, not theirs.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, vi } from 'vitest';
import { itWithPeer, peerMissing, runPython } from '../support/peers.ts';
import { forEachJudge, itWithJudge, runPythonUnder } from '../support/judges.ts';
import { startRedis, type RedisServer } from '../support/redis.ts';
import { LiveCounts } from '../conformance/live_counts.ts';
import { packb } from '../../src/engine/flask_session/msgpack.ts';
import { Jar, startFlaskSession, startServe, type Child } from './helpers.ts';

const SECRET = 'fault-secret';
const ready = !peerMissing('redis-server');
let redis: RedisServer | null = null;
let client: Redis | null = null;
const children: Child[] = [];
const tmp = mkdtempSync(join(tmpdir(), 'session-lab-faults-'));
const MARKER = join(tmp, 'pickle-ran');

beforeAll(async () => {
  if (!ready) return;
  redis = await startRedis();
  client = new Redis(redis.port, '127.0.0.1', { maxRetriesPerRequest: 1 });
  // This test kills Redis on purpose; the inspection client reconnects by itself.
  client.on('error', () => {});
}, 30_000);

afterAll(async () => {
  await Promise.all(children.map((c) => c.stop()));
  client?.disconnect();
  await redis?.stop();
  rmSync(tmp, { recursive: true, force: true });
}, 30_000);

async function serve(args: string[]): Promise<Child> {
  const c = await startServe(['--secret', SECRET, '--redis', redis!.url, '--trace', ...args]);
  children.push(c);
  return c;
}

const UNAVAILABLE = /^503 Session store unavailable: Redis at 127\.0\.0\.1:(\d+) is not answering \(.+\)\n$/;

describe('Redis killed and restarted while requests run', () => {
  for (const version of ['0.8', '0.3'] as const) {
    itWithPeer('redis-server', `Flask-Session ${version}: 503s while Redis is down, no cookie on them, recovery after, the server never stops`, async () => {
      const server = await serve(['--interface', 'redis', '--flask-session', version, '--key-prefix', `kill${version}:`]);
      const statuses = new Map<number, number>();
      let unavailable = 0;
      let slowest = 0;
      // Rounds each client has finished; the kill waits until every client has had a full round against a live Redis.
      const rounds = new Array<number>(8).fill(0);
      let stop = false;
      const clients = Array.from({ length: 8 }, async (_, c) => {
        let i = 0;
        while (!stop) {
          const jar = new Jar();
          for (const path of [`/set?key=c${c}&value=${i}`, `/get?key=c${c}`]) {
            let r;
            try {
              r = await jar.get(server.base + path);
            } catch (e) {
              throw new Error(`request ${path} failed outright: ${(e as Error).message}`);
            }
            statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
            slowest = Math.max(slowest, r.ms);
            if (r.status === 503) {
              unavailable++;
              expect(r.body).toMatch(UNAVAILABLE);
              expect(Number(UNAVAILABLE.exec(r.body)![1])).toBe(redis!.port);
              expect(r.setCookies).toEqual([]);
              expect(r.headers.get('retry-after')).toBe('1');
            }
          }
          i++;
          rounds[c]++;
        }
      });
      await vi.waitUntil(() => rounds.every((n) => n >= 1), { timeout: 20_000, interval: 10 });
      await redis!.kill();
      await server.waitFor(/session store is not answering/, 20_000);
      // A write while Redis is away leaves nothing behind: no cookie, so no id that points at nothing.
      const during = new Jar();
      const r = await during.get(`${server.base}/set?key=x&value=1`);
      expect(r.status).toBe(503);
      expect(during.cookies.size).toBe(0);
      await redis!.restart();
      await server.waitFor(/session store is answering again/, 20_000);
      stop = true;
      await Promise.all(clients);

      // After the restart every client gets its own values back again.
      const jars = Array.from({ length: 8 }, () => new Jar());
      await Promise.all(jars.map((j, n) => j.get(`${server.base}/set?key=after&value=${n}`)));
      const back = await Promise.all(jars.map((j) => j.get(`${server.base}/get?key=after`)));
      expect(back.map((b) => b.body)).toEqual(jars.map((_, n) => String(n)));

      console.log(`[serve faults] Flask-Session ${version}: statuses ${JSON.stringify(Object.fromEntries(statuses))}, slowest request ${Math.round(slowest)} ms`);
      expect([...statuses.keys()].every((s) => s === 200 || s === 404 || s === 503)).toBe(true);
      expect(unavailable).toBeGreaterThan(0);
      expect(server.alive()).toBe(true);
      expect(server.output()).toMatch(/session store is not answering/);
      expect(server.output()).toMatch(/session store is answering again/);
      // The trace names the cause and the 503.
      await server.waitFor(/error\s+StoreUnavailableError: Redis at 127\.0\.0\.1:\d+ is not answering/);
      await server.waitFor(/→ 503/);
    }, 60_000);
  }
});

/** Hostile pickles written by Debian's Python (never loaded there): each would run `touch MARKER`. */
function hostilePickles(): { name: string; bytes: Buffer }[] {
  const out = runPython(
    String.raw`
import os, pickle, sys
class Run:
    def __init__(self, cmd): self.cmd = cmd
    def __reduce__(self): return (os.system, (self.cmd,))
marker = sys.stdin.read().strip()
for p in range(0, 6):
    print("reduce-protocol-%d" % p, pickle.dumps({"user": Run("touch " + marker)}, protocol=p).hex())
# INST (protocol 0), OBJ, NEWOBJ + BUILD, and a GLOBAL that only names a module attribute
print("inst", ("(S'touch %s'\nios\nsystem\n." % marker).encode().hex())
print("obj", ("(cos\nsystem\nS'touch %s'\no." % marker).encode().hex())
print("newobj-build", b"\x80\x02cbuiltins\nobject\n)\x81}b.".hex())
print("global-only", b"\x80\x02cos\nsystem\nq\x00.".hex())
`,
    MARKER,
  );
  return out
    .trim()
    .split('\n')
    .map((line) => {
      const [name, hex] = line.split(' ');
      return { name: name!, bytes: Buffer.from(hex!, 'hex') };
    });
}

describe('values planted in Redis', () => {
  itWithPeer('flask_session', 'hostile pickles (REDUCE, STACK_GLOBAL, INST, OBJ, NEWOBJ/BUILD, GLOBAL) are refused: a fresh session and a trace event, never run, never a 500', async () => {
    const ts03 = await serve(['--interface', 'redis', '--flask-session', '0.3', '--key-prefix', 'h3:']);
    const ts08 = await serve(['--interface', 'redis', '--key-prefix', 'h8:']);
    const pickles = hostilePickles();
    expect(pickles.length).toBe(10);
    let refused = 0;
    for (const { name, bytes } of pickles) {
      for (const [server, prefix, sid] of [
        [ts03, 'h3:', crypto.randomUUID()],
        [ts08, 'h8:', Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url')],
      ] as const) {
        await client!.set(`${prefix}${sid}`, bytes, 'EX', 600);
        const jar = new Jar();
        jar.cookies.set('session', sid);
        const r = await jar.get(`${server.base}/get?key=user`);
        expect(r.status, `${name} on ${prefix}`).toBe(404);
        expect(r.body).toBe('missing');
        // The request goes on with a fresh session that works.
        expect((await jar.get(`${server.base}/set?key=user&value=ok`)).status).toBe(200);
        expect((await jar.get(`${server.base}/get?key=user`)).body).toBe('ok');
        refused++;
      }
    }
    expect(existsSync(MARKER)).toBe(false);
    for (const s of [ts03, ts08]) await s.waitFor(/error\s+UnsafePickleError/);
    await ts08.waitFor(/refused and the request starts a fresh session/);
    console.log(`[serve faults] hostile pickles refused: ${refused} (${pickles.length} payloads × 2 interfaces)`);
  }, 60_000);

  itWithPeer('flask_session', "x = [x, x] nested 24 and 40 times (Python's pickle, a few hundred bytes): 0.3 answers and writes back the same bytes; 0.8 refuses it as it reads (a fresh session) and never rewrites the key", async () => {
    const ts03 = await serve(['--interface', 'redis', '--flask-session', '0.3', '--key-prefix', 't3:']);
    const ts08 = await serve(['--interface', 'redis', '--key-prefix', 't8:']);
    for (const levels of [24, 40]) {
      const planted = Buffer.from(
        runPython(`import pickle\nx = []\nfor _ in range(${levels}): x = [x, x]\nprint(pickle.dumps({'n': 'kept', 'x': x}, protocol=4).hex())`).trim(),
        'hex',
      );
      const sid3 = crypto.randomUUID();
      await client!.set(`t3:${sid3}`, planted, 'EX', 600);
      const jar3 = new Jar();
      jar3.cookies.set('session', sid3);
      const r3 = await jar3.get(`${ts03.base}/get?key=n`);
      expect([r3.status, r3.body], `0.3, ${levels} levels`).toEqual([200, 'kept']);
      expect((await client!.getBuffer(`t3:${sid3}`))!.equals(planted)).toBe(true);

      const sid8 = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');
      await client!.set(`t8:${sid8}`, planted, 'EX', 600);
      const jar8 = new Jar();
      jar8.cookies.set('session', sid8);
      const r8 = await jar8.get(`${ts08.base}/get?key=n`);
      expect([r8.status, r8.body], `0.8, ${levels} levels`).toEqual([404, 'missing']);
      expect((await client!.getBuffer(`t8:${sid8}`))!.equals(planted)).toBe(true);
    }
    await ts08.waitFor(/UnpicklingError: Failed to deserialize session data/);
  }, 60_000);

  itWithPeer('redis-server', 'a value too large or corrupt gives a fresh session and a trace event, not a 500', async () => {
    const ts03 = await serve(['--interface', 'redis', '--flask-session', '0.3', '--key-prefix', 'c3:']);
    const ts08 = await serve(['--interface', 'redis', '--key-prefix', 'c8:']);
    const fixed = await serve(['--interface', 'custom-fixed', '--key-prefix', 'cf:']);
    const cases: [string, Buffer][] = [
      ['too large', Buffer.alloc(2 * 1024 * 1024, 0x61)],
      ['not msgpack, json or pickle', Buffer.from([0xc1, 0xff, 0x00, 0x42, 0x13])],
      ['truncated msgpack', Buffer.from('83aa5f7065726d616e656e74c3a4', 'hex')],
      ['msgpack list, not a dict', Buffer.from([0x93, 0x01, 0x02, 0x03])],
      ['truncated pickle', Buffer.from('80049524000000000000007d94288c01', 'hex')],
      ['empty-looking junk', Buffer.from('\u0000\u0000\u0000')],
    ];
    let fresh = 0;
    for (const [what, bytes] of cases) {
      for (const [server, prefix, sid] of [
        [ts03, 'c3:', crypto.randomUUID()],
        [ts08, 'c8:', Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url')],
      ] as const) {
        await client!.set(`${prefix}${sid}`, bytes, 'EX', 600);
        const jar = new Jar();
        jar.cookies.set('session', sid);
        const r = await jar.get(`${server.base}/get?key=a`);
        expect(r.status, `${what} on ${prefix}`).toBe(404);
        expect((await jar.get(`${server.base}/set?key=a&value=1`)).status).toBe(200);
        expect((await jar.get(`${server.base}/get?key=a`)).body).toBe('1');
        fresh++;
      }
    }
    await ts08.waitFor(/error\s+StoredValueTooLargeError: the value stored under c8:\S+ is 2097152 bytes/);
    await ts03.waitFor(/error\s+StoredValueTooLargeError/);
    await ts08.waitFor(/error\s+UnpicklingError: Failed to deserialize session data/);
    await ts03.waitFor(/error\s+UnpicklingError/);

    // The corrected tutorial interface: it signs its ids, so plant under an id it issued.
    const jar = new Jar();
    await jar.get(`${fixed.base}/set?key=a&value=1`);
    const sid = jar.cookies.get('session')!.split('.')[0]!;
    await client!.set(`cf:${sid}`, Buffer.from('{"a": 1,,,'), 'EX', 600);
    const r = await jar.get(`${fixed.base}/get?key=a`);
    expect(r.status).toBe(404);
    await fixed.waitFor(/error\s+\w*Error: .* — the stored session could not be read safely/);
    fresh++;
    for (const s of [ts03, ts08, fixed]) expect(s.output()).not.toMatch(/→ 500/);
    console.log(`[serve faults] unreadable stored values answered with a fresh session: ${fresh}`);
  }, 60_000);
});

/**
 * Harmless pickles whose effect shows in the session: `ran` is what the call returned (print gives None, os.getpid
 * the serving process's id), beside an ordinary `user`. Written by the judge's own pickle, protocol 4.
 */
const PLANTED = String.raw`
import os, pickle, builtins
class Call:
    def __init__(self, f, *args): self.f, self.args = f, args
    def __reduce__(self): return (self.f, self.args)
print("print", pickle.dumps({"user": "alice", "ran": Call(builtins.print, "a pickle ran this")}, protocol=4).hex())
print("getpid", pickle.dumps({"user": "alice", "ran": Call(os.getpid)}, protocol=4).hex())
print("plain", pickle.dumps({"user": "alice"}, protocol=4).hex())
`;

describe('the same planted values in the real Flask-Session (what the engine refuses, they run)', () => {
  forEachJudge((j) => {
    itWithJudge(j.id, `Flask-Session ${j.flaskSession} unpickles what it finds in Redis, calls included, and serves the session`, async () => {
      const counts = new LiveCounts('serve_faults', j.id);
      const prefix = `real${j.flaskSession}:`;
      const flask = await startFlaskSession({ SECRET_KEY: SECRET, REDIS_URL: redis!.url, KEY_PREFIX: prefix }, j.id);
      children.push(flask);
      const planted = Object.fromEntries(
        runPythonUnder(j.id, PLANTED)
          .trim()
          .split('\n')
          .map((l) => l.split(' ') as [string, string]),
      );
      const sid = (n: number): string => (j.id === 'flask-2.2' ? `00000000-0000-4000-8000-${String(n).padStart(12, '0')}` : `planted${n}`.padEnd(43, 'x'));
      const visit = async (n: number, hex: string): Promise<{ user: string; dump: string }> => {
        await client!.set(`${prefix}${sid(n)}`, Buffer.from(hex, 'hex'), 'EX', 600);
        const jar = new Jar();
        jar.cookies.set('session', sid(n));
        const user = await jar.get(`${flask.base}/get?key=user`);
        expect(user.status).toBe(200);
        const dump = await jar.get(`${flask.base}/dump`);
        expect(dump.status).toBe(200);
        counts.add('planted pickles served');
        return { user: user.body, dump: dump.body };
      };
      // A call that returns None: the user is still logged in, and the session holds the None the call gave.
      expect(await visit(1, planted.print!)).toEqual({ user: 'alice', dump: '{"ran":null,"user":"alice"}' });
      // The session went back to Redis as the call left it: the payload ran once and is gone (0.8 rewrites it as
      // msgpack, 0.3.2 as a plain pickle).
      const rewritten = (await client!.getBuffer(`${prefix}${sid(1)}`))!;
      if (j.id === 'flask-3.1') expect(rewritten.toString('hex')).toBe(Buffer.from(packb(new Map([['user', 'alice'], ['ran', null]]))).toString('hex'));
      else expect(rewritten.includes('builtins')).toBe(false);
      // A call whose result shows: the id of the process that served the request.
      expect(await visit(2, planted.getpid!)).toEqual({ user: 'alice', dump: `{"ran":${flask.proc.pid},"user":"alice"}` });
      // A plain pickle (a 0.3.2 session) is read as well: 0.8.0 falls back to pickle after msgpack and JSON fail.
      expect((await visit(3, planted.plain!)).user).toBe('alice');
      // Values nothing can read. 0.3.2 catches every error and starts an empty session under the same id (its
      // cookie names that id again); 0.8.0 lets the error through: a 500. (The engine's server starts a fresh
      // session under a new id in both modes.)
      for (const [n, hex] of [
        [4, 'c1ff004213'],
        [5, '93010203'],
        [6, '80049524000000000000007d94288c01'],
      ] as const) {
        await client!.set(`${prefix}${sid(n)}`, Buffer.from(hex, 'hex'), 'EX', 600);
        const jar = new Jar();
        jar.cookies.set('session', sid(n));
        const r = await jar.get(`${flask.base}/get?key=user`);
        if (j.id === 'flask-2.2') {
          expect(r.status, hex).toBe(404);
          expect(r.setCookies[0]).toMatch(new RegExp(`^session=${sid(n)};`));
          counts.add('unreadable values: an empty session under the same id');
        } else {
          expect(r.status, hex).toBe(500);
          counts.add('unreadable values answered 500');
        }
      }
      counts.print();
    }, 60_000);
  });
});
