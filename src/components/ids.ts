// Element ids for widgets a page may hold more than once (a lesson embeds several visualizers, one "Run on real
// Flask" block per listing). The count lives on globalThis under one symbol, not in this module, so every build
// chunk that bundles its own copy of this file still draws from the same count: ids never repeat within a build.

const KEY = Symbol.for('flask-session-lab.element-ids');

/** `prefix` followed by how many ids with that prefix were made before, plus one: `viz1`, `viz2`, … */
export function nextId(prefix: string): string {
  const g = globalThis as unknown as Record<symbol, Map<string, number> | undefined>;
  const counts = (g[KEY] ??= new Map());
  const n = (counts.get(prefix) ?? 0) + 1;
  counts.set(prefix, n);
  return `${prefix}${n}`;
}
