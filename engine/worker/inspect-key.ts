// The keyspace panel's value view: one key's value as a bounded snapshot (its first items in the
// type's own order and their total), read through each type's public iteration API in the worker
// so the page only draws. Stream groups carry what XINFO GROUPS / XINFO STREAM FULL report.

import type { Engine } from '../engine';
import { typeOf } from '../keyspace/db';
import { keyMemoryUsage } from '../keyspace/memory';
import { RedisHash } from '../types/hash';
import { Quicklist } from '../types/quicklist';
import { RedisSet } from '../types/set';
import { RedisStream } from '../types/stream';
import { formatId, ID_MAX, INVALID_ENTRIES_READ } from '../types/stream-id';
import { stringEncoding } from '../types/string-encoding';
import { ZSet } from '../types/zset';
import { formatDouble } from '../util/format-double';
import type { KeyReport, KeyValueView } from './protocol';

/** Bytes of a string value the view carries; longer strings are cut (the page says so). */
export const KEY_STRING_LIMIT = 4096;

type StreamView = Extract<KeyValueView, { type: 'stream' }>;

function streamView(s: RedisStream, limit: number): StreamView {
  const items: StreamView['items'][number][] = [];
  for (const [e, node] of s.range(0n, ID_MAX)) {
    if (items.length >= limit) break;
    const names = e.fields ?? node.masterFields;
    items.push({ id: formatId(e.id), fields: e.values.map((v, i) => [names[i], v] as const) });
  }
  const groups: StreamView['groups'][number][] = [];
  if (s.groups !== null) {
    for (const [name, g] of s.groups.ascending()) {
      const consumers: StreamView['groups'][number]['consumers'][number][] = [];
      for (const [cname, c] of g.consumers.ascending()) {
        const pending: { id: string; deliveries: string }[] = [];
        for (const [id, nack] of c.pel.ascending()) {
          if (pending.length >= limit) break;
          pending.push({ id: formatId(id), deliveries: String(nack.deliveryCount) });
        }
        consumers.push({ name: cname, pending, pendingTotal: c.pel.size });
      }
      const lag = s.groupLag(g);
      groups.push({
        name,
        lastDeliveredId: formatId(g.lastId),
        entriesRead: g.entriesRead === INVALID_ENTRIES_READ ? null : String(g.entriesRead),
        lag: lag === null ? null : String(lag),
        pending: g.pel.size,
        consumers,
      });
    }
  }
  return { type: 'stream', items, total: s.length, groups };
}

function valueView(v: unknown, limit: number): KeyValueView | null {
  if (typeof v === 'string') return { type: 'string', value: v.slice(0, KEY_STRING_LIMIT), total: v.length };
  if (v instanceof Quicklist) return { type: 'list', items: v.range(0, limit - 1), total: v.length };
  if (v instanceof RedisHash) {
    const items: [string, string][] = [];
    for (const pair of v.entries()) {
      if (items.length >= limit) break;
      items.push(pair);
    }
    return { type: 'hash', items, total: v.size };
  }
  if (v instanceof RedisSet) {
    const items: string[] = [];
    for (const m of v.members()) {
      if (items.length >= limit) break;
      items.push(m);
    }
    return { type: 'set', items, total: v.size };
  }
  if (v instanceof ZSet) {
    const items: { member: string; score: string }[] = [];
    if (v.length > 0 && limit > 0)
      v.rangeByRank(0, Math.min(limit, v.length) - 1, false, (member, score) =>
        items.push({ member, score: formatDouble(score) }),
      );
    return { type: 'zset', items, total: v.length };
  }
  if (v instanceof RedisStream) return streamView(v, limit);
  return null;
}

/** One key of a database: type, encoding, MEMORY USAGE, expiry and its value's first `limit` items. */
export function inspectKey(engine: Engine, dbId: number, key: string, limit: number): KeyReport {
  const db = engine.dbs[dbId];
  const e = db?.peekEntry(key);
  const at = e === undefined ? undefined : db.getExpire(key);
  if (e === undefined || (at !== undefined && at <= engine.clock.now()))
    return { kind: 'key', db: dbId, key, type: null, encoding: '', bytes: 0, expireAt: null, value: null };
  const n = Math.max(0, Math.floor(limit));
  return {
    kind: 'key',
    db: dbId,
    key,
    type: typeOf(e.val),
    encoding: typeof e.val === 'string' ? stringEncoding(e.val, e.meta) : e.val.encoding(),
    bytes: keyMemoryUsage(key, e.val, e.meta),
    expireAt: at ?? null,
    value: valueView(e.val, n),
  };
}
