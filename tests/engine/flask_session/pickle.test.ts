import { describe, expect, it } from 'vitest';
import { decodeLong, dumps, encodeLong, loads, UNSAFE_OPCODES } from '../../../src/engine/flask_session/pickle.ts';
import { PicklingError, UnpicklingError, UnsafePickleError } from '../../../src/engine/python/errors.ts';
import { Markup, PyTuple, PyUUID } from '../../../src/engine/python/values.ts';
import { canon, fromHex, fromTagged, matchesVector, toHex, vectorBytes, vectors, type Tagged } from './support.ts';

describe('pickle writer: byte-identical to pickle.dumps (vectors from Debian Python 3.11)', () => {
  const writable = vectors.pickle.filter((v) => v.writable);
  it('the vector file has cases for every protocol 2–5', () => {
    expect(new Set(writable.map((v) => v.protocol))).toEqual(new Set([2, 3, 4, 5]));
    expect(writable.length).toBeGreaterThan(60);
  });
  it.each(writable.map((v) => [`${v.name} / protocol ${v.protocol}`, v] as const))('%s', (_n, v) => {
    const bytes = dumps(fromTagged(v.value as Tagged), { protocol: v.protocol });
    if (v.hex !== undefined) expect(toHex(bytes)).toBe(v.hex);
    else expect(matchesVector(bytes, v), `length ${bytes.length} vs ${v.length}`).toBe(true);
  });

  it('the dict 0.3.2 stores, _permanent first (protocol 4, as Debian 12 Python writes it)', () => {
    const bytes = dumps(new Map<string, boolean | number | string>([['_permanent', true], ['name', 'x'], ['a', 1]]));
    expect(toHex(bytes)).toBe('80049524000000000000007d94288c0a5f7065726d616e656e7494888c046e616d65948c0178948c0161944b01752e');
  });

  it('protocol 2 refuses bytes (Python writes them through codecs.encode, a GLOBAL)', () => {
    expect(() => dumps(new Uint8Array([1]), { protocol: 2 })).toThrow(PicklingError);
    const v = vectors.pickle.find((x) => x.name === 'bytes' && x.protocol === 2)!;
    expect(v.writable).toBe(false);
  });

  it('refuses values that would need GLOBAL (Markup, UUID, datetime) and unknown protocols', () => {
    expect(() => dumps(new Markup('<b>'))).toThrow(PicklingError);
    expect(() => dumps(new PyUUID('12345678123456781234567812345678'))).toThrow(PicklingError);
    expect(() => dumps(new Date(0))).toThrow(/GLOBAL/);
    expect(() => dumps(1, { protocol: 1 })).toThrow(/protocols 2 to 5/);
    expect(() => dumps(1, { protocol: 6 })).toThrow(PicklingError);
  });

  it('encodeLong / decodeLong agree with Python on edges', () => {
    expect(toHex(encodeLong(0n))).toBe('');
    expect(toHex(encodeLong(255n))).toBe('ff00');
    expect(toHex(encodeLong(-256n))).toBe('00ff');
    expect(toHex(encodeLong(-128n))).toBe('80');
    expect(toHex(encodeLong(2n ** 31n))).toBe('0000008000'); // 2**31 → LONG1 (8a), 5 bytes: 0000008000
    for (const x of [0n, 1n, -1n, 127n, 128n, -129n, 2n ** 64n, -(2n ** 100n) + 7n]) expect(decodeLong(encodeLong(x))).toBe(x);
  });
});

describe('pickle reader: loads what Python writes', () => {
  const loadable = vectors.pickle.filter((v) => v.loads && v.hex !== undefined);
  it.each(loadable.map((v) => [`${v.name} / protocol ${v.protocol}`, v] as const))('%s', (_n, v) => {
    expect(canon(loads(fromHex(v.hex!)))).toEqual(canon(fromTagged(v.value as Tagged)));
  });

  it('loads the big framed pickles the writer reproduces (str/bytes outside frames, 64 KiB frames)', () => {
    for (const v of vectors.pickle.filter((x) => x.hex === undefined)) {
      const value = fromTagged(v.value as Tagged);
      const bytes = dumps(value, { protocol: v.protocol });
      expect(matchesVector(bytes, v), v.name).toBe(true);
      expect(canon(loads(bytes))).toEqual(canon(value));
    }
  });

  it.each(vectors.pickleShared.map((v) => [`${v.name} / protocol ${v.protocol}`, v] as const))('repeated objects (memo GET): %s', (_n, v) => {
    const bytes = vectorBytes(v)!;
    expect(canon(loads(bytes))).toEqual(canon(fromTagged(v.value as Tagged)));
  });

  it('repeated objects: Python emits BINGET / LONG_BINGET, which the writer does not reproduce (documented)', () => {
    const interned = vectors.pickleShared.find((v) => v.name === 'interned literal twice' && v.protocol === 4)!;
    expect(interned.hasGet).toBe(true);
    const ours = dumps(fromTagged(interned.value as Tagged));
    expect(toHex(ours)).not.toBe(interned.hex);
    expect(canon(loads(ours))).toEqual(canon(loads(fromHex(interned.hex!))));
    const long = vectors.pickleShared.find((v) => v.name === 'long binget' && v.protocol === 2)!;
    expect(long.hex).toContain('6a'); // LONG_BINGET appears
    expect(canon(loads(fromHex(long.hex!)))).toEqual(canon(fromTagged(long.value as Tagged)));
  });

  it('a shared list loads as one shared object, as in Python', () => {
    const v = vectors.pickleShared.find((x) => x.name === 'shared list' && x.protocol === 4)!;
    const d = loads(fromHex(v.hex!)) as Map<string, unknown>;
    expect(d.get('a')).toBe(d.get('b'));
  });

  it.each(vectors.pickleText.map((v) => [`${v.name} / protocol ${v.protocol}`, v] as const))('text protocols 0/1: %s', (_n, v) => {
    expect(canon(loads(fromHex(v.hex)))).toEqual(canon(fromTagged(v.value as Tagged)));
  });

  it('ignores bytes after STOP, as pickle.loads does', () => {
    expect(loads(Uint8Array.from([0x80, 0x04, 0x4e, 0x2e, 0xff, 0xff]))).toBe(null);
  });
});

describe('pickle reader refuses code: UnsafePickleError names the opcode and offset', () => {
  it.each(vectors.pickleUnsafe.map((v) => [v.name, v] as const))('%s', (_n, v) => {
    let err: unknown;
    try {
      loads(fromHex(v.hex));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UnsafePickleError);
    expect(err).toBeInstanceOf(UnpicklingError);
    expect((err as UnsafePickleError).opcode).toBe(v.opcode);
    expect((err as UnsafePickleError).offset).toBe(v.offset);
    expect((err as Error).message).toContain(`${v.opcode} (0x`);
    expect((err as Error).message).toContain(`at byte ${v.offset}`);
  });

  it('every dangerous opcode is on the list, each refused at its own byte', () => {
    const codes: Record<string, number> = {
      GLOBAL: 0x63, STACK_GLOBAL: 0x93, REDUCE: 0x52, NEWOBJ: 0x81, NEWOBJ_EX: 0x92, BUILD: 0x62, INST: 0x69, OBJ: 0x6f,
      EXT1: 0x82, EXT2: 0x83, EXT4: 0x84, PERSID: 0x50, BINPERSID: 0x51, NEXT_BUFFER: 0x97, READONLY_BUFFER: 0x98,
    };
    expect(new Set(UNSAFE_OPCODES)).toEqual(new Set(Object.keys(codes)));
    for (const [name, code] of Object.entries(codes)) {
      const bytes = Uint8Array.from([0x80, 0x04, 0x4e, code, 0x2e]);
      expect(() => loads(bytes)).toThrow(UnsafePickleError);
      try {
        loads(bytes);
      } catch (e) {
        expect((e as UnsafePickleError).opcode).toBe(name);
        expect((e as UnsafePickleError).offset).toBe(3);
      }
    }
  });
});

describe('pickle reader bounds hostile input', () => {
  it('truncated input, bad lengths and unknown opcodes are UnpicklingErrors', () => {
    const bad = ['', '8004', '80048c05616263', '800458ffffffff', '80048effffffffffffffff', '8004', '80044b', '8004ff2e', '80042e', '800428752e', '80046807', '80048f2e'];
    for (const h of bad) {
      expect(() => loads(fromHex(h)), h).toThrow(UnpicklingError);
    }
  });

  it('each opcode family fails with its own message, at the byte that shows the problem', () => {
    // [pickle, describeCalls?, message, offset]: the offset is the opcode's own byte, or the byte the data runs out at.
    const cases: [string, boolean, string, number][] = [
      ['8004ff2e', false, 'opcode 0xff is not supported by this reader', 2],
      ['80064e2e', false, 'unsupported pickle protocol: 6', 0],
      ['80044e282e', false, 'STOP inside an open MARK', 4],
      ['80044a0100', false, 'pickle data was truncated', 3],
      ['80048b000000802e', false, 'LONG pickle has negative byte count', 2],
      ['80048c01ff2e', false, "'utf-8' codec can't decode the str payload", 2],
      ['80025501ff2e', false, "'ascii' codec can't decode a Python 2 str (pass encoding='latin1' in Python)", 2],
      ['497a0a2e', false, "invalid literal for int() with base 10: 'z'", 0],
      ['467a0a2e', false, "could not convert string to float: 'z'", 0],
      ['53610a2e', false, 'the STRING opcode argument must be quoted', 0],
      ['565c75310a2e', false, 'truncated \\uXXXX escape', 0],
      ['80044e862e', false, 'unpickling stack underflow', 3],
      ['800430', false, 'could not find MARK', 3],
      ['80044b004b01612e', false, 'APPEND(S) on something that is not a list', 6],
      ['80044b004b014b02732e', false, 'SETITEM(S) on something that is not a dict', 8],
      ['80047d284b01752e', false, 'odd number of items for SETITEMS', 6],
      ['80047d5d4b01732e', false, 'dict key of type list is not supported', 6],
      ['800468072e', false, 'Memo value not found at index 7', 2],
      ['80044b014b02932e', true, 'STACK_GLOBAL requires str', 6],
      ['80048c01618c0162934e522e', true, 'REDUCE arguments must be a tuple', 10],
    ];
    for (const [h, describe, message, offset] of cases) {
      let err: unknown;
      try {
        loads(fromHex(h), describe ? { describeCalls: [] } : {});
      } catch (e) {
        err = e;
      }
      expect(err, h).toBeInstanceOf(UnpicklingError);
      expect(err, h).not.toBeInstanceOf(UnsafePickleError);
      expect([(err as UnpicklingError).message, (err as UnpicklingError).offset], h).toEqual([message, offset]);
    }
  });

  it('a LONG4 claiming 2 GiB (or a negative count) fails on length, without allocating', () => {
    expect(() => loads(fromHex('80048b000000802e'))).toThrow(/negative byte count/);
    expect(() => loads(fromHex('80048bffffff7f2e'))).toThrow(/limit/);
  });

  it('deep nesting (100 000 lists) is refused, not a stack overflow', () => {
    const n = 100_000;
    const parts = [0x80, 0x04];
    for (let i = 0; i < n; i++) parts.push(0x5d); // EMPTY_LIST × n
    for (let i = 0; i < n - 1; i++) parts.push(0x61); // APPEND × (n-1)
    parts.push(0x2e);
    expect(() => loads(Uint8Array.from(parts))).toThrow(/nested deeper than 512/);
  });

  it('a list that contains itself is refused', () => {
    // EMPTY_LIST MEMOIZE BINGET 0 APPEND STOP  ==  l = []; l.append(l)
    expect(() => loads(fromHex('80045d946800612e'))).toThrow(/recursive/);
  });

  it('memo growth is capped', () => {
    const parts = [0x80, 0x04, 0x4e];
    for (let i = 0; i < 50; i++) parts.push(0x94);
    parts.push(0x2e);
    expect(() => loads(Uint8Array.from(parts), { maxMemo: 10 })).toThrow(/memo grew past 10/);
  });

  it('random bytes never escape as anything but UnpicklingError (or a clean value)', () => {
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
    for (let k = 0; k < 3000; k++) {
      const len = 1 + (rnd() % 40);
      const b = Uint8Array.from({ length: len }, rnd);
      if (k % 2) b[0] = 0x80;
      try {
        loads(b);
      } catch (e) {
        expect(e, toHex(b)).toBeInstanceOf(UnpicklingError);
      }
    }
  });

  it('tuple keys (hashable in Python) are refused with a clear message', () => {
    const bytes = dumps(new Map([['k', 1]]));
    expect(loads(bytes)).toEqual(new Map([['k', 1]]));
    // {(1,): 2} in protocol 4
    expect(() => loads(fromHex('80049509000000000000007d944b01859 44b02732e'.replace(/ /g, '')))).toThrow(/tuple/);
  });

  it('round-trips flash messages as tuples', () => {
    const v = new Map([['_flashes', [new PyTuple(['message', 'hi'])]]]);
    expect(canon(loads(dumps(v)))).toEqual(canon(v));
  });
});

/** `x = []` then `x = [x, x]` `levels` times: one list per level, each holding the one below twice. */
function sharedTower(levels: number): unknown[] {
  let x: unknown[] = [];
  for (let i = 0; i < levels; i++) x = [x, x];
  return x;
}

describe('pickle: shared references cost what the bytes cost (x = [x, x], 24 and 40 levels)', () => {
  for (const levels of [24, 40]) {
    it(`${levels} levels: written once per level, read back as the same shared graph, written again to the same bytes`, () => {
      const tower = sharedTower(levels);
      const bytes = dumps(new Map([['x', tower]]) as never);
      // One list per level, each a few bytes: linear in the levels, not 2^levels.
      expect(bytes.length).toBeLessThan(10 * levels + 40);
      const back = loads(bytes) as Map<string, unknown[]>;
      let node = back.get('x')!;
      for (let i = 0; i < levels; i++) {
        expect(node).toHaveLength(2);
        expect(node[0]).toBe(node[1]);
        node = node[0] as unknown[];
      }
      expect(node).toEqual([]);
      expect(toHex(dumps(back as never))).toBe(toHex(bytes));
    });

    it(`${levels} levels: a reader that must expand it (maxExpanded) refuses it, in one pass over the graph`, () => {
      const bytes = dumps(new Map([['x', sharedTower(levels)]]) as never);
      expect(() => loads(bytes, { maxExpanded: 1_000_000 })).toThrow(/shared references expand the data past 1000000 values/);
      // Data without sharing never expands: the same limit lets a plain list of that many values through.
      expect((loads(dumps(Array.from({ length: 1000 }, () => [])), { maxExpanded: 1001 }) as unknown[]).length).toBe(1000);
    });
  }

  it('depth counts through shared references: 600 levels of sharing are refused as too deep', () => {
    expect(() => loads(dumps(sharedTower(600) as never))).toThrow(/nested deeper than 512/);
    expect(() => loads(dumps(sharedTower(511) as never))).not.toThrow();
  });
});
