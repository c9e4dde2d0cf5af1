// The visualizer's presets against the real Flask, under both judges: every request a preset's scene sends
// (plus the experiments the lessons suggest) goes, with the same Cookie header the simulated browser sent,
// to the Python app the preset shows; status, body and every Set-Cookie must be what the engine answered.
import { describe, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { Lab } from '../../src/components/visualizer/model.ts';
import { PRESETS, type PresetId } from '../../src/components/visualizer/presets.ts';
import type { Initiator } from '../../src/components/visualizer/jar.ts';
import { forEachJudge, itWithJudge, runPythonUnder } from '../support/judges.ts';

/** The full Python source a preset runs (its listing, or the whole example file it shows a part of). */
function source(id: PresetId): string {
  const python = PRESETS[id].python;
  return typeof python === 'string' ? python : readFileSync(new URL(`../../examples/python/${python.file}`, import.meta.url), 'utf8');
}

// Runs each request through Flask's test client with the given Cookie header, the clock pinned to `at` (for
// the Expires Werkzeug derives from max_age, and Flask's for a permanent session) and to itsdangerous' timestamp (for signed session cookies).
const RUNNER = String.raw`
import json, sys, types
from datetime import datetime, timezone
import flask.sessions, itsdangerous.timed, werkzeug.http
jobs = json.load(sys.stdin)
src = jobs["source"]
state = {"at": 0}
class _AnyDateTime(type):
    # Werkzeug tests isinstance(x, datetime) with the patched name: every datetime still counts as one.
    def __instancecheck__(cls, obj):
        return isinstance(obj, datetime)
class FixedDateTime(datetime, metaclass=_AnyDateTime):
    @classmethod
    def now(cls, tz=None):
        return datetime.fromtimestamp(state["at"], tz)
werkzeug.http.datetime = FixedDateTime
flask.sessions.datetime = FixedDateTime
itsdangerous.timed.time = types.SimpleNamespace(time=lambda: state["at"])
mod = types.ModuleType("preset_app")
exec(compile(src, "preset_app.py", "exec"), mod.__dict__)
app = mod.app
app.testing = False
out = []
for job in jobs["requests"]:
    state["at"] = job["at"]
    client = app.test_client(use_cookies=False)
    headers = {"Cookie": job["cookie"]} if job["cookie"] else {}
    r = client.open(job["url"], method=job["method"], headers=headers)
    out.append({"status": r.status_code, "body": r.get_data(as_text=True), "set_cookie": r.headers.getlist("Set-Cookie"), "x_frame": r.headers.get("X-Frame-Options")})
print(json.dumps(out))
`;

type Step = { send: string; initiator?: Initiator; scheme?: 'https' | 'http' } | { advance: number } | { clear: true };

/** Plays a preset, then `steps`, on the engine; returns every exchange with the Cookie header it carried. */
async function play(id: PresetId, steps: Step[]) {
  const lab = await Lab.open(id);
  for (const s of steps) {
    if ('advance' in s) lab.advance(s.advance);
    else if ('clear' in s) lab.clearCookies();
    else {
      lab.setRequestKind(s.scheme ?? 'https', s.initiator ?? 'same-site');
      await lab.send(s.send);
    }
  }
  return lab.snapshot().history;
}

const cases: { id: PresetId; steps: Step[] }[] = [
  { id: 'lifecycle', steps: [{ send: '/whoami' }, { clear: true }, { send: '/whoami' }] },
  { id: 'dict-cart-broken', steps: [{ send: '/cart' }, { send: '/cart/add-broken/kiwi' }, { send: '/login/bob' }, { send: '/whoami' }, { send: '/nowhere' }] },
  { id: 'dict-cart-fixed', steps: [{ send: '/cart' }, { send: '/remember-me' }, { send: '/cart' }, { send: '/reset' }] },
  {
    id: 'cookies',
    steps: [
      { send: '/' },
      { send: '/docs/intro', scheme: 'http' },
      { send: '/docs/a/b', initiator: 'cross-site-form' },
      { send: '/prefs?theme=light&samesite=None&secure' },
      { send: '/prefs?lang=en&max_age=60&path=/docs&httponly' },
      { send: '/prefs?theme=x&samesite=lax&expires=1700003600' },
      { send: '/prefs?theme=a b&max_age=-5' },
      { send: '/prefs?theme=y&samesite=bogus' },
      { send: '/prefs?lang=zh&max_age=oops' },
      { advance: 3600 },
      { send: '/docs/intro' },
    ],
  },
  ...(['login', 'read', 'permanent', 'logout', 'cart-trap', 'cart-fixed', 'no-secret', 'tampered', 'expired'] as PresetId[]).map((id) => ({ id, steps: [{ send: '/who' }, { send: '/login' }] as Step[] })),
];

forEachJudge((j) => {
  describe('presets answer as the Flask app they show', () => {
    for (const c of cases) {
      itWithJudge(j.id, `${c.id}: ${c.steps.length} extra steps`, async () => {
        const history = await play(c.id, c.steps);
        const requests = history.map((x) => ({ url: x.url, method: x.method, cookie: x.requestHeaders.find(([k]) => k === 'Cookie')?.[1] ?? null, at: x.at }));
        const real = JSON.parse(runPythonUnder(j.id, RUNNER, JSON.stringify({ source: source(c.id), requests }))) as { status: number; body: string; set_cookie: string[]; x_frame: string | null }[];
        expect(real).toHaveLength(history.length);
        history.forEach((x, i) => {
          const r = real[i]!;
          const what = `${c.id} #${x.n} ${x.method} ${x.url}`;
          expect(x.status, what).toBe(r.status);
          // Error pages differ in wording between versions; the engine's is Werkzeug's; compare views' bodies.
          if (r.status < 400) expect(x.body, what).toBe(r.body);
          const setCookie = x.responseHeaders.filter(([k]) => k === 'Set-Cookie').map(([, v]) => v);
          expect(setCookie, what).toEqual(r.set_cookie);
          expect(x.responseHeaders.find(([k]) => k === 'X-Frame-Options')?.[1] ?? null, what).toBe(r.x_frame);
        });
      }, 60_000);
    }
  });
});
