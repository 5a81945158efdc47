// string.format's float conversions (%e %E %f %g %G) as Redis's Lua 5.1 gets them from glibc's
// printf: exact decimal expansion of the double, round-half-even on exact ties, "inf"/"-nan",
// the flags - + space # 0, width and precision. (fengari's own formatter prints "Infinity" and
// formats integer-valued numbers given to %g as integers.)

/** x = m * 2^e for a finite x > 0. */
function decompose(x: number): { m: bigint; e: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  const mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  return biased === 0 ? { m: mant, e: -1074 } : { m: mant | (1n << 52n), e: biased - 1075 };
}

/** round(x * 10^k), ties to even, for x = m * 2^e. */
function scaledRound(m: bigint, e: number, k: number): bigint {
  let num = m;
  let den = 1n;
  if (e >= 0) num <<= BigInt(e);
  else den <<= BigInt(-e);
  if (k >= 0) num *= 10n ** BigInt(k);
  else den *= 10n ** BigInt(-k);
  const q = num / den;
  const twice = 2n * (num % den);
  return twice > den || (twice === den && (q & 1n) === 1n) ? q + 1n : q;
}

/** |x| with `p` decimals ("%.<p>f" without sign). */
function fixedText(x: number, p: number): string {
  if (x === 0) return p === 0 ? '0' : `0.${'0'.repeat(p)}`;
  const { m, e } = decompose(x);
  const q = scaledRound(m, e, p)
    .toString()
    .padStart(p + 1, '0');
  return p === 0 ? q : `${q.slice(0, -p)}.${q.slice(-p)}`;
}

/** The p+1 significant digits of |x| and its decimal exponent, as %e rounds them. */
function expDigits(x: number, p: number): { digits: string; exp: number } {
  if (x === 0) return { digits: '0'.repeat(p + 1), exp: 0 };
  const { m, e } = decompose(x);
  const low = 10n ** BigInt(p);
  const high = low * 10n;
  let exp = Math.floor(Math.log10(x));
  let q = scaledRound(m, e, p - exp);
  // log10 may be off by one near powers of ten, and rounding may carry into a new digit.
  while (q >= high) q = scaledRound(m, e, p - ++exp);
  while (q < low) {
    q = scaledRound(m, e, p - --exp);
    if (q >= high) q = scaledRound(m, e, p - ++exp);
  }
  return { digits: q.toString(), exp };
}

function expText(x: number, p: number, alt: boolean): string {
  const { digits, exp } = expDigits(x, p);
  const frac = digits.slice(1);
  const abs = Math.abs(exp);
  return `${digits[0]}${p > 0 || alt ? '.' : ''}${frac}e${exp < 0 ? '-' : '+'}${abs < 10 ? `0${abs}` : abs}`;
}

/** Drop the zeros ending the fraction (and a bare point), keeping any exponent: %g without '#'. */
function stripZeros(s: string): string {
  const e = s.indexOf('e');
  const mant = e < 0 ? s : s.slice(0, e);
  if (!mant.includes('.')) return s;
  return mant.replace(/0+$/, '').replace(/\.$/, '') + (e < 0 ? '' : s.slice(e));
}

/** One float conversion: flags from "-+ #0", width, precision (null when absent), conv in eEfgG. */
export function formatFloat(flags: string, width: number, precision: number | null, conv: string, x: number): string {
  const alt = flags.includes('#');
  const c = conv.toLowerCase();
  const neg = x < 0 || Object.is(x, -0);
  // LAB: NaN has no observable sign here; Redis's 0/0 is the negative NaN glibc prints "-nan".
  const sign = neg || Number.isNaN(x) ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
  const abs = Math.abs(x);
  let body: string;
  const finite = Number.isFinite(x);
  if (Number.isNaN(x)) body = 'nan';
  else if (!finite) body = 'inf';
  else if (c === 'f') {
    body = fixedText(abs, precision ?? 6);
    if (alt && precision === 0) body += '.';
  } else if (c === 'e') body = expText(abs, precision ?? 6, alt);
  else {
    const p = precision === null ? 6 : precision === 0 ? 1 : precision;
    const { exp } = expDigits(abs, p - 1);
    body = p > exp && exp >= -4 ? fixedText(abs, p - 1 - exp) : expText(abs, p - 1, alt);
    if (alt && !body.includes('.')) body = body.replace(/(e|$)/, '.$1');
    if (!alt) body = stripZeros(body);
  }
  if (conv === 'E' || conv === 'G') body = body.toUpperCase();
  const len = sign.length + body.length;
  if (width <= len) return sign + body;
  if (flags.includes('-')) return (sign + body).padEnd(width, ' ');
  if (flags.includes('0') && finite) return sign + body.padStart(width - sign.length, '0');
  return (sign + body).padStart(width, ' ');
}
