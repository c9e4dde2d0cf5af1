// The Python half of the runtime, the same in the browser Worker and in the Node worker thread: unpacks the
// Flask archive into Pyodide's site-packages, installs the exercise runner's modules, imports Flask once, and
// answers calls to flasklab_runner.check / run_snippet with the runner's own JSON text.
import type { PyodideAPI } from 'pyodide';
import type { FromWorker, RuntimeInfo, ToWorker } from './protocol.ts';

/** Where the runner's modules are written inside Pyodide's file system (first on sys.path). */
const RUNNER_DIR = '/home/pyodide/flasklab';

export interface BootInput {
  readonly pyodide: PyodideAPI;
  /** The Flask archive (flask-<version>.zip), unpacked into site-packages. */
  readonly archive: Uint8Array;
  /** File name → Python source of the runner's modules (flasklab_runner.py, flasklab.py). */
  readonly runner: Readonly<Record<string, string>>;
  /** Milliseconds spent before Python was up (downloads, Pyodide start), reported in RuntimeInfo. */
  readonly timings: Record<string, number>;
  /** The on-demand zips there are (name, modules that need it), unpacked later by Booted.addExtra. */
  readonly extras: readonly { readonly name: string; readonly imports: readonly string[] }[];
  /** The shared interrupt word (see the `init` message), when the caller can share memory. */
  readonly interrupt?: Int32Array | undefined;
}

export interface Booted {
  readonly info: RuntimeInfo;
  handle(msg: Extract<ToWorker, { type: 'call' }>): FromWorker;
  /** Unpacks an on-demand zip into site-packages. */
  addExtra(bytes: Uint8Array): void;
}

export function boot({ pyodide, archive, runner, timings, extras, interrupt }: BootInput): Booted {
  // The runner captures what the learner's code prints (capped, per test). Output that goes around it (to
  // sys.__stdout__ or file descriptor 1) is dropped here, so it can neither flood the page or the terminal nor
  // mix into the CLI's JSON.
  pyodide.setStdout({ write: (buf: Uint8Array) => buf.length });
  pyodide.setStderr({ write: (buf: Uint8Array) => buf.length });

  let t = performance.now();
  const site = pyodide.runPython('import site; site.getsitepackages()[0]') as string;
  pyodide.unpackArchive(archive, 'zip', { extractDir: site });
  timings.unpack = Math.round(performance.now() - t);

  t = performance.now();
  pyodide.FS.mkdirTree(RUNNER_DIR);
  for (const [name, source] of Object.entries(runner)) {
    pyodide.FS.writeFile(`${RUNNER_DIR}/${name}`, source, { encoding: 'utf8' });
  }
  const infoJson = pyodide.runPython(`
import sys, json, importlib, importlib.metadata as _md
sys.path.insert(0, ${JSON.stringify(RUNNER_DIR)})
importlib.invalidate_caches()
import flask, werkzeug.test, flasklab_runner
json.dumps({
    "python": sys.version.split()[0],
    "packages": {d.metadata["Name"]: d.version for d in _md.distributions() if d.metadata["Name"]},
})
`) as string;
  timings.import = Math.round(performance.now() - t);
  if (interrupt) pyodide.setInterruptBuffer(interrupt);
  const check = pyodide.globals.get('flasklab_runner').check as (req: string) => string;
  const runSnippet = pyodide.globals.get('flasklab_runner').run_snippet as (req: string) => string;
  // The labs' host is imported on its first call only: a page that only checks exercises never loads it.
  let labCall: ((req: string) => string) | null = null;
  const lab = (req: string): string => {
    labCall ??= pyodide.pyimport('flasklab_labs').call as (req: string) => string;
    return labCall(req);
  };
  const parsed = JSON.parse(infoJson) as { python: string; packages: Record<string, string> };
  const info: RuntimeInfo = { python: parsed.python, pyodide: pyodide.version, packages: parsed.packages, timings, extras };

  return {
    info,
    addExtra(bytes) {
      pyodide.unpackArchive(bytes, 'zip', { extractDir: site });
      pyodide.runPython('import importlib; importlib.invalidate_caches()');
    },
    handle(msg) {
      const fn = msg.fn === 'check' ? check : msg.fn === 'lab' ? lab : runSnippet;
      // A stop asked for after the previous call had already ended must not hit this one.
      if (interrupt) Atomics.store(interrupt, 0, 0);
      try {
        const text = fn(msg.request);
        if (typeof text !== 'string') return { type: 'broken', id: msg.id, detail: `the runner answered ${typeof text}, not text` };
        return { type: 'answer', id: msg.id, text };
      } catch (err) {
        // The runner answers every problem of the learner's code itself; reaching here means the call itself
        // broke (an exception in the runner, or Python's own fatal error). The caller restarts the Worker.
        const detail = err instanceof Error ? (err.message.split('\n').filter(Boolean).at(-1) ?? err.name) : String(err);
        return { type: 'broken', id: msg.id, detail };
      }
    },
  };
}
