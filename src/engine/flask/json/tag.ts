// Mirrors Flask 3.1.3 json/tag.py: https://github.com/pallets/flask/blob/3.1.3/src/flask/json/tag.py
import { standardB64DecodeLoose, standardB64Encode } from '../../itsdangerous/encoding.ts';
import { KeyError, PyAttributeError, PyException, PyRecursionError, PyStopIteration, PyTypeError, PyValueError } from '../../python/errors.ts';
import {
  decodeUtf8,
  dumps as jsonDumps,
  encodeString,
  floatRepr,
  strLess,
  loadsWith,
  MAX_DEPTH,
} from '../../python/json.ts';
import { pyInt, pyStr } from '../../python/repr.ts';
import { dictEntries, isDict, isMapDict, Markup, PyTuple, pyTruthy, PyUUID, pyTypeName, type PyDict, type PyKey, type PyValue } from '../../python/values.ts';
import { pythonRules, type PythonRules } from '../../python/version.ts';
import { httpDate, parseDate } from '../../werkzeug/dates.ts';

// Python's recursion limit, as a session cookie meets it. Flask gives up on a deeply nested payload with a
// RecursionError (which itsdangerous turns into BadPayload), and where it gives up depends on the Python:
//
// - Python 3.11 (with Flask 2.2, which untags through `json.loads(text, object_hook=untag)`): nesting in the C JSON
//   scanner and Python frames share one budget. A container at depth d takes d levels; the `untag` of a dict at
//   depth d runs one level below it, the tag's `to_python` one more, and the tag's own code more again.
// - Python 3.13 (with Flask 3.1, which parses first and then walks the result with the recursive `_untag_scan`):
//   the scanner's C limit is about ten thousand levels, and every value at depth t (scalars too) takes t Python
//   frames of the scan, the `untag` of a dict one more, `to_python` one more again.
//
// How many levels are left when the session is loaded depends on the call stack around Flask, so it is a setting
// ({@link TaggedJSONSerializer.recursionBudget}): the deepest `[[…]]` payload that loads. Its default is what a
// request served by Werkzeug's threaded development server (`flask run`) leaves, measured on the two judges;
// tests/conformance/recursion_live.test.ts measures it again and checks the limits of other shapes against Flask.

/** Levels of `[[…]]` that load in a session cookie under Werkzeug's threaded development server. */
export const DEFAULT_RECURSION_BUDGET: Readonly<Record<PythonRules, number>> = { '3.11': 973, '3.13': 980 };

/** Frames each tag's `to_python` uses below its own for a value that loads (Python 3.11 counts C-to-Python calls too). */
const TAG_FRAMES: Readonly<Record<PythonRules, Readonly<Record<string, number>>>> = {
  '3.11': { ' t': 0, ' di': 0, ' b': 2, ' m': 3, ' u': 4, ' d': 4 },
  '3.13': { ' t': 0, ' di': 0, ' b': 2, ' m': 1, ' u': 1, ' d': 3 },
};

/** Nesting Python 3.13's C JSON scanner allows (its C recursion limit, less what the call stack uses). */
const SCANNER_DEPTH_313 = 9990;

const RECURSION = 'maximum recursion depth exceeded';

/** A str as Python sees one (a Markup is a str subclass), or undefined. */
function asStr(v: unknown): string | undefined {
  return typeof v === 'string' ? v : v instanceof Markup ? v.html : undefined;
}

/** The items Python's `iter(value)` yields for a value decoded from JSON. @throws {PyTypeError} when not iterable. */
function pyIter(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (v instanceof PyTuple) return v.items;
  const s = asStr(v);
  if (s !== undefined) return Array.from(s);
  if (isDict(v)) return dictEntries(v).map(([k]) => k);
  if (v instanceof Uint8Array) return Array.from(v);
  throw new PyTypeError(`'${pyTypeName(v)}' object is not iterable`);
}

/** A tag class, instantiated once per serializer by {@link TaggedJSONSerializer.register}. */
export type JSONTagClass = new (serializer: TaggedJSONSerializer) => JSONTag;

/** Base class of a type tag: `key` marks the JSON form, `check` picks values, `toJSON`/`toPython` convert. Mirrors `JSONTag`. */
export abstract class JSONTag {
  /** The tag key (starting with a space), or null for a tag that only recurses into children. */
  readonly key: string | null = null;
  readonly serializer: TaggedJSONSerializer;
  constructor(serializer: TaggedJSONSerializer) {
    this.serializer = serializer;
  }
  /** Whether this tag handles the value. Mirrors `check`. */
  abstract check(value: unknown): boolean;
  /** The value as something JSON can hold; the tag is added by {@link tag}. Mirrors `to_json`. */
  abstract toJSON(value: unknown): PyValue;
  /** The JSON form (already untagged inside) back to the Python value. Mirrors `to_python`. @throws always in the base class. */
  toPython(_value: PyValue): PyValue {
    throw new PyException(`${this.constructor.name}.toPython is not implemented`);
  }
  /** `{key: toJSON(value)}`. Mirrors `tag`. */
  tag(value: unknown): PyValue {
    return new Map([[this.key, this.toJSON(value)]]);
  }
}

/** A 1-key dict whose key is a registered tag: the key gets `__` appended, removed again on load. Mirrors `TagDict`. */
export class TagDict extends JSONTag {
  override readonly key = ' di';
  check(value: unknown): boolean {
    if (!isDict(value)) return false;
    const entries = dictEntries(value);
    if (entries.length !== 1) return false;
    const k = asStr(entries[0]![0]);
    return k !== undefined && this.serializer.tags.has(k);
  }
  toJSON(value: unknown): PyValue {
    const [k, v] = dictEntries(value as PyDict)[0]!;
    return new Map([[`${asStr(k)}__`, this.serializer.tag(v)]]);
  }
  /**
   * Removes the last 2 code points of the only key, whatever they are.
   * @throws {PyStopIteration} for an empty container; {@link PyTypeError} for a value Python cannot index so.
   */
  override toPython(value: PyValue): PyValue {
    const items = pyIter(value);
    if (items.length === 0) throw new PyStopIteration();
    const key = items[0];
    // `key[:-2]`: only sequences slice; a dict fails hashing the slice.
    const ks = asStr(key);
    if (ks === undefined && !(Array.isArray(key) || key instanceof PyTuple || key instanceof Uint8Array)) {
      throw new PyTypeError(isDict(key) ? "unhashable type: 'slice'" : `'${pyTypeName(key)}' object is not subscriptable`);
    }
    // `value[key]`: only a dict can be indexed by what it yielded.
    if (!isDict(value)) {
      if (asStr(value) !== undefined) throw new PyTypeError(`string indices must be integers, not '${pyTypeName(key)}'`);
      throw new PyTypeError(`${pyTypeName(value)} indices must be integers or slices, not ${pyTypeName(key)}`);
    }
    const entry = dictEntries(value)[0]!;
    return new Map([[Array.from(ks ?? '').slice(0, -2).join(''), entry[1]]]);
  }
}

/** Any other dict: its values are tagged, its keys left alone. Mirrors `PassDict`. */
export class PassDict extends JSONTag {
  check(value: unknown): boolean {
    return isDict(value);
  }
  toJSON(value: unknown): PyValue {
    const out: PyDict = new Map();
    for (const [k, v] of dictEntries(value as PyDict)) out.set(k, this.serializer.tag(v));
    return out;
  }
  override tag(value: unknown): PyValue {
    return this.toJSON(value);
  }
}

/** A tuple, as a list under ` t`. Mirrors `TagTuple`. */
export class TagTuple extends JSONTag {
  override readonly key = ' t';
  check(value: unknown): boolean {
    return value instanceof PyTuple;
  }
  toJSON(value: unknown): PyValue {
    return (value as PyTuple).items.map((item) => this.serializer.tag(item));
  }
  /** `tuple(value)`. @throws {PyTypeError} `'int' object is not iterable` and the like. */
  override toPython(value: PyValue): PyValue {
    return new PyTuple(pyIter(value) as PyValue[]);
  }
}

/** A list: its items are tagged. Mirrors `PassList`. */
export class PassList extends JSONTag {
  check(value: unknown): boolean {
    return Array.isArray(value);
  }
  toJSON(value: unknown): PyValue {
    return (value as unknown[]).map((item) => this.serializer.tag(item));
  }
  override tag(value: unknown): PyValue {
    return this.toJSON(value);
  }
}

/** bytes, as standard padded base64 under ` b`. Mirrors `TagBytes`. */
export class TagBytes extends JSONTag {
  override readonly key = ' b';
  check(value: unknown): boolean {
    return value instanceof Uint8Array;
  }
  toJSON(value: unknown): PyValue {
    return standardB64Encode(value as Uint8Array);
  }
  /**
   * `base64.b64decode(value)`: stray characters skipped, padding not restored.
   * @throws {BinasciiError} for bad padding; {@link PyValueError} for non-ASCII text; {@link PyTypeError} for a non-string.
   */
  override toPython(value: PyValue): PyValue {
    const s = asStr(value);
    if (s !== undefined) {
      if (/[^\u0000-\u007f]/.test(s)) throw new PyValueError('string argument should contain only ASCII characters');
      return standardB64DecodeLoose(s);
    }
    if (value instanceof Uint8Array) {
      // Bytes outside ASCII are never base64 characters, so the decoder skips them anyway.
      let ascii = '';
      for (const b of value) if (b < 0x80) ascii += String.fromCharCode(b);
      return standardB64DecodeLoose(ascii);
    }
    throw new PyTypeError(`argument should be a bytes-like object or ASCII string, not '${pyTypeName(value)}'`);
  }
}

/** Anything with an `__html__` method, as its HTML text under ` m`; loads as Markup. Mirrors `TagMarkup`. */
export class TagMarkup extends JSONTag {
  override readonly key = ' m';
  check(value: unknown): boolean {
    return typeof value === 'object' && value !== null && typeof (value as { __html__?: unknown }).__html__ === 'function';
  }
  toJSON(value: unknown): PyValue {
    return pyStr((value as { __html__(): unknown }).__html__());
  }
  /** `Markup(value)`: the text of a string, `str()` of anything else. */
  override toPython(value: PyValue): PyValue {
    if (this.check(value)) return new Markup(pyStr((value as unknown as { __html__(): unknown }).__html__()));
    return new Markup(pyStr(value));
  }
}

/**
 * Python's `uuid.UUID(text)`: every `urn:` and `uuid:` removed, braces stripped from the ends, hyphens removed, then
 * exactly 32 characters read by `int(…, 16)`.
 * @throws {PyValueError} `badly formed hexadecimal UUID string`, an `int()` error, or an out-of-range value.
 */
export function uuidFromString(text: string): PyUUID {
  const h = text.replaceAll('urn:', '').replaceAll('uuid:', '').replace(/^[{}]+|[{}]+$/g, '').replaceAll('-', '');
  if (Array.from(h).length !== 32) throw new PyValueError('badly formed hexadecimal UUID string');
  const n = pyInt(h, 16);
  if (n < 0n || n >= 1n << 128n) throw new PyValueError('int is out of range (need a 128-bit value)');
  return new PyUUID(n.toString(16).padStart(32, '0'));
}

/** A UUID, as 32 lowercase hex digits under ` u`. Mirrors `TagUUID`. */
export class TagUUID extends JSONTag {
  override readonly key = ' u';
  check(value: unknown): boolean {
    return value instanceof PyUUID;
  }
  toJSON(value: unknown): PyValue {
    return (value as PyUUID).hex;
  }
  /** `UUID(value)`. @throws {PyValueError} for a bad string; a TypeError or AttributeError for a non-string, as Python. */
  override toPython(value: PyValue): PyValue {
    const s = asStr(value);
    if (s !== undefined) return uuidFromString(s);
    if (value === null) throw new PyTypeError('one of the hex, bytes, bytes_le, fields, or int arguments must be given');
    if (value instanceof Uint8Array) throw new PyTypeError("a bytes-like object is required, not 'str'");
    if (value instanceof Date) throw new PyTypeError("'str' object cannot be interpreted as an integer");
    throw new PyAttributeError(`'${pyTypeName(value)}' object has no attribute 'replace'`);
  }
}

/** A datetime, as an HTTP date under ` d` (whole seconds, UTC). Mirrors `TagDateTime`. */
export class TagDateTime extends JSONTag {
  override readonly key = ' d';
  check(value: unknown): boolean {
    return value instanceof Date;
  }
  toJSON(value: unknown): PyValue {
    return httpDate(value as Date);
  }
  /**
   * Werkzeug's `parse_date(value)`: a Date, or null (None) for text that does not parse and for falsy values.
   * @throws {PyAttributeError} for a truthy non-string (Python calls `.split()` on it); {@link PyOverflowError} for huge fields.
   */
  override toPython(value: PyValue): PyValue {
    const s = asStr(value);
    if (s !== undefined) return parseDate(s);
    // bytes split fine but then fail a str comparison with TypeError, which parse_date turns into None.
    if (!pyTruthy(value) || value instanceof Uint8Array) return null;
    throw new PyAttributeError(`'${pyTypeName(value)}' object has no attribute 'split'`);
  }
}

/**
 * Serializer that tags non-JSON types (tuple, bytes, Markup, UUID, datetime, and dicts whose only key looks like a
 * tag) so they load back as themselves. Mirrors `TaggedJSONSerializer`.
 */
export class TaggedJSONSerializer {
  /** Tag classes registered by the constructor, in order: the first whose `check` matches wins. */
  static defaultTags: JSONTagClass[] = [TagDict, PassDict, TagTuple, PassList, TagBytes, TagMarkup, TagUUID, TagDateTime];
  /** Registered tags by key. */
  readonly tags = new Map<string, JSONTag>();
  /** All tags in the order they are tried. */
  readonly order: JSONTag[] = [];
  private depth = 0;
  /**
   * Levels of Python recursion left for a payload: the deepest `[[…]]` that {@link loads} accepts, from which the
   * limit of every other shape follows (see the notes at the top of this file). Null: {@link DEFAULT_RECURSION_BUDGET}.
   */
  recursionBudget: number | null = null;

  /** True while the tags are Flask's defaults in Flask's order (then {@link dumps} may take its fast path). */
  private plainTags = false;

  constructor() {
    for (const cls of this.defaultTags) this.register(cls);
    const defaults = TaggedJSONSerializer.defaultTags;
    this.plainTags = this.order.length === defaults.length && this.order.every((t, i) => t.constructor === defaults[i]);
  }

  /** The class's default tag list (Python reads the class attribute through the instance). */
  get defaultTags(): JSONTagClass[] {
    return (this.constructor as typeof TaggedJSONSerializer).defaultTags;
  }

  /**
   * Registers a tag class: appended to the order, or inserted at `index` (Python `list.insert` semantics).
   * @throws {KeyError} `Tag ' x' is already registered.` unless `force` replaces it. Mirrors `register`.
   */
  register(tagClass: JSONTagClass, options: { force?: boolean; index?: number } = {}): void {
    this.plainTags = false;
    const tag = new tagClass(this);
    const key = tag.key;
    if (key !== null) {
      if (!options.force && this.tags.has(key)) throw new KeyError(`Tag '${key}' is already registered.`);
      this.tags.set(key, tag);
    }
    const n = this.order.length;
    let i = options.index ?? n;
    if (i < 0) i = Math.max(0, n + i);
    this.order.splice(Math.min(i, n), 0, tag);
  }

  /**
   * The value with every nested value tagged by the first matching tag. Mirrors `tag`.
   * @throws {PyRecursionError} past {@link MAX_DEPTH} nested levels (Flask gives up earlier, near 330).
   */
  tag(value: unknown): PyValue {
    if (++this.depth > MAX_DEPTH) {
      this.depth = 0;
      throw new PyRecursionError('maximum recursion depth exceeded');
    }
    try {
      for (const t of this.order) if (t.check(value)) return t.tag(value);
      return value as PyValue;
    } finally {
      if (this.depth > 0) this.depth--;
    }
  }

  /** A dict with exactly one key that is a registered tag becomes that tag's value; anything else is returned as is. Mirrors `untag`. */
  untag(value: PyDict | Record<string, PyValue>): PyValue {
    let k: PyKey;
    let v: PyValue;
    if (isMapDict(value)) {
      if (value.size !== 1) return value;
      [k, v] = value.entries().next().value!;
    } else {
      const entries = dictEntries(value);
      if (entries.length !== 1) return value;
      [k, v] = entries[0]!;
    }
    const tag = typeof k === 'string' ? this.tags.get(k) : undefined;
    return tag ? tag.toPython(v) : value;
  }

  /**
   * {@link untag} for a dict whose `untag` frame is at level `frame`, failing as Python does when the tag's
   * `to_python` would pass `budget`. @throws {PyRecursionError} then.
   */
  private untagWithin(dict: PyDict, frame: number, budget: number, extra: Readonly<Record<string, number>>): PyValue {
    if (dict.size === 1) {
      const k = dict.keys().next().value;
      if (typeof k === 'string' && this.tags.has(k) && frame + 1 + (extra[k] ?? 0) > budget) throw new PyRecursionError(RECURSION);
    }
    return this.untag(dict);
  }

  /** Untags a decoded JSON tree children first: list items, then each dict's values, then the dict. Mirrors `_untag_scan`. */
  untagScan(value: PyValue): PyValue {
    if (isMapDict(value)) {
      const out: PyDict = new Map();
      for (const [k, v] of value) out.set(k, this.untagScan(v));
      return this.untag(out);
    }
    if (Array.isArray(value)) return value.map((item) => this.untagScan(item));
    return value;
  }

  /**
   * Tags the value and writes compact ASCII-only JSON; `sortKeys` gives the text Flask writes inside a request.
   * @throws {PyTypeError} for a value no tag or JSON handles, or unorderable keys; see {@link jsonDumps}.
   */
  dumps(value: unknown, options: { sortKeys?: boolean } = {}): string {
    // The usual session (str keys; str, int, bool, None, list and dict values; no dict that looks like a tag) is
    // written straight from the value; anything else, or an overridden `tag`, goes through tag() and dumps().
    if (this.plainTags && this.tag === TaggedJSONSerializer.prototype.tag) {
      const fast = writePlain(value, options.sortKeys ?? false, this.tags, 0);
      if (fast !== null) return fast;
    }
    return jsonDumps(this.tag(value), { separators: [',', ':'], ensureAscii: true, sortKeys: options.sortKeys ?? false });
  }

  /**
   * Parses JSON (bytes are decoded as strict UTF-8) and untags it, in one pass: each dict is untagged as soon as
   * it is complete, which is the order of Python's children-first scan. Deep nesting fails where Flask fails
   * ({@link recursionBudget}, under the engine's Python rules). Mirrors `loads`.
   * @throws {JSONDecodeError} / {@link PyUnicodeDecodeError} for bad input, {@link PyRecursionError} for deep
   *   nesting, and whatever a tag's `toPython` throws.
   */
  loads(text: string | Uint8Array, options: { recursionBudget?: number } = {}): PyValue {
    const doc = typeof text === 'string' ? text : decodeUtf8(text);
    const rules = pythonRules();
    const budget = options.recursionBudget ?? this.recursionBudget ?? DEFAULT_RECURSION_BUDGET[rules];
    const extra = TAG_FRAMES[rules];
    // Flask 3.1's order: parse, then scan, so a syntax error anywhere wins over an untagging error, and the first
    // untagging error in the scan's order (values entered top-down, dicts untagged bottom-up) is the one raised.
    // (Flask 2.2 untags inside the parser, so there an untagging error can win over a later syntax error; the
    // engine keeps 3.1's order under both rules, and only the recursion budget follows them.)
    let failure: unknown = null;
    let failed = false;
    const fail = (e: unknown): void => {
      if (!failed) {
        failed = true;
        failure = e;
      }
    };
    // Only the first error is kept: make no other (an Error records a stack trace, which is not free).
    const tooDeep = (): void => {
      if (!failed) fail(new PyRecursionError(RECURSION));
    };
    const objectHook = (dict: PyDict, depth: number): PyValue => {
      if (failed) return dict;
      if (depth + 1 > budget) {
        tooDeep();
        return dict;
      }
      try {
        return this.untagWithin(dict, depth + 1, budget, extra);
      } catch (e) {
        fail(e);
        return dict;
      }
    };
    const value =
      rules === '3.11'
        ? // The C scanner's nesting counts against the same limit as Python frames: it stops the parse at once.
          loadsWith(doc, { maxDepth: Math.min(MAX_DEPTH, budget), objectHook })
        : // Every value is a frame of the recursive scan; the scanner itself goes much deeper.
          loadsWith(doc, {
            maxDepth: SCANNER_DEPTH_313,
            softDepth: budget,
            onDeep: tooDeep,
            onScalar: (depth) => {
              if (depth + 1 > budget) tooDeep();
            },
            objectHook,
          });
    if (failed && rules === '3.13' && !(failure instanceof PyRecursionError)) {
      // Flask 3.1 scans what the parse kept: a value that a later duplicate key replaced (`{"a": bad, "a": 1}`)
      // is never untagged there, though the hook above saw it. A failed payload is scanned again the slow way,
      // the parse then the scan, whose first error (or value) is Flask's; the scan is shallow, since nothing
      // passed the recursion budget.
      return this.untagScan(loadsWith(doc, { maxDepth: SCANNER_DEPTH_313 }));
    }
    if (failed) throw failure;
    return value;
  }
}

/** Nesting the fast writer handles; deeper values (and cycles) take the general path, which reports them. */
const PLAIN_DEPTH = 32;

/**
 * Compact ASCII JSON of a value that no tag touches, exactly as `dumps(tag(value))` writes it, or null when the
 * value holds anything else (tuples, bytes, floats that are whole numbers, Markup, dates, UUIDs, non-str keys, a
 * one-key dict whose key is a tag, plain objects, bigints) or nests deeper than {@link PLAIN_DEPTH}.
 */
function writePlain(v: unknown, sortKeys: boolean, tags: Map<string, JSONTag>, depth: number): string | null {
  if (typeof v === 'string') return encodeString(v, true);
  if (typeof v === 'number') {
    if (Number.isSafeInteger(v) && !Object.is(v, -0)) return String(v);
    return Number.isFinite(v) && !Number.isInteger(v) ? floatRepr(v) : null;
  }
  if (v === null) return 'null';
  if (v === true) return 'true';
  if (v === false) return 'false';
  if (depth >= PLAIN_DEPTH) return null;
  if (Array.isArray(v)) {
    let out = '[';
    for (let i = 0; i < v.length; i++) {
      const item = writePlain(v[i], sortKeys, tags, depth + 1);
      if (item === null) return null;
      out += i === 0 ? item : ',' + item;
    }
    return out + ']';
  }
  if (!isMapDict(v)) return null;
  const keys: string[] = [];
  for (const k of v.keys()) {
    if (typeof k !== 'string') return null;
    keys.push(k);
  }
  if (keys.length === 1 && tags.has(keys[0]!)) return null;
  // Keys are distinct strings: any correct order by code point is Python's.
  if (sortKeys && keys.length > 1) keys.sort((a, b) => (strLess(a, b) ? -1 : 1));
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const item = writePlain(v.get(k), sortKeys, tags, depth + 1);
    if (item === null) return null;
    out += (i === 0 ? '' : ',') + encodeString(k, true) + ':' + item;
  }
  return out + '}';
}

/** The serializer Flask's session interface uses. Mirrors `flask.sessions.session_json_serializer`. */
export const sessionJsonSerializer = new TaggedJSONSerializer();
