// The growable output buffer that the pickle and MessagePack writers share.

/** A byte buffer that doubles as it fills; its number writers are big-endian, as MessagePack and BINFLOAT want. */
export class ByteWriter {
  /** The bytes written so far are `buf[0..n)`. */
  buf: Uint8Array;
  n = 0;
  /** A view on `buf` for the number writers, remade when `buf` grows. */
  private dv: DataView;
  constructor(capacity = 64) {
    this.buf = new Uint8Array(capacity);
    this.dv = new DataView(this.buf.buffer);
  }
  private room(k: number): void {
    if (this.n + k <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.n + k) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.n));
    this.buf = next;
    this.dv = new DataView(next.buffer);
  }
  /** Appends each argument as one byte. */
  push(...bytes: number[]): void {
    this.room(bytes.length);
    for (const b of bytes) this.buf[this.n++] = b;
  }
  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.n);
    this.n += b.length;
  }
  u8(v: number): void {
    this.room(1);
    this.buf[this.n++] = v;
  }
  u16(v: number): void {
    this.room(2);
    this.dv.setUint16(this.n, v);
    this.n += 2;
  }
  u32(v: number): void {
    this.room(4);
    this.dv.setUint32(this.n, v);
    this.n += 4;
  }
  u64(v: bigint): void {
    this.room(8);
    this.dv.setBigUint64(this.n, v);
    this.n += 8;
  }
  i64(v: bigint): void {
    this.room(8);
    this.dv.setBigInt64(this.n, v);
    this.n += 8;
  }
  f64(v: number): void {
    this.room(8);
    this.dv.setFloat64(this.n, v);
    this.n += 8;
  }
  /** The bytes written so far, shared with the buffer (valid until the next write). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.n);
  }
  /** A copy of the bytes written so far. */
  result(): Uint8Array {
    return this.buf.slice(0, this.n);
  }
}
