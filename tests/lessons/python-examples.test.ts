// Runs every Flask example shown in the lessons (examples/python/*.py) under both judges (Debian 12's Flask 2.2.2
// and Debian 13's Flask 3.1.1), through Flask's own test client, and checks that it does what the lesson says it
// does. Where the versions differ, each side is asserted. The count is printed as `[live] python_examples <judge>`.
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { forEachJudge, itWithJudge, runPythonUnder, syncIntoTrixie, type JudgeId } from '../support/judges.ts';
import { LiveCounts } from '../conformance/live_counts.ts';
import { checksIn, registryExamples } from './checked-examples.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const examplesDir = fileURLToPath(new URL('../../examples/python/', import.meta.url));
const checker = `${here}check_examples.py`;

interface Step {
  path: string;
  status: number;
  body: string;
  set_cookie: string[];
  vary: string | null;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function check(judge: JudgeId, name: string): any {
  if (judge === 'flask-3.1') {
    syncIntoTrixie(here); // check_examples.py
    syncIntoTrixie(examplesDir); // the examples it imports
  }
  tally?.add(name);
  const script = `import runpy, sys\nsys.argv = ['check_examples.py', ${JSON.stringify(name)}]\nrunpy.run_path(${JSON.stringify(checker)}, run_name='__main__')`;
  return JSON.parse(runPythonUnder(judge, script));
}

let tally: LiveCounts | null = null;

describe('examples/python', () => {
  // The registry test holds the registry's examples to the files; this one holds the checker to the registry.
  it('every example the lesson registry lists here has a check in check_examples.py, and no check is left over', () => {
    const examples = registryExamples('');
    expect(examples.length).toBeGreaterThan(0);
    expect(checksIn(checker)).toEqual(examples);
  });
});

forEachJudge((j) => {
  const judgeTally = new LiveCounts('python_examples', j.id);
  it('(counts this judge)', () => {
    tally = judgeTally;
    expect(tally.judge).toBe(j.id);
  });
  afterAll(() => judgeTally.print());

  itWithJudge(j.id, 'cookies.py: browser-session, persistent and deleted cookies', () => {
    const r = check(j.id, 'cookies');
    const [first, setTheme, withTheme, lang, forget, after] = r.steps as Step[];
    expect(first.body).toBe('theme: light');
    expect(setTheme.set_cookie).toEqual(['theme=dark; Path=/']);
    expect(setTheme.set_cookie[0]).not.toMatch(/Expires|Max-Age/);
    expect(withTheme.body).toBe('theme: dark');
    expect(lang.set_cookie).toHaveLength(1);
    expect(lang.set_cookie[0]).toMatch(/^lang=zh-CN; Expires=[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT; Max-Age=2592000; Secure; HttpOnly; Path=\/; SameSite=Lax$/);
    expect(forget.set_cookie).toEqual(['theme=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/']);
    expect(after.body).toBe('theme: light');
    expect(r.typo).toMatch(/unexpected keyword argument 'exipre'/);
  });

  itWithJudge(j.id, 'session_dict.py: set, get, pop, clear, permanent and the nested-mutation trap', () => {
    const r = check(j.id, 'session_dict');
    expect(r.lifetime).toBe(7200);
    // The TypeError's wording is Python's: 3.11 (Debian 12) and 3.13 (Debian 13) say it differently.
    expect(r.hour_error).toMatch(j.id === 'flask-2.2' ? /'hour' is an invalid keyword argument/ : /unexpected keyword argument 'hour'/);
    const flow = r.flow as Step[];
    expect(flow.map((s) => s.body)).toEqual(['nobody', 'hello alice', 'alice', 'bye', 'nobody', 'everything forgotten']);
    expect(flow[1].set_cookie[0]).toMatch(/^session=[\w-]+\.[\w-]+\.[\w-]+; HttpOnly; Path=\/$/);
    expect(flow[2].set_cookie).toEqual([]); // a read does not rewrite the cookie
    expect(flow[2].vary).toBe('Cookie');
    // pop of the last key leaves the session empty and modified: the cookie is deleted
    expect(flow[3].set_cookie).toEqual(['session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Path=/']);
    const cart = r.cart as Step[];
    expect(cart.map((s) => s.body)).toEqual(['apple', 'apple, pear', 'apple', 'apple, pear', 'apple, pear']);
    expect(cart[0].set_cookie).toHaveLength(1);
    expect(cart[1].set_cookie).toEqual([]); // the append was lost
    expect(cart[3].set_cookie).toHaveLength(1); // session.modified = True saves it
    const perm = r.permanent as Step[];
    expect(perm[1].set_cookie[0]).toMatch(/; Expires=.* GMT; HttpOnly; Path=\/$/);
    // permanent + SESSION_REFRESH_EACH_REQUEST: re-sent on a plain read
    expect(perm[2].set_cookie).toHaveLength(1);
    // max_age = PERMANENT_SESSION_LIFETIME applies to this non-permanent session too
    expect(r.at_limit.body).toBe('alice');
    expect(r.past_limit.body).toBe('nobody');
    // logout deletes the browser's cookie, yet a copy taken before logout is still accepted
    expect(r.logout.set_cookie[0]).toMatch(/^session=; Expires=Thu, 01 Jan 1970/);
    expect(r.replay.body).toBe('alice');
  });

  itWithJudge(j.id, 'inside_cookie.py: the cookie decodes without the key and verifies with it', () => {
    const r = check(j.id, 'inside_cookie');
    expect(r.peek).toEqual({ user: 'alice' });
    expect(r.loads).toEqual({ user: 'alice' });
    expect(r.signed_at).toBe(1700000000); // the checker pins itsdangerous' clock
    expect(r.value.split('.')[1]).toBe('ZVPxAA');
    expect(r.compressed.startsWith('.')).toBe(true);
    expect(r.peek_compressed.cart).toHaveLength(20);
  });

  itWithJudge(j.id, 'secret_key.py: refuses to start without a key; workers sharing it accept each other', () => {
    const r = check(j.id, 'secret_key');
    expect(r.missing).toBe("'FLASK_SECRET_KEY'");
    expect(r.second_worker.body).toBe('3');
  });

  itWithJudge(j.id, 'crack_secret.py: a wordlist key is found offline and used to forge a session', () => {
    const r = check(j.id, 'crack_secret');
    expect(r.found).toBe('sunshine');
    expect(r.not_found).toBeNull();
    expect(r.honest.body).toBe('forbidden');
    expect(r.forged.body).toBe('welcome, admin');
  });

  itWithJudge(j.id, 'key_rotation.py: old-key cookies still read, new cookies signed with the new key', () => {
    const r = check(j.id, 'key_rotation');
    expect(r.old_key.body).toBe('alice');
    expect(r.retired_key.body).toBe('nobody');
    expect(r.new_cookie_equals_new_key).toEqual({ touched: true, user: 'alice' });
    const [major, minor] = String(r.flask_version).split('.').map(Number);
    expect(r.interface).toBe(major > 3 || (major === 3 && minor >= 1) ? 'SecureCookieSessionInterface' : 'FallbackKeysInterface');
  });

  itWithJudge(j.id, 'too_big.py: an unbounded history passes MAX_COOKIE_SIZE, warns, and is still sent', () => {
    const r = check(j.id, 'too_big');
    expect(r.limit).toBe(4093);
    expect(r.unbounded.max_size).toBeGreaterThan(4093);
    expect(r.unbounded.warning.category).toBe('UserWarning');
    expect(r.unbounded.warning.message).toMatch(/^The 'session' cookie is too large: .* but the limit is 4093 bytes\. Browsers may silently ignore cookies larger than this\.$/);
    expect(r.unbounded.warning.still_sent).toBe(true);
    expect(r.bounded.warning).toBeNull();
    expect(r.bounded.max_size).toBeLessThan(400);
    expect(r.bounded.body).toBe('10 recent articles');
  });

  itWithJudge(j.id, 'revocable.py: logout bumps the generation and the copied cookie stops working', () => {
    const r = check(j.id, 'revocable');
    expect(r.before.body).toBe('alice');
    expect(r.after.body).toBe('nobody');
    expect(r.relogin.map((s: Step) => s.body)).toEqual(['hello alice', 'alice']);
  });
});
