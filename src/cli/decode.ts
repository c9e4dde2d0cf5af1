// session-lab decode: what a session cookie says, read without the key (and so without trusting it).
import { sessionJsonSerializer } from '../engine/flask/json/tag.ts';
import { base64Decode, bytesToInt, utf8Decode } from '../engine/itsdangerous/encoding.ts';
import { digestBySize } from '../engine/itsdangerous/digests.ts';
import { zlibDecompress } from '../engine/itsdangerous/url_safe.ts';
import { pyRepr } from '../engine/python/repr.ts';
import type { PyValue } from '../engine/python/values.ts';
import { integer, parse, UsageError, println, type CliIo } from './common.ts';
import { checkPayloadValues, DEFAULT_MAX_INFLATED_BYTES, DEFAULT_MAX_PAYLOAD_VALUES, inflatedPastCapMessage, PayloadTooComplexError } from '../server/limits.ts';

const HELP = `Usage: session-lab decode [--json] [--max-inflated BYTES] [--max-values N] COOKIE

Shows what a Flask session cookie carries without checking its signature: the payload (as the
tagged JSON in the cookie and as Python would print it), whether it was compressed, when it was
signed, and the signature bytes. Anyone can do this: the session is signed, not encrypted.

Options:
  --json                    print one JSON object instead of text
  --max-inflated BYTES      largest size a compressed payload may inflate to (default: ${DEFAULT_MAX_INFLATED_BYTES},
                            the most any cookie a browser keeps can reach)
  --max-values N            most values (containers and items) the payload may hold, counted before
                            parsing (default: ${DEFAULT_MAX_PAYLOAD_VALUES})
  --help, -h                show this help

Exit status: 0 decoded, 1 COOKIE is not a readable session cookie, 2 bad arguments.`;


/** Everything {@link decodeCookie} reads from a cookie. */
export interface DecodedCookie {
  /** The JSON text inside the cookie, after base64 and zlib. */
  json: string;
  /** Python's repr of the loaded session. */
  repr: string;
  data: PyValue;
  compressed: boolean;
  /** Payload bytes as sent (base64 text, without the compression dot) and as JSON. */
  payloadLength: number;
  jsonLength: number;
  timestamp: number;
  /** The signing time in ISO 8601, UTC. */
  signedAt: string;
  signature: string;
  signatureHex: string;
  /** The digest whose size matches the signature, or null. */
  digestGuess: string | null;
}

/** A cookie that cannot be decoded: the message says which part failed. */
export class CookieDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CookieDecodeError';
  }
}

const cause = (e: unknown) => {
  const c = (e as Error).cause ?? e;
  return c instanceof Error ? c.message : String(c);
};

/**
 * Splits `payload.timestamp.signature`, and decodes each part the way itsdangerous would once the
 * signature had passed: base64, zlib when the payload starts with `.`, UTF-8, tagged JSON.
 * @param maxInflatedBytes a compressed payload that inflates past this many bytes is refused.
 * @param maxValues a payload holding more values than this is refused before it is parsed.
 * @throws {CookieDecodeError} naming the part that failed and why.
 */
export function decodeCookie(cookie: string, maxInflatedBytes = DEFAULT_MAX_INFLATED_BYTES, maxValues = DEFAULT_MAX_PAYLOAD_VALUES): DecodedCookie {
  const token = cookie.trim();
  const sigAt = token.lastIndexOf('.');
  if (sigAt === -1) throw new CookieDecodeError("not a signed cookie: no '.' found");
  const signature = token.slice(sigAt + 1);
  const signed = token.slice(0, sigAt);
  const tsAt = signed.lastIndexOf('.');
  if (tsAt === -1) throw new CookieDecodeError('no timestamp: a Flask session cookie is payload.timestamp.signature');
  let payload = signed.slice(0, tsAt);
  let timestamp: number;
  try {
    timestamp = bytesToInt(base64Decode(signed.slice(tsAt + 1)));
  } catch (e) {
    throw new CookieDecodeError(`malformed timestamp '${signed.slice(tsAt + 1)}': ${cause(e)}`);
  }
  let sigBytes: Uint8Array;
  try {
    sigBytes = base64Decode(signature);
  } catch (e) {
    throw new CookieDecodeError(`the signature is not base64: ${cause(e)}`);
  }
  const compressed = payload.startsWith('.');
  if (compressed) payload = payload.slice(1);
  let bytes: Uint8Array;
  try {
    bytes = base64Decode(payload);
  } catch (e) {
    throw new CookieDecodeError(`the payload is not base64: ${cause(e)}`);
  }
  const payloadLength = payload.length;
  if (compressed) {
    try {
      bytes = zlibDecompress(bytes, maxInflatedBytes);
    } catch (e) {
      if (e instanceof RangeError) throw new CookieDecodeError(`${inflatedPastCapMessage(maxInflatedBytes)}; --max-inflated raises the limit`);
      throw new CookieDecodeError(`the payload starts with '.' but does not inflate: ${cause(e)}`);
    }
  }
  let json: string;
  try {
    json = utf8Decode(bytes);
  } catch {
    throw new CookieDecodeError('the payload is not UTF-8 text');
  }
  let data: PyValue;
  try {
    checkPayloadValues(json, maxValues);
  } catch (e) {
    if (e instanceof PayloadTooComplexError) throw new CookieDecodeError(`the payload holds more than ${maxValues} values, so it is not parsed; --max-values raises the limit`);
    throw e;
  }
  try {
    data = sessionJsonSerializer.loads(json);
  } catch (e) {
    throw new CookieDecodeError(`the payload is not Flask's tagged JSON: ${(e as Error).message}`);
  }
  const date = new Date(timestamp * 1000);
  return {
    json,
    repr: pyRepr(data),
    data,
    compressed,
    payloadLength,
    jsonLength: bytes.length,
    timestamp,
    signedAt: Number.isNaN(date.getTime()) ? 'out of range' : date.toISOString().replace('.000Z', 'Z'),
    signature,
    signatureHex: Array.from(sigBytes, (x) => x.toString(16).padStart(2, '0')).join(''),
    digestGuess: digestBySize(sigBytes.length) ?? null,
  };
}

/** `session-lab decode`. */
export function run(argv: string[], io: CliIo): number {
  const { values, positionals } = parse(argv, { json: { type: 'boolean' }, 'max-inflated': { type: 'string' }, 'max-values': { type: 'string' } }, 1);
  if (values.help) {
    println(io, HELP);
    return 0;
  }
  const cookie = positionals[0];
  if (cookie === undefined) throw new UsageError('missing COOKIE');
  const maxInflated = values['max-inflated'] === undefined ? DEFAULT_MAX_INFLATED_BYTES : integer('max-inflated', values['max-inflated'], 1);
  let d: DecodedCookie;
  try {
    d = decodeCookie(cookie, maxInflated, values['max-values'] === undefined ? DEFAULT_MAX_PAYLOAD_VALUES : integer('max-values', values['max-values'], 1));
  } catch (e) {
    if (!(e instanceof CookieDecodeError)) throw e;
    io.stderr.write(`session-lab decode: ${e.message}\n`);
    return 1;
  }
  const sigBytes = d.signatureHex.length / 2;
  if (values.json) {
    println(
    io,
      JSON.stringify({
        payload: d.json,
        repr: d.repr,
        compressed: d.compressed,
        payload_length: d.payloadLength,
        json_length: d.jsonLength,
        timestamp: d.timestamp,
        signed_at: d.signedAt,
        signature: d.signature,
        signature_hex: d.signatureHex,
        signature_length: sigBytes,
        digest: d.digestGuess,
        verified: false,
      }),
    );
    return 0;
  }
  const size = d.digestGuess ? `${sigBytes} bytes, the size of ${d.digestGuess.toUpperCase().replace('SHA', 'SHA-')}` : `${sigBytes} bytes`;
  println(
    io,
    [
      `payload:    ${d.json}`,
      `as Python:  ${d.repr}`,
      `compressed: ${d.compressed ? `yes (${d.payloadLength} base64 characters inflate to ${d.jsonLength} bytes of JSON)` : `no (${d.jsonLength} bytes of JSON)`}`,
      `signed at:  ${d.timestamp} (${d.signedAt})`,
      `signature:  ${d.signature}`,
      `  as hex:   ${d.signatureHex} (${size})`,
      `not verified: anyone can read this; only the secret key can tell whether it is genuine`,
    ].join('\n'),
  );
  return 0;
}
