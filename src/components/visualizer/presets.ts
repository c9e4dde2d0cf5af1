// The visualizer's presets. Each preset is one small Flask app, written twice: the Python a learner reads,
// and the same views on the engine's Flask. The app a preset runs has exactly the routes and hooks its
// listing shows, nothing more, so a path the listing lacks answers 404 as the real app would. A preset also
// names the requests that bring the simulated browser to its teaching moment.
import type { ViewContext, ViewResult } from '../../engine/flask/app.ts';
import type { FlaskConfig } from '../../engine/flask/sessions.ts';
import { Response } from '../../engine/flask/wrappers.ts';
import type { PyValue } from '../../engine/python/values.ts';
import { pyRepr } from '../../engine/python/repr.ts';

/** The names a lesson passes as `<Visualizer preset="…" />`. */
export const PRESET_IDS = [
  'login',
  'read',
  'permanent',
  'logout',
  'cart-trap',
  'cart-fixed',
  'no-secret',
  'tampered',
  'expired',
  'dict-cart-broken',
  'dict-cart-fixed',
  'lifecycle',
  'cookies',
] as const;
export type PresetId = (typeof PRESET_IDS)[number];

/** The presets the playground (and a visualizer given no list) offers. */
export const PLAYGROUND_PRESETS: readonly PresetId[] = ['login', 'read', 'permanent', 'logout', 'cart-trap', 'cart-fixed', 'no-secret', 'tampered', 'expired'];

/** One thing the simulated browser does while a preset sets the scene. */
export type Action = { send: string } | { tamper: true } | { advance: number };

/** Builds a response whose Max-Age → Expires uses the lab clock. */
export type Respond = (body: string, status?: number) => Response;

/** One route: a Werkzeug rule (`/login/<name>`, `/docs/<path:page>`) and its view. */
export interface RouteDef {
  rule: string;
  /** The Python function name (Flask's endpoint). */
  endpoint: string;
  methods?: string[];
  view: (ctx: ViewContext, args: Record<string, string>, respond: Respond) => ViewResult;
}

/** An `@app.after_request` function. */
export interface HookDef {
  name: string;
  fn: (response: Response) => Response;
}

export interface AppDef {
  config: Partial<FlaskConfig>;
  routes: RouteDef[];
  after?: HookDef[];
}

export interface Preset {
  id: PresetId;
  app: AppDef;
  /** The path the address bar shows once the scene is set. */
  path: string;
  /**
   * The Python a learner reads beside the trace: the listing itself, or an example file of the course
   * (`examples/python/…`) that Visualizer.astro shows up to `until` (the app part of the file).
   */
  python: string | { file: string; until?: string };
  /** Run in order when the preset is selected; the last request is the one shown first. */
  scenario: Action[];
  /** Requests offered as one-click suggestions for the address bar. */
  examples?: string[];
}

// ---------------------------------------------------------------------------------------------------
// The playground's app, one view per preset listing.

const APP = `from flask import Flask, request, session

app = Flask(__name__)
app.secret_key = "dev"
`;

const LOGIN_PY = `
@app.route("/login")
def login():
    session["user"] = "alice"
    return "Logged in as alice"
`;

const WHO_PY = `
@app.route("/who")
def who():
    user = session.get("user")
    return f"Hello, {user}" if user else "Hello, stranger"
`;

const REMEMBER_PY = `
@app.route("/remember")
def remember():
    session.permanent = True
    session["user"] = "alice"
    return "Logged in as alice, permanently"
`;

const LOGOUT_PY = `
@app.route("/logout")
def logout():
    session.clear()
    return "Logged out"
`;

const CART_TRAP_PY = `
@app.route("/cart/add")
def cart_add():
    item = request.args.get("item", "apple")
    cart = session.setdefault("cart", [])
    cart.append(item)  # mutates the list in place
    return f"cart = {cart!r}"
`;

const CART_FIXED_PY = `
@app.route("/cart/add-fixed")
def cart_add_fixed():
    item = request.args.get("item", "apple")
    cart = session.setdefault("cart", [])
    cart.append(item)
    session.modified = True  # tell Flask the session changed
    return f"cart = {cart!r}"
`;

/** The dev key the playground signs with, unless a preset has none on purpose. */
export const SECRET_KEY = 'dev';
/** The short lifetime of the `expired` preset, in seconds. */
export const SHORT_LIFETIME = 120;

const login: RouteDef = {
  rule: '/login',
  endpoint: 'login',
  view: ({ session }) => {
    session.set('user', 'alice');
    return 'Logged in as alice';
  },
};
const who: RouteDef = {
  rule: '/who',
  endpoint: 'who',
  view: ({ session }) => {
    const user = session.get('user');
    return user ? `Hello, ${typeof user === 'string' ? user : pyRepr(user)}` : 'Hello, stranger';
  },
};
const remember: RouteDef = {
  rule: '/remember',
  endpoint: 'remember',
  view: ({ session }) => {
    session.permanent = true;
    session.set('user', 'alice');
    return 'Logged in as alice, permanently';
  },
};
const logout: RouteDef = {
  rule: '/logout',
  endpoint: 'logout',
  view: ({ session }) => {
    session.clear();
    return 'Logged out';
  },
};
const cartAdd = (rule: string, endpoint: string, markModified: boolean): RouteDef => ({
  rule,
  endpoint,
  view: ({ session, request }) => {
    const item = request.args.get('item') ?? 'apple';
    const cart = session.setdefault('cart', []) as PyValue[];
    cart.push(item);
    if (markModified) session.modified = true;
    return `cart = ${pyRepr(cart)}`;
  },
});

const demo = (routes: RouteDef[], config: Partial<FlaskConfig> = {}): AppDef => ({ config: { SECRET_KEY, ...config }, routes });

// ---------------------------------------------------------------------------------------------------
// Lesson 2: examples/python/session_dict.py, route for route.

const names = (v: PyValue): string[] => (Array.isArray(v) ? v.map(String) : []);
const dictAdd = (rule: string, endpoint: string, markModified: boolean): RouteDef => ({
  rule,
  endpoint,
  view: ({ session }, { item }) => {
    if (!session.has('cart')) session.set('cart', []);
    (session.getItem('cart') as PyValue[]).push(item!); // the list the session holds, changed in place
    if (markModified) session.modified = true;
    return names(session.getItem('cart')).join(', ');
  },
});

/** examples/python/session_dict.py on the engine. */
export const SESSION_DICT_APP: AppDef = {
  config: { SECRET_KEY: 'change-me-to-a-long-random-value', PERMANENT_SESSION_LIFETIME: 2 * 3600 },
  routes: [
    {
      rule: '/login/<name>',
      endpoint: 'login',
      view: ({ session }, { name }) => {
        session.set('user', name!);
        return `hello ${name}`;
      },
    },
    { rule: '/whoami', endpoint: 'whoami', view: ({ session }) => String(session.get('user', 'nobody')) },
    {
      rule: '/remember-me',
      endpoint: 'remember_me',
      view: ({ session }) => {
        session.permanent = true;
        return 'this session now lasts two hours';
      },
    },
    {
      rule: '/logout',
      endpoint: 'logout',
      view: ({ session }) => {
        session.pop('user', null);
        return 'bye';
      },
    },
    {
      rule: '/reset',
      endpoint: 'reset',
      view: ({ session }) => {
        session.clear();
        return 'everything forgotten';
      },
    },
    { rule: '/cart', endpoint: 'cart', view: ({ session }) => names(session.get('cart', [])).join(', ') || 'empty' },
    dictAdd('/cart/add-broken/<item>', 'add_broken', false),
    dictAdd('/cart/add/<item>', 'add', true),
  ],
};

// ---------------------------------------------------------------------------------------------------
// Lesson 3: the app part of examples/python/inside_cookie.py.

/** The app of examples/python/inside_cookie.py on the engine. */
const INSIDE_COOKIE_APP: AppDef = {
  config: { SECRET_KEY: 'dev' },
  routes: [
    {
      rule: '/login',
      endpoint: 'login',
      view: ({ session }) => {
        session.set('user', 'alice');
        return 'logged in';
      },
    },
    { rule: '/whoami', endpoint: 'whoami', view: ({ session }) => String(session.get('user', 'nobody')) },
  ],
  after: [
    {
      name: 'add_header',
      fn: (response) => {
        response.headers = response.headers.filter(([k]) => k.toLowerCase() !== 'x-frame-options');
        response.headers.push(['X-Frame-Options', 'DENY']);
        return response;
      },
    },
  ],
};

// ---------------------------------------------------------------------------------------------------
// Lesson 1: plain cookies, with every attribute under the learner's control.

/** The cookie experiment's Flask app, as the learner reads it. */
const COOKIES_PY = `from flask import Flask, make_response, request

app = Flask(__name__)


@app.route("/prefs")
def prefs():
    # /prefs?theme=dark&path=/docs&max_age=60&secure&httponly&samesite=Strict
    a = request.args
    resp = make_response("saved")
    for name in ("theme", "lang"):
        if name in a:
            resp.set_cookie(
                name,
                a[name],
                max_age=a.get("max_age", type=int),
                expires=a.get("expires", type=int),  # Unix time
                path=a.get("path", "/"),
                secure="secure" in a,
                httponly="httponly" in a,
                samesite=a.get("samesite"),
            )
    return resp


@app.route("/", methods=["GET", "POST"])
@app.route("/docs/<path:page>", methods=["GET", "POST"])
def show(page=None):
    # What the browser sent back: only name=value pairs.
    theme = request.cookies.get("theme")
    lang = request.cookies.get("lang")
    return f"theme={theme} lang={lang}"
`;

/** `a.get(k, type=int)`: the int, or null when missing or not an int (Werkzeug swallows the ValueError). */
function intArg(args: URLSearchParams, key: string): number | null {
  const v = args.get(key);
  if (v === null) return null;
  const t = v.trim();
  // Python's int(): optional sign, digits, underscores between digits; surrounding whitespace allowed.
  return /^[+-]?\d+(?:_\d+)*$/.test(t) ? Number(t.replace(/_/g, '')) : null;
}

const show: RouteDef['view'] = ({ request }) => {
  const theme = request.cookies.get('theme') ?? 'None';
  const lang = request.cookies.get('lang') ?? 'None';
  return `theme=${theme} lang=${lang}`;
};

/** The cookie experiment on the engine: Werkzeug's dump_cookie (the engine's dumpCookie) writes each Set-Cookie. */
const COOKIES_APP: AppDef = {
  config: {},
  routes: [
    {
      rule: '/prefs',
      endpoint: 'prefs',
      view: ({ request }, _args, respond) => {
        const a = request.args;
        const resp = respond('saved');
        for (const name of ['theme', 'lang']) {
          if (!a.has(name)) continue;
          resp.setCookie(name, a.get(name)!, {
            maxAge: intArg(a, 'max_age'),
            expires: intArg(a, 'expires'),
            path: a.get('path') ?? '/',
            secure: a.has('secure'),
            httponly: a.has('httponly'),
            samesite: a.get('samesite'),
          });
        }
        return resp;
      },
    },
    { rule: '/', endpoint: 'show', methods: ['GET', 'POST'], view: show },
    { rule: '/docs/<path:page>', endpoint: 'show', methods: ['GET', 'POST'], view: show },
  ],
};

// ---------------------------------------------------------------------------------------------------

export const PRESETS: Record<PresetId, Preset> = {
  login: { id: 'login', app: demo([login]), path: '/login', python: APP + LOGIN_PY, scenario: [{ send: '/login' }] },
  read: { id: 'read', app: demo([login, who]), path: '/who', python: APP + LOGIN_PY + WHO_PY, scenario: [{ send: '/login' }, { send: '/who' }] },
  permanent: {
    id: 'permanent',
    app: demo([remember, who]),
    path: '/who',
    python: APP + REMEMBER_PY + WHO_PY,
    scenario: [{ send: '/remember' }, { advance: 24 * 3600 }, { send: '/who' }],
  },
  logout: { id: 'logout', app: demo([login, logout]), path: '/logout', python: APP + LOGIN_PY + LOGOUT_PY, scenario: [{ send: '/login' }, { send: '/logout' }] },
  'cart-trap': {
    id: 'cart-trap',
    app: demo([cartAdd('/cart/add', 'cart_add', false)]),
    path: '/cart/add?item=pear',
    python: APP + CART_TRAP_PY,
    scenario: [{ send: '/cart/add?item=apple' }, { send: '/cart/add?item=pear' }],
  },
  'cart-fixed': {
    id: 'cart-fixed',
    app: demo([cartAdd('/cart/add-fixed', 'cart_add_fixed', true)]),
    path: '/cart/add-fixed?item=pear',
    python: APP + CART_FIXED_PY,
    scenario: [{ send: '/cart/add-fixed?item=apple' }, { send: '/cart/add-fixed?item=pear' }],
  },
  'no-secret': {
    id: 'no-secret',
    app: demo([login, who], { SECRET_KEY: null }),
    path: '/login',
    python: APP.replace('app.secret_key = "dev"\n', '# no secret_key set\n') + LOGIN_PY + WHO_PY,
    scenario: [{ send: '/login' }],
  },
  tampered: { id: 'tampered', app: demo([login, who]), path: '/who', python: APP + LOGIN_PY + WHO_PY, scenario: [{ send: '/login' }, { tamper: true }, { send: '/who' }] },
  expired: {
    id: 'expired',
    app: demo([login, who], { PERMANENT_SESSION_LIFETIME: SHORT_LIFETIME }),
    path: '/who',
    python: APP + `app.config["PERMANENT_SESSION_LIFETIME"] = ${SHORT_LIFETIME}  # seconds\n` + LOGIN_PY + WHO_PY,
    scenario: [{ send: '/login' }, { advance: 3600 }, { send: '/who' }],
  },
  'dict-cart-broken': {
    id: 'dict-cart-broken',
    app: SESSION_DICT_APP,
    path: '/cart',
    python: { file: 'session_dict.py' },
    scenario: [{ send: '/cart/add-broken/apple' }, { send: '/cart/add-broken/pear' }],
  },
  'dict-cart-fixed': {
    id: 'dict-cart-fixed',
    app: SESSION_DICT_APP,
    path: '/cart',
    python: { file: 'session_dict.py' },
    scenario: [{ send: '/cart/add/apple' }, { send: '/cart/add/pear' }],
  },
  lifecycle: {
    id: 'lifecycle',
    app: INSIDE_COOKIE_APP,
    path: '/whoami',
    python: { file: 'inside_cookie.py', until: '\ndef peek(' },
    scenario: [{ send: '/login' }, { send: '/whoami' }],
  },
  cookies: {
    id: 'cookies',
    app: COOKIES_APP,
    path: '/docs/intro',
    python: COOKIES_PY,
    scenario: [{ send: '/prefs?theme=dark' }, { send: '/prefs?lang=zh-CN&path=/docs&max_age=3600&secure&httponly&samesite=Lax' }, { send: '/docs/intro' }],
    examples: [
      '/',
      '/docs/intro',
      '/prefs?theme=dark&path=/docs',
      '/prefs?lang=en&max_age=60',
      '/prefs?theme=dark&secure&samesite=Strict',
      '/prefs?theme=light&samesite=None',
      '/prefs?lang=zh-CN&expires=1700003600&httponly',
      '/prefs?theme=dark&max_age=0',
    ],
  },
};

/** True when `id` names a preset. */
export function isPresetId(id: unknown): id is PresetId {
  return typeof id === 'string' && (PRESET_IDS as readonly string[]).includes(id);
}

/** Compiles a Werkzeug rule to a regular expression with named groups (`string` and `path` converters). */
function compileRule(rule: string): RegExp {
  const source = rule.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/<(?:(\w+):)?(\w+)>/g, (_m, conv: string | undefined, name: string) => (conv === 'path' ? `(?<${name}>[^/].*?)` : `(?<${name}>[^/]+)`));
  return new RegExp(`^${source}$`);
}

/** The route of `app` that `path` matches, with its arguments; null for a 404. */
export function matchRoute(app: AppDef, path: string): { route: RouteDef; args: Record<string, string> } | null {
  for (const route of app.routes) {
    const m = compileRule(route.rule).exec(path);
    if (m) return { route, args: { ...(m.groups ?? {}) } };
  }
  return null;
}

/**
 * The presets a visualizer offers and the one it opens on, from its props: `presets` when given, else the
 * playground's (or only `preset` when that is not one of them); `preset` defaults to the first offered. Throws on
 * an unknown id or a `preset` that is not offered, so a typo fails the build.
 */
export function choosePresets(preset: PresetId | undefined, presets: PresetId[] | undefined): { offered: PresetId[]; preset: PresetId } {
  const offered: PresetId[] = presets ?? (preset && !PLAYGROUND_PRESETS.includes(preset) ? [preset] : [...PLAYGROUND_PRESETS]);
  for (const p of [preset, ...offered]) {
    if (p !== undefined && !isPresetId(p)) throw new Error(`Visualizer: unknown preset "${p}"; expected one of ${PRESET_IDS.join(', ')}`);
  }
  const chosen = preset ?? offered[0]!;
  if (!offered.includes(chosen)) throw new Error(`Visualizer: preset "${chosen}" is not among the offered presets ${offered.join(', ')}`);
  return { offered, preset: chosen };
}
