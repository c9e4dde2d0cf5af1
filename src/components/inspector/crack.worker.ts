// Web Worker: runs the wordlist attack off the main thread and reports progress about ten times a second.
import type { CrackOptions } from '../../engine/crack.ts';
import { crackWordlist } from './crack-loop.ts';

interface Request {
  cookie: string;
  wordlist: ArrayBuffer;
  /** How a guess becomes the HMAC key; Flask's session settings when absent (a JWT passes its own). */
  options?: CrackOptions;
}

const scope = self as unknown as { onmessage: ((event: MessageEvent<Request>) => void) | null; postMessage(message: unknown): void };

scope.onmessage = (event) => {
  const { cookie, wordlist, options } = event.data;
  const started = performance.now();
  let lastPost = -Infinity;
  try {
    for (const progress of crackWordlist(cookie, new Uint8Array(wordlist), options)) {
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
