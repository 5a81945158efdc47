// Property test of streams with consumer groups (t_stream.c): random sequences of XADD (MAXLEN /
// MINID, = and ~, LIMIT), XDEL, XTRIM, XGROUP CREATE/SETID/DESTROY/CREATECONSUMER/DELCONSUMER,
// XREADGROUP (> and history, NOACK), XACK, XCLAIM (FORCE, JUSTID, RETRYCOUNT) and XAUTOCLAIM run
// against a model of the PELs; after every step the node index, tombstones, group PEL, consumer
// PELs and the model must agree.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import { createEngine } from '../index';
import type { Reply } from '../protocol/reply';
import { listpackBytes } from '../types/listpack';
import {
  FLAG_DELETED,
  FLAG_SAMEFIELDS,
  formatId,
  ID_MAX,
  idMs,
  idSeq,
  makeId,
  RedisStream,
  type StreamID,
  type StreamNode,
} from '../types/stream';

const GROUPS = ['g1', 'g2', 'g3'];

/** The items of an array reply. */
function items(r: Reply): readonly Reply[] {
  if (r.t !== 'array' || r.v === null) throw new Error(`not an array: ${JSON.stringify(r)}`);
  return r.v;
}

/** The text of a bulk or status reply. */
function text(r: Reply): string {
  if ((r.t !== 'bulk' && r.t !== 'status') || r.v === null) throw new Error(`not a string: ${JSON.stringify(r)}`);
  return r.v;
}

/** "ms-seq" as replied by the commands. */
function parseId(s: string): StreamID {
  const [ms, seq] = s.split('-');
  return makeId(BigInt(ms), BigInt(seq));
}
const CONSUMERS = ['alice', 'bob', 'carol', 'dave'];

type Op =
  | { op: 'xadd'; fields: number; trim: number; arg: number; approx: boolean; limit: number }
  | { op: 'xdel'; pick: number[] }
  | { op: 'xtrim'; minid: boolean; arg: number; approx: boolean; limit: number }
  | { op: 'create'; g: number; from: number }
  | { op: 'destroy'; g: number }
  | { op: 'setid'; g: number; from: number }
  | { op: 'createconsumer'; g: number; c: number }
  | { op: 'delconsumer'; g: number; c: number }
  | { op: 'read'; g: number; c: number; count: number; noack: boolean; history: boolean }
  | { op: 'ack'; g: number; pick: number[] }
  | {
      op: 'claim';
      g: number;
      c: number;
      minIdle: number;
      pick: number[];
      justid: boolean;
      force: boolean;
      retry: number;
    }
  | { op: 'autoclaim'; g: number; c: number; minIdle: number; start: number; count: number; justid: boolean }
  | { op: 'tick'; ms: number };

const g = fc.nat(GROUPS.length - 1);
const c = fc.nat(CONSUMERS.length - 1);
const picks = fc.array(fc.nat(1000), { minLength: 1, maxLength: 4 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      op: fc.constant('xadd' as const),
      fields: fc.nat(3),
      trim: fc.nat(5),
      arg: fc.nat(40),
      approx: fc.boolean(),
      limit: fc.nat(3),
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('xdel' as const), pick: picks }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('xtrim' as const),
      minid: fc.boolean(),
      arg: fc.nat(40),
      approx: fc.boolean(),
      limit: fc.nat(3),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('create' as const), g, from: fc.nat(1000) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('destroy' as const), g }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('setid' as const), g, from: fc.nat(1000) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('createconsumer' as const), g, c }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('delconsumer' as const), g, c }) },
  {
    weight: 6,
    arbitrary: fc.record({
      op: fc.constant('read' as const),
      g,
      c,
      count: fc.integer({ min: 1, max: 6 }),
      noack: fc.boolean(),
      history: fc.boolean(),
    }),
  },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('ack' as const), g, pick: picks }) },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('claim' as const),
      g,
      c,
      minIdle: fc.constantFrom(0, 50, 200),
      pick: picks,
      justid: fc.boolean(),
      force: fc.boolean(),
      retry: fc.integer({ min: -1, max: 3 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('autoclaim' as const),
      g,
      c,
      minIdle: fc.constantFrom(0, 50, 200),
      start: fc.nat(1000),
      count: fc.integer({ min: 1, max: 5 }),
      justid: fc.boolean(),
    }),
  },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('tick' as const), ms: fc.integer({ min: 1, max: 120 }) }) },
);

interface NackModel {
  owner: string | null;
  count: bigint;
  time: number;
}
interface GroupModel {
  pel: Map<StreamID, NackModel>;
  consumers: Set<string>;
}

/** The listpack of a node rebuilt from its entries, as t_stream.c lays it out. */
function listpackElements(node: StreamNode): string[] {
  const out = [String(node.live), String(node.deleted), String(node.masterFields.length), ...node.masterFields, '0'];
  for (const e of node.entries) {
    const same = (e.flags & FLAG_SAMEFIELDS) !== 0;
    out.push(String(e.flags), String(BigInt.asIntN(64, idMs(e.id) - idMs(node.master))));
    out.push(String(BigInt.asIntN(64, idSeq(e.id) - idSeq(node.master))));
    if (!same) out.push(String(e.values.length));
    for (let i = 0; i < e.values.length; i++) {
      if (!same) out.push((e.fields as readonly string[])[i]);
      out.push(e.values[i]);
    }
    out.push(String(same ? e.values.length + 3 : 2 * e.values.length + 4));
  }
  return out;
}

class Harness {
  readonly clock = new ManualClock();
  readonly engine = createEngine({ clock: this.clock, seed: 3 });
  readonly client = this.engine.createClient();
  readonly groups = new Map<string, GroupModel>();
  /** Every ID ever added (live or not), to pick targets from. */
  readonly known: StreamID[] = [];
  ops = 0;
  /** What the run exercised (so a run that never claims or acks anything is noticed). */
  static readonly seen = { delivered: 0, acked: 0, claimed: 0, autoclaimDeleted: 0, history: 0, delconsumerPending: 0 };

  constructor() {
    this.run('CONFIG', 'SET', 'stream-node-max-entries', '4');
  }

  run(...argv: string[]): Reply {
    return this.engine.dispatch(this.client, argv) as Reply;
  }

  stream(): RedisStream | undefined {
    const v = this.client.db.peekEntry('s')?.val;
    return v instanceof RedisStream ? v : undefined;
  }

  liveIds(): StreamID[] {
    const s = this.stream();
    return s === undefined ? [] : [...s.range(0n, ID_MAX)].map(([e]) => e.id);
  }

  pick(i: number): StreamID {
    // One in eight picks is an ID that was never added.
    if (this.known.length === 0 || i % 8 === 7) return BigInt(i) << 64n;
    return this.known[i % this.known.length];
  }

  idArg(i: number): string {
    if (i % 10 === 0) return '$';
    if (i % 10 === 1) return '0';
    return formatId(this.pick(i));
  }

  apply(o: Op): void {
    this.ops++;
    const now = this.clock.now();
    switch (o.op) {
      case 'tick':
        this.clock.advance(o.ms);
        return;
      case 'xadd': {
        const argv = ['XADD', 's'];
        if (o.trim === 1 || o.trim === 2) {
          argv.push(o.trim === 1 ? 'MAXLEN' : 'MINID', o.approx ? '~' : '=');
          argv.push(o.trim === 1 ? String(o.arg) : formatId(this.pick(o.arg)));
          if (o.approx && o.limit > 0) argv.push('LIMIT', String(o.limit * 3));
        }
        argv.push('*');
        for (let i = 0; i <= o.fields; i++) argv.push(`f${i}`, `v${o.arg}`);
        const r = this.run(...argv);
        expect(r.t).toBe('bulk');
        if (r.t === 'bulk' && r.v !== null) this.known.push(parseId(r.v));
        return;
      }
      case 'xdel': {
        const ids = o.pick.map((i) => this.pick(i));
        const live = new Set(this.liveIds());
        const expected = new Set(ids.filter((id) => live.has(id))).size;
        expect(this.run('XDEL', 's', ...ids.map(formatId))).toEqual({ t: 'int', v: expected });
        return;
      }
      case 'xtrim': {
        const argv = ['XTRIM', 's', o.minid ? 'MINID' : 'MAXLEN', o.approx ? '~' : '='];
        argv.push(o.minid ? formatId(this.pick(o.arg)) : String(o.arg));
        if (o.approx && o.limit > 0) argv.push('LIMIT', String(o.limit * 3));
        const r = this.run(...argv);
        expect(r.t === 'int' || (r.t === 'error' && this.stream() === undefined)).toBe(true);
        return;
      }
      case 'create': {
        const name = GROUPS[o.g];
        const r = this.run('XGROUP', 'CREATE', 's', name, this.idArg(o.from), 'MKSTREAM');
        if (this.groups.has(name)) expect(r).toEqual({ t: 'error', v: 'BUSYGROUP Consumer Group name already exists' });
        else {
          expect(r).toEqual({ t: 'status', v: 'OK' });
          this.groups.set(name, { pel: new Map(), consumers: new Set() });
        }
        return;
      }
      case 'destroy': {
        const name = GROUPS[o.g];
        const r = this.run('XGROUP', 'DESTROY', 's', name);
        if (this.stream() === undefined) return;
        expect(r).toEqual({ t: 'int', v: this.groups.delete(name) ? 1 : 0 });
        return;
      }
      case 'setid': {
        const name = GROUPS[o.g];
        const r = this.run('XGROUP', 'SETID', 's', name, this.idArg(o.from));
        if (this.groups.has(name)) expect(r).toEqual({ t: 'status', v: 'OK' });
        else expect(r.t).toBe('error');
        return;
      }
      case 'createconsumer': {
        const m = this.groups.get(GROUPS[o.g]);
        const r = this.run('XGROUP', 'CREATECONSUMER', 's', GROUPS[o.g], CONSUMERS[o.c]);
        if (m === undefined) expect(r.t).toBe('error');
        else {
          expect(r).toEqual({ t: 'int', v: m.consumers.has(CONSUMERS[o.c]) ? 0 : 1 });
          m.consumers.add(CONSUMERS[o.c]);
        }
        return;
      }
      case 'delconsumer': {
        const m = this.groups.get(GROUPS[o.g]);
        const name = CONSUMERS[o.c];
        const r = this.run('XGROUP', 'DELCONSUMER', 's', GROUPS[o.g], name);
        if (m === undefined) {
          expect(r.t).toBe('error');
          return;
        }
        let owned = 0;
        for (const [id, n] of m.pel)
          if (n.owner === name) {
            m.pel.delete(id);
            owned++;
          }
        expect(r).toEqual({ t: 'int', v: m.consumers.delete(name) ? owned : 0 });
        Harness.seen.delconsumerPending += owned;
        return;
      }
      case 'read':
        this.read(o, now);
        return;
      case 'ack': {
        const m = this.groups.get(GROUPS[o.g]);
        const ids = o.pick.map((i) => this.pick(i));
        const r = this.run('XACK', 's', GROUPS[o.g], ...ids.map(formatId));
        let acked = 0;
        if (m !== undefined) for (const id of ids) if (m.pel.delete(id)) acked++;
        expect(r).toEqual({ t: 'int', v: acked });
        Harness.seen.acked += acked;
        return;
      }
      case 'claim':
        this.claim(o, now);
        return;
      case 'autoclaim':
        this.autoclaim(o, now);
        return;
    }
  }

  private read(o: Extract<Op, { op: 'read' }>, now: number): void {
    const m = this.groups.get(GROUPS[o.g]);
    const name = CONSUMERS[o.c];
    const argv = ['XREADGROUP', 'GROUP', GROUPS[o.g], name, 'COUNT', String(o.count)];
    if (o.noack) argv.push('NOACK');
    argv.push('STREAMS', 's', o.history ? '0' : '>');
    // xreadCommand serves (and creates the consumer) for a history read, or when the stream has a
    // live entry past the group's last delivered ID.
    const s = this.stream();
    const lastValid = s?.lastValidId();
    const grp = s?.lookupGroup(GROUPS[o.g]);
    const serves = o.history || (grp !== undefined && lastValid !== undefined && lastValid > grp.lastId);
    const r = this.run(...argv);
    if (m === undefined) {
      expect(r.t).toBe('error');
      return;
    }
    if (serves) m.consumers.add(name);
    const ids: StreamID[] = [];
    if (r.t === 'array' && r.v !== null) {
      for (const e of items(items(r.v[0])[1])) ids.push(parseId(text(items(e)[0])));
    } else expect(r).toEqual({ t: 'array', v: null });
    if (o.history) {
      // The consumer's own pending entries, oldest first; live ones are delivered once more.
      const own = [...m.pel]
        .filter(([, n]) => n.owner === name)
        .map(([id]) => id)
        .sort((a, b) => (a < b ? -1 : 1));
      expect(ids).toEqual(own.slice(0, o.count));
      Harness.seen.history += ids.length;
      const live = new Set(this.liveIds());
      for (const id of ids) {
        const n = m.pel.get(id) as NackModel;
        if (live.has(id)) {
          n.count++;
          n.time = now;
        }
      }
    } else if (!o.noack) {
      for (const id of ids) m.pel.set(id, { owner: name, count: 1n, time: now });
      Harness.seen.delivered += ids.length;
    }
  }

  private claim(o: Extract<Op, { op: 'claim' }>, now: number): void {
    const m = this.groups.get(GROUPS[o.g]);
    const name = CONSUMERS[o.c];
    const ids = o.pick.map((i) => this.pick(i));
    const argv = ['XCLAIM', 's', GROUPS[o.g], name, String(o.minIdle), ...ids.map(formatId)];
    if (o.force) argv.push('FORCE');
    if (o.justid) argv.push('JUSTID');
    if (o.retry >= 0) argv.push('RETRYCOUNT', String(o.retry));
    const r = this.run(...argv);
    if (m === undefined) {
      expect(r.t).toBe('error');
      return;
    }
    const live = new Set(this.liveIds());
    const claimed: StreamID[] = [];
    for (const id of ids) {
      let n = m.pel.get(id);
      if (!live.has(id)) {
        m.pel.delete(id);
        continue;
      }
      if (n === undefined && o.force) {
        // streamCreateNACK starts the delivery count at 1 (so a non-JUSTID claim makes it 2).
        n = { owner: null, count: 1n, time: now };
        m.pel.set(id, n);
      }
      if (n === undefined) continue;
      if (n.owner !== null && o.minIdle > 0 && now - n.time < o.minIdle) continue;
      m.consumers.add(name);
      n.owner = name;
      n.time = now;
      if (o.retry >= 0) n.count = BigInt(o.retry);
      else if (!o.justid) n.count++;
      claimed.push(id);
    }
    expect(r.t).toBe('array');
    const got = items(r).map((x) => parseId(text(o.justid ? x : items(x)[0])));
    expect(got).toEqual(claimed);
    Harness.seen.claimed += claimed.length;
  }

  private autoclaim(o: Extract<Op, { op: 'autoclaim' }>, now: number): void {
    const m = this.groups.get(GROUPS[o.g]);
    const name = CONSUMERS[o.c];
    const start = this.pick(o.start);
    const argv = ['XAUTOCLAIM', 's', GROUPS[o.g], name, String(o.minIdle), formatId(start), 'COUNT', String(o.count)];
    if (o.justid) argv.push('JUSTID');
    const r = this.run(...argv);
    if (m === undefined) {
      expect(r.t).toBe('error');
      return;
    }
    const live = new Set(this.liveIds());
    const order = [...m.pel.keys()].filter((id) => id >= start).sort((a, b) => (a < b ? -1 : 1));
    let attempts = o.count * 10;
    let count = o.count;
    let i = 0;
    const claimed: StreamID[] = [];
    const deleted: StreamID[] = [];
    while (attempts-- > 0 && count > 0 && i < order.length) {
      const id = order[i++];
      const n = m.pel.get(id) as NackModel;
      if (!live.has(id)) {
        m.pel.delete(id);
        deleted.push(id);
        count--;
        continue;
      }
      if (o.minIdle > 0 && now - n.time < o.minIdle) continue;
      m.consumers.add(name);
      n.owner = name;
      n.time = now;
      if (!o.justid) n.count++;
      claimed.push(id);
      count--;
    }
    const cursor = i < order.length ? order[i] : 0n;
    const v = items(r);
    expect(parseId(text(v[0]))).toBe(cursor);
    const got = items(v[1]).map((x) => parseId(text(o.justid ? x : items(x)[0])));
    expect(got).toEqual(claimed);
    expect(items(v[2]).map((x) => parseId(text(x)))).toEqual(deleted);
    Harness.seen.claimed += claimed.length;
    Harness.seen.autoclaimDeleted += deleted.length;
  }

  /** Structure and model agree. */
  check(): void {
    const s = this.stream();
    if (s === undefined) {
      expect(this.groups.size).toBe(0);
      return;
    }
    // The node index: ordered keys, live/deleted counters, listpack sizes, at most 4 entries a node.
    let length = 0;
    let prev = -1n;
    for (const [master, node] of s.rax.ascending()) {
      expect(node.master).toBe(master);
      expect(node.entries.length).toBeGreaterThan(0);
      expect(node.entries.length).toBeLessThanOrEqual(4);
      expect(node.entries[0].id).toBe(master);
      const live = node.entries.filter((e) => (e.flags & FLAG_DELETED) === 0).length;
      // (A node may keep no live entry: streamTrim's MINID can leave one, as Redis does; see stream.redis.)
      expect(node.live).toBe(live);
      expect(node.deleted).toBe(node.entries.length - live);
      expect(node.bytes).toBe(listpackBytes(listpackElements(node)));
      for (const e of node.entries) {
        expect(e.id > prev).toBe(true);
        prev = e.id;
      }
      length += live;
    }
    expect(s.length).toBe(length);
    const live = this.liveIds();
    expect(s.firstId).toBe(live.length > 0 ? live[0] : 0n);
    expect(s.lastId >= prev).toBe(true);
    // Groups: same names; each PEL shared with its owner's PEL, objects identical, counts equal.
    const names = (s.groups?.keys() ?? []).slice().sort();
    expect(names).toEqual([...this.groups.keys()].sort());
    for (const [gname, model] of this.groups) {
      const grp = s.lookupGroup(gname);
      if (grp === undefined) throw new Error(`group ${gname} missing`);
      let inConsumers = 0;
      for (const cons of grp.consumers.values()) {
        expect(grp.consumers.get(cons.name)).toBe(cons);
        for (const [id, nack] of cons.pel.ascending()) {
          expect(grp.pel.get(id)).toBe(nack);
          expect(nack.consumer).toBe(cons);
          inConsumers++;
        }
      }
      expect(inConsumers).toBe(grp.pel.size);
      expect(grp.consumers.keys().slice().sort()).toEqual([...model.consumers].sort());
      const actual = [...grp.pel.ascending()].map(
        ([id, n]) => `${formatId(id)} ${n.consumer?.name} ${n.deliveryCount} ${n.deliveryTime}`,
      );
      const expected = [...model.pel]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([id, n]) => `${formatId(id)} ${n.owner} ${n.count} ${n.time}`);
      expect(actual).toEqual(expected);
      // XPENDING's summary agrees with the model.
      expect(items(this.run('XPENDING', 's', gname))[0]).toEqual({ t: 'int', v: model.pel.size });
    }
  }
}

describe('streams with consumer groups under random operations', () => {
  it('keep the node index, tombstones, PELs and consumers consistent with a model (>= 10,000 ops)', () => {
    let total = 0;
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 400, maxLength: 600 }), (ops) => {
        const h = new Harness();
        for (let i = 0; i < ops.length; i++) {
          try {
            h.apply(ops[i]);
            h.check();
          } catch (e) {
            // The steps that led here, for the report (the arrays are too long to shrink usefully).
            const detail = e as { actual?: unknown; expected?: unknown };
            const show = (x: unknown) => JSON.stringify(x, (_k, v) => (typeof v === 'bigint' ? String(v) : v));
            throw new Error(
              `step ${i}: ${JSON.stringify(ops.slice(Math.max(0, i - 6), i + 1))}\n${e}\n` +
                `actual ${show(detail.actual)}\nexpected ${show(detail.expected)}`,
            );
          }
        }
        total += h.ops;
      }),
      { numRuns: 25, seed: 1337, endOnFailure: true },
    );
    console.info(`stream property: ${total} operations in 25 runs, invariants checked after each`, Harness.seen);
    expect(total).toBeGreaterThanOrEqual(10_000);
    for (const n of Object.values(Harness.seen)) expect(n).toBeGreaterThan(0);
  }, 120_000);
});
