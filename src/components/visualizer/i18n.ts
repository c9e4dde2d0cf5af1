// Every word the visualizer shows, in English and 简体中文, including the engine's reasons for each step
// (structured codes rendered by each language's table).
import { REASONS_EN, renderReason, type Reason, type ReasonTable } from '../../engine/flask/reasons.ts';
import { REASONS_ZH } from './reasons-zh.ts';
import type { PresetId } from './presets.ts';
import type { Initiator, RejectReason, SkipReason } from './jar.ts';
import { fill } from '../../i18n/fill.ts';

export type Lang = 'en' | 'zh-CN';
export const LANGS: readonly Lang[] = ['en', 'zh-CN'];

/** Normalises what a page passes as `lang` (`zh-cn`, `zh-CN`, `en`…) to a supported language. */
export function toLang(lang: string | undefined | null): Lang {
  return lang && lang.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

interface PresetText {
  label: string;
  description: string;
}

export interface Strings {
  /** Punctuation that differs between the languages: after a label, between two sentences, around an aside. */
  colon: string;
  sentenceBreak: string;
  paren: string;
  region: string;
  preset: string;
  presetHelp: string;
  code: string;
  browser: string;
  address: string;
  method: string;
  send: string;
  jar: string;
  jarEmpty: string;
  jarName: string;
  jarValue: string;
  jarExpires: string;
  untilClose: string;
  tamper: string;
  clear: string;
  clock: string;
  clockNow: string;
  clockOffset: string;
  keepExpired: string;
  expiredMark: string;
  plusHour: string;
  plusDay: string;
  plus31Days: string;
  resetClock: string;
  history: string;
  historyEmpty: string;
  steps: string;
  prev: string;
  next: string;
  stepOf: string;
  /** A step's number and title, after "Current step". */
  stepNumbered: string;
  noSteps: string;
  currentStep: string;
  engineSays: string;
  request: string;
  response: string;
  body: string;
  anatomy: string;
  sentCookie: string;
  setCookie: string;
  noSentCookie: string;
  noSetCookie: string;
  deletesCookie: string;
  payload: string;
  timestamp: string;
  signature: string;
  compressed: string;
  decodedJson: string;
  signedAt: string;
  signatureLength: string;
  /** The signature's algorithm and length, e.g. HMAC-SHA1, 20 bytes. */
  signatureSize: string;
  notDecodable: string;
  decision: string;
  noDecision: string;
  vary: string;
  noVary: string;
  loading: string;
  loadFailed: string;
  durations: { d: string; h: string; m: string; s: string };
  jarAttributes: string;
  documentCookie: string;
  scheme: string;
  requestFrom: string;
  initiators: Record<Initiator, string>;
  examples: string;
  noResponseYet: string;
  responseSoFar: string;
  notYet: string;
  jarBefore: string;
  jarAfter: string;
  checksHeading: string;
  checkSent: string;
  skip: Record<SkipReason, string>;
  storeActions: { stored: string; replaced: string; deleted: string; rejected: string };
  reject: Record<RejectReason, string>;
  presets: Record<PresetId, PresetText>;
  titles: Record<string, string>;
  summaries: Record<string, string>;
  notes: Record<string, string>;
  /** The engine's reason for a step, per code. */
  reasons: ReasonTable;
}

const en: Strings = {
  colon: ': ',
  sentenceBreak: '. ',
  paren: ' ({text})',
  region: 'Session visualizer',
  preset: 'View function',
  presetHelp: 'Choosing a view resets the browser and replays its example requests.',
  code: 'Python code',
  browser: 'Browser',
  address: 'Address',
  method: 'Method',
  send: 'Send request',
  jar: 'Cookie jar',
  jarEmpty: 'No cookies stored.',
  jarName: 'Name',
  jarValue: 'Value',
  jarExpires: 'Expires',
  untilClose: 'when the browser closes',
  tamper: 'Tamper cookie',
  clear: 'Clear cookies',
  clock: 'Virtual clock (one for the whole page)',
  clockNow: 'Now',
  clockOffset: 'moved forward by',
  keepExpired: 'Keep sending expired cookies (like a copied or replayed cookie)',
  expiredMark: 'expired',
  plusHour: '+1 hour',
  plusDay: '+1 day',
  plus31Days: '+31 days',
  resetClock: 'Reset clock',
  history: 'Requests',
  historyEmpty: 'No requests yet.',
  steps: 'Lifecycle steps',
  prev: 'Previous step',
  next: 'Next step',
  stepOf: 'Step {n} of {total}: {title}',
  stepNumbered: '{n}. {title}',
  noSteps: 'Send a request to see its steps.',
  currentStep: 'Current step',
  engineSays: 'Why',
  request: 'Request',
  response: 'Response',
  body: 'Body',
  anatomy: 'The cookie, decoded',
  sentCookie: 'Cookie sent with the request',
  setCookie: 'Cookie set by the response',
  noSentCookie: 'The request carried no session cookie.',
  noSetCookie: 'The response sets no cookie.',
  deletesCookie: 'The response deletes the cookie: empty value, Expires in 1970.',
  payload: 'payload',
  timestamp: 'timestamp',
  signature: 'signature',
  compressed: 'zlib-compressed (the value starts with a dot)',
  decodedJson: 'Payload, base64-decoded',
  signedAt: 'Signed at',
  signatureLength: 'Signature',
  signatureSize: 'HMAC-SHA1, {n} bytes',
  notDecodable: 'does not decode',
  decision: 'Why the cookie was or was not set',
  noDecision: 'save_session was not reached.',
  vary: 'Vary',
  noVary: 'No Vary header was added: the view never touched the session.',
  loading: 'Starting the engine…',
  loadFailed: 'The engine could not be loaded; the output above was computed when the page was built.',
  durations: { d: ' d', h: ' h', m: ' min', s: ' s' },
  jarAttributes: 'Kept attributes',
  documentCookie: 'document.cookie on https://site.example/ reads',
  scheme: 'Scheme',
  requestFrom: 'The request comes from',
  initiators: {
    'same-site': 'this site (address bar or a link here)',
    'cross-site-link': 'a link on another site (top-level GET)',
    'cross-site-form': 'a form on another site (top-level POST)',
    'cross-site-embed': 'an image or fetch() on another site',
  },
  examples: 'Example requests (click to put one in the address bar)',
  noResponseYet: 'No response yet: the view has not run at this step.',
  responseSoFar: 'The response as it stands after this step; later steps may still add headers.',
  notYet: 'Not yet: a later step does this.',
  jarBefore: 'Cookie jar when the request left',
  jarAfter: 'Cookie jar after the response',
  checksHeading: 'Cookies in the jar, and whether the browser sent each',
  checkSent: 'sent',
  skip: {
    expired: 'not sent: it has expired',
    domain: 'not sent: another host',
    path: 'not sent: the request path is outside its Path',
    secure: 'not sent: Secure cookies only go over https',
    'samesite-strict': 'not sent: SameSite=Strict, and another site started the request',
    'samesite-lax': 'not sent: SameSite=Lax only allows a top-level GET from another site',
    'samesite-default': 'not sent: no SameSite means Lax in Chromium, which only allows a top-level GET from another site (or, in the cookie’s first two minutes, a top-level POST)',
  },
  storeActions: { stored: 'stored', replaced: 'replaced the cookie with the same name, domain and path', deleted: 'already expired, so the browser deleted it', rejected: 'refused:' },
  reject: {
    empty: 'no name and no value',
    'too-long': 'name and value exceed 4096 bytes',
    'secure-over-http': 'a Secure cookie cannot be set over http',
    'samesite-none-needs-secure': 'SameSite=None requires Secure',
    'cross-site-cannot-set': 'a cross-site image or fetch() may only set SameSite=None cookies',
    'overwrites-secure': 'an http response may not overwrite a Secure cookie',
    'domain-mismatch': 'the Domain does not cover this host',
    'public-suffix': 'the Domain is a public suffix',
    prefix: 'the __Secure-/__Host- prefix rules are not met',
  },
  presets: {
    login: { label: 'Login sets user', description: 'The view stores a user in the session, so the response carries a signed Set-Cookie.' },
    read: { label: 'Read user', description: 'A second request sends the cookie back: Flask checks the signature, decodes the payload and the view reads the user.' },
    permanent: {
      label: 'Permanent session',
      description: 'session.permanent = True gives the cookie an Expires date. A day later, merely reading the session re-signs the cookie and pushes the date back (SESSION_REFRESH_EACH_REQUEST). After 31 days the browser drops it.',
    },
    logout: { label: 'Clear / logout', description: 'session.clear() empties the session, so Flask tells the browser to delete the cookie.' },
    'cart-trap': {
      label: 'Nested mutation trap (cart.append without modified)',
      description: 'Appending to a list inside the session does not mark it modified: the second item never reaches the cookie, although the page shows it.',
    },
    'cart-fixed': { label: 'Nested mutation fixed (modified = True)', description: 'Setting session.modified = True after the append makes Flask write the cookie again.' },
    'no-secret': {
      label: 'No secret key (NullSession)',
      description: 'Without SECRET_KEY nothing can be signed: the session is a NullSession, reading works, and writing raises RuntimeError, a 500.',
    },
    tampered: {
      label: 'Tampered cookie',
      description: 'One character of the cookie was changed in the browser. The signature no longer matches (BadSignature) and Flask quietly starts an empty session.',
    },
    expired: {
      label: 'Expired cookie (120 s lifetime)',
      description: 'PERMANENT_SESSION_LIFETIME is 120 seconds. An hour after login the browser still sends its cookie (it has no Expires), but the timestamp is too old: SignatureExpired.',
    },
    'dict-cart-broken': {
      label: 'session_dict.py: the broken cart (add-broken)',
      description: 'The app of this lesson. /cart/add-broken/apple created the cart by assignment, so it was saved; /cart/add-broken/pear appended in place, so nothing was saved. Send /cart to see what the cookie kept.',
    },
    'dict-cart-fixed': {
      label: 'session_dict.py: the fixed cart (add)',
      description: 'The same app, through /cart/add/<item>, which sets session.modified = True after the append: both items reach the cookie. Send /cart to check.',
    },
    lifecycle: {
      label: 'inside_cookie.py: log in, then read',
      description: 'The app of this lesson: /login writes the user, /whoami reads it back, and the after_request function add_header runs before the session is saved.',
    },
    cookies: {
      label: 'Plain cookies: set theme and lang, see what comes back',
      description: '/prefs sets the theme and lang cookies with the attributes its query names; / and /docs/<page> show what the browser sent back. Change the path, the scheme, who starts the request, or move the clock, and read why each cookie went or stayed.',
    },
  },
  titles: {
    'request-received': 'Request received',
    'context-pushed': 'Context pushed',
    'cookie-read': 'Cookie read',
    'signature-checked': 'Signature checked',
    'payload-decoded': 'Payload decoded',
    'session-opened': 'Session opened',
    'session-opened.none': 'open_session returns None',
    'session-opened.null': 'NullSession substituted',
    'session-op': 'View uses the session',
    'view-returned': 'View returned',
    'view-error': 'View raised',
    'after-request': 'after_request',
    'save-decision': 'Save decision',
    'set-cookie-built': 'Set-Cookie built',
    'vary-added': 'Vary added',
    'store-op': 'Session store',
    error: 'Error',
    'response-sent': 'Response sent',
  },
  summaries: {
    'request-received.cookie': 'The browser sends {method} {url} with a Cookie header.',
    'request-received.nocookie': 'The browser sends {method} {url} without any cookie.',
    'context-pushed': 'Flask pushes the request context and asks {interface} to open the session.',
    'context-pushed.unnamed': 'Flask pushes the request context and asks the session interface to open the session.',
    'cookie-read.none': 'The request has no “{name}” cookie.',
    'cookie-read.found': 'The “{name}” cookie is read from the request.',
    'signature-checked.ok': 'Signature OK: the HMAC matches and the cookie is younger than PERMANENT_SESSION_LIFETIME.',
    'signature-checked.SignatureExpired': 'SignatureExpired: the signature itself is right, but the cookie is older than PERMANENT_SESSION_LIFETIME allows.',
    'signature-checked.BadTimeSignature': 'BadTimeSignature: the timestamp part is missing or malformed.',
    'signature-checked.BadSignature': '{error}: the signature does not match, so the cookie was altered or signed with another key.',
    'payload-decoded': 'The payload is base64-decoded into JSON; the cookie was signed at {time}.',
    'payload-decoded.compressed': 'The payload is base64-decoded and decompressed into JSON; the cookie was signed at {time}.',
    'session-opened.new': 'A new, empty session is created.',
    'session-opened.loaded': 'The session is loaded from the cookie: {data}',
    'session-opened.none': 'There is no secret key, so the interface has no serializer to sign with: open_session returns None.',
    'session-opened.null': 'There is no secret key, so Flask uses a NullSession: it can be read but not written.',
    'session-op.modifies': 'The view runs this, which marks the session modified.',
    'session-op.reads': 'The view runs this; the session is not marked modified.',
    'view-returned': 'The view {endpoint} returns; the response status is {status}.',
    'view-returned.no-route': 'No route matches {endpoint}, so no view runs: Flask answers {status} Not Found.',
    'view-returned.method-not-allowed': 'The route {endpoint} does not accept this method, so no view runs: Flask answers {status}.',
    'view-returned.automatic-options': 'Flask answers OPTIONS itself, listing the methods {endpoint} accepts in the Allow header, so no view runs: the status is {status}.',
    'view-returned.before-request': 'A before_request function returned a response, so the view is not called; the status is {status}.',
    'view-error': 'The view {endpoint} raised {error}; Flask turns it into a 500 response.',
    'after-request': 'The after_request function {name} runs.',
    'save-decision.set-cookie.modified': 'Save decision: the session was modified, so a new Set-Cookie is sent.',
    'save-decision.set-cookie.refresh': 'Save decision: the session is permanent and SESSION_REFRESH_EACH_REQUEST is on, so the cookie is re-signed with a later expiry.',
    'save-decision.delete-cookie': 'Save decision: the session is empty and was modified, so the cookie is deleted.',
    'save-decision.skip.null': 'Save decision: nothing is saved, the session is a NullSession.',
    'save-decision.skip.empty': 'Save decision: the session is empty and unchanged, so nothing is sent.',
    'save-decision.skip.unchanged': 'Save decision: the session was not modified, so no Set-Cookie; the browser keeps the cookie it has.',
    'save-decision.skip': 'Save decision: no Set-Cookie.',
    'set-cookie-built.set': 'The Set-Cookie header is built: the name, the signed value and the attributes.',
    'set-cookie-built.delete': 'The Set-Cookie header has an empty value and an Expires date in 1970, which makes the browser delete the cookie.',
    'vary-added': 'Vary: {value} is added, so caches keep a separate copy of this response for each cookie.',
    'store-op': 'Session store: {command} {key}.',
    error: 'Error: {error}.',
    'response-sent': 'The response is sent: {status}.',
  },
  notes: {
    dropped: 'The browser dropped the “{name}” cookie: its Expires date ({expires}) has passed.',
    kept: 'The “{name}” cookie expired at {expires}, but this browser keeps sending it, as a copied cookie or a script would.',
    tampered: 'Character {position} of the “{name}” cookie was changed from “{from}” to “{to}”. Send a request to see what Flask makes of it.',
    'nothing-to-tamper': 'There is no session cookie to tamper with. Send a request that sets one first.',
    cleared: 'The cookie jar is empty now.',
  },
  reasons: REASONS_EN,
};

const zh: Strings = {
  colon: '：',
  sentenceBreak: '。',
  paren: '（{text}）',
  region: '会话可视化演示',
  preset: '视图函数',
  presetHelp: '切换视图会重置浏览器，并重放这个示例的请求。',
  code: 'Python 代码',
  browser: '浏览器',
  address: '地址',
  method: '方法',
  send: '发送请求',
  jar: 'Cookie 存储',
  jarEmpty: '浏览器里还没有 Cookie。',
  jarName: '名称',
  jarValue: '值',
  jarExpires: '过期时间',
  untilClose: '浏览器关闭时',
  tamper: '篡改 Cookie',
  clear: '清除 Cookie',
  clock: '虚拟时钟（整页共用）',
  clockNow: '当前时间',
  clockOffset: '已快进',
  keepExpired: '继续发送已过期的 Cookie（就像被复制、被重放的 Cookie）',
  expiredMark: '已过期',
  plusHour: '+1 小时',
  plusDay: '+1 天',
  plus31Days: '+31 天',
  resetClock: '重置时钟',
  history: '请求记录',
  historyEmpty: '还没有发送请求。',
  steps: '生命周期步骤',
  prev: '上一步',
  next: '下一步',
  stepOf: '第 {n} 步，共 {total} 步：{title}',
  stepNumbered: '第 {n} 步，{title}',
  noSteps: '发送一个请求，就能看到它的每一步。',
  currentStep: '当前步骤',
  engineSays: '原因',
  request: '请求',
  response: '响应',
  body: '响应体',
  anatomy: 'Cookie 拆解',
  sentCookie: '请求携带的 Cookie',
  setCookie: '响应设置的 Cookie',
  noSentCookie: '这个请求没有携带会话 Cookie。',
  noSetCookie: '这个响应没有设置 Cookie。',
  deletesCookie: '响应删除了这个 Cookie：值为空，Expires 是 1970 年。',
  payload: '载荷',
  timestamp: '时间戳',
  signature: '签名',
  compressed: '经过 zlib 压缩（值以点号开头）',
  decodedJson: '载荷（base64 解码后）',
  signedAt: '签名时间',
  signatureLength: '签名',
  signatureSize: 'HMAC-SHA1，{n} 字节',
  notDecodable: '无法解码',
  decision: '为什么设置（或不设置）Cookie',
  noDecision: '请求没有走到 save_session。',
  vary: 'Vary',
  noVary: '没有添加 Vary 头：视图根本没碰会话。',
  loading: '正在启动引擎…',
  loadFailed: '引擎加载失败；上面显示的是构建页面时计算出的结果。',
  durations: { d: ' 天', h: ' 小时', m: ' 分', s: ' 秒' },
  jarAttributes: '保存的属性',
  documentCookie: 'https://site.example/ 页面上的 document.cookie 读到',
  scheme: '协议',
  requestFrom: '请求由谁发起',
  initiators: {
    'same-site': '本站（地址栏，或本站内的链接）',
    'cross-site-link': '其他网站上的链接（顶层 GET 导航）',
    'cross-site-form': '其他网站上的表单（顶层 POST 导航）',
    'cross-site-embed': '其他网站上的图片或 fetch()',
  },
  examples: '示例请求（点击后填入地址栏）',
  noResponseYet: '还没有响应：到这一步视图还没有运行。',
  responseSoFar: '这是这一步之后响应的样子；后面的步骤还可能加上更多响应头。',
  notYet: '还没有：后面的步骤才会做这件事。',
  jarBefore: '请求发出时的 Cookie 存储',
  jarAfter: '收到响应之后的 Cookie 存储',
  checksHeading: '存储里的 Cookie，以及浏览器有没有发送',
  checkSent: '已发送',
  skip: {
    expired: '未发送：已经过期',
    domain: '未发送：属于别的主机',
    path: '未发送：请求路径不在它的 Path 之下',
    secure: '未发送：Secure Cookie 只通过 https 发送',
    'samesite-strict': '未发送：SameSite=Strict，而请求是别的网站发起的',
    'samesite-lax': '未发送：SameSite=Lax 只允许其他网站发起的顶层 GET',
    'samesite-default': '未发送：在 Chromium 里没有 SameSite 就按 Lax 处理，只允许其他网站发起的顶层 GET（Cookie 设置后的头两分钟内，顶层 POST 也可以）',
  },
  storeActions: { stored: '已保存', replaced: '替换了同名、同域、同路径的 Cookie', deleted: '到达时已过期，浏览器把它删除了', rejected: '被拒绝：' },
  reject: {
    empty: '既没有名称也没有值',
    'too-long': '名称加值超过 4096 字节',
    'secure-over-http': '不能通过 http 设置 Secure Cookie',
    'samesite-none-needs-secure': 'SameSite=None 必须同时带 Secure',
    'cross-site-cannot-set': '跨站的图片或 fetch() 只能设置 SameSite=None 的 Cookie',
    'overwrites-secure': 'http 响应不能覆盖 Secure Cookie',
    'domain-mismatch': 'Domain 不包含这个主机',
    'public-suffix': 'Domain 是公共后缀',
    prefix: '不满足 __Secure- / __Host- 前缀的要求',
  },
  presets: {
    login: { label: '登录：写入 user', description: '视图把用户名写进 session，响应于是带上一个签过名的 Set-Cookie。' },
    read: { label: '读取 user', description: '第二个请求把 Cookie 带回服务器：Flask 校验签名、解码载荷，视图读出用户名。' },
    permanent: {
      label: '永久会话',
      description: '设置 session.permanent = True 后，Cookie 带上了 Expires。一天之后，哪怕只是读取会话，Flask 也会重新签名并把过期时间往后推（SESSION_REFRESH_EACH_REQUEST）。31 天后浏览器会丢掉它。',
    },
    logout: { label: '清空 / 登出', description: 'session.clear() 清空了会话，Flask 于是让浏览器删除这个 Cookie。' },
    'cart-trap': {
      label: '嵌套修改陷阱（cart.append 却不设 modified）',
      description: '往 session 里的列表追加元素，不会把会话标记为已修改：页面上看得到第二件商品，可它根本没有写回 Cookie。',
    },
    'cart-fixed': { label: '修正嵌套修改（modified = True）', description: '追加之后设置 session.modified = True，Flask 就会重新写入 Cookie。' },
    'no-secret': {
      label: '没有密钥（NullSession）',
      description: '没有 SECRET_KEY 就无法签名：会话变成 NullSession，可以读，一写就抛出 RuntimeError，返回 500。',
    },
    tampered: {
      label: '被篡改的 Cookie',
      description: '有人在浏览器里改了 Cookie 的一个字符。签名对不上了（BadSignature），Flask 不声不响地换成一个空会话。',
    },
    expired: {
      label: '过期的 Cookie（有效期 120 秒）',
      description: 'PERMANENT_SESSION_LIFETIME 设为 120 秒。登录一小时后，浏览器仍会发送这个 Cookie（它没有 Expires），但签名时间距今已超过有效期：SignatureExpired。',
    },
    'dict-cart-broken': {
      label: 'session_dict.py：有问题的购物车（add-broken）',
      description: '本课的应用。/cart/add-broken/apple 通过赋值创建了购物车，所以被保存；/cart/add-broken/pear 是就地追加，什么都没保存。发送 /cart，看看 Cookie 里留下了什么。',
    },
    'dict-cart-fixed': {
      label: 'session_dict.py：修正后的购物车（add）',
      description: '同一个应用，改走 /cart/add/<item>：追加之后设置 session.modified = True，两件商品都写进了 Cookie。发送 /cart 验证一下。',
    },
    lifecycle: {
      label: 'inside_cookie.py：先登录，再读取',
      description: '本课的应用：/login 写入用户名，/whoami 把它读回来；after_request 函数 add_header 在保存会话之前运行。',
    },
    cookies: {
      label: '普通 Cookie：设置 theme 和 lang，看浏览器带回什么',
      description: '/prefs 按查询参数指定的属性设置 theme 和 lang 两个 Cookie；/ 和 /docs/<page> 显示浏览器带回了什么。改一改路径、协议、请求的发起方，或者拨动时钟，看每个 Cookie 为什么被发送或被留下。',
    },
  },
  titles: {
    'request-received': '收到请求',
    'context-pushed': '推入请求上下文',
    'cookie-read': '读取 Cookie',
    'signature-checked': '校验签名',
    'payload-decoded': '解码载荷',
    'session-opened': '打开会话',
    'session-opened.none': 'open_session 返回 None',
    'session-opened.null': '换上 NullSession',
    'session-op': '视图操作会话',
    'view-returned': '视图返回',
    'view-error': '视图抛出异常',
    'after-request': 'after_request 钩子',
    'save-decision': '保存决策',
    'set-cookie-built': '生成 Set-Cookie',
    'vary-added': '添加 Vary',
    'store-op': '会话存储',
    error: '出错',
    'response-sent': '发送响应',
  },
  summaries: {
    'request-received.cookie': '浏览器发出 {method} {url}，带着 Cookie 请求头。',
    'request-received.nocookie': '浏览器发出 {method} {url}，没有携带任何 Cookie。',
    'context-pushed': 'Flask 推入请求上下文，请 {interface} 打开会话。',
    'context-pushed.unnamed': 'Flask 推入请求上下文，请会话接口打开会话。',
    'cookie-read.none': '请求里没有名为“{name}”的 Cookie。',
    'cookie-read.found': '从请求中读出“{name}”这个 Cookie。',
    'signature-checked.ok': '签名正确：HMAC 一致，Cookie 也没有超过 PERMANENT_SESSION_LIFETIME。',
    'signature-checked.SignatureExpired': 'SignatureExpired：签名本身没问题，但签名时间距今已超过 PERMANENT_SESSION_LIFETIME。',
    'signature-checked.BadTimeSignature': 'BadTimeSignature：时间戳部分缺失或格式不对。',
    'signature-checked.BadSignature': '{error}：签名不匹配，说明 Cookie 被改过，或者是用别的密钥签的。',
    'payload-decoded': '载荷经 base64 解码得到 JSON；这个 Cookie 的签名时间是 {time}。',
    'payload-decoded.compressed': '载荷经 base64 解码、再解压得到 JSON；这个 Cookie 的签名时间是 {time}。',
    'session-opened.new': '创建一个新的空会话。',
    'session-opened.loaded': '从 Cookie 载入会话：{data}',
    'session-opened.none': '没有密钥，会话接口拿不到用来签名的序列化器：open_session 返回 None。',
    'session-opened.null': '没有密钥，Flask 改用 NullSession：只能读，不能写。',
    'session-op.modifies': '视图执行了这一句，会话被标记为已修改。',
    'session-op.reads': '视图执行了这一句，会话没有被标记为已修改。',
    'view-returned': '视图 {endpoint} 返回，响应状态码是 {status}。',
    'view-returned.no-route': '没有路由匹配 {endpoint}，所以没有视图运行：Flask 回答 {status} Not Found。',
    'view-returned.method-not-allowed': '路由 {endpoint} 不接受这个请求方法，所以没有视图运行：Flask 回答 {status}。',
    'view-returned.automatic-options': 'Flask 自己回答 OPTIONS，在 Allow 头里列出 {endpoint} 接受的方法，所以没有视图运行：状态码是 {status}。',
    'view-returned.before-request': '一个 before_request 函数已经返回了响应，所以视图没有被调用；状态码是 {status}。',
    'view-error': '视图 {endpoint} 抛出 {error}，Flask 把它变成 500 响应。',
    'after-request': 'after_request 函数 {name} 运行。',
    'save-decision.set-cookie.modified': '保存决策：会话被修改过，所以发送新的 Set-Cookie。',
    'save-decision.set-cookie.refresh': '保存决策：这是永久会话，且开启了 SESSION_REFRESH_EACH_REQUEST，所以重新签名并把过期时间往后推。',
    'save-decision.delete-cookie': '保存决策：会话已空而且被修改过，所以删除 Cookie。',
    'save-decision.skip.null': '保存决策：会话是 NullSession，什么都不保存。',
    'save-decision.skip.empty': '保存决策：会话是空的，也没有改动，什么都不发送。',
    'save-decision.skip.unchanged': '保存决策：会话没有被修改，不发送 Set-Cookie，浏览器继续使用手里的 Cookie。',
    'save-decision.skip': '保存决策：不发送 Set-Cookie。',
    'set-cookie-built.set': '生成 Set-Cookie 头：名称、签名后的值和各项属性。',
    'set-cookie-built.delete': '生成的 Set-Cookie 值为空、Expires 是 1970 年，浏览器收到后就会删除这个 Cookie。',
    'vary-added': '添加 Vary: {value}，让缓存按不同的 Cookie 分别保存这个响应。',
    'store-op': '会话存储：{command} {key}。',
    error: '出错：{error}。',
    'response-sent': '发送响应：{status}。',
  },
  notes: {
    dropped: '浏览器丢弃了“{name}”这个 Cookie：它的过期时间（{expires}）已经过了。',
    kept: '“{name}”这个 Cookie 已在 {expires} 过期，但这个浏览器照样发送它，就像被复制的 Cookie 或脚本那样。',
    tampered: '“{name}”Cookie 的第 {position} 个字符从“{from}”改成了“{to}”。发送一个请求，看看 Flask 怎么处理。',
    'nothing-to-tamper': '没有可以篡改的会话 Cookie。请先发送一个会设置 Cookie 的请求。',
    cleared: 'Cookie 已全部清除。',
  },
  reasons: REASONS_ZH,
};

export const STRINGS: Record<Lang, Strings> = { en, 'zh-CN': zh };

/** The engine's reason for a step, in the language of `t`. */
export function reasonOf(t: Strings, why: Reason): string {
  return renderReason(t.reasons, why);
}

export { fill };

/** The localized one-sentence summary of a step; falls back to the event title. */
export function summary(t: Strings, key: string, vars: Record<string, string>): string {
  const template = t.summaries[key] ?? t.summaries[key.split('.')[0]!] ?? t.titles[key.split('.')[0]!] ?? key;
  return fill(template, vars);
}

/** "1 d 1 h" style duration for the clock offset. */
export function duration(t: Strings, seconds: number): string {
  const units: [keyof Strings['durations'], number][] = [
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ];
  const parts: string[] = [];
  let rest = Math.max(0, Math.round(seconds));
  for (const [unit, size] of units) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n) parts.push(`${n}${t.durations[unit]}`);
  }
  return parts.length ? parts.join(' ') : `0${t.durations.s}`;
}
