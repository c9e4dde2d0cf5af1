// The pickle lab against the real Flask-Session 0.3.2 (Debian 12) and 0.8.0 (Debian 13): the lab's payloads are
// planted in each one's store with os.system / posix.system replaced by a recorder (so nothing runs), and the
// page's table (src/labs/pickle-store/real-runs.json) must be what they did. UPDATE_REAL_RUNS=1 rewrites it.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect } from 'vitest';
import { forEachJudge, itWithJudge, runPythonFile, type JudgeId } from '../support/judges.ts';
import { PAYLOADS } from '../../src/labs/pickle-store/payloads.ts';
import { quoteBytes } from '../../src/labs/pickle-store/redis-cli.ts';
import { headers, Learner } from './support-b.ts';
import type { RealRuns } from '../../src/labs/pickle-store/real-runs.ts';

const UPDATE = process.env.UPDATE_REAL_RUNS === '1';
const script = fileURLToPath(new URL('./pickle_store_real.py', import.meta.url));
const frozenPath = fileURLToPath(new URL('../../src/labs/pickle-store/real-runs.json', import.meta.url));
const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

describe('pickle lab: what the real Flask-Session versions do with the payloads', () => {
  const live: Partial<Record<JudgeId, RealRuns['judges'][number]>> = {};
  afterAll(() => {
    if (UPDATE && live['flask-2.2'] && live['flask-3.1']) writeFileSync(frozenPath, `${JSON.stringify({ judges: [live['flask-2.2'], live['flask-3.1']] }, null, 2)}\n`);
  });

  forEachJudge((j) => {
    itWithJudge(j.id, `Flask-Session ${j.flaskSession}: every payload makes the call (a recorder stands in for os.system), and the table says what followed`, async () => {
      const input = JSON.stringify(Object.fromEntries(PAYLOADS.map((p) => [p.id, hex(p.bytes)])));
      const r = JSON.parse(runPythonFile(j.id, script, [], input)) as RealRuns['judges'][number] & { writes: Record<string, string> };
      expect(r.flaskSession).toBe(j.flaskSession);
      // The bytes the page prints are what Python's pickle writes for those objects.
      for (const p of PAYLOADS) if (p.id in r.writes) expect(r.writes[p.id]).toBe(hex(p.bytes));
      for (const p of PAYLOADS) expect(r.runs[p.id]!.calls).toEqual(['id']);
      const entry = { judge: j.id, flask: j.flask, flaskSession: r.flaskSession, python: r.python, runs: r.runs };
      live[j.id] = entry;
      if (!UPDATE) {
        const frozen = JSON.parse(readFileSync(frozenPath, 'utf8')) as RealRuns;
        expect(frozen.judges.find((x) => x.judge === j.id)).toEqual(entry);
      }
      if (j.flaskSession === '0.3.2') {
        // The lab's 0.3-style app answers each payload as 0.3.2 did, with the call described instead of made.
        for (const p of PAYLOADS) {
          const l = await Learner.start('pickle-store', 'vulnerable', 'real');
          await l.send('GET', '/');
          const set = await l.send('POST', '/_redis', { body: `SET session:${l.jar.get('session')} ${quoteBytes(p.bytes)}`, headers: [['Content-Type', 'text/plain']], cookies: false });
          expect(set.body).toBe('OK\n');
          const res = await l.send('GET', '/account');
          expect({ status: res.status, body: res.body }, p.id).toEqual({ status: r.runs[p.id]!.status, body: r.runs[p.id]!.body });
          expect(headers(res, 'X-Lab-Record').map((v) => /^would run: (.*) \(/.exec(v)?.[1])).toEqual(r.runs[p.id]!.calls);
          expect(l.lab.solved).toBe(true);
        }
      }
    }, 60_000);
  });
});
