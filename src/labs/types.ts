// The shapes every lab shares: what a lab app is, what its action log holds, and what an instance reports.
// A lab app is plain TypeScript on the engine (no DOM, no Node), so the same code runs in the page's module Worker
// (src/labs/worker.ts) and under `npm start` (src/server/labs.ts).
import type { HttpExchange } from '../lessons/exchange.ts';

/** Which app the lab runs: the vulnerable one, or the one with the fix. */
export type LabMode = 'vulnerable' | 'fixed';
export const LAB_MODES: readonly LabMode[] = ['vulnerable', 'fixed'];

/** Who sent a request: the learner (the page's panel, curl, a real browser) or the simulated victim. */
export type LabClient = 'learner' | 'victim';

/** One HTTP request as the app sees it: the path is the app's own (`/login`, not `/labs/<slug>/app/login`). */
export interface LabRequest {
  method: string;
  /** The path with its query, starting with `/`. */
  url: string;
  headers: [string, string][];
  body?: string;
}

/** One HTTP response. */
export interface LabResponse {
  status: number;
  headers: [string, string][];
  body: string;
}

/**
 * One entry of an instance's action log, in the order the instance received them. `at` is the app's clock for
 * that action, in whole Unix seconds (signed cookies carry it, so a replay needs it).
 * - `request`: a request from the learner;
 * - `victim`: the simulated victim did `action` (with `arg` when the action takes one, e.g. a planted session id);
 *   the requests it made follow from the action and are not logged on their own.
 */
export type LabAction =
  | { type: 'request'; at: number; method: string; url: string; headers: [string, string][]; body?: string }
  | { type: 'victim'; at: number; action: string; arg?: string };

/** One request and its response, as the request log shows it. */
export interface LabExchange extends HttpExchange {
  /** Index in the action log of the action that caused it. */
  action: number;
  client: LabClient;
  at: number;
  /** True when the app observed the lab's goal while answering this request. */
  goal: boolean;
  /** True when the victim's cookies were left out of this exchange (the lab hides them from the learner). */
  cookiesHidden?: boolean;
}

/** What the app is given for each request. */
export interface LabRequestContext {
  client: LabClient;
  /** The app's clock for this action (whole Unix seconds). */
  now: number;
  /** The app calls this when it observes the lab's goal reached (the only way a lab becomes solved). */
  reachGoal(): void;
}

/** What a victim action is given: a way to send requests from the victim's own browser (its own cookie jar). */
export interface LabVictimContext {
  send(request: LabRequest): Promise<LabResponse>;
  /** Sets a cookie in the victim's browser, as a page on a sibling subdomain or a crafted link could. */
  plantCookie(name: string, value: string): void;
  now: number;
}

/**
 * What answers a lab's requests: `flask`, the lab's own Python app on the real Flask (Pyodide, src/labs/python/),
 * or `engine`, the TypeScript app on the engine.
 */
export type LabRuntime = 'flask' | 'engine';

/** A running lab app: one per (slug, seed, mode). */
export interface LabApp {
  /** Which runtime answers (default `engine`). */
  readonly runtime?: LabRuntime;
  /** Frees what the app holds outside this object (its Python instance); the instance is not used after. */
  dispose?(): void;
  handle(request: LabRequest, context: LabRequestContext): Promise<LabResponse>;
  /**
   * Runs a victim action; throws {@link LabInputError} for an unknown action or a bad argument.
   * Requests it sends go through {@link handle} with client `victim`.
   */
  victim(action: string, arg: string | undefined, context: LabVictimContext): Promise<void>;
}

/** Options every lab app is created with. */
export interface LabCreateOptions {
  /** Where the app is mounted (`''` in the Worker, `/labs/<slug>/app` under npm start): cookie paths and links. */
  prefix: string;
  /** The app's clock, set by the runtime before each action. */
  now: () => number;
}

/** A lab: its slug, the victim actions it offers, and how to make an app. */
export interface LabDefinition {
  slug: string;
  /** The victim actions, in the order the panel shows them; `arg` names what an action needs (e.g. `sid`). */
  victimActions: readonly { id: string; arg?: string }[];
  /** When true, the log shows the victim's requests without their Cookie and Set-Cookie headers (as an attacker sees them). */
  hideVictimCookies?: boolean;
  create(seed: string, mode: LabMode, options: LabCreateOptions): LabApp | Promise<LabApp>;
}

/**
 * A bad request to the framework (unknown action, malformed log…), with a message a learner can read. `key`, when
 * given, names the case for the panel, which shows its own sentence in the page's language (see LabErrorKey).
 */
export class LabInputError extends Error {
  readonly key: LabErrorKey | undefined;
  readonly params: Record<string, string>;
  constructor(message: string, key?: LabErrorKey, params: Record<string, string> = {}) {
    super(message);
    this.name = 'LabInputError';
    this.key = key;
    this.params = params;
  }
}

/** The errors a learner can cause from the panel: a full log, a victim action without its text, a bad text. */
export type LabErrorKey = 'log-full' | 'needs-arg' | 'bad-arg';

/** What an instance reports after each action. */
export interface LabSnapshot {
  slug: string;
  mode: LabMode;
  solved: boolean;
  /** Index in the log of the action during which the goal was first reached, or null. */
  solvedAt: number | null;
  log: LabAction[];
  exchanges: LabExchange[];
  /** Which runtime answered: the real Flask, or the engine. */
  runtime: LabRuntime;
  /** When the lab has a real Flask app but the engine ran it: why (e.g. the Flask archive is not built). */
  fallback?: string;
}
