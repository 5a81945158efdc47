// Helpers shared by the sorted-set command files (src/t_zset.c): typed lookups raising WRONGTYPE as
// checkType does, the reply shapes of WITHSCORES (flat in RESP2, pairs in RESP3), deleting a key
// that became empty, and the sorted-set view of SET inputs for ZUNION/ZINTER/ZDIFF.

import type { Client } from '../client';
import { E } from '../errors';
import type { RedisValue } from '../keyspace/db';
import {
  dictSlots,
  jemallocSize,
  packedValueSize,
  registerValueSizer,
  ROBJ_SIZE,
  sdsAllocSize,
} from '../keyspace/memory';
import { array, bulk, double, type Reply } from '../protocol/reply';
import { RedisSet } from '../types/set';
import { entrySize, LP_EMPTY_BYTES } from '../types/listpack';
import { listpackScoreString, ZSet } from '../types/zset';
import { NIL } from '../types/skiplist';
import { fail } from './args';
import type { KeySpec, KeySpecFlag } from './define';

/** One key spec at argument `begin` (src/commands/*.json key_specs), for exact COMMAND INFO. */
export function zkeys(flags: readonly KeySpecFlag[], begin = 1): KeySpec[] {
  return [{ flags, begin: { index: begin }, find: { lastKey: 0, step: 1, limit: 0 } }];
}

/** The value as a sorted set, undefined when missing; WRONGTYPE for any other type. */
export function asZSet(v: RedisValue | undefined): ZSet | undefined {
  if (v === undefined) return undefined;
  if (v instanceof ZSet) return v;
  return fail(E.WRONGTYPE);
}

/** lookupKeyRead + checkType (keyspace hits/misses counted). */
export function readZSet(c: Client, key: string): ZSet | undefined {
  return asZSet(c.db.lookupRead(key));
}

/** lookupKeyWrite + checkType. */
export function writeZSet(c: Client, key: string): ZSet | undefined {
  return asZSet(c.db.lookupWrite(key));
}

/** A new empty sorted set bound to this server (random levels, hash seed, thresholds). */
export function newZSet(c: Client, skiplist: boolean): ZSet {
  return new ZSet(c.engine, skiplist);
}

/**
 * Collects member/score replies: members only, or with scores flat (RESP2) or as [member, score]
 * pairs (RESP3), as zrangeResultEmitCBufferToClient does.
 */
export class ElementReply {
  readonly items: Reply[] = [];
  private readonly nested: boolean;
  constructor(
    private readonly withscores: boolean,
    resp: number,
  ) {
    this.nested = withscores && resp > 2;
  }
  readonly emit = (member: string, score: number): void => {
    if (!this.withscores) this.items.push(bulk(member));
    else if (this.nested) this.items.push(array([bulk(member), double(score)]));
    else this.items.push(bulk(member), double(score));
  };
  reply(): Reply {
    return array(this.items);
  }
}

/** dbDelete + the generic "del" event when a sorted set has become empty; true when deleted. */
export function deleteIfEmpty(c: Client, key: string, z: ZSet): boolean {
  if (z.length !== 0) return false;
  c.db.delete(key);
  c.engine.notify('g', 'del', key, c.db.id);
  return true;
}

/** A ZUNION/ZINTER/ZDIFF input (zsetopsrc): a sorted set, a set (members score 1), or a missing key. */
export type OpSource = { kind: 'zset'; z: ZSet } | { kind: 'set'; s: RedisSet } | { kind: 'none' };

/** zsetopsrc for one input key: WRONGTYPE unless it is a sorted set, a set, or missing. */
export function opSource(v: RedisValue | undefined): OpSource {
  if (v === undefined) return { kind: 'none' };
  if (v instanceof ZSet) return { kind: 'zset', z: v };
  if (v instanceof RedisSet) return { kind: 'set', s: v };
  return fail(E.WRONGTYPE);
}

// objectComputeSize for sorted sets (src/object.c). A listpack is one allocation of lpBytes (scores
// stored as integers when integral, else as their %.17g text). A skiplist counts the zset, zskiplist
// and dict structs, the bucket array and the 32-level header, plus the average of the first
// `samples` nodes (member sds + dictEntry + node with its levels) times the number of elements.
// The buckets count both tables while a growth is being rehashed (dictSlots: ZADD steps twice).
// Node levels are random in Redis (zslRandomLevel), so the node part is only ever close to it.
const ZSET_STRUCTS = 16 + 32 + 56; // sizeof(zset) + sizeof(zskiplist) + sizeof(dict)
const ZSL_NODE = 24; // ele + score + backward; each level adds forward + span (16 bytes)
registerValueSizer('zset', (v, samples) => {
  const z = v as ZSet;
  if (z.isListpack) {
    let bytes = LP_EMPTY_BYTES;
    z.forEach((m, s) => {
      bytes += entrySize(m) + entrySize(listpackScoreString(s));
    });
    return packedValueSize(bytes);
  }
  const zsl = z.zsl as NonNullable<ZSet['zsl']>;
  const dict = z.dict as NonNullable<ZSet['dict']>;
  let size = ROBJ_SIZE + ZSET_STRUCTS + 8 * dictSlots(dict.size, dict.buckets, 2) + jemallocSize(ZSL_NODE + 16 * 32);
  let ele = 0;
  let n = 0;
  for (let node = zsl.first(); node !== NIL && n < samples; node = zsl.next(node)) {
    ele += sdsAllocSize(zsl.member(node).length) + 24 + jemallocSize(ZSL_NODE + 16 * zsl.nodeLevel(node));
    n++;
  }
  if (n > 0) size += (ele / n) * dict.size;
  return Math.floor(size);
});
