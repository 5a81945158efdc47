// A growable byte buffer for writing RDB files and DUMP payloads (Redis's rio over a buffer): lengths
// (rdbSaveLen), strings (rdbSaveRawString: integer encoding, LZF, raw), binary doubles and 64-bit
// integers written in place, so a save builds one byte array instead of millions of small strings.

import { parseLongLong } from '../../commands/args';
import { lzfCompressInto } from './lzf';
import {
  RDB_14BITLEN,
  RDB_32BITLEN,
  RDB_64BITLEN,
  RDB_ENC_INT16,
  RDB_ENC_INT32,
  RDB_ENC_INT8,
  RDB_ENC_LZF,
  RDB_ENCVAL,
} from './string-value';

/** A byte array Node's Buffer can view: its latin1Write copies a binary string natively. */
interface Latin1Target extends Uint8Array {
  latin1Write(s: string, offset: number, length: number): number;
}
type NodeBufferFrom = { from(b: ArrayBufferLike, offset: number, length: number): Latin1Target };
const NodeBuffer = (globalThis as unknown as { Buffer?: NodeBufferFrom }).Buffer;

/** From this length on the native copy (~35 ns a call) beats a charCodeAt loop (~1.5 ns a byte). */
const NATIVE_COPY_MIN = 48;

/** A Node Buffer over the same memory as `b` (null without Node): for latin1Write. */
function nativeView(b: Uint8Array): Latin1Target | null {
  return NodeBuffer === undefined ? null : NodeBuffer.from(b.buffer, b.byteOffset, b.byteLength);
}

/** s's bytes into b at p (one char per byte): natively when long and possible. */
function putLatin1(b: Uint8Array, native: Latin1Target | null, p: number, s: string, n: number): void {
  if (n >= NATIVE_COPY_MIN && native !== null) native.latin1Write(s, p, n);
  else for (let i = 0; i < n; i++) b[p + i] = s.charCodeAt(i);
}

/** Scratch buffers for LZF (input bytes of a string, compressed output), reused by every write. */
let lzfIn = new Uint8Array(4096);
let lzfInNative = nativeView(lzfIn);
let lzfOut = new Uint8Array(4096);

export class ByteWriter {
  buf: Uint8Array;
  pos = 0;
  private view: DataView;
  /**
   * The size the whole output will likely need, asked when the buffer is full (a save extrapolates
   * from the keys written so far): one right-sized buffer instead of doublings, each a copy and all
   * of them memory outside the JS heap whose growth makes V8 start a full collection mid-save.
   */
  estimate: (() => number) | null = null;
  /** nativeView(buf), made when a long string is first written into this buffer. */
  private native: Latin1Target | null | undefined = undefined;

  constructor(capacity = 1 << 16) {
    this.buf = new Uint8Array(capacity);
    this.view = new DataView(this.buf.buffer);
  }

  /** Room for `n` more bytes. */
  ensure(n: number): void {
    const need = this.pos + n;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    if (this.estimate !== null) size = Math.max(Math.ceil(this.buf.length * 1.25), this.estimate());
    while (size < need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
    this.native = undefined;
  }

  byte(b: number): void {
    if (this.pos >= this.buf.length) this.ensure(1);
    this.buf[this.pos++] = b;
  }

  /** A binary string's bytes (one char per byte). */
  latin1(s: string): void {
    const n = s.length;
    this.ensure(n);
    if (n >= NATIVE_COPY_MIN && this.native === undefined) this.native = nativeView(this.buf);
    putLatin1(this.buf, this.native ?? null, this.pos, s, n);
    this.pos += n;
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** rdbSaveLen: 6-bit, 14-bit, 32-bit or 64-bit big-endian length. */
  length(len: number): void {
    this.ensure(9);
    const buf = this.buf;
    if (len < 1 << 6) buf[this.pos++] = len;
    else if (len < 1 << 14) {
      buf[this.pos++] = ((len >> 8) & 0xff) | (RDB_14BITLEN << 6);
      buf[this.pos++] = len & 0xff;
    } else if (len <= 0xffffffff) {
      buf[this.pos++] = RDB_32BITLEN;
      this.view.setUint32(this.pos, len, false);
      this.pos += 4;
    } else {
      buf[this.pos++] = RDB_64BITLEN;
      this.view.setBigUint64(this.pos, BigInt(len), false);
      this.pos += 8;
    }
  }

  /** rdbEncodeInteger when `s` is an integer that fits in 32 bits; false otherwise (nothing written). */
  private integer(s: string): boolean {
    const n = parseLongLong(s);
    if (typeof n !== 'number' || n < -2147483648 || n > 2147483647) return false;
    this.ensure(5);
    const buf = this.buf;
    if (n >= -128 && n <= 127) {
      buf[this.pos++] = (RDB_ENCVAL << 6) | RDB_ENC_INT8;
      buf[this.pos++] = n & 0xff;
    } else if (n >= -32768 && n <= 32767) {
      buf[this.pos++] = (RDB_ENCVAL << 6) | RDB_ENC_INT16;
      buf[this.pos++] = n & 0xff;
      buf[this.pos++] = (n >> 8) & 0xff;
    } else {
      buf[this.pos++] = (RDB_ENCVAL << 6) | RDB_ENC_INT32;
      this.view.setInt32(this.pos, n, true);
      this.pos += 4;
    }
    return true;
  }

  /** The LZF form of src[0, len) (lzfIn by default) when it saves more than four bytes (rdbSaveLzfStringObject). */
  private lzf(len: number, src: Uint8Array = lzfIn): boolean {
    if (lzfOut.length < len + 4) lzfOut = new Uint8Array(Math.max(len + 4, lzfOut.length * 2));
    const clen = lzfCompressInto(src, len - 4, lzfOut, len);
    if (clen === 0) return false;
    this.byte((RDB_ENCVAL << 6) | RDB_ENC_LZF);
    this.length(clen);
    this.length(len);
    this.copy(lzfOut, clen);
    return true;
  }

  /** src[0, len): small copies byte by byte (no view object), large ones with set(). */
  private copy(src: Uint8Array, len: number): void {
    this.ensure(len);
    const buf = this.buf;
    let p = this.pos;
    if (len < 256) for (let i = 0; i < len; i++) buf[p++] = src[i];
    else {
      buf.set(src.subarray(0, len), p);
      p += len;
    }
    this.pos = p;
  }

  /**
   * rdbSaveRawString: integer encoding for short integer-looking strings, then LZF when `compress`
   * (rdbcompression) and the string is longer than 20 bytes and shrinks by more than 4 bytes, else
   * the length-prefixed bytes.
   */
  string(s: string, compress: boolean): void {
    const len = s.length;
    if (len <= 11 && this.integer(s)) return;
    if (compress && len > 20) {
      if (lzfIn.length < len) {
        lzfIn = new Uint8Array(Math.max(len, lzfIn.length * 2));
        lzfInNative = nativeView(lzfIn);
      }
      const input = lzfIn;
      putLatin1(input, lzfInNative, 0, s, len);
      if (this.lzf(len)) return;
      this.length(len);
      this.copy(input, len);
      return;
    }
    this.length(len);
    this.latin1(s);
  }

  /** rdbSaveRawString of a byte blob (listpack, intset). */
  blob(b: Uint8Array, compress: boolean): void {
    const len = b.length;
    if (len <= 11) {
      let s = '';
      for (let i = 0; i < len; i++) s += String.fromCharCode(b[i]);
      if (this.integer(s)) return;
    }
    if (compress && len > 20) {
      if (lzfIn.length < len) {
        lzfIn = new Uint8Array(Math.max(len, lzfIn.length * 2));
        lzfInNative = nativeView(lzfIn);
      }
      lzfIn.set(b);
      if (this.lzf(len)) return;
    }
    this.length(len);
    this.bytes(b);
  }

  /** blob() of src[0, len), a scratch buffer (a listpack being built): no copy before LZF. */
  blobFrom(src: Uint8Array, len: number, compress: boolean): void {
    if (len <= 11) {
      this.blob(src.subarray(0, len), compress);
      return;
    }
    if (compress && len > 20 && this.lzf(len, src)) return;
    this.length(len);
    this.copy(src, len);
  }

  /** rdbSaveBinaryDoubleValue: 8 bytes little-endian IEEE 754. */
  double(d: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, d, true);
    this.pos += 8;
  }

  /** A signed 64-bit integer, little endian (EXPIRETIME_MS). */
  int64(n: number): void {
    this.ensure(8);
    const v = Math.trunc(n);
    if (v >= 0 && v <= Number.MAX_SAFE_INTEGER) {
      this.view.setUint32(this.pos, v % 0x100000000, true);
      this.view.setUint32(this.pos + 4, Math.floor(v / 0x100000000), true);
    } else this.view.setBigInt64(this.pos, BigInt.asIntN(64, BigInt(v)), true);
    this.pos += 8;
  }

  /** The bytes written, in an array of their own. */
  result(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}
