// Mirrors itsdangerous 2.2.0 exc.py: https://github.com/pallets/itsdangerous/blob/2.2.0/src/itsdangerous/exc.py

/**
 * Base of every error this package raises; `message` equals Python's `str(e)`. Mirrors `BadData`.
 * @param message the text Python would print.
 * @param options standard `ErrorOptions` (a `cause`).
 */
export class BadData extends Error {
  /** A stable string for `switch` statements, e.g. `'bad_signature'`. */
  code: string;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'BadData';
    this.code = 'bad_data';
  }
  /** Python's `str(e)`: only the message, no class name. */
  override toString(): string {
    return this.message;
  }
}

/**
 * A signature did not match, or no separator was found. Mirrors `BadSignature`.
 * @param message Python's `str(e)`.
 * @param payload the unverified value bytes, or null when the value could not even be split.
 */
export class BadSignature extends BadData {
  /** The value that was signed, not verified: never trust it. */
  payload: Uint8Array | null;
  constructor(message: string, payload: Uint8Array | null = null, options?: ErrorOptions) {
    super(message, options);
    this.name = 'BadSignature';
    this.code = 'bad_signature';
    this.payload = payload;
  }
}

/**
 * A timestamped signature was bad, or its timestamp was missing or malformed. Mirrors `BadTimeSignature`.
 * @param message Python's `str(e)`.
 * @param payload the unverified value bytes, or null.
 * @param dateSigned when the value claims it was signed (UTC), or null.
 */
export class BadTimeSignature extends BadSignature {
  /** The signing time read from the token, or null when it could not be read. */
  dateSigned: Date | null;
  constructor(message: string, payload: Uint8Array | null = null, dateSigned: Date | null = null, options?: ErrorOptions) {
    super(message, payload, options);
    this.name = 'BadTimeSignature';
    this.code = 'bad_time_signature';
    this.dateSigned = dateSigned;
  }
}

/**
 * The signature was valid but older than `maxAge` (or from the future). Mirrors `SignatureExpired`.
 * @param message e.g. `Signature age 2678401 > 2678400 seconds`.
 * @param payload the value bytes (verified, but expired).
 * @param dateSigned when the value was signed (UTC).
 */
export class SignatureExpired extends BadTimeSignature {
  constructor(message: string, payload: Uint8Array | null = null, dateSigned: Date | null = null, options?: ErrorOptions) {
    super(message, payload, dateSigned, options);
    this.name = 'SignatureExpired';
    this.code = 'signature_expired';
  }
}

/**
 * A JWS-style header was bad; unused by the cookie stack, kept for a complete hierarchy. Mirrors `BadHeader`.
 * @param message Python's `str(e)`.
 * @param payload the unverified payload, or null.
 * @param header the decoded header, if any.
 * @param originalError the error that caused this one, also set as `cause`.
 */
export class BadHeader extends BadSignature {
  header: unknown;
  originalError: unknown;
  constructor(message: string, payload: Uint8Array | null = null, header: unknown = null, originalError: unknown = null) {
    super(message, payload, originalError == null ? undefined : { cause: originalError });
    this.name = 'BadHeader';
    this.code = 'bad_header';
    this.header = header;
    this.originalError = originalError;
  }
}

/**
 * The signature was valid but the payload could not be decoded or parsed. Not a BadSignature. Mirrors `BadPayload`.
 * @param message Python's `str(e)`.
 * @param originalError the low-level error (base64, zlib or parser), also set as `cause`.
 */
export class BadPayload extends BadData {
  originalError: unknown;
  constructor(message: string, originalError: unknown = null) {
    super(message, originalError == null ? undefined : { cause: originalError });
    this.name = 'BadPayload';
    this.code = 'bad_payload';
    this.originalError = originalError;
  }
}
