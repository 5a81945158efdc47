// Counter commands on strings (src/t_string.c incrDecrCommand, incrbyfloatCommand): INCR, DECR,
// INCRBY, DECRBY over full signed 64-bit integers (bigint beyond 2^53), and INCRBYFLOAT with C
// long double arithmetic (util/long-double.ts). All keep the key's TTL (dbOverwrite).

import { E } from '../errors';
import { type Reply, bulk, int } from '../protocol/reply';
import { type CommandSpec, dbl, defineCommand, integer, key } from './define';
import { fail, parseInteger, parseLongLong } from './args';
import type { Client } from '../client';
import { incrByFloat } from '../util/long-double';
import { getStringForWrite, keySpec } from './string-value';
import { META_NOINT, META_UNSHARED } from '../keyspace/db';
import { sharedIntegersAllowed } from './keys-shared';

const INT64_MIN = -9223372036854775808n;
/** OBJ_SHARED_INTEGERS */
const OBJ_SHARED_INTEGERS = 10000;
const INT64_MAX = 9223372036854775807n;

/** The exact sum, or the overflow error; a number whenever it is a safe integer. */
function addInt64(a: number | bigint, b: number | bigint): number | bigint {
  const r = BigInt(a) + BigInt(b);
  if (r < INT64_MIN || r > INT64_MAX) fail(E.OVERFLOW);
  return r >= -9007199254740991n && r <= 9007199254740991n ? Number(r) : r;
}

/** incrDecrCommand: add incr to the integer at key (missing = 0); the result is int-encoded. */
function incrDecr(c: Client, k: string, incr: number | bigint): Reply {
  const db = c.db;
  const e = db.lookupEntry(k); // lookupKeyWrite
  let value: number | bigint = 0;
  if (e !== undefined) {
    if (typeof e.val !== 'string') fail(E.WRONGTYPE);
    const parsed = parseLongLong(e.val);
    if (parsed === null) fail(E.NOT_INTEGER);
    value = parsed;
  }
  let result: number | bigint;
  if (typeof value === 'number' && typeof incr === 'number') {
    result = value + incr;
    if (!Number.isSafeInteger(result)) result = addInt64(value, incr);
  } else {
    result = addInt64(value, incr);
  }
  const s = String(result);
  if (e === undefined) db.add(k, s);
  else db.overwrite(k, s, false);
  if (typeof result === 'number' && result >= 0 && result < OBJ_SHARED_INTEGERS) {
    // A fresh object: the shared integer unless maxmemory with an LRU/LFU policy forbids it.
    const entry = e ?? db.dict.getEntry(k);
    if (entry !== undefined) {
      entry.meta = sharedIntegersAllowed(c) ? entry.meta & ~META_UNSHARED : entry.meta | META_UNSHARED;
    }
  }
  c.engine.notify('$', 'incrby', k, db.id);
  c.engine.dirty++;
  return int(result);
}

/** INCR key */
export const INCR = defineCommand({
  name: 'INCR',
  group: 'string',
  arity: 2,
  flags: ['write', 'denyoom', 'fast'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: keySpec(['RW', 'ACCESS', 'UPDATE']),
  args: [key()],
  summary: 'Increment the integer value of a key by one',
  complexity: 'O(1)',
  since: '1.0.0',
  exec(c, argv): Reply {
    return incrDecr(c, argv[1], 1);
  },
});

/** DECR key */
export const DECR = defineCommand({
  name: 'DECR',
  group: 'string',
  arity: 2,
  flags: ['write', 'denyoom', 'fast'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: keySpec(['RW', 'ACCESS', 'UPDATE']),
  args: [key()],
  summary: 'Decrement the integer value of a key by one',
  complexity: 'O(1)',
  since: '1.0.0',
  exec(c, argv): Reply {
    return incrDecr(c, argv[1], -1);
  },
});

/** INCRBY key increment */
export const INCRBY = defineCommand({
  name: 'INCRBY',
  group: 'string',
  arity: 3,
  flags: ['write', 'denyoom', 'fast'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: keySpec(['RW', 'ACCESS', 'UPDATE']),
  args: [key(), integer('increment')],
  summary: 'Increment the integer value of a key by the given amount',
  complexity: 'O(1)',
  since: '1.0.0',
  exec(c, argv): Reply {
    return incrDecr(c, argv[1], parseInteger(argv[2]));
  },
});

/** DECRBY key decrement */
export const DECRBY = defineCommand({
  name: 'DECRBY',
  group: 'string',
  arity: 3,
  flags: ['write', 'denyoom', 'fast'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: keySpec(['RW', 'ACCESS', 'UPDATE']),
  args: [key(), integer('decrement')],
  summary: 'Decrement the integer value of a key by the given number',
  complexity: 'O(1)',
  since: '1.0.0',
  exec(c, argv): Reply {
    const decr = parseInteger(argv[2]);
    // Negating LLONG_MIN would overflow.
    if (decr === INT64_MIN) fail(E.DECR_OVERFLOW);
    return incrDecr(c, argv[1], typeof decr === 'number' ? 0 - decr : -decr);
  },
});

/** INCRBYFLOAT key increment — long double sum, stored and replied as "%.17Lf" without trailing zeros */
export const INCRBYFLOAT = defineCommand({
  name: 'INCRBYFLOAT',
  group: 'string',
  arity: 3,
  flags: ['write', 'denyoom', 'fast'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: keySpec(['RW', 'ACCESS', 'UPDATE']),
  args: [key(), dbl('increment')],
  summary: 'Increment the float value of a key by the given amount',
  complexity: 'O(1)',
  since: '2.6.0',
  exec(c, argv): Reply {
    const k = argv[1];
    const old = getStringForWrite(c, k);
    const r = incrByFloat(old, argv[2]);
    if (!r.ok) fail(r.why === 'nan-or-inf' ? E.NAN_OR_INF : E.NOT_FLOAT);
    // Redis stores the result as a plain embstr/raw string even when it looks like an integer ("3"),
    // never a shared integer: META_NOINT and META_UNSHARED record both (OBJECT ENCODING/REFCOUNT).
    if (old === undefined) c.db.add(k, r.value);
    else c.db.overwrite(k, r.value, false);
    const entry = c.db.dict.getEntry(k);
    if (entry !== undefined) entry.meta |= META_UNSHARED | META_NOINT;
    c.engine.notify('$', 'incrbyfloat', k, c.db.id);
    c.engine.dirty++;
    // Replicated as SET with the final text so replicas and AOF replay never re-round.
    c.engine.rewritePropagation(['SET', k, r.value, 'KEEPTTL']);
    return bulk(r.value);
  },
});

export const STRING_INCR_COMMANDS: readonly CommandSpec[] = [INCR, DECR, INCRBY, DECRBY, INCRBYFLOAT];
