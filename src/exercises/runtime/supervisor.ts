// The part of the runtime API that is the same in the browser and in Node: one Python Worker at a time, calls
// queued one after another, a time limit per call (Python is interrupted where memory can be shared, and the
// Worker terminated and a new one started when that is not possible or does not stop it), and a
// result for every call: a timeout, a crash or an oversized answer becomes an error result in the learner's
// language, never a pass. client.ts (Web Worker) and node.ts (worker_threads) only say how to start a Worker.
import type { CheckRequest, ExerciseResult, SnippetRequest, SnippetResult } from './types.ts';
import { formatSize, runtimeText, type RuntimeLang } from './messages.ts';
import type { FromWorker, LoadFailure, Progress, RuntimeInfo, ToWorker } from './protocol.ts';

/** A started Worker, whatever kind: send a message, hear its messages and its death, stop it. */
export interface WorkerHandle {
  post(msg: ToWorker): void;
  terminate(): void;
}

/** Starts a Worker; `interrupt` (or null) is the shared word to hand to its Python (the `init` message). */
export type StartWorker = (events: { message(msg: FromWorker): void; died(detail: string): void }, interrupt: Int32Array | null) => WorkerHandle;

/**
 * How long Python gets to stop after the interrupt before its Worker is terminated. A loop in Python code stops at
 * its next bytecode, well within it even on a busy machine; code waiting inside C, or catching KeyboardInterrupt,
 * meets the termination instead. A guard, not a measure: it only bounds how long a stuck Worker is kept.
 */
export const INTERRUPT_GRACE_MS = 5000;

/** A shared word for Pyodide's interrupt buffer, where this context can share memory with a Worker. */
function interruptWord(): Int32Array | null {
  if (typeof SharedArrayBuffer !== 'function' || typeof Atomics !== 'object') return null;
  // A page can only post shared memory when it is cross-origin isolated; Node's threads always can.
  if ((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === false) return null;
  return new Int32Array(new SharedArrayBuffer(4));
}

export interface RunnerOptions {
  /** Loading progress of each Worker start (the first one, and each restart after a timeout or crash). */
  onProgress?: (progress: Progress) => void;
  /** Time limit of one call when the call gives none (ms). */
  timeLimitMs?: number;
  /** Language of the runtime's own messages for runSnippet (check uses its request's `lang`). */
  lang?: RuntimeLang;
  /** Answers longer than this (characters of JSON) become an error result. */
  maxAnswerChars?: number;
  /**
   * After the first time limit hit, keep a second Python started and ready, so the next one (a learner trying
   * again with another endless loop) is answered and followed by a check without waiting for a new start. Two
   * Pythons cost memory: only code that has already run into the limit gets the spare.
   */
  spareAfterTimeout?: boolean;
}

export interface CallOptions {
  /** This call's time limit (ms): exercise.json's timeLimitMs. */
  timeLimitMs?: number;
}

/** A request may carry its own time limit (and a snippet its language) next to what Python reads. */
type WithLimit<T> = T & { readonly timeLimitMs?: number; readonly lang?: RuntimeLang };

/** The request without the keys only the JavaScript side reads. */
function forPython<T extends object>(request: WithLimit<T>): T {
  const { timeLimitMs: _limit, ...rest } = request;
  return rest as unknown as T;
}

export interface Runner {
  /** Starts Python (when not yet started) and resolves once it can run code; rejects with a {@link RuntimeLoadError}. */
  ready(): Promise<RuntimeInfo>;
  /** Runs an exercise's tests on the learner's code. Always resolves; never a pass unless the tests passed. */
  check(request: WithLimit<CheckRequest>, options?: CallOptions): Promise<ExerciseResult>;
  /** Runs a lesson snippet. Always resolves; a timeout or crash is reported in `exception`. */
  runSnippet(request: WithLimit<SnippetRequest>, options?: CallOptions): Promise<SnippetResult>;
  /** Stops the Worker; later calls start a new one. */
  dispose(): void;
}

/** A Runner that also hosts the labs' real Flask apps (src/labs/python/). */
export interface LabRunner extends Runner {
  /**
   * One call of the labs' host (exercises/_runner/flasklab_labs.py): its JSON answer as text. Rejects with a
   * {@link RuntimeLoadError} when Python cannot start, and with an Error for a timeout or a crash.
   */
  lab(request: string, options?: CallOptions): Promise<string>;
}

/** ready() rejects with this: `failure.code` says what is missing, `message` says it in English. */
export class RuntimeLoadError extends Error {
  readonly failure: LoadFailure;
  constructor(failure: LoadFailure) {
    super(runtimeText('en', failure.code, { detail: failure.detail }) + (failure.howto ? `\n${runtimeText('en', 'howto', { howto: failure.howto })}` : ''));
    this.name = 'RuntimeLoadError';
    this.failure = failure;
  }
}

/** The sentence for a load failure, in the given language, with the command that fixes it. */
export function describeLoadFailure(failure: LoadFailure, lang: RuntimeLang): string {
  const text = runtimeText(lang, failure.code, { detail: failure.detail });
  return failure.howto ? `${text}\n${runtimeText(lang, 'howto', { howto: failure.howto })}` : text;
}

export const DEFAULT_TIME_LIMIT_MS = 5000;
const DEFAULT_MAX_ANSWER_CHARS = 4_000_000;

interface Pending {
  id: number;
  resolve(outcome: Outcome): void;
  timer: ReturnType<typeof setTimeout> | undefined;
  /** Past its time limit, Python was asked to stop: whatever it answers now, the call timed out. */
  interrupted?: boolean;
}

type Outcome =
  | { kind: 'answer'; text: string }
  | { kind: 'timeout' }
  | { kind: 'broken'; detail: string }
  | { kind: 'failed'; failure: LoadFailure };

interface Started {
  handle: WorkerHandle;
  /** The shared interrupt word of this Worker's Python, or null where memory cannot be shared. */
  interrupt: Int32Array | null;
  ready: Promise<RuntimeInfo>;
  pending: Pending | null;
  dead: boolean;
  /** A spare, loading or idle: its progress is not shown until it takes over. */
  background: boolean;
  /** On-demand zips this Worker has unpacked, and the answers it owes to load-extra requests. */
  extrasLoaded: Set<string>;
  extraWaits: Map<number, (error?: string) => void>;
}

/** Whether Python code imports one of these modules by name (`import x`, `from x import …`, `import a, x`). */
export function importsAny(code: string, modules: readonly string[]): boolean {
  if (modules.length === 0) return false;
  // Comments are dropped first; a name in a string on an import line still counts (loading too much is harmless).
  return new RegExp(`\\b(?:import|from)\\b[^\\n]*\\b(?:${modules.join('|')})\\b`).test(code.replace(/#.*$/gm, ''));
}

function errorResult(message: string): ExerciseResult {
  return { version: 3, status: 'error', message, tests: [], exchanges: {} };
}

export function createSupervisor(start: StartWorker, options: RunnerOptions = {}): LabRunner {
  const maxChars = options.maxAnswerChars ?? DEFAULT_MAX_ANSWER_CHARS;
  let current: Started | null = null;
  /** The started, idle second Python (spareAfterTimeout), promoted when the current one is stopped. */
  let spare: Started | null = null;
  let timedOut = false;
  let nextId = 1;
  let queue: Promise<unknown> = Promise.resolve();

  function launch(background = false): Started {
    let resolveReady!: (info: RuntimeInfo) => void;
    let rejectReady!: (err: Error) => void;
    const ready = new Promise<RuntimeInfo>((ok, fail) => {
      resolveReady = ok;
      rejectReady = fail;
    });
    // ready() callers see the rejection; this keeps an unobserved one from being reported as unhandled.
    ready.catch(() => undefined);
    const s: Started = { handle: undefined as unknown as WorkerHandle, interrupt: interruptWord(), ready, pending: null, dead: false, background, extrasLoaded: new Set(), extraWaits: new Map() };
    const settle = (outcome: Outcome): void => {
      const p = s.pending;
      if (!p) return;
      s.pending = null;
      if (p.timer !== undefined) clearTimeout(p.timer);
      p.resolve(outcome);
    };
    s.handle = start({
      message(msg) {
        // A spare loads in the background: its progress is shown only once it stands in for the current one.
        if (msg.type === 'progress') {
          if (!s.background) options.onProgress?.(msg.progress);
        }
        else if (msg.type === 'ready') resolveReady(msg.info);
        else if (msg.type === 'failed') {
          rejectReady(new RuntimeLoadError(msg.failure));
          kill(s);
        } else if ((msg.type === 'answer' || msg.type === 'broken') && s.pending?.id === msg.id && s.pending.interrupted) {
          // Python stopped after the interrupt (KeyboardInterrupt broke the call, or the code caught it and
          // finished): the call timed out all the same, and this Python stays for the next call.
          settle({ kind: 'timeout' });
        } else if (msg.type === 'answer' && s.pending?.id === msg.id) settle({ kind: 'answer', text: msg.text });
        else if (msg.type === 'extra-loaded') {
          s.extraWaits.get(msg.id)?.(msg.error);
          s.extraWaits.delete(msg.id);
        } else if (msg.type === 'broken' && s.pending?.id === msg.id) {
          settle({ kind: 'broken', detail: msg.detail });
          kill(s);
        }
      },
      died(detail) {
        if (s.dead) return;
        s.dead = true;
        if (current === s) current = null;
        if (spare === s) spare = null;
        rejectReady(new RuntimeLoadError({ code: 'load-failed', detail }));
        settle({ kind: 'broken', detail });
        for (const wait of s.extraWaits.values()) wait(detail);
        s.extraWaits.clear();
      },
    }, s.interrupt);
    return s;
  }

  function kill(s: Started): void {
    if (s.dead) return;
    s.dead = true;
    if (current === s) current = null;
    if (spare === s) spare = null;
    s.handle.terminate();
    // A call still waiting (dispose() during a check) gets its answer now rather than never.
    const p = s.pending;
    if (p) {
      s.pending = null;
      if (p.timer !== undefined) clearTimeout(p.timer);
      p.resolve({ kind: 'broken', detail: 'Python was stopped' });
    }
    for (const wait of s.extraWaits.values()) wait('Python was stopped');
    s.extraWaits.clear();
  }

  function worker(): Started {
    if (!current || current.dead) {
      current = spare ?? launch();
      current.background = false;
      spare = null;
      keepSpare(current);
    }
    return current;
  }

  /** Once `s` is ready (so the two never start at once), starts the spare, when one is wanted and there is none. */
  function keepSpare(s: Started): void {
    if (!options.spareAfterTimeout || !timedOut) return;
    s.ready.then(
      () => {
        if (current === s && !s.dead && !spare) spare = launch(true);
      },
      () => undefined,
    );
  }

  async function call(fn: 'check' | 'run_snippet' | 'lab', request: string, timeLimitMs: number, code: string): Promise<Outcome> {
    const s = worker();
    let info: RuntimeInfo;
    try {
      info = await s.ready;
    } catch (err) {
      if (err instanceof RuntimeLoadError) return { kind: 'failed', failure: err.failure };
      return { kind: 'failed', failure: { code: 'load-failed', detail: String(err) } };
    }
    // On-demand zips the code imports are unpacked before the clock starts (a download is not the learner's time).
    for (const extra of info.extras) {
      if (s.extrasLoaded.has(extra.name) || !importsAny(code, extra.imports)) continue;
      const loadId = nextId++;
      // The answer's error (a zip that failed to load) is not acted on: the zip is not asked for again on this
      // Worker, and the import then fails in Python with its own error, which the learner sees.
      await new Promise<string | undefined>((resolve) => {
        s.extraWaits.set(loadId, resolve);
        s.handle.post({ type: 'load-extra', id: loadId, name: extra.name });
      });
      if (!s.dead) s.extrasLoaded.add(extra.name);
    }
    if (s.dead) return { kind: 'broken', detail: 'the Worker stopped' };
    const id = nextId++;
    return new Promise<Outcome>((resolve) => {
      const pending: Pending = { id, resolve, timer: undefined };
      const stop = (): void => {
        if (s.pending !== pending) return;
        s.pending = null;
        timedOut = true;
        kill(s);
        resolve({ kind: 'timeout' });
        // Start the next Python now (or take the spare), so the learner's next check does not wait for it.
        worker();
      };
      pending.timer = setTimeout(() => {
        if (s.pending !== pending) return;
        if (!s.interrupt) return stop();
        // Ask Python to stop (SIGINT): a loop in Python code raises KeyboardInterrupt at its next bytecode and the
        // answer that follows settles the call as a timeout, keeping this Python. If none comes, terminate it.
        pending.interrupted = true;
        Atomics.store(s.interrupt, 0, 2);
        pending.timer = setTimeout(stop, INTERRUPT_GRACE_MS);
      }, timeLimitMs);
      s.pending = pending;
      s.handle.post({ type: 'call', id, fn, request });
    });
  }

  function serial<T>(job: () => Promise<T>): Promise<T> {
    const run = queue.then(job, job);
    queue = run.catch(() => undefined);
    return run;
  }

  function problem(outcome: Exclude<Outcome, { kind: 'answer' }>, lang: RuntimeLang, limit: number): string {
    if (outcome.kind === 'timeout') return runtimeText(lang, 'timeout', { seconds: limit / 1000 });
    if (outcome.kind === 'failed') return describeLoadFailure(outcome.failure, lang);
    return runtimeText(lang, 'crash', { detail: outcome.detail });
  }

  function tooLarge(text: string, lang: RuntimeLang): string | null {
    return text.length > maxChars ? runtimeText(lang, 'tooLarge', { size: formatSize(text.length), limit: formatSize(maxChars) }) : null;
  }

  return {
    ready() {
      return worker().ready;
    },
    check(request, opts = {}) {
      const lang: RuntimeLang = request.lang === 'zh-CN' ? 'zh-CN' : 'en';
      const limit = opts.timeLimitMs ?? request.timeLimitMs ?? options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS;
      return serial(async () => {
        const outcome = await call('check', JSON.stringify(forPython(request)), limit, `${request.learner}\n${request.tests}`);
        if (outcome.kind !== 'answer') return errorResult(problem(outcome, lang, limit));
        const big = tooLarge(outcome.text, lang);
        if (big) return errorResult(big);
        let parsed: unknown;
        try {
          parsed = JSON.parse(outcome.text);
        } catch (err) {
          return errorResult(runtimeText(lang, 'badAnswer', { detail: String(err) }));
        }
        const r = parsed as Partial<ExerciseResult> | null;
        if (!r || r.version !== 3 || !['pass', 'fail', 'error'].includes(r.status as string) || !Array.isArray(r.tests)) {
          return errorResult(runtimeText(lang, 'badAnswer', { detail: outcome.text.slice(0, 200) }));
        }
        // A pass needs at least one test and every test passing, whatever the status field says.
        if (r.status === 'pass' && (r.tests.length === 0 || r.tests.some((t) => t.status !== 'pass'))) {
          return { ...(r as ExerciseResult), status: 'fail' };
        }
        return r as ExerciseResult;
      });
    },
    runSnippet(request, opts = {}) {
      const lang: RuntimeLang = request.lang === 'zh-CN' ? 'zh-CN' : request.lang === 'en' ? 'en' : (options.lang ?? 'en');
      const limit = opts.timeLimitMs ?? request.timeLimitMs ?? options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS;
      return serial(async () => {
        const { lang: _lang, ...snippet } = forPython(request) as SnippetRequest & { lang?: string };
        const outcome = await call('run_snippet', JSON.stringify(snippet), limit, snippet.code);
        const failed = (message: string): SnippetResult => ({ stdout: '', stderr: '', exception: message, exchanges: [] });
        if (outcome.kind !== 'answer') return failed(problem(outcome, lang, limit));
        const big = tooLarge(outcome.text, lang);
        if (big) return failed(big);
        try {
          return JSON.parse(outcome.text) as SnippetResult;
        } catch (err) {
          return failed(runtimeText(lang, 'badAnswer', { detail: String(err) }));
        }
      });
    },
    lab(request, opts = {}) {
      const limit = opts.timeLimitMs ?? options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS;
      return serial(async () => {
        const outcome = await call('lab', request, limit, '');
        if (outcome.kind === 'answer') return outcome.text;
        if (outcome.kind === 'failed') throw new RuntimeLoadError(outcome.failure);
        throw new Error(problem(outcome, options.lang ?? 'en', limit));
      });
    },
    dispose() {
      if (current) kill(current);
      if (spare) kill(spare);
      current = null;
      spare = null;
    },
  };
}
