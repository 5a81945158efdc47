// Helpers shared by the generic keyspace command files (keys.ts, keys-expire.ts, keys-dump.ts):
// key-spec builders, moving a value with its meta word (dbAdd of an existing robj), and the
// maxmemory-policy facts that decide LFU vs LRU and shared integers (src/object.c, evict.c).

import type { Client } from '../client';
import { E } from '../errors';
import { type Db, META_RAW, type RedisValue } from '../keyspace/db';
import { isLfuPolicy } from '../keyspace/evict';
import { fail, parseLongLong } from './args';
import type { KeySpec, KeySpecFlag } from './define';

/** One range key spec: the key at `pos` (through `lastKey`, -1 = the last argument). */
export function rangeSpec(flags: readonly KeySpecFlag[], pos = 1, lastKey = 0): KeySpec {
  return { flags, begin: { index: pos }, find: { lastKey, step: 1, limit: 0 } };
}

/** OBJ_SHARED_INTEGERS: values 0..9999 can be the shared integer objects. */
const OBJ_SHARED_INTEGERS = 10000;

/** The maxmemory policy keeps LFU counters in the LRU field (MAXMEMORY_FLAG_LFU). */
export function lfuPolicy(c: Client): boolean {
  return isLfuPolicy(c.engine);
}

/** Shared integers are used unless maxmemory is set with an LRU/LFU policy (MAXMEMORY_FLAG_NO_SHARED_INTEGERS). */
export function sharedIntegersAllowed(c: Client): boolean {
  const policy = c.engine.config.get('maxmemory-policy');
  return c.engine.config.getInt('maxmemory') === 0 || !(policy.endsWith('-lru') || policy.endsWith('-lfu'));
}

/** Is `v` an int-encodable value in the shared range 0..9999? */
export function isSmallSharedInt(v: string): boolean {
  if (v.length > 4) return false;
  const n = parseLongLong(v);
  return typeof n === 'number' && n >= 0 && n < OBJ_SHARED_INTEGERS;
}

/** Add a value under `k` in `db` with an exact meta word (dbAdd of an existing object keeps its fields). */
export function addWithMeta(db: Db, k: string, v: RedisValue, meta: number): void {
  db.add(k, v, (meta & META_RAW) !== 0);
  const e = db.dict.getEntry(k);
  if (e !== undefined) e.meta = meta;
}

/** The db with index `id` (selectDb), or "DB index is out of range". */
export function dbById(c: Client, id: number): Db {
  if (id < 0 || id >= c.engine.dbs.length) fail(E.DB_OUT_OF_RANGE);
  return c.engine.dbs[id];
}
