// Inspect snapshots for the lab's panels (skip list, memory, keyspace), computed in the worker so
// the page only draws: a rank window of a sorted set, a memory report in the manner of
// redis-cli --bigkeys / --memkeys, and a page of keys with type, encoding, expiry time and memory
// (the value view of one key is in inspect-key.ts).

import type { Engine } from '../engine';
import { type RedisValue, typeOf } from '../keyspace/db';
import { keyMemoryUsage, usedMemory } from '../keyspace/memory';
import { stringEncoding } from '../types/string-encoding';
import { globMatch } from '../util/glob';
import { ZSet } from '../types/zset';
import { zsetWindow } from '../types/zset-view';
import type { KeyspaceReport, MemoryReport, ZsetReport } from './protocol';

export { inspectKey } from './inspect-key';

function encodingOf(v: RedisValue, meta: number): string {
  return typeof v === 'string' ? stringEncoding(v, meta) : v.encoding();
}

/** A sorted set's window by rank, or what the key holds instead. */
export function inspectZset(
  engine: Engine,
  db: number,
  key: string,
  start: number,
  count: number,
  top: number,
): ZsetReport {
  const e = engine.dbs[db]?.peekEntry(key);
  const limits = {
    entries: engine.config.getInt('zset-max-listpack-entries'),
    value: engine.config.getInt('zset-max-listpack-value'),
  };
  if (e === undefined) return { kind: 'zset', key, type: null, window: null, limits };
  if (!(e.val instanceof ZSet)) return { kind: 'zset', key, type: typeOf(e.val), window: null, limits };
  return { kind: 'zset', key, type: 'zset', window: zsetWindow(e.val, start, count, top), limits };
}

/** Most keys a memory report sizes; beyond it the report says it sampled (the first keys in dict order). */
export const MEMORY_SCAN_LIMIT = 50_000;

/** used_memory, the limit and policy, bytes by type and the biggest keys (MEMORY USAGE, 5 samples). */
export function inspectMemory(engine: Engine, topN: number): MemoryReport {
  const byType = new Map<string, { keys: number; bytes: number }>();
  const biggest: MemoryReport['biggest'][number][] = [];
  let scanned = 0;
  let total = 0;
  let expires = 0;
  for (const db of engine.dbs) {
    total += db.dict.size;
    expires += db.expires.size;
    for (const e of db.dict.entries()) {
      if (scanned >= MEMORY_SCAN_LIMIT) break;
      scanned++;
      const type = typeOf(e.val);
      const bytes = keyMemoryUsage(e.key, e.val, e.meta);
      const t = byType.get(type) ?? { keys: 0, bytes: 0 };
      t.keys++;
      t.bytes += bytes;
      byType.set(type, t);
      if (biggest.length < topN || bytes > biggest[biggest.length - 1].bytes) {
        biggest.push({ db: db.id, key: e.key, type, encoding: encodingOf(e.val, e.meta), bytes });
        biggest.sort((a, b) => b.bytes - a.bytes);
        if (biggest.length > topN) biggest.pop();
      }
    }
  }
  return {
    kind: 'memory',
    at: engine.clock.now(),
    used: usedMemory(engine),
    maxmemory: engine.config.getInt('maxmemory'),
    policy: engine.config.get('maxmemory-policy'),
    keys: total,
    expires,
    expiredKeys: engine.stats.expiredKeys,
    evictedKeys: engine.stats.evictedKeys,
    byType: [...byType].map(([type, v]) => ({ type, ...v })).sort((a, b) => b.bytes - a.bytes),
    biggest,
    scanned,
    sampled: scanned < total,
  };
}

/** Most keys a keyspace report looks at; beyond it the match count covers only those (`partial`). */
export const KEYSPACE_SCAN_LIMIT = 200_000;

/**
 * Up to `limit` keys of a database in dict order matching the glob `pattern` (KEYS's globMatch; all
 * keys when omitted), with type, encoding, absolute expiry (ms) and MEMORY USAGE, and how many match.
 */
export function inspectKeyspace(engine: Engine, dbId: number, limit: number, pattern = '*'): KeyspaceReport {
  const db = engine.dbs[dbId];
  const keys: KeyspaceReport['keys'][number][] = [];
  const now = engine.clock.now();
  const all = pattern === '*';
  let matched = 0;
  let scanned = 0;
  if (db && all) {
    // Every key matches: the count is the dict's size less the logically expired keys, so a big
    // database costs a walk of its expires dict, not of every key.
    matched = db.dict.size;
    for (const e of db.expires.entries()) if (e.val <= now) matched--;
  }
  if (db) {
    for (const e of db.dict.entries()) {
      if (all && keys.length >= limit) break;
      if (scanned++ >= KEYSPACE_SCAN_LIMIT) break;
      if (!all && !globMatch(pattern, e.key)) continue;
      const at = db.getExpire(e.key);
      // Logically expired keys are gone for a client; the panel hides them too.
      if (at !== undefined && at <= now) continue;
      if (!all) matched++;
      if (keys.length >= limit) continue;
      keys.push({
        key: e.key,
        type: typeOf(e.val),
        encoding: encodingOf(e.val, e.meta),
        expireAt: at ?? null,
        bytes: keyMemoryUsage(e.key, e.val, e.meta),
      });
    }
  }
  return {
    kind: 'keyspace',
    db: dbId,
    now,
    dbs: engine.dbs
      .filter((d) => d.dict.size > 0)
      .map((d) => ({ db: d.id, keys: d.dict.size, expires: d.expires.size })),
    keys,
    matched,
    partial: !all && db !== undefined && scanned > KEYSPACE_SCAN_LIMIT,
    truncated: matched > keys.length,
  };
}
