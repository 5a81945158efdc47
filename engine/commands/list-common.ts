// Helpers shared by the list command files (src/t_list.c): typed lookups raising WRONGTYPE as
// checkType does, new lists with the configured quicklist options, the pop bookkeeping of
// listElementsRemoved, the push half of LMOVE, and the list's MEMORY USAGE (objectComputeSize).

import type { Client } from '../client';
import { E } from '../errors';
import type { RedisValue } from '../keyspace/db';
import { jemallocSize, registerValueSizer, ROBJ_SIZE } from '../keyspace/memory';
import { array, bulk, bulks, type Reply } from '../protocol/reply';
import { Quicklist } from '../types/quicklist';
import { fail, isCToken } from './args';
import type { KeySpec, KeySpecFlag } from './define';

/** The value as a list, undefined when missing; WRONGTYPE for any other type. */
export function asList(v: RedisValue | undefined): Quicklist | undefined {
  if (v === undefined) return undefined;
  if (v instanceof Quicklist) return v;
  return fail(E.WRONGTYPE);
}

/** lookupKeyRead + checkType (keyspace hits/misses counted). */
export function readList(c: Client, key: string): Quicklist | undefined {
  return asList(c.db.lookupRead(key));
}

/** lookupKeyWrite + checkType. */
export function writeList(c: Client, key: string): Quicklist | undefined {
  return asList(c.db.lookupWrite(key));
}

/** createQuicklistObject + quicklistSetOptions(list-max-listpack-size, list-compress-depth). */
export function newList(c: Client): Quicklist {
  const cfg = c.engine.config;
  return new Quicklist(cfg.getInt('list-max-listpack-size'), cfg.getInt('list-compress-depth'));
}

/** getListPositionFromObjectOrReply: LEFT (head) → true, RIGHT (tail) → false. */
export function parseWhere(arg: string): boolean {
  if (isCToken(arg, 'RIGHT')) return false;
  if (isCToken(arg, 'LEFT')) return true;
  return fail(E.SYNTAX);
}

export const whereName = (head: boolean): string => (head ? 'LEFT' : 'RIGHT');

/** One range key spec at `pos` (src/commands/*.json key_specs). */
export function lkeys(flags: readonly KeySpecFlag[], pos = 1, lastKey = 0): KeySpec {
  return { flags, begin: { index: pos }, find: { lastKey, step: 1, limit: 0 } };
}

/**
 * listElementsRemoved: after popping `count` elements from the head or tail — the lpop/rpop event,
 * the key deleted when the list emptied (plus "del"), WATCH touched, dirty counted.
 */
export function listElementsRemoved(c: Client, key: string, head: boolean, l: Quicklist, count: number): void {
  const db = c.db;
  c.engine.notify('l', head ? 'lpop' : 'rpop', key, db.id);
  if (l.count === 0) {
    db.delete(key);
    c.engine.notify('g', 'del', key, db.id);
  } else {
    db.signalModified(key);
  }
  c.engine.dirty += count;
}

/**
 * Pop up to `count` elements from one end as addListRangeReply + listTypeDelRange: the elements in
 * pop order (head first for LEFT, tail first for RIGHT). The caller does the bookkeeping.
 */
export function popRange(l: Quicklist, head: boolean, count: number): string[] {
  const n = Math.min(count, l.count);
  const out = head ? l.range(0, n - 1) : l.range(l.count - n, l.count - 1, true);
  l.delRange(head ? 0 : -n, n);
  return out;
}

/** listPopRangeAndReplyWithKey (LMPOP/BLMPOP): [key, [elements]] and the pop bookkeeping. */
export function popRangeWithKey(c: Client, key: string, l: Quicklist, head: boolean, count: number): Reply {
  const n = Math.min(count, l.count);
  const items = popRange(l, head, n);
  listElementsRemoved(c, key, head, l, n);
  return array([bulk(key), bulks(items)]);
}

/** lmoveHandlePush: push onto the destination, creating it (dbAdd) when missing; replies the value. */
export function pushToDestination(c: Client, dst: string, dobj: Quicklist | undefined, value: string, head: boolean) {
  let l = dobj;
  if (l === undefined) {
    l = newList(c);
    c.db.add(dst, l);
  }
  l.push(value, head);
  c.db.signalModified(dst);
  c.engine.notify('l', head ? 'lpush' : 'rpush', dst, c.db.id);
  return bulk(value);
}

// objectComputeSize for OBJ_ENCODING_QUICKLIST: robj + quicklist struct, plus the average of the
// sampled nodes (quicklistNode struct + the listpack's allocation) times the number of nodes.
const QUICKLIST_STRUCT = 40;
const QUICKLIST_NODE_STRUCT = 40;
registerValueSizer('list', (v, samples) => {
  const ql = v as Quicklist;
  let ele = 0;
  let n = 0;
  for (let node = ql.head; node !== null && n < Math.max(1, samples); node = node.next) {
    ele += QUICKLIST_NODE_STRUCT + jemallocSize(node.sz);
    n++;
  }
  const base = ROBJ_SIZE + QUICKLIST_STRUCT;
  return n === 0 ? base : Math.floor(base + (ele / n) * ql.len);
});
