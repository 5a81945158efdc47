// rdbLoadObject for every value type Redis 7.0 loads (src/rdb.c): current encodings (quicklist 2 of
// listpacks, intset, listpack hashes and zsets, ZSET_2 binary scores, streams) and the older ones still
// accepted (linked lists, ziplists, zipmaps, quicklist of ziplists, text-score zsets), with the same
// integrity checks, error messages and conversions after load (a shrunk hash back to a listpack...).

import { parseLongLong } from '../../commands/args';
import type { RedisValue } from '../../keyspace/db';
import { RedisHash } from '../../types/hash';
import { Quicklist } from '../../types/quicklist';
import { Intset, type IntsetEncoding, type IntsetValue } from '../../types/intset';
import { RedisSet } from '../../types/set';
import { ZSet, type ZSetEnv } from '../../types/zset';
import { plainDecimal, strtod } from '../../util/strtod';
import * as F from './format';
import { valueError } from './format';
import { decodeZiplist, decodeZiplistPairs, decodeZipmap } from './legacy';
import { ListpackError, readListpackText } from './listpack-codec';
import { loadStream } from './stream';
import { RdbFormatError, type RdbReader, RdbShortReadError } from './string-value';

/** What loading needs from the server: thresholds, randomness for skip-list levels, the hash seed. */
export interface LoadEnv extends ZSetEnv {
  readonly config: { getInt(name: string): number };
}

/**
 * What deep sanitization (redis-check-rdb runs with sanitize-dump-payload yes) would object to in a
 * value the server itself accepts: unsorted or repeated intset members, repeated listpack fields.
 */
export interface DeepCheck {
  issue: boolean;
}

/** The value, or 'empty' for an empty collection (rdbLoadObject's RDB_LOAD_ERR_EMPTY_KEY). */
export type LoadedValue = RedisValue | 'empty';

const NO_LIMITS = { maxEntries: Number.POSITIVE_INFINITY, maxValue: Number.POSITIVE_INFINITY };

/** The seed of a loaded hash's dict. */
const hashSeedOf = (env: LoadEnv): number => env.hashSeed ^ 0x68617368;
export const newHash = (env: LoadEnv): RedisHash => new RedisHash(hashSeedOf(env));
const setSeedOf = (env: LoadEnv): number => (env.hashSeed ^ 0x73657473) >>> 0;
export const newSet = (env: LoadEnv, hashtable: boolean): RedisSet => new RedisSet(setSeedOf(env), hashtable);
export const newList = (t: LoadThresholds): Quicklist => new Quicklist(t.listFill, t.listCompress);

/** The config a load builds values by, read once per file (a million config lookups otherwise). */
export interface LoadThresholds {
  readonly listFill: number;
  readonly listCompress: number;
  readonly setMaxIntset: number;
  readonly hashMaxEntries: number;
  readonly hashMaxValue: number;
  readonly zsetMaxEntries: number;
}

export function loadThresholds(env: LoadEnv): LoadThresholds {
  const cfg = env.config;
  return {
    listFill: cfg.getInt('list-max-listpack-size'),
    listCompress: cfg.getInt('list-compress-depth'),
    setMaxIntset: cfg.getInt('set-max-intset-entries'),
    hashMaxEntries: cfg.getInt('hash-max-listpack-entries'),
    hashMaxValue: cfg.getInt('hash-max-listpack-value'),
    zsetMaxEntries: cfg.getInt('zset-max-listpack-entries'),
  };
}

/**
 * lpValidateIntegrity(deep=0) — null when it fails — then the elements of the listpack in s[start, end)
 * (a blob read by RdbReader.blobText); a blob that passes the shallow check but can't be decoded is a DeepCorruption
 * (Redis would load it as is). The array has spare room from its pushes: a value that keeps it keeps
 * a slice() of exactly its length.
 */
function readListpack(s: string, start: number, end: number, message: string): string[] | null {
  if (end - start < 7) return null;
  const total =
    (s.charCodeAt(start) | (s.charCodeAt(start + 1) << 8) | (s.charCodeAt(start + 2) << 16)) +
    s.charCodeAt(start + 3) * 0x1000000;
  if (total !== end - start || s.charCodeAt(end - 1) !== 0xff) return null;
  try {
    return readListpackText(s, start, end);
  } catch (err) {
    if (!(err instanceof ListpackError)) throw err;
    throw new F.DeepCorruption(message);
  }
}

/**
 * Field names repeat from one hash to the next (objects of one schema): a load keeps one string per
 * short name instead of one per hash (fewer objects for the young generation to copy). Names under
 * 13 bytes only, which V8 copies out of the file's text rather than slicing it, so the table never
 * keeps a file alive.
 */
const FIELD_NAMES = new Map<string, string>();

/** items (field, value, ...) as an array of exactly its length, its short field names shared. */
function sharedFields(items: string[]): string[] {
  const out = items.slice();
  for (let i = 0; i < out.length; i += 2) {
    const f = out[i];
    if (f.length > 12) continue;
    const known = FIELD_NAMES.get(f);
    if (known !== undefined) out[i] = known;
    else {
      if (FIELD_NAMES.size >= 4096) FIELD_NAMES.clear();
      FIELD_NAMES.set(f, f);
    }
  }
  return out;
}

/** The width the widest member of the last readIntset needs (2, 4 or 8), and whether it was strictly ascending. */
let intsetNeeded = 2;
let intsetSorted = true;

/** intsetValidateIntegrity(deep=0) + the members (numbers; bigints only beyond ±2^53), widest in intsetNeeded. */
function readIntset(b: Uint8Array, deep: DeepCheck): IntsetValue[] | null {
  if (b.length < 8) return null;
  const width = (b[0] | (b[1] << 8) | (b[2] << 16)) + b[3] * 0x1000000;
  if (width !== 2 && width !== 4 && width !== 8) return null;
  const count = (b[4] | (b[5] << 8) | (b[6] << 16)) + b[7] * 0x1000000;
  if (count === 0 || 8 + count * width !== b.length) return null;
  const members: IntsetValue[] = [];
  let needed = 2;
  let prev: IntsetValue = 0;
  intsetSorted = true;
  for (let i = 0; i < count; i++) {
    const p = 8 + i * width;
    let v: IntsetValue;
    if (width === 2) v = ((b[p] | (b[p + 1] << 8)) << 16) >> 16;
    else {
      const lo = b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24);
      if (width === 4) v = lo;
      else {
        const hi = b[p + 4] | (b[p + 5] << 8) | (b[p + 6] << 16) | (b[p + 7] << 24);
        const n = hi * 0x100000000 + (lo >>> 0);
        v = Number.isSafeInteger(n) ? n : (BigInt(hi) << 32n) | BigInt(lo >>> 0);
      }
    }
    if (i > 0 && !(v > prev)) {
      deep.issue = true;
      intsetSorted = false;
    }
    prev = v;
    if (v < -32768 || v > 32767) needed = Math.max(needed, v < -2147483648 || v > 2147483647 ? 8 : 4);
    members.push(v);
  }
  intsetNeeded = needed;
  return members;
}

const WIDTH_RANK: Record<string, number> = { int16: 2, int32: 4, int64: 8 };

/**
 * The intset blob is kept as loaded, so its width stays the stored one even when its members would fit
 * a narrower one (a wide member was removed): widen ours the same way, by adding and removing a value
 * of that width (an intset never narrows).
 */
function keepIntsetWidth(s: RedisSet, width: number): void {
  const d = s.describe();
  if (d.encoding !== 'intset' || WIDTH_RANK[d.intset.encoding] >= width) return;
  const candidates = width === 4 ? ['2147483647', '-2147483648'] : ['9223372036854775807', '-9223372036854775808'];
  const probe = candidates.find((v) => !s.has(v));
  if (probe === undefined) return;
  s.add(probe, Number.POSITIVE_INFINITY);
  s.remove(probe);
}

/** lpPairsValidateIntegrityAndDups' duplicate check over field/member positions: true when one repeats. */
function checkPairDups(items: readonly string[], deep: DeepCheck): boolean {
  if (items.length <= 64) {
    // Small listpacks (the usual case): pairwise, without a Set per value.
    for (let i = 2; i < items.length; i += 2) {
      for (let j = 0; j < i; j += 2) {
        if (items[i] === items[j]) {
          deep.issue = true;
          return true;
        }
      }
    }
    return false;
  }
  const seen = new Set<string>();
  let dup = false;
  for (let i = 0; i < items.length; i += 2) {
    if (seen.has(items[i])) dup = true;
    seen.add(items[i]);
  }
  if (dup) deep.issue = true;
  return dup;
}

/**
 * zzlGetScore: an integer entry, or strtod of the text. Plain decimals up to 15 digits go through its
 * exact fast path; the longer ones a listpack usually holds (%.17g) are read by Number, which rounds a
 * plain decimal correctly as strtod does (strtod itself hands the digits to Number); the rest to strtod.
 */
function listpackScore(s: string): number {
  // Both round the same decimal correctly: the long ones go to Number without the fast path's try.
  if (s.length > 16 && isPlainDecimal(s)) return Number(s);
  const v = plainDecimal(s);
  if (!Number.isNaN(v)) return v;
  return isPlainDecimal(s) ? Number(s) : strtod(s).value;
}

/** -?digits[.digits]: nothing Number and strtod read differently (no spaces, signs, exponents, words). */
function isPlainDecimal(s: string): boolean {
  const len = s.length;
  let i = s.charCodeAt(0) === 45 ? 1 : 0;
  if (i >= len || s.charCodeAt(i) === 46) return false;
  let point = false;
  for (; i < len; i++) {
    const c = s.charCodeAt(i);
    if (c === 46 && !point && i + 1 < len) point = true;
    else if (c < 48 || c > 57) return false;
  }
  return true;
}

/** rdbLoadDoubleValue (RDB_TYPE_ZSET): a length byte (253 nan, 254 inf, 255 -inf) then ASCII. */
function loadTextDouble(r: RdbReader): number {
  const len = r.byte();
  if (len === 253) return Number.NaN;
  if (len === 254) return Number.POSITIVE_INFINITY;
  if (len === 255) return Number.NEGATIVE_INFINITY;
  return strtod(r.bytes(len)).value;
}

const DOUBLE = new DataView(new ArrayBuffer(8));

function loadBinaryDouble(r: RdbReader): number {
  const s = r.bytes(8);
  for (let i = 0; i < 8; i++) DOUBLE.setUint8(i, s.charCodeAt(i));
  return DOUBLE.getFloat64(0, true);
}

/** A set from its members as type 2 loads them: intset until a non-integer (or too many) appears. */
function loadSet(r: RdbReader, env: LoadEnv, t: LoadThresholds): LoadedValue {
  const len = r.len();
  if (len === 0) return 'empty';
  const maxIntset = Math.min(t.setMaxIntset, 1 << 30);
  const set = newSet(env, len > maxIntset);
  let intset = set.encoding() === 'intset';
  for (let i = 0; i < len; i++) {
    const m = r.string();
    if (intset && parseLongLong(m) !== null) {
      if (!set.add(m, Number.POSITIVE_INFINITY)) throw valueError('Duplicate set members detected#intset');
      continue;
    }
    if (intset) {
      set.convertToHashtable();
      intset = false;
    }
    if (!set.add(m, 0)) throw valueError('Duplicate set members detected');
  }
  return set;
}

function loadZset(r: RdbReader, env: LoadEnv, binary: boolean): LoadedValue {
  const len = r.len();
  if (len === 0) return 'empty';
  const z = new ZSet(env, true);
  let maxLen = 0;
  for (let i = 0; i < len; i++) {
    const m = r.string();
    const score = binary ? loadBinaryDouble(r) : loadTextDouble(r);
    if (Number.isNaN(score)) throw valueError('Zset with NAN score detected');
    if (m.length > maxLen) maxLen = m.length;
    if (z.has(m)) throw valueError('Duplicate zset fields detected');
    z.insertNew(m, score);
  }
  z.convertToListpackIfNeeded(maxLen);
  return z;
}

function loadHash(r: RdbReader, env: LoadEnv, t: LoadThresholds): LoadedValue {
  const len = r.len();
  if (len === 0) return 'empty';
  const h = newHash(env);
  const limits = {
    maxEntries: Number.POSITIVE_INFINITY,
    maxValue: t.hashMaxValue,
  };
  if (len > t.hashMaxEntries) h.convertToHashtable();
  for (let i = 0; i < len; i++) {
    const f = r.string();
    const v = r.string();
    const wasListpack = h.encoding() === 'listpack';
    // LAB: a listpack-sized hash with duplicate fields (only caught by sanitize-dump-payload) keeps the last value.
    if (h.set(f, v, limits) && !wasListpack) throw valueError('Duplicate hash fields detected');
    if (wasListpack && h.encoding() === 'hashtable' && h.size !== i + 1)
      throw valueError('Duplicate hash fields detected#listpack');
  }
  return h;
}

function loadQuicklist(r: RdbReader, t: LoadThresholds, v2: boolean): LoadedValue {
  const len = r.len();
  if (len === 0) return 'empty';
  const q = newList(t);
  let corrupt: F.DeepCorruption | null = null;
  for (let i = 0; i < len; i++) {
    let container = F.QUICKLIST_PACKED;
    if (v2) {
      container = r.len();
      if (container !== F.QUICKLIST_PACKED && container !== F.QUICKLIST_PLAIN)
        throw valueError('Quicklist integrity check failed.');
    }
    if (container === F.QUICKLIST_PLAIN) {
      const data = r.string();
      // An empty node payload fails like a short read (rdbLoadObject returns NULL).
      if (data.length === 0) throw new RdbShortReadError('empty quicklist node');
      // LAB: a PLAIN node (an element over the 1 GB packed threshold) becomes a one-element packed node.
      q.appendNode([data]);
      continue;
    }
    const data = v2 ? r.blobText() : r.string();
    const start = v2 ? r.blobStart : 0;
    const end = v2 ? r.blobEnd : data.length;
    if (end === start) throw new RdbShortReadError('empty quicklist node');
    let items: string[] | null;
    try {
      items = v2 ? readListpack(data, start, end, 'Listpack integrity check failed.') : decodeZiplist(data);
    } catch (err) {
      // Kept as is by Redis: read the remaining nodes, then report.
      if (!(err instanceof F.DeepCorruption)) throw err;
      corrupt = err;
      continue;
    }
    if (items === null) throw valueError(v2 ? 'Listpack integrity check failed.' : 'Ziplist integrity check failed.');
    if (items.length > 0) q.appendNode(v2 ? items.slice() : items);
  }
  if (corrupt !== null) throw corrupt;
  return q.count === 0 ? 'empty' : q;
}

/** The blob types: zipmap, ziplist list, intset, ziplist/listpack zset and hash. */
function loadBlob(type: number, r: RdbReader, env: LoadEnv, deep: DeepCheck, t: LoadThresholds): LoadedValue {
  switch (type) {
    case F.RDB_TYPE_HASH_ZIPMAP: {
      const zm = decodeZipmap(r.string());
      if (!zm.ok) {
        if (zm.dupLen !== undefined)
          throw valueError('Hash zipmap with dup elements, or big length', ` (${zm.dupLen})`);
        throw valueError('Zipmap integrity check failed.');
      }
      const h = newHash(env);
      for (let i = 0; i < zm.pairs.length; i += 2) h.set(zm.pairs[i], zm.pairs[i + 1], NO_LIMITS);
      if (h.size > t.hashMaxEntries || zm.maxLen > t.hashMaxValue) h.convertToHashtable();
      return h;
    }
    case F.RDB_TYPE_LIST_ZIPLIST: {
      const items = decodeZiplist(r.string());
      if (items === null) throw valueError('List ziplist integrity check failed.');
      if (items.length === 0) return 'empty';
      const q = newList(t);
      for (const it of items) q.pushTail(it);
      return q;
    }
    case F.RDB_TYPE_SET_INTSET: {
      const blob = r.blob();
      const members = readIntset(blob, deep);
      if (members === null) throw valueError('Intset integrity check failed.');
      let s: RedisSet;
      // Sorted and distinct (the usual case): the members as they are, at the stored width.
      if (intsetSorted) s = RedisSet.fromIntset(setSeedOf(env), Intset.fromSorted(members, blob[0] as IntsetEncoding));
      else {
        s = newSet(env, false);
        for (let i = 0; i < members.length; i++) s.add(String(members[i]), Number.POSITIVE_INFINITY);
        // A fresh intset is as wide as its widest member: only a wider stored width needs keeping.
        if (intsetNeeded < blob[0]) keepIntsetWidth(s, blob[0]);
      }
      if (s.size > t.setMaxIntset) s.convertToHashtable();
      return s;
    }
    case F.RDB_TYPE_ZSET_ZIPLIST:
    case F.RDB_TYPE_ZSET_LISTPACK: {
      const zip = type === F.RDB_TYPE_ZSET_ZIPLIST;
      const message = zip ? 'Zset ziplist integrity check failed.' : 'Zset listpack integrity check failed.';
      const items = zip ? decodeZiplistPairs(r.string()) : readListpack(r.blobText(), r.blobStart, r.blobEnd, message);
      if (items === null) throw valueError(message);
      if (items.length % 2 !== 0) throw new F.DeepCorruption(message);
      if (!zip) checkPairDups(items, deep);
      if (items.length === 0) return 'empty';
      const z = new ZSet(env, false);
      for (let i = 0; i < items.length; i += 2) z.insertNew(items[i], listpackScore(items[i + 1]));
      if (z.length > t.zsetMaxEntries) z.convertToSkiplist();
      return z;
    }
    case F.RDB_TYPE_HASH_ZIPLIST:
    case F.RDB_TYPE_HASH_LISTPACK: {
      const zip = type === F.RDB_TYPE_HASH_ZIPLIST;
      const message = zip ? 'Hash ziplist integrity check failed.' : 'Hash listpack integrity check failed.';
      const items = zip ? decodeZiplistPairs(r.string()) : readListpack(r.blobText(), r.blobStart, r.blobEnd, message);
      if (items === null) throw valueError(message);
      if (items.length % 2 !== 0) throw new F.DeepCorruption(message);
      const dups = !zip && checkPairDups(items, deep);
      if (items.length === 0) return 'empty';
      let h: RedisHash;
      // Distinct fields (the usual case): the decoded array becomes the listpack as it is.
      if (!zip && !dups) h = RedisHash.fromListpack(hashSeedOf(env), sharedFields(items));
      else {
        h = newHash(env);
        for (let i = 0; i < items.length; i += 2) h.set(items[i], items[i + 1], NO_LIMITS);
      }
      if (h.size > t.hashMaxEntries) h.convertToHashtable();
      return h;
    }
  }
  throw valueError('Unknown RDB encoding type', ` ${type}`);
}

/** moduleTypeNameByID: the 9-character type name from a module id. */
function moduleTypeName(id: bigint): string {
  const cset = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let v = id >> 10n;
  let name = '';
  for (let j = 0; j < 9; j++) {
    name = cset[Number(v & 63n)] + name;
    v >>= 6n;
  }
  return name;
}

/** Read a 64-bit module id length. */
export function moduleIdFrom(r: RdbReader): bigint {
  const b = r.byte();
  if (b === 0x81) {
    const s = r.bytes(8);
    let v = 0n;
    for (let i = 0; i < 8; i++) v = (v << 8n) | BigInt(s.charCodeAt(i));
    return v;
  }
  r.pos--;
  return BigInt(r.len());
}

export { moduleTypeName };

/**
 * rdbLoadObject: the value of RDB type `type`. Throws RdbLoadError with Redis's log lines, or a
 * short-read error the caller turns into the "Unexpected EOF" path.
 */
export function loadValue(
  type: number,
  r: RdbReader,
  env: LoadEnv,
  deep: DeepCheck = { issue: false },
  t: LoadThresholds = loadThresholds(env),
): LoadedValue {
  try {
    switch (type) {
      case F.RDB_TYPE_STRING:
        return r.string();
      case F.RDB_TYPE_LIST: {
        const len = r.len();
        if (len === 0) return 'empty';
        const q = newList(t);
        for (let i = 0; i < len; i++) q.pushTail(r.string());
        return q;
      }
      case F.RDB_TYPE_SET:
        return loadSet(r, env, t);
      case F.RDB_TYPE_ZSET:
      case F.RDB_TYPE_ZSET_2:
        return loadZset(r, env, type === F.RDB_TYPE_ZSET_2);
      case F.RDB_TYPE_HASH:
        return loadHash(r, env, t);
      case F.RDB_TYPE_LIST_QUICKLIST:
      case F.RDB_TYPE_LIST_QUICKLIST_2:
        return loadQuicklist(r, t, type === F.RDB_TYPE_LIST_QUICKLIST_2);
      case F.RDB_TYPE_HASH_ZIPMAP:
      case F.RDB_TYPE_LIST_ZIPLIST:
      case F.RDB_TYPE_SET_INTSET:
      case F.RDB_TYPE_ZSET_ZIPLIST:
      case F.RDB_TYPE_ZSET_LISTPACK:
      case F.RDB_TYPE_HASH_ZIPLIST:
      case F.RDB_TYPE_HASH_LISTPACK:
        return loadBlob(type, r, env, deep, t);
      case F.RDB_TYPE_STREAM_LISTPACKS:
      case F.RDB_TYPE_STREAM_LISTPACKS_2:
        return loadStream(r, type === F.RDB_TYPE_STREAM_LISTPACKS_2);
      case F.RDB_TYPE_MODULE:
      case F.RDB_TYPE_MODULE_2: {
        let id: bigint;
        try {
          id = moduleIdFrom(r);
        } catch (err) {
          if (err instanceof RdbShortReadError) throw valueError('Short read module id');
          throw err;
        }
        throw valueError(
          "The RDB file contains module data I can't load",
          `: no matching module type '${moduleTypeName(id)}'`,
        );
      }
    }
  } catch (err) {
    if (err instanceof RdbShortReadError || !(err instanceof RdbFormatError)) throw err;
    // String-level corruption (LZF, an unknown string encoding) is reported by rdbGenericLoadStringObject.
    throw F.formatError(err.message);
  }
  // rdbReportReadError at the end of rdbLoadObject: the checker stops at the type byte, no "Terminating".
  throw new F.RdbLoadError([F.reportLine('Unknown RDB encoding type', ` ${type}`)]);
}
