// Reads the exercises from their folders (exercises/<nn-slug>/) and checks every file against the layout:
// exercise.json, starter.py, solution.py, test_exercise.py, messages/<lang>.json, docs/<lang>/instructions.md,
// hints/<lang>.json. Used at build time by the pages and at run time by the CLI (node:fs only, no bundler magic).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import {
  EXERCISE_KINDS,
  LANGS,
  LESSONS,
  type CheckRequest,
  type Exercise,
  type ExerciseMeta,
  type ExerciseTask,
  type Lang,
  type Localized,
} from './types.ts';

/** A folder or file that does not follow the exercise layout; the message names the file and what is wrong. */
export class ExerciseCatalogError extends Error {
  readonly file: string;
  constructor(file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.name = 'ExerciseCatalogError';
    this.file = file;
  }
}

const ID_PATTERN = /^(\d{2})-[a-z0-9]+(?:-[a-z0-9]+)*$/;
const TASK_ID_PATTERN = /^[a-z][a-z0-9_-]*$/;

/** Where the exercises live: `rootDir` itself, or `rootDir/exercises` when given the project folder. */
export function exercisesDir(rootDir: string): string {
  const nested = path.join(rootDir, 'exercises');
  return existsSync(path.join(nested, '_runner')) ? nested : rootDir;
}

/** The two Python files of the runner (`flasklab_runner.py`, `flasklab.py`), by name → absolute path. */
export function runnerFiles(rootDir: string): Record<'flasklab_runner.py' | 'flasklab.py', string> {
  const dir = path.join(exercisesDir(rootDir), '_runner');
  return { 'flasklab_runner.py': path.join(dir, 'flasklab_runner.py'), 'flasklab.py': path.join(dir, 'flasklab.py') };
}

function readText(file: string): string {
  if (!existsSync(file)) throw new ExerciseCatalogError(file, 'missing');
  return readFileSync(file, 'utf8');
}

function readJson(file: string): unknown {
  const text = readText(file);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ExerciseCatalogError(file, `not valid JSON (${(e as Error).message})`);
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function localized(file: string, where: string, v: unknown): Localized {
  if (!isRecord(v)) throw new ExerciseCatalogError(file, `${where} must be an object {"en": …, "zh-CN": …}`);
  for (const lang of LANGS) {
    if (typeof v[lang] !== 'string' || !(v[lang] as string).trim()) {
      throw new ExerciseCatalogError(file, `${where}.${lang} must be a non-empty string`);
    }
  }
  const extra = Object.keys(v).filter((k) => !(LANGS as readonly string[]).includes(k));
  if (extra.length) throw new ExerciseCatalogError(file, `${where} has unknown languages: ${extra.join(', ')}`);
  return { en: v.en as string, 'zh-CN': v['zh-CN'] as string };
}

/** Checks the parsed exercise.json of folder `folder`; throws ExerciseCatalogError naming the first problem. */
export function validateMeta(file: string, folder: string, raw: unknown): ExerciseMeta {
  if (!isRecord(raw)) throw new ExerciseCatalogError(file, 'must be a JSON object');
  const known = ['id', 'version', 'lesson', 'kind', 'timeLimitMs', 'title', 'tasks'];
  const unknown = Object.keys(raw).filter((k) => !known.includes(k));
  if (unknown.length) throw new ExerciseCatalogError(file, `unknown fields: ${unknown.join(', ')} (allowed: ${known.join(', ')})`);
  if (raw.id !== folder) throw new ExerciseCatalogError(file, `id must be the folder name "${folder}", found ${JSON.stringify(raw.id)}`);
  if (!ID_PATTERN.test(folder)) throw new ExerciseCatalogError(file, `the folder name "${folder}" must look like "01-some-slug"`);
  if (!Number.isInteger(raw.version) || (raw.version as number) < 1) throw new ExerciseCatalogError(file, 'version must be an integer ≥ 1');
  if (!(LESSONS as readonly unknown[]).includes(raw.lesson)) {
    throw new ExerciseCatalogError(file, `lesson must be one of ${LESSONS.join(', ')}, found ${JSON.stringify(raw.lesson)}`);
  }
  if (!(EXERCISE_KINDS as readonly unknown[]).includes(raw.kind)) {
    throw new ExerciseCatalogError(file, `kind must be one of ${EXERCISE_KINDS.join(', ')}, found ${JSON.stringify(raw.kind)}`);
  }
  const limit = raw.timeLimitMs;
  if (!Number.isInteger(limit) || (limit as number) < 500 || (limit as number) > 60_000) {
    throw new ExerciseCatalogError(file, 'timeLimitMs must be an integer between 500 and 60000');
  }
  const title = localized(file, 'title', raw.title);
  if (!Array.isArray(raw.tasks) || raw.tasks.length === 0) throw new ExerciseCatalogError(file, 'tasks must be a non-empty array');
  const seen = new Set<string>();
  const tasks: ExerciseTask[] = raw.tasks.map((t: unknown, i: number) => {
    if (!isRecord(t)) throw new ExerciseCatalogError(file, `tasks[${i}] must be an object {id, title}`);
    if (typeof t.id !== 'string' || !TASK_ID_PATTERN.test(t.id)) {
      throw new ExerciseCatalogError(file, `tasks[${i}].id must be a lowercase identifier, found ${JSON.stringify(t.id)}`);
    }
    if (seen.has(t.id)) throw new ExerciseCatalogError(file, `tasks[${i}].id "${t.id}" is used twice`);
    seen.add(t.id);
    return { id: t.id, title: localized(file, `tasks[${i}].title`, t.title) };
  });
  return { id: folder, version: raw.version as number, lesson: raw.lesson as ExerciseMeta['lesson'], kind: raw.kind as ExerciseMeta['kind'], timeLimitMs: limit as number, title, tasks };
}

function readMessages(file: string): Record<string, string> {
  const raw = readJson(file);
  if (!isRecord(raw)) throw new ExerciseCatalogError(file, 'must be a JSON object {key: text}');
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v !== 'string' || !v.trim()) throw new ExerciseCatalogError(file, `message "${k}" must be a non-empty string`);
  }
  return raw as Record<string, string>;
}

function readHints(file: string, tasks: readonly ExerciseTask[]): Record<string, string[]> {
  const raw = readJson(file);
  if (!isRecord(raw)) throw new ExerciseCatalogError(file, 'must be a JSON object {taskId: [hint, stronger hint, …]}');
  const ids = tasks.map((t) => t.id);
  for (const k of Object.keys(raw)) {
    if (!ids.includes(k)) throw new ExerciseCatalogError(file, `hints for unknown task "${k}" (tasks: ${ids.join(', ')})`);
  }
  for (const id of ids) {
    const list = raw[id];
    if (!Array.isArray(list) || list.length === 0 || list.some((h) => typeof h !== 'string' || !h.trim())) {
      throw new ExerciseCatalogError(file, `task "${id}" needs a non-empty list of hints (strings, weakest first)`);
    }
  }
  return raw as Record<string, string[]>;
}

/** Reads and validates one exercise folder. */
export function loadExercise(dir: string): Exercise {
  const folder = path.basename(dir);
  const metaFile = path.join(dir, 'exercise.json');
  const meta = validateMeta(metaFile, folder, readJson(metaFile));
  const messages = {} as Record<Lang, Record<string, string>>;
  const instructions = {} as Record<Lang, string>;
  const hints = {} as Record<Lang, Record<string, string[]>>;
  for (const lang of LANGS) {
    messages[lang] = readMessages(path.join(dir, 'messages', `${lang}.json`));
    const doc = path.join(dir, 'docs', lang, 'instructions.md');
    instructions[lang] = readText(doc);
    if (!instructions[lang].trim()) throw new ExerciseCatalogError(doc, 'is empty');
    hints[lang] = readHints(path.join(dir, 'hints', `${lang}.json`), meta.tasks);
  }
  const missing = (a: Lang, b: Lang) => Object.keys(messages[a]).filter((k) => !(k in messages[b]));
  for (const [a, b] of [['en', 'zh-CN'], ['zh-CN', 'en']] as const) {
    const keys = missing(a, b);
    if (keys.length) throw new ExerciseCatalogError(path.join(dir, 'messages', `${b}.json`), `lacks keys that ${a}.json has: ${keys.join(', ')}`);
  }
  return {
    ...meta,
    dir: path.resolve(dir),
    starter: readText(path.join(dir, 'starter.py')),
    solution: readText(path.join(dir, 'solution.py')),
    tests: readText(path.join(dir, 'test_exercise.py')),
    messages,
    instructions,
    hints,
  };
}

/**
 * Every exercise under `rootDir` (the exercises folder, or the project folder that holds it), ordered by id.
 * Folders starting with `_` or `.` are not exercises. Throws ExerciseCatalogError on the first file that breaks
 * the layout, and when two exercises share a number.
 */
export function loadExercises(rootDir: string): Exercise[] {
  const dir = exercisesDir(rootDir);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ExerciseCatalogError(dir, 'no exercises folder here');
  const names = readdirSync(dir)
    .filter((n) => !n.startsWith('_') && !n.startsWith('.') && statSync(path.join(dir, n)).isDirectory())
    .sort();
  const numbers = new Map<string, string>();
  const out: Exercise[] = [];
  for (const name of names) {
    const ex = loadExercise(path.join(dir, name));
    const nn = name.slice(0, 2);
    if (numbers.has(nn)) throw new ExerciseCatalogError(path.join(dir, name), `number ${nn} is also used by ${numbers.get(nn)}`);
    numbers.set(nn, name);
    out.push(ex);
  }
  return out;
}

/** The request `check` sends to the Python runner for this exercise, code and language. */
export function checkRequest(exercise: Exercise, learner: string, lang: Lang, outputCap = 2000): CheckRequest {
  return { learner, tests: exercise.tests, messages: exercise.messages[lang], lang, output_cap: outputCap };
}
