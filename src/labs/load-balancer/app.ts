// Lab 5, load balancer: the tutorial's MySessionInterface (lesson 5: one dict per process) behind two workers and
// a round-robin balancer that hands each request to the next worker. The victim's browser fetches each page and
// then its stylesheet, so on its own it lands all its pages on one worker, where its session lives. One extra
// request from anyone shifts the rotation: the victim's next page reaches the other worker, whose dict does not
// know the (validly signed) id, and the victim is shown as logged out. That is the goal, observed by the
// balancer: a victim request whose id verifies, answered as logged out by a worker that lacks the session while
// the other worker holds it.
// The fixed mode keeps the app and the balancer and puts the sessions in one store both workers share
// (Flask-Session 0.8's Redis interface on an in-memory Redis): whichever worker answers, the login holds.
import { Flask } from '../../engine/flask/app.ts';
import { utf8Decode } from '../../engine/itsdangerous/encoding.ts';
import { BadSignature } from '../../engine/itsdangerous/exc.ts';
import { RedisSessionInterface } from '../../engine/flask_session/redis.ts';
import { loads as jsonLoads } from '../../engine/python/json.ts';
import { pyStr } from '../../engine/python/repr.ts';
import { dictEntries, isDict } from '../../engine/python/values.ts';
import { accountsFor, LOGIN_AND_ACCOUNT_VICTIM, loginOrOpenAccount } from '../accounts.ts';
import { FlaskLab, redirect, text, withPasswordRoutes } from '../flask-app.ts';
import { LabRedis } from '../memory-redis.ts';
import { seededBytes, seededHex } from '../random.ts';
import { AssigningMySessionInterface, headerOf } from '../simulated.ts';
import type { LabDefinition, LabRequest } from '../types.ts';

export const SLUG = 'load-balancer';
const STYLE = 'body { font-family: sans-serif }\n';

export const lab: LabDefinition = {
  slug: SLUG,
  ...LOGIN_AND_ACCOUNT_VICTIM,
  create(seed, mode, { prefix, now }) {
    const accounts = accountsFor(seed, SLUG);
    const secretKey = seededHex(seededBytes(seed, `${SLUG}/key`), 32);
    const shared = mode === 'fixed' ? new LabRedis(now) : null;
    /** What the last /account view saw (the balancer's solved check reads it). */
    let seen: { user: string | null } | null = null;

    const workers = [1, 2].map((n) => {
      const random = seededBytes(seed, `${SLUG}/sid/worker-${n}`);
      const sessionInterface = shared ? new RedisSessionInterface({ client: shared, randomBytes: random, toClientBytes: (b) => b }) : new AssigningMySessionInterface({ randomBytes: random });
      const app = new Flask({ config: { SECRET_KEY: secretKey, SESSION_COOKIE_PATH: prefix || '/' }, now, sessionInterface });
      withPasswordRoutes(app, prefix, {
        title: `Lab 5: two workers behind a round-robin balancer, sessions in ${shared ? 'one shared Redis (Flask-Session 0.8)' : "each worker's own dict (the tutorial's MySessionInterface)"}. This is worker ${n}.`,
        account: 'who is logged in',
        more: ['Every answer says which worker sent it (X-Worker).'],
        accounts,
        loggedIn: (user) => text(`Logged in as ${user}.`),
      })
        .route('/account', ({ session }) => {
          const user = session.get('user');
          seen = { user: user === null ? null : pyStr(user) };
          return user === null ? text('You are not logged in.') : text(`Logged in as ${pyStr(user)}.`);
        })
        .route('/logout', ({ session }) => {
          session.pop('user', null);
          return redirect(`${prefix}/account`);
        })
        .route('/static/style.css', () => {
          const r = text(STYLE);
          r.headers[0] = ['Content-Type', 'text/css; charset=utf-8'];
          return r;
        });
      app.afterRequest((response) => {
        response.headers.push(['X-Worker', String(n)]);
      });
      return { n, app, flaskLab: new FlaskLab(app), sessionInterface };
    });

    /** The id in a request's session cookie when its signature holds (the dict mode; the shared store needs none). */
    const verifiedSid = (request: LabRequest): string | null => {
      const cookie = /(?:^|;\s*)session=([^;]*)/.exec(headerOf(request.headers, 'Cookie') ?? '')?.[1];
      if (!cookie || shared) return null;
      const si = workers[0]!.sessionInterface as AssigningMySessionInterface;
      try {
        return utf8Decode(si.getSigner(workers[0]!.app)!.unsign(cookie));
      } catch (e) {
        if (e instanceof BadSignature) return null;
        throw e;
      }
    };
    /** Whether this worker's own dict holds the id with a logged-in user. */
    const knows = (w: (typeof workers)[number], sid: string): boolean => {
      const raw = (w.sessionInterface as AssigningMySessionInterface).container.get(sid);
      if (raw === undefined) return false;
      const data = jsonLoads(raw);
      return isDict(data) && dictEntries(data).some(([k]) => k === 'user');
    };

    let dispatched = 0;
    return {
      async handle(request, context) {
        const w = workers[dispatched++ % 2]!;
        const sid = context.client === 'victim' ? verifiedSid(request) : null;
        seen = null;
        const res = await w.flaskLab.handle(request, context);
        const view = seen as { user: string | null } | null;
        if (sid !== null && view !== null && view.user === null && !knows(w, sid) && workers.some((o) => o !== w && knows(o, sid))) context.reachGoal();
        return res;
      },
      async victim(action, _arg, { send }) {
        // The victim's browser: the page, then its stylesheet (two requests, so alone it keeps its place in the rotation).
        await loginOrOpenAccount(action, accounts, send);
        await send({ method: 'GET', url: '/static/style.css', headers: [] });
      },
    };
  },
};
