// The SQL and file stores against the real Flask-Session 0.8 (the Debian 13 judge): the engine and a real
// Flask app share one SQLite file or one directory, each reads what the other wrote (expiry included), and
// every stored value is byte for byte what Python itself writes for the same data.
import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect } from 'vitest';
import { Flask } from '../../src/engine/flask/app.ts';
import { FileSystemSessionInterface, SqlAlchemySessionInterface, type ServerSideSessionInterface } from '../../src/engine/flask_session/index.ts';
import { addDemoRoutes } from '../../src/server/demo-apps.ts';
import { openDirectory } from '../../src/server/file-store.ts';
import { createServedApp } from '../../src/server/interfaces.ts';
import { openSqlite, type SqliteClient } from '../../src/server/sql-store.ts';
import { createInterface } from 'node:readline';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { itWithJudge, spawnPython, TRIXIE_ROOT } from '../support/judges.ts';

const PEER = 'tests/peers/flask_session_stores.py';
const SECRET = 'stores-live-secret';
type StoreType = 'sqlalchemy' | 'filesystem';

interface PyStep {
  status: number;
  set_cookie: string | null;
  body: string;
}
interface PyStored {
  key: string;
  data: unknown;
  expiry: string | number;
  same_bytes: boolean;
}

// The shared store lives inside the Debian 13 root, so the judge (in its chroot) and the engine see one place.
const scratch: string[] = [];
function sharedPlace(): { host: string; inRoot: string } {
  const host = mkdtempSync(path.join(TRIXIE_ROOT, 'tmp', 'fsl-stores-'));
  scratch.push(host);
  return { host, inRoot: host.slice(TRIXIE_ROOT.length) };
}
// One Python process answers every request of this file, one JSON line each way.
let peer: { child: ChildProcessWithoutNullStreams; next: () => Promise<string> } | null = null;
function startPeer() {
  const child = spawnPython('flask-3.1', [path.resolve(PEER)]);
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += String(d)));
  const waiting: ((line: string) => void)[] = [];
  const ready: string[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => (waiting.length ? waiting.shift()!(line) : ready.push(line)));
  child.on('exit', (code) => {
    for (const w of waiting.splice(0)) w(JSON.stringify({ error: `the Python peer exited (${code}): ${stderr}` }));
  });
  return { child, next: () => (ready.length ? Promise.resolve(ready.shift()!) : new Promise<string>((ok) => waiting.push(ok))) };
}
afterAll(() => {
  peer?.child.stdin.end();
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
});

async function python(type: StoreType, where: string, steps: { path: string; cookie?: string | null }[], lifetime?: number): Promise<{ steps: PyStep[]; store: PyStored[] }> {
  const spec = { type, path: where, secret: SECRET, steps, ...(lifetime !== undefined ? { lifetime } : {}) };
  peer ??= startPeer();
  peer.child.stdin.write(`${JSON.stringify(spec)}\n`);
  const answer = JSON.parse(await peer.next());
  if (answer.error) throw new Error(answer.error);
  return answer;
}

/** An engine app on the store with a clock that is the real clock shifted by `shift` seconds. */
async function engineApp(type: StoreType, host: string, shift = 0, lifetime?: number) {
  const now = () => Date.now() / 1000 + shift;
  let db: SqliteClient | null = null;
  let si: ServerSideSessionInterface;
  if (type === 'sqlalchemy') {
    db = openSqlite(path.join(host, 'sessions.db'));
    si = new SqlAlchemySessionInterface({ client: db, now });
  } else {
    si = new FileSystemSessionInterface({ dir: await openDirectory(path.join(host, 'files')), now });
  }
  const app = new Flask({ config: { SECRET_KEY: SECRET, ...(lifetime !== undefined ? { PERMANENT_SESSION_LIFETIME: lifetime } : {}) }, sessionInterface: si, now });
  addDemoRoutes(app);
  return {
    si,
    db,
    async get(url: string, cookie?: string | null) {
      const ex = await app.handle({ method: 'GET', url, headers: cookie ? [['Cookie', cookie]] : [] });
      const b = ex.response.body;
      const setCookie = ex.response.headers.find(([k]) => k.toLowerCase() === 'set-cookie')?.[1] ?? null;
      return { status: ex.response.status, body: typeof b === 'string' ? b : new TextDecoder().decode(b), setCookie };
    },
    close: () => db?.close(),
  };
}

const cookieOf = (setCookie: string | null) => (setCookie ? setCookie.split(';')[0]! : null);
const where = (type: StoreType, inRoot: string) => (type === 'sqlalchemy' ? path.join(inRoot, 'sessions.db') : path.join(inRoot, 'files'));

for (const type of ['sqlalchemy', 'filesystem'] as const) {
  describe(`Flask-Session 0.8 ${type} store shared with the real Flask-Session 0.8`, () => {
    itWithJudge('flask-3.1', 'each side reads and changes what the other wrote; stored bytes are what Python writes', async () => {
      const { host, inRoot } = sharedPlace();
      const engine = await engineApp(type, host);
      try {
        // The engine starts a session; Python reads it, adds a key; the engine reads both keys.
        const first = await engine.get('/set?key=user&value=alice');
        const cookie = cookieOf(first.setCookie);
        expect(cookie).toMatch(/^session=[A-Za-z0-9_-]{43}$/);
        const py = await python(type, where(type, inRoot), [
          { path: '/dump', cookie },
          { path: '/set?key=cart&value=3', cookie },
          { path: '/set?key=who&value=py' },
        ]);
        expect(JSON.parse(py.steps[0]!.body)).toEqual({ _permanent: true, user: 'alice' });
        expect(cookieOf(py.steps[1]!.set_cookie)).toBe(cookie);
        expect(JSON.parse((await engine.get('/dump', cookie)).body)).toEqual({ _permanent: true, cart: '3', user: 'alice' });
        const pyCookie = cookieOf(py.steps[2]!.set_cookie);
        expect(pyCookie).toMatch(/^session=[A-Za-z0-9_-]{43}$/);
        expect((await engine.get('/get?key=who', pyCookie)).body).toContain('py');
        // The engine rewrites the session Python changed; then every stored value re-encodes to its own bytes in Python.
        await engine.get('/set?key=user&value=bob', cookie);
        const after = await python(type, where(type, inRoot), []);
        const sessions = after.store.filter((s) => s.key !== 'count');
        expect(sessions).toHaveLength(2);
        for (const s of after.store) expect(s.same_bytes, `${s.key} re-encodes to the same bytes in Python`).toBe(true);
        expect(sessions.map((s) => s.data)).toContainEqual({ _permanent: true, cart: '3', user: 'bob' });
        if (type === 'filesystem') {
          // cachelib's file counter, kept by both writers, matches the files on disk.
          expect(after.store.find((s) => s.key === 'count')?.data).toBe(2);
        } else {
          expect(sessions.map((s) => s.key).sort()).toEqual([`session:${cookie!.slice(8)}`, `session:${pyCookie!.slice(8)}`].sort());
        }
        // Clearing in the engine deletes the stored session for Python too.
        const cleared = await engine.get('/clear', cookie);
        expect(cleared.setCookie).toMatch(/^session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT/);
        const gone = await python(type, where(type, inRoot), [{ path: '/dump', cookie }]);
        expect(JSON.parse(gone.steps[0]!.body)).toEqual({ _permanent: true });
        expect(gone.store.filter((s) => s.key !== 'count')).toHaveLength(1);
      } finally {
        engine.close();
      }
    }, 60_000);

    itWithJudge('flask-3.1', 'expiry: each side treats a session the other wrote as gone once its time has passed', async () => {
      const { host, inRoot } = sharedPlace();
      // Python writes a session that lives 60 s; the engine, its clock an hour ahead, finds it expired.
      const py = await python(type, where(type, inRoot), [{ path: '/set?key=user&value=py' }], 60);
      const pyCookie = cookieOf(py.steps[0]!.set_cookie);
      const late = await engineApp(type, host, 3600);
      try {
        expect((await late.get('/get?key=user', pyCookie)).body).not.toContain('py');
        if (type === 'sqlalchemy') {
          // SQL has no TTL: reading the expired row deleted it.
          expect(await late.db!.get('SELECT COUNT(*) AS n FROM sessions', [])).toEqual({ n: 0 });
        }
      } finally {
        late.close();
      }
      // The engine, its clock two hours behind, writes a 60 s session that real time has already expired.
      const early = await engineApp(type, host, -7200, 60);
      let oldCookie: string | null;
      try {
        oldCookie = cookieOf((await early.get('/set?key=user&value=ts')).setCookie);
      } finally {
        early.close();
      }
      const read = await python(type, where(type, inRoot), [{ path: '/dump', cookie: oldCookie }]);
      expect(JSON.parse(read.steps[0]!.body)).toEqual({ _permanent: true });
      expect(cookieOf(read.steps[0]!.set_cookie)).not.toBe(oldCookie);
    }, 60_000);
  });
}

describe('the demo server on the new stores', () => {
  for (const type of ['sqlalchemy', 'filesystem'] as const) {
    itWithJudge('flask-3.1', `createServedApp({ interface: '${type}' }) serves sessions a real Flask app reads`, async () => {
      const { host, inRoot } = sharedPlace();
      const served = await createServedApp({
        interface: type,
        secret: SECRET,
        ...(type === 'sqlalchemy' ? { sqlitePath: path.join(host, 'sessions.db') } : { dir: path.join(host, 'files') }),
      });
      try {
        expect(served.description).toContain('Flask-Session 0.8');
        const ex = await served.app.handle({ method: 'GET', url: '/login?user=ada' });
        const cookie = cookieOf(ex.response.headers.find(([k]) => k.toLowerCase() === 'set-cookie')?.[1] ?? null);
        const py = await python(type, where(type, inRoot), [{ path: '/dump', cookie }]);
        expect(JSON.parse(py.steps[0]!.body)).toMatchObject({ _permanent: true, username: 'ada' });
      } finally {
        await served.close();
      }
    }, 60_000);
  }
});
