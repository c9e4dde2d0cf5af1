// Pieces shared by the labs whose app runs on the engine with simulated infrastructure around it (a shared
// cache, a load balancer, a Redis anyone can write to): a byte stream derived from the learner's seed, a
// virtual clock, a small cookie jar for the simulated victim, the action log and its replay.
//
// Everything here is deterministic: the same (slug, seed, mode) and the same log give the same responses,
// so a claimed "solved" can be checked again by replaying the log.
import { hmac } from '../engine/itsdangerous/signer.ts';
import { Flask } from '../engine/flask/app.ts';
import { Response } from '../engine/flask/wrappers.ts';

const encoder = new TextEncoder();

/** The two modes every lab here knows: the flawed app, and the same app with the fix. */
export type LabMode = 'vulnerable' | 'fixed';
export const LAB_MODES: readonly LabMode[] = ['vulnerable', 'fixed'];

/** Who sent a request: the learner (panel, browser, curl) or the simulated victim. */
export type LabClient = 'learner' | 'victim';

/** A request as the lab receives it: the path is relative to the lab app's root (`/account?x=1`). */
export interface LabRequest {
  method: string;
  url: string;
  headers: [string, string][];
  body?: string;
}

/** A response as the lab sends it. */
export interface LabResponse {
  status: number;
  headers: [string, string][];
  body: string;
}

/**
 * One entry of the action log. `request` entries from the learner and `victim` / `store` entries are what
 * replay re-applies; a `request` from the victim is written by the victim action before it and is only there
 * to be read (replay recreates it).
 */
export type LabAction =
  | { type: 'request'; client: LabClient; method: string; url: string; headers: [string, string][]; body: string }
  | { type: 'victim'; action: string; arg?: string }
  | { type: 'store'; command: string };

/** What an app observed, in order: shown in the lab's event list; `solved` marks the one that reached the goal. */
export interface LabEvent {
  /** Index in the log of the action during which it happened. */
  at: number;
  /** A message key of the lab's messages, with its parameters. */
  key: string;
  params?: Record<string, string | number>;
  solved?: boolean;
}

/** The result of replaying a log. */
export interface ReplayResult {
  solved: boolean;
  /** Index of the log entry during which the goal was reached, or null. */
  solvedAt: number | null;
}

/** Thrown for a request or action the lab cannot take; `message` says why, in English (the UI translates `key`). */
export class LabInputError extends Error {
  readonly key: string;
  readonly params: Record<string, string | number>;
  constructor(key: string, message: string, params: Record<string, string | number> = {}) {
    super(message);
    this.name = 'LabInputError';
    this.key = key;
    this.params = params;
  }
}

/**
 * A stream of bytes derived from the seed and a label (HMAC-SHA256 in counter mode): the same seed always gives
 * the same secret key, session ids and passwords; another label gives an unrelated stream.
 */
export function seededBytes(seed: string, label: string): (n: number) => Uint8Array {
  const key = encoder.encode(seed);
  let counter = 0;
  let block: Uint8Array = new Uint8Array(0);
  let pos = 0;
  return (n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      if (pos >= block.length) {
        block = hmac('sha256', key, encoder.encode(`${label}:${counter++}`));
        pos = 0;
      }
      out[i] = block[pos++]!;
    }
    return out;
  };
}

/** `n` seeded bytes as lowercase hex. */
export function seededHex(seed: string, label: string, n: number): string {
  return Array.from(seededBytes(seed, label)(n), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A clock that moves only when the lab says so: one second per logged action. */
export class VirtualClock {
  /** 2027-01-15T08:00:00Z: a fixed start, so replays see the same times. */
  t = 1_800_000_000;
  readonly now = (): number => this.t;
  tick(seconds = 1): void {
    this.t += seconds;
  }
}

/** A browser's cookie jar, reduced to one host: used for the simulated victim. */
export class Jar {
  readonly cookies = new Map<string, { value: string; expires: number | null }>();
  private readonly now: () => number;
  constructor(now: () => number) {
    this.now = now;
  }
  header(): string | null {
    const parts: string[] = [];
    for (const [name, c] of this.cookies) {
      if (c.expires !== null && c.expires <= this.now()) this.cookies.delete(name);
      else parts.push(`${name}=${c.value}`);
    }
    return parts.length ? parts.join('; ') : null;
  }
  store(setCookie: string): void {
    const [pair, ...attrs] = setCookie.split(/;\s*/);
    const eq = pair!.indexOf('=');
    if (eq < 1) return;
    const name = pair!.slice(0, eq);
    const value = pair!.slice(eq + 1);
    let expires: number | null = null;
    for (const a of attrs) {
      const [k, v = ''] = a.split('=');
      if (k!.toLowerCase() === 'expires') expires = Date.parse(v) / 1000;
      if (k!.toLowerCase() === 'max-age') expires = this.now() + Number(v);
    }
    if (expires !== null && expires <= this.now()) this.cookies.delete(name);
    else this.cookies.set(name, { value, expires });
  }
  /** Sends the jar's cookies with `req` and keeps the Set-Cookie headers of the answer. */
  async send(req: Omit<LabRequest, 'headers'> & { headers?: [string, string][] }, handler: (r: LabRequest) => Promise<LabResponse>): Promise<LabResponse> {
    const cookie = this.header();
    const headers: [string, string][] = [...(cookie ? ([['Cookie', cookie]] as [string, string][]) : []), ...(req.headers ?? [])];
    const res = await handler({ ...req, headers });
    for (const [k, v] of res.headers) if (k.toLowerCase() === 'set-cookie') this.store(v);
    return res;
  }
}

/** Checks a request from outside before any app sees it. @throws {LabInputError} with a clear reason. */
export function checkRequest(req: LabRequest): void {
  if (!/^[A-Z]{3,7}$/.test(req.method)) throw new LabInputError('bad-method', `"${req.method}" is not an HTTP method`, { method: req.method });
  if (!req.url.startsWith('/') || req.url.startsWith('//')) throw new LabInputError('bad-url', `the path must start with a single "/" (got "${req.url}")`, { url: req.url });
  if (req.url.length > 2048) throw new LabInputError('long-url', 'the path is longer than 2048 characters', { max: 2048 });
  if ((req.body ?? '').length > 65536) throw new LabInputError('long-body', 'the body is longer than 64 KiB', { max: 65536 });
}

/** A plain-text response. */
export function text(body: string, status = 200): Response {
  return new Response(body, status, [['Content-Type', 'text/plain; charset=utf-8']]);
}

/** A redirect to a path of the lab app (the mount prefix is put in front). */
export function redirect(prefix: string, path: string): Response {
  const r = new Response(`Redirecting to ${prefix}${path}\n`, 302, [['Content-Type', 'text/plain; charset=utf-8']]);
  r.headers.push(['Location', `${prefix}${path}`]);
  return r;
}

/** The form fields of a urlencoded POST body. */
export function formOf(body: string | undefined): URLSearchParams {
  return new URLSearchParams(body ?? '');
}

/** Runs one request through an engine app and returns it as a {@link LabResponse}. */
export async function through(app: Flask, req: LabRequest): Promise<LabResponse> {
  const x = await app.handle({ method: req.method, url: req.url, headers: req.headers, ...(req.body !== undefined ? { body: req.body } : {}) });
  const r = x.response;
  const headers = [...r.headers];
  if (!headers.some(([k]) => k.toLowerCase() === 'content-length')) headers.push(['Content-Length', String(encoder.encode(r.body).length)]);
  return { status: r.status, headers, body: req.method === 'HEAD' ? '' : r.body };
}

/** The value of the first header with this name, or null. */
export function headerOf(headers: [string, string][], name: string): string | null {
  const lower = name.toLowerCase();
  return headers.find(([k]) => k.toLowerCase() === lower)?.[1] ?? null;
}

/** What every lab instance here offers to the panel, the HTTP mount and replay. */
export interface SimulatedLab {
  readonly slug: string;
  readonly seed: string;
  readonly mode: LabMode;
  readonly log: LabAction[];
  readonly events: LabEvent[];
  readonly solved: boolean;
  readonly solvedAt: number | null;
  /** A request from the learner. @throws {LabInputError} for a malformed one. */
  request(req: LabRequest): Promise<LabResponse>;
  /** A victim action (the lab's `victimActions` list the names). @throws {LabInputError} for an unknown action. */
  victim(action: string, arg?: string): Promise<void>;
  /** One command for the lab's store, for labs that expose one. @throws {LabInputError} otherwise. */
  store?(command: string): Promise<string>;
}

/**
 * Re-applies a log to a fresh instance and reports whether (and when) the app saw the goal reached. Victim
 * requests in the log are skipped: the victim action before them sends them again.
 * @throws {LabInputError} (key `bad-log`) for an entry that is not a valid action, naming its index.
 */
export async function replayOn(lab: SimulatedLab, log: readonly LabAction[]): Promise<ReplayResult> {
  if (!Array.isArray(log)) throw new LabInputError('bad-log', 'the log must be a list of actions');
  for (let i = 0; i < log.length; i++) {
    const a = log[i]!;
    try {
      if (!a || typeof a !== 'object') throw new LabInputError('bad-log', 'not an object');
      if (a.type === 'request') {
        if (a.client === 'victim') continue;
        if (!Array.isArray(a.headers)) throw new LabInputError('bad-log', 'headers must be a list of [name, value] pairs');
        await lab.request({ method: String(a.method), url: String(a.url), headers: (a.headers as unknown[][]).map(([k, v]) => [String(k), String(v)] as [string, string]), body: String(a.body ?? '') });
      } else if (a.type === 'victim') {
        await lab.victim(String(a.action), a.arg === undefined ? undefined : String(a.arg));
      } else if (a.type === 'store') {
        if (!lab.store) throw new LabInputError('bad-log', 'this lab has no store to write to');
        await lab.store(String(a.command));
      } else {
        throw new LabInputError('bad-log', `unknown entry type ${JSON.stringify((a as { type?: unknown }).type)}`);
      }
    } catch (e) {
      if (e instanceof LabInputError) throw new LabInputError('bad-log', `log entry ${i}: ${e.message}`, { index: i });
      throw e;
    }
  }
  return { solved: lab.solved, solvedAt: lab.solvedAt };
}

/** Most entries one instance's log holds; past it the lab asks for a restart (a log is also what gets exported). */
export const MAX_LOG = 1000;

/** A victim action: its name (the log's `action`), whether it takes an argument, and what it does. */
export interface VictimAction {
  name: string;
  /** The argument's kind when it takes one: a path of the lab app. */
  arg?: 'path';
  run(arg: string | undefined): Promise<void>;
}

/**
 * The log, events, clock and solved state every lab here has; a lab adds its app (`handle`) and its victim.
 * Every learner request and victim action moves the virtual clock one second and is logged before it runs.
 */
export abstract class BaseLab implements SimulatedLab {
  readonly log: LabAction[] = [];
  readonly events: LabEvent[] = [];
  readonly clock = new VirtualClock();
  solvedAt: number | null = null;
  /** True while {@link setUp} runs: what happens then is part of the instance, not of its log. */
  protected settingUp = false;
  abstract readonly slug: string;
  readonly seed: string;
  readonly mode: LabMode;
  /** Where the app is mounted (`/labs/<slug>/app` over HTTP, '' in the panel): put in front of redirects and the cookie path. */
  readonly prefix: string;

  constructor(seed: string, mode: LabMode, prefix = '') {
    if (typeof seed !== 'string' || seed.length < 1 || seed.length > 200) throw new LabInputError('bad-seed', 'the seed must be a string of 1 to 200 characters');
    if (!LAB_MODES.includes(mode)) throw new LabInputError('bad-mode', `unknown mode "${String(mode)}" (expected ${LAB_MODES.join(' or ')})`, { mode: String(mode) });
    if (prefix && !/^\/[\w\-/]*[\w-]$/.test(prefix)) throw new LabInputError('bad-prefix', `the mount prefix must look like /labs/slug/app (got "${prefix}")`);
    this.seed = seed;
    this.mode = mode;
    this.prefix = prefix;
  }

  get solved(): boolean {
    return this.solvedAt !== null;
  }

  /** The victim's actions, by name. */
  abstract victimActions(): VictimAction[];
  /** Runs a request through the simulated site (cache, balancer, app) for one client. */
  protected abstract handle(req: LabRequest, client: LabClient): Promise<LabResponse>;

  /** What the instance does before the learner arrives (the victim logs in, say); not logged. */
  protected async setUpScene(): Promise<void> {}

  /** Runs {@link setUpScene} once; every factory awaits it before handing the instance out. */
  async setUp(): Promise<this> {
    this.settingUp = true;
    try {
      await this.setUpScene();
    } finally {
      this.settingUp = false;
    }
    return this;
  }

  /** Records what the app observed during the current log entry; `solved` marks the goal reached (first time counts). */
  protected note(key: string, params: Record<string, string | number> = {}, solved = false): void {
    const at = this.log.length - 1;
    this.events.push({ at, key, ...(Object.keys(params).length ? { params } : {}), ...(solved ? { solved: true } : {}) });
    if (solved && this.solvedAt === null) this.solvedAt = at;
  }

  private room(): void {
    if (this.log.length >= MAX_LOG) throw new LabInputError('log-full', `this lab has recorded ${MAX_LOG} actions: restart it to go on`, { max: MAX_LOG });
  }

  async request(req: LabRequest): Promise<LabResponse> {
    checkRequest(req);
    this.room();
    this.clock.tick();
    this.log.push({ type: 'request', client: 'learner', method: req.method, url: req.url, headers: req.headers.map(([k, v]) => [k, v]), body: req.body ?? '' });
    return this.handle(req, 'learner');
  }

  async victim(action: string, arg?: string): Promise<void> {
    const a = this.victimActions().find((x) => x.name === action);
    if (!a) throw new LabInputError('bad-victim-action', `the victim has no action "${action}" here`, { action });
    if (a.arg === 'path') {
      if (arg === undefined || !arg.startsWith('/') || arg.startsWith('//') || arg.length > 2048) throw new LabInputError('bad-url', `the victim only follows a path of this site, starting with a single "/" (got "${arg ?? ''}")`, { url: arg ?? '' });
    } else if (arg !== undefined) {
      throw new LabInputError('bad-victim-arg', `the victim action "${action}" takes no argument`, { action });
    }
    this.room();
    this.clock.tick();
    if (!this.settingUp) this.log.push({ type: 'victim', action, ...(arg !== undefined ? { arg } : {}) });
    await a.run(arg);
  }

  /** A request the victim's browser sends (logged for reading; replay re-creates it from the victim action). */
  protected async victimSend(jar: Jar, req: Omit<LabRequest, 'headers'> & { headers?: [string, string][] }): Promise<LabResponse> {
    return jar.send(req, async (r) => {
      if (!this.settingUp) this.log.push({ type: 'request', client: 'victim', method: r.method, url: r.url, headers: r.headers.map(([k, v]) => [k, v]), body: r.body ?? '' });
      return this.handle(r, 'victim');
    });
  }
}
