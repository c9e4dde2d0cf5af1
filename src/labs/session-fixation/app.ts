// Lab 3, session fixation. Vulnerable: Flask-Session 0.3's Redis interface (the engine's rebuild), which keeps
// whatever session id the cookie brings, even one the store has never seen, and keeps it through login. Fixed:
// Flask-Session 0.8's Redis interface, whose login view calls `regenerate()`, so the session gets a new id at login
// and a planted id is worth nothing. (0.8 also refuses an id its store does not know; an attacker could still
// plant a real id of their own, which is why the login must regenerate.)
// The learner never sees the victim's cookies (an attacker does not). The goal, observed by the app: /account
// served as dana to a request that is not the victim's, on a session id that was planted in dana's browser.
import { Flask } from '../../engine/flask/app.ts';
import type { SessionProxy } from '../../engine/flask/globals.ts';
import { LegacyRedisSessionInterface, LegacyServerSideSession, RedisSessionInterface } from '../../engine/flask_session/redis.ts';
import { ServerSideSession, unwrapSession } from '../../engine/flask_session/base.ts';
import { accountsFor, loginRequest, VICTIM, victimNote } from '../accounts.ts';
import { FlaskLab, noteAccountView, redirect, withPasswordRoutes } from '../flask-app.ts';
import { LabRedis } from '../memory-redis.ts';
import { seededBytes, seededHex } from '../random.ts';
import type { LabDefinition } from '../types.ts';
import { LabInputError } from '../types.ts';

const SLUG = 'session-fixation';
/** What a planted id may be: the characters a cookie value takes without quoting. */
const SID = /^[A-Za-z0-9._~-]{1,128}$/;

export const lab: LabDefinition = {
  slug: SLUG,
  victimActions: [{ id: 'plant', arg: 'sid' }, { id: 'login' }],
  hideVictimCookies: true,
  create(seed, mode, { prefix, now }) {
    const accounts = accountsFor(seed, SLUG);
    const app = new Flask({ config: { SECRET_KEY: seededHex(seededBytes(seed, `${SLUG}/key`), 32), SESSION_COOKIE_PATH: prefix || '/' }, now });
    const store = new LabRedis(now);
    const random = seededBytes(seed, `${SLUG}/sid`);
    const fixed = mode === 'fixed';
    app.sessionInterface = fixed
      ? new RedisSessionInterface({ client: store, randomBytes: random, toClientBytes: (b) => b })
      : new LegacyRedisSessionInterface({ client: store, randomBytes: random, toClientBytes: (b) => b });
    const lab = new FlaskLab(app);
    const planted = new Set<string>();
    const sidOf = (s: SessionProxy): string => {
      const target = unwrapSession(s);
      return target instanceof ServerSideSession || target instanceof LegacyServerSideSession ? target.sid : '';
    };
    withPasswordRoutes(app, prefix, {
      title: `Lab 3: session fixation (${fixed ? 'Flask-Session 0.8, regenerate() at login' : 'Flask-Session 0.3'}).`,
      account: 'your account page',
      accounts,
      loggedIn: async (_user, { session }) => {
        if (fixed) await (app.sessionInterface as RedisSessionInterface).regenerate(session);
        return redirect(`${prefix}/account`);
      },
      askOnGet: false,
    })
      .route(
        '/account',
        noteAccountView(lab, victimNote(seed, SLUG), ({ session }) => planted.has(sidOf(session)), `This is the session id you planted, now logged in as ${VICTIM}: lab solved.`),
      )
      .route('/logout', ({ session }) => {
        session.clear();
        return redirect(`${prefix}/account`);
      });
    return {
      handle: (request, context) => lab.handle(request, context),
      async victim(action, arg, { send, plantCookie }) {
        if (action === 'plant') {
          if (!SID.test(arg ?? '')) throw new LabInputError('a session id to plant is 1 to 128 letters, digits and . _ ~ -', 'bad-arg', { action });
          planted.add(arg!);
          plantCookie(app.config.SESSION_COOKIE_NAME, arg!);
        } else if (action === 'login') {
          await send(loginRequest(VICTIM, accounts.get(VICTIM)!));
          await send({ method: 'GET', url: '/account', headers: [] });
        } else {
          throw new LabInputError(`unknown victim action '${action}'`);
        }
      },
    };
  },
};
