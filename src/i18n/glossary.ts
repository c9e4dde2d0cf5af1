// The course's glossary: one Chinese term per concept, used on every page, in every widget and in every exercise.
// content/glossary.mdx and content/zh-cn/glossary.mdx show it to readers; tests/lessons/zh-language.test.ts checks
// that no banned variant appears in the built Chinese pages, the widgets' Chinese strings or the exercises.
//
// A variant is banned in prose only: code (a code block, inline code) keeps the names Python and Flask use.

export interface GlossaryEntry {
  /** A stable id, used as the table row's anchor. */
  id: string;
  /** The English term the English pages use. */
  en: string;
  /** The one Chinese term. */
  zh: string;
  /** Other Chinese (or untranslated English) names for the same concept, which no Chinese page may use. */
  banned: readonly string[];
  /** Why this term, or what to keep it apart from, in each language. */
  note: { en: string; zh: string };
}

export const GLOSSARY: readonly GlossaryEntry[] = [
  {
    id: 'session',
    en: 'session',
    zh: '会话',
    banned: [],
    note: {
      en: 'Flask’s `session` object and the idea behind it; the code name `session` stays as it is.',
      zh: '既指 Flask 的 `session` 对象，也指它背后的概念；代码里的 `session` 照原样写。',
    },
  },
  {
    id: 'session-cookie',
    en: 'session cookie',
    zh: '会话 Cookie',
    banned: ['session Cookie'],
    note: {
      en: 'Only the cookie that carries Flask’s session (named `session` by default), never a cookie without an expiry date.',
      zh: '只指承载 Flask 会话的那个 Cookie（默认名为 `session`），不指没有过期时间的 Cookie。',
    },
  },
  {
    id: 'non-persistent-cookie',
    en: 'non-persistent cookie (no Expires, no Max-Age)',
    zh: '临时 Cookie',
    banned: ['浏览器会话 Cookie', '会话期 Cookie', '会话性 Cookie', '会话级 Cookie'],
    note: {
      en: 'A cookie the browser keeps until it considers the browsing session over.',
      zh: '没有 `Expires` 也没有 `Max-Age`，浏览器认为浏览结束时就丢掉的 Cookie。不叫“会话 Cookie”，免得和 Flask 的会话 Cookie 混淆。',
    },
  },
  {
    id: 'persistent-cookie',
    en: 'persistent cookie',
    zh: '持久 Cookie',
    banned: ['持久性 Cookie', '永久 Cookie', '永久性 Cookie'],
    note: { en: 'A cookie with `Expires` or `Max-Age`.', zh: '带 `Expires` 或 `Max-Age` 的 Cookie。' },
  },
  {
    id: 'permanent-session',
    en: 'permanent session',
    zh: '永久会话',
    banned: ['持久会话', '持久化会话'],
    note: {
      en: '`session.permanent = True`: the cookie gets an expiry date and the server checks its age.',
      zh: '`session.permanent = True`：Cookie 带上过期时间，服务器也检查它的年龄。',
    },
  },
  {
    id: 'cookie-jar',
    en: 'cookie jar',
    zh: 'Cookie 存储',
    banned: ['Cookie 罐', '罐子', 'Cookie jar', 'Cookie 仓库', 'Cookie 库'],
    note: { en: 'Where a browser keeps the cookies it was given.', zh: '浏览器保存所收到的 Cookie 的地方。' },
  },
  {
    id: 'secret-key',
    en: 'secret key',
    zh: '密钥',
    banned: ['秘钥', '私钥', '密匙'],
    note: {
      en: '`SECRET_KEY`, shared by the signer and the verifier (HMAC has no private/public pair).',
      zh: '`SECRET_KEY`，签名方和验证方共用同一把（HMAC 没有公钥、私钥之分，所以不叫“私钥”）。',
    },
  },
  {
    id: 'fallback-keys',
    en: 'fallback keys',
    zh: '备用密钥',
    banned: ['后备', '回退密钥', '旧密钥列表'],
    note: {
      en: '`SECRET_KEY_FALLBACKS` (Flask 3.1+): older keys still accepted when verifying, never used to sign.',
      zh: '`SECRET_KEY_FALLBACKS`（Flask 3.1 起）：验证时仍然接受的旧密钥，从不用来签名。',
    },
  },
  {
    id: 'key-rotation',
    en: 'key rotation',
    zh: '密钥轮换',
    banned: ['轮转', '密钥更替'],
    note: { en: 'Replacing `SECRET_KEY` with a new key.', zh: '把 `SECRET_KEY` 换成新密钥。' },
  },
  {
    id: 'salt',
    en: 'salt',
    zh: '盐',
    banned: ['盐值', '加盐值', 'salt'],
    note: {
      en: 'A fixed, public label mixed into the key (`cookie-session`, `flask-session`); it hides nothing.',
      zh: '混进密钥里的一个固定、公开的标签（`cookie-session`、`flask-session`），它什么也不隐藏。代码里的 `salt` 参数照原样写。',
    },
  },
  {
    id: 'signature',
    en: 'signature',
    zh: '签名',
    banned: ['签章'],
    note: { en: 'The HMAC at the end of a signed value.', zh: '签名值末尾的那段 HMAC。' },
  },
  {
    id: 'payload',
    en: 'payload',
    zh: '载荷',
    banned: ['有效载荷', '有效负载', '负荷'],
    note: {
      en: 'The signed data, before the timestamp and the signature. (Load balancing stays 负载均衡.)',
      zh: '被签名的数据，位于时间戳和签名之前。（“负载均衡”里的“负载”是另一回事。）',
    },
  },
  {
    id: 'timestamp',
    en: 'timestamp',
    zh: '时间戳',
    banned: ['时间印', '时间标记'],
    note: { en: 'When the value was signed, in seconds since 1970.', zh: '签名的时刻，从 1970 年起算的秒数。' },
  },
  {
    id: 'signer',
    en: 'signer',
    zh: '签名器',
    banned: ['签名者对象', '签署器'],
    note: { en: 'itsdangerous’s `Signer` and its subclasses.', zh: 'itsdangerous 的 `Signer` 及其子类。' },
  },
  {
    id: 'serializer',
    en: 'serializer',
    zh: '序列化器',
    banned: ['串行化器', '序列器'],
    note: { en: 'Turns the session into text (or bytes) and back.', zh: '把会话变成文本（或字节）、再变回来的对象。' },
  },
  {
    id: 'tamper',
    en: 'tamper',
    zh: '篡改',
    banned: ['窜改'],
    note: { en: 'Changing a cookie’s value in the browser.', zh: '在浏览器里改动 Cookie 的值。' },
  },
  {
    id: 'log-out',
    en: 'log out',
    zh: '登出',
    banned: ['退出登录', '注销', '登出登录'],
    note: {
      en: 'Ending a user’s login. 注销 is avoided: it also means deleting an account.',
      zh: '结束用户的登录状态，与“登录”相对。不用“注销”：它也指删除账号。',
    },
  },
  {
    id: 'revoke',
    en: 'revoke',
    zh: '撤销',
    banned: ['吊销', '作废会话'],
    note: {
      en: 'Making a session invalid on the server before it expires.',
      zh: '在会话过期之前，由服务器让它失效。（“吊销”留给证书。）',
    },
  },
  {
    id: 'flash-message',
    en: 'flashed message',
    zh: '闪现消息',
    banned: ['flash 消息', 'Flash 消息', '快闪消息'],
    note: { en: 'A message stored by `flash()` for the next request.', zh: '用 `flash()` 存下、留给下一个请求显示的消息。' },
  },
  {
    id: 'worker',
    en: 'worker (process)',
    zh: '工作进程',
    banned: ['worker', 'Worker 进程'],
    note: {
      en: 'One of the processes a server such as gunicorn runs (`gunicorn -w 4`). A browser’s Web Worker is another thing.',
      zh: 'gunicorn 等服务器运行的多个进程之一（`gunicorn -w 4`）。浏览器里的 Web Worker 是另一回事，照原名写。',
    },
  },
  {
    id: 'web-worker',
    en: 'Web Worker',
    zh: 'Web Worker',
    banned: ['网页工作者', '后台 Worker'],
    note: { en: 'A browser thread that runs a script beside the page.', zh: '浏览器中在页面之外运行脚本的线程。' },
  },
  {
    id: 'session-id',
    en: 'session id',
    zh: '会话 id',
    banned: ['session id', '会话 ID', '会话标识符', '会话编号'],
    note: {
      en: 'The random name under which a server-side store keeps a session.',
      zh: '服务器端存储保存一个会话时所用的随机名字。',
    },
  },
  {
    id: 'server-side-session',
    en: 'server-side session',
    zh: '服务器端会话',
    banned: ['服务端会话', '后端会话'],
    note: { en: 'Session data kept in a store (Redis), with only an id in the cookie.', zh: '数据放在存储（Redis）里，Cookie 里只有一个 id。' },
  },
  {
    id: 'session-store',
    en: 'session store',
    zh: '会话存储',
    banned: ['会话仓库', '会话库'],
    note: { en: 'Where server-side sessions live (Redis here).', zh: '服务器端会话所在的地方（本课程里是 Redis）。' },
  },
  {
    id: 'session-fixation',
    en: 'session fixation',
    zh: '会话固定',
    banned: ['会话固化', '固定会话攻击', '会话定置'],
    note: {
      en: 'The attacker chooses the session id the victim will log in under.',
      zh: '攻击者事先选定受害者登录时使用的会话 id。',
    },
  },
  {
    id: 'replay',
    en: 'replay',
    zh: '重放',
    banned: ['回放攻击', '重播'],
    note: { en: 'Sending a copied cookie again.', zh: '把复制来的 Cookie 再发送一次。' },
  },
  {
    id: 'request-context',
    en: 'request context',
    zh: '请求上下文',
    banned: ['请求语境', '请求环境'],
    note: { en: 'What Flask pushes for each request; `session` lives in it.', zh: 'Flask 为每个请求推入的上下文，`session` 就在其中。' },
  },
  {
    id: 'view-function',
    en: 'view (function)',
    zh: '视图函数',
    banned: ['视图方法', '路由函数'],
    note: { en: 'The function a route calls; “视图” alone is fine in context.', zh: '路由调用的函数；上下文清楚时可以只说“视图”。' },
  },
  {
    id: 'hash-slot',
    en: 'hash slot',
    zh: '哈希槽',
    banned: ['散列槽', '哈希插槽'],
    note: { en: 'One of Redis Cluster’s 16384 slots.', zh: 'Redis Cluster 的 16384 个槽之一。' },
  },
  {
    id: 'hash-tag',
    en: 'hash tag',
    zh: '哈希标签',
    banned: ['散列标签', '哈希标记'],
    note: { en: 'The `{…}` part of a key that alone decides its slot.', zh: '键里的 `{…}` 部分，只有它决定键落在哪个槽。' },
  },
  {
    id: 'sticky-sessions',
    en: 'sticky sessions',
    zh: '粘性会话',
    banned: ['黏性会话', '会话粘滞', '会话保持'],
    note: { en: 'A load balancer sending each browser to the same worker.', zh: '负载均衡器把同一个浏览器总是发给同一个工作进程。' },
  },
  {
    id: 'deserialization',
    en: 'deserialization',
    zh: '反序列化',
    banned: ['解序列化', '逆序列化'],
    note: { en: 'Turning stored bytes back into objects (pickle).', zh: '把存储的字节还原成对象（pickle）。' },
  },
  {
    id: 'remote-code-execution',
    en: 'remote code execution',
    zh: '远程代码执行',
    banned: ['远端代码执行', '远程命令执行'],
    note: { en: 'Running the attacker’s code on the server.', zh: '在服务器上运行攻击者的代码。' },
  },
  {
    id: 'header',
    en: 'header',
    zh: '头',
    banned: ['首部', '标头', '报头'],
    note: { en: 'An HTTP header (`Set-Cookie` 头, 请求头, 响应头).', zh: 'HTTP 头（`Set-Cookie` 头、请求头、响应头）。' },
  },
  {
    id: 'key-derivation',
    en: 'key derivation',
    zh: '密钥派生',
    banned: ['密钥推导', '密钥衍生'],
    note: { en: 'Making the signing key from the secret key and the salt.', zh: '由密钥和盐算出真正用来签名的密钥。' },
  },
];

/**
 * The banned variants found in a text, as `[variant, chosen term]` pairs, one per occurrence. A chosen term that
 * contains a banned word of another concept (Web Worker contains worker) does not count against it. ASCII
 * variants are matched without regard to case.
 */
export function bannedVariantsIn(text: string, glossary: readonly GlossaryEntry[] = GLOSSARY): [string, string][] {
  const found: [string, string][] = [];
  for (const entry of glossary) {
    for (const variant of entry.banned) {
      const fold = /^[\x20-\x7e]+$/.test(variant) ? (s: string) => s.toLowerCase() : (s: string) => s;
      let rest = fold(text);
      for (const term of glossary) if (term !== entry && fold(term.zh).includes(fold(variant))) rest = rest.split(fold(term.zh)).join('\u0001');
      for (let at = rest.indexOf(fold(variant)); at !== -1; at = rest.indexOf(fold(variant), at + 1)) found.push([variant, entry.zh]);
    }
  }
  return found;
}
