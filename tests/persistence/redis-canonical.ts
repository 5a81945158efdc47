// The canonical keyspace view (engine/persistence/canonical.ts) read from a live server through
// commands — KEYS, TYPE, OBJECT ENCODING, PEXPIRETIME, the value commands, XINFO STREAM FULL — so a
// real redis-server and our engine can be compared key by key.

import type { CanonicalKey, CanonicalStream, CanonicalValue } from '../../engine/persistence/canonical';
import type { Reply } from '../../engine/protocol/reply';

export type Call = (argv: string[]) => Promise<Reply>;

const byBytes = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function str(r: Reply): string {
  if (r.t === 'bulk' || r.t === 'status') return r.v ?? '';
  if (r.t === 'int') return String(r.v);
  throw new Error(`expected a string reply, got ${JSON.stringify(r)}`);
}

function arr(r: Reply): readonly Reply[] {
  if (r.t === 'array' && r.v !== null) return r.v;
  throw new Error(`expected an array reply, got ${JSON.stringify(r)}`);
}

const num = (r: Reply): number => Number(str(r));

/** A RESP2 flat [k, v, k, v...] array as a map. */
function fields(r: Reply): Map<string, Reply> {
  const a = arr(r);
  const m = new Map<string, Reply>();
  for (let i = 0; i + 1 < a.length; i += 2) m.set(str(a[i]), a[i + 1]);
  return m;
}

function get(m: Map<string, Reply>, k: string): Reply {
  const v = m.get(k);
  if (v === undefined) throw new Error(`XINFO field ${k} missing`);
  return v;
}

const nullable = (r: Reply): number | null => (r.t === 'bulk' && r.v === null ? null : num(r));

function streamFromXinfo(r: Reply): CanonicalStream {
  const m = fields(r);
  const groups = arr(get(m, 'groups')).map((g) => {
    const gm = fields(g);
    return {
      name: str(get(gm, 'name')),
      last_delivered_id: str(get(gm, 'last-delivered-id')),
      entries_read: nullable(get(gm, 'entries-read')),
      lag: nullable(get(gm, 'lag')),
      pel: arr(get(gm, 'pending')).map((p) => {
        const [id, consumer, time, count] = arr(p);
        return { id: str(id), consumer: str(consumer), delivery_time_ms: num(time), delivery_count: num(count) };
      }),
      consumers: arr(get(gm, 'consumers'))
        .map((c) => {
          const cm = fields(c);
          return {
            name: str(get(cm, 'name')),
            seen_time_ms: num(get(cm, 'seen-time')),
            pel: arr(get(cm, 'pending')).map((p) => str(arr(p)[0])),
          };
        })
        .sort((a, b) => byBytes(a.name, b.name)),
    };
  });
  return {
    length: num(get(m, 'length')),
    last_generated_id: str(get(m, 'last-generated-id')),
    max_deleted_entry_id: str(get(m, 'max-deleted-entry-id')),
    entries_added: num(get(m, 'entries-added')),
    recorded_first_entry_id: str(get(m, 'recorded-first-entry-id')),
    entries: arr(get(m, 'entries')).map((e) => {
      const [id, fv] = arr(e);
      return { id: str(id), fields: arr(fv).map(str) };
    }),
    groups: groups.sort((a, b) => byBytes(a.name, b.name)),
  };
}

/** Every key of dbs 0..databases-1, as canonicalKeyspace describes them. */
export async function canonicalOverCommands(call: Call, databases = 16): Promise<CanonicalKey[]> {
  const out: CanonicalKey[] = [];
  for (let db = 0; db < databases; db++) {
    await call(['SELECT', String(db)]);
    const keys = arr(await call(['KEYS', '*']))
      .map(str)
      .sort(byBytes);
    for (const key of keys) {
      const type = str(await call(['TYPE', key]));
      const encoding = str(await call(['OBJECT', 'ENCODING', key]));
      const pexp = num(await call(['PEXPIRETIME', key]));
      let value: CanonicalValue;
      if (type === 'string') value = str(await call(['GET', key]));
      else if (type === 'list') value = arr(await call(['LRANGE', key, '0', '-1'])).map(str);
      else if (type === 'set')
        value = arr(await call(['SMEMBERS', key]))
          .map(str)
          .sort(byBytes);
      else if (type === 'zset') {
        const a = arr(await call(['ZRANGE', key, '0', '-1', 'WITHSCORES'])).map(str);
        const pairs: [string, string][] = [];
        for (let i = 0; i < a.length; i += 2) pairs.push([a[i], a[i + 1]]);
        value = pairs;
      } else if (type === 'hash') {
        const a = arr(await call(['HGETALL', key])).map(str);
        const pairs: [string, string][] = [];
        for (let i = 0; i < a.length; i += 2) pairs.push([a[i], a[i + 1]]);
        value = pairs.sort((x, y) => byBytes(x[0], y[0]));
      } else if (type === 'stream') value = streamFromXinfo(await call(['XINFO', 'STREAM', key, 'FULL', 'COUNT', '0']));
      else throw new Error(`unknown type ${type}`);
      out.push({ db, key, type, encoding, expire_at_ms: pexp < 0 ? null : pexp, value });
    }
  }
  await call(['SELECT', '0']);
  return out;
}
