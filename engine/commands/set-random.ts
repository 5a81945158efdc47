// Random set commands (src/t_set.c spopCommand, srandmemberCommand and their WITHCOUNT variants),
// with Redis's case analysis: whole-set replies when the count covers the set, copy-and-remove when
// the count is close to the size, sampling otherwise. SPOP is propagated as SREMs (or one DEL).

import type { Client } from '../client';
import { E, LAB_RANDOM_COUNT_LIMIT, valueOutOfRangeBetween } from '../errors';
import { array, bulk, bulks, EMPTY_ARRAY, NIL, type Reply } from '../protocol/reply';
import { Dict } from '../types/dict';
import type { RedisSet } from '../types/set';
import { fail, parseLongLong } from './args';
import { type CommandSpec, defineCommand, integer, key } from './define';
import { unionOrDiff } from './set-ops';
import { maxIntset, newSetFor, readSet, setReply, skey, writeSet } from './set-value';

const INT64_MAX = 9223372036854775807n;
/** SPOP_MOVE_STRATEGY_MUL */
const SPOP_MOVE_STRATEGY_MUL = 5;
/** SRANDMEMBER_SUB_STRATEGY_MUL */
const SRANDMEMBER_SUB_STRATEGY_MUL = 3;

/** Remove the key when the set became empty (Redis never keeps empty sets). True when removed. */
function deleteIfEmpty(c: Client, k: string, s: RedisSet): boolean {
  if (s.size !== 0) return false;
  c.db.delete(k);
  c.engine.notify('g', 'del', k, c.db.id);
  return true;
}

/** spopWithCountCommand */
function spopWithCount(c: Client, k: string, countArg: string): Reply {
  const l = parseLongLong(countArg);
  if (l === null || l < 0) fail(E.NOT_POSITIVE);
  const s = writeSet(c, k);
  if (s === undefined || l === 0) return setReply([]);
  const count = Number(l);
  const size = s.size;
  c.engine.notify('s', 'spop', k, c.db.id);
  c.engine.dirty += Math.min(count, size);
  // CASE 1: the whole set: reply with its SUNION, delete the key, propagate a DEL.
  if (count >= size) {
    const all = unionOrDiff(c, [k], 0);
    c.db.delete(k);
    c.engine.notify('g', 'del', k, c.db.id);
    c.engine.rewritePropagation(['DEL', k]);
    return setReply(all.members());
  }
  const rand = c.engine.random.int;
  const popped: string[] = [];
  let remaining = size - count;
  if (remaining * SPOP_MOVE_STRATEGY_MUL > count) {
    // CASE 2: few elements: pop them one by one.
    for (let i = 0; i < count; i++) {
      const m = s.random(rand);
      s.remove(m);
      popped.push(m);
    }
  } else {
    // CASE 3: most of the set: move the survivors to a new set and return what is left of the old one.
    let kept: RedisSet | null = null;
    const max = maxIntset(c);
    while (remaining-- > 0) {
      const m = s.random(rand);
      if (kept === null) kept = newSetFor(c, m);
      kept.add(m, max);
      s.remove(m);
    }
    for (const m of s.members()) popped.push(m);
    c.db.overwrite(k, kept as RedisSet);
  }
  // Propagated as one SREM per element instead of the SPOP itself.
  c.engine.rewritePropagation(['SREM', k, popped[0]]);
  for (let i = 1; i < popped.length; i++) c.engine.alsoPropagate(c.db.id, ['SREM', k, popped[i]]);
  c.db.signalModified(k);
  return setReply(popped);
}

/** SPOP key [count] */
export const SPOP = defineCommand({
  name: 'SPOP',
  group: 'set',
  arity: -2,
  flags: ['write', 'fast'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: [skey(['RW', 'ACCESS', 'DELETE'])],
  args: [key(), integer('count', { optional: true, since: '3.2.0' })],
  summary: 'Remove and return one or multiple random members from a set',
  complexity: 'Without the count argument O(1), otherwise O(N) where N is the value of the passed count.',
  since: '1.0.0',
  tips: ['nondeterministic_output'],
  history: [['3.2.0', 'Added the `count` argument.']],
  exec(c, argv): Reply {
    if (argv.length === 3) return spopWithCount(c, argv[1], argv[2]);
    if (argv.length > 3) fail(E.SYNTAX);
    const k = argv[1];
    const s = writeSet(c, k);
    if (s === undefined) return NIL;
    const m = s.random(c.engine.random.int);
    s.remove(m);
    c.engine.notify('s', 'spop', k, c.db.id);
    c.engine.rewritePropagation(['SREM', k, m]);
    if (!deleteIfEmpty(c, k, s)) c.db.signalModified(k);
    c.engine.dirty++;
    return bulk(m);
  },
});

/** srandmemberWithCountCommand */
function srandmemberWithCount(c: Client, k: string, countArg: string): Reply {
  const l = parseLongLong(countArg);
  if (l === null) fail(E.NOT_INTEGER);
  if (l < -INT64_MAX) fail(valueOutOfRangeBetween('-9223372036854775807', '9223372036854775807'));
  const uniq = l >= 0;
  const count = Number(uniq ? l : -BigInt(l));
  const s = readSet(c, k);
  if (s === undefined || count === 0) return EMPTY_ARRAY;
  const size = s.size;
  const rand = c.engine.random.int;
  // CASE 1: negative count (repeats allowed) or one element: independent random picks.
  if (!uniq || count === 1) {
    // LAB: refuse replies too big to build rather than running out of memory.
    if (count > LAB_RANDOM_COUNT_LIMIT) fail(E.LAB_COUNT_TOO_LARGE);
    const out: string[] = [];
    for (let i = 0; i < count; i++) out.push(s.random(rand));
    return bulks(out);
  }
  // CASE 2: the count covers the set: all of it, in the set's order.
  if (count >= size) return bulks([...s.members()]);
  const d = new Dict<null>((c.engine.hashSeed ^ 0x72616e64) >>> 0);
  if (count * SRANDMEMBER_SUB_STRATEGY_MUL > size) {
    // CASE 3: copy the set, then remove random members down to the count.
    for (const m of s.members()) d.add(m, null);
    for (let n = size; n > count; n--) d.delete((d.randomEntry(rand) as { key: string }).key);
  } else {
    // CASE 4: sample until enough distinct members.
    while (d.size < count) {
      const m = s.random(rand);
      if (!d.has(m)) d.add(m, null);
    }
  }
  return array([...d.keys()].map((m) => bulk(m)));
}

/** SRANDMEMBER key [count] */
export const SRANDMEMBER = defineCommand({
  name: 'SRANDMEMBER',
  group: 'set',
  arity: -2,
  flags: ['readonly'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: [skey(['RO', 'ACCESS'])],
  args: [key(), integer('count', { optional: true, since: '2.6.0' })],
  summary: 'Get one or multiple random members from a set',
  complexity: 'Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed count.',
  since: '1.0.0',
  tips: ['nondeterministic_output'],
  history: [['2.6.0', 'Added the optional `count` argument.']],
  exec(c, argv): Reply {
    if (argv.length === 3) return srandmemberWithCount(c, argv[1], argv[2]);
    if (argv.length > 3) fail(E.SYNTAX);
    const s = readSet(c, argv[1]);
    return s === undefined ? NIL : bulk(s.random(c.engine.random.int));
  },
});

export const SET_RANDOM_COMMANDS: readonly CommandSpec[] = [SPOP, SRANDMEMBER];
