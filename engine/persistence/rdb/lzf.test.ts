import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromBytes, toBytes } from '../../protocol/binary';
import { lzfCompress, lzfDecompress } from './lzf';

function roundTrip(input: Uint8Array): Uint8Array {
  const packed = lzfCompress(input, input.length + 64);
  if (packed === null) throw new Error('did not fit');
  const out = new Uint8Array(input.length);
  expect(lzfDecompress(packed, out)).toBe(input.length);
  return out;
}

describe('lzfCompress (liblzf 3.6, HLOG 16, VERY_FAST)', () => {
  // Compressed blocks taken from DUMP payloads of real Redis 7.0.
  it.each([
    ['a'.repeat(21), '\x01aa\xe0\x0a\x00'],
    ['a'.repeat(25), '\x01aa\xe0\x0c\x00\x01aa'],
    ['abc'.repeat(30), '\x03abca\xe0K\x02\x01bc'],
    ['x'.repeat(40), '\x01xx\xe0\x1b\x00\x01xx'],
    [
      'the quick brown fox jumps over the lazy dog, the quick brown fox',
      '\x1fthe quick brown fox jumps over t \x1e\x08lazy dog,`\x0d\xe0\x04,\x01ox',
    ],
  ])('compresses %s exactly as liblzf', (text, expected) => {
    const packed = lzfCompress(toBytes(text), text.length - 4);
    expect(packed && fromBytes(packed)).toBe(expected);
  });

  it('uses long back references (len >= 7) and the 264-byte match limit', () => {
    const packed = lzfCompress(toBytes('x'.repeat(100000)), 99996);
    // Redis 7.0's DUMP of 100000 'x': a literal run, then maximal references.
    expect(packed && fromBytes(packed.subarray(0, 12))).toBe('\x01xx\xe0\xff\x00\xe0\xff\x00\xe0\xff\x00');
  });

  it('gives up (null) when the output would not fit', () => {
    const noise = toBytes('q8#Lz!0pW^r2@Xm&5Tb*9Kd(4Yh)7Nf_1Jc+6Gv=3Se');
    expect(lzfCompress(noise, noise.length - 4)).toBeNull();
    expect(lzfCompress(new Uint8Array(0), 10)).toBeNull();
    expect(lzfCompress(toBytes('abc'), 0)).toBeNull();
  });

  it('handles inputs shorter than a hash window', () => {
    expect(fromBytes(roundTrip(toBytes('a')))).toBe('a');
    expect(fromBytes(roundTrip(toBytes('ab')))).toBe('ab');
    expect(fromBytes(lzfCompress(toBytes('ab'), 10) as Uint8Array)).toBe('\x01ab');
  });

  it('round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.integer({ min: 1, max: 8 }), (bytes, alphabet) => {
        // Small alphabets make repetitive (compressible) data.
        const input = bytes.map((b) => b % (alphabet === 8 ? 256 : alphabet));
        if (input.length === 0) return;
        expect(Array.from(roundTrip(input))).toEqual(Array.from(input));
      }),
      { numRuns: 300 },
    );
  });
});

describe('lzfDecompress', () => {
  it('expands literal runs and overlapping back references', () => {
    const out = new Uint8Array(21);
    expect(lzfDecompress(toBytes('\x01aa\xe0\x0a\x00'), out)).toBe(21);
    expect(fromBytes(out)).toBe('a'.repeat(21));
  });

  it('returns 0 for corrupt or oversized streams', () => {
    // Output buffer too small.
    expect(lzfDecompress(toBytes('\x01aa\xe0\x0a\x00'), new Uint8Array(20))).toBe(0);
    // Literal run longer than the input.
    expect(lzfDecompress(toBytes('\x05ab'), new Uint8Array(10))).toBe(0);
    // Back reference before the start of the output.
    expect(lzfDecompress(toBytes('\x00a\x20\x05'), new Uint8Array(10))).toBe(0);
    // Back reference cut short.
    expect(lzfDecompress(toBytes('\x00a\x20'), new Uint8Array(10))).toBe(0);
    expect(lzfDecompress(toBytes('\x00a\xe0'), new Uint8Array(10))).toBe(0);
  });
});
