// Generic keyspace commands (src/db.c, object.c, replication.c): DEL, UNLINK, EXISTS, TYPE, KEYS,
// SCAN, RANDOMKEY, RENAME, RENAMENX, MOVE, COPY and TOUCH. The expiry commands live in keys-expire.ts,
// OBJECT and WAIT in keys-object.ts; KEYS_COMMANDS gathers them. DUMP/RESTORE (keys-dump.ts, which
// needs the RDB encoder) are gathered separately, so the worker's first chunk can leave them out.

import type { Client } from '../client';
import { E } from '../errors';
import { META_RAW, META_UNSHARED, type RedisValue, typeOf } from '../keyspace/db';
import { newObjectLru } from '../keyspace/evict';
import { array, bulk, bulks, int, NIL, OK, ONE, type Reply, status, ZERO } from '../protocol/reply';
import { stringEncoding } from '../types/string-encoding';
import { globMatch } from '../util/glob';
import { fail, isCToken, parseInt32, parseInt64 } from './args';
import { type CommandSpec, defineCommand, integer, key, many, pattern, str, tok, tokArg } from './define';
import { EXPIRE_COMMANDS } from './keys-expire';
import { OBJECT_COMMANDS } from './keys-object';
import { addWithMeta, dbById, rangeSpec } from './keys-shared';

// ---- DEL / UNLINK / EXISTS / TYPE / TOUCH -----------------------------------------------------

function delGeneric(c: Client, argv: string[]): Reply {
  let deleted = 0;
  for (let j = 1; j < argv.length; j++) {
    // db.delete expires a stale key first (expireIfNeeded), so it then counts as missing.
    if (c.db.delete(argv[j])) {
      c.engine.notify('g', 'del', argv[j], c.db.id);
      c.engine.dirty++;
      deleted++;
    }
  }
  return int(deleted);
}

/** DEL key [key ...] */
export const DEL = defineCommand({
  name: 'DEL',
  group: 'generic',
  arity: -2,
  flags: ['write'],
  keys: { first: 1, last: -1, step: 1 },
  keySpecs: [rangeSpec(['RM', 'DELETE'], 1, -1)],
  args: [many(key())],
  summary: 'Delete a key',
  complexity:
    'O(N) where N is the number of keys that will be removed. When a key to remove holds a value other than a string, the individual complexity for this key is O(M) where M is the number of elements in the list, set, sorted set or hash. Removing a single key that holds a string value is O(1).',
  since: '1.0.0',
  tips: ['request_policy:multi_shard', 'response_policy:agg_sum'],
  exec: delGeneric,
});

/** UNLINK key [key ...] (the engine frees at once: there is no lazyfree thread) */
export const UNLINK = defineCommand({
  name: 'UNLINK',
  group: 'generic',
  arity: -2,
  flags: ['write', 'fast'],
  keys: { first: 1, last: -1, step: 1 },
  keySpecs: [rangeSpec(['RM', 'DELETE'], 1, -1)],
  args: [many(key())],
  summary: 'Delete a key asynchronously in another thread. Otherwise it is just as DEL, but non blocking.',
  complexity:
    'O(1) for each key removed regardless of its size. Then the command does O(N) work in a different thread in order to reclaim memory, where N is the number of allocations the deleted objects where composed of.',
  since: '4.0.0',
  tips: ['request_policy:multi_shard', 'response_policy:agg_sum'],
  exec: delGeneric,
});

/** EXISTS key [key ...] — a key named twice counts twice */
export const EXISTS = defineCommand({
  name: 'EXISTS',
  group: 'generic',
  arity: -2,
  flags: ['readonly', 'fast'],
  keys: { first: 1, last: -1, step: 1 },
  keySpecs: [rangeSpec(['RO'], 1, -1)],
  args: [many(key())],
  summary: 'Determine if a key exists',
  complexity: 'O(N) where N is the number of keys to check.',
  since: '1.0.0',
  history: [['3.0.3', 'Accepts multiple `key` arguments.']],
  tips: ['request_policy:multi_shard', 'response_policy:agg_sum'],
  exec(c, argv): Reply {
    let count = 0;
    for (let j = 1; j < argv.length; j++) if (c.db.lookupReadNoTouch(argv[j]) !== undefined) count++;
    return int(count);
  },
});

/** TYPE key */
export const TYPE = defineCommand({
  name: 'TYPE',
  group: 'generic',
  arity: 2,
  flags: ['readonly', 'fast'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: [rangeSpec(['RO'])],
  args: [key()],
  summary: 'Determine the type stored at key',
  complexity: 'O(1)',
  since: '1.0.0',
  exec(c, argv): Reply {
    const v = c.db.lookupReadNoTouch(argv[1]);
    return status(v === undefined ? 'none' : typeOf(v));
  },
});

/** TOUCH key [key ...] — updates the LRU/LFU of the existing keys */
export const TOUCH = defineCommand({
  name: 'TOUCH',
  group: 'generic',
  arity: -2,
  flags: ['readonly', 'fast'],
  keys: { first: 1, last: -1, step: 1 },
  keySpecs: [rangeSpec(['RO'], 1, -1)],
  args: [many(key())],
  summary: 'Alters the last access time of a key(s). Returns the number of existing keys specified.',
  complexity: 'O(N) where N is the number of keys that will be touched.',
  since: '3.2.1',
  tips: ['request_policy:multi_shard', 'response_policy:agg_sum'],
  exec(c, argv): Reply {
    let touched = 0;
    for (let j = 1; j < argv.length; j++) if (c.db.lookupRead(argv[j]) !== undefined) touched++;
    return int(touched);
  },
});

// ---- KEYS / SCAN / RANDOMKEY ------------------------------------------------------------------

/** KEYS pattern — logically expired keys are skipped but not deleted */
export const KEYS = defineCommand({
  name: 'KEYS',
  group: 'generic',
  arity: 2,
  flags: ['readonly'],
  args: [pattern()],
  summary: 'Find all keys matching the given pattern',
  complexity:
    'O(N) with N being the number of keys in the database, under the assumption that the key names in the database and the given pattern have limited length.',
  since: '1.0.0',
  acl: ['dangerous'],
  tips: ['request_policy:all_shards', 'nondeterministic_output_order'],
  exec(c, argv): Reply {
    const pat = argv[1];
    const all = pat === '*';
    const out: string[] = [];
    for (const k of c.db.dict.keys()) {
      if ((all || globMatch(pat, k)) && !c.db.isExpired(k)) out.push(k);
    }
    return bulks(out);
  },
});

const ULONG_MAX = 18446744073709551615n;

/**
 * parseScanCursorOrReply: strtoul base 10 — optional leading sign ("-1" wraps to ULONG_MAX), the
 * empty string is cursor 0, no leading space, nothing after the digits, no overflow. Returns the
 * low 32 bits: the dict's cursor arithmetic only looks at the bits under its table mask.
 */
export function parseScanCursor(s: string): number {
  const m = /^[\t\n\v\f\r ]*([+-]?)(\d*)$/.exec(s);
  const c0 = s.charCodeAt(0);
  if (m === null || c0 === 32 || (c0 >= 9 && c0 <= 13)) fail(E.INVALID_CURSOR);
  const [, sign, digits] = m;
  if (digits === '') {
    if (sign !== '') fail(E.INVALID_CURSOR); // no digits: strtoul stops at the start
    return 0;
  }
  let v = BigInt(digits);
  if (v > ULONG_MAX) fail(E.INVALID_CURSOR); // ERANGE
  if (sign === '-') v = (ULONG_MAX + 1n - v) & ULONG_MAX;
  return Number(v & 0xffffffffn);
}

/** SCAN cursor [MATCH pattern] [COUNT count] [TYPE type] */
export const SCAN = defineCommand({
  name: 'SCAN',
  group: 'generic',
  arity: -2,
  flags: ['readonly'],
  args: [
    integer('cursor'),
    tokArg('MATCH', pattern('pattern', { optional: true })),
    tokArg('COUNT', integer('count', { optional: true })),
    tokArg('TYPE', str('type', { optional: true, since: '6.0.0' })),
  ],
  summary: 'Incrementally iterate the keys space',
  complexity:
    'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.',
  since: '2.8.0',
  history: [['6.0.0', 'Added the `TYPE` subcommand.']],
  tips: ['nondeterministic_output', 'request_policy:special'],
  exec(c, argv): Reply {
    let cursor = parseScanCursor(argv[1]);
    let count = 10;
    let pat: string | null = null;
    let typeName: string | null = null;
    for (let i = 2; i < argv.length; i += 2) {
      const hasValue = argv.length - i >= 2;
      if (isCToken(argv[i], 'COUNT') && hasValue) {
        count = parseInt64(argv[i + 1]);
        if (count < 1) fail(E.SYNTAX);
      } else if (isCToken(argv[i], 'MATCH') && hasValue) {
        pat = argv[i + 1] === '*' ? null : argv[i + 1];
      } else if (isCToken(argv[i], 'TYPE') && hasValue) {
        typeName = argv[i + 1];
      } else {
        fail(E.SYNTAX);
      }
    }
    const found: string[] = [];
    const dict = c.db.dict;
    // At most ten buckets per requested element, so a sparse table can't stall the server.
    let maxIterations = count * 10;
    do {
      cursor = dict.scan(cursor, (e) => {
        found.push(e.key);
      });
    } while (cursor !== 0 && maxIterations-- !== 0 && found.length < count);
    const out: string[] = [];
    const wanted = typeName === null ? null : cTypeName(typeName);
    for (const k of found) {
      if (pat !== null && !globMatch(pat, k)) continue;
      if (wanted !== null) {
        // lookupKeyReadWithFlags(NOTOUCH): may expire the key, and a gone key has type "none".
        const v = c.db.lookupReadNoTouch(k);
        if ((v === undefined ? 'none' : typeOf(v)) !== wanted) continue;
      }
      if (c.db.expireIfNeeded(k)) continue;
      out.push(k);
    }
    return array([bulk(String(cursor)), bulks(out)]);
  },
});

/** The TYPE argument as strcasecmp compares it: lower case, up to the first NUL. */
function cTypeName(s: string): string {
  const nul = s.indexOf('\0');
  return (nul === -1 ? s : s.slice(0, nul)).toLowerCase();
}

/** RANDOMKEY */
export const RANDOMKEY = defineCommand({
  name: 'RANDOMKEY',
  group: 'generic',
  arity: 1,
  flags: ['readonly'],
  summary: 'Return a random key from the keyspace',
  complexity: 'O(1)',
  since: '1.0.0',
  tips: ['request_policy:all_shards', 'nondeterministic_output'],
  exec(c): Reply {
    const k = c.db.randomKey();
    return k === undefined ? NIL : bulk(k);
  },
});

// ---- RENAME / RENAMENX / MOVE / COPY ----------------------------------------------------------

function renameGeneric(c: Client, argv: string[], nx: boolean): Reply {
  const [, src, dst] = argv;
  const db = c.db;
  if (db.lookupWrite(src) === undefined) fail(E.NO_SUCH_KEY);
  if (src === dst) return nx ? ZERO : OK;
  const e = db.dict.getEntry(src);
  if (e === undefined) fail(E.NO_SUCH_KEY);
  const expire = db.getExpire(src);
  if (db.lookupWrite(dst) !== undefined) {
    if (nx) return ZERO;
    db.delete(dst); // overwritten: no "del" event, as in Redis
  }
  // The same object moves: its encoding flags and access time come along.
  addWithMeta(db, dst, e.val, e.meta);
  if (expire !== undefined) db.setExpire(dst, expire);
  db.delete(src);
  c.engine.notify('g', 'rename_from', src, db.id);
  c.engine.notify('g', 'rename_to', dst, db.id);
  c.engine.dirty++;
  return nx ? ONE : OK;
}

/** RENAME key newkey */
export const RENAME = defineCommand({
  name: 'RENAME',
  group: 'generic',
  arity: 3,
  flags: ['write'],
  keys: { first: 1, last: 2, step: 1 },
  keySpecs: [rangeSpec(['RW', 'ACCESS', 'DELETE'], 1), rangeSpec(['OW', 'UPDATE'], 2)],
  args: [key(), key('newkey')],
  summary: 'Rename a key',
  complexity: 'O(1)',
  since: '1.0.0',
  exec: (c, argv) => renameGeneric(c, argv, false),
});

/** RENAMENX key newkey */
export const RENAMENX = defineCommand({
  name: 'RENAMENX',
  group: 'generic',
  arity: 3,
  flags: ['write', 'fast'],
  keys: { first: 1, last: 2, step: 1 },
  keySpecs: [rangeSpec(['RW', 'ACCESS', 'DELETE'], 1), rangeSpec(['OW', 'INSERT'], 2)],
  args: [key(), key('newkey')],
  summary: 'Rename a key, only if the new key does not exist',
  complexity: 'O(1)',
  since: '1.0.0',
  history: [['3.2.0', 'The command no longer returns an error when source and destination names are the same.']],
  exec: (c, argv) => renameGeneric(c, argv, true),
});

/** MOVE key db */
export const MOVE = defineCommand({
  name: 'MOVE',
  group: 'generic',
  arity: 3,
  flags: ['write', 'fast'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: [rangeSpec(['RW', 'ACCESS', 'UPDATE'])],
  args: [key(), integer('db')],
  summary: 'Move a key to another database',
  complexity: 'O(1)',
  since: '1.0.0',
  exec(c, argv): Reply {
    const k = argv[1];
    const src = c.db;
    const dst = dbById(c, parseInt32(argv[2]));
    if (src === dst) fail(E.SAME_OBJECT);
    if (src.lookupWrite(k) === undefined) return ZERO;
    const e = src.dict.getEntry(k);
    if (e === undefined) return ZERO;
    const expire = src.getExpire(k);
    if (dst.lookupWrite(k) !== undefined) return ZERO;
    addWithMeta(dst, k, e.val, e.meta);
    if (expire !== undefined) dst.setExpire(k, expire);
    src.delete(k);
    c.engine.notify('g', 'move_from', k, src.id);
    c.engine.notify('g', 'move_to', k, dst.id);
    c.engine.dirty++;
    return ONE;
  },
});

/** COPY source destination [DB destination-db] [REPLACE] */
export const COPY = defineCommand({
  name: 'COPY',
  group: 'generic',
  arity: -3,
  flags: ['write', 'denyoom'],
  keys: { first: 1, last: 2, step: 1 },
  keySpecs: [rangeSpec(['RO', 'ACCESS'], 1), rangeSpec(['OW', 'UPDATE'], 2)],
  args: [
    key('source'),
    key('destination'),
    tokArg('DB', integer('destination-db', { optional: true })),
    tok('REPLACE'),
  ],
  summary: 'Copy a key',
  complexity: 'O(N) worst case for collections, where N is the number of nested items. O(1) for string values.',
  since: '6.2.0',
  exec(c, argv): Reply {
    const [, k, newKey] = argv;
    const src = c.db;
    let dst = c.db;
    let replace = false;
    for (let j = 3; j < argv.length; j++) {
      if (isCToken(argv[j], 'REPLACE')) replace = true;
      else if (isCToken(argv[j], 'DB') && argv.length - j - 1 >= 1) {
        dst = dbById(c, parseInt32(argv[j + 1]));
        j++;
      } else fail(E.SYNTAX);
    }
    if (src === dst && k === newKey) fail(E.SAME_OBJECT);
    const v = src.lookupRead(k);
    if (v === undefined) return ZERO;
    const e = src.dict.getEntry(k);
    if (e === undefined) return ZERO;
    const expire = src.getExpire(k);
    let overwrite = false;
    if (dst.lookupWrite(newKey) !== undefined) {
      if (!replace) return ZERO;
      overwrite = true;
    }
    let copy: RedisValue;
    // A new object: the current LRU clock, or a fresh LFU counter under an LFU policy.
    let meta = newObjectLru(c.engine);
    if (typeof v === 'string') {
      // dupStringObject keeps the encoding; an int copy is a private object, never a shared integer.
      copy = v;
      meta |= e.meta & META_RAW;
      if (stringEncoding(v, e.meta) === 'int') meta |= META_UNSHARED;
    } else {
      if (v.dup === undefined) return fail(E.UNKNOWN_TYPE_OBJECT);
      copy = v.dup();
    }
    if (overwrite) dst.delete(newKey);
    addWithMeta(dst, newKey, copy, meta);
    if (expire !== undefined) dst.setExpire(newKey, expire);
    c.engine.notify('g', 'copy_to', newKey, dst.id);
    c.engine.dirty++;
    return ONE;
  },
});

export const KEYS_COMMANDS: readonly CommandSpec[] = [
  DEL,
  UNLINK,
  EXISTS,
  TYPE,
  TOUCH,
  KEYS,
  SCAN,
  RANDOMKEY,
  RENAME,
  RENAMENX,
  MOVE,
  COPY,
  ...OBJECT_COMMANDS,
  ...EXPIRE_COMMANDS,
];
