// Python's built-in exceptions that Flask's session code raises, so messages read as in Python.
import { pyRepr } from './repr.ts';
import type { PyKey } from './values.ts';

/** Python's `KeyError`: `str(e)` is the repr of the missing key. */
export class KeyError extends Error {
  readonly key: PyKey;
  constructor(key: PyKey) {
    super(pyRepr(key));
    this.name = 'KeyError';
    this.key = key;
  }
}

/** Python's `RuntimeError`. */
export class RuntimeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RuntimeError';
  }
}
