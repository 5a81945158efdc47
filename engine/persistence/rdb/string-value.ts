// RDB lengths and strings (src/rdb.c: rdbSaveLen/rdbLoadLen, rdbSaveRawString,
// rdbGenericLoadStringObject): the building blocks of DUMP payloads and RDB files. Strings that look
// like 8/16/32-bit integers are stored as integers, long ones LZF-compressed when that saves at
// least four bytes, the rest length-prefixed. Everything is a binary string (one char per byte).

import { parseLongLong } from '../../commands/args';
import { fromBytes, toBytes } from '../../protocol/binary';
import { lzfCompress, lzfDecompress } from './lzf';

export const RDB_6BITLEN = 0;
export const RDB_14BITLEN = 1;
export const RDB_32BITLEN = 0x80;
export const RDB_64BITLEN = 0x81;
export const RDB_ENCVAL = 3;
export const RDB_ENC_INT8 = 0;
export const RDB_ENC_INT16 = 1;
export const RDB_ENC_INT32 = 2;
export const RDB_ENC_LZF = 3;

/** A payload that can't be decoded (rdbReportCorruptRDB, a short read, an impossible allocation). */
export class RdbFormatError extends Error {}

/** A short read (rioRead failing): the data ended before the value did. */
export class RdbShortReadError extends RdbFormatError {}

/** rdbSaveLen: 6-bit, 14-bit, 32-bit or 64-bit big-endian length. */
export function rdbEncodeLength(len: number): string {
  if (len < 1 << 6) return String.fromCharCode(len | (RDB_6BITLEN << 6));
  if (len < 1 << 14) return String.fromCharCode(((len >> 8) & 0xff) | (RDB_14BITLEN << 6), len & 0xff);
  if (len <= 0xffffffff) {
    return String.fromCharCode(RDB_32BITLEN, (len >>> 24) & 0xff, (len >>> 16) & 0xff, (len >>> 8) & 0xff, len & 0xff);
  }
  let out = String.fromCharCode(RDB_64BITLEN);
  const big = BigInt(len);
  for (let shift = 56n; shift >= 0n; shift -= 8n) out += String.fromCharCode(Number((big >> shift) & 0xffn));
  return out;
}

/** rdbEncodeInteger: the INT8/16/32 form of a value, or null when it doesn't fit in 32 bits. */
export function rdbEncodeInteger(value: number): string | null {
  const enc = (t: number) => String.fromCharCode((RDB_ENCVAL << 6) | t);
  if (value >= -128 && value <= 127) return enc(RDB_ENC_INT8) + String.fromCharCode(value & 0xff);
  if (value >= -32768 && value <= 32767) {
    return enc(RDB_ENC_INT16) + String.fromCharCode(value & 0xff, (value >> 8) & 0xff);
  }
  if (value >= -2147483648 && value <= 2147483647) {
    return (
      enc(RDB_ENC_INT32) +
      String.fromCharCode(value & 0xff, (value >> 8) & 0xff, (value >> 16) & 0xff, (value >>> 24) & 0xff)
    );
  }
  return null;
}

/**
 * rdbSaveRawString: integer encoding for short integer-looking strings, then LZF when `compress`
 * (rdbcompression) and the string is longer than 20 bytes and shrinks by more than 4 bytes,
 * else the length-prefixed bytes.
 */
export function rdbEncodeString(s: string, compress: boolean): string {
  const len = s.length;
  if (len <= 11) {
    const n = parseLongLong(s);
    if (typeof n === 'number') {
      const enc = rdbEncodeInteger(n);
      if (enc !== null) return enc;
    }
  }
  if (compress && len > 20) {
    const packed = lzfCompress(toBytes(s), len - 4);
    if (packed !== null) {
      return (
        String.fromCharCode((RDB_ENCVAL << 6) | RDB_ENC_LZF) +
        rdbEncodeLength(packed.length) +
        rdbEncodeLength(len) +
        fromBytes(packed)
      );
    }
  }
  return rdbEncodeLength(len) + s;
}

type NodeBuffer = { from(b: ArrayBufferLike, o: number, l: number): { toString(encoding: 'latin1'): string } };
const NodeBuffer = (globalThis as { Buffer?: NodeBuffer }).Buffer;

/** Bytes as a binary string: Node's native latin1 decoding when there is one (the server), else fromBytes. */
export function latin1(bytes: Uint8Array): string {
  if (NodeBuffer === undefined || bytes.length < 64) return fromBytes(bytes);
  return NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

type NodeScratch = Uint8Array & { toString(encoding: 'latin1', start: number, end: number): string };

/** A buffer for LZF output: a Node Buffer when there is one (its latin1 decoding is native). */
function newScratch(n: number): Uint8Array {
  const B = (globalThis as { Buffer?: { allocUnsafe(n: number): Uint8Array } }).Buffer;
  return B !== undefined ? B.allocUnsafe(n) : new Uint8Array(n);
}

/** The shared LZF output buffer (every load is synchronous). */
let lzfResult = newScratch(4096);

/** b[0, len) as a binary string. */
function latin1Of(b: Uint8Array, len: number): string {
  if (len >= 64 && NodeBuffer !== undefined) return (b as NodeScratch).toString('latin1', 0, len);
  return fromBytes(b, 0, len);
}

/** A cursor over an RDB byte stream (a DUMP payload or a whole file) that throws on short reads. */
export class RdbReader {
  pos = 0;
  /** `file`, when given, holds the same data as `buf`: blobs are then read without a copy. */
  constructor(
    readonly buf: string,
    readonly file: Uint8Array | null = null,
  ) {}

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  byte(): number {
    if (this.pos >= this.buf.length) throw new RdbShortReadError('unexpected end of data');
    return this.buf.charCodeAt(this.pos++);
  }

  bytes(n: number): string {
    if (n > this.buf.length - this.pos) throw new RdbShortReadError('unexpected end of data');
    const s = this.buf.slice(this.pos, this.pos + n);
    this.pos += n;
    return s;
  }

  /** Set by len(): the last length read was a special-encoding type (RDB_ENCVAL), not a length. */
  encoded = false;

  /** rdbLoadLenByRef without an object per call: the length, with `encoded` telling how to read it. */
  len(): number {
    const buf = this.buf;
    if (this.pos >= buf.length) throw new RdbShortReadError('unexpected end of data');
    const b = buf.charCodeAt(this.pos++);
    const type = b >> 6;
    this.encoded = type === RDB_ENCVAL;
    if (type === RDB_ENCVAL || type === RDB_6BITLEN) return b & 0x3f;
    if (type === RDB_14BITLEN) return ((b & 0x3f) << 8) | this.byte();
    if (b === RDB_32BITLEN) {
      if (this.pos + 4 > buf.length) throw new RdbShortReadError('unexpected end of data');
      const p = this.pos;
      this.pos += 4;
      return (
        buf.charCodeAt(p) * 0x1000000 +
        ((buf.charCodeAt(p + 1) << 16) | (buf.charCodeAt(p + 2) << 8) | buf.charCodeAt(p + 3))
      );
    }
    if (b === RDB_64BITLEN) {
      const s = this.bytes(8);
      let v = 0n;
      for (let i = 0; i < 8; i++) v = (v << 8n) | BigInt(s.charCodeAt(i));
      // No value can be that long here; Redis would fail to allocate it.
      if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new RdbShortReadError('length too large');
      return Number(v);
    }
    throw new RdbFormatError(`Unknown length encoding ${type} in rdbLoadLen()`);
  }

  /** rdbLoadLenByRef: a length, or (encoded: true) the special-encoding type in the low 6 bits. */
  length(): { len: number; encoded: boolean } {
    const len = this.len();
    return { len, encoded: this.encoded };
  }

  /** rdbGenericLoadStringObject: an integer-encoded, LZF-compressed or plain string. */
  string(): string {
    const len = this.len();
    if (!this.encoded) {
      const buf = this.buf;
      const p = this.pos;
      if (len > buf.length - p) throw new RdbShortReadError('unexpected end of data');
      this.pos = p + len;
      return buf.slice(p, p + len);
    }
    switch (len) {
      case RDB_ENC_INT8: {
        const b = this.byte();
        return String((b << 24) >> 24);
      }
      case RDB_ENC_INT16: {
        if (this.pos + 2 > this.buf.length) throw new RdbShortReadError('unexpected end of data');
        const p = this.pos;
        this.pos += 2;
        return String(((this.buf.charCodeAt(p) | (this.buf.charCodeAt(p + 1) << 8)) << 16) >> 16);
      }
      case RDB_ENC_INT32: {
        if (this.pos + 4 > this.buf.length) throw new RdbShortReadError('unexpected end of data');
        const buf = this.buf;
        const p = this.pos;
        this.pos += 4;
        return String(
          buf.charCodeAt(p) |
            (buf.charCodeAt(p + 1) << 8) |
            (buf.charCodeAt(p + 2) << 16) |
            (buf.charCodeAt(p + 3) << 24),
        );
      }
      case RDB_ENC_LZF:
        return this.lzfString();
      default:
        throw new RdbFormatError(`Unknown RDB string encoding type ${len}`);
    }
  }

  /**
   * string() as bytes, for the blob types (listpacks, intsets): a view of the file's bytes when the
   * reader has them and the blob is stored plain, the LZF output as is when compressed.
   */
  blob(): Uint8Array {
    const start = this.pos;
    const len = this.len();
    if (this.encoded) {
      if (len === RDB_ENC_LZF) return this.lzfBytes();
      this.pos = start;
      return toBytes(this.string());
    }
    const p = this.pos;
    if (len > this.buf.length - p) throw new RdbShortReadError('unexpected end of data');
    this.pos = p + len;
    return this.file !== null ? this.file.subarray(p, p + len) : toBytes(this.buf.slice(p, p + len));
  }

  /** Where the last blobText() lies in the string it returned: [blobStart, blobEnd). */
  blobStart = 0;
  blobEnd = 0;

  /**
   * string() for the blob types, without a copy when the blob is stored plain: the string holding it
   * (the file's own text, or the LZF output's), the range in blobStart / blobEnd.
   */
  blobText(): string {
    const start = this.pos;
    const len = this.len();
    let s: string;
    if (!this.encoded) {
      const p = this.pos;
      if (len > this.buf.length - p) throw new RdbShortReadError('unexpected end of data');
      this.pos = p + len;
      this.blobStart = p;
      this.blobEnd = p + len;
      return this.buf;
    }
    if (len === RDB_ENC_LZF) s = this.lzfString();
    else {
      this.pos = start;
      s = this.string();
    }
    this.blobStart = 0;
    this.blobEnd = s.length;
    return s;
  }

  /** rdbLoadLzfStringObject: [compressed len][original len][compressed bytes]. */
  private lzfString(): string {
    const len = this.lzfInto(); // first: it may replace lzfResult with a larger buffer
    return latin1Of(lzfResult, len);
  }

  private lzfBytes(): Uint8Array {
    const len = this.lzfInto();
    // A copy of its own (Buffer#slice would be a view of the shared buffer).
    return new Uint8Array(lzfResult.subarray(0, len));
  }

  /** rdbLoadLzfStringObject's expansion into the shared lzfResult buffer: its length. */
  private lzfInto(): number {
    const clen = this.len();
    const len = this.len();
    if (clen > this.buf.length - this.pos) throw new RdbShortReadError('unexpected end of data');
    let packed: Uint8Array;
    let from = 0;
    if (this.file !== null) {
      packed = this.file;
      from = this.pos;
      this.pos += clen;
    } else packed = toBytes(this.bytes(clen));
    // Each 2-3 byte back reference expands to at most 264 bytes: a larger claim can't decompress.
    if (len > clen * 132 + 32) throw new RdbFormatError('Invalid LZF compressed string');
    if (lzfResult.length < len) lzfResult = newScratch(Math.max(len, lzfResult.length * 2));
    // A larger buffer is fine: a stream that expands past `len` returns more than len, an error too.
    if (lzfDecompress(packed, lzfResult, from, from + clen) !== len)
      throw new RdbFormatError('Invalid LZF compressed string');
    return len;
  }
}
