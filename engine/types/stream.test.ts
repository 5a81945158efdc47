import { describe, expect, it } from 'vitest';
import { jemallocSize } from '../keyspace/memory';
import { createRandom } from '../random';
import { listpackBytes } from './listpack';
import {
  FLAG_DELETED,
  FLAG_SAMEFIELDS,
  formatId,
  ID_MAX,
  idMs,
  idSeq,
  makeId,
  type NodeLimits,
  RedisStream,
  type StreamNode,
  type TrimArgs,
} from './stream';
import { Rax } from './stream-rax';

/** The node's listpack elements, rebuilt from its entries as t_stream.c lays them out. */
function listpackElements(node: StreamNode): string[] {
  const out = [String(node.live), String(node.deleted), String(node.masterFields.length), ...node.masterFields, '0'];
  for (const e of node.entries) {
    const same = (e.flags & FLAG_SAMEFIELDS) !== 0;
    out.push(String(e.flags));
    out.push(String(BigInt.asIntN(64, idMs(e.id) - idMs(node.master))));
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

/** Everything that must hold between the nodes and the stream's counters. */
function checkInvariants(s: RedisStream, limits: NodeLimits): void {
  let length = 0;
  let prev = -1n;
  for (const node of s.rax.values()) {
    expect(node.entries.length).toBeGreaterThan(0);
    expect(node.entries[0].id).toBe(node.master);
    if (limits.maxEntries > 0) expect(node.entries.length).toBeLessThanOrEqual(limits.maxEntries);
    const live = node.entries.filter((e) => (e.flags & FLAG_DELETED) === 0).length;
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
  const live = [...s.range(0n, ID_MAX)].map(([e]) => e.id);
  expect(s.firstId).toBe(live.length > 0 ? live[0] : 0n);
  expect(s.lastId >= prev).toBe(true);
}

describe('RedisStream nodes', () => {
  const limits = { maxBytes: 4096, maxEntries: 3 };

  it('starts a node every stream-node-max-entries entries, tombstones included', () => {
    const s = new RedisStream();
    for (let i = 1; i <= 7; i++) s.append(['f', 'v'], makeId(BigInt(i), 0n), true, 0, limits);
    expect(s.nodeCount).toBe(3);
    s.delete(makeId(2n, 0n));
    s.append(['f', 'v'], makeId(8n, 0n), true, 0, limits);
    s.append(['f', 'v'], makeId(9n, 0n), true, 0, limits);
    expect(s.rax.values().map((n) => n.entries.length)).toEqual([3, 3, 3]);
    checkInvariants(s, limits);
  });

  it('starts a node when the listpack would reach stream-node-max-bytes', () => {
    const s = new RedisStream();
    const big = { maxBytes: 60, maxEntries: 0 };
    s.append(['field', 'value'], makeId(1n, 0n), true, 0, big);
    const first = s.rax.values()[0].bytes;
    s.append(['field', 'value'], makeId(2n, 0n), true, 0, big);
    // 7 header/end bytes + counters 1,0 and num-fields 1 (2 bytes each) + "field" (7) + the 0 (2)
    // + entry flags, deltas, value, lp-count (2+2+2+7+2).
    expect(first).toBe(7 + 2 + 2 + 2 + 7 + 2 + 15);
    expect(s.nodeCount).toBe(1);
    s.append(['field', 'value'], makeId(3n, 0n), true, 0, big);
    // 37 + 15 = 52 bytes: 52 + 10 ("field" + "value") reaches 60, so the next entry starts a node.
    expect(s.rax.values()[0].bytes).toBe(52);
    expect(s.nodeCount).toBe(2);
    checkInvariants(s, big);
  });

  it('stores entries with the master fields as "same fields"', () => {
    const s = new RedisStream();
    s.append(['a', '1', 'b', '2'], makeId(1n, 0n), true, 0, limits);
    s.append(['a', '3', 'b', '4'], makeId(2n, 0n), true, 0, limits);
    s.append(['b', '3', 'a', '4'], makeId(3n, 0n), true, 0, limits);
    const node = s.rax.values()[0];
    expect(node.masterFields).toEqual(['a', 'b']);
    expect(node.entries.map((e) => e.flags)).toEqual([FLAG_SAMEFIELDS, FLAG_SAMEFIELDS, 0]);
    expect(node.fieldValues(node.entries[2])).toEqual(['b', '3', 'a', '4']);
  });

  it('drops a node when its last live entry is deleted, keeping tombstones otherwise', () => {
    const s = new RedisStream();
    for (let i = 1; i <= 3; i++) s.append(['f', 'v'], makeId(BigInt(i), 0n), true, 0, limits);
    expect(s.delete(makeId(1n, 0n))).toBe(true);
    expect(s.delete(makeId(1n, 0n))).toBe(false);
    expect(s.rax.values()[0].deleted).toBe(1);
    s.delete(makeId(2n, 0n));
    s.delete(makeId(3n, 0n));
    expect(s.nodeCount).toBe(0);
    expect(s.length).toBe(0);
  });

  it('generates IDs from the clock, never going back', () => {
    const s = new RedisStream();
    const r1 = s.append(['f', 'v'], null, true, 1000, limits);
    const r2 = s.append(['f', 'v'], null, true, 1000, limits);
    const r3 = s.append(['f', 'v'], null, true, 900, limits);
    const r4 = s.append(['f', 'v'], null, true, 1001, limits);
    expect([r1, r2, r3, r4].map((r) => (r.ok ? formatId(r.id) : r.error))).toEqual([
      '1000-0',
      '1000-1',
      '1000-2',
      '1001-0',
    ]);
    expect(s.append(['f', 'v'], makeId(1001n, 0n), true, 0, limits)).toEqual({ ok: false, error: 'EDOM' });
    expect(s.append(['f', 'v'], makeId(1001n, 0n), false, 0, limits)).toEqual({ ok: true, id: makeId(1001n, 1n) });
  });

  it('counts the rax nodes of the master IDs like Redis (measured on 7.0.15)', () => {
    const s = new RedisStream();
    const one = { maxBytes: 4096, maxEntries: 1 };
    expect(s.radixTreeNodes()).toBe(1);
    const ids: [bigint, bigint][] = [
      [1n, 1n],
      [2n, 1n],
      [256n, 1n],
      [257n, 1n],
      [65536n, 0n],
      [65537n, 0n],
      [65792n, 5n],
      [1099511627776n, 3n],
    ];
    for (const [ms, seq] of ids) s.append(['f', 'v'], makeId(ms, seq), true, 0, one);
    expect(s.radixTreeNodes()).toBe(25);
    const after: number[] = [];
    for (const [ms, seq] of [ids[2], ids[0], ids[6], ids[1]]) {
      s.delete(makeId(ms, seq));
      after.push(s.radixTreeNodes());
    }
    expect(after).toEqual([22, 19, 17, 14]);
  });
});

/** A random sequence of XADD/XDEL/XTRIM against a plain sorted list of IDs. */
function runModel(seed: number, limits: NodeLimits, steps: number): void {
  const rnd = createRandom(seed);
  const s = new RedisStream();
  let model: bigint[] = [];
  let ms = 1n;
  const fieldsets = [['a'], ['a', 'b'], ['b', 'a'], ['x', 'y', 'z'], ['12', '-5']];
  for (let step = 0; step < steps; step++) {
    const op = rnd.int(10);
    if (op < 6) {
      ms += BigInt(rnd.int(3));
      const fields = fieldsets[rnd.int(fieldsets.length)];
      const fv: string[] = [];
      for (const f of fields) fv.push(f, rnd.int(2) ? String(rnd.int(100000)) : 'v'.repeat(rnd.int(40)));
      const tail = s.rax.last()?.[1];
      const before = tail === undefined ? 0 : tail.bytes;
      const countBefore = tail === undefined ? 0 : tail.entries.length;
      const total = fv.reduce((n, x) => n + x.length, 0);
      const r = s.append(fv, makeId(ms, 0n), false, 0, limits);
      expect(r.ok).toBe(true);
      if (r.ok) model.push(r.id);
      // The tail node took the entry only while under both limits; otherwise a new node began.
      if (tail !== undefined) {
        const full = before + total >= limits.maxBytes || (limits.maxEntries > 0 && countBefore >= limits.maxEntries);
        expect(s.rax.last()?.[1] !== tail).toBe(full);
      }
    } else if (op < 8) {
      const target = model.length > 0 && rnd.int(4) > 0 ? model[rnd.int(model.length)] : makeId(ms + 1n, 9n);
      const existed = model.includes(target);
      expect(s.delete(target)).toBe(existed);
      model = model.filter((id) => id !== target);
      if (s.length === 0) s.firstId = 0n;
      else if (existed) s.firstId = s.edgeId(true, true);
    } else {
      const maxlen = rnd.int(model.length + 2);
      const minid = model.length > 0 ? model[rnd.int(model.length)] : 0n;
      const approx = rnd.int(2) === 1;
      const a: TrimArgs = {
        strategy: rnd.int(2) ? 'maxlen' : 'minid',
        maxlen,
        minid,
        approx,
        limit: approx ? [0, 3, 100][rnd.int(3)] : 0,
      };
      const mastersBefore = s.rax.keys();
      const removed = s.trim(a);
      const exact =
        a.strategy === 'maxlen' ? Math.max(0, model.length - maxlen) : model.filter((id) => id < minid).length;
      if (approx) {
        // Only whole nodes go, never more than the exact trim would remove.
        expect(removed).toBeLessThanOrEqual(exact);
        const mastersAfter = s.rax.keys();
        expect(mastersAfter).toEqual(mastersBefore.slice(mastersBefore.length - mastersAfter.length));
      } else {
        expect(removed).toBe(exact);
      }
      model = model.slice(removed);
    }
    expect([...s.range(0n, ID_MAX)].map(([e]) => e.id)).toEqual(model);
    checkInvariants(s, limits);
  }
}

describe('RedisStream against a model', () => {
  it('keeps nodes, counts and IDs consistent under random XADD/XDEL/XTRIM (small nodes)', () => {
    for (let seed = 1; seed <= 20; seed++) runModel(seed, { maxBytes: 4096, maxEntries: 4 }, 200);
  });

  it('keeps nodes, counts and IDs consistent under random XADD/XDEL/XTRIM (byte-bounded nodes)', () => {
    for (let seed = 21; seed <= 40; seed++) runModel(seed, { maxBytes: 120, maxEntries: 0 }, 200);
  });

  it('reads ranges in both directions from any point', () => {
    const s = new RedisStream();
    const lim = { maxBytes: 4096, maxEntries: 3 };
    const ids: bigint[] = [];
    for (let i = 1; i <= 20; i++) {
      const id = makeId(BigInt(i * 2), 0n);
      s.append(['f', String(i)], id, true, 0, lim);
      ids.push(id);
    }
    s.delete(ids[4]);
    const live = ids.filter((_, i) => i !== 4);
    for (let a = 0n; a <= 42n; a += 3n) {
      for (let b = a; b <= 42n; b += 5n) {
        const lo = makeId(a, 0n);
        const hi = makeId(b, 0n);
        const want = live.filter((id) => id >= lo && id <= hi);
        expect([...s.range(lo, hi)].map(([e]) => e.id)).toEqual(want);
        expect([...s.range(lo, hi, true)].map(([e]) => e.id)).toEqual(want.slice().reverse());
      }
    }
  });
});

describe('RedisStream groups', () => {
  it('estimates the distance from the first entry as 7.0 does', () => {
    const s = new RedisStream();
    const lim = { maxBytes: 4096, maxEntries: 100 };
    expect(s.estimateDistance(makeId(5n, 0n))).toBe(0n);
    for (let i = 1n; i <= 4n; i++) s.append(['f', 'v'], makeId(i, 0n), true, 0, lim);
    expect(s.estimateDistance(makeId(4n, 0n))).toBe(4n);
    expect(s.estimateDistance(makeId(1n, 0n))).toBe(1n);
    expect(s.estimateDistance(makeId(0n, 5n))).toBe(0n);
    expect(s.estimateDistance(makeId(2n, 0n))).toBe(-1n);
    expect(s.estimateDistance(makeId(9n, 0n))).toBe(-1n);
    s.delete(makeId(1n, 0n));
    s.maxDeletedId = makeId(1n, 0n);
    s.firstId = makeId(2n, 0n);
    expect(s.estimateDistance(makeId(2n, 0n))).toBe(2n);
    s.delete(makeId(3n, 0n));
    s.maxDeletedId = makeId(3n, 0n);
    expect(s.estimateDistance(makeId(2n, 0n))).toBe(-1n);
    const g = s.createGroup('g', makeId(2n, 0n), 2n);
    expect(g).not.toBeNull();
    expect(s.createGroup('g', 0n, 0n)).toBeNull();
    // A tombstone after the group's last ID makes entries_read unusable: the lag is unknown.
    expect(s.groupLag(g as NonNullable<typeof g>)).toBeNull();
  });

  it('duplicates groups with PELs shared between the group and its consumers', () => {
    const s = new RedisStream();
    s.append(['f', 'v'], makeId(1n, 0n), true, 0, { maxBytes: 4096, maxEntries: 100 });
    const g = s.createGroup('g', makeId(1n, 0n), 1n) as NonNullable<ReturnType<RedisStream['createGroup']>>;
    const c = RedisStream.addConsumer(g, 'alice', 5) as NonNullable<ReturnType<typeof RedisStream.addConsumer>>;
    const nack = { deliveryTime: 7, deliveryCount: 1n, consumer: c };
    g.pel.set(makeId(1n, 0n), nack);
    c.pel.set(makeId(1n, 0n), nack);
    const copy = s.dup();
    const g2 = copy.lookupGroup('g') as typeof g;
    const n2 = g2.pel.get(makeId(1n, 0n));
    expect(n2?.consumer).toBe(g2.consumers.get('alice'));
    expect(g2.consumers.get('alice')?.pel.get(makeId(1n, 0n))).toBe(n2);
    nack.deliveryCount = 9n;
    expect(n2?.deliveryCount).toBe(1n);
    const withoutAlloc = (r: RedisStream) => ({
      ...r.describe(),
      groups: [],
      nodes: r.describe().nodes.map(({ alloc, ...n }) => n),
    });
    expect(withoutAlloc(copy)).toEqual(withoutAlloc(s));
    // streamDup allocates each listpack to fit; the original tail node keeps its 4096-byte preallocation.
    expect(s.describe().nodes[0].alloc).toBe(4096);
    expect(copy.describe().nodes[0].alloc).toBe(jemallocSize(copy.describe().nodes[0].bytes));
    expect(copy.describe().groups[0].pending[0]).toEqual({
      id: '1-0',
      consumer: 'alice',
      deliveryTime: 7,
      deliveryCount: '1',
    });
    expect(RedisStream.deleteConsumer(g, c)).toBe(1);
    expect(g.pel.size).toBe(0);
  });
});

describe('Rax', () => {
  it('behaves as a sorted map under random inserts and deletes', () => {
    const rnd = createRandom(7);
    const r = new Rax<bigint, number>();
    const model = new Map<bigint, number>();
    for (let i = 0; i < 3000; i++) {
      const k = BigInt(rnd.int(500));
      if (rnd.int(3) === 0) {
        expect(r.delete(k)).toBe(model.delete(k));
      } else {
        expect(r.set(k, i)).toBe(!model.has(k));
        model.set(k, i);
      }
      if (i % 100 === 0) {
        const keys = [...model.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        expect(r.keys()).toEqual(keys);
        expect(r.size).toBe(model.size);
        const probe = BigInt(rnd.int(520));
        expect(r.floor(probe)?.[0]).toBe(keys.filter((k) => k <= probe).pop());
        expect(r.ceil(probe)?.[0]).toBe(keys.find((k) => k >= probe));
        expect([...r.ascending(probe)].map(([k]) => k)).toEqual(keys.filter((k) => k >= probe));
        expect([...r.descending(probe)].map(([k]) => k)).toEqual(keys.filter((k) => k <= probe).reverse());
      }
    }
  });

  it('orders names as memcmp does', () => {
    const r = new Rax<string, number>();
    for (const k of ['b', 'a', 'ab', '\xff', 'B', '']) r.set(k, 1);
    expect(r.keys()).toEqual(['', 'B', 'a', 'ab', 'b', '\xff']);
  });
});
