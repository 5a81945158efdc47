// maxmemory eviction (src/evict.c): the LRU clock and the LFU counter kept in the low 24 bits of an
// entry's meta word, the sampled eviction pool of 16 best candidates, the eight maxmemory-policy
// strategies, and performEvictions, run before every command while maxmemory is set.
// Used memory comes from the memory model (memory.ts); a key frees what MEMORY USAGE says it holds.

import type { Engine } from '../engine';
import type { Dict, DictEntry } from '../types/dict';
import { DICT_ENTRY_SIZE, keyMemoryUsage, usedMemory } from './memory';
import type { RedisValue } from './db';

// ---- LRU / LFU in the meta word ------------------------------------------------------------------
//
// Bits 0-23 of meta are the robj's 24-bit `lru` field. Under an LRU (or no) policy they hold the LRU
// clock in seconds; under an LFU policy they hold (last decrement time in minutes, 16 bits) << 8 |
// a logarithmic access counter (8 bits), exactly as Redis splits the same field.

/** New objects start with this counter so they survive a few accesses before being judged. */
export const LFU_INIT_VAL = 5;
/** The 24-bit lru field in the meta word (db.ts LRU_MASK, LRU_CLOCK_MAX). */
const LRU_MASK = 0xffffff;
/** LRU_CLOCK_RESOLUTION: the LRU clock ticks in seconds. */
const LRU_CLOCK_RESOLUTION = 1000;

/** The 8-bit LFU counter of a meta word (before any decay). */
export function lfuCounter(meta: number): number {
  return meta & 255;
}

/** The LFU "last decrement time" (minutes, 16 bits) of a meta word. */
export function lfuDecrTime(meta: number): number {
  return (meta >>> 8) & 65535;
}

/** LFUGetTimeInMinutes: unix time in minutes, 16 bits. */
export function lfuTimeInMinutes(engine: Engine): number {
  return Math.floor(engine.now() / 60000) & 65535;
}

/** LFUTimeElapsed: minutes since `ldt`, the 16-bit clock wrapping at most once. */
export function lfuTimeElapsed(engine: Engine, ldt: number): number {
  const now = lfuTimeInMinutes(engine);
  return now >= ldt ? now - ldt : 65535 - ldt + now;
}

/** LFUDecrAndReturn: the counter decayed by one per lfu-decay-time minutes elapsed (OBJECT FREQ reads this). */
export function lfuDecrAndReturn(engine: Engine, meta: number): number {
  const counter = lfuCounter(meta);
  const decay = engine.config.getInt('lfu-decay-time');
  const periods = decay > 0 ? Math.floor(lfuTimeElapsed(engine, lfuDecrTime(meta)) / decay) : 0;
  if (periods === 0) return counter;
  return periods > counter ? 0 : counter - periods;
}

/**
 * LFULogIncr: increment with probability 1 / ((counter - LFU_INIT_VAL) * lfu-log-factor + 1), so the
 * counter grows logarithmically with accesses; saturates at 255. `r` in [0, 1) is the random draw.
 */
export function lfuLogIncr(counter: number, logFactor: number, r: number): number {
  if (counter === 255) return 255;
  const baseval = Math.max(0, counter - LFU_INIT_VAL);
  const p = 1 / (baseval * logFactor + 1);
  return r < p ? counter + 1 : counter;
}

/** Is an LFU policy selected (MAXMEMORY_FLAG_LFU)? The meta's low bits then hold LFU data. */
export function isLfuPolicy(engine: Engine): boolean {
  return engine.lfuPolicy;
}

/** createObject's lru field: the LRU clock, or (minutes << 8 | LFU_INIT_VAL) under an LFU policy. */
export function newObjectLru(engine: Engine): number {
  return engine.lfuPolicy ? (lfuTimeInMinutes(engine) << 8) | LFU_INIT_VAL : engine.lruClock();
}

/** The meta word after an access (lookupKey): the LRU clock, or updateLFU (decay, then log-increment). */
export function touchedMeta(engine: Engine, meta: number): number {
  let lru: number;
  if (engine.lfuPolicy) {
    const counter = lfuLogIncr(
      lfuDecrAndReturn(engine, meta),
      engine.config.getInt('lfu-log-factor'),
      engine.random.next(),
    );
    lru = (lfuTimeInMinutes(engine) << 8) | counter;
  } else lru = engine.lruClock();
  return (meta & ~LRU_MASK) | lru;
}

/** estimateObjectIdleTime in ms: the LRU clock distance, wrapping once. */
export function estimateIdleTime(engine: Engine, meta: number): number {
  const clock = engine.lruClock();
  const lru = meta & LRU_MASK;
  return (clock >= lru ? clock - lru : clock + (LRU_MASK - lru)) * LRU_CLOCK_RESOLUTION;
}

// ---- state ---------------------------------------------------------------------------------------

type Policy =
  | 'volatile-lru'
  | 'volatile-lfu'
  | 'volatile-random'
  | 'volatile-ttl'
  | 'allkeys-lru'
  | 'allkeys-lfu'
  | 'allkeys-random'
  | 'noeviction';

/** EVPOOL_SIZE: candidates kept across performEvictions calls. */
export const EVPOOL_SIZE = 16;

/** One eviction pool slot: a higher score is a better candidate (idle ms, 255 - LFU, or TTL order). */
export interface PoolEntry {
  score: number;
  key: string | null;
  db: number;
}

interface EvictState {
  policy: Policy;
  lfu: boolean;
  maxmemory: number;
  /** EvictionPoolLRU, ascending by score; empty slots have key null. */
  readonly pool: PoolEntry[];
  /** The random policies' static next_db. */
  nextDb: number;
  /** The eviction time proc is running (evictions continue from cron until under the limit). */
  running: boolean;
}

const states = new WeakMap<Engine, EvictState>();

function stateOf(engine: Engine): EvictState {
  let s = states.get(engine);
  if (s === undefined) {
    const policy = engine.config.get('maxmemory-policy') as Policy;
    s = {
      policy,
      lfu: policy.endsWith('-lfu'),
      maxmemory: Number(engine.config.get('maxmemory')),
      pool: Array.from({ length: EVPOOL_SIZE }, () => ({ score: 0, key: null, db: 0 })),
      nextDb: 0,
      running: false,
    };
    states.set(engine, s);
  }
  return s;
}

/** The eviction pool, for the panels and tests (best candidate last). */
export function evictionPool(engine: Engine): readonly PoolEntry[] {
  return stateOf(engine).pool;
}

/**
 * Install eviction on an engine: the policy and limit follow CONFIG, CONFIG SET maxmemory evicts at
 * once (updateMaxmemory), and dispatch calls performEvictions before every command.
 */
export function installEviction(engine: Engine): void {
  const s = stateOf(engine);
  engine.lfuPolicy = s.lfu;
  engine.config.onChange((name, value) => {
    if (name === 'maxmemory-policy') {
      s.policy = value as Policy;
      s.lfu = value.endsWith('-lfu');
      engine.lfuPolicy = s.lfu;
    } else if (name === 'maxmemory') {
      s.maxmemory = Number(value);
      if (s.maxmemory > 0) performEvictions(engine);
    }
  });
  engine.oomCheck = () => s.maxmemory > 0 && performEvictions(engine) === 'fail';
  // evictionTimeProc: keep evicting on every tick until under the limit or out of candidates.
  engine.cronHooks.push(() => {
    if (!s.running) return;
    s.running = false;
    performEvictions(engine);
  });
}

// ---- sampling ------------------------------------------------------------------------------------

/**
 * dictGetSomeKeys: up to `count` entries from consecutive buckets starting at a random one, jumping
 * elsewhere after a run of empty buckets, within count*10 steps. Not guaranteed distinct or complete.
 */
export function getSomeEntries<V>(dict: Dict<V>, count: number, rand: (n: number) => number): DictEntry<V>[] {
  const out: DictEntry<V>[] = [];
  if (count > dict.size) count = dict.size;
  let steps = count * 10;
  let cursor = rand(dict.buckets);
  let emptyLen = 0;
  while (out.length < count && steps-- > 0) {
    let found = false;
    // LAB: buckets are walked in the dict's SCAN order from the random start (Redis walks i+1).
    cursor = dict.scan(cursor, (e) => {
      found = true;
      if (out.length < count) out.push(e);
    });
    if (found) emptyLen = 0;
    else if (++emptyLen >= 5 && emptyLen > count) {
      cursor = rand(dict.buckets);
      emptyLen = 0;
    }
  }
  return out;
}

/** evictionPoolPopulate: score a sample of `sampleDict` and insert the better ones into the pool. */
function populatePool(engine: Engine, s: EvictState, dbId: number, volatile: boolean): void {
  const db = engine.dbs[dbId];
  const samples = engine.config.getInt('maxmemory-samples');
  const pool = s.pool;
  const sampled: { key: string; ttl: number }[] = [];
  if (volatile)
    for (const e of getSomeEntries(db.expires, samples, engine.random.int)) sampled.push({ key: e.key, ttl: e.val });
  else for (const e of getSomeEntries(db.dict, samples, engine.random.int)) sampled.push({ key: e.key, ttl: 0 });
  for (const { key, ttl } of sampled) {
    let score: number;
    if (s.policy === 'volatile-ttl') {
      // The sooner the expire, the better (ULLONG_MAX - when).
      score = Number.MAX_SAFE_INTEGER - ttl;
    } else {
      const e = db.dict.getEntry(key);
      if (e === undefined) continue;
      score = s.lfu ? 255 - lfuDecrAndReturn(engine, e.meta) : estimateIdleTime(engine, e.meta);
    }
    insertCandidate(pool, key, score, dbId);
  }
}

/** The pool's insertion: keep it ascending; when full, drop the worst (leftmost) to make room. */
export function insertCandidate(pool: PoolEntry[], key: string, score: number, db: number): void {
  let k = 0;
  while (k < EVPOOL_SIZE && pool[k].key !== null && pool[k].score < score) k++;
  if (k === 0 && pool[EVPOOL_SIZE - 1].key !== null) return; // worse than everything in a full pool
  if (k < EVPOOL_SIZE && pool[k].key === null) {
    // an empty slot: insert right there
  } else if (pool[EVPOOL_SIZE - 1].key === null) {
    // free space on the right: shift k.. one step right
    for (let i = EVPOOL_SIZE - 1; i > k; i--) Object.assign(pool[i], pool[i - 1]);
  } else {
    // full: insert at k-1, shifting the left part out (the lowest score is discarded)
    k--;
    for (let i = 0; i < k; i++) Object.assign(pool[i], pool[i + 1]);
  }
  pool[k].key = key;
  pool[k].score = score;
  pool[k].db = db;
}

/** The best key to evict now, with its db (or null when there is nothing evictable). */
function pickVictim(engine: Engine, s: EvictState): { db: number; key: string } | null {
  const allkeys = s.policy.startsWith('allkeys-');
  if (s.policy === 'allkeys-random' || s.policy === 'volatile-random') {
    const n = engine.dbs.length;
    for (let i = 0; i < n; i++) {
      const j = ++s.nextDb % n;
      const db = engine.dbs[j];
      const dict: Dict<RedisValue> | Dict<number> = allkeys ? db.dict : db.expires;
      if (dict.size === 0) continue;
      const e = dict.randomEntry(engine.random.int);
      if (e !== undefined) return { db: j, key: e.key };
    }
    return null;
  }
  const pool = s.pool;
  for (;;) {
    let total = 0;
    // Sample every db, so the choice is not local to one of them.
    for (let i = 0; i < engine.dbs.length; i++) {
      const db = engine.dbs[i];
      const size = allkeys ? db.dict.size : db.expires.size;
      if (size === 0) continue;
      populatePool(engine, s, i, !allkeys);
      total += size;
    }
    if (total === 0) return null;
    // From the best candidate down; keys deleted since they entered the pool are ghosts.
    for (let k = EVPOOL_SIZE - 1; k >= 0; k--) {
      const p = pool[k];
      if (p.key === null) continue;
      const key = p.key;
      const db = engine.dbs[p.db];
      p.key = null;
      p.score = 0;
      if ((allkeys ? db.dict : db.expires).has(key)) return { db: p.db, key };
    }
  }
}

// ---- performEvictions ------------------------------------------------------------------------------

/** evictionTimeLimitUs: maxmemory-eviction-tenacity → µs per call (0..500 linear, then +15% a step). */
export function evictionTimeLimitUs(tenacity: number): number {
  if (tenacity <= 10) return 50 * tenacity;
  if (tenacity < 100) return Math.floor(500 * 1.15 ** (tenacity - 10));
  return Number.POSITIVE_INFINITY;
}

/** Delete an evicted key: dbSyncDelete, WATCH, the 'evicted' notification, DEL/UNLINK propagation. */
function evictKey(engine: Engine, dbId: number, key: string): number {
  const db = engine.dbs[dbId];
  const e = db.dict.getEntry(key);
  if (e === undefined) return 0;
  const ttl = db.expires.size > 0 && db.expires.has(key);
  const freed = keyMemoryUsage(key, e.val, e.meta) + (ttl ? DICT_ENTRY_SIZE : 0);
  db.dict.delete(key);
  db.memRemoved(e);
  if (ttl) db.expires.delete(key);
  engine.stats.evictedKeys++;
  db.touchWatched(key);
  // signalModifiedKey(NULL, ...): client-side caches drop it.
  engine.tracking?.invalidateKey(key, true, null);
  engine.notify('e', 'evicted', key, dbId);
  engine.emit({ type: 'key', db: dbId, key, op: 'evicted' });
  engine.propagate(dbId, [engine.config.getBool('lazyfree-lazy-eviction') ? 'UNLINK' : 'DEL', key]);
  return freed;
}

export type EvictResult = 'ok' | 'running' | 'fail';

/**
 * performEvictions: while used memory is over maxmemory, evict keys by the policy until enough is
 * freed. 'fail' when still over the limit with nothing left to evict (denyoom commands get OOM);
 * 'running' when the time budget ran out and eviction continues from cron.
 */
export function performEvictions(engine: Engine): EvictResult {
  const s = stateOf(engine);
  if (engine.paused && engine.pausedNow()) return 'ok';
  if (s.maxmemory === 0) return 'ok';
  const used = usedMemory(engine);
  if (used <= s.maxmemory) return 'ok';
  if (s.policy === 'noeviction') return 'fail';
  const toFree = used - s.maxmemory;
  const limitUs = evictionTimeLimitUs(engine.config.getInt('maxmemory-eviction-tenacity'));
  const start = performance.now();
  let freed = 0;
  let keysFreed = 0;
  let cantFree = false;
  while (freed < toFree) {
    const victim = pickVictim(engine, s);
    if (victim === null) {
      cantFree = true;
      break;
    }
    freed += evictKey(engine, victim.db, victim.key);
    keysFreed++;
    if (keysFreed % 16 === 0 && (performance.now() - start) * 1000 > limitUs) {
      // Out of time: keep evicting from cron (startEvictionTimeProc) and let the command run.
      s.running = true;
      break;
    }
  }
  // The pass is one "eviction-cycle" sample for the latency monitor (whole ms).
  const ms = Math.floor(performance.now() - start);
  engine.latency.addIfNeeded('eviction-cycle', ms, engine.latencyThreshold, Math.floor(engine.clock.now() / 1000));
  if (cantFree) return 'fail';
  return s.running ? 'running' : 'ok';
}
