// Strict UTF-8 decoding with Python's error messages, for the bytes a JSON payload arrives as.
import { PyUnicodeDecodeError } from '../errors.ts';

const utf8Fast = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

const isCont = (b: number): boolean => (b & 0xc0) === 0x80;

/**
 * Decodes UTF-8 strictly, like Python's `bytes.decode('utf-8')`: a BOM is kept, surrogates and overlong forms are
 * refused. @throws {PyUnicodeDecodeError} with Python's message for the first bad sequence.
 */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return utf8Fast.decode(bytes);
  } catch {
    // Find the first bad sequence the way CPython's decoder reports it.
  }
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i]!;
    const left = n - i;
    if (b < 0x80) {
      i++;
      continue;
    }
    if (b < 0xc2 || b > 0xf4) throw new PyUnicodeDecodeError(bytes, i, i + 1, 'invalid start byte');
    const need = b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
    const b2 = bytes[i + 1] ?? -1;
    const b2Bad =
      left >= 2 &&
      (!isCont(b2) ||
        (b === 0xe0 && b2 < 0xa0) ||
        (b === 0xed && b2 >= 0xa0) ||
        (b === 0xf0 && b2 < 0x90) ||
        (b === 0xf4 && b2 >= 0x90));
    if (b2Bad) throw new PyUnicodeDecodeError(bytes, i, i + 1, 'invalid continuation byte');
    if (need >= 3 && left >= 3 && !isCont(bytes[i + 2]!)) throw new PyUnicodeDecodeError(bytes, i, i + 2, 'invalid continuation byte');
    if (need === 4 && left >= 4 && !isCont(bytes[i + 3]!)) throw new PyUnicodeDecodeError(bytes, i, i + 3, 'invalid continuation byte');
    if (left < need) throw new PyUnicodeDecodeError(bytes, i, n, 'unexpected end of data');
    i += need;
  }
  // Unreachable when TextDecoder and this scan agree; fall back to the platform's error.
  return utf8Fast.decode(bytes);
}
