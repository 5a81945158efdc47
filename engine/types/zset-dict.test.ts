import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRandom } from '../random';
import { ZsetDict } from './zset-dict';

describe('zset dict', () => {
  it('finds every member after random adds and deletes, and grows and shrinks like Redis', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.nat(400)), { maxLength: 3000 }), fc.integer(), (ops, seed) => {
        const dict = new ZsetDict(seed >>> 0);
        const model = new Map<string, number>();
        ops.forEach(([del, k], node) => {
          const key = `k${k}`;
          if (del || model.has(key)) {
            expect(dict.delete(key)).toBe(model.get(key));
            model.delete(key);
          } else {
            dict.add(key, node);
            model.set(key, node);
          }
          // Redis's rules: double past a fill of 1, shrink under 10%, never under 4 buckets.
          expect(dict.size).toBeLessThanOrEqual(dict.buckets);
          expect(dict.buckets === 4 || dict.size * 10 >= dict.buckets / 2).toBe(true);
        });
        expect(dict.size).toBe(model.size);
        for (const [k, n] of model) expect(dict.get(k)).toBe(n);
        for (let k = 0; k <= 400; k++) if (!model.has(`k${k}`)) expect(dict.get(`k${k}`)).toBeUndefined();
        expect([...dict.keys()].sort()).toEqual([...model.keys()].sort());
      }),
      { numRuns: 50 },
    );
  });

  it('SCAN returns every member present for the whole scan, across resizes', () => {
    fc.assert(
      fc.property(
        fc.nat(300),
        fc.array(fc.tuple(fc.boolean(), fc.nat(600)), { maxLength: 400 }),
        (initial, changes) => {
          const dict = new ZsetDict(7);
          for (let i = 0; i < initial; i++) dict.add(`m${i}`, i);
          const always = new Set<string>();
          for (let i = 0; i < initial; i++) always.add(`m${i}`);
          const seen = new Set<string>();
          let cursor = 0;
          let step = 0;
          do {
            cursor = dict.scan(cursor, (key, node) => {
              expect(dict.get(key)).toBe(node);
              seen.add(key);
            });
            // Between steps, add and remove members (resizing the table both ways).
            const change = changes[step++];
            if (change !== undefined) {
              const key = `m${change[1]}`;
              if (change[0] && dict.has(key)) {
                dict.delete(key);
                always.delete(key);
              } else if (!dict.has(key)) dict.add(key, change[1]);
            }
          } while (cursor !== 0);
          for (const k of always) expect(seen.has(k)).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('picks random entries among the members', () => {
    const dict = new ZsetDict(3);
    for (let i = 0; i < 100; i++) dict.add(`m${i}`, i);
    const rand = createRandom(5).int;
    const picked = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const e = dict.randomEntry(rand);
      expect(e).toBeDefined();
      const [k, n] = e as [string, number];
      expect(dict.get(k)).toBe(n);
      picked.add(k);
    }
    expect(picked.size).toBeGreaterThan(90);
  });
});
