// The messages between a lab page and its Worker (src/labs/worker.ts).
import type { LabErrorKey, LabMode, LabRequest, LabSnapshot } from './types.ts';

export type LabWorkerRequest =
  | { id: number; op: 'create'; slug: string; seed: string; mode: LabMode }
  | { id: number; op: 'request'; request: LabRequest }
  | { id: number; op: 'victim'; action: string; arg?: string };

export type LabWorkerReply = { id: number; ok: true; snapshot: LabSnapshot } | { id: number; ok: false; error: string; key?: LabErrorKey; params?: Record<string, string> };
