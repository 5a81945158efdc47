// DUMP and RESTORE (src/cluster.c): a value serialized as [RDB type][RDB value][RDB version, 2 bytes
// LE][CRC-64 of everything before, 8 bytes LE], every type in its current encoding through the RDB
// value writer and reader (persistence/rdb) — byte-identical to Redis 7.0 wherever its output is
// deterministic, and restorable from payloads real Redis produced.

import type { Client } from '../client';
import { E } from '../errors';
import { META_UNSHARED, type RedisValue } from '../keyspace/db';
import { newObjectLru } from '../keyspace/evict';
import { crc64LittleEndian } from '../persistence/rdb/crc64';
import { encodeObject } from '../persistence/rdb/encode';
import { DeepCorruption, RdbLoadError } from '../persistence/rdb/format';
import { RdbFormatError, RdbReader } from '../persistence/rdb/string-value';
import { type LoadEnv, loadValue } from '../persistence/rdb/values';
import { bulk, NIL, OK, type Reply } from '../protocol/reply';
import { stringEncoding } from '../types/string-encoding';
import { fail, isCToken, parseInteger } from './args';
import { type CommandSpec, defineCommand, integer, key, str, tok, tokArg } from './define';
import { addWithMeta, isSmallSharedInt, lfuPolicy, rangeSpec, sharedIntegersAllowed } from './keys-shared';

/** RDB_VERSION of Redis 7.0. */
export const RDB_VERSION = 10;
const LRU_CLOCK_MAX = 0xffffff;

/** rdbIsObjectType: 0-7 and 9-19 are value types in RDB version 10. */
function isObjectType(t: number): boolean {
  return (t >= 0 && t <= 7) || (t >= 9 && t <= 19);
}

/** createDumpPayload: type byte + rdbSaveObject + version + CRC-64; `compress` is rdbcompression. */
export function dumpPayload(value: RedisValue, compress: boolean): string {
  const body = encodeObject(value, compress);
  const withVersion = body + String.fromCharCode(RDB_VERSION & 0xff, (RDB_VERSION >> 8) & 0xff);
  return withVersion + crc64LittleEndian(withVersion);
}

/** verifyDumpPayload: at least the 10-byte footer, a version we know, and a matching CRC-64. */
export function verifyDumpPayload(p: string): boolean {
  if (p.length < 10) return false;
  const footer = p.length - 10;
  const version = (p.charCodeAt(footer + 1) << 8) | p.charCodeAt(footer);
  if (version > RDB_VERSION) return false;
  return crc64LittleEndian(p.slice(0, p.length - 8)) === p.slice(p.length - 8);
}

/**
 * rdbLoadObjectType + rdbLoadObject over the payload (footer included, as Redis reads it).
 * Returns the value, or null when the payload is not a loadable value.
 */
export function loadDumpPayload(p: string, env: LoadEnv): RedisValue | null {
  const r = new RdbReader(p);
  try {
    const type = r.byte();
    if (!isObjectType(type)) return null;
    const value = loadValue(type, r, env);
    // An empty collection is refused (RDB_LOAD_ERR_EMPTY_KEY), as any undecodable payload.
    return value === 'empty' ? null : value;
  } catch (err) {
    // LAB: every load failure is "Bad data format"; a listpack that passes Redis's shallow check but
    // can't be decoded (which Redis, with sanitize-dump-payload no, would restore as is) too.
    if (err instanceof RdbFormatError || err instanceof RdbLoadError || err instanceof DeepCorruption) return null;
    throw err;
  }
}

/** DUMP key */
export const DUMP = defineCommand({
  name: 'DUMP',
  group: 'generic',
  arity: 2,
  flags: ['readonly'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: [rangeSpec(['RO', 'ACCESS'])],
  args: [key()],
  summary: 'Return a serialized version of the value stored at the specified key.',
  complexity:
    'O(1) to access the key and additional O(N*M) to serialize it, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1).',
  since: '2.6.0',
  tips: ['nondeterministic_output'],
  exec(c, argv): Reply {
    const v = c.db.lookupRead(argv[1]);
    if (v === undefined) return NIL;
    return bulk(dumpPayload(v, c.engine.config.getBool('rdbcompression')));
  },
});

interface RestoreOptions {
  replace: boolean;
  absttl: boolean;
  idle: number;
  freq: number;
}

/** RESTORE's options from argv[4] on: IDLETIME and FREQ exclude each other (a syntax error). */
function parseRestoreOptions(argv: string[]): RestoreOptions {
  const o: RestoreOptions = { replace: false, absttl: false, idle: -1, freq: -1 };
  for (let j = 4; j < argv.length; j++) {
    const more = argv.length - j - 1;
    if (isCToken(argv[j], 'REPLACE')) o.replace = true;
    else if (isCToken(argv[j], 'ABSTTL')) o.absttl = true;
    else if (isCToken(argv[j], 'IDLETIME') && more >= 1 && o.freq === -1) {
      const n = parseInteger(argv[++j]);
      if (n < 0) fail(E.BAD_IDLETIME);
      o.idle = Number(n);
    } else if (isCToken(argv[j], 'FREQ') && more >= 1 && o.idle === -1) {
      const n = parseInteger(argv[++j]);
      if (n < 0 || n > 255) fail(E.BAD_FREQ);
      o.freq = Number(n);
    } else fail(E.SYNTAX);
  }
  return o;
}

/** objectSetLRUOrLFU: FREQ under an LFU policy, IDLETIME (seconds) otherwise, into the meta word. */
function restoredMeta(c: Client, base: number, o: RestoreOptions): number {
  const flags = base & ~LRU_CLOCK_MAX;
  if (lfuPolicy(c)) {
    if (o.freq < 0) return base;
    const minutes = Math.floor(c.engine.now() / 60000) & 65535;
    return flags | (((minutes << 8) | o.freq) & LRU_CLOCK_MAX);
  }
  if (o.idle < 0) return base;
  let abs = c.engine.lruClock() - o.idle;
  if (abs < 0) abs += LRU_CLOCK_MAX;
  return flags | (abs & LRU_CLOCK_MAX);
}

/** RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency] */
export const RESTORE = defineCommand({
  name: 'RESTORE',
  group: 'generic',
  arity: -4,
  flags: ['write', 'denyoom'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: [rangeSpec(['OW', 'UPDATE'])],
  args: [
    key(),
    integer('ttl'),
    str('serialized-value'),
    tok('REPLACE', { since: '3.0.0' }),
    tok('ABSTTL', { since: '5.0.0' }),
    tokArg('IDLETIME', integer('seconds', { optional: true, since: '5.0.0' })),
    tokArg('FREQ', integer('frequency', { optional: true, since: '5.0.0' })),
  ],
  summary: 'Create a key using the provided serialized value, previously obtained using DUMP.',
  complexity:
    'O(1) to create the new key and additional O(N*M) to reconstruct the serialized value, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1). However for sorted set values the complexity is O(N*M*log(N)) because inserting values into sorted sets is O(log(N)).',
  since: '2.6.0',
  acl: ['dangerous'],
  history: [
    ['3.0.0', 'Added the `REPLACE` modifier.'],
    ['5.0.0', 'Added the `ABSTTL` modifier.'],
    ['5.0.0', 'Added the `IDLETIME` and `FREQ` options.'],
  ],
  exec(c, argv): Reply {
    const [, k, ttlArg, payload] = argv;
    const o = parseRestoreOptions(argv);
    const db = c.db;
    if (!o.replace && db.lookupWrite(k) !== undefined) fail(E.BUSYKEY);
    const ttlIn = parseInteger(ttlArg);
    if (ttlIn < 0) fail(E.BAD_TTL);
    if (!verifyDumpPayload(payload)) fail(E.BAD_DUMP);
    const value = loadDumpPayload(payload, c.engine);
    if (value === null) fail(E.BAD_DATA_FORMAT);
    const deleted = o.replace ? db.delete(k) : false;
    let ttl = Number(ttlIn);
    if (ttl !== 0 && !o.absttl) ttl += c.engine.now();
    if (ttl !== 0 && ttl <= c.engine.now()) {
      // Already expired: nothing is created; a replaced key is gone, replicated as DEL.
      if (deleted) {
        c.engine.rewritePropagation(['DEL', k]);
        db.signalModified(k);
        c.engine.notify('g', 'del', k, db.id);
        c.engine.dirty++;
      }
      return OK;
    }
    let meta = newObjectLru(c.engine);
    if (typeof value === 'string') {
      // A restored small integer is a shared object unless maxmemory's policy forbids sharing.
      if (isSmallSharedInt(value) && stringEncoding(value, 0) === 'int' && !sharedIntegersAllowed(c)) {
        meta |= META_UNSHARED;
      }
    }
    addWithMeta(db, k, value, restoredMeta(c, meta, o));
    if (ttl !== 0) {
      db.setExpire(k, ttl);
      // Propagated with the absolute time.
      if (!o.absttl) c.engine.rewritePropagation([...argv.slice(0, 2), String(ttl), ...argv.slice(3), 'ABSTTL']);
    }
    c.engine.notify('g', 'restore', k, db.id);
    c.engine.dirty++;
    return OK;
  },
});

export const DUMP_COMMANDS: readonly CommandSpec[] = [DUMP, RESTORE];
