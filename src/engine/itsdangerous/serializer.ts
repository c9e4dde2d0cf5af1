// Mirrors itsdangerous 2.2.0 serializer.py: https://github.com/pallets/itsdangerous/blob/2.2.0/src/itsdangerous/serializer.py
import { PyIndexError } from '../python/errors.ts';
import { decodeUtf8, dumps as jsonDumps, loads as jsonLoads } from '../python/json.ts';
import type { PyValue } from '../python/values.ts';
import { utf8Decode, wantBytes } from './encoding.ts';
import { BadPayload, BadSignature } from './exc.ts';
import { Signer, type SecretKey, type SignerOptions } from './signer.ts';

/**
 * Turns objects into a payload and back (Python's "serializer" argument, e.g. the `json` module).
 * `loads` receives the raw payload bytes and decodes UTF-8 itself, so a bad-UTF-8 payload becomes a BadPayload.
 */
export interface DataSerializer {
  dumps(obj: unknown): string | Uint8Array;
  loads(payload: Uint8Array): unknown;
}

/** Keyword arguments passed to every signer the serializer makes (`signer_kwargs`); `now` reaches a TimestampSigner. */
export type SignerKwargs = SignerOptions & { now?: () => number };

/** A fallback signer (`fallback_signers`): kwargs for the main signer class, a class, or `[class, kwargs]`. */
export type FallbackSigner = SignerKwargs | typeof Signer | [typeof Signer, SignerKwargs];

/** Options of {@link Serializer}, named like Python's keyword arguments. */
export interface SerializerOptions {
  /** Salt of the signer; default `itsdangerous`; null means the signer's own default (`itsdangerous.Signer`). */
  salt?: string | Uint8Array | null;
  /** The data serializer; default is the class's `defaultSerializer`. */
  serializer?: DataSerializer;
  /** The signer class; default is the class's `defaultSigner`. */
  signer?: typeof Signer;
  /** Options for every signer made. */
  signerKwargs?: SignerKwargs;
  /** Extra signers tried when the main one fails to verify. */
  fallbackSigners?: FallbackSigner[];
}

/** Options of `loads`: a salt that replaces the serializer's for this call. */
export interface LoadOptions {
  salt?: string | Uint8Array | null;
}

/**
 * Python's stdlib `json` module as a data serializer: `", "` and `": "` separators, ASCII-only output,
 * keys in insertion order; loading decodes strict UTF-8 first. The default of {@link Serializer}.
 */
export const stdlibJson: DataSerializer = {
  dumps: (obj) => jsonDumps(obj as PyValue, { ensureAscii: true, separators: [', ', ': '] }),
  loads: (payload) => jsonLoads(decodeUtf8(payload)),
};

/**
 * itsdangerous' `_CompactJSON`: `,` and `:` separators, `ensure_ascii=False`, keys in insertion order.
 * The default of the URL-safe serializers.
 */
export const compactJson: DataSerializer = {
  dumps: (obj) => jsonDumps(obj as PyValue, { ensureAscii: false }),
  loads: (payload) => jsonLoads(decodeUtf8(payload)),
};

/**
 * Signs serialized objects: `payload = dumps(obj)`, token = `signer.sign(payload)`. Mirrors `itsdangerous.Serializer`.
 * @param secretKey one key or a list, oldest first.
 * @param options see {@link SerializerOptions}.
 */
export class Serializer {
  /** Python's `default_serializer` (the stdlib `json` module: `", "`/`": "` separators, ASCII only). */
  static defaultSerializer: DataSerializer = stdlibJson;
  /** Python's `default_signer`. */
  static defaultSigner: typeof Signer = Signer;
  /** Python's `default_fallback_signers`. */
  static defaultFallbackSigners: FallbackSigner[] = [];

  readonly secretKeys: readonly Uint8Array[];
  readonly salt: Uint8Array | null;
  readonly serializer: DataSerializer;
  readonly signer: typeof Signer;
  readonly signerKwargs: SignerKwargs;
  readonly fallbackSigners: FallbackSigner[];
  private readonly signerCache = new Map<string, Signer>();
  private mainSigner: Signer | null = null;

  constructor(secretKey: SecretKey, options: SerializerOptions = {}) {
    const ctor = this.constructor as typeof Serializer;
    this.secretKeys = Object.freeze(Array.isArray(secretKey) ? secretKey.map(wantBytes) : [wantBytes(secretKey)]);
    const salt = options.salt === undefined ? 'itsdangerous' : options.salt;
    this.salt = salt === null ? null : wantBytes(salt);
    this.serializer = options.serializer ?? ctor.defaultSerializer;
    this.signer = options.signer ?? ctor.defaultSigner;
    this.signerKwargs = options.signerKwargs ?? {};
    this.fallbackSigners = options.fallbackSigners ?? [...ctor.defaultFallbackSigners];
  }

  /** The newest key (`Serializer.secret_key`). @throws {PyIndexError} when there are no keys. */
  get secretKey(): Uint8Array {
    const k = this.secretKeys[this.secretKeys.length - 1];
    if (!k) throw new PyIndexError('list index out of range');
    return k;
  }

  /**
   * Loads a verified payload with the data serializer. Mirrors `load_payload`.
   * @throws {BadPayload} `Could not load the payload because an exception occurred on unserializing the data.`
   */
  loadPayload(payload: Uint8Array, serializer?: DataSerializer): unknown {
    try {
      return (serializer ?? this.serializer).loads(payload);
    } catch (e) {
      throw new BadPayload('Could not load the payload because an exception occurred on unserializing the data.', e);
    }
  }

  /** The data serializer's output as bytes (UTF-8 for text). Mirrors `dump_payload`. */
  dumpPayload(obj: unknown): Uint8Array {
    return wantBytes(this.serializer.dumps(obj));
  }

  /**
   * A signer for `salt` (default: the serializer's salt), built with `signerKwargs`. Mirrors `make_signer`.
   * Signers are cached per salt: they hold no state beyond their options, and reuse keeps derived keys warm.
   */
  makeSigner(salt?: string | Uint8Array | null): Signer {
    if (salt == null && this.mainSigner) return this.mainSigner;
    const s = salt == null ? this.salt : wantBytes(salt);
    const cacheKey = s === null ? '' : '=' + String.fromCharCode(...s);
    let signer = this.signerCache.get(cacheKey);
    if (!signer) {
      signer = new this.signer([...this.secretKeys], { ...this.signerKwargs, salt: s });
      this.signerCache.set(cacheKey, signer);
    }
    if (salt == null) this.mainSigner = signer;
    return signer;
  }

  /** The main signer, then every fallback signer once per secret key. Mirrors `iter_unsigners`. */
  *iterUnsigners(salt?: string | Uint8Array | null): Generator<Signer> {
    const s = salt == null ? this.salt : wantBytes(salt);
    yield this.makeSigner(salt == null ? null : s);
    for (const fallback of this.fallbackSigners) {
      let cls: typeof Signer;
      let kwargs: SignerKwargs;
      if (typeof fallback === 'function') {
        cls = fallback;
        kwargs = this.signerKwargs;
      } else if (Array.isArray(fallback)) {
        [cls, kwargs] = fallback;
      } else {
        cls = this.signer;
        kwargs = fallback;
      }
      for (const key of this.secretKeys) yield new cls(key, { ...kwargs, salt: s });
    }
  }

  /**
   * The signed token as bytes, whatever the data serializer returns. Mirrors `dumps` for a binary serializer.
   * @throws whatever the data serializer throws (e.g. a TypeError for an unserializable value).
   */
  dumpsBytes(obj: unknown, salt?: string | Uint8Array | null): Uint8Array {
    return this.makeSigner(salt).sign(this.dumpPayload(obj));
  }

  /**
   * Serializes and signs `obj`, returning text. Mirrors `dumps`.
   * @throws whatever the data serializer throws; a TypeError when a binary serializer's output is not UTF-8 (use {@link dumpsBytes}).
   */
  dumps(obj: unknown, salt?: string | Uint8Array | null): string {
    return utf8Decode(this.dumpsBytes(obj, salt));
  }

  /**
   * Verifies and loads a token, trying fallback signers in turn. Mirrors `Serializer.loads`.
   * @throws {BadSignature} the last signer's error when none verifies; {@link BadPayload} when the payload is bad.
   */
  loads(s: string | Uint8Array, options?: LoadOptions): unknown {
    const bytes = wantBytes(s);
    let last: BadSignature | null = null;
    for (const signer of this.iterUnsigners(options?.salt)) {
      try {
        return this.loadPayload(signer.unsign(bytes));
      } catch (e) {
        if (e instanceof BadSignature) last = e;
        else throw e;
      }
    }
    throw last!;
  }

  /**
   * `[signatureValid, object]`: on a bad signature, loads the unverified payload anyway (or gives null).
   * For debugging only. Mirrors `loads_unsafe`.
   * @throws {BadPayload} when the signature is valid but the payload is not (as in Python).
   */
  loadsUnsafe(s: string | Uint8Array, options?: LoadOptions): [boolean, unknown] {
    return this.loadsUnsafeImpl(s, options ?? {});
  }

  /** Shared body of `loadsUnsafe`, passing `options` on to `loads`. Mirrors `_loads_unsafe_impl`. */
  protected loadsUnsafeImpl(s: string | Uint8Array, options: LoadOptions): [boolean, unknown] {
    try {
      return [true, this.loads(s, options)];
    } catch (e) {
      if (!(e instanceof BadSignature)) throw e;
      if (e.payload === null) return [false, null];
      try {
        return [false, this.loadPayload(e.payload)];
      } catch (e2) {
        if (e2 instanceof BadPayload) return [false, null];
        throw e2;
      }
    }
  }
}
