// The lab framework: seeded randomness, progress in (a stand-in for) localStorage, the action log's limits, and
// the HTTP side under npm start (per-learner instances, status, victim/mode/restart endpoints, clear errors).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededBytes } from '../../src/labs/random.ts';
import { parseProgress, PROGRESS_KEY, readProgress, recordRun } from '../../src/labs/progress.ts';
import { LabInstance, MAX_LOG } from '../../src/labs/runtime.ts';
import { createLabsHandler, LEARNER_COOKIE } from '../../src/server/labs.ts';
import { crackWordlist } from '../../src/components/inspector/crack-loop.ts';
import { flaskSerializer } from '../../src/components/inspector/inspect.ts';

class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem(k: string): string | null {
    return this.items.get(k) ?? null;
  }
  setItem(k: string, v: string): void {
    this.items.set(k, v);
  }
}

describe('seeded randomness', () => {
  it('is a function of seed and label only', () => {
    const a = seededBytes('s', 'x');
    const b = seededBytes('s', 'x');
    expect([...a(5), ...a(40)]).toEqual([...b(45)]);
    expect([...seededBytes('s', 'y')(8)]).not.toEqual([...seededBytes('s', 'x')(8)]);
    expect([...seededBytes('t', 'x')(8)]).not.toEqual([...seededBytes('s', 'x')(8)]);
  });
});

describe('progress', () => {
  it('makes a learner seed once, keeps the first solving run, and drops malformed entries', () => {
    const storage = new MemoryStorage();
    const first = readProgress(storage);
    expect(first.learnerSeed).toMatch(/^[0-9a-f]{32}$/);
    expect(readProgress(storage).learnerSeed).toBe(first.learnerSeed);
    const log = [{ type: 'request' as const, at: 1, method: 'GET', url: '/admin', headers: [] as [string, string][] }];
    recordRun({ slug: 'weak-secret', mode: 'vulnerable', solved: false, log: [] }, storage);
    expect(readProgress(storage).labs['weak-secret']).toEqual({ mode: 'vulnerable', solved: false, solvedAt: null, log: [] });
    recordRun({ slug: 'weak-secret', mode: 'vulnerable', solved: true, log }, storage, new Date('2026-12-01T10:00:00Z'));
    recordRun({ slug: 'weak-secret', mode: 'fixed', solved: false, log: [] }, storage);
    expect(readProgress(storage).labs['weak-secret']).toEqual({ mode: 'vulnerable', solved: true, solvedAt: '2026-12-01T10:00:00.000Z', log });
    const saved = JSON.parse(storage.getItem(PROGRESS_KEY)!);
    saved.labs.broken = { mode: 'sideways', solved: 'yes' };
    expect(Object.keys(parseProgress(JSON.stringify(saved))!.labs)).toEqual(['weak-secret']);
    expect(parseProgress('{not json')).toBeNull();
    expect(parseProgress(JSON.stringify({ format: 2, learnerSeed: 'x', labs: {} }))).toBeNull();
  });

  it('works without storage (private mode): a seed for this page, nothing written', () => {
    const refusing = { getItem: () => null, setItem: () => { throw new Error('QuotaExceededError'); } };
    expect(readProgress(refusing).learnerSeed).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('the action log', () => {
  it('refuses actions past its limit, and malformed requests, with a message', async () => {
    const lab = await LabInstance.create('weak-secret', 's', 'vulnerable');
    await expect(lab.request({ method: 'get me', url: '/', headers: [] })).rejects.toThrow(/capitals/);
    await expect(lab.request({ method: 'GET', url: '/', headers: [['a'] as never] })).rejects.toThrow(/pairs of text/);
    await expect(lab.request({ method: 'GET', url: '/', headers: [] }, 1.5)).rejects.toThrow(/whole Unix seconds/);
    for (let i = 0; i < MAX_LOG; i++) await lab.request({ method: 'GET', url: '/', headers: [] }, 1);
    await expect(lab.request({ method: 'GET', url: '/', headers: [] }, 1)).rejects.toThrow(/press Restart/);
  });
});

describe('labs over HTTP', () => {
  let server: Server;
  let origin = '';
  // The engine's apps: the framework's HTTP side is what is tested here (labs 1 and 2 over HTTP on the real Flask: real-flask.test.ts).
  const labs = createLabsHandler({ python: null });

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (labs.match((req.url ?? '/').split('?')[0]!)) labs.handle(req, res);
      else res.writeHead(404).end();
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

  it('gives each learner a cookie and an instance, solves lab 1 by curl-like requests, and resets on restart', async () => {
    const first = await fetch(`${origin}/labs/weak-secret/app/login`, { redirect: 'manual' });
    const cookies = first.headers.getSetCookie();
    const learner = /flask_lab_learner=([^;]+)/.exec(cookies.join('\n'))![1]!;
    expect(cookies.find((c) => c.startsWith(LEARNER_COOKIE))).toMatch(/Path=\/labs\/; HttpOnly; SameSite=Lax/);
    const session = /session=([^;]+); HttpOnly; Path=\/labs\/weak-secret\/app/.exec(cookies.join('\n'))![1]!;
    let key: string | null = null;
    for (const p of crackWordlist(session, new Uint8Array(readFileSync('public/wordlists/flask-secrets.txt')))) if (p.match !== null) key = p.match;
    const jar = `${LEARNER_COOKIE}=${learner}`;
    const forged = flaskSerializer(key!).dumps(new Map([['user', 'admin']]));
    const status = async (who = jar) => (await (await fetch(`${origin}/labs/weak-secret/api/status`, { headers: { Cookie: who } })).json()) as { solved: boolean; mode: string; learner: string; runtime: string };
    // Another learner's instance has another key: the same forged cookie does not open it.
    const other = await fetch(`${origin}/labs/weak-secret/app/admin`, { headers: { Cookie: `${LEARNER_COOKIE}=someone-else-1234567; session=${forged}` } });
    expect(other.status).toBe(403);
    expect((await status()).solved).toBe(false);
    const admin = await fetch(`${origin}/labs/weak-secret/app/admin`, { headers: { Cookie: `${jar}; session=${forged}` } });
    expect([admin.status, (await status()).solved]).toEqual([200, true]);
    expect((await status()).learner).toBe(learner);
    // Without a Python (as on a machine without the Flask archive) lab 1 runs on the engine, and the status says so.
    expect((await status()).runtime).toBe('engine');
    expect((await status(`${LEARNER_COOKIE}=someone-else-1234567`)).solved).toBe(false);
    const post = (part: string, body: string, type = 'application/json') => fetch(`${origin}/labs/weak-secret/api/${part}`, { method: 'POST', headers: { Cookie: jar, 'Content-Type': type }, body });
    expect((await (await post('restart', '{}')).json()).solved).toBe(false);
    expect((await (await post('mode', '{"mode":"fixed"}')).json()).mode).toBe('fixed');
    expect((await status()).mode).toBe('fixed');
  });

  it('answers bad input with a clear error', async () => {
    const post = (part: string, body: string, type = 'application/json') => fetch(`${origin}/labs/weak-secret/api/${part}`, { method: 'POST', headers: { 'Content-Type': type }, body });
    const cases: [Response, number, RegExp][] = [
      [await post('victim', '{"action":"login"}'), 400, /unknown victim action 'login'/],
      [await post('victim', 'action=login', 'application/x-www-form-urlencoded'), 415, /Content-Type: application\/json/],
      [await post('mode', '{"mode":"sideways"}'), 400, /mode must be/],
      [await post('victim', '[1]'), 400, /not a JSON object/],
      [await post('victim', 'x'.repeat(70 * 1024)), 413, /larger than/],
      [await fetch(`${origin}/labs/weak-secret/api/victim`), 405, /use POST/],
      [await fetch(`${origin}/labs/weak-secret/api/nothing`), 404, /no such lab endpoint/],
    ];
    for (const [res, code, message] of cases) {
      expect(res.status).toBe(code);
      expect(((await res.json()) as { error: string }).error).toMatch(message);
    }
    expect(labs.match('/labs/no-such-lab/app/')).toBe(false);
    expect(labs.match('/labs/weak-secret/')).toBe(false);
  });
});

describe('the Chinese strings of the panel and the catalog', () => {
  it('use the glossary’s terms, full-width punctuation and no stray spaces', async () => {
    const { LAB_STRINGS } = await import('../../src/components/labs/i18n.ts');
    const { LAB_CATALOG } = await import('../../src/labs/catalog.ts');
    const { bannedVariantsIn } = await import('../../src/i18n/glossary.ts');
    const { asciiPunctuation, straySpaces } = await import('../support/zh-text.ts');
    const zh = (v: unknown): string[] => (typeof v === 'string' ? [v] : v && typeof v === 'object' ? Object.entries(v).flatMap(([k, x]) => (k === 'en' ? [] : zh(x))) : []);
    const texts = [...zh(LAB_STRINGS['zh-CN']), ...LAB_CATALOG.flatMap((l) => zh(l))].filter((s) => /[\u4e00-\u9fff]/.test(s));
    expect(texts.length).toBeGreaterThan(60);
    const found = texts.flatMap((s) => [...bannedVariantsIn(s).map(([v, use]) => `${s}: ${v} → ${use}`), ...straySpaces(s).map((f) => f.context), ...asciiPunctuation(s).map((f) => f.context)]);
    expect(found).toEqual([]);
  });
});
