// Exact sin, cos and asin of a double: BigInt fixed-point arithmetic carried to hundreds of bits,
// then rounded once to the nearest double (Ziv's loop: more bits until the rounding is certain).
// The slow, always-right path behind engine/util/libm.ts, and the source of its sin/cos table.
// Written from the series and identities below, not from any libm's code.

/** A fixed-point number: the real value is v / 2^bits. */
type Fixed = bigint;

const F64 = new Float64Array(1);
const U64 = new BigUint64Array(F64.buffer);

/** A finite nonzero double as m·2^e with m an integer (|m| < 2^53). */
function decompose(x: number): [m: bigint, e: number] {
  F64[0] = x;
  const bits = U64[0];
  const biased = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & 0xfffffffffffffn;
  const m = biased === 0 ? frac : frac | (1n << 52n);
  const e = (biased === 0 ? 1 : biased) - 1075;
  return [x < 0 ? -m : m, e];
}

/** The double x as a fixed-point number with `bits` fraction bits (exact when x is a multiple of 2^-bits). */
export function toFixed(x: number, bits: number): Fixed {
  if (x === 0) return 0n;
  const [m, e] = decompose(x);
  const s = e + bits;
  return s >= 0 ? m << BigInt(s) : m >> BigInt(-s);
}

/** The number of bits of n ≥ 0. */
function bitLength(n: bigint): number {
  if (n === 0n) return 0;
  const hex = n.toString(16);
  return (hex.length - 1) * 4 + (32 - Math.clz32(Number.parseInt(hex[0], 16)));
}

/** m·2^e for a small integer-valued double m, in steps so that 2^e itself never under- or overflows. */
function scale2(m: number, e: number): number {
  let v = m;
  while (e > 1000) {
    v *= 2 ** 1000;
    e -= 1000;
  }
  while (e < -1000) {
    v *= 2 ** -1000;
    e += 1000;
  }
  return v * 2 ** e;
}

/** The double nearest to v / 2^bits (ties to even). Our results are never subnormal. */
export function roundFixed(v: Fixed, bits: number): number {
  if (v === 0n) return 0;
  const neg = v < 0n;
  const a = neg ? -v : v;
  const len = bitLength(a);
  let m: bigint;
  let shift = 0;
  if (len <= 53) m = a;
  else {
    shift = len - 53;
    const sh = BigInt(shift);
    m = a >> sh;
    const rem = a - (m << sh);
    const half = 1n << (sh - 1n);
    if (rem > half || (rem === half && (m & 1n) === 1n)) m += 1n;
  }
  const r = scale2(Number(m), shift - bits);
  return neg ? -r : r;
}

// ---- π by Machin's formula: π = 16·atan(1/5) − 4·atan(1/239) ---------------------------------

/** atan(1/n)·2^bits by its alternating series Σ (−1)^k / ((2k+1)·n^(2k+1)); error < 3 per term. */
function atanInv(n: bigint, bits: number): Fixed {
  const n2 = n * n;
  let p = (1n << BigInt(bits)) / n; // 2^bits / n^(2k+1)
  let sum = 0n;
  for (let k = 0n; p !== 0n; k++) {
    const term = p / (2n * k + 1n);
    sum += k % 2n === 0n ? term : -term;
    p /= n2;
  }
  return sum;
}

let piCache: { bits: number; v: Fixed } = { bits: 0, v: 0n };

/** π·2^bits within 2 units (computed with 32 guard bits, cached at the largest size asked). */
export function piFixed(bits: number): Fixed {
  if (piCache.bits < bits) {
    const g = bits + 32;
    const v = (16n * atanInv(5n, g) - 4n * atanInv(239n, g)) >> 32n;
    piCache = { bits, v };
  }
  return piCache.v >> BigInt(piCache.bits - bits);
}

// ---- series on fixed-point numbers -----------------------------------------------------------------
// Each returns [value, error bound in units]: every truncated product or quotient is off by less than
// one unit, and as |r| ≤ 0.8 (|s| ≤ 0.5 for asin) the earlier errors shrink as they are carried on.

/**
 * The sin / cos Taylor series: first − first·r²/(k0(k0+1)) + …, each term the last times
 * −r²/(k(k+1)) with k = k0, k0 + 2, …
 */
function trigSeries(r: Fixed, bits: number, first: Fixed, k0: bigint): [Fixed, number] {
  const b = BigInt(bits);
  const r2 = (r * r) >> b;
  let term = first;
  let sum = first;
  let n = 0;
  for (let k = k0; term !== 0n; k += 2n) {
    term = -((term * r2) >> b) / (k * (k + 1n));
    sum += term;
    n++;
  }
  return [sum, 4 * n + 4];
}

/** sin r = r − r³/3! + r⁵/5! − …, for |r| ≤ 0.8. */
const sinSeries = (r: Fixed, bits: number): [Fixed, number] => trigSeries(r, bits, r, 2n);
/** cos r = 1 − r²/2! + r⁴/4! − …, for |r| ≤ 0.8. */
const cosSeries = (r: Fixed, bits: number): [Fixed, number] => trigSeries(r, bits, 1n << BigInt(bits), 1n);

/** asin s = Σ (2k)!/(4^k·k!²·(2k+1))·s^(2k+1), for 0 ≤ s ≤ 0.5 (each term at most a quarter of the last). */
function asinSeries(s: Fixed, bits: number): [Fixed, number] {
  const b = BigInt(bits);
  const s2 = (s * s) >> b;
  let a = s; // (2k)!/(4^k·k!²)·s^(2k+1)
  let sum = s;
  let n = 0;
  for (let k = 1n; a !== 0n; k++) {
    a = (((a * s2) >> b) * (2n * k - 1n)) / (2n * k);
    sum += a / (2n * k + 1n);
    n++;
  }
  return [sum, 4 * n + 4];
}

/** floor(√n) by Newton's method on integers. */
function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = 1n << BigInt((bitLength(n) >> 1) + 1);
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

// ---- the functions ------------------------------------------------------------------------------

/**
 * |x| = k·π/2 + r with |r| ≤ π/4 (slightly more at the edges): [r, k mod 4, error of r in units].
 * π/2 is taken with enough bits that k·(its error) stays below a unit even for |x| near 2^1024.
 */
function reduce(ax: number, bits: number): [Fixed, number, number] {
  if (ax < 0.785) return [toFixed(ax, bits), 0, 0];
  const [m, e] = decompose(ax);
  const g = bits + Math.max(0, e + 53) + 8;
  const halfPi = piFixed(g - 1); // π/2·2^g = π·2^(g−1), within 2 units
  const X = m << BigInt(e + g);
  const k = (X + (halfPi >> 1n)) / halfPi;
  const r = (X - k * halfPi) >> BigInt(g - bits);
  return [r, Number(k & 3n), 2];
}

/** Round value ± err units at `bits`; NaN when the two ends round differently (more bits needed). */
function settle(v: Fixed, err: number, bits: number): number {
  const e = BigInt(err);
  const lo = roundFixed(v - e, bits);
  const hi = roundFixed(v + e, bits);
  return lo === hi ? lo : Number.NaN;
}

/** Ziv's loop: `attempt(bits)` with 256, 512, … fraction bits until it is sure (NaN: not yet). */
function ziv(attempt: (bits: number) => number): number {
  for (let bits = 256; ; bits *= 2) {
    const r = attempt(bits);
    // A transcendental value is never exactly halfway between two doubles, so this ends; the cap
    // is only a guard.
    if (!Number.isNaN(r) || bits >= 1 << 16) return r;
  }
}

/** sin or cos (which = 0 or 1) of |x| at `bits`: quadrant k picks ±sin r or ±cos r. */
function sinCosAt(ax: number, which: 0 | 1, bits: number): number {
  const [r, k, rErr] = reduce(ax, bits);
  const q = (k + which) & 3; // cos x = sin(x + π/2)
  const [v, err] = q & 1 ? cosSeries(r, bits) : sinSeries(r, bits);
  return settle(q >= 2 ? -v : v, err + rErr, bits);
}

// Tiny arguments: for |x| < 2^-26, x³/6 < 2^-54.58·|x| is less than half the gap from x to either
// neighbour (at least 2^-54·|x|), so sin x and asin x = x + x³/6 + … round to x; likewise for
// |x| < 2^-27, x²/2 < 2^-55 and cos x rounds to 1 (the gap below 1 is 2^-53).
export const TINY_SIN = 2 ** -26;
export const TINY_COS = 2 ** -27;

/** sin(x) correctly rounded, for every double. */
export function exactSin(x: number): number {
  if (!Number.isFinite(x)) return Number.NaN;
  if (Math.abs(x) < TINY_SIN) return x;
  const r = ziv((bits) => sinCosAt(Math.abs(x), 0, bits));
  return x < 0 ? -r : r;
}

/** cos(x) correctly rounded, for every double. */
export function exactCos(x: number): number {
  if (!Number.isFinite(x)) return Number.NaN;
  if (Math.abs(x) < TINY_COS) return 1;
  return ziv((bits) => sinCosAt(Math.abs(x), 1, bits));
}

/** asin(x) correctly rounded, for every double (NaN outside [-1, 1]). */
export function exactAsin(x: number): number {
  if (!(Math.abs(x) <= 1)) return Number.NaN;
  const ax = Math.abs(x);
  if (ax < TINY_SIN) return x;
  const r = ziv((bits) => {
    const b = BigInt(bits);
    const X = toFixed(ax, bits);
    if (ax <= 0.5) {
      const [v, err] = asinSeries(X, bits);
      return settle(v, err, bits);
    }
    // asin x = π/2 − 2·asin(√((1 − x)/2)), with √ taken to within one unit.
    const s = isqrt(((1n << b) - X) << (b - 1n));
    const [w, err] = asinSeries(s, bits);
    // Errors: twice the series' and twice √'s unit (asin' ≤ 1.16 there), and π/2's 2 units.
    return settle(piFixed(bits - 1) - 2n * w, 2 * err + 3 + 2, bits);
  });
  return x < 0 ? -r : r;
}

/**
 * sin and cos of j·2^-shift for j = 0..count−1, each as a double-double [sinHi, sinLo, cosHi, cosLo]
 * (hi the nearest double, lo the nearest double to the rest), stepping with the angle-addition
 * rotation by 2^-shift on 200-bit fixed point (the rounding errors stay far below 2^-150).
 */
export function sinCosTable(count: number, shift: number): Float64Array {
  const bits = 200;
  const b = BigInt(bits);
  const step = 1n << BigInt(bits - shift);
  const [s1] = sinSeries(step, bits);
  const [c1] = cosSeries(step, bits);
  const out = new Float64Array(count * 4);
  let s = 0n;
  let c = 1n << b;
  for (let j = 0; j < count; j++) {
    const sh = roundFixed(s, bits);
    const ch = roundFixed(c, bits);
    out[4 * j] = sh;
    out[4 * j + 1] = roundFixed(s - toFixed(sh, bits), bits);
    out[4 * j + 2] = ch;
    out[4 * j + 3] = roundFixed(c - toFixed(ch, bits), bits);
    const ns = (s * c1 + c * s1) >> b;
    c = (c * c1 - s * s1) >> b;
    s = ns;
  }
  return out;
}
