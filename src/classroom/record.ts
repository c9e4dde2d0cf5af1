// The student's file, `<name>.flasklab.json`: what a learner did on the exercises and labs of this browser, for a
// teacher who has no class server. Built from the exercises' stored progress (src/components/exercises/progress.ts)
// and the labs' (localStorage `flask-session-lab:labs:v1`); read back on the teacher's page, where every claim in it
// is checked again (src/classroom/recheck.ts): the file says what the learner's page saw, never what counts.
// Pure: no DOM, no Node (the class server reads submissions with the same parser).
import type { ExerciseProgress, ProgressFile, SlimResult } from '../components/exercises/progress.ts';

export const FORMAT = 'flasklab';
export const FORMAT_VERSION = 1;
/** Largest file accepted, in bytes (a whole course of code is a few hundred KB). */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;
export const MAX_NAME_LENGTH = 100;
/** Longest code kept per exercise, in characters. */
export const MAX_CODE_LENGTH = 200_000;
/** Most actions kept per lab log. */
export const MAX_LOG_LENGTH = 5000;
const MAX_ENTRIES = 200;

/** The labs' stored progress (localStorage key {@link LABS_KEY}), as the labs write it. */
export const LABS_KEY = 'flask-session-lab:labs:v1';
/** The labs' modes (src/labs/types.ts LAB_MODES; kept here so the pages need not load the labs' code). */
export const LAB_MODES: readonly string[] = ['vulnerable', 'fixed'];
export interface LabsProgress {
  format: 1;
  learnerSeed: string;
  labs: Record<string, { mode: string; solved: boolean; solvedAt: string | null; log: unknown[]; seed?: string }>;
}

export interface ExerciseEntry {
  /** The exercise's version the learner worked on. */
  version: number;
  /** The last check's result as the learner's page got it (results v3, slimmed), or null when never checked. */
  result: SlimResult | null;
  /** The learner's code, or null when it is the starter. */
  code: string | null;
  attempts: number;
  /** Hints shown, all tasks together. */
  hintsUsed: number;
  solutionShown: boolean;
  firstSolvedAt: string | null;
}

export interface LabEntry {
  /** The seed the lab ran with. Never trusted: in a class, the teacher computes the student's own (recheck.ts). */
  seed: string;
  mode: string;
  /** The lab's action log, replayed by the teacher (replayLab). */
  log: unknown[];
  claimedSolved: boolean;
  firstSolvedAt: string | null;
}

export interface StudentFile {
  format: typeof FORMAT;
  formatVersion: typeof FORMAT_VERSION;
  siteVersion: string;
  classCode: string | null;
  name: string;
  lang: 'en' | 'zh-CN';
  createdAt: string;
  exercises: Record<string, ExerciseEntry>;
  labs: Record<string, LabEntry>;
}

/** Why a file was refused; each has a message in both languages (src/classroom/i18n.ts). */
export type RecordProblem = 'too-big' | 'empty' | 'not-json' | 'not-flasklab' | 'newer-format' | 'old-format' | 'field';

/** A student file that cannot be read; `field` says where (e.g. `exercises["01-set-cookie"].attempts`). */
export class RecordError extends Error {
  readonly problem: RecordProblem;
  readonly field: string;
  readonly detail: string;
  constructor(problem: RecordProblem, field = '', detail = '') {
    super(`${ENGLISH[problem]}${field ? ` (${field}${detail ? `: ${detail}` : ''})` : detail ? ` (${detail})` : ''}`);
    this.name = 'RecordError';
    this.problem = problem;
    this.field = field;
    this.detail = detail;
  }
}

const ENGLISH: Record<RecordProblem, string> = {
  'too-big': 'the file is too big for a student file',
  empty: 'the file is empty',
  'not-json': 'the file is not valid JSON',
  'not-flasklab': 'this is not a Flask Session Lab student file',
  'newer-format': 'the file was made by a newer version of the site',
  'old-format': 'the file has an unknown format version',
  field: 'a part of the file is not valid',
};

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;
const EXERCISE_ID = /^\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*$/;
const LAB_SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

function isoOrNull(v: unknown, field: string): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v !== 'string' || !ISO_TIME.test(v) || Number.isNaN(Date.parse(v))) throw new RecordError('field', field, 'not an ISO time');
  return v;
}

function count(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 1_000_000) throw new RecordError('field', field, 'not a whole number ≥ 0');
  return v;
}

function bool(v: unknown, field: string): boolean {
  if (typeof v !== 'boolean') throw new RecordError('field', field, 'not true or false');
  return v;
}

const STATUSES = ['pass', 'fail', 'error'];

function result(v: unknown, field: string): SlimResult | null {
  if (v === null || v === undefined) return null;
  if (!isRecord(v) || !STATUSES.includes(v.status as string)) throw new RecordError('field', field, 'not a result object');
  if (v.tests !== undefined && !Array.isArray(v.tests)) throw new RecordError('field', `${field}.tests`, 'not a list');
  const tests = ((v.tests as unknown[] | undefined) ?? []).map((t, i) => {
    if (!isRecord(t) || typeof t.name !== 'string' || !STATUSES.includes(t.status as string)) throw new RecordError('field', `${field}.tests[${i}]`, 'not a test result');
    return {
      name: t.name,
      status: t.status as 'pass' | 'fail' | 'error',
      message: typeof t.message === 'string' ? t.message : null,
      task_id: typeof t.task_id === 'string' ? t.task_id : null,
    };
  });
  return { version: 3, status: v.status as SlimResult['status'], message: typeof v.message === 'string' ? v.message : null, tests };
}

function entries(v: unknown, field: string, key: RegExp): [string, Record<string, unknown>][] {
  if (v === undefined) return [];
  if (!isRecord(v)) throw new RecordError('field', field, 'not an object');
  const list = Object.entries(v);
  if (list.length > MAX_ENTRIES) throw new RecordError('field', field, `more than ${MAX_ENTRIES} entries`);
  return list.map(([k, e]) => {
    if (!key.test(k)) throw new RecordError('field', field, `unknown name ${JSON.stringify(k).slice(0, 60)}`);
    if (!isRecord(e)) throw new RecordError('field', `${field}[${JSON.stringify(k)}]`, 'not an object');
    return [k, e];
  });
}

/** Checks a parsed student file and returns it in its normal form; throws RecordError naming the first problem. */
export function validateRecord(raw: unknown): StudentFile {
  if (!isRecord(raw) || raw.format !== FORMAT) throw new RecordError('not-flasklab');
  if (raw.formatVersion !== FORMAT_VERSION) {
    if (typeof raw.formatVersion === 'number' && raw.formatVersion > FORMAT_VERSION) throw new RecordError('newer-format', 'formatVersion', String(raw.formatVersion));
    throw new RecordError('old-format', 'formatVersion', JSON.stringify(raw.formatVersion ?? null).slice(0, 20));
  }
  if (typeof raw.name !== 'string' || !raw.name.trim()) throw new RecordError('field', 'name', 'empty');
  const name = raw.name.trim();
  if (name.length > MAX_NAME_LENGTH) throw new RecordError('field', 'name', `longer than ${MAX_NAME_LENGTH} characters`);
  if (raw.lang !== 'en' && raw.lang !== 'zh-CN') throw new RecordError('field', 'lang', JSON.stringify(raw.lang ?? null).slice(0, 20));
  if (typeof raw.siteVersion !== 'string' || raw.siteVersion.length > 100) throw new RecordError('field', 'siteVersion', 'not a version');
  const classCode = raw.classCode ?? null;
  if (classCode !== null && (typeof classCode !== 'string' || classCode.length > 8000)) throw new RecordError('field', 'classCode', 'not a class code');
  const createdAt = isoOrNull(raw.createdAt, 'createdAt');
  if (createdAt === null) throw new RecordError('field', 'createdAt', 'missing');

  const exercises: Record<string, ExerciseEntry> = {};
  for (const [id, e] of entries(raw.exercises, 'exercises', EXERCISE_ID)) {
    const at = `exercises[${JSON.stringify(id)}]`;
    if (typeof e.version !== 'number' || !Number.isInteger(e.version) || e.version < 1) throw new RecordError('field', `${at}.version`, 'not a version');
    const code = e.code ?? null;
    if (code !== null && (typeof code !== 'string' || code.length > MAX_CODE_LENGTH)) throw new RecordError('field', `${at}.code`, 'not code');
    exercises[id] = {
      version: e.version,
      result: result(e.result, `${at}.result`),
      code,
      attempts: count(e.attempts ?? 0, `${at}.attempts`),
      hintsUsed: count(e.hintsUsed ?? 0, `${at}.hintsUsed`),
      solutionShown: bool(e.solutionShown ?? false, `${at}.solutionShown`),
      firstSolvedAt: isoOrNull(e.firstSolvedAt, `${at}.firstSolvedAt`),
    };
  }
  const labs: Record<string, LabEntry> = {};
  for (const [slug, e] of entries(raw.labs, 'labs', LAB_SLUG)) {
    const at = `labs[${JSON.stringify(slug)}]`;
    if (typeof e.seed !== 'string' || !e.seed || e.seed.length > 200) throw new RecordError('field', `${at}.seed`, 'not a seed');
    if (typeof e.mode !== 'string' || !/^[a-z0-9-]{1,40}$/.test(e.mode)) throw new RecordError('field', `${at}.mode`, 'not a mode');
    if (!Array.isArray(e.log) || e.log.length > MAX_LOG_LENGTH) throw new RecordError('field', `${at}.log`, `not a list of at most ${MAX_LOG_LENGTH} actions`);
    labs[slug] = { seed: e.seed, mode: e.mode, log: e.log, claimedSolved: bool(e.claimedSolved ?? false, `${at}.claimedSolved`), firstSolvedAt: isoOrNull(e.firstSolvedAt, `${at}.firstSolvedAt`) };
  }
  return { format: FORMAT, formatVersion: FORMAT_VERSION, siteVersion: raw.siteVersion, classCode, name, lang: raw.lang, createdAt, exercises, labs };
}

/** Reads a student file's text (its size in bytes, when known, is checked first); throws RecordError. */
export function parseRecord(text: string, byteLength = new TextEncoder().encode(text).length): StudentFile {
  if (byteLength > MAX_FILE_BYTES) throw new RecordError('too-big', '', `${byteLength} bytes, at most ${MAX_FILE_BYTES}`);
  if (!text.trim()) throw new RecordError('empty');
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new RecordError('not-json', '', (e as Error).message.slice(0, 120));
  }
  return validateRecord(raw);
}

/** Reads the labs' stored progress; anything unreadable reads as no labs. */
export function readLabsProgress(storage: { getItem(key: string): string | null }): LabsProgress {
  const empty: LabsProgress = { format: 1, learnerSeed: '', labs: {} };
  let parsed: unknown;
  try {
    const raw = storage.getItem(LABS_KEY);
    if (raw === null) return empty;
    parsed = JSON.parse(raw);
  } catch {
    return empty;
  }
  if (!isRecord(parsed) || parsed.format !== 1 || !isRecord(parsed.labs) || typeof parsed.learnerSeed !== 'string' || !parsed.learnerSeed) return empty;
  const labs: LabsProgress['labs'] = {};
  // An entry is kept only in the shape the labs write it (src/labs/progress.ts reads it the same way).
  for (const [slug, v] of Object.entries(parsed.labs)) {
    if (!isRecord(v) || !LAB_MODES.includes(v.mode as string) || typeof v.solved !== 'boolean' || !(v.solvedAt === null || typeof v.solvedAt === 'string') || !Array.isArray(v.log)) continue;
    if (v.seed !== undefined && (typeof v.seed !== 'string' || v.seed === '')) continue;
    labs[slug] = { mode: v.mode as string, solved: v.solved, solvedAt: v.solvedAt, log: v.log, ...(typeof v.seed === 'string' ? { seed: v.seed } : {}) };
  }
  return { format: 1, learnerSeed: parsed.learnerSeed, labs };
}

export interface BuildInput {
  name: string;
  lang: 'en' | 'zh-CN';
  siteVersion: string;
  classCode: string | null;
  exercises: ProgressFile;
  labs: LabsProgress;
  /** Only these exercises and labs (an assignment's); all of them when absent. */
  only?: { exercises: readonly string[]; labs: readonly string[] };
  now?: Date;
}

function hintTotal(r: ExerciseProgress): number {
  return Object.values(r.hints).reduce((a, b) => a + b, 0);
}

/** The student file for this browser's progress (validated, so what it builds always reads back). */
export function buildRecord(input: BuildInput): StudentFile {
  const exercises: Record<string, ExerciseEntry> = {};
  for (const [id, r] of Object.entries(input.exercises.exercises)) {
    if (input.only && !input.only.exercises.includes(id)) continue;
    exercises[id] = {
      version: r.version,
      result: r.lastResult ?? null,
      code: r.code,
      attempts: r.attempts ?? 0,
      hintsUsed: hintTotal(r),
      solutionShown: r.solutionShown,
      firstSolvedAt: r.firstSolvedAt ?? null,
    };
  }
  const labs: Record<string, LabEntry> = {};
  for (const [slug, l] of Object.entries(input.labs.labs)) {
    if (input.only && !input.only.labs.includes(slug)) continue;
    labs[slug] = { seed: l.seed ?? input.labs.learnerSeed, mode: l.mode, log: l.log.slice(0, MAX_LOG_LENGTH), claimedSolved: l.solved, firstSolvedAt: l.solvedAt };
  }
  return validateRecord({
    format: FORMAT,
    formatVersion: FORMAT_VERSION,
    siteVersion: input.siteVersion,
    classCode: input.classCode,
    name: input.name,
    lang: input.lang,
    createdAt: (input.now ?? new Date()).toISOString(),
    exercises,
    labs,
  });
}

/** The file name a student file is saved under: the name in letters, digits and dashes, then the date. */
export function recordFileName(file: Pick<StudentFile, 'name' | 'createdAt'>): string {
  const slug =
    file.name
      .normalize('NFKC')
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'student';
  return `${slug}-${file.createdAt.slice(0, 10)}.flasklab.json`;
}
