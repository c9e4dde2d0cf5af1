// Types for the low-level pako 2.2.0 modules url_safe.ts uses to reuse one deflate and one inflate state.

declare module 'pako/lib/zlib/zstream.js' {
  /** zlib's z_stream as pako models it. */
  class ZStream {
    input: Uint8Array | null;
    next_in: number;
    avail_in: number;
    total_in: number;
    output: Uint8Array | null;
    next_out: number;
    avail_out: number;
    total_out: number;
    msg: string;
    state: { window: Uint8Array } | null;
  }
  export default ZStream;
}

declare module 'pako/lib/zlib/deflate.js' {
  import type ZStream from 'pako/lib/zlib/zstream.js';
  const zlibDeflate: {
    deflateInit2(
      strm: ZStream,
      level: number,
      method: number,
      windowBits: number,
      memLevel: number,
      strategy: number,
      legacyHash?: boolean,
    ): number;
    deflateReset(strm: ZStream): number;
    deflateResetKeep(strm: ZStream): number;
    deflate(strm: ZStream, flush: number): number;
  };
  export default zlibDeflate;
}

declare module 'pako/lib/zlib/inflate.js' {
  import type ZStream from 'pako/lib/zlib/zstream.js';
  const zlibInflate: {
    inflateInit2(strm: ZStream, windowBits: number): number;
    inflateReset(strm: ZStream): number;
    inflate(strm: ZStream, flush: number): number;
  };
  export default zlibInflate;
}
