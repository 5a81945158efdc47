// Property tests for the hash (hash.ts), set + intset (set.ts, intset.ts) and list (quicklist.ts)
// types: random operation sequences with small thresholds, checked after every operation against
// a plain Map / Set / Array model and the encoding invariants of t_hash.c, t_set.c, intset.c and
// quicklist.c (small encoding only under the thresholds, one-way conversion, node limits).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RedisHash } from './hash';
import { valueEncoding } from './intset';
import { entrySize, LP_EMPTY_BYTES } from './listpack';
import { Quicklist } from './quicklist';
import { RedisSet } from './set';

const SEED = 42;
const OPS_PER_TYPE = 10_000;

// ---- hash -----------------------------------------------------------------------------------------

type HashOp =
  | { op: 'set'; field: string; value: string; viaTry: boolean }
  | { op: 'del'; field: string }
  | { op: 'get'; field: string };

const hashField = fc.oneof(
  fc.constantFrom('f0', 'f1', 'f2', 'f3', 'f4', 'f5', 'f6', 'f7', ''),
  fc.string({ minLength: 0, maxLength: 10 }),
);
const hashOp: fc.Arbitrary<HashOp> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      op: fc.constant('set' as const),
      field: hashField,
      value: fc.string({ minLength: 0, maxLength: 9 }),
      viaTry: fc.boolean(),
    }),
  },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('del' as const), field: hashField }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('get' as const), field: hashField }) },
);

// ---- set ------------------------------------------------------------------------------------------

type SetOp = { op: 'add' | 'rem' | 'has'; member: string };

const setMember = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -40000, max: 40000 }).map(String) },
  { weight: 2, arbitrary: fc.integer({ min: -3_000_000_000, max: 3_000_000_000 }).map(String) },
  { weight: 1, arbitrary: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '0',
      '-1',
      '32767',
      '-32768',
      '32768',
      '2147483647',
      '-2147483648',
      '2147483648',
      '9223372036854775807',
      '-9223372036854775808',
      '9223372036854775808',
      '01',
      '-0',
      '+1',
      ' 1',
      '1.0',
      'a',
      '',
    ),
  },
);
const setOp: fc.Arbitrary<SetOp> = fc.record({
  op: fc.constantFrom<SetOp['op']>('add', 'add', 'add', 'rem', 'rem', 'has'),
  member: setMember,
});

const isCanonicalInt64 = (s: string): boolean => {
  if (!/^-?(0|[1-9][0-9]*)$/.test(s) || s === '-0') return false;
  const n = BigInt(s);
  return n >= -(2n ** 63n) && n <= 2n ** 63n - 1n;
};

const widthOf = (s: string): 2 | 4 | 8 => {
  const n = BigInt(s);
  return valueEncoding(n >= -(2n ** 53n) && n <= 2n ** 53n ? Number(n) : n);
};

// ---- list -----------------------------------------------------------------------------------------

type ListOp =
  | { op: 'push'; head: boolean; v: string }
  | { op: 'pop'; head: boolean }
  | { op: 'set'; idx: number; v: string }
  | { op: 'delRange'; start: number; count: number }
  | { op: 'rem'; v: string; limit: number; fromTail: boolean }
  | { op: 'insert'; pivot: string; v: string; after: boolean };

const listValue = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('a', 'b', 'c', '1', '22', '-7') },
  { weight: 1, arbitrary: fc.string({ minLength: 0, maxLength: 1200 }) },
);
const listOp: fc.Arbitrary<ListOp> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({ op: fc.constant('push' as const), head: fc.boolean(), v: listValue }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('pop' as const), head: fc.boolean() }) },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant('set' as const), idx: fc.integer({ min: -40, max: 40 }), v: listValue }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('delRange' as const),
      start: fc.integer({ min: -40, max: 40 }),
      count: fc.integer({ min: 0, max: 8 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('rem' as const),
      v: listValue,
      limit: fc.integer({ min: 0, max: 3 }),
      fromTail: fc.boolean(),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('insert' as const),
      pivot: listValue,
      v: listValue,
      after: fc.boolean(),
    }),
  },
);

/** Model of LREM: drop up to `limit` (0: all) elements equal to v, walking from one end. */
function modelRemove(arr: string[], v: string, limit: number, fromTail: boolean): number {
  let removed = 0;
  if (fromTail) {
    for (let i = arr.length - 1; i >= 0 && (limit === 0 || removed < limit); i--) {
      if (arr[i] === v) {
        arr.splice(i, 1);
        removed++;
      }
    }
  } else {
    for (let i = 0; i < arr.length && (limit === 0 || removed < limit); ) {
      if (arr[i] === v) {
        arr.splice(i, 1);
        removed++;
      } else i++;
    }
  }
  return removed;
}

/** Model of quicklistDelRange's clamping. */
function modelDelRange(arr: string[], start: number, count: number): boolean {
  if (count <= 0) return false;
  const pos = start < 0 ? arr.length + start : start;
  if (pos < 0 || pos >= arr.length) return false;
  arr.splice(pos, count);
  return true;
}

/** The node-size invariants for a fill: count-limited (fill > 0) or byte-limited (fill < 0). */
function checkNodes(q: Quicklist): void {
  let count = 0;
  let nodes = 0;
  let prev = null;
  for (let n = q.head; n !== null; n = n.next) {
    expect(n.prev).toBe(prev);
    expect(n.count).toBeGreaterThan(0);
    let exact = LP_EMPTY_BYTES;
    for (const e of n.entries) exact += entrySize(e);
    expect(n.sz).toBe(exact);
    if (n.count > 1) {
      if (q.fill > 0) {
        expect(n.count).toBeLessThanOrEqual(q.fill);
        expect(n.sz).toBeLessThanOrEqual(8192);
      } else {
        // quicklist.c estimates a merge as a.sz + b.sz - 11 while the real listpack is
        // a.sz + b.sz - 7 bytes: a merged node may end up to 4 bytes over the byte limit.
        expect(n.sz).toBeLessThanOrEqual([4096, 8192, 16384, 32768, 65536][-q.fill - 1] + 4);
      }
    }
    count += n.count;
    nodes++;
    prev = n;
  }
  expect(q.tail).toBe(prev);
  expect(count).toBe(q.count);
  expect(nodes).toBe(q.len);
}

describe('collection types under random operations', () => {
  it('hash: listpack in insertion order below the thresholds, then a hashtable for good', () => {
    const runs = 200;
    const len = OPS_PER_TYPE / runs;
    let total = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 2, max: 8 }),
        fc.array(hashOp, { minLength: len, maxLength: len }),
        (maxEntries, maxValue, ops) => {
          const limits = { maxEntries, maxValue };
          const h = new RedisHash(SEED);
          const model = new Map<string, string>();
          let converted = false;
          for (const o of ops) {
            total++;
            if (o.op === 'set') {
              const long = o.field.length > maxValue || o.value.length > maxValue;
              if (o.viaTry) h.tryConversion(['HSET', 'k', o.field, o.value], 2, 3, maxValue);
              const existed = model.has(o.field);
              expect(h.set(o.field, o.value, limits)).toBe(existed);
              model.set(o.field, o.value);
              if (long || model.size > maxEntries) converted = true;
            } else if (o.op === 'del') {
              expect(h.delete(o.field)).toBe(model.delete(o.field));
            } else {
              expect(h.get(o.field)).toBe(model.get(o.field));
              expect(h.has(o.field)).toBe(model.has(o.field));
            }
            expect(h.size).toBe(model.size);
            expect(h.encoding()).toBe(converted ? 'hashtable' : 'listpack');
            if (converted) {
              const got = [...h.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
              const want = [...model.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
              expect(got).toEqual(want);
            } else {
              // Updates keep their slot, new fields append: the Map's insertion order.
              expect([...h.entries()]).toEqual([...model.entries()]);
              expect(h.size).toBeLessThanOrEqual(maxEntries);
            }
          }
        },
      ),
      { seed: SEED, numRuns: runs },
    );
    expect(total).toBeGreaterThanOrEqual(OPS_PER_TYPE);
  });

  it('set: a sorted intset of the widest width seen until a string or one too many, then a hashtable', () => {
    const runs = 200;
    const len = OPS_PER_TYPE / runs;
    let total = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        setMember,
        fc.array(setOp, { minLength: len, maxLength: len }),
        (maxIntset, first, ops) => {
          // SADD creates the key from its first member (setTypeCreate), then adds it.
          const s = RedisSet.forFirstMember(SEED, first);
          const model = new Set<string>();
          let converted = !isCanonicalInt64(first);
          let width = 2;
          const all: SetOp[] = [{ op: 'add', member: first }, ...ops];
          for (const o of all) {
            total++;
            if (o.op === 'add') {
              const isInt = isCanonicalInt64(o.member);
              const added = !model.has(o.member);
              expect(s.add(o.member, maxIntset)).toBe(added);
              model.add(o.member);
              if (!converted) {
                if (!isInt || model.size > maxIntset) converted = true;
                else width = Math.max(width, widthOf(o.member));
              }
            } else if (o.op === 'rem') {
              expect(s.remove(o.member)).toBe(model.delete(o.member));
            } else {
              expect(s.has(o.member)).toBe(model.has(o.member));
            }
            expect(s.size).toBe(model.size);
            expect(s.encoding()).toBe(converted ? 'hashtable' : 'intset');
            const snap = s.describe();
            if (snap.encoding === 'intset') {
              const vals = snap.intset.values;
              expect(vals.length).toBeLessThanOrEqual(maxIntset);
              for (let i = 1; i < vals.length; i++) expect(BigInt(vals[i - 1]) < BigInt(vals[i])).toBe(true);
              expect(new Set(vals)).toEqual(model);
              expect(snap.intset.encoding).toBe(width === 2 ? 'int16' : width === 4 ? 'int32' : 'int64');
              expect(snap.intset.bytes).toBe(8 + vals.length * width);
              expect(s.intsetBytes()).toBe(snap.intset.bytes);
            } else {
              expect(new Set(s.members())).toEqual(model);
              expect(s.intsetBytes()).toBeUndefined();
            }
          }
        },
      ),
      { seed: SEED, numRuns: runs },
    );
    expect(total).toBeGreaterThanOrEqual(OPS_PER_TYPE);
  });

  it('list: quicklist matches an array, nodes non-empty and within the fill limit', () => {
    const runs = 200;
    const len = OPS_PER_TYPE / runs;
    let total = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(1, 2, 3, 4, 5, -1),
        fc.array(listOp, { minLength: len, maxLength: len }),
        (fill, ops) => {
          const q = new Quicklist(fill, 0);
          const model: string[] = [];
          for (const o of ops) {
            total++;
            switch (o.op) {
              case 'push':
                q.push(o.v, o.head);
                if (o.head) model.unshift(o.v);
                else model.push(o.v);
                break;
              case 'pop':
                expect(q.pop(o.head)).toBe(o.head ? model.shift() : model.pop());
                break;
              case 'set': {
                const pos = o.idx < 0 ? model.length + o.idx : o.idx;
                const ok = pos >= 0 && pos < model.length;
                expect(q.replaceAt(o.idx, o.v)).toBe(ok);
                if (ok) model[pos] = o.v;
                break;
              }
              case 'delRange':
                expect(q.delRange(o.start, o.count)).toBe(modelDelRange(model, o.start, o.count));
                break;
              case 'rem':
                expect(q.removeMatches(o.v, o.limit, o.fromTail)).toBe(modelRemove(model, o.v, o.limit, o.fromTail));
                break;
              case 'insert': {
                const at = q.find(o.pivot);
                const i = model.indexOf(o.pivot);
                expect(at === null).toBe(i === -1);
                if (at !== null) {
                  q.insertAt(at.node, at.offset, o.v, o.after);
                  model.splice(o.after ? i + 1 : i, 0, o.v);
                }
                break;
              }
            }
            expect(q.length).toBe(model.length);
            expect(q.toArray()).toEqual(model);
            if (model.length > 0) {
              expect(q.index(-1)).toBe(model[model.length - 1]);
              expect(q.range(0, model.length - 1, true)).toEqual([...model].reverse());
            } else {
              expect(q.head).toBeNull();
            }
            checkNodes(q);
          }
        },
      ),
      { seed: SEED, numRuns: runs },
    );
    expect(total).toBeGreaterThanOrEqual(OPS_PER_TYPE);
  });
});
