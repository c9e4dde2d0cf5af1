// Lab "load balancer": the tutorial's MySessionInterface (one dict per process) behind two workers and a
// round-robin balancer. The victim's browser fetches each page and then its stylesheet, so on its own it always
// lands its pages on worker 1, where its session lives. One extra request from anyone shifts the rotation: the
// victim's next page reaches worker 2, whose dict has never seen the (validly signed) id, and the victim is
// shown as logged out. The fix keeps the same app and balancer and puts the sessions in one shared store
// (Flask-Session 0.8's Redis interface, on an in-memory Redis): whichever worker answers, the login holds.
import { Flask } from '../../engine/flask/app.ts';
import type { FlaskConfig } from '../../engine/flask/sessions.ts';
import { utf8Decode } from '../../engine/itsdangerous/encoding.ts';
import { BadSignature } from '../../engine/itsdangerous/exc.ts';
import { MemoryStore, MySessionInterface } from '../../engine/flask_session/custom.ts';
import { RedisSessionInterface } from '../../engine/flask_session/redis.ts';
import { loads as jsonLoads } from '../../engine/python/json.ts';
import { pyStr } from '../../engine/python/repr.ts';
import { isDict, dictEntries } from '../../engine/python/values.ts';
import {
  BaseLab,
  formOf,
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

export const SLUG = 'load-balancer';
export const VICTIM = 'alice';
export const LEARNER = { user: 'guest', password: 'guest' } as const;
const STYLE = 'body { font-family: sans-serif }\n';

/** The lab instance: two workers, a balancer, a victim. Create it with {@link createLoadBalancerLab}. */
export class LoadBalancerLab extends BaseLab {
  readonly slug = SLUG;
  readonly workers: Flask[];
  /** The shared store of the fixed mode (null in the vulnerable mode, where each worker has its own dict). */
  readonly sharedStore: MemoryStore | null;
  readonly victimPassword: string;
  /** How many requests the balancer has dispatched: the next goes to worker `(dispatched % 2) + 1`. */
  dispatched = 0;
  private readonly victimJar: Jar;
  private readonly secretKey: string;
  /** What the last /account view saw, for the solved check. */
  private lastAccount: { user: string | null } | null = null;

  constructor(seed: string, mode: LabMode, prefix = '') {
    super(seed, mode, prefix);
    this.secretKey = seededHex(seed, 'secret-key', 16);
    this.victimPassword = seededHex(seed, 'victim-password', 6);
    this.victimJar = new Jar(this.clock.now);
    this.sharedStore = mode === 'fixed' ? new MemoryStore(this.clock.now) : null;
    this.workers = [1, 2].map((n) => this.makeWorker(n));
  }

  private makeWorker(n: number): Flask {
    const random = seededBytes(this.seed, `session-ids-worker-${n}`);
    const sessionInterface =
      this.sharedStore === null ? new MySessionInterface({ randomBytes: random }) : new RedisSessionInterface({ client: this.sharedStore, randomBytes: random });
    const app = new Flask({
      config: { SECRET_KEY: this.secretKey, SESSION_COOKIE_PATH: this.prefix || '/' } as Partial<FlaskConfig>,
      now: this.clock.now,
      sessionInterface,
    });
    const users: Record<string, string> = { [VICTIM]: this.victimPassword, [LEARNER.user]: LEARNER.password };
    app
      .route('/', () => text(`Shop home, answered by worker ${n}.\nGET /login, POST /login (user, password), GET /account, GET /logout\n`))
      .route(
        '/login',
        ({ request, session }) => {
          if (request.method === 'GET') return text('POST user and password here (form fields) to log in.\n');
          const form = formOf(request.body);
          const user = form.get('user') ?? '';
          if (!(user in users) || users[user] !== form.get('password')) return text('Wrong user name or password.\n', 403);
          session.set('user', user);
          return redirect(this.prefix, '/account');
        },
        { methods: ['GET', 'POST'] },
      )
      .route('/account', ({ session }) => {
        const user = session.get('user');
        this.lastAccount = { user: user === null ? null : pyStr(user) };
        return user === null ? text('You are not logged in.\n') : text(`Logged in as ${pyStr(user)}.\n`);
      })
      .route('/logout', ({ session }) => {
        session.pop('user', null);
        return redirect(this.prefix, '/account');
      })
      .route('/static/style.css', () => {
        const r = text(STYLE);
        r.headers[0] = ['Content-Type', 'text/css; charset=utf-8'];
        return r;
      });
    app.afterRequest((response) => {
      response.headers.push(['X-Worker', String(n)]);
    });
    return app;
  }

  victimActions(): VictimAction[] {
    return [
      { name: 'log-in', run: () => this.victimPage({ method: 'POST', url: '/login', body: `user=${VICTIM}&password=${this.victimPassword}`, headers: [['Content-Type', 'application/x-www-form-urlencoded']] }) },
      { name: 'open-account', run: () => this.victimPage({ method: 'GET', url: '/account' }) },
    ];
  }

  /** The victim's browser: the page, then its stylesheet (two requests, so alone it keeps its place in the rotation). */
  private async victimPage(req: Omit<LabRequest, 'headers'> & { headers?: [string, string][] }): Promise<void> {
    await this.victimSend(this.victimJar, req);
    await this.victimSend(this.victimJar, { method: 'GET', url: '/static/style.css' });
  }

  protected override async setUpScene(): Promise<void> {
    await this.victim('log-in');
  }

  /** The session id the victim's cookie names, when its signature holds (vulnerable) or it is a stored id (fixed). */
  private async validVictimSid(req: LabRequest): Promise<string | null> {
    const cookie = /(?:^|;\s*)session=([^;]*)/.exec(req.headers.find(([k]) => k.toLowerCase() === 'cookie')?.[1] ?? '')?.[1];
    if (!cookie) return null;
    if (this.sharedStore) return (await this.sharedStore.getBuffer(`session:${cookie}`)) ? cookie : null;
    const si = this.workers[0]!.sessionInterface as MySessionInterface;
    try {
      return utf8Decode(si.getSigner(this.workers[0]!)!.unsign(cookie));
    } catch (e) {
      if (e instanceof BadSignature) return null;
      throw e;
    }
  }

  /** Which workers' own dicts hold this id with a logged-in user (vulnerable mode). */
  private workersKnowing(sid: string): number[] {
    const out: number[] = [];
    this.workers.forEach((w, i) => {
      const raw = (w.sessionInterface as MySessionInterface).container.get(sid);
      if (raw === undefined) return;
      const data = jsonLoads(raw);
      if (isDict(data) && dictEntries(data).some(([k]) => k === 'user')) out.push(i + 1);
    });
    return out;
  }

  protected async handle(req: LabRequest, client: LabClient): Promise<LabResponse> {
    const n = (this.dispatched++ % 2) + 1;
    const worker = this.workers[n - 1]!;
    const sid = client === 'victim' ? await this.validVictimSid(req) : null;
    this.lastAccount = null;
    const res = await through(worker, req);
    if (client === 'victim' && this.lastAccount) {
      const seen = this.lastAccount as { user: string | null };
      if (seen.user !== null) {
        this.note('victim-logged-in', { worker: n, user: seen.user });
      } else if (sid !== null) {
        const knowing = this.sharedStore ? [] : this.workersKnowing(sid);
        if (knowing.length && !knowing.includes(n)) this.note('victim-lost', { worker: n, other: knowing[0]! }, true);
        else this.note('victim-logged-out', { worker: n });
      } else {
        this.note('victim-logged-out', { worker: n });
      }
    }
    if (client === 'victim' && req.method === 'POST' && req.url === '/login' && res.status === 302) this.note('victim-login', { worker: n });
    return res;
  }
}

/** A ready instance (the victim has logged in on worker 1). @throws {LabInputError} for a bad seed, mode or prefix. */
export async function createLoadBalancerLab(seed: string, mode: LabMode, prefix = ''): Promise<LoadBalancerLab> {
  return new LoadBalancerLab(seed, mode, prefix).setUp();
}
