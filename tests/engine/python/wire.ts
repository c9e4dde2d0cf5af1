// Decodes the neutral "wire" form written by tests/peers/json_vectors.py (the same form as tests/peers/flask_peer.py)
// into engine values, without going through any serializer under test. No node: imports (reused in the browser run).
import { Markup, PyFloat, PyTuple, PyUUID, type PyKey, type PyValue } from '../../../src/engine/python/values.ts';

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
  | ['datetime', string, number | null];

/** Python's float repr text (including nan/inf) as a number. */
export function parsePyFloat(text: string): number {
  if (text === 'nan') return NaN;
  if (text === 'inf') return Infinity;
  if (text === '-inf') return -Infinity;
  return Number(text);
}

/** Text from hex UTF-16 code units (used for strings with lone surrogates). */
function utf16(hex: string): string {
  return String.fromCharCode(...Array.from(hex.match(/..../g) ?? [], (h) => parseInt(h, 16)));
}

/** A wire value as an engine value: ints as number when safe, floats as PyFloat when integral, dicts as Map. */
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
      const x = parsePyFloat(w[1]);
      return Number.isInteger(x) || !Number.isFinite(x) ? new PyFloat(x) : x;
    }
    case 'str':
      return w[1];
    case 'bytes':
      return Uint8Array.from(w[1].match(/../g) ?? [], (h) => parseInt(h, 16));
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
      return new Date(Number(w[1]));
  }
}
