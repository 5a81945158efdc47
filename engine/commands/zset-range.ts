// Sorted-set range commands (src/t_zset.c zrangeGenericCommand & co): ZRANGE with BYSCORE/BYLEX/
// REV/LIMIT/WITHSCORES, ZRANGESTORE, the deprecated ZREVRANGE/Z[REV]RANGEBYSCORE/Z[REV]RANGEBYLEX,
// ZCOUNT, ZLEXCOUNT and ZREMRANGEBYRANK/SCORE/LEX.

import type { Client } from '../client';
import { E } from '../errors';
import { EMPTY_ARRAY, int, type Reply, ZERO } from '../protocol/reply';
import type { LexRange, ScoreRange } from '../types/skiplist';
import type { ZSet } from '../types/zset';
import { fail, isCToken, parseInt64, parseLexRange, parseScoreRange } from './args';
import { type ArgSpec, type CommandSpec, defineCommand, key } from './define';
import { traceZset, zsetsWatched } from './zset-trace';
import { deleteIfEmpty, ElementReply, newZSet, readZSet, writeZSet, zkeys } from './zset-common';

type RangeType = 'auto' | 'rank' | 'score' | 'lex';
type Direction = 'auto' | 'forward' | 'reverse';

/** Where range results go: the client's reply, or a new sorted set (ZRANGESTORE). */
interface RangeSink {
  /** The number of results when known in advance (by rank), -1 otherwise. */
  begin(length: number): void;
  emit(member: string, score: number): void;
  finalize(count: number): Reply;
}

class ClientSink implements RangeSink {
  private readonly out: ElementReply;
  constructor(withscores: boolean, resp: number) {
    this.out = new ElementReply(withscores, resp);
  }
  begin(): void {}
  readonly emit = (m: string, s: number): void => this.out.emit(m, s);
  finalize(): Reply {
    return this.out.reply();
  }
}

/** zrangeResultBeginStore & co: build the destination, then setKey it (or delete it when empty). */
class StoreSink implements RangeSink {
  private dst: ZSet | null = null;
  constructor(
    private readonly c: Client,
    private readonly dstKey: string,
  ) {}
  begin(length: number): void {
    this.dst = newZSet(this.c, length > this.c.engine.config.getInt('zset-max-listpack-entries'));
  }
  readonly emit = (m: string, s: number): void => {
    (this.dst as ZSet).add(s, m, 0);
  };
  finalize(count: number): Reply {
    const c = this.c;
    if (count > 0) {
      c.db.setKey(this.dstKey, this.dst as ZSet);
      c.engine.notify('z', 'zrangestore', this.dstKey, c.db.id);
      c.engine.dirty++;
      return int(count);
    }
    if (c.db.delete(this.dstKey)) {
      c.engine.notify('g', 'del', this.dstKey, c.db.id);
      c.engine.dirty++;
    }
    return ZERO;
  }
}

/** Redis's rank sanitising: negative from the end, clamped; null when the range is empty. */
function clampRanks(start: number, end: number, llen: number): [number, number] | null {
  if (start < 0) start = llen + start;
  if (end < 0) end = llen + end;
  if (start < 0) start = 0;
  if (start > end || start >= llen) return null;
  if (end >= llen) end = llen - 1;
  return [start, end];
}

/**
 * zrangeGenericCommand: `<src> <min> <max> [BYSCORE|BYLEX] [REV] [WITHSCORES] [LIMIT offset count]`
 * starting at argv[argStart]; the deprecated commands pass a fixed range type and direction.
 */
function zrangeGeneric(
  c: Client,
  argv: string[],
  argStart: number,
  dstKey: string | null,
  type: RangeType,
  direction: Direction,
): Reply {
  const store = dstKey !== null;
  let minIdx = argStart + 1;
  let maxIdx = argStart + 2;
  let withscores = false;
  let offset = 0;
  let limit = -1;
  for (let j = argStart + 3; j < argv.length; j++) {
    const left = argv.length - j - 1;
    const a = argv[j];
    if (!store && isCToken(a, 'WITHSCORES')) withscores = true;
    else if (isCToken(a, 'LIMIT') && left >= 2) {
      offset = parseInt64(argv[j + 1]);
      limit = parseInt64(argv[j + 2]);
      j += 2;
    } else if (direction === 'auto' && isCToken(a, 'REV')) direction = 'reverse';
    else if (type === 'auto' && isCToken(a, 'BYLEX')) type = 'lex';
    else if (type === 'auto' && isCToken(a, 'BYSCORE')) type = 'score';
    else fail(E.SYNTAX);
  }
  if (direction === 'auto') direction = 'forward';
  if (type === 'auto') type = 'rank';
  if (limit !== -1 && type === 'rank') fail(E.ZSET_LIMIT_BYSCORE_BYLEX);
  if (withscores && type === 'lex') fail(E.ZSET_WITHSCORES_BYLEX);
  const reverse = direction === 'reverse';
  if (reverse && type !== 'rank') [minIdx, maxIdx] = [maxIdx, minIdx];

  let start = 0;
  let end = 0;
  let scoreRange: ScoreRange | null = null;
  let lexRange: LexRange | null = null;
  if (type === 'rank') {
    start = parseInt64(argv[minIdx]);
    end = parseInt64(argv[maxIdx]);
  } else if (type === 'score') scoreRange = parseScoreRange(argv[minIdx], argv[maxIdx]);
  else lexRange = parseLexRange(argv[minIdx], argv[maxIdx]);

  const sink: RangeSink = store ? new StoreSink(c, dstKey) : new ClientSink(withscores, c.resp);
  const z = readZSet(c, argv[argStart]);
  if (z === undefined) {
    if (!store) return EMPTY_ARRAY;
    sink.begin(-1);
    return sink.finalize(0);
  }
  if (type === 'rank') {
    const r = clampRanks(start, end, z.length);
    if (r === null) {
      sink.begin(0);
      return sink.finalize(0);
    }
    sink.begin(r[1] - r[0] + 1);
    const walk = () => z.rangeByRank(r[0], r[1], reverse, sink.emit);
    if (!store && zsetsWatched(c.engine)) {
      const count = r[1] - r[0] + 1;
      // LAB: the panel shows ranks from the lowest score; a REV range walks from the other end.
      const first = reverse ? z.length - 1 - r[1] : r[0];
      traceZset(
        c,
        argv[argStart],
        z,
        '',
        walk,
        () => 'range',
        () => ({ rank: first, count, score: 0 }),
      );
    } else walk();
    return sink.finalize(r[1] - r[0] + 1);
  }
  sink.begin(-1);
  const count =
    type === 'score'
      ? z.rangeByScore(scoreRange as ScoreRange, offset, limit, reverse, sink.emit)
      : z.rangeByLex(lexRange as LexRange, offset, limit, reverse, sink.emit);
  return sink.finalize(count);
}

// Argument-tree pieces shared by the declarations below.
const LIMIT_BLOCK = (extra: Partial<ArgSpec> = {}): ArgSpec => ({
  name: 'offset_count',
  type: 'block',
  token: 'LIMIT',
  optional: true,
  ...extra,
  args: [
    { name: 'offset', type: 'integer' },
    { name: 'count', type: 'integer' },
  ],
});
const WITHSCORES = (extra: Partial<ArgSpec> = {}): ArgSpec => ({
  name: 'withscores',
  type: 'pure-token',
  token: 'WITHSCORES',
  optional: true,
  ...extra,
});
const SORTBY = (extra: Partial<ArgSpec> = {}): ArgSpec => ({
  name: 'sortby',
  type: 'oneof',
  optional: true,
  ...extra,
  args: [
    { name: 'byscore', type: 'pure-token', token: 'BYSCORE' },
    { name: 'bylex', type: 'pure-token', token: 'BYLEX' },
  ],
});
const str = (name: string): ArgSpec => ({ name, type: 'string' });
const dbl = (name: string): ArgSpec => ({ name, type: 'double' });
const integer = (name: string): ArgSpec => ({ name, type: 'integer' });
const RANGE_COMPLEXITY =
  'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).';
const REMOVE_COMPLEXITY =
  'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.';

/** ZRANGE key start stop [BYSCORE|BYLEX] [REV] [LIMIT offset count] [WITHSCORES] */
export const ZRANGE = defineCommand({
  name: 'ZRANGE',
  group: 'sorted-set',
  arity: -4,
  flags: ['readonly'],
  keys: { first: 1, last: 1, step: 1 },
  args: [
    key('key'),
    str('start'),
    str('stop'),
    SORTBY({ since: '6.2.0' }),
    { name: 'rev', type: 'pure-token', token: 'REV', optional: true, since: '6.2.0' },
    LIMIT_BLOCK({ since: '6.2.0' }),
    WITHSCORES(),
  ],
  summary: 'Return a range of members in a sorted set',
  complexity:
    'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.',
  since: '1.2.0',
  keySpecs: zkeys(['RO', 'ACCESS']),
  history: [['6.2.0', 'Added the `REV`, `BYSCORE`, `BYLEX` and `LIMIT` options.']],
  exec: (c, argv) => zrangeGeneric(c, argv, 1, null, 'auto', 'auto'),
});

/** ZRANGESTORE dst src min max [BYSCORE|BYLEX] [REV] [LIMIT offset count] */
export const ZRANGESTORE = defineCommand({
  name: 'ZRANGESTORE',
  group: 'sorted-set',
  arity: -5,
  flags: ['write', 'denyoom'],
  keys: { first: 1, last: 2, step: 1 },
  args: [
    key('dst'),
    key('src'),
    str('min'),
    str('max'),
    SORTBY(),
    { name: 'rev', type: 'pure-token', token: 'REV', optional: true },
    LIMIT_BLOCK(),
  ],
  summary: 'Store a range of members from sorted set into another key',
  complexity:
    'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key.',
  since: '6.2.0',
  keySpecs: [...zkeys(['OW', 'UPDATE']), ...zkeys(['RO', 'ACCESS'], 2)],
  exec: (c, argv) => zrangeGeneric(c, argv, 2, argv[1], 'auto', 'auto'),
});

/** ZREVRANGE key start stop [WITHSCORES] */
export const ZREVRANGE = defineCommand({
  name: 'ZREVRANGE',
  group: 'sorted-set',
  arity: -4,
  flags: ['readonly'],
  keys: { first: 1, last: 1, step: 1 },
  args: [key('key'), integer('start'), integer('stop'), WITHSCORES()],
  summary: 'Return a range of members in a sorted set, by index, with scores ordered from high to low',
  complexity:
    'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.',
  since: '1.2.0',
  docFlags: ['deprecated'],
  deprecatedSince: '6.2.0',
  replacedBy: '`ZRANGE` with the `REV` argument',
  keySpecs: zkeys(['RO', 'ACCESS']),
  exec: (c, argv) => zrangeGeneric(c, argv, 1, null, 'rank', 'reverse'),
});

/** ZRANGEBYSCORE key min max [WITHSCORES] [LIMIT offset count] */
export const ZRANGEBYSCORE = defineCommand({
  name: 'ZRANGEBYSCORE',
  group: 'sorted-set',
  arity: -4,
  flags: ['readonly'],
  keys: { first: 1, last: 1, step: 1 },
  args: [key('key'), dbl('min'), dbl('max'), WITHSCORES({ since: '2.0.0' }), LIMIT_BLOCK()],
  summary: 'Return a range of members in a sorted set, by score',
  complexity: RANGE_COMPLEXITY,
  since: '1.0.5',
  docFlags: ['deprecated'],
  deprecatedSince: '6.2.0',
  replacedBy: '`ZRANGE` with the `BYSCORE` argument',
  keySpecs: zkeys(['RO', 'ACCESS']),
  history: [['2.0.0', 'Added the `WITHSCORES` modifier.']],
  exec: (c, argv) => zrangeGeneric(c, argv, 1, null, 'score', 'forward'),
});

/** ZREVRANGEBYSCORE key max min [WITHSCORES] [LIMIT offset count] */
export const ZREVRANGEBYSCORE = defineCommand({
  name: 'ZREVRANGEBYSCORE',
  group: 'sorted-set',
  arity: -4,
  flags: ['readonly'],
  keys: { first: 1, last: 1, step: 1 },
  args: [key('key'), dbl('max'), dbl('min'), WITHSCORES(), LIMIT_BLOCK()],
  summary: 'Return a range of members in a sorted set, by score, with scores ordered from high to low',
  complexity: RANGE_COMPLEXITY,
  since: '2.2.0',
  docFlags: ['deprecated'],
  deprecatedSince: '6.2.0',
  replacedBy: '`ZRANGE` with the `REV` and `BYSCORE` arguments',
  keySpecs: zkeys(['RO', 'ACCESS']),
  history: [['2.1.6', '`min` and `max` can be exclusive.']],
  exec: (c, argv) => zrangeGeneric(c, argv, 1, null, 'score', 'reverse'),
});

/** ZRANGEBYLEX key min max [LIMIT offset count] */
export const ZRANGEBYLEX = defineCommand({
  name: 'ZRANGEBYLEX',
  group: 'sorted-set',
  arity: -4,
  flags: ['readonly'],
  keys: { first: 1, last: 1, step: 1 },
  args: [key('key'), str('min'), str('max'), LIMIT_BLOCK()],
  summary: 'Return a range of members in a sorted set, by lexicographical range',
  complexity: RANGE_COMPLEXITY,
  since: '2.8.9',
  docFlags: ['deprecated'],
  deprecatedSince: '6.2.0',
  replacedBy: '`ZRANGE` with the `BYLEX` argument',
  keySpecs: zkeys(['RO', 'ACCESS']),
  exec: (c, argv) => zrangeGeneric(c, argv, 1, null, 'lex', 'forward'),
});

/** ZREVRANGEBYLEX key max min [LIMIT offset count] */
export const ZREVRANGEBYLEX = defineCommand({
  name: 'ZREVRANGEBYLEX',
  group: 'sorted-set',
  arity: -4,
  flags: ['readonly'],
  keys: { first: 1, last: 1, step: 1 },
  args: [key('key'), str('max'), str('min'), LIMIT_BLOCK()],
  summary: 'Return a range of members in a sorted set, by lexicographical range, ordered from higher to lower strings.',
  complexity: RANGE_COMPLEXITY,
  since: '2.8.9',
  docFlags: ['deprecated'],
  deprecatedSince: '6.2.0',
  replacedBy: '`ZRANGE` with the `REV` and `BYLEX` arguments',
  keySpecs: zkeys(['RO', 'ACCESS']),
  exec: (c, argv) => zrangeGeneric(c, argv, 1, null, 'lex', 'reverse'),
});

/** ZCOUNT key min max */
export const ZCOUNT = defineCommand({
  name: 'ZCOUNT',
  group: 'sorted-set',
  arity: 4,
  flags: ['readonly', 'fast'],
  keys: { first: 1, last: 1, step: 1 },
  args: [key('key'), dbl('min'), dbl('max')],
  summary: 'Count the members in a sorted set with scores within the given values',
  complexity: 'O(log(N)) with N being the number of elements in the sorted set.',
  since: '2.0.0',
  keySpecs: zkeys(['RO', 'ACCESS']),
  exec(c, argv): Reply {
    const range = parseScoreRange(argv[2], argv[3]);
    const z = readZSet(c, argv[1]);
    return z === undefined ? ZERO : int(z.countByScore(range));
  },
});

/** ZLEXCOUNT key min max */
export const ZLEXCOUNT = defineCommand({
  name: 'ZLEXCOUNT',
  group: 'sorted-set',
  arity: 4,
  flags: ['readonly', 'fast'],
  keys: { first: 1, last: 1, step: 1 },
  args: [key('key'), str('min'), str('max')],
  summary: 'Count the number of members in a sorted set between a given lexicographical range',
  complexity: 'O(log(N)) with N being the number of elements in the sorted set.',
  since: '2.8.9',
  keySpecs: zkeys(['RO', 'ACCESS']),
  exec(c, argv): Reply {
    const range = parseLexRange(argv[2], argv[3]);
    const z = readZSet(c, argv[1]);
    return z === undefined ? ZERO : int(z.countByLex(range));
  },
});

/** zremrangeGenericCommand: parse the range, then delete it; the key goes when it empties. */
function zremrangeGeneric(c: Client, argv: string[], type: 'rank' | 'score' | 'lex'): Reply {
  const k = argv[1];
  let start = 0;
  let end = 0;
  let scoreRange: ScoreRange | null = null;
  let lexRange: LexRange | null = null;
  if (type === 'rank') {
    start = parseInt64(argv[2]);
    end = parseInt64(argv[3]);
  } else if (type === 'score') scoreRange = parseScoreRange(argv[2], argv[3]);
  else lexRange = parseLexRange(argv[2], argv[3]);
  const z = writeZSet(c, k);
  if (z === undefined) return ZERO;
  let deleted: number;
  if (type === 'rank') {
    const r = clampRanks(start, end, z.length);
    if (r === null) return ZERO;
    deleted = z.deleteRangeByRank(r[0], r[1]);
  } else if (type === 'score') deleted = z.deleteRangeByScore(scoreRange as ScoreRange);
  else deleted = z.deleteRangeByLex(lexRange as LexRange);
  if (deleted) {
    // Redis signals after dbDelete; the delete itself already notified the watchers.
    if (z.length !== 0) c.db.signalModified(k);
    c.engine.notify('z', `zremrangeby${type}`, k, c.db.id);
    if (z.length === 0) deleteIfEmpty(c, k, z);
  }
  c.engine.dirty += deleted;
  return int(deleted);
}

/** ZREMRANGEBYRANK key start stop */
export const ZREMRANGEBYRANK = defineCommand({
  name: 'ZREMRANGEBYRANK',
  group: 'sorted-set',
  arity: 4,
  flags: ['write'],
  keys: { first: 1, last: 1, step: 1 },
  args: [key('key'), integer('start'), integer('stop')],
  summary: 'Remove all members in a sorted set within the given indexes',
  complexity: REMOVE_COMPLEXITY,
  since: '2.0.0',
  keySpecs: zkeys(['RW', 'DELETE']),
  exec: (c, argv) => zremrangeGeneric(c, argv, 'rank'),
});

/** ZREMRANGEBYSCORE key min max */
export const ZREMRANGEBYSCORE = defineCommand({
  name: 'ZREMRANGEBYSCORE',
  group: 'sorted-set',
  arity: 4,
  flags: ['write'],
  keys: { first: 1, last: 1, step: 1 },
  args: [key('key'), dbl('min'), dbl('max')],
  summary: 'Remove all members in a sorted set within the given scores',
  complexity: REMOVE_COMPLEXITY,
  since: '1.2.0',
  keySpecs: zkeys(['RW', 'DELETE']),
  exec: (c, argv) => zremrangeGeneric(c, argv, 'score'),
});

/** ZREMRANGEBYLEX key min max */
export const ZREMRANGEBYLEX = defineCommand({
  name: 'ZREMRANGEBYLEX',
  group: 'sorted-set',
  arity: 4,
  flags: ['write'],
  keys: { first: 1, last: 1, step: 1 },
  args: [key('key'), str('min'), str('max')],
  summary: 'Remove all members in a sorted set between the given lexicographical range',
  complexity: REMOVE_COMPLEXITY,
  since: '2.8.9',
  keySpecs: zkeys(['RW', 'DELETE']),
  exec: (c, argv) => zremrangeGeneric(c, argv, 'lex'),
});

export const ZSET_RANGE_COMMANDS: readonly CommandSpec[] = [
  ZRANGE,
  ZRANGESTORE,
  ZREVRANGE,
  ZRANGEBYSCORE,
  ZREVRANGEBYSCORE,
  ZRANGEBYLEX,
  ZREVRANGEBYLEX,
  ZCOUNT,
  ZLEXCOUNT,
  ZREMRANGEBYRANK,
  ZREMRANGEBYSCORE,
  ZREMRANGEBYLEX,
];
