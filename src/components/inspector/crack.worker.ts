// Web Worker: runs the wordlist attack off the main thread and reports progress about ten times a second.
import { crackWordlist } from './crack-loop.ts';

interface Request {
  cookie: string;
  wordlist: ArrayBuffer;
}

const scope = self as unknown as { onmessage: ((event: MessageEvent<Request>) => void) | null; postMessage(message: unknown): void };

scope.onmessage = (event) => {
  const { cookie, wordlist } = event.data;
  const started = performance.now();
  let lastPost = -Infinity;
  try {
    for (const progress of crackWordlist(cookie, new Uint8Array(wordlist))) {
      const now = performance.now();
      if (progress.done || now - lastPost >= 100) {
        scope.postMessage({ ...progress, elapsed: now - started });
        lastPost = now;
      }
    }
  } catch (e) {
    scope.postMessage({ error: e instanceof Error ? e.message : String(e) });
  }
};
