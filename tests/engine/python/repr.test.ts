import { describe, expect, it } from 'vitest';
import { bytesRepr, pyInt, pyIsDigit, pyIsPrintable, pyRepr, pyStr, strRepr } from '../../../src/engine/python/repr.ts';
import { Markup, PyFloat, PyTuple, PyUUID, type PyValue } from '../../../src/engine/python/values.ts';
import { PyValueError } from '../../../src/engine/python/errors.ts';

describe('pyRepr', () => {
  it('shows containers and scalars as Python does', () => {
    expect(pyRepr(new Map<string, PyValue>([['a', 1], ['b', [1, new PyFloat(2)]]]))).toBe("{'a': 1, 'b': [1, 2.0]}");
    expect(pyRepr({ x: null, y: true, z: false })).toBe("{'x': None, 'y': True, 'z': False}");
    expect(pyRepr(new PyTuple([1]))).toBe('(1,)');
    expect(pyRepr(new PyTuple([]))).toBe('()');
    expect(pyRepr(new PyTuple([1, 'a']))).toBe("(1, 'a')");
    expect(pyRepr(new Map<never, PyValue>([[1 as never, 'x'], [new PyFloat(2) as never, 'y'], [null as never, 'z']]))).toBe("{1: 'x', 2.0: 'y', None: 'z'}");
    expect(pyRepr([2n ** 70n, -0, NaN, Infinity, new PyFloat(1e16), 1e-5, 1e16])).toBe('[1180591620717411303424, -0.0, nan, inf, 1e+16, 1e-05, 10000000000000000]');
  });
  it('shows bytes, Markup, UUID and datetime', () => {
    expect(pyRepr(new Uint8Array([0]))).toBe("b'\\x00'");
    expect(bytesRepr(new Uint8Array([0x27, 0x41, 0x0a, 0x5c, 0x7f, 0xff]))).toBe('b"\'A\\n\\\\\\x7f\\xff"');
    expect(bytesRepr(new Uint8Array([0x27, 0x22]))).toBe("b'\\'\"'");
    expect(pyRepr(new Markup('<b>'))).toBe("Markup('<b>')");
    expect(pyRepr(new PyUUID('12345678123456781234567812345678'))).toBe("UUID('12345678-1234-5678-1234-567812345678')");
    expect(pyRepr(new Date(Date.UTC(2024, 0, 2, 3, 4, 5)))).toBe('datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)');
    expect(pyRepr(new Date(Date.UTC(2024, 0, 2, 3, 4, 0)))).toBe('datetime.datetime(2024, 1, 2, 3, 4, tzinfo=datetime.timezone.utc)');
    expect(pyRepr(new Date(Date.UTC(2024, 0, 2, 3, 4, 0, 678)))).toBe('datetime.datetime(2024, 1, 2, 3, 4, 0, 678000, tzinfo=datetime.timezone.utc)');
  });
  it('picks the quote and escapes like Python', () => {
    expect(strRepr("it's")).toBe('"it\'s"');
    expect(strRepr('say "hi"')).toBe("'say \"hi\"'");
    expect(strRepr('both \' and "')).toBe("'both \\' and \"'");
    expect(strRepr('tab\there\n\r\\')).toBe("'tab\\there\\n\\r\\\\'");
    expect(strRepr('\u0000\u007f\u0085\u00a0\u00ad é')).toBe("'\\x00\\x7f\\x85\\xa0\\xad é'");
    expect(strRepr('\u2028\ud800\ufeff😀\u{e0001}')).toBe("'\\u2028\\ud800\\ufeff😀\\U000e0001'");
  });
  it('treats characters newer than Unicode 14 as unassigned, as CPython 3.11 does', () => {
    // U+1FA54 (added in Unicode 15) prints as an escape in Python 3.11; U+1FA53 (Unicode 14) does not.
    expect(strRepr('\u{1fa54}\u{1fa53}')).toBe("'\\U0001fa54\u{1fa53}'");
    expect(pyIsPrintable(0x1fa54)).toBe(false);
    expect(pyIsPrintable(0x41)).toBe(true);
  });
  it('shows a container inside itself as Python does', () => {
    const a: PyValue[] = [1];
    a.push(a);
    expect(pyRepr(a)).toBe('[1, [...]]');
  });
  it('refuses ints past 4300 digits', () => {
    expect(() => pyRepr(10n ** 4300n)).toThrow(PyValueError);
  });
});

describe('pyStr', () => {
  it('is the text for str-like values and repr otherwise', () => {
    expect(pyStr('x')).toBe('x');
    expect(pyStr(new Markup('<i>'))).toBe('<i>');
    expect(pyStr(new PyUUID('12345678123456781234567812345678'))).toBe('12345678-1234-5678-1234-567812345678');
    expect(pyStr(new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678)))).toBe('2024-01-02 03:04:05.678000+00:00');
    expect(pyStr([1, 'a'])).toBe("[1, 'a']");
    expect(pyStr(new PyFloat(5))).toBe('5.0');
    expect(pyStr(null)).toBe('None');
  });
});

describe('pyInt', () => {
  const ok: [string, 10 | 16, bigint][] = [
    ['42', 10, 42n],
    [' -7 ', 10, -7n],
    ['1_000', 10, 1000n],
    ['٢٠٢٤', 10, 2024n],
    ['１２', 10, 12n],
    ['\u20031\u2003', 10, 1n],
    ['0x_ff', 16, 255n],
    ['FF', 16, 255n],
    ['+1f', 16, 31n],
  ];
  it.each(ok)('int(%j, %i) = %s', (text, base, value) => {
    expect(pyInt(text, base)).toBe(value);
  });
  const bad: [string, 10 | 16][] = [['_1', 10], ['1_', 10], ['1__0', 10], ['', 10], ['²', 10], ['0x', 16], ['1.0', 10], ['ａ', 16]];
  it.each(bad)('int(%j, %i) raises ValueError', (text, base) => {
    expect(() => pyInt(text, base)).toThrow(PyValueError);
  });
  it('names the literal in the message', () => {
    expect(() => pyInt('x1', 16)).toThrow("invalid literal for int() with base 16: 'x1'");
  });
  it('knows digits that are not decimal', () => {
    expect(pyIsDigit(0xb2)).toBe(true);
    expect(pyIsDigit(0x0663)).toBe(true);
    expect(pyIsDigit(0x41)).toBe(false);
  });
});
