// What a student's page may send to the class server, checked before anything is stored. A submission has the
// shape of a student file (`*.flasklab.json`) cut down to what was just checked: who (a random learner id and a
// name), the language, and one or more exercise or lab entries as the student file holds them. Anything else is
// refused with a reason in plain words (and a code the page or a script can act on). Pure: no I/O.

/** Most bytes of one request body; a larger one is refused (413) before it is read whole. */
export const MAX_BODY_BYTES = 512 * 1024;
/** Most characters of a name, of one exercise's code, of a lab log's JSON. */
export const MAX_NAME_CHARS = 60;
export const MAX_CODE_CHARS = 100_000;
export const MAX_LOG_CHARS = 200_000;
export const MAX_ENTRIES = 64;

/** A refused request: the HTTP status, a stable code and a sentence saying what to change. */
export class SubmissionError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'SubmissionError';
    this.status = status;
    this.code = code;
  }
}

export type Claim = 'pass' | 'fail' | 'error' | 'solved' | 'unsolved';

export interface ExerciseEntry {
  readonly kind: 'exercise';
  readonly task: string;
  readonly version: number;
  /** What the page says its check gave; never trusted, re-run on the server. */
  readonly claimed: 'pass' | 'fail' | 'error';
  readonly code: string;
  readonly hintsUsed: number;
  readonly solutionShown: boolean;
  readonly attempts: number | null;
}

export interface LabEntry {
  readonly kind: 'lab';
  readonly task: string;
  readonly seed: string;
  readonly mode: string;
  readonly log: unknown[];
  readonly claimed: 'solved' | 'unsolved';
}

export type Entry = ExerciseEntry | LabEntry;

export interface Submission {
  readonly token: string;
  readonly learner: string;
  /** The key the server gave this learner at registration, when the page has one (then it must match). */
  readonly key: string | null;
  readonly name: string;
  readonly lang: 'en' | 'zh-CN';
  readonly entries: readonly Entry[];
}

const bad = (code: string, message: string): SubmissionError => new SubmissionError(400, code, message);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses a request body's text as JSON, or says why it is not JSON (400). */
export function parseJsonBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw bad('malformed-json', `The body is not valid JSON (${(e as Error).message}).`);
  }
}

/**
 * Checks a learner's name: 1 to 60 characters once trimmed, no control characters, and no `<` or `>` (a name
 * is shown as text on the dashboard whatever it holds, but markup in a name is refused outright so nobody has to
 * wonder). Returns the trimmed name.
 */
export function checkName(v: unknown): string {
  if (typeof v !== 'string' || !v.trim()) throw bad('bad-name', 'The name is missing: give a name of 1 to 60 characters.');
  const name = v.trim().normalize('NFC');
  if ([...name].length > MAX_NAME_CHARS) throw bad('bad-name', `The name is longer than ${MAX_NAME_CHARS} characters.`);
  if (/[<>]/.test(name)) throw bad('markup-in-name', 'The name holds < or >, which looks like markup: a name is plain text, so use letters, digits, spaces and ordinary punctuation.');
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(name)) throw bad('bad-name', 'The name holds control characters or line breaks.');
  return name;
}

function int(v: unknown, min: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min;
}

/** The claim a check result makes: pass only when it says pass and every test it lists passed. */
export function claimOf(result: unknown): 'pass' | 'fail' | 'error' {
  if (!isRecord(result)) return 'error';
  if (result.status === 'pass') {
    const tests = Array.isArray(result.tests) ? result.tests : [];
    return tests.length > 0 && tests.every((t) => isRecord(t) && t.status === 'pass') ? 'pass' : 'fail';
  }
  return result.status === 'fail' ? 'fail' : 'error';
}

/**
 * Checks a parsed submission. `exerciseIds` are the exercises the catalog has (an unknown one is refused);
 * `labSlugs`, when given, the labs there are.
 * @throws {SubmissionError} naming the first problem.
 */
export function validateSubmission(raw: unknown, exerciseIds: ReadonlySet<string>, labSlugs: ReadonlySet<string> | null): Submission {
  if (!isRecord(raw)) throw bad('not-an-object', 'The body must be a JSON object.');
  if (raw.format !== 'flasklab-submission' || raw.formatVersion !== 1) throw bad('bad-format', 'The body is not a submission: format must be "flasklab-submission" and formatVersion 1.');
  if (typeof raw.token !== 'string' || !raw.token) throw new SubmissionError(403, 'no-token', 'The submission carries no class token: open the class link your teacher gave.');
  if (typeof raw.learner !== 'string' || !/^[A-Za-z0-9_-]{8,64}$/.test(raw.learner)) throw bad('bad-learner', 'learner must be 8 to 64 letters, digits, - or _.');
  const key = raw.key ?? null;
  if (key !== null && (typeof key !== 'string' || !LEARNER_KEY.test(key))) throw bad('bad-key', 'key must be the learner key this server gave at registration (16 to 100 letters, digits, - or _).');
  const name = checkName(raw.name);
  if (raw.lang !== 'en' && raw.lang !== 'zh-CN') throw bad('bad-lang', 'lang must be "en" or "zh-CN".');
  const entries: Entry[] = [];
  const exercises = raw.exercises ?? {};
  const labs = raw.labs ?? {};
  if (!isRecord(exercises)) throw bad('bad-exercises', 'exercises must be an object: exercise id → entry.');
  if (!isRecord(labs)) throw bad('bad-labs', 'labs must be an object: lab slug → entry.');
  for (const [id, e] of Object.entries(exercises)) {
    if (!exerciseIds.has(id)) throw bad('unknown-exercise', `There is no exercise ${JSON.stringify(id.slice(0, 80))} on this site.`);
    if (!isRecord(e)) throw bad('bad-entry', `exercises.${id} must be an object.`);
    if (!int(e.version, 1)) throw bad('bad-entry', `exercises.${id}.version must be a whole number from 1.`);
    if (typeof e.code !== 'string') throw bad('bad-entry', `exercises.${id}.code must be the code that was checked.`);
    if (e.code.length > MAX_CODE_CHARS) throw bad('bad-entry', `exercises.${id}.code is longer than ${MAX_CODE_CHARS} characters.`);
    if (!isRecord(e.result)) throw bad('bad-entry', `exercises.${id}.result must be the check's result object.`);
    const hints = e.hintsUsed ?? 0;
    if (!int(hints, 0)) throw bad('bad-entry', `exercises.${id}.hintsUsed must be a whole number from 0.`);
    if (e.attempts !== undefined && e.attempts !== null && !int(e.attempts, 0)) throw bad('bad-entry', `exercises.${id}.attempts must be a whole number from 0.`);
    entries.push({
      kind: 'exercise',
      task: id,
      version: e.version,
      claimed: claimOf(e.result),
      code: e.code,
      hintsUsed: hints,
      solutionShown: e.solutionShown === true,
      attempts: typeof e.attempts === 'number' ? e.attempts : null,
    });
  }
  for (const [slug, l] of Object.entries(labs)) {
    if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(slug) || (labSlugs && !labSlugs.has(slug))) throw bad('unknown-lab', `There is no lab ${JSON.stringify(slug.slice(0, 80))} on this site.`);
    if (!isRecord(l)) throw bad('bad-entry', `labs.${slug} must be an object.`);
    if (typeof l.seed !== 'string' || !l.seed || l.seed.length > 200) throw bad('bad-entry', `labs.${slug}.seed must be the lab's seed (1 to 200 characters).`);
    if (typeof l.mode !== 'string' || !/^[a-z0-9-]{1,40}$/.test(l.mode)) throw bad('bad-entry', `labs.${slug}.mode must be the lab's mode, e.g. "vulnerable".`);
    if (!Array.isArray(l.log)) throw bad('bad-entry', `labs.${slug}.log must be the lab's action log (a list).`);
    if (JSON.stringify(l.log).length > MAX_LOG_CHARS) throw bad('bad-entry', `labs.${slug}.log is longer than ${MAX_LOG_CHARS} characters of JSON.`);
    entries.push({ kind: 'lab', task: slug, seed: l.seed, mode: l.mode, log: l.log, claimed: l.claimedSolved === true ? 'solved' : 'unsolved' });
  }
  if (entries.length === 0) throw bad('nothing-to-submit', 'The submission holds no exercise and no lab.');
  if (entries.length > MAX_ENTRIES) throw bad('too-many-entries', `A submission holds at most ${MAX_ENTRIES} entries.`);
  return { token: raw.token, learner: raw.learner, key, name, lang: raw.lang, entries };
}

const LEARNER_KEY = /^[A-Za-z0-9_-]{16,100}$/;

/** A page asking for a learner key: the class token, its learner id and the student's name. */
export interface Registration {
  readonly token: string;
  readonly learner: string;
  readonly name: string;
}

/** Checks a parsed registration. @throws {SubmissionError} naming the first problem. */
export function validateRegistration(raw: unknown): Registration {
  if (!isRecord(raw)) throw bad('not-an-object', 'The body must be a JSON object.');
  if (raw.format !== 'flasklab-register' || raw.formatVersion !== 1) throw bad('bad-format', 'The body is not a registration: format must be "flasklab-register" and formatVersion 1.');
  if (typeof raw.token !== 'string' || !raw.token) throw new SubmissionError(403, 'no-token', 'The registration carries no class token: open the class link your teacher gave.');
  if (typeof raw.learner !== 'string' || !/^[A-Za-z0-9_-]{8,64}$/.test(raw.learner)) throw bad('bad-learner', 'learner must be 8 to 64 letters, digits, - or _.');
  return { token: raw.token, learner: raw.learner, name: checkName(raw.name) };
}

/**
 * JSON for anything the server sends that may hold a student's string: `<`, `>`, `&` and the two JavaScript line
 * separators are written as \u escapes, so the text is the same JSON yet can never close a tag or start markup
 * wherever it lands.
 */
export function safeJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
