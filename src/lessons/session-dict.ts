// Build-time demos for the lesson "Flask's session as a dict": examples/python/session_dict.py
// rebuilt on the engine's Flask app, plus the modified-flag table computed on SecureCookieSession.
import { Flask, type ViewContext } from '../engine/flask/app.ts';
import { SecureCookieSession } from '../engine/flask/sessions.ts';
import type { PyValue } from '../engine/python/values.ts';
import { Clock, send, sendAll, type ExchangeView } from './exchange.ts';

const names = (v: PyValue): string[] => (Array.isArray(v) ? v.map(String) : []);

/** examples/python/session_dict.py on the engine (lifetime two hours). */
export function sessionDictApp(clock = new Clock()): Flask {
  const app = new Flask({ config: { SECRET_KEY: 'change-me-to-a-long-random-value', PERMANENT_SESSION_LIFETIME: 2 * 3600 }, now: clock.now });
  app.route('/login/alice', ({ session }: ViewContext) => {
    session.set('user', 'alice');
    return 'hello alice';
  });
  app.route('/whoami', ({ session }) => String(session.get('user', 'nobody')));
  app.route('/remember-me', ({ session }) => {
    session.permanent = true;
    return 'this session now lasts two hours';
  });
  app.route('/logout', ({ session }) => {
    session.pop('user', null);
    return 'bye';
  });
  app.route('/reset', ({ session }) => {
    session.clear();
    return 'everything forgotten';
  });
  app.route('/cart', ({ session }) => names(session.get('cart', [])).join(', ') || 'empty');
  const add = (item: string, markModified: boolean) => ({ session }: ViewContext) => {
    if (!session.has('cart')) session.set('cart', []);
    const cart = session.getItem('cart') as PyValue[];
    cart.push(item); // the same list object the session holds: an in-place change
    if (markModified) session.modified = true;
    return names(session.getItem('cart')).join(', ');
  };
  for (const item of ['apple', 'pear']) {
    app.route(`/cart/add-broken/${item}`, add(item, false));
    app.route(`/cart/add/${item}`, add(item, true));
  }
  return app;
}

/** Visitor → login → read → logout (pop) → read → reset (clear). */
export async function basicFlow(): Promise<ExchangeView[]> {
  return sendAll(sessionDictApp().testClient(), ['/whoami', '/login/alice', '/whoami', '/logout', '/whoami', '/reset']);
}

/** login → remember-me → a plain read: the permanent cookie is re-sent each time. */
export async function permanentFlow(): Promise<ExchangeView[]> {
  return sendAll(sessionDictApp().testClient(), ['/login/alice', '/remember-me', '/whoami']);
}

/** The nested-mutation trap on a browser-session cookie, then the fix. */
export async function cartFlow(): Promise<ExchangeView[]> {
  return sendAll(sessionDictApp().testClient(), ['/cart/add-broken/apple', '/cart/add-broken/pear', '/cart', '/cart/add/pear', '/cart']);
}

/** The same broken handler on a permanent session: the refresh saves the mutation by accident. */
export async function cartFlowPermanent(): Promise<ExchangeView[]> {
  return sendAll(sessionDictApp().testClient(), ['/remember-me', '/cart/add-broken/apple', '/cart/add-broken/pear', '/cart']);
}

/** A view that writes to the session of an app with no SECRET_KEY. */
export async function noSecretKey(): Promise<{ exchange: ExchangeView; error: string | null }> {
  const app = new Flask({ now: new Clock().now });
  app.route('/login/alice', ({ session }) => {
    session.set('user', 'alice');
    return 'hello alice';
  });
  const exchange = await send(app.testClient(), '/login/alice');
  const failed = exchange.trace.find((e) => e.type === 'view-error');
  return { exchange, error: failed && failed.type === 'view-error' ? failed.error : null };
}

/** One operation on a session that starts as {"user": "alice", "cart": ["apple"]}, and whether it set `modified`. */
export interface ModifiedRow {
  python: string;
  modified: boolean;
}

const OPS: [string, (s: SecureCookieSession) => void][] = [
  ['session["user"] = "bob"', (s) => s.set('user', 'bob')],
  ['session["user"] = "alice"  # same value', (s) => s.set('user', 'alice')],
  ['del session["user"]', (s) => s.delete('user')],
  ['session.pop("user", None)', (s) => void s.pop('user', null)],
  ['session.pop("missing", None)', (s) => void s.pop('missing', null)],
  ['session.setdefault("theme", "dark")', (s) => void s.setdefault('theme', 'dark')],
  ['session.setdefault("user", "bob")', (s) => void s.setdefault('user', 'bob')],
  ['session.update({})', (s) => s.update({})],
  ['session.clear()', (s) => s.clear()],
  ['session.get("user")', (s) => void s.get('user')],
  ['"user" in session', (s) => void s.has('user')],
  ['session["cart"].append("pear")', (s) => void (s.getItem('cart') as PyValue[]).push('pear')],
];

/** Which dict operations count as a modification, computed on a fresh SecureCookieSession each time. */
export function modifiedTable(): ModifiedRow[] {
  return OPS.map(([python, op]) => {
    const s = new SecureCookieSession(new Map<string, PyValue>([['user', 'alice'], ['cart', ['apple']]]));
    op(s);
    return { python, modified: s.modified };
  });
}
