// Lab 1 against the real Flask (Flask 2.2.2 and 3.1.1): the same routes with the lab's key, sent the cookies a learner
// would send, answer /admin as the lab's engine app does: the forged admin cookie (signed as the inspector signs) gets
// in, the guest cookie, a wrong key and a payload swapped under the old signature do not.
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { flaskSerializer } from '../../src/components/inspector/inspect.ts';
import { crackWordlist } from '../../src/components/inspector/crack-loop.ts';
import { LabInstance } from '../../src/labs/runtime.ts';
import { forEachJudge, itWithJudge, runPythonUnder } from '../support/judges.ts';
import { Learner } from './support.ts';

const APP = String.raw`
import json, sys
from flask import Flask, session
spec = json.load(sys.stdin)
app = Flask(__name__)
app.secret_key = spec["key"]

@app.route("/admin")
def admin():
    user = session.get("user")
    if user != "admin":
        return "forbidden", 403
    return "welcome"

# The Cookie header exactly as a browser or curl sends it (Werkzeug's test client would put its own jar there).
from werkzeug.test import EnvironBuilder, run_wsgi_app
out = []
for value in spec["cookies"]:
    environ = EnvironBuilder(path="/admin", headers={"Cookie": "session=" + value}).get_environ()
    _, status, _ = run_wsgi_app(app, environ, buffered=True)
    out.append(int(status.split()[0]))
print(json.dumps(out))
`;

forEachJudge((j) => {
  itWithJudge(j.id, `lab 1's /admin answers as on ${j.label}`, async () => {
    const lab = await LabInstance.create('weak-secret', 'real-flask', 'vulnerable');
    const me = new Learner(lab);
    await me.get('/login');
    const guest = me.cookies.get('session')!;
    let key = '';
    for (const p of crackWordlist(guest, new Uint8Array(readFileSync('public/wordlists/flask-secrets.txt')))) if (p.match !== null) key = p.match;
    const admin = (k: string) => flaskSerializer(k).dumps(new Map([['user', 'admin']]));
    const swapped = [admin('x').split('.')[0], ...guest.split('.').slice(1)].join('.');
    const cookies = [admin(key), guest, admin(`${key}!`), swapped];
    const engine: number[] = [];
    for (const c of cookies) {
      me.cookies.set('session', c);
      engine.push((await me.get('/admin')).status);
    }
    const real = JSON.parse(runPythonUnder(j.id, APP, JSON.stringify({ key, cookies }))) as number[];
    expect(engine).toEqual([200, 403, 403, 403]);
    expect(real).toEqual(engine);
  });
});
