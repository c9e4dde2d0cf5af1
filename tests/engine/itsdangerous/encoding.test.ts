import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setPythonRules } from '../../../src/engine/python/version.ts';
import { itWithJudge, runPythonUnder } from '../../support/judges.ts';
import {
  BadData,
  setBase64Rules,
  type Base64Rules,
  base64Decode,
  base64Encode,
  base64EncodeBytes,
  bytesRepr,
  bytesToBigInt,
  bytesToInt,
  intToBytes,
  standardB64DecodeLoose,
  standardB64Encode,
  utf8Decode,
  wantBytes,
} from '../../../src/engine/itsdangerous/index.ts';
import { BinasciiError } from '../../../src/engine/python/errors.ts';
import { bytes, hex, text, thrown, unhex } from './helpers.ts';

describe('wantBytes / utf8Decode', () => {
  it('encodes text as UTF-8 and passes bytes through', () => {
    expect(hex(wantBytes('ké'))).toBe('6bc3a9');
    const b = unhex('ff00');
    expect(wantBytes(b)).toBe(b);
  });
  it('refuses lone surrogates like Python', () => {
    expect(thrown(() => wantBytes('a\ud800')).message).toBe(
      "'utf-8' codec can't encode character '\\ud800' in position 1: surrogates not allowed",
    );
  });
  it('decodes strictly and keeps a BOM', () => {
    expect(utf8Decode(unhex('efbbbf61'))).toBe('\ufeffa');
    expect(() => utf8Decode(unhex('ff'))).toThrow();
    expect(() => utf8Decode(unhex('eda080'))).toThrow(); // an encoded surrogate
  });
});

describe('base64Encode (itsdangerous encoding.py outputs)', () => {
  const table: [Uint8Array, string][] = [
    [unhex(''), ''],
    [bytes('a'), 'YQ'],
    [bytes('ab'), 'YWI'],
    [bytes('abc'), 'YWJj'],
    [unhex('fbff'), '-_8'],
    [unhex('fffefd'), '__79'],
  ];
  it.each(table)('%o → %s', (input, out) => {
    expect(base64Encode(input)).toBe(out);
    expect(text(base64EncodeBytes(input))).toBe(out);
  });
  it('encodes text input as UTF-8 first', () => {
    expect(base64Encode('é')).toBe('w6k');
  });
});

describe('base64Decode (itsdangerous encoding.py outputs, CPython 3.11 rules)', () => {
  // The table is Python 3.11's (Debian 12): a complete `=` run ends the data. Python 3.13 (Debian 13) reads on
  // past it; itsdangerous_live.test.ts compares both rules with both judges.
  let saved: Base64Rules;
  beforeAll(() => {
    saved = setBase64Rules('python3.11');
  });
  afterAll(() => {
    setBase64Rules(saved);
  });
  const ok: [string, string][] = [
    ['YQ', '61'],
    ['YQ=', '61'],
    ['YQ==', '61'],
    ['YQ===', '61'],
    ['YR', '61'],
    ['YQ==YQ', '61'],
    ['YWJj\n', '616263'],
    ['YW Jj', '616263'],
    ['+/8', 'fbff'],
    ['-_8', 'fbff'],
    ['!!!!', ''],
    ['=', ''],
  ];
  it.each(ok)('%j → %s', (input, out) => {
    expect(hex(base64Decode(input))).toBe(out);
    expect(hex(base64Decode(bytes(input)))).toBe(out);
  });

  const bad: [string, string][] = [
    ['Y', 'Invalid base64-encoded string: number of data characters (1) cannot be 1 more than a multiple of 4'],
    ['YQ!', 'Incorrect padding'],
    ['Y Q', 'Incorrect padding'],
    ['é YQ', 'Incorrect padding'],
    ['YWJjY', 'Invalid base64-encoded string: number of data characters (5) cannot be 1 more than a multiple of 4'],
  ];
  it.each(bad)('%j fails with BadData caused by %j', (input, cause) => {
    const e = thrown(() => base64Decode(input));
    expect(e).toBeInstanceOf(BadData);
    expect(e.message).toBe('Invalid base64-encoded data');
    expect(e.cause).toBeInstanceOf(BinasciiError);
    expect((e.cause as Error).message).toBe(cause);
  });

  it('drops non-ASCII code points of text, but counts non-ASCII bytes of bytes input', () => {
    // Text: "éYQ" becomes "YQ", length 2, padded to "YQ==".
    expect(hex(base64Decode('éYQ'))).toBe('61');
    // Bytes: c3 a9 59 51 has length 4, so no padding is added and "YQ" alone is incomplete.
    expect(thrown(() => base64Decode(bytes('éYQ'))).cause).toBeInstanceOf(BinasciiError);
  });

  it('round-trips every length up to 64', () => {
    for (let n = 0; n <= 64; n++) {
      const b = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff);
      expect(hex(base64Decode(base64Encode(b)))).toBe(hex(b));
    }
  });
});

describe('standard base64 for the " b" tag', () => {
  it('encodes with +/ and padding', () => {
    expect(standardB64Encode(unhex('00ff'))).toBe('AP8=');
    expect(standardB64Encode(unhex('fbff'))).toBe('+/8=');
    expect(standardB64Encode(unhex(''))).toBe('');
  });
  it('decodes without restoring padding, skipping -_ and other strays', () => {
    expect(hex(standardB64DecodeLoose('AP8='))).toBe('00ff');
    expect(hex(standardB64DecodeLoose('!!'))).toBe('');
    expect(thrown(() => standardB64DecodeLoose('eA')).message).toBe('Incorrect padding');
    expect(thrown(() => standardB64DecodeLoose('-_8=')).message).toBe(
      'Invalid base64-encoded string: number of data characters (1) cannot be 1 more than a multiple of 4',
    );
    expect(thrown(() => standardB64DecodeLoose('é')).message).toBe('string argument should contain only ASCII characters');
  });
});

describe('intToBytes / bytesToInt (big-endian, no leading zero bytes)', () => {
  it.each([
    [0, ''],
    [1, '01'],
    [256, '0100'],
    [1700000000, '6553f100'],
    [2 ** 53 - 1, '1fffffffffffff'],
  ])('%d ↔ %s', (n, h) => {
    expect(hex(intToBytes(n))).toBe(h);
    expect(bytesToInt(unhex(h))).toBe(n);
  });
  it('writes 1700000000 as ZVPxAA', () => {
    expect(base64Encode(intToBytes(1700000000))).toBe('ZVPxAA');
  });
  it('handles bigints up to 2^64 - 1 and refuses the rest', () => {
    expect(hex(intToBytes(2n ** 64n - 1n))).toBe('ffffffffffffffff');
    expect(bytesToBigInt(unhex('ffffffffffffffff'))).toBe(2n ** 64n - 1n);
    expect(bytesToInt(unhex('ffffffffffffffff'))).toBe(2 ** 64);
  });
  // What int_to_bytes raises is struct's error, worded by the CPython underneath: each judge says it.
  for (const [id, rules] of [['flask-2.2', '3.11'], ['flask-3.1', '3.13']] as const) {
    itWithJudge(id, `refuses what struct cannot pack as ${id}'s itsdangerous does (Python ${rules})`, () => {
      const cases = ['2 ** 64', '-1', '2 ** 70', '1.5'];
      const real = JSON.parse(
        runPythonUnder(id, `import json, itsdangerous.encoding as e\nout = []\nfor n in (${cases.join(', ')},):\n    try:\n        e.int_to_bytes(n); out.append(None)\n    except Exception as x:\n        out.append([type(x).__module__ + '.' + type(x).__name__, str(x)])\nprint(json.dumps(out))`),
      ) as [string, string][];
      const prev = setPythonRules(rules);
      try {
        const ours = [2n ** 64n, -1, 2n ** 70n, 1.5].map((n) => {
          const e = thrown(() => intToBytes(n)) as Error & { code?: string };
          return [e.code, e.message];
        });
        expect(ours).toEqual(real);
      } finally {
        setPythonRules(prev);
      }
    });
  }
  it('left-pads short input and refuses more than 8 bytes', () => {
    expect(bytesToInt(unhex('00000001'))).toBe(1);
    expect(thrown(() => bytesToInt(new Uint8Array(9))).message).toBe('unpack requires a buffer of 8 bytes');
    expect(thrown(() => bytesToBigInt(new Uint8Array(9))).message).toBe('unpack requires a buffer of 8 bytes');
  });
});

describe('bytesRepr (Python repr of bytes)', () => {
  it.each([
    ["b'c", `b"b'c"`],
    ['b"c', `b'b"c'`],
    [`b'"c`, `b'b\\'"c'`],
    ['', "b''"],
  ])('%s', (input, out) => {
    expect(bytesRepr(bytes(input))).toBe(out);
  });
  it('escapes backslash, tab, newline, CR, controls and high bytes', () => {
    expect(bytesRepr(unhex('c3a9097f5c'))).toBe("b'\\xc3\\xa9\\t\\x7f\\\\'");
    expect(bytesRepr(unhex('0a0d001f20'))).toBe("b'\\n\\r\\x00\\x1f '");
  });
});
