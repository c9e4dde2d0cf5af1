// A safe subset of Python's pickle (CPython 3.11 Lib/pickle.py), for the values a Flask session holds:
// https://github.com/python/cpython/blob/v3.11.2/Lib/pickle.py
//
// The writer emits what `pickle.dumps` writes for None, bool, int, float, str, bytes, list, tuple and
// dict (protocol 4 by default, framed as CPython frames it). Python memoizes by object identity and
// emits BINGET when the *same object* appears twice. Lists, dicts, tuples and bytes keep their identity
// in JavaScript, so a container shared in the data (`x = [x, x]`) is written once and fetched from the
// memo after, as Python does: 40 such levels stay a few hundred bytes instead of 2^40 values. Strings
// have no identity in JavaScript (two interned "x" literals in Python), so a repeated str is written in
// full; the bytes then differ from Python's, and both load to equal data.
//
// The reader refuses, in time linear in its input (shared references included): nesting past a depth,
// containers that contain themselves, and, when asked, data whose shared references expand past a
// number of values (a store that can only write trees would otherwise write back 2^n values).
//
// The reader is not a general unpickler: it knows only opcodes that build plain data, and refuses
// every opcode that can import or call anything (GLOBAL, REDUCE, BUILD, ...) with UnsafePickleError.
// Asked to (`describeCalls`), it instead describes the calls GLOBAL + REDUCE ask for, without importing or
// calling anything, so a page can show what Python's pickle would have run.
//
// The reader is laid out like pickle._Unpickler: a table from each opcode byte to one small method
// (`loadBinunicode` follows `load_binunicode`), and a load() that fetches a byte and runs its method.
import { PicklingError, UnpicklingError, UnsafePickleError } from '../python/errors.ts';
import { dictEntries, isDict, PyFloat, PyTuple, type PyDict, type PyKey, type PyValue } from '../python/values.ts';
import { ByteWriter } from './byte_writer.ts';
import { isPyInt } from './msgpack.ts';

/** Python's default protocol since 3.8. */
const DEFAULT_PROTOCOL = 4;
/** CPython's frame size target: frames are closed once they reach 64 KiB. */
const FRAME_SIZE_TARGET = 64 * 1024;
const FRAME_SIZE_MIN = 4;
const BATCHSIZE = 1000;

const encoder = new TextEncoder();

function u32le(n: number): number[] {
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
}
function u64le(n: number): number[] {
  return [...u32le(n >>> 0), ...u32le(Math.floor(n / 2 ** 32))];
}

/** `pickle.encode_long`: the shortest two's-complement little-endian bytes of an int (empty for 0). */
export function encodeLong(x: bigint): Uint8Array {
  if (x === 0n) return new Uint8Array(0);
  const bitLength = (x < 0n ? -x : x).toString(2).length; // Python's int.bit_length()
  let nbytes = (bitLength >> 3) + 1;
  let v = BigInt.asUintN(nbytes * 8, x);
  const out = new Uint8Array(nbytes);
  for (let i = 0; i < nbytes; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  if (x < 0n && nbytes > 1 && out[nbytes - 1] === 0xff && (out[nbytes - 2]! & 0x80) !== 0) nbytes -= 1;
  return out.slice(0, nbytes);
}

/** `pickle.decode_long`: two's-complement little-endian bytes to an int. */
export function decodeLong(b: Uint8Array): bigint {
  if (b.length === 0) return 0n;
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
  return BigInt.asIntN(b.length * 8, v);
}

/** Options of {@link dumps}. */
export interface DumpsOptions {
  /** 2 to 5; default {@link DEFAULT_PROTOCOL} (4). Protocol 2 cannot hold bytes without GLOBAL, so it refuses them. */
  protocol?: number;
}

class Pickler {
  readonly proto: number;
  private readonly out = new ByteWriter(256);
  private frame: ByteWriter | null = null;
  private memoLen = 0;
  private depth = 0;
  /** Memo index of each container already written, by identity (Python's `memo[id(obj)]`). */
  private readonly memo = new Map<object, number>();

  constructor(proto: number) {
    this.proto = proto;
  }

  private write(...bytes: number[]): void {
    (this.frame ?? this.out).push(...bytes);
  }
  private writeBytes(b: Uint8Array): void {
    (this.frame ?? this.out).bytes(b);
  }
  private commitFrame(force = false): void {
    if (!this.frame) return;
    if (this.frame.n >= FRAME_SIZE_TARGET || force) {
      if (this.frame.n >= FRAME_SIZE_MIN) this.out.push(0x95, ...u64le(this.frame.n));
      this.out.bytes(this.frame.view());
      this.frame = new ByteWriter(256);
    }
  }
  /** A big str or bytes goes straight to the output, outside any frame. */
  private writeLarge(header: number[], payload: Uint8Array): void {
    if (this.frame) this.commitFrame(true);
    this.out.push(...header);
    this.out.bytes(payload);
  }
  private memoize(obj?: object): void {
    if (obj !== undefined) this.memo.set(obj, this.memoLen);
    if (this.proto >= 4) this.write(0x94);
    else if (this.memoLen < 256) this.write(0x71, this.memoLen);
    else this.write(0x72, ...u32le(this.memoLen));
    this.memoLen++;
  }

  dump(value: PyValue): Uint8Array {
    this.write(0x80, this.proto);
    if (this.proto >= 4) this.frame = new ByteWriter(256);
    this.save(value);
    this.write(0x2e);
    if (this.frame && this.frame.n > 0) this.commitFrame(true);
    return this.out.result();
  }

  private save(v: PyValue | PyKey): void {
    this.commitFrame();
    if (++this.depth > 1000) throw new PicklingError('maximum recursion depth exceeded while pickling an object');
    try {
      this.saveValue(v);
    } finally {
      this.depth--;
    }
  }

  private saveValue(v: PyValue | PyKey): void {
    if (v === null) return this.write(0x4e);
    if (typeof v === 'object') {
      const at = this.memo.get(v);
      if (at !== undefined) return at < 256 ? this.write(0x68, at) : this.write(0x6a, ...u32le(at));
    }
    if (v === true) return this.write(0x88);
    if (v === false) return this.write(0x89);
    if (isPyInt(v)) return this.saveInt(BigInt(v));
    if (typeof v === 'number' || v instanceof PyFloat) {
      const dv = new DataView(new ArrayBuffer(8));
      dv.setFloat64(0, typeof v === 'number' ? v : v.value); // big-endian, as BINFLOAT wants
      return this.write(0x47, ...new Uint8Array(dv.buffer));
    }
    if (typeof v === 'string') return this.saveStr(v);
    if (v instanceof Uint8Array) return this.saveBytes(v);
    if (Array.isArray(v)) {
      this.write(0x5d);
      this.memoize(v);
      return this.batchAppends(v);
    }
    if (v instanceof PyTuple) return this.saveTuple(v);
    if (isDict(v)) {
      this.write(0x7d);
      this.memoize(v);
      return this.batchSetitems(dictEntries(v));
    }
    const name = (v as object)?.constructor?.name ?? typeof v;
    throw new PicklingError(`this writer only pickles plain data; a ${name} would need GLOBAL/REDUCE, which its reader refuses`);
  }

  private saveInt(x: bigint): void {
    if (x >= 0n && x <= 0xffn) return this.write(0x4b, Number(x));
    if (x >= 0n && x <= 0xffffn) return this.write(0x4d, Number(x) & 0xff, Number(x) >> 8);
    if (x >= -0x80000000n && x <= 0x7fffffffn) return this.write(0x4a, ...u32le(Number(x) | 0));
    const enc = encodeLong(x);
    if (enc.length < 256) {
      this.write(0x8a, enc.length);
    } else {
      this.write(0x8b, ...u32le(enc.length));
    }
    this.writeBytes(enc);
  }

  private saveStr(s: string): void {
    if (!(s as string & { isWellFormed(): boolean }).isWellFormed()) {
      // Python writes lone surrogates with 'surrogatepass'; a JS string with one cannot round-trip via UTF-8.
      throw new PicklingError('a str with a lone surrogate cannot be pickled by this writer');
    }
    const b = encoder.encode(s);
    const n = b.length;
    if (n <= 0xff && this.proto >= 4) {
      this.write(0x8c, n);
      this.writeBytes(b);
    } else if (n >= FRAME_SIZE_TARGET && this.frame) {
      this.writeLarge([0x58, ...u32le(n)], b);
    } else {
      this.write(0x58, ...u32le(n));
      this.writeBytes(b);
    }
    this.memoize();
  }

  private saveBytes(b: Uint8Array): void {
    if (this.proto < 3) throw new PicklingError('protocol 2 stores bytes through codecs.encode (a GLOBAL); use protocol 3 or later');
    const n = b.length;
    if (n <= 0xff) {
      this.write(0x43, n);
      this.writeBytes(b);
    } else if (n >= FRAME_SIZE_TARGET && this.frame) {
      this.writeLarge([0x42, ...u32le(n)], b);
    } else {
      this.write(0x42, ...u32le(n));
      this.writeBytes(b);
    }
    this.memoize(b);
  }

  private saveTuple(t: PyTuple): void {
    const items = t.items;
    if (items.length === 0) return this.write(0x29);
    if (items.length <= 3) {
      for (const x of items) this.save(x);
      this.write(0x84 + items.length);
      return this.memoize(t);
    }
    this.write(0x28);
    for (const x of items) this.save(x);
    this.write(0x74);
    this.memoize(t);
  }

  // CPython's C pickler (what pickle.dumps runs) writes a lone APPEND / SETITEM only when the whole
  // container has one item; otherwise every batch of up to 1000, even a last batch of one, is MARK … APPENDS.
  private batchAppends(items: PyValue[]): void {
    for (let i = 0; i < items.length; i += BATCHSIZE) {
      const batch = items.slice(i, i + BATCHSIZE);
      if (items.length > 1) {
        this.write(0x28);
        for (const x of batch) this.save(x);
        this.write(0x65);
      } else {
        this.save(batch[0]!);
        this.write(0x61);
      }
    }
  }

  private batchSetitems(entries: [PyKey, PyValue][]): void {
    for (let i = 0; i < entries.length; i += BATCHSIZE) {
      const batch = entries.slice(i, i + BATCHSIZE);
      if (entries.length > 1) {
        this.write(0x28);
        for (const [k, v] of batch) {
          this.save(k);
          this.save(v);
        }
        this.write(0x75);
      } else {
        this.save(batch[0]![0]);
        this.save(batch[0]![1]);
        this.write(0x73);
      }
    }
    // The C pickler's dict loop runs again after a full batch, so a dict of 1000·k items ends with an empty MARK SETITEMS.
    if (entries.length > 1 && entries.length % BATCHSIZE === 0) this.write(0x28, 0x75);
  }
}

/**
 * Pickles plain data as `pickle.dumps(value, protocol)` does (protocol 4 by default, with FRAME).
 * Byte-identical to Python when no str repeats (see the module comment on memo identity); a shared list,
 * dict, tuple or bytes is written once, then fetched from the memo.
 * @throws {PicklingError} for values outside None/bool/int/float/str/bytes/list/tuple/dict, for a protocol
 * outside 2–5, for bytes under protocol 2, and for nesting deeper than 1000.
 */
export function dumps(value: PyValue, options: DumpsOptions = {}): Uint8Array {
  const proto = options.protocol ?? DEFAULT_PROTOCOL;
  if (!Number.isInteger(proto) || proto < 2 || proto > 5) throw new PicklingError(`this writer supports protocols 2 to 5, not ${proto}`);
  return new Pickler(proto).dump(value);
}

// ---------------------------------------------------------------------------------------------
// Reader

/** Opcodes that import or call code (or fetch objects from outside the pickle): always refused. */
const UNSAFE: Record<number, string> = {
  0x63: 'GLOBAL',
  0x93: 'STACK_GLOBAL',
  0x52: 'REDUCE',
  0x81: 'NEWOBJ',
  0x92: 'NEWOBJ_EX',
  0x62: 'BUILD',
  0x69: 'INST',
  0x6f: 'OBJ',
  0x82: 'EXT1',
  0x83: 'EXT2',
  0x84: 'EXT4',
  0x50: 'PERSID',
  0x51: 'BINPERSID',
  0x97: 'NEXT_BUFFER',
  0x98: 'READONLY_BUFFER',
};

/** Limits of {@link loads}; each has a safe default. */
export interface LoadsOptions {
  /** Most memo entries kept (default 100 000). */
  maxMemo?: number;
  /** Deepest nesting allowed in the result (default 512). */
  maxDepth?: number;
  /**
   * Most values the result may hold when every shared reference is counted as a copy (default: no limit, as
   * Python). A store that writes trees (msgpack, JSON) sets one: `x = [x, x]` forty times is 254 bytes of pickle
   * and 2^41 values of msgpack.
   */
  maxExpanded?: number;
  /** Longest LONG1/LONG4 integer in bytes (default 4096, about 9 800 decimal digits). */
  maxLongBytes?: number;
  /**
   * When given, GLOBAL, STACK_GLOBAL and REDUCE are not refused but *described*: nothing is imported and nothing
   * is called. A global becomes a {@link PickleGlobal} naming it; a REDUCE of one is appended here as a
   * {@link PickleCall} (the call Python's pickle would make) and leaves None where Python would leave the call's
   * result. Every other opcode that can import or call (BUILD, NEWOBJ, INST, OBJ, ...) is still refused.
   */
  describeCalls?: PickleCall[];
}

/** A global a pickle names (`module.name`), described, never imported. */
export class PickleGlobal {
  readonly module: string;
  readonly name: string;
  constructor(module: string, name: string) {
    this.module = module;
    this.name = name;
  }
  toString(): string {
    return `${this.module}.${this.name}`;
  }
}

/** A call a pickle asks for with REDUCE: what Python's pickle would call while loading it. Never made here. */
export interface PickleCall {
  module: string;
  name: string;
  /** The arguments, as the reader built them (a global among them is a {@link PickleGlobal}). */
  args: PyValue[];
  /** Byte offset of the REDUCE opcode. */
  offset: number;
}

/**
 * Callables that hand their argument to the operating system's shell or start a program: a REDUCE of one of
 * these, loaded by Python's pickle, runs a command. (`os.system` pickles as `posix.system` on Linux and macOS,
 * `nt.system` on Windows.)
 */
export const COMMAND_RUNNERS: readonly string[] = [
  'os.system',
  'posix.system',
  'nt.system',
  'os.popen',
  'posix.popen',
  'subprocess.call',
  'subprocess.run',
  'subprocess.Popen',
  'subprocess.check_call',
  'subprocess.check_output',
  'subprocess.getoutput',
  'subprocess.getstatusoutput',
];

/** The command a described call would run, when it is a {@link COMMAND_RUNNERS} call with a str (or list of str) first argument; else null. */
export function commandOf(call: PickleCall): string | null {
  if (!COMMAND_RUNNERS.includes(`${call.module}.${call.name}`)) return null;
  const first = call.args[0];
  if (typeof first === 'string') return first;
  const items = Array.isArray(first) ? first : first instanceof PyTuple ? first.items : null;
  if (items && items.length && items.every((x) => typeof x === 'string')) return (items as string[]).join(' ');
  return null;
}

const MARK = Symbol('mark');
type Item = PyValue | typeof MARK;

const STOP = 0x2e;

/** The method that runs one opcode; `at` is the opcode's offset, for error messages. */
type Load = (this: Unpickler, at: number) => void;

/** A table from each of the 256 opcode bytes to its method (or undefined): `base`'s entries, then `entries`. */
function dispatchTable(entries: [number, Load][], base: readonly (Load | undefined)[] = []): (Load | undefined)[] {
  const table = Array.from({ length: 256 }, (_, op): Load | undefined => base[op]);
  for (const [op, load] of entries) table[op] = load;
  return table;
}

const latin1 = new TextDecoder('latin1');
const utf8Strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

class Unpickler {
  private readonly b: Uint8Array;
  private readonly dv: DataView;
  private i = 0;
  private stack: Item[] = [];
  private readonly marks: Item[][] = [];
  private readonly memo = new Map<number, PyValue>();
  private readonly opts: Required<Omit<LoadsOptions, 'describeCalls'>>;
  private readonly calls: PickleCall[] | null;
  private readonly dispatch: readonly (Load | undefined)[];

  constructor(b: Uint8Array, opts: LoadsOptions) {
    this.b = b;
    this.calls = opts.describeCalls ?? null;
    this.dispatch = this.calls ? Unpickler.DISPATCH_DESCRIBING : Unpickler.DISPATCH;
    this.dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    this.opts = { maxMemo: opts.maxMemo ?? 100_000, maxDepth: opts.maxDepth ?? 512, maxLongBytes: opts.maxLongBytes ?? 4096, maxExpanded: opts.maxExpanded ?? Infinity };
  }

  private fail(msg: string, at = this.i): never {
    throw new UnpicklingError(msg, at);
  }
  private need(k: number): void {
    if (k > this.b.length - this.i) this.fail('pickle data was truncated');
  }
  private u8(): number {
    this.need(1);
    return this.b[this.i++]!;
  }
  private u16(): number {
    this.need(2);
    const v = this.dv.getUint16(this.i, true);
    this.i += 2;
    return v;
  }
  private u32(): number {
    this.need(4);
    const v = this.dv.getUint32(this.i, true);
    this.i += 4;
    return v;
  }
  private u64(): number {
    this.need(8);
    const v = this.dv.getBigUint64(this.i, true);
    this.i += 8;
    // Anything this large cannot fit in the input anyway; clamp so the length check below fails cleanly.
    return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v);
  }
  private take(k: number): Uint8Array {
    this.need(k);
    const out = this.b.slice(this.i, this.i + k);
    this.i += k;
    return out;
  }
  private line(): string {
    const end = this.lineEnd();
    const s = latin1.decode(this.b.subarray(this.i, end));
    this.i = end + 1;
    return s;
  }
  private lineEnd(): number {
    const end = this.b.indexOf(0x0a, this.i);
    if (end === -1) this.fail('pickle data was truncated');
    return end;
  }
  private ascii(raw: Uint8Array, at: number): string {
    for (const c of raw) if (c > 0x7f) this.fail("'ascii' codec can't decode a Python 2 str (pass encoding='latin1' in Python)", at);
    return latin1.decode(raw);
  }
  private utf8(raw: Uint8Array, at: number): string {
    try {
      return utf8Strict.decode(raw);
    } catch {
      return this.fail("'utf-8' codec can't decode the str payload", at);
    }
  }
  private pop(): PyValue {
    const v = this.stack.pop();
    if (v === undefined || v === MARK) this.fail('unpickling stack underflow');
    return v as PyValue;
  }
  private top(): PyValue {
    const v = this.stack[this.stack.length - 1];
    if (v === undefined || v === MARK) this.fail('unpickling stack underflow');
    return v as PyValue;
  }
  private popMark(): PyValue[] {
    const items = this.stack;
    const prev = this.marks.pop();
    if (!prev) this.fail('could not find MARK');
    this.stack = prev;
    return items as PyValue[];
  }
  private put(idx: number): void {
    if (!this.memo.has(idx) && this.memo.size >= this.opts.maxMemo) this.fail(`memo grew past ${this.opts.maxMemo} entries`);
    this.memo.set(idx, this.top());
  }
  private get(idx: number, at: number): void {
    if (!this.memo.has(idx)) this.fail(`Memo value not found at index ${idx}`, at);
    this.stack.push(this.memo.get(idx)!);
  }
  private key(k: PyValue, at: number): PyKey {
    if (k === null || typeof k === 'string' || typeof k === 'number' || typeof k === 'bigint' || typeof k === 'boolean' || k instanceof PyFloat) return k;
    return this.fail(`dict key of type ${Array.isArray(k) ? 'list' : k instanceof PyTuple ? 'tuple' : 'object'} is not supported`, at);
  }
  private setitems(d: PyValue, items: PyValue[], at: number): void {
    if (!(d instanceof Map)) this.fail('SETITEM(S) on something that is not a dict', at);
    if (items.length % 2) this.fail('odd number of items for SETITEMS', at);
    for (let k = 0; k < items.length; k += 2) (d as PyDict).set(this.key(items[k]!, at), items[k + 1]!);
  }
  private appends(l: PyValue, items: PyValue[], at: number): void {
    if (!Array.isArray(l)) this.fail('APPEND(S) on something that is not a list', at);
    (l as PyValue[]).push(...items);
  }
  private int(text: string, at: number): PyValue {
    const t = text.trim();
    if (!/^[+-]?\d+$/.test(t)) this.fail(`invalid literal for int() with base 10: '${text}'`, at);
    if (t.length > 4300) this.fail('integer literal too long', at);
    const v = BigInt(t);
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  }
  private float(v: number): PyValue {
    return Number.isInteger(v) || !Number.isFinite(v) ? new PyFloat(v) : v;
  }
  private long(raw: Uint8Array): PyValue {
    const v = decodeLong(raw);
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  }

  /**
   * Runs the opcodes until STOP: fetch one byte, run the method the dispatch table holds for it. A byte with no
   * method is refused: an opcode that imports or calls code as UnsafePickleError, any other as unsupported.
   */
  load(): PyValue {
    const dispatch = this.dispatch;
    for (;;) {
      const at = this.i;
      if (at >= this.b.length) this.fail('pickle data was truncated');
      const op = this.b[this.i++]!;
      if (op === STOP) return this.loadStop(at);
      const run = dispatch[op];
      if (run === undefined) {
        const unsafe = UNSAFE[op];
        if (unsafe) throw new UnsafePickleError(unsafe, op, at);
        this.fail(`opcode 0x${op.toString(16).padStart(2, '0')} is not supported by this reader`, at);
      }
      run.call(this, at);
    }
  }

  // One method per opcode, each named after the `load_*` function of pickle._Unpickler that it follows.

  private loadStop(at: number): PyValue {
    if (this.marks.length) this.fail('STOP inside an open MARK', at);
    return this.pop();
  }
  private loadProto(at: number): void {
    const proto = this.u8();
    if (proto > 5) this.fail(`unsupported pickle protocol: ${proto}`, at);
  }
  private loadFrame(): void {
    this.u64(); // only a read-ahead hint
  }

  // Values read from the stream.
  private loadNone(): void {
    this.stack.push(null);
  }
  private loadFalse(): void {
    this.stack.push(false);
  }
  private loadTrue(): void {
    this.stack.push(true);
  }
  private loadBinint(): void {
    this.need(4);
    this.stack.push(this.dv.getInt32(this.i, true));
    this.i += 4;
  }
  private loadBinint1(): void {
    this.stack.push(this.u8());
  }
  private loadBinint2(): void {
    this.stack.push(this.u16());
  }
  private loadLong1(at: number): void {
    this.pushLong(this.u8(), at);
  }
  private loadLong4(at: number): void {
    this.pushLong(this.u32() | 0, at); // the count is a signed int
  }
  private pushLong(n: number, at: number): void {
    if (n < 0) this.fail('LONG pickle has negative byte count', at);
    if (n > this.opts.maxLongBytes) this.fail(`integer of ${n} bytes is longer than the ${this.opts.maxLongBytes}-byte limit`, at);
    this.stack.push(this.long(this.take(n)));
  }
  private loadBinfloat(): void {
    this.need(8);
    this.stack.push(this.float(this.dv.getFloat64(this.i)));
    this.i += 8;
  }
  private loadShortBinunicode(at: number): void {
    this.stack.push(this.utf8(this.take(this.u8()), at));
  }
  private loadBinunicode(at: number): void {
    this.stack.push(this.utf8(this.take(this.u32()), at));
  }
  private loadBinunicode8(at: number): void {
    this.stack.push(this.utf8(this.take(this.u64()), at));
  }
  private loadShortBinbytes(): void {
    this.stack.push(this.take(this.u8()));
  }
  private loadBinbytes(): void {
    this.stack.push(this.take(this.u32()));
  }
  /** BINBYTES8, and BYTEARRAY8: a bytearray loads as bytes here. */
  private loadBinbytes8(): void {
    this.stack.push(this.take(this.u64()));
  }

  // Protocols 0 and 1 write these as text lines.
  /** INT: decimal digits; `01` and `00` are True and False. */
  private loadInt(at: number): void {
    const t = this.line();
    this.stack.push(t === '01' ? true : t === '00' ? false : this.int(t, at));
  }
  /** LONG: decimal digits with an optional trailing L. */
  private loadLong(at: number): void {
    this.stack.push(this.int(this.line().replace(/L$/, ''), at));
  }
  /** FLOAT: the float's repr. */
  private loadFloat(at: number): void {
    const t = this.line().trim();
    const x = /^[+-]?(nan|inf)$/i.test(t) ? (t.toLowerCase().endsWith('nan') ? NaN : t.startsWith('-') ? -Infinity : Infinity) : Number(t);
    if (t === '' || (Number.isNaN(x) && !/nan/i.test(t))) this.fail(`could not convert string to float: '${t}'`, at);
    this.stack.push(this.float(x));
  }
  /** STRING: a quoted Python 2 str literal, decoded as ASCII like Python 3's default. */
  private loadString(at: number): void {
    this.stack.push(this.ascii(unquotePy2(this.line(), () => this.fail('the STRING opcode argument must be quoted', at)), at));
  }
  private loadBinstring(at: number): void {
    this.stack.push(this.ascii(this.take(this.u32()), at));
  }
  private loadShortBinstring(at: number): void {
    this.stack.push(this.ascii(this.take(this.u8()), at));
  }
  /** UNICODE: raw-unicode-escape text. */
  private loadUnicode(at: number): void {
    const end = this.lineEnd();
    this.stack.push(rawUnicodeEscape(this.b.subarray(this.i, end), () => this.fail('truncated \\uXXXX escape', at)));
    this.i = end + 1;
  }

  // Lists, dicts and tuples.
  private loadEmptyList(): void {
    this.stack.push([]);
  }
  private loadEmptyDictionary(): void {
    this.stack.push(new Map());
  }
  private loadEmptyTuple(): void {
    this.stack.push(new PyTuple([]));
  }
  private loadTuple1(at: number): void {
    this.pushTuple(1, at);
  }
  private loadTuple2(at: number): void {
    this.pushTuple(2, at);
  }
  private loadTuple3(at: number): void {
    this.pushTuple(3, at);
  }
  private pushTuple(n: number, at: number): void {
    if (this.stack.length < n) this.fail('unpickling stack underflow', at);
    const items: PyValue[] = [];
    for (let k = 0; k < n; k++) items.unshift(this.pop());
    this.stack.push(new PyTuple(items));
  }
  // TUPLE, LIST, DICT, APPENDS and SETITEMS take the items since the last MARK. popMark replaces this.stack: take
  // them first, then push on the stack it restored.
  private loadTuple(): void {
    const items = this.popMark();
    this.stack.push(new PyTuple(items));
  }
  private loadList(): void {
    const items = this.popMark();
    this.stack.push(items);
  }
  private loadDict(at: number): void {
    const items = this.popMark();
    const d: PyDict = new Map();
    this.setitems(d, items, at);
    this.stack.push(d);
  }
  private loadAppend(at: number): void {
    const v = this.pop();
    this.appends(this.top(), [v], at);
  }
  private loadAppends(at: number): void {
    const items = this.popMark();
    this.appends(this.top(), items, at);
  }
  private loadSetitem(at: number): void {
    const v = this.pop();
    const k = this.pop();
    this.setitems(this.top(), [k, v], at);
  }
  private loadSetitems(at: number): void {
    const items = this.popMark();
    this.setitems(this.top(), items, at);
  }

  // The memo, marks and stack.
  private loadMemoize(): void {
    this.put(this.memo.size);
  }
  private loadBinput(): void {
    this.put(this.u8());
  }
  private loadLongBinput(): void {
    this.put(this.u32());
  }
  private loadPut(at: number): void {
    this.put(Number(this.int(this.line(), at)));
  }
  private loadBinget(at: number): void {
    this.get(this.u8(), at);
  }
  private loadLongBinget(at: number): void {
    this.get(this.u32(), at);
  }
  private loadGet(at: number): void {
    this.get(Number(this.int(this.line(), at)), at);
  }
  private loadMark(): void {
    this.marks.push(this.stack);
    this.stack = [];
  }
  private loadPop(): void {
    if (this.stack.length) this.stack.pop();
    else this.popMark();
  }
  private loadPopMark(): void {
    this.popMark();
  }
  private loadDup(): void {
    this.stack.push(this.top());
  }

  // Only in the table when describeCalls is given (see LoadsOptions): described, never imported or called.
  private loadGlobal(): void {
    const module = this.line();
    const name = this.line();
    this.stack.push(new PickleGlobal(module, name) as unknown as PyValue);
  }
  private loadStackGlobal(at: number): void {
    const name = this.pop();
    const module = this.pop();
    if (typeof module !== 'string' || typeof name !== 'string') this.fail('STACK_GLOBAL requires str', at);
    this.stack.push(new PickleGlobal(module, name) as unknown as PyValue);
  }
  private loadReduce(at: number): void {
    const calls = this.calls!;
    const args = this.pop();
    const fn = this.pop() as unknown;
    if (!(args instanceof PyTuple)) this.fail('REDUCE arguments must be a tuple', at);
    if (!(fn instanceof PickleGlobal)) this.fail('REDUCE of something that is not a named global', at);
    if (calls.length >= 1000) this.fail('more than 1000 calls described', at);
    calls.push({ module: fn.module, name: fn.name, args: [...args.items], offset: at });
    this.stack.push(null);
  }

  /**
   * The opcodes this reader runs, by byte, as `_Unpickler.dispatch` maps them (STOP ends the loop in load()):
   * https://github.com/python/cpython/blob/v3.11.2/Lib/pickle.py
   */
  private static readonly DISPATCH: readonly (Load | undefined)[] = dispatchTable([
    [0x80, Unpickler.prototype.loadProto], // PROTO
    [0x95, Unpickler.prototype.loadFrame], // FRAME
    [0x4e, Unpickler.prototype.loadNone], // NONE
    [0x89, Unpickler.prototype.loadFalse], // NEWFALSE
    [0x88, Unpickler.prototype.loadTrue], // NEWTRUE
    [0x49, Unpickler.prototype.loadInt], // INT
    [0x4a, Unpickler.prototype.loadBinint], // BININT
    [0x4b, Unpickler.prototype.loadBinint1], // BININT1
    [0x4d, Unpickler.prototype.loadBinint2], // BININT2
    [0x4c, Unpickler.prototype.loadLong], // LONG
    [0x8a, Unpickler.prototype.loadLong1], // LONG1
    [0x8b, Unpickler.prototype.loadLong4], // LONG4
    [0x46, Unpickler.prototype.loadFloat], // FLOAT
    [0x47, Unpickler.prototype.loadBinfloat], // BINFLOAT
    [0x53, Unpickler.prototype.loadString], // STRING
    [0x54, Unpickler.prototype.loadBinstring], // BINSTRING
    [0x42, Unpickler.prototype.loadBinbytes], // BINBYTES
    [0x56, Unpickler.prototype.loadUnicode], // UNICODE
    [0x58, Unpickler.prototype.loadBinunicode], // BINUNICODE
    [0x8d, Unpickler.prototype.loadBinunicode8], // BINUNICODE8
    [0x8e, Unpickler.prototype.loadBinbytes8], // BINBYTES8
    [0x96, Unpickler.prototype.loadBinbytes8], // BYTEARRAY8
    [0x55, Unpickler.prototype.loadShortBinstring], // SHORT_BINSTRING
    [0x43, Unpickler.prototype.loadShortBinbytes], // SHORT_BINBYTES
    [0x8c, Unpickler.prototype.loadShortBinunicode], // SHORT_BINUNICODE
    [0x74, Unpickler.prototype.loadTuple], // TUPLE
    [0x29, Unpickler.prototype.loadEmptyTuple], // EMPTY_TUPLE
    [0x85, Unpickler.prototype.loadTuple1], // TUPLE1
    [0x86, Unpickler.prototype.loadTuple2], // TUPLE2
    [0x87, Unpickler.prototype.loadTuple3], // TUPLE3
    [0x5d, Unpickler.prototype.loadEmptyList], // EMPTY_LIST
    [0x7d, Unpickler.prototype.loadEmptyDictionary], // EMPTY_DICT
    [0x6c, Unpickler.prototype.loadList], // LIST
    [0x64, Unpickler.prototype.loadDict], // DICT
    [0x30, Unpickler.prototype.loadPop], // POP
    [0x31, Unpickler.prototype.loadPopMark], // POP_MARK
    [0x32, Unpickler.prototype.loadDup], // DUP
    [0x67, Unpickler.prototype.loadGet], // GET
    [0x68, Unpickler.prototype.loadBinget], // BINGET
    [0x6a, Unpickler.prototype.loadLongBinget], // LONG_BINGET
    [0x70, Unpickler.prototype.loadPut], // PUT
    [0x71, Unpickler.prototype.loadBinput], // BINPUT
    [0x72, Unpickler.prototype.loadLongBinput], // LONG_BINPUT
    [0x94, Unpickler.prototype.loadMemoize], // MEMOIZE
    [0x61, Unpickler.prototype.loadAppend], // APPEND
    [0x65, Unpickler.prototype.loadAppends], // APPENDS
    [0x73, Unpickler.prototype.loadSetitem], // SETITEM
    [0x75, Unpickler.prototype.loadSetitems], // SETITEMS
    [0x28, Unpickler.prototype.loadMark], // MARK
  ]);
  /** The same, plus the three opcodes describeCalls describes instead of refusing. */
  private static readonly DISPATCH_DESCRIBING: readonly (Load | undefined)[] = dispatchTable([
    [0x63, Unpickler.prototype.loadGlobal], // GLOBAL
    [0x93, Unpickler.prototype.loadStackGlobal], // STACK_GLOBAL
    [0x52, Unpickler.prototype.loadReduce], // REDUCE
  ], Unpickler.DISPATCH);
}

/** Bytes of a Python 2 `repr(str)` literal: `'...'` or `"..."` with backslash escapes. */
function unquotePy2(text: string, bad: () => never): Uint8Array {
  const q = text[0];
  if (text.length < 2 || (q !== "'" && q !== '"') || text[text.length - 1] !== q) bad();
  const body = text.slice(1, -1);
  const out: number[] = [];
  const simple: Record<string, number> = { n: 10, r: 13, t: 9, '\\': 92, "'": 39, '"': 34, a: 7, b: 8, f: 12, v: 11 };
  for (let k = 0; k < body.length; k++) {
    const c = body[k]!;
    if (c !== '\\') {
      out.push(c.charCodeAt(0) & 0xff);
      continue;
    }
    const e = body[++k];
    if (e === undefined) bad();
    if (e in simple) out.push(simple[e]!);
    else if (e === 'x' && /^[0-9a-fA-F]{2}$/.test(body.slice(k + 1, k + 3))) {
      out.push(parseInt(body.slice(k + 1, k + 3), 16));
      k += 2;
    } else if (/[0-7]/.test(e)) {
      const m = /^[0-7]{1,3}/.exec(body.slice(k))![0];
      out.push(parseInt(m, 8) & 0xff);
      k += m.length - 1;
    } else out.push(92, e.charCodeAt(0) & 0xff);
  }
  return Uint8Array.from(out);
}

/** Python's `raw-unicode-escape` decoding: `\uXXXX` and `\UXXXXXXXX` escapes, every other byte is Latin-1. */
function rawUnicodeEscape(raw: Uint8Array, bad: () => never): string {
  let s = '';
  for (let k = 0; k < raw.length; k++) {
    const c = raw[k]!;
    if (c === 0x5c && (raw[k + 1] === 0x75 || raw[k + 1] === 0x55)) {
      const n = raw[k + 1] === 0x75 ? 4 : 8;
      const hex = latin1.decode(raw.subarray(k + 2, k + 2 + n));
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(hex)) bad();
      const cp = parseInt(hex, 16);
      if (cp > 0x10ffff) bad();
      s += String.fromCodePoint(cp);
      k += 1 + n;
    } else s += String.fromCharCode(c);
  }
  return s;
}

function childrenOf(v: PyValue): PyValue[] | null {
  return Array.isArray(v) ? v : v instanceof PyTuple ? v.items : v instanceof Map ? [...v.values()] : null;
}

/**
 * Refuses results nested deeper than `maxDepth`, containing themselves, or (with `maxExpanded`) holding more
 * values than that once shared references are counted as copies. Walks the result as a graph, without
 * recursion: each container is visited once, its height and expanded size remembered, so the cost is linear
 * in the containers and their items (which the input bytes bound), however often they are shared.
 */
function checkShape(root: PyValue, maxDepth: number, maxExpanded: number): void {
  if (!childrenOf(root)) return;
  /** Finished containers: their height (containers on the longest path down, itself included) and expanded size. */
  const done = new Map<object, { height: number; size: number }>();
  const onPath = new Set<object>();
  type Frame = { v: object; children: PyValue[]; next: number; height: number; size: number };
  const path: Frame[] = [];
  const enter = (v: object, children: PyValue[]): void => {
    // The path holds the containers from the root down: one more than maxDepth is too deep.
    if (path.length >= maxDepth) throw new UnpicklingError(`data nested deeper than ${maxDepth} levels`);
    onPath.add(v);
    path.push({ v, children, next: 0, height: 1, size: 1 });
  };
  enter(root as object, childrenOf(root)!);
  while (path.length) {
    const f = path[path.length - 1]!;
    if (f.next < f.children.length) {
      const c = f.children[f.next++]!;
      const cc = childrenOf(c);
      if (!cc) {
        f.size += 1;
        continue;
      }
      const seen = done.get(c as object);
      if (seen) {
        if (path.length + seen.height > maxDepth) throw new UnpicklingError(`data nested deeper than ${maxDepth} levels`);
        f.height = Math.max(f.height, seen.height + 1);
        f.size += seen.size;
        continue;
      }
      if (onPath.has(c as object)) throw new UnpicklingError('recursive data structure (a container that contains itself) is not supported');
      enter(c as object, cc);
      continue;
    }
    path.pop();
    onPath.delete(f.v);
    if (f.size > maxExpanded) throw new UnpicklingError(`shared references expand the data past ${maxExpanded} values`);
    done.set(f.v, { height: f.height, size: f.size });
    const parent = path[path.length - 1];
    if (parent) {
      parent.height = Math.max(parent.height, f.height + 1);
      parent.size += f.size;
    }
  }
}

/**
 * Loads a pickle of plain data (protocols 0–5): None, bool, int, float, str, bytes, list, tuple, dict,
 * with memo (MEMOIZE, BINPUT, LONG_BINPUT, PUT, BINGET, LONG_BINGET, GET) and FRAME skipped.
 * Mirrors `pickle.loads` for those types only; a Python 2 str loads as ASCII text, as Python 3 does by default.
 * @throws {UnsafePickleError} at the first opcode that could import or call code (GLOBAL, REDUCE, ...), before anything runs.
 * Like Python, it stops at STOP and ignores any bytes after it.
 * @throws {UnpicklingError} for truncated or malformed data, unsupported opcodes (sets, ...), and inputs beyond
 * the limits in {@link LoadsOptions}.
 */
export function loads(bytes: Uint8Array, options: LoadsOptions = {}): PyValue {
  const u = new Unpickler(bytes, options);
  const value = u.load();
  checkShape(value, options.maxDepth ?? 512, options.maxExpanded ?? Infinity);
  return value;
}

/** Every unsafe opcode this reader refuses, by name, for documentation and tests. */
export const UNSAFE_OPCODES: readonly string[] = Object.values(UNSAFE);
