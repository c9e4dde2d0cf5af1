// The cookie inspector's logic: read, verify, re-sign and tamper with Flask session cookies, as plain functions.
import { sessionJsonSerializer } from '../../engine/flask/json/tag.ts';
import { base64urlDecode, decodeJwt, verifyHs256, type DecodedJwt, type JwtError } from '../../engine/jwt.ts';
import { base64Decode, bytesToInt } from '../../engine/itsdangerous/encoding.ts';
import { BadData, BadPayload, BadSignature, BadTimeSignature, SignatureExpired } from '../../engine/itsdangerous/exc.ts';
import type { DataSerializer } from '../../engine/itsdangerous/serializer.ts';
import { URLSafeTimedSerializer, zlibDecompress } from '../../engine/itsdangerous/url_safe.ts';
import type { PyValue } from '../../engine/python/values.ts';

/** What Flask's `SecureCookieSessionInterface` signs with, and its default `PERMANENT_SESSION_LIFETIME`. */
export const FLASK_SESSION = {
  salt: 'cookie-session',
  keyDerivation: 'hmac',
  digestMethod: 'sha1',
  /** 31 days in seconds: Flask passes it as `max_age` when it opens a session. */
  maxAge: 31 * 24 * 60 * 60,
} as const;

/** Flask's tagged JSON with keys sorted, as `save_session` writes it inside a request. */
const taggedSorted: DataSerializer = {
  dumps: (obj) => sessionJsonSerializer.dumps(obj, { sortKeys: true }),
  loads: (payload) => sessionJsonSerializer.loads(payload),
};

/** The serializer Flask builds for one secret key; `now` is the clock in Unix seconds. */
export function flaskSerializer(secret: string, now: () => number = () => Math.floor(Date.now() / 1000)): URLSafeTimedSerializer {
  return new URLSafeTimedSerializer(secret, {
    salt: FLASK_SESSION.salt,
    serializer: taggedSorted,
    signerKwargs: { keyDerivation: FLASK_SESSION.keyDerivation, digestMethod: FLASK_SESSION.digestMethod, now },
  });
}

/**
 * The cookie value inside whatever was pasted: a bare value, `session=…`, a `Cookie:` header with several
 * cookies, or a `Set-Cookie:` line with attributes. Prefers the cookie called `name`, then any value that
 * looks signed (two dots); otherwise returns the trimmed input.
 */
export function extractCookieValue(input: string, name = 'session'): string {
  let text = input.trim().replace(/^(set-)?cookie\s*:\s*/i, '');
  if (text.startsWith('"') && text.endsWith('"') && text.length > 1) text = text.slice(1, -1);
  if (!text.includes('=') || /^[^=;\s]*\.[^=;\s]*\.[^;\s]*$/.test(text)) return text;
  const pairs = text
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => {
      const eq = p.indexOf('=');
      return eq === -1 ? ([p, ''] as const) : ([p.slice(0, eq).trim(), p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1')] as const);
    });
  const named = pairs.find(([k]) => k === name);
  if (named) return named[1];
  const signed = pairs.find(([, v]) => (v.match(/\./g) ?? []).length >= 2);
  return signed ? signed[1] : text;
}

/** The three dot-separated parts of a timestamped token; `payload` keeps its leading `.` when compressed. */
export interface CookieParts {
  payload: string;
  timestamp: string;
  signature: string;
}

/** Splits `payload.timestamp.signature` at the last two dots, or null when there are fewer than two. */
export function splitCookie(value: string): CookieParts | null {
  const sigAt = value.lastIndexOf('.');
  if (sigAt === -1) return null;
  const rest = value.slice(0, sigAt);
  const tsAt = rest.lastIndexOf('.');
  if (tsAt === -1) return null;
  return { payload: rest.slice(0, tsAt), timestamp: rest.slice(tsAt + 1), signature: value.slice(sigAt + 1) };
}

/** A Python-side error as the inspector shows it: class name and message. */
export interface ErrorInfo {
  errorClass: string;
  message: string;
  /** The low-level error behind a BadPayload, if any. */
  cause?: { errorClass: string; message: string };
}

function errorInfo(e: unknown): ErrorInfo {
  const err = e instanceof Error ? e : new Error(String(e));
  const info: ErrorInfo = { errorClass: err.name, message: err.message };
  const cause = (err as { cause?: unknown }).cause;
  if (cause instanceof Error) info.cause = { errorClass: cause.name, message: cause.message };
  return info;
}

/** The signing time read from a token's timestamp part. */
export interface Timestamp {
  unix: number;
  /** ISO 8601 in UTC, or null when the number is past what a Date can hold. */
  iso: string | null;
}

/** Decodes a timestamp part the way `TimestampSigner` does (lenient base64, big-endian int), or null when malformed. */
export function readTimestamp(part: string): Timestamp | null {
  try {
    const unix = bytesToInt(base64Decode(part));
    const ms = unix * 1000;
    return { unix, iso: Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString().replace('.000Z', 'Z') : null };
  } catch {
    return null;
  }
}

/** What a cookie says without checking its signature (Flask never trusts this; the inspector shows it). */
export type Decoded =
  | {
      ok: true;
      parts: CookieParts;
      compressed: boolean;
      /** The JSON text inside, exactly as Flask wrote it. */
      json: string;
      data: PyValue;
      timestamp: Timestamp | null;
      /** Sizes in bytes: the payload part as sent, and the JSON after decoding. */
      sizes: { cookie: number; payload: number; json: number };
    }
  | ({ ok: false; stage: 'split' | 'base64' | 'zlib' | 'json'; parts: CookieParts | null; compressed: boolean; timestamp: Timestamp | null } & ErrorInfo);

/**
 * Decodes a session cookie's payload with itsdangerous' steps (strip one `.` → base64 → zlib → UTF-8 →
 * tagged JSON), without verifying it. Failures carry itsdangerous' BadPayload messages and the stage.
 */
export function decodeCookie(value: string): Decoded {
  const parts = splitCookie(value);
  if (!parts) {
    return { ok: false, stage: 'split', parts: null, compressed: false, timestamp: null, errorClass: 'BadSignature', message: "No b'.' found in value" };
  }
  const compressed = parts.payload.startsWith('.');
  const timestamp = readTimestamp(parts.timestamp);
  const fail = (stage: 'base64' | 'zlib' | 'json', message: string, e: unknown): Decoded => ({
    ok: false,
    stage,
    parts,
    compressed,
    timestamp,
    ...errorInfo(new BadPayload(message, e)),
  });
  let bytes: Uint8Array;
  try {
    bytes = base64Decode(compressed ? parts.payload.slice(1) : parts.payload);
  } catch (e) {
    return fail('base64', 'Could not base64 decode the payload because of an exception', e);
  }
  if (compressed) {
    try {
      bytes = zlibDecompress(bytes);
    } catch (e) {
      return fail('zlib', 'Could not zlib decompress the payload before decoding the payload', e);
    }
  }
  let data: PyValue;
  let json: string;
  try {
    json = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    data = sessionJsonSerializer.loads(bytes);
  } catch (e) {
    return fail('json', 'Could not load the payload because an exception occurred on unserializing the data.', e);
  }
  const encoder = new TextEncoder();
  return {
    ok: true,
    parts,
    compressed,
    json,
    data,
    timestamp,
    sizes: { cookie: encoder.encode(value).length, payload: parts.payload.length, json: bytes.length },
  };
}

/** Why a cookie was accepted or refused, one code per outcome Flask can reach. */
export type Verdict =
  | 'valid'
  | 'expired'
  | 'future'
  | 'mismatch'
  | 'no-separator'
  | 'no-timestamp'
  | 'malformed-timestamp'
  | 'bad-payload'
  | 'no-secret';

/** The result of checking a cookie with a secret key, as Flask's `open_session` would. */
export interface Verified {
  verdict: Verdict;
  /** True only when Flask would load this session. */
  accepted: boolean;
  /** True when the signature matches this secret, whatever the age. */
  signatureOk: boolean;
  /** The itsdangerous exception, when one was raised. */
  error: ErrorInfo | null;
  /** When the cookie says it was signed, and when Flask stops accepting it (signed + max_age). */
  signedAt: Timestamp | null;
  expiresAt: Timestamp | null;
}

/**
 * Checks `value` against `secret` with Flask's settings and `max_age`, and says why it passes or fails.
 * @param options.now the clock in Unix seconds (default: now); options.maxAge in seconds (default 31 days,
 *   Flask's PERMANENT_SESSION_LIFETIME), or null for no age check at all (itsdangerous' `max_age=None`).
 */
export function verifyCookie(value: string, secret: string, options: { now?: number; maxAge?: number | null } = {}): Verified {
  const maxAge = options.maxAge === undefined ? FLASK_SESSION.maxAge : options.maxAge;
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const parts = splitCookie(value);
  const signedAt = parts ? readTimestamp(parts.timestamp) : null;
  const expiresAt = signedAt && maxAge !== null ? { unix: signedAt.unix + maxAge, iso: readIso(signedAt.unix + maxAge) } : null;
  const base = { signedAt, expiresAt };
  if (!secret) return { verdict: 'no-secret', accepted: false, signatureOk: false, error: null, ...base };
  const serializer = flaskSerializer(secret, () => now);
  try {
    serializer.loadsWithTimestamp(value, maxAge);
    return { verdict: 'valid', accepted: true, signatureOk: true, error: null, ...base };
  } catch (e) {
    const error = errorInfo(e);
    if (e instanceof SignatureExpired) {
      return { verdict: e.message.includes('< 0') ? 'future' : 'expired', accepted: false, signatureOk: true, error, ...base };
    }
    if (e instanceof BadTimeSignature && e.message === 'timestamp missing') return { verdict: 'no-timestamp', accepted: false, signatureOk: true, error, ...base };
    if (e instanceof BadTimeSignature && e.message === 'Malformed timestamp') return { verdict: 'malformed-timestamp', accepted: false, signatureOk: false, error, ...base };
    if (e instanceof BadSignature && e.message.startsWith('No ')) return { verdict: 'no-separator', accepted: false, signatureOk: false, error, ...base };
    if (e instanceof BadSignature) return { verdict: 'mismatch', accepted: false, signatureOk: false, error, ...base };
    if (e instanceof BadPayload) return { verdict: 'bad-payload', accepted: false, signatureOk: true, error, ...base };
    if (e instanceof BadData) return { verdict: 'mismatch', accepted: false, signatureOk: false, error, ...base };
    throw e;
  }
}

/** The moment the built-in example was signed (Unix seconds), and the one the page checks it at by default. */
export const EXAMPLE_SIGNED_AT = 1700000000;
export const EXAMPLE_CHECKED_AT = EXAMPLE_SIGNED_AT + 3600;

/**
 * Reads the max-age control: a whole number of seconds (0 or more; what Flask gets from
 * `int(PERMANENT_SESSION_LIFETIME.total_seconds())`), or null with `none` (no age check). Returns undefined
 * for anything else, such as an empty field, a fraction or a negative number.
 */
export function parseMaxAge(text: string, none = false): number | null | undefined {
  if (none) return null;
  const t = text.trim();
  if (!/^\d+$/.test(t)) return undefined;
  const n = Number(t);
  return Number.isSafeInteger(n) ? n : undefined;
}

/**
 * Reads a `datetime-local` value (`YYYY-MM-DDTHH:MM` or `…:SS`, fractions ignored) as a moment in UTC, in Unix
 * seconds; undefined when it is not one.
 */
export function parseUtcMoment(value: string): number | undefined {
  const m = /^(\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/.exec(value.trim());
  if (!m) return undefined;
  const [y, mo, d, h, mi, se] = m.slice(1).map((x) => (x === undefined ? 0 : Number(x))) as number[];
  const ms = Date.UTC(y!, mo! - 1, d!, h!, mi!, se!);
  const back = new Date(ms);
  // Reject dates that Date.UTC would roll over (Feb 30, 25:00).
  if (!Number.isFinite(ms) || back.getUTCMonth() !== mo! - 1 || back.getUTCDate() !== d! || back.getUTCHours() !== h!) return undefined;
  return Math.floor(ms / 1000);
}

/** A Unix time as a `datetime-local` value in UTC, to the second (`2023-11-14T23:13:20`). */
export function utcMomentValue(unix: number): string {
  return new Date(unix * 1000).toISOString().slice(0, 19);
}

function readIso(unix: number): string | null {
  const ms = unix * 1000;
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString().replace('.000Z', 'Z') : null;
}

/** The outcome of re-signing edited JSON. */
export type Signed = { ok: true; cookie: string; data: PyValue } | ({ ok: false } & ErrorInfo);

/**
 * Parses edited tagged JSON (what the cookie carries) and signs it as Flask would save it: keys sorted,
 * compressed when that is shorter, timestamped `now`.
 */
export function signJson(json: string, secret: string, now: number = Math.floor(Date.now() / 1000)): Signed {
  let data: PyValue;
  try {
    data = sessionJsonSerializer.loads(json);
  } catch (e) {
    return { ok: false, ...errorInfo(e) };
  }
  try {
    return { ok: true, cookie: flaskSerializer(secret, () => now).dumps(data), data };
  } catch (e) {
    return { ok: false, ...errorInfo(e) };
  }
}

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * Changes one base64 character of the payload part (by default the middle one) to the next letter of the
 * alphabet, so the payload's bytes change but the cookie stays well-formed. Returns the new cookie and
 * the index changed, or null when there is no payload to change.
 */
export function flipPayloadChar(value: string, at?: number): { cookie: string; index: number } | null {
  const parts = splitCookie(value);
  if (!parts) return null;
  const start = parts.payload.startsWith('.') ? 1 : 0;
  const len = parts.payload.length - start;
  if (len <= 0) return null;
  let index = at ?? start + Math.floor(len / 2);
  // Stay on a base64 character; the last one may carry only padding bits, so prefer an inner one.
  if (index >= parts.payload.length - 1 && len > 1) index = parts.payload.length - 2;
  const old = value[index]!;
  const pos = B64URL.indexOf(old);
  const replacement = pos === -1 ? 'A' : B64URL[(pos + 1) % 64]!;
  return { cookie: value.slice(0, index) + replacement + value.slice(index + 1), index };
}

// ---------------------------------------------------------------------------------------------
// JSON Web Tokens: a different format, recognised so the inspector can say so and still help.

/** What the inspector concludes about a JWT: accepted, no key to check with, or why it was refused. */
export type JwtVerdict = 'valid' | 'no-secret' | JwtError['code'];

/**
 * True when the value is a compact JWS rather than a Flask cookie: three dot-separated parts whose first
 * decodes to a JSON object naming an `alg`. (A Flask cookie's first part is data, never such a header.)
 */
export function looksLikeJwt(value: string): boolean {
  const parts = value.trim().split('.');
  if (parts.length !== 3) return false;
  try {
    const header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(base64urlDecode(parts[0]!, 'header'))) as unknown;
    return typeof header === 'object' && header !== null && !Array.isArray(header) && typeof (header as { alg?: unknown }).alg === 'string';
  } catch {
    return false;
  }
}

/** A JWT decoded (when it can be) and, given a key, verified as HS256 at `now`. */
export interface JwtChecked {
  verdict: JwtVerdict;
  decoded: DecodedJwt | null;
  /** The verifier's English message when it refused the token. */
  message: string | null;
}

/** Decodes a JWT and checks it with `secret` (HS256 only) at `now`; never throws. */
export function checkJwt(value: string, secret: string, now: number): JwtChecked {
  let decoded: DecodedJwt | null = null;
  try {
    decoded = decodeJwt(value);
  } catch (e) {
    return { verdict: (e as JwtError).code, decoded: null, message: (e as Error).message };
  }
  if (!secret) return { verdict: 'no-secret', decoded, message: null };
  try {
    verifyHs256(value, secret, { now });
    return { verdict: 'valid', decoded, message: null };
  } catch (e) {
    return { verdict: (e as JwtError).code, decoded, message: (e as Error).message };
  }
}

/** How the cracker tries a key on an HS256 JWT: HMAC-SHA256 keyed with the guess itself over `header.payload`. */
export const JWT_CRACK = { keyDerivation: 'none', digest: 'sha256', salt: '' } as const;
