// Lab 4, missing `Vary: Cookie`: a shared cache in front of a shop that runs the tutorial's MySessionInterface
// (lesson 5; its setdefault corrected so that logins stick, every other flaw kept). The shop asks caches to keep every page for five minutes
// (`Cache-Control: public, max-age=300`); the cache honours `Vary` and keeps no Set-Cookie in what it stores.
// The tutorial's interface never sends `Vary: Cookie`, so a personal page is stored under its URL alone and
// served to the next visitor of that URL. The learner gets the victim to open a personal page at a URL nobody
// has cached yet, then opens the same URL. Goal, observed by the cache: a copy stored from the victim's request,
// carrying the victim's API key, served to the learner.
// The fixed mode runs the corrected interface of the same lesson, which adds `Vary: Cookie` whenever the session
// was used: the cache then keeps one copy per Cookie header and never hands the victim's page to anyone else.
import { Flask } from '../../engine/flask/app.ts';
import type { SessionInterface } from '../../engine/flask/sessions.ts';
import { FixedSessionInterface, MemoryStore } from '../../engine/flask_session/custom.ts';
import { pyStr } from '../../engine/python/repr.ts';
import { accountsFor, loginRequest, VICTIM } from '../accounts.ts';
import { FlaskLab, redirect, text, withPasswordRoutes } from '../flask-app.ts';
import { seededBytes, seededHex } from '../random.ts';
import { AssigningMySessionInterface, headerOf } from '../simulated.ts';
import { LabInputError, type LabClient, type LabDefinition, type LabRequest, type LabResponse } from '../types.ts';

export const SLUG = 'vary-cookie';
/** Seconds the shop asks caches to keep a page. */
export const MAX_AGE = 300;

/** One stored response of the cache. */
export interface CacheEntry {
  url: string;
  /** Header names of the response's Vary, lowercased, with the request's values for them when it was stored. */
  vary: [string, string | null][];
  status: number;
  headers: [string, string][];
  body: string;
  storedAt: number;
  /** Whose request the copy came from (the solved check needs it; a real cache does not know). */
  storedFor: LabClient;
}

/**
 * A shared cache as a CDN or a reverse proxy keeps one: GET and HEAD only, keyed by the URL (path and query)
 * plus the request's values of each header the response's `Vary` names; `Vary: *`, `private`, `no-store`,
 * `no-cache` and anything but a 200 are not stored; a stored copy keeps no `Set-Cookie`. Answers carry
 * `X-Cache: HIT` (with `Age`) or `X-Cache: MISS`.
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

  /** The stored copy this request may be served, or null. Drops copies that have expired. */
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

  /** Stores the response when its headers allow it; returns whether it did. */
  offer(req: LabRequest, res: LabResponse, client: LabClient): boolean {
    if (req.method !== 'GET' || res.status !== 200) return false;
    const cc = (headerOf(res.headers, 'Cache-Control') ?? '').toLowerCase();
    if (!/\bpublic\b/.test(cc) || /\b(private|no-store|no-cache)\b/.test(cc) || !/max-age=[1-9]/.test(cc)) return false;
    const varyNames = (headerOf(res.headers, 'Vary') ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
    if (varyNames.includes('*')) return false;
    const vary = varyNames.map((n) => [n, headerOf(req.headers, n)] as [string, string | null]);
    const same = this.entries.findIndex((e) => e.url === req.url && e.vary.length === vary.length && e.vary.every(([n, v], i) => vary[i]![0] === n && vary[i]![1] === v));
    if (same !== -1) this.entries.splice(same, 1);
    this.entries.push({ url: req.url, vary, status: res.status, headers: res.headers.filter(([k]) => k.toLowerCase() !== 'set-cookie'), body: res.body, storedAt: this.now(), storedFor: client });
    return true;
  }

  /** What a hit sends: the stored copy with its age. */
  serve(e: CacheEntry, req: LabRequest): LabResponse {
    return { status: e.status, headers: [...e.headers, ['Age', String(this.now() - e.storedAt)], ['X-Cache', 'HIT']], body: req.method === 'HEAD' ? '' : e.body };
  }
}

/** A user's API key: the personal data the account page shows. */
export function apiKeyOf(seed: string, user: string): string {
  return `ak_${seededHex(seededBytes(seed, `${SLUG}/api-key/${user}`), 10)}`;
}

export const lab: LabDefinition = {
  slug: SLUG,
  victimActions: [{ id: 'login' }, { id: 'open', arg: 'path' }],
  hideVictimCookies: true,
  create(seed, mode, { prefix, now }) {
    const accounts = accountsFor(seed, SLUG);
    const random = seededBytes(seed, `${SLUG}/sid`);
    const sessionInterface: SessionInterface =
      mode === 'vulnerable' ? new AssigningMySessionInterface({ randomBytes: random }) : new FixedSessionInterface({ store: new MemoryStore(now), randomBytes: random });
    const app = new Flask({ config: { SECRET_KEY: seededHex(seededBytes(seed, `${SLUG}/key`), 32), SESSION_COOKIE_PATH: prefix || '/' }, now, sessionInterface });
    const flaskLab = new FlaskLab(app);
    const cache = new SharedCache(now);
    const victimKey = apiKeyOf(seed, VICTIM);
    withPasswordRoutes(app, prefix, {
      title: `Lab 4: a shared cache in front of ${mode === 'vulnerable' ? "the tutorial's MySessionInterface (no Vary: Cookie)" : 'the corrected interface (Vary: Cookie)'}.`,
      account: 'your account page, with your API key',
      more: [`Every page is sent with Cache-Control: public, max-age=${MAX_AGE}.`],
      accounts,
      loggedIn: () => redirect(`${prefix}/account`),
    })
      .route('/account', ({ session }) => {
        const user = session.get('user');
        if (user === null) return redirect(`${prefix}/login`);
        const name = pyStr(user);
        return text(`Your account\nuser: ${name}\nAPI key: ${apiKeyOf(seed, name)}`);
      })
      .route('/logout', ({ session }) => {
        session.pop('user', null);
        return redirect(`${prefix}/`);
      });
    // The shop's caching policy: shared caches may keep every page for five minutes.
    app.afterRequest((response) => {
      if (response.status === 200) response.headers.push(['Cache-Control', `public, max-age=${MAX_AGE}`]);
    });
    return {
      async handle(request, context) {
        const hit = cache.lookup(request);
        if (hit) {
          if (context.client === 'learner' && hit.storedFor === 'victim' && hit.body.includes(victimKey)) context.reachGoal();
          return cache.serve(hit, request);
        }
        const res = await flaskLab.handle(request, context);
        cache.offer(request, res, context.client);
        return { ...res, headers: [...res.headers, ['X-Cache', 'MISS']] };
      },
      async victim(action, arg, { send }) {
        if (action === 'login') {
          await send(loginRequest(VICTIM, accounts.get(VICTIM)!));
        } else if (action === 'open') {
          if (!arg || !arg.startsWith('/') || arg.startsWith('//')) throw new LabInputError(`the victim only opens a path of this shop, starting with one '/' (got '${String(arg).slice(0, 40)}')`);
          await send({ method: 'GET', url: arg, headers: [] });
        } else {
          throw new LabInputError(`unknown victim action '${action}'`);
        }
      },
    };
  },
};
