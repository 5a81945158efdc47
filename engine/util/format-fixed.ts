// Fixed-point number texts as Redis prints them: C's "%.<n>f" (exact decimal expansion of the
// double, round-half-even, as glibc does), ld2string's LD_STR_HUMAN ("%.17Lf" with trailing zeros
// removed: GEOPOS/WITHCOORD coordinates) and util.c's fixedpoint_d2string (GEODIST/WITHDIST "%.4f").

const TWO52 = 2 ** 52;

/** |d| as m * 2^e with m a bigint (d finite, non-zero). */
function decompose(d: number): { m: bigint; e: number } {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, Math.abs(d));
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  const frac = (hi & 0xfffff) * 2 ** 32 + lo;
  if (biased === 0) return { m: BigInt(frac), e: -1074 };
  return { m: BigInt(frac + TWO52), e: biased - 1075 };
}

/** printf("%.<digits>f", d) exactly. */
export function formatFixed(d: number, digits: number): string {
  if (Number.isNaN(d)) return 'nan';
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  const neg = d < 0 || Object.is(d, -0);
  let q: bigint;
  if (d === 0) q = 0n;
  else {
    const { m, e } = decompose(d);
    const num = m * 10n ** BigInt(digits);
    if (e >= 0) q = num << BigInt(e);
    else {
      const den = 1n << BigInt(-e);
      q = num / den;
      const r2 = (num % den) * 2n;
      if (r2 > den || (r2 === den && (q & 1n) === 1n)) q++;
    }
  }
  let s = q.toString();
  if (digits > 0) {
    if (s.length <= digits) s = '0'.repeat(digits + 1 - s.length) + s;
    s = `${s.slice(0, s.length - digits)}.${s.slice(s.length - digits)}`;
  }
  return neg ? `-${s}` : s;
}

/** ld2string(LD_STR_HUMAN) of a double: "%.17Lf" without trailing zeros ("-0" becomes "0"). */
export function formatHumanLongDouble(d: number): string {
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  let s = formatFixed(d, 17);
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  return s === '-0' ? '0' : s;
}

/** C's rint/llrint in the default rounding mode: to nearest, ties to even. */
export function rint(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** fixedpoint_d2string(d, digits): llrint(d * 10^digits) printed with `digits` decimals. */
export function fixedPoint(d: number, digits: number): string {
  if (d === 0) return `0.${'0'.repeat(digits)}`;
  const v = rint(d * 10 ** digits);
  const neg = v < 0;
  let s = BigInt(Math.abs(v)).toString();
  if (s.length <= digits) s = '0'.repeat(digits + 1 - s.length) + s;
  s = `${s.slice(0, s.length - digits)}.${s.slice(s.length - digits)}`;
  return neg ? `-${s}` : s;
}
