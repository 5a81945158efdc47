// C `long double` as Redis 7.0 on x86-64 uses it for INCRBYFLOAT/HINCRBYFLOAT: the x87 80-bit
// extended format (64-bit mantissa, exponents down to the 2^-16445 denormal), emulated exactly with
// BigInt. Parsing follows string2ld (strtold, correctly rounded), sums are rounded once to nearest
// even, and printing is ld2string's LD_STR_HUMAN ("%.17Lf", trailing zeros and dot stripped).

/** A long double: ±mant·2^exp when finite (mant < 2^64), or an infinity / NaN. */
export interface LongDouble {
  readonly kind: 'finite' | 'inf' | 'nan';
  readonly neg: boolean;
  readonly mant: bigint;
  readonly exp: number;
}

/** MAX_LONG_DOUBLE_CHARS: string2ld refuses inputs of this length or more. */
export const MAX_LONG_DOUBLE_CHARS = 5 * 1024;

const MANT_BITS = 64;
/** Unit exponent of the smallest denormal, 2^-16445 (LDBL_MIN 2^-16382 with 63 fraction bits). */
const MIN_UNIT_EXP = -16445;
/** Unit exponent of the largest finite value, (2^64-1)·2^16320. */
const MAX_UNIT_EXP = 16320;
const TWO_64 = 1n << 64n;
const TWO_63 = 1n << 63n;
const TEN_17 = 10n ** 17n;

const ZERO: LongDouble = { kind: 'finite', neg: false, mant: 0n, exp: 0 };
const INF: LongDouble = { kind: 'inf', neg: false, mant: 0n, exp: 0 };
const NEG_INF: LongDouble = { kind: 'inf', neg: true, mant: 0n, exp: 0 };
const NAN: LongDouble = { kind: 'nan', neg: false, mant: 0n, exp: 0 };

function bitLength(n: bigint): number {
  if (n === 0n) return 0;
  const hex = n.toString(16);
  return (hex.length - 1) * 4 + (32 - Math.clz32(Number.parseInt(hex[0], 16)));
}

/**
 * Round the positive rational num/den·2^exp2 to the nearest long double (ties to even), with
 * denormals and overflow to infinity. A zero mantissa in the result means underflow to zero.
 */
function roundRational(neg: boolean, num: bigint, den: bigint, exp2: number): LongDouble {
  // q = floor(num·2^k / den) carries 66-67 significant bits plus a sticky bit for the remainder.
  const k = 66 - (bitLength(num) - bitLength(den));
  const scaled = k >= 0 ? num << BigInt(k) : num;
  const d = k >= 0 ? den : den << BigInt(-k);
  const q = scaled / d;
  const sticky = scaled % d !== 0n;
  const qExp = exp2 - k;
  let unit = bitLength(q) + qExp - MANT_BITS;
  if (unit < MIN_UNIT_EXP) unit = MIN_UNIT_EXP;
  const shift = unit - qExp; // >= 2
  const sh = BigInt(shift);
  let mant = q >> sh;
  const rem = q - (mant << sh);
  const half = 1n << (sh - 1n);
  if (rem > half || (rem === half && (sticky || (mant & 1n) === 1n))) mant += 1n;
  if (mant === TWO_64) {
    mant = TWO_63;
    unit += 1;
  }
  if (unit > MAX_UNIT_EXP) return neg ? NEG_INF : INF;
  return { kind: 'finite', neg, mant, exp: unit };
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 0x20;
  if (l >= 97 && l <= 102) return l - 87;
  return -1;
}

/** Parse [+-]digits of an exponent at s[i..]; returns [value (saturated), end] or null when no digit. */
function parseExponent(s: string, i: number): [number, number] | null {
  let neg = false;
  const c = s.charCodeAt(i);
  if (c === 43 || c === 45) {
    neg = c === 45;
    i++;
  }
  if (!isDigit(s.charCodeAt(i))) return null;
  let v = 0;
  while (i < s.length && isDigit(s.charCodeAt(i))) {
    if (v < 1e9) v = v * 10 + (s.charCodeAt(i) - 48);
    i++;
  }
  return [neg ? -v : v, i];
}

/**
 * string2ld: the whole string as a long double (strtold syntax: decimal or 0x hex with optional
 * exponent, inf/infinity), or null when Redis rejects it (empty, too long, leading space, trailing
 * garbage, NaN, overflow to ±inf or underflow to zero).
 */
export function parseLongDouble(s: string): LongDouble | null {
  const len = s.length;
  if (len === 0 || len >= MAX_LONG_DOUBLE_CHARS || isSpace(s.charCodeAt(0))) return null;
  let i = 0;
  let neg = false;
  const c0 = s.charCodeAt(0);
  if (c0 === 43 || c0 === 45) {
    neg = c0 === 45;
    i = 1;
  }
  const rest = len - i;
  if (rest === 3 || rest === 8) {
    const word = s.slice(i).toLowerCase();
    if (word === 'inf' || word === 'infinity') return neg ? NEG_INF : INF;
  }
  if (s.charCodeAt(i) === 48 && (s.charCodeAt(i + 1) | 0x20) === 120) return parseHex(s, i + 2, neg);
  // Decimal: digits [. digits] [e exp]
  let digits = '';
  let sawDigit = false;
  let fracDigits = 0;
  while (i < len && isDigit(s.charCodeAt(i))) {
    digits += s[i++];
    sawDigit = true;
  }
  if (s.charCodeAt(i) === 46) {
    i++;
    while (i < len && isDigit(s.charCodeAt(i))) {
      digits += s[i++];
      fracDigits++;
      sawDigit = true;
    }
  }
  if (!sawDigit) return null;
  let exp10 = -fracDigits;
  if (i < len && (s.charCodeAt(i) | 0x20) === 101) {
    const e = parseExponent(s, i + 1);
    if (e === null) return null;
    exp10 += e[0];
    i = e[1];
  }
  if (i !== len) return null;
  // Drop leading zeros; an all-zero mantissa is ±0 whatever the exponent.
  let z = 0;
  while (z < digits.length && digits.charCodeAt(z) === 48) z++;
  if (z === digits.length) return neg ? { ...ZERO, neg: true } : ZERO;
  digits = digits.slice(z);
  // Far outside the range: 10^4933 > LDBL_MAX overflows; below 10^-4952 rounds to zero.
  const magnitude = digits.length + exp10;
  if (magnitude > 4933) return null;
  if (magnitude < -4951) return null;
  const d = BigInt(digits);
  const r =
    exp10 >= 0 ? roundRational(neg, d * 10n ** BigInt(exp10), 1n, 0) : roundRational(neg, d, 10n ** BigInt(-exp10), 0);
  if (r.kind !== 'finite' || r.mant === 0n) return null;
  return r;
}

function parseHex(s: string, i: number, neg: boolean): LongDouble | null {
  const len = s.length;
  let m = 0n;
  let sawDigit = false;
  let exp2 = 0;
  let h = hexValue(s.charCodeAt(i));
  while (i < len && h >= 0) {
    m = (m << 4n) | BigInt(h);
    sawDigit = true;
    h = hexValue(s.charCodeAt(++i));
  }
  if (s.charCodeAt(i) === 46) {
    h = hexValue(s.charCodeAt(++i));
    while (i < len && h >= 0) {
      m = (m << 4n) | BigInt(h);
      exp2 -= 4;
      sawDigit = true;
      h = hexValue(s.charCodeAt(++i));
    }
  }
  if (!sawDigit) return null;
  if (i < len && (s.charCodeAt(i) | 0x20) === 112) {
    const e = parseExponent(s, i + 1);
    if (e === null) return null;
    exp2 += e[0];
    i = e[1];
  }
  if (i !== len) return null;
  if (m === 0n) return neg ? { ...ZERO, neg: true } : ZERO;
  const top = bitLength(m) + exp2;
  if (top > 16400) return null;
  if (top < -16500) return null;
  const r = roundRational(neg, m, 1n, exp2);
  if (r.kind !== 'finite' || r.mant === 0n) return null;
  return r;
}

/** A long double from a 64-bit integer (exact: every int64 fits the 64-bit mantissa). */
export function longDoubleFromInt(n: number | bigint): LongDouble {
  const b = BigInt(n);
  if (b === 0n) return ZERO;
  return roundRational(b < 0n, b < 0n ? -b : b, 1n, 0);
}

export function isFiniteLongDouble(v: LongDouble): boolean {
  return v.kind === 'finite';
}

/** a + b rounded once to the 64-bit mantissa, nearest-even (x87 with extended precision control). */
export function addLongDouble(a: LongDouble, b: LongDouble): LongDouble {
  if (a.kind === 'nan' || b.kind === 'nan') return NAN;
  if (a.kind === 'inf') return b.kind === 'inf' && b.neg !== a.neg ? NAN : a;
  if (b.kind === 'inf') return b;
  if (a.mant === 0n) return b.mant === 0n ? (a.neg && b.neg ? a : ZERO) : b;
  if (b.mant === 0n) return a;
  const e = Math.min(a.exp, b.exp);
  const ma = a.mant << BigInt(a.exp - e);
  const mb = b.mant << BigInt(b.exp - e);
  const sum = (a.neg ? -ma : ma) + (b.neg ? -mb : mb);
  if (sum === 0n) return ZERO;
  return sum < 0n ? roundRational(true, -sum, 1n, e) : roundRational(false, sum, 1n, e);
}

/**
 * ld2string(LD_STR_HUMAN): "%.17Lf" of the exact value (rounded half to even, as glibc does),
 * trailing zeros and a trailing dot removed, "-0" printed as "0". Infinities print as inf/-inf.
 */
export function formatLongDoubleHuman(v: LongDouble): string {
  if (v.kind === 'inf') return v.neg ? '-inf' : 'inf';
  if (v.kind === 'nan') return v.neg ? '-nan' : 'nan';
  let n: bigint;
  if (v.exp >= 0) {
    n = (v.mant << BigInt(v.exp)) * TEN_17;
  } else {
    const scaled = v.mant * TEN_17;
    const sh = BigInt(-v.exp);
    n = scaled >> sh;
    const rem = scaled - (n << sh);
    const half = 1n << (sh - 1n);
    if (rem > half || (rem === half && (n & 1n) === 1n)) n += 1n;
  }
  let digits = n.toString();
  if (digits.length < 18) digits = '0'.repeat(18 - digits.length) + digits;
  const intPart = digits.slice(0, digits.length - 17);
  let end = digits.length;
  while (end > intPart.length && digits.charCodeAt(end - 1) === 48) end--;
  const frac = digits.slice(intPart.length, end);
  const out = (v.neg ? '-' : '') + intPart + (frac.length > 0 ? `.${frac}` : '');
  return out === '-0' ? '0' : out;
}

/**
 * The INCRBYFLOAT/HINCRBYFLOAT step: current (undefined = 0) plus increment, formatted as Redis
 * stores it. Returns 'current' / 'increment' when that operand is not a valid float, 'nan-or-inf'
 * when the sum is not finite.
 */
export function incrByFloat(
  current: string | undefined,
  increment: string,
): { ok: true; value: string } | { ok: false; why: 'current' | 'increment' | 'nan-or-inf' } {
  const a = current === undefined ? ZERO : parseLongDouble(current);
  if (a === null) return { ok: false, why: 'current' };
  const b = parseLongDouble(increment);
  if (b === null) return { ok: false, why: 'increment' };
  const sum = addLongDouble(a, b);
  if (sum.kind !== 'finite') return { ok: false, why: 'nan-or-inf' };
  return { ok: true, value: formatLongDoubleHuman(sum) };
}
