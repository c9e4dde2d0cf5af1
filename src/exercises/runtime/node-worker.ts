// The Node side's Python thread (worker_threads): loads Pyodide from node_modules, the Flask archive from the
// cache and the runner's modules from exercises/_runner, then answers calls. Started by node.ts.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import { boot } from './core.ts';
import type { ExtraArchive } from './paths.ts';
import type { FromWorker, LoadFailure, ToWorker } from './protocol.ts';

export interface NodeWorkerData {
  readonly pyodideDir: string;
  /** The archive's path and its on-demand zips, or why it is missing. */
  readonly archive: { path: string; extras: readonly ExtraArchive[] } | { missing: string };
  readonly archiveHowto: string;
  readonly runnerDir: string;
  /** The shared interrupt word (a SharedArrayBuffer is shared, not copied, with the thread). */
  readonly interrupt?: Int32Array;
}

const port = parentPort!;
const data = workerData as NodeWorkerData;
const send = (msg: FromWorker): void => port.postMessage(msg);

function fail(failure: LoadFailure): void {
  send({ type: 'failed', failure });
}

async function main(): Promise<void> {
  // Everything the Node side loads is on disk: a network request would mean a missing file, so fail instead.
  globalThis.fetch = () => Promise.reject(new Error('the exercise runtime loads nothing from the network'));
  const timings: Record<string, number> = {};
  if (!existsSync(join(data.pyodideDir, 'pyodide.mjs'))) {
    fail({ code: 'runtime-missing', detail: `${data.pyodideDir}/pyodide.mjs does not exist`, howto: 'npm install' });
    return;
  }
  if ('missing' in data.archive) {
    fail({ code: 'archive-missing', detail: data.archive.missing, howto: data.archiveHowto });
    return;
  }
  const runner: Record<string, string> = {};
  if (existsSync(data.runnerDir)) {
    for (const name of readdirSync(data.runnerDir).filter((n) => n.endsWith('.py')).sort()) {
      runner[name] = readFileSync(join(data.runnerDir, name), 'utf8');
    }
  }
  if (!runner['flasklab_runner.py']) {
    fail({ code: 'runner-missing', detail: `${data.runnerDir}/flasklab_runner.py does not exist` });
    return;
  }

  send({ type: 'progress', progress: { phase: 'runtime' } });
  let t = performance.now();
  const { loadPyodide } = (await import(pathToFileURL(join(data.pyodideDir, 'pyodide.mjs')).href)) as typeof import('pyodide');
  send({ type: 'progress', progress: { phase: 'archive' } });
  const archive = new Uint8Array(readFileSync(data.archive.path));
  send({ type: 'progress', progress: { phase: 'python' } });
  const pyodide = await loadPyodide({ indexURL: `${data.pyodideDir}/`, packages: [], stdout: () => undefined, stderr: () => undefined });
  timings.pyodide = Math.round(performance.now() - t);
  t = performance.now();
  const extras = data.archive.extras;
  const booted = boot({ pyodide, archive, runner, timings, extras: extras.map((e) => ({ name: e.name, imports: e.imports })), interrupt: data.interrupt });
  send({ type: 'ready', info: booted.info });
  port.on('message', (msg: ToWorker) => {
    if (msg.type === 'call') send(booted.handle(msg));
    else if (msg.type === 'load-extra') {
      const extra = extras.find((e) => e.name === msg.name);
      try {
        if (!extra) throw new Error(`no on-demand zip named ${msg.name}`);
        booted.addExtra(new Uint8Array(readFileSync(extra.path)));
        send({ type: 'extra-loaded', id: msg.id });
      } catch (err) {
        send({ type: 'extra-loaded', id: msg.id, error: err instanceof Error ? err.message : String(err) });
      }
    }
  });
}

main().catch((err: unknown) => {
  fail({ code: 'load-failed', detail: err instanceof Error ? err.message : String(err) });
});
