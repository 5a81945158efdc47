// Writing RDB version 10 exactly as Redis 7.0's rdbSaveRio does (src/rdb.c): header, the five AUX
// fields, function libraries, then per non-empty db SELECTDB + RESIZEDB and every key (EXPIRETIME_MS,
// IDLE or FREQ under an LRU/LFU policy, type, key, value), EOF and the CRC-64 trailer (zeros when
// rdbchecksum is off). Values use the in-memory encoding's RDB type, byte for byte as Redis writes it,
// into one growable byte buffer (writer.ts).

import type { Engine } from '../../engine';
import { type Db, type RedisValue, typeOf } from '../../keyspace/db';
import { estimateIdleTime, lfuDecrAndReturn } from '../../keyspace/evict';
import { fromBytes } from '../../protocol/binary';
import { RedisHash } from '../../types/hash';
import { encodeListpack } from '../../types/listpack';
import { Quicklist } from '../../types/quicklist';
import { RedisSet } from '../../types/set';
import { ZSet } from '../../types/zset';
import { listpackScoreString } from '../../types/zset-listpack';
import { crc64Update } from './crc64';
import * as F from './format';
import { RedisStream } from '../../types/stream';
import { saveStream } from './stream';
import { ByteWriter } from './writer';

/** The RDB type byte for a value in its current encoding (rdbSaveObjectType). */
export function rdbValueType(v: RedisValue): number {
  if (typeof v === 'string') return F.RDB_TYPE_STRING;
  switch (v.type) {
    case 'list':
      return F.RDB_TYPE_LIST_QUICKLIST_2;
    case 'set':
      return v.encoding() === 'intset' ? F.RDB_TYPE_SET_INTSET : F.RDB_TYPE_SET;
    case 'zset':
      return v.encoding() === 'listpack' ? F.RDB_TYPE_ZSET_LISTPACK : F.RDB_TYPE_ZSET_2;
    case 'hash':
      return v.encoding() === 'listpack' ? F.RDB_TYPE_HASH_LISTPACK : F.RDB_TYPE_HASH;
    case 'stream':
      return F.RDB_TYPE_STREAM_LISTPACKS_2;
  }
}

/** intsetBlob: encoding (u32 LE), length (u32 LE), members at that width, little-endian. */
function intsetBytes(set: RedisSet): Uint8Array {
  const blobLen = set.intsetBytes();
  if (blobLen === undefined) throw new Error('not an intset');
  const count = set.size;
  const width = (blobLen - 8) / count;
  const out = new Uint8Array(blobLen);
  const view = new DataView(out.buffer);
  view.setUint32(0, width, true);
  view.setUint32(4, count, true);
  let p = 8;
  // Ascending, as the intset stores them.
  for (const m of set.members()) {
    if (width === 2) view.setInt16(p, Number(m), true);
    else if (width === 4) view.setInt32(p, Number(m), true);
    else view.setBigInt64(p, BigInt(m), true);
    p += width;
  }
  return out;
}

/** rdbSaveObject: the value's bytes (without the type byte). */
function writeValue(w: ByteWriter, v: RedisValue, compress: boolean): void {
  if (typeof v === 'string') {
    w.string(v, compress);
    return;
  }
  if (v instanceof Quicklist) {
    w.length(v.len);
    for (let n = v.head; n !== null; n = n.next) {
      w.length(F.QUICKLIST_PACKED);
      w.blob(encodeListpack(n.entries), compress);
    }
    return;
  }
  if (v instanceof RedisSet) {
    if (v.encoding() === 'intset') {
      w.blob(intsetBytes(v), compress);
      return;
    }
    w.length(v.size);
    for (const m of v.members()) w.string(m, compress);
    return;
  }
  if (v instanceof ZSet) {
    if (v.encoding() === 'listpack') {
      const items: string[] = [];
      v.forEach((m, score) => {
        items.push(m, listpackScoreString(score));
      });
      w.blob(encodeListpack(items), compress);
      return;
    }
    // From the greatest to the smallest, so loading always inserts at the head.
    w.length(v.length);
    v.forEachReverse((m, score) => {
      w.string(m, compress);
      w.double(score);
    });
    return;
  }
  if (v instanceof RedisHash) {
    if (v.encoding() === 'listpack') {
      const items: string[] = [];
      for (const [f, val] of v.entries()) items.push(f, val);
      w.blob(encodeListpack(items), compress);
      return;
    }
    w.length(v.size);
    for (const [f, val] of v.entries()) {
      w.string(f, compress);
      w.string(val, compress);
    }
    return;
  }
  if (v instanceof RedisStream) {
    w.latin1(saveStream(v, compress));
    return;
  }
  throw new Error(`cannot serialize a ${typeOf(v)} value`);
}

/** rdbSaveObject: the value's bytes (without the type byte), as a binary string. */
export function encodeValue(v: RedisValue, compress: boolean): string {
  const w = new ByteWriter(256);
  writeValue(w, v, compress);
  return fromBytes(w.buf, 0, w.pos);
}

/** What varies between saves: the clock, memory figure, flags (rdbSaveInfoAuxFields). */
export interface RdbSaveOptions {
  /** rdbcompression */
  compress: boolean;
  /** rdbchecksum */
  checksum: boolean;
  /** RDBFLAGS_AOF_PREAMBLE: aof-base = 1. */
  aofBase: boolean;
  /** ctime, in seconds. */
  ctime: number;
  /** used-mem */
  usedMem: number;
  /** Function library payloads to save (FUNCTION2). */
  functions?: readonly string[];
}

/** An AUX field: opcode, key, value. */
function aux(w: ByteWriter, key: string, value: string, compress: boolean): void {
  w.byte(F.RDB_OPCODE_AUX);
  w.string(key, compress);
  w.string(value, compress);
}

/** The per-key LRU/LFU opcode under an LRU or LFU maxmemory-policy (rdbSaveKeyValuePair). */
function writePolicyOpcode(w: ByteWriter, engine: Engine, meta: number, lru: boolean): void {
  if (lru) {
    const idle = Math.floor(estimateIdleTime(engine, meta) / 1000);
    w.byte(F.RDB_OPCODE_IDLE);
    w.length(idle);
  } else {
    w.byte(F.RDB_OPCODE_FREQ);
    w.byte(lfuDecrAndReturn(engine, meta));
  }
}

/** rdbSaveDb: nothing for an empty db. */
function writeDb(w: ByteWriter, engine: Engine, db: Db, compress: boolean): void {
  if (db.dict.size === 0) return;
  w.byte(F.RDB_OPCODE_SELECTDB);
  w.length(db.id);
  w.byte(F.RDB_OPCODE_RESIZEDB);
  w.length(db.dict.size);
  w.length(db.expires.size);
  const policy = engine.config.get('maxmemory-policy');
  const lru = policy.endsWith('-lru');
  const withPolicy = lru || policy.endsWith('-lfu');
  const expires = db.expires;
  for (const e of db.dict.entries()) {
    if (expires.size > 0) {
      const when = expires.get(e.key);
      if (when !== undefined) {
        w.byte(F.RDB_OPCODE_EXPIRETIME_MS);
        w.int64(when);
      }
    }
    if (withPolicy) writePolicyOpcode(w, engine, e.meta, lru);
    w.byte(rdbValueType(e.val));
    w.string(e.key, compress);
    writeValue(w, e.val, compress);
  }
}

/** rdbSaveRio: the whole file as bytes. */
export function encodeRdbBytes(engine: Engine, opts: RdbSaveOptions): Uint8Array {
  const c = opts.compress;
  const w = new ByteWriter(1 << 20);
  w.latin1(`REDIS${String(F.RDB_VERSION).padStart(4, '0')}`);
  aux(w, 'redis-ver', '7.0.15', c);
  aux(w, 'redis-bits', '64', c);
  aux(w, 'ctime', String(opts.ctime), c);
  aux(w, 'used-mem', String(opts.usedMem), c);
  aux(w, 'aof-base', opts.aofBase ? '1' : '0', c);
  for (const f of opts.functions ?? []) {
    w.byte(F.RDB_OPCODE_FUNCTION2);
    w.string(f, c);
  }
  for (const db of engine.dbs) writeDb(w, engine, db, c);
  w.byte(F.RDB_OPCODE_EOF);
  // The CRC-64 trailer, little endian (zeros when rdbchecksum is off).
  const crc = opts.checksum ? crc64Update({ hi: 0, lo: 0 }, w.buf, 0, w.pos) : { hi: 0, lo: 0 };
  w.ensure(8);
  const view = new DataView(w.buf.buffer);
  view.setUint32(w.pos, crc.lo, true);
  view.setUint32(w.pos + 4, crc.hi, true);
  w.pos += 8;
  return w.result();
}

/** rdbSaveRio: the whole file as a binary string. */
export function encodeRdb(engine: Engine, opts: RdbSaveOptions): string {
  return fromBytes(encodeRdbBytes(engine, opts));
}

/** createDumpPayload's body for any value: type byte + rdbSaveObject (DUMP, MIGRATE). */
export function encodeObject(v: RedisValue, compress: boolean): string {
  const w = new ByteWriter(256);
  w.byte(rdbValueType(v));
  writeValue(w, v, compress);
  return fromBytes(w.buf, 0, w.pos);
}
