// One logical database (Redis's redisDb in src/db.c): the main dict, the expires dict, lazy expiry
// on lookup, and the single write path that every command uses to add, overwrite and delete keys
// (which bumps WATCH, counts dirty changes and emits events for the panels and notifications).

import { Dict, type DictEntry } from '../types/dict';
import type { Engine } from '../engine';
import { isLfuPolicy, newObjectLru } from './evict';
import type { DictMemory } from './memory';

/** Non-string values are objects describing their own type and encoding (defined by each type). */
export interface CollectionValue {
  readonly type: 'list' | 'hash' | 'set' | 'zset' | 'stream';
  encoding(): string;
  /** A deep copy for COPY (listTypeDup, setTypeDup, zsetDup, hashTypeDup, streamDup). */
  dup?(): CollectionValue;
}

/** A string value is stored as a binary string; everything else as a typed collection object. */
export type RedisValue = string | CollectionValue;

export type TypeName = 'string' | CollectionValue['type'];

export function typeOf(v: RedisValue): TypeName {
  return typeof v === 'string' ? 'string' : v.type;
}

// entry.meta layout: bits 0-23 Redis's 24-bit lru field — the LRU clock in seconds, or under an LFU
// policy (minutes << 8 | log counter), see evict.ts (lfuCounter, lfuDecrAndReturn) — bit 24 set when
// a string must report the "raw" encoding (APPEND/SETRANGE/SETBIT make raw strings in Redis), bit 25
// set when an int-encoded small value is a private object rather than one of the shared integers
// 0..9999 (COPY's dup, or values created while maxmemory with an LRU/LFU policy forbids sharing).
export const LRU_MASK = 0xffffff;
export const META_RAW = 1 << 24;
export const META_UNSHARED = 1 << 25;
/** Bit 26: a plain string object that is never int-encoded (INCRBYFLOAT's result: embstr/raw by length). */
export const META_NOINT = 1 << 26;

export class Db {
  readonly dict: Dict<RedisValue>;
  readonly expires: Dict<number>;
  /** Clients WATCHing each key (multi.c's watched_keys). */
  readonly watched = new Map<string, Set<{ dirtyCas: boolean }>>();
  /** Active-expire cursor into the expires dict (db->expires_cursor). */
  expiresCursor = 0;
  avgTtl = 0;
  /**
   * used_memory kept incrementally (memory.ts): the bytes counted for `dict` and the keys written
   * since. Null until memory is first asked for, so a server nobody asks pays nothing per write.
   */
  mem: DictMemory | null = null;

  constructor(
    readonly id: number,
    private readonly engine: Engine,
  ) {
    this.dict = new Dict<RedisValue>(engine.hashSeed);
    this.expires = new Dict<number>(engine.hashSeed ^ 0x2545f491);
  }

  get size(): number {
    return this.dict.size;
  }

  /** Is the key logically expired now? (keyIsExpired: the time must be strictly past the TTL.) KEYS uses it alone. */
  isExpired(key: string): boolean {
    if (this.expires.size === 0 || this.engine.loading) return false;
    const when = this.expires.get(key);
    return when !== undefined && this.engine.now() > when;
  }

  /** expireIfNeeded: delete the key if its time has passed; true when it was expired. */
  expireIfNeeded(key: string): boolean {
    if (!this.isExpired(key)) return false;
    // While clients are paused the dataset stays static: the key reads as expired but stays.
    if (this.engine.paused && this.engine.pausedNow()) return true;
    this.deleteExpired(key);
    return true;
  }

  /** Remove a key whose TTL passed (lazy or active expiry): counted, propagated, notified. */
  deleteExpired(key: string): void {
    this.removeEntry(key);
    this.engine.stats.expiredKeys++;
    // propagateDeletion: UNLINK when lazyfree-lazy-expire is on.
    this.engine.propagate(this.id, [this.engine.config.getBool('lazyfree-lazy-expire') ? 'UNLINK' : 'DEL', key]);
    this.engine.notify('x', 'expired', key, this.id);
    // signalModifiedKey(NULL, ...): client-side caches drop it (no client made the change).
    this.engine.tracking?.invalidateKey(key, true, null);
    if (this.engine.wants('key')) this.engine.emit({ type: 'key', db: this.id, key, op: 'expired' });
  }

  /** lookupKeyRead: the value, honouring expiry; counts keyspace hits and misses; touches the LRU. */
  lookupRead(key: string): RedisValue | undefined {
    const e = this.lookupEntry(key);
    if (e === undefined) {
      this.engine.notify('m', 'keymiss', key, this.id);
      this.engine.stats.keyspaceMisses++;
      return undefined;
    }
    this.engine.stats.keyspaceHits++;
    return e.val;
  }

  /**
   * lookupKeyReadWithFlags(LOOKUP_NOTOUCH): hits/misses counted, LRU left alone (EXISTS, TYPE, TTL,
   * OBJECT); a miss fires "keymiss" unless `nonotify` (LOOKUP_NONOTIFY, as OBJECT looks keys up).
   */
  lookupReadNoTouch(key: string, nonotify = false): RedisValue | undefined {
    const e = this.peekEntry(key);
    if (e === undefined) {
      if (!nonotify) this.engine.notify('m', 'keymiss', key, this.id);
      this.engine.stats.keyspaceMisses++;
      return undefined;
    }
    this.engine.stats.keyspaceHits++;
    return e.val;
  }

  /** lookupKeyWrite: the value, honouring expiry; no hit/miss statistics. */
  lookupWrite(key: string): RedisValue | undefined {
    return this.lookupEntry(key)?.val;
  }

  /** The entry without touching statistics or LRU (OBJECT, TYPE-like inspection, SCAN filters). */
  peekEntry(key: string): DictEntry<RedisValue> | undefined {
    if (this.expireIfNeeded(key)) return undefined;
    return this.dict.getEntry(key);
  }

  lookupEntry(key: string): DictEntry<RedisValue> | undefined {
    if (this.expireIfNeeded(key)) return undefined;
    const e = this.dict.getEntry(key);
    if (e !== undefined && !this.engine.noTouch) this.engine.touch(e);
    return e;
  }

  exists(key: string): boolean {
    return this.peekEntry(key) !== undefined;
  }

  /**
   * setKey: add or overwrite a key. Overwriting drops the TTL unless keepTtl (SET KEEPTTL).
   * `raw` marks a string that Redis would report with the raw encoding.
   */
  setKey(key: string, val: RedisValue, opts?: { keepTtl?: boolean; raw?: boolean }): void {
    const e = this.dict.getEntry(key);
    // dbOverwrite keeps the old object's LFU data; otherwise a new object's lru (createObject).
    const lru = e !== undefined && isLfuPolicy(this.engine) ? e.meta & LRU_MASK : newObjectLru(this.engine);
    const meta = opts?.raw ? lru | META_RAW : lru;
    if (e === undefined) {
      this.dict.add(key, val, meta);
      if (typeof val !== 'string' && this.engine.blocking.blockedCount > 0) this.signalReady(key, val);
      this.engine.notify('n', 'new', key, this.id);
    } else {
      this.streamReplaced(key, e.val);
      e.val = val;
      e.meta = meta;
      if (!opts?.keepTtl && this.expires.size > 0) this.expires.delete(key);
    }
    this.signalModified(key, e === undefined ? 'set' : 'overwrite');
  }

  /** Add a key known to be absent (dbAdd). */
  add(key: string, val: RedisValue, raw = false): void {
    const lru = newObjectLru(this.engine);
    this.dict.add(key, val, raw ? lru | META_RAW : lru);
    if (typeof val !== 'string' && this.engine.blocking.blockedCount > 0) this.signalReady(key, val);
    this.engine.notify('n', 'new', key, this.id);
    this.signalModified(key, 'set');
  }

  /** dbAdd's signalKeyAsReady: a new list/zset/stream key may serve clients blocked on it. */
  private signalReady(key: string, val: CollectionValue): void {
    this.engine.blocking.signalKeyAsReady(this, key, val.type);
  }

  /** Replace the value of an existing key in place, keeping its TTL (dbOverwrite / in-place updates). */
  overwrite(key: string, val: RedisValue, raw = false): void {
    const e = this.dict.getEntry(key);
    if (e === undefined) {
      this.add(key, val, raw);
      return;
    }
    this.streamReplaced(key, e.val);
    e.val = val;
    e.meta = raw ? (e.meta & ~META_NOINT) | META_RAW : e.meta & ~(META_RAW | META_NOINT);
    this.signalModified(key, 'overwrite');
  }

  /** dbDelete: remove a key and its TTL; true if it existed. */
  delete(key: string): boolean {
    if (this.peekEntry(key) === undefined) return false;
    this.removeEntry(key);
    this.signalModified(key, 'del');
    return true;
  }

  /**
   * dbOverwrite/dbGenericDelete: a stream going away signals its key, so clients blocked in
   * XREADGROUP on it get an error rather than waiting for a group that is gone.
   */
  private streamReplaced(key: string, old: RedisValue | undefined): void {
    if (
      old !== undefined &&
      typeof old !== 'string' &&
      old.type === 'stream' &&
      this.engine.blocking.blockedCount > 0
    ) {
      this.engine.blocking.signalKeyAsReady(this, key, 'stream');
    }
  }

  private removeEntry(key: string): void {
    if (this.engine.blocking.blockedCount > 0) this.streamReplaced(key, this.dict.get(key));
    const e = this.dict.delete(key);
    if (e !== undefined) this.memRemoved(e);
    if (this.expires.size > 0) this.expires.delete(key);
    this.touchWatched(key);
  }

  getExpire(key: string): number | undefined {
    return this.expires.size === 0 ? undefined : this.expires.get(key);
  }

  setExpire(key: string, when: number): void {
    this.expires.set(key, when);
    this.touchWatched(key);
  }

  /** Returns true when a TTL was removed (PERSIST). */
  removeExpire(key: string): boolean {
    const removed = this.expires.delete(key) !== undefined;
    if (removed) this.touchWatched(key);
    return removed;
  }

  /** An entry left the dict (deleted, expired, evicted): its counted bytes leave used_memory. */
  memRemoved(e: DictEntry<RedisValue>): void {
    const m = this.mem;
    if (m === null || e.mem === 0) return;
    m.data -= e.mem;
    m.counted--;
    e.mem = 0;
  }

  /**
   * signalModifiedKey: WATCH and client-side caching invalidation plus the panels' key event.
   * Collections call it after in-place edits.
   */
  signalModified(key: string, op: 'set' | 'overwrite' | 'del' | 'update' = 'update'): void {
    const m = this.mem;
    if (m !== null) {
      if (m.touched.length < m.limit) m.touched.push(key);
      else this.mem = null;
    }
    this.touchWatched(key);
    const tracking = this.engine.tracking;
    if (tracking !== null) tracking.invalidateKey(key, true, this.engine.execClient);
    if (this.engine.wants('key')) this.engine.emit({ type: 'key', db: this.id, key, op });
  }

  touchWatched(key: string): void {
    if (this.watched.size === 0) return;
    const clients = this.watched.get(key);
    if (clients) for (const c of clients) c.dirtyCas = true;
  }

  /** FLUSHDB: every watcher of an existing key is invalidated, as Redis's touchAllWatchedKeysInDb. */
  flush(): number {
    // emptyData's scanDatabaseForDeletedStreams: XREADGROUP clients blocked on a stream here fail.
    if (this.engine.blocking.blockedCount > 0) this.engine.blocking.signalDeletedStreams(this);
    const removed = this.dict.size;
    if (this.watched.size > 0) for (const key of this.watched.keys()) if (this.dict.has(key)) this.touchWatched(key);
    this.dict.clear();
    this.expires.clear();
    this.mem = null;
    this.expiresCursor = 0;
    this.avgTtl = 0;
    return removed;
  }

  /** A random key that is not expired (dbRandomKey), or undefined if the db is empty. */
  randomKey(): string | undefined {
    const rand = this.engine.random.int;
    let allExpiredTries = 100;
    while (this.dict.size > 0) {
      const e = this.dict.randomEntry(rand);
      if (e === undefined) return undefined;
      if (this.expires.size > 0 && this.isExpired(e.key)) {
        // An expired key is deleted and another drawn. Only when it can't be deleted (clients paused)
        // and every key is volatile, give up after 100 draws as a replica does, naming an expired key.
        if (this.engine.paused && this.expires.size === this.dict.size && --allExpiredTries === 0) return e.key;
        this.expireIfNeeded(e.key);
        continue;
      }
      return e.key;
    }
    return undefined;
  }
}
