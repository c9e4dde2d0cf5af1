// Plain data the visualizer renders: steps, exchanges, the browser's state. No engine code here, so the
// hydrated island can show and navigate a trace before the engine itself is loaded.
import type { CookieAnatomy } from './cookie.ts';
import type { Reason, TraceEvent } from '../../engine/flask/trace.ts';
import type { PresetId } from './presets.ts';
import type { Initiator, SendCheck, StoreOutcome, StoredCookie } from './jar.ts';
import { PAGE_EPOCH } from '../page-clock.ts';

/** The virtual clock's starting point, Unix seconds (2023-11-14 22:13:20 UTC, the time the tests' tokens from the real Flask were made at): the page clock's epoch. */
export const EPOCH = PAGE_EPOCH;

/** A response as it stood at one step. */
export interface ResponseState {
  status: number;
  headers: [string, string][];
}

/** One lifecycle step, ready to show: a translation key, the values it interpolates, and the engine's reason. */
export interface StepView {
  index: number;
  type: TraceEvent['type'];
  stage: TraceEvent['stage'];
  /** Key into the summary table, e.g. `signature-checked.SignatureExpired`. */
  key: string;
  /** Values the summary interpolates (already formatted as text). */
  vars: Record<string, string>;
  /** Why the step happened (the event's structured `why`), rendered in the page's language. */
  reason: Reason | null;
  /** Text a library produced, shown as it is: an exception line (`BadSignature: …`) or Werkzeug's warning. */
  literal: string | null;
  /** Code-like extra: a Python expression, JSON text or a header. */
  code: string | null;
  /** ok / bad / neutral, for a badge in the step list. */
  tone: 'ok' | 'bad' | 'neutral';
  /** The response as it stood right after this step; null before the view produced one. ('pending' only while recording.) */
  response?: ResponseState | null | 'pending';
}

/** Everything the visualizer shows about one request. */
export interface ExchangeView {
  /** 1-based position in the browser's history. */
  n: number;
  method: string;
  url: string;
  scheme: string;
  host: string;
  initiator: Initiator;
  /** Server clock when the request was handled. */
  at: number;
  requestHeaders: [string, string][];
  status: number;
  statusLine: string;
  responseHeaders: [string, string][];
  body: string;
  steps: StepView[];
  /** The session cookie the request carried, taken apart; null when none was sent. */
  sentCookie: CookieAnatomy | null;
  /** The session cookie the response set (value '' when it deletes it); null when none. */
  setCookie: { header: string; anatomy: CookieAnatomy | null; deletes: boolean } | null;
  decision: { action: 'set-cookie' | 'delete-cookie' | 'skip'; why: Reason; key: string } | null;
  vary: { value: string; why: Reason }[];
  /** Each stored cookie's fate on this request: sent, or why not. */
  checks: SendCheck[];
  /** What the browser did with each Set-Cookie of the response. */
  stored: StoreOutcome[];
  /** The jar when the request left, and after the response's cookies were stored. */
  jarBefore: JarEntry[];
  jarAfter: JarEntry[];
}

/** A cookie as the simulated browser holds it. */
export type JarEntry = StoredCookie;

/** Something the browser did that is worth a sentence (translated by key). */
export interface Note {
  key: 'dropped' | 'kept' | 'tampered' | 'nothing-to-tamper' | 'cleared';
  vars: Record<string, string>;
}

/** The whole visible state, plain data. */
export interface LabState {
  preset: PresetId;
  path: string;
  scheme: 'https' | 'http';
  initiator: Initiator;
  now: number;
  /** Seconds the clock has been moved forward since the epoch. */
  offset: number;
  jar: JarEntry[];
  /** What `document.cookie` shows on the site's home page (no HttpOnly cookies). */
  documentCookie: string;
  history: ExchangeView[];
  /** Index into history of the exchange on show, -1 when there is none. */
  selected: number;
  /** Index of the active step of the selected exchange. */
  step: number;
  notes: Note[];
  /** When true the browser keeps sending cookies past their Expires date, as a replayed copy would. */
  keepExpired: boolean;
}

/** Werkzeug's status line text, e.g. `200 OK` (one table for every widget: the engine's). */
export { statusLine } from '../../engine/werkzeug/status.ts';

/** `2023-11-14 22:13:20 UTC` for Unix seconds. */
export function formatTime(seconds: number): string {
  return `${new Date(seconds * 1000).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

