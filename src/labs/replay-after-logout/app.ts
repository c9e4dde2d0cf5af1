// Lab 2, replay after logout. Vulnerable: Flask's signed cookie session, so logging out only asks the browser to
// drop its cookie; a copy of the cookie made before stays valid for the rest of its 31 days. Fixed: Flask-Session
// 0.8's Redis interface (the engine's rebuild, on an in-memory store), where the cookie holds only an id and
// logout empties the session, which deletes its record, so a copied id opens nothing.
// The goal, observed by the app: /account served as dana to a request that is not the victim's own, after dana
// logged out.
import { Flask } from '../../engine/flask/app.ts';
import { RedisSessionInterface } from '../../engine/flask_session/redis.ts';
import { accountsFor, loginRequest, VICTIM, victimNote } from '../accounts.ts';
import { FlaskLab, noteAccountView, redirect, withPasswordRoutes } from '../flask-app.ts';
import { LabRedis } from '../memory-redis.ts';
import { seededBytes, seededHex } from '../random.ts';
import type { LabDefinition } from '../types.ts';
import { LabInputError } from '../types.ts';

const SLUG = 'replay-after-logout';

export const lab: LabDefinition = {
  slug: SLUG,
  victimActions: [{ id: 'login' }, { id: 'logout' }],
  create(seed, mode, { prefix, now }) {
    const accounts = accountsFor(seed, SLUG);
    const app = new Flask({ config: { SECRET_KEY: seededHex(seededBytes(seed, `${SLUG}/key`), 32), SESSION_COOKIE_PATH: prefix || '/' }, now });
    if (mode === 'fixed') {
      app.sessionInterface = new RedisSessionInterface({ client: new LabRedis(now), randomBytes: seededBytes(seed, `${SLUG}/sid`), toClientBytes: (b) => b });
    }
    const lab = new FlaskLab(app);
    /** Users who logged out since they last logged in. */
    const loggedOut = new Set<string>();
    withPasswordRoutes(app, prefix, {
      title: `Lab 2: replay after logout (${mode === 'fixed' ? 'Flask-Session 0.8, Redis' : "Flask's signed cookie"}).`,
      account: 'your account page',
      accounts,
      loggedIn: (user) => {
        loggedOut.delete(user);
        return redirect(`${prefix}/account`);
      },
      askOnGet: false,
    })
      .route(
        '/account',
        noteAccountView(lab, victimNote(seed, SLUG), () => loggedOut.has(VICTIM), 'This session was logged out, and the app still let you in: lab solved.'),
      )
      .route('/logout', ({ session }) => {
        const user = session.get('user');
        session.clear();
        if (typeof user === 'string') loggedOut.add(user);
        return redirect(`${prefix}/account`);
      });
    return {
      handle: (request, context) => lab.handle(request, context),
      async victim(action, _arg, { send }) {
        if (action === 'login') {
          await send(loginRequest(VICTIM, accounts.get(VICTIM)!));
          await send({ method: 'GET', url: '/account', headers: [] });
        } else if (action === 'logout') {
          await send({ method: 'GET', url: '/logout', headers: [] });
        } else {
          throw new LabInputError(`unknown victim action '${action}'`);
        }
      },
    };
  },
};
