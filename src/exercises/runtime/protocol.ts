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
  /** The on-demand zips: name and the modules whose import needs it. */
  readonly extras: readonly { readonly name: string; readonly imports: readonly string[] }[];
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
  /** The browser Worker's first message: where the runtime's files are (`/runtime/` of the site). */
  | {
      readonly type: 'init';
      readonly base: string;
      /**
       * A one-word shared buffer Python watches between bytecodes (Pyodide's interrupt buffer): the page writes 2
       * (SIGINT) into it at the time limit, and the learner's loop stops with KeyboardInterrupt without losing the
       * Worker. Only where memory can be shared (a cross-origin-isolated page, or Node).
       */
      readonly interrupt?: Int32Array;
    }
  /** `lab` calls flasklab_labs.call, the host of the labs whose app is a real Flask app (src/labs/python/). */
  | { readonly type: 'call'; readonly id: number; readonly fn: 'check' | 'run_snippet' | 'lab'; readonly request: string }
  /** Unpack an on-demand zip (RuntimeInfo.extras) before the next call; answered by 'extra-loaded'. */
  | { readonly type: 'load-extra'; readonly id: number; readonly name: string };

/** A file of the runtime as /runtime/manifest.json lists it. */
export interface ManifestFile {
  readonly name: string;
  readonly size: number;
  readonly gzipSize: number;
  readonly sha256: string;
}

/** /runtime/manifest.json, written at build time by scripts/runtime-dist.mjs. */
export interface RuntimeManifest {
  readonly version: 1;
  readonly pyodide: { readonly version: string; readonly python: string; readonly path: string; readonly files: readonly ManifestFile[] };
  /** Lower-case name → version of what runs: python, pyodide, and each package of the archive when there is one. */
  readonly versions: Readonly<Record<string, string>>;
  /** null when the archive could not be made: then `missing` and `howto` say why and what to run. */
  readonly archive: {
    readonly file: string;
    readonly size: number;
    readonly gzipSize: number;
    readonly sha256: string;
    readonly unpackedSize: number;
    readonly suite: string;
    readonly packages: readonly { readonly deb: string; readonly debVersion: string; readonly distribution: string; readonly version: string }[];
  } | null;
  /** Zips unpacked only when a call's code imports one of `imports` by name (fakeredis, redis, sortedcontainers). */
  readonly extras?: readonly (ManifestFile & { readonly file: string; readonly imports: readonly string[] })[];
  readonly missing?: string;
  readonly howto?: string;
  /** The exercise runner's modules (exercises/_runner/*.py), or null when the build had none. */
  readonly runner: { readonly path: string; readonly files: readonly ManifestFile[] } | null;
}

export type FromWorker =
  | { readonly type: 'progress'; readonly progress: Progress }
  | { readonly type: 'ready'; readonly info: RuntimeInfo }
  | { readonly type: 'failed'; readonly failure: LoadFailure }
  | { readonly type: 'answer'; readonly id: number; readonly text: string }
  /** The call broke Python itself (not an exception in the learner's code: those are in the answer). */
  | { readonly type: 'broken'; readonly id: number; readonly detail: string }
  | { readonly type: 'extra-loaded'; readonly id: number; readonly error?: string };
