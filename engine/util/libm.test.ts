import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import vectors from '../../tests/fixtures/libm/vectors.json';
import { createRandom } from '../random';
import { asin, cos, libmStats, PIO2_1, PIO2_2, PIO2_3, PIO2_HI, PIO2_LO, sin } from './libm';
import { exactAsin, exactCos, exactSin, piFixed, roundFixed, toFixed } from './libm-exact';

const F64 = new Float64Array(1);
const U64 = new BigUint64Array(F64.buffer);
const fromHex = (h: string): number => {
  U64[0] = BigInt(`0x${h}`);
  return F64[0];
};
const bitsOf = (x: number): bigint => {
  F64[0] = x;
  return U64[0];
};
/** Distance in units in the last place between two finite doubles of the same sign. */
const ulps = (a: number, b: number): number => Number(bitsOf(Math.abs(a)) - bitsOf(Math.abs(b)));

type Fn = (x: number) => number;
const FNS: Record<'sin' | 'cos' | 'asin', [fast: Fn, exact: Fn]> = {
  sin: [sin, exactSin],
  cos: [cos, exactCos],
  asin: [asin, exactAsin],
};

describe('libm against correctly rounded vectors (mpmath, tests/fixtures/libm/gen.py)', () => {
  for (const name of ['sin', 'cos', 'asin'] as const) {
    const list = vectors[name];
    it(`${name}: every one of ${list.length} results is the correctly rounded double`, () => {
      expect(list.length).toBeGreaterThan(1000);
      const [fast, exact] = FNS[name];
      const wrong: string[] = [];
      for (const entry of list) {
        const [xh, yh] = entry.split(':');
        const x = fromHex(xh);
        const want = fromHex(yh);
        if (!Object.is(fast(x), want)) wrong.push(`${name}(${x}) = ${fast(x)}, want ${want}`);
        if (!Object.is(exact(x), want)) wrong.push(`exact ${name}(${x}) = ${exact(x)}, want ${want}`);
      }
      expect(wrong).toEqual([]);
    });
  }

  it('include values where V8 Math.sin/cos/asin are not correctly rounded', () => {
    let differs = 0;
    for (const name of ['sin', 'cos', 'asin'] as const) {
      const m = name === 'sin' ? Math.sin : name === 'cos' ? Math.cos : Math.asin;
      for (const entry of vectors[name]) {
        const [xh, yh] = entry.split(':');
        if (!Object.is(m(fromHex(xh)), fromHex(yh))) differs++;
      }
    }
    expect(differs).toBeGreaterThan(50);
  });
});

describe('libm special cases', () => {
  it('keeps signed zeros, and turns NaN and infinities into NaN', () => {
    expect(Object.is(sin(0), 0)).toBe(true);
    expect(Object.is(sin(-0), -0)).toBe(true);
    expect(Object.is(asin(-0), -0)).toBe(true);
    expect(cos(0)).toBe(1);
    expect(cos(-0)).toBe(1);
    for (const f of [sin, cos, asin, exactSin, exactCos, exactAsin]) {
      expect(f(Number.NaN)).toBeNaN();
      expect(f(Number.POSITIVE_INFINITY)).toBeNaN();
      expect(f(Number.NEGATIVE_INFINITY)).toBeNaN();
    }
  });

  it('asin is ±π/2 rounded at ±1 and NaN outside [-1, 1]', () => {
    expect(asin(1)).toBe(1.5707963267948966);
    expect(asin(-1)).toBe(-1.5707963267948966);
    expect(asin(1 + 2 ** -52)).toBeNaN();
    expect(asin(-1.5)).toBeNaN();
  });

  it('returns tiny arguments themselves (sin, asin) or 1 (cos), down to denormals', () => {
    for (const x of [2 ** -27, -(2 ** -27), 1e-10, 2 ** -1022, 5e-324, -5e-324]) {
      expect(sin(x)).toBe(x);
      expect(asin(x)).toBe(x);
      expect(cos(x)).toBe(1);
    }
    // Just above the threshold the correction shows: sin(x) < x.
    expect(sin(2 ** -20)).toBeLessThan(2 ** -20);
  });

  it('reduces huge arguments exactly', () => {
    // 6381956970095103·2^797 is within 2^-61 of a multiple of π/2: cos(x) ≈ ±4.68e-19.
    const x = 6381956970095103 * 2 ** 797;
    expect(Math.abs(cos(x))).toBeLessThan(1e-18);
    expect(cos(x)).toBe(exactCos(x));
    expect(sin(1e22)).toBe(-0.8522008497671888);
    expect(sin(Number.MAX_VALUE)).toBe(0.004961954789184062);
  });
});

describe('libm constants', () => {
  it('splits π/2 as the comments say', () => {
    const bits = 400;
    const halfPi = piFixed(bits - 1);
    // A1 and A2 have 33 significant bits: multiples of 2^-32 and 2^-66.
    expect(Number.isInteger(PIO2_1 * 2 ** 32)).toBe(true);
    expect(Number.isInteger(PIO2_2 * 2 ** 66)).toBe(true);
    expect(PIO2_2).toBeLessThan(2 ** -33);
    const rest = halfPi - toFixed(PIO2_1, bits) - toFixed(PIO2_2, bits);
    expect(roundFixed(rest, bits)).toBe(PIO2_3);
    const err = rest - toFixed(PIO2_3, bits);
    expect(err < 0n ? -err : err).toBeLessThan(1n << BigInt(bits - 122));
    expect(roundFixed(halfPi, bits)).toBe(PIO2_HI);
    expect(roundFixed(halfPi - toFixed(PIO2_HI, bits), bits)).toBe(PIO2_LO);
  });

  it('computes π to the bit', () => {
    expect(roundFixed(piFixed(200), 200)).toBe(Math.PI);
    // π = 3.243F6A8885A308D313198A2E037073... in hex.
    expect((piFixed(124) >> 4n).toString(16)).toBe('3243f6a8885a308d313198a2e037073');
  });
});

describe('libm fast path against the exact evaluation', () => {
  const rnd = createRandom(271828);
  const uniform = (lo: number, hi: number) => lo + (hi - lo) * rnd.next();
  const cases: [string, Fn, Fn, () => number][] = [
    ['sin on geo radians', sin, exactSin, () => uniform(-Math.PI, Math.PI)],
    ['cos on geo radians', cos, exactCos, () => uniform(-1.5, 1.5)],
    ['sin of large arguments', sin, exactSin, () => uniform(-1e6, 1e6)],
    ['sin of small arguments', sin, exactSin, () => uniform(-1, 1) * 2 ** -uniform(0, 26)],
    ['asin on [-1, 1]', asin, exactAsin, () => uniform(-1, 1)],
    ['asin near 1', asin, exactAsin, () => 1 - 2 ** -uniform(1, 53)],
  ];
  for (const [name, fast, exact, gen] of cases) {
    it(`${name}: same result on 1500 random inputs`, () => {
      const wrong: string[] = [];
      for (let i = 0; i < 1500; i++) {
        const x = gen();
        if (!Object.is(fast(x), exact(x))) wrong.push(`${x}: ${fast(x)} vs ${exact(x)}`);
      }
      expect(wrong).toEqual([]);
    });
  }

  it('hands undecided roundings to the exact evaluation', () => {
    // sin(π) ≈ 1.22e-16: the reduction's absolute error is too large for the fast path to round it.
    const before = libmStats.slowCalls;
    expect(sin(Math.PI)).toBe(1.2246467991473532e-16);
    expect(libmStats.slowCalls).toBe(before + 1);
  });

  it('decides nearly every call on the fast path', () => {
    const before = libmStats.slowCalls;
    for (let i = 0; i < 20000; i++) {
      sin(uniform(-4, 4));
      cos(uniform(-4, 4));
      asin(uniform(-1, 1));
    }
    expect(libmStats.slowCalls - before).toBeLessThan(30);
  });
});

describe('libm properties', () => {
  const near = (f: Fn, m: Fn, lo: number, hi: number) =>
    fc.assert(
      fc.property(fc.double({ min: lo, max: hi, noNaN: true }), (x) => {
        const a = f(x);
        const b = m(x);
        return Object.is(a, b) || (Math.sign(a) === Math.sign(b) && Math.abs(ulps(a, b)) <= 1);
      }),
      { numRuns: 3000 },
    );

  it('stays within one ulp of V8 Math.sin, Math.cos and Math.asin', () => {
    near(sin, Math.sin, -10, 10);
    near(cos, Math.cos, -10, 10);
    near(asin, Math.asin, -1, 1);
  });

  it('is odd (sin, asin) or even (cos)', () => {
    fc.assert(
      fc.property(fc.double({ min: -7, max: 7, noNaN: true }), (x) => {
        return Object.is(sin(-x), -sin(x)) && cos(-x) === cos(x) && (Math.abs(x) > 1 || Object.is(asin(-x), -asin(x)));
      }),
      { numRuns: 2000 },
    );
  });

  const monotonic = (f: Fn, lo: number, hi: number, sign: 1 | -1) =>
    fc.assert(
      fc.property(fc.double({ min: lo, max: hi, noNaN: true }), fc.integer({ min: 1, max: 1 << 20 }), (x, steps) => {
        // y a few ulps (or more) above x
        F64[0] = x;
        const y = x >= 0 ? fromHex((U64[0] + BigInt(steps)).toString(16)) : x / (1 + steps * 2 ** -52);
        if (!(y > x) || y > hi) return true;
        return sign > 0 ? f(x) <= f(y) : f(x) >= f(y);
      }),
      { numRuns: 3000 },
    );

  it('is monotonic where the function is', () => {
    monotonic(sin, -Math.PI / 2, Math.PI / 2, 1);
    monotonic(cos, 0, Math.PI, -1);
    monotonic(asin, -1, 1, 1);
  });
});
