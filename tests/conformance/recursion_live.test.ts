// Deeply nested session payloads: the engine gives up at the same depth as Flask under each judge. Flask's limit
// is Python's recursion limit, so it depends on the Python (3.11 beside Flask 2.2, 3.13 beside Flask 3.1) and on
// the call stack around the app: both sides are measured for a request served by Werkzeug's threaded development
// server, the context of the engine's default budget (src/engine/flask/json/tag.ts).
import { describe, expect } from 'vitest';
import { DEFAULT_RECURSION_BUDGET } from '../../src/engine/flask/json/tag.ts';
import { DEFAULT_CONFIG, SecureCookieSessionInterface } from '../../src/engine/flask/sessions.ts';
import { Request } from '../../src/engine/flask/wrappers.ts';
import { BadPayload, base64Encode } from '../../src/engine/itsdangerous/index.ts';
import { TimestampSigner } from '../../src/engine/itsdangerous/timed.ts';
import { zlibCompress } from '../../src/engine/itsdangerous/url_safe.ts';
import { setPythonRules, type PythonRules } from '../../src/engine/python/version.ts';
import { forEachJudge, itWithJudge, runPythonFile } from '../support/judges.ts';

const KEY = 'recursion-key';
const NOW = 1700000000;
const RULES: Record<string, PythonRules> = { 'flask-2.2': '3.11', 'flask-3.1': '3.13' };
const SCRIPT = new URL('../peers/recursion_limits.py', import.meta.url).pathname;

/** [name, before, opening, middle, closing, after]: depth n is before + opening × n + middle + closing × n + after. */
type Shape = [string, string, string, string, string, string];
const SHAPES: Shape[] = [
  ['lists', '', '[', '', ']', ''],
  ['dicts', '', '{"a":', '1', '}', ''],
  ['tuple tags', '', '{" t":[', '', ']}', ''],
  ['dicts of lists', '', '{"a":[', '', ']}', ''],
  ['a session holding lists', '{"a":', '[', '', ']', '}'],
  ['lists around a bytes tag', '', '[', '{" b":"YQ=="}', ']', ''],
  ['lists around a date tag', '', '[', '{" d":"Tue, 01 Dec 2026 10:00:00 GMT"}', ']', ''],
  ['lists around a UUID tag', '', '[', `{" u":"${'0'.repeat(32)}"}`, ']', ''],
  ['lists around a Markup tag', '', '[', '{" m":"<b>"}', ']', ''],
  ['lists around a tagged dict', '', '[', '{" di":{" t__":[]}}', ']', ''],
];

const iface = new SecureCookieSessionInterface();
const app = { config: { ...DEFAULT_CONFIG, SECRET_KEY: KEY }, now: () => NOW };
const signer = new TimestampSigner(KEY, { salt: 'cookie-session', keyDerivation: 'hmac', digestMethod: 'sha1', now: () => NOW });

/** Whether the engine's session interface loads a cookie signed over `text` (false: BadPayload). */
function engineLoads(text: string): boolean {
  const payload = '.' + base64Encode(zlibCompress(new TextEncoder().encode(text)));
  const request = new Request({ url: '/' });
  request.cookies.set('session', new TextDecoder().decode(signer.sign(payload)));
  try {
    iface.openSession(app, request);
  } catch (e) {
    // Only BadPayload counts: dict() refusing a top-level list comes after the payload loaded.
    if (e instanceof BadPayload) return false;
  }
  return true;
}

function engineDeepest([, before, opening, middle, closing, after]: Shape): number {
  let lo = 0;
  let hi = 4096;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (engineLoads(before + opening.repeat(mid) + middle + closing.repeat(mid) + after)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

describe('deep nesting: the engine gives up where Flask does', () => {
  forEachJudge((j) => {
    itWithJudge(j.id, `the same deepest payload as Flask ${j.flask} under its development server, for ${SHAPES.length} shapes`, () => {
      const theirs = JSON.parse(runPythonFile(j.id, SCRIPT, [], JSON.stringify({ key: KEY, shapes: SHAPES }))) as { limits: Record<string, number> };
      const rules = RULES[j.id]!;
      const saved = setPythonRules(rules);
      try {
        const mine = Object.fromEntries(SHAPES.map((shape) => [shape[0], engineDeepest(shape)]));
        expect(mine).toEqual(theirs.limits);
        expect(theirs.limits.lists).toBe(DEFAULT_RECURSION_BUDGET[rules]);
      } finally {
        setPythonRules(saved);
      }
    }, 120_000);
  });
});
