// Werkzeug's CallbackDict, the dict every Flask session is built on (Werkzeug 3.1.3):
// https://github.com/pallets/werkzeug/blob/3.1.3/src/werkzeug/datastructures/structures.py
import { KeyError } from '../python/errors.ts';
import { dictEntries, type PyDict, type PyKey, type PyObject, type PyValue } from '../python/values.ts';

/**
 * A dict that calls `onUpdate` after every change, like Werkzeug's `CallbackDict`. Methods are the
 * Python dict's: `s[k]` is {@link getItem}, `s[k] = v` is {@link set}, `del s[k]` is {@link delete}.
 */
export class CallbackDict {
  protected readonly data: Map<PyKey, PyValue>;
  onUpdate: ((d: CallbackDict) => void) | null;

  constructor(initial?: PyDict | PyObject | null, onUpdate: ((d: CallbackDict) => void) | null = null) {
    this.data = new Map(initial ? dictEntries(initial) : []);
    this.onUpdate = onUpdate;
  }

  protected changed(): void {
    this.onUpdate?.(this);
  }

  /** `d.get(key, default)`. */
  get(key: PyKey, fallback: PyValue = null): PyValue {
    return this.data.has(key) ? this.data.get(key)! : fallback;
  }
  /** `d[key]`. @throws {KeyError} when the key is missing. */
  getItem(key: PyKey): PyValue {
    if (!this.data.has(key)) throw new KeyError(key);
    return this.data.get(key)!;
  }
  /** `d[key] = value`; counts as a change even when the value is the same. */
  set(key: PyKey, value: PyValue): void {
    this.data.set(key, value);
    this.changed();
  }
  /** `del d[key]`. @throws {KeyError} when the key is missing. */
  delete(key: PyKey): void {
    if (!this.data.has(key)) throw new KeyError(key);
    this.data.delete(key);
    this.changed();
  }
  /** `key in d`. */
  has(key: PyKey): boolean {
    return this.data.has(key);
  }
  /** `d.pop(key[, default])`; a change only when the key was there. @throws {KeyError} when missing and no default. */
  pop(key: PyKey, ...fallback: [PyValue?]): PyValue {
    if (!this.data.has(key)) {
      if (fallback.length === 0) throw new KeyError(key);
      return fallback[0] ?? null;
    }
    const v = this.data.get(key)!;
    this.data.delete(key);
    this.changed();
    return v;
  }
  /** `d.popitem()`: removes the last inserted pair. @throws {KeyError} when empty. */
  popitem(): [PyKey, PyValue] {
    const last = [...this.data.entries()].pop();
    if (!last) throw new KeyError('popitem(): dictionary is empty');
    this.data.delete(last[0]);
    this.changed();
    return last;
  }
  /** `d.clear()`; a change even when already empty. */
  clear(): void {
    this.data.clear();
    this.changed();
  }
  /** `d.update(other)`; a change even for an empty update. */
  update(other: PyDict | PyObject): void {
    for (const [k, v] of dictEntries(other)) this.data.set(k, v);
    this.changed();
  }
  /** `d.setdefault(key, default)`; a change only when the key was new. */
  setdefault(key: PyKey, value: PyValue = null): PyValue {
    if (this.data.has(key)) return this.data.get(key)!;
    this.data.set(key, value);
    this.changed();
    return value;
  }
  keys(): PyKey[] {
    return [...this.data.keys()];
  }
  values(): PyValue[] {
    return [...this.data.values()];
  }
  items(): [PyKey, PyValue][] {
    return [...this.data.entries()];
  }
  /** `len(d)`. */
  get size(): number {
    return this.data.size;
  }
  /** `bool(d)`: false when empty. Subclasses may refine it (Flask-Session ignores `_permanent`). */
  get truthy(): boolean {
    return this.data.size > 0;
  }
  /** `dict(d)`: a shallow copy as a Map. */
  toDict(): PyDict {
    return new Map(this.data);
  }
  [Symbol.iterator](): IterableIterator<PyKey> {
    return this.data.keys();
  }
}
