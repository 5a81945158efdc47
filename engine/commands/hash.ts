// Hash commands (src/t_hash.c): HSET/HMSET/HSETNX, HGET/HMGET/HGETALL/HKEYS/HVALS, HDEL, HLEN,
// HSTRLEN, HEXISTS, HINCRBY/HINCRBYFLOAT, HRANDFIELD and HSCAN over types/hash.ts (listpack until
// hash-max-listpack-entries/-value are exceeded, then hashtable). Keyspace events use class 'h'.

import type { Client } from '../client';
import { E, LAB_RANDOM_COUNT_LIMIT, valueOutOfRangeBetween, wrongArity } from '../errors';
import type { RedisValue } from '../keyspace/db';
import { dictSlots, packedValueSize, registerValueSizer, ROBJ_SIZE, sdsAllocSize } from '../keyspace/memory';
import { array, bulk, bulks, EMPTY_ARRAY, int, map, NIL, OK, ONE, type Reply, ZERO } from '../protocol/reply';
import { type HashLimits, RedisHash } from '../types/hash';
import { Dict } from '../types/dict';
import { addLongDouble, formatLongDoubleHuman, longDoubleFromInt, parseLongDouble } from '../util/long-double';
import { fail, isCToken, parseInteger, parseLongLong } from './args';
import {
  block,
  type CommandSpec,
  defineCommand,
  integer,
  key,
  type KeySpec,
  type KeySpecFlag,
  pattern,
  str,
  tok,
  tokArg,
} from './define';
import { parseScanCursor } from './keys';
import { removeElements } from './collection';
import { EMPTY_SCAN, parseScanOptions, scanCollection } from './scan-collection';

const INT64_MIN = -9223372036854775808n;
const INT64_MAX = 9223372036854775807n;
/** LONG_MAX/2: HRANDFIELD ... WITHVALUES refuses counts whose doubled reply length would overflow. */
const HALF_LONG_MAX = 4611686018427387903n;
/** HRANDFIELD_SUB_STRATEGY_MUL */
const SUB_STRATEGY_MUL = 3;

/** The single key spec of every hash command: the key at argument 1. */
function hkey(flags: readonly KeySpecFlag[]): KeySpec[] {
  return [{ flags, begin: { index: 1 }, find: { lastKey: 0, step: 1, limit: 0 } }];
}

// objectComputeSize for hashes (src/object.c): a listpack is one allocation of lpBytes; a hashtable
// counts the dict struct and its bucket array, plus the average dictEntry + field sds + value sds of
// the first `samples` entries times the number of entries; the buckets count both tables while a
// growth is being rehashed (dictSlots, two steps per HSET: dictFind, dictAdd).
// LAB: dict order differs from Redis's, so the sampled entries may differ when their sizes vary.
const DICT_STRUCT = 56;
const DICT_ENTRY = 24;
registerValueSizer('hash', (v, samples) => {
  const h = v as RedisHash;
  const lp = h.listpackBytes();
  if (lp !== undefined) return packedValueSize(lp);
  let size = ROBJ_SIZE + DICT_STRUCT + 8 * dictSlots(h.size, h.buckets as number, 2);
  let ele = 0;
  let n = 0;
  for (const [f, val] of h.entries()) {
    if (n >= samples) break;
    ele += DICT_ENTRY + sdsAllocSize(f.length) + sdsAllocSize(val.length);
    n++;
  }
  if (n > 0) size += (ele / n) * h.size;
  return Math.floor(size);
});

/** checkType(OBJ_HASH): the hash, undefined when missing, WRONGTYPE otherwise. */
export function asHash(v: RedisValue | undefined): RedisHash | undefined {
  if (v === undefined || v instanceof RedisHash) return v;
  return fail(E.WRONGTYPE);
}

function readHash(c: Client, k: string): RedisHash | undefined {
  return asHash(c.db.lookupRead(k));
}

/** hash-max-listpack-entries / -value as configured now (also for building hashes elsewhere, e.g. RDB loading). */
export function hashLimits(c: Client): HashLimits {
  const cfg = c.engine.config;
  return { maxEntries: cfg.getInt('hash-max-listpack-entries'), maxValue: cfg.getInt('hash-max-listpack-value') };
}

/** hashTypeLookupWriteOrCreate: the hash at key, created (and added to the db) when missing. */
function hashForWrite(c: Client, k: string): RedisHash {
  const h = asHash(c.db.lookupWrite(k));
  if (h !== undefined) return h;
  const created = new RedisHash(c.engine.hashSeed ^ 0x68617368);
  c.db.add(k, created);
  return created;
}

/** After an in-place write: signalModifiedKey + notifyKeyspaceEvent(NOTIFY_HASH). */
function modified(c: Client, k: string, event: string): void {
  c.db.signalModified(k);
  c.engine.notify('h', event, k, c.db.id);
}

/** HSET/HMSET: every argument is checked for length first (hashTypeTryConversion). */
function hset(c: Client, argv: string[], fullname: string): number {
  if (argv.length % 2 === 1) fail(wrongArity(fullname));
  const h = hashForWrite(c, argv[1]);
  const lim = hashLimits(c);
  h.tryConversion(argv, 2, argv.length - 1, lim.maxValue);
  let created = 0;
  for (let i = 2; i < argv.length; i += 2) if (!h.set(argv[i], argv[i + 1], lim)) created++;
  modified(c, argv[1], 'hset');
  c.engine.dirty += (argv.length - 2) / 2;
  return created;
}

const FIELD_VALUE = block('field_value', [str('field'), str('value')], { multiple: true });

/** HSET key field value [field value ...] */
export const HSET = defineCommand({
  name: 'HSET',
  group: 'hash',
  arity: -4,
  flags: ['write', 'denyoom', 'fast'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: hkey(['RW', 'UPDATE']),
  args: [key(), FIELD_VALUE],
  summary: 'Set the string value of a hash field',
  complexity:
    'O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command is called with multiple field/value pairs.',
  since: '2.0.0',
  history: [['4.0.0', 'Accepts multiple `field` and `value` arguments.']],
  exec(c, argv): Reply {
    return int(hset(c, argv, 'hset'));
  },
});

/** HMSET key field value [field value ...] (deprecated: HSET) */
export const HMSET = defineCommand({
  name: 'HMSET',
  group: 'hash',
  arity: -4,
  flags: ['write', 'denyoom', 'fast'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: hkey(['RW', 'UPDATE']),
  docFlags: ['deprecated'],
  deprecatedSince: '4.0.0',
  replacedBy: '`HSET` with multiple field-value pairs',
  args: [key(), FIELD_VALUE],
  summary: 'Set multiple hash fields to multiple values',
  complexity: 'O(N) where N is the number of fields being set.',
  since: '2.0.0',
  exec(c, argv): Reply {
    hset(c, argv, 'hmset');
    return OK;
  },
});

/** HSETNX key field value */
export const HSETNX = defineCommand({
  name: 'HSETNX',
  group: 'hash',
  arity: 4,
  flags: ['write', 'denyoom', 'fast'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: hkey(['RW', 'INSERT']),
  args: [key(), str('field'), str('value')],
  summary: 'Set the value of a hash field, only if the field does not exist',
  complexity: 'O(1)',
  since: '2.0.0',
  exec(c, argv): Reply {
    const h = hashForWrite(c, argv[1]);
    if (h.has(argv[2])) return ZERO;
    const lim = hashLimits(c);
    h.tryConversion(argv, 2, 3, lim.maxValue);
    h.set(argv[2], argv[3], lim);
    modified(c, argv[1], 'hset');
    c.engine.dirty++;
    return ONE;
  },
});

/** HGET key field */
export const HGET = defineCommand({
  name: 'HGET',
  group: 'hash',
  arity: 3,
  flags: ['readonly', 'fast'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: hkey(['RO', 'ACCESS']),
  args: [key(), str('field')],
  summary: 'Get the value of a hash field',
  complexity: 'O(1)',
  since: '2.0.0',
  exec(c, argv): Reply {
    const h = readHash(c, argv[1]);
    return h === undefined ? NIL : bulk(h.get(argv[2]) ?? null);
  },
});

/** HMGET key field [field ...] */
export const HMGET = defineCommand({
  name: 'HMGET',
  group: 'hash',
  arity: -3,
  flags: ['readonly', 'fast'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: hkey(['RO', 'ACCESS']),
  args: [key(), str('field', { multiple: true })],
  summary: 'Get the values of all the given hash fields',
  complexity: 'O(N) where N is the number of fields being requested.',
  since: '2.0.0',
  exec(c, argv): Reply {
    const h = readHash(c, argv[1]);
    const out: (string | null)[] = [];
    for (let i = 2; i < argv.length; i++) out.push(h?.get(argv[i]) ?? null);
    return bulks(out);
  },
});

/** HDEL key field [field ...] */
export const HDEL = defineCommand({
  name: 'HDEL',
  group: 'hash',
  arity: -3,
  flags: ['write', 'fast'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: hkey(['RW', 'DELETE']),
  args: [key(), str('field', { multiple: true })],
  summary: 'Delete one or more hash fields',
  complexity: 'O(N) where N is the number of fields to be removed.',
  since: '2.0.0',
  history: [['2.4.0', 'Accepts multiple `field` arguments.']],
  exec(c, argv): Reply {
    const k = argv[1];
    const h = asHash(c.db.lookupWrite(k));
    if (h === undefined) return ZERO;
    return int(
      removeElements(
        c,
        k,
        argv,
        2,
        (f) => h.delete(f),
        () => h.size,
        'h',
        'hdel',
      ),
    );
  },
});

/** HLEN key */
export const HLEN = defineCommand({
  name: 'HLEN',
  group: 'hash',
  arity: 2,
  flags: ['readonly', 'fast'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: hkey(['RO']),
  args: [key()],
  summary: 'Get the number of fields in a hash',
  complexity: 'O(1)',
  since: '2.0.0',
  exec(c, argv): Reply {
    return int(readHash(c, argv[1])?.size ?? 0);
  },
});

/** HSTRLEN key field */
export const HSTRLEN = defineCommand({
  name: 'HSTRLEN',
  group: 'hash',
  arity: 3,
  flags: ['readonly', 'fast'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: hkey(['RO']),
  args: [key(), str('field')],
  summary: 'Get the length of the value of a hash field',
  complexity: 'O(1)',
  since: '3.2.0',
  exec(c, argv): Reply {
    return int(readHash(c, argv[1])?.get(argv[2])?.length ?? 0);
  },
});

/** HEXISTS key field */
export const HEXISTS = defineCommand({
  name: 'HEXISTS',
  group: 'hash',
  arity: 3,
  flags: ['readonly', 'fast'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: hkey(['RO']),
  args: [key(), str('field')],
  summary: 'Determine if a hash field exists',
  complexity: 'O(1)',
  since: '2.0.0',
  exec(c, argv): Reply {
    return readHash(c, argv[1])?.has(argv[2]) ? ONE : ZERO;
  },
});

/** HGETALL / HKEYS / HVALS: genericHgetallCommand (a map for HGETALL under RESP3). */
function hgetall(c: Client, k: string, keys: boolean, values: boolean): Reply {
  const h = readHash(c, k);
  if (keys && values) {
    const pairs: [Reply, Reply][] = [];
    if (h !== undefined) for (const [f, v] of h.entries()) pairs.push([bulk(f), bulk(v)]);
    return map(pairs);
  }
  if (h === undefined) return EMPTY_ARRAY;
  const out: string[] = [];
  for (const [f, v] of h.entries()) out.push(keys ? f : v);
  return bulks(out);
}

/** HGETALL key */
export const HGETALL = defineCommand({
  name: 'HGETALL',
  group: 'hash',
  arity: 2,
  flags: ['readonly'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: hkey(['RO', 'ACCESS']),
  args: [key()],
  summary: 'Get all the fields and values in a hash',
  complexity: 'O(N) where N is the size of the hash.',
  since: '2.0.0',
  tips: ['nondeterministic_output_order'],
  exec(c, argv): Reply {
    return hgetall(c, argv[1], true, true);
  },
});

/** HKEYS key */
export const HKEYS = defineCommand({
  name: 'HKEYS',
  group: 'hash',
  arity: 2,
  flags: ['readonly'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: hkey(['RO', 'ACCESS']),
  args: [key()],
  summary: 'Get all the fields in a hash',
  complexity: 'O(N) where N is the size of the hash.',
  since: '2.0.0',
  tips: ['nondeterministic_output_order'],
  exec(c, argv): Reply {
    return hgetall(c, argv[1], true, false);
  },
});

/** HVALS key */
export const HVALS = defineCommand({
  name: 'HVALS',
  group: 'hash',
  arity: 2,
  flags: ['readonly'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: hkey(['RO', 'ACCESS']),
  args: [key()],
  summary: 'Get all the values in a hash',
  complexity: 'O(N) where N is the size of the hash.',
  since: '2.0.0',
  tips: ['nondeterministic_output_order'],
  exec(c, argv): Reply {
    return hgetall(c, argv[1], false, true);
  },
});

/** HINCRBY key field increment */
export const HINCRBY = defineCommand({
  name: 'HINCRBY',
  group: 'hash',
  arity: 4,
  flags: ['write', 'denyoom', 'fast'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: hkey(['RW', 'ACCESS', 'UPDATE']),
  args: [key(), str('field'), integer('increment')],
  summary: 'Increment the integer value of a hash field by the given number',
  complexity: 'O(1)',
  since: '2.0.0',
  exec(c, argv): Reply {
    const incr = parseInteger(argv[3]);
    const h = hashForWrite(c, argv[1]);
    const cur = h.get(argv[2]);
    let value: number | bigint = 0;
    if (cur !== undefined) {
      const parsed = parseLongLong(cur);
      if (parsed === null) fail(E.HASH_NOT_INTEGER);
      value = parsed;
    }
    let sum: number | bigint;
    if (typeof value === 'number' && typeof incr === 'number' && Number.isSafeInteger(value + incr)) {
      sum = value + incr;
    } else {
      const big = BigInt(value) + BigInt(incr);
      if (big < INT64_MIN || big > INT64_MAX) fail(E.OVERFLOW);
      sum = big >= -9007199254740991n && big <= 9007199254740991n ? Number(big) : big;
    }
    h.set(argv[2], String(sum), hashLimits(c));
    modified(c, argv[1], 'hincrby');
    c.engine.dirty++;
    return int(sum);
  },
});

/** HINCRBYFLOAT key field increment (long double arithmetic, propagated as HSET) */
export const HINCRBYFLOAT = defineCommand({
  name: 'HINCRBYFLOAT',
  group: 'hash',
  arity: 4,
  flags: ['write', 'denyoom', 'fast'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: hkey(['RW', 'ACCESS', 'UPDATE']),
  args: [key(), str('field'), { name: 'increment', type: 'double' }],
  summary: 'Increment the float value of a hash field by the given amount',
  complexity: 'O(1)',
  since: '2.6.0',
  exec(c, argv): Reply {
    const incr = parseLongDouble(argv[3]);
    if (incr === null) fail(E.NOT_FLOAT);
    if (incr.kind !== 'finite') fail(E.INCR_NAN_OR_INF);
    const h = hashForWrite(c, argv[1]);
    const cur = h.get(argv[2]);
    let value = longDoubleFromInt(0);
    if (cur !== undefined) {
      const parsed = parseLongDouble(cur);
      if (parsed === null) fail(E.HASH_NOT_FLOAT);
      value = parsed;
    }
    const sum = addLongDouble(value, incr);
    if (sum.kind !== 'finite') fail(E.NAN_OR_INF);
    const text = formatLongDoubleHuman(sum);
    h.set(argv[2], text, hashLimits(c));
    modified(c, argv[1], 'hincrbyfloat');
    c.engine.dirty++;
    // Replicated as HSET with the final value, so replicas never redo the float arithmetic.
    c.engine.rewritePropagation(['HSET', argv[1], argv[2], text]);
    return bulk(text);
  },
});

/** The reply items for field/value pairs: flat under RESP2, [field, value] arrays under RESP3. */
function pairItems(c: Client, pairs: readonly [string, string][], withvalues: boolean): Reply {
  const out: Reply[] = [];
  for (const [f, v] of pairs) {
    if (!withvalues) out.push(bulk(f));
    else if (c.resp > 2) out.push(array([bulk(f), bulk(v)]));
    else out.push(bulk(f), bulk(v));
  }
  return array(out);
}

/** hrandfieldWithCountCommand */
function hrandfieldWithCount(c: Client, k: string, l: number | bigint, withvalues: boolean): Reply {
  const h = readHash(c, k);
  if (h === undefined) return EMPTY_ARRAY;
  const size = h.size;
  const uniq = l >= 0;
  const count = Number(l < 0 ? -BigInt(l) : l);
  if (count === 0) return EMPTY_ARRAY;
  const rand = c.engine.random.int;
  // CASE 1: negative count (repeats allowed) or a single field: independent random picks.
  if (!uniq || count === 1) {
    // LAB: refuse replies too big to build rather than running out of memory.
    if (count > LAB_RANDOM_COUNT_LIMIT) fail(E.LAB_COUNT_TOO_LARGE);
    const picks: [string, string][] = [];
    for (let i = 0; i < count; i++) picks.push(h.random(rand));
    return pairItems(c, picks, withvalues);
  }
  // CASE 2: at least as many as the hash holds: the whole hash, in its order.
  if (count >= size) return pairItems(c, [...h.entries()], withvalues);
  // CASE 3: close to the size: copy everything, then drop random entries (reply in the copy's order).
  if (count * SUB_STRATEGY_MUL > size) {
    const d = new Dict<string>(c.engine.hashSeed ^ 0x72616e64);
    for (const [f, v] of h.entries()) d.add(f, v);
    let n = size;
    while (n > count) {
      d.delete((d.randomEntry(rand) as { key: string }).key);
      n--;
    }
    const pairs: [string, string][] = [];
    for (const e of d.entries()) pairs.push([e.key, e.val]);
    return pairItems(c, pairs, withvalues);
  }
  // CASE 4: few out of many.
  const pairs: [string, string][] = [];
  if (h.encoding() === 'listpack') {
    // lpRandomPairsUnique: one pass, each pair taken with probability wanted/remaining (listpack order).
    let remaining = count;
    for (let i = 0; i < size && pairs.length < count; i++) {
      if (c.engine.random.next() <= remaining / (size - i)) {
        pairs.push(h.pairAt(i));
        remaining--;
      }
    }
  } else {
    const seen = new Set<string>();
    while (pairs.length < count) {
      const p = h.random(rand);
      if (seen.has(p[0])) continue;
      seen.add(p[0]);
      pairs.push(p);
    }
  }
  return pairItems(c, pairs, withvalues);
}

/** HRANDFIELD key [count [WITHVALUES]] */
export const HRANDFIELD = defineCommand({
  name: 'HRANDFIELD',
  group: 'hash',
  arity: -2,
  flags: ['readonly'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: hkey(['RO', 'ACCESS']),
  args: [key(), block('options', [integer('count'), tok('WITHVALUES')], { optional: true })],
  summary: 'Get one or multiple random fields from a hash',
  complexity: 'O(N) where N is the number of fields returned',
  since: '6.2.0',
  tips: ['nondeterministic_output'],
  exec(c, argv): Reply {
    if (argv.length >= 3) {
      const l = parseInteger(argv[2]);
      if (l < -INT64_MAX) fail(valueOutOfRangeBetween('-9223372036854775807', '9223372036854775807'));
      if (argv.length > 4 || (argv.length === 4 && !isCToken(argv[3], 'WITHVALUES'))) fail(E.SYNTAX);
      const withvalues = argv.length === 4;
      if (withvalues && (l < -HALF_LONG_MAX || l > HALF_LONG_MAX)) fail(E.OUT_OF_RANGE);
      return hrandfieldWithCount(c, argv[1], l, withvalues);
    }
    const h = readHash(c, argv[1]);
    return h === undefined ? NIL : bulk(h.random(c.engine.random.int)[0]);
  },
});

/** HSCAN key cursor [MATCH pattern] [COUNT count] */
export const HSCAN = defineCommand({
  name: 'HSCAN',
  group: 'hash',
  arity: -3,
  flags: ['readonly'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: hkey(['RO', 'ACCESS']),
  args: [
    key(),
    integer('cursor'),
    tokArg('MATCH', pattern('pattern', { optional: true })),
    tokArg('COUNT', integer('count', { optional: true })),
  ],
  summary: 'Incrementally iterate hash fields and associated values',
  complexity:
    'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..',
  since: '2.8.0',
  tips: ['nondeterministic_output'],
  exec(c, argv): Reply {
    const cursor = parseScanCursor(argv[2]);
    const h = readHash(c, argv[1]);
    if (h === undefined) return EMPTY_SCAN;
    const opts = parseScanOptions(argv, 3);
    return scanCollection(
      cursor,
      opts,
      2,
      (cur, out) => h.scanStep(cur, (f, v) => out.push(f, v)),
      (out) => {
        for (const [f, v] of h.entries()) out.push(f, v);
      },
    );
  },
});

export const HASH_COMMANDS: readonly CommandSpec[] = [
  HDEL,
  HEXISTS,
  HGET,
  HGETALL,
  HINCRBY,
  HINCRBYFLOAT,
  HKEYS,
  HLEN,
  HMGET,
  HMSET,
  HRANDFIELD,
  HSCAN,
  HSET,
  HSETNX,
  HSTRLEN,
  HVALS,
];
