// The differential corpus (hostile_corpus.ts: the checked-in cases plus a fixed-seed generator) through the engine
// and through each judge's real Flask: what open_session makes of each cookie (a loaded session, a new empty one, or
// the exception it raises) and the status of a whole request whose view reads the session must agree, case by case.
// Under Flask 2.2 the engine follows Python 3.11's rules and Werkzeug 2.2's dict(data or ()); under 3.1, its defaults.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Flask } from '../../src/engine/flask/app.ts';
import { DEFAULT_CONFIG, SecureCookieSessionInterface } from '../../src/engine/flask/sessions.ts';
import { Request } from '../../src/engine/flask/wrappers.ts';
import { setPythonRules, type PythonRules } from '../../src/engine/python/version.ts';
import { FlaskPeer } from '../peers/flask_peer_client.ts';
import { forEachJudge, itWithJudge, judgeMissing, type JudgeId } from '../support/judges.ts';
import { checkedInCases, cookieFor, corpus, CORPUS_KEY, CORPUS_NOW, GENERATED_CASES, GENERATOR_SEED, type CorpusCase } from './hostile_corpus.ts';

const RULES: Record<JudgeId, PythonRules> = { 'flask-2.2': '3.11', 'flask-3.1': '3.13' };

interface Outcome {
  /** `loaded` (a non-empty session), `new` (an empty one), `null`, or `error:<exception class>`. */
  open: string;
  /** The status of a whole request whose view reads a key. */
  status: number;
}

/** What the engine makes of a cookie, under the judge's versions. */
async function engineOutcome(cookie: string, judge: JudgeId): Promise<Outcome> {
  const werkzeug22 = judge === 'flask-2.2';
  const previous = setPythonRules(RULES[judge]);
  try {
    const iface = new SecureCookieSessionInterface();
    iface.werkzeug22 = werkzeug22;
    const request = new Request({ url: '/' });
    request.cookies.set('session', cookie);
    let open: string;
    try {
      const s = iface.openSession({ config: { ...DEFAULT_CONFIG, SECRET_KEY: CORPUS_KEY }, now: () => CORPUS_NOW }, request);
      open = s === null ? 'null' : s.toDict().size ? 'loaded' : 'new';
    } catch (e) {
      open = `error:${(e as Error).name}`;
    }
    const app = new Flask({ config: { SECRET_KEY: CORPUS_KEY }, now: () => CORPUS_NOW });
    (app.sessionInterface as SecureCookieSessionInterface).werkzeug22 = werkzeug22;
    app.route('/', ({ session }) => {
      session.get('n');
      return 'ok';
    });
    const { response } = await app.handle({ url: '/', headers: [['Cookie', `session=${cookie}`]] });
    return { open, status: response.status };
  } finally {
    setPythonRules(previous);
  }
}

describe('the corpus itself', () => {
  it('is the checked-in cases plus the generated ones, the same on every run', () => {
    const all = corpus();
    expect(all.length).toBe(checkedInCases().length + GENERATED_CASES);
    expect(all.map(cookieFor)).toEqual(corpus().map(cookieFor));
    expect(new Set(all.map((c) => c.name)).size).toBe(all.length);
  });
});

forEachJudge((j) => {
  let peer: FlaskPeer | null = null;
  beforeAll(async () => {
    if (judgeMissing(j.id)) return;
    peer = new FlaskPeer(j.id);
    await peer.ready;
  }, 30_000);
  afterAll(async () => {
    await peer?.close();
  });

  itWithJudge(
    j.id,
    `every cookie of the corpus: the same outcome class in the engine as in Flask ${j.flask} (open_session and a whole request)`,
    async () => {
      const differences: string[] = [];
      const classes = new Map<string, number>();
      const cases: CorpusCase[] = corpus();
      for (const c of cases) {
        const cookie = cookieFor(c);
        const theirs = await peer!.request<{ open: string; status: number; logged: string | null }>('outcome', { cookie, secret_key: CORPUS_KEY, now: CORPUS_NOW }, 60_000);
        const mine = await engineOutcome(cookie, j.id);
        if (theirs.open !== mine.open || theirs.status !== mine.status) {
          differences.push(`${c.name}: Flask ${theirs.open} ${theirs.status}, engine ${mine.open} ${mine.status}`);
        }
        const cls = theirs.open.startsWith('error:') ? theirs.open : `${theirs.open} ${theirs.status}`;
        classes.set(cls, (classes.get(cls) ?? 0) + 1);
      }
      console.log(
        `[hostile corpus] ${j.id}: ${cases.length} cookies (seed ${GENERATOR_SEED}), ${differences.length} differences; ${[...classes].map(([k, v]) => `${k}=${v}`).join(' ')}`,
      );
      expect(differences).toEqual([]);
    },
    300_000,
  );
});
