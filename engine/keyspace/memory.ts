// The memory model (Redis's objectComputeSize in src/object.c, sds sizing in src/sds.c, jemalloc's
// size classes): bytes per key as MEMORY USAGE reports them, and used_memory for INFO/MEMORY STATS
// and maxmemory. Strings match Redis 7.0 exactly; collection types plug in a sizer per type.

import type { Engine } from '../engine';
import { stringEncoding } from '../types/string-encoding';
import { type CollectionValue, META_RAW, type RedisValue } from './db';

/** sizeof(robj) and sizeof(dictEntry) on 64-bit builds. */
export const ROBJ_SIZE = 16;
export const DICT_ENTRY_SIZE = 24;
/** used_memory_startup of redis-server 7.0.15 (Debian build, no modules, no clients). */
export const STARTUP_MEMORY = 876280;
// LAB: memory Redis allocates after start-up (scripting engine, shared objects, one client's
// buffers) is modelled as a constant, calibrated on an empty 7.0.15 with one connected client.
export const RUNTIME_BASELINE = 112368;
/** Per connected client beyond the first (query buffer + reply buffer + client struct). */
export const CLIENT_MEMORY = 20512 + 16384;

/**
 * jemalloc's usable size for a request of n bytes (x86-64, 16-byte quantum): 8, 16, 32, 48, ...,
 * 128, then four classes per doubling (160, 192, 224, 256, 320, ...).
 */
export function jemallocSize(n: number): number {
  if (n <= 8) return 8;
  if (n <= 128) return Math.ceil(n / 16) * 16;
  const lg = Math.floor(Math.log2(n - 1));
  const step = 2 ** (lg - 2);
  return Math.ceil(n / step) * step;
}

/** sdsHdrSize(sdsReqType(len)): 1, 3, 5, 9 or 17 bytes; `append` skips type 5 as sdsMakeRoomFor does. */
export function sdsHeaderSize(len: number, append = false): number {
  if (len < 32) return append || len === 0 ? 3 : 1;
  if (len < 256) return 3;
  if (len < 65536) return 5;
  if (len < 2 ** 32) return 9;
  return 17;
}

/** zmalloc_size of an sds made by sdsnewlen (keys, raw string values). */
export function sdsAllocSize(len: number): number {
  return jemallocSize(sdsHeaderSize(len) + len + 1);
}

/** objectComputeSize for a string value: int → robj only, embstr → one allocation, raw → robj + sds. */
export function stringValueSize(value: string, meta: number): number {
  const raw = (meta & META_RAW) !== 0;
  const enc = stringEncoding(value, meta);
  if (enc === 'int') return ROBJ_SIZE;
  if (enc === 'embstr') return jemallocSize(ROBJ_SIZE + 3 + value.length + 1);
  if (!raw) return ROBJ_SIZE + sdsAllocSize(value.length);
  // LAB: a string edited in place (APPEND, SETRANGE, SETBIT) carries the greedy preallocation of
  // sdsMakeRoomFor; its history is not kept, so one doubling growth is assumed.
  const len = value.length;
  const alloc = len < 1024 * 1024 ? len * 2 : len + 1024 * 1024;
  return ROBJ_SIZE + jemallocSize(sdsHeaderSize(alloc, true) + alloc + 1);
}

/** A collection type's size function: bytes of its robj and everything it owns, sampling `samples` elements. */
export type ValueSizer = (v: CollectionValue, samples: number) => number;

const sizers = new Map<CollectionValue['type'], ValueSizer>();

/** Collection types register their size function here (list.ts: registerValueSizer('list', ...)). */
export function registerValueSizer(type: CollectionValue['type'], fn: ValueSizer): void {
  sizers.set(type, fn);
}

// LAB: a collection type that registered no sizer counts as an empty robj plus one small allocation.
const FALLBACK_COLLECTION_SIZE = ROBJ_SIZE + 64;

/** Bytes of a value (objectComputeSize); `samples` as MEMORY USAGE SAMPLES (0 = all). */
export function valueMemory(v: RedisValue, meta = 0, samples = 5): number {
  if (typeof v === 'string') return stringValueSize(v, meta);
  const fn = sizers.get(v.type);
  return fn ? fn(v, samples === 0 ? Number.POSITIVE_INFINITY : samples) : FALLBACK_COLLECTION_SIZE;
}

/** MEMORY USAGE: value + key sds + dictEntry (the entry is looked up without expiring it, as Redis does). */
export function keyMemoryUsage(key: string, v: RedisValue, meta: number, samples = 5): number {
  return valueMemory(v, meta, samples) + sdsAllocSize(key.length) + DICT_ENTRY_SIZE;
}

export interface MemoryOverview {
  /** used_memory */
  total: number;
  startup: number;
  /** Hash-table overhead per non-empty db: [db, main, expires]. */
  dbs: [number, number, number][];
  clients: number;
  overhead: number;
  dataset: number;
  keys: number;
}

const caches = new WeakMap<Engine, { stamp: string; value: MemoryOverview }>();

/**
 * used_memory and its breakdown (getMemoryOverheadData). Summing every key is O(keys), so the result
 * is cached until the dataset or the client count changes.
 */
export function memoryOverview(engine: Engine): MemoryOverview {
  let keys = 0;
  for (const db of engine.dbs) keys += db.size;
  const s = engine.stats;
  const stamp = `${engine.dirty}:${keys}:${s.expiredKeys}:${s.evictedKeys}:${engine.clients.size}`;
  const cached = caches.get(engine);
  if (cached && cached.stamp === stamp) return cached.value;
  let data = 0;
  let overheadDbs = 0;
  const dbs: [number, number, number][] = [];
  for (const db of engine.dbs) {
    if (db.size === 0 && db.expires.size === 0) continue;
    for (const e of db.dict.entries()) data += keyMemoryUsage(e.key, e.val, e.meta) - DICT_ENTRY_SIZE - ROBJ_SIZE;
    const main = db.dict.size * (DICT_ENTRY_SIZE + ROBJ_SIZE) + db.dict.buckets * 8;
    const expires = db.expires.size * DICT_ENTRY_SIZE + (db.expires.size > 0 ? db.expires.buckets * 8 : 0);
    dbs.push([db.id, main, expires]);
    overheadDbs += main + expires;
  }
  const clients = Math.max(0, engine.clients.size - 1) * CLIENT_MEMORY;
  const overhead = STARTUP_MEMORY + clients + overheadDbs;
  const total = overhead + RUNTIME_BASELINE + data;
  const value = { total, startup: STARTUP_MEMORY, dbs, clients, overhead, dataset: total - overhead, keys };
  caches.set(engine, { stamp, value });
  return value;
}

/** used_memory (zmalloc_used_memory). */
export function usedMemory(engine: Engine): number {
  return memoryOverview(engine).total;
}

/** bytesToHuman: "1.27M", "0B", "23.54G". */
export function bytesToHuman(n: number): string {
  const units: [number, string][] = [
    [1024 ** 5, 'P'],
    [1024 ** 4, 'T'],
    [1024 ** 3, 'G'],
    [1024 ** 2, 'M'],
    [1024, 'K'],
  ];
  if (n < 1024) return `${n}B`;
  for (const [size, unit] of units) if (n >= size) return `${(n / size).toFixed(2)}${unit}`;
  return `${n}B`;
}
