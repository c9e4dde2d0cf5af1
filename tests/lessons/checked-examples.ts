// Which Python examples a checker must cover, from the lesson registry (not a list kept beside the checker), and
// which it does: the `check_<name>` functions the checker defines, read from its text.
import { readFileSync } from 'node:fs';
import { LESSON_REGISTRY } from '../../src/lessons/registry.ts';

/** The registry's examples in `folder` of examples/python/ ('' for the top), as module names (`session_dict`). */
export function registryExamples(folder: string): string[] {
  const prefix = folder ? `${folder}/` : '';
  return LESSON_REGISTRY.flatMap((l) => l.examples)
    .filter((f) => f.startsWith(prefix) && !f.slice(prefix.length).includes('/'))
    .map((f) => f.slice(prefix.length).replace(/\.py$/, ''))
    .sort();
}

/** The names after `check_` of the functions a checker script defines at its top level. */
export function checksIn(checker: string): string[] {
  return [...readFileSync(checker, 'utf8').matchAll(/^def check_(\w+)\(/gm)].map((m) => m[1]!).sort();
}
