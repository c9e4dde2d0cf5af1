// Every lab's app, loaded on demand (the Worker and the server import only the labs they run).
// A new lab adds one line here and one entry in catalog.ts.
import type { LabDefinition } from './types.ts';

export const LAB_LOADERS: Record<string, () => Promise<LabDefinition>> = {
  'weak-secret': () => import('./weak-secret/app.ts').then((m) => m.lab),
  'replay-after-logout': () => import('./replay-after-logout/app.ts').then((m) => m.lab),
  'session-fixation': () => import('./session-fixation/app.ts').then((m) => m.lab),
  'vary-cookie': () => import('./vary-cookie/app.ts').then((m) => m.lab),
  'load-balancer': () => import('./load-balancer/app.ts').then((m) => m.lab),
  'pickle-store': () => import('./pickle-store/app.ts').then((m) => m.lab),
};

/** The lab with this slug. @throws {LabInputError} for an unknown slug. */
export async function loadLab(slug: string): Promise<LabDefinition> {
  const load = Object.hasOwn(LAB_LOADERS, slug) ? LAB_LOADERS[slug] : undefined;
  if (!load) {
    const { LabInputError } = await import('./types.ts');
    throw new LabInputError(`unknown lab '${slug}' (known: ${Object.keys(LAB_LOADERS).join(', ')})`);
  }
  return load();
}
