// Every word the Redis view prints, in both site languages. The component takes `lang` and looks up here.
export type RedisViewLang = 'en' | 'zh-cn';

export interface RedisViewStrings {
  title: string;
  intro: string;
  /** The intro when the view runs lesson 9's SQL table and files instead of Redis. */
  introTables: string;
  modeLegend: string;
  modes: { '0.8': string; '0.3': string; custom: string; sql: string; files: string };
  /** The TTL cell of a SQL row or a file past its expiry that is still stored. */
  expiredStored: string;
  workersLegend: string;
  workerN: (n: number) => string;
  alternate: string;
  nextWorker: (n: number) => string;
  keyLabel: string;
  valueLabel: string;
  requestsLegend: string;
  timeLegend: string;
  advance: { hour: string; day: string; month: string };
  clockNow: (offset: string) => string;
  reset: string;
  storeHeading: (mode: 'redis' | 'custom' | 'sql' | 'files') => string;
  storeEmpty: string;
  colKey: string;
  colTtl: string;
  colValue: string;
  colWorker: string;
  noExpiry: string;
  bytes: (n: number) => string;
  /** A stored string's length, in a command line (`<8 chars>`). */
  chars: (n: number) => string;
  /** An aside in brackets, with the space English puts before it. */
  paren: (text: string) => string;
  /** Between two items of a list. */
  comma: string;
  logHeading: string;
  logEmpty: string;
  onWorker: (n: number) => string;
  noCommands: string;
  kept: string;
  inserted: string;
  found: string;
  jarHeading: string;
  jarEmpty: string;
  browserSession: string;
  expiresIn: (t: string) => string;
  response: string;
  loading: string;
  failed: string;
  /** Says the panel shows the state computed when the page was built (until the reader starts the view). */
  builtState: string;
  /** Shown only when the browser runs no scripts (inside <noscript>): the view's buttons cannot work then. */
  needsScript: string;
  duration: (seconds: number) => string;
  seconds: (n: number) => string;
  ttlHint: string;
  /** What goes between two sentences: a space in English, nothing in Chinese. */
  sentenceGap: string;
  requestHint: string;
}

function enDuration(s: number): string {
  if (s <= 0) return '0 s';
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const parts: string[] = [];
  if (d) parts.push(`${d} d`);
  if (h) parts.push(`${h} h`);
  if (m && !d) parts.push(`${m} min`);
  if (sec && !d && !h) parts.push(`${sec} s`);
  return parts.join(' ');
}

function zhDuration(s: number): string {
  if (s <= 0) return '0 秒';
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  let out = '';
  if (d) out += `${d} 天`;
  if (h) out += `${out ? ' ' : ''}${h} 小时`;
  if (m && !d) out += `${out ? ' ' : ''}${m} 分`;
  if (sec && !d && !h) out += `${out ? ' ' : ''}${sec} 秒`;
  return out;
}

const en: RedisViewStrings = {
  title: 'Redis view',
  intro: 'A Flask app with server-side sessions runs in this page, on an in-page stand-in for Redis. Send requests and watch the cookie, the commands and the store.',
  introTables:
    'A Flask app with server-side sessions runs in this page, on Flask-Session 0.8’s SQL store (an in-page table that answers the same statements SQLite does) or its file store (files held in the page). Send requests, move the clock, and watch rows and files outlive their expiry.',
  modeLegend: 'Session interface',
  modes: { '0.8': 'Flask-Session 0.8', '0.3': 'Flask-Session 0.3.2', custom: "The tutorials' MySessionInterface", sql: 'Flask-Session 0.8, SQL table', files: 'Flask-Session 0.8, files' },
  expiredStored: 'expired, still stored',
  workersLegend: 'Send requests to',
  workerN: (n) => `worker ${n}`,
  alternate: 'take turns (round robin)',
  nextWorker: (n) => `The next request goes to worker ${n}.`,
  keyLabel: 'key',
  valueLabel: 'value',
  requestsLegend: 'Requests',
  timeLegend: 'Virtual clock',
  advance: { hour: '+1 hour', day: '+1 day', month: '+31 days' },
  clockNow: (offset) => `moved forward ${offset}.`,
  reset: 'Start over',
  storeHeading: (m) =>
    m === 'redis' ? 'What Redis holds' : m === 'sql' ? 'What the sessions table holds' : m === 'files' ? 'What the session directory holds (file name = MD5 of the key)' : 'What each process’s container dict holds',
  storeEmpty: 'Empty.',
  colKey: 'Key',
  colTtl: 'TTL',
  colValue: 'Value (Python repr)',
  colWorker: 'Process',
  noExpiry: 'never expires',
  bytes: (n) => `${n} bytes`,
  chars: (n) => `${n} chars`,
  paren: (text) => ` (${text})`,
  comma: ', ',
  logHeading: 'Requests and the commands they sent',
  logEmpty: 'No requests yet.',
  onWorker: (n) => `worker ${n}`,
  noCommands: 'no store commands',
  kept: 'already there: unchanged',
  inserted: 'inserted',
  found: 'found',
  jarHeading: 'Cookie jar (the browser)',
  jarEmpty: 'No cookies.',
  browserSession: 'until the browser closes',
  expiresIn: (t) => `expires in ${t}`,
  response: 'Response',
  loading: 'Loading the in-browser Flask and Redis…',
  failed: 'Could not load the in-browser Redis.',
  builtState: 'This is the state after the requests listed below, computed when the page was built.',
  needsScript: 'The buttons need JavaScript.',
  duration: enDuration,
  seconds: (n) => `${n} s`,
  ttlHint: 'The page has one virtual clock, shared by every demo on it: time stands still until a clock button moves it.',
  sentenceGap: ' ',
  requestHint: 'Each button sends one GET request from this page’s browser (cookie jar below) to the app.',
};

const zh: RedisViewStrings = {
  title: 'Redis 视图',
  intro: '页面里运行着一个使用服务器端会话的 Flask 应用，后端是页面内模拟的 Redis。发送请求，观察 Cookie、命令和存储的变化。',
  introTables:
    '页面里运行着一个使用服务器端会话的 Flask 应用，后端是 Flask-Session 0.8 的 SQL 存储（页面内的一张表，执行的语句和 SQLite 相同）或文件存储（文件保存在页面里）。发送请求、拨动时钟，看看过期的行和文件怎样一直留着。',
  modeLegend: '会话接口',
  modes: { '0.8': 'Flask-Session 0.8', '0.3': 'Flask-Session 0.3.2', custom: '教程里的 MySessionInterface', sql: 'Flask-Session 0.8，SQL 表', files: 'Flask-Session 0.8，文件' },
  expiredStored: '已过期，仍然保存着',
  workersLegend: '请求发往',
  workerN: (n) => `工作进程 ${n}`,
  alternate: '轮流（轮询）',
  nextWorker: (n) => `下一个请求交给工作进程 ${n}。`,
  keyLabel: '键',
  valueLabel: '值',
  requestsLegend: '请求',
  timeLegend: '虚拟时钟',
  advance: { hour: '+1 小时', day: '+1 天', month: '+31 天' },
  clockNow: (offset) => `已快进 ${offset}。`,
  reset: '重新开始',
  storeHeading: (m) =>
    m === 'redis' ? 'Redis 里存着什么' : m === 'sql' ? 'sessions 表里存着什么' : m === 'files' ? '会话目录里存着什么（文件名是键的 MD5）' : '每个工作进程的 container 字典里存着什么',
  storeEmpty: '空。',
  colKey: '键',
  colTtl: 'TTL',
  colValue: '值（Python repr）',
  colWorker: '工作进程',
  noExpiry: '永不过期',
  bytes: (n) => `${n} 字节`,
  chars: (n) => `${n} 个字符`,
  paren: (text) => `（${text}）`,
  comma: '，',
  logHeading: '请求及其发出的命令',
  logEmpty: '还没有请求。',
  onWorker: (n) => `工作进程 ${n}`,
  noCommands: '没有存储命令',
  kept: '已存在：未改变',
  inserted: '已插入',
  found: '找到',
  jarHeading: 'Cookie 存储（浏览器）',
  jarEmpty: '没有 Cookie。',
  browserSession: '关闭浏览器时失效',
  expiresIn: (t) => `${t}后过期`,
  response: '响应',
  loading: '正在加载浏览器内的 Flask 和 Redis…',
  failed: '无法加载浏览器内的 Redis。',
  builtState: '下面是依次执行所列请求之后的状态，在构建页面时计算得出。',
  needsScript: '这些按钮需要 JavaScript 才能使用。',
  duration: zhDuration,
  seconds: (n) => `${n} 秒`,
  ttlHint: '整个页面只有一个虚拟时钟，页面上的所有演示共用它：不按时钟按钮，时间就不会走。',
  sentenceGap: '',
  requestHint: '每个按钮从本页的“浏览器”（Cookie 存储见下方）向应用发送一个 GET 请求。',
};

/** The strings for a language (`zh-CN` and `zh-cn` both accepted). */
export function redisViewStrings(lang: string): RedisViewStrings {
  return lang.toLowerCase() === 'zh-cn' ? zh : en;
}
