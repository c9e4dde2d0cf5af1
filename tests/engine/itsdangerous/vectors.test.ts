// Replays tests/vectors/itsdangerous.json, written by tests/peers/itsdangerous_vectors.py with Debian's itsdangerous.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import vectors from '../../vectors/itsdangerous.json';
import { dumps as jsonDumps, loads as jsonLoads } from '../../../src/engine/python/json.ts';
import {
  BadData,
  setBase64Rules,
  type Base64Rules,
  base64Decode,
  base64Encode,
  bytesRepr,
  bytesToBigInt,
  intToBytes,
  Serializer,
  Signer,
  standardB64DecodeLoose,
  standardB64Encode,
  TimedSerializer,
  TimestampSigner,
  URLSafeSerializer,
  URLSafeTimedSerializer,
  wantBytes,
  type DigestName,
  type SignerOptions,
} from '../../../src/engine/itsdangerous/index.ts';
import { clock, hex, text, unhex } from './helpers.ts';

type In = { s: string } | { b: string };
type Key = In | In[];
interface Outcome {
  ok?: string;
  date?: number | null;
  error?: string;
  message?: string;
  payload?: string | null;
  cause?: { class: string; message: string } | null;
}
interface VOptions {
  salt: In | null;
  sep: string;
  keyDerivation: string;
  digestMethod: DigestName;
}

const input = (v: In): string | Uint8Array => ('s' in v ? v.s : unhex(v.b));
const key = (k: Key) => (Array.isArray(k) ? k.map(input) : input(k));
const signerOptions = (o: VOptions): SignerOptions => ({
  salt: o.salt === null ? null : input(o.salt),
  sep: o.sep,
  keyDerivation: o.keyDerivation,
  digestMethod: o.digestMethod,
});

/** Runs `fn` and describes the result the way the Python script does. */
function observe(fn: () => unknown, describe: (r: unknown) => Outcome): Outcome {
  try {
    return describe(fn());
  } catch (e) {
    if (e instanceof BadData) {
      const x = e as BadData & { payload?: Uint8Array | null; dateSigned?: Date | null };
      return {
        error: x.name,
        message: x.message,
        payload: x.payload == null ? null : hex(x.payload),
        date: x.dateSigned == null ? null : x.dateSigned.getTime() / 1000,
      };
    }
    const err = e as Error;
    return { error: err.name, message: err.message, payload: null, date: null };
  }
}

/** The Python outcome without the fields the TS side does not see; every error keeps its Python class name. */
function expected(o: Outcome): Outcome {
  const { cause: _cause, ...rest } = o;
  return rest;
}

const asBytes = (r: unknown): Outcome => ({ ok: hex(r as Uint8Array) });
const asTimed = (r: unknown): Outcome => {
  const [value, when] = r as [Uint8Array, Date];
  return { ok: hex(value), date: when.getTime() / 1000 };
};
const asJson = (r: unknown): Outcome => ({ ok: jsonDumps(r as never, { ensureAscii: false }) });

// The file was written by the Python named in its "about" (Debian 12's 3.11 today): base64 is decoded by that
// CPython's rules (see setBase64Rules); itsdangerous_live.test.ts checks both judges' rules live.
const VECTOR_RULES: Base64Rules = vectors.about.python.startsWith('3.11') ? 'python3.11' : 'python3.13';
let savedRules: Base64Rules;
beforeAll(() => {
  savedRules = setBase64Rules(VECTOR_RULES);
});
afterAll(() => {
  setBase64Rules(savedRules);
});

describe('vectors: encoding', () => {
  it(`base64Decode / base64Encode (${vectors.base64.length} cases)`, () => {
    for (const c of vectors.base64 as { input: In; ok?: string; error?: string; cause?: string; encodes?: string }[]) {
      const got = observe(() => base64Decode(input(c.input)), asBytes);
      if (c.ok !== undefined) expect(got, JSON.stringify(c)).toEqual({ ok: c.ok });
      else {
        expect(got.message, JSON.stringify(c)).toBe(c.error);
        const cause = (() => {
          try {
            base64Decode(input(c.input));
          } catch (e) {
            return ((e as Error).cause as Error).message;
          }
        })();
        expect(cause, JSON.stringify(c)).toBe(c.cause);
      }
      if (c.encodes !== undefined) expect(base64Encode(unhex(c.encodes))).toBe((c.input as { s: string }).s);
    }
  });

  it(`standard base64 for the " b" tag (${vectors.looseBase64.length} cases)`, () => {
    for (const c of vectors.looseBase64 as { input: string; ok?: string; error?: string; encodes?: string }[]) {
      const got = observe(() => standardB64DecodeLoose(c.input), asBytes);
      if (c.ok !== undefined) expect(got, c.input).toEqual({ ok: c.ok });
      else expect(got.message, c.input).toBe(c.error);
      if (c.encodes !== undefined) expect(standardB64Encode(unhex(c.encodes))).toBe(c.input);
    }
  });

  it(`bytesRepr (${vectors.bytesRepr.length} cases)`, () => {
    for (const c of vectors.bytesRepr) expect(bytesRepr(unhex(c.hex)), c.hex).toBe(c.repr);
  });

  it(`intToBytes / bytesToInt (${vectors.ints.length} cases)`, () => {
    for (const c of vectors.ints as { int: string; hex: string; read?: boolean }[]) {
      if (c.read) expect(bytesToBigInt(unhex(c.hex))).toBe(BigInt(c.int));
      else expect(hex(intToBytes(BigInt(c.int)))).toBe(c.hex);
    }
  });
});

describe('vectors: Signer', () => {
  it(`signs, derives and rejects like Python (${vectors.signer.length} cases)`, () => {
    let checked = 0;
    for (const c of vectors.signer as unknown as {
      key: Key; options: VOptions; value: In; derived: string; signed: string;
      tampered: { token: string; outcome: Outcome }[]; otherKey: Key; otherOutcome: Outcome;
    }[]) {
      const s = new Signer(key(c.key), signerOptions(c.options));
      const where = JSON.stringify({ key: c.key, options: c.options, value: c.value });
      expect(hex(s.deriveKey()), where).toBe(c.derived);
      expect(hex(s.sign(input(c.value))), where).toBe(c.signed);
      expect(hex(s.unsign(unhex(c.signed))), where).toBe(hex(wantBytes(input(c.value))));
      for (const t of c.tampered) {
        expect(observe(() => s.unsign(unhex(t.token)), asBytes), `${where} ${t.token}`).toEqual(expected(t.outcome));
        checked++;
      }
      const other = new Signer(key(c.otherKey), signerOptions(c.options));
      expect(observe(() => other.unsign(unhex(c.signed)), asBytes), where).toEqual(expected(c.otherOutcome));
    }
    expect(checked).toBe(vectors.signer.length * 3);
  });
});

describe('vectors: TimestampSigner', () => {
  it(`signs at a fixed time and reads with max_age like Python (${vectors.timestampSigner.length} cases)`, () => {
    let reads = 0;
    for (const c of vectors.timestampSigner as unknown as {
      key: Key; options: VOptions; value: In; timestamp: number; signed: string;
      reads: { token: string; now: number; maxAge: number | null; outcome: Outcome; plain: Outcome }[];
    }[]) {
      const where = JSON.stringify({ key: c.key, options: c.options, value: c.value, ts: c.timestamp });
      const signer = new TimestampSigner(key(c.key), { ...signerOptions(c.options), now: clock(c.timestamp) });
      expect(hex(signer.sign(input(c.value))), where).toBe(c.signed);
      for (const r of c.reads) {
        const reader = new TimestampSigner(key(c.key), { ...signerOptions(c.options), now: clock(r.now) });
        const token = unhex(r.token);
        expect(observe(() => reader.unsignWithTimestamp(token, r.maxAge), asTimed), `${where} ${JSON.stringify(r)}`).toEqual(expected(r.outcome));
        expect(observe(() => reader.unsign(token, r.maxAge), asBytes), `${where} ${JSON.stringify(r)}`).toEqual(expected(r.plain));
        reads++;
      }
    }
    expect(reads).toBe(vectors.timestampSigner.length * 4);
  });
});

describe('vectors: URLSafeTimedSerializer', () => {
  const make = (c: { key: Key; salt: string | null; keyDerivation: string; digestMethod: string }, now: number) =>
    new URLSafeTimedSerializer(key(c.key), {
      salt: c.salt,
      signerKwargs: { keyDerivation: c.keyDerivation, digestMethod: c.digestMethod as DigestName, now: clock(now) },
    });

  it(`dumps and loads like Python, compression decision included (${vectors.urlSafeTimed.length} cases)`, () => {
    let compressed = 0;
    for (const c of vectors.urlSafeTimed as unknown as {
      key: Key; salt: string | null; keyDerivation: string; digestMethod: string; timestamp: number; json: string;
      token: string; compressed: boolean; reads: { token: string; now: number; maxAge: number | null; outcome: Outcome }[];
    }[]) {
      const where = JSON.stringify({ key: c.key, salt: c.salt, json: c.json.slice(0, 80) });
      const value = jsonLoads(c.json);
      expect(make(c, c.timestamp).dumps(value), where).toBe(c.token);
      expect(jsonDumps(make(c, c.timestamp).loads(c.token) as never, { ensureAscii: false })).toBe(c.json);
      if (c.compressed) compressed++;
      for (const r of c.reads) {
        expect(observe(() => make(c, r.now).loads(r.token, r.maxAge), asJson), `${where} ${JSON.stringify(r)}`).toEqual(expected(r.outcome));
      }
    }
    expect(compressed).toBeGreaterThan(10);
    expect(compressed).toBeLessThan(vectors.urlSafeTimed.length);
  });

  it('compresses only when that saves at least 2 bytes (payloads at the boundary)', () => {
    expect(vectors.threshold.map((c) => c.delta)).toEqual([-2, -1, 0]);
    for (const c of vectors.threshold) {
      const s = new URLSafeTimedSerializer('secret', { signerKwargs: { now: clock(1700000000) } });
      expect(s.dumps(jsonLoads(c.json)), c.json).toBe(c.token);
    }
  });

  it(`reports validly signed bad payloads like Python (${vectors.badPayload.length} cases)`, () => {
    const s = new URLSafeTimedSerializer('dev', { salt: 'cookie-session', signerKwargs: { keyDerivation: 'hmac', now: clock(1700000000) } });
    for (const c of vectors.badPayload as { payload: string; token: string; outcome: Outcome }[]) {
      expect(text(s.makeSigner().sign(unhex(c.payload))), c.payload).toBe(c.token);
      expect(observe(() => s.loads(c.token), asJson), c.token).toEqual(expected(c.outcome));
      const cause = c.outcome.cause;
      if (cause && (cause.class === 'error' || cause.class === 'BadData' || cause.class === 'UnicodeDecodeError' || cause.class === 'JSONDecodeError')) {
        try {
          s.loads(c.token);
        } catch (e) {
          expect(((e as Error).cause as Error).message, c.token).toBe(cause.message);
        }
      }
    }
  });

  it(`the four serializer classes with their default data serializers (${vectors.plainSerializers.length} cases)`, () => {
    const classes = { Serializer, TimedSerializer, URLSafeSerializer, URLSafeTimedSerializer } as const;
    for (const c of vectors.plainSerializers) {
      const Cls = classes[c.class as keyof typeof classes];
      const s = new Cls('secret', { signerKwargs: { now: clock(1700000000) } });
      expect(s.dumps(jsonLoads(c.json)), `${c.class} ${c.json}`).toBe(c.token);
      expect(jsonDumps(s.loads(c.token) as never, { ensureAscii: true, separators: [', ', ': '] })).toBe(c.json);
    }
  });
});
