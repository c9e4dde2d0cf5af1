// `npm run exercises`: the exercises from a terminal, on the same Pyodide runtime, Flask archive, runner and tests
// as the pages. The learner's code lives in a working folder (my-exercises/ by default, made on first use from the
// starters, never with a solution, not in git), so a fresh clone can check an exercise at once.
//
//   npm run exercises                       watch mode: check the current exercise on every save (h l n r q keys)
//   npm run exercises -- list [--json]      every exercise and whether it is solved
//   npm run exercises -- check <id> [--json]  N passed, N failed; exit status 0 when every test passes
//   npm run exercises -- hint <id> | reset <id> | solution <id>
//   --lang en|zh-CN (default from LANG), --dir DIR (the working folder)
import { existsSync, mkdirSync, readFileSync, realpathSync, watch as watchDir, writeFileSync, type FSWatcher } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { checkRequest, loadExercises } from '../exercises/catalog.ts';
import { createRunner, describeLoadFailure, RuntimeLoadError, type Runner } from '../exercises/runtime/node.ts';
import type { Exercise, ExerciseResult, Lang } from '../exercises/types.ts';
import type { CliIo, TextSink } from './common.ts';
import { processIo } from './common.ts';
import { cliText, langFromEnv, type TextKey } from './exercises-text.ts';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const COMMANDS = ['list', 'check', 'hint', 'reset', 'solution'] as const;

/** What the tests swap: the project folder, and a Python runtime shared between calls (never disposed here). */
export interface ExercisesDeps {
  rootDir?: string;
  runner?: Runner;
  /** Replaces every exercise's time limit (tests on a busy machine, where a 1 s check can take several). */
  timeLimitMs?: number;
}

interface ExerciseProgress {
  /** exercise.json's version when the learner last worked on it. */
  version: number;
  solved: boolean;
  /** Task id → hints shown. */
  hints: Record<string, number>;
  solutionShown: boolean;
  /** Tasks whose tests failed at the last check: the next hint is for the first of them. */
  lastFailedTasks: string[];
}

interface ProgressFile {
  version: 1;
  exercises: Record<string, ExerciseProgress>;
}

class Usage extends Error {}

interface Ctx {
  io: CliIo;
  lang: Lang;
  dir: string;
  exercises: Exercise[];
  deps: ExercisesDeps;
  t(key: TextKey, params?: Record<string, string | number>): string;
}

function line(sink: TextSink, text = ''): void {
  sink.write(`${text}\n`);
}

function indent(text: string, pad: string): string {
  return text
    .split('\n')
    .map((l) => (l ? pad + l : l))
    .join('\n');
}

// ---- the working folder and the progress file ----

function progressPath(ctx: Ctx): string {
  return join(ctx.dir, '.progress.json');
}

function readProgress(ctx: Ctx): ProgressFile {
  try {
    const raw = JSON.parse(readFileSync(progressPath(ctx), 'utf8')) as ProgressFile;
    if (raw && raw.version === 1 && typeof raw.exercises === 'object') return raw;
  } catch {
    // none yet, or unreadable: start over (the learner's code is in the .py files, not here)
  }
  return { version: 1, exercises: {} };
}

function writeProgress(ctx: Ctx, p: ProgressFile): void {
  writeFileSync(progressPath(ctx), `${JSON.stringify(p, null, 2)}\n`);
}

function progressOf(ctx: Ctx, p: ProgressFile, ex: Exercise, notes: TextSink): ExerciseProgress {
  const found = p.exercises[ex.id];
  if (!found) {
    const fresh: ExerciseProgress = { version: ex.version, solved: false, hints: {}, solutionShown: false, lastFailedTasks: [] };
    p.exercises[ex.id] = fresh;
    return fresh;
  }
  if (found.version !== ex.version) {
    line(notes, ctx.t('versionChanged', { from: found.version, to: ex.version }));
    found.version = ex.version;
    found.solved = false;
  }
  return found;
}

function fileOf(ctx: Ctx, ex: Exercise): string {
  return join(ctx.dir, `${ex.id}.py`);
}

/** Makes the working folder and any missing starter file (never a solution, never over the learner's code). */
function ensureWorkdir(ctx: Ctx, notes: TextSink): void {
  const fresh = !existsSync(ctx.dir);
  mkdirSync(ctx.dir, { recursive: true });
  for (const ex of ctx.exercises) {
    const file = fileOf(ctx, ex);
    if (!existsSync(file)) writeFileSync(file, ex.starter);
  }
  if (fresh) line(notes, ctx.t('created', { dir: shown(ctx, ctx.dir) }));
}

function shown(ctx: Ctx, path: string): string {
  const rel = relative(ctx.io.cwd, path);
  return rel && !rel.startsWith('..') ? rel : path;
}

function find(ctx: Ctx, id: string | undefined, command: string): Exercise {
  if (!id) throw new Usage(ctx.t('needsId', { command }));
  const ex = ctx.exercises.find((e) => e.id === id || e.id.slice(0, 2) === id.padStart(2, '0'));
  if (!ex) throw new Usage(ctx.t('unknownId', { id, ids: ctx.exercises.map((e) => e.id).join(', ') }));
  return ex;
}

// ---- printing a result ----

function printResult(ctx: Ctx, ex: Exercise, result: ExerciseResult, out: TextSink): void {
  line(out, `${ex.id} · ${ex.title[ctx.lang]}`);
  if (result.status === 'error' && result.message) line(out, indent(result.message, '  '));
  for (const test of result.tests) {
    line(out, `  ${test.status === 'pass' ? '✓' : '✗'} ${test.name}`);
    if (test.status !== 'pass' && test.message) line(out, indent(test.message, '      '));
    if (test.status !== 'pass' && test.output) {
      line(out, `      ${ctx.t('output')}`);
      line(out, indent(test.output.replace(/\n$/, ''), '        '));
    }
  }
  const passed = result.tests.filter((x) => x.status === 'pass').length;
  line(out, ctx.t('summary', { passed, failed: result.tests.length - passed }));
}

async function runCheck(ctx: Ctx, runner: Runner, ex: Exercise): Promise<ExerciseResult> {
  const code = readFileSync(fileOf(ctx, ex), 'utf8');
  const result = await runner.check(checkRequest(ex, code, ctx.lang), { timeLimitMs: ctx.deps.timeLimitMs ?? ex.timeLimitMs });
  const p = readProgress(ctx);
  const mine = progressOf(ctx, p, ex, { write: () => true });
  if (result.status === 'pass') mine.solved = true;
  mine.lastFailedTasks = [...new Set(result.tests.filter((x) => x.status !== 'pass' && x.task_id).map((x) => x.task_id!))];
  writeProgress(ctx, p);
  return result;
}

// ---- commands ----

function list(ctx: Ctx, json: boolean): number {
  const p = readProgress(ctx);
  const rows = ctx.exercises.map((ex) => ({ id: ex.id, lesson: ex.lesson, title: ex.title[ctx.lang], solved: p.exercises[ex.id]?.solved === true }));
  if (json) {
    line(ctx.io.stdout, JSON.stringify({ exercises: rows }));
    return 0;
  }
  line(ctx.io.stdout, ctx.t('listHeader', { solved: rows.filter((r) => r.solved).length, total: rows.length, dir: shown(ctx, ctx.dir) }));
  const idWidth = Math.max(...rows.map((r) => r.id.length));
  const lessonWidth = Math.max(...rows.map((r) => r.lesson.length));
  for (const r of rows) line(ctx.io.stdout, `  ${r.solved ? '✓' : '·'} ${r.id.padEnd(idWidth)}  ${r.lesson.padEnd(lessonWidth)}  ${r.title}`);
  return 0;
}

async function check(ctx: Ctx, ex: Exercise, json: boolean): Promise<number> {
  const out = ctx.io.stdout;
  const notes = json ? ctx.io.stderr : out;
  const p = readProgress(ctx);
  progressOf(ctx, p, ex, notes);
  writeProgress(ctx, p);
  const runner = ctx.deps.runner ?? createRunner();
  try {
    if (!json) line(out, ctx.t('checking', { file: shown(ctx, fileOf(ctx, ex)) }));
    // Starting Python takes a few seconds: say so on a terminal (not in the output a script reads).
    if (!ctx.deps.runner && ctx.io.stderr.isTTY) line(ctx.io.stderr, ctx.t('loading'));
    const result = await runCheck(ctx, runner, ex);
    if (json) line(out, JSON.stringify(result));
    else {
      printResult(ctx, ex, result, out);
      if (result.status === 'pass') line(out, ctx.t('passedAll', { id: ex.id }));
    }
    return result.status === 'pass' ? 0 : 1;
  } finally {
    if (!ctx.deps.runner) runner.dispose();
  }
}

function nextHint(ctx: Ctx, ex: Exercise): number {
  const p = readProgress(ctx);
  const mine = progressOf(ctx, p, ex, ctx.io.stdout);
  const hints = ex.hints[ctx.lang];
  const tasks = ex.tasks.filter((task) => (hints[task.id]?.length ?? 0) > 0);
  if (tasks.length === 0) {
    line(ctx.io.stdout, ctx.t('noHints'));
    return 0;
  }
  const left = (id: string) => (mine.hints[id] ?? 0) < hints[id]!.length;
  const task =
    tasks.find((x) => mine.lastFailedTasks.includes(x.id) && left(x.id)) ??
    tasks.find((x) => left(x.id)) ??
    tasks.find((x) => mine.lastFailedTasks.includes(x.id)) ??
    tasks[tasks.length - 1]!;
  const list = hints[task.id]!;
  const n = Math.min((mine.hints[task.id] ?? 0) + 1, list.length);
  mine.hints[task.id] = n;
  writeProgress(ctx, p);
  line(ctx.io.stdout, ctx.t('hintOf', { n, total: list.length, task: task.title[ctx.lang] }));
  line(ctx.io.stdout, indent(list[n - 1]!, '  '));
  if (n === list.length) line(ctx.io.stdout, ctx.t('hintLast'));
  return 0;
}

function reset(ctx: Ctx, ex: Exercise): number {
  const file = fileOf(ctx, ex);
  const backupDir = join(ctx.dir, '.backup');
  mkdirSync(backupDir, { recursive: true });
  const backup = join(backupDir, `${ex.id}.py`);
  if (existsSync(file)) writeFileSync(backup, readFileSync(file));
  writeFileSync(file, ex.starter);
  line(ctx.io.stdout, ctx.t('resetDone', { file: shown(ctx, file), backup: shown(ctx, backup) }));
  return 0;
}

function solution(ctx: Ctx, ex: Exercise): number {
  const p = readProgress(ctx);
  const mine = progressOf(ctx, p, ex, ctx.io.stdout);
  if (!mine.solved) {
    line(ctx.io.stderr, ctx.t('solutionLocked', { id: ex.id }));
    writeProgress(ctx, p);
    return 1;
  }
  mine.solutionShown = true;
  writeProgress(ctx, p);
  line(ctx.io.stdout, ctx.t('solutionHeader', { id: ex.id }));
  line(ctx.io.stdout);
  ctx.io.stdout.write(ex.solution.endsWith('\n') ? ex.solution : `${ex.solution}\n`);
  return 0;
}

// ---- watch mode ----

async function watchMode(ctx: Ctx): Promise<number> {
  const out = ctx.io.stdout;
  const runner = ctx.deps.runner ?? createRunner();
  let watcher: FSWatcher | null = null;
  try {
    const p = readProgress(ctx);
    let index = Math.max(0, ctx.exercises.findIndex((ex) => !p.exercises[ex.id]?.solved));
    line(out, ctx.t('loading'));
    const started = performance.now();
    try {
      const info = await runner.ready();
      line(out, ctx.t('loaded', { python: info.python, pyodide: info.pyodide, flask: info.packages.Flask ?? '?', seconds: ((performance.now() - started) / 1000).toFixed(1) }));
    } catch (err) {
      if (err instanceof RuntimeLoadError) {
        line(ctx.io.stderr, describeLoadFailure(err.failure, ctx.lang));
        return 1;
      }
      throw err;
    }

    let lastChecked: string | null = null;
    let running: Promise<void> | null = null;
    let again = false;
    let askingReset = false;
    const current = () => ctx.exercises[index]!;

    const checkNow = async (force: boolean): Promise<void> => {
      if (running) {
        again = true;
        return running;
      }
      running = (async () => {
        do {
          again = false;
          const ex = current();
          const file = fileOf(ctx, ex);
          // Deleted or renamed away (some editors save that way): wait for it to come back.
          if (!existsSync(file)) continue;
          const code = readFileSync(file, 'utf8');
          if (!force && code === lastChecked) continue;
          force = false;
          lastChecked = code;
          line(out);
          line(out, ctx.t('checking', { file: shown(ctx, fileOf(ctx, ex)) }));
          const result = await runCheck(ctx, runner, ex);
          printResult(ctx, ex, result, out);
          if (result.status === 'pass') {
            const all = readProgress(ctx);
            line(out, ctx.exercises.every((e) => all.exercises[e.id]?.solved) ? ctx.t('watchAllSolved') : ctx.t('watchSolved'));
          } else line(out, ctx.t('watchWaiting', { file: shown(ctx, fileOf(ctx, ex)) }));
          line(out, ctx.t('watchKeys'));
        } while (again);
      })().finally(() => {
        running = null;
      });
      return running;
    };

    const introduce = (): void => {
      const ex = current();
      line(out);
      line(out, `${ex.id} · ${ex.title[ctx.lang]}`);
      line(out, ctx.t('instructions', { file: shown(ctx, join(ex.dir, 'docs', ctx.lang, 'instructions.md')) }));
      const pr = readProgress(ctx);
      progressOf(ctx, pr, ex, out);
      writeProgress(ctx, pr);
    };

    // Watching starts before the first check, so a save during it is not missed.
    let timer: ReturnType<typeof setTimeout> | undefined;
    watcher = watchDir(ctx.dir, (_event, name) => {
      if (name !== `${current().id}.py`) return;
      clearTimeout(timer);
      // Editors write a file in several steps; check once they are done.
      timer = setTimeout(() => void checkNow(false), 150);
    });
    introduce();
    await checkNow(true);

    for await (const chunk of ctx.io.stdin) {
      for (const key of new TextDecoder().decode(chunk)) {
        if (askingReset) {
          askingReset = false;
          if (key === 'y' || key === 'Y') {
            reset(ctx, current());
            lastChecked = null;
            await checkNow(true);
          } else line(out, ctx.t('watchResetNo'));
          continue;
        }
        if (key === 'q' || key === '\u0003' || key === '\u0004') {
          await running;
          clearTimeout(timer);
          line(out, ctx.t('watchBye', { dir: shown(ctx, ctx.dir) }));
          return 0;
        }
        if (key === 'h') nextHint(ctx, current());
        else if (key === 'l') list(ctx, false);
        else if (key === 'n') {
          index = (index + 1) % ctx.exercises.length;
          line(out, ctx.t('watchNext', { id: current().id, title: current().title[ctx.lang] }));
          introduce();
          lastChecked = null;
          await checkNow(true);
        } else if (key === 'r') {
          askingReset = true;
          line(out, ctx.t('watchResetAsk', { file: shown(ctx, fileOf(ctx, current())) }));
        }
      }
    }
    // stdin closed (not a terminal): keep watching until the process is stopped.
    await new Promise<never>(() => undefined);
    return 0;
  } finally {
    watcher?.close();
    if (!ctx.deps.runner) runner.dispose();
  }
}

// ---- entry ----

export async function runExercises(argv: string[], io: CliIo, deps: ExercisesDeps = {}): Promise<number> {
  let lang = langFromEnv(io.env);
  const t = (key: TextKey, params?: Record<string, string | number>) => cliText(lang, key, params);
  let values: { lang?: string; dir?: string; json?: boolean; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { lang: { type: 'string' }, dir: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (err) {
    line(io.stderr, `npm run exercises: ${(err as Error).message.split('\n')[0]}`);
    line(io.stderr, t('usage'));
    return 2;
  }
  if (values.lang !== undefined) {
    if (values.lang !== 'en' && values.lang !== 'zh-CN') {
      line(io.stderr, `npm run exercises: ${t('badLang', { value: values.lang })}`);
      return 2;
    }
    lang = values.lang;
  }
  if (values.help) {
    line(io.stdout, t('usage'));
    return 0;
  }
  const rootDir = deps.rootDir ?? REPO_ROOT;
  let exercises: Exercise[];
  try {
    exercises = loadExercises(rootDir);
  } catch (err) {
    line(io.stderr, t('catalogError', { detail: (err as Error).message }));
    return 1;
  }
  // npm runs scripts from the project folder and says in INIT_CWD where the learner typed the command.
  const dir = values.dir ? resolve(io.env.INIT_CWD || io.cwd, values.dir) : join(rootDir, 'my-exercises');
  const ctx: Ctx = { io, lang, dir, exercises, deps, t };
  const [command, id, ...extra] = positionals;
  try {
    if (command !== undefined && !(COMMANDS as readonly string[]).includes(command)) throw new Usage(t('unknownCommand', { name: command }));
    const surplus = command === 'list' ? [id, ...extra] : extra;
    if (command !== undefined && surplus.filter((x) => x !== undefined).length > 0) throw new Usage(t('extraArgs', { arg: surplus.find((x) => x !== undefined)! }));
    const ex = command && command !== 'list' ? find(ctx, id, command) : null;
    ensureWorkdir(ctx, values.json ? io.stderr : io.stdout);
    switch (command) {
      case undefined:
        return await watchMode(ctx);
      case 'list':
        return list(ctx, values.json === true);
      case 'check':
        return await check(ctx, ex!, values.json === true);
      case 'hint':
        return nextHint(ctx, ex!);
      case 'reset':
        return reset(ctx, ex!);
      case 'solution':
        return solution(ctx, ex!);
    }
    return 2;
  } catch (err) {
    if (err instanceof Usage) {
      line(io.stderr, `npm run exercises: ${err.message}`);
      return 2;
    }
    throw err;
  }
}

async function main(): Promise<void> {
  const io = processIo();
  const watching = !process.argv.slice(2).some((a) => (COMMANDS as readonly string[]).includes(a) || a === '--help' || a === '-h');
  if (watching && process.stdin.isTTY) process.stdin.setRawMode(true);
  try {
    process.exitCode = await runExercises(process.argv.slice(2), io);
  } finally {
    if (watching && process.stdin.isTTY) process.stdin.setRawMode(false);
    process.stdin.pause();
    process.stdin.unref?.();
  }
  // The watch loop and the Python thread hold nothing once done; leave without waiting for stdin.
  if (watching) process.exit(process.exitCode);
}

if (process.argv[1] && realpathSync(resolve(process.argv[1])) === realpathSync(fileURLToPath(import.meta.url))) {
  main().catch((err: unknown) => {
    process.stderr.write(`npm run exercises: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  });
}
