// Lab 1, weak secret: Flask's own signed-cookie session, signed with a key from the course's wordlist (vulnerable)
// or with 32 random bytes (fixed). The learner logs in as guest, cracks the key of that cookie, signs
// {"user": "admin"} with it and opens /admin. The goal is observed by the app: /admin served to a session whose
// user is admin, which Flask only loads from a cookie whose signature holds under the app's key.
import { Flask } from '../../engine/flask/app.ts';
import { FlaskLab, redirect, text } from '../flask-app.ts';
import { seededBytes, seededHex, seededIndex } from '../random.ts';
import type { LabDefinition, LabMode } from '../types.ts';
import { LabInputError } from '../types.ts';
import { WEAK_KEYS } from './keys.ts';

/** The key an instance signs with: a wordlist line (vulnerable) or 64 hex digits (fixed). */
export function secretKeyFor(seed: string, mode: LabMode): string {
  const bytes = seededBytes(seed, 'weak-secret/key');
  return mode === 'vulnerable' ? WEAK_KEYS[seededIndex(bytes, WEAK_KEYS.length)]! : seededHex(bytes, 32);
}

export const lab: LabDefinition = {
  slug: 'weak-secret',
  victimActions: [],
  create(seed, mode, { prefix, now }) {
    const app = new Flask({ config: { SECRET_KEY: secretKeyFor(seed, mode), SESSION_COOKIE_PATH: prefix || '/' }, now });
    const lab = new FlaskLab(app);
    app
      .route('/', () =>
        text(
          [
            'Lab 1: weak secret. Routes:',
            `  GET ${prefix}/login    log in as guest (sets the session cookie)`,
            `  GET ${prefix}/whoami   who the session says you are`,
            `  GET ${prefix}/admin    for the user admin only`,
            `  GET ${prefix}/logout   clear the session`,
          ].join('\n'),
        ),
      )
      .route('/login', ({ session }) => {
        session.set('user', 'guest');
        return redirect(`${prefix}/whoami`);
      })
      .route('/whoami', ({ session }) => {
        const user = session.get('user');
        return typeof user === 'string' ? text(`You are ${user}.`) : text('You are not logged in.');
      })
      .route('/admin', ({ session }) => {
        const user = session.get('user');
        if (user !== 'admin') return text(typeof user === 'string' ? `Forbidden: /admin is for admin, and you are ${user}.` : 'Forbidden: /admin is for admin, and you are not logged in.', 403);
        lab.current().reachGoal();
        return text('Welcome, admin. The app served /admin to your forged session: lab solved.');
      })
      .route('/logout', ({ session }) => {
        session.clear();
        return redirect(`${prefix}/whoami`);
      });
    return {
      handle: (request, context) => lab.handle(request, context),
      victim: async (action) => {
        throw new LabInputError(`this lab has no victim actions (got '${action}')`);
      },
    };
  },
};
