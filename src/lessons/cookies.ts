// Build-time demos for the lesson "HTTP forgets; cookies remember": the engine's Flask app and
// Werkzeug cookie helpers produce every header the lesson prints.
import { Flask, type ViewContext } from '../engine/flask/app.ts';
import { Response } from '../engine/flask/wrappers.ts';
import { dumpCookie, parseCookie, type CookieOptions } from '../engine/werkzeug/http.ts';
import { Clock, DEMO_TIME, send, type ExchangeView } from './exchange.ts';

/** The app of examples/python/cookies.py, rebuilt on the engine. */
function cookiesApp(clock = new Clock()): Flask {
  const app = new Flask({ now: clock.now });
  const respond = (body: string): Response => {
    const r = new Response(body);
    r.now = clock.now; // Max-Age → Expires uses the app clock, so the build output is stable
    return r;
  };
  app.route('/', ({ request }: ViewContext) => `theme: ${request.cookies.get('theme') ?? 'light'}`);
  app.route('/theme/dark', () => {
    const r = respond('theme set to dark');
    r.setCookie('theme', 'dark');
    return r;
  });
  app.route('/remember-language/zh-CN', () => {
    const r = respond('language set to zh-CN');
    r.setCookie('lang', 'zh-CN', { maxAge: 30 * 24 * 3600, path: '/', secure: true, httponly: true, samesite: 'Lax' });
    return r;
  });
  app.route('/forget', () => {
    const r = respond('forgotten');
    r.deleteCookie('theme');
    return r;
  });
  return app;
}

/** The browser's round trip through examples/python/cookies.py. */
export async function cookieRoundTrip(): Promise<ExchangeView[]> {
  const client = cookiesApp().testClient();
  const out: ExchangeView[] = [];
  for (const url of ['/', '/theme/dark', '/', '/remember-language/zh-CN', '/', '/forget', '/']) out.push(await send(client, url));
  return out;
}

/** One row of the attribute table: the options given to `set_cookie` and the header Werkzeug writes. */
export interface AttributeExample {
  attribute: string;
  python: string;
  header: string;
}

/** The `attribute` of the table's first row, a cookie with no attribute; each page prints it in its language. */
export const NO_ATTRIBUTE = '(none)';

const ATTRIBUTE_EXAMPLES: [string, string, CookieOptions][] = [
  [NO_ATTRIBUTE, 'set_cookie("theme", "dark")', {}],
  ['Expires', 'set_cookie("theme", "dark", expires=datetime(2030, 1, 1, tzinfo=timezone.utc))', { expires: new Date(Date.UTC(2030, 0, 1)) }],
  ['Max-Age', 'set_cookie("theme", "dark", max_age=3600)', { maxAge: 3600 }],
  ['Path', 'set_cookie("theme", "dark", path="/admin")', { path: '/admin' }],
  ['Domain', 'set_cookie("theme", "dark", domain="example.com")', { domain: 'example.com' }],
  ['Secure', 'set_cookie("theme", "dark", secure=True)', { secure: true }],
  ['HttpOnly', 'set_cookie("theme", "dark", httponly=True)', { httponly: true }],
  ['SameSite', 'set_cookie("theme", "dark", samesite="Lax")', { samesite: 'Lax' }],
  ['Partitioned', 'set_cookie("theme", "dark", samesite="None", partitioned=True)', { samesite: 'None', partitioned: true }],
];

/** Each cookie attribute on its own, as Werkzeug's `dump_cookie` writes it (at the demo time). */
export function attributeExamples(): AttributeExample[] {
  return ATTRIBUTE_EXAMPLES.map(([attribute, python, options]) => ({
    attribute,
    python,
    header: dumpCookie('theme', 'dark', options, () => DEMO_TIME).header,
  }));
}

/** What the server reads out of a Cookie header where a name repeats. */
export function parseCookieExample(header = 'theme=dark; lang=zh-CN; theme=light'): { header: string; parsed: [string, string][] } {
  return { header, parsed: [...parseCookie(header).entries()] };
}

/** The session cookie's Set-Cookie with Flask's defaults, and with every SESSION_COOKIE_* setting changed. */
export async function sessionCookieSettings(): Promise<{ defaults: string; configured: string; partitioned: string }> {
  const login = (app: Flask) =>
    app.route('/login', ({ session }) => {
      session.set('user', 'alice');
      session.permanent = true;
      return 'ok';
    });
  const firstCookie = async (config: ConstructorParameters<typeof Flask>[0]): Promise<string> => {
    const app = new Flask({ ...config, now: () => DEMO_TIME });
    login(app);
    const x = await send(app.testClient(), '/login');
    const h = x.responseHeaders.find(([k]) => k === 'Set-Cookie');
    if (!h) throw new Error('no Set-Cookie');
    return h[1];
  };
  return {
    defaults: await firstCookie({ config: { SECRET_KEY: 'dev' } }),
    configured: await firstCookie({
      config: {
        SECRET_KEY: 'dev',
        SESSION_COOKIE_NAME: 'sid',
        SESSION_COOKIE_DOMAIN: 'example.com',
        SESSION_COOKIE_PATH: '/app',
        SESSION_COOKIE_SECURE: true,
        SESSION_COOKIE_HTTPONLY: false,
        SESSION_COOKIE_SAMESITE: 'Lax',
      },
    }),
    partitioned: await firstCookie({ config: { SECRET_KEY: 'dev', SESSION_COOKIE_PARTITIONED: true, SESSION_COOKIE_SAMESITE: 'None' } }),
  };
}
