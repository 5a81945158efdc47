import { describe, expect, it } from 'vitest';
import { decodeListpack, encodeListpack, entryEncoding, entrySize, listpackBytes, lpIntValue } from './listpack';

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

// Captured from redis-server 7.0.15: RPUSH l <these> then DUMP l (rdbcompression no), the one
// quicklist node's listpack.
const ELEMENTS = [
  '0',
  '127',
  '128',
  '-1',
  '-4096',
  '4095',
  '4096',
  '-4097',
  '-32768',
  '32767',
  '32768',
  '-32769',
  '8388607',
  '-8388608',
  '8388608',
  '2147483647',
  '-2147483648',
  '2147483648',
  '9223372036854775807',
  '-9223372036854775808',
  '9223372036854775808',
  '',
  'a',
  '01',
  '-0',
  '+1',
  ' 1',
];
const REDIS_BYTES =
  '950000001b0000017f01c08002dfff02d00002cfff02f1001003f1ffef03f1008003f1ff7f03f200800004f2ff7fff04f2ffff7f04' +
  'f200008004f30000800005f3ffffff7f05f30000008005f4000000800000000009f4ffffffffffffff7f09f4000000000000008009' +
  '933932323333373230333638353437373538303814800181610282303103822d3003822b310382203103ff';

describe('listpack', () => {
  it('encodes every integer width and short strings byte for byte as Redis 7.0', () => {
    expect(hex(encodeListpack(ELEMENTS))).toBe(REDIS_BYTES);
    expect(listpackBytes(ELEMENTS)).toBe(149);
  });

  it('decodes Redis bytes back to the same elements', () => {
    const bytes = Uint8Array.from(REDIS_BYTES.match(/../g) as string[], (h) => Number.parseInt(h, 16));
    expect(decodeListpack(bytes)).toEqual(ELEMENTS);
  });

  it('uses 6-bit, 12-bit and 32-bit string headers with multi-byte backlens', () => {
    // Redis: 63 x → bf ... 40; 64 y → e0 40 ... 42; 200 z → e0 c8 ... 01 ca; total 343 bytes.
    const three = ['x'.repeat(63), 'y'.repeat(64), 'z'.repeat(200)];
    const b = encodeListpack(three);
    expect(b.length).toBe(343);
    expect(hex(b.subarray(0, 7))).toBe('570100000300bf');
    expect(b[6 + 64]).toBe(0x40);
    expect(hex(b.subarray(71, 73))).toBe('e040');
    expect(b[71 + 66]).toBe(0x42);
    expect(hex(b.subarray(b.length - 3))).toBe('01caff');
    expect(decodeListpack(b)).toEqual(three);
    // Redis: 5000 w → f0 88 13 00 00 ... 27 8d; total 5014 bytes.
    const big = encodeListpack(['w'.repeat(5000)]);
    expect(big.length).toBe(5014);
    expect(hex(big.subarray(0, 11))).toBe('961300000100f088130000');
    expect(hex(big.subarray(big.length - 3))).toBe('278dff');
  });

  it('sizes entries as the sum of encoding, data and backlen', () => {
    expect(entrySize('5')).toBe(2);
    expect(entrySize('-5')).toBe(3);
    expect(entrySize('40000')).toBe(5);
    expect(entrySize('9223372036854775807')).toBe(10);
    expect(entrySize('hello')).toBe(7);
    expect(entrySize('x'.repeat(125))).toBe(128);
    expect(entrySize('x'.repeat(126))).toBe(130);
    expect(listpackBytes([])).toBe(7);
    expect(entryEncoding('-4097').encoding).toBe('16bit-int');
    expect(entryEncoding('x'.repeat(4096)).encoding).toBe('32bit-str');
  });

  it('treats only canonical int64 decimals as integers', () => {
    expect(lpIntValue('-0')).toBeNull();
    expect(lpIntValue('007')).toBeNull();
    expect(lpIntValue('-')).toBeNull();
    expect(lpIntValue('9223372036854775808')).toBeNull();
    expect(lpIntValue('-9223372036854775808')).toBe(-9223372036854775808n);
    expect(lpIntValue('0')).toBe(0);
  });

  it('saturates the element count at 65535', () => {
    const many = new Array<string>(70000).fill('1');
    const b = encodeListpack(many);
    expect(b[4] | (b[5] << 8)).toBe(65535);
    expect(decodeListpack(b).length).toBe(70000);
  });

  it('rejects corrupt bytes', () => {
    const b = encodeListpack(['abc', '12']);
    const broken = b.slice();
    broken[broken.length - 1] = 0;
    expect(() => decodeListpack(broken)).toThrow();
    const badBacklen = b.slice();
    badBacklen[6 + 4] = 9;
    expect(() => decodeListpack(badBacklen)).toThrow();
  });
});
