import { describe, expect, it } from 'vitest';
import { entrySize, listpackBytes, lpIntValue } from './listpack';

// The bytes themselves: persistence/rdb/listpack-codec.test.ts (which also checks these sizes against
// the encoder's output for any entries).
describe('listpack sizes', () => {
  it('sizes entries as the sum of encoding, data and backlen', () => {
    expect(entrySize('5')).toBe(2);
    expect(entrySize('-5')).toBe(3);
    expect(entrySize('-4097')).toBe(4); // 16-bit int
    expect(entrySize('40000')).toBe(5);
    expect(entrySize('9223372036854775807')).toBe(10);
    expect(entrySize('9223372036854775808')).toBe(21); // beyond int64: a 19-byte string
    expect(entrySize('hello')).toBe(7);
    expect(entrySize('x'.repeat(125))).toBe(128);
    expect(entrySize('x'.repeat(126))).toBe(130);
    expect(entrySize('x'.repeat(4096))).toBe(4096 + 5 + 2); // 32-bit string header
    expect(listpackBytes([])).toBe(7);
  });

  it('treats only canonical int64 decimals as integers', () => {
    expect(lpIntValue('-0')).toBeNull();
    expect(lpIntValue('007')).toBeNull();
    expect(lpIntValue('-')).toBeNull();
    expect(lpIntValue('9223372036854775808')).toBeNull();
    expect(lpIntValue('-9223372036854775808')).toBe(-9223372036854775808n);
    expect(lpIntValue('0')).toBe(0);
  });
});
