// Lab progress in the browser, under localStorage key `flask-session-lab:labs:v1`:
//   {format: 1, learnerSeed, labs: {slug: {mode, solved, solvedAt (ISO time), log}}}
// `learnerSeed` is random, made once per browser, and seeds every lab instance the page runs outside a class, so two
// learners' secrets, ids and passwords differ. Inside a class (an assignment open in this browser and the student's
// name known) a lab's seed is computed instead, from the class and the name, or from the key the class server gave
// this learner (labSeed, src/labs/random.ts), so the teacher's page and the class server compute it again rather
// than trust a file. Each entry keeps the seed its run was made with. Once a lab is solved, its entry keeps the
// mode and the log of the run that solved it (replayLab(slug, seed, mode, log) re-checks it); later runs do not
// overwrite a solved entry, unless they solve it under another seed (the learner joined a class since).
// Pure functions over a Storage-like object, so the teacher and class pages and the tests use them too.
import { CLASS_KEY, STUDENT_NAME_KEY, storedLearnerKey } from '../classroom/storage-keys.ts';
import { LAB_MODES, type LabAction, type LabMode, type LabSnapshot } from './types.ts';

export const PROGRESS_KEY = 'flask-session-lab:labs:v1';

/** One lab's saved state. */
export interface LabProgressEntry {
  mode: LabMode;
  solved: boolean;
  /** When the lab was first solved in this browser (ISO 8601), or null. */
  solvedAt: string | null;
  /** The solving run's log once solved; before that, the latest run's log. */
  log: LabAction[];
  /** The seed the run was made with, when it is not the learner seed (a class's seed). */
  seed?: string;
}

/** Everything saved about labs in this browser. */
export interface LabProgress {
  format: 1;
  learnerSeed: string;
  labs: Record<string, LabProgressEntry>;
}

/** What the helpers need of `localStorage`. */
export type ProgressStorage = Pick<Storage, 'getItem' | 'setItem'>;

function isEntry(v: unknown): v is LabProgressEntry {
  if (!v || typeof v !== 'object') return false;
  const e = v as Record<string, unknown>;
  return LAB_MODES.includes(e.mode as LabMode) && typeof e.solved === 'boolean' && (e.solvedAt === null || typeof e.solvedAt === 'string') && Array.isArray(e.log) && (e.seed === undefined || (typeof e.seed === 'string' && e.seed !== ''));
}

/**
 * The saved progress, or a fresh one (with a new learner seed, not yet written) when nothing usable is saved.
 * Entries that do not have the expected shape are dropped.
 */
export function parseProgress(text: string | null): LabProgress | null {
  if (!text) return null;
  try {
    const v = JSON.parse(text) as Record<string, unknown>;
    if (v.format !== 1 || typeof v.learnerSeed !== 'string' || v.learnerSeed === '' || !v.labs || typeof v.labs !== 'object') return null;
    const labs: Record<string, LabProgressEntry> = {};
    for (const [slug, entry] of Object.entries(v.labs as Record<string, unknown>)) if (isEntry(entry)) labs[slug] = entry;
    return { format: 1, learnerSeed: v.learnerSeed, labs };
  } catch {
    return null;
  }
}

/** Reads the progress; makes (and writes) a learner seed the first time. Storage errors give an unsaved progress. */
export function readProgress(storage: ProgressStorage | null = globalStorage()): LabProgress {
  let saved: LabProgress | null = null;
  try {
    saved = parseProgress(storage?.getItem(PROGRESS_KEY) ?? null);
  } catch {
    saved = null;
  }
  if (saved) return saved;
  const fresh: LabProgress = { format: 1, learnerSeed: newLearnerSeed(), labs: {} };
  writeProgress(fresh, storage);
  return fresh;
}

/** Writes the progress; false when the browser refused (private mode, full storage). */
export function writeProgress(progress: LabProgress, storage: ProgressStorage | null = globalStorage()): boolean {
  try {
    storage?.setItem(PROGRESS_KEY, JSON.stringify(progress));
    return storage !== null;
  } catch {
    return false;
  }
}

/**
 * Records a run of `slug`: a solved run is kept (with its log) unless the lab was solved before; an unsolved run
 * replaces an unsolved entry. Returns the progress as written.
 */
export function recordRun(snapshot: Pick<LabSnapshot, 'slug' | 'mode' | 'solved' | 'log'>, storage: ProgressStorage | null = globalStorage(), now: Date = new Date()): LabProgress {
  const progress = readProgress(storage);
  const before = progress.labs[snapshot.slug];
  const seed = issued.get(snapshot.slug) ?? progress.learnerSeed;
  if (before?.solved && ((before.seed ?? progress.learnerSeed) === seed || !snapshot.solved)) return progress;
  progress.labs[snapshot.slug] = { mode: snapshot.mode, solved: snapshot.solved, solvedAt: snapshot.solved ? now.toISOString() : null, log: snapshot.log, ...(seed !== progress.learnerSeed ? { seed } : {}) };
  writeProgress(progress, storage);
  return progress;
}

/** The seed labSeed last gave each lab on this page: the run recordRun records was made with it. */
const issued = new Map<string, string>();

/**
 * The seed a new instance of lab `slug` is made with. In a class (an assignment open in this browser and the
 * student's name saved): from the key the class server gave this learner when there is one for that class, else
 * from the class and the name; outside a class, the browser's random learner seed. The class case loads the
 * HMAC code on demand, so a page outside a class pays nothing for it.
 */
export async function labSeed(slug: string, storage: ProgressStorage | null = globalStorage()): Promise<string> {
  const classSeed = await classLabSeedFor(slug, storage);
  const progress = readProgress(storage);
  const seed = classSeed ?? progress.learnerSeed;
  // A lab solved under another seed (before this class, or in another one) is not solved here: it starts again, so
  // the page never shows as solved what the teacher's re-check will not count.
  const entry = progress.labs[slug];
  if (entry?.solved && (entry.seed ?? progress.learnerSeed) !== seed) {
    delete progress.labs[slug];
    writeProgress(progress, storage);
  }
  issued.set(slug, seed);
  return seed;
}

/** The class seed of lab `slug` in this browser, or null outside a class (no assignment, or no name yet). */
export async function classLabSeedFor(slug: string, storage: ProgressStorage | null = globalStorage()): Promise<string | null> {
  let code: unknown;
  let name: string | null;
  try {
    code = (JSON.parse(storage?.getItem(CLASS_KEY) ?? 'null') as { code?: unknown } | null)?.code;
    name = storage?.getItem(STUDENT_NAME_KEY)?.trim() || null;
  } catch {
    return null;
  }
  if (typeof code !== 'string' || !name) return null;
  const [{ parseClassCode }, random] = await Promise.all([import('../classroom/class-code.ts'), import('./random.ts')]);
  let assignment;
  try {
    assignment = parseClassCode(code);
  } catch {
    return null;
  }
  let learner = storedLearnerKey(storage, assignment.server);
  // A class server serving this page gives this learner a key first (once), so the seed is theirs alone.
  if (!learner && assignment.server && assignment.token && typeof location !== 'undefined' && new URL(assignment.server).origin === location.origin) {
    const { registerLearner } = await import('../classroom/server-link.ts');
    learner = await registerLearner({ server: assignment.server, token: assignment.token }, name, storage);
  }
  return learner ? random.learnerLabSeed(learner.key, slug) : random.classLabSeed(assignment, name, slug);
}

/** A new random learner seed, 128 bits as hex (Web Crypto, in browsers and in Node). */
export function newLearnerSeed(): string {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

function globalStorage(): ProgressStorage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}
