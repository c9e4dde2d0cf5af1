// Every Python exception the engine raises, in one place. Each class carries its Python name twice: as `name`, so
// `String(e)` reads like Python's traceback line, and as `code`, a stable value to branch on.
// itsdangerous's BadSignature family stays beside the code that mirrors itsdangerous: its classes carry the
// library's own fields (payload, date_signed) and are part of that API.
import { pyRepr } from './repr.ts';
import type { PyKey } from './values.ts';

/** Python's `Exception`, the base of the others here; a subclass names itself with a static `pythonName`. */
export class PyException extends Error {
  /** The Python class name, e.g. `ValueError` or `binascii.Error`. */
  static readonly pythonName: string = 'Exception';
  /** The Python class name of this error, the same as `name`. */
  readonly code: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = (new.target as typeof PyException).pythonName;
    this.name = this.code;
  }
}

/** Python's `TypeError` (e.g. `Object of type set is not JSON serializable`). */
export class PyTypeError extends PyException {
  static override readonly pythonName: string = 'TypeError';
}

/** Python's `ValueError` (e.g. `Circular reference detected`, the 4300-digit int limit). */
export class PyValueError extends PyException {
  static override readonly pythonName: string = 'ValueError';
}

/** Python's `AttributeError` (e.g. `'int' object has no attribute 'split'`). */
export class PyAttributeError extends PyException {
  static override readonly pythonName: string = 'AttributeError';
}

/** Python's `OverflowError` (e.g. a date field too large for a C int). */
export class PyOverflowError extends PyException {
  static override readonly pythonName: string = 'OverflowError';
}

/** Python's `OSError` (e.g. `[Errno 75] Value too large for defined data type` from the C library's time functions). */
export class PyOSError extends PyException {
  static override readonly pythonName: string = 'OSError';
}

/** Python's `IndexError` (e.g. `list index out of range`). */
export class PyIndexError extends PyException {
  static override readonly pythonName: string = 'IndexError';
}

/** Python's `RecursionError`, raised at a fixed nesting depth instead of a stack overflow. */
export class PyRecursionError extends PyException {
  static override readonly pythonName: string = 'RecursionError';
}

/** Python's `RuntimeError`. */
export class RuntimeError extends PyException {
  static override readonly pythonName: string = 'RuntimeError';
}

/** Python's `StopIteration`, which `next(iter(x))` raises on an empty container (Flask's ` di` tag on `{}`). */
export class PyStopIteration extends PyException {
  static override readonly pythonName: string = 'StopIteration';
  constructor() {
    super('');
  }
}

/** Python's `KeyError`: `str(e)` is the repr of the missing key. */
export class KeyError extends PyException {
  static override readonly pythonName: string = 'KeyError';
  readonly key: PyKey;
  constructor(key: PyKey) {
    super(pyRepr(key));
    this.key = key;
  }
}

/** The error Python's `binascii` module raises; `message` is Python's text, e.g. `Incorrect padding`. */
export class BinasciiError extends PyException {
  static override readonly pythonName: string = 'binascii.Error';
}

/** The error Python's `zlib` module raises, e.g. `Error -3 while decompressing data: incorrect header check`. */
export class ZlibError extends PyException {
  static override readonly pythonName: string = 'zlib.error';
}

/** The error Python's `struct` module raises, e.g. `unpack requires a buffer of 8 bytes`. */
export class StructError extends PyException {
  static override readonly pythonName: string = 'struct.error';
}

/** Python's `UnicodeEncodeError` (a ValueError), e.g. as the idna or utf-8 codec raises it. */
export class UnicodeEncodeError extends PyValueError {
  static override readonly pythonName: string = 'UnicodeEncodeError';
}

/** Python's `UnicodeDecodeError` (a ValueError) with its `'utf-8' codec can't decode …` message. */
export class PyUnicodeDecodeError extends PyValueError {
  static override readonly pythonName: string = 'UnicodeDecodeError';
  /** First and one-past-last byte offsets of the bad sequence, and Python's reason. */
  readonly start: number;
  readonly end: number;
  readonly reason: string;
  constructor(bytes: Uint8Array, start: number, end: number, reason: string) {
    const what =
      end === start + 1
        ? `byte 0x${bytes[start]!.toString(16).padStart(2, '0')} in position ${start}`
        : `bytes in position ${start}-${end - 1}`;
    super(`'utf-8' codec can't decode ${what}: ${reason}`);
    this.start = start;
    this.end = end;
    this.reason = reason;
  }
}

/**
 * Python's `json.JSONDecodeError`: `message` is `msg: line L column C (char P)`, with positions counted in code
 * points as Python counts them; `index` is the same position as a JS string index.
 */
export class JSONDecodeError extends PyValueError {
  static override readonly pythonName: string = 'JSONDecodeError';
  readonly msg: string;
  readonly doc: string;
  readonly pos: number;
  readonly lineno: number;
  readonly colno: number;
  readonly index: number;
  constructor(msg: string, doc: string, index: number) {
    const pos = codePointIndex(doc, index);
    const nl = doc.lastIndexOf('\n', index - 1);
    let lineno = 1;
    for (let i = doc.indexOf('\n'); i !== -1 && i < index; i = doc.indexOf('\n', i + 1)) lineno++;
    const colno = nl === -1 || index === 0 ? pos + 1 : pos - codePointIndex(doc, nl);
    super(`${msg}: line ${lineno} column ${colno} (char ${pos})`);
    this.msg = msg;
    this.doc = doc;
    this.pos = pos;
    this.lineno = lineno;
    this.colno = colno;
    this.index = index;
  }
}

/** msgspec's `DecodeError` (not a ValueError): the bytes are not valid data in the format (msgpack or JSON) being read. */
export class MsgspecDecodeError extends PyException {
  static override readonly pythonName: string = 'msgspec.DecodeError';
  /** Byte offset where decoding stopped, when known. */
  readonly offset: number | null;
  constructor(message: string, offset: number | null = null) {
    super(message);
    this.offset = offset;
  }
}

/**
 * Bytes msgspec decodes but the engine's value model has no place for (a tuple or bytes as a map key): a
 * `TypeError`, so a reader that falls back to other formats on {@link MsgspecDecodeError} stops here instead.
 */
export class UnsupportedValueError extends PyTypeError {}

/** Python's `pickle.PickleError`, the base of the two below. */
export class PickleError extends PyException {
  static override readonly pythonName: string = 'PickleError';
}

/** Python's `pickle.UnpicklingError`: the data is not a pickle the engine's reader can load. */
export class UnpicklingError extends PickleError {
  static override readonly pythonName: string = 'UnpicklingError';
  /** Byte offset of the problem, when known. */
  readonly offset: number | null;
  constructor(message: string, offset: number | null = null) {
    super(message);
    this.offset = offset;
  }
}

/**
 * The engine's refusal of a pickle opcode that could import a module or run code (Python has no such error: its
 * pickle runs them). An {@link UnpicklingError}, so code that handles unreadable pickles handles this one too.
 */
export class UnsafePickleError extends UnpicklingError {
  static override readonly pythonName: string = 'UnsafePickleError';
  /** The opcode's name in `pickletools`, e.g. `GLOBAL`. */
  readonly opcode: string;
  constructor(opcode: string, code: number, offset: number) {
    super(
      `refusing opcode ${opcode} (0x${code.toString(16).padStart(2, '0')}) at byte ${offset}: it can import or call Python code, so loading this pickle could run anything`,
      offset,
    );
    this.opcode = opcode;
  }
}

/** Python's `pickle.PicklingError`: a value the engine's pickle writer will not write. */
export class PicklingError extends PickleError {
  static override readonly pythonName: string = 'PicklingError';
}

/** Counts code points before a UTF-16 index: a surrogate pair is one Python character. */
function codePointIndex(s: string, index: number): number {
  let pairs = 0;
  for (let i = 0; i + 1 < index; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        pairs++;
        i++;
      }
    }
  }
  return index - pairs;
}
