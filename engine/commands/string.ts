// String commands (src/t_string.c): the SET family (SET, SETNX, SETEX, PSETEX, GETSET), GET, GETEX,
// GETDEL, MGET, MSET and MSETNX. Values are binary strings; their int/embstr/raw encoding is derived
// as Redis 7.0 reports it (types/string-encoding.ts). Range, counter and LCS commands live in
// string-range.ts, string-incr.ts and string-lcs.ts; STRING_COMMANDS gathers them all.

import { E, invalidExpire, wrongArity } from '../errors';
import { type Reply, bulk, array, NIL, OK, ONE, ZERO } from '../protocol/reply';
import {
  block,
  type CommandSpec,
  defineCommand,
  integer,
  key,
  many,
  oneof,
  str,
  tok,
  tokArg,
  unixTime,
} from './define';
import { fail, parseInteger } from './args';
import type { Client } from '../client';
import { isLfuPolicy } from '../keyspace/evict';
import { cstr, getString, keySpec, markSharedInt } from './string-value';
import { STRING_RANGE_COMMANDS } from './string-range';
import { STRING_INCR_COMMANDS } from './string-incr';
import { STRING_LCS_COMMANDS } from './string-lcs';

export { getString } from './string-value';

// Option flags of parseExtendedStringArgumentsOrReply (OBJ_SET_NX ... OBJ_PERSIST).
const F_NX = 1;
const F_XX = 2;
const F_EX = 4;
const F_PX = 8;
const F_KEEPTTL = 16;
const F_GET = 32;
const F_EXAT = 64;
const F_PXAT = 128;
const F_PERSIST = 256;
/** Flags live below this; the expire argument's index is packed above it. */
const FLAG_SPAN = 512;

const INT64_MAX = 9223372036854775807n;
const KEEP_TTL = { keepTtl: true } as const;

/**
 * parseExtendedStringArgumentsOrReply: SET's NX/XX/GET/KEEPTTL or GETEX's PERSIST, plus
 * EX/PX/EXAT/PXAT, with Redis's exact exclusions. Returns the flags, with the index of the expire
 * argument packed above FLAG_SPAN (0 when none).
 */
function parseExtended(argv: string[], isSet: boolean): number {
  let flags = 0;
  let expireIdx = 0;
  const last = argv.length - 1;
  for (let j = isSet ? 3 : 2; j < argv.length; j++) {
    const opt = cstr(argv[j]).toUpperCase();
    const hasNext = j < last;
    if (opt === 'NX' && isSet && !(flags & F_XX)) flags |= F_NX;
    else if (opt === 'XX' && isSet && !(flags & F_NX)) flags |= F_XX;
    else if (opt === 'GET' && isSet) flags |= F_GET;
    else if (opt === 'KEEPTTL' && isSet && !(flags & (F_PERSIST | F_EX | F_EXAT | F_PX | F_PXAT))) flags |= F_KEEPTTL;
    else if (opt === 'PERSIST' && !isSet && !(flags & (F_EX | F_EXAT | F_PX | F_PXAT | F_KEEPTTL))) flags |= F_PERSIST;
    else if (opt === 'EX' && hasNext && !(flags & (F_KEEPTTL | F_PERSIST | F_EXAT | F_PX | F_PXAT))) {
      flags |= F_EX;
      expireIdx = ++j;
    } else if (opt === 'PX' && hasNext && !(flags & (F_KEEPTTL | F_PERSIST | F_EX | F_EXAT | F_PXAT))) {
      flags |= F_PX;
      expireIdx = ++j;
    } else if (opt === 'EXAT' && hasNext && !(flags & (F_KEEPTTL | F_PERSIST | F_EX | F_PX | F_PXAT))) {
      flags |= F_EXAT;
      expireIdx = ++j;
    } else if (opt === 'PXAT' && hasNext && !(flags & (F_KEEPTTL | F_PERSIST | F_EX | F_EXAT | F_PX))) {
      flags |= F_PXAT;
      expireIdx = ++j;
    } else fail(E.SYNTAX);
  }
  return flags + expireIdx * FLAG_SPAN;
}

/**
 * getExpireMillisecondsOrReply: the expire argument as an absolute unix time in ms. Values that
 * are not positive, seconds that would overflow ×1000, and sums past int64 are invalid. A bigint
 * is returned only beyond 2^53.
 */
function expireAtMs(c: Client, arg: string, flags: number, fullname: string): number | bigint {
  const v = parseInteger(arg);
  const seconds = (flags & (F_PX | F_PXAT)) === 0;
  if (v <= 0 || (seconds && v > 9223372036854775n)) fail(invalidExpire(fullname));
  const relative = (flags & (F_EX | F_PX)) !== 0;
  const now = c.engine.now();
  if (typeof v === 'number') {
    const abs = (seconds ? v * 1000 : v) + (relative ? now : 0);
    if (abs <= Number.MAX_SAFE_INTEGER) return abs;
  }
  const big = BigInt(v) * (seconds ? 1000n : 1n) + (relative ? BigInt(now) : 0n);
  if (big > INT64_MAX) fail(invalidExpire(fullname)); // the C sum wraps negative
  return big;
}

/**
 * setGenericCommand: SET and its variants. `expireArg` is the relative/absolute time as given
 * (unit per flags); ok/abort are the replies when the write happens or NX/XX prevents it.
 */
function setGeneric(
  c: Client,
  argv: string[],
  flags: number,
  val: string,
  expireArg: string | undefined,
  fullname: string,
  okReply: Reply,
  abortReply: Reply,
): Reply {
  const k = argv[1];
  const when = expireArg === undefined ? 0 : expireAtMs(c, expireArg, flags, fullname);
  let old: Reply | undefined;
  if (flags & F_GET) {
    const v = getString(c, k);
    old = v === undefined ? NIL : bulk(v);
  }
  const found = c.db.lookupWrite(k) !== undefined;
  if ((flags & F_NX && found) || (flags & F_XX && !found)) return old ?? abortReply;
  c.db.setKey(k, val, flags & F_KEEPTTL ? KEEP_TTL : undefined);
  markSharedInt(c, k, val);
  c.engine.dirty++;
  c.engine.notify('$', 'set', k, c.db.id);
  if (expireArg !== undefined) {
    c.db.setExpire(k, Number(when));
    // Relative and absolute expiries all propagate as SET key value PXAT <ms>.
    c.engine.rewritePropagation(['SET', k, val, 'PXAT', String(when)]);
    c.engine.notify('g', 'expire', k, c.db.id);
  } else if (flags & F_GET) {
    // Propagate without the GET option(s).
    const out: string[] = [];
    for (let j = 0; j < argv.length; j++) if (j < 3 || cstr(argv[j]).toUpperCase() !== 'GET') out.push(argv[j]);
    c.engine.rewritePropagation(out);
  }
  return old ?? okReply;
}

/** GET key */
export const GET = defineCommand({
  name: 'GET',
  group: 'string',
  arity: 2,
  flags: ['readonly', 'fast'],
  keys: { first: 1, last: 1, step: 1 },
  args: [key()],
  summary: 'Get the value of a key',
  complexity: 'O(1)',
  since: '1.0.0',
  exec(c, argv): Reply {
    const v = getString(c, argv[1]);
    return v === undefined ? NIL : bulk(v);
  },
});

/** SET key value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL] */
export const SET = defineCommand({
  name: 'SET',
  group: 'string',
  arity: -3,
  flags: ['write', 'denyoom'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: keySpec(
    ['RW', 'ACCESS', 'UPDATE', 'VARIABLE_FLAGS'],
    0,
    1,
    'RW and ACCESS due to the optional `GET` argument',
  ),
  args: [
    key(),
    str('value'),
    oneof('condition', [tok('NX'), tok('XX')], { since: '2.6.12' }),
    tok('GET', { since: '6.2.0' }),
    oneof('expiration', [
      tokArg('EX', integer('seconds', { since: '2.6.12' })),
      tokArg('PX', integer('milliseconds', { since: '2.6.12' })),
      tokArg('EXAT', unixTime('unix-time-seconds', { since: '6.2.0' })),
      tokArg('PXAT', unixTime('unix-time-milliseconds', { since: '6.2.0' })),
      tok('KEEPTTL', { since: '6.0.0' }),
    ]),
  ],
  summary: 'Set the string value of a key',
  complexity: 'O(1)',
  since: '1.0.0',
  history: [
    ['2.6.12', 'Added the `EX`, `PX`, `NX` and `XX` options.'],
    ['6.0.0', 'Added the `KEEPTTL` option.'],
    ['6.2.0', 'Added the `GET`, `EXAT` and `PXAT` option.'],
    ['7.0.0', 'Allowed the `NX` and `GET` options to be used together.'],
  ],
  exec(c, argv): Reply {
    if (argv.length === 3) {
      // Fast path: no options.
      const k = argv[1];
      // setKey's lookupKeyWrite: expire a stale key first; under LFU the access also counts.
      if (isLfuPolicy(c.engine)) c.db.lookupWrite(k);
      else if (c.db.expires.size > 0) c.db.expireIfNeeded(k);
      c.db.setKey(k, argv[2]);
      markSharedInt(c, k, argv[2]);
      c.engine.dirty++;
      c.engine.notify('$', 'set', k, c.db.id);
      return OK;
    }
    const packed = parseExtended(argv, true);
    const expireIdx = Math.floor(packed / FLAG_SPAN);
    return setGeneric(c, argv, packed % FLAG_SPAN, argv[2], expireIdx ? argv[expireIdx] : undefined, 'set', OK, NIL);
  },
});

/** SETNX key value */
export const SETNX = defineCommand({
  name: 'SETNX',
  group: 'string',
  arity: 3,
  flags: ['write', 'denyoom', 'fast'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: keySpec(['OW', 'INSERT']),
  args: [key(), str('value')],
  summary: 'Set the value of a key, only if the key does not exist',
  complexity: 'O(1)',
  since: '1.0.0',
  exec(c, argv): Reply {
    return setGeneric(c, argv, F_NX, argv[2], undefined, 'setnx', ONE, ZERO);
  },
});

/** SETEX key seconds value */
export const SETEX = defineCommand({
  name: 'SETEX',
  group: 'string',
  arity: 4,
  flags: ['write', 'denyoom'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: keySpec(['OW', 'UPDATE']),
  args: [key(), integer('seconds'), str('value')],
  summary: 'Set the value and expiration of a key',
  complexity: 'O(1)',
  since: '2.0.0',
  exec(c, argv): Reply {
    return setGeneric(c, argv, F_EX, argv[3], argv[2], 'setex', OK, NIL);
  },
});

/** PSETEX key milliseconds value */
export const PSETEX = defineCommand({
  name: 'PSETEX',
  group: 'string',
  arity: 4,
  flags: ['write', 'denyoom'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: keySpec(['OW', 'UPDATE']),
  args: [key(), integer('milliseconds'), str('value')],
  summary: 'Set the value and expiration in milliseconds of a key',
  complexity: 'O(1)',
  since: '2.6.0',
  exec(c, argv): Reply {
    return setGeneric(c, argv, F_PX, argv[3], argv[2], 'psetex', OK, NIL);
  },
});

/** GETSET key value (deprecated: SET key value GET) */
export const GETSET = defineCommand({
  name: 'GETSET',
  group: 'string',
  arity: 3,
  flags: ['write', 'denyoom', 'fast'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: keySpec(['RW', 'ACCESS', 'UPDATE']),
  docFlags: ['deprecated'],
  deprecatedSince: '6.2.0',
  replacedBy: '`SET` with the `!GET` argument',
  args: [key(), str('value')],
  summary: 'Set the string value of a key and return its old value',
  complexity: 'O(1)',
  since: '1.0.0',
  exec(c, argv): Reply {
    const k = argv[1];
    const old = getString(c, k);
    c.db.setKey(k, argv[2]);
    markSharedInt(c, k, argv[2]);
    c.engine.notify('$', 'set', k, c.db.id);
    c.engine.dirty++;
    c.engine.rewritePropagation(['SET', k, argv[2]]);
    return old === undefined ? NIL : bulk(old);
  },
});

/** GETEX key [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|PERSIST] */
export const GETEX = defineCommand({
  name: 'GETEX',
  group: 'string',
  arity: -2,
  flags: ['write', 'fast'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: keySpec(['RW', 'ACCESS', 'UPDATE'], 0, 1, 'RW and UPDATE because it changes the TTL'),
  args: [
    key(),
    oneof('expiration', [
      tokArg('EX', integer('seconds')),
      tokArg('PX', integer('milliseconds')),
      tokArg('EXAT', unixTime('unix-time-seconds')),
      tokArg('PXAT', unixTime('unix-time-milliseconds')),
      tok('PERSIST'),
    ]),
  ],
  summary: 'Get the value of a key and optionally set its expiration',
  complexity: 'O(1)',
  since: '6.2.0',
  exec(c, argv): Reply {
    const packed = argv.length > 2 ? parseExtended(argv, false) : 0;
    const flags = packed % FLAG_SPAN;
    const expireIdx = Math.floor(packed / FLAG_SPAN);
    const k = argv[1];
    const v = getString(c, k);
    if (v === undefined) return NIL;
    // Validated only once the key is known to hold a string.
    const when = expireIdx ? expireAtMs(c, argv[expireIdx], flags, 'getex') : 0;
    const db = c.db;
    if (flags & (F_EXAT | F_PXAT) && when <= c.engine.now()) {
      // An absolute time already past deletes the key (propagated as DEL, or UNLINK under lazyfree).
      db.delete(k);
      const lazy = c.engine.config.getBool('lazyfree-lazy-expire');
      c.engine.rewritePropagation([lazy ? 'UNLINK' : 'DEL', k]);
      c.engine.notify('g', 'del', k, db.id);
      c.engine.dirty++;
    } else if (expireIdx) {
      db.setExpire(k, Number(when));
      c.engine.rewritePropagation(['PEXPIREAT', k, String(when)]);
      db.signalModified(k);
      c.engine.notify('g', 'expire', k, db.id);
      c.engine.dirty++;
    } else if (flags & F_PERSIST && db.removeExpire(k)) {
      db.signalModified(k);
      c.engine.rewritePropagation(['PERSIST', k]);
      c.engine.notify('g', 'persist', k, db.id);
      c.engine.dirty++;
    }
    return bulk(v);
  },
});

/** GETDEL key */
export const GETDEL = defineCommand({
  name: 'GETDEL',
  group: 'string',
  arity: 2,
  flags: ['write', 'fast'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: keySpec(['RW', 'ACCESS', 'DELETE']),
  args: [key()],
  summary: 'Get the value of a key and delete the key',
  complexity: 'O(1)',
  since: '6.2.0',
  exec(c, argv): Reply {
    const k = argv[1];
    const v = getString(c, k);
    if (v === undefined) return NIL;
    c.db.delete(k);
    const lazy = c.engine.config.getBool('lazyfree-lazy-user-del');
    c.engine.rewritePropagation([lazy ? 'UNLINK' : 'DEL', k]);
    c.engine.notify('g', 'del', k, c.db.id);
    c.engine.dirty++;
    return bulk(v);
  },
});

/** MGET key [key ...] — nil for missing keys and for keys of other types */
export const MGET = defineCommand({
  name: 'MGET',
  group: 'string',
  arity: -2,
  flags: ['readonly', 'fast'],
  keys: { first: 1, last: -1, step: 1 },
  args: [key('key', { multiple: true })],
  summary: 'Get the values of all the given keys',
  complexity: 'O(N) where N is the number of keys to retrieve.',
  since: '1.0.0',
  tips: ['request_policy:multi_shard'],
  exec(c, argv): Reply {
    const out: Reply[] = new Array(argv.length - 1);
    for (let j = 1; j < argv.length; j++) {
      const v = c.db.lookupRead(argv[j]);
      out[j - 1] = typeof v === 'string' ? bulk(v) : NIL;
    }
    return array(out);
  },
});

/** msetGenericCommand: MSET and MSETNX (which sets nothing when any key exists). */
function msetGeneric(c: Client, argv: string[], nx: boolean): Reply {
  if (argv.length % 2 === 0) fail(wrongArity(nx ? 'msetnx' : 'mset'));
  const db = c.db;
  if (nx) {
    for (let j = 1; j < argv.length; j += 2) if (db.lookupWrite(argv[j]) !== undefined) return ZERO;
  }
  for (let j = 1; j < argv.length; j += 2) {
    const k = argv[j];
    if (db.expires.size > 0) db.expireIfNeeded(k);
    db.setKey(k, argv[j + 1]);
    markSharedInt(c, k, argv[j + 1]);
    c.engine.notify('$', 'set', k, db.id);
  }
  c.engine.dirty += (argv.length - 1) / 2;
  return nx ? ONE : OK;
}

const KEY_VALUE = many(block('key_value', [key(), str('value')]));

/** MSET key value [key value ...] */
export const MSET = defineCommand({
  name: 'MSET',
  group: 'string',
  arity: -3,
  flags: ['write', 'denyoom'],
  keys: { first: 1, last: -1, step: 2 },
  keySpecs: keySpec(['OW', 'UPDATE'], -1, 2),
  args: [KEY_VALUE],
  summary: 'Set multiple keys to multiple values',
  complexity: 'O(N) where N is the number of keys to set.',
  since: '1.0.1',
  tips: ['request_policy:multi_shard', 'response_policy:all_succeeded'],
  exec(c, argv): Reply {
    return msetGeneric(c, argv, false);
  },
});

/** MSETNX key value [key value ...] */
export const MSETNX = defineCommand({
  name: 'MSETNX',
  group: 'string',
  arity: -3,
  flags: ['write', 'denyoom'],
  keys: { first: 1, last: -1, step: 2 },
  keySpecs: keySpec(['OW', 'INSERT'], -1, 2),
  args: [KEY_VALUE],
  summary: 'Set multiple keys to multiple values, only if none of the keys exist',
  complexity: 'O(N) where N is the number of keys to set.',
  since: '1.0.1',
  tips: ['request_policy:multi_shard', 'response_policy:agg_min'],
  exec(c, argv): Reply {
    return msetGeneric(c, argv, true);
  },
});

export const STRING_COMMANDS: readonly CommandSpec[] = [
  GET,
  SET,
  SETNX,
  SETEX,
  PSETEX,
  GETSET,
  GETEX,
  GETDEL,
  MGET,
  MSET,
  MSETNX,
  ...STRING_RANGE_COMMANDS,
  ...STRING_INCR_COMMANDS,
  ...STRING_LCS_COMMANDS,
];
