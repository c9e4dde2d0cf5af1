// Every visible string of the lab panel and the labs index, in both languages.
import type { LabLang } from '../../labs/catalog.ts';

export interface LabStrings {
  pageHeading: string;
  httpHeading: string;
  pageIntro: string;
  httpIntro: string;
  solved: string;
  notSolved: string;
  solvedOn: string;
  runGoal: string;
  runNoGoal: string;
  modeLegend: string;
  method: string;
  address: string;
  body: string;
  bodyHint: string;
  send: string;
  jarHeading: string;
  jarEmpty: string;
  jarName: string;
  jarValue: string;
  jarActions: string;
  remove: string;
  removeNamed: string;
  valueOf: string;
  addCookie: string;
  addName: string;
  addValue: string;
  victimHeading: string;
  victimNone: string;
  restart: string;
  logHeading: string;
  logEmpty: string;
  you: string;
  victim: string;
  request: string;
  response: string;
  goalReached: string;
  cookiesHidden: string;
  openInspector: string;
  working: string;
  starting: string;
  error: string;
  badName: string;
  errors: { 'log-full': string; 'needs-arg': string; 'bad-arg': string };
  /** Which runtime answers in the page and on the server (labs 1 and 2 have a real Flask app; the others do not). */
  runtimeChecking: string;
  runtimeFlask: string;
  runtimeFlaskLoading: string;
  runtimeNoArchive: string;
  runtimeFailed: string;
  runtimeEngine: string;
  httpRuntimeFlask: string;
  httpRuntimeNoArchive: string;
  httpRuntimeFailed: string;
  httpRuntimeEngine: string;
  httpChecking: string;
  httpUnavailable: string;
  httpSolved: string;
  httpNotSolved: string;
  httpLearner: string;
  httpTry: string;
  httpOpen: string;
  httpLogHeading: string;
  httpRestart: string;
  sent: string;
  colon: string;
  /** What ends a sentence before the next one: a full stop and a space, or a full-width full stop. */
  stop: string;
  /** Index page. */
  indexLab: string;
  indexSolved: string;
  indexNotSolved: string;
}

const en: LabStrings = {
  pageHeading: 'In this page',
  httpHeading: 'Over real HTTP',
  pageIntro: 'The app runs in your browser, in a Worker. Send requests from the address bar, edit the cookie jar, and let the victim act.',
  httpIntro: 'Under npm start the same app answers at the address below, with its own instance for you, so you can attack it with curl or your own browser.',
  solved: 'Solved',
  notSolved: 'Not solved yet',
  solvedOn: 'Solved in this browser on {date}.',
  runGoal: 'This run: the app observed the goal.',
  runNoGoal: 'This run: the app has not observed the goal.',
  modeLegend: 'Which app',
  method: 'Method',
  address: 'Address',
  body: 'Form body',
  bodyHint: 'For POST, as name=value&name=value.',
  send: 'Send',
  jarHeading: 'Cookie jar',
  jarEmpty: 'The jar is empty.',
  jarName: 'Name',
  jarValue: 'Value',
  jarActions: 'Actions',
  remove: 'Remove',
  removeNamed: 'Remove cookie {name}',
  valueOf: 'Value of cookie {name}',
  addCookie: 'Add or replace a cookie',
  addName: 'Name',
  addValue: 'Value',
  victimHeading: 'The victim',
  victimNone: 'This lab has no victim.',
  restart: 'Restart',
  logHeading: 'Request log',
  logEmpty: 'No requests yet.',
  you: 'You',
  victim: 'Victim',
  request: 'Request',
  response: 'Response',
  goalReached: 'Goal reached',
  cookiesHidden: 'The victim’s cookies are not shown: an attacker does not see them.',
  openInspector: 'Open in the inspector',
  working: 'Working…',
  starting: 'Starting the app…',
  error: 'Error: {message}',
  badName: 'A cookie name is letters, digits and !#$%&\'*+-.^_`|~, without spaces.',
  errors: {
    'log-full': 'This run has recorded {max} actions, the most it keeps: press Restart to begin again.',
    'needs-arg': 'Fill in “{field}” first.',
    'bad-arg': '“{field}” takes 1 to 128 letters, digits and . _ ~ -, without spaces.',
  },
  runtimeChecking: 'Checking whether the real Flask can run this lab here…',
  runtimeFlask: 'Real Flask {version} in your browser: this lab’s app is a Python Flask app, run by Pyodide in a Worker. It loads on your first request (about {size} the first time).',
  runtimeFlaskLoading: 'Starting the real Flask {version} in your browser (Pyodide)…',
  runtimeNoArchive: 'Runs on the engine: the real Flask archive is not built on this machine (npm run runtime:archive makes it where apt exists). The engine is the course’s TypeScript rebuild of Flask; what it answers is not Flask’s own output.',
  runtimeFailed: 'Runs on the engine: the real Flask could not start in this browser ({detail}). The engine is the course’s TypeScript rebuild of Flask; what it answers is not Flask’s own output.',
  runtimeEngine: 'Runs on the engine, the course’s TypeScript rebuild of Flask and Flask-Session, in a Worker.',
  httpRuntimeFlask: 'On the server this lab runs on the real Flask {version} (Pyodide in Node).',
  httpRuntimeNoArchive: 'On the server this lab runs on the engine: the real Flask archive is not built on this machine.',
  httpRuntimeFailed: 'On the server this lab runs on the engine: the real Flask could not start there ({detail}).',
  httpRuntimeEngine: 'On the server this lab runs on the engine.',
  httpChecking: 'Checking whether this server runs the lab apps…',
  httpUnavailable: 'This server does not run the lab apps: start the site with npm start to attack them over HTTP.',
  httpSolved: 'Over HTTP: Solved',
  httpNotSolved: 'Over HTTP: not solved yet',
  httpLearner: 'Your learner cookie (send it with every request, so the server knows which instance is yours): ',
  httpTry: 'For example:',
  httpOpen: 'Open the app in a new tab',
  httpLogHeading: 'Requests your HTTP instance received',
  httpRestart: 'Restart the HTTP instance',
  sent: 'Sent',
  colon: ': ',
  stop: '. ',
  indexLab: 'Lab {n}',
  indexSolved: 'Solved in this browser',
  indexNotSolved: 'Not solved yet',
};

const zh: LabStrings = {
  pageHeading: '在本页中',
  httpHeading: '通过真实的 HTTP',
  pageIntro: '应用在你的浏览器里运行（在一个 Web Worker 中）。从地址栏发送请求，修改 Cookie 存储，再让受害者行动。',
  httpIntro: '在 npm start 下，同一个应用也在下面的地址上响应，并且为你单独准备了一个实例，你可以用 curl 或自己的浏览器攻击它。',
  solved: '已解决',
  notSolved: '尚未解决',
  solvedOn: '已于 {date} 在本浏览器中解决。',
  runGoal: '本轮：应用观察到目标已经达成。',
  runNoGoal: '本轮：应用尚未观察到目标达成。',
  modeLegend: '运行哪个应用',
  method: '方法',
  address: '地址',
  body: '表单正文',
  bodyHint: '用于 POST，格式为 name=value&name=value。',
  send: '发送',
  jarHeading: 'Cookie 存储',
  jarEmpty: 'Cookie 存储是空的。',
  jarName: '名称',
  jarValue: '值',
  jarActions: '操作',
  remove: '删除',
  removeNamed: '删除 Cookie {name}',
  valueOf: 'Cookie {name} 的值',
  addCookie: '添加或替换一个 Cookie',
  addName: '名称',
  addValue: '值',
  victimHeading: '受害者',
  victimNone: '这个实验没有受害者。',
  restart: '重新开始',
  logHeading: '请求记录',
  logEmpty: '还没有请求。',
  you: '你',
  victim: '受害者',
  request: '请求',
  response: '响应',
  goalReached: '目标达成',
  cookiesHidden: '这里不显示受害者的 Cookie：攻击者看不到它们。',
  openInspector: '在检查器中打开',
  working: '处理中…',
  starting: '正在启动应用…',
  error: '出错了：{message}',
  badName: 'Cookie 名称只能由字母、数字和 !#$%&\'*+-.^_`|~ 组成，不能含空格。',
  errors: {
    'log-full': '本轮已经记录了 {max} 个操作，这是上限：请点击“重新开始”。',
    'needs-arg': '请先填写“{field}”。',
    'bad-arg': '“{field}”只能由 1 到 128 个字母、数字和 . _ ~ - 组成，不能含空格。',
  },
  runtimeChecking: '正在检查这里能否用真正的 Flask 运行本实验……',
  runtimeFlask: '你的浏览器里运行的是真正的 Flask {version}：本实验的应用是一个 Python Flask 应用，由 Pyodide 在一个 Web Worker 中运行。它在你第一次发送请求时加载（第一次约 {size}）。',
  runtimeFlaskLoading: '正在浏览器中启动真正的 Flask {version}（Pyodide）……',
  runtimeNoArchive: '在引擎上运行：这台机器上没有构建真正的 Flask 归档（在有 apt 的机器上用 npm run runtime:archive 构建）。引擎是本课程用 TypeScript 重建的 Flask，它的回答不是 Flask 本身的输出。',
  runtimeFailed: '在引擎上运行：真正的 Flask 无法在这个浏览器中启动（{detail}）。引擎是本课程用 TypeScript 重建的 Flask，它的回答不是 Flask 本身的输出。',
  runtimeEngine: '在引擎上运行：本课程用 TypeScript 重建的 Flask 与 Flask-Session，位于一个 Web Worker 中。',
  httpRuntimeFlask: '在服务器上，本实验运行在真正的 Flask {version} 上（Node 中的 Pyodide）。',
  httpRuntimeNoArchive: '在服务器上，本实验运行在引擎上：这台机器上没有构建真正的 Flask 归档。',
  httpRuntimeFailed: '在服务器上，本实验运行在引擎上：真正的 Flask 无法在那里启动（{detail}）。',
  httpRuntimeEngine: '在服务器上，本实验运行在引擎上。',
  httpChecking: '正在检查本服务器是否运行实验应用……',
  httpUnavailable: '本服务器没有运行实验应用：用 npm start 启动本站，才能通过 HTTP 攻击它们。',
  httpSolved: '通过 HTTP：已解决',
  httpNotSolved: '通过 HTTP：尚未解决',
  httpLearner: '你的学习者 Cookie（每个请求都要带上它，服务器才知道哪个实例是你的）：',
  httpTry: '例如：',
  httpOpen: '在新标签页中打开应用',
  httpLogHeading: '你的 HTTP 实例收到的请求',
  httpRestart: '重新开始 HTTP 实例',
  sent: '发送',
  colon: '：',
  stop: '。',
  indexLab: '实验 {n}',
  indexSolved: '已在本浏览器中解决',
  indexNotSolved: '尚未解决',
};

export const LAB_STRINGS: Record<LabLang, LabStrings> = { en, 'zh-CN': zh };

export { fill as fillLab } from '../../i18n/fill.ts';
