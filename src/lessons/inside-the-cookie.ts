// Build-time demos for the lesson "Inside the cookie": a request's lifecycle trace, and a session
// token taken apart piece by piece with the engine's own itsdangerous and Flask functions.
import { Flask } from '../engine/flask/app.ts';
import { sessionJsonSerializer } from '../engine/flask/json/tag.ts';
import { SecureCookieSessionInterface } from '../engine/flask/sessions.ts';
import type { TraceEvent } from '../engine/flask/trace.ts';
import { base64Decode, base64Encode, bytesToInt, utf8Decode, wantBytes } from '../engine/itsdangerous/encoding.ts';
import { hmac } from '../engine/itsdangerous/signer.ts';
import { zlibCompress, zlibDecompress } from '../engine/itsdangerous/url_safe.ts';
import { Markup, PyTuple, PyUUID, type PyDict, type PyValue } from '../engine/python/values.ts';
import { Clock, DEMO_TIME, cookieValue, send, type ExchangeView } from './exchange.ts';

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

/** examples/python/inside_cookie.py on the engine, with an after_request hook to show its place. */
function insideCookieApp(clock = new Clock()): Flask {
  const app = new Flask({ config: { SECRET_KEY: 'dev' }, now: clock.now });
  app.route('/login', ({ session }) => {
    session.set('user', 'alice');
    return 'logged in';
  });
  app.route('/whoami', ({ session }) => String(session.get('user', 'nobody')));
  app.afterRequest(function add_header(response) {
    response.headers.push(['X-Frame-Options', 'DENY']);
  });
  return app;
}

/** Two requests (log in, then read) with their full lifecycle traces. */
export async function lifecycle(): Promise<{ login: ExchangeView; whoami: ExchangeView }> {
  const client = insideCookieApp().testClient();
  const login = await send(client, '/login');
  const whoami = await send(client, '/whoami');
  return { login, whoami };
}

/** Decodes a session cookie without any key (signed is not encrypted). Mirrors `peek` in inside_cookie.py. */
export function peek(cookie: string): { json: string; data: PyValue; compressed: boolean } {
  const last = cookie.lastIndexOf('.');
  const payloadAndTime = cookie.slice(0, last);
  let payload = payloadAndTime.slice(0, payloadAndTime.lastIndexOf('.'));
  const compressed = payload.startsWith('.');
  if (compressed) payload = payload.slice(1);
  let raw = base64Decode(payload);
  if (compressed) raw = zlibDecompress(raw);
  const json = utf8Decode(raw);
  return { json, data: sessionJsonSerializer.loads(json), compressed };
}

/** One part of the token with what it means. */
export interface TokenPart {
  part: 'payload' | 'timestamp' | 'signature';
  text: string;
  decoded: string;
}

/** The anatomy of one session token, everything recomputed from the engine. */
export interface Anatomy {
  secretKey: string;
  salt: string;
  token: string;
  setCookie: string;
  parts: TokenPart[];
  json: string;
  timestamp: number;
  isoTime: string;
  derivedKeyHex: string;
  signedText: string;
  recomputedSignature: string;
  signatureMatches: boolean;
}

/** Logs in on the engine app and takes the resulting cookie apart. */
export async function anatomy(): Promise<Anatomy> {
  const login = await send(insideCookieApp().testClient(), '/login');
  const token = cookieValue(login);
  if (!token) throw new Error('the login response set no session cookie');
  const [payload, stamp, signature] = token.split('.');
  const json = utf8Decode(base64Decode(payload));
  const timestamp = bytesToInt(base64Decode(stamp));
  const iface = new SecureCookieSessionInterface();
  const derived = hmac('sha1', wantBytes('dev'), wantBytes(iface.salt));
  const signedText = `${payload}.${stamp}`;
  const recomputed = base64Encode(hmac('sha1', derived, wantBytes(signedText)));
  return {
    secretKey: 'dev',
    salt: iface.salt,
    token,
    setCookie: login.responseHeaders.find(([k]) => k === 'Set-Cookie')![1],
    parts: [
      { part: 'payload', text: payload, decoded: json },
      { part: 'timestamp', text: stamp, decoded: `${hex(base64Decode(stamp))} = ${timestamp}` },
      { part: 'signature', text: signature, decoded: hex(base64Decode(signature)) },
    ],
    json,
    timestamp,
    isoTime: new Date(timestamp * 1000).toISOString().replace('.000Z', 'Z'),
    derivedKeyHex: hex(derived),
    signedText,
    recomputedSignature: recomputed,
    signatureMatches: recomputed === signature,
  };
}

/** A value that needs a tag, and the tagged JSON Flask writes for it. */
export interface TagExample {
  python: string;
  json: string;
}

const TAG_EXAMPLES: [string, PyValue][] = [
  ['("a", 1)', new PyTuple(['a', 1])],
  ['b"\\x00\\xff"', new Uint8Array([0x00, 0xff])],
  ['datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc)', new Date(Date.UTC(2024, 0, 2, 3, 4, 5))],
  ['Markup("<b>hi</b>")', new Markup('<b>hi</b>')],
  ['UUID("12345678-1234-5678-1234-567812345678")', new PyUUID('12345678-1234-5678-1234-567812345678')],
  ['{" t": "looks like a tag"}', new Map([[' t', 'looks like a tag']])],
  ['"héllo ☃"', 'héllo ☃'],
];

/** Flask's tagged JSON for values plain JSON cannot carry, as stored under the key "v". */
export function tagExamples(): TagExample[] {
  return TAG_EXAMPLES.map(([python, value]) => ({
    python,
    json: sessionJsonSerializer.dumps(new Map([['v', value]]) as PyDict, { sortKeys: true }),
  }));
}

/** A session big enough to be compressed: sizes at each stage and the token's leading dot. */
export async function compressedExample(): Promise<{ json: string; jsonBytes: number; zlibBytes: number; token: string; peeked: string }> {
  const app = new Flask({ config: { SECRET_KEY: 'dev' }, now: () => DEMO_TIME });
  app.route('/fill', ({ session }) => {
    session.set('cart', Array.from({ length: 20 }, (_, i) => `item-${i}`));
    return 'ok';
  });
  const x = await send(app.testClient(), '/fill');
  const token = cookieValue(x);
  if (!token) throw new Error('no cookie');
  const json = peek(token).json;
  const jsonBytes = wantBytes(json).length;
  return { json, jsonBytes, zlibBytes: zlibCompress(wantBytes(json)).length, token, peeked: peek(token).json };
}
