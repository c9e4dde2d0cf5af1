// The visualizer's simulation: a browser (cookie jar, virtual clock) talking to the engine's Flask app
// in the same page. Every request's trace is turned into plain, serialisable step views at the moment
// each event is emitted, so later mutations (a list appended in place) cannot rewrite history.
import { Flask, type TestClient } from '../../engine/flask/app.ts';
import type { TraceEvent } from '../../engine/flask/trace.ts';
import { pyRepr } from '../../engine/python/repr.ts';
import type { PyValue } from '../../engine/python/values.ts';
import { decodeCookie, flipCharacter } from './cookie.ts';
import { EPOCH, formatTime, statusLine, type ExchangeView, type LabState, type Note, type StepView } from './types.ts';
import { PRESETS, SECRET_KEY, registerViews, type PresetId } from './presets.ts';

function repr(v: PyValue | undefined): string {
  return v === undefined ? '' : pyRepr(v);
}

/** The Python expression a session operation stands for, e.g. `session["user"] = 'alice'`. */
export function opExpression(op: string, key: string | undefined, value: PyValue | undefined, result: PyValue | undefined): string {
  const k = key === undefined ? '' : pyRepr(key);
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

function saveReason(action: string, why: string): string {
  if (action === 'set-cookie') return why.includes('REFRESH') ? 'set-cookie.refresh' : 'set-cookie.modified';
  if (action === 'delete-cookie') return 'delete-cookie';
  if (why.includes('NullSession')) return 'skip.null';
  if (why.includes('empty')) return 'skip.empty';
  if (why.includes('unchanged')) return 'skip.unchanged';
  return 'skip';
}

/** Turns one trace event into a step view; call it when the event is emitted. */
export function stepView(e: TraceEvent): StepView {
  const base = { index: e.step, type: e.type, stage: e.stage };
  switch (e.type) {
    case 'request-received': {
      const cookie = e.headers.find(([k]) => k.toLowerCase() === 'cookie');
      return { ...base, key: cookie ? 'request-received.cookie' : 'request-received.nocookie', vars: { method: e.method, url: e.url }, detail: null, code: cookie ? `Cookie: ${cookie[1]}` : null, tone: 'neutral' };
    }
    case 'context-pushed':
      // A minified build may shorten class names; then the sentence leaves the name out.
      return { ...base, key: /Interface$/.test(e.interface) ? 'context-pushed' : 'context-pushed.unnamed', vars: { interface: e.interface }, detail: null, code: null, tone: 'neutral' };
    case 'cookie-read':
      return { ...base, key: e.value ? 'cookie-read.found' : 'cookie-read.none', vars: { name: e.name }, detail: null, code: e.value ? e.value : null, tone: 'neutral' };
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
      return { ...base, key, vars: e.ok ? {} : { error: cls }, detail: e.ok ? e.why : `${cls}: ${e.message ?? ''}\n${e.why}`, code: null, tone: e.ok ? 'ok' : 'bad' };
    }
    case 'payload-decoded':
      return {
        ...base,
        key: e.compressed ? 'payload-decoded.compressed' : 'payload-decoded',
        vars: { time: e.timestamp === null ? '—' : formatTime(e.timestamp) },
        detail: null,
        code: e.json,
        tone: 'ok',
      };
    case 'session-opened':
      return { ...base, key: `session-opened.${e.kind}`, vars: { data: pyRepr(e.data) }, detail: e.why, code: pyRepr(e.data), tone: e.kind === 'null' ? 'bad' : 'neutral' };
    case 'session-op':
      return {
        ...base,
        key: e.modifies ? 'session-op.modifies' : 'session-op.reads',
        vars: {},
        detail: null,
        code: opExpression(e.op, e.key, e.value, e.result),
        tone: 'neutral',
      };
    case 'view-returned':
      return { ...base, key: e.noView ? `view-returned.${e.noView}` : 'view-returned', vars: { status: String(e.status), endpoint: e.endpoint }, detail: null, code: null, tone: e.status < 400 ? 'neutral' : 'bad' };
    case 'view-error':
      return { ...base, key: 'view-error', vars: { error: e.error.split(':')[0], endpoint: e.endpoint }, detail: e.error, code: null, tone: 'bad' };
    case 'after-request':
      return { ...base, key: 'after-request', vars: { name: e.name }, detail: null, code: null, tone: 'neutral' };
    case 'save-decision':
      return { ...base, key: `save-decision.${saveReason(e.action, e.why)}`, vars: { action: e.action }, detail: e.why, code: null, tone: e.action === 'skip' ? 'neutral' : 'ok' };
    case 'set-cookie-built':
      return {
        ...base,
        key: e.value === '' ? 'set-cookie-built.delete' : 'set-cookie-built.set',
        vars: { name: e.name },
        detail: e.warning,
        code: `Set-Cookie: ${e.header}`,
        tone: 'ok',
      };
    case 'vary-added':
      return { ...base, key: 'vary-added', vars: { value: e.value }, detail: e.why, code: `Vary: ${e.value}`, tone: 'neutral' };
    case 'store-op':
      return { ...base, key: 'store-op', vars: { command: e.command, key: e.key }, detail: e.why, code: null, tone: 'neutral' };
    case 'error':
      return { ...base, key: 'error', vars: { error: e.error.split(':')[0] }, detail: `${e.error}\n${e.why}`, code: null, tone: 'bad' };
    case 'response-sent':
      return { ...base, key: 'response-sent', vars: { status: statusLine(e.status) }, detail: null, code: null, tone: e.status < 400 ? 'ok' : 'bad' };
  }
}

/** The simulated browser and the app it talks to. */
export class Lab {
  preset: PresetId;
  path: string;
  now = EPOCH;
  history: ExchangeView[] = [];
  selected = -1;
  step = 0;
  notes: Note[] = [];
  keepExpired = false;
  private app: Flask;
  private client: TestClient;

  private constructor(preset: PresetId) {
    this.preset = preset;
    this.path = PRESETS[preset].path;
    this.app = this.makeApp();
    this.client = this.app.testClient();
  }

  /** A lab with the preset's scene already played: its requests sent, its clock moved. */
  static async open(preset: PresetId): Promise<Lab> {
    const lab = new Lab(preset);
    await lab.play();
    return lab;
  }

  private makeApp(): Flask {
    const config = { SECRET_KEY, ...PRESETS[this.preset].config };
    return registerViews(new Flask({ config, now: () => this.now }));
  }

  private async play(): Promise<void> {
    for (const action of PRESETS[this.preset].scenario) {
      if ('send' in action) await this.send(action.send);
      else if ('tamper' in action) this.tamper();
      else this.advance(action.advance);
    }
    this.notes = [];
    this.path = PRESETS[this.preset].path;
  }

  /** Switches to another preset: a fresh browser and clock, then that preset's scene. */
  async selectPreset(preset: PresetId): Promise<void> {
    this.preset = preset;
    this.now = EPOCH;
    this.keepExpired = false;
    this.history = [];
    this.selected = -1;
    this.step = 0;
    this.app = this.makeApp();
    this.client = this.app.testClient();
    await this.play();
  }

  /** Sends a GET request for `url` (a path with an optional query) with the jar's cookies. */
  async send(url: string): Promise<ExchangeView> {
    const path = url.trim() || '/';
    this.path = path.startsWith('/') ? path : `/${path}`;
    this.notes = [];
    const steps: StepView[] = [];
    // What TestClient.request does, with a listener that snapshots each event as it is emitted.
    const cookie = this.keepExpired ? [...this.client.jar].map(([name, c]) => `${name}=${c.value}`).join('; ') || null : this.client.cookieHeader();
    const headers: [string, string][] = cookie ? [['Cookie', cookie]] : [];
    const exchange = await this.app.handle({ method: 'GET', url: this.path, headers }, (e) => steps.push(stepView(e)));
    for (const header of exchange.response.getSetCookie()) this.client.store(header);
    const { request, response, trace } = exchange;
    const cookieName = this.app.config.SESSION_COOKIE_NAME;
    const sent = request.cookies.get(cookieName);
    const built = trace.find((e) => e.type === 'set-cookie-built');
    const decision = trace.find((e) => e.type === 'save-decision');
    const view: ExchangeView = {
      n: this.history.length + 1,
      method: request.method,
      url: request.url,
      at: this.now,
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
    };
    this.history.push(view);
    this.selected = this.history.length - 1;
    this.step = 0;
    return view;
  }

  /** Flips one character of the session cookie in the jar; false when there is none. */
  tamper(): boolean {
    const name = this.app.config.SESSION_COOKIE_NAME;
    const entry = this.client.jar.get(name);
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
    this.client.jar.clear();
    this.notes = [{ key: 'cleared', vars: {} }];
  }

  /** Moves the virtual clock forward; the browser drops cookies whose Expires has passed. */
  advance(seconds: number): void {
    this.now += seconds;
    this.notes = this.prune();
  }

  /** Puts the clock back to the epoch (cookies stay as they are). */
  resetClock(): void {
    this.now = EPOCH;
    this.notes = [];
  }

  private prune(): Note[] {
    const notes: Note[] = [];
    for (const [name, c] of this.client.jar) {
      if (c.expires !== null && c.expires <= this.now) {
        if (!this.keepExpired) this.client.jar.delete(name);
        notes.push({ key: this.keepExpired ? 'kept' : 'dropped', vars: { name, expires: formatTime(c.expires) } });
      }
    }
    return notes;
  }

  /** Makes the browser keep (true) or drop (false) cookies whose Expires has passed; dropping applies at once. */
  setKeepExpired(keep: boolean): void {
    this.keepExpired = keep;
    this.notes = this.prune();
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

  /** The visible state as plain data. */
  snapshot(): LabState {
    return {
      preset: this.preset,
      path: this.path,
      now: this.now,
      offset: this.now - EPOCH,
      jar: [...this.client.jar].map(([name, c]) => ({ name, value: c.value, expires: c.expires, attributes: c.attributes })),
      history: this.history,
      selected: this.selected,
      step: this.step,
      notes: this.notes,
      keepExpired: this.keepExpired,
    };
  }
}
