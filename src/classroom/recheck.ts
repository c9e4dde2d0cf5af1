// Checking students' files again: every exercise's code is run against the CURRENT tests and every lab's log is
// replayed, and only that decides a cell of the teacher's table. What the file claims is kept beside it, to be
// flagged when it differs. The runner is given (Workers on the teacher's page, node.ts in the tests and on the class
// server), so this file stays pure.
import type { SlimResult } from '../components/exercises/progress.ts';
import type { classLabSeed } from '../labs/random.ts';
import { parseClassCode } from './class-code.ts';
import type { StudentFile } from './record.ts';

/** What the teacher's site knows of an exercise now. */
export interface CurrentExercise {
  id: string;
  version: number;
  /** The starter: what a learner who never typed is checked with. */
  starter: string;
}

/** A result as a runner answers it (results v3; only the statuses are read). */
export interface RerunResult {
  status: string;
  message?: string | null;
  tests?: readonly { name: string; status: string }[];
}

/** Runs `code` against the current tests of exercise `id`, on runner `slot` (0 … slots-1). */
export type RunCheck = (slot: number, id: string, code: string) => Promise<RerunResult>;
/** The labs' replay (src/labs: replayLab): re-creates the instance from its seed and mode, replays the log. */
// `mode` and `log` are the labs' own types: the file's values are passed as they are, and the replay refuses (with
// `error`) what it does not know.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ReplayLab = (slug: string, seed: string, mode: any, log: any) => Promise<ReplayOutcome> | ReplayOutcome;
/** What a replay found; `error` says why a log could not be replayed (a malformed log, an unknown mode). */
export interface ReplayOutcome {
  solved: boolean;
  solvedAt: number | null;
  error?: string;
}

export type TaskKind = 'exercise' | 'lab';
export interface Task {
  kind: TaskKind;
  id: string;
}
export const taskKey = (t: Task): string => `${t.kind}:${t.id}`;

/**
 * A cell's state, decided by the re-check only: pass / fail / error (the re-run), missing (nothing in the file),
 * unknown (no such exercise or lab on this site), unchecked (a lab this site cannot replay: never a pass).
 */
export type CellState = 'pass' | 'fail' | 'error' | 'missing' | 'unknown' | 'unchecked';
export type Flag = 'claim-differs' | 'seed-mismatch' | 'outdated' | 'solution-shown' | 'hints-used';
export const FLAGS: readonly Flag[] = ['claim-differs', 'seed-mismatch', 'outdated', 'solution-shown', 'hints-used'];

export interface Cell {
  state: CellState;
  /** What the file says: true for a claimed pass, false for a claimed non-pass, null when it claims nothing. */
  claimed: boolean | null;
  flags: Flag[];
  attempts: number;
  hintsUsed: number;
  /** The exercise version the learner worked on, and the site's. */
  version: number | null;
  currentVersion: number | null;
  firstSolvedAt: string | null;
  /** Why the re-run is an error (a runner's or a replay's message), when it is. */
  message: string | null;
  /** The tests that did not pass in the re-run (their names), when it ran them. */
  failedTests: string[];
  /** How many tests the re-run ran. */
  testCount: number;
}

export interface StudentRow {
  /** The file's position in the import, for a stable order. */
  index: number;
  fileName: string;
  name: string;
  lang: string;
  createdAt: string;
  siteVersion: string;
  classCode: string | null;
  cells: Record<string, Cell>;
  /** Tasks whose re-check passed. */
  solved: number;
  /** Cells with at least one flag. */
  flagged: number;
}

/** True when a result is a pass the way the panel counts one: status pass and every test (at least one) passed. */
export function isPass(r: RerunResult | SlimResult | null | undefined): boolean {
  return !!r && r.status === 'pass' && (r.tests ?? []).length > 0 && (r.tests ?? []).every((t) => t.status === 'pass');
}

/**
 * The seed lab `slug` must have run with in `file`: computed from the file's class code and the file's name
 * (src/labs/random.ts classLabSeed), never read from the file; null when the file has no readable class code
 * (outside a class seeds are random, so nothing ties a lab entry to its student). A class code is not a secret,
 * and a file may name any class, but no class code and name give another student's seed for this file's name.
 */
export function expectedLabSeed(file: Pick<StudentFile, 'classCode' | 'name'>, slug: string, derive: typeof classLabSeed): string | null {
  if (!file.classCode) return null;
  try {
    return derive(parseClassCode(file.classCode), file.name, slug);
  } catch {
    return null;
  }
}

/** The tasks of a set of files: the assignment's when given, else every exercise and lab any file has, sorted. */
export function tasksOf(files: readonly StudentFile[], assignment?: { exercises: readonly string[]; labs: readonly string[] } | null): Task[] {
  if (assignment) return [...assignment.exercises.map((id) => ({ kind: 'exercise' as const, id })), ...assignment.labs.map((id) => ({ kind: 'lab' as const, id }))];
  const ex = new Set<string>();
  const labs = new Set<string>();
  for (const f of files) {
    Object.keys(f.exercises).forEach((id) => ex.add(id));
    Object.keys(f.labs).forEach((id) => labs.add(id));
  }
  return [...[...ex].sort().map((id) => ({ kind: 'exercise' as const, id })), ...[...labs].sort().map((id) => ({ kind: 'lab' as const, id }))];
}

export interface RecheckOptions {
  exercises: readonly CurrentExercise[];
  /** The lab slugs this site has. */
  labs: readonly string[];
  runCheck: RunCheck;
  /** How many runners run at once (1 or 2 Workers on a page). */
  slots: number;
  /** Absent when this site cannot replay labs: every lab cell is then "unchecked", never a pass. */
  replayLab?: ReplayLab;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Checks every file again and returns one row per file, in the order given. Identical code for the same exercise
 * is run once (a class often submits the same solution); the runs are spread over `slots` runners.
 */
export async function recheck(files: readonly { fileName: string; file: StudentFile }[], tasks: readonly Task[], options: RecheckOptions): Promise<StudentRow[]> {
  const current = new Map(options.exercises.map((e) => [e.id, e]));
  const labsHere = new Set(options.labs);
  // One job per distinct (exercise, code) and per lab entry.
  const runs = new Map<string, { id: string; code: string; result?: RerunResult }>();
  const replays: { slug: string; seed: string; mode: string; log: unknown[]; result?: { solved: boolean } | Error }[] = [];
  const replayOf = new Map<string, (typeof replays)[number]>();
  const runKey = (id: string, code: string) => `${id}\u0000${code}`;
  // The HMAC code that computes seeds is loaded only when there are labs to replay.
  const derive = options.replayLab && files.some(({ file }) => Object.keys(file.labs).length > 0) ? (await import('../labs/random.ts')).classLabSeed : null;
  const ownSeed = (file: StudentFile, slug: string) => (derive ? expectedLabSeed(file, slug, derive) : null);
  for (const [index, { file }] of files.entries()) {
    for (const task of tasks) {
      if (task.kind === 'exercise') {
        const e = file.exercises[task.id];
        const ex = current.get(task.id);
        if (!e || !ex || (e.code === null && e.result === null && !e.firstSolvedAt)) continue;
        const code = e.code ?? ex.starter;
        if (!runs.has(runKey(task.id, code))) runs.set(runKey(task.id, code), { id: task.id, code });
      } else {
        const l = file.labs[task.id];
        if (!l || !labsHere.has(task.id) || !options.replayLab) continue;
        // A lab entry run with a seed that is not this student's is not replayed: it does not count.
        if (l.seed !== ownSeed(file, task.id)) continue;
        const job = { slug: task.id, seed: l.seed, mode: l.mode, log: l.log };
        replays.push(job);
        replayOf.set(`${index}\u0000${task.id}`, job);
      }
    }
  }
  const total = runs.size + replays.length;
  let done = 0;
  options.onProgress?.(0, total);
  const queue: ((slot: number) => Promise<void>)[] = [];
  for (const job of runs.values()) {
    queue.push(async (slot) => {
      try {
        job.result = await options.runCheck(slot, job.id, job.code);
      } catch (e) {
        job.result = { status: 'error', message: e instanceof Error ? e.message : String(e), tests: [] };
      }
    });
  }
  for (const job of replays) {
    queue.push(async () => {
      try {
        const r = await options.replayLab!(job.slug, job.seed, job.mode, job.log);
        job.result = r.error ? new Error(r.error) : { solved: r.solved === true };
      } catch (e) {
        job.result = e instanceof Error ? e : new Error(String(e));
      }
    });
  }
  const slots = Math.max(1, Math.floor(options.slots));
  let next = 0;
  await Promise.all(
    Array.from({ length: slots }, async (_, slot) => {
      while (next < queue.length) {
        const job = queue[next++]!;
        await job(slot);
        done++;
        options.onProgress?.(done, total);
      }
    }),
  );

  return files.map(({ fileName, file }, index) => {
    const cells: Record<string, Cell> = {};
    let solved = 0;
    let flagged = 0;
    for (const task of tasks) {
      let cell: Cell;
      if (task.kind === 'exercise') {
        const e = file.exercises[task.id];
        const ex = current.get(task.id);
        const base: Cell = { state: 'missing', claimed: null, flags: [], attempts: e?.attempts ?? 0, hintsUsed: e?.hintsUsed ?? 0, version: e?.version ?? null, currentVersion: ex?.version ?? null, firstSolvedAt: e?.firstSolvedAt ?? null, message: null, failedTests: [], testCount: 0 };
        if (!ex) cell = { ...base, state: 'unknown' };
        else if (!e) cell = base;
        else {
          const claimed = e.result ? isPass(e.result) : e.firstSolvedAt ? true : null;
          const run = e.code === null && e.result === null && !e.firstSolvedAt ? undefined : runs.get(runKey(task.id, e.code ?? ex.starter))?.result;
          const state: CellState = !run ? 'missing' : isPass(run) ? 'pass' : run.status === 'error' ? 'error' : 'fail';
          cell = { ...base, state, claimed, message: run && run.status === 'error' ? (run.message ?? null) : null, failedTests: (run?.tests ?? []).filter((x) => x.status !== 'pass').map((x) => x.name), testCount: (run?.tests ?? []).length };
          if (claimed !== null && claimed !== (state === 'pass')) cell.flags.push('claim-differs');
          if (e.version !== ex.version) cell.flags.push('outdated');
          if (e.solutionShown) cell.flags.push('solution-shown');
          if (e.hintsUsed > 0) cell.flags.push('hints-used');
        }
      } else {
        const l = file.labs[task.id];
        const base: Cell = { state: 'missing', claimed: null, flags: [], attempts: 0, hintsUsed: 0, version: null, currentVersion: null, firstSolvedAt: l?.firstSolvedAt ?? null, message: null, failedTests: [], testCount: 0 };
        if (!labsHere.has(task.id)) cell = { ...base, state: 'unknown', claimed: l ? l.claimedSolved : null };
        else if (!l) cell = base;
        else if (options.replayLab && l.seed !== ownSeed(file, task.id)) {
          cell = { ...base, state: 'fail', claimed: l.claimedSolved, flags: ['seed-mismatch'] };
        } else {
          const job = replayOf.get(`${index}\u0000${task.id}`);
          const r = job?.result;
          const state: CellState = !options.replayLab ? 'unchecked' : !r || r instanceof Error ? 'error' : r.solved ? 'pass' : 'fail';
          cell = { ...base, state, claimed: l.claimedSolved, message: r instanceof Error ? r.message : null };
          if (state !== 'unchecked' && l.claimedSolved !== (state === 'pass')) cell.flags.push('claim-differs');
        }
      }
      if (cell.state === 'pass') solved++;
      if (cell.flags.length) flagged++;
      cells[taskKey(task)] = cell;
    }
    return { index, fileName, name: file.name, lang: file.lang, createdAt: file.createdAt, siteVersion: file.siteVersion, classCode: file.classCode, cells, solved, flagged };
  });
}
