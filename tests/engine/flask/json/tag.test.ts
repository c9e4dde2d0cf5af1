import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  JSONTag,
  PassDict,
  sessionJsonSerializer,
  TagDict,
  TaggedJSONSerializer,
  uuidFromString,
} from '../../../../src/engine/flask/json/tag.ts';
import { BinasciiError, JSONDecodeError, KeyError, PyAttributeError, PyRecursionError, PyStopIteration, PyTypeError, PyUnicodeDecodeError, PyValueError } from '../../../../src/engine/python/errors.ts';
import { dumps as jsonDumps } from '../../../../src/engine/python/json.ts';
import { pyRepr } from '../../../../src/engine/python/repr.ts';
import { Markup, PyFloat, PyTuple, PyUUID, type PyDict, type PyValue } from '../../../../src/engine/python/values.ts';
import { pyValue } from '../../python/arbitraries.ts';
import { setPythonRules } from '../../../../src/engine/python/version.ts';

const s = sessionJsonSerializer;
const map = (...entries: [unknown, PyValue][]): PyDict => new Map(entries as [never, PyValue][]);
const utc = (ms: number): Date => new Date(ms);

function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an exception');
}

describe('dumps (every tag, outputs of the real Flask)', () => {
  it('writes example 5 byte for byte, in request (sorted) order', () => {
    const value = map(
      ['u', new PyUUID('12345678123456781234567812345678')],
      ['t', new PyTuple([1, 'x'])],
      ['m', new Markup('<b>hi</b>')],
      ['k', map([' t', 1])],
      ['d', utc(Date.UTC(2024, 0, 2, 3, 4, 5, 678))],
      ['b', new Uint8Array([0x00, 0xff])],
    );
    expect(s.dumps(value, { sortKeys: true })).toBe(
      '{"b":{" b":"AP8="},"d":{" d":"Tue, 02 Jan 2024 03:04:05 GMT"},"k":{" di":{" t__":1}},"m":{" m":"<b>hi</b>"},"t":{" t":[1,"x"]},"u":{" u":"12345678123456781234567812345678"}}',
    );
  });
  it('keeps insertion order outside a request and sorts inside', () => {
    const v = { user_id: 42, csrf: 'abc', _permanent: true };
    expect(s.dumps(v)).toBe('{"user_id":42,"csrf":"abc","_permanent":true}');
    expect(s.dumps(v, { sortKeys: true })).toBe('{"_permanent":true,"csrf":"abc","user_id":42}');
  });
  it('writes flashes and non-ASCII text as Flask does', () => {
    expect(s.dumps({ _flashes: [new PyTuple(['message', 'Saved!'])] }, { sortKeys: true })).toBe('{"_flashes":[{" t":["message","Saved!"]}]}');
    expect(s.dumps({ name: 'José ☃ 𝄞' }, { sortKeys: true })).toBe('{"name":"Jos\\u00e9 \\u2603 \\ud834\\udd1e"}');
  });
  it('uses ` di` only for a one-key dict whose key is a registered tag', () => {
    expect(s.dumps(map([' t', new PyTuple([1])]))).toBe('{" di":{" t__":{" t":[1]}}}');
    expect(s.dumps(map([' di', ' di']))).toBe('{" di":{" di__":" di"}}');
    expect(s.dumps(map([' x', 1]))).toBe('{" x":1}');
    expect(s.dumps(map([' t', 1], ['y', 2]))).toBe('{" t":1,"y":2}');
    expect(s.dumps(map([1, 'one']))).toBe('{"1":"one"}');
    expect(s.dumps(map([new Markup(' b'), 1]))).toBe('{" di":{" b__":1}}');
  });
  it('tags nested values and leaves keys alone', () => {
    expect(s.dumps([new Uint8Array([1, 2, 3]), new PyTuple([new PyTuple([])]), map([2, new Uint8Array()])])).toBe(
      '[{" b":"AQID"},{" t":[{" t":[]}]},{"2":{" b":""}}]',
    );
  });
  it('tags anything with __html__ as Markup', () => {
    class Html {
      __html__(): string {
        return '<em>x</em>';
      }
    }
    const html = new Html();
    // A dict with an `__html__` key is still a dict.
    expect(s.dumps({ __html__: 1 })).toBe('{"__html__":1}');
    expect(s.dumps([html] as never)).toBe('[{" m":"<em>x</em>"}]');
  });
  it('fails like Flask for values nothing handles', () => {
    const e = thrown(() => s.dumps({ a: new Set([1]) } as never));
    expect(e).toBeInstanceOf(PyTypeError);
    expect(e.message).toBe('Object of type set is not JSON serializable');
    expect(thrown(() => s.dumps(map([1, 'a'], ['b', 2]), { sortKeys: true })).message).toBe("'<' not supported between instances of 'str' and 'int'");
  });
  it('stops cleanly on absurd nesting', () => {
    let v: PyValue = 1;
    for (let i = 0; i < 100_000; i++) v = new PyTuple([v]);
    expect(thrown(() => s.dumps(v))).toBeInstanceOf(PyRecursionError);
    // And the serializer is still usable afterwards.
    expect(s.dumps(new PyTuple([1]))).toBe('{" t":[1]}');
  });
});

describe('loads (tags undone inside out)', () => {
  it('loads example 5 back to the tagged types', () => {
    const v = s.loads(
      '{"b":{" b":"AP8="},"d":{" d":"Tue, 02 Jan 2024 03:04:05 GMT"},"k":{" di":{" t__":1}},"m":{" m":"<b>hi</b>"},"t":{" t":[1,"x"]},"u":{" u":"12345678123456781234567812345678"}}',
    );
    expect(pyRepr(v)).toBe(
      "{'b': b'\\x00\\xff', 'd': datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc), 'k': {' t': 1}, 'm': Markup('<b>hi</b>'), 't': (1, 'x'), 'u': UUID('12345678-1234-5678-1234-567812345678')}",
    );
  });
  it('strips the last 2 characters of a ` di` key, whatever they are', () => {
    expect(pyRepr(s.loads('{" di":{"abc":1}}'))).toBe("{'a': 1}");
    expect(pyRepr(s.loads('{" di":{"a😀b":1}}'))).toBe("{'a': 1}");
    expect(pyRepr(s.loads('{" di":{"x":1}}'))).toBe("{'': 1}");
  });
  it('leaves dicts with other keys or more keys alone', () => {
    expect(pyRepr(s.loads('{" x":1}'))).toBe("{' x': 1}");
    expect(pyRepr(s.loads('{" t":[1,2],"other":1}'))).toBe("{' t': [1, 2], 'other': 1}");
    expect(pyRepr(s.loads('{}'))).toBe('{}');
  });
  it('untags children first, and a duplicate key counts once', () => {
    expect(pyRepr(s.loads('{" t":[{" t":[1]},[{" b":"AA=="}]]}'))).toBe("((1,), [b'\\x00'])");
    expect(pyRepr(s.loads('{" t":[1]," t":[2]}'))).toBe('(2,)');
    expect(pyRepr(s.loads('{" m":{" m":"<i>"}}'))).toBe("Markup('<i>')");
    expect(pyRepr(s.loads('{" b":{" b":"WVdJPQ=="}}'))).toBe("b'ab'");
  });
  it('converts the way Python\'s constructors do', () => {
    expect(pyRepr(s.loads('{" t":"ab😀"}'))).toBe("('a', 'b', '😀')");
    expect(pyRepr(s.loads('{" t":{"k":1}}'))).toBe("('k',)");
    expect(pyRepr(s.loads('{" m":5}'))).toBe("Markup('5')");
    expect(pyRepr(s.loads('{" m":[1,null]}'))).toBe("Markup('[1, None]')");
    expect(pyRepr(s.loads('{" u":"{12345678-1234-5678-1234-567812345678}"}'))).toBe("UUID('12345678-1234-5678-1234-567812345678')");
    expect(pyRepr(s.loads('{" u":"urn:uuid:12345678-1234-5678-1234-567812345678"}'))).toBe("UUID('12345678-1234-5678-1234-567812345678')");
    expect(pyRepr(s.loads('{" d":"Tue, 02 Jan 2024 05:04:05 +0200"}'))).toBe('datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)');
    expect(s.loads('{" d":"not a date"}')).toBeNull();
    expect(s.loads('{" d":0}')).toBeNull();
    expect(s.loads('{" d":{" b":"YWI="}}')).toBeNull();
  });
  it('reads bytes with Python\'s lenient base64 decoder', () => {
    expect(pyRepr(s.loads('{" b":"A-P_8="}'))).toBe("b'\\x00\\xff'");
    expect(pyRepr(s.loads('{" b":"!!"}'))).toBe("b''");
    const e = thrown(() => s.loads('{" b":"eA"}'));
    expect(e).toBeInstanceOf(BinasciiError);
    expect(e.message).toBe('Incorrect padding');
  });
  const failures: [string, new (...a: never[]) => Error, string][] = [
    ['{" t":5}', PyTypeError, "'int' object is not iterable"],
    ['{" t":null}', PyTypeError, "'NoneType' object is not iterable"],
    ['{" u":"nothex"}', PyValueError, 'badly formed hexadecimal UUID string'],
    ['{" u":"1234567812345678123456781234567g"}', PyValueError, "invalid literal for int() with base 16: '1234567812345678123456781234567g'"],
    ['{" u":5}', PyAttributeError, "'int' object has no attribute 'replace'"],
    ['{" b":"é"}', PyValueError, 'string argument should contain only ASCII characters'],
    ['{" b":5}', PyTypeError, "argument should be a bytes-like object or ASCII string, not 'int'"],
    ['{" di":{}}', PyStopIteration, ''],
    ['{" di":[5]}', PyTypeError, "'int' object is not subscriptable"],
    ['{" d":5}', PyAttributeError, "'int' object has no attribute 'split'"],
    ['{" t":[1,]}', JSONDecodeError, 'Illegal trailing comma before end of array: line 1 column 9 (char 8)'], // Python 3.13
  ];
  it('{" t":[1,]} fails as in Python 3.11 under setPythonRules("3.11")', () => {
    const saved = setPythonRules('3.11');
    try {
      const e = thrown(() => s.loads('{" t":[1,]}'));
      expect(e).toBeInstanceOf(JSONDecodeError);
      expect(e.message).toBe('Expecting value: line 1 column 10 (char 9)');
    } finally {
      setPythonRules(saved);
    }
  });
  it.each(failures)('%s fails as in Python', (text, cls, message) => {
    const e = thrown(() => s.loads(text));
    expect(e).toBeInstanceOf(cls);
    expect(e.message).toBe(message);
  });
  it('decodes bytes as strict UTF-8', () => {
    expect(s.loads(new TextEncoder().encode('{"a":"é"}'))).toEqual(new Map([['a', 'é']]));
    const e = thrown(() => s.loads(new Uint8Array([0x7b, 0xff, 0x7d])));
    expect(e).toBeInstanceOf(PyUnicodeDecodeError);
    expect(e.message).toBe("'utf-8' codec can't decode byte 0xff in position 1: invalid start byte");
    expect(thrown(() => s.loads(new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x7d])))).toBeInstanceOf(JSONDecodeError);
  });
});

describe('TaggedJSONSerializer registry', () => {
  class TagSet extends JSONTag {
    override readonly key = ' s';
    check(value: unknown): boolean {
      return value instanceof Set;
    }
    toJSON(value: unknown): PyValue {
      return [...(value as Set<PyValue>)].map((x) => this.serializer.tag(x));
    }
    override toPython(value: PyValue): PyValue {
      return new PyTuple(value as PyValue[]);
    }
  }
  it('has Flask\'s default order', () => {
    const t = new TaggedJSONSerializer();
    expect(t.order.map((x) => x.key)).toEqual([' di', null, ' t', null, ' b', ' m', ' u', ' d']);
    expect([...t.tags.keys()]).toEqual([' di', ' t', ' b', ' m', ' u', ' d']);
    expect(t.defaultTags).toBe(TaggedJSONSerializer.defaultTags);
    expect(t.order[0]).toBeInstanceOf(TagDict);
    expect(t.order[1]).toBeInstanceOf(PassDict);
  });
  it('registers custom tags, refuses duplicates unless forced, and inserts at an index', () => {
    const t = new TaggedJSONSerializer();
    t.register(TagSet);
    expect(t.dumps(new Set([1, new PyTuple([2])]) as never)).toBe('{" s":[1,{" t":[2]}]}');
    expect(pyRepr(t.loads('{" s":[1,2]}'))).toBe('(1, 2)');
    // A one-key dict with the new key now goes through ` di`.
    expect(t.dumps(map([' s', 1]))).toBe('{" di":{" s__":1}}');
    const e = thrown(() => t.register(TagSet));
    expect(e).toBeInstanceOf(KeyError);
    expect(e.message).toBe('"Tag \' s\' is already registered."');
    t.register(TagSet, { force: true, index: 0 });
    expect(t.order[0]).toBeInstanceOf(TagSet);
    expect(t.order.length).toBe(10);
    t.register(PassDict, { index: -1 });
    expect(t.order[t.order.length - 2]).toBeInstanceOf(PassDict);
  });
  it('makes the base class refuse to convert', () => {
    class Bare extends JSONTag {
      check(): boolean {
        return false;
      }
      toJSON(): PyValue {
        return null;
      }
    }
    expect(() => new Bare(new TaggedJSONSerializer()).toPython(1)).toThrow('not implemented');
  });
  it('untags one dict at a time', () => {
    expect(pyRepr(s.untag(map([' t', [1]])))).toBe('(1,)');
    expect(pyRepr(s.untag({ ' u': '12345678123456781234567812345678', x: 1 }))).toBe("{' u': '12345678123456781234567812345678', 'x': 1}");
  });
  it('parses UUID strings like uuid.UUID', () => {
    expect(uuidFromString('0x' + '1'.repeat(30)).hex).toBe('00' + '1'.repeat(30));
    // Hyphens are removed before int() sees the text, so a sign never survives.
    expect(() => uuidFromString('-' + '1'.repeat(31))).toThrow('badly formed hexadecimal UUID string');
    expect(() => uuidFromString('+' + '1'.repeat(31)).hex).not.toThrow();
    expect(() => uuidFromString('URN:UUID:12345678-1234-5678-1234-567812345678')).toThrow('badly formed hexadecimal UUID string');
  });
});

const wholeSecondDates = (v: PyValue): PyValue => {
  if (v instanceof Date) return new Date(Math.floor(v.getTime() / 1000) * 1000);
  if (Array.isArray(v)) return v.map(wholeSecondDates);
  if (v instanceof PyTuple) return new PyTuple(v.items.map(wholeSecondDates));
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [k, wholeSecondDates(x)]));
  return v;
};

describe('properties', () => {
  it('dump → load → dump is identical, sorted or not', () => {
    fc.assert(
      fc.property(pyValue({ tagged: true, keys: 'any', depth: 4 }), (v) => {
        const text = s.dumps(v);
        expect(s.dumps(s.loads(text))).toBe(text);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(pyValue({ tagged: true, keys: 'str', depth: 4 }), (v) => {
        const text = s.dumps(v, { sortKeys: true });
        expect(s.dumps(s.loads(text), { sortKeys: true })).toBe(text);
      }),
      { numRuns: 500 },
    );
  });
  it('dumps writes what tag() then json dumps write (the direct path for plain sessions included), sorted or not', () => {
    const general = (v: PyValue, sortKeys: boolean) => jsonDumps(s.tag(v), { separators: [',', ':'], ensureAscii: true, sortKeys });
    const outcome = (f: () => string) => {
      try {
        return f();
      } catch (e) {
        return `${(e as Error).name}: ${(e as Error).message}`;
      }
    };
    fc.assert(
      fc.property(fc.oneof(pyValue({ tagged: false, keys: 'str', depth: 4 }), pyValue({ tagged: true, keys: 'any', depth: 4 })), fc.boolean(), (v, sortKeys) => {
        expect(outcome(() => s.dumps(v, { sortKeys }))).toBe(outcome(() => general(v, sortKeys)));
      }),
      { numRuns: 1000 },
    );
    const edges: PyValue[] = [
      map([' t', 1]),
      map([' t', 1], ['a', 2]),
      [map([' di', map(['x', 1])])],
      map(['b', -0], ['a', 2 ** 53], ['c', 1.5], ['d', NaN], ['e', new PyFloat(2)], ['f', 10n ** 20n]),
      map(['é', '\u2028\ud83d'], ['z', [null, true, false, '']]),
    ];
    for (const v of edges) for (const sortKeys of [false, true]) expect(outcome(() => s.dumps(v, { sortKeys }))).toBe(outcome(() => general(v, sortKeys)));
  });
  it('loads(dumps(v)) equals v for string keys and whole-second datetimes', () => {
    fc.assert(
      fc.property(pyValue({ tagged: true, keys: 'str', depth: 4 }).map(wholeSecondDates), (v) => {
        expect(pyRepr(s.loads(s.dumps(v)))).toBe(pyRepr(v));
      }),
      { numRuns: 500 },
    );
  });
  it('floats stay floats and ints stay ints through a round trip', () => {
    const v = s.loads(s.dumps([new PyFloat(2), 2, 2n ** 64n, -0, new PyFloat(NaN)])) as PyValue[];
    expect(v[0]).toBeInstanceOf(PyFloat);
    expect(v[1]).toBe(2);
    expect(v[2]).toBe(2n ** 64n);
    expect(Object.is((v[3] as PyFloat).value, -0)).toBe(true);
  });
});
