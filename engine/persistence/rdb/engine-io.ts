// RDB files to and from the engine's keyspace: dbAddRDBLoad (keys go straight into the dicts, with
// their TTL and LRU/LFU data from the IDLE/FREQ opcodes, no notifications) and a snapshot of every db
// with the save-time aux fields. The loading rules themselves are in decode.ts / values.ts.

import { isSmallSharedInt } from '../../commands/keys-shared';
import type { Engine } from '../../engine';
import { LRU_MASK, META_UNSHARED, type Db } from '../../keyspace/db';
import { isLfuPolicy, lfuTimeInMinutes, newObjectLru } from '../../keyspace/evict';
import { usedMemory } from '../../keyspace/memory';
import { stringEncoding } from '../../types/string-encoding';
import { type RdbEntry, type RdbLoadResult, duplicateKeyError, loadRdb } from './decode';
import { type RdbSaveOptions, encodeRdb, encodeRdbBytes } from './encode';

/** LRU_CLOCK_MAX */
const LRU_CLOCK_MAX = LRU_MASK;

/** Shared integers are off when maxmemory is set with an LRU/LFU policy (MAXMEMORY_FLAG_NO_SHARED_INTEGERS). */
function sharedIntegersAllowed(engine: Engine): boolean {
  const policy = engine.config.get('maxmemory-policy');
  return engine.config.getInt('maxmemory') === 0 || !(policy.endsWith('-lru') || policy.endsWith('-lfu'));
}

/**
 * createObject's lru, then objectSetLRUOrLFU with the file's FREQ / IDLE (seconds). `lru` is
 * newObjectLru's value, read once per load as Redis reads its cached LRU clock.
 */
function loadedMeta(engine: Engine, e: RdbEntry, lru: number, sharedInts: boolean): number {
  let meta = lru;
  if (!sharedInts && typeof e.value === 'string' && isSmallSharedInt(e.value) && stringEncoding(e.value, 0) === 'int') {
    meta |= META_UNSHARED;
  }
  if (e.freq < 0 && e.idle < 0) return meta;
  const flags = meta & ~LRU_MASK;
  if (isLfuPolicy(engine)) {
    if (e.freq >= 0) meta = flags | (((lfuTimeInMinutes(engine) << 8) | e.freq) & LRU_MASK);
  } else if (e.idle >= 0) {
    let abs = engine.lruClock() - e.idle;
    if (abs < 0) abs += LRU_CLOCK_MAX;
    meta = flags | (abs & LRU_MASK);
  }
  return meta;
}

export interface EngineLoadOptions {
  /** RDBFLAGS_AOF_PREAMBLE: expired keys are kept (the AOF tail may rely on them). */
  aofPreamble?: boolean;
  /** RDBFLAGS_ALLOW_DUP (DEBUG RELOAD MERGE): a key already present is replaced. */
  allowDup?: boolean;
  /** Create a function library read from the file (null, or the error that fails the load). */
  onFunction?(code: string): string | null;
}

/**
 * rdbLoadRio into the engine's dbs, from the file's bytes (or a binary string). Throws RdbLoadError
 * (with the server's log lines) on failure.
 */
export function loadRdbIntoEngine(
  engine: Engine,
  data: string | Uint8Array,
  opts: EngineLoadOptions = {},
): RdbLoadResult {
  const wasLoading = engine.loading;
  engine.loading = true;
  const lru = newObjectLru(engine);
  const sharedInts = sharedIntegersAllowed(engine);
  // The db whose dict is queueing adds (Dict.bulkAdd), and the expires of its queued keys (add
  // index, key, time), set in file order once the keys are in (none from a duplicate on).
  let bulkDb: Db | null = null;
  let bulkAdds = 0;
  const expIdx: number[] = [];
  const expKeys: string[] = [];
  const expAt: number[] = [];
  /** Commit the queued adds: throws the duplicated-key failure when one of them found its key present. */
  const flush = (): void => {
    const db = bulkDb;
    if (db === null) return;
    bulkDb = null;
    const dup = db.dict.bulkEnd();
    for (let j = 0; j < expKeys.length && (dup === null || expIdx[j] < dup.index); j++)
      db.expires.set(expKeys[j], expAt[j]);
    expIdx.length = 0;
    expKeys.length = 0;
    expAt.length = 0;
    if (dup !== null) throw duplicateKeyError(dup.key, db.id);
  };
  try {
    return loadRdb(data, {
      env: engine,
      databases: engine.dbs.length,
      now: engine.clock.now(),
      aofPreamble: opts.aofPreamble,
      verifyChecksum: engine.config.getBool('rdbchecksum'),
      onFunction: opts.onFunction,
      resize(id, size, expires) {
        // dictExpand on RESIZEDB, so a million keys don't rehash twenty times.
        if (bulkDb === engine.dbs[id]) flush();
        engine.dbs[id].dict.expand(size);
        engine.dbs[id].expires.expand(expires);
      },
      add(e) {
        const db = engine.dbs[e.db];
        const meta = loadedMeta(engine, e, lru, sharedInts);
        if (!opts.allowDup) {
          // dbAddRDBLoad, queued: the keys go in at the end (flush), a duplicate fails the load there.
          if (bulkDb !== db) {
            flush();
            bulkDb = db;
            bulkAdds = 0;
            db.dict.bulkStart();
          }
          if (e.expire !== -1) {
            expIdx.push(bulkAdds);
            expKeys.push(e.key);
            expAt.push(e.expire);
          }
          bulkAdds++;
          if (!db.dict.bulkAdd(e.key, e.value, meta)) flush();
          return true;
        }
        // One probe: added, or the key was already there (then replaced: DEBUG RELOAD MERGE).
        if (db.dict.addIfAbsent(e.key, e.value, meta) === null) {
          db.dict.delete(e.key);
          if (db.expires.size > 0) db.expires.delete(e.key);
          db.dict.add(e.key, e.value, meta);
        }
        if (e.expire !== -1) db.expires.set(e.key, e.expire);
        return true;
      },
      flush,
    });
  } finally {
    // A failure that is no load error (a bug) still leaves the dicts whole.
    const pending = bulkDb as Db | null;
    if (pending !== null) {
      pending.dict.bulkEnd();
      bulkDb = null;
    }
    engine.loading = wasLoading;
  }
}

function saveOptions(engine: Engine, functions: readonly string[], aofBase: boolean): RdbSaveOptions {
  return {
    compress: engine.config.getBool('rdbcompression'),
    checksum: engine.config.getBool('rdbchecksum'),
    aofBase,
    ctime: Math.floor(engine.clock.now() / 1000),
    // Asked after the keys are written: a save that finds no memory counts makes them on its walk.
    usedMem: () => usedMemory(engine),
    functions,
  };
}

/** The whole keyspace as an RDB file (a binary string), with this moment's ctime and used-mem. */
export function snapshotRdb(engine: Engine, functions: readonly string[], aofBase = false): string {
  return encodeRdb(engine, saveOptions(engine, functions, aofBase));
}

/** snapshotRdb as the file's bytes. */
export function snapshotRdbBytes(engine: Engine, functions: readonly string[], aofBase = false): Uint8Array {
  return encodeRdbBytes(engine, saveOptions(engine, functions, aofBase));
}
