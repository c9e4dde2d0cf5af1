// The demo applications a learner can hit with a real browser or curl: the playground (set, get,
// dump, clear) and the login / index / logout app the blog posts use. Both run on any session
// interface, so the same routes show the signed cookie, the custom interface and Redis.
import type { Flask } from '../engine/flask/app.ts';
import { sessionJsonSerializer } from '../engine/flask/json/tag.ts';
import { pyStr } from '../engine/python/repr.ts';
import { Response } from '../engine/flask/wrappers.ts';
import type { PyValue } from '../engine/python/values.ts';
import { DEMO_ROUTES, routeLine, type DemoRoute } from './demo-routes.ts';

function text(body: string, status = 200): Response {
  return new Response(body, status, [['Content-Type', 'text/plain; charset=utf-8']]);
}

function redirect(location: string): Response {
  const r = new Response(`Redirecting to ${location}\n`, 302, [['Content-Type', 'text/plain; charset=utf-8']]);
  r.headers.push(['Location', location]);
  return r;
}

/** A page listing the routes, so a learner who opens the root knows what to try. */
function index(prefix: string, iface: string, note: string | null): string {
  const group = (g: DemoRoute['group']) =>
    DEMO_ROUTES.filter((r) => r.group === g).flatMap((r) => {
      const head = `  ${routeLine(r, prefix).padEnd(23 + prefix.length)}  `;
      return r.more ? [head + r.what, ' '.repeat(head.length) + r.more] : [head + r.what];
    });
  return [
    `Flask Session Lab demo app (session interface: ${iface})`,
    '',
    ...(note ? [note, ''] : []),
    'Playground:',
    ...group('playground'),
    '',
    'The app from the blog posts:',
    ...group('blog'),
    '',
  ].join('\n');
}

/** One value from Flask's tagged JSON (`session_json_serializer.loads`), or why it is not one. */
export function parseTagged(tagged: string): { value: PyValue } | { error: string } {
  try {
    return { value: sessionJsonSerializer.loads(tagged) };
  } catch (e) {
    return { error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
}

/**
 * Adds the playground and the classic login app to `app`. `prefix` is where the app is mounted
 * (used only in redirects and in the route list), e.g. `/live/cookie`; `note`, when given, is shown on the route list.
 */
export function addDemoRoutes(app: Flask, prefix = '', interfaceName = 'cookie', note: string | null = null): Flask {
  return app
    .route('/', () => text(index(prefix, interfaceName, note)))
    .route('/set', ({ request, session }) => {
      const key = request.args.get('key');
      if (!key) return text('missing query parameter: key\n', 400);
      const tagged = request.args.get('tagged');
      if (tagged === null) {
        session.set(key, request.args.get('value') ?? '');
        return text('ok');
      }
      if (request.args.get('value') !== null) return text('give value or tagged, not both\n', 400);
      const parsed = parseTagged(tagged);
      if ('error' in parsed) return text(`tagged is not Flask's tagged JSON: ${parsed.error}\n`, 400);
      session.set(key, parsed.value);
      return text('ok');
    })
    .route('/get', ({ request, session }) => {
      const key = request.args.get('key');
      if (!key) return text('missing query parameter: key\n', 400);
      if (!session.has(key)) return text('missing', 404);
      return text(pyStr(session.getItem(key)));
    })
    .route('/dump', ({ session }) => text(sessionJsonSerializer.dumps(session.toDict(), { sortKeys: true })))
    .route('/clear', ({ session }) => (session.clear(), text('ok')))
    .route('/login', ({ request, session }) => {
      session.set('username', request.args.get('user') || 'alex');
      return redirect(`${prefix}/index`);
    })
    .route('/index', ({ session }) => {
      const name = session.get('username');
      return text(name === null ? 'You are not logged in' : `Logged in as ${pyStr(name)}`);
    })
    .route('/logout', ({ session }) => {
      session.pop('username', null);
      return redirect(`${prefix}/index`);
    });
}
