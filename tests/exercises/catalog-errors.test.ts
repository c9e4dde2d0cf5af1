// The catalog loader's answers to folders that break the exercise layout: each names the file and the problem.
import { cpSync, mkdtempSync, rmSync, writeFileSync, readFileSync, renameSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ExerciseCatalogError, loadExercise, loadExercises } from '../../src/exercises/catalog.ts';

const SOURCE = path.resolve(import.meta.dirname, '../../exercises/03-session-dict-cart');
let tmp: string | undefined;
afterEach(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  tmp = undefined;
});

/** A copy of a real exercise, changed by `edit`; returns the loader's error. */
function brokenBy(edit: (dir: string) => void, folder = '03-session-dict-cart'): ExerciseCatalogError {
  tmp = mkdtempSync(path.join(tmpdir(), 'exercises-'));
  const dir = path.join(tmp, folder);
  cpSync(SOURCE, dir, { recursive: true });
  edit(dir);
  try {
    loadExercise(dir);
  } catch (e) {
    expect(e).toBeInstanceOf(ExerciseCatalogError);
    return e as ExerciseCatalogError;
  }
  throw new Error('the broken exercise loaded');
}

function editJson(file: string, change: (v: Record<string, unknown>) => void): void {
  const v = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  change(v);
  writeFileSync(file, JSON.stringify(v));
}

describe('loadExercise', () => {
  it('loads a real exercise with every file in both languages', () => {
    const ex = loadExercise(SOURCE);
    expect(ex).toMatchObject({ id: '03-session-dict-cart', lesson: 'session-dict', kind: 'fix', version: 1 });
    expect(Object.keys(ex.hints['zh-CN'])).toEqual(ex.tasks.map((t) => t.id));
    expect(ex.solution).toContain('session.modified = True');
  });

  it('names the file and the problem', () => {
    expect(brokenBy((d) => unlinkSync(path.join(d, 'starter.py'))).message).toMatch(/starter\.py: missing$/);
    expect(brokenBy((d) => writeFileSync(path.join(d, 'exercise.json'), '{"id": ')).message).toMatch(/exercise\.json: not valid JSON/);
    expect(brokenBy((d) => editJson(path.join(d, 'exercise.json'), (v) => (v.id = 'other'))).message).toMatch(/id must be the folder name "03-session-dict-cart", found "other"/);
    expect(brokenBy((d) => editJson(path.join(d, 'exercise.json'), (v) => (v.lesson = 'forms'))).message).toMatch(/lesson must be one of cookies, session-dict, .*found "forms"/);
    expect(brokenBy((d) => editJson(path.join(d, 'exercise.json'), (v) => (v.kind = 'quiz'))).message).toMatch(/kind must be one of implement, attack, fix/);
    expect(brokenBy((d) => editJson(path.join(d, 'exercise.json'), (v) => (v.timeLimitMs = 100))).message).toMatch(/timeLimitMs must be an integer between 500 and 60000/);
    expect(brokenBy((d) => editJson(path.join(d, 'exercise.json'), (v) => ((v.title as Record<string, string>)['zh-CN'] = ''))).message).toMatch(/title\.zh-CN must be a non-empty string/);
    expect(brokenBy((d) => editJson(path.join(d, 'exercise.json'), (v) => (v.extra = 1))).message).toMatch(/unknown fields: extra/);
    expect(brokenBy((d) => editJson(path.join(d, 'hints', 'zh-CN.json'), (v) => delete v.quiet)).message).toMatch(/hints[/\\]zh-CN\.json: task "quiet" needs a non-empty list of hints/);
    expect(brokenBy((d) => editJson(path.join(d, 'hints', 'en.json'), (v) => (v.other = ['x']))).message).toMatch(/hints for unknown task "other"/);
    expect(brokenBy((d) => editJson(path.join(d, 'messages', 'zh-CN.json'), (v) => delete v['cart.first_item'])).message).toMatch(/messages[/\\]zh-CN\.json: lacks keys that en\.json has: cart\.first_item/);
    expect(brokenBy((d) => renameSync(path.join(d, 'docs', 'zh-CN'), path.join(d, 'docs', 'zh')))).toMatchObject({ file: expect.stringMatching(/docs[/\\]zh-CN[/\\]instructions\.md$/) });
  });

  it('refuses a folder name that is not nn-slug, and two exercises with one number', () => {
    expect(brokenBy(() => {}, 'cart').message).toMatch(/id must be the folder name "cart"/);
    tmp = mkdtempSync(path.join(tmpdir(), 'exercises-'));
    cpSync(SOURCE, path.join(tmp, '03-session-dict-cart'), { recursive: true });
    cpSync(SOURCE, path.join(tmp, '03-again'), { recursive: true });
    editJson(path.join(tmp, '03-again', 'exercise.json'), (v) => (v.id = '03-again'));
    expect(() => loadExercises(tmp!)).toThrow(/number 03 is also used by 03-again/);
  });
});
