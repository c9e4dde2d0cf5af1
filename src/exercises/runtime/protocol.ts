// What the page (or the CLI) and the Python Worker say to each other. The same messages in the browser
// (a module Web Worker, worker.ts) and in Node (worker_threads, node-worker.ts); core.ts does the Python part.

/** Where the loading is: fetching Pyodide's files, fetching the Flask archive, starting Python. */
export type ProgressPhase = 'runtime' | 'archive' | 'python' | 'ready';

export interface Progress {
  readonly phase: ProgressPhase;
  /** Bytes received so far, when the phase downloads something and the size is known. */
  readonly loaded?: number;
  readonly total?: number;
}

/** What Python reports once it is ready: the versions that actually run. */
export interface RuntimeInfo {
  readonly python: string;
  readonly pyodide: string;
  /** Distribution name → version, as importlib.metadata reads them inside Pyodide. */
  readonly packages: Readonly<Record<string, string>>;
  /** Milliseconds: loading Pyodide, unpacking the archive, importing Flask and the runner. */
  readonly timings: Readonly<Record<string, number>>;
}

/** Why the runtime could not start; the page and the CLI turn the code into a sentence in their language. */
export type LoadErrorCode = 'archive-missing' | 'runner-missing' | 'runtime-missing' | 'load-failed';

export interface LoadFailure {
  readonly code: LoadErrorCode;
  /** What exactly failed (a path, a status, an exception), untranslated. */
  readonly detail: string;
  /** The command that makes the missing part, when there is one. */
  readonly howto?: string;
}

export type ToWorker =
  | { readonly type: 'call'; readonly id: number; readonly fn: 'check' | 'run_snippet'; readonly request: string };

export type FromWorker =
  | { readonly type: 'progress'; readonly progress: Progress }
  | { readonly type: 'ready'; readonly info: RuntimeInfo }
  | { readonly type: 'failed'; readonly failure: LoadFailure }
  | { readonly type: 'answer'; readonly id: number; readonly text: string }
  /** The call broke Python itself (not an exception in the learner's code: those are in the answer). */
  | { readonly type: 'broken'; readonly id: number; readonly detail: string };
