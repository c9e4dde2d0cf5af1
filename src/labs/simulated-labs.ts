// Labs 4–6 (a shared cache, a load balancer, an open Redis) by the names the teacher's import and the class server
// look them up with. They are ordinary labs of the framework now: the replay is the framework's replayLab.
import { replayLab, type ReplayResult } from './runtime.ts';
import type { LabAction, LabMode } from './types.ts';

export const SIMULATED_LAB_SLUGS = ['vary-cookie', 'load-balancer', 'pickle-store'] as const;

export function isSimulatedLab(slug: string): boolean {
  return (SIMULATED_LAB_SLUGS as readonly string[]).includes(slug);
}

/** The framework's {@link replayLab}: never throws; a malformed log gives `error`. */
export function replaySimulatedLab(slug: string, seed: string, mode: LabMode, log: readonly LabAction[]): Promise<ReplayResult> {
  return replayLab(slug, seed, mode, log);
}
