// Through real HTTP: each judge's real Flask (tests/peers/flask_app.py on Werkzeug's server: Debian 12's Flask 2.2.2,
// then Debian 13's Flask 3.1.1) and the engine's Flask served by src/server/node.ts, on loopback ports with one
// SECRET_KEY. Cookies travel by hand in Cookie / Set-Cookie headers, as a browser would carry them between the two.
// Each judge's count is printed as `[live] http_interop <judge>: N checks`.
import { type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect } from 'vitest';
import { Flask } from '../../src/engine/flask/app.ts';
import { sortedSessionSerializer } from '../../src/engine/flask/sessions.ts';
import { Response } from '../../src/engine/flask/wrappers.ts';
import { Markup, PyTuple, PyUUID, PyFloat } from '../../src/engine/python/values.ts';
import { listen, type RunningServer } from '../../src/server/node.ts';
import { forEachJudge, itWithJudge, judgeMissing, spawnPython, type Judge, type JudgeId } from '../support/judges.ts';
import { followJudgePython, LiveCounts } from './live_counts.ts';
import { URLSafeTimedSerializer } from '../../src/engine/itsdangerous/url_safe.ts';

const SECRET = 'interop-secret-ключ';
const T = 1700000000;
const LIFETIME = 31 * 24 * 3600;

let flaskProc: ChildProcessWithoutNullStreams | null = null;
let flaskBase = '';
let tsServer: RunningServer | null = null;
let tsBase = '';
/** The engine app's clock: frozen at a value, or the wall clock when null. */
const clock: { t: number | null } = { t: null };

function makeTsApp(): Flask {
  const app = new Flask({ config: { SECRET_KEY: SECRET }, now: () => clock.t ?? Date.now() / 1000 });
  app.route('/set', ({ session, request }) => {
    session.set(request.args.get('key') ?? '', request.args.get('value') ?? '');
    return 'ok';
  });
  app.route('/set_typed', ({ session }) => {
    session.set('tuple', new PyTuple([1, 'two', new PyFloat(3)]));
    session.set('bytes', Uint8Array.of(0x00, 0xff, ...new TextEncoder().encode(' binary')));
    session.set('markup', new Markup('<b>bold</b>'));
    session.set('uuid', new PyUUID('12345678-1234-5678-1234-567812345678'));
    session.set('when', new Date(Date.UTC(2024, 0, 2, 3, 4, 5)));
    session.set('collide', new Map([[' t', 'not a tuple']]));
    return 'ok';
  });
  app.route('/get', ({ session, request }) => {
    const v = session.get(request.args.get('key') ?? '');
    return v === null ? '' : String(v);
  });
  app.route('/has', ({ session, request }) => (session.has(request.args.get('key') ?? '') ? 'yes' : 'no'));
  app.route('/dump', ({ session }) => sortedSessionSerializer.dumps(session.toDict()) as string);
  app.route('/clear', ({ session }) => {
    session.clear();
    return 'ok';
  });
  app.route('/permanent', ({ session, request }) => {
    session.permanent = request.args.get('on') !== '0';
    return 'ok';
  });
  app.route('/noop', () => 'ok');
  app.route('/cookies', ({ request }) => JSON.stringify([...request.cookies]));
  // Only on the engine side: two cookies in one response, to see the adapter send each Set-Cookie line.
  app.route('/two', ({ session }) => {
    session.set('two', 'yes');
    const r = new Response('ok');
    r.setCookie('theme', 'dark', { path: '/' });
    return r;
  });
  return app;
}

async function startFlask(id: JudgeId): Promise<void> {
  const script = fileURLToPath(new URL('../peers/flask_app.py', import.meta.url));
  flaskProc = spawnPython(id, [script], { SECRET_KEY: SECRET, PORT: '0' });
  let stderr = '';
  flaskProc.stderr.on('data', (d) => (stderr += String(d)));
  const lines = createInterface({ input: flaskProc.stdout });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`flask_app.py did not start in 20 s: ${stderr}`)), 20_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      const m = /^PORT (\d+)$/.exec(line);
      if (m) resolve(Number(m[1]));
      else reject(new Error(`unexpected first line from flask_app.py: ${line} ${stderr}`));
    });
    flaskProc!.once('exit', (code) => reject(new Error(`flask_app.py exited with ${code}: ${stderr}`)));
  });
  flaskBase = `http://127.0.0.1:${port}`;
}

async function stopFlask(): Promise<void> {
  if (flaskProc && flaskProc.exitCode === null) {
    const exited = new Promise<void>((r) => flaskProc!.once('exit', () => r()));
    flaskProc.stdin.end(); // flask_app.py exits when its stdin closes
    const t = setTimeout(() => flaskProc?.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(t);
  }
  flaskProc = null;
}

beforeAll(async () => {
  tsServer = await listen(makeTsApp(), 0, '127.0.0.1');
  tsBase = `http://127.0.0.1:${tsServer.port}`;
}, 30_000);

afterAll(async () => {
  await tsServer?.close();
});

/** The tally of the judge whose block runs; every request made counts as one check. */
let tally: LiveCounts | null = null;

interface Reply {
  status: number;
  body: string;
  setCookie: string[];
  vary: string | null;
}

async function get(base: string, path: string, cookie?: string | null): Promise<Reply> {
  tally?.add(base === tsBase ? 'engine requests' : 'Flask requests');
  const r = await fetch(base + path, {
    headers: cookie ? { Cookie: `session=${cookie}` } : {},
    redirect: 'manual',
    signal: AbortSignal.timeout(10_000),
  });
  return { status: r.status, body: await r.text(), setCookie: r.headers.getSetCookie(), vary: r.headers.get('vary') };
}

/** Freezes both servers' clocks at `t` (Unix seconds). */
async function freeze(t: number | null): Promise<void> {
  clock.t = t;
  const r = await fetch(`${flaskBase}/_clock${t === null ? '' : `?t=${t}`}`, { signal: AbortSignal.timeout(10_000) });
  expect(await r.text()).toBe('ok');
}

/** The session cookie's value in a Set-Cookie header. */
function valueOf(setCookie: string): string {
  const m = /^session=([^;]*)/.exec(setCookie);
  if (!m) throw new Error(`not a session cookie: ${setCookie}`);
  return m[1]!;
}

let flaskName = '';
const servers = () =>
  [
    [flaskName, flaskBase],
    ['engine', tsBase],
  ] as const;

forEachJudge((j: Judge) => {
  followJudgePython(j.id);
  beforeAll(async () => {
    tally = new LiveCounts('http_interop', j.id);
    flaskName = `Flask ${j.flask}`;
    if (judgeMissing(j.id)) return;
    await startFlask(j.id);
  }, 30_000);
  afterAll(async () => {
    await stopFlask();
    tally?.print();
  });

  itWithJudge(j.id, 'a cookie set by Flask is read by the engine, and the reverse', async () => {
    await freeze(null);
    const fromFlask = await get(flaskBase, '/set?key=user&value=alice%20%E2%98%83');
    expect(fromFlask.setCookie).toHaveLength(1);
    const c1 = valueOf(fromFlask.setCookie[0]!);
    expect(await get(tsBase, '/get?key=user', c1)).toMatchObject({ status: 200, body: 'alice ☃' });

    const fromTs = await get(tsBase, '/set?key=user&value=bob%F0%9F%98%80');
    const c2 = valueOf(fromTs.setCookie[0]!);
    expect(await get(flaskBase, '/get?key=user', c2)).toMatchObject({ status: 200, body: 'bob😀' });

    // A cookie updated on one side and read on the other keeps both keys.
    const chained = valueOf((await get(tsBase, '/set?key=b&value=2', c1)).setCookie[0]!);
    expect((await get(flaskBase, '/dump', chained)).body).toBe('{"b":"2","user":"alice \\u2603"}');
  });

  itWithJudge(j.id, 'at the same instant both servers send byte-identical Set-Cookie and Vary headers', async () => {
    await freeze(T);
    const cases: [string, string | null][] = [
      ['/set?key=a&value=1', null],
      ['/set?key=z%C3%A9&value=%F0%9F%8D%AA', null],
      ['/set_typed', null],
      ['/permanent?on=1', null],
      ['/permanent?on=0', null],
      ['/clear', null],
    ];
    const start = valueOf((await get(flaskBase, '/set?key=start&value=1')).setCookie[0]!);
    for (const [path] of [...cases]) cases.push([path, start]);
    for (const [path, cookie] of cases) {
      const [py, ts] = [await get(flaskBase, path, cookie), await get(tsBase, path, cookie)];
      expect(ts.status, path).toBe(py.status);
      expect(ts.setCookie, path).toEqual(py.setCookie);
      expect(ts.vary, path).toBe(py.vary);
      expect(py.setCookie.length, path).toBe(1);
    }
    // The typed session reads back identically on both, from either side's cookie.
    const typed = valueOf((await get(flaskBase, '/set_typed')).setCookie[0]!);
    const dump = (await get(flaskBase, '/dump', typed)).body;
    expect(dump).toBe(
      '{"bytes":{" b":"AP8gYmluYXJ5"},"collide":{" di":{" t__":"not a tuple"}},"markup":{" m":"<b>bold</b>"},' +
        '"tuple":{" t":[1,"two",3.0]},"uuid":{" u":"12345678123456781234567812345678"},"when":{" d":"Tue, 02 Jan 2024 03:04:05 GMT"}}',
    );
    expect((await get(tsBase, '/dump', typed)).body).toBe(dump);
  });

  itWithJudge(j.id, "a permanent session's Expires is now + 31 days on both, and a refresh re-sends it", async () => {
    await freeze(T);
    for (const [name, base] of servers()) {
      const r = await get(base, '/permanent?on=1');
      expect(r.setCookie[0], name).toMatch(/^session=eyJfcGVybWFuZW50Ijp0cnVlfQ\.ZVPxAA\.[\w-]+; Expires=Fri, 15 Dec 2023 22:13:20 GMT; HttpOnly; Path=\/$/);
      expect(Date.parse(/Expires=([^;]+)/.exec(r.setCookie[0]!)![1]!) / 1000).toBe(T + LIFETIME);
      expect(r.vary, name).toBe('Cookie');
    }
    // SESSION_REFRESH_EACH_REQUEST: an untouched permanent session is re-signed with a new timestamp and expiry.
    const cookie = valueOf((await get(flaskBase, '/permanent?on=1')).setCookie[0]!);
    await freeze(T + 3600);
    const [py, ts] = [await get(flaskBase, '/noop', cookie), await get(tsBase, '/noop', cookie)];
    expect(py.setCookie).toHaveLength(1);
    expect(py.setCookie[0]).toContain('Expires=Fri, 15 Dec 2023 23:13:20 GMT');
    expect(ts.setCookie).toEqual(py.setCookie);
    expect(ts.vary).toBe(py.vary);
    expect(py.vary).toBe('Cookie');
    // A browser-session cookie that nobody touches: no Set-Cookie and no Vary on either.
    const plain = valueOf((await get(flaskBase, '/set?key=a&value=1')).setCookie[0]!);
    for (const [name, base] of servers()) {
      expect(await get(base, '/noop', plain), name).toMatchObject({ setCookie: [], vary: null });
    }
  });

  itWithJudge(j.id, 'clearing a session sends the same deletion header on both', async () => {
    await freeze(T);
    const cookie = valueOf((await get(tsBase, '/set?key=a&value=1')).setCookie[0]!);
    for (const c of [cookie, null]) {
      const [py, ts] = [await get(flaskBase, '/clear', c), await get(tsBase, '/clear', c)];
      expect(py.setCookie).toEqual(['session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Path=/']);
      expect(ts.setCookie).toEqual(py.setCookie);
      expect([py.vary, ts.vary]).toEqual(['Cookie', 'Cookie']);
    }
  });

  itWithJudge(j.id, 'Vary on a membership test: Flask 2.2 leaves it out; Flask 3.1 (Debian\'s 3.1.1) and the engine (3.1.3 semantics) add it', async () => {
    await freeze(T);
    const cookie = valueOf((await get(flaskBase, '/set?key=a&value=1')).setCookie[0]!);
    const py = await get(flaskBase, '/has?key=a', cookie);
    const ts = await get(tsBase, '/has?key=a', cookie);
    expect([py.body, ts.body]).toEqual(['yes', 'yes']);
    // Flask 2.2 marks `accessed` only on get/[]/setdefault and writes; 3.1.3 (and Debian's 3.1.1, which carries
    // the change) on any use of `session`: a known version difference, asserted on each side.
    expect(py.vary).toBe(j.id === 'flask-2.2' ? null : 'Cookie');
    expect(ts.vary).toBe('Cookie');
    expect([py.setCookie, ts.setCookie]).toEqual([[], []]);
    // A plain read marks the session accessed in both versions.
    expect((await get(flaskBase, '/get?key=a', cookie)).vary).toBe('Cookie');
    expect((await get(tsBase, '/get?key=a', cookie)).vary).toBe('Cookie');
  });

  itWithJudge(j.id, 'tampered, expired and future cookies give a fresh session on both; a bad payload is a 500 on both', async () => {
    await freeze(T);
    const good = valueOf((await get(flaskBase, '/set?key=a&value=1')).setCookie[0]!);
    const tampered = good.slice(0, -1) + (good.endsWith('A') ? 'B' : 'A');
    for (const [name, base] of servers()) {
      expect((await get(base, '/get?key=a', good)).body, name).toBe('1');
      expect((await get(base, '/get?key=a', tampered)).body, name).toBe('');
    }
    await freeze(T + LIFETIME);
    for (const [, base] of servers()) expect((await get(base, '/get?key=a', good)).body).toBe('1');
    await freeze(T + LIFETIME + 1);
    for (const [, base] of servers()) expect((await get(base, '/get?key=a', good)).body).toBe('');
    await freeze(T - 1);
    for (const [, base] of servers()) expect((await get(base, '/get?key=a', good)).body).toBe('');

    // Validly signed, not JSON: Flask does not catch BadPayload, so the request fails.
    await freeze(T);
    const s = new URLSafeTimedSerializer(SECRET, {
      salt: 'cookie-session',
      serializer: { dumps: () => '{}1', loads: () => null },
      signerKwargs: { keyDerivation: 'hmac', digestMethod: 'sha1', now: () => T },
    });
    const badPayload = s.dumps(null);
    for (const [name, base] of servers()) {
      const r = await get(base, '/get?key=a', badPayload);
      expect(r.status, name).toBe(500);
      expect(r.setCookie, name).toEqual([]);
    }
  });

  itWithJudge(j.id, 'raw Cookie headers (spaces, quotes, escapes, repeats) are read alike by both servers', async () => {
    const headers = [
      'theme=dark mode; lang=zh-CN',
      'note=say "hi"; x=1',
      'q="a\\073b\\303\\251"; bad=a b; ok=x',
      'session=A; session=B',
      'a = 1 ; flag; b=2',
      'x="unterminated; y=3',
      'x="a\\"b"; y="\\\\"',
      'a=b=c; d==e; ;; =4',
    ];
    for (const h of headers) {
      const read = async (base: string) => {
        tally?.add(base === tsBase ? 'engine requests' : 'Flask requests');
        const r = await fetch(`${base}/cookies`, { headers: { Cookie: h }, signal: AbortSignal.timeout(10_000) });
        return JSON.parse(await r.text()) as [string, string][];
      };
      const [py, ts] = [await read(flaskBase), await read(tsBase)];
      expect(ts, h).toEqual(py);
    }
    // The value with a space is there on both (the engine used to drop it).
    const r = await fetch(`${flaskBase}/cookies`, { headers: { Cookie: 'theme=dark mode' }, signal: AbortSignal.timeout(10_000) });
    expect(JSON.parse(await r.text())).toEqual([['theme', 'dark mode']]);
  });

  itWithJudge(j.id, 'the node adapter sends every Set-Cookie as its own header line', async () => {
    await freeze(T);
    const r = await get(tsBase, '/two');
    expect(r.setCookie).toHaveLength(2);
    expect(r.setCookie[0]).toBe('theme=dark; Path=/');
    expect(r.setCookie[1]).toMatch(/^session=[\w.-]+; HttpOnly; Path=\/$/);
    expect((await get(flaskBase, '/get?key=two', valueOf(r.setCookie[1]!))).body).toBe('yes');
    expect((await get(tsBase, '/missing')).status).toBe(404);
  });
});
