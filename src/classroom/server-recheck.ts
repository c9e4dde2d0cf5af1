// The class server never takes a student's word for a result: every stored exercise entry is re-run on the
// server against the CURRENT tests (the same Pyodide, Flask archive and runner as the pages, through
// src/exercises/runtime/node.ts), and every lab entry is replayed from its seed, mode and action log with the
// labs' own `replayLab` (src/labs/). A lab is replayed only when it ran with this student's own seed, which the
// server computes (never reads from the submission): from the key it gave the learner at registration, or, for a
// learner who never registered, from the class token and the name (src/labs/random.ts). An entry copied from
// another student is "wrong-seed" and never counts. One entry at a time, oldest first, from the database: an entry stored just
// before a crash is re-checked after the restart. The dashboard flags where the claim and the re-check differ.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { checkRequest } from '../exercises/catalog.ts';
import { createRunner, RuntimeLoadError, type Runner } from '../exercises/runtime/node.ts';
import type { Exercise, Lang } from '../exercises/types.ts';
import { classLabSeed, learnerLabSeed } from '../labs/random.ts';
import type { ClassStore, EntryRow, PendingEntry } from './server-db.ts';
import { claimOf } from './server-submission.ts';

/** replayLab of the labs' contract. */
export interface ReplayOutcome {
  solved: boolean;
  solvedAt: number | null;
  /** Why the log could not be replayed (then solved is false). */
  error?: string;
}
/** The labs' replayLab (its mode and log entry types are the labs' own). */
export type ReplayLab = (slug: string, seed: string, mode: any, log: any[]) => ReplayOutcome | Promise<ReplayOutcome>;

/** Where the labs' framework exports `replayLab` (the first that exists and exports it is used). */
const FRAMEWORK_MODULES = ['../labs/runtime.ts', '../labs/index.ts', '../labs/replay.ts'];
/** Labs 4-6, whose apps replay through their own module. */
const SIMULATED_MODULE = '../labs/simulated-labs.ts';

async function importIfThere(rel: string): Promise<Record<string, unknown> | null> {
  const path = fileURLToPath(new URL(rel, import.meta.url));
  if (!existsSync(path)) return null;
  return (await import(pathToFileURL(path).href)) as Record<string, unknown>;
}

/**
 * The labs' replay: the framework's replayLab for its labs, replaySimulatedLab for the labs that run on simulated
 * infrastructure; or why there is none. A lab neither knows is refused by the replay (an error, not a pass).
 */
export async function loadReplayLab(): Promise<ReplayLab | string> {
  let framework: ReplayLab | null = null;
  let simulated: { isSimulatedLab: (slug: string) => boolean; replaySimulatedLab: ReplayLab } | null = null;
  try {
    for (const rel of FRAMEWORK_MODULES) {
      const mod = await importIfThere(rel);
      if (typeof mod?.replayLab === 'function') {
        framework = mod.replayLab as ReplayLab;
        break;
      }
    }
    const sim = await importIfThere(SIMULATED_MODULE);
    if (typeof sim?.isSimulatedLab === 'function' && typeof sim.replaySimulatedLab === 'function') simulated = sim as unknown as NonNullable<typeof simulated>;
  } catch (e) {
    return `the labs could not be loaded (${e instanceof Error ? e.message : String(e)})`;
  }
  if (!framework && !simulated) return 'this build has no labs to replay (src/labs/ exports no replayLab)';
  const own = framework as ReplayLab | null;
  const sims = simulated as { isSimulatedLab: (slug: string) => boolean; replaySimulatedLab: ReplayLab } | null;
  return (slug, seed, mode, log) => {
    if (sims?.isSimulatedLab(slug)) return sims.replaySimulatedLab(slug, seed, mode, log);
    if (own) return own(slug, seed, mode, log);
    return { solved: false, solvedAt: null, error: `this build cannot replay the lab "${slug}"` };
  };
}

/** The labs this build has, with their titles where the labs' catalog gives one (best effort: none when src/labs/ is not there). */
export async function knownLabs(): Promise<{ slug: string; title: { en: string; 'zh-CN': string } | null }[]> {
  const out: { slug: string; title: { en: string; 'zh-CN': string } | null }[] = [];
  try {
    const catalog = await importIfThere('../labs/catalog.ts');
    for (const info of Array.isArray(catalog?.LAB_CATALOG) ? (catalog.LAB_CATALOG as { slug: string; number?: number; title?: { en: string; 'zh-CN': string } }[]) : []) {
      out.push({ slug: info.slug, title: info.title && typeof info.title.en === 'string' ? info.title : null });
    }
    const sim = await importIfThere(SIMULATED_MODULE);
    for (const slug of Array.isArray(sim?.SIMULATED_LAB_SLUGS) ? (sim.SIMULATED_LAB_SLUGS as string[]) : []) if (!out.some((l) => l.slug === slug)) out.push({ slug, title: null });
  } catch {
    // no labs to list
  }
  return out;
}

export interface RecheckOptions {
  readonly store: ClassStore;
  /** The class (its id finds learners' keys; its token and name make the seeds of learners without one). */
  readonly cls: { readonly id: string; readonly name: string; readonly token: string };
  readonly exercises: readonly Exercise[];
  /** Called with each entry once re-checked. */
  readonly onChecked: (row: EntryRow) => void;
  /** Called when the re-check cannot run at all (no runtime); entries stay pending for the next start. */
  readonly onUnavailable: (why: string) => void;
  /** A runner to use (tests); by default the Node runtime's. */
  readonly runner?: Runner;
  readonly replayLab?: ReplayLab | string;
}

export interface Rechecker {
  /** Looks for pending entries and re-checks them (a no-op while already at work). */
  kick(): void;
  /** Resolves once nothing is pending or at work (tests, shutdown). */
  idle(): Promise<void>;
  /** Why re-checks cannot run, or null. */
  unavailable(): string | null;
  close(): void;
}

export function createRechecker(o: RecheckOptions): Rechecker {
  const byId = new Map(o.exercises.map((e) => [e.id, e]));
  let runner: Runner | null = o.runner ?? null;
  let replay: Promise<ReplayLab | string> | null = o.replayLab !== undefined ? Promise.resolve(o.replayLab) : null;
  let working: Promise<void> | null = null;
  let down: string | null = null;
  let closed = false;
  let wanted = false;

  /** The seed lab `slug` must have run with for this entry's learner. */
  function expectedSeed(p: PendingEntry): string {
    const key = o.store.learnerKey(o.cls.id, p.learner);
    return key ? learnerLabSeed(key, p.task) : classLabSeed(o.cls, p.name, p.task);
  }

  async function checkOne(p: PendingEntry): Promise<[string, string | null] | null> {
    const { kind, task, lang } = p;
    const data = JSON.parse(p.body) as Record<string, unknown>;
    if (kind === 'exercise') {
      const ex = byId.get(task);
      if (!ex) return ['unchecked', `no exercise ${task} on this site any more`];
      runner ??= createRunner({ lang: lang === 'zh-CN' ? 'zh-CN' : 'en' });
      try {
        await runner.ready();
      } catch (e) {
        down = e instanceof RuntimeLoadError ? e.message : String(e);
        return null;
      }
      const result = await runner.check(checkRequest(ex, String(data.code ?? ''), (lang === 'zh-CN' ? 'zh-CN' : 'en') as Lang), { timeLimitMs: ex.timeLimitMs });
      const status = claimOf(result);
      const failing = result.tests.filter((t) => t.status !== 'pass').map((t) => t.name);
      return [status, result.message ?? (failing.length ? failing.join(', ') : null)];
    }
    if (String(data.seed) !== expectedSeed(p)) return ['wrong-seed', null];
    replay ??= loadReplayLab();
    const fn = await replay;
    if (typeof fn === 'string') return ['unchecked', fn];
    try {
      const r = await fn(task, String(data.seed), String(data.mode), Array.isArray(data.log) ? data.log : []);
      return [r.solved ? 'solved' : 'unsolved', r.error ?? (r.solvedAt === null ? null : `solved at action ${r.solvedAt + 1} of the log`)];
    } catch (e) {
      return ['unchecked', `the replay failed: ${e instanceof Error ? e.message : String(e)}`];
    }
  }

  async function work(): Promise<void> {
    while (!closed && !down) {
      const batch = o.store.pending(50);
      if (batch.length === 0) return;
      for (const p of batch) {
        if (closed) return;
        // A student who checks again before the re-run of the last check came round: only the latest counts.
        if (o.store.superseded(p.seq)) {
          o.store.setRecheck(p.seq, 'superseded', null);
          continue;
        }
        const outcome = await checkOne(p);
        if (outcome === null) {
          o.onUnavailable(down ?? 'the exercise runtime did not start');
          return;
        }
        if (closed) return;
        const row = o.store.setRecheck(p.seq, outcome[0], outcome[1]);
        if (row) o.onChecked(row);
      }
    }
  }

  return {
    kick() {
      wanted = true;
      if (working || closed || down) return;
      working = (async () => {
        while (wanted && !closed && !down) {
          wanted = false;
          await work();
        }
      })()
        .catch((e: unknown) => {
          down = `the re-check stopped: ${e instanceof Error ? e.message : String(e)}`;
          o.onUnavailable(down);
        })
        .finally(() => {
          working = null;
        });
    },
    async idle() {
      while (working) await working;
    },
    unavailable: () => down,
    close() {
      closed = true;
      runner?.dispose();
    },
  };
}
