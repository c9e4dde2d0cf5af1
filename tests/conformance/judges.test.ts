// Each judge is the stack it claims to be: the versions its interpreter imports are the ones the tests name.
import { expect } from 'vitest';
import { forEachJudge, itWithJudge, runPythonUnder } from '../support/judges.ts';

const REPORT = `
import importlib.metadata as m, json
print(json.dumps({d: m.version(d) for d in ("flask", "werkzeug", "itsdangerous", "flask-session")}))
`;

forEachJudge((j) => {
  itWithJudge(j.id, `imports Flask ${j.flask}, Werkzeug ${j.werkzeug}, itsdangerous ${j.itsdangerous}, Flask-Session ${j.flaskSession}`, () => {
    const got = JSON.parse(runPythonUnder(j.id, REPORT)) as Record<string, string>;
    expect(got).toEqual({ flask: j.flask, werkzeug: j.werkzeug, itsdangerous: j.itsdangerous, 'flask-session': j.flaskSession });
  });
});
