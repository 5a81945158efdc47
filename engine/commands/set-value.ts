// Helpers shared by the set command files (src/t_set.c): typed lookups raising WRONGTYPE as
// checkType does, creating sets the way setTypeCreate/createIntsetObject do, key specs, and the
// RESP3 set reply (addReplySetLen).

import type { Client } from '../client';
import { E } from '../errors';
import type { RedisValue } from '../keyspace/db';
import { dictSlots, packedValueSize, registerValueSizer, ROBJ_SIZE, sdsAllocSize } from '../keyspace/memory';
import { bulk, type Reply } from '../protocol/reply';
import { RedisSet } from '../types/set';
import { fail } from './args';
import type { KeySpec, KeySpecFlag } from './define';

// objectComputeSize for sets (src/object.c): an intset is one allocation of its blob; a hashtable
// counts the dict struct and its buckets plus the average dictEntry + member sds of the first
// `samples` members times the number of members; the buckets count both tables while a growth is
// being rehashed (dictSlots, one step per SADD).
// LAB: dict order differs from Redis's (other samples when sizes vary).
const DICT_STRUCT = 56;
const DICT_ENTRY = 24;
registerValueSizer('set', (v, samples) => {
  const s = v as RedisSet;
  const blob = s.intsetBytes();
  if (blob !== undefined) return packedValueSize(blob);
  let size = ROBJ_SIZE + DICT_STRUCT + 8 * dictSlots(s.size, s.buckets as number, 1);
  let ele = 0;
  let n = 0;
  for (const m of s.members()) {
    if (n >= samples) break;
    ele += DICT_ENTRY + sdsAllocSize(m.length);
    n++;
  }
  if (n > 0) size += (ele / n) * s.size;
  return Math.floor(size);
});

/** One key spec (src/commands/*.json key_specs): keys from `begin` through `lastKey` (-1 = last). */
export function skey(flags: readonly KeySpecFlag[], begin = 1, lastKey = 0): KeySpec {
  return { flags, begin: { index: begin }, find: { lastKey, step: 1, limit: 0 } };
}

/** checkType(OBJ_SET): the set, undefined when missing, WRONGTYPE otherwise. */
export function asSet(v: RedisValue | undefined): RedisSet | undefined {
  if (v === undefined || v instanceof RedisSet) return v;
  return fail(E.WRONGTYPE);
}

/** lookupKeyRead + checkType (keyspace hits/misses counted). */
export function readSet(c: Client, k: string): RedisSet | undefined {
  return asSet(c.db.lookupRead(k));
}

/** lookupKeyWrite + checkType. */
export function writeSet(c: Client, k: string): RedisSet | undefined {
  return asSet(c.db.lookupWrite(k));
}

/** set-max-intset-entries as configured now. */
export function maxIntset(c: Client): number {
  return c.engine.config.getInt('set-max-intset-entries');
}

function seed(c: Client): number {
  return (c.engine.hashSeed ^ 0x73657473) >>> 0;
}

/** setTypeCreate: an intset when the first member is an integer, a hashtable otherwise. */
export function newSetFor(c: Client, firstMember: string): RedisSet {
  return RedisSet.forFirstMember(seed(c), firstMember);
}

/** createIntsetObject: the empty intset the set-algebra commands build their results in. */
export function newIntsetSet(c: Client): RedisSet {
  return new RedisSet(seed(c));
}

/** addReplySetLen + bulks: a set under RESP3, a plain array under RESP2. */
export function setReply(members: Iterable<string>): Reply {
  const v: Reply[] = [];
  for (const m of members) v.push(bulk(m));
  return { t: 'set', v };
}

/** After an in-place write: signalModifiedKey + notifyKeyspaceEvent(NOTIFY_SET). */
export function setModified(c: Client, k: string, event: string): void {
  c.db.signalModified(k);
  c.engine.notify('s', event, k, c.db.id);
}
