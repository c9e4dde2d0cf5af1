// Python's `dict(x)` for the values the engine holds: what the built-in constructor accepts (a mapping, or any
// iterable of two-item iterables with hashable first items) and the errors it raises for the rest, worded as
// CPython words them.
import { PyTypeError, PyValueError } from './errors.ts';
import { dictEntries, isDict, Markup, PyTuple, pyTypeName, type PyDict, type PyKey, type PyValue } from './values.ts';

/** What Python's `iter(x)` yields, for the values a payload can hold; null when `x` is not iterable. */
function pyIterate(v: PyValue): PyValue[] | null {
  if (Array.isArray(v)) return v;
  if (v instanceof PyTuple) return v.items;
  if (typeof v === 'string') return Array.from(v);
  if (v instanceof Markup) return Array.from(v.html);
  if (v instanceof Uint8Array) return Array.from(v);
  if (isDict(v)) return dictEntries(v).map(([k]) => k as PyValue);
  return null;
}

/** The type Python's `hash()` refuses inside a value (a list or dict, also inside a tuple), or null when it hashes. */
function unhashableType(v: PyValue): string | null {
  if (Array.isArray(v) || isDict(v)) return pyTypeName(v);
  if (v instanceof PyTuple) {
    for (const item of v.items) {
      const bad = unhashableType(item);
      if (bad !== null) return bad;
    }
  }
  return null;
}

/**
 * `dict(data)`: a mapping is copied; an iterable of pairs becomes a dict (a later key wins); anything else raises.
 * @throws {PyTypeError} for a value that is not iterable, an element that is not, or an unhashable key.
 * @throws {PyValueError} for an element that is not of length 2.
 */
export function pyDict(data: PyValue): PyDict {
  if (isDict(data)) return new Map(dictEntries(data));
  const items = pyIterate(data);
  if (items === null) throw new PyTypeError(`'${pyTypeName(data)}' object is not iterable`);
  const out: PyDict = new Map();
  items.forEach((item, i) => {
    const pair = pyIterate(item);
    if (pair === null) throw new PyTypeError(`cannot convert dictionary update sequence element #${i} to a sequence`);
    if (pair.length !== 2) throw new PyValueError(`dictionary update sequence element #${i} has length ${pair.length}; 2 is required`);
    const key = pair[0];
    const bad = unhashableType(key);
    if (bad !== null) throw new PyTypeError(`unhashable type: '${bad}'`);
    out.set(key as PyKey, pair[1]);
  });
  return out;
}
