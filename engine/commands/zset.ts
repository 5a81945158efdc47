// Sorted-set commands (src/t_zset.c): ZADD/ZINCRBY, ZREM, ZCARD, ZSCORE, ZMSCORE, ZRANK, ZREVRANK,
// ZSCAN and ZRANDMEMBER. Ranges live in zset-range.ts, set algebra in zset-store.ts, pops in
// zset-pop.ts; ZSET_COMMANDS gathers them all.

import type { Client } from '../client';
import { E, valueOutOfRangeBetween } from '../errors';
import { array, bulk, double, EMPTY_ARRAY, int, NIL, type Reply, ZERO } from '../protocol/reply';
import {
  ZADD_GT,
  ZADD_INCR,
  ZADD_LT,
  ZADD_NX,
  ZADD_OUT_ADDED,
  ZADD_OUT_NAN,
  ZADD_OUT_NOP,
  ZADD_OUT_UPDATED,
  ZADD_XX,
  ZSet,
} from '../types/zset';
import type { ZsetOp } from '../types/zset-view';
import { formatDouble } from '../util/format-double';
import { fail, isCToken, parseInteger, parseScore } from './args';
import { type CommandSpec, defineCommand, key } from './define';
import { removeElements } from './collection';
import { parseScanCursor } from './keys';
import { EMPTY_SCAN, parseScanOptions, scanCollection } from './scan-collection';
import { ElementReply, readZSet, writeZSet, zkeys } from './zset-common';
import { traceZset, zsetsWatched } from './zset-trace';
import { ZSET_POP_COMMANDS } from './zset-pop';
import { ZSET_RANGE_COMMANDS } from './zset-range';
import { ZSET_STORE_COMMANDS } from './zset-store';

/**
 * The scores of a ZADD of up to 64 pairs, parsed before anything changes (reused: no allocation per
 * command; nothing a ZADD runs before its last add can start another ZADD).
 */
const SCORE_BUF = new Float64Array(64);

/** zaddGenericCommand: ZADD and ZINCRBY (which is ZADD with INCR). */
function zaddGeneric(c: Client, argv: string[], inFlags: number): Reply {
  const k = argv[1];
  let flags = inFlags;
  let ch = false;
  let idx = 2;
  for (; idx < argv.length; idx++) {
    const opt = argv[idx];
    if (isCToken(opt, 'NX')) flags |= ZADD_NX;
    else if (isCToken(opt, 'XX')) flags |= ZADD_XX;
    else if (isCToken(opt, 'CH')) ch = true;
    else if (isCToken(opt, 'INCR')) flags |= ZADD_INCR;
    else if (isCToken(opt, 'GT')) flags |= ZADD_GT;
    else if (isCToken(opt, 'LT')) flags |= ZADD_LT;
    else break;
  }
  const incr = (flags & ZADD_INCR) !== 0;
  const nx = (flags & ZADD_NX) !== 0;
  const xx = (flags & ZADD_XX) !== 0;
  const gt = (flags & ZADD_GT) !== 0;
  const lt = (flags & ZADD_LT) !== 0;
  const elements = argv.length - idx;
  if (elements % 2 !== 0 || elements === 0) fail(E.SYNTAX);
  const pairs = elements / 2;
  if (nx && xx) fail(E.UNKNOWN_ENCODING_NX_XX);
  if ((gt && nx) || (lt && nx) || (gt && lt)) fail(E.GT_LT_NX);
  if (incr && pairs > 1) fail(E.ZSET_INCR_PAIR);
  // Every score is parsed before anything changes: the command runs fully or not at all.
  const scores = pairs <= SCORE_BUF.length ? SCORE_BUF : new Float64Array(pairs);
  for (let j = 0; j < pairs; j++) scores[j] = parseScore(argv[idx + j * 2]);

  let added = 0;
  let updated = 0;
  let processed = 0;
  let score = 0;
  let z = writeZSet(c, k);
  if (z === undefined) {
    if (xx) return incr ? NIL : ZERO;
    z = ZSet.forNewKey(c.engine, argv[idx + 1].length);
    c.db.add(k, z);
  }
  const zs = z;
  const traced = zsetsWatched(c.engine);
  for (let j = 0; j < pairs; j++) {
    const member = argv[idx + 1 + j * 2];
    const out = traced ? addTraced(c, k, zs, scores[j], member, flags) : zs.add(scores[j], member, flags);
    if (out & ZADD_OUT_NAN) {
      if (added || updated) touched(c, k, incr);
      fail(E.ZSET_NAN);
    }
    if (out & ZADD_OUT_ADDED) added++;
    if (out & ZADD_OUT_UPDATED) updated++;
    if (!(out & ZADD_OUT_NOP)) {
      processed++;
      score = z.newScore;
    }
  }
  c.engine.dirty += added + updated;
  if (added || updated) touched(c, k, incr);
  if (incr) return processed ? double(score) : NIL;
  return int(ch ? added + updated : added);
}

/** One zsetAdd watched by the lab's panels (its own function: the loop above allocates no closure). */
function addTraced(c: Client, k: string, z: ZSet, score: number, member: string, flags: number): number {
  return traceZset(c, k, z, member, () => z.add(score, member, flags), zaddOp);
}

/** The panel's name for what one zsetAdd did. */
const zaddOp = (out: number): ZsetOp | null =>
  out & ZADD_OUT_ADDED ? 'insert' : out & ZADD_OUT_UPDATED ? 'update' : null;

function touched(c: Client, k: string, incr: boolean): void {
  c.db.signalModified(k);
  c.engine.notify('z', incr ? 'zincr' : 'zadd', k, c.db.id);
}

/** ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...] */
export const ZADD = defineCommand({
  name: 'ZADD',
  group: 'sorted-set',
  arity: -4,
  flags: ['write', 'denyoom', 'fast'],
  keys: { first: 1, last: 1, step: 1 },
  args: [
    key('key'),
    {
      name: 'condition',
      type: 'oneof',
      optional: true,
      since: '3.0.2',
      args: [
        { name: 'nx', type: 'pure-token', token: 'NX' },
        { name: 'xx', type: 'pure-token', token: 'XX' },
      ],
    },
    {
      name: 'comparison',
      type: 'oneof',
      optional: true,
      since: '6.2.0',
      args: [
        { name: 'gt', type: 'pure-token', token: 'GT' },
        { name: 'lt', type: 'pure-token', token: 'LT' },
      ],
    },
    { name: 'change', type: 'pure-token', token: 'CH', optional: true, since: '3.0.2' },
    { name: 'increment', type: 'pure-token', token: 'INCR', optional: true, since: '3.0.2' },
    {
      name: 'score_member',
      type: 'block',
      multiple: true,
      args: [
        { name: 'score', type: 'double' },
        { name: 'member', type: 'string' },
      ],
    },
  ],
  summary: 'Add one or more members to a sorted set, or update its score if it already exists',
  complexity: 'O(log(N)) for each item added, where N is the number of elements in the sorted set.',
  since: '1.2.0',
  keySpecs: zkeys(['RW', 'UPDATE']),
  history: [
    ['2.4.0', 'Accepts multiple elements.'],
    ['3.0.2', 'Added the `XX`, `NX`, `CH` and `INCR` options.'],
    ['6.2.0', 'Added the `GT` and `LT` options.'],
  ],
  exec: (c, argv) => zaddGeneric(c, argv, 0),
});

/** ZINCRBY key increment member */
export const ZINCRBY = defineCommand({
  name: 'ZINCRBY',
  group: 'sorted-set',
  arity: 4,
  flags: ['write', 'denyoom', 'fast'],
  keys: { first: 1, last: 1, step: 1 },
  args: [key('key'), { name: 'increment', type: 'integer' }, { name: 'member', type: 'string' }],
  summary: 'Increment the score of a member in a sorted set',
  complexity: 'O(log(N)) where N is the number of elements in the sorted set.',
  since: '1.2.0',
  keySpecs: zkeys(['RW', 'ACCESS', 'UPDATE']),
  exec: (c, argv) => zaddGeneric(c, argv, ZADD_INCR),
});

/** ZREM key member [member ...] */
export const ZREM = defineCommand({
  name: 'ZREM',
  group: 'sorted-set',
  arity: -3,
  flags: ['write', 'fast'],
  keys: { first: 1, last: 1, step: 1 },
  args: [key('key'), { name: 'member', type: 'string', multiple: true }],
  summary: 'Remove one or more members from a sorted set',
  complexity:
    'O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed.',
  since: '1.2.0',
  keySpecs: zkeys(['RW', 'DELETE']),
  history: [['2.4.0', 'Accepts multiple elements.']],
  exec(c, argv): Reply {
    const k = argv[1];
    const z = writeZSet(c, k);
    if (z === undefined) return ZERO;
    const traced = zsetsWatched(c.engine);
    const remove = (m: string): boolean =>
      traced
        ? traceZset(
            c,
            k,
            z,
            m,
            () => z.delete(m),
            (d) => (d ? 'delete' : null),
          )
        : z.delete(m);
    return int(removeElements(c, k, argv, 2, remove, () => z.length, 'z', 'zrem'));
  },
});

/** ZCARD key */
export const ZCARD = defineCommand({
  name: 'ZCARD',
  group: 'sorted-set',
  arity: 2,
  flags: ['readonly', 'fast'],
  keys: { first: 1, last: 1, step: 1 },
  args: [key('key')],
  summary: 'Get the number of members in a sorted set',
  complexity: 'O(1)',
  since: '1.2.0',
  keySpecs: zkeys(['RO']),
  exec(c, argv): Reply {
    const z = readZSet(c, argv[1]);
    return z === undefined ? ZERO : int(z.length);
  },
});

/** ZSCORE key member */
export const ZSCORE = defineCommand({
  name: 'ZSCORE',
  group: 'sorted-set',
  arity: 3,
  flags: ['readonly', 'fast'],
  keys: { first: 1, last: 1, step: 1 },
  args: [key('key'), { name: 'member', type: 'string' }],
  summary: 'Get the score associated with the given member in a sorted set',
  complexity: 'O(1)',
  since: '1.2.0',
  keySpecs: zkeys(['RO', 'ACCESS']),
  exec(c, argv): Reply {
    const z = readZSet(c, argv[1]);
    const s = z?.score(argv[2]);
    return s === undefined ? NIL : double(s);
  },
});

/** ZMSCORE key member [member ...] */
export const ZMSCORE = defineCommand({
  name: 'ZMSCORE',
  group: 'sorted-set',
  arity: -3,
  flags: ['readonly', 'fast'],
  keys: { first: 1, last: 1, step: 1 },
  args: [key('key'), { name: 'member', type: 'string', multiple: true }],
  summary: 'Get the score associated with the given members in a sorted set',
  complexity: 'O(N) where N is the number of members being requested.',
  since: '6.2.0',
  keySpecs: zkeys(['RO', 'ACCESS']),
  exec(c, argv): Reply {
    const z = readZSet(c, argv[1]);
    const out: Reply[] = [];
    for (let j = 2; j < argv.length; j++) {
      const s = z?.score(argv[j]);
      out.push(s === undefined ? NIL : double(s));
    }
    return array(out);
  },
});

function zrankGeneric(c: Client, argv: string[], reverse: boolean): Reply {
  const z = readZSet(c, argv[1]);
  if (z === undefined) return NIL;
  const m = argv[2];
  const r = zsetsWatched(c.engine)
    ? traceZset(
        c,
        argv[1],
        z,
        m,
        () => z.rank(m, reverse),
        (rank) => (rank >= 0 ? 'rank' : null),
      )
    : z.rank(m, reverse);
  return r >= 0 ? int(r) : NIL;
}

/** ZRANK key member */
export const ZRANK = defineCommand({
  name: 'ZRANK',
  group: 'sorted-set',
  arity: 3,
  flags: ['readonly', 'fast'],
  keys: { first: 1, last: 1, step: 1 },
  args: [key('key'), { name: 'member', type: 'string' }],
  summary: 'Determine the index of a member in a sorted set',
  complexity: 'O(log(N))',
  since: '2.0.0',
  keySpecs: zkeys(['RO', 'ACCESS']),
  exec: (c, argv) => zrankGeneric(c, argv, false),
});

/** ZREVRANK key member */
export const ZREVRANK = defineCommand({
  name: 'ZREVRANK',
  group: 'sorted-set',
  arity: 3,
  flags: ['readonly', 'fast'],
  keys: { first: 1, last: 1, step: 1 },
  args: [key('key'), { name: 'member', type: 'string' }],
  summary: 'Determine the index of a member in a sorted set, with scores ordered from high to low',
  complexity: 'O(log(N))',
  since: '2.0.0',
  keySpecs: zkeys(['RO', 'ACCESS']),
  exec: (c, argv) => zrankGeneric(c, argv, true),
});

/** ZSCAN key cursor [MATCH pattern] [COUNT count] */
export const ZSCAN = defineCommand({
  name: 'ZSCAN',
  group: 'sorted-set',
  arity: -3,
  flags: ['readonly'],
  keys: { first: 1, last: 1, step: 1 },
  args: [
    key('key'),
    { name: 'cursor', type: 'integer' },
    { name: 'pattern', type: 'pattern', token: 'MATCH', optional: true },
    { name: 'count', type: 'integer', token: 'COUNT', optional: true },
  ],
  summary: 'Incrementally iterate sorted sets elements and associated scores',
  complexity:
    'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..',
  since: '2.8.0',
  keySpecs: zkeys(['RO', 'ACCESS']),
  tips: ['nondeterministic_output'],
  exec(c, argv): Reply {
    const cursor = parseScanCursor(argv[2]);
    const z = readZSet(c, argv[1]);
    if (z === undefined) return EMPTY_SCAN;
    const opts = parseScanOptions(argv, 3);
    return scanCollection(
      cursor,
      opts,
      2,
      (cur, out) => (z.isListpack ? undefined : z.scanStep(cur, (m, s) => out.push(m, formatDouble(s)))),
      (out) => z.scanListpack((m, s) => out.push(m, s)),
    );
  },
});

const LONG_MAX = 9223372036854775807n;

/** ZRANDMEMBER key [count [WITHSCORES]] */
export const ZRANDMEMBER = defineCommand({
  name: 'ZRANDMEMBER',
  group: 'sorted-set',
  arity: -2,
  flags: ['readonly'],
  keys: { first: 1, last: 1, step: 1 },
  args: [
    key('key'),
    {
      name: 'options',
      type: 'block',
      optional: true,
      args: [
        { name: 'count', type: 'integer' },
        { name: 'withscores', type: 'pure-token', token: 'WITHSCORES', optional: true },
      ],
    },
  ],
  summary: 'Get one or multiple random elements from a sorted set',
  complexity: 'O(N) where N is the number of elements returned',
  since: '6.2.0',
  keySpecs: zkeys(['RO', 'ACCESS']),
  tips: ['nondeterministic_output'],
  exec(c, argv): Reply {
    if (argv.length >= 3) {
      const l = BigInt(parseInteger(argv[2]));
      if (l < -LONG_MAX) fail(valueOutOfRangeBetween('-9223372036854775807', '9223372036854775807'));
      if (argv.length > 4 || (argv.length === 4 && !isCToken(argv[3], 'WITHSCORES'))) fail(E.SYNTAX);
      const withscores = argv.length === 4;
      if (withscores && (l < -LONG_MAX / 2n || l > LONG_MAX / 2n)) fail(E.OUT_OF_RANGE);
      return zrandmemberWithCount(c, argv[1], l, withscores);
    }
    const z = readZSet(c, argv[1]);
    if (z === undefined) return NIL;
    return bulk(z.randomElement()[0]);
  },
});

/** zrandmemberWithCountCommand: the four cases of t_zset.c. */
function zrandmemberWithCount(c: Client, k: string, l: bigint, withscores: boolean): Reply {
  const z = readZSet(c, k);
  if (z === undefined) return EMPTY_ARRAY;
  const size = z.length;
  const uniq = l >= 0n;
  const count = Number(uniq ? l : -l);
  if (count === 0) return EMPTY_ARRAY;
  const out = new ElementReply(withscores, c.resp);
  // CASE 1: negative count (repeats allowed) or a single element.
  if (!uniq || count === 1) {
    for (let i = 0; i < count; i++) {
      const [m, s] = z.randomElement();
      out.emit(m, s);
    }
    return out.reply();
  }
  // CASE 2: asking for the whole set or more: everything, walked from the tail.
  if (count >= size) {
    z.forEachReverse(out.emit);
    return out.reply();
  }
  // CASE 3: close to the size: copy everything, then drop random elements.
  if (count * 3 > size) {
    const members: string[] = [];
    const scores: number[] = [];
    z.forEachReverse((m, s) => {
      members.push(m);
      scores.push(s);
    });
    let n = size;
    while (n > count) {
      const i = c.engine.random.int(n);
      n--;
      members[i] = members[n];
      scores[i] = scores[n];
    }
    for (let i = 0; i < count; i++) out.emit(members[i], scores[i]);
    return out.reply();
  }
  // CASE 4: a big set: sample until enough distinct members.
  if (z.isListpack) {
    z.randomUniqueListpack(count, out.emit);
    return out.reply();
  }
  const seen = new Set<string>();
  while (seen.size < count) {
    const [m, s] = z.randomElement();
    if (seen.has(m)) continue;
    seen.add(m);
    out.emit(m, s);
  }
  return out.reply();
}

export const ZSET_COMMANDS: readonly CommandSpec[] = [
  ZADD,
  ZINCRBY,
  ZREM,
  ZCARD,
  ZSCORE,
  ZMSCORE,
  ZRANK,
  ZREVRANK,
  ZSCAN,
  ZRANDMEMBER,
  ...ZSET_RANGE_COMMANDS,
  ...ZSET_STORE_COMMANDS,
  ...ZSET_POP_COMMANDS,
];
