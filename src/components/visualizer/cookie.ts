// Takes a Flask session cookie apart for display: payload, timestamp and signature, each decoded as far
// as it will go without the secret key (the same lenient base64 itsdangerous uses), and a tamper helper.
import { base64Decode, bytesToInt, utf8Decode } from '../../engine/itsdangerous/encoding.ts';
import { zlibDecompress } from '../../engine/itsdangerous/url_safe.ts';

/** A session cookie value split at its dots, with what each part decodes to (null when it does not). */
export interface CookieAnatomy {
  /** The whole value as the browser holds it. */
  value: string;
  /** True when the value starts with `.`: the payload is zlib-compressed. */
  compressed: boolean;
  payload: string;
  timestamp: string;
  signature: string;
  /** The payload decoded to text (Flask's tagged JSON), or null. */
  json: string | null;
  /** The timestamp as Unix seconds, or null. */
  signedAt: number | null;
  /** The signature's byte length (20 for HMAC-SHA1), or null. */
  signatureBytes: number | null;
}

const DECODE_CAP = 64 * 1024;

/** Splits `payload.timestamp.signature` (payload may start with `.` when compressed); never throws. */
export function decodeCookie(value: string): CookieAnatomy {
  const compressed = value.startsWith('.');
  const body = compressed ? value.slice(1) : value;
  const parts = body.split('.');
  const signature = parts.length >= 3 ? parts.pop()! : '';
  const timestamp = parts.length >= 2 ? parts.pop()! : '';
  const payload = parts.join('.');
  return {
    value,
    compressed,
    payload,
    timestamp,
    signature,
    json: attempt(() => {
      const raw = base64Decode(payload);
      return utf8Decode(compressed ? zlibDecompress(raw, DECODE_CAP) : raw);
    }),
    signedAt: attempt(() => {
      const raw = base64Decode(timestamp);
      return raw.length ? bytesToInt(raw) : null;
    }),
    signatureBytes: signature ? attempt(() => base64Decode(signature).length) : null,
  };
}

function attempt<T>(fn: () => T): T | null {
  try {
    return fn();
  } catch {
    return null;
  }
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * Changes one base64 character in the middle of the payload to the next one in the alphabet, the way
 * an attacker would edit a cookie, and reports where. A value without a payload gets its first character changed.
 */
export function flipCharacter(value: string): { value: string; position: number; from: string; to: string } {
  const start = value.startsWith('.') ? 1 : 0;
  const firstDot = value.indexOf('.', start);
  const end = firstDot === -1 ? value.length : firstDot;
  const position = end > start ? start + Math.floor((end - start) / 2) : 0;
  const from = value[position] ?? '';
  const i = ALPHABET.indexOf(from);
  const to = ALPHABET[(i + 1) % ALPHABET.length]!;
  return { value: value.slice(0, position) + to + value.slice(position + 1), position, from, to };
}
