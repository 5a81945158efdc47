// Writing RDB version 10 exactly as Redis 7.0's rdbSaveRio does (src/rdb.c): header, the five AUX
// fields, function libraries, then per non-empty db SELECTDB + RESIZEDB and every key (EXPIRETIME_MS,
// IDLE or FREQ under an LRU/LFU policy, type, key, value), EOF and the CRC-64 trailer (zeros when
// rdbchecksum is off). Values use the in-memory encoding's RDB type, byte for byte as Redis writes it,
// into one growable byte buffer (writer.ts).

import { REDIS_VERSION } from '../../version';
import type { Engine } from '../../engine';
import { type Db, type RedisValue, typeOf } from '../../keyspace/db';
import { estimateIdleTime, lfuDecrAndReturn } from '../../keyspace/evict';
import { countEntry, countPackedEntry, countsWanted, keepCounts } from '../../keyspace/memory';
import { fromBytes } from '../../protocol/binary';
import { RedisHash } from '../../types/hash';
import { Quicklist } from '../../types/quicklist';
import { RedisSet } from '../../types/set';
import { listpackScoreString, ZSet } from '../../types/zset';
import { crc64Update } from './crc64';
import * as F from './format';
import { RedisStream } from '../../types/stream';
import { saveStream } from './stream';
import { ListpackBuilder } from './listpack-codec';
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

/** The scratch buffer every listpack and intset blob is built in before it is written. */
const lp = new ListpackBuilder();

/** A 32-bit little-endian value at buf[p]. */
function u32(buf: Uint8Array, p: number, v: number): void {
  buf[p] = v & 0xff;
  buf[p + 1] = (v >>> 8) & 0xff;
  buf[p + 2] = (v >>> 16) & 0xff;
  buf[p + 3] = (v >>> 24) & 0xff;
}

/** intsetBlob into the scratch: encoding (u32 LE), length (u32 LE), members at that width, little-endian. */
function intsetInto(set: RedisSet): number {
  const is = set.intset();
  if (is === undefined) throw new Error('not an intset');
  const count = is.length;
  const width = is.encoding;
  const len = 8 + count * width;
  lp.begin();
  lp.pos = 0;
  const buf = lp.room(len);
  u32(buf, 0, width);
  u32(buf, 4, count);
  // Ascending, as the intset stores them.
  let p = 8;
  for (let i = 0; i < count; i++) {
    const m = is.get(i);
    if (width === 2) {
      buf[p] = (m as number) & 0xff;
      buf[p + 1] = ((m as number) >> 8) & 0xff;
    } else if (width === 4) u32(buf, p, m as number);
    else if (typeof m === 'number') {
      const hi = Math.floor(m / 0x100000000);
      u32(buf, p, m - hi * 0x100000000);
      u32(buf, p + 4, hi);
    } else {
      const u = BigInt.asUintN(64, m);
      u32(buf, p, Number(u & 0xffffffffn));
      u32(buf, p + 4, Number(u >> 32n));
    }
    p += width;
  }
  return len;
}

/** A zset listpack's member and score entries. */
const addZsetPair = (m: string, score: number): void => {
  lp.add(m);
  // zzlInsertAt stores d2string's text, which the listpack keeps as an integer when integral.
  if (Number.isSafeInteger(score)) lp.int(score);
  else lp.add(listpackScoreString(score));
};

// The writer and rdbcompression of the value being written, for the callbacks below: module-level
// functions rather than closures made per value (a million keys would make a million closures).
let out = new ByteWriter(16);
let comp = false;
const writeMember = (m: string): void => out.string(m, comp);
const writePair = (f: string, v: string): void => {
  out.string(f, comp);
  out.string(v, comp);
};
const writeZsetEntry = (m: string, score: number): void => {
  out.string(m, comp);
  out.double(score);
};
const addPair = (f: string, v: string): void => {
  lp.add(f);
  lp.add(v);
};

/**
 * The byte length of the listpack or intset blob writeValue just wrote, or -1: that value's memory is
 * one allocation of exactly those bytes (the memory count of a save reads it, countPackedEntry).
 */
let packed = -1;

/** rdbSaveObject: the value's bytes (without the type byte). */
function writeValue(w: ByteWriter, v: RedisValue, compress: boolean): void {
  out = w;
  comp = compress;
  packed = -1;
  if (typeof v === 'string') {
    w.string(v, compress);
    return;
  }
  if (v instanceof Quicklist) {
    w.length(v.len);
    for (let n = v.head; n !== null; n = n.next) {
      w.length(F.QUICKLIST_PACKED);
      lp.begin();
      const entries = n.entries;
      for (let i = 0; i < entries.length; i++) lp.add(entries[i]);
      w.blobFrom(lp.buf, lp.end(), compress);
    }
    return;
  }
  if (v instanceof RedisSet) {
    if (v.encoding() === 'intset') {
      packed = intsetInto(v);
      w.blobFrom(lp.buf, packed, compress);
      return;
    }
    w.length(v.size);
    v.forEachMember(writeMember);
    return;
  }
  if (v instanceof ZSet) {
    if (v.encoding() === 'listpack') {
      lp.begin();
      v.forEach(addZsetPair);
      packed = lp.end();
      w.blobFrom(lp.buf, packed, compress);
      return;
    }
    // From the greatest to the smallest, so loading always inserts at the head.
    w.length(v.length);
    v.forEachReverse(writeZsetEntry);
    return;
  }
  if (v instanceof RedisHash) {
    if (v.encoding() === 'listpack') {
      lp.begin();
      v.forEach(addPair);
      packed = lp.end();
      w.blobFrom(lp.buf, packed, compress);
      return;
    }
    w.length(v.size);
    v.forEach(writePair);
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
  /**
   * used-mem; a function is asked after the keys are written (the header is then put before them),
   * and that walk counts the memory of each db with no counts kept (keyspace/memory.ts countEntry).
   */
  usedMem: number | (() => number);
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

/** rdbSaveDb: nothing for an empty db. `count`: count each key's memory on the way (countEntry). */
function writeDb(w: ByteWriter, engine: Engine, db: Db, compress: boolean, count: boolean): void {
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
  const streams = new Set<string>();
  let data = 0;
  db.dict.forEachBatched((e) => {
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
    keysWritten++;
    // While the key and its value are at hand (a walk of its own would fetch them all again).
    if (count) data += packed >= 0 ? countPackedEntry(e, packed) : countEntry(e, streams);
  });
  if (count) keepCounts(db, data, streams);
}

/** The last file's size: the next save's first guess, so a big keyspace isn't copied as its buffer doubles. */
let lastFileSize = 0;
/** Keys written so far by the save under way (its buffer's growth extrapolates from them). */
let keysWritten = 0;

/** The magic, the AUX fields and the function libraries: everything before the first db. */
function writeHeader(w: ByteWriter, opts: RdbSaveOptions, usedMem: number): void {
  const c = opts.compress;
  w.latin1(`REDIS${String(F.RDB_VERSION).padStart(4, '0')}`);
  aux(w, 'redis-ver', REDIS_VERSION, c);
  aux(w, 'redis-bits', '64', c);
  aux(w, 'ctime', String(opts.ctime), c);
  aux(w, 'used-mem', String(usedMem), c);
  aux(w, 'aof-base', opts.aofBase ? '1' : '0', c);
  for (const f of opts.functions ?? []) {
    w.byte(F.RDB_OPCODE_FUNCTION2);
    w.string(f, c);
  }
}

/** Room for a used-mem beyond the header written with used-mem 0 (2 bytes): up to 20 digits and their length. */
const USED_MEM_ROOM = 24;

/** rdbSaveRio: the whole file as bytes. */
export function encodeRdbBytes(engine: Engine, opts: RdbSaveOptions): Uint8Array {
  const c = opts.compress;
  const usedMem = opts.usedMem;
  let keys = 0;
  for (const db of engine.dbs) keys += db.dict.size;
  // The last file's size and a tenth, or a first piece that the keys written in it extrapolate from.
  const w = new ByteWriter(
    lastFileSize > 0 ? Math.ceil(lastFileSize * 1.1) + (1 << 16) : Math.max(1 << 16, Math.min(keys * 32, 1 << 22)),
  );
  keysWritten = 0;
  w.estimate = () => (keysWritten > 0 ? Math.ceil((w.pos / keysWritten) * keys * 1.1) + (1 << 16) : 0);
  // A used-mem asked for after the keys: they are written after room for the header, which then
  // goes right before them (its size depends on the figure).
  let start = 0;
  if (typeof usedMem === 'number') writeHeader(w, opts, usedMem);
  else {
    writeHeader(w, opts, 0);
    w.ensure(USED_MEM_ROOM);
    w.pos += USED_MEM_ROOM;
  }
  const room = w.pos;
  for (const db of engine.dbs) writeDb(w, engine, db, c, typeof usedMem !== 'number' && countsWanted(db));
  if (typeof usedMem !== 'number') {
    const head = new ByteWriter(room);
    writeHeader(head, opts, usedMem());
    start = room - head.pos;
    w.buf.set(head.buf.subarray(0, head.pos), start);
  }
  w.byte(F.RDB_OPCODE_EOF);
  // The CRC-64 trailer, little endian (zeros when rdbchecksum is off).
  const crc = opts.checksum ? crc64Update({ hi: 0, lo: 0 }, w.buf, start, w.pos) : { hi: 0, lo: 0 };
  w.ensure(8);
  const view = new DataView(w.buf.buffer);
  view.setUint32(w.pos, crc.lo, true);
  view.setUint32(w.pos + 4, crc.hi, true);
  w.pos += 8;
  lastFileSize = w.pos - start;
  return w.buf.subarray(start, w.pos);
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
