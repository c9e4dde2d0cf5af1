// The view-function presets of the request/response visualizer. Each preset is a small Flask app
// (config + views) written twice: the Python a learner reads, and the same views on the engine's
// Flask. A preset also names the requests that bring the simulated browser to its teaching moment.
import type { Flask, View } from '../../engine/flask/app.ts';
import type { FlaskConfig } from '../../engine/flask/sessions.ts';
import type { PyValue } from '../../engine/python/values.ts';
import { pyRepr } from '../../engine/python/repr.ts';

/** The names a lesson passes as `<Visualizer preset="…" />`. */
export const PRESET_IDS = ['login', 'read', 'permanent', 'logout', 'cart-trap', 'cart-fixed', 'no-secret', 'tampered', 'expired'] as const;
export type PresetId = (typeof PRESET_IDS)[number];

/** One thing the simulated browser does while a preset sets the scene. */
export type Action = { send: string } | { tamper: true } | { advance: number };

export interface Preset {
  id: PresetId;
  /** Flask config on top of the defaults. */
  config: Partial<FlaskConfig>;
  /** The path the address bar shows once the scene is set. */
  path: string;
  /** The Python a learner reads beside the trace (static, highlighted at build time). */
  python: string;
  /** Run in order when the preset is selected; the last request is the one shown first. */
  scenario: Action[];
}

const APP = `from flask import Flask, request, session

app = Flask(__name__)
app.secret_key = "dev"
`;

const LOGIN = `
@app.route("/login")
def login():
    session["user"] = "alice"
    return "Logged in as alice"
`;

const WHO = `
@app.route("/who")
def who():
    user = session.get("user")
    return f"Hello, {user}" if user else "Hello, stranger"
`;

const REMEMBER = `
@app.route("/remember")
def remember():
    session.permanent = True
    session["user"] = "alice"
    return "Logged in as alice, permanently"
`;

const LOGOUT = `
@app.route("/logout")
def logout():
    session.clear()
    return "Logged out"
`;

const CART_TRAP = `
@app.route("/cart/add")
def cart_add():
    item = request.args.get("item", "apple")
    cart = session.setdefault("cart", [])
    cart.append(item)  # mutates the list in place
    return f"cart = {cart!r}"
`;

const CART_FIXED = `
@app.route("/cart/add-fixed")
def cart_add_fixed():
    item = request.args.get("item", "apple")
    cart = session.setdefault("cart", [])
    cart.append(item)
    session.modified = True  # tell Flask the session changed
    return f"cart = {cart!r}"
`;

/** The dev key every preset signs with, unless it has none on purpose. */
export const SECRET_KEY = 'dev';
/** The short lifetime of the `expired` preset, in seconds. */
export const SHORT_LIFETIME = 120;

export const PRESETS: Record<PresetId, Preset> = {
  login: { id: 'login', config: {}, path: '/login', python: APP + LOGIN, scenario: [{ send: '/login' }] },
  read: { id: 'read', config: {}, path: '/who', python: APP + LOGIN + WHO, scenario: [{ send: '/login' }, { send: '/who' }] },
  permanent: {
    id: 'permanent',
    config: {},
    path: '/who',
    python: APP + REMEMBER + WHO,
    scenario: [{ send: '/remember' }, { advance: 24 * 3600 }, { send: '/who' }],
  },
  logout: { id: 'logout', config: {}, path: '/logout', python: APP + LOGIN + LOGOUT, scenario: [{ send: '/login' }, { send: '/logout' }] },
  'cart-trap': {
    id: 'cart-trap',
    config: {},
    path: '/cart/add?item=pear',
    python: APP + CART_TRAP,
    scenario: [{ send: '/cart/add?item=apple' }, { send: '/cart/add?item=pear' }],
  },
  'cart-fixed': {
    id: 'cart-fixed',
    config: {},
    path: '/cart/add-fixed?item=pear',
    python: APP + CART_FIXED,
    scenario: [{ send: '/cart/add-fixed?item=apple' }, { send: '/cart/add-fixed?item=pear' }],
  },
  'no-secret': {
    id: 'no-secret',
    config: { SECRET_KEY: null },
    path: '/login',
    python: APP.replace('app.secret_key = "dev"\n', '# no secret_key set\n') + LOGIN + WHO,
    scenario: [{ send: '/login' }],
  },
  tampered: {
    id: 'tampered',
    config: {},
    path: '/who',
    python: APP + LOGIN + WHO,
    scenario: [{ send: '/login' }, { tamper: true }, { send: '/who' }],
  },
  expired: {
    id: 'expired',
    config: { PERMANENT_SESSION_LIFETIME: SHORT_LIFETIME },
    path: '/who',
    python: APP + `app.config["PERMANENT_SESSION_LIFETIME"] = ${SHORT_LIFETIME}  # seconds\n` + LOGIN + WHO,
    scenario: [{ send: '/login' }, { advance: 3600 }, { send: '/who' }],
  },
};

/** True when `id` names a preset. */
export function isPresetId(id: unknown): id is PresetId {
  return typeof id === 'string' && (PRESET_IDS as readonly string[]).includes(id);
}

/** The views of every preset, registered on one app so the address bar can reach any of them. */
export function registerViews(app: Flask): Flask {
  const login: View = ({ session }) => {
    session.set('user', 'alice');
    return 'Logged in as alice';
  };
  const who: View = ({ session }) => {
    const user = session.get('user');
    return user ? `Hello, ${typeof user === 'string' ? user : pyRepr(user)}` : 'Hello, stranger';
  };
  const remember: View = ({ session }) => {
    session.permanent = true;
    session.set('user', 'alice');
    return 'Logged in as alice, permanently';
  };
  const logout: View = ({ session }) => {
    session.clear();
    return 'Logged out';
  };
  const cartAdd = (markModified: boolean): View => ({ session, request }) => {
    const item = request.args.get('item') ?? 'apple';
    const cart = session.setdefault('cart', []) as PyValue[];
    cart.push(item);
    if (markModified) session.modified = true;
    return `cart = ${pyRepr(cart)}`;
  };
  return app
    .route('/login', login, { endpoint: 'login' })
    .route('/who', who, { endpoint: 'who' })
    .route('/remember', remember, { endpoint: 'remember' })
    .route('/logout', logout, { endpoint: 'logout' })
    .route('/cart/add', cartAdd(false), { endpoint: 'cart_add' })
    .route('/cart/add-fixed', cartAdd(true), { endpoint: 'cart_add_fixed' });
}
