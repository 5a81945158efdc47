// Redis's listpack (src/listpack.c, Redis 7.0): the byte layout of a packed list of strings and
// integers — a 6-byte header (total bytes u32 LE, element count u16 LE), then entries
// <encoding+data><backlen>, then the 0xFF end byte. The quicklist uses these sizes to decide when a
// node is full, exactly as Redis does; encode/decode produce and read the real bytes (RDB, DUMP).

/** LP_HDR_SIZE: 32-bit total length + 16-bit element count. */
export const LP_HDR_SIZE = 6;
/** Header + end byte: the size of an empty listpack (lpNew). */
export const LP_EMPTY_BYTES = LP_HDR_SIZE + 1;
/** LP_HDR_NUMELE_UNKNOWN: the count field saturates at 65535. */
export const NUMELE_UNKNOWN = 65535;
const EOF = 0xff;

/** The entry kinds of listpack.c (LP_ENCODING_*), for the panels. */
export type EntryEncoding =
  | '7bit-uint'
  | '13bit-int'
  | '16bit-int'
  | '24bit-int'
  | '32bit-int'
  | '64bit-int'
  | '6bit-str'
  | '12bit-str'
  | '32bit-str';

/**
 * lpStringToInt64: the integer a listpack would store the string as, or null when it stays a
 * string (strict decimal, no '+', no leading zeros, no "-0", 1..20 chars, within int64).
 * A number for safe integers, a bigint beyond ±2^53.
 */
export function lpIntValue(s: string): number | bigint | null {
  const len = s.length;
  if (len === 0 || len > 20) return null;
  let i = 0;
  const c0 = s.charCodeAt(0);
  if (c0 === 45) {
    if (len === 1) return null;
    i = 1;
  } else if (len === 1) {
    return c0 >= 48 && c0 <= 57 ? c0 - 48 : null;
  }
  const first = s.charCodeAt(i);
  if (first < 49 || first > 57) return null;
  let n = 0;
  for (let j = i; j < len; j++) {
    const c = s.charCodeAt(j);
    if (c < 48 || c > 57) return null;
    n = n * 10 + (c - 48);
  }
  if (n <= Number.MAX_SAFE_INTEGER) return c0 === 45 ? -n : n;
  const big = BigInt(s);
  if (big < -9223372036854775808n || big > 9223372036854775807n) return null;
  return big;
}

/** lpEncodeIntegerGetType: the encoding of an integer entry. */
function intEncoding(v: number | bigint): EntryEncoding {
  if (typeof v === 'bigint') return '64bit-int';
  if (v >= 0 && v <= 127) return '7bit-uint';
  if (v >= -4096 && v <= 4095) return '13bit-int';
  if (v >= -32768 && v <= 32767) return '16bit-int';
  if (v >= -8388608 && v <= 8388607) return '24bit-int';
  if (v >= -2147483648 && v <= 2147483647) return '32bit-int';
  return '64bit-int';
}

const INT_LEN: Record<string, number> = {
  '7bit-uint': 1,
  '13bit-int': 2,
  '16bit-int': 3,
  '24bit-int': 4,
  '32bit-int': 5,
  '64bit-int': 9,
};

/** How a string is stored in a listpack: its encoding and the bytes of encoding+data (no backlen). */
export function entryEncoding(s: string): { encoding: EntryEncoding; len: number } {
  const v = lpIntValue(s);
  if (v !== null) {
    const encoding = intEncoding(v);
    return { encoding, len: INT_LEN[encoding] };
  }
  const n = s.length;
  if (n < 64) return { encoding: '6bit-str', len: 1 + n };
  if (n < 4096) return { encoding: '12bit-str', len: 2 + n };
  return { encoding: '32bit-str', len: 5 + n };
}

/** lpEncodeBacklen's size: the bytes needed to store an entry length `l` backwards (7 bits each). */
export function backlenSize(l: number): number {
  if (l <= 127) return 1;
  if (l < 16383) return 2;
  if (l < 2097151) return 3;
  if (l < 268435455) return 4;
  return 5;
}

/** Bytes of encoding+data for a string entry (lpEncodeGetType's enclen), fast path for the quicklist. */
function encodedLen(s: string): number {
  const n = s.length;
  const c0 = n > 0 ? s.charCodeAt(0) : 0;
  // Only strings starting with a digit or '-' can be integers.
  if (n > 0 && n <= 20 && ((c0 >= 48 && c0 <= 57) || c0 === 45)) {
    const v = lpIntValue(s);
    if (v !== null) return INT_LEN[intEncoding(v)];
  }
  if (n < 64) return 1 + n;
  if (n < 4096) return 2 + n;
  return 5 + n;
}

/** The full size of one entry in a listpack: encoding + data + backlen. */
export function entrySize(s: string): number {
  const l = encodedLen(s);
  return l + backlenSize(l);
}

/** lpBytes of a listpack holding these entries. */
export function listpackBytes(entries: readonly string[]): number {
  let n = LP_EMPTY_BYTES;
  for (let i = 0; i < entries.length; i++) n += entrySize(entries[i]);
  return n;
}

// ---- serialisation ----------------------------------------------------------------------------

function writeBacklen(out: Uint8Array, pos: number, l: number): number {
  const size = backlenSize(l);
  // The first byte holds the most significant 7 bits; every later byte has bit 7 set, so the
  // value can be read backwards from the entry's last byte.
  for (let i = 0; i < size; i++) {
    const shift = 7 * (size - 1 - i);
    const bits = Math.floor(l / 2 ** shift) & 127;
    out[pos + i] = i === 0 ? bits : bits | 128;
  }
  return pos + size;
}

function writeIntLE(out: Uint8Array, pos: number, v: bigint, bytes: number): void {
  for (let i = 0; i < bytes; i++) out[pos + i] = Number((v >> BigInt(8 * i)) & 0xffn);
}

function writeEntry(out: Uint8Array, pos: number, s: string): number {
  const start = pos;
  const v = lpIntValue(s);
  if (v !== null) {
    const enc = intEncoding(v);
    const big = BigInt(v);
    switch (enc) {
      case '7bit-uint':
        out[pos++] = Number(big);
        break;
      case '13bit-int': {
        const u = Number(big < 0n ? big + 8192n : big);
        out[pos++] = 0xc0 | (u >> 8);
        out[pos++] = u & 0xff;
        break;
      }
      default: {
        const bytes = INT_LEN[enc] - 1;
        out[pos++] = enc === '16bit-int' ? 0xf1 : enc === '24bit-int' ? 0xf2 : enc === '32bit-int' ? 0xf3 : 0xf4;
        const mod = 1n << BigInt(8 * bytes);
        writeIntLE(out, pos, big < 0n ? big + mod : big, bytes);
        pos += bytes;
      }
    }
  } else {
    const n = s.length;
    if (n < 64) {
      out[pos++] = 0x80 | n;
    } else if (n < 4096) {
      out[pos++] = 0xe0 | (n >> 8);
      out[pos++] = n & 0xff;
    } else {
      out[pos++] = 0xf0;
      writeIntLE(out, pos, BigInt(n), 4);
      pos += 4;
    }
    for (let i = 0; i < n; i++) out[pos++] = s.charCodeAt(i);
  }
  return writeBacklen(out, pos, pos - start);
}

/** The real listpack bytes for these entries (binary strings, one char per byte). */
export function encodeListpack(entries: readonly string[]): Uint8Array {
  const total = listpackBytes(entries);
  const out = new Uint8Array(total);
  out[0] = total & 0xff;
  out[1] = (total >>> 8) & 0xff;
  out[2] = (total >>> 16) & 0xff;
  out[3] = (total >>> 24) & 0xff;
  const count = Math.min(entries.length, NUMELE_UNKNOWN);
  out[4] = count & 0xff;
  out[5] = count >>> 8;
  let pos = LP_HDR_SIZE;
  for (const s of entries) pos = writeEntry(out, pos, s);
  out[pos] = EOF;
  return out;
}

function readUintLE(b: Uint8Array, pos: number, bytes: number): bigint {
  let v = 0n;
  for (let i = bytes - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[pos + i]);
  return v;
}

function signed(v: bigint, bits: number): string {
  const half = 1n << BigInt(bits - 1);
  return String(v >= half ? v - (half << 1n) : v);
}

/** Read a listpack back into its elements (integers as decimal strings). Throws on malformed bytes. */
export function decodeListpack(bytes: Uint8Array): string[] {
  const bad = (why: string): never => {
    throw new Error(`invalid listpack: ${why}`);
  };
  if (bytes.length < LP_EMPTY_BYTES) bad('too short');
  const total = Number(readUintLE(bytes, 0, 4));
  if (total !== bytes.length) bad('total bytes mismatch');
  const declared = bytes[4] | (bytes[5] << 8);
  const out: string[] = [];
  let pos = LP_HDR_SIZE;
  while (pos < total - 1) {
    const start = pos;
    const b = bytes[pos];
    if (b < 0x80) {
      out.push(String(b));
      pos += 1;
    } else if (b < 0xc0) {
      const n = b & 0x3f;
      pos += 1;
      out.push(latin1(bytes, pos, n));
      pos += n;
    } else if (b < 0xe0) {
      const u = ((b & 0x1f) << 8) | bytes[pos + 1];
      out.push(String(u >= 4096 ? u - 8192 : u));
      pos += 2;
    } else if (b < 0xf0) {
      const n = ((b & 0x0f) << 8) | bytes[pos + 1];
      pos += 2;
      out.push(latin1(bytes, pos, n));
      pos += n;
    } else if (b === 0xf0) {
      const n = Number(readUintLE(bytes, pos + 1, 4));
      pos += 5;
      out.push(latin1(bytes, pos, n));
      pos += n;
    } else if (b >= 0xf1 && b <= 0xf4) {
      const width = b === 0xf1 ? 2 : b === 0xf2 ? 3 : b === 0xf3 ? 4 : 8;
      out.push(signed(readUintLE(bytes, pos + 1, width), width * 8));
      pos += 1 + width;
    } else {
      bad(`unknown encoding byte 0x${b.toString(16)}`);
    }
    const l = pos - start;
    const size = backlenSize(l);
    // Verify the backlen by reading it backwards, as lpPrev does.
    let v = 0;
    for (let i = 0; i < size; i++) {
      const byte = bytes[pos + size - 1 - i];
      v += (byte & 127) * 2 ** (7 * i);
      if (i < size - 1 !== byte >= 128) bad('bad backlen');
    }
    if (v !== l) bad('backlen mismatch');
    pos += size;
  }
  if (pos !== total - 1 || bytes[pos] !== EOF) bad('missing end byte');
  if (declared !== NUMELE_UNKNOWN && declared !== out.length) bad('element count mismatch');
  return out;
}

function latin1(b: Uint8Array, pos: number, n: number): string {
  if (pos + n > b.length) throw new Error('invalid listpack: entry overflows');
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(b[pos + i]);
  return s;
}
