// The demo app's routes as data: the route list the app prints at its root (demo-apps.ts) and the request buttons of
// the Redis view (src/components/redis-view/) are both made from this one list. demo-apps.ts registers a handler for
// each path here, and tests/server/demo-apps.test.ts checks that every one answers.

export interface DemoRoute {
  path: string;
  /** The query the route reads, with placeholders in capitals (`key=K&value=V`); '' for none. */
  query: string;
  /** What it does, as the route list says it. */
  what: string;
  /** A second line of `what`, indented under it. */
  more?: string;
  group: 'playground' | 'blog';
  /**
   * Whether the Redis view offers it as a button, and which of its fields it fills the query from: `kv` key and value,
   * `k` the key, `none` no query (the route's defaults apply).
   */
  button?: 'kv' | 'k' | 'none';
}

export const DEMO_ROUTES: readonly DemoRoute[] = [
  { group: 'playground', path: '/set', query: 'key=K&value=V', what: 'store a string in the session, answers "ok"', button: 'kv' },
  {
    group: 'playground',
    path: '/set',
    query: 'key=K&tagged=T',
    what: "store one value of any type, given as Flask's tagged JSON",
    more: '(e.g. 2.0, [1,"a"], {" b":"AAEC/w=="}, {" d":"Mon, 01 Jan 2024 00:00:00 GMT"})',
  },
  { group: 'playground', path: '/get', query: 'key=K', what: 'the value, or 404 "missing"', button: 'k' },
  { group: 'playground', path: '/dump', query: '', what: "the whole session as Flask's tagged JSON" },
  { group: 'playground', path: '/clear', query: '', what: 'empty the session', button: 'none' },
  { group: 'blog', path: '/login', query: 'user=NAME', what: 'log in (default user: alex), then redirect to /index', button: 'none' },
  { group: 'blog', path: '/index', query: '', what: 'who is logged in', button: 'none' },
  { group: 'blog', path: '/logout', query: '', what: 'log out, then redirect to /index', button: 'none' },
];

/** `GET /set?key=K&value=V`, under `prefix`. */
export function routeLine(r: DemoRoute, prefix = ''): string {
  return `GET ${prefix}${r.path}${r.query ? `?${r.query}` : ''}`;
}

/** The Redis view's buttons: the path it requests, its label (`GET /get?key=…`), and the fields it reads. */
export function viewButtons(): { url: string; label: string; needs: 'kv' | 'k' | '' }[] {
  return DEMO_ROUTES.filter((r) => r.button).map((r) => {
    const needs = r.button === 'none' ? '' : r.button!;
    const query = needs ? `?${r.query.replace(/=[A-Z]+/g, '=…')}` : '';
    return { url: r.path, label: `GET ${r.path}${query}`, needs };
  });
}
