// One cracking thread: builds a Cracker for the cookie once, then scans each chunk of wordlist lines it is sent.
import { parentPort, workerData } from 'node:worker_threads';
import { Cracker, type CrackOptions } from '../engine/crack.ts';

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

const { cookie, options } = workerData as { cookie: string; options: CrackOptions };
const cracker = new Cracker(cookie, options);
const port = parentPort!;

port.on('message', ({ id, chunk }: ChunkRequest) => {
  const { tried, match } = cracker.scanLines(chunk);
  const answer: ChunkAnswer = { id, tried, bytes: chunk.length, match };
  port.postMessage(answer);
});
