import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromBytes } from '../../protocol/binary';
import { listpackBytes } from '../../types/listpack';
import { encodeListpack, ListpackBuilder, ListpackError, readListpackText } from './listpack-codec';

// ---- a reference listpack, straight from the format of src/listpack.c (slow, independent) ----------

/** lpStringToInt64: a canonical decimal (no '+', no leading zero, no "-0") within int64. */
function refInt(s: string): bigint | null {
  if (!/^(0|-?[1-9][0-9]*)$/.test(s)) return null;
  const v = BigInt(s);
  return v >= -(2n ** 63n) && v < 2n ** 63n ? v : null;
}

/** n bytes of v (two's complement), least significant first. */
const le = (v: bigint, n: number): number[] =>
  Array.from({ length: n }, (_, i) => Number((BigInt.asUintN(8 * n, v) >> BigInt(8 * i)) & 0xffn));

const fits = (v: bigint, bits: number): boolean => BigInt.asIntN(bits, v) === v;

/** lpEncodeBacklen: 7 bits a byte, the most significant first, bit 7 set on all but the first byte. */
function refBacklen(l: number): number[] {
  const size = l <= 127 ? 1 : l < 16383 ? 2 : l < 2097151 ? 3 : l < 268435455 ? 4 : 5;
  const out: number[] = [];
  for (let i = size - 1; i >= 0; i--) out.push((Math.floor(l / 128 ** i) % 128) | (i === size - 1 ? 0 : 128));
  return out;
}

/** One entry: LP_ENCODING_* header and data, then its backlen. */
function refEntry(s: string): number[] {
  const v = refInt(s);
  let e: number[];
  if (v === null) {
    const n = s.length;
    const head = n < 64 ? [0x80 | n] : n < 4096 ? [0xe0 | (n >> 8), n & 0xff] : [0xf0, ...le(BigInt(n), 4)];
    e = head.concat(Array.from(s, (ch) => ch.charCodeAt(0)));
  } else if (v >= 0n && v <= 127n) e = [Number(v)];
  else if (fits(v, 13)) {
    const u = Number(BigInt.asUintN(13, v));
    e = [0xc0 | (u >> 8), u & 0xff];
  } else if (fits(v, 16)) e = [0xf1, ...le(v, 2)];
  else if (fits(v, 24)) e = [0xf2, ...le(v, 3)];
  else if (fits(v, 32)) e = [0xf3, ...le(v, 4)];
  else e = [0xf4, ...le(v, 8)];
  return e.concat(refBacklen(e.length));
}

function refEncode(entries: readonly string[]): Uint8Array {
  const body = entries.flatMap(refEntry);
  const total = 6 + body.length + 1;
  return Uint8Array.from([...le(BigInt(total), 4), ...le(BigInt(Math.min(entries.length, 65535)), 2), ...body, 0xff]);
}

/** The entries of a well-formed listpack, or 'error'. */
function refDecode(b: Uint8Array): string[] | 'error' {
  const last = b.length - 1;
  if (b.length < 7 || b[0] + b[1] * 256 + b[2] * 65536 + b[3] * 16777216 !== b.length || b[last] !== 0xff) {
    return 'error';
  }
  const out: string[] = [];
  const uint = (at: number, n: number): bigint => {
    let v = 0n;
    for (let i = n - 1; i >= 0; i--) v = v * 256n + BigInt(b[at + i]);
    return v;
  };
  let p = 6;
  while (p < last) {
    const c = b[p];
    // The entry's header and data sizes from its first byte.
    let head: number;
    let size: number;
    if (c < 0x80) [head, size] = [1, 0];
    else if (c < 0xc0) [head, size] = [1, c & 63];
    else if (c < 0xe0) [head, size] = [2, 0];
    else if (c < 0xf0) [head, size] = [2, ((c & 15) << 8) | b[p + 1]];
    else if (c === 0xf0) {
      if (p + 5 > last) return 'error';
      [head, size] = [5, Number(uint(p + 1, 4))];
    } else if (c <= 0xf4) [head, size] = [1, [2, 3, 4, 8][c - 0xf1]];
    else return 'error';
    const end = p + head + size;
    const back = refBacklen(head + size);
    if (end + back.length > last) return 'error';
    if (back.some((x, i) => b[end + i] !== x)) return 'error';
    if (c < 0x80) out.push(String(c));
    else if (c >= 0xc0 && c < 0xe0) out.push(String(BigInt.asIntN(13, BigInt(((c & 0x1f) << 8) | b[p + 1]))));
    else if (c >= 0xf1) out.push(String(BigInt.asIntN(8 * size, uint(p + 1, size))));
    else out.push(String.fromCharCode(...b.subarray(p + head, end)));
    p = end + back.length;
  }
  const count = b[4] + b[5] * 256;
  return count === 65535 || count === out.length ? out : 'error';
}

// ---- arbitraries ------------------------------------------------------------------------------------

/** Integers of every width, to 64 bits and a little beyond (those stay strings). */
const anyInt = fc
  .integer({ min: 0, max: 65 })
  .chain((bits) => fc.bigInt({ min: -(2n ** BigInt(bits)), max: 2n ** BigInt(bits) }))
  .map(String);
const edges = fc.constantFrom(
  '0',
  '127',
  '128',
  '-4096',
  '4095',
  '-4097',
  '4096',
  '9007199254740993',
  '9223372036854775807',
  '-9223372036854775808',
  '9223372036854775808',
  '-9223372036854775809',
  '-0',
  '007',
  '+1',
  ' 1',
  '-',
  '',
);
/** Digits, signs and spaces: leading zeros, "-0", '+'... that must stay strings. */
const numberLike = fc.stringMatching(/^[-+ 0-9]{1,22}$/);
const binary = fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 90 }).map((a) => String.fromCharCode(...a));
/** Lengths at the 6/12/32-bit header and 1/2/3-byte backlen boundaries (entry sizes 127/128, 16382..16384). */
const long = fc
  .tuple(fc.constantFrom(63, 64, 125, 126, 4095, 4096, 16377, 16378, 16379), fc.integer({ min: 0, max: 255 }))
  .map(([n, c]) => String.fromCharCode(c).repeat(n));
const entry = fc.oneof(
  { arbitrary: anyInt, weight: 4 },
  { arbitrary: edges, weight: 2 },
  { arbitrary: numberLike, weight: 2 },
  { arbitrary: binary, weight: 3 },
  { arbitrary: long, weight: 1 },
);

const read = (b: Uint8Array): string[] => readListpackText(fromBytes(b), 0, b.length);
const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

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

describe('listpack bytes', () => {
  it('encodes every integer width and short strings byte for byte as Redis 7.0, and reads them back', () => {
    expect(hex(encodeListpack(ELEMENTS))).toBe(REDIS_BYTES);
    const bytes = Uint8Array.from(REDIS_BYTES.match(/../g) as string[], (h) => Number.parseInt(h, 16));
    expect(read(bytes)).toEqual(ELEMENTS);
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
    expect(read(b)).toEqual(three);
    // Redis: 5000 w → f0 88 13 00 00 ... 27 8d; total 5014 bytes.
    const big = encodeListpack(['w'.repeat(5000)]);
    expect(big.length).toBe(5014);
    expect(hex(big.subarray(0, 11))).toBe('961300000100f088130000');
    expect(hex(big.subarray(big.length - 3))).toBe('278dff');
  });

  it('writes the bytes of the format for any entries, of the size listpackBytes says, and reads them back', () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 30 }), (entries) => {
        const bytes = encodeListpack(entries);
        expect(hex(bytes)).toBe(hex(refEncode(entries)));
        expect(read(bytes)).toEqual(entries);
        // The sizes the in-memory types decide conversions by are the encoder's.
        expect(listpackBytes(entries)).toBe(bytes.length);
      }),
      { numRuns: 600 },
    );
  });

  it('gives a 4-byte backlen to entries of 2097151 bytes and more (listpack.c compares with <)', () => {
    // A 32-bit string header (5 bytes) + n bytes: entries of 2097150 and 2097151 bytes.
    for (const [n, backlen] of [
      [2097145, 3],
      [2097146, 4],
    ]) {
      const s = 'k'.repeat(n);
      const bytes = encodeListpack([s]);
      expect(bytes.length).toBe(6 + 5 + n + backlen + 1);
      expect(hex(bytes.subarray(bytes.length - 6))).toBe(hex(refEncode([s]).subarray(bytes.length - 6)));
      expect(read(bytes)).toEqual([s]);
    }
  });

  it('writes integers given as numbers (the builder’s int) like their decimal strings', () => {
    const b = new ListpackBuilder();
    fc.assert(
      fc.property(fc.maxSafeInteger(), fc.integer({ min: -70000, max: 70000 }), (big, small) => {
        for (const v of [big, small]) {
          b.begin();
          b.int(v);
          expect(hex(b.buf.slice(0, b.end()))).toBe(hex(refEncode([String(v)])));
        }
      }),
    );
  });

  it('reuses its scratch: a small listpack after a large one has only its own bytes', () => {
    const b = new ListpackBuilder();
    b.begin();
    b.add('v'.repeat(100_000));
    expect(b.end()).toBe(100_000 + 5 + 3 + 7);
    b.begin();
    b.add('ab');
    b.add('-7');
    expect(hex(b.buf.slice(0, b.end()))).toBe(hex(refEncode(['ab', '-7'])));
  });

  it('saturates the element count at 65535, and reads such a listpack to its end', () => {
    const entries = Array.from({ length: 70000 }, (_, i) => String((i % 300) - 150));
    const bytes = encodeListpack(entries);
    expect(bytes[4] | (bytes[5] << 8)).toBe(65535);
    expect(read(bytes)).toEqual(entries);
  });

  it('reads a listpack in place inside a larger string, as from a file', () => {
    const bytes = encodeListpack(ELEMENTS);
    expect(readListpackText(`pre${fromBytes(bytes)}\u00ff\u0001post`, 3, 3 + bytes.length)).toEqual(ELEMENTS);
  });

  it('refuses exactly the corrupt listpacks the format refuses, with a ListpackError', () => {
    let refused = 0;
    let runs = 0;
    const damage = fc.array(fc.tuple(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), fc.nat(255)), {
      minLength: 1,
      maxLength: 3,
    });
    fc.assert(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 6 }), damage, (entries, hits) => {
        const bytes = encodeListpack(entries.map((e) => e.slice(0, 200)));
        for (const [at, v] of hits) bytes[Math.floor(at * bytes.length)] = v;
        const want = refDecode(bytes);
        let got: string[] | 'error';
        try {
          // Bytes after the end, as in a file: the reader must stop at its own end.
          got = readListpackText(`${fromBytes(bytes)}\u00ff\u0001`, 0, bytes.length);
        } catch (err) {
          expect(err).toBeInstanceOf(ListpackError);
          got = 'error';
        }
        expect(got).toEqual(want);
        runs++;
        if (got === 'error') refused++;
      }),
      { numRuns: 3000 },
    );
    expect(refused).toBeGreaterThan(runs / 4);
  });

  it('says what is wrong with a corrupt listpack', () => {
    // 0e000000 0200 | 83 'abc' 04 | 0c 01 | ff
    const good = encodeListpack(['abc', '12']);
    const broken = (edit: (b: Uint8Array) => void): string => {
      const b = good.slice();
      edit(b);
      return fromBytes(b);
    };
    const why = (s: string) => () => readListpackText(s, 0, s.length);
    expect(why(fromBytes(good).slice(0, 6))).toThrow('invalid listpack: too short');
    expect(why(broken((b) => (b[0] = 99)))).toThrow('invalid listpack: total bytes mismatch');
    expect(why(broken((b) => (b[6] = 0xf5)))).toThrow('invalid listpack: unknown encoding byte 0xf5');
    expect(why(broken((b) => (b[6] = 0xbf)))).toThrow('invalid listpack: entry overflows');
    expect(why(broken((b) => (b[10] = 5)))).toThrow('invalid listpack: backlen mismatch');
    expect(why(broken((b) => (b[10] = 0x84)))).toThrow('invalid listpack: bad backlen');
    expect(why(broken((b) => (b[b.length - 1] = 0)))).toThrow('invalid listpack: missing end byte');
    expect(why(broken((b) => (b[4] = 3)))).toThrow('invalid listpack: element count mismatch');
    // A 200-byte string: e0 c8 ... then backlen 01 ca (202 = 1*128 + 74).
    const long = encodeListpack(['z'.repeat(200)]);
    long[6 + 202 + 1] = 0xcb;
    expect(why(fromBytes(long))).toThrow('invalid listpack: backlen mismatch');
    long[6 + 202 + 1] = 0x4a;
    expect(why(fromBytes(long))).toThrow('invalid listpack: bad backlen');
  });
});
