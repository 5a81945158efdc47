import { describe, expect, it } from 'vitest';
import {
  estimate,
  estimateRaw,
  HLL_DENSE,
  HLL_DENSE_SIZE,
  HLL_REGISTERS,
  HLL_SPARSE,
  Hll,
  describeHll,
  isHllString,
  murmurHash64A,
  patLen,
} from './hll';

const hex = ([hi, lo]: [number, number]) => hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');

/** The 64-bit reference computation with BigInt, as hyperloglog.c writes it. */
function murmurRef(s: string): bigint {
  const m = 0xc6a4a7935bd1e995n;
  const mask = (1n << 64n) - 1n;
  const len = s.length;
  let h = (0xadc83b19n ^ (BigInt(len) * m)) & mask;
  const blocks = len - (len & 7);
  for (let i = 0; i < blocks; i += 8) {
    let k = 0n;
    for (let b = 7; b >= 0; b--) k = (k << 8n) | BigInt(s.charCodeAt(i + b));
    k = (k * m) & mask;
    k ^= k >> 47n;
    k = (k * m) & mask;
    h ^= k;
    h = (h * m) & mask;
  }
  const rem = len & 7;
  if (rem) {
    for (let b = rem - 1; b >= 0; b--) h ^= BigInt(s.charCodeAt(blocks + b)) << BigInt(8 * b);
    h = (h * m) & mask;
  }
  h ^= h >> 47n;
  h = (h * m) & mask;
  h ^= h >> 47n;
  return h;
}

describe('MurmurHash64A', () => {
  it('matches the C implementation on reference vectors (seed 0xadc83b19)', () => {
    // Computed with hyperloglog.c's MurmurHash64A compiled by gcc on x86-64.
    const vectors: [string, string][] = [
      ['', 'd8dfea6585bc9732'],
      ['a', '53d2470a9b43b1a7'],
      ['foo', 'e64609b8b0141cb4'],
      ['hello', '0f656f01eecfe400'],
      ['1234567', '85563db163632857'],
      ['12345678', '95ebb86389132953'],
      ['123456789', '217532cb09f2a44d'],
      ['redis-lab-hyperloglog', '776976cdaad1e9a7'],
      ['\xff\x00\x80zz', '21c6a3305b74914c'],
    ];
    for (const [input, expected] of vectors) expect(hex(murmurHash64A(input))).toBe(expected);
  });

  it('agrees with a 64-bit BigInt computation on every length and byte value', () => {
    for (let len = 0; len < 40; len++) {
      let s = '';
      for (let i = 0; i < len; i++) s += String.fromCharCode((i * 37 + len * 11) & 0xff);
      expect(hex(murmurHash64A(s))).toBe(murmurRef(s).toString(16).padStart(16, '0'));
    }
  });
});

describe('hllPatLen', () => {
  it('takes the register from the low 14 bits and counts the zero run after them', () => {
    for (const ele of ['a', 'foo', 'hello', 'x'.repeat(100)]) {
      const h = murmurRef(ele);
      const { index, count } = patLen(ele);
      expect(index).toBe(Number(h & 16383n));
      let rest = (h >> 14n) | (1n << 50n);
      let expected = 1;
      while ((rest & 1n) === 0n) {
        expected++;
        rest >>= 1n;
      }
      expect(count).toBe(expected);
    }
  });
});

describe('dense registers', () => {
  it('stores 6-bit registers without disturbing their neighbours', () => {
    const h = Hll.fromString(`HYLL${'\0'.repeat(HLL_DENSE_SIZE - 4)}`);
    const values = Array.from({ length: HLL_REGISTERS }, (_, i) => (i * 7 + (i >> 3)) & 63);
    for (let i = 0; i < HLL_REGISTERS; i++) h.setRegister(i, values[i]);
    for (let i = 0; i < HLL_REGISTERS; i++) expect(h.getRegister(i)).toBe(values[i]);
    // Register 1 spans the top 2 bits of byte 0 and the low 4 bits of byte 1 (LSB first).
    const g = Hll.fromString(`HYLL${'\0'.repeat(HLL_DENSE_SIZE - 4)}`);
    g.setRegister(1, 0b111111);
    expect(g.p[16]).toBe(0b11000000);
    expect(g.p[17]).toBe(0b00001111);
    expect(g.getRegister(0)).toBe(0);
    expect(g.getRegister(2)).toBe(0);
  });
});

describe('sparse representation', () => {
  it('starts as one XZERO covering every register, with the HYLL header', () => {
    const h = Hll.create();
    expect(h.toString()).toBe('HYLL\x01\0\0\0\0\0\0\0\0\0\0\0\x7f\xff');
    expect(h.sparseOps()).toEqual([{ op: 'XZERO', len: 16384 }]);
    expect(isHllString(h.toString())).toBe(true);
  });

  it('splits a run around a set register and merges equal neighbours', () => {
    const h = Hll.create();
    expect(h.sparseSet(100, 3, 3000)).toBe(1);
    expect(h.sparseOps()).toEqual([
      { op: 'XZERO', len: 100 },
      { op: 'VAL', value: 3, len: 1 },
      { op: 'XZERO', len: 16283 },
    ]);
    expect(h.sparseSet(100, 2, 3000)).toBe(0);
    expect(h.sparseSet(101, 3, 3000)).toBe(1);
    expect(h.sparseOps()).toEqual([
      { op: 'XZERO', len: 100 },
      { op: 'VAL', value: 3, len: 2 },
      { op: 'XZERO', len: 16282 },
    ]);
    // Short zero runs use the one-byte ZERO opcode.
    h.sparseSet(110, 1, 3000);
    expect(h.sparseOps().slice(2, 4)).toEqual([
      { op: 'ZERO', len: 8 },
      { op: 'VAL', value: 1, len: 1 },
    ]);
    expect(h.cacheValid).toBe(false);
  });

  it('promotes to dense for values above 32 and past the byte limit', () => {
    const big = Hll.create();
    expect(big.sparseSet(5, 33, 3000)).toBe(1);
    expect(big.encoding).toBe(HLL_DENSE);
    expect(big.len).toBe(HLL_DENSE_SIZE);
    expect(big.getRegister(5)).toBe(33);
    const tight = Hll.create();
    tight.sparseSet(1000, 1, 22);
    expect(tight.encoding).toBe(HLL_SPARSE);
    tight.sparseSet(5000, 1, 22);
    expect(tight.encoding).toBe(HLL_DENSE);
    expect([tight.getRegister(1000), tight.getRegister(5000), tight.getRegister(5001)]).toEqual([1, 1, 0]);
  });

  it('reports corrupt opcode streams', () => {
    const short = Hll.fromString('HYLL\x01\0\0\0\0\0\0\0\0\0\0\x80\x40\x10');
    expect(short.sparseSet(10000, 1, 3000)).toBe(-1);
    expect(short.toDense()).toBe(false);
    expect(short.histogram().invalid).toBe(true);
    expect(short.mergeInto(new Uint8Array(HLL_REGISTERS))).toBe(false);
  });

  it('agrees with the dense form on registers and estimates', () => {
    const sparse = Hll.create();
    const dense = Hll.fromString(`HYLL${'\0'.repeat(HLL_DENSE_SIZE - 4)}`);
    for (let i = 0; i < 500; i++) {
      sparse.add(`element:${i}`, 3000);
      dense.add(`element:${i}`, 3000);
    }
    expect(sparse.encoding).toBe(HLL_SPARSE);
    const a = new Uint8Array(HLL_REGISTERS);
    const b = new Uint8Array(HLL_REGISTERS);
    sparse.mergeInto(a);
    dense.mergeInto(b);
    expect(a).toEqual(b);
    expect(estimate(sparse.histogram().histo)).toBe(estimate(dense.histogram().histo));
    expect(estimateRaw(a)).toBe(estimate(dense.histogram().histo));
  });
});

describe('cardinality estimate', () => {
  it('is 0 for an empty HLL and close to the truth for larger sets', () => {
    expect(estimate(Hll.create().histogram().histo)).toBe(0);
    const h = Hll.create();
    for (let i = 0; i < 20000; i++) h.add(`k${i}`, 3000);
    const card = estimate(h.histogram().histo);
    expect(Math.abs(card - 20000)).toBeLessThan(20000 * 0.05);
  });

  it('keeps the cached cardinality little endian with the invalid bit in the last byte', () => {
    const h = Hll.create();
    h.cachedCard = 0x0102030405n;
    expect(Array.from(h.p.subarray(8, 16))).toEqual([5, 4, 3, 2, 1, 0, 0, 0]);
    expect(h.cacheValid).toBe(true);
    h.invalidateCache();
    expect(h.cacheValid).toBe(false);
    expect(h.p[15]).toBe(0x80);
  });
});

describe('describeHll', () => {
  it('snapshots the encoding, the cache and the opcodes or registers', () => {
    const h = Hll.create();
    h.sparseSet(3, 2, 3000);
    expect(describeHll(h.toString())).toEqual({
      encoding: 'sparse',
      bytes: 20,
      cacheValid: false,
      cachedCard: 0,
      ops: [
        { op: 'ZERO', len: 3 },
        { op: 'VAL', value: 2, len: 1 },
        { op: 'XZERO', len: 16380 },
      ],
    });
    h.toDense();
    const d = describeHll(h.toString());
    expect(d?.encoding).toBe('dense');
    expect(d?.encoding === 'dense' && d.registers.slice(0, 5)).toEqual([0, 0, 0, 2, 0]);
    expect(describeHll('not an hll')).toBeNull();
  });
});
