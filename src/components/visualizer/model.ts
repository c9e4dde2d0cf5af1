// The visualizer's simulation: a browser (cookie jar, virtual clock) talking to the engine's Flask app
// in the same page. Every request's trace is turned into plain, serialisable step views at the moment
// each event is emitted, so later mutations (a list appended in place) cannot rewrite history.
import { Flask, type ViewContext, type ViewResult } from '../../engine/flask/app.ts';
import type { Reason, TraceEvent } from '../../engine/flask/trace.ts';
import type { ReasonCode } from '../../engine/flask/reasons.ts';
import { traceJson, traceRepr } from '../../engine/flask/trace-render.ts';
import { Response } from '../../engine/flask/wrappers.ts';
import type { PyValue } from '../../engine/python/values.ts';
import { decodeCookie, flipCharacter } from './cookie.ts';
import { formatTime, statusLine, type ExchangeView, type LabState, type Note, type ResponseState, type StepView } from './types.ts';
import { PRESETS, matchRoute, type PresetId } from './presets.ts';
import { CookieJar, type Initiator, type RequestContext } from './jar.ts';
import { createClock, type PageClock } from '../page-clock.ts';

function repr(v: PyValue | undefined): string {
  return v === undefined ? '' : (traceRepr(v) ?? '…');
}

/** The Python expression a session operation stands for, e.g. `session["user"] = 'alice'`. */
export function opExpression(op: string, key: string | undefined, value: PyValue | undefined, result: PyValue | undefined): string {
  const k = key === undefined ? '' : repr(key);
  const out = (expr: string) => (result === undefined ? expr : `${expr}  → ${repr(result)}`);
  switch (op) {
    case 'get':
      return out(`session.get(${k})`);
    case 'getitem':
      return out(`session[${k}]`);
    case 'setitem':
      return `session[${k}] = ${repr(value)}`;
    case 'delitem':
      return `del session[${k}]`;
    case 'contains':
      return out(`${k} in session`);
    case 'pop':
      return out(`session.pop(${k})`);
    case 'setdefault':
      return `session.setdefault(${k}, ${repr(value)})`;
    case 'permanent=':
      return `session.permanent = ${repr(value)}`;
    case 'modified=':
      return `session.modified = ${repr(value)}`;
    case 'permanent':
      return 'session.permanent';
    case 'len':
      return out('len(session)');
    case 'bool':
      return out('bool(session)');
    case 'dict':
      return 'dict(session)';
    case 'iter':
      return 'iter(session)';
    default:
      return `session.${op}()`;
  }
}

const REFRESH_CODES: ReadonlySet<ReasonCode> = new Set(['save.cookie-refresh', 'server.cookie-refresh', 'fixed.cookie-refresh']);
const EMPTY_CODES: ReadonlySet<ReasonCode> = new Set(['save.empty-unchanged', 'server.empty-unchanged', 'legacy.empty-unchanged', 'fixed.empty-untouched']);
const UNCHANGED_CODES: ReadonlySet<ReasonCode> = new Set([
  'save.unchanged-no-refresh',
  'save.unchanged-not-permanent',
  'server.no-refresh',
  'server.ttl-refreshed',
  'fixed.no-refresh',
  'fixed.stored-no-cookie',
]);

/** The summary key of a save decision, from its action and reason code. */
function saveReason(action: string, why: Reason): string {
  if (action === 'set-cookie') return REFRESH_CODES.has(why.code) ? 'set-cookie.refresh' : 'set-cookie.modified';
  if (action === 'delete-cookie') return 'delete-cookie';
  if (why.code === 'app.skip-null-session') return 'skip.null';
  if (EMPTY_CODES.has(why.code)) return 'skip.empty';
  if (UNCHANGED_CODES.has(why.code)) return 'skip.unchanged';
  return 'skip';
}

/** Turns one trace event into a step view; call it when the event is emitted. */
export function stepView(e: TraceEvent): StepView {
  const base = { index: e.step, type: e.type, stage: e.stage };
  switch (e.type) {
    case 'request-received': {
      const cookie = e.headers.find(([k]) => k.toLowerCase() === 'cookie');
      return { ...base, key: cookie ? 'request-received.cookie' : 'request-received.nocookie', vars: { method: e.method, url: e.url }, reason: null, literal: null, code: cookie ? `Cookie: ${cookie[1]}` : null, tone: 'neutral' };
    }
    case 'context-pushed':
      // A minified build may shorten class names; then the sentence leaves the name out.
      return { ...base, key: /Interface$/.test(e.interface) ? 'context-pushed' : 'context-pushed.unnamed', vars: { interface: e.interface }, reason: null, literal: null, code: null, tone: 'neutral' };
    case 'cookie-read':
      return { ...base, key: e.value ? 'cookie-read.found' : 'cookie-read.none', vars: { name: e.name }, reason: null, literal: null, code: e.value ? e.value : null, tone: 'neutral' };
    case 'signature-checked': {
      const cls = e.errorClass ?? 'BadSignature';
      // TimestampSigner reports a plain mismatch as BadTimeSignature too; the message tells the cases apart.
      const key = e.ok
        ? 'signature-checked.ok'
        : cls === 'SignatureExpired'
          ? 'signature-checked.SignatureExpired'
          : /timestamp/i.test(e.message ?? '')
            ? 'signature-checked.BadTimeSignature'
            : 'signature-checked.BadSignature';
      return { ...base, key, vars: e.ok ? {} : { error: cls }, reason: e.why, literal: e.ok ? null : `${cls}: ${e.message ?? ''}`, code: null, tone: e.ok ? 'ok' : 'bad' };
    }
    case 'payload-decoded':
      return {
        ...base,
        key: e.compressed ? 'payload-decoded.compressed' : 'payload-decoded',
        vars: { time: e.timestamp === null ? '—' : formatTime(e.timestamp) },
        reason: null,
        literal: null,
        code: traceJson(e.data) ?? traceRepr(e.data),
        tone: 'ok',
      };
    case 'session-opened':
      // With no secret key the interface reports that open_session returns None, then Flask reports the
      // NullSession it substitutes: two steps, two different sentences.
      if (e.kind === 'null' && e.why.code !== 'app.null-session') {
        return { ...base, key: 'session-opened.none', vars: {}, reason: e.why, literal: null, code: 'open_session(app, request)  → None', tone: 'bad' };
      }
      const data = traceRepr(e.data) ?? '…';
      return { ...base, key: `session-opened.${e.kind}`, vars: { data }, reason: e.why, literal: null, code: data, tone: e.kind === 'null' ? 'bad' : 'neutral' };
    case 'session-op':
      return {
        ...base,
        key: e.modifies ? 'session-op.modifies' : 'session-op.reads',
        vars: {},
        reason: null,
        literal: null,
        code: opExpression(e.op, e.key, e.value, e.result),
        tone: 'neutral',
      };
    case 'view-returned':
      return { ...base, key: e.noView ? `view-returned.${e.noView}` : 'view-returned', vars: { status: String(e.status), endpoint: e.endpoint }, reason: null, literal: null, code: null, tone: e.status < 400 ? 'neutral' : 'bad' };
    case 'view-error':
      return { ...base, key: 'view-error', vars: { error: e.error.split(':')[0], endpoint: e.endpoint }, reason: null, literal: e.error, code: null, tone: 'bad' };
    case 'after-request':
      return { ...base, key: 'after-request', vars: { name: e.name }, reason: null, literal: null, code: null, tone: 'neutral' };
    case 'save-decision':
      return { ...base, key: `save-decision.${saveReason(e.action, e.why)}`, vars: { action: e.action }, reason: e.why, literal: null, code: null, tone: e.action === 'skip' ? 'neutral' : 'ok' };
    case 'set-cookie-built':
      return {
        ...base,
        key: e.value === '' ? 'set-cookie-built.delete' : 'set-cookie-built.set',
        vars: { name: e.name },
        reason: null,
        literal: e.warning,
        code: `Set-Cookie: ${e.header}`,
        tone: 'ok',
      };
    case 'vary-added':
      return { ...base, key: 'vary-added', vars: { value: e.value }, reason: e.why, literal: null, code: `Vary: ${e.value}`, tone: 'neutral' };
    case 'store-op':
      return { ...base, key: 'store-op', vars: { command: e.command, key: e.key }, reason: e.why, literal: null, code: null, tone: 'neutral' };
    case 'error':
      return { ...base, key: 'error', vars: { error: e.error.split(':')[0] }, reason: e.why, literal: e.error, code: null, tone: 'bad' };
    case 'response-sent':
      return { ...base, key: 'response-sent', vars: { status: statusLine(e.status) }, reason: null, literal: null, code: null, tone: e.status < 400 ? 'ok' : 'bad' };
  }
}

/** The host the simulated browser talks to. */
const SITE_HOST = 'site.example';

/** A response as it stands at one step (null before the view has produced one). */
function copyResponse(r: Response | null): ResponseState | null {
  return r ? { status: r.status, headers: r.headers.map(([k, v]) => [k, v] as [string, string]) } : null;
}

/** `make_response` for a view result, as Flask's app does it (the same object when it is already a Response). */
function toResponse(rv: ViewResult): Response {
  if (rv instanceof Response) return rv;
  if (Array.isArray(rv)) return new Response(rv[0], rv[1]);
  return new Response(rv);
}

/** Options of {@link Lab.open}. */
export interface LabOptions {
  /** The page's clock (default: a fresh one at the epoch, as at build time). */
  clock?: PageClock;
}

/** The simulated browser and the app it talks to. */
export class Lab {
  preset: PresetId;
  path: string;
  scheme: 'https' | 'http' = 'https';
  initiator: Initiator = 'same-site';
  history: ExchangeView[] = [];
  selected = -1;
  step = 0;
  notes: Note[] = [];
  keepExpired = false;
  readonly clock: PageClock;
  readonly jar = new CookieJar();
  /** While a preset's scene plays, how far behind the page clock its requests happen (so the scene ends now). */
  private lag = 0;
  private app!: Flask;
  /** The response the running view produced, so each step can show the response as it stands. */
  private current: Response | null = null;
  /** The steps of the request being handled, and how to read its response as it stands. */
  private steps: StepView[] = [];
  private standing: () => StepView['response'] = () => null;

  private constructor(preset: PresetId, clock: PageClock) {
    this.preset = preset;
    this.path = PRESETS[preset].path;
    this.clock = clock;
    // Another widget (or this one) moved the page clock: the browser forgets expired cookies.
    clock.subscribe(() => {
      if (this.lag === 0) this.notes = this.prune();
    });
  }

  /** A lab with the preset's scene already played: its requests sent, ending at the page clock's now. */
  static async open(preset: PresetId, options: LabOptions = {}): Promise<Lab> {
    const lab = new Lab(preset, options.clock ?? createClock());
    await lab.play();
    return lab;
  }

  /** The browser's time (the page clock, or earlier while a scene plays). */
  get now(): number {
    return this.clock.now() + this.lag;
  }

  private makeApp(): Flask {
    const def = PRESETS[this.preset].app;
    const app = new Flask({ config: { ...def.config }, now: () => this.now });
    for (const hook of def.after ?? []) {
      const fn = (response: Response) => {
        this.current = hook.fn(response);
        // The trace announces an after_request function before it runs: its step shows what it did.
        const step = this.steps[this.steps.length - 1];
        if (step?.type === 'after-request') step.response = this.standing();
        return this.current;
      };
      // The trace names the hook by its Python name, also in a minified build.
      Object.defineProperty(fn, 'name', { value: hook.name });
      app.afterRequest(fn);
    }
    return app;
  }

  /** Registers the concrete path a rule matches, as Werkzeug's router would dispatch it. */
  private route(path: string): void {
    const m = matchRoute(PRESETS[this.preset].app, path);
    if (!m) return;
    const respond = (body: string, status = 200) => {
      const r = new Response(body, status);
      r.now = () => this.now;
      return r;
    };
    const view = (ctx: ViewContext) => (this.current = toResponse(m.route.view(ctx, m.args, respond)));
    this.app.route(path, view, { endpoint: m.route.endpoint, methods: m.route.methods ?? ['GET'] });
  }

  private async play(): Promise<void> {
    const scenario = PRESETS[this.preset].scenario;
    this.app = this.makeApp();
    this.lag = -scenario.reduce((sum, a) => sum + ('advance' in a ? a.advance : 0), 0);
    for (const action of scenario) {
      if ('send' in action) await this.send(action.send);
      else if ('tamper' in action) this.tamper();
      else {
        this.lag += action.advance;
        this.notes = this.prune();
      }
    }
    this.lag = 0;
    this.notes = [];
    this.path = PRESETS[this.preset].path;
    // The scene is shown finished (every panel filled in, also without JavaScript); a new request starts at step 1.
    this.step = Math.max(0, (this.history[this.selected]?.steps.length ?? 1) - 1);
  }

  /** Switches to another preset: a fresh browser, then that preset's scene, ending at the page clock's now. */
  async selectPreset(preset: PresetId): Promise<void> {
    this.preset = preset;
    this.keepExpired = false;
    this.scheme = 'https';
    this.initiator = 'same-site';
    this.history = [];
    this.selected = -1;
    this.step = 0;
    this.jar.clear();
    await this.play();
  }

  /** The request the browser is about to make for `path`. */
  private context(path: string): RequestContext {
    return { scheme: this.scheme, host: SITE_HOST, path: path.split('?')[0]!, initiator: this.initiator };
  }

  /** Sends a request for `url` (a path with an optional query) with the cookies the jar gives it. */
  async send(url: string): Promise<ExchangeView> {
    const path = url.trim() || '/';
    this.path = path.startsWith('/') ? path : `/${path}`;
    this.notes = [];
    const method = this.initiator === 'cross-site-form' ? 'POST' : 'GET';
    const req = this.context(this.path);
    const now = this.now;
    if (!this.keepExpired) this.jar.evict(now);
    const jarBefore = this.jarRows();
    const checks = this.jar.check(req, now, method, this.keepExpired);
    const cookie = this.jar.cookieHeader(req, now, method, this.keepExpired);
    const headers: [string, string][] = [['Host', SITE_HOST]];
    if (cookie) headers.push(['Cookie', cookie]);
    this.route(req.path);
    this.current = null;
    let responded = false;
    const steps: StepView[] = [];
    // The response as it stands now; a response the engine made itself (404, 405, 500) is not one a view
    // returned, so it is filled in from the final state below.
    const standing = (): StepView['response'] => (this.current ? copyResponse(this.current) : responded ? 'pending' : null);
    this.steps = steps;
    this.standing = standing;
    const exchange = await this.app.handle({ method, url: this.path, headers }, (e) => {
      const view = stepView(e);
      if (e.type === 'view-returned' || e.type === 'view-error' || e.type === 'error') responded = true;
      view.response = e.type === 'response-sent' ? { status: e.status, headers: e.headers.map(([k, v]) => [k, v] as [string, string]) } : standing();
      steps.push(view);
    });
    const { request, response, trace } = exchange;
    // Fill in the engine-made responses: the final headers minus the ones later steps add.
    for (const s of steps) {
      if (s.response !== 'pending') continue;
      const later = steps.filter((o) => o.index > s.index);
      const added = new Set(later.flatMap((o) => (o.type === 'vary-added' ? ['vary'] : o.type === 'set-cookie-built' ? ['set-cookie'] : [])));
      s.response = { status: response.status, headers: response.headers.filter(([k]) => !added.has(k.toLowerCase())).map(([k, v]) => [k, v] as [string, string]) };
    }
    const stored = response.getSetCookie().map((h) => this.jar.store(h, req, this.now));
    const cookieName = this.app.config.SESSION_COOKIE_NAME;
    const sent = request.cookies.get(cookieName);
    const built = trace.find((e) => e.type === 'set-cookie-built');
    const decision = trace.find((e) => e.type === 'save-decision');
    const view: ExchangeView = {
      n: this.history.length + 1,
      method: request.method,
      url: request.url,
      scheme: req.scheme,
      host: req.host,
      initiator: req.initiator,
      at: now,
      requestHeaders: request.headers,
      status: response.status,
      statusLine: statusLine(response.status),
      responseHeaders: response.headers,
      body: response.body,
      steps,
      sentCookie: sent ? decodeCookie(sent) : null,
      setCookie:
        built && built.type === 'set-cookie-built'
          ? { header: built.header, anatomy: built.value ? decodeCookie(built.value) : null, deletes: built.value === '' }
          : null,
      decision: decision && decision.type === 'save-decision' ? { action: decision.action, why: decision.why, key: stepView(decision).key } : null,
      vary: trace.flatMap((e) => (e.type === 'vary-added' ? [{ value: e.value, why: e.why }] : [])),
      checks,
      stored,
      jarBefore,
      jarAfter: this.jarRows(),
    };
    this.history.push(view);
    this.selected = this.history.length - 1;
    this.step = 0;
    return view;
  }

  /** Flips one character of the session cookie in the jar; false when there is none. */
  tamper(): boolean {
    const name = this.app.config.SESSION_COOKIE_NAME;
    const entry = this.jar.find(name);
    if (!entry || !entry.value) {
      this.notes = [{ key: 'nothing-to-tamper', vars: {} }];
      return false;
    }
    const flipped = flipCharacter(entry.value);
    entry.value = flipped.value;
    this.notes = [{ key: 'tampered', vars: { name, position: String(flipped.position + 1), from: flipped.from, to: flipped.to } }];
    return true;
  }

  /** Empties the cookie jar. */
  clearCookies(): void {
    this.jar.clear();
    this.notes = [{ key: 'cleared', vars: {} }];
  }

  /** Moves the page clock forward; every browser on the page drops cookies whose expiry has passed. */
  advance(seconds: number): void {
    this.clock.advance(seconds);
  }

  /** Puts the page clock back to the epoch (cookies stay as they are). */
  resetClock(): void {
    this.clock.reset();
    this.notes = [];
  }

  private prune(): Note[] {
    const now = this.now;
    const expired = this.jar.cookies.filter((c) => c.expires !== null && c.expires <= now);
    if (!this.keepExpired) this.jar.evict(now);
    return expired.map((c) => ({ key: this.keepExpired ? 'kept' : 'dropped', vars: { name: c.name, expires: formatTime(c.expires!) } }));
  }

  /** Makes the browser keep (true) or drop (false) cookies whose expiry has passed; dropping applies at once. */
  setKeepExpired(keep: boolean): void {
    this.keepExpired = keep;
    this.notes = this.prune();
  }

  /** Where the next requests come from: the scheme and who starts them. */
  setRequestKind(scheme: 'https' | 'http', initiator: Initiator): void {
    this.scheme = scheme;
    this.initiator = initiator;
  }

  /** Shows another exchange from the history, at its first step. */
  selectExchange(index: number): void {
    if (index < 0 || index >= this.history.length) return;
    this.selected = index;
    this.step = 0;
  }

  /** Makes step `index` of the shown exchange the active one (clamped). */
  selectStep(index: number): void {
    const steps = this.history[this.selected]?.steps ?? [];
    this.step = Math.max(0, Math.min(steps.length - 1, index));
  }

  private jarRows(): LabState['jar'] {
    return this.jar.ordered().map((c) => ({ ...c }));
  }

  /** The visible state as plain data. */
  snapshot(): LabState {
    const now = this.now;
    return {
      preset: this.preset,
      path: this.path,
      scheme: this.scheme,
      initiator: this.initiator,
      now,
      offset: this.clock.offset(),
      jar: this.jarRows(),
      documentCookie: this.jar.documentCookie(this.context('/'), now),
      history: this.history,
      selected: this.selected,
      step: this.step,
      notes: this.notes,
      keepExpired: this.keepExpired,
    };
  }
}
