// The learner's progress on the exercises, kept in the browser's localStorage under one versioned key: for each
// exercise, the version it was last worked on, whether it was solved, the last code, the hints used per task and
// whether the solution was shown. Pure apart from the Storage it is given, so it is tested without a browser.

/** The localStorage key. The `v1` is the format of the stored record, not an exercise's version. */
export const PROGRESS_KEY = 'flask-session-lab:exercises:v1';

/** What is kept about one exercise. */
export interface ExerciseProgress {
  /** The exercise's `version` when this record was last written. */
  version: number;
  /** True once a Check passed on that version. */
  solved: boolean;
  /** The learner's last code, or null while it is the starter. */
  code: string | null;
  /** How many hints of each task were shown (task id → count). */
  hints: Record<string, number>;
  /** True once the solution replaced the learner's code. */
  solutionShown: boolean;
  /** How many times Check ran on this exercise (absent in records written before it was counted: 0). */
  attempts?: number;
  /** When a Check first passed on this version (ISO time), or null. */
  firstSolvedAt?: string | null;
  /** The last check's result, slimmed (see slimResult), or null. Kept for the file a learner exports. */
  lastResult?: SlimResult | null;
}

/**
 * A check's result as kept in storage: the results v3 object without the exchanges, the outputs and the test
 * sources (the same for every learner, and large); the statuses and messages stay.
 */
export interface SlimResult {
  version: 3;
  status: 'pass' | 'fail' | 'error';
  message: string | null;
  tests: { name: string; status: 'pass' | 'fail' | 'error'; message: string | null; task_id: string | null }[];
}

/** The slim form of a result the panel got. */
export function slimResult(r: { status: string; message?: string | null; tests?: readonly { name: string; status: string; message?: string | null; task_id?: string | number | null }[] }): SlimResult {
  const st = (s: string) => (s === 'pass' || s === 'fail' ? s : 'error');
  return {
    version: 3,
    status: st(r.status),
    message: r.message ?? null,
    tests: (Array.isArray(r.tests) ? r.tests : []).filter((t) => typeof t?.name === 'string').map((t) => ({ name: t.name, status: st(t.status), message: t.message ?? null, task_id: t.task_id === undefined || t.task_id === null ? null : String(t.task_id) })),
  };
}

/** The whole stored object. */
export interface ProgressFile {
  format: 1;
  exercises: Record<string, ExerciseProgress>;
}

/** The minimal Storage the store needs (window.localStorage fits). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** A record's status as the overview and the panel show it. */
export type ProgressStatus = 'not-started' | 'started' | 'solved' | 'changed';

const EMPTY: ProgressFile = { format: 1, exercises: {} };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** One stored record, or null when it is not one (a damaged entry is dropped, never trusted). */
function parseRecord(v: unknown): ExerciseProgress | null {
  if (!isRecord(v)) return null;
  if (typeof v.version !== 'number' || !Number.isInteger(v.version)) return null;
  const hints: Record<string, number> = {};
  if (isRecord(v.hints)) {
    for (const [task, n] of Object.entries(v.hints)) if (typeof n === 'number' && Number.isInteger(n) && n > 0) hints[task] = n;
  }
  return {
    version: v.version,
    solved: v.solved === true,
    code: typeof v.code === 'string' ? v.code : null,
    hints,
    solutionShown: v.solutionShown === true,
    // Kept only when present, so a record written before they existed reads as it always did.
    ...(typeof v.attempts === 'number' && Number.isInteger(v.attempts) && v.attempts > 0 ? { attempts: v.attempts } : {}),
    ...(typeof v.firstSolvedAt === 'string' ? { firstSolvedAt: v.firstSolvedAt } : {}),
    ...(isRecord(v.lastResult) && typeof v.lastResult.status === 'string' ? { lastResult: slimResult(v.lastResult as Parameters<typeof slimResult>[0]) } : {}),
  };
}

/**
 * What a check leaves in a record: one more attempt, its result (slimmed), and on a pass (status pass, every test
 * passed, at least one test) solved, with the time of the first pass.
 */
export function recordCheck(r: ExerciseProgress, result: Parameters<typeof slimResult>[0], now = new Date()): void {
  r.attempts = (r.attempts ?? 0) + 1;
  r.lastResult = slimResult(result);
  const tests = result.tests ?? [];
  if (result.status === 'pass' && tests.length > 0 && tests.every((x) => x.status === 'pass')) {
    r.solved = true;
    r.firstSolvedAt ??= now.toISOString();
  }
}

/** Reads the stored progress; anything unreadable (no key, bad JSON, another format) reads as no progress. */
export function readProgress(storage: KeyValueStorage): ProgressFile {
  let raw: string | null;
  try {
    raw = storage.getItem(PROGRESS_KEY);
  } catch {
    return structuredClone(EMPTY);
  }
  if (raw === null) return structuredClone(EMPTY);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return structuredClone(EMPTY);
  }
  if (!isRecord(parsed) || parsed.format !== 1 || !isRecord(parsed.exercises)) return structuredClone(EMPTY);
  const exercises: Record<string, ExerciseProgress> = {};
  for (const [id, rec] of Object.entries(parsed.exercises)) {
    const r = parseRecord(rec);
    if (r) exercises[id] = r;
  }
  return { format: 1, exercises };
}

/** The record of one exercise, or a fresh one for its current version. */
export function recordOf(file: ProgressFile, id: string, version: number): ExerciseProgress {
  return file.exercises[id] ?? { version, solved: false, code: null, hints: {}, solutionShown: false };
}

/** How an exercise stands for a learner: solved only counts on the exercise's current version. */
export function statusOf(file: ProgressFile, id: string, version: number): ProgressStatus {
  const r = file.exercises[id];
  if (!r) return 'not-started';
  if (r.version !== version) return 'changed';
  if (r.solved) return 'solved';
  return 'started';
}

/** The total number of hints shown for an exercise. */
export function hintsUsed(r: ExerciseProgress): number {
  return Object.values(r.hints).reduce((a, b) => a + b, 0);
}

/**
 * Applies `change` to one exercise's record and writes the whole file back. The record is moved to `version`
 * first: a record from an older version keeps its code and hints but is no longer solved.
 * Throws what the Storage throws (quota, storage disabled), so the caller can say so.
 */
export function updateProgress(storage: KeyValueStorage, id: string, version: number, change: (r: ExerciseProgress) => void): ExerciseProgress {
  const file = readProgress(storage);
  const old = recordOf(file, id, version);
  const r: ExerciseProgress = old.version === version ? structuredClone(old) : { ...structuredClone(old), version, solved: false, firstSolvedAt: undefined, lastResult: undefined };
  change(r);
  file.exercises[id] = r;
  storage.setItem(PROGRESS_KEY, JSON.stringify(file));
  return r;
}
