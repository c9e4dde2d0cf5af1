// fast-check arbitraries for Python values in the engine's value model (no node: imports: reused in the browser run).
import fc from 'fast-check';
import { Markup, PyFloat, PyTuple, PyUUID, type PyDict, type PyKey, type PyValue } from '../../../src/engine/python/values.ts';

/** A float as the value model holds it: integral, non-finite and -0 values as PyFloat, others as number. */
export function asPyFloat(x: number): PyValue {
  return Number.isInteger(x) || !Number.isFinite(x) ? new PyFloat(x) : x;
}

const EDGE_FLOATS = [
  0, -0, 1, -1, 0.1, 1e16, 1e15, 1e-4, 1e-5, 9999999999999998, 1.2345678901234568e17, 5e-324, 2.2250738585072014e-308,
  1.7976931348623157e308, NaN, Infinity, -Infinity, 0.5, 1 / 3, 2 ** 53, 2 ** 53 + 2, 123456789.125,
];

/** Floats: edge values, arbitrary doubles, and doubles built from random bits. */
export const pyFloat: fc.Arbitrary<PyValue> = fc
  .oneof(fc.constantFrom(...EDGE_FLOATS), fc.double(), fc.double({ min: -1e6, max: 1e6 }))
  .map(asPyFloat);

/** Ints: small numbers, values around 2^53, and big ints (as bigint when beyond the safe range). */
export const pyInt: fc.Arbitrary<PyValue> = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }),
  fc.maxSafeInteger(),
  fc.bigInt({ min: -(2n ** 200n), max: 2n ** 200n }).map((b) => (b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b)),
  fc.constantFrom<PyValue>(2 ** 53 - 1, 2n ** 53n, -(2n ** 53n), 2n ** 64n, 2n ** 70n),
);

const ANY_UNIT = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 1 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 1 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: fc.constantFrom('😀', '𝄞', '\u2028', '\u007f', '\u0000', '"', '\\', '/', '\ud800', '\udc00', '\uffff', 'é', ' t', ' di') },
);

/** Strings mixing ASCII, any code point, lone surrogates and JSON-sensitive characters. */
export const pyStr: fc.Arbitrary<string> = fc.array(ANY_UNIT, { maxLength: 12 }).map((a) => a.join(''));

/** Strings without lone surrogates (what UTF-8 text can carry). */
export const wellFormedStr: fc.Arbitrary<string> = pyStr.map((s) => s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '?'));

const TAG_KEYS = [' di', ' t', ' b', ' m', ' u', ' d'];

/** Dict keys: mostly strings, including tag keys and their ` di` forms. */
export const strKey: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: pyStr },
  { weight: 2, arbitrary: fc.constantFrom(...TAG_KEYS, ' t__', ' x', 'a', 'Z', '_') },
);

/** Keys of any JSON-convertible type (int, float, bool, None, str). */
export const anyKey: fc.Arbitrary<PyKey> = fc.oneof(strKey, fc.integer({ min: -50, max: 50 }), fc.boolean(), fc.constant(null), pyFloat as fc.Arbitrary<PyKey>);

const uuidArb = fc.uuid().map((u) => new PyUUID(u));
const dateArb = fc.date({ min: new Date(Date.UTC(1, 0, 1)), max: new Date(Date.UTC(9999, 11, 31, 23, 59, 59)), noInvalidDate: true });

export interface ValueOptions {
  /** Include the types Flask tags (tuple, bytes, Markup, UUID, datetime). */
  tagged?: boolean;
  /** Which dict keys to use. */
  keys?: 'str' | 'any';
  /** Depth of nesting. */
  depth?: number;
}

/** Nested Python values over the value model. */
export function pyValue(options: ValueOptions = {}): fc.Arbitrary<PyValue> {
  const { tagged = false, keys = 'str', depth = 3 } = options;
  const key = keys === 'str' ? strKey : anyKey;
  const leaves: fc.Arbitrary<PyValue>[] = [fc.constant(null), fc.boolean(), pyInt, pyFloat, pyStr];
  if (tagged) leaves.push(fc.uint8Array({ maxLength: 12 }), pyStr.map((s) => new Markup(s)), uuidArb, dateArb);
  const { value } = fc.letrec<{ value: PyValue }>((tie) => {
    const containers: fc.Arbitrary<PyValue>[] = [
      fc.array(tie('value'), { maxLength: 4 }),
      fc.uniqueArray(fc.tuple(key, tie('value')), { maxLength: 4, selector: ([k]) => keyIdentity(k) }).map((e) => new Map(e) as PyDict),
      // One-key dicts whose key is a tag: the ` di` case.
      fc.tuple(fc.constantFrom(...TAG_KEYS), tie('value')).map(([k, v]) => new Map([[k, v]]) as PyDict),
    ];
    if (tagged) containers.push(fc.array(tie('value'), { maxLength: 4 }).map((a) => new PyTuple(a)));
    return {
      value: fc.oneof({ depthSize: 'small', maxDepth: depth }, ...leaves.map((arbitrary) => ({ weight: 3, arbitrary })), ...containers.map((arbitrary) => ({ weight: 1, arbitrary }))),
    };
  });
  return value;
}

/** What Python's dict considers the same key (1, 1.0 and True collide), so generated dicts stay Python-valid. */
export function keyIdentity(k: PyKey): string {
  if (typeof k === 'string') return `s${k}`;
  if (k === null) return 'n';
  const n = typeof k === 'boolean' ? (k ? 1 : 0) : k instanceof PyFloat ? k.value : k;
  if (typeof n === 'bigint') return `#${n}`;
  if (Number.isNaN(n)) return 'nan';
  return Number.isInteger(n) ? `#${BigInt(n)}` : `#${n}`;
}
