// List commands that push, read, edit and search (src/t_list.c): LPUSH/RPUSH/LPUSHX/RPUSHX, LINSERT,
// LLEN, LINDEX, LSET, LRANGE, LTRIM, LPOS, LREM. Pops, moves and the blocking commands are in
// list-pop.ts. Lists are quicklists (types/quicklist.ts); OBJECT ENCODING is always "quicklist".

import type { Client } from '../client';
import { E } from '../errors';
import { bulk, bulks, EMPTY_ARRAY, int, NIL, OK, type Reply, ZERO, array } from '../protocol/reply';
import { fail, isCToken, parseInt64, parseLongLong } from './args';
import { type CommandSpec, defineCommand, integer, key, str } from './define';
import { LIST_POP_COMMANDS } from './list-pop';
import { lkeys, newList, readList, writeList } from './list-common';

const PUSH_COMPLEXITY =
  'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.';

/** pushGenericCommand: LPUSH/RPUSH, or the X variants that only push onto an existing list. */
function push(c: Client, argv: string[], head: boolean, xx: boolean): Reply {
  const k = argv[1];
  let l = writeList(c, k);
  if (l === undefined) {
    if (xx) return ZERO;
    l = newList(c);
    c.db.add(k, l);
  }
  for (let j = 2; j < argv.length; j++) l.push(argv[j], head);
  c.engine.dirty += argv.length - 2;
  c.db.signalModified(k);
  c.engine.notify('l', head ? 'lpush' : 'rpush', k, c.db.id);
  return int(l.count);
}

function pushSpec(name: string, head: boolean, xx: boolean, summary: string, since: string, history: string) {
  return defineCommand({
    name,
    group: 'list',
    arity: -3,
    flags: ['write', 'denyoom', 'fast'],
    keys: { first: 1, last: 1, step: 1 },
    keySpecs: [lkeys(['RW', 'INSERT'])],
    args: [key(), str('element', { multiple: true })],
    summary,
    complexity: PUSH_COMPLEXITY,
    since,
    history: [[xx ? '4.0.0' : '2.4.0', history]],
    exec: (c, argv) => push(c, argv, head, xx),
  });
}

/** LPUSH key element [element ...] */
export const LPUSH = pushSpec(
  'LPUSH',
  true,
  false,
  'Prepend one or multiple elements to a list',
  '1.0.0',
  'Accepts multiple `element` arguments.',
);
/** RPUSH key element [element ...] */
export const RPUSH = pushSpec(
  'RPUSH',
  false,
  false,
  'Append one or multiple elements to a list',
  '1.0.0',
  'Accepts multiple `element` arguments.',
);
/** LPUSHX key element [element ...] */
export const LPUSHX = pushSpec(
  'LPUSHX',
  true,
  true,
  'Prepend an element to a list, only if the list exists',
  '2.2.0',
  'Accepts multiple `element` arguments.',
);
/** RPUSHX key element [element ...] */
export const RPUSHX = pushSpec(
  'RPUSHX',
  false,
  true,
  'Append an element to a list, only if the list exists',
  '2.2.0',
  'Accepts multiple `element` arguments.',
);

/** LINSERT key BEFORE|AFTER pivot element */
export const LINSERT = defineCommand({
  name: 'LINSERT',
  group: 'list',
  arity: 5,
  flags: ['write', 'denyoom'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: [lkeys(['RW', 'INSERT'])],
  args: [
    key(),
    {
      name: 'where',
      type: 'oneof',
      args: [
        { name: 'before', type: 'pure-token', token: 'BEFORE' },
        { name: 'after', type: 'pure-token', token: 'AFTER' },
      ],
    },
    str('pivot'),
    str('element'),
  ],
  summary: 'Insert an element before or after another element in a list',
  complexity:
    'O(N) where N is the number of elements to traverse before seeing the value pivot. This means that inserting somewhere on the left end on the list (head) can be considered O(1) and inserting somewhere on the right end (tail) is O(N).',
  since: '2.2.0',
  exec(c, argv): Reply {
    let after: boolean;
    if (isCToken(argv[2], 'AFTER')) after = true;
    else if (isCToken(argv[2], 'BEFORE')) after = false;
    else return fail(E.SYNTAX);
    const k = argv[1];
    const l = writeList(c, k);
    if (l === undefined) return ZERO;
    const at = l.find(argv[3]);
    if (at === null) return int(-1);
    l.insertAt(at.node, at.offset, argv[4], after);
    c.db.signalModified(k);
    c.engine.notify('l', 'linsert', k, c.db.id);
    c.engine.dirty++;
    return int(l.count);
  },
});

/** LLEN key */
export const LLEN = defineCommand({
  name: 'LLEN',
  group: 'list',
  arity: 2,
  flags: ['readonly', 'fast'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: [lkeys(['RO'])],
  args: [key()],
  summary: 'Get the length of a list',
  complexity: 'O(1)',
  since: '1.0.0',
  exec(c, argv): Reply {
    const l = readList(c, argv[1]);
    return l === undefined ? ZERO : int(l.count);
  },
});

/** LINDEX key index */
export const LINDEX = defineCommand({
  name: 'LINDEX',
  group: 'list',
  arity: 3,
  flags: ['readonly'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: [lkeys(['RO', 'ACCESS'])],
  args: [key(), integer('index')],
  summary: 'Get an element from a list by its index',
  complexity:
    'O(N) where N is the number of elements to traverse to get to the element at index. This makes asking for the first or the last element of the list O(1).',
  since: '1.0.0',
  exec(c, argv): Reply {
    const l = readList(c, argv[1]);
    if (l === undefined) return NIL;
    const v = l.index(parseInt64(argv[2]));
    return v === undefined ? NIL : bulk(v);
  },
});

/** LSET key index element */
export const LSET = defineCommand({
  name: 'LSET',
  group: 'list',
  arity: 4,
  flags: ['write', 'denyoom'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: [lkeys(['RW', 'UPDATE'])],
  args: [key(), integer('index'), str('element')],
  summary: 'Set the value of an element in a list by its index',
  complexity:
    'O(N) where N is the length of the list. Setting either the first or the last element of the list is O(1).',
  since: '1.0.0',
  exec(c, argv): Reply {
    const k = argv[1];
    const l = writeList(c, k);
    if (l === undefined) return fail(E.NO_SUCH_KEY);
    const idx = parseInt64(argv[2]);
    if (!l.replaceAt(idx, argv[3])) return fail(E.INDEX_OUT_OF_RANGE);
    c.db.signalModified(k);
    c.engine.notify('l', 'lset', k, c.db.id);
    c.engine.dirty++;
    return OK;
  },
});

/** addListRangeReply's index arithmetic: [start, end] clamped, or null when the range is empty. */
function clampRange(start: number, end: number, llen: number): [number, number] | null {
  if (start < 0) start = llen + start;
  if (end < 0) end = llen + end;
  if (start < 0) start = 0;
  if (start > end || start >= llen) return null;
  if (end >= llen) end = llen - 1;
  return [start, end];
}

/** LRANGE key start stop */
export const LRANGE = defineCommand({
  name: 'LRANGE',
  group: 'list',
  arity: 4,
  flags: ['readonly'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: [lkeys(['RO', 'ACCESS'])],
  args: [key(), integer('start'), integer('stop')],
  summary: 'Get a range of elements from a list',
  complexity:
    'O(S+N) where S is the distance of start offset from HEAD for small lists, from nearest end (HEAD or TAIL) for large lists; and N is the number of elements in the specified range.',
  since: '1.0.0',
  exec(c, argv): Reply {
    const start = parseInt64(argv[2]);
    const end = parseInt64(argv[3]);
    const l = readList(c, argv[1]);
    if (l === undefined) return EMPTY_ARRAY;
    const r = clampRange(start, end, l.count);
    return r === null ? EMPTY_ARRAY : bulks(l.range(r[0], r[1]));
  },
});

/** LTRIM key start stop */
export const LTRIM = defineCommand({
  name: 'LTRIM',
  group: 'list',
  arity: 4,
  flags: ['write'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: [lkeys(['RW', 'DELETE'])],
  args: [key(), integer('start'), integer('stop')],
  summary: 'Trim a list to the specified range',
  complexity: 'O(N) where N is the number of elements to be removed by the operation.',
  since: '1.0.0',
  exec(c, argv): Reply {
    const start = parseInt64(argv[2]);
    const end = parseInt64(argv[3]);
    const k = argv[1];
    const l = writeList(c, k);
    if (l === undefined) return OK;
    const llen = l.count;
    const r = clampRange(start, end, llen);
    const ltrim = r === null ? llen : r[0];
    const rtrim = r === null ? 0 : llen - r[1] - 1;
    l.delRange(0, ltrim);
    l.delRange(-rtrim, rtrim);
    c.engine.notify('l', 'ltrim', k, c.db.id);
    if (l.count === 0) {
      c.db.delete(k);
      c.engine.notify('g', 'del', k, c.db.id);
    } else {
      c.db.signalModified(k);
    }
    c.engine.dirty += ltrim + rtrim;
    return OK;
  },
});

/** getPositiveLongFromObjectOrReply with a message: every failure (not a number, negative) gives it. */
function parseNonNegative(s: string, msg: string): number {
  const n = parseLongLong(s);
  if (n === null || n < 0) fail(msg);
  return Number(n);
}

/** LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len] */
export const LPOS = defineCommand({
  name: 'LPOS',
  group: 'list',
  arity: -3,
  flags: ['readonly'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: [lkeys(['RO', 'ACCESS'])],
  args: [
    key(),
    str('element'),
    integer('rank', { token: 'RANK', optional: true }),
    integer('num-matches', { token: 'COUNT', optional: true }),
    integer('len', { token: 'MAXLEN', optional: true }),
  ],
  summary: 'Return the index of matching elements on a list',
  complexity:
    'O(N) where N is the number of elements in the list, for the average case. When searching for elements near the head or the tail of the list, or when the MAXLEN option is provided, the command may run in constant time.',
  since: '6.0.6',
  exec(c, argv): Reply {
    let rank: number | bigint = 1;
    let count = -1;
    let maxlen = 0;
    for (let j = 3; j < argv.length; j++) {
      const more = argv.length - 1 - j > 0;
      if (more && isCToken(argv[j], 'RANK')) {
        const n = parseLongLong(argv[++j]);
        if (n === null) fail(E.NOT_INTEGER);
        if (n === 0) fail(E.LPOS_RANK_ZERO);
        rank = n;
      } else if (more && isCToken(argv[j], 'COUNT')) {
        count = parseNonNegative(argv[++j], E.LPOS_COUNT_NEGATIVE);
      } else if (more && isCToken(argv[j], 'MAXLEN')) {
        maxlen = parseNonNegative(argv[++j], E.LPOS_MAXLEN_NEGATIVE);
      } else {
        fail(E.SYNTAX);
      }
    }
    // A negative rank searches from the tail. LONG_MIN stays negative when negated in C: every
    // match then satisfies matches >= rank, and the COUNT test overflows and never stops the scan.
    const fromTail = rank < 0;
    const wrapped = rank === -9223372036854775808n;
    const need = wrapped ? Number.NEGATIVE_INFINITY : Math.abs(Number(rank));
    const l = readList(c, argv[1]);
    if (l === undefined) return count !== -1 ? EMPTY_ARRAY : NIL;
    const ele = argv[2];
    const found: Reply[] = [];
    let matches = 0;
    let scanned = 0;
    let hit = -1;
    l.forEach(fromTail, (v, index) => {
      if (maxlen !== 0 && scanned >= maxlen) return false;
      scanned++;
      if (v !== ele) return true;
      matches++;
      if (matches < need) return true;
      if (count === -1) {
        hit = index;
        return false;
      }
      found.push(int(index));
      return wrapped || count === 0 || matches - need + 1 < count;
    });
    if (count !== -1) return array(found);
    return hit === -1 ? NIL : int(hit);
  },
});

/** LREM key count element */
export const LREM = defineCommand({
  name: 'LREM',
  group: 'list',
  arity: 4,
  flags: ['write'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: [lkeys(['RW', 'DELETE'])],
  args: [key(), integer('count'), str('element')],
  summary: 'Remove elements from a list',
  complexity: 'O(N+M) where N is the length of the list and M is the number of elements removed.',
  since: '1.0.0',
  exec(c, argv): Reply {
    const toremove = parseInt64(argv[2]);
    const k = argv[1];
    const l = writeList(c, k);
    if (l === undefined) return ZERO;
    const removed = l.removeMatches(argv[3], Math.abs(toremove), toremove < 0);
    c.engine.dirty += removed;
    if (removed > 0) {
      c.db.signalModified(k);
      c.engine.notify('l', 'lrem', k, c.db.id);
    }
    if (l.count === 0) {
      c.db.delete(k);
      c.engine.notify('g', 'del', k, c.db.id);
    }
    return int(removed);
  },
});

export const LIST_COMMANDS: readonly CommandSpec[] = [
  LPUSH,
  RPUSH,
  LPUSHX,
  RPUSHX,
  LINSERT,
  LLEN,
  LINDEX,
  LSET,
  LRANGE,
  LTRIM,
  LPOS,
  LREM,
  ...LIST_POP_COMMANDS,
];
