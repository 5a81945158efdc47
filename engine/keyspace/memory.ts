// The memory model (Redis's objectComputeSize in src/object.c, sds sizing in src/sds.c, jemalloc's
// size classes): bytes per key as MEMORY USAGE reports them, and used_memory for INFO/MEMORY STATS
// and maxmemory. Strings match Redis 7.0 exactly; collection types plug in a sizer per type.

import type { Engine } from '../engine';
import { stringEncoding } from '../types/string-encoding';
import type { Dict, DictEntry } from '../types/dict';
import { type CollectionValue, type Db, META_RAW, type RedisValue } from './db';

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
  if ((meta & META_RAW) === 0) {
    const enc = stringEncoding(value, meta);
    if (enc === 'int') return ROBJ_SIZE;
    if (enc === 'embstr') return jemallocSize(ROBJ_SIZE + 3 + value.length + 1);
    return ROBJ_SIZE + sdsAllocSize(value.length);
  }
  // LAB: a string edited in place (APPEND, SETRANGE, SETBIT) carries the greedy preallocation of
  // sdsMakeRoomFor; its history is not kept, so one doubling growth is assumed.
  const len = value.length;
  const alloc = len < 1024 * 1024 ? len * 2 : len + 1024 * 1024;
  return ROBJ_SIZE + jemallocSize(sdsHeaderSize(alloc, true) + alloc + 1);
}

/**
 * dictSlots (both tables) of a Redis dict that grew by adds. When a table of m buckets fills, Redis
 * doubles it and rehashes incrementally: each dict operation (_dictRehashStep) moves one non-empty
 * old bucket, and both tables (m + 2m slots) stay allocated until the last one moved — about
 * m(1 - (1 - 1/m)^m) steps for m entries in m buckets. `stepsPerAdd` is how many dict operations
 * one add costs (SADD: dictAdd; HSET, ZADD: dictFind then dictAdd). Deterministic in Redis except
 * close to that threshold, where the count of non-empty buckets (seeded hashing) decides.
 */
// LAB: the dict's history is not kept: adds since the last doubling are inferred from its size, so
// lookups made meanwhile (which also step the rehash), shrinks, and dicts presized on creation
// (RESTORE, intset conversion) are modelled as if built by adds only.
export function dictSlots(size: number, buckets: number, stepsPerAdd: number): number {
  const m = buckets / 2;
  if (m < 4 || size <= m) return buckets;
  // The add that crossed m expanded the table after its own steps: the later adds step the rehash.
  const steps = (size - m - 1) * stepsPerAdd;
  const nonEmpty = m * (1 - (1 - 1 / m) ** m);
  return steps < nonEmpty ? buckets + m : buckets;
}

/** objectComputeSize of a listpack- or intset-encoded value: the robj and one allocation of its blob. */
export function packedValueSize(blobBytes: number): number {
  return ROBJ_SIZE + jemallocSize(blobBytes);
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
 * Overhead beyond the start-up state that another subsystem owns (the scripting caches: set by
 * scripting/context.ts when it loads), counted in used_memory_overhead as getMemoryOverheadData does.
 */
export const extraOverhead: { bytes: ((engine: Engine) => number) | null } = { bytes: null };

/** The incremental used_memory of one db's dict (Db.mem): the bytes of its counted entries. */
export interface DictMemory {
  /** The dict counted (SWAPDB moves dicts between dbs: another one means counting afresh). */
  readonly dict: Dict<RedisValue>;
  /** Sum of entry.mem over the counted entries. */
  data: number;
  /** Entries with entry.mem counted. */
  counted: number;
  /**
   * Keys written since (Db.signalModified, repeats kept: a push is cheaper than a set insert),
   * recounted next time. Past `limit` writes the counts are dropped (Db.mem = null) and made afresh
   * when next asked for, so writes nobody asks about cost nothing after a while.
   */
  readonly touched: string[];
  readonly limit: number;
  /**
   * Stream keys, recounted every time: consumer-group commands (XREADGROUP, XACK, XCLAIM, XGROUP...)
   * change a stream's bytes without signalModifiedKey in Redis, so no write signal tells us.
   */
  readonly streams: Set<string>;
}

/** A key's bytes in used_memory's dataset: MEMORY USAGE less the dictEntry and robj (counted as overhead). */
function entryData(e: DictEntry<RedisValue>): number {
  return smallInt(keyMemoryUsage(e.key, e.val, e.meta) - DICT_ENTRY_SIZE - ROBJ_SIZE);
}

/**
 * The same number, as a small integer when it is one: a sizer's float arithmetic may hand back an
 * integral double, and one such stored in DictEntry.mem turns the field into a boxed double for every
 * entry (V8 then migrates each of a million entries when next touched, ~0.4 us apiece).
 */
function smallInt(n: number): number {
  const i = n | 0;
  return i === n ? i : n;
}

/** Count every key of `db` afresh (the first time, and after a SWAPDB or a load). */
function recount(db: Db): number {
  let data = 0;
  const streams = new Set<string>();
  for (const e of db.dict.entries()) data += countEntry(e, streams);
  keepCounts(db, data, streams);
  return data;
}

// A walk of every key made anyway (an RDB save) counts them on the way when `db` has no counts
// kept, so its first used_memory costs no walk of its own: countsWanted, countEntry per entry while
// the entry is at hand, then keepCounts. The figures are recount's, entry by entry.

/** True when `db` has no counts kept (dbDataMemory would recount it). */
export function countsWanted(db: Db): boolean {
  return db.mem === null || db.mem.dict !== db.dict;
}

/**
 * countEntry for a value held in one listpack or intset of `blobBytes` bytes (its lpBytes /
 * intsetBlobLen, as the RDB encoder just built it): what its type's sizer computes, packedValueSize.
 */
export function countPackedEntry(e: DictEntry<RedisValue>, blobBytes: number): number {
  const bytes = smallInt(packedValueSize(blobBytes) - ROBJ_SIZE + sdsAllocSize(e.key.length));
  e.mem = bytes;
  return bytes;
}

/** One entry's dataset bytes, kept on it (e.mem); stream keys noted in `streams`. */
export function countEntry(e: DictEntry<RedisValue>, streams: Set<string>): number {
  const bytes = entryData(e);
  e.mem = bytes;
  if (isStream(e.val)) streams.add(e.key);
  return bytes;
}

/** The counts of a walk that counted every entry of `db` once (countEntry): the sum and the streams. */
export function keepCounts(db: Db, data: number, streams: Set<string>): void {
  const limit = Math.max(TOUCHED_MIN_LIMIT, db.dict.size);
  db.mem = { dict: db.dict, data, counted: db.dict.size, touched: [], limit, streams };
}

/** Writes remembered between two looks at least (else as many as keys: a recount costs no more). */
const TOUCHED_MIN_LIMIT = 4096;

const isStream = (v: RedisValue): boolean => typeof v !== 'string' && v.type === 'stream';

/** Recount one key of `m` (touched or a stream); false when it is gone. */
function recountKey(db: Db, m: DictMemory, key: string): boolean {
  const e = db.dict.getEntry(key);
  if (e === undefined) return false;
  if (e.mem === 0) m.counted++;
  const bytes = entryData(e);
  m.data += bytes - e.mem;
  e.mem = bytes;
  if (isStream(e.val)) m.streams.add(key);
  return true;
}

/**
 * The dataset bytes of `db`: the keys written since last time are recounted (deletes were taken
 * off as they happened, Db.memRemoved), so the cost follows the writes, not the key count.
 */
export function dbDataMemory(db: Db): number {
  const m = db.mem;
  if (m === null || m.dict !== db.dict) return recount(db);
  if (m.touched.length > 0) {
    for (const key of m.touched) recountKey(db, m, key);
    m.touched.length = 0;
  }
  for (const key of m.streams) {
    // (a key that is gone, or now holds another type, was already recounted or taken off)
    const e = db.dict.getEntry(key);
    if (e === undefined || !isStream(e.val)) m.streams.delete(key);
    else recountKey(db, m, key);
  }
  // Keys added behind the write path's back (an RDB load) make the count differ: count afresh.
  return m.counted === db.dict.size ? m.data : recount(db);
}

/** The same figure summed over every key, ignoring what was kept (for tests and checks). */
export function dbDataMemoryFull(db: Db): number {
  let data = 0;
  for (const e of db.dict.entries()) data += entryData(e);
  return data;
}

/** Forget the incremental counts (after a load that may have replaced keys in place: DEBUG RELOAD MERGE). */
export function resetMemoryCounts(engine: Engine): void {
  for (const db of engine.dbs) db.mem = null;
}

/**
 * used_memory and its breakdown (getMemoryOverheadData). The dataset is kept incrementally per db
 * (dbDataMemory), and the result cached until the dataset or the client count changes.
 */
export function memoryOverview(engine: Engine): MemoryOverview {
  let keys = 0;
  for (const db of engine.dbs) keys += db.size;
  const s = engine.stats;
  const extra = extraOverhead.bytes ? extraOverhead.bytes(engine) : 0;
  const stamp = `${engine.dirty}:${keys}:${s.expiredKeys}:${s.evictedKeys}:${engine.clients.size}:${extra}`;
  const cached = caches.get(engine);
  if (cached && cached.stamp === stamp) return cached.value;
  let data = 0;
  let overheadDbs = 0;
  const dbs: [number, number, number][] = [];
  for (const db of engine.dbs) {
    if (db.size === 0 && db.expires.size === 0) {
      db.mem = null;
      continue;
    }
    data += engine.loading ? dbDataMemoryFull(db) : dbDataMemory(db);
    const main = db.dict.size * (DICT_ENTRY_SIZE + ROBJ_SIZE) + db.dict.buckets * 8;
    const expires = db.expires.size * DICT_ENTRY_SIZE + (db.expires.size > 0 ? db.expires.buckets * 8 : 0);
    dbs.push([db.id, main, expires]);
    overheadDbs += main + expires;
  }
  const clients = Math.max(0, engine.clients.size - 1) * CLIENT_MEMORY;
  const overhead = STARTUP_MEMORY + clients + overheadDbs + extra;
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
