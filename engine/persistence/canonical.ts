// A canonical, order-independent view of a keyspace in the schema of the persistence fixtures'
// expected.json (fixtures/persistence/README.md): keys sorted by db then bytes, TYPE, OBJECT ENCODING,
// PEXPIRETIME, and the value (sets and hashes sorted, zsets in ZRANGE order with %.17g scores, streams
// as XINFO STREAM FULL shows them). Used to compare datasets across RDB/AOF round trips and real Redis.

import type { Engine } from '../engine';
import { typeOf } from '../keyspace/db';
import { RedisHash } from '../types/hash';
import { Quicklist } from '../types/quicklist';
import { RedisSet } from '../types/set';
import { ID_MAX, INVALID_ENTRIES_READ, RedisStream, formatId } from '../types/stream';
import { stringEncoding } from '../types/string-encoding';
import { ZSet } from '../types/zset';
import { formatDouble } from '../util/format-double';

export interface CanonicalStream {
  length: number;
  last_generated_id: string;
  max_deleted_entry_id: string;
  entries_added: number;
  recorded_first_entry_id: string;
  entries: { id: string; fields: string[] }[];
  groups: {
    name: string;
    last_delivered_id: string;
    entries_read: number | null;
    lag: number | null;
    pel: { id: string; consumer: string; delivery_time_ms: number; delivery_count: number }[];
    consumers: { name: string; seen_time_ms: number; pel: string[] }[];
  }[];
}

export type CanonicalValue = string | string[] | [string, string][] | CanonicalStream;

/** One key; all strings are binary strings (one char per byte). */
export interface CanonicalKey {
  db: number;
  key: string;
  type: string;
  encoding: string;
  expire_at_ms: number | null;
  value: CanonicalValue;
}

const byBytes = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function streamView(s: RedisStream): CanonicalStream {
  const entries: CanonicalStream['entries'] = [];
  for (const [e, node] of s.range(0n, ID_MAX)) entries.push({ id: formatId(e.id), fields: node.fieldValues(e) });
  const groups: CanonicalStream['groups'] = [];
  for (const g of s.groups ? s.groups.values() : []) {
    const lag = s.groupLag(g);
    groups.push({
      name: g.name,
      last_delivered_id: formatId(g.lastId),
      entries_read: g.entriesRead === INVALID_ENTRIES_READ ? null : Number(g.entriesRead),
      lag: lag === null ? null : Number(lag),
      pel: [...g.pel.ascending()].map(([id, n]) => ({
        id: formatId(id),
        consumer: n.consumer?.name ?? '',
        delivery_time_ms: n.deliveryTime,
        delivery_count: Number(n.deliveryCount),
      })),
      consumers: g.consumers.values().map((c) => ({
        name: c.name,
        seen_time_ms: c.seenTime,
        pel: c.pel.keys().map(formatId),
      })),
    });
  }
  groups.sort((a, b) => byBytes(a.name, b.name));
  return {
    length: s.length,
    last_generated_id: formatId(s.lastId),
    max_deleted_entry_id: formatId(s.maxDeletedId),
    entries_added: Number(s.entriesAdded),
    recorded_first_entry_id: formatId(s.firstId),
    entries,
    groups,
  };
}

/** Every key of every db, canonically ordered and described. */
export function canonicalKeyspace(engine: Engine): CanonicalKey[] {
  const out: CanonicalKey[] = [];
  for (const db of engine.dbs) {
    const keys = [...db.dict.keys()].sort(byBytes);
    for (const key of keys) {
      const e = db.dict.getEntry(key);
      if (e === undefined) continue;
      const v = e.val;
      let value: CanonicalValue;
      if (typeof v === 'string') value = v;
      else if (v instanceof Quicklist) value = v.toArray();
      else if (v instanceof RedisSet) value = [...v.members()].sort(byBytes);
      else if (v instanceof ZSet) {
        const pairs: [string, string][] = [];
        v.forEach((m, score) => {
          pairs.push([m, formatDouble(score)]);
        });
        value = pairs;
      } else if (v instanceof RedisHash) value = [...v.entries()].sort((a, b) => byBytes(a[0], b[0]));
      else if (v instanceof RedisStream) value = streamView(v);
      else throw new Error(`no canonical form for ${typeOf(v)}`);
      const when = db.expires.get(key);
      out.push({
        db: db.id,
        key,
        type: typeOf(v),
        encoding: typeof v === 'string' ? stringEncoding(v, e.meta) : v.encoding(),
        expire_at_ms: when ?? null,
        value,
      });
    }
  }
  return out;
}
