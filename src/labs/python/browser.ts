// The labs' real Flask in the page: the exercise runtime's Python Worker (Pyodide and the Flask archive from the
// site's /runtime/, loaded on the first call only) hosting the lab apps, and a lab client with the same methods as
// the engine's Worker client (src/labs/client.ts). The lab instance itself (log, victim's jar, solved state) is
// small and runs in the page; every request goes to the Flask app in the Worker. Loaded only when a learner
// first acts in the panel of a lab with a real Flask app, on a site whose runtime has the archive.
import { createRunner, type LabRunner, type Progress } from '../../exercises/runtime/client.ts';
import { LabInstance } from '../runtime.ts';
import type { LabMode, LabRequest, LabSnapshot } from '../types.ts';
import type { HostAnswer, RealFlask } from './real-flask.ts';

/** The apps' Python sources, bundled as text with this module (a few kilobytes). */
const SOURCES = import.meta.glob('../*/app.py', { query: '?raw', import: 'default' }) as Record<string, () => Promise<string>>;

export function browserRealFlask(onProgress?: (p: Progress) => void): RealFlask & { runner: LabRunner } {
  const runner = createRunner({ timeLimitMs: 10_000, ...(onProgress ? { onProgress } : {}) });
  return {
    runner,
    flaskVersion: () => runner.ready().then((info) => info.packages.Flask),
    async call(request) {
      return JSON.parse(await runner.lab(JSON.stringify(request))) as HostAnswer;
    },
    async source(slug) {
      const load = SOURCES[`../${slug}/app.py`];
      if (!load) throw new Error(`no Python app for lab '${slug}'`);
      return load();
    },
  };
}

/** A lab whose app is the real Flask in a Python Worker: create/request/victim answer with the instance's snapshot. */
export class RealFlaskLabClient {
  private readonly python: RealFlask & { runner: LabRunner };
  private instance: LabInstance | null = null;

  constructor(onProgress?: (p: Progress) => void) {
    this.python = browserRealFlask(onProgress);
  }

  async create(slug: string, seed: string, mode: LabMode): Promise<LabSnapshot> {
    this.instance?.dispose();
    this.instance = null;
    this.instance = await LabInstance.create(slug, seed, mode, { python: this.python });
    return this.instance.snapshot();
  }

  private current(): LabInstance {
    if (!this.instance) throw new Error('no lab instance yet');
    return this.instance;
  }

  async request(request: LabRequest): Promise<LabSnapshot> {
    await this.current().request(request);
    return this.current().snapshot();
  }

  async victim(action: string, arg?: string): Promise<LabSnapshot> {
    await this.current().victim(action, arg);
    return this.current().snapshot();
  }

  terminate(): void {
    this.instance?.dispose();
    this.python.runner.dispose();
  }
}
