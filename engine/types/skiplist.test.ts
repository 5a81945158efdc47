import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRandom } from '../random';
import { cmpLex, LEX_MAX, LEX_MIN, NIL, type ScoreRange, SkipList, ZSKIPLIST_MAXLEVEL, type ZslNode } from './skiplist';
import { checkSkipList } from './zset-invariants';

const fill = (zsl: SkipList, items: [number, string][]) => {
  for (const [s, m] of items) zsl.insert(s, m);
};

describe('skip list', () => {
  it('keeps (score, member) order, spans and backward links through random inserts and deletes', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            del: fc.boolean(),
            score: fc.integer({ min: -3, max: 3 }),
            member: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', '', '\x00', '\xff'),
          }),
          { maxLength: 80 },
        ),
        fc.integer(),
        (ops, seed) => {
          const zsl = new SkipList(createRandom(seed));
          const model = new Map<string, number>();
          for (const op of ops) {
            const cur = model.get(op.member);
            if (op.del) {
              expect(zsl.delete(cur ?? op.score, op.member)).toBe(cur !== undefined);
              model.delete(op.member);
            } else if (cur === undefined) {
              zsl.insert(op.score, op.member);
              model.set(op.member, op.score);
            } else {
              const node = zsl.updateScore(cur, op.member, op.score);
              expect(zsl.score(node)).toBe(op.score);
              model.set(op.member, op.score);
            }
            checkSkipList(zsl);
          }
          const sorted = [...model].sort((x, y) => x[1] - y[1] || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
          sorted.forEach(([m, s], i) => {
            expect(zsl.getRank(s, m)).toBe(i + 1);
            expect(zsl.member(zsl.getElementByRank(i + 1))).toBe(m);
          });
          expect(zsl.getElementByRank(sorted.length + 1)).toBe(NIL);
          expect(zsl.getRank(100, 'nope')).toBe(0);
        },
      ),
    );
  });

  it('keeps every invariant and the owner node ids when its pool is laid out again', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ op: fc.nat(9), member: fc.nat(300), score: fc.integer({ min: -50, max: 50 }) }), {
          minLength: 200,
          maxLength: 1500,
        }),
        fc.integer(),
        (ops, seed) => {
          const zsl = new SkipList(createRandom(seed));
          const nodes = new Map<string, ZslNode>(); // the owner's member -> node, as the zset's dict
          zsl.onRelayout = (moved) => {
            for (const [m, n] of nodes) nodes.set(m, moved(n));
          };
          for (const { op, member, score } of ops) {
            const m = `m${member}`;
            const n = nodes.get(m);
            if (n === undefined) nodes.set(m, zsl.insert(score, m));
            else if (op < 3) {
              expect(zsl.delete(zsl.score(n), m)).toBe(true);
              nodes.delete(m);
            } else if (op < 6) nodes.set(m, zsl.updateScore(zsl.score(n), m, score));
          }
          expect(zsl.relayouts).toBeGreaterThan(0);
          checkSkipList(zsl);
          for (const [m, n] of nodes) expect(zsl.member(n)).toBe(m);
          expect(zsl.length).toBe(nodes.size);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('lays its pool out again whenever the list has grown by half, keeping ranks and owner ids', () => {
    const zsl = new SkipList(createRandom(9));
    const nodes = new Map<string, ZslNode>();
    const scores = new Map<string, number>();
    const laidOutAt: number[] = [];
    zsl.onRelayout = (moved) => {
      laidOutAt.push(zsl.length);
      for (const [m, n] of nodes) nodes.set(m, moved(n));
    };
    const random = createRandom(10);
    for (let i = 0; i < 30000; i++) {
      const m = `m${i}`;
      const score = random.int(100000);
      nodes.set(m, zsl.insert(score, m));
      scores.set(m, score);
      if (i % 7 === 0) {
        // A score change that moves the node: its insert may be the one that lays the pool out.
        const k = `m${random.int(i + 1)}`;
        const next = random.int(100000);
        nodes.set(k, zsl.updateScore(scores.get(k) as number, k, next));
        scores.set(k, next);
      }
    }
    const big = laidOutAt.filter((n) => n >= 4096);
    expect(big.length).toBeGreaterThanOrEqual(4);
    for (let i = 1; i < big.length; i++) expect(big[i]).toBeLessThanOrEqual(Math.ceil(1.5 * big[i - 1]));
    expect(zsl.length).toBeLessThanOrEqual(Math.ceil(1.5 * big[big.length - 1]));
    checkSkipList(zsl);
    const sorted = [...scores].sort((x, y) => x[1] - y[1] || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
    sorted.forEach(([m, sc], i) => {
      const n = nodes.get(m) as ZslNode;
      expect(zsl.member(n)).toBe(m);
      expect(zsl.rankOf(zsl.memberId(n), sc, m)).toBe(i + 1);
    });
  });

  it('gives memory back when most of its nodes are deleted', () => {
    const zsl = new SkipList(createRandom(4));
    const nodes = new Map<string, ZslNode>();
    zsl.onRelayout = (moved) => {
      for (const [m, n] of nodes) nodes.set(m, moved(n));
    };
    for (let i = 0; i < 5000; i++) nodes.set(`m${i}`, zsl.insert(i % 97, `m${i}`));
    const big = zsl.poolBytes;
    for (let i = 0; i < 4990; i++) {
      const n = nodes.get(`m${i}`) as ZslNode;
      expect(zsl.delete(zsl.score(n), `m${i}`)).toBe(true);
      nodes.delete(`m${i}`);
    }
    expect(zsl.poolBytes).toBeLessThan(big / 8);
    checkSkipList(zsl);
    for (const [m, n] of nodes) expect(zsl.member(n)).toBe(m);
  });

  it('updates a score in place when the node keeps its position', () => {
    const zsl = new SkipList(createRandom(7));
    fill(zsl, [
      [1, 'a'],
      [2, 'b'],
      [3, 'c'],
    ]);
    const b: ZslNode = zsl.getElementByRank(2);
    expect(zsl.updateScore(2, 'b', 2.5)).toBe(b);
    const moved = zsl.updateScore(2.5, 'b', 10);
    expect(moved).not.toBe(b);
    expect(zsl.member(zsl.tail)).toBe('b');
    checkSkipList(zsl);
  });

  it('draws levels with P = 0.25 up to 32', () => {
    const zsl = new SkipList(createRandom(3));
    const counts = new Array(ZSKIPLIST_MAXLEVEL + 1).fill(0);
    for (let i = 0; i < 40000; i++) counts[zsl.randomLevel()]++;
    expect(counts[0]).toBe(0);
    expect(counts[1] / 40000).toBeCloseTo(0.75, 1);
    expect(counts[2] / 40000).toBeCloseTo(0.1875, 1);
    const always = { next: () => 0, int: () => 0 };
    expect(new SkipList(always).randomLevel()).toBe(ZSKIPLIST_MAXLEVEL);
  });

  it('finds the first and last nodes of score ranges', () => {
    const zsl = new SkipList(createRandom(1));
    fill(zsl, [
      [1, 'a'],
      [2, 'b'],
      [2, 'c'],
      [3, 'd'],
    ]);
    const r = (min: number, max: number, minex = false, maxex = false): ScoreRange => ({ min, max, minex, maxex });
    expect(zsl.member(zsl.firstInRange(r(2, 3)))).toBe('b');
    expect(zsl.member(zsl.lastInRange(r(2, 3)))).toBe('d');
    expect(zsl.member(zsl.firstInRange(r(2, 3, true)))).toBe('d');
    expect(zsl.member(zsl.lastInRange(r(1, 3, false, true)))).toBe('c');
    expect(zsl.firstInRange(r(2, 2, true))).toBe(NIL);
    expect(zsl.firstInRange(r(3.5, 9))).toBe(NIL);
    expect(zsl.lastInRange(r(-9, 0.5))).toBe(NIL);
    expect(zsl.firstInRange(r(1.2, 1.8))).toBe(NIL);
  });

  it('orders lex bounds with - and + around every string', () => {
    expect(cmpLex(LEX_MIN, '')).toBe(-1);
    expect(cmpLex('\xff\xff', LEX_MAX)).toBe(-1);
    expect(cmpLex(LEX_MAX, LEX_MIN)).toBe(1);
    expect(cmpLex(LEX_MIN, LEX_MIN)).toBe(0);
    expect(cmpLex('ab', 'a')).toBe(1);
    expect(cmpLex('a\x00', 'a')).toBe(1);
  });

  it('deletes rank ranges and reports every removed member', () => {
    const zsl = new SkipList(createRandom(5));
    fill(
      zsl,
      Array.from({ length: 20 }, (_, i): [number, string] => [i, `m${i}`]),
    );
    const removed: string[] = [];
    expect(zsl.deleteRangeByRank(3, 7, (e) => removed.push(e))).toBe(5);
    expect(removed).toEqual(['m2', 'm3', 'm4', 'm5', 'm6']);
    checkSkipList(zsl);
    expect(zsl.deleteRangeByScore({ min: 15, max: 100, minex: true, maxex: false }, () => {})).toBe(4);
    checkSkipList(zsl);
    expect(zsl.member(zsl.tail)).toBe('m15');
  });

  it('describes its nodes, links and spans for the panel', () => {
    const zsl = new SkipList(createRandom(11));
    fill(zsl, [
      [1, 'a'],
      [2, 'b'],
      [3, 'c'],
    ]);
    const snap = zsl.describe();
    expect(snap.length).toBe(3);
    expect(snap.nodes.map((n) => n.member)).toEqual(['a', 'b', 'c']);
    expect(snap.header.forward[0]).toBe(0);
    expect(snap.nodes[2].forward[0]).toBe(-1);
    expect(snap.tail).toBe(2);
    // Level-0 spans are all 1 except the tail's (distance to the end: 0).
    expect(snap.nodes.map((n) => n.span[0])).toEqual([1, 1, 0]);
    const spanSum = snap.header.span[snap.level - 1];
    expect(spanSum).toBeGreaterThan(0);
  });

  it('records the search path only when a trace hook is set', () => {
    const zsl = new SkipList(createRandom(2));
    fill(
      zsl,
      Array.from({ length: 50 }, (_, i): [number, string] => [i, `m${i}`]),
    );
    const path: [string, number, string][] = [];
    zsl.trace = (op, level, node) => path.push([op, level, zsl.member(node)]);
    zsl.insert(24.5, 'new');
    expect(path.length).toBeGreaterThan(0);
    expect(path.every(([op]) => op === 'insert')).toBe(true);
    expect(path[path.length - 1][2]).toBe('m24');
    zsl.trace = null;
    zsl.insert(60, 'later');
    expect(path.every(([, , m]) => m !== 'm49')).toBe(true);
  });
});
