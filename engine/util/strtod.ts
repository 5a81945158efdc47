// C's strtod (glibc) over a binary string, as Redis calls it for scores and score ranges
// (getDoubleFromObject, zslParseRange): leading white space, sign, inf/infinity/nan, decimal and
// hexadecimal floats ("0x1.8p3"), ERANGE on overflow/underflow, stops at the first unparsed byte.

export interface StrtodResult {
  value: number;
  /** Index just past the parsed number; `start` when nothing could be converted (C's eptr = nptr). */
  end: number;
  /** errno == ERANGE as Redis tests it: the result overflowed to ±inf or underflowed to 0. */
  erange: boolean;
}

const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const hexVal = (c: number): number =>
  c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;

function matchWord(s: string, i: number, word: string): boolean {
  if (i + word.length > s.length) return false;
  for (let k = 0; k < word.length; k++) {
    if ((s.charCodeAt(i + k) | 32) !== word.charCodeAt(k)) return false;
  }
  return true;
}

/** 10^0 .. 10^22, all exact doubles. */
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

/**
 * The fast path for what clients send most ("12.5", "-3", ".25", "7.", "0.001"): an optional '-',
 * then digits with at most one '.', nothing else, at most 15 significant digits and 22 after the
 * point. The digits as an integer m < 10^15 and 10^f (f digits after the point) are exact doubles,
 * so m / 10^f is the correctly rounded value, the double glibc's strtod gives (Clinger's fast
 * path). NaN for any other string: the caller goes to strtod.
 */
export function plainDecimal(s: string): number {
  const len = s.length;
  if (len === 0 || len > 24) return Number.NaN;
  let i = 0;
  const neg = s.charCodeAt(0) === 45;
  if (neg) i = 1;
  let m = 0;
  let digits = 0;
  let point = -1;
  for (; i < len; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      digits++;
    } else if (c === 46 && point < 0) point = i + 1;
    else return Number.NaN;
  }
  // (m stays exact below 2^53; past 10^15 it is refused anyway)
  if (digits === 0 || m >= 1e15) return Number.NaN;
  const f = point < 0 ? 0 : len - point;
  if (f > 22) return Number.NaN;
  const v = f === 0 ? m : m / POW10[f];
  return neg ? -v : v;
}

export function strtod(s: string, start = 0): StrtodResult {
  let i = start;
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  let neg = false;
  const sc = s.charCodeAt(i);
  if (sc === 43 || sc === 45) {
    neg = sc === 45;
    i++;
  }
  const sign = neg ? -1 : 1;
  if (matchWord(s, i, 'inf')) {
    const end = matchWord(s, i, 'infinity') ? i + 8 : i + 3;
    return { value: sign * Infinity, end, erange: false };
  }
  if (matchWord(s, i, 'nan')) {
    let end = i + 3;
    if (s.charCodeAt(end) === 40) {
      let k = end + 1;
      while (k < s.length && /[0-9A-Za-z_]/.test(s[k])) k++;
      if (s.charCodeAt(k) === 41) end = k + 1;
    }
    return { value: Number.NaN, end, erange: false };
  }
  if (s.charCodeAt(i) === 48 && (s.charCodeAt(i + 1) | 32) === 120) {
    const hex = parseHex(s, i + 2, sign);
    if (hex !== null) return hex;
    // "0x" without hex digits: only the "0" is a number.
    return { value: neg ? -0 : 0, end: i + 1, erange: false };
  }
  const numStart = i;
  let digits = 0;
  let nonZero = false;
  while (isDigit(s.charCodeAt(i))) {
    if (s.charCodeAt(i) !== 48) nonZero = true;
    i++;
    digits++;
  }
  if (s.charCodeAt(i) === 46) {
    i++;
    while (isDigit(s.charCodeAt(i))) {
      if (s.charCodeAt(i) !== 48) nonZero = true;
      i++;
      digits++;
    }
  }
  if (digits === 0) return { value: 0, end: start, erange: false };
  if ((s.charCodeAt(i) | 32) === 101) {
    let k = i + 1;
    const ec = s.charCodeAt(k);
    if (ec === 43 || ec === 45) k++;
    if (isDigit(s.charCodeAt(k))) {
      while (isDigit(s.charCodeAt(k))) k++;
      i = k;
    }
  }
  const abs = Number(s.slice(numStart, i));
  const erange = abs === Infinity || (abs === 0 && nonZero);
  return { value: sign * abs, end: i, erange };
}

/** Hex float after "0x": hex digits, optional fraction, optional binary exponent "p±N". */
function parseHex(s: string, i: number, sign: number): StrtodResult | null {
  let mant = 0n;
  let digits = 0;
  let fracDigits = 0;
  while (hexVal(s.charCodeAt(i)) >= 0) {
    mant = mant * 16n + BigInt(hexVal(s.charCodeAt(i)));
    i++;
    digits++;
  }
  if (s.charCodeAt(i) === 46) {
    let k = i + 1;
    while (hexVal(s.charCodeAt(k)) >= 0) {
      mant = mant * 16n + BigInt(hexVal(s.charCodeAt(k)));
      k++;
      digits++;
      fracDigits++;
    }
    if (digits > 0) i = k;
  }
  if (digits === 0) return null;
  let exp2 = -4 * fracDigits;
  if ((s.charCodeAt(i) | 32) === 112) {
    let k = i + 1;
    let eneg = false;
    const ec = s.charCodeAt(k);
    if (ec === 43 || ec === 45) {
      eneg = ec === 45;
      k++;
    }
    if (isDigit(s.charCodeAt(k))) {
      let e = 0;
      while (isDigit(s.charCodeAt(k))) {
        if (e < 1e6) e = e * 10 + (s.charCodeAt(k) - 48);
        k++;
      }
      exp2 += eneg ? -e : e;
      i = k;
    }
  }
  if (mant === 0n) return { value: sign * 0, end: i, erange: false };
  const value = sign * scaleBinary(mant, exp2);
  return { value, end: i, erange: value === 0 || !Number.isFinite(value) };
}

/** mant * 2^exp2 correctly rounded (half to even), including subnormals. */
function scaleBinary(mant: bigint, exp2: number): number {
  const bitlen = mant.toString(2).length;
  const top = bitlen - 1 + exp2; // exponent of the leading bit
  if (top > 1024) return Infinity;
  const precision = top >= -1022 ? 53 : 53 - (-1022 - top);
  if (precision < 0) return 0;
  const shift = bitlen - precision;
  let q = mant;
  if (shift > 0) {
    const big = BigInt(shift);
    q = mant >> big;
    const rem = mant & ((1n << big) - 1n);
    const half = 1n << (big - 1n);
    if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
    exp2 += shift;
  }
  let x = Number(q);
  while (exp2 > 1000) {
    x *= 2 ** 1000;
    exp2 -= 1000;
  }
  while (exp2 < -1000) {
    x *= 2 ** -1000;
    exp2 += 1000;
  }
  return x * 2 ** exp2;
}
