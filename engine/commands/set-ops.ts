// Set algebra (src/t_set.c sinterGenericCommand, sunionDiffGenericCommand): SMEMBERS, SINTER,
// SINTERCARD, SINTERSTORE, SUNION, SUNIONSTORE, SDIFF, SDIFFSTORE. The reply order is Redis's: SINTER
// walks the smallest set; SUNION/SDIFF build a new set (an intset while it can be) and walk it.

import type { Client } from '../client';
import { E } from '../errors';
import { int, type Reply, ZERO } from '../protocol/reply';
import type { RedisSet } from '../types/set';
import { fail, isCToken, parseLongLong } from './args';
import { type CommandSpec, defineCommand, integer, key, tokArg } from './define';
import { maxIntset, newIntsetSet, readSet, setReply, skey } from './set-value';

/** Store a set-algebra result at dstkey (setKey), or delete dstkey when the result is empty. */
function storeResult(c: Client, dstkey: string, result: RedisSet, event: string): Reply {
  if (result.size > 0) {
    c.db.lookupWrite(dstkey); // genericSetKey's lookupKeyWrite: an expired destination expires first
    c.db.setKey(dstkey, result);
    c.engine.notify('s', event, dstkey, c.db.id);
    c.engine.dirty++;
    return int(result.size);
  }
  if (c.db.delete(dstkey)) {
    c.engine.dirty++;
    c.engine.notify('g', 'del', dstkey, c.db.id);
  }
  return ZERO;
}

/**
 * sinterGenericCommand: SINTER/SMEMBERS (dstkey null), SINTERSTORE, SINTERCARD (cardinalityOnly,
 * stopping at `limit` when it is not 0).
 */
export function sinterGeneric(
  c: Client,
  keys: readonly string[],
  dstkey: string | null,
  cardinalityOnly: boolean,
  limit: number,
): Reply {
  const sets: RedisSet[] = [];
  let empty = false;
  for (const k of keys) {
    const s = readSet(c, k);
    if (s === undefined) empty = true;
    else sets.push(s);
  }
  // An intersection with an empty set is empty.
  if (empty) {
    if (dstkey !== null) {
      if (c.db.delete(dstkey)) {
        c.engine.notify('g', 'del', dstkey, c.db.id);
        c.engine.dirty++;
      }
      return ZERO;
    }
    return cardinalityOnly ? ZERO : setReply([]);
  }
  // Smallest first (a stable sort, as glibc's merge-sort qsort is for small arrays).
  sets.sort((a, b) => a.size - b.size);
  const first = sets[0];
  const dstset = dstkey !== null ? newIntsetSet(c) : null;
  const max = maxIntset(c);
  const out: string[] = [];
  let cardinality = 0;
  for (const m of first.members()) {
    let inAll = true;
    for (let j = 1; j < sets.length; j++) {
      if (sets[j] === first) continue;
      if (!sets[j].has(m)) {
        inAll = false;
        break;
      }
    }
    if (!inAll) continue;
    if (cardinalityOnly) {
      cardinality++;
      if (limit !== 0 && cardinality >= limit) break;
    } else if (dstset === null) {
      out.push(m);
    } else {
      dstset.add(m, max);
    }
  }
  if (cardinalityOnly) return int(cardinality);
  if (dstset !== null && dstkey !== null) return storeResult(c, dstkey, dstset, 'sinterstore');
  return setReply(out);
}

const UNION = 0;
const DIFF = 1;

/** sunionDiffGenericCommand's result set (no reply, no store): used by SUNION/SDIFF and SPOP. */
export function unionOrDiff(c: Client, keys: readonly string[], op: typeof UNION | typeof DIFF): RedisSet {
  const sets: (RedisSet | undefined)[] = [];
  let sameset = false;
  for (let j = 0; j < keys.length; j++) {
    const s = readSet(c, keys[j]);
    sets.push(s);
    if (j > 0 && s !== undefined && s === sets[0]) sameset = true;
  }
  // Algorithm 1 is O(N*M) over the first set, algorithm 2 O(total elements); pick the cheaper.
  let algo = 1;
  const head = sets[0];
  if (op === DIFF && head !== undefined && !sameset) {
    let one = 0;
    let two = 0;
    for (const s of sets) {
      if (s === undefined) continue;
      one += head.size;
      two += s.size;
    }
    one = Math.floor(one / 2);
    algo = one <= two ? 1 : 2;
    if (algo === 1 && sets.length > 1) {
      // Subtract the biggest sets first, to find shared members sooner.
      const rest = sets.slice(1).sort((a, b) => (b?.size ?? 0) - (a?.size ?? 0));
      sets.splice(1, rest.length, ...rest);
    }
  }
  const dst = newIntsetSet(c);
  const max = maxIntset(c);
  if (op === UNION) {
    for (const s of sets) if (s !== undefined) for (const m of s.members()) dst.add(m, max);
  } else if (head !== undefined && !sameset && algo === 1) {
    for (const m of head.members()) {
      let keep = true;
      for (let j = 1; j < sets.length; j++) {
        const s = sets[j];
        if (s === undefined) continue;
        if (s === head || s.has(m)) {
          keep = false;
          break;
        }
      }
      if (keep) dst.add(m, max);
    }
  } else if (head !== undefined && !sameset) {
    for (let j = 0; j < sets.length; j++) {
      const s = sets[j];
      if (s === undefined) continue;
      for (const m of s.members()) {
        if (j === 0) dst.add(m, max);
        else dst.remove(m);
      }
      if (dst.size === 0) break;
    }
  }
  return dst;
}

function unionDiffCommand(c: Client, keys: readonly string[], dstkey: string | null, op: 0 | 1): Reply {
  const result = unionOrDiff(c, keys, op);
  if (dstkey === null) return setReply(result.members());
  return storeResult(c, dstkey, result, op === UNION ? 'sunionstore' : 'sdiffstore');
}

/** SMEMBERS key (sinterCommand with one key in 7.0) */
export const SMEMBERS = defineCommand({
  name: 'SMEMBERS',
  group: 'set',
  arity: 2,
  flags: ['readonly'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: [skey(['RO', 'ACCESS'])],
  args: [key()],
  summary: 'Get all the members in a set',
  complexity: 'O(N) where N is the set cardinality.',
  since: '1.0.0',
  tips: ['nondeterministic_output_order'],
  exec(c, argv): Reply {
    return sinterGeneric(c, argv.slice(1), null, false, 0);
  },
});

/** SINTER key [key ...] */
export const SINTER = defineCommand({
  name: 'SINTER',
  group: 'set',
  arity: -2,
  flags: ['readonly'],
  keys: { first: 1, last: -1, step: 1 },
  keySpecs: [skey(['RO', 'ACCESS'], 1, -1)],
  args: [key('key', { multiple: true })],
  summary: 'Intersect multiple sets',
  complexity: 'O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.',
  since: '1.0.0',
  tips: ['nondeterministic_output_order'],
  exec(c, argv): Reply {
    return sinterGeneric(c, argv.slice(1), null, false, 0);
  },
});

/** SINTERCARD numkeys key [key ...] [LIMIT limit] */
export const SINTERCARD = defineCommand({
  name: 'SINTERCARD',
  group: 'set',
  arity: -3,
  flags: ['readonly', 'movablekeys'],
  keySpecs: [{ flags: ['RO', 'ACCESS'], begin: { index: 1 }, find: { keyNumIdx: 0, firstKey: 1, step: 1 } }],
  args: [integer('numkeys'), key('key', { multiple: true }), tokArg('LIMIT', integer('limit', { optional: true }))],
  summary: 'Intersect multiple sets and return the cardinality of the result',
  complexity: 'O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.',
  since: '7.0.0',
  exec(c, argv): Reply {
    const n = parseLongLong(argv[1]);
    if (n === null || n < 1) fail(E.NUMKEYS_GT0);
    if (n > argv.length - 2) fail(E.NUMKEYS_GT_ARGS);
    const numkeys = Number(n);
    let limit = 0;
    for (let j = 2 + numkeys; j < argv.length; j++) {
      if (isCToken(argv[j], 'LIMIT') && j < argv.length - 1) {
        const l = parseLongLong(argv[++j]);
        if (l === null || l < 0) fail(E.LIMIT_NEGATIVE);
        limit = Number(l);
      } else {
        fail(E.SYNTAX);
      }
    }
    return sinterGeneric(c, argv.slice(2, 2 + numkeys), null, true, limit);
  },
});

/** SINTERSTORE destination key [key ...] */
export const SINTERSTORE = defineCommand({
  name: 'SINTERSTORE',
  group: 'set',
  arity: -3,
  flags: ['write', 'denyoom'],
  keys: { first: 1, last: -1, step: 1 },
  keySpecs: [skey(['RW', 'UPDATE']), skey(['RO', 'ACCESS'], 2, -1)],
  args: [key('destination'), key('key', { multiple: true })],
  summary: 'Intersect multiple sets and store the resulting set in a key',
  complexity: 'O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.',
  since: '1.0.0',
  exec(c, argv): Reply {
    return sinterGeneric(c, argv.slice(2), argv[1], false, 0);
  },
});

/** SUNION key [key ...] */
export const SUNION = defineCommand({
  name: 'SUNION',
  group: 'set',
  arity: -2,
  flags: ['readonly'],
  keys: { first: 1, last: -1, step: 1 },
  keySpecs: [skey(['RO', 'ACCESS'], 1, -1)],
  args: [key('key', { multiple: true })],
  summary: 'Add multiple sets',
  complexity: 'O(N) where N is the total number of elements in all given sets.',
  since: '1.0.0',
  tips: ['nondeterministic_output_order'],
  exec(c, argv): Reply {
    return unionDiffCommand(c, argv.slice(1), null, UNION);
  },
});

/** SUNIONSTORE destination key [key ...] */
export const SUNIONSTORE = defineCommand({
  name: 'SUNIONSTORE',
  group: 'set',
  arity: -3,
  flags: ['write', 'denyoom'],
  keys: { first: 1, last: -1, step: 1 },
  keySpecs: [skey(['OW', 'UPDATE']), skey(['RO', 'ACCESS'], 2, -1)],
  args: [key('destination'), key('key', { multiple: true })],
  summary: 'Add multiple sets and store the resulting set in a key',
  complexity: 'O(N) where N is the total number of elements in all given sets.',
  since: '1.0.0',
  exec(c, argv): Reply {
    return unionDiffCommand(c, argv.slice(2), argv[1], UNION);
  },
});

/** SDIFF key [key ...] */
export const SDIFF = defineCommand({
  name: 'SDIFF',
  group: 'set',
  arity: -2,
  flags: ['readonly'],
  keys: { first: 1, last: -1, step: 1 },
  keySpecs: [skey(['RO', 'ACCESS'], 1, -1)],
  args: [key('key', { multiple: true })],
  summary: 'Subtract multiple sets',
  complexity: 'O(N) where N is the total number of elements in all given sets.',
  since: '1.0.0',
  tips: ['nondeterministic_output_order'],
  exec(c, argv): Reply {
    return unionDiffCommand(c, argv.slice(1), null, DIFF);
  },
});

/** SDIFFSTORE destination key [key ...] */
export const SDIFFSTORE = defineCommand({
  name: 'SDIFFSTORE',
  group: 'set',
  arity: -3,
  flags: ['write', 'denyoom'],
  keys: { first: 1, last: -1, step: 1 },
  keySpecs: [skey(['OW', 'UPDATE']), skey(['RO', 'ACCESS'], 2, -1)],
  args: [key('destination'), key('key', { multiple: true })],
  summary: 'Subtract multiple sets and store the resulting set in a key',
  complexity: 'O(N) where N is the total number of elements in all given sets.',
  since: '1.0.0',
  exec(c, argv): Reply {
    return unionDiffCommand(c, argv.slice(2), argv[1], DIFF);
  },
});

export const SET_OPS_COMMANDS: readonly CommandSpec[] = [
  SDIFF,
  SDIFFSTORE,
  SINTER,
  SINTERCARD,
  SINTERSTORE,
  SMEMBERS,
  SUNION,
  SUNIONSTORE,
];
