import { describe, expect, it } from 'vitest';
import { DecodeError, EncodeError, packb, unpackb } from '../../../src/engine/flask_session/msgpack.ts';
import { dumps as pickleDumps, UnpicklingError, UnsafePickleError } from '../../../src/engine/flask_session/pickle.ts';
import { jsonDecode, jsonEncode, MsgSpecSerializer, msgspecFloat, msgspecString } from '../../../src/engine/flask_session/serializers.ts';
import { PyFloat, PyTuple, PyUUID } from '../../../src/engine/python/values.ts';
import { canon, fromHex, fromTagged, matchesVector, toHex, vectors, type Tagged } from './support.ts';

const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('msgpack: byte-identical to python3-msgpack packb(use_bin_type=True), the encodings msgspec uses (spec §5.5)', () => {
  it.each(vectors.msgpack.map((v) => [v.name, v] as const))('%s', (_n, v) => {
    const value = fromTagged(v.value as Tagged);
    const bytes = packb(value);
    expect(matchesVector(bytes, v), `${bytes.length} bytes`).toBe(true);
    // Decoding gives the value back, except that tuples come back as lists.
    const back = unpackb(bytes);
    expect(JSON.stringify(canon(back))).toBe(JSON.stringify(canon(value)).replaceAll('"tuple"', '"list"'));
  });

  it('spec §5.5 example: the new session 0.8 stores', () => {
    expect(toHex(packb(new Map<string, unknown>([['_permanent', true], ['name', 'x'], ['a', 1]]) as never))).toBe('83aa5f7065726d616e656e74c3a46e616d65a178a16101');
  });

  it('ints beyond [-2**63, 2**64-1] raise OverflowError; floats are float64 even when integral', () => {
    expect(() => packb(2n ** 64n)).toThrow(EncodeError);
    expect(() => packb(-(2n ** 63n) - 1n)).toThrow(/can't serialize ints/);
    expect(toHex(packb(new PyFloat(2)))).toBe('cb4000000000000000');
    expect(toHex(packb(1.5))).toBe('cb3ff8000000000000');
  });

  it('UUIDs and datetimes become strings (msgspec), and come back as strings', () => {
    const u = new PyUUID('12345678123456781234567812345678');
    expect(unpackb(packb(u))).toBe('12345678-1234-5678-1234-567812345678');
    expect(unpackb(packb(new Date(Date.UTC(2024, 0, 2, 3, 4, 5))))).toBe('2024-01-02T03:04:05Z');
  });

  it('decoding refuses truncation, trailing bytes, unused opcodes and absurd lengths', () => {
    for (const h of ['', '92', '81a161', 'c1', 'c0c0', 'dd7fffffff', 'df7fffffff', 'db7fffffff', 'c7', 'a2ffff']) {
      expect(() => unpackb(fromHex(h)), h).toThrow(DecodeError);
    }
  });

  it('decoding bounds nesting (100 000 nested arrays) without a stack overflow', () => {
    const deep = new Uint8Array(100_001).fill(0x91);
    deep[100_000] = 0xc0;
    expect(() => unpackb(deep)).toThrow(/nested too deeply/);
  });

  it('integral floats decode as PyFloat, big ints as bigint', () => {
    expect(unpackb(fromHex('cb4000000000000000'))).toEqual(new PyFloat(2));
    expect(unpackb(fromHex('cfffffffffffffffff'))).toBe(2n ** 64n - 1n);
    expect(unpackb(fromHex('d3ffffffffffffffff'))).toBe(-1);
  });
});

describe('msgspec JSON', () => {
  it('spec §5.4: the JSON format stores compact text in insertion order', () => {
    expect(text(jsonEncode(new Map<string, unknown>([['_permanent', true], ['name', 'x'], ['a', 1]]) as never))).toBe('{"_permanent":true,"name":"x","a":1}');
  });

  it.each([
    [1, '1'],
    [new PyFloat(1), '1.0'],
    [new PyFloat(1e15), '1000000000000000.0'],
    [new PyFloat(1e16), '1e16'],
    [1e-7, '1e-7'],
    [1.5e-7, '1.5e-7'],
    [0.0001, '0.0001'],
    [0.00001, '0.00001'],
    [0.000001, '1e-6'],
    [123.456, '123.456'],
    [new PyFloat(-0), '-0.0'],
    [new PyFloat(NaN), 'null'],
    [new PyFloat(Infinity), 'null'],
    [new PyFloat(1.7976931348623157e308), '1.7976931348623157e308'],
    [5e-324, '5e-324'],
    [new PyFloat(12345678901234567), '1.2345678901234568e16'],
    [0.1, '0.1'],
  ])('float %o → %s', (v, expected) => {
    expect(text(jsonEncode(v as never))).toBe(expected);
  });

  it('strings keep UTF-8, escape only quote, backslash and control characters', () => {
    expect(msgspecString('José ☃ 𝄞')).toBe('"José ☃ 𝄞"');
    expect(msgspecString('a"b\\c\n\t\x01\x1f\x7f')).toBe('"a\\"b\\\\c\\n\\t\\u0001\\u001f\x7f"');
    expect(() => msgspecString('\ud800')).toThrow(/surrogate/);
  });

  it('int keys become strings; bytes become padded base64; tuples become arrays', () => {
    const v = new Map<unknown, unknown>([[1, 'one'], ['b', new Uint8Array([0, 255])], ['t', new PyTuple([1, 'x'])]]);
    expect(text(jsonEncode(v as never))).toBe('{"1":"one","b":"AP8=","t":[1,"x"]}');
    expect(() => jsonEncode(new Map([[null, 1]]) as never)).toThrow(/str-like or number-like keys/);
  });

  it('decoding keeps number types and refuses what msgspec refuses', () => {
    expect(canon(jsonDecode(new TextEncoder().encode('{"a":1,"b":1.0,"c":1e2,"d":123456789012345678901}')))).toEqual(
      canon(new Map<string, unknown>([['a', 1], ['b', new PyFloat(1)], ['c', new PyFloat(100)], ['d', 123456789012345678901n]]) as never),
    );
    for (const bad of ['', '{', '{"a":1}x', 'NaN', '[1,]', '{"a" 1}', '"\u0001"', "{'a':1}", '01']) {
      expect(() => jsonDecode(new TextEncoder().encode(bad)), bad).toThrow(DecodeError);
    }
    expect(msgspecFloat(1e21)).toBe('1e21');
  });
});

describe('MsgSpecSerializer: configured format, then the other, then the safe pickle reader (spec §5.5)', () => {
  it('rejects unknown formats with Python\'s message', () => {
    expect(() => new MsgSpecSerializer('xml')).toThrow('Unsupported serialization format: xml');
  });

  it('a JSON-stored value is read by a msgpack-configured app and re-encoded as 81a16a01', () => {
    const s = new MsgSpecSerializer('msgpack');
    const d = s.decodeVerbose(new TextEncoder().encode('{"j":1}'));
    expect(d.format).toBe('json');
    expect(toHex(s.encode(d.data))).toBe('81a16a01');
  });

  it('a msgpack-stored value is read by a json-configured app', () => {
    const s = new MsgSpecSerializer('json');
    const d = s.decodeVerbose(fromHex('83aa5f7065726d616e656e74c3a46e616d65a178a16101'));
    expect(d.format).toBe('msgpack');
    expect(text(s.encode(d.data))).toBe('{"_permanent":true,"name":"x","a":1}');
  });

  it('a legacy 0.3.2 pickle (spec §6.1 bytes) is read and would be rewritten as msgpack', () => {
    const s = new MsgSpecSerializer();
    const d = s.decodeVerbose(fromHex('80049524000000000000007d94288c0a5f7065726d616e656e7494888c046e616d65948c0178948c0161944b01752e'));
    expect(d.format).toBe('pickle');
    expect(toHex(s.encode(d.data))).toBe('83aa5f7065726d616e656e74c3a46e616d65a178a16101');
  });

  it('a pickle with code is refused (Python\'s fallback would run it); garbage gives UnpicklingError', () => {
    const s = new MsgSpecSerializer();
    const evil = vectors.pickleUnsafe.find((v) => v.name.startsWith('spec 7.8'))!;
    expect(() => s.decode(fromHex(evil.hex))).toThrow(UnsafePickleError);
    expect(() => s.decode(fromHex('ffff'))).toThrow(UnpicklingError);
    expect(() => s.decode(fromHex('ffff'))).toThrow('Failed to deserialize session data');
  });

  it('a stored non-dict is an error, not a session', () => {
    expect(() => new MsgSpecSerializer().decode(packb([1, 2]))).toThrow(/not a dict/);
    expect(() => new MsgSpecSerializer().decode(pickleDumps([1]))).toThrow(/not a dict/);
  });
});
