// A lab instance: one app made from (slug, seed, mode), the action log it keeps, the simulated victim's browser,
// and the solved state, which only the app can set (by observing its goal). `replayLab` makes a fresh instance
// and feeds it a log, so anyone holding (slug, seed, mode, log) can check a claimed "solved" without trusting it.
import { defaultRealFlask, hasRealFlaskApp, realFlaskLab, type RealFlask } from './python/real-flask.ts';
import { loadLab } from './registry.ts';
import { LAB_MODES, LabInputError, type LabAction, type LabApp, type LabClient, type LabDefinition, type LabExchange, type LabMode, type LabRequest, type LabResponse, type LabRuntime, type LabSnapshot } from './types.ts';

/** Most actions one instance keeps (a run that long is not an attack any more; Restart starts again). */
export const MAX_LOG = 400;
/** Longest request body, URL or header list an action may carry, in characters. */
export const MAX_TEXT = 16 * 1024;

/** A minimal browser cookie jar for the victim: one site, one path, expiry by Max-Age / Expires. */
class VictimJar {
  private readonly cookies = new Map<string, { value: string; expires: number | null }>();

  header(now: number): string | null {
    const parts: string[] = [];
    for (const [name, c] of this.cookies) {
      if (c.expires !== null && c.expires <= now) this.cookies.delete(name);
      else parts.push(`${name}=${c.value}`);
    }
    return parts.length ? parts.join('; ') : null;
  }

  set(name: string, value: string): void {
    this.cookies.set(name, { value, expires: null });
  }

  store(line: string, now: number): void {
    const [pair = '', ...attrs] = line.split(/;\s*/);
    const eq = pair.indexOf('=');
    if (eq <= 0) return;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    let expires: number | null = null;
    for (const a of attrs) {
      const at = a.indexOf('=');
      const k = (at === -1 ? a : a.slice(0, at)).trim().toLowerCase();
      const v = at === -1 ? '' : a.slice(at + 1).trim();
      if (k === 'expires' && expires === null) {
        const t = Date.parse(v);
        if (!Number.isNaN(t)) expires = t / 1000;
      }
      if (k === 'max-age' && /^-?\d+$/.test(v)) expires = now + Number(v);
    }
    if (expires !== null && expires <= now) this.cookies.delete(name);
    else this.cookies.set(name, { value, expires });
  }
}

/** Checks one learner request before it reaches the app. @throws {LabInputError}. */
function checkRequest(request: LabRequest): void {
  if (typeof request.method !== 'string' || !/^[A-Z]{1,10}$/.test(request.method)) throw new LabInputError(`the method must be a word in capitals such as GET or POST, not '${String(request.method).slice(0, 20)}'`);
  if (typeof request.url !== 'string' || !request.url.startsWith('/')) throw new LabInputError(`the path must start with '/', as in /login (got '${String(request.url).slice(0, 40)}')`);
  if (request.url.length > MAX_TEXT) throw new LabInputError(`the path is longer than ${MAX_TEXT} characters`);
  if (!Array.isArray(request.headers) || !request.headers.every((h) => Array.isArray(h) && h.length === 2 && typeof h[0] === 'string' && typeof h[1] === 'string')) {
    throw new LabInputError('the headers must be a list of [name, value] pairs of text');
  }
  if (request.headers.reduce((n, [k, v]) => n + k.length + v.length, 0) > MAX_TEXT) throw new LabInputError(`the headers are longer than ${MAX_TEXT} characters`);
  if (request.body !== undefined && (typeof request.body !== 'string' || request.body.length > MAX_TEXT)) throw new LabInputError(`the body must be text of at most ${MAX_TEXT} characters`);
}

/** Whole Unix seconds now. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** One running lab: actions go in one at a time (concurrent calls are queued), in the order they arrive. */
export class LabInstance {
  readonly slug: string;
  readonly seed: string;
  readonly mode: LabMode;
  readonly log: LabAction[] = [];
  readonly exchanges: LabExchange[] = [];
  solvedAt: number | null = null;
  /** Which runtime answers this instance's requests. */
  runtime: LabRuntime = 'engine';
  /** Why the engine runs a lab that has a real Flask app (no Python could start), if it does. */
  fallback: string | undefined;
  private readonly definition: LabDefinition;
  private app!: LabApp;
  private clock = 0;
  private readonly victimJar = new VictimJar();
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(definition: LabDefinition, seed: string, mode: LabMode) {
    this.definition = definition;
    this.slug = definition.slug;
    this.seed = seed;
    this.mode = mode;
  }

  /**
   * A new instance of lab `slug`. `prefix` is where its app is mounted (cookie paths and links only).
   * @throws {LabInputError} for an unknown slug, an empty seed or an unknown mode.
   */
  static async create(slug: string, seed: string, mode: LabMode, options: { prefix?: string; python?: RealFlask | null } = {}): Promise<LabInstance> {
    if (typeof seed !== 'string' || seed.length === 0 || seed.length > 200) throw new LabInputError('the seed must be text of 1 to 200 characters');
    if (!LAB_MODES.includes(mode)) throw new LabInputError(`the mode must be 'vulnerable' or 'fixed', not '${String(mode)}'`);
    // A lab with a real Flask app runs it when a Python is at hand (given, or the context's default); the
    // engine's version runs when there is none or it cannot start, and the instance says so. (The engine's
    // version is not even loaded when the real Flask runs.)
    const python = options.python === undefined ? defaultRealFlask() : options.python;
    let fallback: string | undefined;
    if (python && hasRealFlaskApp(slug)) {
      const real = realFlaskLab(slug, python);
      const instance = new LabInstance(real, seed, mode);
      try {
        instance.app = await real.create(seed, mode, { prefix: options.prefix ?? '', now: () => instance.clock });
        instance.runtime = 'flask';
        return instance;
      } catch (err) {
        fallback = err instanceof Error ? err.message : String(err);
      }
    }
    const definition = await loadLab(slug);
    const instance = new LabInstance(definition, seed, mode);
    instance.fallback = fallback;
    instance.app = await definition.create(seed, mode, { prefix: options.prefix ?? '', now: () => instance.clock });
    return instance;
  }

  /** Frees the app's Python instance, if any; the instance is not used after. */
  dispose(): void {
    this.app.dispose?.();
  }

  get solved(): boolean {
    return this.solvedAt !== null;
  }

  /** The state the panel and the status endpoint show. */
  snapshot(): LabSnapshot {
    return { slug: this.slug, mode: this.mode, solved: this.solved, solvedAt: this.solvedAt, log: [...this.log], exchanges: [...this.exchanges], runtime: this.runtime, ...(this.fallback !== undefined ? { fallback: this.fallback } : {}) };
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private begin(action: LabAction): number {
    if (this.log.length >= MAX_LOG) throw new LabInputError(`this lab instance has recorded ${MAX_LOG} actions, the most it keeps: press Restart to begin again`, 'log-full', { max: String(MAX_LOG) });
    if (!Number.isInteger(action.at) || action.at < 0) throw new LabInputError('the time of an action must be whole Unix seconds');
    this.log.push(action);
    this.clock = action.at;
    return this.log.length - 1;
  }

  private async exchange(index: number, client: LabClient, request: LabRequest): Promise<LabExchange> {
    let goal = false;
    let response: LabResponse;
    try {
      response = await this.app.handle(request, {
        client,
        now: this.clock,
        reachGoal: () => {
          goal = true;
        },
      });
    } catch {
      response = { status: 500, headers: [['Content-Type', 'text/plain; charset=utf-8']], body: 'Internal Server Error\n' };
    }
    if (goal && this.solvedAt === null) this.solvedAt = index;
    const hide = client === 'victim' && this.definition.hideVictimCookies === true;
    const shown = (pairs: [string, string][]) => (hide ? pairs.filter(([k]) => !/^(set-)?cookie$/i.test(k)) : pairs);
    const x: LabExchange = {
      action: index,
      client,
      at: this.clock,
      method: request.method,
      url: request.url,
      requestHeaders: shown(request.headers),
      status: response.status,
      responseHeaders: shown(response.headers),
      body: response.body,
      goal,
      ...(hide ? { cookiesHidden: true } : {}),
    };
    this.exchanges.push(x);
    return { ...x, requestHeaders: request.headers, responseHeaders: response.headers };
  }

  /** A request from the learner. @throws {LabInputError} for a malformed request or a full log. */
  request(request: LabRequest, at: number = nowSeconds()): Promise<LabExchange> {
    return this.serial(async () => {
      checkRequest(request);
      const index = this.begin({ type: 'request', at, method: request.method, url: request.url, headers: request.headers.map(([k, v]) => [k, v] as [string, string]), ...(request.body !== undefined ? { body: request.body } : {}) });
      return this.exchange(index, 'learner', request);
    });
  }

  /** A victim action (see the lab's `victimActions`). @throws {LabInputError} for an unknown action or a bad argument. */
  victim(action: string, arg?: string, at: number = nowSeconds()): Promise<LabExchange[]> {
    return this.serial(async () => {
      const known = this.definition.victimActions.find((a) => a.id === action);
      if (!known) throw new LabInputError(`unknown victim action '${String(action).slice(0, 40)}' (known: ${this.definition.victimActions.map((a) => a.id).join(', ') || 'none'})`);
      if (known.arg && (typeof arg !== 'string' || arg.length === 0)) throw new LabInputError(`the victim action '${action}' needs a ${known.arg}`, 'needs-arg', { action });
      if (!known.arg && arg !== undefined) throw new LabInputError(`the victim action '${action}' takes no argument`);
      if (arg !== undefined && arg.length > MAX_TEXT) throw new LabInputError(`the argument is longer than ${MAX_TEXT} characters`);
      const index = this.begin({ type: 'victim', at, action, ...(arg !== undefined ? { arg } : {}) });
      const made: LabExchange[] = [];
      await this.app.victim(action, arg, {
        now: this.clock,
        plantCookie: (name, value) => this.victimJar.set(name, value),
        send: async (request) => {
          const cookie = this.victimJar.header(this.clock);
          const headers: [string, string][] = [['Host', 'lab.example'], ...(cookie ? [['Cookie', cookie] as [string, string]] : []), ...request.headers];
          const x = await this.exchange(index, 'victim', { ...request, headers });
          for (const [k, v] of x.responseHeaders) if (k.toLowerCase() === 'set-cookie') this.victimJar.store(v, this.clock);
          made.push(this.exchanges.at(-1)!);
          return { status: x.status, headers: x.responseHeaders, body: x.body };
        },
      });
      return made;
    });
  }

  /** Plays one logged action. @throws {LabInputError} for a malformed entry. */
  async play(action: LabAction): Promise<void> {
    if (!action || typeof action !== 'object') throw new LabInputError('a log entry must be an object');
    if (action.type === 'request') {
      await this.request({ method: action.method, url: action.url, headers: action.headers, ...(action.body !== undefined ? { body: action.body } : {}) }, action.at);
    } else if (action.type === 'victim') {
      await this.victim(action.action, action.arg, action.at);
    } else {
      throw new LabInputError(`a log entry's type must be 'request' or 'victim', not '${String((action as { type?: unknown }).type).slice(0, 20)}'`);
    }
  }
}

/** What {@link replayLab} found: `error` says why a log could not be replayed (then `solved` is false). */
export interface ReplayResult {
  solved: boolean;
  solvedAt: number | null;
  error?: string;
  /** For a lab with a real Flask app: which runtime replayed it, that app or the engine's version. */
  runtime?: LabRuntime;
}

/**
 * Re-creates the instance (slug, seed, mode) and replays `log` into it: solved only when the app observes the goal
 * again. Never trusts a claim and never throws: a malformed log, an unknown slug or mode gives `error`.
 */
export async function replayLab(slug: string, seed: string, mode: LabMode, log: readonly LabAction[], options: { python?: RealFlask | null } = {}): Promise<ReplayResult> {
  try {
    if (!Array.isArray(log)) throw new LabInputError('the log must be a list of actions');
    if (log.length > MAX_LOG) throw new LabInputError(`the log holds ${log.length} actions, more than the ${MAX_LOG} an instance keeps`);
    const instance = await LabInstance.create(slug, seed, mode, options);
    try {
      for (const action of log) await instance.play(action);
    } finally {
      instance.dispose();
    }
    // Which runtime replayed is told for the labs that have both (for the others it is always the engine).
    return { solved: instance.solved, solvedAt: instance.solvedAt, ...(hasRealFlaskApp(slug) ? { runtime: instance.runtime } : {}) };
  } catch (err) {
    return { solved: false, solvedAt: null, error: err instanceof Error ? err.message : String(err) };
  }
}
