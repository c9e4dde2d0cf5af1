// Lab "missing Vary: Cookie": a shared cache in front of a shop that runs the tutorial's MySessionInterface.
// The shop asks caches to keep every page for five minutes (`Cache-Control: public, max-age=300`); the cache
// honours `Vary` and keeps no Set-Cookie in what it stores. The tutorial's interface never sends
// `Vary: Cookie`, so a personal page is stored under its URL alone and served to the next visitor of that URL.
// The learner gets the victim to open a personal page at a URL nobody has cached yet, then opens it too.
// The fixed mode runs the corrected interface, which adds `Vary: Cookie` whenever the session was used: the
// cache then keeps one copy per Cookie header and never hands the victim's page to anyone else.
import { Flask } from '../../engine/flask/app.ts';
import type { FlaskConfig, SessionInterface } from '../../engine/flask/sessions.ts';
import { FixedSessionInterface, MemoryStore, MySessionInterface } from '../../engine/flask_session/custom.ts';
import { pyStr } from '../../engine/python/repr.ts';
import {
  BaseLab,
  formOf,
  headerOf,
  Jar,
  redirect,
  seededBytes,
  seededHex,
  text,
  through,
  type LabClient,
  type LabMode,
  type LabRequest,
  type LabResponse,
  type VictimAction,
} from '../simulated.ts';

export const SLUG = 'vary-cookie';
export const VICTIM = 'alice';
export const LEARNER = { user: 'guest', password: 'guest' } as const;
/** Seconds the shop asks caches to keep a page. */
export const MAX_AGE = 300;

/** One stored response of the cache. */
export interface CacheEntry {
  url: string;
  /** Header names of the response's Vary, lowercased, and the request's values for them when it was stored. */
  vary: [string, string | null][];
  status: number;
  headers: [string, string][];
  body: string;
  storedAt: number;
  /** Who caused the store: shown in the lab's cache view and used by the solved check. */
  storedFor: LabClient;
}

/**
 * A shared cache as a CDN or a reverse proxy keeps one: GET and HEAD only, keyed by the URL (path and query)
 * plus the request's values of each header the response's `Vary` names; `Vary: *`, `private`, `no-store` and
 * anything but a 200 are not stored; a stored copy keeps no `Set-Cookie`. Answers carry `X-Cache` and `Age`.
 */
export class SharedCache {
  readonly entries: CacheEntry[] = [];
  private readonly now: () => number;
  constructor(now: () => number) {
    this.now = now;
  }

  private fresh(e: CacheEntry): boolean {
    const maxAge = Number(/max-age=(\d+)/.exec(headerOf(e.headers, 'Cache-Control') ?? '')?.[1] ?? 0);
    return this.now() - e.storedAt < maxAge;
  }

  /** The stored copy this request may be served, or null. */
  lookup(req: LabRequest): CacheEntry | null {
    if (req.method !== 'GET' && req.method !== 'HEAD') return null;
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const e = this.entries[i]!;
      if (!this.fresh(e)) {
        this.entries.splice(i, 1);
        continue;
      }
      if (e.url === req.url && e.vary.every(([name, value]) => headerOf(req.headers, name) === value)) return e;
    }
    return null;
  }

  /** Stores the response when its headers allow it. @returns whether it was stored. */
  offer(req: LabRequest, res: LabResponse, client: LabClient): boolean {
    if (req.method !== 'GET' || res.status !== 200) return false;
    const cc = (headerOf(res.headers, 'Cache-Control') ?? '').toLowerCase();
    if (!/\bpublic\b/.test(cc) || /\b(private|no-store|no-cache)\b/.test(cc) || !/max-age=[1-9]/.test(cc)) return false;
    const varyNames = (headerOf(res.headers, 'Vary') ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
    if (varyNames.includes('*')) return false;
    const vary = varyNames.map((n) => [n, headerOf(req.headers, n)] as [string, string | null]);
    // A newer copy of the same variant replaces the old one.
    const same = this.entries.findIndex((e) => e.url === req.url && e.vary.length === vary.length && e.vary.every(([n, v], i) => vary[i]![0] === n && vary[i]![1] === v));
    if (same !== -1) this.entries.splice(same, 1);
    this.entries.push({
      url: req.url,
      vary,
      status: res.status,
      headers: res.headers.filter(([k]) => k.toLowerCase() !== 'set-cookie'),
      body: res.body,
      storedAt: this.now(),
      storedFor: client,
    });
    return true;
  }

  /** The response a hit sends: the stored copy with its age. */
  serve(e: CacheEntry, req: LabRequest): LabResponse {
    return { status: e.status, headers: [...e.headers, ['Age', String(this.now() - e.storedAt)], ['X-Cache', 'HIT']], body: req.method === 'HEAD' ? '' : e.body };
  }
}

/** The lab instance. Create it with {@link createVaryCookieLab}. */
export class VaryCookieLab extends BaseLab {
  readonly slug = SLUG;
  readonly app: Flask;
  readonly cache: SharedCache;
  readonly victimPassword: string;
  /** The victim's personal data: what must not reach anyone else. */
  readonly victimApiKey: string;
  private readonly victimJar: Jar;

  constructor(seed: string, mode: LabMode, prefix = '') {
    super(seed, mode, prefix);
    this.victimPassword = seededHex(seed, 'victim-password', 6);
    this.victimApiKey = `ak_${seededHex(seed, 'victim-api-key', 12)}`;
    this.victimJar = new Jar(this.clock.now);
    this.cache = new SharedCache(this.clock.now);
    const random = seededBytes(seed, 'session-ids');
    const sessionInterface: SessionInterface =
      mode === 'vulnerable' ? new MySessionInterface({ randomBytes: random }) : new FixedSessionInterface({ store: new MemoryStore(this.clock.now), randomBytes: random });
    this.app = new Flask({
      config: { SECRET_KEY: seededHex(seed, 'secret-key', 16), SESSION_COOKIE_PATH: prefix || '/' } as Partial<FlaskConfig>,
      now: this.clock.now,
      sessionInterface,
    });
    const users: Record<string, { password: string; apiKey: string }> = {
      [VICTIM]: { password: this.victimPassword, apiKey: this.victimApiKey },
      [LEARNER.user]: { password: LEARNER.password, apiKey: `ak_${seededHex(seed, 'learner-api-key', 12)}` },
    };
    this.app
      .route('/', () => text('Shop home. GET /login, POST /login (user, password), GET /account, GET /logout\n'))
      .route(
        '/login',
        ({ request, session }) => {
          if (request.method === 'GET') return text('POST user and password here (form fields) to log in.\n');
          const form = formOf(request.body);
          const user = form.get('user') ?? '';
          if (!(user in users) || users[user]!.password !== form.get('password')) return text('Wrong user name or password.\n', 403);
          session.set('user', user);
          return redirect(prefix, '/account');
        },
        { methods: ['GET', 'POST'] },
      )
      .route('/account', ({ session }) => {
        const user = session.get('user');
        if (user === null) return redirect(prefix, '/login');
        const name = pyStr(user);
        return text(`Your account\nuser: ${name}\nAPI key: ${users[name]?.apiKey ?? '(none)'}\n`);
      })
      .route('/logout', ({ session }) => {
        session.pop('user', null);
        return redirect(prefix, '/');
      });
    // The shop's caching policy: every page may be kept by shared caches for five minutes.
    this.app.afterRequest((response) => {
      if (response.status === 200) response.headers.push(['Cache-Control', `public, max-age=${MAX_AGE}`]);
    });
  }

  victimActions(): VictimAction[] {
    return [
      { name: 'log-in', run: async () => void (await this.victimSend(this.victimJar, { method: 'POST', url: '/login', body: `user=${VICTIM}&password=${this.victimPassword}`, headers: [['Content-Type', 'application/x-www-form-urlencoded']] })) },
      { name: 'open', arg: 'path', run: async (path) => void (await this.victimSend(this.victimJar, { method: 'GET', url: path! })) },
    ];
  }

  protected override async setUpScene(): Promise<void> {
    await this.victim('log-in');
  }

  protected async handle(req: LabRequest, client: LabClient): Promise<LabResponse> {
    const hit = this.cache.lookup(req);
    if (hit) {
      const res = this.cache.serve(hit, req);
      if (client === 'learner' && hit.storedFor === 'victim' && hit.body.includes(this.victimApiKey)) {
        this.note('leaked', { url: req.url }, true);
      } else {
        this.note('cache-hit', { url: req.url, client, storedFor: hit.storedFor });
      }
      return res;
    }
    const res = await through(this.app, req);
    const stored = this.cache.offer(req, res, client);
    if (stored) this.note('cache-store', { url: req.url, client, vary: headerOf(res.headers, 'Vary') ?? '' });
    return { ...res, headers: [...res.headers, ['X-Cache', 'MISS']] };
  }
}

/** A ready instance (the victim has logged in). @throws {LabInputError} for a bad seed, mode or prefix. */
export async function createVaryCookieLab(seed: string, mode: LabMode, prefix = ''): Promise<VaryCookieLab> {
  return new VaryCookieLab(seed, mode, prefix).setUp();
}
