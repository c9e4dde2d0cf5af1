// The module Worker a lab page starts: it runs one lab instance (the same app code `npm start` serves) and answers
// the panel's messages. Loaded only when the learner first acts in the panel.
import { LabInstance } from './runtime.ts';
import { LabInputError } from './types.ts';
import type { LabWorkerReply, LabWorkerRequest } from './worker-protocol.ts';

let instance: LabInstance | null = null;

async function answer(message: LabWorkerRequest): Promise<LabWorkerReply> {
  try {
    switch (message.op) {
      case 'create':
        instance = await LabInstance.create(message.slug, message.seed, message.mode);
        return { id: message.id, ok: true, snapshot: instance.snapshot() };
      case 'request':
        if (!instance) throw new Error('no lab instance yet');
        await instance.request(message.request);
        return { id: message.id, ok: true, snapshot: instance.snapshot() };
      case 'victim':
        if (!instance) throw new Error('no lab instance yet');
        await instance.victim(message.action, message.arg);
        return { id: message.id, ok: true, snapshot: instance.snapshot() };
    }
  } catch (err) {
    const keyed = err instanceof LabInputError && err.key ? { key: err.key, params: err.params } : {};
    return { id: (message as { id: number }).id, ok: false, error: err instanceof Error ? err.message : String(err), ...keyed };
  }
}

self.addEventListener('message', (event: MessageEvent<LabWorkerRequest>) => {
  void answer(event.data).then((reply) => self.postMessage(reply));
});
