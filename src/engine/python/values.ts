/**
 * The Python values a Flask session can hold, as TypeScript sees them.
 *
 * Mapping (Python → TypeScript):
 * - None → `null`; bool → `boolean`; str → `string`.
 * - int → `number` when it is a safe integer, else `bigint` (both are accepted on the way in).
 * - float → `number` when the value is not integral (`2.5`), else {@link PyFloat} (`2.0`, `1e16`,
 *   `-0.0`, `NaN`, `inf`), so that a float never turns into an int on a round trip.
 * - bytes → `Uint8Array`; list → `Array`; tuple → {@link PyTuple}.
 * - dict → `Map` (insertion order kept; keys may be str, int, float, bool or None). Plain objects are
 *   accepted as input too. Everything decoded comes back as a `Map`, except an empty JSON object, which
 *   comes back as a {@link LazyDict}: the same methods, with the table made on the first write.
 * - markupsafe.Markup → {@link Markup}; uuid.UUID → {@link PyUUID}; datetime.datetime → `Date`.
 */
import { PyValueError } from './errors.ts';

/** A Python float. Needed for floats whose value is integral, which a JS `number` would show as an int. */
export class PyFloat {
  readonly value: number;
  constructor(value: number) {
    this.value = value;
  }
}

/** A Python tuple: serialised with Flask's ` t` tag, distinct from a list. */
export class PyTuple {
  readonly items: PyValue[];
  constructor(items: Iterable<PyValue>) {
    this.items = [...items];
  }
}

/** markupsafe.Markup: a string already escaped for HTML (Flask's ` m` tag). */
export class Markup {
  readonly html: string;
  constructor(html: string) {
    this.html = html;
  }
  __html__(): string {
    return this.html;
  }
  toString(): string {
    return this.html;
  }
}

/** uuid.UUID, kept as 32 lowercase hex digits (Flask's ` u` tag). */
export class PyUUID {
  readonly hex: string;
  /** @throws {PyValueError} when the text is not a UUID in any form Python's `UUID(str)` accepts, as Python does. */
  constructor(text: string) {
    const hex = text.replace(/^urn:/i, '').replace(/^uuid:/i, '').replace(/[{}-]/g, '');
    if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new PyValueError('badly formed hexadecimal UUID string');
    this.hex = hex.toLowerCase();
  }
  /** The canonical hyphenated form, as `str(uuid)` prints it. */
  toString(): string {
    const h = this.hex;
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
}

export type PyKey = string | number | bigint | boolean | null | PyFloat;
export type PyDict = Map<PyKey, PyValue>;

/** Never written: what an empty {@link LazyDict} iterates. */
const NO_ENTRIES: ReadonlyMap<PyKey, PyValue> = new Map();

/**
 * A dict that makes its hash table on the first write and behaves as a `Map` in every other way (same methods,
 * same insertion order). The JSON reader gives one for each `{}`: allocating an empty `Map` costs V8 about three
 * times an object of one field, and a hostile cookie can hold millions of `{}`.
 */
export class LazyDict implements Map<PyKey, PyValue> {
  private table: Map<PyKey, PyValue> | null = null;
  get size(): number {
    return this.table === null ? 0 : this.table.size;
  }
  get(key: PyKey): PyValue | undefined {
    return this.table === null ? undefined : this.table.get(key);
  }
  has(key: PyKey): boolean {
    return this.table !== null && this.table.has(key);
  }
  set(key: PyKey, value: PyValue): this {
    (this.table ??= new Map()).set(key, value);
    return this;
  }
  /** `Map.prototype.getOrInsert` (ES2026), written out: not every runtime the site supports has it yet. */
  getOrInsert(key: PyKey, value: PyValue): PyValue {
    if (!this.has(key)) this.set(key, value);
    return this.get(key)!;
  }
  /** `Map.prototype.getOrInsertComputed` (ES2026), likewise. */
  getOrInsertComputed(key: PyKey, compute: (key: PyKey) => PyValue): PyValue {
    if (!this.has(key)) this.set(key, compute(key));
    return this.get(key)!;
  }
  delete(key: PyKey): boolean {
    return this.table !== null && this.table.delete(key);
  }
  clear(): void {
    this.table?.clear();
  }
  forEach(fn: (value: PyValue, key: PyKey, map: Map<PyKey, PyValue>) => void, thisArg?: unknown): void {
    this.table?.forEach((value, key) => fn.call(thisArg, value, key, this));
  }
  entries(): MapIterator<[PyKey, PyValue]> {
    return (this.table ?? NO_ENTRIES).entries();
  }
  keys(): MapIterator<PyKey> {
    return (this.table ?? NO_ENTRIES).keys();
  }
  values(): MapIterator<PyValue> {
    return (this.table ?? NO_ENTRIES).values();
  }
  [Symbol.iterator](): MapIterator<[PyKey, PyValue]> {
    return this.entries();
  }
  get [Symbol.toStringTag](): string {
    return 'LazyDict';
  }
}

/** True for a dict written as a `Map` or made by the JSON reader (a {@link LazyDict}). */
export function isMapDict(v: unknown): v is PyDict {
  return v instanceof Map || v instanceof LazyDict;
}
export interface PyObject {
  [key: string]: PyValue;
}
export type PyValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | PyFloat
  | Uint8Array
  | PyValue[]
  | PyTuple
  | PyDict
  | PyObject
  | Markup
  | PyUUID
  | Date;

/** True for a plain object (not a class instance), the other way to write a dict. */
function isPlainObject(v: unknown): v is PyObject {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** True for a value that Python would see as a dict. */
export function isDict(v: unknown): v is PyDict | PyObject {
  return isMapDict(v) || isPlainObject(v);
}

/** The entries of a dict in insertion order, whichever way it was written. */
export function dictEntries(v: PyDict | PyObject): [PyKey, PyValue][] {
  return isMapDict(v) ? [...v.entries()] : Object.entries(v);
}

/** Python's `type(x).__name__` for a value, for error messages that match Python's. */
export function pyTypeName(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'number') return Number.isInteger(v) && !Object.is(v, -0) ? 'int' : 'float';
  if (typeof v === 'string') return 'str';
  if (v instanceof PyFloat) return 'float';
  if (v instanceof Uint8Array) return 'bytes';
  if (Array.isArray(v)) return 'list';
  if (v instanceof PyTuple) return 'tuple';
  if (isDict(v)) return 'dict';
  if (v instanceof Markup) return 'Markup';
  if (v instanceof PyUUID) return 'UUID';
  if (v instanceof Date) return 'datetime';
  if (v instanceof Set) return 'set';
  return typeof v === 'object' ? (v.constructor?.name ?? 'object') : typeof v;
}

/** Python's truthiness (`bool(x)`): empty containers, zero and None are false; NaN is true. */
export function pyTruthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === 0n || v === '') return false;
  if (v instanceof PyFloat) return v.value !== 0;
  if (v instanceof Markup) return v.html !== '';
  if (Array.isArray(v) || v instanceof Uint8Array) return v.length > 0;
  if (v instanceof PyTuple) return v.items.length > 0;
  if (isDict(v)) return dictEntries(v).length > 0;
  return true;
}
