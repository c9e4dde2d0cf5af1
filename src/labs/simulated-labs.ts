// The labs whose app runs on the engine with simulated infrastructure (labs 4–6): create one by slug, or replay a
// log against a fresh instance to check a claim.
import { createLoadBalancerLab } from './load-balancer/app.ts';
import { createPickleStoreLab } from './pickle-store/app.ts';
import { createVaryCookieLab } from './vary-cookie/app.ts';
import { LabInputError, replayOn, type LabAction, type LabMode, type ReplayResult, type SimulatedLab } from './simulated.ts';

export const SIMULATED_LAB_FACTORIES = {
  'vary-cookie': createVaryCookieLab,
  'load-balancer': createLoadBalancerLab,
  'pickle-store': createPickleStoreLab,
} as const satisfies Record<string, (seed: string, mode: LabMode, prefix?: string) => Promise<SimulatedLab>>;

export type SimulatedLabSlug = keyof typeof SIMULATED_LAB_FACTORIES;
export const SIMULATED_LAB_SLUGS = Object.keys(SIMULATED_LAB_FACTORIES) as SimulatedLabSlug[];

export function isSimulatedLab(slug: string): slug is SimulatedLabSlug {
  return Object.hasOwn(SIMULATED_LAB_FACTORIES, slug);
}

/** A ready instance of a lab. @throws {LabInputError} for an unknown slug, a bad seed, mode or prefix. */
export function createSimulatedLab(slug: string, seed: string, mode: LabMode, prefix = ''): Promise<SimulatedLab> {
  if (!isSimulatedLab(slug)) throw new LabInputError('unknown-lab', `no lab "${slug}" here`, { slug });
  return SIMULATED_LAB_FACTORIES[slug](seed, mode, prefix);
}

/** Re-creates the instance and replays the log: solved only when the app observes the goal again. */
export async function replaySimulatedLab(slug: string, seed: string, mode: LabMode, log: readonly LabAction[]): Promise<ReplayResult> {
  return replayOn(await createSimulatedLab(slug, seed, mode), log);
}
