// Build time only: the lesson listings that get a "Run on real Flask" block, and how each is driven. For every
// listing that defines a Flask app there is either a drive (the Python requests the real Flask is sent in the page,
// and the engine's answers to the same requests, computed when the page is built) or a plain reason why the page
// cannot run it. tests/components/run-flask-drives.test.ts fails for a lesson listing with `Flask(` that has
// neither, and runs every drive on the real Flask in Node.
import { Flask } from '../../engine/flask/app.ts';
import { FixedSessionInterface } from '../../engine/flask_session/custom.ts';
import type { ExchangeView } from '../../lessons/exchange.ts';
import { Clock, cookieValue, send, sendAll } from '../../lessons/exchange.ts';
import { cookieRoundTrip } from '../../lessons/cookies.ts';
import { lifecycle } from '../../lessons/inside-the-cookie.ts';
import { sessionDictApp } from '../../lessons/session-dict.ts';
import { rotation } from '../../lessons/attacks.ts';
import { customApp, tutorialInterface } from '../../lessons/custom-interface.ts';
import { memoryStore, seededBytes } from '../../lessons/demo-common.ts';

export interface Drive {
  /** The engine's exchanges, in the order the Python below makes the same requests. */
  engine(): Promise<ExchangeView[]>;
  /** Python run after the listing, in its module (`app` is the listing's app): the requests, through Flask's own test client. */
  python: string;
  /** Python run before the listing: values it reads from the environment, fakeredis in place of a Redis server. */
  before?: string;
  /** Other listings the file imports by module name (`fixed_session_interface`), loaded first as those modules. */
  imports?: string[];
  /** Said on the block: what stands in for something the page cannot reach. */
  standIn?: 'fakeredis';
}

/** Why a listing that defines a Flask app has no Run button: said plainly on the page instead. */
export type NotRunnable = 'flask-session';

/** The usual drive: GET each path in turn with one test client (one cookie jar). */
function gets(urls: string[]): string {
  return `_page_client = app.test_client()\nfor _page_url in ${JSON.stringify(urls)}:\n    _page_client.get(_page_url)\n`;
}

/**
 * fakeredis in place of a Redis server for a listing that calls Redis.from_url (and RedisCluster.from_url): one
 * in-memory server per run. The driver's `RESTORE_REDIS` puts the real methods back.
 */
const FAKE_REDIS = `import fakeredis as _page_fakeredis
import redis as _page_redis
import redis.cluster as _page_redis_cluster
_page_from_url = (_page_redis.Redis.__dict__["from_url"], _page_redis_cluster.RedisCluster.__dict__["from_url"])
_page_redis.Redis.from_url = classmethod(lambda cls, url, **kwargs: _page_fakeredis.FakeRedis())
_page_redis_cluster.RedisCluster.from_url = classmethod(lambda cls, url, **kwargs: _page_fakeredis.FakeRedis())
`;
const RESTORE_REDIS = `_page_redis.Redis.from_url, _page_redis_cluster.RedisCluster.from_url = _page_from_url\n`;

/** The engine's FixedSessionInterface app of fixed_session_interface.py (key from its default, "change-me"). */
function fixedApp(clock = new Clock()): Flask {
  return customApp(new FixedSessionInterface({ store: memoryStore(clock.now), randomBytes: seededBytes(41) }), clock, 'change-me');
}

const SESSION_DICT_URLS = ['/whoami', '/login/alice', '/whoami', '/cart/add-broken/apple', '/cart/add-broken/pear', '/cart', '/cart/add/pear', '/cart', '/logout', '/whoami', '/reset'];
const TOO_BIG_URLS = ['/read-unbounded/a1', '/read-unbounded/a2', '/read-unbounded/a3', '/read/a4'];
const CUSTOM_URLS = ['/hello', '/count', '/count', '/count', '/login', '/who', '/logout', '/who'];
/** secret_key.py reads its key from the environment; the page sets this one first. */
const PAGE_SECRET_KEY = 'a-long-random-value-from-the-environment';

/** By the file's path as lessons title it (`examples/python/…`). */
export const DRIVES: Record<string, Drive> = {
  'examples/python/cookies.py': {
    engine: cookieRoundTrip,
    python: gets(['/', '/theme/dark', '/', '/remember-language/zh-CN', '/', '/forget', '/']),
  },
  'examples/python/inside_cookie.py': {
    engine: async () => {
      const { login, whoami } = await lifecycle();
      return [login, whoami];
    },
    python: gets(['/login', '/whoami']),
  },
  'examples/python/session_dict.py': {
    engine: () => sendAll(sessionDictApp().testClient(), SESSION_DICT_URLS),
    python: gets(SESSION_DICT_URLS),
  },
  'examples/python/secret_key.py': {
    engine: () => {
      const app = new Flask({ config: { SECRET_KEY: PAGE_SECRET_KEY }, now: new Clock().now });
      app.route('/visit', ({ session }) => {
        const visits = Number(session.get('visits', 0)) + 1;
        session.set('visits', visits);
        return String(visits);
      });
      return sendAll(app.testClient(), ['/visit', '/visit', '/visit']);
    },
    before: `import os\nos.environ["FLASK_SECRET_KEY"] = ${JSON.stringify(PAGE_SECRET_KEY)}\n`,
    python: gets(['/visit', '/visit', '/visit']),
  },
  'examples/python/too_big.py': {
    engine: () => {
      const app = new Flask({ config: { SECRET_KEY: 'change-me-to-a-long-random-value' }, now: new Clock().now });
      for (const url of TOO_BIG_URLS) {
        const [, kind, id] = url.split('/');
        app.route(url, ({ session }) => {
          const all = [...(session.get('history', []) as string[]), id!];
          const history = kind === 'read' ? all.slice(-10) : all;
          session.set('history', history);
          return kind === 'read' ? `${history.length} recent articles` : `${history.length} articles read`;
        });
      }
      return sendAll(app.testClient(), TOO_BIG_URLS);
    },
    python: gets(TOO_BIG_URLS),
  },
  'examples/python/revocable.py': {
    engine: async () => {
      const app = new Flask({ config: { SECRET_KEY: 'change-me-to-a-long-random-value' }, now: new Clock().now });
      const generation = new Map<string, number>([['alice', 0]]);
      const currentUser = (session: { get(k: string, d?: unknown): unknown }): string | null => {
        const user = session.get('user', null) as string | null;
        if (user === null || session.get('gen', null) !== (generation.get(user) ?? null)) return null;
        return user;
      };
      app.route('/login/alice', ({ session }) => {
        session.clear();
        session.set('user', 'alice');
        if (!generation.has('alice')) generation.set('alice', 0);
        session.set('gen', generation.get('alice')!);
        return 'hello alice';
      });
      app.route('/whoami', ({ session }) => currentUser(session) ?? 'nobody');
      app.route('/logout', ({ session }) => {
        const user = currentUser(session);
        if (user !== null) generation.set(user, generation.get(user)! + 1);
        session.clear();
        return 'bye';
      });
      const browser = app.testClient();
      const login = await send(browser, '/login/alice');
      const copied = cookieValue(login)!;
      const rest = await sendAll(browser, ['/whoami', '/logout', '/whoami']);
      const replayed = await send(app.testClient(), '/whoami', { headers: [['Cookie', `session=${copied}`]] });
      return [login, ...rest, replayed];
    },
    // The copied cookie is the one this run's login set; a second client replays it after the logout.
    python: `_page_client = app.test_client()
_page_client.get("/login/alice")
_page_copied = _page_client.get_cookie("session").value
for _page_url in ["/whoami", "/logout", "/whoami"]:
    _page_client.get(_page_url)
_page_replay = app.test_client()
_page_replay.set_cookie("session", _page_copied)
_page_replay.get("/whoami")
`,
  },
  'examples/python/key_rotation.py': {
    engine: async () => {
      const { read, write } = await rotation();
      return [read, write];
    },
    // A cookie signed with the old key by Flask's own serializer, as the app signed it before the rotation.
    python: `from flask.sessions import SecureCookieSessionInterface as _PageInterface
_page_old_app = Flask("before_rotation")
_page_old_app.secret_key = "key-2025-a"
_page_old = _PageInterface().get_signing_serializer(_page_old_app).dumps({"user": "alice"})
for _page_url in ["/whoami", "/visit"]:
    _page_client = app.test_client()
    _page_client.set_cookie("session", _page_old)
    _page_client.get(_page_url)
`,
  },
  'examples/python/part2/my_session_interface.py': {
    engine: () => sendAll(customApp(tutorialInterface(43), new Clock()).testClient(), CUSTOM_URLS),
    python: gets(CUSTOM_URLS),
  },
  'examples/python/part2/fixed_session_interface.py': {
    engine: () => sendAll(fixedApp().testClient(), CUSTOM_URLS),
    before: FAKE_REDIS,
    python: gets(CUSTOM_URLS) + RESTORE_REDIS,
    standIn: 'fakeredis',
  },
  'examples/python/part2/cluster_sessions.py': {
    engine: () => {
      const clock = new Clock();
      const app = new Flask({ config: { SECRET_KEY: 'change-me' }, now: clock.now, sessionInterface: new FixedSessionInterface({ store: memoryStore(clock.now), randomBytes: seededBytes(47) }) });
      app.route('/login/alice', ({ session }) => {
        session.set('user', 'alice');
        return 'logged in as alice';
      });
      app.route('/who', ({ session }) => String(session.get('user', 'nobody')));
      return sendAll(app.testClient(), ['/who', '/login/alice', '/who']);
    },
    before: FAKE_REDIS,
    imports: ['examples/python/part2/fixed_session_interface.py'],
    python: `${gets(['/who', '/login/alice', '/who'])}${RESTORE_REDIS}_page_sys.modules.pop("fixed_session_interface", None)\n`,
    standIn: 'fakeredis',
  },
};

/** Listings the page cannot run, and why (each is run on the real libraries by the tests; see tests/lessons/part2-python.test.ts). */
export const NOT_RUNNABLE: Record<string, NotRunnable> = {
  'examples/python/part2/flask_session_redis.py': 'flask-session',
  'examples/python/part2/login_regenerate.py': 'flask-session',
};

/** The path and query of an exchange's URL (the engine may record it absolute). */
export function pathOf(url: string): string {
  const u = new URL(url, 'http://localhost');
  return `${u.pathname}${u.search}`;
}

/**
 * The Python that runs in the page: what the drive sets up (and the listings the file imports, as modules), the
 * file as the lesson shows it, then the drive's requests. `read` gives a listing's text by its path.
 */
export function drivenSnippet(code: string, drive: Pick<Drive, 'before' | 'python' | 'imports'>, read: (file: string) => string = () => ''): string {
  const modules = (drive.imports ?? []).map((file) => {
    const name = file.split('/').pop()!.replace(/\.py$/, '');
    return `_page_module("${name}", ${JSON.stringify(read(file))})\n`;
  });
  const loader = modules.length
    ? `import sys as _page_sys, types as _page_types\ndef _page_module(name, source):\n    module = _page_types.ModuleType(name)\n    module.__file__ = name + ".py"\n    _page_sys.modules[name] = module\n    exec(compile(source, name + ".py", "exec"), module.__dict__)\n${modules.join('')}`
    : '';
  const setup = (drive.before ?? '') + loader;
  const before = setup ? `# Set up by the page before the file runs.\n${setup}\n` : '';
  return `${before}${code.trimEnd()}\n\n\n# Sent by the page: the same requests the engine answered, through Flask's own test client.\n${drive.python}`;
}

/** The listings of examples/python/ a lesson's MDX source shows with <Code … title="examples/python/…">. */
export function listingsIn(mdx: string): string[] {
  return [...new Set([...mdx.matchAll(/title="(examples\/python\/[\w/.-]+\.py)"/g)].map((m) => m[1]!))];
}

/** Whether a listing's code defines a Flask app (and so needs a drive or a reason). */
export function definesFlaskApp(code: string): boolean {
  return /\bFlask\(/.test(code);
}
