// The exercise runtime in Node (src/exercises/runtime/node.ts): Pyodide with Debian 13's Flask from the archive,
// in a worker thread, offline. One Python for the whole file (each restart costs a Pyodide start); the tests that
// kill it (time limit, crash) come last in their describe and check that the next call works again.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunner, RuntimeLoadError, type Runner, type RuntimeInfo } from '../../src/exercises/runtime/node.ts';
import { importsAny } from '../../src/exercises/runtime/supervisor.ts';
import { ARCHIVE_CACHE_DIR } from '../../src/exercises/runtime/paths.ts';
import type { CheckRequest } from '../../src/exercises/runtime/types.ts';
import { archiveMissing, itWithArchive } from '../support/runtime.ts';

const LOGIN_APP = `from flask import Flask, session

app = Flask(__name__)
app.secret_key = "correct horse"


@app.get("/login")
def login():
    session["user"] = "ann"
    return "ok"


@app.get("/who")
def who():
    return session.get("user", "nobody")
`;

const LOGIN_TESTS = `from exercise import app


def test_login_is_remembered():
    client = app.test_client()
    first = client.get("/login")
    cookie = first.headers["Set-Cookie"]
    assert cookie.startswith("session=eyJ1c2VyIjoiYW5uIn0."), cookie
    assert client.get("/who").get_data(as_text=True) == "ann"


def test_a_new_client_is_nobody():
    assert app.test_client().get("/who").get_data(as_text=True) == "nobody"
`;

function archivePackages(): { distribution: string; version: string; group: string }[] {
  return (JSON.parse(readFileSync(join(ARCHIVE_CACHE_DIR, 'archive.json'), 'utf8')) as { packages: { distribution: string; version: string; group: string }[] }).packages;
}

function request(learner: string, extra: Partial<CheckRequest> = {}): CheckRequest {
  return { learner, tests: LOGIN_TESTS, messages: {}, lang: 'en', output_cap: 1000, ...extra };
}

let runner: Runner;
/** How many Pythons the runner has started (each start reports the 'runtime' phase first). */
let starts = 0;
let info: RuntimeInfo;
let started = 0;
const timings: Record<string, number> = {};

beforeAll(async () => {
  if (archiveMissing()) return;
  started = performance.now();
  // A generous default limit: on a busy machine a check that takes 1 s may take several; only the endless-loop
  // test sets a short one.
  runner = createRunner({ maxAnswerChars: 1_000_000, timeLimitMs: 120_000, onProgress: (p) => void (p.phase === 'runtime' && starts++) });
  info = await runner.ready();
  timings.load = Math.round(performance.now() - started);
});

afterAll(() => {
  runner?.dispose();
  if (info) console.log(`exercise runtime in Node: ready in ${timings.load} ms ${JSON.stringify(info.timings)}, first check ${timings.firstCheck} ms`);
});

describe('the exercise runtime in Node', () => {
  itWithArchive('runs the Flask of the archive: a signed session cookie is set and read back through the test client', async () => {
    // Python starts with the Flask zip only; the fakeredis zip waits for code that imports it.
    for (const p of archivePackages()) expect(info.packages[p.distribution], p.distribution).toBe(p.group === 'flask' ? p.version : undefined);
    expect(info.packages.Flask).toBe('3.1.1');
    expect(info.pyodide).toBe('314.0.7');

    const t = performance.now();
    const pass = await runner.check(request(LOGIN_APP));
    timings.firstCheck = Math.round(performance.now() - t);
    expect(pass.status, JSON.stringify(pass)).toBe('pass');
    expect(pass.tests.map((x) => [x.name, x.status])).toEqual([
      ['test_login_is_remembered', 'pass'],
      ['test_a_new_client_is_nobody', 'pass'],
    ]);

    // The same app with another key signs another cookie, and with no key Flask refuses to set one.
    const fail = await runner.check(request(LOGIN_APP.replace('app.secret_key = "correct horse"', '')));
    expect(fail.status).toBe('fail');
    expect(fail.tests.find((x) => x.name === 'test_login_is_remembered')?.status).not.toBe('pass');
  });

  itWithArchive('code that imports fakeredis gets the on-demand zip: fakeredis and its redis client keep data in the same Python', async () => {
    const versions = Object.fromEntries(archivePackages().map((p) => [p.distribution, p.version]));
    const tests = `import importlib.metadata
import fakeredis

def test_versions():
    assert importlib.metadata.version("fakeredis") == ${JSON.stringify(versions.fakeredis)}
    assert importlib.metadata.version("redis") == ${JSON.stringify(versions.redis)}

def test_store():
    r = fakeredis.FakeRedis()
    r.set("session:abc", b"{}", ex=60)
    assert r.get("session:abc") == b"{}"
    assert 0 < r.ttl("session:abc") <= 60
`;
    const r = await runner.check({ ...request('x = 1'), tests });
    expect(r.status, JSON.stringify(r)).toBe('pass');
  });

  itWithArchive('a syntax error and an exception while loading are errors that point at the learner\'s line', async () => {
    const syntax = await runner.check(request('x = 1\ndef broken(:\n    pass\n'));
    expect(syntax.status).toBe('error');
    expect(syntax.message).toMatch(/SyntaxError/);
    expect(syntax.message).toMatch(/\bline 2\b/);

    const raised = await runner.check(request('x = 1\ny = 1 / 0\n'));
    expect(raised.status).toBe('error');
    expect(raised.message).toContain('ZeroDivisionError');
    expect(raised.message).toMatch(/exercise\.py", line 2/);
  });

  itWithArchive('huge output is capped by the runner, and an answer past the limit is an error, not a pass', async () => {
    const loud = `${LOGIN_APP}\nprint("x" * 600_000)\n`;
    const capped = await runner.check(request(loud));
    expect(capped.status).toBe('pass');
    expect(JSON.stringify(capped).length).toBeLessThan(50_000);

    // Each of the two tests prints 600 000 characters: with the cap lifted the answer passes the 1 MB limit.
    const uncapped = await runner.check(request(loud, { output_cap: 600_000, lang: 'zh-CN' }));
    expect(uncapped.status).toBe('error');
    expect(uncapped.message).toMatch(/MB 的结果，超过了允许的/);
  });

  itWithArchive('runs a lesson snippet and returns what it printed', async () => {
    const r = await runner.runSnippet({ code: 'from flask import __version__\nimport importlib.metadata as m\nprint(m.version("flask"))\n', filename: 'snippet.py' });
    expect(r.exception).toBeNull();
    expect(r.stdout.trim()).toBe('3.1.1');
  });

  itWithArchive(
    'the time limit stops an endless loop with a message in the learner\'s language, and the next check works',
    async () => {
      const before = starts;
      const [zh, en] = await Promise.all([
        runner.check(request('while True:\n    pass\n', { lang: 'zh-CN' }), { timeLimitMs: 1500 }),
        // Queued behind the loop: it runs once the interrupt stopped the loop.
        runner.check(request(LOGIN_APP)),
      ]);
      expect(zh.status).toBe('error');
      expect(zh.tests).toEqual([]);
      expect(zh.message).toMatch(/^代码运行超过 1\.5 秒，已被停止/);
      expect(en.status, JSON.stringify(en)).toBe('pass');

      // Code that catches KeyboardInterrupt and loops on is not stopped by the interrupt: its Python is replaced.
      const stubborn = 'while True:\n    try:\n        while True:\n            pass\n    except KeyboardInterrupt:\n        pass\n';
      const caught = await runner.check(request(stubborn), { timeLimitMs: 1500 });
      expect(caught.status).toBe('error');
      expect(caught.message).toMatch(/^Your code ran for more than 1\.5 s/);
      const after = await runner.check(request(LOGIN_APP));
      expect(after.status, JSON.stringify(after)).toBe('pass');
      // Counted, not timed: one Python started for the one that ignored the interrupt (a loop that obeyed it may,
      // on a machine too busy to let it answer within the grace, have been replaced too).
      expect(starts - before).toBeGreaterThanOrEqual(1);
    },
    180_000,
  );

  itWithArchive(
    'code that stops Python itself is a crash result, and Python is restarted',
    async () => {
      const crashed = await runner.check(request('import os\nos._exit(3)\n'));
      expect(crashed.status).toBe('error');
      expect(crashed.message).toMatch(/^Python stopped while running your code/);
      const after = await runner.check(request(LOGIN_APP));
      expect(after.status, JSON.stringify(after)).toBe('pass');
    },
    180_000,
  );
});

describe('which code needs the on-demand zip', () => {
  it('is told by its imports', () => {
    const mods = ['fakeredis', 'redis', 'sortedcontainers'];
    for (const code of ['import fakeredis', 'from redis import Redis', 'import os, redis', '    from fakeredis import FakeRedis as F']) {
      expect(importsAny(code, mods), code).toBe(true);
    }
    for (const code of ['import flask', 'from flask import session  # not a redis store', 'redis = {}', 'import redistribute']) {
      expect(importsAny(code, mods), code).toBe(false);
    }
  });
});

describe('without the archive', () => {
  it('ready() says the archive is missing and how to make it; a check is an error result in the learner\'s language', async () => {
    const missing = createRunner({ archivePath: join(import.meta.dirname, 'no-such-archive.zip') });
    try {
      const err = await missing.ready().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RuntimeLoadError);
      expect((err as RuntimeLoadError).failure.code).toBe('archive-missing');
      expect((err as RuntimeLoadError).message).toMatch(/Flask archive .* is missing: .*no-such-archive\.zip does not exist\nTo make it: npm run runtime:archive/);
      const r = await missing.check(request(LOGIN_APP, { lang: 'zh-CN' }));
      expect(r.status).toBe('error');
      expect(r.message).toMatch(/^练习所用的 Flask 归档文件不存在：.*\n生成方法：npm run runtime:archive/);
    } finally {
      missing.dispose();
    }
  });
});
