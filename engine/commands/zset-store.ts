// Sorted-set algebra (src/t_zset.c zunionInterDiffGenericCommand): ZUNION, ZINTER, ZDIFF, their
// STORE forms and ZINTERCARD. Inputs may be sorted sets or sets (members count with score 1);
// results are built in a skiplist-encoded set, and stores shrink small results to a listpack.

import type { Client } from '../client';
import { atLeastOneInputKey, E } from '../errors';
import { int, type Reply, ZERO } from '../protocol/reply';
import type { ZSet } from '../types/zset';
import { fail, isCToken, parseInt64, parseLongLong, parseScore } from './args';
import { type ArgSpec, type CommandSpec, defineCommand, type KeySpec, key } from './define';
import { ElementReply, newZSet, type OpSource, opSource, zkeys } from './zset-common';

type Op = 'union' | 'inter' | 'diff';
type Aggregate = 'sum' | 'min' | 'max';

interface Src {
  src: OpSource;
  weight: number;
}

function srcLength(s: OpSource): number {
  return s.kind === 'zset' ? s.z.length : s.kind === 'set' ? s.s.size : 0;
}

/** zuiNext order: sorted sets from the highest element down, sets in their own order (score 1). */
function forEachElement(s: OpSource, fn: (member: string, score: number) => void): void {
  if (s.kind === 'zset') s.z.forEachReverse(fn);
  else if (s.kind === 'set') for (const m of s.s.members()) fn(m, 1);
}

/** zuiFind: the member's score in the input, undefined when absent. */
function findScore(s: OpSource, member: string): number | undefined {
  if (s.kind === 'zset') return s.z.score(member);
  if (s.kind === 'set') return s.s.has(member) ? 1 : undefined;
  return undefined;
}

const sameSubject = (a: OpSource, b: OpSource): boolean =>
  (a.kind === 'zset' && b.kind === 'zset' && a.z === b.z) || (a.kind === 'set' && b.kind === 'set' && a.s === b.s);

/** zunionInterAggregate: +inf + -inf sums to 0; MIN/MAX ignore a NaN contribution. */
function aggregate(target: number, val: number, how: Aggregate): number {
  if (how === 'sum') {
    const r = target + val;
    return Number.isNaN(r) ? 0 : r;
  }
  // Not Math.min/max: a NaN contribution must leave the target alone, as C's comparisons do.
  if (how === 'min') {
    if (val < target) return val;
    return target;
  }
  if (val > target) return val;
  return target;
}

/** A result accumulator tracking the longest member (zsetConvertToListpackIfNeeded's input). */
class Result {
  maxLen = 0;
  constructor(readonly z: ZSet) {}
  insert(member: string, score: number): void {
    this.z.insertNew(member, score);
    if (member.length > this.maxLen) this.maxLen = member.length;
  }
}

function zinter(srcs: Src[], how: Aggregate, out: Result | null, limit: number): number {
  let cardinality = 0;
  if (srcLength(srcs[0].src) === 0) return 0;
  const first = srcs[0];
  const elements: [string, number][] = [];
  forEachElement(first.src, (m, s) => elements.push([m, s]));
  for (const [m, s] of elements) {
    let score = first.weight * s;
    if (Number.isNaN(score)) score = 0;
    let j = 1;
    for (; j < srcs.length; j++) {
      const other = srcs[j];
      let value: number;
      if (sameSubject(other.src, first.src)) value = s * other.weight;
      else {
        const found = findScore(other.src, m);
        if (found === undefined) break;
        value = found * other.weight;
      }
      score = aggregate(score, value, how);
    }
    if (j !== srcs.length) continue;
    if (out === null) {
      cardinality++;
      if (limit > 0 && cardinality >= limit) break;
    } else out.insert(m, score);
  }
  return cardinality;
}

function zunion(srcs: Src[], how: Aggregate, out: Result): void {
  const acc = new Map<string, number>();
  for (const { src, weight } of srcs) {
    forEachElement(src, (m, s) => {
      let score = weight * s;
      if (Number.isNaN(score)) score = 0;
      const cur = acc.get(m);
      acc.set(m, cur === undefined ? score : aggregate(cur, score, how));
    });
  }
  for (const [m, s] of acc) out.insert(m, s);
}

/** zdiff: Redis picks between two algorithms by estimated work; both give the same result. */
function zdiff(srcs: Src[], out: Result): void {
  const first = srcs[0].src;
  if (srcLength(first) === 0) return;
  let one = 0;
  let two = 0;
  for (let j = 0; j < srcs.length; j++) {
    if (j > 0 && sameSubject(first, srcs[j].src)) return;
    one += srcLength(first);
    two += srcLength(srcs[j].src);
  }
  one = Math.floor(one / 2);
  if (one <= two) {
    // Algorithm 1: keep each element of the first input found in no other (biggest first).
    const rest = srcs.slice(1).sort((a, b) => srcLength(b.src) - srcLength(a.src));
    forEachElement(first, (m, s) => {
      for (const o of rest) if (findScore(o.src, m) !== undefined) return;
      out.insert(m, s);
    });
    return;
  }
  // Algorithm 2: copy the first input, then remove every element of the others.
  forEachElement(first, (m, s) => out.z.insertNew(m, s));
  for (let j = 1; j < srcs.length && out.z.length > 0; j++) {
    forEachElement(srcs[j].src, (m) => {
      if (out.z.length > 0) out.z.delete(m);
    });
  }
  out.z.forEach((m) => {
    if (m.length > out.maxLen) out.maxLen = m.length;
  });
}

/**
 * zunionInterDiffGenericCommand. `numkeysIdx` is where numkeys sits (1, or 2 for the STOREs);
 * `cardinalityOnly` is ZINTERCARD.
 */
function zsetOpGeneric(
  c: Client,
  argv: string[],
  dstKey: string | null,
  numkeysIdx: number,
  op: Op,
  cardinalityOnly: boolean,
): Reply {
  const setnum = parseInt64(argv[numkeysIdx]);
  if (setnum < 1) fail(atLeastOneInputKey(argv[0].toLowerCase()));
  if (setnum > argv.length - (numkeysIdx + 1)) fail(E.SYNTAX);
  const srcs: Src[] = [];
  let j = numkeysIdx + 1;
  for (let i = 0; i < setnum; i++, j++) srcs.push({ src: opSource(c.db.lookupRead(argv[j])), weight: 1 });

  let how: Aggregate = 'sum';
  let withscores = false;
  let limit = 0;
  while (j < argv.length) {
    const remaining = argv.length - j;
    const a = argv[j];
    if (op !== 'diff' && !cardinalityOnly && remaining >= setnum + 1 && isCToken(a, 'WEIGHTS')) {
      j++;
      for (let i = 0; i < setnum; i++, j++) srcs[i].weight = parseScore(argv[j], E.ZSET_WEIGHT_NOT_FLOAT);
    } else if (op !== 'diff' && !cardinalityOnly && remaining >= 2 && isCToken(a, 'AGGREGATE')) {
      const v = argv[j + 1];
      if (isCToken(v, 'SUM')) how = 'sum';
      else if (isCToken(v, 'MIN')) how = 'min';
      else if (isCToken(v, 'MAX')) how = 'max';
      else fail(E.SYNTAX);
      j += 2;
    } else if (remaining >= 1 && dstKey === null && !cardinalityOnly && isCToken(a, 'WITHSCORES')) {
      j++;
      withscores = true;
    } else if (cardinalityOnly && remaining >= 2 && isCToken(a, 'LIMIT')) {
      const n = parseLongLong(argv[j + 1]);
      if (n === null || n < 0) fail(E.LIMIT_NEGATIVE);
      limit = Number(n);
      j += 2;
    } else {
      fail(E.SYNTAX);
    }
  }
  // Smallest inputs first (a stable sort, as glibc's merge-sorting qsort).
  if (op !== 'diff') srcs.sort((a, b) => srcLength(a.src) - srcLength(b.src));

  if (cardinalityOnly) return int(zinter(srcs, how, null, limit));
  const result = new Result(newZSet(c, true));
  if (op === 'inter') zinter(srcs, how, result, 0);
  else if (op === 'union') zunion(srcs, how, result);
  else zdiff(srcs, result);

  const dst = result.z;
  if (dstKey !== null) {
    if (dst.length > 0) {
      dst.convertToListpackIfNeeded(result.maxLen);
      c.db.setKey(dstKey, dst);
      c.engine.notify('z', `z${op}store`, dstKey, c.db.id);
      c.engine.dirty++;
      return int(dst.length);
    }
    if (c.db.delete(dstKey)) {
      c.engine.notify('g', 'del', dstKey, c.db.id);
      c.engine.dirty++;
    }
    return ZERO;
  }
  const out = new ElementReply(withscores, c.resp);
  dst.forEach(out.emit);
  return out.reply();
}

const NUMKEYS: ArgSpec = { name: 'numkeys', type: 'integer' };
const KEYS: ArgSpec = key('key', { multiple: true });
const WEIGHTS: ArgSpec = { name: 'weight', type: 'integer', token: 'WEIGHTS', optional: true, multiple: true };
const AGGREGATE: ArgSpec = {
  name: 'aggregate',
  type: 'oneof',
  token: 'AGGREGATE',
  optional: true,
  args: [
    { name: 'sum', type: 'pure-token', token: 'SUM' },
    { name: 'min', type: 'pure-token', token: 'MIN' },
    { name: 'max', type: 'pure-token', token: 'MAX' },
  ],
};
const WITHSCORES: ArgSpec = { name: 'withscores', type: 'pure-token', token: 'WITHSCORES', optional: true };
const NUMKEYS_SPEC = (begin: number): KeySpec => ({
  flags: ['RO', 'ACCESS'],
  begin: { index: begin },
  find: { keyNumIdx: 0, firstKey: 1, step: 1 },
});
const STORE_SPECS: KeySpec[] = [...zkeys(['OW', 'UPDATE']), NUMKEYS_SPEC(2)];
const UNION_COMPLEXITY =
  'O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.';
const INTER_COMPLEXITY =
  'O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.';
const DIFF_COMPLEXITY =
  'O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.';

/** ZUNION numkeys key [key ...] [WEIGHTS weight ...] [AGGREGATE SUM|MIN|MAX] [WITHSCORES] */
export const ZUNION = defineCommand({
  name: 'ZUNION',
  group: 'sorted-set',
  arity: -3,
  flags: ['readonly', 'movablekeys'],
  args: [NUMKEYS, KEYS, WEIGHTS, AGGREGATE, WITHSCORES],
  summary: 'Add multiple sorted sets',
  complexity: UNION_COMPLEXITY,
  since: '6.2.0',
  keySpecs: [NUMKEYS_SPEC(1)],
  exec: (c, argv) => zsetOpGeneric(c, argv, null, 1, 'union', false),
});

/** ZINTER numkeys key [key ...] [WEIGHTS weight ...] [AGGREGATE SUM|MIN|MAX] [WITHSCORES] */
export const ZINTER = defineCommand({
  name: 'ZINTER',
  group: 'sorted-set',
  arity: -3,
  flags: ['readonly', 'movablekeys'],
  args: [NUMKEYS, KEYS, WEIGHTS, AGGREGATE, WITHSCORES],
  summary: 'Intersect multiple sorted sets',
  complexity: INTER_COMPLEXITY,
  since: '6.2.0',
  keySpecs: [NUMKEYS_SPEC(1)],
  exec: (c, argv) => zsetOpGeneric(c, argv, null, 1, 'inter', false),
});

/** ZDIFF numkeys key [key ...] [WITHSCORES] */
export const ZDIFF = defineCommand({
  name: 'ZDIFF',
  group: 'sorted-set',
  arity: -3,
  flags: ['readonly', 'movablekeys'],
  args: [NUMKEYS, KEYS, WITHSCORES],
  summary: 'Subtract multiple sorted sets',
  complexity: DIFF_COMPLEXITY,
  since: '6.2.0',
  keySpecs: [NUMKEYS_SPEC(1)],
  exec: (c, argv) => zsetOpGeneric(c, argv, null, 1, 'diff', false),
});

/** ZUNIONSTORE destination numkeys key [key ...] [WEIGHTS weight ...] [AGGREGATE SUM|MIN|MAX] */
export const ZUNIONSTORE = defineCommand({
  name: 'ZUNIONSTORE',
  group: 'sorted-set',
  arity: -4,
  flags: ['write', 'denyoom', 'movablekeys'],
  keys: { first: 1, last: 1, step: 1 },
  args: [key('destination'), NUMKEYS, KEYS, WEIGHTS, AGGREGATE],
  summary: 'Add multiple sorted sets and store the resulting sorted set in a new key',
  complexity:
    'O(N)+O(M log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.',
  since: '2.0.0',
  keySpecs: STORE_SPECS,
  exec: (c, argv) => zsetOpGeneric(c, argv, argv[1], 2, 'union', false),
});

/** ZINTERSTORE destination numkeys key [key ...] [WEIGHTS weight ...] [AGGREGATE SUM|MIN|MAX] */
export const ZINTERSTORE = defineCommand({
  name: 'ZINTERSTORE',
  group: 'sorted-set',
  arity: -4,
  flags: ['write', 'denyoom', 'movablekeys'],
  keys: { first: 1, last: 1, step: 1 },
  args: [key('destination'), NUMKEYS, KEYS, WEIGHTS, AGGREGATE],
  summary: 'Intersect multiple sorted sets and store the resulting sorted set in a new key',
  complexity: INTER_COMPLEXITY,
  since: '2.0.0',
  keySpecs: STORE_SPECS,
  exec: (c, argv) => zsetOpGeneric(c, argv, argv[1], 2, 'inter', false),
});

/** ZDIFFSTORE destination numkeys key [key ...] */
export const ZDIFFSTORE = defineCommand({
  name: 'ZDIFFSTORE',
  group: 'sorted-set',
  arity: -4,
  flags: ['write', 'denyoom', 'movablekeys'],
  keys: { first: 1, last: 1, step: 1 },
  args: [key('destination'), NUMKEYS, KEYS],
  summary: 'Subtract multiple sorted sets and store the resulting sorted set in a new key',
  complexity: DIFF_COMPLEXITY,
  since: '6.2.0',
  keySpecs: STORE_SPECS,
  exec: (c, argv) => zsetOpGeneric(c, argv, argv[1], 2, 'diff', false),
});

/** ZINTERCARD numkeys key [key ...] [LIMIT limit] */
export const ZINTERCARD = defineCommand({
  name: 'ZINTERCARD',
  group: 'sorted-set',
  arity: -3,
  flags: ['readonly', 'movablekeys'],
  args: [NUMKEYS, KEYS, { name: 'limit', type: 'integer', token: 'LIMIT', optional: true }],
  summary: 'Intersect multiple sorted sets and return the cardinality of the result',
  complexity: 'O(N*K) worst case with N being the smallest input sorted set, K being the number of input sorted sets.',
  since: '7.0.0',
  keySpecs: [NUMKEYS_SPEC(1)],
  exec: (c, argv) => zsetOpGeneric(c, argv, null, 1, 'inter', true),
});

export const ZSET_STORE_COMMANDS: readonly CommandSpec[] = [
  ZUNION,
  ZINTER,
  ZDIFF,
  ZUNIONSTORE,
  ZINTERSTORE,
  ZDIFFSTORE,
  ZINTERCARD,
];
