import { describe, expect, it } from 'vitest';
import {
  bitpos,
  checkSignedOverflow,
  checkUnsignedOverflow,
  getSigned,
  getUnsigned,
  OVERFLOW_SAT,
  OVERFLOW_WRAP,
  popcount,
  setBits,
} from './bitops';

describe('popcount and bitpos', () => {
  it('counts set bits in a byte range', () => {
    expect(popcount('foobar', 0, 6)).toBe(26);
    expect(popcount('foobar', 1, 1)).toBe(6);
    expect(popcount(new Uint8Array([0xff, 0x01]), 0, 2)).toBe(9);
  });

  it('finds the first set or clear bit, MSB first', () => {
    expect(bitpos('\x00\x10', 0, 2, 1)).toBe(11);
    expect(bitpos('\xff\xfe', 0, 2, 0)).toBe(15);
    expect(bitpos('\x00\x00', 0, 2, 1)).toBe(-1);
    // All ones: the clear bit is taken just past the end (zero padding on the right).
    expect(bitpos('\xff\xff', 0, 2, 0)).toBe(16);
    expect(bitpos('', 0, 0, 0)).toBe(0);
  });
});

describe('bitfields', () => {
  it('reads and writes big-endian fields at any bit offset', () => {
    const p = new Uint8Array(2);
    setBits(p, 7, 5, 23n);
    expect(Array.from(p)).toEqual([0b00000001, 0b01110000]);
    expect(getUnsigned(p, 7, 5)).toBe(23n);
    expect(getSigned(p, 7, 5)).toBe(-9n);
    // Bytes past the end read as zero.
    expect(getUnsigned('\xff', 4, 8)).toBe(0xf0n);
  });

  it('handles 64-bit fields', () => {
    const p = new Uint8Array(9);
    setBits(p, 3, 64, -2n);
    expect(getSigned(p, 3, 64)).toBe(-2n);
    expect(getUnsigned(p, 3, 63)).toBe((1n << 63n) - 1n);
  });
});

describe('overflow rules', () => {
  it('wraps, saturates or reports unsigned overflow', () => {
    expect(checkUnsignedOverflow(250n, 10n, 8, OVERFLOW_WRAP)).toEqual({ dir: 1, limit: 4n });
    expect(checkUnsignedOverflow(250n, 10n, 8, OVERFLOW_SAT)).toEqual({ dir: 1, limit: 255n });
    expect(checkUnsignedOverflow(5n, -10n, 8, OVERFLOW_WRAP)).toEqual({ dir: -1, limit: 251n });
    expect(checkUnsignedOverflow(5n, -10n, 8, OVERFLOW_SAT)).toEqual({ dir: -1, limit: 0n });
    // SET of a negative value: C sees the uint64, far above the maximum.
    expect(checkUnsignedOverflow(-1n, 0n, 8, OVERFLOW_SAT)).toEqual({ dir: 1, limit: 255n });
    expect(checkUnsignedOverflow(-1n, 0n, 8, OVERFLOW_WRAP)).toEqual({ dir: 1, limit: 255n });
    expect(checkUnsignedOverflow(3n, 4n, 8, OVERFLOW_WRAP).dir).toBe(0);
  });

  it('wraps, saturates or reports signed overflow, including 64 bits', () => {
    expect(checkSignedOverflow(127n, 1n, 8, OVERFLOW_WRAP)).toEqual({ dir: 1, limit: -128n });
    expect(checkSignedOverflow(-128n, -1n, 8, OVERFLOW_SAT)).toEqual({ dir: -1, limit: -128n });
    expect(checkSignedOverflow(200n, 0n, 8, OVERFLOW_WRAP)).toEqual({ dir: 1, limit: -56n });
    const max = (1n << 63n) - 1n;
    expect(checkSignedOverflow(max, 1n, 64, OVERFLOW_WRAP)).toEqual({ dir: 1, limit: -max - 1n });
    expect(checkSignedOverflow(max, 1n, 64, OVERFLOW_SAT)).toEqual({ dir: 1, limit: max });
    expect(checkSignedOverflow(-5n, max, 64, OVERFLOW_SAT).dir).toBe(0);
  });
});
