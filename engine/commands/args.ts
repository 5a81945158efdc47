// Shared argument parsers (one per kind of argument, as fakeredis does): Redis's strict integer
// parsing (string2ll), doubles (strtod rules), and small helpers used across command groups.
// Each throws a ReplyError with Redis's exact text, so handlers read top to bottom.

import { E, valueOutOfRangeBetween } from '../errors';
import { ReplyError } from '../protocol/reply';
import { LEX_MAX, LEX_MIN, type LexBound, type LexRange, type ScoreRange } from '../types/skiplist';
import { plainDecimal, strtod } from '../util/strtod';

const INT64_MIN = -9223372036854775808n;
const INT64_MAX = 9223372036854775807n;

/**
 * string2ll: a strict base-10 signed 64-bit integer (no spaces, no '+', no leading zeros, no "-0").
 * Returns a number when it is a safe integer, a bigint beyond that, or null when invalid.
 */
export function parseLongLong(s: string): number | bigint | null {
  const len = s.length;
  if (len === 0 || len > 20) return null;
  if (len === 1) {
    const c = s.charCodeAt(0);
    return c >= 48 && c <= 57 ? c - 48 : null;
  }
  let i = 0;
  const neg = s.charCodeAt(0) === 45;
  if (neg) i = 1;
  const first = s.charCodeAt(i);
  if (first < 49 || first > 57) return null; // no leading zero, no '-0', no '-' alone
  let n = 0;
  for (let j = i; j < len; j++) {
    const c = s.charCodeAt(j);
    if (c < 48 || c > 57) return null;
    n = n * 10 + (c - 48);
  }
  if (n <= Number.MAX_SAFE_INTEGER) return neg ? -n : n;
  const big = BigInt(s);
  if (big < INT64_MIN || big > INT64_MAX) return null;
  return big;
}

/** getLongLongFromObjectOrReply: the integer or the standard error. */
export function parseInteger(s: string, err: string = E.NOT_INTEGER): number | bigint {
  const n = parseLongLong(s);
  if (n === null) throw new ReplyError(err);
  return n;
}

/** An integer argument used as a count/index/time: full int64 range accepted, returned as a number. */
export function parseInt64(s: string, err: string = E.NOT_INTEGER): number {
  return Number(parseInteger(s, err));
}

/** A non-negative integer (getPositiveLongFromObjectOrReply / getRangeLongFromObjectOrReply). */
export function parseRange(s: string, min: number, max: number, err: string): number {
  const n = parseLongLong(s);
  if (n === null) throw new ReplyError(E.NOT_INTEGER);
  const v = Number(n);
  if (v < min || v > max) throw new ReplyError(err);
  return v;
}

export function isInt64Range(n: bigint): boolean {
  return n >= INT64_MIN && n <= INT64_MAX;
}

/** Case-insensitive token comparison against an upper-case literal. */
export function isToken(arg: string, upper: string): boolean {
  return arg.length === upper.length && arg.toUpperCase() === upper;
}

/** Throw a reply error (for expressions). */
export function fail(msg: string): never {
  throw new ReplyError(msg);
}

// ---- sorted-set arguments (t_zset.c, object.c) ------------------------------------------------

/**
 * getDoubleFromObject exactly: the whole string is one strtod number (decimal, hex float, inf),
 * no leading space, no NaN, and no overflow to ±inf or underflow to 0 (ERANGE). Null when invalid.
 */
export function parseDouble(s: string): number | null {
  const fast = plainDecimal(s);
  if (!Number.isNaN(fast)) return fast;
  return parseDoubleStrtod(s);
}

/** parseDouble without its fast path for plain decimals: every string through strtod. */
export function parseDoubleStrtod(s: string): number | null {
  if (s.length === 0) return null;
  const c0 = s.charCodeAt(0);
  if (c0 === 32 || (c0 >= 9 && c0 <= 13)) return null;
  const r = strtod(s);
  if (r.end !== s.length || Number.isNaN(r.value)) return null;
  if (r.erange && (r.value === 0 || !Number.isFinite(r.value))) return null;
  return r.value;
}

/** A score/weight argument (getDoubleFromObjectOrReply): the value or the given error. */
export function parseScore(s: string, err: string = E.NOT_FLOAT): number {
  const n = parseDouble(s);
  if (n === null) throw new ReplyError(err);
  return n;
}

/** One end of a score range: plain strtod up to the first NUL, "(" for open, NaN refused. */
function parseScoreBound(s: string): { v: number; ex: boolean } | null {
  const ex = s.charCodeAt(0) === 40;
  const start = ex ? 1 : 0;
  const r = strtod(s, start);
  // C's strtod stops at the terminating NUL: the argument is valid if nothing else follows.
  if ((r.end < s.length && s.charCodeAt(r.end) !== 0) || Number.isNaN(r.value)) return null;
  return { v: r.value, ex };
}

/** zslParseRange: "1.5", "(1.5", "-inf", "+inf"... → ERR min or max is not a float. */
export function parseScoreRange(min: string, max: string): ScoreRange {
  const lo = parseScoreBound(min);
  const hi = parseScoreBound(max);
  if (lo === null || hi === null) throw new ReplyError(E.ZSET_RANGE_NOT_FLOAT);
  return { min: lo.v, minex: lo.ex, max: hi.v, maxex: hi.ex };
}

/** zslParseLexRangeItem: "[a" inclusive, "(a" exclusive, "-" / "+" the ends. */
function parseLexBound(s: string): { v: LexBound; ex: boolean } | null {
  const c = s.charCodeAt(0);
  const alone = s.length === 1 || s.charCodeAt(1) === 0; // c[1] == '\0' in C
  if (c === 43) return alone ? { v: LEX_MAX, ex: true } : null;
  if (c === 45) return alone ? { v: LEX_MIN, ex: true } : null;
  if (c === 40) return { v: s.slice(1), ex: true };
  if (c === 91) return { v: s.slice(1), ex: false };
  return null;
}

/** zslParseLexRange → ERR min or max not valid string range item. */
export function parseLexRange(min: string, max: string): LexRange {
  const lo = parseLexBound(min);
  const hi = parseLexBound(max);
  if (lo === null || hi === null) throw new ReplyError(E.ZSET_LEX_RANGE);
  return { min: lo.v, minex: lo.ex, max: hi.v, maxex: hi.ex };
}

// ---- keyspace arguments (db.c, expire.c) ---------------------------------------------------------

/** strcasecmp(arg, "TOKEN") == 0: case-insensitive, and C stops comparing at the argument's first NUL. */
export function isCToken(arg: string, upper: string): boolean {
  const nul = arg.indexOf('\0');
  return isToken(nul === -1 ? arg : arg.slice(0, nul), upper);
}

/** getIntFromObjectOrReply: a 32-bit signed integer (SELECT, MOVE, COPY DB), with its range error. */
export function parseInt32(s: string): number {
  const n = parseLongLong(s);
  if (n === null) throw new ReplyError(E.NOT_INTEGER);
  if (n < -2147483648 || n > 2147483647) throw new ReplyError(valueOutOfRangeBetween('-2147483648', '2147483647'));
  return Number(n);
}
