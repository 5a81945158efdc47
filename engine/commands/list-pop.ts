// List pops and moves (src/t_list.c): LPOP/RPOP, LMPOP, LMOVE/RPOPLPUSH and their blocking forms
// BLPOP/BRPOP, BLMPOP, BLMOVE/BRPOPLPUSH (keyspace/blocking.ts parks the client). Whatever form a
// client used, the write is propagated as its non-blocking equivalent, as Redis 7.0 does.

import type { Client } from '../client';
import { E, wrongArity } from '../errors';
import { blockForKeys, canBlock, parseTimeout } from '../keyspace/blocking';
import { array, bulk, bulks, EMPTY_ARRAY, error, NIL, NIL_ARRAY, type Reply } from '../protocol/reply';
import { Quicklist } from '../types/quicklist';
import { fail, isCToken, parseLongLong } from './args';
import { type ArgSpec, type CommandSpec, dbl, defineCommand, integer, key } from './define';
import {
  listElementsRemoved,
  lkeys,
  parseWhere,
  popRange,
  popRangeWithKey,
  pushToDestination,
  whereName,
  writeList,
} from './list-common';

/** LPOP/RPOP key [count] */
function popGeneric(c: Client, argv: string[], head: boolean): Reply {
  if (argv.length > 3) fail(wrongArity(head ? 'lpop' : 'rpop'));
  const hasCount = argv.length === 3;
  let count = 0;
  if (hasCount) {
    const n = parseLongLong(argv[2]);
    if (n === null || n < 0) fail(E.NOT_POSITIVE);
    count = Number(n);
  }
  const k = argv[1];
  const l = writeList(c, k);
  if (l === undefined) return hasCount ? NIL_ARRAY : NIL;
  if (hasCount && count === 0) return EMPTY_ARRAY;
  if (!hasCount) {
    const v = l.pop(head) as string;
    listElementsRemoved(c, k, head, l, 1);
    return bulk(v);
  }
  const n = Math.min(count, l.count);
  const items = popRange(l, head, n);
  listElementsRemoved(c, k, head, l, n);
  return bulks(items);
}

const POP_KEYS = [lkeys(['RW', 'ACCESS', 'DELETE'])];
const MOVE_KEYS = [lkeys(['RW', 'ACCESS', 'DELETE']), lkeys(['RW', 'INSERT'], 2)];
const MPOP_KEYS = (pos: number) => [
  { flags: ['RW', 'ACCESS', 'DELETE'] as const, begin: { index: pos }, find: { keyNumIdx: 0, firstKey: 1, step: 1 } },
];
const WHERE = (name: string): ArgSpec => ({
  name,
  type: 'oneof',
  args: [
    { name: 'left', type: 'pure-token', token: 'LEFT' },
    { name: 'right', type: 'pure-token', token: 'RIGHT' },
  ],
});
const TIMEOUT_HISTORY: (readonly [string, string])[] = [
  ['6.0.0', '`timeout` is interpreted as a double instead of an integer.'],
];

/** LPOP key [count] */
export const LPOP = defineCommand({
  name: 'LPOP',
  group: 'list',
  arity: -2,
  flags: ['write', 'fast'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: POP_KEYS,
  args: [key(), integer('count', { optional: true, since: '6.2.0' })],
  summary: 'Remove and get the first elements in a list',
  complexity: 'O(N) where N is the number of elements returned',
  since: '1.0.0',
  history: [['6.2.0', 'Added the `count` argument.']],
  exec: (c, argv) => popGeneric(c, argv, true),
});

/** RPOP key [count] */
export const RPOP = defineCommand({
  name: 'RPOP',
  group: 'list',
  arity: -2,
  flags: ['write', 'fast'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: POP_KEYS,
  args: [key(), integer('count', { optional: true, since: '6.2.0' })],
  summary: 'Remove and get the last elements in a list',
  complexity: 'O(N) where N is the number of elements returned',
  since: '1.0.0',
  history: [['6.2.0', 'Added the `count` argument.']],
  exec: (c, argv) => popGeneric(c, argv, false),
});

/** getRangeLongFromObjectOrReply(1, LONG_MAX, msg): every failure gives `msg`. */
function parseAtLeastOne(s: string, msg: string): number {
  const n = parseLongLong(s);
  if (n === null || n < 1) fail(msg);
  return Number(n);
}

/** lmpopGenericCommand's parsing: numkeys key [key ...] LEFT|RIGHT [COUNT count]. */
function parseMpop(argv: string[], numkeysIdx: number): { keys: string[]; head: boolean; count: number } {
  const numkeys = parseAtLeastOne(argv[numkeysIdx], E.NUMKEYS_GT0);
  const whereIdx = numkeysIdx + numkeys + 1;
  if (whereIdx >= argv.length) fail(E.SYNTAX);
  const head = parseWhere(argv[whereIdx]);
  let count = -1;
  for (let j = whereIdx + 1; j < argv.length; j++) {
    if (count === -1 && isCToken(argv[j], 'COUNT') && argv.length - 1 - j > 0) {
      count = parseAtLeastOne(argv[++j], E.COUNT_GT0);
    } else {
      fail(E.SYNTAX);
    }
  }
  return { keys: argv.slice(numkeysIdx + 1, whereIdx), head, count: count === -1 ? 1 : count };
}

/** The first non-empty list among `keys` popped with COUNT, replicated as [LR]POP key count. */
function mpopFirst(c: Client, keys: string[], head: boolean, count: number): Reply | undefined {
  for (const k of keys) {
    const l = writeList(c, k);
    if (l === undefined) continue;
    const n = Math.min(count, l.count);
    const reply = popRangeWithKey(c, k, l, head, count);
    c.engine.rewritePropagation([head ? 'LPOP' : 'RPOP', k, String(n)]);
    return reply;
  }
  return undefined;
}

/** LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count] */
export const LMPOP = defineCommand({
  name: 'LMPOP',
  group: 'list',
  arity: -4,
  flags: ['write', 'movablekeys'],
  keySpecs: MPOP_KEYS(1),
  args: [
    integer('numkeys'),
    key('key', { multiple: true }),
    WHERE('where'),
    integer('count', { token: 'COUNT', optional: true }),
  ],
  summary: 'Pop elements from a list',
  complexity: 'O(N+M) where N is the number of provided keys and M is the number of elements returned.',
  since: '7.0.0',
  exec(c, argv): Reply {
    const { keys, head, count } = parseMpop(argv, 1);
    return mpopFirst(c, keys, head, count) ?? NIL_ARRAY;
  },
});

/** lmoveGenericCommand: pop from `src`, push onto `dst`; null when `src` is missing. */
function lmove(c: Client, src: string, dst: string, from: boolean, to: boolean): Reply {
  const sobj = writeList(c, src);
  if (sobj === undefined) return NIL;
  const dobj = writeList(c, dst);
  const value = sobj.pop(from) as string;
  const reply = pushToDestination(c, dst, dobj, value, to);
  c.engine.notify('l', from ? 'lpop' : 'rpop', src, c.db.id);
  if (sobj.count === 0) {
    c.db.delete(src);
    c.engine.notify('g', 'del', src, c.db.id);
  } else {
    c.db.signalModified(src);
  }
  c.engine.dirty++;
  return reply;
}

/** LMOVE source destination LEFT|RIGHT LEFT|RIGHT */
export const LMOVE = defineCommand({
  name: 'LMOVE',
  group: 'list',
  arity: 5,
  flags: ['write', 'denyoom'],
  keys: { first: 1, last: 2, step: 1 },
  keySpecs: MOVE_KEYS,
  args: [key('source'), key('destination'), WHERE('wherefrom'), WHERE('whereto')],
  summary: 'Pop an element from a list, push it to another list and return it',
  complexity: 'O(1)',
  since: '6.2.0',
  exec(c, argv): Reply {
    const from = parseWhere(argv[3]);
    const to = parseWhere(argv[4]);
    return lmove(c, argv[1], argv[2], from, to);
  },
});

/** RPOPLPUSH source destination */
export const RPOPLPUSH = defineCommand({
  name: 'RPOPLPUSH',
  group: 'list',
  arity: 3,
  flags: ['write', 'denyoom'],
  keys: { first: 1, last: 2, step: 1 },
  keySpecs: MOVE_KEYS,
  args: [key('source'), key('destination')],
  summary: 'Remove the last element in a list, prepend it to another list and return it',
  complexity: 'O(1)',
  since: '1.2.0',
  docFlags: ['deprecated'],
  deprecatedSince: '6.2.0',
  replacedBy: '`LMOVE` with the `RIGHT` and `LEFT` arguments',
  exec: (c, argv) => lmove(c, argv[1], argv[2], false, true),
});

// ---- blocking forms ----------------------------------------------------------------------------

/**
 * serveClientBlockedOnList for BLPOP/BRPOP (count -1) and BLMPOP (count >= 1): runs when `key`
 * became a list; propagates [LR]POP key [count] and pops as the non-blocking command would.
 */
function serveListPop(c: Client, key: string, head: boolean, count: number): Reply | undefined {
  const l = writeList(c, key);
  if (l === undefined) return undefined;
  const db = c.db;
  const eng = c.engine;
  if (count !== -1) {
    eng.propagate(db.id, [head ? 'LPOP' : 'RPOP', key, String(Math.min(count, l.count))]);
    return popRangeWithKey(c, key, l, head, count);
  }
  eng.propagate(db.id, [head ? 'LPOP' : 'RPOP', key]);
  const v = l.pop(head) as string;
  eng.notify('l', head ? 'lpop' : 'rpop', key, db.id);
  if (l.count === 0) {
    db.delete(key);
    eng.notify('g', 'del', key, db.id);
  } else {
    db.signalModified(key);
  }
  return array([bulk(key), bulk(v)]);
}

/**
 * blockingPopGenericCommand: pop from the first non-empty list among `keys` (replicated as the
 * plain pop), else block until one is pushed to. count -1 is BLPOP/BRPOP's single element.
 */
function blockingPop(c: Client, keys: string[], head: boolean, timeoutArg: string, count: number): Reply {
  const timeout = parseTimeout(c, timeoutArg);
  if (count !== -1) {
    const r = mpopFirst(c, keys, head, count);
    if (r !== undefined) return r;
  } else {
    for (const k of keys) {
      const l = writeList(c, k);
      if (l === undefined) continue;
      const v = l.pop(head) as string;
      listElementsRemoved(c, k, head, l, 1);
      c.engine.rewritePropagation([head ? 'LPOP' : 'RPOP', k]);
      return array([bulk(k), bulk(v)]);
    }
  }
  if (!canBlock(c)) return NIL_ARRAY;
  return blockForKeys(c, { type: 'list', keys, timeout, onReady: (k) => serveListPop(c, k, head, count) });
}

const BPOP_SPEC = {
  group: 'list',
  arity: -3,
  flags: ['write', 'noscript', 'blocking'],
  keys: { first: 1, last: -2, step: 1 },
  keySpecs: [lkeys(['RW', 'ACCESS', 'DELETE'], 1, -2)],
  args: [key('key', { multiple: true }), dbl('timeout')],
  complexity: 'O(N) where N is the number of provided keys.',
  since: '2.0.0',
  history: TIMEOUT_HISTORY,
} as const;

/** BLPOP key [key ...] timeout */
export const BLPOP = defineCommand({
  ...BPOP_SPEC,
  name: 'BLPOP',
  summary: 'Remove and get the first element in a list, or block until one is available',
  exec: (c, argv) => blockingPop(c, argv.slice(1, -1), true, argv[argv.length - 1], -1),
});

/** BRPOP key [key ...] timeout */
export const BRPOP = defineCommand({
  ...BPOP_SPEC,
  name: 'BRPOP',
  summary: 'Remove and get the last element in a list, or block until one is available',
  exec: (c, argv) => blockingPop(c, argv.slice(1, -1), false, argv[argv.length - 1], -1),
});

/** BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count] */
export const BLMPOP = defineCommand({
  name: 'BLMPOP',
  group: 'list',
  arity: -5,
  flags: ['write', 'blocking', 'movablekeys'],
  keySpecs: MPOP_KEYS(2),
  args: [
    dbl('timeout'),
    integer('numkeys'),
    key('key', { multiple: true }),
    WHERE('where'),
    integer('count', { token: 'COUNT', optional: true }),
  ],
  summary: 'Pop elements from a list, or block until one is available',
  complexity: 'O(N+M) where N is the number of provided keys and M is the number of elements returned.',
  since: '7.0.0',
  exec(c, argv): Reply {
    const { keys, head, count } = parseMpop(argv, 2);
    return blockingPop(c, keys, head, argv[1], count);
  },
});

/**
 * serveClientBlockedOnList for BLMOVE/BRPOPLPUSH: a destination of another type fails the client
 * with WRONGTYPE (the source keeps its element); else the move, propagated as LMOVE/RPOPLPUSH.
 */
function serveListMove(
  c: Client,
  src: string,
  dst: string,
  from: boolean,
  to: boolean,
  rpoplpush: boolean,
): Reply | undefined {
  const sobj = writeList(c, src);
  if (sobj === undefined) return undefined;
  const dv = c.db.lookupWrite(dst);
  if (dv !== undefined && !(dv instanceof Quicklist)) return error(E.WRONGTYPE);
  const dobj = dv;
  const value = sobj.pop(from) as string;
  const reply = pushToDestination(c, dst, dobj, value, to);
  const db = c.db;
  c.engine.propagate(db.id, rpoplpush ? ['RPOPLPUSH', src, dst] : ['LMOVE', src, dst, whereName(from), whereName(to)]);
  c.engine.notify('l', from ? 'lpop' : 'rpop', src, db.id);
  if (sobj.count === 0) {
    db.delete(src);
    c.engine.notify('g', 'del', src, db.id);
  } else {
    db.signalModified(src);
  }
  return reply;
}

/** blmoveGenericCommand: LMOVE at once when the source exists, else block on it. */
function blmove(c: Client, argv: string[], from: boolean, to: boolean, timeout: number, rpoplpush: boolean): Reply {
  const src = argv[1];
  const dst = argv[2];
  if (writeList(c, src) === undefined) {
    if (!canBlock(c)) return NIL;
    return blockForKeys(c, {
      type: 'list',
      keys: [src],
      timeout,
      onReady: () => serveListMove(c, src, dst, from, to, rpoplpush),
    });
  }
  const reply = lmove(c, src, dst, from, to);
  c.engine.rewritePropagation(rpoplpush ? ['RPOPLPUSH', src, dst] : ['LMOVE', src, dst, argv[3], argv[4]]);
  return reply;
}

/** BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout */
export const BLMOVE = defineCommand({
  name: 'BLMOVE',
  group: 'list',
  arity: 6,
  flags: ['write', 'denyoom', 'noscript', 'blocking'],
  keys: { first: 1, last: 2, step: 1 },
  keySpecs: MOVE_KEYS,
  args: [key('source'), key('destination'), WHERE('wherefrom'), WHERE('whereto'), dbl('timeout')],
  summary: 'Pop an element from a list, push it to another list and return it; or block until one is available',
  complexity: 'O(1)',
  since: '6.2.0',
  exec(c, argv): Reply {
    const from = parseWhere(argv[3]);
    const to = parseWhere(argv[4]);
    const timeout = parseTimeout(c, argv[5]);
    return blmove(c, argv, from, to, timeout, false);
  },
});

/** BRPOPLPUSH source destination timeout */
export const BRPOPLPUSH = defineCommand({
  name: 'BRPOPLPUSH',
  group: 'list',
  arity: 4,
  flags: ['write', 'denyoom', 'noscript', 'blocking'],
  keys: { first: 1, last: 2, step: 1 },
  keySpecs: MOVE_KEYS,
  args: [key('source'), key('destination'), dbl('timeout')],
  summary: 'Pop an element from a list, push it to another list and return it; or block until one is available',
  complexity: 'O(1)',
  since: '2.2.0',
  history: TIMEOUT_HISTORY,
  docFlags: ['deprecated'],
  deprecatedSince: '6.2.0',
  replacedBy: '`BLMOVE` with the `RIGHT` and `LEFT` arguments',
  exec(c, argv): Reply {
    const timeout = parseTimeout(c, argv[3]);
    return blmove(c, argv, false, true, timeout, true);
  },
});

export const LIST_POP_COMMANDS: readonly CommandSpec[] = [
  LPOP,
  RPOP,
  LMPOP,
  LMOVE,
  RPOPLPUSH,
  BLPOP,
  BRPOP,
  BLMPOP,
  BLMOVE,
  BRPOPLPUSH,
];
