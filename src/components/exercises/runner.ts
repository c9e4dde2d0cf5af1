// One Python runtime per page, shared by every exercise panel and "Run on real Flask" button on it: created the
// first time one of them is opened or pressed (never on page load), through src/exercises/runtime/client.ts (a
// module Worker running Pyodide and the Flask archive). Also reads /runtime/manifest.json, which says which Flask
// the page runs, or what is missing and how to get it.
import type { CheckResult } from './results.ts';

/** What the runtime's manifest says: the versions it runs, or why it cannot run. */
export type Manifest =
  | { ok: true; versions: Record<string, string>; raw: Record<string, unknown> }
  | { ok: false; missing: string; howto: string };

/** Loading progress, as far as the runtime reports it. */
export interface LoadProgress {
  done?: number;
  total?: number;
  phase?: string;
}

/** The request of one check (the contract of exercises/_runner/flasklab_runner.py's `check`). */
export interface CheckRequest {
  learner: string;
  tests: string;
  messages: Record<string, string>;
  lang: 'en' | 'zh-CN';
  output_cap: number;
  timeLimitMs: number;
}

/** The answer of `run_snippet`. */
export interface SnippetResult {
  stdout: string;
  stderr: string;
  exception: string | null;
  exchanges: import('./results.ts').ExchangeRecord[];
}

/** The runtime's browser API (src/exercises/runtime/client.ts). */
export interface Runner {
  ready(): Promise<void>;
  check(req: CheckRequest): Promise<CheckResult>;
  runSnippet(req: { code: string; filename: string; timeLimitMs?: number; lang?: 'en' | 'zh-CN' }): Promise<SnippetResult>;
  dispose(): void;
}

type ClientModule = { createRunner(options: { onProgress?: (p: unknown) => void }): Runner };

// Found at build time when the runtime is part of the project; a glob, so the site still builds without it.
const clients = import.meta.glob<ClientModule>('../../exercises/runtime/client.ts');

const listeners = new Set<(p: LoadProgress) => void>();
let runner: Promise<Runner> | null = null;
let manifest: Promise<Manifest> | null = null;

/** Reads a progress report of any shape the runtime sends into {done, total, phase}. */
export function toProgress(p: unknown): LoadProgress {
  if (typeof p !== 'object' || p === null) return typeof p === 'string' ? { phase: p } : {};
  const o = p as Record<string, unknown>;
  const num = (...keys: string[]) => keys.map((k) => o[k]).find((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const str = (...keys: string[]) => keys.map((k) => o[k]).find((v): v is string => typeof v === 'string');
  return { done: num('done', 'loaded', 'step', 'current'), total: num('total', 'steps', 'of'), phase: str('phase', 'stage', 'label', 'message', 'what') };
}

/** Reads a manifest's JSON text. */
export function parseManifest(json: unknown): Manifest {
  if (typeof json !== 'object' || json === null) return { ok: false, missing: 'manifest.json is not a JSON object', howto: 'npm run build' };
  const o = json as Record<string, unknown>;
  if (typeof o.missing === 'string') return { ok: false, missing: o.missing, howto: typeof o.howto === 'string' ? o.howto : 'npm run build' };
  const versions: Record<string, string> = {};
  const collect = (from: unknown) => {
    if (typeof from !== 'object' || from === null) return;
    for (const [k, v] of Object.entries(from as Record<string, unknown>)) {
      if (typeof v === 'string') versions[k.toLowerCase()] = v;
      else if (typeof v === 'object' && v !== null && typeof (v as { version?: unknown }).version === 'string') versions[k.toLowerCase()] = (v as { version: string }).version;
    }
  };
  collect(o.packages);
  collect(o.versions);
  for (const key of ['python', 'pyodide', 'flask']) if (typeof o[key] === 'string') versions[key] = o[key] as string;
  return { ok: true, versions, raw: o };
}

/** The page's runtime manifest (fetched once). */
export function runtimeManifest(): Promise<Manifest> {
  manifest ??= fetch('/runtime/manifest.json')
    .then(async (res) => (res.ok ? parseManifest(await res.json()) : { ok: false as const, missing: `/runtime/manifest.json (HTTP ${res.status})`, howto: 'npm run build' }))
    .catch((error: unknown) => ({ ok: false as const, missing: `/runtime/manifest.json (${error instanceof Error ? error.message : String(error)})`, howto: 'npm run build' }));
  return manifest;
}

/** Follows the runtime's loading progress; returns a function that stops following. */
export function onLoadProgress(listener: (p: LoadProgress) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The page's runner, created and loaded on first call. Rejects when the runtime is missing or fails to start. */
export function pageRunner(): Promise<Runner> {
  runner ??= (async () => {
    const m = await runtimeManifest();
    if (!m.ok) throw Object.assign(new Error(m.missing), { missing: m });
    const load = clients['../../exercises/runtime/client.ts'];
    if (!load) throw Object.assign(new Error('src/exercises/runtime/client.ts'), { missing: { ok: false, missing: 'src/exercises/runtime/client.ts', howto: 'npm run build' } });
    const { createRunner } = await load();
    const r = createRunner({ onProgress: (p) => listeners.forEach((l) => l(toProgress(p))) });
    await r.ready();
    return r;
  })();
  runner.catch(() => {
    // A failed start is tried again on the next press.
    runner = null;
  });
  return runner;
}
