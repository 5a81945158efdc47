// Writing RDB version 10 exactly as Redis 7.0's rdbSaveRio does (src/rdb.c): header, the five AUX
// fields, function libraries, then per non-empty db SELECTDB + RESIZEDB and every key (EXPIRETIME_MS,
// IDLE or FREQ under an LRU/LFU policy, type, key, value), EOF and the CRC-64 trailer (zeros when
// rdbchecksum is off). Values use the in-memory encoding's RDB type, byte for byte as Redis writes it.

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
import { crc64 } from './crc64';
import * as F from './format';
import { RedisStream } from '../../types/stream';
import { saveStream } from './stream';
import { rdbEncodeLength, rdbEncodeString } from './string-value';

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

const lp = (items: readonly string[]): string => fromBytes(encodeListpack(items));

/** intsetBlob: encoding (u32 LE), length (u32 LE), members at that width, little-endian. */
function intsetBlob(set: RedisSet): string {
  const d = set.describe();
  if (d.encoding !== 'intset') throw new Error('not an intset');
  const width = d.intset.encoding === 'int16' ? 2 : d.intset.encoding === 'int32' ? 4 : 8;
  const u32 = (n: number) => String.fromCharCode(n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff);
  let out = u32(width) + u32(d.intset.length);
  const mod = 1n << BigInt(width * 8);
  for (const s of d.intset.values) {
    let v = BigInt(s);
    if (v < 0n) v += mod;
    for (let i = 0; i < width; i++) out += String.fromCharCode(Number((v >> BigInt(8 * i)) & 0xffn));
  }
  return out;
}

/** rdbSaveBinaryDoubleValue: 8 bytes little-endian IEEE 754. */
function binaryDouble(d: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, d, true);
  let s = '';
  for (let i = 0; i < 8; i++) s += String.fromCharCode(view.getUint8(i));
  return s;
}

/** rdbSaveObject: the value's bytes (without the type byte). */
export function encodeValue(v: RedisValue, compress: boolean): string {
  if (typeof v === 'string') return rdbEncodeString(v, compress);
  if (v instanceof Quicklist) {
    let out = rdbEncodeLength(v.len);
    for (let n = v.head; n !== null; n = n.next) {
      out += rdbEncodeLength(F.QUICKLIST_PACKED) + rdbEncodeString(lp(n.entries), compress);
    }
    return out;
  }
  if (v instanceof RedisSet) {
    if (v.encoding() === 'intset') return rdbEncodeString(intsetBlob(v), compress);
    let out = rdbEncodeLength(v.size);
    for (const m of v.members()) out += rdbEncodeString(m, compress);
    return out;
  }
  if (v instanceof ZSet) {
    if (v.encoding() === 'listpack') {
      const items: string[] = [];
      v.forEach((m, score) => {
        items.push(m, listpackScoreString(score));
      });
      return rdbEncodeString(lp(items), compress);
    }
    // From the greatest to the smallest, so loading always inserts at the head.
    let out = rdbEncodeLength(v.length);
    v.forEachReverse((m, score) => {
      out += rdbEncodeString(m, compress) + binaryDouble(score);
    });
    return out;
  }
  if (v instanceof RedisHash) {
    if (v.encoding() === 'listpack') {
      const items: string[] = [];
      for (const [f, val] of v.entries()) items.push(f, val);
      return rdbEncodeString(lp(items), compress);
    }
    let out = rdbEncodeLength(v.size);
    for (const [f, val] of v.entries()) out += rdbEncodeString(f, compress) + rdbEncodeString(val, compress);
    return out;
  }
  if (v instanceof RedisStream) return saveStream(v, compress);
  throw new Error(`cannot serialize a ${typeOf(v)} value`);
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

function u64le(n: number): string {
  let v = BigInt(Math.trunc(n));
  if (v < 0n) v += 1n << 64n;
  let s = '';
  for (let i = 0; i < 8; i++) s += String.fromCharCode(Number((v >> BigInt(8 * i)) & 0xffn));
  return s;
}

const aux = (key: string, value: string, compress: boolean): string =>
  String.fromCharCode(F.RDB_OPCODE_AUX) + rdbEncodeString(key, compress) + rdbEncodeString(value, compress);

/** The per-key LRU/LFU opcode under an LRU or LFU maxmemory-policy (rdbSaveKeyValuePair). */
function policyOpcode(engine: Engine, meta: number, policy: string): string {
  if (policy.endsWith('-lru')) {
    const idle = Math.floor(estimateIdleTime(engine, meta) / 1000);
    return String.fromCharCode(F.RDB_OPCODE_IDLE) + rdbEncodeLength(idle);
  }
  if (policy.endsWith('-lfu')) return String.fromCharCode(F.RDB_OPCODE_FREQ, lfuDecrAndReturn(engine, meta));
  return '';
}

/** rdbSaveDb: nothing for an empty db. */
function encodeDb(engine: Engine, db: Db, compress: boolean, out: string[]): void {
  if (db.dict.size === 0) return;
  out.push(
    String.fromCharCode(F.RDB_OPCODE_SELECTDB) + rdbEncodeLength(db.id),
    String.fromCharCode(F.RDB_OPCODE_RESIZEDB) + rdbEncodeLength(db.dict.size) + rdbEncodeLength(db.expires.size),
  );
  const policy = engine.config.get('maxmemory-policy');
  for (const e of db.dict.entries()) {
    let rec = '';
    const when = db.expires.size > 0 ? db.expires.get(e.key) : undefined;
    if (when !== undefined) rec += String.fromCharCode(F.RDB_OPCODE_EXPIRETIME_MS) + u64le(when);
    rec += policyOpcode(engine, e.meta, policy);
    rec += String.fromCharCode(rdbValueType(e.val)) + rdbEncodeString(e.key, compress) + encodeValue(e.val, compress);
    out.push(rec);
  }
}

/** rdbSaveRio: the whole file as a binary string. */
export function encodeRdb(engine: Engine, opts: RdbSaveOptions): string {
  const c = opts.compress;
  const out: string[] = [
    `REDIS${String(F.RDB_VERSION).padStart(4, '0')}`,
    aux('redis-ver', '7.0.15', c),
    aux('redis-bits', '64', c),
    aux('ctime', String(opts.ctime), c),
    aux('used-mem', String(opts.usedMem), c),
    aux('aof-base', opts.aofBase ? '1' : '0', c),
  ];
  for (const f of opts.functions ?? []) out.push(String.fromCharCode(F.RDB_OPCODE_FUNCTION2) + rdbEncodeString(f, c));
  for (const db of engine.dbs) encodeDb(engine, db, c, out);
  out.push(String.fromCharCode(F.RDB_OPCODE_EOF));
  const body = out.join('');
  if (!opts.checksum) return `${body}\0\0\0\0\0\0\0\0`;
  const crc = crc64(body);
  let trailer = '';
  for (let i = 0n; i < 8n; i++) trailer += String.fromCharCode(Number((crc >> (8n * i)) & 0xffn));
  return body + trailer;
}

/** createDumpPayload's body for any value: type byte + rdbSaveObject (DUMP, MIGRATE). */
export function encodeObject(v: RedisValue, compress: boolean): string {
  return String.fromCharCode(rdbValueType(v)) + encodeValue(v, compress);
}
