// The course, in order: one entry per lesson. The sidebar (astro.config.mjs), the home pages' lesson cards
// (src/components/lesson/LessonCards.astro), the exercise catalog (src/exercises/types.ts) and the tests read it; a
// lesson's number is its place in this list. Adding a lesson = its two MDX pages (content/lessons/<slug>.mdx and
// content/zh-cn/lessons/<slug>.mdx) + one entry here. Its exercises name it in exercises/*/exercise.json (`lesson`).
//
// `title` is the page's title (the sidebar shows it; tests/lessons/registry.test.ts holds the MDX front matter to
// it); `summary` is the line under it on the home page. `demos` are the modules under src/lessons/ whose output the
// lesson's pages show, `examples` the Python files under examples/python/ its pages list (each checked against the
// real Flask by tests/lessons/python-examples.test.ts or part2-python.test.ts).

/** The two languages of the site. */
export type LessonLang = 'en' | 'zh-CN';

export interface LessonEntry {
  readonly slug: string;
  readonly title: Readonly<Record<LessonLang, string>>;
  readonly summary: Readonly<Record<LessonLang, string>>;
  readonly demos: readonly string[];
  readonly examples: readonly string[];
}

export const LESSON_REGISTRY = [
  {
    slug: 'cookies',
    title: { en: 'HTTP forgets; cookies remember', 'zh-CN': 'HTTP 健忘，Cookie 记事' },
    summary: { en: 'Set-Cookie, Cookie, and what each attribute protects against.', 'zh-CN': 'Set-Cookie、Cookie，以及每个属性防的是什么。' },
    demos: ['cookies.ts'],
    examples: ['cookies.py'],
  },
  {
    slug: 'session-dict',
    title: { en: "Flask's session as a dict", 'zh-CN': '把 Flask 的 session 当字典用' },
    summary: {
      en: 'set, pop, clear, permanent, modified, accessed, and the nested-mutation trap.',
      'zh-CN': '赋值、pop、clear、permanent、modified、accessed，以及嵌套修改的陷阱。',
    },
    demos: ['session-dict.ts'],
    examples: ['session_dict.py'],
  },
  {
    slug: 'inside-the-cookie',
    title: { en: 'Inside the cookie', 'zh-CN': '拆开 Cookie 看看' },
    summary: {
      en: 'The request lifecycle and how payload.timestamp.signature is built.',
      'zh-CN': '请求的生命周期，payload.timestamp.signature 是怎样拼出来的。',
    },
    demos: ['inside-the-cookie.ts'],
    examples: ['inside_cookie.py'],
  },
  {
    slug: 'attacks',
    title: { en: 'Attacking and defending cookie sessions', 'zh-CN': '攻击与防御 Cookie 会话' },
    summary: {
      en: 'Tampering, weak secrets, replay, size limits, key rotation, expiry.',
      'zh-CN': '篡改、弱密钥、重放、大小限制、密钥轮换、过期。',
    },
    demos: ['attacks.ts'],
    examples: ['secret_key.py', 'crack_secret.py', 'key_rotation.py', 'too_big.py', 'revocable.py'],
  },
  {
    slug: 'custom-interface',
    title: { en: 'Write your own SessionInterface', 'zh-CN': '自己写一个 SessionInterface' },
    summary: {
      en: 'The custom interface that tutorials copy, run step by step, its flaws fixed.',
      'zh-CN': '把各处教程照抄的自定义接口一步步跑起来，再逐一修好它的毛病。',
    },
    demos: ['custom-interface.ts'],
    examples: ['part2/my_session_interface.py', 'part2/fixed_session_interface.py'],
  },
  {
    slug: 'flask-session-redis',
    title: { en: 'Server-side sessions with Flask-Session and Redis', 'zh-CN': '用 Flask-Session 和 Redis 实现服务器端会话' },
    summary: {
      en: 'A cookie that holds only an id; what each request sends to Redis.',
      'zh-CN': 'Cookie 里只剩一个 ID；每个请求向 Redis 发了哪些命令。',
    },
    demos: ['flask-session-redis.ts'],
    examples: ['part2/flask_session_redis.py'],
  },
  {
    slug: 'server-side-security',
    title: { en: 'Security of server-side sessions', 'zh-CN': '服务器端会话的安全' },
    summary: {
      en: 'Session fixation, pickle in a shared store, revocation.',
      'zh-CN': '会话固定、共享存储里的 pickle、登出与撤销。',
    },
    demos: ['server-side-security.ts', 'server-side-security-pickle.ts'],
    examples: ['part2/login_regenerate.py', 'part2/pickle_danger.py'],
  },
  {
    slug: 'scaling',
    title: { en: 'Scaling sessions', 'zh-CN': '会话的横向扩展' },
    summary: {
      en: 'Many workers, one Redis, Redis Cluster, and cookie size against round trips.',
      'zh-CN': '多个工作进程、一个 Redis、Redis Cluster，以及 Cookie 大小与往返次数的取舍。',
    },
    demos: ['scaling.ts', 'scaling-crc16.ts'],
    examples: ['part2/keyslot.py', 'part2/cluster_sessions.py'],
  },
  {
    slug: 'other-stores',
    title: { en: 'Other stores, other tokens', 'zh-CN': '其他存储，其他令牌' },
    summary: {
      en: "SQL and file stores, who deletes old sessions, Django's table, a JWT beside the cookie.",
      'zh-CN': 'SQL 存储与文件存储、过期会话由谁删除、Django 的会话表，以及 JWT 与签名 Cookie 的对比。',
    },
    demos: ['other-stores.ts'],
    examples: [],
  },
] as const satisfies readonly LessonEntry[];

/** A lesson's slug: the name of its MDX file and of its pages' path. */
export type LessonSlug = (typeof LESSON_REGISTRY)[number]['slug'];

/** The slugs in course order. */
export const LESSON_SLUGS: readonly LessonSlug[] = LESSON_REGISTRY.map((l) => l.slug);

/** A lesson's number in the course (1 for the first), from its place in the registry. */
export function lessonNumber(slug: string): number {
  const at = LESSON_SLUGS.indexOf(slug as LessonSlug);
  if (at < 0) throw new Error(`No lesson "${slug}" in src/lessons/registry.ts; the lessons are ${LESSON_SLUGS.join(', ')}`);
  return at + 1;
}

/** The path of a lesson's page in a language (`/lessons/cookies/`, `/zh-cn/lessons/cookies/`). */
export function lessonPath(slug: LessonSlug, lang: LessonLang): string {
  return `${lang === 'zh-CN' ? '/zh-cn' : ''}/lessons/${slug}/`;
}
