// The exercise runner (exercises/_runner/flasklab_runner.py) on its own: how it reports each kind of problem in
// the learner's code, with the learner's own line numbers, capped output, messages by key in both languages,
// the HTTP exchanges of each test, a fresh module per test, and run_snippet. All cases run in one Debian 13
// (Flask 3.1.1) Python process.
import { describe, expect } from 'vitest';
import { runnerFiles } from '../../src/exercises/catalog.ts';
import type { ExerciseResult, SnippetResult } from '../../src/exercises/types.ts';
import { itWithJudge, runPythonFile } from '../support/judges.ts';

const RUNNER = runnerFiles(new URL('../..', import.meta.url).pathname)['flasklab_runner.py'];

const APP = `from flask import Flask, redirect, session

app = Flask(__name__)
app.secret_key = "k"
COUNTER = []


@app.get("/login")
def login():
    session["user"] = "ann"
    return redirect("/who")


@app.get("/who")
def who():
    return session.get("user", "nobody")


@app.get("/boom")
def boom():
    return {}["missing"]
`;

const TESTS = `import time

from flasklab import client, expect, frozen_clock, task

import exercise


@task("first")
def test_login_follows_redirect():
    c = client(exercise.app)
    r = c.get("/login", follow_redirects=True)
    expect(r.get_data(as_text=True), "ann", "t.who")


@task("first")
def test_expect_mismatch():
    expect(1 + 1, 3, "t.sum", a=1, b=1)


@task("second")
def test_bare_assert():
    values = [1, 2]
    assert len(values) == 3


@task("second")
def test_view_raises():
    client(exercise.app).get("/boom")


def test_prints_a_lot():
    print("x" * 5000)


def test_state_is_fresh_and_clock_frozen():
    exercise.COUNTER.append(1)
    frozen_clock(1000)
    expect(len(exercise.COUNTER), 1, "t.fresh")
    expect(time.time(), 1000.0, "t.clock")


def test_clock_is_restored():
    exercise.COUNTER.append(1)
    expect(len(exercise.COUNTER), 1, "t.fresh")
    expect(time.time() > 1_700_000_000, True, "t.clock")


def test_missing_key():
    expect(1, 2, "t.no_such_key", n=5)


def test_braces_in_a_message():
    expect(1, 2, "t.json", n=1, v="x")
`;

const MESSAGES = {
  en: { 't.who': 'who should be ann', 't.sum': '{a} + {b} is not what was expected', 't.fresh': 'fresh module', 't.clock': 'clock', 't.json': 'send {"user": "admin"} {n} {v!r} {other}' },
  'zh-CN': { 't.who': '应当是 ann', 't.sum': '{a} + {b} 不对', 't.fresh': '新模块', 't.clock': '时钟' },
};

function check(learner: string, lang: 'en' | 'zh-CN' = 'en', tests = TESTS, cap = 200) {
  return { fn: 'check', request: { learner, tests, messages: MESSAGES[lang], lang, output_cap: cap } };
}
function snippet(code: string, filename = 'app.py') {
  return { fn: 'run_snippet', request: { code, filename } };
}

const CALLS = [
  check(APP),
  check(APP, 'zh-CN'),
  check('from flask import Flask\n\napp = Flask(__name__\n'),
  check('import flask\n\nraise RuntimeError("at import")\n'),
  check('import sys\nsys.exit(3)\n'),
  check(APP, 'en', 'def helper():\n    pass\n'),
  snippet('from flask import Flask\napp = Flask(__name__)\n\n@app.get("/")\ndef i():\n    return "hi"\n\nprint(app.test_client().get("/").data)\nif __name__ == "__main__":\n    app.run()\n'),
  snippet('x = 1\ny = 0\nprint(x / y)\n', 'demo.py'),
  snippet('import sys\nprint(__name__, sys.modules["json"].__name__, callable(sys.modules["json"].dumps))\n', 'json.py'),
];

let answers: unknown[] | undefined;
function answer<T>(i: number): T {
  answers ??= runPythonFile('flask-3.1', RUNNER, ['batch'], CALLS.map((c) => JSON.stringify(c)).join('\n'))
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
  return answers[i] as T;
}
const test = (r: ExerciseResult, name: string) => r.tests.find((t) => t.name === name)!;

describe('flasklab_runner.check', () => {
  itWithJudge('flask-3.1', 'runs test_* functions in source order, with task ids and their source', () => {
    const r = answer<ExerciseResult>(0);
    expect(r.version).toBe(3);
    expect(r.status).toBe('fail');
    expect(r.message).toBeNull();
    expect(r.tests.map((t) => t.name)).toEqual([
      'test_login_follows_redirect', 'test_expect_mismatch', 'test_bare_assert', 'test_view_raises',
      'test_prints_a_lot', 'test_state_is_fresh_and_clock_frozen', 'test_clock_is_restored', 'test_missing_key',
      'test_braces_in_a_message',
    ]);
    expect(r.tests.map((t) => t.task_id)).toEqual(['first', 'first', 'second', 'second', null, null, null, null, null]);
    expect(test(r, 'test_bare_assert').test_code).toMatch(/^@task\("second"\)\ndef test_bare_assert\(\):/);
  });

  itWithJudge('flask-3.1', 'gives a failed expect its message by key, with parameters, expected and actual, in the request language', () => {
    const en = test(answer<ExerciseResult>(0), 'test_expect_mismatch');
    expect(en).toMatchObject({ status: 'fail', message: '1 + 1 is not what was expected\nExpected: 3\nActual: 2', expected: '3', actual: '2' });
    const zh = test(answer<ExerciseResult>(1), 'test_expect_mismatch');
    expect(zh.message).toBe('1 + 1 不对\n期望：3\n实际：2');
    expect(test(answer<ExerciseResult>(0), 'test_missing_key').message).toBe('t.no_such_key {"n": 5}\nExpected: 2\nActual: 1');
    // Only the fields named in the parameters are filled: other braces (JSON in the text) stay as written.
    expect(test(answer<ExerciseResult>(0), 'test_braces_in_a_message').message).toBe('send {"user": "admin"} 1 \'x\' {other}\nExpected: 2\nActual: 1');
  });

  itWithJudge('flask-3.1', 'quotes the line of a bare assert that failed', () => {
    expect(test(answer<ExerciseResult>(0), 'test_bare_assert').message).toBe('This check did not hold: assert len(values) == 3');
  });

  itWithJudge('flask-3.1', "reports an exception in a view with the learner's own file and line", () => {
    const t = test(answer<ExerciseResult>(0), 'test_view_raises');
    expect(t.status).toBe('error');
    expect(t.message).toMatch(/^Your code raised KeyError: 'missing':\n/);
    expect(t.message).toContain('File "exercise.py", line 21, in boom');
    expect(t.message).not.toContain('flask/app.py');
  });

  itWithJudge('flask-3.1', 'caps what a test prints', () => {
    const out = test(answer<ExerciseResult>(0), 'test_prints_a_lot').output!;
    expect(out.startsWith('x'.repeat(200) + '\n[output cut after 200 characters]')).toBe(true);
    expect(out.length).toBeLessThan(260);
  });

  itWithJudge('flask-3.1', 'gives each test fresh modules and restores a frozen clock', () => {
    const r = answer<ExerciseResult>(0);
    expect(test(r, 'test_state_is_fresh_and_clock_frozen').status).toBe('pass');
    expect(test(r, 'test_clock_is_restored').status).toBe('pass');
    expect(test(r, 'test_login_follows_redirect').status).toBe('pass');
  });

  itWithJudge('flask-3.1', 'records every exchange of a test, redirects and cookies included', () => {
    const x = answer<ExerciseResult>(0).exchanges!.test_login_follows_redirect;
    expect(x.map((e) => [e.method, e.url, e.status])).toEqual([
      ['GET', 'http://localhost/login', 302],
      ['GET', 'http://localhost/who', 200],
    ]);
    expect(x[0].response_headers.find(([k]) => k === 'Set-Cookie')?.[1]).toMatch(/^session=eyJ1c2VyIjoiYW5uIn0\./);
    expect(x[1].request_headers.find(([k]) => k === 'Cookie')?.[1]).toMatch(/^session=eyJ1c2VyIjoiYW5uIn0\./);
    expect(x[1].body).toBe('ann');
  });

  itWithJudge('flask-3.1', "turns a syntax error into an error result with the learner's line", () => {
    const r = answer<ExerciseResult>(2);
    expect(r).toMatchObject({ version: 3, status: 'error', tests: [] });
    expect(r.message).toMatch(/^Your code does not compile: SyntaxError: .* \(exercise\.py, line 3\)\.$/);
  });

  itWithJudge('flask-3.1', 'turns an exception while loading, exit() and a test file without tests into error results', () => {
    const load = answer<ExerciseResult>(3);
    expect(load.status).toBe('error');
    expect(load.message).toContain('File "exercise.py", line 3, in <module>');
    expect(load.message).toContain('RuntimeError: at import');
    expect(answer<ExerciseResult>(4)).toMatchObject({ status: 'error', message: 'Your code called exit() (3).' });
    expect(answer<ExerciseResult>(5)).toMatchObject({ status: 'error', message: 'This exercise has no tests.' });
  });
});

describe('flasklab_runner.run_snippet', () => {
  itWithJudge('flask-3.1', 'captures output and exchanges, and does not run the __main__ block', () => {
    const r = answer<SnippetResult>(6);
    expect(r).toMatchObject({ stdout: "b'hi'\n", stderr: '', exception: null });
    expect(r.exchanges.map((e) => [e.method, e.url, e.status, e.body])).toEqual([['GET', 'http://localhost/', 200, 'hi']]);
  });

  itWithJudge('flask-3.1', "reports an exception with the snippet's own file and line", () => {
    const r = answer<SnippetResult>(7);
    expect(r.exception).toBe('  File "demo.py", line 3, in <module>\n    print(x / y)\n          ~~^~~\nZeroDivisionError: division by zero');
  });

  itWithJudge('flask-3.1', 'never stands in for a module already loaded', () => {
    expect(answer<SnippetResult>(8)).toMatchObject({ stdout: 'snippet json True\n', exception: null });
  });
});
