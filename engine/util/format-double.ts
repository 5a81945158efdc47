// C's printf "%.<p>g" for doubles, as Redis 7.0 prints scores and double replies ("%.17g"):
// p significant digits of the exact binary value rounded half to even (glibc), trailing zeros
// stripped, exponent form when exp < -4 or exp >= precision.

const bits = new DataView(new ArrayBuffer(8));

/** |d| = m * 2^e exactly (d finite, non-zero). */
function decompose(d: number): { m: bigint; e: number } {
  bits.setFloat64(0, Math.abs(d));
  const hi = bits.getUint32(0);
  const lo = bits.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  const frac = (hi & 0xfffff) * 2 ** 32 + lo;
  if (biased === 0) return { m: BigInt(frac), e: -1074 };
  return { m: BigInt(frac + 2 ** 52), e: biased - 1075 };
}

/** Is |d| exactly x * 10^k? */
function equalsDecimal(d: number, x: bigint, k: number): boolean {
  const { m, e } = decompose(d);
  const left = (m << BigInt(Math.max(e, 0))) * 10n ** BigInt(Math.max(-k, 0));
  const right = (x << BigInt(Math.max(-e, 0))) * 10n ** BigInt(Math.max(k, 0));
  return left === right;
}

/** The index after the last non-zero digit of s before `end` (a trailing "." dropped too). */
function trimZeros(s: string, end: number): number {
  while (s.charCodeAt(end - 1) === 48) end--;
  return s.charCodeAt(end - 1) === 46 ? end - 1 : end;
}

/** 2^ceil(18 * log5(10)): a value that is an exact tie at 17 digits is an integer once scaled by it. */
const TIE_SCALE_17 = 2 ** 26;

export function formatG(d: number, precision = 17): string {
  if (Number.isNaN(d)) return 'nan';
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  if (d === 0) return Object.is(d, -0) ? '-0' : '0';
  // An exact integer (below 2^53) with fewer than `precision` digits prints as itself.
  if (Number.isInteger(d) && Math.abs(d) < Math.min(10 ** (precision - 1), 2 ** 53)) return String(d);
  // glibc rounds an exact tie to even, JS away from zero. A tie needs a (p+1)-digit decimal that is a
  // dyadic rational, so at most (p+1)*log5(10) fractional bits: only such values can be ties.
  const mayTie = Number.isInteger(d * (precision === 17 ? TIE_SCALE_17 : 2 ** Math.ceil((precision + 1) * 1.4307)));
  // The usual case, no tie possible and fixed notation (exp >= -4, below `precision`): toPrecision's
  // digits are then printf's, trailing zeros (after a point) dropped.
  if (!mayTie && (d >= 1e-4 || d <= -1e-4)) {
    const s = d.toPrecision(precision);
    if (s.indexOf('e') === -1) return s.indexOf('.') === -1 ? s : s.slice(0, trimZeros(s, s.length));
  }
  const sign = d < 0 ? '-' : '';
  let s = Math.abs(d).toExponential(precision - 1); // "d.ddddde+X", exactly rounded, ties up
  const eIdx = s.indexOf('e');
  const exp = Number(s.slice(eIdx + 1));
  const last = s.charCodeAt(eIdx - 1) - 48;
  // An exact tie is rounded down to the even digit instead.
  if (last % 2 === 1 && mayTie) {
    const digits = precision > 1 ? s[0] + s.slice(2, eIdx) : s[0];
    if (equalsDecimal(d, BigInt(digits) * 10n - 5n, exp - precision)) {
      s = s.slice(0, eIdx - 1) + String(last - 1) + s.slice(eIdx);
    }
  }
  if (exp < -4 || exp >= precision) {
    const abs = Math.abs(exp);
    return `${sign}${s.slice(0, trimZeros(s, eIdx))}e${exp < 0 ? '-' : '+'}${abs < 10 ? `0${abs}` : abs}`;
  }
  // Fixed notation: move the point of "d.ddd" by exp places.
  const digits = precision > 1 ? s[0] + s.slice(2, eIdx) : s[0];
  const fixed =
    exp >= 0 ? `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}` : `0.${'0'.repeat(-exp - 1)}${digits}`;
  return sign + fixed.slice(0, trimZeros(fixed, fixed.length));
}

/** Redis's %.17g double reply text. */
export const formatDouble = (d: number): string => formatG(d, 17);
