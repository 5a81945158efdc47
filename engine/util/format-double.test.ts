import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatG } from './format-double';

/**
 * Reference %.<p>g from the exact decimal expansion of the double (BigInt), rounded half to even
 * as glibc's printf does: slow and independent of formatG's toExponential-based path.
 */
function referenceG(d: number, p: number): string {
  if (Number.isNaN(d)) return 'nan';
  if (!Number.isFinite(d)) return d > 0 ? 'inf' : '-inf';
  if (d === 0) return Object.is(d, -0) ? '-0' : '0';
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(d));
  const raw = view.getBigUint64(0);
  const biased = Number(raw >> 52n);
  const frac = raw & ((1n << 52n) - 1n);
  const m = biased === 0 ? frac : frac | (1n << 52n);
  const e = biased === 0 ? -1074 : biased - 1075;
  // |d| = n / 10^scale exactly
  const n = e >= 0 ? m << BigInt(e) : m * 5n ** BigInt(-e);
  const scale = e >= 0 ? 0 : -e;
  let digits = n.toString();
  let exp = digits.length - 1 - scale;
  if (digits.length > p) {
    let head = BigInt(digits.slice(0, p));
    const rest = digits.slice(p);
    const half = `5${'0'.repeat(rest.length - 1)}`;
    if (rest > half || (rest === half && head % 2n === 1n)) head += 1n;
    digits = head.toString();
    if (digits.length > p) {
      digits = digits.slice(0, p);
      exp += 1;
    }
  } else digits = digits.padEnd(p, '0');
  const strip = (s: string) => s.replace(/0+$/, '');
  const sign = d < 0 ? '-' : '';
  if (exp < -4 || exp >= p) {
    const f = strip(digits.slice(1));
    const a = Math.abs(exp);
    return `${sign}${digits[0]}${f ? `.${f}` : ''}e${exp < 0 ? '-' : '+'}${a < 10 ? `0${a}` : a}`;
  }
  const int = exp >= 0 ? digits.slice(0, exp + 1) : '0';
  const f = strip(exp >= 0 ? digits.slice(exp + 1) : '0'.repeat(-exp - 1) + digits);
  return `${sign}${int}${f ? `.${f}` : ''}`;
}

describe('formatG (printf %.17g)', () => {
  it.each([
    [0.1, '0.10000000000000001'],
    [1, '1'],
    [-2.5, '-2.5'],
    [1e17, '1e+17'],
    [12345678901234568, '12345678901234568'],
    [1e-5, '1.0000000000000001e-05'],
    [0.0001, '0.0001'],
    [Infinity, 'inf'],
    [-Infinity, '-inf'],
    [0, '0'],
    [-0, '-0'],
    [0.3, '0.29999999999999999'],
    [1e21, '1e+21'],
    [1e16, '10000000000000000'],
    [2 ** 56 + 16, '72057594037927952'],
    [5e-324, '4.9406564584124654e-324'],
    [2.2250738585072014e-308, '2.2250738585072014e-308'],
  ])('%d → %s', (d, s) => {
    expect(formatG(d)).toBe(s);
  });

  it('rounds an exact tie at the 17th digit to even, as glibc (not away from zero, as JS)', () => {
    // 1e15 + 0.25 and 1e15 + 0.75 are exact doubles with 18 significant digits ending in 5.
    expect(formatG(1e15 + 0.25)).toBe('1000000000000000.2');
    expect(formatG(-(1e15 + 0.25))).toBe('-1000000000000000.2');
    expect(formatG(1e15 + 0.75)).toBe('1000000000000000.8');
    // %.14g (Lua's number format): 1e14 + 5 is a tie between 1e14 and 1.0000000000001e14.
    expect(formatG(100000000000005, 14)).toBe('1e+14');
    expect(formatG(100000000000015, 14)).toBe('1.0000000000002e+14');
  });

  it('matches the exact-decimal reference for any double, at precisions 17, 14, 6 and 1', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), fc.constantFrom(17, 14, 6, 1), (d, p) => {
        expect(formatG(d, p)).toBe(referenceG(d, p));
      }),
      { numRuns: 20_000 },
    );
  });

  it('matches the reference in fixed notation (0.0001 up to 10^p), where toPrecision gives the digits', () => {
    // A mantissa in [1, 10) times 10^-4 .. 10^17, either sign: every fixed-notation exponent, and the
    // values just below a power of ten that round up to it.
    const fixed = fc
      .tuple(
        fc.double({ min: 1, max: 10, maxExcluded: true, noNaN: true }),
        fc.integer({ min: -5, max: 17 }),
        fc.boolean(),
      )
      .map(([m, k, neg]) => (neg ? -m : m) * 10 ** k);
    fc.assert(
      fc.property(fixed, fc.constantFrom(17, 16, 14, 6, 1), (d, p) => {
        expect(formatG(d, p)).toBe(referenceG(d, p));
      }),
      { numRuns: 20_000 },
    );
    for (const d of [1e-4, 9.999999999999999e-5, 0.00010000000000000009, 99999.95, 999999.5, 1e17, 99999999999999980]) {
      for (const p of [17, 14, 6, 1]) expect(formatG(d, p)).toBe(referenceG(d, p));
    }
    expect(formatG(99999999999999.98)).toBe('99999999999999.984');
    expect(formatG(9.9999999e5, 6)).toBe('1e+06');
  });

  it('matches the reference for dyadic values with few fractional bits, where ties happen', () => {
    const dyadic = fc
      .tuple(fc.bigInt({ min: -(2n ** 53n), max: 2n ** 53n }), fc.integer({ min: 0, max: 30 }))
      .map(([n, k]) => Number(n) / 2 ** k);
    fc.assert(
      fc.property(dyadic, fc.constantFrom(17, 16, 14, 6), (d, p) => {
        expect(formatG(d, p)).toBe(referenceG(d, p));
      }),
      { numRuns: 20_000 },
    );
  });

  it('matches the reference for decimal ties d.ddd5 x 10^q that are exact doubles', () => {
    // (p+1)-digit decimals ending in 5 scaled by a power of ten: exact ties whenever representable.
    const ties = fc
      .tuple(fc.bigInt({ min: 1n, max: 10n ** 17n }), fc.integer({ min: -25, max: 5 }))
      .map(([n, q]) => Number(`${n * 10n + 5n}e${q}`));
    fc.assert(
      fc.property(ties, fc.constantFrom(17, 14), (d, p) => {
        expect(formatG(d, p)).toBe(referenceG(d, p));
      }),
      { numRuns: 20_000 },
    );
  });
});
