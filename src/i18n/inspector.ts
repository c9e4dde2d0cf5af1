// Every visible string of the cookie inspector, in both languages. Pages pick one set and pass it in.
import type { JwtVerdict, Verdict } from '../components/inspector/inspect.ts';
import { fill as format } from './fill.ts';

export interface InspectorStrings {
  /** The panels shown when the value is a JSON Web Token instead of a Flask cookie. */
  jwt: {
    notice: string;
    parts: { header: string; payload: string; signature: string };
    header: string;
    payload: string;
    verdict: Record<JwtVerdict, string>;
    why: Record<JwtVerdict, string>;
    crackNote: string;
  };
  privacy: string;
  cookieLabel: string;
  cookieHint: string;
  secretLabel: string;
  secretHint: string;
  decodedHeading: string;
  partsLabel: { payload: string; timestamp: string; signature: string };
  compressed: string;
  notCompressed: string;
  sizes: string;
  signedAt: string;
  unix: string;
  iso: string;
  expiresAt: string;
  pythonRepr: string;
  tree: string;
  jsonInside: string;
  empty: string;
  decodeFailed: string;
  stage: { split: string; base64: string; zlib: string; json: string };
  verifyHeading: string;
  verdict: Record<Verdict, string>;
  why: Record<Verdict, string>;
  errorRaised: string;
  cause: string;
  editHeading: string;
  editLabel: string;
  editHint: string;
  resign: string;
  resignedLabel: string;
  useCookie: string;
  needSecret: string;
  flip: string;
  flipped: string;
  crackHeading: string;
  crackIntro: string;
  /** What goes between two sentences: a space in English, nothing in Chinese. */
  sentenceGap: string;
  crackBuiltIn: string;
  crackFile: string;
  crackStart: string;
  crackStop: string;
  crackProgress: string;
  crackRate: string;
  crackFound: string;
  crackNotFound: string;
  crackStopped: string;
  crackError: string;
  useFound: string;
  loading: string;
  clockLegend: string;
  maxAgeLabel: string;
  maxAgeHint: string;
  maxAgeNone: string;
  maxAgeInvalid: string;
  nowLegend: string;
  nowFixed: string;
  nowMoment: string;
  nowReal: string;
  nowHint: string;
  nowInvalid: string;
  checkedAt: string;
  checkedAtNoMaxAge: string;
  realTime: string;
  /** Singular and plural of each unit, `{n}` for the number. */
  units: { day: [string, string]; hour: [string, string]; minute: [string, string]; second: [string, string] };
  crackRateShort: string;
}

const en: InspectorStrings = {
  privacy: 'Everything happens in this page: the cookie and the key never leave your browser, and nothing is sent anywhere.',
  cookieLabel: 'Cookie',
  cookieHint: 'Paste the value of a Flask session cookie, or a whole Cookie or Set-Cookie header.',
  secretLabel: 'Secret key',
  secretHint: "The app's SECRET_KEY. Leave it empty to only decode.",
  decodedHeading: 'What the cookie says',
  partsLabel: { payload: 'payload', timestamp: 'timestamp', signature: 'signature' },
  compressed: 'Compressed: the payload starts with a dot and is zlib data.',
  notCompressed: 'Not compressed: the payload is plain base64url JSON.',
  sizes: 'Sizes',
  signedAt: 'Signed at',
  unix: 'Unix',
  iso: 'ISO 8601',
  expiresAt: 'Flask refuses it after',
  pythonRepr: 'As Python prints it',
  tree: 'Values and their Python types',
  jsonInside: 'The tagged JSON inside',
  empty: 'empty',
  decodeFailed: 'The payload does not decode.',
  stage: {
    split: 'The value has no dots, so it is not a signed cookie.',
    base64: 'The payload is not valid base64.',
    zlib: 'The payload starts with a dot, but what follows is not zlib data.',
    json: 'The payload decodes, but the text inside is not valid tagged JSON.',
  },
  verifyHeading: 'Signature',
  verdict: {
    valid: 'Valid: Flask would load this session.',
    expired: 'Signature valid, but expired.',
    future: 'Signature valid, but from the future.',
    mismatch: 'Invalid signature.',
    'no-separator': 'Not a signed value.',
    'no-timestamp': 'Timestamp missing.',
    'malformed-timestamp': 'Malformed timestamp.',
    'bad-payload': 'Signature valid, payload broken.',
    'no-secret': 'No key given: decoded only, not verified.',
  },
  why: {
    valid: 'The HMAC-SHA1 of payload.timestamp, keyed with HMAC(secret, "cookie-session"), equals the signature, and the cookie is no older than max_age (when one is set).',
    expired: 'The key is right, but at the moment checked the cookie is older than max_age (Flask passes PERMANENT_SESSION_LIFETIME). Flask starts an empty session instead.',
    future: 'The key is right, but the cookie was signed after the moment checked; with max_age set, itsdangerous refuses that too. To check a cookie signed recently, choose the current time above.',
    mismatch: 'Either the cookie was changed after it was signed, or this is not the key that signed it. Flask quietly starts an empty session.',
    'no-separator': 'itsdangerous splits at the last dot; without one there is no signature to check.',
    'no-timestamp': 'The signature matches, but there is no timestamp part between the payload and the signature.',
    'malformed-timestamp': 'The timestamp part cannot be read as a number.',
    'bad-payload': 'The signature matches, so whoever signed it holds the key, but the payload cannot be decoded. Flask raises BadPayload and answers 500.',
    'no-secret': 'Anyone can read a Flask session cookie: it is signed, not encrypted. Only the key decides whether it can be trusted.',
  },
  errorRaised: 'itsdangerous raises',
  cause: 'caused by',
  editHeading: 'Edit and re-sign',
  editLabel: 'Payload (tagged JSON)',
  editHint: 'Change a value and sign again with the key above, as Flask would: keys sorted, compressed if shorter, timestamp now.',
  resign: 'Sign with this key',
  resignedLabel: 'Re-signed cookie',
  useCookie: 'Inspect this cookie',
  needSecret: 'Enter a secret key first.',
  flip: 'Flip one character',
  flipped: 'Changed character {index} of the payload from “{from}” to “{to}”.',
  crackHeading: 'Guess a weak key',
  crackIntro: 'Tries each line of a wordlist as the key, with the same HMAC check, in a background worker.',
  sentenceGap: ' ',
  crackBuiltIn: 'Built-in list of {count} common keys',
  crackFile: 'Or load your own wordlist (one key per line)',
  crackStart: 'Start guessing',
  crackStop: 'Stop',
  crackProgress: 'Guessing progress',
  crackRate: '{tried} of {total} tried, {rate} guesses per second',
  crackFound: 'Found the key: {key}',
  crackNotFound: 'None of the {total} keys signed this cookie.',
  crackStopped: 'Stopped after {tried} guesses.',
  crackError: 'Cannot guess for this value',
  useFound: 'Use this key',
  loading: 'Loading…',
  clockLegend: 'How old may the cookie be?',
  maxAgeLabel: 'max_age, in seconds (PERMANENT_SESSION_LIFETIME)',
  maxAgeHint: "Flask passes PERMANENT_SESSION_LIFETIME to itsdangerous as max_age; Flask's default is 2678400 seconds, 31 days.",
  maxAgeNone: 'None: no age check (itsdangerous with max_age=None; Flask itself always passes one)',
  maxAgeInvalid: 'max_age must be a whole number of seconds, 0 or more.',
  nowLegend: 'Check it at',
  nowFixed: 'A fixed moment',
  nowMoment: 'Moment (UTC)',
  nowReal: "The current time (this computer's clock)",
  nowHint: 'The example was signed at {signed}; the fixed moment starts an hour later, so it is valid. Paste a cookie of your own and the current time is used, unless you set a moment yourself.',
  nowInvalid: 'Enter a date and a time.',
  checkedAt: 'Checked at {now} with max_age {maxAge}.',
  checkedAtNoMaxAge: 'Checked at {now} with no max_age: any age passes.',
  realTime: ' (now)',
  units: { day: ['{n} day', '{n} days'], hour: ['{n} hour', '{n} hours'], minute: ['{n} minute', '{n} minutes'], second: ['{n} second', '{n} seconds'] },
  crackRateShort: '{tried} of {total} tried in {ms} ms, too short a run to give a rate',
  jwt: {
    notice: 'This is a JSON Web Token (RFC 7519), not a Flask session cookie: a different format. It is shown and checked as an HS256 token.',
    parts: { header: 'header', payload: 'payload', signature: 'signature' },
    header: 'Header (JSON)',
    payload: 'Payload (JSON)',
    verdict: {
      valid: 'Valid HS256 token.',
      'no-secret': 'No key given: decoded only, not verified.',
      malformed: 'Not a JWT.',
      'bad-base64': 'Not base64url.',
      'bad-json': 'Not JSON.',
      'unsupported-alg': 'Refused: not HS256.',
      'bad-signature': 'Invalid signature.',
      expired: 'Signature valid, but expired.',
      'not-yet-valid': 'Signature valid, but not valid yet.',
    },
    why: {
      valid: 'The HMAC-SHA256 of header.payload, keyed with the secret itself, equals the signature, and exp and nbf (when present) allow the moment checked.',
      'no-secret': 'Anyone can read a JWT: like a Flask cookie it is signed, not encrypted.',
      malformed: 'A JWT has exactly three parts separated by dots.',
      'bad-base64': 'Each part of a JWT is base64url without padding.',
      'bad-json': 'The header must be a JSON object and the payload JSON.',
      'unsupported-alg': 'The header names another algorithm (perhaps "none"). A verifier must decide the algorithm itself and never take it from the token.',
      'bad-signature': 'Either the token was changed after it was signed, or this is not the key that signed it.',
      expired: 'The key is right, but the moment checked is at or after the exp claim.',
      'not-yet-valid': 'The key is right, but the moment checked is before the nbf claim.',
    },
    crackNote: 'Guessing tries each line as the HS256 key (HMAC-SHA256 over header.payload).',
  },
};

const zhCN: InspectorStrings = {
  privacy: '所有计算都在本页完成：Cookie 和密钥都不会离开你的浏览器，也不会发送到任何地方。',
  cookieLabel: 'Cookie',
  cookieHint: '粘贴 Flask 会话 Cookie 的值，也可以粘贴整行 Cookie 或 Set-Cookie 头。',
  secretLabel: '密钥',
  secretHint: '应用的 SECRET_KEY。留空则只解码。',
  decodedHeading: 'Cookie 里写了什么',
  partsLabel: { payload: '载荷', timestamp: '时间戳', signature: '签名' },
  compressed: '已压缩：载荷以点号开头，后面是 zlib 数据。',
  notCompressed: '未压缩：载荷就是 base64url 编码的 JSON。',
  sizes: '大小',
  signedAt: '签名时间',
  unix: 'Unix 时间',
  iso: 'ISO 8601',
  expiresAt: 'Flask 在此之后拒绝它',
  pythonRepr: 'Python 打印出来的样子',
  tree: '各个值及其 Python 类型',
  jsonInside: '里面的带标签 JSON',
  empty: '空',
  decodeFailed: '载荷无法解码。',
  stage: {
    split: '这个值里没有点号，不是签名过的 Cookie。',
    base64: '载荷不是合法的 base64。',
    zlib: '载荷以点号开头，但后面不是 zlib 数据。',
    json: '载荷能解码，但里面的文本不是合法的带标签 JSON。',
  },
  verifyHeading: '签名',
  verdict: {
    valid: '有效：Flask 会加载这个会话。',
    expired: '签名有效，但已过期。',
    future: '签名有效，但时间在未来。',
    mismatch: '签名无效。',
    'no-separator': '不是签名过的值。',
    'no-timestamp': '缺少时间戳。',
    'malformed-timestamp': '时间戳格式错误。',
    'bad-payload': '签名有效，但载荷已损坏。',
    'no-secret': '没有填写密钥：只解码，不验证。',
  },
  why: {
    valid: '用 HMAC(密钥, "cookie-session") 作为密钥，对“载荷.时间戳”计算 HMAC-SHA1，结果与签名一致，而且 Cookie 的年龄不超过 max_age（如果设置了的话）。',
    expired: '密钥是对的，但在检查的时刻，Cookie 的年龄已超过 max_age（Flask 传入的是 PERMANENT_SESSION_LIFETIME）。Flask 会改为开启一个空会话。',
    future: '密钥是对的，但 Cookie 的签名时间晚于检查的时刻；设置了 max_age 时，itsdangerous 也会拒绝。要检查刚签名的 Cookie，请在上面选择当前时间。',
    mismatch: '要么 Cookie 在签名之后被改过，要么签名用的不是这个密钥。Flask 会悄悄开启一个空会话。',
    'no-separator': 'itsdangerous 在最后一个点号处切分；没有点号就没有可检查的签名。',
    'no-timestamp': '签名匹配，但载荷和签名之间没有时间戳部分。',
    'malformed-timestamp': '时间戳部分无法读成数字。',
    'bad-payload': '签名匹配，说明签名者持有密钥，但载荷无法解码。Flask 会抛出 BadPayload，返回 500。',
    'no-secret': '任何人都能读出 Flask 会话 Cookie 的内容：它只是签名，没有加密。能否信任它，只取决于密钥。',
  },
  errorRaised: 'itsdangerous 抛出',
  cause: '起因',
  editHeading: '修改并重新签名',
  editLabel: '载荷（带标签 JSON）',
  editHint: '修改一个值，再用上面的密钥像 Flask 那样重新签名：键排序，压缩后更短就压缩，时间戳取当前时间。',
  resign: '用这个密钥签名',
  resignedLabel: '重新签名后的 Cookie',
  useCookie: '检查这个 Cookie',
  needSecret: '请先填写密钥。',
  flip: '改动一个字符',
  flipped: '把载荷的第 {index} 个字符从“{from}”改成了“{to}”。',
  crackHeading: '猜测弱密钥',
  crackIntro: '在 Web Worker 中把字典的每一行当作密钥，做同样的 HMAC 检查。',
  sentenceGap: '',
  crackBuiltIn: '内置的 {count} 个常见密钥',
  crackFile: '或者载入你自己的字典（每行一个密钥）',
  crackStart: '开始猜测',
  crackStop: '停止',
  crackProgress: '猜测进度',
  crackRate: '已尝试 {tried} / {total} 个，每秒 {rate} 次',
  crackFound: '找到密钥：{key}',
  crackNotFound: '这 {total} 个密钥都没有签过这个 Cookie。',
  crackStopped: '尝试 {tried} 次后停止。',
  crackError: '无法对这个值进行猜测',
  useFound: '使用这个密钥',
  loading: '加载中…',
  clockLegend: 'Cookie 最多可以多旧？',
  maxAgeLabel: 'max_age，单位秒（PERMANENT_SESSION_LIFETIME）',
  maxAgeHint: 'Flask 把 PERMANENT_SESSION_LIFETIME 作为 max_age 传给 itsdangerous；Flask 的默认值是 2678400 秒，即 31 天。',
  maxAgeNone: '无：不检查年龄（itsdangerous 的 max_age=None；Flask 自己总会传入一个值）',
  maxAgeInvalid: 'max_age 必须是大于等于 0 的整数秒。',
  nowLegend: '检查时刻',
  nowFixed: '固定时刻',
  nowMoment: '时刻（UTC）',
  nowReal: '当前时间（本机时钟）',
  nowHint: '示例 Cookie 的签名时间是 {signed}；固定时刻默认是它之后一小时，所以示例有效。粘贴你自己的 Cookie 后，会改用当前时间，除非你自己设定了时刻。',
  nowInvalid: '请输入日期和时间。',
  checkedAt: '检查时刻 {now}，max_age 为 {maxAge}。',
  checkedAtNoMaxAge: '检查时刻 {now}，没有 max_age：多旧都能通过。',
  realTime: '（现在）',
  units: { day: ['{n} 天', '{n} 天'], hour: ['{n} 小时', '{n} 小时'], minute: ['{n} 分钟', '{n} 分钟'], second: ['{n} 秒', '{n} 秒'] },
  crackRateShort: '已尝试 {tried} / {total} 个，用时 {ms} 毫秒；运行时间太短，给不出速率',
  jwt: {
    notice: '这是一个 JSON Web Token（RFC 7519），不是 Flask 的会话 Cookie，属于另一种格式。下面按 HS256 令牌来显示和校验。',
    parts: { header: '头部', payload: '载荷', signature: '签名' },
    header: '头部（JSON）',
    payload: '载荷（JSON）',
    verdict: {
      valid: 'HS256 令牌有效。',
      'no-secret': '没有给出密钥：只解码，不校验。',
      malformed: '不是 JWT。',
      'bad-base64': '不是 base64url。',
      'bad-json': '不是 JSON。',
      'unsupported-alg': '拒绝：不是 HS256。',
      'bad-signature': '签名无效。',
      expired: '签名有效，但已过期。',
      'not-yet-valid': '签名有效，但还没到生效时间。',
    },
    why: {
      valid: '用密钥本身对 header.payload 计算的 HMAC-SHA256 与签名一致，并且 exp 和 nbf（如果有）允许所校验的时刻。',
      'no-secret': '任何人都能读 JWT：和 Flask 的 Cookie 一样，它只是签名，没有加密。',
      malformed: 'JWT 恰好由三个用点分隔的部分组成。',
      'bad-base64': 'JWT 的每个部分都是不带填充的 base64url。',
      'bad-json': '头部必须是 JSON 对象，载荷必须是 JSON。',
      'unsupported-alg': '头部写的是别的算法（也许是“none”）。校验方必须自己决定算法，绝不能听令牌的。',
      'bad-signature': '要么令牌在签名之后被改过，要么签名用的不是这个密钥。',
      expired: '密钥是对的，但所校验的时刻已经到了或超过 exp。',
      'not-yet-valid': '密钥是对的，但所校验的时刻早于 nbf。',
    },
    crackNote: '猜测时把每一行当作 HS256 密钥（对 header.payload 计算 HMAC-SHA256）。',
  },
};

/** The inspector's strings by Starlight locale (`root` is English). */
export const inspectorStrings: Record<'en' | 'zh-cn', InspectorStrings> = { en, 'zh-cn': zhCN };

/**
 * A number of seconds in the largest unit that divides it exactly, e.g. `2678400 seconds (31 days)`; seconds
 * alone when no larger unit fits.
 */
export function durationText(seconds: number, t: Pick<InspectorStrings, 'units'>): string {
  const unit = (u: keyof InspectorStrings['units'], n: number) => format(t.units[u][n === 1 ? 0 : 1], { n: String(n) });
  const inSeconds = unit('second', seconds);
  for (const [u, size] of [['day', 86400], ['hour', 3600], ['minute', 60]] as const) {
    if (seconds >= size && seconds % size === 0) return `${inSeconds} (${unit(u, seconds / size)})`;
  }
  return inSeconds;
}

export { format };
