// Sorted-set pops (src/t_zset.c genericZpopCommand, zmpopGenericCommand, blockingGenericZpopCommand):
// ZPOPMIN/ZPOPMAX, ZMPOP and the blocking BZPOPMIN/BZPOPMAX/BZMPOP. Pops replicate as
// ZPOPMIN/ZPOPMAX (with the effective count) whatever form the client used.

import type { Client } from '../client';
import { E } from '../errors';
import { blockForKeys, canBlock, parseTimeout } from '../keyspace/blocking';
import { array, bulk, double, EMPTY_ARRAY, NIL_ARRAY, type Reply } from '../protocol/reply';
import type { ZSet } from '../types/zset';
import { fail, isCToken, parseLongLong } from './args';
import { type ArgSpec, type CommandSpec, defineCommand, type KeySpec, key } from './define';
import { writeZSet, zkeys } from './zset-common';

export interface PopShape {
  /** Reply with the key name first (BZPOP*, ZMPOP, BZMPOP). */
  emitKey: boolean;
  /** Each element as a [member, score] pair (RESP3 ZPOP with COUNT, ZMPOP, BZMPOP). */
  nested: boolean;
  /** A null array instead of an empty one when no key has elements (ZMPOP/BZMPOP). */
  nilWhenEmpty: boolean;
}

/**
 * Pop up to `count` elements of a non-empty sorted set at `k` (count -1: a plain single pop).
 * Counts dirty per element, notifies zpopmin/zpopmax once, deletes the key when it empties.
 */
export function popFrom(c: Client, k: string, z: ZSet, max: boolean, count: number, shape: PopShape): Reply {
  if (count === -1) count = 1;
  const n = Math.min(count, z.length);
  const items: Reply[] = [];
  for (let i = 0; i < n; i++) {
    const [m, s] = z.edge(max) as [string, number];
    z.delete(m);
    c.engine.dirty++;
    if (i === 0) {
      c.engine.notify('z', max ? 'zpopmax' : 'zpopmin', k, c.db.id);
      c.db.signalModified(k);
    }
    if (shape.nested) items.push(array([bulk(m), double(s)]));
    else items.push(bulk(m), double(s));
  }
  if (z.length === 0) {
    c.db.delete(k);
    c.engine.notify('g', 'del', k, c.db.id);
  }
  if (!shape.emitKey) return array(items);
  if (shape.nested) return array([bulk(k), array(items)]);
  return array([bulk(k), ...items]);
}

/** genericZpopCommand: the first existing key among `keys` (WRONGTYPE stops the search). */
function genericZpop(c: Client, keys: string[], max: boolean, count: number, shape: PopShape): Reply {
  for (const k of keys) {
    const z = writeZSet(c, k);
    if (z === undefined) continue;
    if (count === 0) return EMPTY_ARRAY;
    return popFrom(c, k, z, max, count, shape);
  }
  return shape.nilWhenEmpty ? NIL_ARRAY : EMPTY_ARRAY;
}

/** ZPOPMIN/ZPOPMAX key [count] */
function zpopMinMax(c: Client, argv: string[], max: boolean): Reply {
  if (argv.length > 3) fail(E.SYNTAX);
  let count = -1;
  if (argv.length === 3) {
    const n = parseLongLong(argv[2]);
    if (n === null || n < 0) fail(E.NOT_POSITIVE);
    count = Number(n);
  }
  const nested = c.resp > 2 && count !== -1;
  return genericZpop(c, [argv[1]], max, count, { emitKey: false, nested, nilWhenEmpty: false });
}

/** getRangeLongFromObjectOrReply(1, LONG_MAX, msg): every failure gives `msg`. */
function parsePositiveCount(s: string, msg: string): number {
  const n = parseLongLong(s);
  if (n === null || n < 1) fail(msg);
  return Number(n);
}

/** ZMPOP/BZMPOP's arguments after the timeout: numkeys key [key ...] MIN|MAX [COUNT count]. */
export function parseMpop(argv: string[], numkeysIdx: number): { keys: string[]; max: boolean; count: number } {
  const numkeys = parsePositiveCount(argv[numkeysIdx], E.NUMKEYS_GT0);
  const whereIdx = numkeysIdx + numkeys + 1;
  if (whereIdx >= argv.length) fail(E.SYNTAX);
  let max: boolean;
  if (isCToken(argv[whereIdx], 'MIN')) max = false;
  else if (isCToken(argv[whereIdx], 'MAX')) max = true;
  else return fail(E.SYNTAX);
  let count = -1;
  for (let j = whereIdx + 1; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    if (count === -1 && isCToken(argv[j], 'COUNT') && more > 0) {
      j++;
      count = parsePositiveCount(argv[j], E.COUNT_GT0);
    } else {
      fail(E.SYNTAX);
    }
  }
  if (count === -1) count = 1;
  return { keys: argv.slice(numkeysIdx + 1, whereIdx), max, count };
}

/** The non-blocking command a served blocking pop replicates as (count -1: no COUNT argument). */
function popArgv(k: string, max: boolean, count: number, llen: number): string[] {
  const name = max ? 'ZPOPMAX' : 'ZPOPMIN';
  return count === -1 ? [name, k] : [name, k, String(Math.min(count, llen))];
}

/**
 * blockingGenericZpopCommand: pop from the first non-empty key at once, else block (a null array
 * inside MULTI or a script). `nested` is BZMPOP's reply shape; BZPOPMIN/BZPOPMAX pass count -1.
 */
function blockingZpop(
  c: Client,
  keys: string[],
  max: boolean,
  timeoutArg: string,
  count: number,
  nested: boolean,
): Reply {
  const timeout = parseTimeout(c, timeoutArg);
  const shape: PopShape = { emitKey: true, nested, nilWhenEmpty: nested };
  for (const k of keys) {
    const z = writeZSet(c, k);
    if (z === undefined || z.length === 0) continue;
    const llen = z.length;
    const reply = popFrom(c, k, z, max, count, shape);
    c.engine.rewritePropagation(popArgv(k, max, count, llen));
    return reply;
  }
  if (!canBlock(c)) return NIL_ARRAY;
  return blockForKeys(c, {
    type: 'zset',
    keys,
    timeout,
    // serveClientsBlockedOnSortedSetKey: pop for the waiting client, then replicate as ZPOPMIN/ZPOPMAX.
    onReady: (k) => {
      const z = writeZSet(c, k);
      if (z === undefined || z.length === 0) return undefined;
      const llen = z.length;
      const reply = popFrom(c, k, z, max, count, shape);
      c.engine.propagate(c.db.id, popArgv(k, max, count, llen));
      return reply;
    },
  });
}

const popKeySpec = (begin: number, find: KeySpec['find']): KeySpec[] => [
  { flags: ['RW', 'ACCESS', 'DELETE'], begin: { index: begin }, find },
];
const COUNT_OPT: ArgSpec = { name: 'count', type: 'integer', optional: true };
const WHERE: ArgSpec = {
  name: 'where',
  type: 'oneof',
  args: [
    { name: 'min', type: 'pure-token', token: 'MIN' },
    { name: 'max', type: 'pure-token', token: 'MAX' },
  ],
};
const MPOP_COMPLEXITY =
  'O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.';
const POP_COMPLEXITY =
  'O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.';

/** ZPOPMIN key [count] */
export const ZPOPMIN = defineCommand({
  name: 'ZPOPMIN',
  group: 'sorted-set',
  arity: -2,
  flags: ['write', 'fast'],
  keys: { first: 1, last: 1, step: 1 },
  args: [key('key'), COUNT_OPT],
  summary: 'Remove and return members with the lowest scores in a sorted set',
  complexity: POP_COMPLEXITY,
  since: '5.0.0',
  keySpecs: zkeys(['RW', 'ACCESS', 'DELETE']),
  exec: (c, argv) => zpopMinMax(c, argv, false),
});

/** ZPOPMAX key [count] */
export const ZPOPMAX = defineCommand({
  name: 'ZPOPMAX',
  group: 'sorted-set',
  arity: -2,
  flags: ['write', 'fast'],
  keys: { first: 1, last: 1, step: 1 },
  args: [key('key'), COUNT_OPT],
  summary: 'Remove and return members with the highest scores in a sorted set',
  complexity: POP_COMPLEXITY,
  since: '5.0.0',
  keySpecs: zkeys(['RW', 'ACCESS', 'DELETE']),
  exec: (c, argv) => zpopMinMax(c, argv, true),
});

/** ZMPOP numkeys key [key ...] MIN|MAX [COUNT count] */
export const ZMPOP = defineCommand({
  name: 'ZMPOP',
  group: 'sorted-set',
  arity: -4,
  flags: ['write', 'movablekeys'],
  args: [
    { name: 'numkeys', type: 'integer' },
    key('key', { multiple: true }),
    WHERE,
    { name: 'count', type: 'integer', token: 'COUNT', optional: true },
  ],
  summary: 'Remove and return members with scores in a sorted set',
  complexity: MPOP_COMPLEXITY,
  since: '7.0.0',
  keySpecs: popKeySpec(1, { keyNumIdx: 0, firstKey: 1, step: 1 }),
  exec(c, argv): Reply {
    const { keys, max, count } = parseMpop(argv, 1);
    for (const k of keys) {
      const z = writeZSet(c, k);
      if (z === undefined) continue;
      const n = Math.min(count, z.length);
      const reply = popFrom(c, k, z, max, count, { emitKey: true, nested: true, nilWhenEmpty: true });
      c.engine.rewritePropagation([max ? 'ZPOPMAX' : 'ZPOPMIN', k, String(n)]);
      return reply;
    }
    return NIL_ARRAY;
  },
});

const BZPOP_HISTORY: readonly (readonly [string, string])[] = [
  ['6.0.0', '`timeout` is interpreted as a double instead of an integer.'],
];

/** BZPOPMIN key [key ...] timeout */
export const BZPOPMIN = defineCommand({
  name: 'BZPOPMIN',
  group: 'sorted-set',
  arity: -3,
  flags: ['write', 'noscript', 'fast', 'blocking'],
  keys: { first: 1, last: -2, step: 1 },
  args: [key('key', { multiple: true }), { name: 'timeout', type: 'double' }],
  summary:
    'Remove and return the member with the lowest score from one or more sorted sets, or block until one is available',
  complexity: 'O(log(N)) with N being the number of elements in the sorted set.',
  since: '5.0.0',
  keySpecs: popKeySpec(1, { lastKey: -2, step: 1, limit: 0 }),
  history: BZPOP_HISTORY,
  exec: (c, argv) => blockingZpop(c, argv.slice(1, -1), false, argv[argv.length - 1], -1, false),
});

/** BZPOPMAX key [key ...] timeout */
export const BZPOPMAX = defineCommand({
  name: 'BZPOPMAX',
  group: 'sorted-set',
  arity: -3,
  flags: ['write', 'noscript', 'fast', 'blocking'],
  keys: { first: 1, last: -2, step: 1 },
  args: [key('key', { multiple: true }), { name: 'timeout', type: 'double' }],
  summary:
    'Remove and return the member with the highest score from one or more sorted sets, or block until one is available',
  complexity: 'O(log(N)) with N being the number of elements in the sorted set.',
  since: '5.0.0',
  keySpecs: popKeySpec(1, { lastKey: -2, step: 1, limit: 0 }),
  history: BZPOP_HISTORY,
  exec: (c, argv) => blockingZpop(c, argv.slice(1, -1), true, argv[argv.length - 1], -1, false),
});

/** BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count] */
export const BZMPOP = defineCommand({
  name: 'BZMPOP',
  group: 'sorted-set',
  arity: -5,
  flags: ['write', 'blocking', 'movablekeys'],
  args: [
    { name: 'timeout', type: 'double' },
    { name: 'numkeys', type: 'integer' },
    key('key', { multiple: true }),
    WHERE,
    { name: 'count', type: 'integer', token: 'COUNT', optional: true },
  ],
  summary: 'Remove and return members with scores in a sorted set or block until one is available',
  complexity: MPOP_COMPLEXITY,
  since: '7.0.0',
  keySpecs: popKeySpec(2, { keyNumIdx: 0, firstKey: 1, step: 1 }),
  exec(c, argv): Reply {
    const { keys, max, count } = parseMpop(argv, 2);
    return blockingZpop(c, keys, max, argv[1], count, true);
  },
});

export const ZSET_POP_COMMANDS: readonly CommandSpec[] = [ZPOPMIN, ZPOPMAX, ZMPOP, BZPOPMIN, BZPOPMAX, BZMPOP];
