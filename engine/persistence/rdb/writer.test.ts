import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromBytes, toBytes } from '../../protocol/binary';
import { lzfCompress } from './lzf';
import { RdbReader, rdbEncodeLength, rdbEncodeString } from './string-value';
import { ByteWriter } from './writer';

const written = (f: (w: ByteWriter) => void): string => {
  const w = new ByteWriter(4); // tiny, so every write also exercises growing the buffer
  f(w);
  return fromBytes(w.result());
};

const binary = fc.uint8Array({ maxLength: 300 }).map((b) => fromBytes(b));
const compressible = fc
  .tuple(fc.constantFrom('ab', 'xyz', 'hello ', '\x00\xff'), fc.integer({ min: 5, max: 200 }), binary)
  .map(([unit, n, tail]) => unit.repeat(n) + tail);
const intLike = fc.oneof(
  fc.integer({ min: -2147483649, max: 2147483648 }).map(String),
  fc.constantFrom('0', '-0', '007', '+1', '-', '', '9223372036854775807', '-2147483648', '32767', '-32769'),
);

describe('ByteWriter (rdbSaveLen / rdbSaveRawString into one byte buffer)', () => {
  it('writes lengths exactly as rdbEncodeLength', () => {
    for (const n of [0, 63, 64, 16383, 16384, 0xffffffff, 0x100000000, 2 ** 53 - 1]) {
      expect(written((w) => w.length(n))).toBe(rdbEncodeLength(n));
    }
  });

  it('writes strings exactly as rdbEncodeString, with and without compression', () => {
    fc.assert(
      fc.property(fc.oneof(binary, compressible, intLike), fc.boolean(), (s, compress) => {
        expect(written((w) => w.string(s, compress))).toBe(rdbEncodeString(s, compress));
      }),
      { numRuns: 500 },
    );
  });

  it('writes byte blobs exactly as rdbEncodeString of the same bytes', () => {
    fc.assert(
      fc.property(fc.oneof(binary, compressible, intLike), fc.boolean(), (s, compress) => {
        expect(written((w) => w.blob(toBytes(s), compress))).toBe(rdbEncodeString(s, compress));
      }),
      { numRuns: 500 },
    );
  });

  it('writes binary doubles and 64-bit integers little endian', () => {
    expect(written((w) => w.double(1.5))).toBe('\x00\x00\x00\x00\x00\x00\xf8\x3f');
    expect(written((w) => w.int64(0x0102030405))).toBe('\x05\x04\x03\x02\x01\x00\x00\x00');
    expect(written((w) => w.int64(-2))).toBe('\xfe\xff\xff\xff\xff\xff\xff\xff');
    expect(written((w) => w.int64(2 ** 60))).toBe('\x00\x00\x00\x00\x00\x00\x00\x10');
  });
});

describe('RdbReader.blob', () => {
  it('reads plain, LZF and integer-encoded strings as bytes, with or without the file bytes', () => {
    fc.assert(
      fc.property(fc.oneof(binary, compressible, intLike), (s) => {
        const stored = `${rdbEncodeString(s, true)}rest`;
        for (const file of [null, toBytes(stored)]) {
          const r = new RdbReader(stored, file);
          expect(fromBytes(r.blob())).toBe(new RdbReader(stored).string());
          expect(r.pos).toBe(stored.length - 4);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('lzfCompress between calls', () => {
  it('gives the same output for an input whatever was compressed before (no stale table slots)', () => {
    const input = toBytes(`${'abcdefgh'.repeat(20)}${'0123'.repeat(30)}`);
    const first = lzfCompress(input, input.length - 4);
    fc.assert(
      fc.property(fc.array(fc.oneof(compressible, binary), { maxLength: 20 }), (before) => {
        for (const s of before) if (s.length > 0) lzfCompress(toBytes(s), s.length + 64);
        expect(lzfCompress(input, input.length - 4)).toEqual(first);
      }),
      { numRuns: 200 },
    );
  });
});
