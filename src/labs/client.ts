// The page's side of the lab Worker: one Worker per panel, each call answered with the instance's snapshot.
import type { LabMode, LabRequest, LabSnapshot } from './types.ts';
import type { LabWorkerReply, LabWorkerRequest } from './worker-protocol.ts';

type Pending = { resolve(s: LabSnapshot): void; reject(e: Error): void };

type Omit2<T> = T extends unknown ? Omit<T, 'id'> : never;

export class LabWorkerClient {
  private readonly worker: Worker;
  private next = 1;
  private readonly pending = new Map<number, Pending>();

  constructor() {
    this.worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'flask-session-lab-lab' });
    this.worker.addEventListener('message', (event: MessageEvent<LabWorkerReply>) => {
      const reply = event.data;
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      if (reply.ok) p.resolve(reply.snapshot);
      else p.reject(Object.assign(new Error(reply.error), { key: reply.key, params: reply.params }));
    });
    this.worker.addEventListener('error', (event) => {
      for (const p of this.pending.values()) p.reject(new Error(event.message || 'the lab worker stopped'));
      this.pending.clear();
    });
  }

  private call(message: Omit2<LabWorkerRequest>): Promise<LabSnapshot> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...message, id } as LabWorkerRequest);
    });
  }

  create(slug: string, seed: string, mode: LabMode): Promise<LabSnapshot> {
    return this.call({ op: 'create', slug, seed, mode });
  }

  request(request: LabRequest): Promise<LabSnapshot> {
    return this.call({ op: 'request', request });
  }

  victim(action: string, arg?: string): Promise<LabSnapshot> {
    return this.call({ op: 'victim', action, ...(arg !== undefined ? { arg } : {}) });
  }

  terminate(): void {
    this.worker.terminate();
  }
}
