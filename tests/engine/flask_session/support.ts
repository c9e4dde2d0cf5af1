// Shared helpers for the Flask-Session tests: the vector file's tagged values, a canonical form of
// Python values for deep comparison, hex, SHA-256 and an isolated ioredis-mock client.
import { sha256 } from '@noble/hashes/sha2.js';
import { PyFloat, PyTuple, type PyDict, type PyKey, type PyValue } from '../../../src/engine/python/values.ts';
import type { RedisLikeClient } from '../../../src/engine/flask_session/redis.ts';
import { loadRedisMock } from '../../../src/components/redis-view/redis-mock.ts';
import vectors from '../../vectors/flask_session.json' with { type: 'json' };

export { vectors, loadRedisMock };

/** A value as the vector script writes it (see tests/peers/flask_session_vectors.py). */
export type Tagged = [string, ...unknown[]];

function pyFloat(repr: string): number {
  if (repr === 'inf') return Infinity;
  if (repr === '-inf') return -Infinity;
  if (repr === 'nan') return NaN;
  return Number(repr);
}

/** Builds the Python value a tagged array describes. */
export function fromTagged(t: Tagged): PyValue {
  const [tag, a, b, c, d] = t as [string, unknown, unknown, unknown, unknown];
  switch (tag) {
    case 'none':
      return null;
    case 'bool':
      return a as boolean;
    case 'int': {
      const v = BigInt(a as string);
      return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
    }
    case 'float': {
      const f = pyFloat(a as string);
      return Number.isInteger(f) || !Number.isFinite(f) || Object.is(f, -0) ? new PyFloat(f) : f;
    }
    case 'str':
      return a as string;
    case 'bytes':
      return fromHex(a as string);
    case 'list':
      return (a as Tagged[]).map(fromTagged);
    case 'tuple':
      return new PyTuple((a as Tagged[]).map(fromTagged));
    case 'dict':
      return new Map((a as [Tagged, Tagged][]).map(([k, v]) => [fromTagged(k) as PyKey, fromTagged(v)]));
    case 'strrep':
      return (a as string).repeat(b as number);
    case 'bytesrep':
      return new Uint8Array(b as number).fill(parseInt(a as string, 16));
    case 'range':
      return Array.from({ length: a as number }, (_, i) => i);
    case 'fmtlist':
      return Array.from({ length: c as number }, (_, i) => (a as string) + String(i).padStart(b as number, '0'));
    case 'fmtdict': {
      const v = fromTagged(d as Tagged);
      return new Map(Array.from({ length: c as number }, (_, i) => [(a as string) + String(i).padStart(b as number, '0'), v]));
    }
  }
  throw new Error(`unknown tag ${tag}`);
}

/** A canonical, comparable form of a Python value: type-tagged, floats by bit pattern, dicts in order. */
export function canon(v: PyValue | PyKey): unknown {
  if (v === null) return ['none'];
  if (typeof v === 'boolean') return ['bool', v];
  if (typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v) && !Object.is(v, -0))) return ['int', BigInt(v).toString()];
  if (typeof v === 'number' || v instanceof PyFloat) {
    const x = typeof v === 'number' ? v : v.value;
    return ['float', Number.isNaN(x) ? 'nan' : Object.is(x, -0) ? '-0' : String(x)];
  }
  if (typeof v === 'string') return ['str', v];
  if (v instanceof Uint8Array) return ['bytes', toHex(v)];
  if (Array.isArray(v)) return ['list', v.map(canon)];
  if (v instanceof PyTuple) return ['tuple', v.items.map(canon)];
  if (v instanceof Map) return ['dict', [...(v as PyDict).entries()].map(([k, x]) => [canon(k), canon(x)])];
  if (typeof v === 'object') return ['dict', Object.entries(v).map(([k, x]) => [canon(k), canon(x as PyValue)])];
  throw new Error(`cannot canonicalise ${String(v)}`);
}

export function toHex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

export function fromHex(h: string): Uint8Array {
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function sha256Hex(b: Uint8Array): string {
  return toHex(sha256(b));
}

/** Checks bytes against a vector entry that gives either `hex` or `length` + `sha256`. */
export function matchesVector(b: Uint8Array, v: { hex?: string; length?: number; sha256?: string }): boolean {
  if (v.hex !== undefined) return toHex(b) === v.hex;
  return b.length === v.length && sha256Hex(b) === v.sha256;
}

/** The bytes of a vector entry, when it carries them in full. */
export function vectorBytes(v: { hex?: string }): Uint8Array | null {
  return v.hex === undefined ? null : fromHex(v.hex);
}

let port = 40000;
/** A fresh ioredis-mock client whose data no other test sees (ioredis-mock shares data per host:port). */
export async function mockClient(): Promise<RedisLikeClient> {
  const RedisMock = await loadRedisMock();
  return new RedisMock({ port: port++ });
}

/** Deterministic "random" bytes: a counter, so session ids are predictable in tests. */
export function counterBytes(start = 1): (n: number) => Uint8Array {
  let c = start;
  return (n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = (c + i) & 0xff;
    c += 1;
    return out;
  };
}
