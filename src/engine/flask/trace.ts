// The lifecycle trace: one typed event per step of a request, read by the visualizer, the CLI and
// the tests alike. Each `why` is a structured reason (reasons.ts) that every reader renders in its own
// language. Flask itself has no such stream; its steps follow flask/app.py and flask/ctx.py:
// https://github.com/pallets/flask/blob/3.1.3/src/flask/app.py
import type { PyValue } from '../python/values.ts';
import type { Reason } from './reasons.ts';

export type { Reason } from './reasons.ts';

/** Which part of the machinery emitted an event, for grouping and colouring. */
export type TraceStage = 'request' | 'context' | 'open' | 'view' | 'after' | 'save' | 'store' | 'response';

interface Base {
  /** Position of the event in its request, from 0. */
  step: number;
  /** The app clock (Unix seconds) when the event happened. */
  at: number;
  stage: TraceStage;
}

export type TraceEvent = Base &
  (
    | { type: 'request-received'; method: string; url: string; headers: [string, string][] }
    | { type: 'context-pushed'; interface: string }
    | { type: 'cookie-read'; name: string; value: string | null }
    | {
        type: 'signature-checked';
        ok: boolean;
        /** The itsdangerous error class when the check failed, e.g. `BadTimeSignature`. */
        errorClass?: string;
        message?: string;
        why: Reason;
      }
    /**
     * `data` is the decoded session as loaded; its text is made only on demand, under a budget
     * (`traceJson` in trace-render.ts), so a huge payload costs the trace nothing.
     */
    | { type: 'payload-decoded'; data: PyValue; timestamp: number | null; compressed: boolean }
    | { type: 'session-opened'; kind: 'new' | 'loaded' | 'null'; why: Reason; data: PyValue }
    | { type: 'session-op'; op: string; key?: string; value?: PyValue; result?: PyValue; modifies: boolean }
    | {
        type: 'view-returned';
        endpoint: string;
        status: number;
        /**
         * Set when no view function ran: no route matched the path (Flask's 404 NotFound), the route does not
         * allow the method (405), Flask answered OPTIONS itself with the route's methods in `Allow`, or a
         * before_request function returned a response first.
         */
        noView?: 'no-route' | 'method-not-allowed' | 'automatic-options' | 'before-request';
      }
    | { type: 'view-error'; endpoint: string; error: string }
    | { type: 'after-request'; name: string }
    | { type: 'save-decision'; action: 'set-cookie' | 'delete-cookie' | 'skip'; why: Reason }
    | { type: 'set-cookie-built'; header: string; name: string; value: string; attributes: [string, string | true][]; warning: string | null }
    | { type: 'vary-added'; value: string; why: Reason }
    | { type: 'store-op'; command: string; key: string; ttl?: number; bytes?: number; hit?: boolean; why: Reason }
    | { type: 'error'; error: string; why: Reason }
    | { type: 'response-sent'; status: number; headers: [string, string][] }
  );

type DistributiveOmit<T, K extends keyof Base> = T extends unknown ? Omit<T, K> : never;
/** An event as emitted, before the tracer numbers and stamps it. */
export type TraceInput = DistributiveOmit<TraceEvent, 'step' | 'at'>;

/** Collects the events of one request in order and forwards them to listeners. */
export class Tracer {
  readonly events: TraceEvent[] = [];
  private readonly now: () => number;
  private readonly listeners: ((e: TraceEvent) => void)[] = [];

  constructor(now: () => number = () => Date.now() / 1000) {
    this.now = now;
  }

  /** Records an event and hands it to every listener. */
  emit(event: TraceInput): void {
    const full = { ...event, step: this.events.length, at: this.now() } as TraceEvent;
    this.events.push(full);
    for (const l of this.listeners) l(full);
  }

  /** Calls `fn` for every event from now on. */
  listen(fn: (e: TraceEvent) => void): void {
    this.listeners.push(fn);
  }
}
