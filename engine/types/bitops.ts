// Bit-level primitives of Redis's bitmaps (src/bitops.c): population count, the first set/clear
// bit (redisBitpos), and BITFIELD's big-endian bit-addressed integers of 1..64 bits with the
// WRAP/SAT/FAIL overflow rules. Bitmaps are plain strings; bit 0 is the MSB of the first byte.

/** Number of set bits in each byte value. */
const POPCOUNT = new Uint8Array(256);
for (let i = 1; i < 256; i++) POPCOUNT[i] = (i & 1) + POPCOUNT[i >> 1];

/** Bytes of a binary string or byte array. */
export type Bits = string | Uint8Array;

const byteAt = (s: Bits, i: number): number => (typeof s === 'string' ? s.charCodeAt(i) : s[i]);

/** redisPopcount: set bits in `count` bytes from `start`. */
export function popcount(s: Bits, start: number, count: number): number {
  let n = 0;
  for (let i = start, end = start + count; i < end; i++) n += POPCOUNT[byteAt(s, i)];
  return n;
}

/**
 * redisBitpos: the position of the first `bit` in `count` bytes from `start`. Looking for a clear
 * bit in all-ones bytes gives count*8 (the string is taken as zero padded on the right); looking
 * for a set bit among zeros gives -1.
 */
export function bitpos(s: Bits, start: number, count: number, bit: 0 | 1): number {
  const skip = bit ? 0 : 0xff;
  for (let i = 0; i < count; i++) {
    const b = byteAt(s, start + i);
    if (b === skip) continue;
    for (let j = 7; j >= 0; j--) if (((b >> j) & 1) === bit) return i * 8 + (7 - j);
  }
  return bit ? -1 : count * 8;
}

/** getUnsignedBitfield: `bits` bits from bit `offset`, MSB first; bytes past the end read as 0. */
export function getUnsigned(s: Bits, offset: number, bits: number): bigint {
  let v = 0n;
  const len = s.length;
  for (let j = 0; j < bits; j++, offset++) {
    const byte = Math.floor(offset / 8);
    const b = byte < len ? byteAt(s, byte) : 0;
    v = (v << 1n) | BigInt((b >> (7 - (offset & 7))) & 1);
  }
  return v;
}

/** getSignedBitfield: the same bits as a two's complement integer. */
export function getSigned(s: Bits, offset: number, bits: number): bigint {
  return BigInt.asIntN(bits, getUnsigned(s, offset, bits));
}

/** setUnsignedBitfield / setSignedBitfield: write the low `bits` bits of `value` (bytes must exist). */
export function setBits(p: Uint8Array, offset: number, bits: number, value: bigint): void {
  const u = BigInt.asUintN(64, value);
  for (let j = 0; j < bits; j++, offset++) {
    const bitval = Number((u >> BigInt(bits - 1 - j)) & 1n);
    const byte = Math.floor(offset / 8);
    const bit = 7 - (offset & 7);
    p[byte] = (p[byte] & ~(1 << bit)) | (bitval << bit);
  }
}

export const OVERFLOW_WRAP = 0;
export const OVERFLOW_SAT = 1;
export const OVERFLOW_FAIL = 2;
export type OverflowType = typeof OVERFLOW_WRAP | typeof OVERFLOW_SAT | typeof OVERFLOW_FAIL;

/** The result of an overflow check: 0 fits, 1 overflow, -1 underflow; `limit` the value to store. */
export interface OverflowResult {
  readonly dir: -1 | 0 | 1;
  readonly limit: bigint;
}

/**
 * checkUnsignedBitfieldOverflow: `value` (as the uint64 C sees) plus `incr` in `bits` bits. WRAP
 * keeps the low bits, SAT clamps to 0..max.
 */
export function checkUnsignedOverflow(value: bigint, incr: bigint, bits: number, ow: OverflowType): OverflowResult {
  const v = BigInt.asUintN(64, value);
  const max = (1n << BigInt(bits)) - 1n;
  const sum = v + incr;
  let dir: -1 | 0 | 1 = 0;
  if (v > max || sum > max) dir = 1;
  else if (sum < 0n) dir = -1;
  if (dir === 0) return { dir, limit: sum };
  if (ow === OVERFLOW_SAT) return { dir, limit: dir > 0 ? max : 0n };
  return { dir, limit: BigInt.asUintN(bits, sum) };
}

/**
 * checkSignedBitfieldOverflow: `value` plus `incr` as a signed `bits`-bit integer. WRAP wraps in
 * two's complement, SAT clamps to min..max.
 */
export function checkSignedOverflow(value: bigint, incr: bigint, bits: number, ow: OverflowType): OverflowResult {
  const max = (1n << BigInt(bits - 1)) - 1n;
  const min = -max - 1n;
  const sum = value + incr;
  let dir: -1 | 0 | 1 = 0;
  if (sum > max) dir = 1;
  else if (sum < min) dir = -1;
  if (dir === 0) return { dir, limit: sum };
  if (ow === OVERFLOW_SAT) return { dir, limit: dir > 0 ? max : min };
  return { dir, limit: BigInt.asIntN(bits, sum) };
}
