// One Python runtime per page, shared by every exercise panel and "Run on real Flask" button on it: created the
// first time one of them is opened or pressed (never on page load), through src/exercises/runtime/client.ts (a
// module Worker running Pyodide and the Flask archive). Also reads /runtime/manifest.json, which says which Flask
// the page runs, or what is missing and how to get it.
import type { CheckResult } from './results.ts';

/** What the runtime's manifest says: the versions it runs, or why it cannot run. */
export type Manifest =
  | { ok: true; versions: Record<string, string>; raw: Record<string, unknown> }
  | { ok: false; missing: string; howto: string };

/** Loading progress as the runtime reports it (src/exercises/runtime/protocol.ts `Progress`). */
export interface LoadProgress {
  phase?: string;
  /** Bytes received and expected, when the phase downloads something of known size. */
  done?: number;
  total?: number;
}

/** The request of one check (exercises/_runner/flasklab_runner.py's `check`). */
export interface CheckRequest {
  learner: string;
  tests: string;
  messages: Record<string, string>;
  lang: 'en' | 'zh-CN';
  output_cap: number;
}

/** The answer of `run_snippet`. */
export interface SnippetResult {
  stdout: string;
  stderr: string;
  exception: string | null;
  exchanges: readonly import('./results.ts').ExchangeRecord[];
}

/** What Python reports once it runs: the versions that actually run (protocol.ts `RuntimeInfo`). */
export interface RuntimeInfo {
  python: string;
  pyodide: string;
  packages: Readonly<Record<string, string>>;
}

/** Why the runtime could not start (protocol.ts `LoadFailure`). */
export interface LoadFailure {
  code: string;
  detail: string;
  howto?: string;
}

/** The runtime's browser API (src/exercises/runtime/client.ts). */
export interface Runner {
  ready(): Promise<RuntimeInfo>;
  check(req: CheckRequest, options?: { timeLimitMs?: number }): Promise<CheckResult>;
  runSnippet(req: { code: string; filename: string }, options?: { timeLimitMs?: number }): Promise<SnippetResult>;
  dispose(): void;
}

/** A runner that is ready, with the versions it runs. */
export interface ReadyRunner {
  runner: Runner;
  info: RuntimeInfo;
}

/** The error pageRunner() rejects with when something the runtime needs is missing: what, and how to get it. */
export class RuntimeMissing extends Error {
  readonly what: string;
  readonly howto: string;
  constructor(what: string, howto: string) {
    super(what);
    this.name = 'RuntimeMissing';
    this.what = what;
    this.howto = howto;
  }
}

type ClientModule = { createRunner(options: { onProgress?: (p: unknown) => void; lang?: 'en' | 'zh-CN'; spareAfterTimeout?: boolean }): Runner };

// Found at build time when the runtime is part of the project; a glob, so the site still builds without it.
const clients = import.meta.glob<ClientModule>('../../exercises/runtime/client.ts');

const listeners = new Set<(p: LoadProgress) => void>();
let runner: Promise<ReadyRunner> | null = null;
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

/** The versions a ready runtime reports, by lower-case name (flask, werkzeug, itsdangerous, python, pyodide). */
export function versionsOf(info: RuntimeInfo): Record<string, string> {
  const v: Record<string, string> = { python: info.python, pyodide: info.pyodide };
  for (const [name, version] of Object.entries(info.packages)) v[name.toLowerCase()] = version;
  return v;
}

/**
 * The page's runner, created and started on first call (one per page, shared by every panel and Run button).
 * Rejects with {@link RuntimeMissing} when the manifest or the runtime says a part is missing, else with the
 * runtime's own error. A failed start is tried again on the next call.
 */
export function pageRunner(lang: 'en' | 'zh-CN'): Promise<ReadyRunner> {
  runner ??= (async () => {
    const m = await runtimeManifest();
    if (!m.ok) throw new RuntimeMissing(m.missing, m.howto);
    const load = clients['../../exercises/runtime/client.ts'];
    if (!load) throw new RuntimeMissing('src/exercises/runtime/client.ts', 'npm run build');
    const { createRunner } = await load();
    const r = createRunner({ lang, spareAfterTimeout: true, onProgress: (p) => listeners.forEach((l) => l(toProgress(p))) });
    try {
      return { runner: r, info: await r.ready() };
    } catch (e) {
      r.dispose();
      const failure = (e as { failure?: LoadFailure }).failure;
      if (failure && failure.code !== 'load-failed') throw new RuntimeMissing(failure.detail, failure.howto ?? 'npm run build');
      throw e;
    }
  })();
  runner.catch(() => {
    runner = null;
  });
  return runner;
}
