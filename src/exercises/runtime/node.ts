// The runtime API in Node, for the CLI (`npm run exercises`) and the tests: the same Pyodide, Flask archive and
// runner as the browser, in a worker_threads Worker, with the same time limit (the thread is terminated and a
// new one started) and the same results. Node-only.
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { NodeWorkerData } from './node-worker.ts';
import { ARCHIVE_HOWTO, findArchive, PYODIDE_DIR, RUNNER_DIR } from './paths.ts';
import type { FromWorker } from './protocol.ts';
import { createSupervisor, type LabRunner, type RunnerOptions } from './supervisor.ts';

export { DEFAULT_TIME_LIMIT_MS, describeLoadFailure, RuntimeLoadError, type CallOptions, type LabRunner, type Runner, type RunnerOptions } from './supervisor.ts';
export type { LoadFailure, Progress, RuntimeInfo } from './protocol.ts';
export { findArchive } from './paths.ts';

export interface NodeRunnerOptions extends RunnerOptions {
  /** node_modules/pyodide by default. */
  pyodideDir?: string;
  /** The Flask archive zip; by default the one scripts/flask-archive.mjs cached. */
  archivePath?: string;
  /** exercises/_runner by default. */
  runnerDir?: string;
}

export function createRunner(options: NodeRunnerOptions = {}): LabRunner {
  return createSupervisor(({ message, died }, interrupt) => {
    const data: NodeWorkerData = {
      pyodideDir: options.pyodideDir ?? PYODIDE_DIR,
      archive: options.archivePath ? (existsSync(options.archivePath) ? { path: options.archivePath, extras: [] } : { missing: `${options.archivePath} does not exist` }) : findArchive(),
      archiveHowto: ARCHIVE_HOWTO,
      runnerDir: options.runnerDir ?? RUNNER_DIR,
      ...(interrupt ? { interrupt } : {}),
    };
    const worker = new Worker(new URL('./node-worker.ts', import.meta.url), { workerData: data });
    let stopping = false;
    worker.on('message', (msg: FromWorker) => {
      // Idle (ready, or between calls), the Python thread must not keep the CLI's process alive; busy, it must.
      if (msg.type === 'ready' || msg.type === 'answer' || msg.type === 'broken' || msg.type === 'extra-loaded') worker.unref();
      message(msg);
    });
    worker.on('error', (err: Error) => died(err.message));
    worker.on('exit', (code) => {
      if (!stopping) died(`exit code ${code}`);
    });
    return {
      post: (msg) => {
        worker.ref();
        worker.postMessage(msg);
      },
      terminate: () => {
        stopping = true;
        void worker.terminate();
      },
    };
  }, options);
}
