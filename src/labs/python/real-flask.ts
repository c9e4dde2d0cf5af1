// The labs about Flask's own behaviour (1, weak secret; 2, replay after logout) also exist as real Flask apps:
// src/labs/<slug>/app.py, run by the labs' host (exercises/_runner/flasklab_labs.py) in Pyodide with the Flask 3.1.1
// archive. This module makes such an app a LabDefinition of the framework: the runtime keeps the log, the victim's
// jar and the solved state as for every lab; the Python app answers the requests and reports its goal.
// Where no Python with the archive can start (a machine with only Node and npm), the engine's version of the lab
// runs instead and every snapshot says which one ran (`runtime`), so nothing the engine answers is shown as Flask's.
// Free of Node and DOM: the page (src/labs/python/browser.ts) and Node (src/labs/python/node.ts) say how to reach
// a Python and where the sources are.
import { LabInputError, type LabApp, type LabDefinition, type LabRequest, type LabResponse } from '../types.ts';

/** A Python with the Flask archive and the labs' host: one JSON call at a time, and the sources of the apps. */
export interface RealFlask {
  /** One call of flasklab_labs.call. Rejects when Python cannot start (then the engine runs the lab instead). */
  call(request: Record<string, unknown>): Promise<HostAnswer>;
  /** The Python source of a lab's app (src/labs/<slug>/app.py). */
  source(slug: string): Promise<string>;
  /** The Flask version this Python runs (starts it when it is not started). */
  flaskVersion?(): Promise<string | undefined>;
}

/** What the host answers: `ok` with the operation's fields, or an error of one of three kinds. */
export type HostAnswer = ({ ok: true } & Record<string, unknown>) | { ok: false; kind: 'input' | 'unknown-instance' | 'app'; error: string };

/** The labs with a real Flask app: their victim actions (as the engine's version lists them) and the data they need. */
export const REAL_FLASK_LABS: Record<string, { victimActions: readonly { id: string; arg?: string }[]; data(): Promise<Record<string, unknown>> }> = {
  'weak-secret': {
    victimActions: [],
    // The wordlist lines the key is drawn from: one list (keys.ts) for both versions of the lab.
    data: () => import('../weak-secret/keys.ts').then((m) => ({ weak_keys: m.WEAK_KEYS })),
  },
  'replay-after-logout': {
    victimActions: [{ id: 'login' }, { id: 'logout' }],
    data: async () => ({}),
  },
};

export function hasRealFlaskApp(slug: string): boolean {
  return Object.hasOwn(REAL_FLASK_LABS, slug);
}

let counter = 0;

/** The lab `slug` as its Python app on `python`. @throws {Error} for a slug without one. */
export function realFlaskLab(slug: string, python: RealFlask): LabDefinition {
  const spec = REAL_FLASK_LABS[slug];
  if (!spec) throw new Error(`lab '${slug}' has no real Flask app`);
  return {
    slug,
    victimActions: spec.victimActions,
    async create(seed, mode, { prefix }) {
      const id = `${slug}#${++counter}#${Math.random().toString(36).slice(2)}`;
      const made = { op: 'create', id, slug, source: await python.source(slug), seed, mode, prefix, data: await spec.data() };
      /** The requests this instance has answered, to rebuild it in a new Python (after a crash) by replaying them. */
      const history: Record<string, unknown>[] = [];
      const must = (a: HostAnswer): Extract<HostAnswer, { ok: true }> => {
        if (a.ok) return a;
        throw a.kind === 'input' ? new LabInputError(a.error) : new Error(a.error);
      };
      must(await python.call(made));
      /** One call; an instance the Python no longer knows (it was restarted) is made again first. */
      const call = async (op: Record<string, unknown>): Promise<Extract<HostAnswer, { ok: true }>> => {
        const first = await python.call(op);
        if (first.ok || first.kind !== 'unknown-instance') return must(first);
        must(await python.call(made));
        for (const h of history) await python.call(h);
        return must(await python.call(op));
      };
      const app: LabApp = {
        runtime: 'flask',
        async handle(request: LabRequest, context): Promise<LabResponse> {
          const op = { op: 'request', id, at: context.now, client: context.client, method: request.method, url: request.url, headers: request.headers, ...(request.body !== undefined ? { body: request.body } : {}) };
          const a = await call(op);
          history.push(op);
          if (a.goal === true) context.reachGoal();
          return { status: a.status as number, headers: a.headers as [string, string][], body: a.body as string };
        },
        async victim(action, arg, context) {
          const a = await call({ op: 'victim', id, action, ...(arg !== undefined ? { arg } : {}) });
          for (const r of a.requests as LabRequest[]) await context.send(r);
        },
        dispose() {
          python.call({ op: 'dispose', id }).catch(() => undefined);
        },
      };
      return app;
    },
  };
}

/** The Python the labs use by default in this context (the site server's, or none): see {@link useRealFlask}. */
let fallbackPython: RealFlask | null = null;

/** Sets (or with null, clears) the Python that labs with a real Flask app run on when none is given. */
export function useRealFlask(python: RealFlask | null): void {
  fallbackPython = python;
}

export function defaultRealFlask(): RealFlask | null {
  return fallbackPython;
}
