// How much work one request may make the demo servers do. Flask itself inflates a compressed session cookie
// without any limit, so a 10 KB cookie signed with a known key can carry megabytes of JSON; these servers stop
// inflating at a size that no cookie a browser keeps can reach, so real traffic never meets the limit.

/** A browser keeps a cookie only while its name and value together fit in 4096 bytes (RFC 6265 §6.1 asks for at least that; Chromium and Firefox stop there). */
export const BROWSER_COOKIE_BYTES = 4096;

/** zlib's wrapper around the deflate stream: a 2-byte header and a 4-byte Adler-32 trailer. */
const ZLIB_WRAPPER_BYTES = 6;

/**
 * The most bytes a compressed Flask session cookie of `cookieBytes` can inflate to. The value is at most
 * `cookieBytes` characters (even with a one-letter name and no timestamp or signature, which only lower it);
 * base64 packs 3 bytes in 4 characters; zlib's wrapper takes 6 of them; and deflate's densest code spends at
 * least 2 bits (a 1-bit length code for 258 plus a 1-bit distance code) on each copy of 258 bytes, so every
 * deflate byte yields at most 4 × 258 = 1032 bytes.
 * For 4096: 3072 − 6 = 3066 deflate bytes, at most 3,164,112 inflated bytes.
 */
export function maxInflatedCookieBytes(cookieBytes = BROWSER_COOKIE_BYTES): number {
  const zlibBytes = Math.floor((cookieBytes * 3) / 4);
  return Math.max(0, zlibBytes - ZLIB_WRAPPER_BYTES) * 4 * 258;
}

/** The demo servers' default cap on an inflated session payload: what the largest cookie a browser keeps can reach. */
export const DEFAULT_MAX_INFLATED_BYTES = maxInflatedCookieBytes();

/** Did a load fail because the payload inflated past the cap? (The engine's zlib reader throws a RangeError then.) */
export function inflatedPastCap(err: unknown): boolean {
  const cause = err instanceof Error ? err.cause : undefined;
  return cause instanceof RangeError && cause.message.startsWith('decompressed data exceeds');
}

/** The sentence servers and CLI commands give when a payload inflates past `cap` bytes. */
export function inflatedPastCapMessage(cap: number): string {
  return `the payload inflates past ${cap} bytes, more than any cookie a browser keeps (${BROWSER_COOKIE_BYTES} bytes) can carry, so it is not read`;
}

/**
 * The demo servers' cap on the values a session payload may hold (containers and the items separated by commas),
 * counted by one pass over the JSON text before it is parsed. A byte cap alone cannot bound the parse: 4 KB of
 * cookie can inflate to 3 MB of `[{},{},…]`, a million values that take seconds to parse (CPython's json needs a
 * third of a second for them too). 50,000 values parse in about a tenth of a second, and a session that a browser
 * cookie carries holds a few hundred at most: the demo's own playground stores one value per key.
 */
export const DEFAULT_MAX_PAYLOAD_VALUES = 50_000;

/** A payload holding more values than the server reads; the serializer refuses it before parsing. */
export class PayloadTooComplexError extends Error {
  readonly limit: number;
  constructor(limit: number) {
    super(`the payload holds more than ${limit} values`);
    this.name = 'PayloadTooComplexError';
    this.limit = limit;
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const BRACE = 0x7b;
const BRACKET = 0x5b;

/**
 * Counts the values of a JSON text without parsing it: one per `{` or `[` and one per `,` outside strings, plus
 * one. Stops as soon as the count passes `limit`. Linear in the text, a few milliseconds for megabytes.
 * @throws {PayloadTooComplexError} past `limit`.
 */
export function checkPayloadValues(text: string | Uint8Array, limit: number): number {
  let count = 1;
  let inString = false;
  const n = text.length;
  const at = typeof text === 'string' ? (i: number) => text.charCodeAt(i) : (i: number) => text[i]!;
  for (let i = 0; i < n; i++) {
    const c = at(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === COMMA || c === BRACE || c === BRACKET) {
      if (++count > limit) throw new PayloadTooComplexError(limit);
    }
  }
  return count;
}

/** Did a load fail because the payload held too many values? */
export function tooComplex(err: unknown): PayloadTooComplexError | null {
  const cause = err instanceof Error ? err.cause : undefined;
  return cause instanceof PayloadTooComplexError ? cause : null;
}
