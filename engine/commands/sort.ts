// SORT and SORT_RO (src/sort.c): sort a list, set or sorted set numerically or by bytes (ALPHA),
// by the element itself or by external keys / hash fields (BY pattern, "*->field"), fetch GET
// patterns ('#' is the element), LIMIT, ASC/DESC, STORE into a list. BY without '*' skips sorting.
// Full sorts are stable (glibc's merge-sort qsort); BY with a LIMIT uses Redis's pqsort.

import type { Client } from '../client';
import { ACL_ERR, E } from '../errors';
import type { RedisValue } from '../keyspace/db';
import { array, bulk, int, type Reply } from '../protocol/reply';
import { RedisHash } from '../types/hash';
import { Quicklist } from '../types/quicklist';
import { RedisSet } from '../types/set';
import { ZSet } from '../types/zset';
import { strtod } from '../util/strtod';
import { fail, isCToken, parseLongLong } from './args';
import { type CommandSpec, defineCommand, key, pattern, tok } from './define';
import { newList } from './list-common';
import { pqsort } from '../util/pqsort';

/** The C string a pattern is for strchr/strstr: everything before the first NUL byte. */
const cstr = (s: string): string => {
  const z = s.indexOf('\0');
  return z === -1 ? s : s.slice(0, z);
};

/**
 * lookupKeyByPattern: '#' is the element itself; otherwise the first '*' is replaced by the element
 * and the key read (lookupKeyRead); "key*->field" reads a hash field. A string value for a plain
 * pattern, the field's value for a hash pattern, else undefined (no '*', missing key, other type).
 */
function lookupByPattern(c: Client, pat: string, subst: string): string | undefined {
  if (pat === '#' || pat.startsWith('#\0')) return subst;
  const cs = cstr(pat);
  const star = cs.indexOf('*');
  if (star === -1) return undefined;
  const arrow = cs.indexOf('->', star + 1);
  const fieldLen = arrow !== -1 && arrow + 2 < cs.length ? pat.length - arrow - 2 : 0;
  const keyName = pat.slice(0, star) + subst + pat.slice(star + 1, pat.length - (fieldLen ? fieldLen + 2 : 0));
  const v = c.db.lookupRead(keyName);
  if (v === undefined) return undefined;
  if (fieldLen) return v instanceof RedisHash ? v.get(pat.slice(pat.length - fieldLen)) : undefined;
  return typeof v === 'string' ? v : undefined;
}

// ---- reading the value to sort (one accessor per type) ------------------------------------------

interface SortSource {
  readonly length: number;
  /** Every element in the order SORT loads them (list order, set iteration, zset dict order). */
  all(): string[];
  /** Lists and sorted sets in their own order: `count` elements from position `start`, from the end when desc. */
  slice(start: number, count: number, desc: boolean): string[];
}

function listSource(l: Quicklist): SortSource {
  return {
    length: l.count,
    all: () => l.toArray(),
    slice(start, count, desc) {
      if (count <= 0) return [];
      return desc ? l.range(l.count - start - count, l.count - start - 1, true) : l.range(start, start + count - 1);
    },
  };
}

function setSource(s: RedisSet): SortSource {
  return { length: s.size, all: () => [...s.members()], slice: () => [] };
}

/** SORT converts a listpack sorted set to a skiplist for good (zsetConvert), even SORT_RO. */
function zsetSource(z: ZSet): SortSource {
  z.convertToSkiplist();
  return {
    length: z.length,
    all: () => [...(z.dict as NonNullable<ZSet['dict']>).keys()],
    slice(start, count, desc) {
      const out: string[] = [];
      if (count > 0) z.rangeByRank(start, start + count - 1, desc, (m) => out.push(m));
      return out;
    },
  };
}

function sourceOf(v: RedisValue | undefined): SortSource | null {
  if (v === undefined) return listSource(new Quicklist());
  if (v instanceof Quicklist) return listSource(v);
  if (v instanceof RedisSet) return setSource(v);
  if (v instanceof ZSet) return zsetSource(v);
  return null;
}

// ---- scores and comparison --------------------------------------------------------------------

const DBL_MIN = 2.2250738585072014e-308;

/**
 * glibc's strtod also sets ERANGE for an inexact subnormal result, which SORT treats as an error:
 * true when the text in s[from, to) is exactly the subnormal `v`.
 */
function exactSubnormal(s: string, from: number, to: number, v: number): boolean {
  const m =
    /^\s*[+-]?(?:0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)(?:[pP]([+-]?\d+))?|(\d*)\.?(\d*)(?:[eE]([+-]?\d+))?)$/.exec(
      s.slice(from, to),
    );
  if (m === null) return false;
  const k = BigInt(Math.abs(v) * 2 ** 1000 * 2 ** 74); // v = ±k·2^-1074
  if (m[1] !== undefined || m[2] !== undefined) {
    const digits = (m[1] ?? '') + (m[2] ?? '');
    const shift = Number(m[3] ?? 0) - 4 * (m[2] ?? '').length + 1074;
    const mant = BigInt(`0x${digits || '0'}`);
    return shift >= 0 ? mant << BigInt(shift) === k : mant === k << BigInt(-shift);
  }
  const frac = m[5] ?? '';
  const e10 = Number(m[6] ?? 0) - frac.length;
  const mant = BigInt(`${m[4] ?? ''}${frac}` || '0');
  // mant·10^e10 = k·2^-1074 needs e10 < 0 for a value this small.
  return e10 < 0 && mant << 1074n === k * 10n ** BigInt(-e10);
}

/**
 * The score SORT reads with strtod: null when Redis reports "can't be converted into double".
 * LAB: sort.c tests errno without clearing it first, so after one ERANGE later numeric SORTs fail
 * on a real server until another command resets errno; here each element is judged on its own.
 */
function sortScore(s: string): number | null {
  const r = strtod(s);
  // eptr[0] != '\0': trailing bytes fail unless they start at a NUL (C string end).
  if (r.end !== s.length && s.charCodeAt(r.end) !== 0) return null;
  if (r.erange || Number.isNaN(r.value)) return null;
  const v = r.value;
  if (v !== 0 && Math.abs(v) < DBL_MIN && !exactSubnormal(s, 0, r.end, v)) return null;
  return v;
}

/** memcmp order then length (compareStringObjects): JS comparison of binary strings. */
const binaryCmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
/** strcoll in the C / C.UTF-8 locale: strcmp, so the strings end at their first NUL byte. */
const collCmp = (a: string, b: string): number => binaryCmp(cstr(a), cstr(b));

interface SortItem {
  readonly obj: string;
  score: number;
  cmpobj: string | null;
}

// ---- the command --------------------------------------------------------------------------------

/** Clamp a parsed long to [lo, hi]. */
function clampLong(v: number | bigint, lo: number, hi: number): number {
  if (v < lo) return lo;
  if (v > hi) return hi;
  return Number(v);
}

function sortGeneric(c: Client, argv: string[], readonly: boolean): Reply {
  let desc = false;
  let alpha = false;
  let limitStart: number | bigint = 0;
  let limitCount: number | bigint = -1;
  let dontsort = false;
  let sortby: string | null = null;
  let storekey: string | null = null;
  const getops: string[] = [];
  // ACLUserCheckCmdWithUnrestrictedKeyAccess, asked only when BY or GET needs it.
  const fullKeyAccess = () => {
    const cmd = c.engine.table.lookup(argv[0]);
    return cmd === undefined || c.engine.acl.canReadAnyKey(c.user, cmd, argv);
  };
  for (let j = 2; j < argv.length; j++) {
    const left = argv.length - j - 1;
    const a = argv[j];
    if (isCToken(a, 'ASC')) desc = false;
    else if (isCToken(a, 'DESC')) desc = true;
    else if (isCToken(a, 'ALPHA')) alpha = true;
    else if (isCToken(a, 'LIMIT') && left >= 2) {
      const s = parseLongLong(argv[j + 1]);
      const n = s === null ? null : parseLongLong(argv[j + 2]);
      if (s === null || n === null) return fail(E.NOT_INTEGER);
      limitStart = s;
      limitCount = n;
      j += 2;
    } else if (!readonly && isCToken(a, 'STORE') && left >= 1) {
      storekey = argv[++j];
    } else if (isCToken(a, 'BY') && left >= 1) {
      sortby = argv[++j];
      // A BY pattern without '*' is constant: nothing to sort, no weight keys to read. A real one
      // reads keys the ACL key patterns cannot vet: only a user who may read any key can use it.
      // LAB: the cluster-mode refusal does not apply (no cluster).
      if (!cstr(sortby).includes('*')) dontsort = true;
      else if (!fullKeyAccess()) return fail(ACL_ERR.SORT_BY);
    } else if (isCToken(a, 'GET') && left >= 1) {
      if (!fullKeyAccess()) return fail(ACL_ERR.SORT_GET);
      getops.push(argv[++j]);
    } else {
      return fail(E.SYNTAX);
    }
  }

  const val = c.db.lookupRead(argv[1]);
  const src = sourceOf(val);
  if (src === null) return fail(E.WRONGTYPE);
  // A set has no order of its own: when its result is stored (or a script reads it: the script
  // client has fd -2), sort it by bytes so that replicas and AOF see the same list.
  if (dontsort && val instanceof RedisSet && (storekey !== null || c.fd === -2)) {
    dontsort = false;
    alpha = true;
    sortby = null;
  }

  let vectorlen = src.length;
  let start = clampLong(limitStart < 0 ? 0 : limitStart, 0, vectorlen);
  const count = clampLong(limitCount < -1 ? -1 : limitCount, -1, vectorlen);
  let end = count < 0 ? vectorlen - 1 : start + count - 1;
  if (start >= vectorlen) {
    start = vectorlen - 1;
    end = vectorlen - 2;
  }
  if (end >= vectorlen) end = vectorlen - 1;

  // Lists and sorted sets with nothing to sort load just the requested range, in their own order.
  const ordered = !(val instanceof RedisSet);
  if (ordered && dontsort && (start !== 0 || end !== vectorlen - 1)) vectorlen = end - start + 1;
  let objs: string[];
  if (ordered && dontsort) {
    if (val instanceof ZSet || end >= start) {
      objs = src.slice(start, vectorlen, desc);
      end -= start;
      start = 0;
    } else {
      objs = [];
    }
  } else {
    objs = src.all();
  }
  const vector: SortItem[] = objs.map((obj) => ({ obj, score: 0, cmpobj: null }));

  let conversionError = false;
  if (!dontsort) {
    for (const item of vector) {
      const byval = sortby !== null ? lookupByPattern(c, sortby, item.obj) : item.obj;
      if (byval === undefined) continue;
      if (alpha) {
        if (sortby !== null) item.cmpobj = byval;
      } else {
        const score = sortScore(byval);
        if (score === null) conversionError = true;
        else item.score = score;
      }
    }
    const storing = storekey !== null;
    const byPattern = sortby !== null;
    const cmp = (a: SortItem, b: SortItem): number => {
      let r: number;
      if (!alpha) {
        // Equal scores fall back to the elements' bytes so the result is deterministic.
        r = a.score > b.score ? 1 : a.score < b.score ? -1 : binaryCmp(a.obj, b.obj);
      } else if (byPattern) {
        if (a.cmpobj === null || b.cmpobj === null) r = a.cmpobj === b.cmpobj ? 0 : a.cmpobj === null ? -1 : 1;
        else r = storing ? binaryCmp(a.cmpobj, b.cmpobj) : collCmp(a.cmpobj, b.cmpobj);
      } else {
        r = storing ? binaryCmp(a.obj, b.obj) : collCmp(a.obj, b.obj);
      }
      return desc ? -r : r;
    };
    if (byPattern && (start !== 0 || end !== vectorlen - 1)) pqsort(vector, cmp, start, end);
    else vector.sort(cmp);
  }

  const outputlen = getops.length > 0 ? getops.length * (end - start + 1) : end - start + 1;
  if (conversionError) return fail(E.SORT_SCORE_NOT_DOUBLE);
  if (storekey === null) {
    const out: Reply[] = [];
    for (let j = start; j <= end; j++) {
      const obj = vector[j].obj;
      if (getops.length === 0) out.push(bulk(obj));
      for (const g of getops) out.push(bulk(lookupByPattern(c, g, obj) ?? null));
    }
    return array(out);
  }
  const sobj = newList(c);
  for (let j = start; j <= end; j++) {
    const obj = vector[j].obj;
    if (getops.length === 0) sobj.pushTail(obj);
    else for (const g of getops) sobj.pushTail(lookupByPattern(c, g, obj) ?? '');
  }
  if (outputlen > 0) {
    c.db.setKey(storekey, sobj);
    c.engine.notify('l', 'sortstore', storekey, c.db.id);
    c.engine.dirty += outputlen;
  } else if (c.db.delete(storekey)) {
    c.engine.notify('g', 'del', storekey, c.db.id);
    c.engine.dirty++;
  }
  return int(outputlen);
}

const COMPLEXITY =
  'O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).';
const NOTE_BY_GET =
  "For the optional BY/GET keyword. It is marked 'unknown' because the key names derive from the content of the key we sort";
const NOTE_STORE =
  "For the optional STORE keyword. It is marked 'unknown' because the keyword can appear anywhere in the argument array";
const SORT_ARGS = [
  key('key', { keySpecIndex: 0 }),
  pattern('pattern', { token: 'BY', optional: true, keySpecIndex: 1 }),
  {
    name: 'offset_count',
    type: 'block',
    token: 'LIMIT',
    optional: true,
    args: [
      { name: 'offset', type: 'integer' },
      { name: 'count', type: 'integer' },
    ],
  },
  pattern('pattern', { token: 'GET', optional: true, multiple: true, multipleToken: true, keySpecIndex: 1 }),
  {
    name: 'order',
    type: 'oneof',
    optional: true,
    args: [
      { name: 'asc', type: 'pure-token', token: 'ASC' },
      { name: 'desc', type: 'pure-token', token: 'DESC' },
    ],
  },
  tok('ALPHA', { name: 'sorting' }),
] as const;
const SORT_KEYSPECS = [
  { flags: ['RO', 'ACCESS'], begin: { index: 1 }, find: { lastKey: 0, step: 1, limit: 0 } },
  { notes: NOTE_BY_GET, flags: ['RO', 'ACCESS'], begin: 'unknown', find: 'unknown' },
] as const;

/** SORT key [BY pattern] [LIMIT offset count] [GET pattern ...] [ASC|DESC] [ALPHA] [STORE destination] */
export const SORT = defineCommand({
  name: 'SORT',
  group: 'generic',
  arity: -2,
  flags: ['write', 'denyoom', 'movablekeys'],
  keySpecs: [...SORT_KEYSPECS, { notes: NOTE_STORE, flags: ['OW', 'UPDATE'], begin: 'unknown', find: 'unknown' }],
  args: [...SORT_ARGS, key('destination', { token: 'STORE', optional: true, keySpecIndex: 2 })],
  summary: 'Sort the elements in a list, set or sorted set',
  complexity: COMPLEXITY,
  since: '1.0.0',
  acl: ['-keyspace', 'set', 'sortedset', 'list', 'dangerous'],
  exec: (c, argv) => sortGeneric(c, argv, false),
});

/** SORT_RO key [BY pattern] [LIMIT offset count] [GET pattern ...] [ASC|DESC] [ALPHA] */
export const SORT_RO = defineCommand({
  name: 'SORT_RO',
  group: 'generic',
  arity: -2,
  flags: ['readonly', 'movablekeys'],
  keySpecs: SORT_KEYSPECS,
  args: SORT_ARGS,
  summary: 'Sort the elements in a list, set or sorted set. Read-only variant of SORT.',
  complexity: COMPLEXITY,
  since: '7.0.0',
  acl: ['-keyspace', 'set', 'sortedset', 'list', 'dangerous'],
  exec: (c, argv) => sortGeneric(c, argv, true),
});

export const SORT_COMMANDS: readonly CommandSpec[] = [SORT, SORT_RO];
