// One cracking thread: builds a tester for the cookie once, then scans each chunk of wordlist lines it is sent.
// A SHA-1 cookie needs only the SHA-1 path (crack_sha1.ts), which loads much faster than the whole engine.
import { parentPort, workerData } from 'node:worker_threads';
import type { CrackOptions } from '../engine/crack.ts';
import { scanLines, Sha1Tester, type ChunkResult, type Sha1Setup } from '../engine/crack_sha1.ts';

/** A chunk of whole wordlist lines, numbered so the pool can match answers to requests. */
export interface ChunkRequest {
  id: number;
  chunk: Uint8Array;
}

/** What the thread found in one chunk. */
export interface ChunkAnswer {
  id: number;
  tried: number;
  bytes: number;
  match: Uint8Array | null;
}

/** How a thread is set up: the SHA-1 tester's data when there is one, else the cookie and options. */
export type CrackWorkerData = { sha1: Sha1Setup } | { cookie: string; options: CrackOptions };

const data = workerData as CrackWorkerData;
let scan: (chunk: Uint8Array) => ChunkResult;
if ('sha1' in data) {
  const tester = new Sha1Tester(data.sha1);
  scan = (chunk) => scanLines(tester, chunk);
} else {
  const { Cracker } = await import('../engine/crack.ts');
  const cracker = new Cracker(data.cookie, data.options);
  scan = (chunk) => cracker.scanLines(chunk);
}
const port = parentPort!;

port.on('message', ({ id, chunk }: ChunkRequest) => {
  const { tried, match } = scan(chunk);
  const answer: ChunkAnswer = { id, tried, bytes: chunk.length, match };
  port.postMessage(answer);
});
