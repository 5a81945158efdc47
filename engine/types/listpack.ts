// Redis's listpack (src/listpack.c, Redis 7.0): the sizes of a packed list of strings and integers —
// a 6-byte header (total bytes u32 LE, element count u16 LE), then entries <encoding+data><backlen>,
// then the 0xFF end byte. The quicklist, hashes, zsets and streams use these sizes to decide when a
// listpack is full, exactly as Redis does; persistence/rdb/listpack-codec.ts writes and reads the bytes.

/** LP_HDR_SIZE: 32-bit total length + 16-bit element count. */
export const LP_HDR_SIZE = 6;
/** Header + end byte: the size of an empty listpack (lpNew). */
export const LP_EMPTY_BYTES = LP_HDR_SIZE + 1;
/** LP_HDR_NUMELE_UNKNOWN: the count field saturates at 65535. */
export const NUMELE_UNKNOWN = 65535;

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

/** lpEncodeIntegerGetType's size: the bytes of encoding+data of an integer entry (7-bit uint ... 64-bit). */
function intEntryLen(v: number | bigint): number {
  if (typeof v === 'bigint') return 9;
  if (v >= 0 && v <= 127) return 1;
  if (v >= -4096 && v <= 4095) return 2;
  if (v >= -32768 && v <= 32767) return 3;
  if (v >= -8388608 && v <= 8388607) return 4;
  if (v >= -2147483648 && v <= 2147483647) return 5;
  return 9;
}

/** lpEncodeBacklen's size: the bytes needed to store an entry length `l` backwards (7 bits each). */
export function backlenSize(l: number): number {
  if (l <= 127) return 1;
  if (l < 16383) return 2;
  if (l < 2097151) return 3;
  if (l < 268435455) return 4;
  return 5;
}

/** Bytes of encoding+data for a string entry (lpEncodeGetType's enclen). */
function encodedLen(s: string): number {
  const n = s.length;
  const c0 = n > 0 ? s.charCodeAt(0) : 0;
  // Only strings starting with a digit or '-' can be integers.
  if (n > 0 && n <= 20 && ((c0 >= 48 && c0 <= 57) || c0 === 45)) {
    const v = lpIntValue(s);
    if (v !== null) return intEntryLen(v);
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
