// A JSON Web Token signed with HS256 (RFC 7519 over RFC 7515's compact serialisation), as a point of comparison
// with Flask's signed cookie: both are "payload.signature" strings anyone can read and only the key holder can
// make. Only HS256 is built here; every other `alg`, `none` included, is refused.
// https://www.rfc-editor.org/rfc/rfc7519 · https://www.rfc-editor.org/rfc/rfc7515#section-3.1
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { constantTimeEqual } from './itsdangerous/signer.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUE[ALPHABET.charCodeAt(i)] = i;

/** Why a token was refused: a stable code for the UI, and an English message. */
export class JwtError extends Error {
  readonly code: 'malformed' | 'bad-base64' | 'bad-json' | 'unsupported-alg' | 'bad-signature' | 'expired' | 'not-yet-valid';
  constructor(code: JwtError['code'], message: string) {
    super(message);
    this.name = 'JwtError';
    this.code = code;
  }
}

/** base64url without padding, as RFC 7515 §2 requires. */
export function base64urlEncode(bytes: Uint8Array | string): string {
  const b = typeof bytes === 'string' ? encoder.encode(bytes) : bytes;
  let out = '';
  for (let i = 0; i < b.length; i += 3) {
    const n = (b[i]! << 16) | ((b[i + 1] ?? 0) << 8) | (b[i + 2] ?? 0);
    out += ALPHABET[(n >> 18) & 63]! + ALPHABET[(n >> 12) & 63]!;
    if (i + 1 < b.length) out += ALPHABET[(n >> 6) & 63]!;
    if (i + 2 < b.length) out += ALPHABET[n & 63]!;
  }
  return out;
}

/** Strict base64url decoding: no padding, no other characters. @throws {JwtError} `bad-base64`. */
export function base64urlDecode(text: string, part: string): Uint8Array {
  if (text.length % 4 === 1) throw new JwtError('bad-base64', `the ${part} is not base64url: its length leaves one character over`);
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? VALUE[c]! : -1;
    if (v < 0) throw new JwtError('bad-base64', `the ${part} is not base64url: ${JSON.stringify(text[i])} at position ${i + 1}`);
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out.subarray(0, o);
}

function keyBytes(secret: string | Uint8Array): Uint8Array {
  return typeof secret === 'string' ? encoder.encode(secret) : secret;
}

/** The standard header of an HS256 token, in the key order libraries write it. */
const HS256_HEADER = '{"alg":"HS256","typ":"JWT"}';

/**
 * Signs `payloadJson` (JSON text, used as given) into `header.payload.signature` with HMAC-SHA256 over the
 * first two parts. @param headerJson defaults to {@link HS256_HEADER}.
 */
export function signHs256(payloadJson: string, secret: string | Uint8Array, headerJson = HS256_HEADER): string {
  const input = `${base64urlEncode(headerJson)}.${base64urlEncode(payloadJson)}`;
  return `${input}.${base64urlEncode(hmac(sha256, keyBytes(secret), encoder.encode(input)))}`;
}

/** A token taken apart without checking anything: what anyone who holds it can read. */
export interface DecodedJwt {
  header: Record<string, unknown>;
  payload: unknown;
  /** The header and payload as the JSON text they carry. */
  headerJson: string;
  payloadJson: string;
  /** `header.payload`: the bytes the signature covers. */
  signingInput: string;
  signature: Uint8Array;
}

/**
 * Splits and decodes a compact JWS. @throws {JwtError} `malformed` (not three parts), `bad-base64`, `bad-json`
 * (a part is not UTF-8 JSON, or the header is not an object).
 */
export function decodeJwt(token: string): DecodedJwt {
  const parts = token.trim().split('.');
  if (parts.length !== 3) throw new JwtError('malformed', `a JWT has three parts separated by '.', this has ${parts.length}`);
  const [h, p, s] = parts as [string, string, string];
  const text = (part: string, name: string): string => {
    try {
      return decoder.decode(base64urlDecode(part, name));
    } catch (e) {
      if (e instanceof JwtError) throw e;
      throw new JwtError('bad-json', `the ${name} is not UTF-8 text`);
    }
  };
  const headerJson = text(h, 'header');
  const payloadJson = text(p, 'payload');
  let header: unknown;
  let payload: unknown;
  try {
    header = JSON.parse(headerJson);
    payload = JSON.parse(payloadJson);
  } catch (e) {
    throw new JwtError('bad-json', `a part is not JSON: ${(e as Error).message}`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw new JwtError('bad-json', 'the header is not a JSON object');
  return { header: header as Record<string, unknown>, payload, headerJson, payloadJson, signingInput: `${h}.${p}`, signature: base64urlDecode(s, 'signature') };
}

/** Options of {@link verifyHs256}. */
export interface VerifyJwtOptions {
  /** The clock for `exp` and `nbf`, Unix seconds; default now. */
  now?: number;
}

/**
 * Checks an HS256 token: the header's `alg` must be exactly `HS256` (a token that names `none` or another
 * algorithm is refused, never trusted), the signature must match in constant time, then `exp` and `nbf` when
 * present. Returns the decoded token. @throws {JwtError} with the reason.
 */
export function verifyHs256(token: string, secret: string | Uint8Array, options: VerifyJwtOptions = {}): DecodedJwt {
  const decoded = decodeJwt(token);
  if (decoded.header.alg !== 'HS256') {
    throw new JwtError('unsupported-alg', `the header names alg ${JSON.stringify(decoded.header.alg)}; only HS256 is accepted (a verifier must never let the token choose)`);
  }
  const expected = hmac(sha256, keyBytes(secret), encoder.encode(decoded.signingInput));
  if (!constantTimeEqual(expected, decoded.signature)) throw new JwtError('bad-signature', 'the signature does not match: the token was changed or signed with another key');
  const now = options.now ?? Date.now() / 1000;
  const claims = decoded.payload as Record<string, unknown> | null;
  if (claims && typeof claims === 'object') {
    if (typeof claims.exp === 'number' && now >= claims.exp) throw new JwtError('expired', `the token expired at ${claims.exp} (now ${Math.floor(now)})`);
    if (typeof claims.nbf === 'number' && now < claims.nbf) throw new JwtError('not-yet-valid', `the token is not valid before ${claims.nbf} (now ${Math.floor(now)})`);
  }
  return decoded;
}
