// Mirrors itsdangerous 2.2.0 timed.py: https://github.com/pallets/itsdangerous/blob/2.2.0/src/itsdangerous/timed.py
import { PyOSError, PyOverflowError, PyValueError } from '../python/errors.ts';
import { base64Decode, base64EncodeBytes, bytesToBigInt, bytesToInt, intToBytes, wantBytes } from './encoding.ts';
import { BadSignature, BadTimeSignature, SignatureExpired } from './exc.ts';
import { Serializer, type LoadOptions } from './serializer.ts';
import { concat3, lastIndexOfBytes, Signer, type SecretKey, type SignerOptions } from './signer.ts';

/** Options of {@link TimestampSigner}: the {@link SignerOptions} plus a clock. */
export interface TimestampSignerOptions extends SignerOptions {
  /** Current Unix time in whole seconds; default reads `Date.now()` at each call (so fake timers work). */
  now?: () => number;
}

/** Seconds of 9999-12-31T23:59:59Z, the last moment Python's datetime can hold. */
const MAX_DATETIME_TS = 253402300799;
const INT32_MAX = 2147483647n;
const TWO_63 = 1n << 63n;

/** The proleptic Gregorian year of a day count since 1970-01-01 (days ≥ 0). */
function yearOfDays(days: bigint): bigint {
  const z = days + 719468n;
  const era = z / 146097n;
  const doe = z - era * 146097n;
  const yoe = (doe - doe / 1460n + doe / 36524n - doe / 146096n) / 365n;
  const doy = doe - (365n * yoe + yoe / 4n - yoe / 100n);
  const mp = (5n * doy + 2n) / 153n;
  const month = mp < 10n ? mp + 3n : mp - 9n;
  return yoe + era * 400n + (month <= 2n ? 1n : 0n);
}

/**
 * Unix seconds to a UTC `Date`, failing where Python's `datetime.fromtimestamp(ts, timezone.utc)` fails
 * (on Linux with glibc). Mirrors `TimestampSigner.timestamp_to_datetime`.
 * @throws {PyValueError} `year N is out of range` past 9999-12-31T23:59:59Z, or {@link PyOverflowError}
 *   `timestamp out of range for platform time_t` from 2^63 on.
 * @throws {PyOSError} `[Errno 75] Value too large for defined data type` where glibc's gmtime gives up.
 */
export function timestampToDatetime(ts: number | bigint): Date {
  if (typeof ts === 'number' && ts >= 0 && ts <= MAX_DATETIME_TS) return new Date(ts * 1000);
  const big = BigInt(ts);
  if (big < 0n || big > BigInt(MAX_DATETIME_TS)) {
    if (big >= TWO_63 || big < -TWO_63) throw new PyOverflowError('timestamp out of range for platform time_t');
    if (big < 0n) return new Date(Number(big) * 1000);
    const year = yearOfDays(big / 86400n);
    if (year - 1900n > INT32_MAX) throw new PyOSError('[Errno 75] Value too large for defined data type');
    // CPython adds 1900 back in a C int, which wraps for the last few thousand representable years.
    const shown = BigInt.asIntN(32, year);
    throw new PyValueError(`year ${shown} is out of range`);
  }
  return new Date(Number(big) * 1000);
}

// The base64 of the last timestamp signed: every cookie signed within the same second shares it.
let lastTimestamp = NaN;
let lastTimestampBytes: Uint8Array = new Uint8Array(0);

/** `b64u(int_to_bytes(ts))`, read-only (shared by the calls of the same second). */
function timestampBytes(ts: number): Uint8Array {
  if (ts !== lastTimestamp) {
    lastTimestampBytes = base64EncodeBytes(intToBytes(ts));
    lastTimestamp = ts;
  }
  return lastTimestampBytes;
}

/**
 * A Signer that also signs the time: `value ‖ sep ‖ b64u(time) ‖ sep ‖ signature`. Mirrors `TimestampSigner`.
 * @param secretKey one key or a list, oldest first.
 * @param options {@link TimestampSignerOptions}.
 * @throws {PyValueError} for a separator that could appear in a signature.
 */
export class TimestampSigner extends Signer {
  private readonly clock: (() => number) | undefined;

  constructor(secretKey: SecretKey, options: TimestampSignerOptions = {}) {
    super(secretKey, options);
    this.clock = options.now;
  }

  /** The current Unix time in whole seconds (from the `now` option, else the system clock). Mirrors `get_timestamp`. */
  getTimestamp(): number {
    return this.clock ? this.clock() : Math.floor(Date.now() / 1000);
  }

  /** See {@link timestampToDatetime}. Mirrors `timestamp_to_datetime`. */
  timestampToDatetime(ts: number | bigint): Date {
    return timestampToDatetime(ts);
  }

  /**
   * Signs `value ‖ sep ‖ b64u(now)`. Mirrors `TimestampSigner.sign`.
   * @throws {TypeError} `Unknown key derivation method`.
   */
  override sign(value: string | Uint8Array): Uint8Array {
    const v = wantBytes(value);
    const ts = timestampBytes(this.getTimestamp());
    const sigLength = this.signatureLength();
    if (sigLength < 0) {
      const signed = concat3(v, this.sep, ts);
      return concat3(signed, this.sep, this.getSignature(signed));
    }
    // One allocation: lay out value ‖ sep ‖ ts ‖ sep, sign that prefix, write the signature behind it.
    const sep = this.sep;
    const head = v.length + sep.length + ts.length;
    const out = new Uint8Array(head + sep.length + sigLength);
    out.set(v, 0);
    out.set(sep, v.length);
    out.set(ts, v.length + sep.length);
    out.set(sep, head);
    this.writeSignature(out.subarray(0, head), out, head + sep.length);
    return out;
  }

  /**
   * Verifies the signature and, with `maxAge`, the age; returns the value and the signing time.
   * Mirrors `unsign(..., return_timestamp=True)` check for check, in its order:
   * https://github.com/pallets/itsdangerous/blob/2.2.0/src/itsdangerous/timed.py#L72
   * @throws {BadSignature} when no separator at all is present (re-raised unchanged).
   * @throws {BadTimeSignature} for a bad signature (with payload and date signed), `timestamp missing` or `Malformed timestamp`.
   * @throws {SignatureExpired} when the age is above `maxAge` or below 0 (only when `maxAge` is given).
   * @throws {PyValueError} for a validly signed timestamp past year 9999.
   */
  unsignWithTimestamp(signedValue: string | Uint8Array, maxAge?: number | null): [Uint8Array, Date] {
    const [value, ts] = this.unsignTimestamp(signedValue, maxAge);
    return [value, this.timestampToDatetime(ts)];
  }

  /**
   * Like {@link unsignWithTimestamp} but returns only the value. Mirrors `TimestampSigner.unsign`.
   * @throws the same errors as {@link unsignWithTimestamp}.
   */
  override unsign(signedValue: string | Uint8Array, maxAge?: number | null): Uint8Array {
    return this.unsignTimestamp(signedValue, maxAge)[0];
  }

  /** The shared body of unsign: returns the value and the integer timestamp. */
  private unsignTimestamp(signedValue: string | Uint8Array, maxAge?: number | null): [Uint8Array, number | bigint] {
    let result: Uint8Array;
    let sigError: BadSignature | null = null;
    try {
      result = super.unsign(signedValue);
    } catch (e) {
      if (!(e instanceof BadSignature)) throw e;
      sigError = e;
      result = e.payload ?? new Uint8Array(0);
    }
    const sep = this.sep;
    const at = lastIndexOfBytes(result, sep);
    if (at === -1) {
      if (sigError) throw sigError;
      throw new BadTimeSignature('timestamp missing', result);
    }
    const value = result.subarray(0, at);
    let tsInt: number | bigint | null = null;
    try {
      const raw = base64Decode(result.subarray(at + sep.length));
      if (raw.length <= 6) {
        tsInt = bytesToInt(raw); // below 2^48: exact as a number, and no BigInt on the hot path
      } else {
        const big = bytesToBigInt(raw);
        tsInt = big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
      }
    } catch {
      tsInt = null;
    }
    if (sigError) {
      let dateSigned: Date | null = null;
      if (tsInt !== null) {
        try {
          dateSigned = this.timestampToDatetime(tsInt);
        } catch (e) {
          throw new BadTimeSignature('Malformed timestamp', value, null, { cause: e });
        }
      }
      throw new BadTimeSignature(sigError.message, value, dateSigned);
    }
    if (tsInt === null) throw new BadTimeSignature('Malformed timestamp', value);
    if (maxAge != null) {
      // A timestamp that did not fit a safe integer is far in the future; the date conversion below fails first.
      const age = typeof tsInt === 'number' ? this.getTimestamp() - tsInt : -Infinity;
      if (age > maxAge) {
        throw new SignatureExpired(`Signature age ${age} > ${maxAge} seconds`, value, this.timestampToDatetime(tsInt));
      }
      if (age < 0) {
        const dateSigned = this.timestampToDatetime(tsInt);
        throw new SignatureExpired(`Signature age ${age} < 0 seconds`, value, dateSigned);
      }
    }
    return [value, tsInt];
  }

  /**
   * True when the value verifies and is not too old; never throws BadSignature. Mirrors `TimestampSigner.validate`.
   * @throws {PyValueError} for a validly signed timestamp past year 9999 when `maxAge` is given.
   */
  override validate(signedValue: string | Uint8Array, maxAge?: number | null): boolean {
    try {
      this.unsign(signedValue, maxAge);
      return true;
    } catch (e) {
      if (e instanceof BadSignature) return false;
      throw e;
    }
  }
}

/** Options of {@link TimedSerializer.loads}: `maxAge` in seconds and an optional salt override. */
export interface TimedLoadOptions extends LoadOptions {
  maxAge?: number | null;
}

function timedOptions(arg: number | null | undefined | TimedLoadOptions): TimedLoadOptions {
  return arg !== null && typeof arg === 'object' ? arg : { maxAge: arg };
}

/**
 * A Serializer whose signer is a {@link TimestampSigner}, so `loads` can enforce a maximum age.
 * Mirrors `itsdangerous.TimedSerializer`.
 */
export class TimedSerializer extends Serializer {
  static override defaultSigner: typeof Signer = TimestampSigner;

  /**
   * Unsigns (checking `maxAge` if given) and loads; returns the object and the signing time.
   * A SignatureExpired is thrown at once; other signature errors try the fallback signers first.
   * Mirrors `TimedSerializer.loads(..., return_timestamp=True)`.
   * @param maxAge seconds, or an options object `{ maxAge, salt }`.
   * @throws {BadSignature} and subclasses as {@link TimestampSigner.unsignWithTimestamp}; {@link BadPayload}.
   */
  loadsWithTimestamp(s: string | Uint8Array, maxAge?: number | null | TimedLoadOptions): [unknown, Date] {
    const opts = timedOptions(maxAge);
    const bytes = wantBytes(s);
    let last: BadSignature | null = null;
    for (const signer of this.iterUnsigners(opts.salt)) {
      try {
        let base64d: Uint8Array;
        let when: Date;
        if (signer instanceof TimestampSigner) {
          [base64d, when] = signer.unsignWithTimestamp(bytes, opts.maxAge);
        } else {
          throw new TypeError('TimedSerializer needs a TimestampSigner');
        }
        return [this.loadPayload(base64d), when];
      } catch (e) {
        if (e instanceof SignatureExpired) throw e;
        if (e instanceof BadSignature) last = e;
        else throw e;
      }
    }
    throw last!;
  }

  /**
   * Unsigns (checking `maxAge` if given) and loads the object. Mirrors `TimedSerializer.loads`.
   * @param maxAge seconds, or an options object `{ maxAge, salt }`.
   * @throws {BadSignature} and subclasses; {@link BadPayload} when the payload cannot be decoded.
   */
  override loads(s: string | Uint8Array, maxAge?: number | null | TimedLoadOptions): unknown {
    return this.loadsWithTimestamp(s, maxAge)[0];
  }

  /**
   * `[signatureValid, object]`, loading the payload even when the signature is bad (debugging only).
   * Mirrors `TimedSerializer.loads_unsafe`.
   * @param maxAge seconds, or an options object `{ maxAge, salt }`.
   * @throws {BadPayload} when the signature is valid but the payload is not.
   */
  override loadsUnsafe(s: string | Uint8Array, maxAge?: number | null | TimedLoadOptions): [boolean, unknown] {
    return this.loadsUnsafeImpl(s, timedOptions(maxAge));
  }
}
