// Labs 1 and 2 on the real Flask 3.1.1 (their Python apps, src/labs/<slug>/app.py, in Pyodide with the Flask
// archive) against their engine versions: the same logs, played into both, give the same exchanges (status, body,
// goal, every Set-Cookie, so the same keys, ids and passwords from the seed) and replayLab gives the same verdict
// (solved, solvedAt) in both modes. That is what makes the engine's replay a faithful fallback where Python cannot
// run. One Python for the file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crackWordlist } from '../../src/components/inspector/crack-loop.ts';
import { flaskSerializer } from '../../src/components/inspector/inspect.ts';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLabsHandler, LEARNER_COOKIE } from '../../src/server/labs.ts';
import { accountsFor } from '../../src/labs/accounts.ts';
import { nodeRealFlask } from '../../src/labs/python/node.ts';
import { REAL_FLASK_LABS, type RealFlask } from '../../src/labs/python/real-flask.ts';
import { loadLab } from '../../src/labs/registry.ts';
import { LabInstance, replayLab } from '../../src/labs/runtime.ts';
import type { LabAction, LabExchange, LabMode } from '../../src/labs/types.ts';
import { createRunner, type LabRunner } from '../../src/exercises/runtime/node.ts';
import { archiveMissing, itWithArchive } from '../support/runtime.ts';
import { Learner, setCookieValue } from './support.ts';

const T0 = 1_780_000_000;
const WORDLIST = new Uint8Array(readFileSync('public/wordlists/flask-secrets.txt'));

let python: (RealFlask & { runner: LabRunner }) | null = null;
beforeAll(() => {
  if (!archiveMissing()) python = nodeRealFlask();
});
afterAll(() => python?.runner.dispose());

function crack(cookie: string): string | null {
  let found: string | null = null;
  for (const p of crackWordlist(cookie, WORDLIST)) if (p.match !== null) found = p.match;
  return found;
}

/** A run of a lab, recorded on whichever runtime `lab` is: the learner's requests and the victim's actions. */
type Script = (lab: LabInstance, me: Learner) => Promise<void>;

const WEAK_SECRET: Record<string, Script> = {
  'crack and forge admin': async (lab, me) => {
    await me.get('/', T0);
    await me.get('/login', T0 + 1);
    await me.get('/admin', T0 + 2);
    const key = crack(me.cookies.get('session')!) ?? 'not-in-the-wordlist';
    me.cookies.set('session', flaskSerializer(key, () => T0 + 3).dumps(new Map([['user', 'admin']])));
    await me.get('/whoami', T0 + 4);
    await me.get('/admin', T0 + 5);
    await me.get('/logout', T0 + 6);
  },
  'a wrong key, a swapped payload, no cookie': async (lab, me) => {
    await me.get('/login', T0);
    const guest = me.cookies.get('session')!;
    me.cookies.set('session', flaskSerializer('SECRET-wrong', () => T0).dumps(new Map([['user', 'admin']])));
    await me.get('/admin', T0 + 1);
    me.cookies.set('session', [flaskSerializer('x').dumps(new Map([['user', 'admin']])).split('.')[0], ...guest.split('.').slice(1)].join('.'));
    await me.get('/admin', T0 + 2);
    me.cookies.clear();
    await me.get('/admin', T0 + 3);
    await lab.request({ method: 'POST', url: '/nowhere', headers: [] }, T0 + 4);
  },
};

const REPLAY: Record<string, Script> = {
  'copy before logout, replay after': async (lab, me) => {
    const [login] = await lab.victim('login', undefined, T0);
    const copied = setCookieValue(login!, 'session')!;
    await me.get('/account', T0 + 1);
    await lab.victim('logout', undefined, T0 + 60);
    me.cookies.set('session', copied);
    await me.get('/account', T0 + 120);
    await me.get('/logout', T0 + 121);
  },
  'wrong attempts, and dana logging in with her password from the seed': async (lab, me) => {
    const [login] = await lab.victim('login', undefined, T0);
    me.cookies.set('session', setCookieValue(login!, 'session')!);
    await me.get('/account', T0 + 1);
    me.cookies.clear();
    await me.get('/login?user=guest&password=guest', T0 + 2);
    await lab.victim('logout', undefined, T0 + 3);
    await me.get('/account', T0 + 4);
    await me.get('/login?user=dana&password=guest', T0 + 5);
    me.cookies.set('session', 'eyJ1c2VyIjoiZGFuYSJ9.aw7HrA.PWveGAytlGTaOdhEGYmBEei89n4');
    await me.get('/account', T0 + 6);
    me.cookies.clear();
    // The learner knows dana's password here: the app must take the one the engine draws from the seed.
    await me.get(`/login?user=dana&password=${accountsFor(lab.seed, 'replay-after-logout').get('dana')}`, T0 + 7);
    await me.get('/account', T0 + 8);
  },
};

/** What both runtimes must agree on in an exchange: Werkzeug's own error pages (a 404 for an unknown path) included. */
function seen(x: LabExchange): unknown {
  return { client: x.client, at: x.at, url: x.url, status: x.status, goal: x.goal, body: x.body, setCookie: x.responseHeaders.filter(([k]) => k.toLowerCase() === 'set-cookie').map(([, v]) => v), location: x.responseHeaders.find(([k]) => k === 'Location')?.[1] ?? null };
}

async function record(slug: string, seed: string, mode: LabMode, script: Script, py: RealFlask | null): Promise<LabInstance> {
  const lab = await LabInstance.create(slug, seed, mode, { python: py });
  await script(lab, new Learner(lab));
  return lab;
}

for (const [slug, scripts] of [['weak-secret', WEAK_SECRET], ['replay-after-logout', REPLAY]] as const) {
  describe(`lab ${slug} on the real Flask`, () => {
    for (const mode of ['vulnerable', 'fixed'] as const) {
      itWithArchive(`${mode}: the Python app and the engine answer the same logs alike, and replayLab agrees`, async () => {
        const verdicts: unknown[] = [];
        for (const [name, script] of Object.entries(scripts)) {
          for (const seed of ['seed-a', 'learner-7f3c']) {
            // Recorded on the engine, played into the Python app (as the class server re-checks an engine log)…
            const engine = await record(slug, seed, mode, script, null);
            expect(engine.runtime).toBe('engine');
            const onFlask = await LabInstance.create(slug, seed, mode, { python });
            expect([onFlask.runtime, onFlask.fallback]).toEqual(['flask', undefined]);
            for (const action of engine.log) await onFlask.play(action);
            expect(onFlask.exchanges.map(seen), `${name} / ${seed}`).toEqual(engine.exchanges.map(seen));
            // …and recorded on the Python app, replayed on both.
            const flaskRun = await record(slug, seed, mode, script, python);
            expect(flaskRun.runtime).toBe('flask');
            expect(flaskRun.exchanges.map(seen)).toEqual(engine.exchanges.map(seen));
            const log: LabAction[] = flaskRun.log;
            const [onEngine, replayedOnFlask] = [await replayLab(slug, seed, mode, log, { python: null }), await replayLab(slug, seed, mode, log, { python })];
            expect(onEngine).toEqual({ solved: engine.solved, solvedAt: engine.solvedAt, runtime: 'engine' });
            expect(replayedOnFlask).toEqual({ solved: engine.solved, solvedAt: engine.solvedAt, runtime: 'flask' });
            for (const l of [onFlask, flaskRun]) l.dispose();
            verdicts.push([name, seed, engine.solvedAt]);
          }
        }
        // The solving runs solve the vulnerable app only, at the request that reached the goal.
        const solving = mode === 'vulnerable' ? (slug === 'weak-secret' ? 4 : 3) : null;
        expect(verdicts).toEqual(Object.keys(scripts).flatMap((name, i) => ['seed-a', 'learner-7f3c'].map((seed) => [name, seed, i === 0 ? solving : null])));
      }, 120_000);
    }
  });
}

it('the real Flask labs offer the victim actions of their engine versions', async () => {
  expect(Object.keys(REAL_FLASK_LABS)).toEqual(['weak-secret', 'replay-after-logout']);
  for (const [slug, spec] of Object.entries(REAL_FLASK_LABS)) expect(spec.victimActions).toEqual((await loadLab(slug)).victimActions);
});

itWithArchive('over HTTP (npm start): lab 2 answers from the real Flask, solved by the replay, and the status says so', async () => {
  const labs = createLabsHandler({ python });
  const server = createServer((req, res) => labs.handle(req, res));
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const jar = `${LEARNER_COOKIE}=learner-over-http-0001`;
    const api = async (part: string, body?: unknown) =>
      (await (await fetch(`${origin}/labs/replay-after-logout/api/${part}`, body === undefined ? { headers: { Cookie: jar } } : { method: 'POST', headers: { Cookie: jar, 'Content-Type': 'application/json' }, body: JSON.stringify(body) })).json()) as { solved: boolean; runtime: string; exchanges: LabExchange[] };
    const login = await api('victim', { action: 'login' });
    expect(login.runtime).toBe('flask');
    const copied = setCookieValue(login.exchanges.find((x) => x.client === 'victim')!, 'session')!;
    await api('victim', { action: 'logout' });
    const account = await fetch(`${origin}/labs/replay-after-logout/app/account`, { headers: { Cookie: `${jar}; session=${copied}` } });
    expect([account.status, await account.text()]).toEqual([200, expect.stringMatching(/^Logged in as dana\. Private note: order #\d{6}\.\nThis session was logged out/)]);
    expect(await api('status')).toMatchObject({ solved: true, runtime: 'flask', flask: '3.1.1' });
    expect(await api('restart', {})).toMatchObject({ solved: false, runtime: 'flask' });
  } finally {
    await new Promise<void>((ok) => server.close(() => ok()));
  }
});

it('where no Python with the archive can start, the engine runs labs 1 and 2 and says why; the replay agrees', async () => {
  // A runner pointed at an archive that is not there fails before loading Pyodide, as on a machine without apt.
  const runner = createRunner({ archivePath: '/nonexistent/flask.zip' });
  const missing = nodeRealFlask(runner);
  try {
    const lab = await LabInstance.create('weak-secret', 'seed-a', 'vulnerable', { python: missing });
    expect([lab.runtime, lab.fallback]).toEqual(['engine', expect.stringMatching(/archive.*does not exist|does not exist.*\n?.*runtime:archive/s)]);
    expect(lab.snapshot()).toMatchObject({ runtime: 'engine', fallback: lab.fallback });
    expect((await lab.request({ method: 'GET', url: '/login', headers: [] }, T0)).status).toBe(302);
    expect(await replayLab('weak-secret', 'seed-a', 'vulnerable', lab.log, { python: missing })).toEqual({ solved: false, solvedAt: null, runtime: 'engine' });
  } finally {
    runner.dispose();
  }
});

itWithArchive('an instance its Python forgot (evicted, or a new Python after a crash) is made again from its requests, and answers as before', async () => {
  // A Python that forgets the instance after its 2nd and 5th answered request (counting the ones that rebuild it): the call
  // after each meets "unknown instance", once in a victim action and once in a learner request.
  let requests = 0;
  const forgetful: RealFlask = {
    source: (slug) => python!.source(slug),
    async call(request) {
      const answer = await python!.call(request);
      if (request.op === 'request' && answer.ok && [2, 5].includes(++requests)) await python!.call({ op: 'dispose', id: request.id });
      return answer;
    },
  };
  const script = REPLAY['copy before logout, replay after']!;
  const engine = await record('replay-after-logout', 'seed-a', 'vulnerable', script, null);
  const rebuilt = await record('replay-after-logout', 'seed-a', 'vulnerable', script, forgetful);
  expect(rebuilt.runtime).toBe('flask');
  expect(rebuilt.exchanges.map(seen)).toEqual(engine.exchanges.map(seen));
  expect(rebuilt.solvedAt).toBe(3);
  expect(requests).toBeGreaterThan(rebuilt.exchanges.length); // the rebuilds replayed earlier requests
});
