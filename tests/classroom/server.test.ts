// The class server in this process (port 0, a fresh SQLite file per test): what it accepts and stores, what it
// refuses and how it says so, that nothing a student sent comes back unescaped, and that a claimed pass is
// overruled by the re-run on the server (a fake runner here; the real Pyodide runtime in the last test).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { csvField, fromThisMachine, publicHost, startClassServer, type RunningClassServer } from '../../src/classroom/server.ts';
import { classLinkFrom, LINK_STRINGS, NAME_KEY, outcomeText, rememberClassLink, submitCheck, submitLab } from '../../src/classroom/server-link.ts';
import { MAX_BODY_BYTES } from '../../src/classroom/server-submission.ts';
import { LEARNER_KEY_KEY } from '../../src/classroom/storage-keys.ts';
import { dashboardLang } from '../../src/classroom/server-dashboard.ts';
import { main as classroomCommand } from '../../src/cli/classroom.ts';
import { itWithArchive } from '../support/runtime.ts';
import { classLabSeed, learnerLabSeed } from '../../src/labs/random.ts';
import { RuntimeLoadError } from '../../src/exercises/runtime/node.ts';
import { EXERCISE, MARKUP_MESSAGE, eventsNamed, fakeRunner, openEvents, post, readEvents, submission } from './server-support.ts';

const running: RunningClassServer[] = [];
const dirs: string[] = [];

async function start(options: Partial<Parameters<typeof startClassServer>[0]> = {}): Promise<RunningClassServer & { submitUrl: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'class-server-'));
  dirs.push(dir);
  const s = await startClassServer({ db: join(dir, 'class.db'), port: 0, root: join(dir, 'no-site'), recheck: false, ...options });
  running.push(s);
  return Object.assign(s, { submitUrl: `${s.classUrl}submit` });
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('class server', () => {
  it('stores a submission in one go, answers 201, and the event stream and the state carry it', async () => {
    const s = await start();
    const stream = await openEvents(`${s.url}class/api/events`);
    // The stream's first event is the whole state; once it is in, the stream is registered for what follows.
    expect(eventsNamed(await stream.waitFor((text) => eventsNamed(text, 'state').length === 1), 'state')).toEqual([{ seq: 0, recheck: { mode: 'off', down: null }, rows: [] }]);
    const res = await post(s.submitUrl, submission(s.cls.token, 'learner-0001', 'Zhang Wei 张伟'));
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ ok: true, entries: 1 });
    const entry = eventsNamed(await stream.waitFor((text) => eventsNamed(text, 'entry').length >= 1), 'entry')[0] as Record<string, unknown>;
    stream.close();
    expect(entry).toMatchObject({ learner: 'learner-0001', name: 'Zhang Wei 张伟', task: EXERCISE, claimed: 'pass', recheck: null });
    expect(entry).not.toHaveProperty('code');
    const state = (await (await fetch(`${s.url}class/api/state`)).json()) as { rows: unknown[] };
    expect(state.rows).toEqual([entry]);
    expect(s.store.counts()).toEqual({ submissions: 1, entries: 1 });
  });

  it('the student link is a class code naming this server and its token, which the page accepts on this origin only', async () => {
    const s = await start();
    const origin = new URL(s.url).origin;
    const hash = new URL(s.links.en).hash;
    expect(new URL(s.links.en).pathname).toBe('/exercises/');
    expect(new URL(s.links.zh).pathname).toBe('/zh-cn/exercises/');
    expect(classLinkFrom(hash, origin)).toEqual({ server: s.classUrl, token: s.cls.token });
    expect(classLinkFrom(hash, 'http://127.0.0.1:1')).toBeNull();
    expect(classLinkFrom('#class=not-json', origin)).toBeNull();
    // The student side's own reader of class codes accepts it and finds the same assignment.
    const { classCodeFromHash, parseClassCode } = await import('../../src/classroom/class-code.ts');
    expect(parseClassCode(classCodeFromHash(hash)!)).toMatchObject({ v: 1, name: s.cls.name, exercises: s.cls.exercises, labs: s.cls.labs, due: null, server: s.classUrl, token: s.cls.token });
    // A new class is given every exercise and every lab; the dashboard names the labs by their catalog titles.
    const { LAB_CATALOG } = await import('../../src/labs/catalog.ts');
    expect(s.cls.labs).toEqual(expect.arrayContaining([...LAB_CATALOG.map((l) => l.slug), 'vary-cookie', 'load-balancer', 'pickle-store']));
    const zh = await (await fetch(`${s.url}?lang=zh-CN`)).text();
    expect(zh).toContain(`实验：${LAB_CATALOG[0]!.title['zh-CN']}`);
  });

  it('a page opened from the student link registers once under the saved name and submits what the panel and the labs hand it; other pages send nothing', async () => {
    const s = await start();
    const memory = (): Storage => {
      const m = new Map<string, string>();
      return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, String(v)), removeItem: (k: string) => void m.delete(k), clear: () => m.clear(), key: () => null, length: 0 } as Storage;
    };
    const tab = { sessionStorage: memory(), localStorage: memory() };
    vi.stubGlobal('window', tab);
    vi.stubGlobal('document', Object.assign(new EventTarget(), { documentElement: { lang: 'zh-CN' } }));
    try {
      vi.stubGlobal('location', new URL(s.links.zh));
      expect(rememberClassLink()).toEqual({ server: s.classUrl, token: s.cls.token });
      // Another page of the same tab, without the fragment: the tab remembers the link.
      vi.stubGlobal('location', new URL(`${s.url}zh-cn/lessons/cookies/`));
      const failing = { id: EXERCISE, version: 1, lang: 'zh-CN', result: { version: 3, status: 'fail', message: null, tests: [] }, code: 'print(1)', hintsUsed: 1, solutionShown: false };
      // Without a name (the assignment's name form asks it), nothing is sent and nothing asked in a dialog.
      expect(await submitCheck(failing)).toEqual({ sent: false, reason: 'no-name' });
      tab.localStorage.setItem(NAME_KEY, '  Mei 美  ');
      expect(await submitCheck(failing)).toMatchObject({ sent: true, status: 201 });
      // The first submission registered the learner: the key is kept, and the next one carries it.
      const kept = JSON.parse(tab.localStorage.getItem(LEARNER_KEY_KEY)!) as { learner: string; key: string };
      expect(s.store.learnerKey(s.cls.id, kept.learner)).toBe(kept.key);
      const lab = await submitLab({ slug: 'weak-secret', seed: learnerLabSeed(kept.key, 'weak-secret'), mode: 'vulnerable', log: [], claimedSolved: true, firstSolvedAt: null });
      expect(lab).toMatchObject({ sent: true, status: 201 });
      expect(s.store.latest().map((r) => [r.learner, r.name, r.lang, r.kind, r.task, r.claimed, r.hintsUsed])).toEqual([
        [kept.learner, 'Mei 美', 'zh-CN', 'exercise', EXERCISE, 'fail', 1],
        [kept.learner, 'Mei 美', 'zh-CN', 'lab', 'weak-secret', 'solved', 0],
      ]);
      // A name the server refuses is forgotten, so the name form asks again; the page says why, in its language.
      tab.localStorage.setItem(NAME_KEY, '<i>Mei</i>');
      const refused = await submitCheck({ id: EXERCISE, version: 1, lang: 'zh-CN', result: {}, code: '', hintsUsed: 0, solutionShown: false });
      expect(refused).toMatchObject({ sent: true, status: 400, body: { error: 'markup-in-name' } });
      expect(tab.localStorage.getItem(NAME_KEY)).toBeNull();
      expect(outcomeText('zh-CN', { status: 400, code: 'markup-in-name' })).toBe(LINK_STRINGS['zh-CN'].badName);
      expect(outcomeText('en', { status: 403, code: 'wrong-token' })).toBe(LINK_STRINGS.en.badLink);
      expect(outcomeText('en', { status: 201, code: null })).toBe(LINK_STRINGS.en.sent);
      // A new tab with no class link, or a link naming another server: nothing is sent.
      vi.stubGlobal('window', { ...tab, sessionStorage: memory() });
      expect(await submitCheck({ id: EXERCISE, version: 1, lang: 'en', result: {}, code: '', hintsUsed: 0, solutionShown: false })).toEqual({ sent: false, reason: 'no-class' });
      // The class link opened on another origin (a copy of the site elsewhere) names a server that is not its own.
      vi.stubGlobal('location', new URL(`http://localhost:1/exercises/${new URL(s.links.en).hash}`));
      expect(rememberClassLink()).toBeNull();
      expect(await submitCheck({ id: EXERCISE, version: 1, lang: 'en', result: {}, code: '', hintsUsed: 0, solutionShown: false })).toEqual({ sent: false, reason: 'no-class' });
      expect(s.store.counts().submissions).toBe(2);
      expect(outcomeText('en', { status: 403, code: 'wrong-key' })).toBe(LINK_STRINGS.en.keyReset);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('refuses bad input with a status and a JSON error that says what is wrong, and stores none of it', async () => {
    const s = await start();
    const good = submission(s.cls.token, 'learner-0001', 'Ann');
    const cases: { what: string; send: () => Promise<Response>; status: number; error: string }[] = [
      { what: 'malformed JSON', send: () => post(s.submitUrl, '{"format": "flasklab-submission",'), status: 400, error: 'malformed-json' },
      { what: 'not JSON at all', send: () => post(s.submitUrl, 'name=Ann', { 'Content-Type': 'application/x-www-form-urlencoded' }), status: 415, error: 'not-json' },
      { what: 'a JSON array', send: () => post(s.submitUrl, '[]'), status: 400, error: 'not-an-object' },
      { what: 'unknown class', send: () => post(`${s.url}class/nosuchclass/submit`, good), status: 404, error: 'unknown-class' },
      { what: 'wrong token', send: () => post(s.submitUrl, { ...good, token: 'not-the-token' }), status: 403, error: 'wrong-token' },
      { what: 'no token', send: () => post(s.submitUrl, { ...good, token: undefined }), status: 403, error: 'no-token' },
      { what: 'script in a name', send: () => post(s.submitUrl, { ...good, name: '<script>alert(1)</script>' }), status: 400, error: 'markup-in-name' },
      { what: 'an empty name', send: () => post(s.submitUrl, { ...good, name: '   ' }), status: 400, error: 'bad-name' },
      { what: 'a line break in a name', send: () => post(s.submitUrl, { ...good, name: 'Ann\nBob' }), status: 400, error: 'bad-name' },
      { what: 'an unknown exercise', send: () => post(s.submitUrl, { ...good, exercises: { '99-nothing': { version: 1, result: {}, code: '' } } }), status: 400, error: 'unknown-exercise' },
      { what: 'nothing to submit', send: () => post(s.submitUrl, { ...good, exercises: {} }), status: 400, error: 'nothing-to-submit' },
      { what: 'GET on the submit address', send: () => fetch(s.submitUrl), status: 405, error: 'method' },
    ];
    for (const c of cases) {
      const res = await c.send();
      expect(res.status, c.what).toBe(c.status);
      expect(res.headers.get('content-type'), c.what).toMatch(/^application\/json/);
      const body = (await res.json()) as { error: string; message: string };
      expect(body.error, c.what).toBe(c.error);
      expect(body.message.length, c.what).toBeGreaterThan(10);
    }
    expect(s.store.counts()).toEqual({ submissions: 0, entries: 0 });
  });

  it('refuses an oversize body with 413, whether it declares its length or streams it', async () => {
    const s = await start();
    const big = JSON.stringify(submission(s.cls.token, 'learner-0001', 'Ann', 'x'.repeat(MAX_BODY_BYTES)));
    const declared = await post(s.submitUrl, big);
    expect(declared.status).toBe(413);
    expect(await declared.json()).toMatchObject({ error: 'too-large' });
    // Chunked, without a Content-Length: the server counts as it reads and stops at the limit.
    const url = new URL(s.submitUrl);
    const streamed = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      for (let i = 0; i < big.length; i += 64 * 1024) req.write(big.slice(i, i + 64 * 1024));
      req.end();
    });
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.body)).toMatchObject({ error: 'too-large' });
    expect(s.store.counts().submissions).toBe(0);
  });

  it('never sends a student string unescaped: names, and re-check messages made of markup, reach pages and events as text', async () => {
    const runner = fakeRunner();
    const s = await start({ recheck: runner });
    const name = `O'Brien "&amp; &lt;img src=x onerror=alert(1)&gt;"`;
    const res = await post(s.submitUrl, submission(s.cls.token, 'learner-0001', name));
    expect(res.status).toBe(201);
    await s.rechecker!.idle();
    const bodies: [string, string][] = [];
    for (const path of ['', '?lang=zh-CN', 'class/api/state', 'class/dashboard.js']) bodies.push([path, await (await fetch(`${s.url}${path}`)).text()]);
    bodies.push(['events', await readEvents(`${s.url}class/api/events`, (text) => eventsNamed(text, 'state').length === 1)]);
    const state = JSON.parse(bodies[2]![1]) as { rows: { name: string; recheck: string; recheckDetail: string }[] };
    // The strings come back exactly (the escaping loses nothing)…
    expect(state.rows[0]).toMatchObject({ name, recheck: 'error', recheckDetail: MARKUP_MESSAGE });
    // …yet no served text holds a tag a student's string made.
    for (const [path, body] of bodies) {
      expect(body, path).not.toContain('<img');
      expect(body, path).not.toContain('<script>alert');
      expect(body, path).not.toContain('</script><script>');
    }
    expect(bodies[4]![1]).toContain('\\u003cimg src=x onerror=alert(1)\\u003e');
  });

  it('overrules a claimed pass with the re-run, and a restart on the same database keeps the class, its token and every entry', async () => {
    const runner = fakeRunner();
    const s = await start({ recheck: runner });
    expect((await post(s.submitUrl, submission(s.cls.token, 'learner-0001', 'Ann', 'print("forged")'))).status).toBe(201);
    expect((await post(s.submitUrl, submission(s.cls.token, 'learner-0002', 'Bo', '# SOLVED'))).status).toBe(201);
    await s.rechecker!.idle();
    // A student who checks three times while the server is still re-running the first: the second is skipped,
    // only the first (already running) and the latest are run. The runner is held until all three are stored.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const check = runner.check;
    runner.check = async (req) => {
      await held;
      return check(req);
    };
    const calls = runner.calls;
    for (const n of [1, 2, 3]) expect((await post(s.submitUrl, submission(s.cls.token, 'learner-0003', 'Cy', `# attempt ${n}${n === 3 ? ' # SOLVED' : ''}`))).status).toBe(201);
    release();
    await s.rechecker!.idle();
    expect(runner.calls - calls).toBe(2);
    expect(s.store.latest().find((r) => r.name === 'Cy')).toMatchObject({ recheck: 'pass', tries: 3 });
    expect(s.store.pending()).toEqual([]);
    const rows = s.store.latest().filter((r) => r.name !== 'Cy');
    expect(rows.map((r) => [r.name, r.claimed, r.recheck])).toEqual([
      ['Ann', 'pass', 'error'],
      ['Bo', 'pass', 'pass'],
    ]);
    const before = { cls: s.cls, rows };
    await s.close();
    running.splice(running.indexOf(s), 1);
    const again = await startClassServer({ db: s.store.path, port: 0, root: join(dirs[0]!, 'no-site'), recheck: fakeRunner() });
    running.push(again);
    expect(again.cls).toMatchObject({ id: before.cls.id, token: before.cls.token });
    expect(again.store.latest().filter((r) => r.name !== 'Cy')).toEqual(before.rows);
    expect((await post(`${again.classUrl}submit`, submission(before.cls.token, 'learner-0004', 'Di'))).status).toBe(201);
  });

  it('an entry stored but not yet re-checked when the server stopped is re-checked after the restart', async () => {
    const stuck = fakeRunner();
    stuck.check = () => new Promise(() => undefined); // never answers: the server stops mid re-check
    const s = await start({ recheck: stuck });
    expect((await post(s.submitUrl, submission(s.cls.token, 'learner-0001', 'Ann', 'print("forged")'))).status).toBe(201);
    expect(s.store.pending().length).toBe(1);
    await s.close();
    running.splice(running.indexOf(s), 1);
    const runner = fakeRunner();
    const again = await startClassServer({ db: s.store.path, port: 0, root: join(dirs[0]!, 'no-site'), recheck: runner });
    running.push(again);
    await again.rechecker!.idle();
    expect(runner.calls).toBe(1);
    expect(again.store.latest().map((r) => [r.name, r.claimed, r.recheck])).toEqual([['Ann', 'pass', 'error']]);
  });

  it('without the exercise runtime, the dashboard is told why nothing is re-checked, and the entries wait for the next start', async () => {
    const missing = fakeRunner();
    missing.ready = () => Promise.reject(new RuntimeLoadError({ code: 'archive-missing', detail: 'archive.json does not exist', howto: 'npm run runtime:archive' }));
    const s = await start({ recheck: missing });
    const stream = await openEvents(`${s.url}class/api/events`);
    await stream.waitFor((text) => eventsNamed(text, 'state').length === 1);
    expect((await post(s.submitUrl, submission(s.cls.token, 'learner-0001', 'Ann'))).status).toBe(201);
    const told = eventsNamed(await stream.waitFor((text) => eventsNamed(text, 'recheck').length === 1), 'recheck')[0] as { down: string };
    stream.close();
    expect(told.down).toContain('npm run runtime:archive');
    expect(s.store.pending().length).toBe(1);
  });

  it('replays a lab from its seed, mode and log with the labs\' replayLab; a claimed "solved" the replay does not reach is flagged', async () => {
    const replays: unknown[][] = [];
    const replayLab = (slug: string, seed: string, mode: string, log: unknown[]) => {
      replays.push([slug, seed, mode, log]);
      return { solved: log.length === 2, solvedAt: log.length === 2 ? 1 : null };
    };
    const s = await start({ recheck: fakeRunner(), replayLab });
    const seed = (name: string) => classLabSeed(s.cls, name, 'weak-secret');
    const lab = (log: unknown[], own: string) => ({ exercises: undefined, labs: { 'weak-secret': { seed: own, mode: 'vulnerable', log, claimedSolved: true, firstSolvedAt: null } } });
    expect((await post(s.submitUrl, submission(s.cls.token, 'learner-0001', 'Ann', '', lab([{ type: 'request' }], seed('Ann'))))).status).toBe(201);
    expect((await post(s.submitUrl, submission(s.cls.token, 'learner-0002', 'Bo', '', lab([{ type: 'request' }, { type: 'victim' }], seed('Bo'))))).status).toBe(201);
    // Cy sends Bo's solving entry (Bo's seed): it is not replayed and never counts.
    expect((await post(s.submitUrl, submission(s.cls.token, 'learner-0003', 'Cy', '', lab([{ type: 'request' }, { type: 'victim' }], seed('Bo'))))).status).toBe(201);
    await s.rechecker!.idle();
    expect(replays).toEqual([
      ['weak-secret', seed('Ann'), 'vulnerable', [{ type: 'request' }]],
      ['weak-secret', seed('Bo'), 'vulnerable', [{ type: 'request' }, { type: 'victim' }]],
    ]);
    expect(s.store.latest().map((r) => [r.name, r.kind, r.claimed, r.recheck, r.recheckDetail])).toEqual([
      ['Ann', 'lab', 'solved', 'unsolved', null],
      ['Bo', 'lab', 'solved', 'solved', 'solved at action 2 of the log'],
      ['Cy', 'lab', 'solved', 'wrong-seed', null],
    ]);
  });

  it('a registered learner gets a key of their own: their labs count under its seed only, and their submissions need it', async () => {
    const replayLab = (_slug: string, _seed: string, _mode: string, log: unknown[]) => ({ solved: log.length === 2, solvedAt: log.length === 2 ? 1 : null });
    const s = await start({ recheck: fakeRunner(), replayLab });
    const registerUrl = `${s.classUrl}register`;
    const reg = (learner: string, name: string, token = s.cls.token) => post(registerUrl, { format: 'flasklab-register', formatVersion: 1, token, learner, name });
    const answer = await reg('learner-ann1', 'Ann');
    expect(answer.status).toBe(201);
    const { key } = (await answer.json()) as { key: string };
    expect(key).toMatch(/^[A-Za-z0-9_-]{32}$/);
    // Asked again for the same id, the key is not handed out twice; a wrong token or a name with markup is refused.
    expect(await (await reg('learner-ann1', 'Ann')).json()).toMatchObject({ error: 'learner-taken' });
    expect((await reg('learner-bo01', 'Bo', 'not-the-token')).status).toBe(403);
    expect(await (await reg('learner-bo01', '<b>Bo</b>')).json()).toMatchObject({ error: 'markup-in-name' });
    const solving = [{ type: 'request' }, { type: 'victim' }];
    const lab = (seed: string) => ({ exercises: undefined, labs: { 'weak-secret': { seed, mode: 'vulnerable', log: solving, claimedSolved: true, firstSolvedAt: null } } });
    const own = learnerLabSeed(key, 'weak-secret');
    // Ann's submissions carry her key; without it, or with another, they are refused (nobody can send in her name).
    expect((await post(s.submitUrl, { ...submission(s.cls.token, 'learner-ann1', 'Ann', '', lab(own)), key })).status).toBe(201);
    expect(await (await post(s.submitUrl, submission(s.cls.token, 'learner-ann1', 'Ann', '', lab(own)))).json()).toMatchObject({ error: 'wrong-key' });
    expect((await post(s.submitUrl, { ...submission(s.cls.token, 'learner-ann1', 'Ann', '', lab(own)), key: 'x'.repeat(32) })).status).toBe(403);
    // Bo (not registered) sends Ann's entry; and Ann's seed as her name alone would give it does not count for her either.
    expect((await post(s.submitUrl, submission(s.cls.token, 'learner-bo01', 'Bo', '', lab(own)))).status).toBe(201);
    const registered = s.store.counts().entries;
    expect((await post(s.submitUrl, { ...submission(s.cls.token, 'learner-ann1', 'Ann', '', { exercises: undefined, labs: { 'vary-cookie': { seed: classLabSeed(s.cls, 'Ann', 'vary-cookie'), mode: 'vulnerable', log: solving, claimedSolved: true } } }), key })).status).toBe(201);
    await s.rechecker!.idle();
    expect(s.store.counts().entries).toBe(registered + 1);
    expect(s.store.latest().map((r) => [r.name, r.task, r.recheck])).toEqual([
      ['Ann', 'weak-secret', 'solved'],
      ['Bo', 'weak-secret', 'wrong-seed'],
      ['Ann', 'vary-cookie', 'wrong-seed'],
    ]);
  });

  it('another machine (a projector) opens the dashboard with the teacher token only, never with the class token', async () => {
    const s = await start({ isThisMachine: () => false });
    expect(s.cls.teacherToken).not.toBe(s.cls.token);
    const state = `${s.url}class/api/state`;
    expect((await fetch(state)).status).toBe(403);
    expect(await (await fetch(s.url)).text()).not.toContain('dashboard-data');
    expect((await fetch(`${s.url}?teacher=${s.cls.token}`, { redirect: 'manual' })).status).toBe(403);
    const given = await fetch(`${s.url}?teacher=${s.cls.teacherToken}&lang=zh-CN`, { redirect: 'manual' });
    expect(given.status).toBe(303);
    expect(given.headers.get('location')).toBe('/?lang=zh-CN');
    const cookie = given.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const jar = { Cookie: cookie.split(';')[0]! };
    expect((await fetch(state, { headers: jar })).status).toBe(200);
    const page = await fetch(`${s.url}?lang=zh-CN`, { headers: jar });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('课堂面板');
    expect((await fetch(state, { headers: { Cookie: `class-teacher=${s.cls.token}` } })).status).toBe(403);
  });

  it('a file that is not a SQLite database is refused with its path and the reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'class-server-'));
    dirs.push(dir);
    const file = join(dir, 'notes.db');
    writeFileSync(file, 'these are my lesson notes, not a database '.repeat(50));
    await expect(startClassServer({ db: file, port: 0, root: dir, recheck: false })).rejects.toThrow(`cannot use ${file} as the class database: file is not a database`);
  });

  it('the command refuses a bad port, a bad date and an unknown option with a sentence, and exits 2', async () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await classroomCommand(['--port', 'eighty'])).toBe(2);
      expect(await classroomCommand(['--due', '1 March'])).toBe(2);
      expect(await classroomCommand(['--colour', 'red'])).toBe(2);
      const said = err.mock.calls.map((c) => String(c[0])).join('');
      expect(said).toContain("--port must be a port number from 0 to 65535, not 'eighty'");
      expect(said).toContain("--due must be a date as YYYY-MM-DD, not '1 March'");
      expect(said).toContain("Unknown option '--colour'");
    } finally {
      err.mockRestore();
    }
  });

  it('replays a lab with the labs\' own code: a claimed "solved" with an empty log is not solved', async () => {
    const s = await start({ recheck: fakeRunner() });
    // One lab of the framework (src/labs/runtime.ts) and one that runs on simulated infrastructure.
    const labs = { 'weak-secret': { seed: classLabSeed(s.cls, 'Ann', 'weak-secret'), mode: 'vulnerable', log: [], claimedSolved: true, firstSolvedAt: null }, 'vary-cookie': { seed: classLabSeed(s.cls, 'Ann', 'vary-cookie'), mode: 'vulnerable', log: [], claimedSolved: true, firstSolvedAt: null } };
    expect((await post(s.submitUrl, submission(s.cls.token, 'learner-0001', 'Ann', '', { exercises: undefined, labs }))).status).toBe(201);
    await s.rechecker!.idle();
    expect(s.store.latest().map((r) => [r.kind, r.task, r.claimed, r.recheck])).toEqual([
      ['lab', 'weak-secret', 'solved', 'unsolved'],
      ['lab', 'vary-cookie', 'solved', 'unsolved'],
    ]);
  });

  it('student links name an address students can reach; the dashboard answers this machine only', () => {
    expect(publicHost('192.168.1.20')).toBe('192.168.1.20');
    expect(publicHost('::1')).toBe('[::1]');
    expect(publicHost('0.0.0.0')).not.toBe('0.0.0.0');
    const from = (remoteAddress: string, localAddress: string) => ({ socket: { remoteAddress, localAddress } }) as unknown as Parameters<typeof fromThisMachine>[0];
    expect(fromThisMachine(from('127.0.0.1', '127.0.0.1'))).toBe(true);
    expect(fromThisMachine(from('::ffff:127.0.0.1', '::ffff:127.0.0.1'))).toBe(true);
    expect(fromThisMachine(from('192.168.1.20', '192.168.1.20'))).toBe(true);
    expect(fromThisMachine(from('192.168.1.31', '192.168.1.20'))).toBe(false);
  });

  it('exports the table as CSV, where a name a spreadsheet would run as a formula stays text', async () => {
    const s = await start({ recheck: fakeRunner() });
    expect((await post(s.submitUrl, submission(s.cls.token, 'learner-0001', '=HYPERLINK("http://x","a, b")'))).status).toBe(201);
    await s.rechecker!.idle();
    const res = await fetch(`${s.url}class/api/results.csv`);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = (await res.text()).split('\r\n');
    expect(lines[0]).toBe('student,learner,kind,task,claimed,recheck,claim_differs,version,current_version,hints_used,solution_shown,results_sent,received_at');
    expect(lines[1]).toMatch(/^"'=HYPERLINK\(""http:\/\/x"",""a, b""\)",learner-0001,exercise,01-cookies-theme,pass,error,true,1,1,0,false,1,\d{4}-/);
    expect([csvField('@SUM(1)'), csvField('-1'), csvField('plain'), csvField(null), csvField(3)]).toEqual(["'@SUM(1)", "'-1", 'plain', '', '3']);
  });

  it('a real solve of lab 2 (replay after logout) is found solved by the replay; the same log claimed on the fixed app is not', async () => {
    const { LabInstance } = await import('../../src/labs/runtime.ts');
    const { setCookieValue } = await import('../labs/support.ts');
    const T0 = 1_780_000_000;
    const s = await start({ recheck: fakeRunner() });
    const seed = classLabSeed(s.cls, 'Ann', 'replay-after-logout');
    const lab = await LabInstance.create('replay-after-logout', seed, 'vulnerable');
    const [login] = await lab.victim('login', undefined, T0);
    const copied = setCookieValue(login!, 'session')!;
    await lab.victim('logout', undefined, T0 + 60);
    await lab.request({ method: 'GET', url: '/account', headers: [['Cookie', `session=${copied}`]] }, T0 + 120);
    expect(lab.solved).toBe(true);
    const entry = (mode: string) => ({ exercises: undefined, labs: { 'replay-after-logout': { seed, mode, log: JSON.parse(JSON.stringify(lab.log)), claimedSolved: true, firstSolvedAt: null } } });
    expect((await post(s.submitUrl, submission(s.cls.token, 'learner-0001', 'Ann', '', entry('vulnerable')))).status).toBe(201);
    expect((await post(s.submitUrl, submission(s.cls.token, 'learner-0002', 'Ann', '', entry('fixed')))).status).toBe(201);
    // Bo sends Ann's solving entry as his: a real log that reached the goal, but under her seed, so it does not count.
    expect((await post(s.submitUrl, submission(s.cls.token, 'learner-0003', 'Bo', '', entry('vulnerable')))).status).toBe(201);
    await s.rechecker!.idle();
    expect(s.store.latest().map((r) => [r.name, r.claimed, r.recheck])).toEqual([
      ['Ann', 'solved', 'solved'],
      ['Ann', 'solved', 'unsolved'],
      ['Bo', 'solved', 'wrong-seed'],
    ]);
  });

  it('speaks the language asked for: ?lang= first, then Accept-Language', async () => {
    expect(dashboardLang(new URLSearchParams(''), 'zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh-CN');
    expect(dashboardLang(new URLSearchParams('lang=en'), 'zh-CN')).toBe('en');
    expect(dashboardLang(new URLSearchParams(''), 'fr, en;q=0.5, zh;q=0.7')).toBe('zh-CN');
    expect(dashboardLang(new URLSearchParams(''), undefined)).toBe('en');
    const s = await start({ assignment: { name: 'Room <101> & "friends"' } });
    const zh = await (await fetch(s.url, { headers: { 'Accept-Language': 'zh-CN' } })).text();
    expect(zh).toContain('<html lang="zh-CN">');
    expect(zh).toContain('课堂面板');
    // The teacher's own class name is escaped too.
    expect(zh).toContain('Room &#60;101&#62; &#38; &#34;friends&#34;');
    const en = await fetch(`${s.url}?lang=en`, { headers: { 'Accept-Language': 'zh-CN' } });
    expect(en.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await en.text()).toContain('Class dashboard');
  });

  it('the dashboard runs less JavaScript than the budget every site page is held to (60 KB gzip, scripts/size-budget.mjs)', async () => {
    const s = await start();
    const html = await (await fetch(s.url)).text();
    const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].filter(([tag]) => !tag.includes('application/json')).map(([, body]) => body!);
    const sources = [...html.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)].map(([, src]) => src!);
    expect(sources, 'the dashboard loads its script from the server').toContain('/class/dashboard.js');
    let bytes = 0;
    for (const body of inline) bytes += gzipSync(body, { level: 9 }).length;
    for (const src of sources) {
      const res = await fetch(new URL(src, s.url));
      expect(res.status, src).toBe(200);
      bytes += gzipSync(Buffer.from(await res.arrayBuffer()), { level: 9 }).length;
    }
    expect(bytes).toBeGreaterThan(0);
    expect(bytes, `the dashboard's JavaScript, gzip -9: ${bytes} bytes`).toBeLessThanOrEqual(60 * 1024);
  });
});

describe('class server re-check on the real runtime', () => {
  itWithArchive(
    'a starter claimed as a pass is re-run and found failing; the solution passes',
    async () => {
      const dir = join('exercises', EXERCISE);
      const s = await start({ recheck: true, assignment: { exercises: [EXERCISE] } });
      expect((await post(s.submitUrl, submission(s.cls.token, 'learner-0001', 'Ann', readFileSync(join(dir, 'starter.py'), 'utf8')))).status).toBe(201);
      expect((await post(s.submitUrl, submission(s.cls.token, 'learner-0002', 'Bo', readFileSync(join(dir, 'solution.py'), 'utf8')))).status).toBe(201);
      await s.rechecker!.idle();
      expect(s.rechecker!.unavailable()).toBeNull();
      expect(s.store.latest().map((r) => [r.name, r.claimed, r.recheck])).toEqual([
        ['Ann', 'pass', 'fail'],
        ['Bo', 'pass', 'pass'],
      ]);
    },
    180_000,
  );
});
