import { describe, expect, it } from 'vitest';
import { PROGRESS_KEY, hintsUsed, readProgress, statusOf, updateProgress, type KeyValueStorage } from '../../src/components/exercises/progress.ts';
import { PANEL_STRINGS, EDITOR_PHRASES_ZH, fill, toPanelLang } from '../../src/components/exercises/i18n.ts';
import { headerPairs, inspectorHref, linkLearnerLines, renderResult, sessionCookieOf, summaryLine, type CheckResult } from '../../src/components/exercises/results.ts';
import { hintHtml, hintTask, hintText, missingHtml, progressText, renderHints, versionLine } from '../../src/components/exercises/controller.ts';
import { parseManifest, toProgress, versionsOf } from '../../src/components/exercises/runner.ts';
import { URLSafeTimedSerializer } from '../../src/engine/itsdangerous/url_safe.ts';
import { sortedSessionSerializer } from '../../src/engine/flask/sessions.ts';

// The exercise panel's pure parts: stored progress, the results view, hints, the runtime manifest, translations.

function memoryStorage(initial: Record<string, string> = {}): KeyValueStorage & { data: Record<string, string> } {
  const data = { ...initial };
  return { data, getItem: (k) => data[k] ?? null, setItem: (k, v) => void (data[k] = v) };
}

describe('progress store', () => {
  it('keeps code, hints, solved and solution-shown per exercise, across a fresh read (a reload)', () => {
    const s = memoryStorage();
    updateProgress(s, 'ex-a', 1, (r) => {
      r.code = 'print(1)';
      r.hints.t1 = 2;
    });
    updateProgress(s, 'ex-a', 1, (r) => {
      r.solved = true;
      r.solutionShown = true;
    });
    const again = readProgress(memoryStorage(s.data));
    expect(again.exercises['ex-a']).toEqual({ version: 1, solved: true, code: 'print(1)', hints: { t1: 2 }, solutionShown: true });
    expect(statusOf(again, 'ex-a', 1)).toBe('solved');
    expect(statusOf(again, 'ex-b', 1)).toBe('not-started');
    expect(hintsUsed(again.exercises['ex-a']!)).toBe(2);
  });

  it('a new exercise version is "changed"; the next write keeps the code and hints but not the solved mark', () => {
    const s = memoryStorage();
    updateProgress(s, 'ex-a', 1, (r) => {
      r.code = 'mine';
      r.solved = true;
      r.hints.t = 1;
    });
    expect(statusOf(readProgress(s), 'ex-a', 2)).toBe('changed');
    const moved = updateProgress(s, 'ex-a', 2, () => undefined);
    expect(moved).toEqual({ version: 2, solved: false, code: 'mine', hints: { t: 1 }, solutionShown: false });
    expect(statusOf(readProgress(s), 'ex-a', 2)).toBe('started');
  });

  it('reads damaged or foreign data as no progress, and drops damaged records one by one', () => {
    expect(readProgress(memoryStorage({ [PROGRESS_KEY]: '{not json' })).exercises).toEqual({});
    expect(readProgress(memoryStorage({ [PROGRESS_KEY]: JSON.stringify({ format: 2, exercises: {} }) })).exercises).toEqual({});
    const mixed = JSON.stringify({ format: 1, exercises: { good: { version: 3, solved: true, code: 'x', hints: { a: 1, b: -1, c: 'x' } }, bad: { version: 'x' } } });
    expect(readProgress(memoryStorage({ [PROGRESS_KEY]: mixed })).exercises).toEqual({ good: { version: 3, solved: true, code: 'x', hints: { a: 1 }, solutionShown: false } });
    const throwing: KeyValueStorage = { getItem: () => { throw new Error('denied'); }, setItem: () => undefined };
    expect(readProgress(throwing).exercises).toEqual({});
  });

  it('passes on what the storage throws when writing (the panel says so)', () => {
    const full: KeyValueStorage = { getItem: () => null, setItem: () => { throw new Error('QuotaExceededError'); } };
    expect(() => updateProgress(full, 'ex', 1, () => undefined)).toThrow('QuotaExceededError');
  });
});

describe('translations', () => {
  it('every string exists in both languages, with the same placeholders', () => {
    const en = PANEL_STRINGS.en as Record<string, unknown>;
    const zh = PANEL_STRINGS['zh-CN'] as Record<string, unknown>;
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    for (const [k, v] of Object.entries(en)) {
      if (typeof v !== 'string') continue;
      const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(names(zh[k] as string), k).toEqual(names(v));
      expect(zh[k], k).not.toBe(v);
    }
    expect(toPanelLang('zh-cn')).toBe('zh-CN');
    expect(toPanelLang(undefined)).toBe('en');
    expect(fill('{a} and {b}', { a: 1 })).toBe('1 and {b}');
  });

  it('Chinese text uses full-width punctuation and no spaces between CJK characters', () => {
    for (const [k, v] of Object.entries(PANEL_STRINGS['zh-CN'])) {
      if (typeof v !== 'string') continue;
      expect(v, k).not.toMatch(/[\u4e00-\u9fff][,.:;()][\u4e00-\u9fff]?/u);
      expect(v, k).not.toMatch(/[\u4e00-\u9fff] [\u4e00-\u9fff]/u);
    }
  });

  it('translates each phrase CodeMirror shows in the panel editor', async () => {
    const { readFileSync } = await import('node:fs');
    const used = new Set<string>();
    for (const pkg of ['view', 'commands', 'language', 'state', 'lang-python']) {
      const src = readFileSync(new URL(`../../node_modules/@codemirror/${pkg}/dist/index.js`, import.meta.url), 'utf8');
      for (const m of src.matchAll(/phrase\("([^"]+)"/g)) used.add(m[1]!);
      for (const m of src.matchAll(/phrase\(\w+ \? "([^"]+)" : "([^"]+)"\)/g)) (used.add(m[1]!), used.add(m[2]!));
    }
    expect(used.size).toBeGreaterThan(3);
    for (const phrase of used) expect(EDITOR_PHRASES_ZH, phrase).toHaveProperty([phrase]);
  });
});

describe('results view', () => {
  const serializer = new URLSafeTimedSerializer('dev', { salt: 'cookie-session', serializer: sortedSessionSerializer, signerKwargs: { keyDerivation: 'hmac', digestMethod: 'sha1' } });

  it('lists each test with its status, the runner message, the learner lines as buttons, and the exchanges with the cookie decoded', async () => {
    const cookie = await Promise.resolve(serializer.dumps({ n: 1 } as never));
    const result: CheckResult = {
      version: 3,
      status: 'fail',
      message: null,
      tests: [
        { name: 'test_counts', status: 'fail', message: 'Traceback:\n  File "exercise.py", line 7, in index\nexpected 2, got 1', output: 'hi', task_id: 'count', test_code: 'assert 1' },
        { name: 'test_other', status: 'pass', message: null, output: null, task_id: 'count' },
      ],
      exchanges: {
        test_counts: [{ method: 'GET', url: '/', request_headers: [['Host', 'localhost']], status: 200, response_headers: [['Set-Cookie', `session=${String(cookie)}; HttpOnly; Path=/`]], body: '1' }],
      },
    };
    const t = PANEL_STRINGS.en;
    const html = renderResult(t, 'en', result, (n) => `line ${n}`);
    expect(html).toContain('1 of 2 tests failed.');
    expect(html).toContain('data-test="test_counts" data-status="fail"><details open>');
    expect(html).toContain('data-test="test_other" data-status="pass"><details>');
    expect(html).toContain('<button type="button" class="ex-line" data-line="7" aria-label="line 7">7</button>');
    expect(html).toContain('GET / HTTP/1.1');
    expect(html).toContain('data-decoded-json>{&#34;n&#34;:1}');
    expect(html).toContain(`href="/inspector/#cookie=${encodeURIComponent(String(cookie))}"`);
    const zh = renderResult(PANEL_STRINGS['zh-CN'], 'zh-CN', result, (n) => `第 ${n} 行`);
    expect(zh).toContain('2 个测试中有 1 个未通过。');
    expect(zh).toContain(`href="/zh-cn/inspector/#cookie=`);
  });

  it('an error result (time limit, crash) is never a pass, and says why', () => {
    const t = PANEL_STRINGS.en;
    const r: CheckResult = { version: 3, status: 'error', message: 'Stopped after 5 s: the code did not finish.' };
    expect(summaryLine(t, r)).toBe('The tests could not run. Stopped after 5 s: the code did not finish.');
    expect(renderResult(t, 'en', r, String)).toContain('data-result="error"');
    expect(summaryLine(t, { version: 3, status: 'pass', tests: [] })).toBe('The tests could not run.');
  });

  it('finds the session cookie in Cookie and Set-Cookie, and takes headers in both shapes', () => {
    expect(sessionCookieOf('Set-Cookie', 'session=abc.def; Path=/')).toBe('abc.def');
    expect(sessionCookieOf('Set-Cookie', 'session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT')).toBeNull();
    expect(sessionCookieOf('Cookie', 'theme=dark; session=x.y.z')).toBe('x.y.z');
    expect(sessionCookieOf('Vary', 'Cookie')).toBeNull();
    expect(headerPairs({ A: '1' })).toEqual([['A', '1']]);
    expect(inspectorHref('en', 'a.b')).toBe('/inspector/#cookie=a.b');
    expect(linkLearnerLines('<File "other.py", line 3>', String)).toBe('&#60;File &#34;other.py&#34;, line 3&#62;');
  });
});

describe('hints, manifest', () => {
  const payload = { tasks: [{ id: 'a', title: 'A' }, { id: 'b', title: 'B' }], hints: { a: ['a1', 'a2'], b: ['b1'] } };

  it('Hint goes to the first failing task with hints left, one level per press, then to the next task', () => {
    const failingB: CheckResult = { version: 3, status: 'fail', tests: [{ name: 't', status: 'fail', task_id: 'b' }] };
    expect(hintTask(payload, { hints: {} }, null)).toBe('a');
    expect(hintTask(payload, { hints: {} }, failingB)).toBe('b');
    expect(hintTask(payload, { hints: { b: 1 } }, failingB)).toBe('a');
    expect(hintTask(payload, { hints: { a: 2 } }, null)).toBe('b');
    expect(hintTask(payload, { hints: { a: 2, b: 1 } }, null)).toBeNull();
    const html = renderHints(PANEL_STRINGS.en, payload, { hints: { a: 2 } });
    expect(html).toContain('Hint 1 of 2 for “A”');
    expect(html).toContain('<p>a2</p>');
    expect(html).not.toContain('b1');
    expect(hintHtml('Use `session.get("n", 0)` <b>')).toBe('Use <code>session.get(&#34;n&#34;, 0)</code> &#60;b&#62;');
    expect(hintText('Use `session.get`.')).toBe('Use session.get.');
  });

  it('reads the manifest: versions, or what is missing and how to get it', () => {
    const m = parseManifest({ packages: { flask: { version: '3.1.1' }, Werkzeug: '3.1.3', itsdangerous: { version: '2.2.0' } }, python: '3.14.0' });
    expect(m).toMatchObject({ ok: true, versions: { flask: '3.1.1', werkzeug: '3.1.3', itsdangerous: '2.2.0', python: '3.14.0' } });
    const versions = versionsOf({ python: '3.14.0', pyodide: '314.0.7', packages: { Flask: '3.1.1', Werkzeug: '3.1.3', itsdangerous: '2.2.0' } });
    expect(versionLine(PANEL_STRINGS.en, versions)).toBe('Runs Flask 3.1.1 (Werkzeug 3.1.3, itsdangerous 2.2.0) on Python 3.14.0 in a Web Worker.');
    expect(versionLine(PANEL_STRINGS['zh-CN'], versions)).toBe('在 Web Worker 中用 Python 3.14.0 运行 Flask 3.1.1（Werkzeug 3.1.3，itsdangerous 2.2.0）。');
    const missing = parseManifest({ missing: 'apt-get is not available', howto: 'npm run runtime:archive' });
    expect(missing).toEqual({ ok: false, missing: 'apt-get is not available', howto: 'npm run runtime:archive' });
    const html = missingHtml(PANEL_STRINGS['zh-CN'], missing as { missing: string; howto: string });
    expect(html).toContain('缺少的内容：apt-get is not available');
    expect(html).toContain('<code>npm run runtime:archive</code>');
    expect(toProgress({ loaded: 3, total: 10, phase: 'runtime' })).toEqual({ done: 3, total: 10, phase: 'runtime' });
    expect(progressText(PANEL_STRINGS.en, { phase: 'runtime', done: 1.5 * 1024 * 1024, total: 3.6 * 1024 * 1024 })).toBe('Downloading Python (Pyodide) (1.5 MB of 3.6 MB)…');
    expect(progressText(PANEL_STRINGS['zh-CN'], { phase: 'archive', done: 2048, total: 4096 })).toBe('正在下载 Flask 压缩包（2 KB／4 KB）……');
    expect(progressText(PANEL_STRINGS['zh-CN'], { phase: 'python' })).toBe('正在启动 Python 并导入 Flask……');
    expect(progressText(PANEL_STRINGS.en, { phase: 'unknown-phase' })).toBe('Loading Python and Flask into this page…');
  });
});

describe('instructions', () => {
  it('drop the leading title and put headings under the panel heading; raw HTML stays text', async () => {
    const { renderInstructions } = await import('../../src/components/exercises/catalog-view.ts');
    const html = renderInstructions('# Title\n\nSome **bold**.\n\n## Part\n\n<script>alert(1)</script>\n');
    expect(html).not.toContain('Title');
    expect(html).toContain('<h4>Part</h4>');
    expect(html).toContain('<strong>bold</strong>');
    expect(html).not.toContain('<script>');
  });
});
