import { describe, expect, it } from 'vitest';
import { RdbFormatError, RdbReader, rdbEncodeInteger, rdbEncodeLength, rdbEncodeString } from './string-value';

describe('rdbEncodeLength / RdbReader.length', () => {
  it.each([
    [0, '\x00'],
    [63, '\x3f'],
    [64, '\x40\x40'],
    [16383, '\x7f\xff'],
    [16384, '\x80\x00\x00\x40\x00'],
    [0xffffffff, '\x80\xff\xff\xff\xff'],
    [0x100000000, '\x81\x00\x00\x00\x01\x00\x00\x00\x00'],
  ])('%d is stored as its 6/14/32/64-bit form', (len, bytes) => {
    expect(rdbEncodeLength(len)).toBe(bytes);
    expect(new RdbReader(bytes).length()).toEqual({ len, encoded: false });
  });

  it('reports special encodings and rejects unknown length types', () => {
    expect(new RdbReader('\xc3').length()).toEqual({ len: 3, encoded: true });
    expect(() => new RdbReader('\x82').length()).toThrow(RdbFormatError);
    expect(() => new RdbReader('\x80\x00').length()).toThrow(RdbFormatError);
  });
});

describe('rdbEncodeString (rdbSaveRawString)', () => {
  it.each([
    ['-5', '\xc0\xfb'],
    ['127', '\xc0\x7f'],
    ['-128', '\xc0\x80'],
    ['128', '\xc1\x80\x00'],
    ['-32768', '\xc1\x00\x80'],
    ['32768', '\xc2\x00\x80\x00\x00'],
    ['-2147483648', '\xc2\x00\x00\x00\x80'],
    ['2147483648', '\x0a2147483648'],
    ['007', '\x03007'],
    ['-0', '\x02-0'],
    ['', '\x00'],
    ['hello', '\x05hello'],
  ])('%s → Redis 7.0 bytes', (value, bytes) => {
    expect(rdbEncodeString(value, true)).toBe(bytes);
    expect(new RdbReader(bytes).string()).toBe(value);
  });

  it('compresses only over 20 bytes, when LZF saves more than 4 bytes, and with rdbcompression', () => {
    expect(rdbEncodeString('a'.repeat(20), true)).toBe(`\x14${'a'.repeat(20)}`);
    expect(rdbEncodeString('a'.repeat(21), true)).toBe('\xc3\x06\x15\x01aa\xe0\x0a\x00');
    expect(rdbEncodeString('a'.repeat(21), false)).toBe(`\x15${'a'.repeat(21)}`);
    const noise = 'q8#Lz!0pW^r2@Xm&5Tb*9Kd(4Yh)7Nf_1Jc+6Gv=3Se';
    expect(rdbEncodeString(noise, true)).toBe(`\x2b${noise}`);
  });

  it('integer encodings are tried only for strings of up to 11 bytes', () => {
    expect(rdbEncodeInteger(2147483647)).toBe('\xc2\xff\xff\xff\x7f');
    expect(rdbEncodeInteger(2147483648)).toBeNull();
    expect(rdbEncodeString('12345678901', true)).toBe('\x0b12345678901');
  });

  it('round-trips long compressible values', () => {
    const v = `${'0'.repeat(5000)}end`;
    const enc = rdbEncodeString(v, true);
    expect(enc.length).toBeLessThan(200);
    expect(new RdbReader(enc).string()).toBe(v);
  });
});

describe('RdbReader.string errors', () => {
  it.each([
    ['a length past the end', '\x05ab'],
    ['an unknown string encoding', '\xc4ab'],
    ['a corrupt LZF block', '\xc3\x03\x10\xff\xff\xff'],
    ['an LZF block that decompresses short', '\xc3\x06\x16\x01aa\xe0\x0a\x00'],
    ['an impossible LZF expansion', '\xc3\x01\x81\x00\x00\x00\x01\x00\x00\x00\x00x'],
    ['a truncated integer', '\xc2\x01'],
  ])('throws RdbFormatError on %s', (_what, bytes) => {
    expect(() => new RdbReader(bytes).string()).toThrow(RdbFormatError);
  });

  it('accepts an LZF block claiming zero bytes, as lzf_decompress returns 0 == len', () => {
    expect(new RdbReader('\xc3\x01\x00x').string()).toBe('');
  });
});
