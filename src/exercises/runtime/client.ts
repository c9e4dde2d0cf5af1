// The runtime API in the browser: `createRunner({ onProgress })` → { ready(), check(), runSnippet(), dispose() }.
// Nothing loads until the first call: then a module Web Worker (worker.ts) fetches Pyodide and the Flask
// archive from the site's /runtime/ (the browser caches them after the first time) and runs each call with a
// time limit; past it the Worker is terminated and a new one started, and the call answers with an error result
// in the learner's language. A timeout or a crash is never a pass.
import type { FromWorker, RuntimeManifest } from './protocol.ts';
import { createSupervisor, type LabRunner, type RunnerOptions } from './supervisor.ts';

export { DEFAULT_TIME_LIMIT_MS, describeLoadFailure, RuntimeLoadError, type CallOptions, type LabRunner, type Runner, type RunnerOptions } from './supervisor.ts';
export type { LoadFailure, Progress, ProgressPhase, RuntimeInfo, RuntimeManifest } from './protocol.ts';

export interface BrowserRunnerOptions extends RunnerOptions {
  /** Where the runtime's files are, ending in `/` (default: the site's `runtime/`). */
  base?: string;
}

/** The site's runtime folder as an absolute URL. */
export function runtimeBase(): string {
  return new URL(`${import.meta.env.BASE_URL.replace(/\/?$/, '/')}runtime/`, location.href).href;
}

/**
 * The runtime's manifest (versions, sizes, or what is missing and how to make it), without starting Python:
 * what a page shows before the learner asks for a check. Null when the site has no runtime folder at all.
 */
export async function fetchManifest(base = runtimeBase()): Promise<RuntimeManifest | null> {
  try {
    const res = await fetch(`${base}manifest.json`, { cache: 'no-cache' });
    return res.ok ? ((await res.json()) as RuntimeManifest) : null;
  } catch {
    return null;
  }
}

export function createRunner(options: BrowserRunnerOptions = {}): LabRunner {
  const base = options.base ?? runtimeBase();
  return createSupervisor(({ message, died }, interrupt) => {
    const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'flask-session-lab-python' });
    worker.addEventListener('message', (e: MessageEvent<FromWorker>) => message(e.data));
    worker.addEventListener('error', (e) => {
      e.preventDefault();
      died(e.message || 'the Python Worker failed');
    });
    worker.addEventListener('messageerror', () => died('a message from the Python Worker could not be read'));
    worker.postMessage(interrupt ? { type: 'init', base, interrupt } : { type: 'init', base });
    return {
      post: (msg) => worker.postMessage(msg),
      terminate: () => worker.terminate(),
    };
  }, options);
}
