// Correctly rounded sin, cos and asin: the double nearest to the true value, for every double.
// Redis computes GEO distances with the C library's libm (glibc 2.36 here), whose results are
// correctly rounded far more often than V8's Math.sin/cos/asin (fdlibm ports: 3-6% off by an ulp),
// so these give Redis's distances to the last bit where Math.* would not. LAB: glibc itself is not
// correctly rounded for ~0.13% of arguments; there we differ from Redis by an ulp.
//
// Method (Ziv): a fast evaluation in double-double arithmetic that also yields a rigorous error
// bound; if every value within the bound rounds to the same double, that is the answer, otherwise
// (a few times in 10^5 calls) the exact BigInt evaluation of libm-exact.ts decides.

import { exactAsin, exactCos, exactSin, sinCosTable, TINY_COS, TINY_SIN } from './libm-exact';

// π/2 split Cody–Waite style: A1 is π/2 rounded to 33 bits and A2 the next 33 bits of it, so that
// k·A1 and k·A2 are exact for k < 2^20; A3 is the double nearest π/2 − A1 − A2, and
// |π/2 − (A1 + A2 + A3)| < 2^-122. (Checked against a BigInt π in the tests.)
export const PIO2_1 = 1.5707963267341256; // 0x1.921fb544p+0
export const PIO2_2 = 6.077100506303966e-11; // 0x1.0b4611a6p-34
export const PIO2_3 = 2.0222662487959506e-21; // 0x1.3198a2e037073p-69
// π/2 as a double-double: the double nearest π/2 and the double nearest the rest (asin's constant).
export const PIO2_HI = 1.5707963267948966; // 0x1.921fb54442d18p+0
export const PIO2_LO = 6.123233995736766e-17; // 0x1.1a62633145c07p-54
/** The double just below π/4: arguments up to it need no reduction. */
const PIO4 = 0.7853981633974483;
/** 2/π, only to pick the nearest multiple k of π/2 (any rounding of it is fine). */
const TWO_OVER_PI = 0.6366197723675814;
/** Beyond this |x| the fast reduction's k·(π/2) could lose exactness: the exact path reduces. */
const FAST_REDUCE_MAX = 2 ** 20;
/** Veltkamp's splitter 2^27 + 1: cuts a double into two 26-bit halves whose products are exact. */
const SPLIT = 134217729;

/** The table step: t_j = j/256, so that |r − t_j| ≤ 2^-9 and a few Taylor terms suffice. */
const TABLE_SHIFT = 8;
const TABLE_SCALE = 2 ** TABLE_SHIFT;
const TABLE_STEP = 2 ** -TABLE_SHIFT;
/** Entries j = 0..202 cover [0, π/4 + a little] (π/4·256 ≈ 201.06). */
const TABLE_SIZE = 203;
/** [sin t_j hi, lo, cos t_j hi, lo] per j (built at load: under 1 ms of BigInt). */
const table = sinCosTable(TABLE_SIZE, TABLE_SHIFT);

/** How many calls the fast path left to the exact one (for tests and measurements). */
export const libmStats = { slowCalls: 0 };

// The kernel's result, in a scratch array to avoid allocating per call: the value is
// out[HI] + out[LO] (normalised: |out[LO]| ≤ half an ulp of out[HI]), within out[ERR] of the truth.
const out = new Float64Array(3);
const HI = 0;
const LO = 1;
const ERR = 2;

/**
 * sin r (wantCos false) or cos r for r = rh + rl, 0 ≤ rh ≤ π/4 + 2^-30, |rl| ≤ 2^-52·rh, into out.
 * With t = t_j nearest rh, d = r − t (|d| ≤ 2^-9 and |d| ≤ rh) and S, C = sin t, cos t:
 *   sin r = S + C·d + S·(cos d − 1) + C·(sin d − d)
 *   cos r = C − S·d + C·(cos d − 1) − S·(sin d − d)
 * i.e. lead + slope·d + lead·(cos d − 1) + slope·(sin d − d). lead + slope·d is summed exactly
 * (Dekker product, fast two-sum). The last two terms, below (lead + rh)·z/2 with z = d² ≤ 2^-18,
 * carry a relative error under 10·2^-53 (roundings, the table's lo parts left out): bounded by
 * 2^-49·z·(lead + rh) with room for the truncated series. Every other rounding is below
 * 2^-52·(|hi| + |ph| + lead + rh) ≤ 3·2^-52·(lead + rh) before being rounded once more, and the
 * table's own error is 2^-106: bounded by 2^-98·(lead + rh).
 */
function kernel(rh: number, rl: number, wantCos: boolean): void {
  const j = (rh * TABLE_SCALE + 0.5) | 0;
  const d = rh - j * TABLE_STEP; // exact: rh and t_j are within a factor 2 (or t_j = 0)
  const z = d * d;
  // cos d − 1 = −d²/2 + d⁴/24 − d⁶/720 (next term < 2^-69·z), plus −d·rl for the low part of r.
  const pc = z * (-0.5 + z * (1 / 24 - z * (1 / 720))) - d * rl;
  // sin d − d = −d³/6 + d⁵/120 − d⁷/5040 (next term < 2^-72·z·|d|), plus (cos d − 1)·rl ≈ −z/2·rl.
  const ps = d * z * (-1 / 6 + z * (1 / 120 - z * (1 / 5040))) - 0.5 * z * rl;
  const i = 4 * j;
  const lead = wantCos ? table[i + 2] : table[i];
  const leadLo = wantCos ? table[i + 3] : table[i + 1];
  const slope = wantCos ? -table[i] : table[i + 2];
  const slopeLo = wantCos ? -table[i + 1] : table[i + 3];
  // [ph, pe] = slope·d exactly (Veltkamp split, Dekker product)
  const ph = slope * d;
  let t = SPLIT * slope;
  const a1 = t - (t - slope);
  const a2 = slope - a1;
  t = SPLIT * d;
  const d1 = t - (t - d);
  const d2 = d - d1;
  const pe = a1 * d1 - ph + a1 * d2 + a2 * d1 + a2 * d2;
  // [hi, e] = lead + ph exactly (fast two-sum: |lead| > |ph| or lead = 0)
  const hi = lead + ph;
  const e = ph - (hi - lead);
  const lo = e + pe + (leadLo + (slope * rl + slopeLo * d)) + (lead * pc + slope * ps);
  const sum = hi + lo; // fast two-sum again: |lo| < 2^-17·|hi|
  out[HI] = sum;
  out[LO] = lo - (sum - hi);
  out[ERR] = (lead + rh) * (2 ** -49 * z + 2 ** -98);
}

/**
 * The double hi + lo rounds to when every value within err of it rounds the same, else NaN.
 * 2^-52·|lo| more covers the roundings of lo ∓ err themselves (err has room to spare too).
 */
function settle(hi: number, lo: number, err: number): number {
  const e = err + 2 ** -52 * Math.abs(lo);
  const a = hi + (lo - e);
  return a === hi + (lo + e) ? a : Number.NaN;
}

/**
 * sin or cos of ax (0 ≤ ax < 2^20) through the fast path, NaN when it cannot decide. First
 * ax = k·π/2 + r: ax − k·A1 is exact (both are multiples of ulp(ax), the difference is below 1),
 * k·A2 is exact, and two-sums carry the rest as rh + rl; the roundings left (k·A3's and one
 * addition) and π/2's own error stay below (k + 1)·2^-105.
 */
function sinCosFast(ax: number, cosine: boolean): number {
  let rh = ax;
  let rl = 0;
  let k = 0;
  if (ax > PIO4) {
    k = (ax * TWO_OVER_PI + 0.5) | 0;
    const s1 = ax - k * PIO2_1;
    const b = -k * PIO2_2;
    // [sh, sl] = s1 + b exactly (Knuth's two-sum)
    const sh = s1 + b;
    let z = sh - s1;
    const sl = s1 - (sh - z) + (b - z);
    const tail = sl - k * PIO2_3;
    // [rh, rl] = sh + tail, renormalised (two-sum)
    rh = sh + tail;
    z = rh - sh;
    rl = sh - (rh - z) + (tail - z);
  }
  // sin(q·π/2 + r) = sin r, cos r, −sin r, −cos r for q = 0..3, with cos x = sin(x + π/2);
  // sin(−r) = −sin r, cos(−r) = cos r.
  const q = (k + (cosine ? 1 : 0)) & 3;
  const useCos = (q & 1) === 1;
  let neg = q >= 2;
  if (rh < 0) {
    rh = -rh;
    rl = -rl;
    if (!useCos) neg = !neg;
  }
  kernel(rh, rl, useCos);
  const r = settle(out[HI], out[LO], out[ERR] + (k + 1) * 2 ** -105);
  return neg ? -r : r;
}

/** sin(x) correctly rounded (libm's sin as glibc nearly always gives it). */
export function sin(x: number): number {
  const ax = Math.abs(x);
  if (!(ax >= TINY_SIN)) return x; // ±0, tiny (rounds to x), NaN
  if (!(ax < FAST_REDUCE_MAX)) return exactSin(x);
  const r = sinCosFast(ax, false);
  if (Number.isNaN(r)) {
    libmStats.slowCalls++;
    return exactSin(x);
  }
  return x < 0 ? -r : r;
}

/** cos(x) correctly rounded. */
export function cos(x: number): number {
  const ax = Math.abs(x);
  if (ax < TINY_COS) return 1;
  if (!(ax < FAST_REDUCE_MAX)) return exactCos(x); // also NaN and ±Infinity → NaN
  const r = sinCosFast(ax, true);
  if (Number.isNaN(r)) {
    libmStats.slowCalls++;
    return exactCos(x);
  }
  return r;
}

/**
 * asin(x) correctly rounded (NaN outside [-1, 1]). One Newton step on sin y = a from y0 =
 * Math.asin(a) (a = |x| ≤ 0.5), with sin y0 from the kernel: δ = (a − sin y0)/cos y0, y = y0 + δ,
 * off by tan(y)/2·δ² < 0.29·δ² (|y| ≤ π/6), plus the kernel's error over cos y0 ≥ 0.866.
 * Above 0.5, asin a = π/2 − 2·asin(√((1 − a)/2)) brings the argument back to [0, 0.5].
 */
export function asin(x: number): number {
  const ax = Math.abs(x);
  if (!(ax <= 1)) return Number.NaN;
  if (ax < TINY_SIN) return x;
  if (ax === 1) return x > 0 ? PIO2_HI : -PIO2_HI;
  let r: number;
  if (ax <= 0.5) {
    const y0 = Math.asin(ax);
    kernel(y0, 0, false);
    // a − out[HI] is exact (Sterbenz). cos y0 is taken as √(1 − a²) = cos(asin a): they differ
    // by less than tan(y)·|y0 − y| ≤ 0.58·|δ| relatively (δ² covers that with Newton's 0.29·δ²);
    // the roundings of √(1 − a²), the subtraction and the division stay under 2^-51.1·|δ|.
    const delta = (ax - out[HI] - out[LO]) / Math.sqrt(1 - ax * ax);
    r = settle(y0, delta, 1.2 * out[ERR] + 2 ** -49 * Math.abs(delta) + delta * delta);
  } else {
    // s = √t as sh + sl to within 2^-104·sh: t is exact, sh² exactly by Dekker's product.
    const tt = (1 - ax) * 0.5;
    const sh = Math.sqrt(tt);
    const sq = sh * sh;
    let u = SPLIT * sh;
    const s1 = u - (u - sh);
    const s2 = sh - s1;
    const sqe = s1 * s1 - sq + 2 * s1 * s2 + s2 * s2;
    const sl = (tt - sq - sqe) / (2 * sh);
    const w0 = Math.asin(sh);
    kernel(w0, 0, false);
    const delta = (sh - out[HI] + (sl - out[LO])) / Math.sqrt(1 - sh * sh);
    const errW = 1.2 * out[ERR] + 2 ** -49 * Math.abs(delta) + delta * delta + 2 ** -102 * sh;
    // y = (PIO2_HI − 2·w0) + (PIO2_LO − 2·δ), the first by fast two-sum (PIO2_HI > 2·w0).
    const w2 = 2 * w0;
    const gh = PIO2_HI - w2;
    u = PIO2_HI - gh;
    const gl = u - w2;
    r = settle(gh, gl + (PIO2_LO - 2 * delta), 2 * errW + 2 ** -100 * gh);
  }
  if (Number.isNaN(r)) {
    libmStats.slowCalls++;
    return exactAsin(x);
  }
  return x < 0 ? -r : r;
}
