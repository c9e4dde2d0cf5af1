// The labs' real Flask in Node (the site server under `npm start`, the class server's re-check, the tests): one
// Pyodide in a worker thread (the exercise runtime's, src/exercises/runtime/node.ts) with the Flask archive, shared
// by every lab instance of the process. Node-only.
import { readFile } from 'node:fs/promises';
import { createRunner, findArchive, type LabRunner } from '../../exercises/runtime/node.ts';
import { useRealFlask, type HostAnswer, type RealFlask } from './real-flask.ts';

/** A RealFlask over `runner` (by default a new Node runner: Pyodide starts on the first call). */
export function nodeRealFlask(runner: LabRunner = createRunner({ timeLimitMs: 10_000 })): RealFlask & { runner: LabRunner } {
  return {
    runner,
    flaskVersion: () => runner.ready().then((info) => info.packages.Flask),
    async call(request) {
      return JSON.parse(await runner.lab(JSON.stringify(request))) as HostAnswer;
    },
    source: (slug) => readFile(new URL(`../${slug}/app.py`, import.meta.url), 'utf8'),
  };
}

/**
 * Makes the labs with a real Flask app run on it in this process, when the Flask archive is built here
 * (`npm run runtime:archive`); otherwise they keep running on the engine. Returns the Python, or null and why not.
 */
export function enableRealFlaskLabs(): { python: (RealFlask & { runner: LabRunner }) | null; missing?: string } {
  const found = findArchive();
  if ('missing' in found) return { python: null, missing: found.missing };
  const python = nodeRealFlask();
  useRealFlask(python);
  return { python };
}
