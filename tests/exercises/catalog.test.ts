// Every exercise, checked by running it: the solution passes, the starter fails at least one test, under the real
// Flask 3.1.1 of the Debian 13 judge (one CPython process for all exercises), and the browser's runtime (Pyodide
// with the Flask archive made from the same Debian packages, one instance for all exercises) gives the same
// verdict, test by test. Also: exercise.json is valid, every message key the tests use exists in both languages,
// and every task has hints in both languages.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkRequest, loadExercises, runnerFiles } from '../../src/exercises/catalog.ts';
import { createRunner, type Runner } from '../../src/exercises/runtime/node.ts';
import { LANGS, LESSONS, type Exercise, type ExerciseResult, type Lang } from '../../src/exercises/types.ts';
import { itWithJudge, judgeMissing, runPythonFile } from '../support/judges.ts';
import { itWithArchive } from '../support/runtime.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const exercises = loadExercises(ROOT);
const RUNNER = runnerFiles(ROOT)['flasklab_runner.py'];

/** The message keys a test file names: every string literal shaped like `prefix.name`. */
function keysUsed(tests: string): string[] {
  const keys = new Set<string>();
  for (const m of tests.matchAll(/["']([a-z][a-z0-9_]*\.[a-z0-9_.]+)["']/g)) {
    if (!m[1].endsWith('.py')) keys.add(m[1]);
  }
  return [...keys];
}

/**
 * A second correct answer per exercise, written differently from solution.py (tests/exercises/variants/<id>.py):
 * the tests check what the code does, not how it is written.
 */
const VARIANTS = path.join(import.meta.dirname, 'variants');
const variantFile = (id: string) => path.join(VARIANTS, `${id}.py`);
const hasVariant = (id: string) => existsSync(variantFile(id));
function variantOf(id: string): string {
  return readFileSync(variantFile(id), 'utf8');
}
function codeOf(ex: Exercise, which: Which): string {
  return which === 'variant' ? variantOf(ex.id) : ex[which];
}

type Which = 'starter' | 'solution' | 'variant';
const RUNS: { id: string; which: Which; lang: Lang }[] = [];
for (const ex of exercises) {
  RUNS.push(
    { id: ex.id, which: 'solution', lang: 'en' },
    { id: ex.id, which: 'starter', lang: 'en' },
    { id: ex.id, which: 'starter', lang: 'zh-CN' },
  );
  if (hasVariant(ex.id)) RUNS.push({ id: ex.id, which: 'variant', lang: 'en' });
}

/** All checks in one Debian 13 Python process: one request per line in, one result per line out. */
let results: Map<string, ExerciseResult> | undefined;
function resultOf(id: string, which: Which, lang: Lang): ExerciseResult {
  if (!results) {
    const byId = new Map(exercises.map((e) => [e.id, e]));
    const input = RUNS.map((r) => JSON.stringify(checkRequest(byId.get(r.id)!, codeOf(byId.get(r.id)!, r.which), r.lang))).join('\n');
    const lines = runPythonFile('flask-3.1', RUNNER, ['check-many'], input).trim().split('\n');
    expect(lines).toHaveLength(RUNS.length);
    results = new Map(RUNS.map((r, i) => [`${r.id} ${r.which} ${r.lang}`, JSON.parse(lines[i]) as ExerciseResult]));
  }
  return results.get(`${id} ${which} ${lang}`)!;
}

function summary(r: ExerciseResult): string {
  return [`${r.status}${r.message ? `: ${r.message}` : ''}`, ...r.tests.map((t) => `  ${t.status} ${t.name}${t.message ? `: ${t.message}` : ''}`)].join('\n');
}

describe('exercise catalog', () => {
  it('has at least two exercises for each lesson of the registry, in lesson order, numbered without gaps', () => {
    for (const lesson of LESSONS) expect(exercises.filter((e) => e.lesson === lesson).length, lesson).toBeGreaterThanOrEqual(2);
    const order = exercises.map((e) => LESSONS.indexOf(e.lesson));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(exercises.map((e) => Number(e.id.slice(0, 2)))).toEqual(exercises.map((_, i) => i + 1));
  });

  describe.each(exercises.map((e) => [e.id, e] as [string, Exercise]))('%s', (_id, ex) => {
    it('names only message keys that exist in both languages, and uses every key it defines', () => {
      const used = keysUsed(ex.tests);
      expect(used.length).toBeGreaterThan(0);
      for (const lang of LANGS) {
        expect(used.filter((k) => !(k in ex.messages[lang])), `keys missing in messages/${lang}.json`).toEqual([]);
        expect(Object.keys(ex.messages[lang]).filter((k) => !used.includes(k)), `unused keys in messages/${lang}.json`).toEqual([]);
      }
    });

    it('uses the same {fields} in both languages of each message', () => {
      const fields = (text: string) => [...text.matchAll(/\{([A-Za-z_]\w*)(?:![rs])?\}/g)].map((m) => m[1]).sort();
      for (const [key, en] of Object.entries(ex.messages.en)) expect(fields(ex.messages['zh-CN'][key] ?? ''), key).toEqual(fields(en));
    });

    it('has instructions and hints for every task in both languages', () => {
      for (const lang of LANGS) {
        expect(ex.instructions[lang]).toMatch(/^# /);
        for (const t of ex.tasks) expect(ex.hints[lang][t.id].length, `${lang} ${t.id}`).toBeGreaterThan(0);
        expect(ex.hints['zh-CN'][ex.tasks[0].id].length).toBe(ex.hints.en[ex.tasks[0].id].length);
      }
    });

    itWithJudge('flask-3.1', 'the solution passes on Flask 3.1.1', () => {
      const r = resultOf(ex.id, 'solution', 'en');
      expect(r.status, summary(r)).toBe('pass');
      const tasks = new Set(r.tests.map((t) => t.task_id));
      expect([...tasks].sort(), 'every task is tested').toEqual(ex.tasks.map((t) => t.id).sort());
    });

    it('has a second correct answer, written differently, in tests/exercises/variants/', () => {
      expect(hasVariant(ex.id), `${variantFile(ex.id)} is missing`).toBe(true);
    });

    itWithJudge('flask-3.1', 'a correct answer written differently passes too', () => {
      if (!hasVariant(ex.id)) throw new Error(`${variantFile(ex.id)} is missing`);
      const r = resultOf(ex.id, 'variant', 'en');
      expect(r.status, summary(r)).toBe('pass');
    });

    itWithJudge('flask-3.1', 'the starter fails at least one test, with a message in each language', () => {
      for (const lang of LANGS) {
        const r = resultOf(ex.id, 'starter', lang);
        expect(r.status, summary(r)).toBe('fail');
        const failed = r.tests.filter((t) => t.status !== 'pass');
        expect(failed.length).toBeGreaterThan(0);
        // A fix starts from an app that works but is open to the exploit: some of its tests already pass.
        if (ex.kind === 'fix') expect(failed.length, 'a fix exercise keeps some functional tests passing').toBeLessThan(r.tests.length);
        for (const t of failed) {
          // A message that is only its key means the key has no text in this language.
          expect(t.message ?? '', `${lang} ${t.name}`).not.toMatch(/^[a-z][a-z0-9_]*\.[a-z0-9_.]+( \{.*)?$/s);
          // Nor a message that could not be formatted, nor one whose {field} no parameter filled.
          expect(t.message ?? '', `${lang} ${t.name}`).not.toMatch(/^\w+: [a-z][a-z0-9_]*\.[a-z0-9_.]+$/);
          if (t.status === 'fail') expect(t.message ?? '', `${lang} ${t.name}`).not.toMatch(/\{[A-Za-z_]\w*(![rs])?\}/);
          if (lang === 'zh-CN') expect(t.message ?? '', `${t.name} in Chinese`).toMatch(/[\u4e00-\u9fff]/);
        }
      }
    });
  });
});

/** One Pyodide for every exercise (each start costs seconds), started by the first test that needs it. */
let pyodide: Runner | undefined;
afterAll(() => pyodide?.dispose());

/** Test name → status, for comparing two runs of the same code. */
function verdicts(r: ExerciseResult): Record<string, string> {
  return Object.fromEntries(r.tests.map((t) => [t.name, t.status]));
}

describe('the browser runtime (Pyodide) agrees with CPython', () => {
  for (const ex of exercises) {
    itWithArchive(`${ex.id}: starter, solution and variant, test by test`, async () => {
      pyodide ??= createRunner();
      for (const which of hasVariant(ex.id) ? (['solution', 'variant', 'starter'] as const) : (['solution', 'starter'] as const)) {
        const r = await pyodide.check({ ...checkRequest(ex, codeOf(ex, which), 'en'), timeLimitMs: 30_000 });
        if (judgeMissing('flask-3.1')) {
          expect(r.status, summary(r)).toBe(which === 'starter' ? 'fail' : 'pass');
        } else {
          const judged = resultOf(ex.id, which, 'en');
          expect({ status: r.status, tests: verdicts(r) }, `${which}\n${summary(r)}`).toEqual({ status: judged.status, tests: verdicts(judged) });
        }
      }
    }, 120_000);
  }
});

if (judgeMissing('flask-3.1')) console.warn('[exercises] the Debian 13 judge is missing; only the static checks and Pyodide ran');
