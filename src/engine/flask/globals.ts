// `flask.session`: the request-bound proxy to the current session. In Flask 3.1.3 every access
// through it marks the session accessed (which later adds `Vary: Cookie`):
// https://github.com/pallets/flask/blob/3.1.3/src/flask/ctx.py
import type { PyDict, PyKey, PyObject, PyValue } from '../python/values.ts';
import type { SessionMixin } from './sessions.ts';
import type { Tracer } from './trace.ts';

/**
 * What a view sees as `session`: the same methods as the session, each one marking it accessed and
 * recording a `session-op` trace event (with whether it counted as a modification).
 */
export class SessionProxy {
  /** The session object itself, as `save_session` receives it. */
  readonly target: SessionMixin;
  private readonly trace: Tracer | null;

  constructor(target: SessionMixin, trace: Tracer | null = null) {
    this.target = target;
    this.trace = trace;
  }

  private run<T>(op: string, fn: () => T, detail: { key?: PyKey; value?: PyValue; reads?: boolean } = {}): T {
    this.target.accessed = true;
    const before = this.target.modified;
    this.target.modified = false;
    let result: T | undefined;
    try {
      result = fn();
    } finally {
      const modifies = this.target.modified;
      this.target.modified = before || modifies;
      this.trace?.emit({
        type: 'session-op',
        stage: 'view',
        op,
        ...(detail.key !== undefined ? { key: String(detail.key) } : {}),
        ...(detail.value !== undefined ? { value: detail.value } : {}),
        ...(detail.reads && result !== undefined ? { result: result as PyValue } : {}),
        modifies,
      });
    }
    return result as T;
  }

  /** `session.get(key, default)`. */
  get(key: PyKey, fallback: PyValue = null): PyValue {
    return this.run('get', () => this.target.get(key, fallback), { key, reads: true });
  }
  /** `session[key]`. @throws {KeyError} when missing. */
  getItem(key: PyKey): PyValue {
    return this.run('getitem', () => this.target.getItem(key), { key, reads: true });
  }
  /** `session[key] = value`. */
  set(key: PyKey, value: PyValue): void {
    this.run('setitem', () => this.target.set(key, value), { key, value });
  }
  /** `del session[key]`. */
  delete(key: PyKey): void {
    this.run('delitem', () => this.target.delete(key), { key });
  }
  /** `key in session`. */
  has(key: PyKey): boolean {
    return this.run('contains', () => this.target.has(key), { key, reads: true });
  }
  /** `session.pop(key[, default])`. */
  pop(key: PyKey, ...fallback: [PyValue?]): PyValue {
    return this.run('pop', () => this.target.pop(key, ...fallback), { key, reads: true });
  }
  /** `session.popitem()`. */
  popitem(): [PyKey, PyValue] {
    return this.run('popitem', () => this.target.popitem());
  }
  /** `session.clear()`. */
  clear(): void {
    this.run('clear', () => this.target.clear());
  }
  /** `session.update(other)`. */
  update(other: PyDict | PyObject): void {
    this.run('update', () => this.target.update(other));
  }
  /** `session.setdefault(key, value)`. */
  setdefault(key: PyKey, value: PyValue = null): PyValue {
    return this.run('setdefault', () => this.target.setdefault(key, value), { key, value });
  }
  keys(): PyKey[] {
    return this.run('keys', () => this.target.keys());
  }
  values(): PyValue[] {
    return this.run('values', () => this.target.values());
  }
  items(): [PyKey, PyValue][] {
    return this.run('items', () => this.target.items());
  }
  /** `len(session)`. */
  get size(): number {
    return this.run('len', () => this.target.size, { reads: true });
  }
  /** `bool(session)`. */
  get truthy(): boolean {
    return this.run('bool', () => this.target.truthy, { reads: true });
  }
  /** `dict(session)`. */
  toDict(): PyDict {
    return this.run('dict', () => this.target.toDict());
  }
  /** `session.permanent`. */
  get permanent(): boolean {
    return this.run('permanent', () => this.target.permanent);
  }
  set permanent(value: boolean) {
    this.run('permanent=', () => {
      this.target.permanent = value;
    }, { key: '_permanent', value: Boolean(value) });
  }
  /** `session.modified`; set it to true after mutating a nested value. */
  get modified(): boolean {
    this.target.accessed = true;
    return this.target.modified;
  }
  set modified(value: boolean) {
    this.target.accessed = true;
    this.target.modified = value;
    this.trace?.emit({ type: 'session-op', stage: 'view', op: 'modified=', value, modifies: value });
  }
  /** `session.accessed`. */
  get accessed(): boolean {
    return this.target.accessed;
  }
  /** `session.new`. */
  get new(): boolean {
    this.target.accessed = true;
    return this.target.new;
  }
  [Symbol.iterator](): IterableIterator<PyKey> {
    return this.run('iter', () => this.target.keys()[Symbol.iterator]());
  }
}
