// What the pages show of each lab, in both languages: its title, what its two modes are called, and its victim
// actions. Small and free of the engine, so a page can list labs without loading any lab's app.
import type { LabMode } from './types.ts';

export type LabLang = 'en' | 'zh-CN';

/** One victim action as the panel shows it. */
export interface VictimActionInfo {
  id: string;
  label: Record<LabLang, string>;
  /** When the action takes text (e.g. a session id to plant): the field's label. */
  arg?: Record<LabLang, string>;
}

export interface LabInfo {
  slug: string;
  /** 1, 2, 3…: the order of the labs index. */
  number: number;
  title: Record<LabLang, string>;
  /** One line for the index. */
  summary: Record<LabLang, string>;
  modes: Record<LabMode, Record<LabLang, string>>;
  victim: VictimActionInfo[];
  /** The path the address bar starts at. */
  start: string;
  /**
   * Labs about Flask's own behaviour: their app is also a Python Flask app (src/labs/<slug>/app.py) that runs on the
   * real Flask where it can. `fixed` says what the fixed mode is on each runtime, when that differs.
   */
  realFlask?: { fixed?: Record<'flask' | 'engine', Record<LabLang, string>> };
}

export const LAB_CATALOG: LabInfo[] = [
  {
    slug: 'weak-secret',
    number: 1,
    title: { en: 'Weak secret', 'zh-CN': '弱密钥' },
    summary: {
      en: 'Crack the key of a captured session cookie and become admin.',
      'zh-CN': '破解一个截获的会话 Cookie 的密钥，把自己变成 admin。',
    },
    modes: {
      vulnerable: { en: 'Vulnerable: a key from the wordlist', 'zh-CN': '有漏洞：密钥取自字典' },
      fixed: { en: 'Fixed: 32 random bytes', 'zh-CN': '已修复：32 个随机字节' },
    },
    victim: [],
    start: '/login',
    realFlask: {},
  },
  {
    slug: 'replay-after-logout',
    number: 2,
    title: { en: 'Replay after logout', 'zh-CN': '登出后重放' },
    summary: {
      en: 'Get back into the victim’s account with a cookie copied before they logged out; then watch a server-side store stop you.',
      'zh-CN': '用受害者登出前被复制的 Cookie 重新进入其账户；再看服务器端存储如何挡住你。',
    },
    modes: {
      vulnerable: { en: 'Vulnerable: Flask’s signed cookie', 'zh-CN': '有漏洞：Flask 的签名 Cookie' },
      fixed: { en: 'Fixed: sessions kept on the server', 'zh-CN': '已修复：会话保存在服务器端' },
    },
    victim: [
      { id: 'login', label: { en: 'Victim logs in', 'zh-CN': '受害者登录' } },
      { id: 'logout', label: { en: 'Victim logs out', 'zh-CN': '受害者登出' } },
    ],
    start: '/account',
    realFlask: {
      fixed: {
        flask: {
          en: 'The fixed mode on the real Flask: a server-side session interface of the course’s own, in pure Python over an in-memory store (Flask-Session 0.8 cannot load in Pyodide: it needs msgspec, a C extension). Like Flask-Session 0.8, it deletes the record when the session is emptied.',
          'zh-CN': '真正的 Flask 上的修复模式：本课程自己写的服务器端会话接口，纯 Python，数据存在内存里（Flask-Session 0.8 无法在 Pyodide 中加载：它需要 C 扩展 msgspec）。和 Flask-Session 0.8 一样，会话被清空时它会删除对应的记录。',
        },
        engine: {
          en: 'The fixed mode on the engine: the engine’s rebuild of Flask-Session 0.8 with an in-memory Redis.',
          'zh-CN': '引擎上的修复模式：引擎重建的 Flask-Session 0.8，配一个内存中的 Redis。',
        },
      },
    },
  },
  {
    slug: 'session-fixation',
    number: 3,
    title: { en: 'Session fixation', 'zh-CN': '会话固定' },
    summary: {
      en: 'Plant a session id in the victim’s browser, let them log in, and read their session; then see regenerate() stop it.',
      'zh-CN': '把一个会话 id 种进受害者的浏览器，等他登录，再读取他的会话；然后看 regenerate() 如何阻止这一切。',
    },
    modes: {
      vulnerable: { en: 'Vulnerable: Flask-Session 0.3', 'zh-CN': '有漏洞：Flask-Session 0.3' },
      fixed: { en: 'Fixed: Flask-Session 0.8, regenerate() at login', 'zh-CN': '已修复：Flask-Session 0.8，登录时调用 regenerate()' },
    },
    victim: [
      { id: 'plant', label: { en: 'Plant it in the victim’s browser', 'zh-CN': '种进受害者的浏览器' }, arg: { en: 'Session id to plant', 'zh-CN': '要种下的会话 id' } },
      { id: 'login', label: { en: 'Victim logs in', 'zh-CN': '受害者登录' } },
    ],
    start: '/account',
  },
  {
    slug: 'vary-cookie',
    number: 4,
    title: { en: 'Missing Vary: Cookie', 'zh-CN': '缺少 Vary: Cookie' },
    summary: {
      en: 'A shared cache in front of the tutorials’ session interface: make it hand you the victim’s account page.',
      'zh-CN': '教程里的会话接口前面有一个共享缓存：让它把受害者的账户页面交给你。',
    },
    modes: {
      vulnerable: { en: 'Vulnerable: MySessionInterface, no Vary', 'zh-CN': '有漏洞：MySessionInterface，没有 Vary' },
      fixed: { en: 'Fixed: Vary: Cookie whenever the session is used', 'zh-CN': '已修复：只要用到会话就发送 Vary: Cookie' },
    },
    victim: [
      { id: 'login', label: { en: 'Victim logs in', 'zh-CN': '受害者登录' } },
      { id: 'open', label: { en: 'Victim opens a link', 'zh-CN': '受害者打开链接' }, arg: { en: 'Path for the victim to open', 'zh-CN': '让受害者打开的路径' } },
    ],
    start: '/account',
  },
  {
    slug: 'load-balancer',
    number: 5,
    title: { en: 'Load balancer', 'zh-CN': '负载均衡' },
    summary: {
      en: 'Two workers, each with its own session dict, behind a round-robin balancer: make the site lose the victim’s login.',
      'zh-CN': '两个工作进程各有自己的会话字典，前面是轮询的负载均衡器：让网站丢掉受害者的登录状态。',
    },
    modes: {
      vulnerable: { en: 'Vulnerable: one dict per worker', 'zh-CN': '有漏洞：每个进程一份字典' },
      fixed: { en: 'Fixed: one Redis for both workers', 'zh-CN': '已修复：两个进程共用一个 Redis' },
    },
    victim: [
      { id: 'login', label: { en: 'Victim logs in', 'zh-CN': '受害者登录' } },
      { id: 'open-account', label: { en: 'Victim opens her account page', 'zh-CN': '受害者打开账户页面' } },
    ],
    start: '/',
  },
  {
    slug: 'pickle-store',
    number: 6,
    title: { en: 'Pickle in a shared store', 'zh-CN': '共享存储里的 pickle' },
    summary: {
      en: 'Write a pickle into the shop’s open Redis that would run a command when Flask-Session 0.3 loads it (recorded, never run).',
      'zh-CN': '往商店敞开的 Redis 里写一个 pickle，让 Flask-Session 0.3 加载它时会执行一条命令（只记录，绝不执行）。',
    },
    modes: {
      vulnerable: { en: 'Vulnerable: 0.3-style, pickle.loads', 'zh-CN': '有漏洞：0.3 式，pickle.loads' },
      fixed: { en: 'Fixed: a reader that refuses code', 'zh-CN': '已修复：拒绝代码的读取器' },
    },
    victim: [
      { id: 'login', label: { en: 'Victim logs in', 'zh-CN': '受害者登录' } },
      { id: 'open-account', label: { en: 'Victim opens her account page', 'zh-CN': '受害者打开账户页面' } },
    ],
    start: '/',
  },
];

/** The lab with this slug, or undefined. */
export function labInfo(slug: string): LabInfo | undefined {
  return LAB_CATALOG.find((l) => l.slug === slug);
}
