// The neutral "wire" form of Python values shared with the Python peers (tests/peers/flask_peer.py,
// json_vectors.py, flask_session_vectors.py) and the vector files they write. Deliberately not Flask's tagged
// JSON, so the serializer under test never carries its own test data.
// No node: imports: engine tests running in Chromium read vectors through it too.
import { Markup, PyFloat, PyTuple, PyUUID, dictEntries, isDict, type PyKey, type PyValue } from '../../src/engine/python/values.ts';
import { MsgpackExt, PreciseDate } from '../../src/engine/flask_session/msgpack.ts';

export type Wire =
  | ['none']
  | ['bool', boolean]
  | ['int', string]
  | ['float', string]
  | ['str', string]
  | ['str16', string]
  | ['markup16', string]
  | ['bytes', string]
  | ['list', Wire[]]
  | ['tuple', Wire[]]
  | ['dict', [Wire, Wire][]]
  | ['markup', string]
  | ['uuid', string]
  | ['datetime', string, number | null]
  | ['datetime', string, number | null, number]
  | ['ext', number, string];

/** A Python exception as the peer reports it. */
export interface PyError {
  cls: string;
  msg: string;
  mro: string[];
}

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const unhex = (s: string): Uint8Array => Uint8Array.from(s.match(/../g) ?? [], (h) => parseInt(h, 16));

/** A JS number that Python would see as a float (non-integral, non-finite, or -0). */
function isFloatNumber(n: number): boolean {
  return !Number.isInteger(n) || Object.is(n, -0);
}

/** A float's text that Python's `float()` parses back to the same double. */
function floatText(n: number): string {
  if (Object.is(n, -0)) return '-0.0';
  if (Number.isNaN(n)) return 'nan';
  if (n === Infinity) return 'inf';
  if (n === -Infinity) return '-inf';
  return String(n);
}

/** Python's float repr text (including nan/inf) as a number. */
function parseFloatText(s: string): number {
  if (s === 'nan') return NaN;
  if (s === 'inf') return Infinity;
  if (s === '-inf') return -Infinity;
  return Number(s);
}

/** Encodes an engine value for the peer. `naiveDates` decides whether a Date goes over as naive or UTC-aware. */
export function toWire(v: PyValue | PyKey, naiveDates = true): Wire {
  if (v === null || v === undefined) return ['none'];
  if (typeof v === 'boolean') return ['bool', v];
  if (typeof v === 'bigint') return ['int', v.toString()];
  if (typeof v === 'number') return isFloatNumber(v) ? ['float', floatText(v)] : ['int', String(v)];
  if (typeof v === 'string') return ['str', v];
  if (v instanceof PyFloat) return ['float', floatText(v.value)];
  if (v instanceof Uint8Array) return ['bytes', hex(v)];
  if (Array.isArray(v)) return ['list', v.map((x) => toWire(x, naiveDates))];
  if (v instanceof PyTuple) return ['tuple', v.items.map((x) => toWire(x, naiveDates))];
  if (v instanceof Markup) return ['markup', v.html];
  if (v instanceof PyUUID) return ['uuid', v.hex];
  if (v instanceof PreciseDate && v.micro) return ['datetime', String(v.getTime()), naiveDates ? null : 0, v.micro];
  if (v instanceof Date) return ['datetime', String(v.getTime()), naiveDates ? null : 0];
  if ((v as unknown) instanceof MsgpackExt) return ['ext', (v as unknown as MsgpackExt).code, hex((v as unknown as MsgpackExt).data)];
  if (isDict(v)) return ['dict', dictEntries(v).map(([k, x]) => [toWire(k, naiveDates), toWire(x, naiveDates)] as [Wire, Wire])];
  throw new TypeError(`cannot put ${String(v)} on the wire`);
}

/** Text from hex UTF-16 code units (the form of strings with lone surrogates, which some JSON parsers refuse). */
function utf16(hex: string): string {
  return String.fromCharCode(...Array.from(hex.match(/..../g) ?? [], (h) => parseInt(h, 16)));
}

/**
 * Decodes a peer value into the engine's value model: ints as number when safe, else bigint; floats as PyFloat
 * when integral or not finite (as the engine's own JSON loads does), else number; dicts as Map.
 */
export function fromWire(w: Wire): PyValue {
  switch (w[0]) {
    case 'none':
      return null;
    case 'bool':
      return w[1];
    case 'int': {
      const b = BigInt(w[1]);
      return b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
    }
    case 'float': {
      const n = parseFloatText(w[1]);
      return Number.isInteger(n) || !Number.isFinite(n) ? new PyFloat(n) : n;
    }
    case 'str':
      return w[1];
    case 'bytes':
      return unhex(w[1]);
    case 'list':
      return w[1].map(fromWire);
    case 'tuple':
      return new PyTuple(w[1].map(fromWire));
    case 'dict':
      return new Map(w[1].map(([k, v]) => [fromWire(k) as PyKey, fromWire(v)]));
    case 'markup':
      return new Markup(w[1]);
    case 'str16':
      return utf16(w[1]);
    case 'markup16':
      return new Markup(utf16(w[1]));
    case 'uuid':
      return new PyUUID(w[1]);
    case 'datetime':
      return w.length > 3 && w[3] ? new PreciseDate(BigInt(w[1]) * 1000n + BigInt(w[3])) : new Date(Number(w[1]));
    case 'ext':
      return new MsgpackExt(w[1], unhex(w[2])) as unknown as PyValue;
  }
}

/**
 * The wire form of a value with every Python-irrelevant difference removed, for equality checks:
 * a float is a float whether it came as a number or a PyFloat, an int the same whether number or bigint,
 * and a datetime compares by instant (its offset is dropped).
 */
export function canonical(v: PyValue | PyKey): string {
  const norm = (w: Wire): unknown => {
    switch (w[0]) {
      case 'float':
        return ['float', floatText(parseFloatText(w[1]))];
      case 'int':
        return ['int', BigInt(w[1]).toString()];
      case 'list':
      case 'tuple':
        return [w[0], w[1].map(norm)];
      case 'dict':
        return ['dict', w[1].map(([k, x]) => [norm(k), norm(x)])];
      case 'datetime':
        return ['datetime', w[1], w[3] ?? 0];
      default:
        return w;
    }
  };
  return JSON.stringify(norm(toWire(v)));
}

/** The same canonical form for a value that is already on the wire. */
export function canonicalWire(w: Wire): string {
  return canonical(fromWire(w));
}
