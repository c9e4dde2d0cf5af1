// <lab-panel>: drives a lab page. The app runs in a module Worker (src/labs/worker.ts), started on the learner's
// first action; the address bar and the cookie jar (the visualizer's RFC 6265bis jar) play the learner's browser.
// Labs with a real Flask app (catalog `realFlask`) run it in the exercise runtime's Python Worker instead when the
// site's runtime has the Flask archive (src/labs/python/browser.ts, loaded on the first action too); the panel
// says which runtime answers, and never calls the engine's answers Flask's.
// Under npm start the panel also polls the learner's HTTP instance (/labs/<slug>/api/status) and shows its state.
import { CookieJar, type RequestContext } from '../visualizer/jar.ts';
import type { LabInfo } from '../../labs/catalog.ts';
import { labSeed, readProgress, recordRun } from '../../labs/progress.ts';
import type { LabExchange, LabMode, LabRequest, LabRuntime, LabSnapshot } from '../../labs/types.ts';

/** What the panel needs of a lab client: the engine's Worker (src/labs/client.ts) or the real Flask's (python/browser.ts). */
interface LabClient {
  create(slug: string, seed: string, mode: LabMode): Promise<LabSnapshot>;
  request(request: LabRequest): Promise<LabSnapshot>;
  victim(action: string, arg?: string): Promise<LabSnapshot>;
  terminate(): void;
}

/** What the site's runtime offers the real Flask labs: the Flask version and the download size, or why not. */
type RuntimeOffer = { version: string; bytes: number } | { missing: true };
import { fillLab, type LabStrings } from './i18n.ts';
// Werkzeug's status line for the codes the lab apps answer with: the one table the other widgets read too.
import { statusLine as statusText } from '../../engine/werkzeug/status.ts';

const HOST = 'lab.example';
const POLL_MS = 1500;

function context(path: string): RequestContext {
  return { scheme: 'https', host: HOST, path, initiator: 'same-site' };
}

function seconds(): number {
  return Math.floor(Date.now() / 1000);
}


/** Escapes text for HTML element content and attribute values. */
function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** The session cookie value in a Cookie or Set-Cookie header, if any. */
function sessionValue(name: string, value: string): string | null {
  if (name.toLowerCase() === 'set-cookie') {
    const m = /^session=([^;]+)/.exec(value);
    return m ? m[1]! : null;
  }
  if (name.toLowerCase() === 'cookie') {
    const m = /(?:^|;\s*)session=([^;]+)/.exec(value);
    return m ? m[1]! : null;
  }
  return null;
}

/** The request log as HTML: one item per exchange, newest last; each request starts with its request line. */
export function renderLog(t: LabStrings, exchanges: readonly LabExchange[], inspector: string): string {
  if (!exchanges.length) return `<p>${esc(t.logEmpty)}</p>`;
  const headers = (pairs: readonly [string, string][], withLinks: boolean) =>
    pairs
      .map(([k, v]) => {
        const s = withLinks ? sessionValue(k, v) : null;
        const attr = k.toLowerCase() === 'set-cookie' ? ' data-set-cookie' : k.toLowerCase() === 'cookie' ? ' data-cookie-header' : '';
        const link = s && /\./.test(s) ? ` <a href="${esc(inspector)}#cookie=${esc(encodeURIComponent(s))}">${esc(t.openInspector)}</a>` : '';
        return `<span${attr}>${esc(k)}: ${esc(v)}</span>${link}`;
      })
      .join('\n');
  return `<ol class="lab-log">${exchanges
    .map((x) => {
      const who = x.client === 'victim' ? t.victim : t.you;
      return `<li class="lab-x" data-client="${x.client}"${x.goal ? ' data-goal' : ''}><p class="lab-x-line"><strong>${esc(who)}</strong> <code>${esc(x.method)} ${esc(x.url)}</code> → <code data-status>${esc(statusText(x.status))}</code>${x.goal ? ` <span class="lab-goal">${esc(t.goalReached)}</span>` : ''}</p>${x.cookiesHidden ? `<p class="lab-x-line"><em>${esc(t.cookiesHidden)}</em></p>` : ''}<p class="lab-x-part">${esc(t.request)}</p><pre><span data-request-line>${esc(x.method)} ${esc(x.url)} HTTP/1.1</span>${x.requestHeaders.length ? `\n${headers(x.requestHeaders, true)}` : ''}</pre><p class="lab-x-part">${esc(t.response)}</p><pre>${headers(x.responseHeaders, true)}${x.body ? `\n\n${esc(x.body.trimEnd())}` : ''}</pre></li>`;
    })
    .join('')}</ol>`;
}

class LabPanel extends HTMLElement {
  private t!: LabStrings;
  private info!: LabInfo;
  private slug = '';
  private inspector = '/inspector/';
  private jar = new CookieJar();
  private client: LabClient | null = null;
  /** For a lab with a real Flask app: what the site's runtime offers (fetched once, a small JSON file). */
  private offer: Promise<RuntimeOffer> | null = null;
  private ready: Promise<LabSnapshot> | null = null;
  private mode: LabMode = 'vulnerable';
  private snapshot: LabSnapshot | null = null;
  private httpSeen = '';
  private pollTimer: ReturnType<typeof setTimeout> | null = null;

  connectedCallback(): void {
    this.t = JSON.parse(this.dataset.strings!) as LabStrings;
    this.info = JSON.parse(this.dataset.info!) as LabInfo;
    this.slug = this.dataset.slug!;
    this.inspector = this.dataset.inspector ?? '/inspector/';
    this.showOverall();
    this.checkRuntime();
    const q = <T extends Element>(sel: string) => this.querySelector<T>(sel)!;
    q<HTMLFormElement>('[data-address]').addEventListener('submit', (e) => {
      e.preventDefault();
      void this.send();
    });
    q<HTMLFormElement>('[data-add-cookie]').addEventListener('submit', (e) => {
      e.preventDefault();
      const form = e.currentTarget as HTMLFormElement;
      const name = (form.elements.namedItem('name') as HTMLInputElement).value.trim();
      const value = (form.elements.namedItem('value') as HTMLInputElement).value.trim();
      if (!TOKEN.test(name)) return this.error(this.t.badName);
      this.error('');
      this.setCookie(name, value);
    });
    this.querySelector('[data-place="page"]')!.addEventListener('click', (e) => {
      const target = e.target as HTMLElement;
      const action = target.closest<HTMLButtonElement>('[data-victim-action]');
      if (action) {
        const arg = this.querySelector<HTMLInputElement>(`[data-victim="page"] [data-arg="${action.dataset.victimAction}"]`);
        void this.run((c) => c.victim(action.dataset.victimAction!, arg && arg.value.trim() ? arg.value.trim() : undefined));
      }
      const remove = target.closest<HTMLButtonElement>('[data-remove]');
      if (remove) {
        this.jar.store(`${remove.dataset.remove}=; Max-Age=0; Path=/`, context('/'), seconds());
        this.renderJar();
      }
      if (target.closest('[data-restart]')) void this.restart();
    });
    this.querySelector('[data-place="page"]')!.addEventListener('change', (e) => {
      const target = e.target as HTMLInputElement;
      if (target.matches('[data-mode]') && target.checked) {
        this.mode = target.value as LabMode;
        void this.restart();
      }
      // The row stays as it is (re-drawing it would take the focus away from the next field).
      if (target.matches('[data-jar-value]')) this.jar.store(`${target.dataset.jarValue!}=${target.value.trim()}; Path=/`, context('/'), seconds());
    });
    this.setupHttp();
  }

  disconnectedCallback(): void {
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.client?.terminate();
  }

  private showOverall(): void {
    const entry = readProgress().labs[this.slug];
    const el = this.querySelector<HTMLElement>('[data-lab-status]')!;
    if (entry?.solved) {
      el.textContent = `${this.t.solved}${this.t.stop}${entry.solvedAt ? fillLab(this.t.solvedOn, { date: new Date(entry.solvedAt).toLocaleString(this.dataset.lang) }) : ''}`.trim();
      el.dataset.solved = '';
    } else {
      el.textContent = this.t.notSolved;
      delete el.dataset.solved;
    }
  }

  /** The page's own sentence for an error the lab names (see LabErrorKey), else the lab's message. */
  private explain(err: unknown): string {
    const e = (err ?? {}) as { key?: keyof LabStrings['errors']; params?: Record<string, string>; message?: string; error?: string };
    const template = e.key ? this.t.errors[e.key] : undefined;
    if (template) {
      const arg = this.info.victim.find((a) => a.id === e.params?.action)?.arg;
      const lang = this.dataset.lang === 'zh-CN' ? 'zh-CN' : 'en';
      return fillLab(template, { ...e.params, field: arg ? arg[lang] : '' });
    }
    return e.message ?? e.error ?? String(err);
  }

  private error(message: string): void {
    this.querySelector('[data-error]')!.textContent = message ? fillLab(this.t.error, { message }) : '';
  }

  private setCookie(name: string, value: string): void {
    this.jar.store(`${name}=${value}; Path=/`, context('/'), seconds());
    this.renderJar();
  }

  private renderJar(): void {
    const t = this.t;
    const cookies = this.jar.ordered();
    const el = this.querySelector('[data-jar]')!;
    if (!cookies.length) {
      el.innerHTML = `<p>${esc(t.jarEmpty)}</p>`;
      return;
    }
    el.innerHTML = `<table class="lab-jar"><thead><tr><th scope="col">${esc(t.jarName)}</th><th scope="col">${esc(t.jarValue)}</th><th scope="col">${esc(t.jarActions)}</th></tr></thead><tbody>${cookies
      .map(
        (c) =>
          `<tr data-cookie="${esc(c.name)}"><th scope="row"><code>${esc(c.name)}</code></th><td><input data-jar-value="${esc(c.name)}" value="${esc(c.value)}" aria-label="${esc(fillLab(t.valueOf, { name: c.name }))}" spellcheck="false" autocomplete="off"></td><td><button type="button" data-remove="${esc(c.name)}" aria-label="${esc(fillLab(t.removeNamed, { name: c.name }))}">${esc(t.remove)}</button></td></tr>`,
      )
      .join('')}</tbody></table>`;
  }

  /** Reads the runtime's manifest (a lab with a real Flask app only) and says which runtime will answer. */
  private checkRuntime(): void {
    const note = this.querySelector<HTMLElement>('[data-runtime]')!;
    if (!this.info.realFlask) {
      note.textContent = this.t.runtimeEngine;
      return;
    }
    note.textContent = this.t.runtimeChecking;
    this.offer = (async (): Promise<RuntimeOffer> => {
      try {
        const res = await fetch(`${import.meta.env.BASE_URL.replace(/\/?$/, '/')}runtime/manifest.json`, { cache: 'no-cache' });
        const m = res.ok ? ((await res.json()) as { archive?: { gzipSize: number } | null; versions?: Record<string, string>; pyodide?: { files: { gzipSize: number }[] } }) : null;
        const version = m?.versions?.flask;
        if (!m?.archive || !version) return { missing: true };
        return { version, bytes: m.archive.gzipSize + (m.pyodide?.files ?? []).reduce((n, f) => n + f.gzipSize, 0) };
      } catch {
        return { missing: true };
      }
    })();
    void this.offer.then((o) => {
      if (!this.snapshot) this.showRuntime('version' in o ? 'flask' : 'engine', o);
    });
  }

  /** The runtime note: the real Flask (with its version), or the engine and why. */
  private showRuntime(runtime: LabRuntime, offer: RuntimeOffer | null, fallback?: string): void {
    const note = this.querySelector<HTMLElement>('[data-runtime]')!;
    const fixed = this.info.realFlask?.fixed;
    const lang = this.dataset.lang === 'zh-CN' ? 'zh-CN' : 'en';
    let text: string;
    if (!this.info.realFlask) text = this.t.runtimeEngine;
    else if (runtime === 'flask' && offer && 'version' in offer) text = fillLab(this.t.runtimeFlask, { version: offer.version, size: `${(offer.bytes / 1048576).toFixed(1)} MB` });
    else if (fallback) text = fillLab(this.t.runtimeFailed, { detail: fallback.split('\n')[0]!.slice(0, 200) });
    else text = this.t.runtimeNoArchive;
    if (fixed && this.info.realFlask) text += ` ${fixed[runtime === 'flask' && offer && 'version' in offer ? 'flask' : 'engine'][lang]}`;
    note.textContent = text.replace(/。 /g, '。');
    note.dataset.runs = runtime;
  }

  private async start(): Promise<LabSnapshot> {
    if (!this.client) {
      const offer = this.offer ? await this.offer : null;
      if (offer && 'version' in offer) {
        const { RealFlaskLabClient } = await import('../../labs/python/browser.ts');
        const status = this.querySelector('[data-run-status]')!;
        status.textContent = fillLab(this.t.runtimeFlaskLoading, { version: offer.version });
        this.client = new RealFlaskLabClient((p) => {
          if (p.phase !== 'ready') status.textContent = fillLab(this.t.runtimeFlaskLoading, { version: offer.version });
        });
      } else {
        const { LabWorkerClient } = await import('../../labs/client.ts');
        this.client = new LabWorkerClient();
      }
    }
    return this.client.create(this.slug, await labSeed(this.slug), this.mode);
  }

  private async restart(): Promise<void> {
    this.jar = new CookieJar();
    this.renderJar();
    this.error('');
    this.ready = this.start();
    try {
      this.show(await this.ready);
    } catch (err) {
      this.error(this.explain(err));
    }
  }

  private async run(fn: (c: LabClient) => Promise<LabSnapshot>): Promise<LabSnapshot | null> {
    this.error('');
    const status = this.querySelector('[data-run-status]')!;
    try {
      this.ready ??= this.start();
      status.textContent = this.t.working;
      await this.ready;
      const snap = await fn(this.client!);
      this.show(snap);
      return snap;
    } catch (err) {
      this.error(this.explain(err));
      if (this.snapshot) this.show(this.snapshot);
      return null;
    }
  }

  private async send(): Promise<void> {
    const form = this.querySelector<HTMLFormElement>('[data-address]')!;
    const method = (form.elements.namedItem('method') as HTMLSelectElement).value;
    let url = (form.elements.namedItem('url') as HTMLInputElement).value.trim();
    const body = (form.elements.namedItem('body') as HTMLInputElement).value;
    if (url.startsWith(`https://${HOST}`)) url = url.slice(`https://${HOST}`.length) || '/';
    if (!url.startsWith('/')) url = `/${url}`;
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const cookie = this.jar.cookieHeader(context(path), seconds(), method);
    const headers: [string, string][] = [['Host', HOST]];
    if (cookie) headers.push(['Cookie', cookie]);
    if (method === 'POST') headers.push(['Content-Type', 'application/x-www-form-urlencoded']);
    const before = this.snapshot?.exchanges.length ?? 0;
    const snap = await this.run((c) => c.request({ method, url, headers, ...(method === 'POST' ? { body } : {}) }));
    if (!snap) return;
    for (const x of snap.exchanges.slice(before)) {
      if (x.client !== 'learner') continue;
      for (const [k, v] of x.responseHeaders) if (k.toLowerCase() === 'set-cookie') this.jar.store(v, context(path), x.at);
    }
    this.renderJar();
  }

  private show(snap: LabSnapshot): void {
    this.snapshot = snap;
    void (this.offer ?? Promise.resolve(null)).then((o) => this.showRuntime(snap.runtime, o, snap.fallback));
    this.querySelector('[data-log]')!.innerHTML = renderLog(this.t, snap.exchanges, this.inspector);
    // The status line (a live region) also reads out the last answer, so a screen reader hears what came back.
    const last = snap.exchanges.at(-1);
    const answer = last ? `${last.client === 'victim' ? this.t.victim : this.t.you}${this.t.colon}${last.method} ${last.url} → ${statusText(last.status)}${this.t.stop}` : '';
    this.querySelector('[data-run-status]')!.textContent = answer + (snap.solved ? this.t.runGoal : this.t.runNoGoal);
    const before = readProgress().labs[this.slug]?.solved === true;
    const progress = recordRun(snap);
    const entry = progress.labs[this.slug];
    if (!before && entry?.solved) {
      // A class link opened in this tab (and naming this origin) sends the solve to the class server, which replays it.
      const lab = { slug: this.slug, seed: entry.seed ?? progress.learnerSeed, mode: entry.mode, log: entry.log, claimedSolved: true, firstSolvedAt: entry.solvedAt, lang: this.dataset.lang };
      void import('../../classroom/server-link.ts').then((m) => m.submitLab(lab), () => undefined);
    }
    this.showOverall();
  }

  // ---- over HTTP ----

  private setupHttp(): void {
    const place = this.querySelector<HTMLElement>('[data-place="http"]')!;
    place.addEventListener('click', (e) => {
      const target = e.target as HTMLElement;
      const action = target.closest<HTMLButtonElement>('[data-victim-action]');
      if (action) {
        const arg = place.querySelector<HTMLInputElement>(`[data-arg="${action.dataset.victimAction}"]`);
        void this.httpPost('victim', { action: action.dataset.victimAction, ...(arg && arg.value.trim() ? { arg: arg.value.trim() } : {}) });
      }
      if (target.closest('[data-http-restart]')) void this.httpPost('restart', {});
    });
    place.addEventListener('change', (e) => {
      const target = e.target as HTMLInputElement;
      if (target.matches('[data-http-mode]') && target.checked) void this.httpPost('mode', { mode: target.value });
    });
    void this.poll();
  }

  private api(part: string): string {
    return `/labs/${this.slug}/api/${part}`;
  }

  private async poll(): Promise<void> {
    this.pollTimer = null;
    // A hidden tab asks nothing; it looks again once it is shown.
    if (document.hidden) {
      document.addEventListener('visibilitychange', () => void this.poll(), { once: true });
      return;
    }
    try {
      const res = await fetch(this.api('status'), { headers: { Accept: 'application/json' }, cache: 'no-store' });
      if (!res.ok || !(res.headers.get('content-type') ?? '').includes('application/json')) throw new Error(String(res.status));
      this.showHttp((await res.json()) as HttpStatus);
    } catch {
      this.querySelector('[data-http-status]')!.textContent = this.t.httpUnavailable;
      return;
    }
    this.pollTimer = setTimeout(() => void this.poll(), POLL_MS);
  }

  private async httpPost(part: string, body: Record<string, unknown>): Promise<void> {
    const err = this.querySelector('[data-http-error]')!;
    err.textContent = '';
    try {
      const res = await fetch(this.api(part), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      const json = (await res.json()) as HttpStatus | { error: string };
      if ('error' in json) err.textContent = fillLab(this.t.error, { message: this.explain(json) });
      else this.showHttp(json);
    } catch (e) {
      err.textContent = fillLab(this.t.error, { message: this.explain(e) });
    }
  }

  private showHttp(s: HttpStatus): void {
    const status = this.querySelector<HTMLElement>('[data-http-status]')!;
    const text = s.solved ? this.t.httpSolved : this.t.httpNotSolved;
    if (status.textContent !== text) status.textContent = text;
    if (s.solved) status.dataset.solved = '';
    else delete status.dataset.solved;
    const runtime =
      s.runtime === 'flask'
        ? fillLab(this.t.httpRuntimeFlask, { version: s.flask ?? '' })
        : !this.info.realFlask
          ? this.t.httpRuntimeEngine
          : s.fallback
            ? fillLab(this.t.httpRuntimeFailed, { detail: s.fallback.split('\n')[0]!.slice(0, 200) })
            : this.t.httpRuntimeNoArchive;
    const runtimeNote = this.querySelector<HTMLElement>('[data-http-runtime]')!;
    if (runtimeNote.textContent !== runtime) runtimeNote.textContent = runtime;
    runtimeNote.dataset.runs = s.runtime ?? 'engine';
    const details = this.querySelector<HTMLElement>('[data-http-details]')!;
    details.hidden = false;
    const origin = window.location.origin;
    this.querySelector('[data-http-learner]')!.textContent = `flask_lab_learner=${s.learner}`;
    this.querySelector('[data-http-curl]')!.textContent = `curl -i -b 'flask_lab_learner=${s.learner}' ${origin}/labs/${this.slug}/app${this.info.start}`;
    for (const r of this.querySelectorAll<HTMLInputElement>('[data-http-mode]')) r.checked = r.value === s.mode;
    const seen = `${s.mode} ${s.solved} ${s.exchanges.length} ${s.exchanges.at(-1)?.at ?? ''}`;
    if (seen !== this.httpSeen) {
      this.httpSeen = seen;
      this.querySelector('[data-http-log]')!.innerHTML = renderLog(this.t, s.exchanges, this.inspector);
    }
  }
}

interface HttpStatus {
  learner: string;
  slug: string;
  mode: LabMode;
  solved: boolean;
  solvedAt: number | null;
  runtime?: LabRuntime;
  /** The Flask version the server's Python runs, when `runtime` is `flask`. */
  flask?: string;
  /** Why the server runs a lab with a real Flask app on the engine, when its Python could not start. */
  fallback?: string;
  exchanges: LabExchange[];
}

if (!customElements.get('lab-panel')) customElements.define('lab-panel', LabPanel);
