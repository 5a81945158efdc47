import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRandom } from '../random';
import { hashString } from './dict';
import { ZsetDict } from './zset-dict';

/**
 * A dict and its owner's member strings by id (the skip list's role in a zset): `name(id, key)`
 * records the member before the dict is given that id.
 */
function owned(seed: number): { dict: ZsetDict; name: (id: number, key: string) => number } {
  const names: string[] = [];
  const dict = new ZsetDict(seed, (id) => names[id]);
  return {
    dict,
    name: (id, key) => {
      names[id] = key;
      return id;
    },
  };
}

describe('zset dict', () => {
  it('finds every member after random adds and deletes, and grows and shrinks like Redis', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.nat(400)), { maxLength: 3000 }), fc.integer(), (ops, seed) => {
        const { dict, name } = owned(seed >>> 0);
        const model = new Map<string, number>();
        ops.forEach(([del, k], node) => {
          const key = `k${k}`;
          if (del || model.has(key)) {
            expect(dict.delete(key)).toBe(model.get(key));
            model.delete(key);
          } else {
            dict.add(key, name(node, key), node / 2);
            model.set(key, node);
          }
          // Redis's rules: double past a fill of 1, shrink under 10%, never under 4 buckets.
          expect(dict.size).toBeLessThanOrEqual(dict.buckets);
          expect(dict.buckets === 4 || dict.size * 10 >= dict.buckets / 2).toBe(true);
        });
        expect(dict.size).toBe(model.size);
        for (const [k, n] of model) {
          expect(dict.get(k)).toBe(n);
          expect(dict.scoreAt(dict.find(k))).toBe(n / 2);
          expect(dict.keyAt(dict.find(k))).toBe(k);
        }
        for (let k = 0; k <= 400; k++) if (!model.has(`k${k}`)) expect(dict.get(`k${k}`)).toBeUndefined();
        expect([...dict.keys()].sort()).toEqual([...model.keys()].sort());
      }),
      { numRuns: 50 },
    );
  });

  it('tells apart binary members that share a hash prefix, inline (up to 15 bytes) and longer', () => {
    // Members built from few distinct bytes (0, 255, 'a') and lengths around the inline limit, so
    // many share their length and first bytes: every lookup must still compare all the bytes.
    const byte = fc.constantFrom('\x00', '\xff', 'a', '\x80');
    const member = fc.array(byte, { maxLength: 20 }).map((b) => b.join(''));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), member, fc.double({ noNaN: true })), { maxLength: 600 }), (ops) => {
        const { dict, name } = owned(11);
        const model = new Map<string, number>();
        ops.forEach(([del, key, score], node) => {
          const slot = dict.find(key);
          expect(slot >= 0).toBe(model.has(key));
          if (del && slot >= 0) {
            dict.deleteAt(slot);
            model.delete(key);
          } else if (slot >= 0) {
            dict.setAt(slot, name(node, key), score);
            model.set(key, node);
            expect(Object.is(dict.scoreAt(dict.find(key)), score)).toBe(true);
          } else {
            dict.addFound(key, name(node, key), score);
            model.set(key, node);
            expect(Object.is(dict.scoreAt(dict.find(key)), score)).toBe(true);
          }
        });
        expect(dict.size).toBe(model.size);
        for (const [k, n] of model) expect(dict.get(k)).toBe(n);
        expect([...dict.keys()].sort()).toEqual([...model.keys()].sort());
      }),
      { numRuns: 200 },
    );
  });

  it('keeps two members whose hashes collide apart (inline and long members)', () => {
    const seed = 11;
    // Pairs with equal 32-bit hashes under this seed (found by a birthday search over
    // `${i}`.padStart(len, 'x')): 12 and 15 bytes are stored inline, 18 bytes are not.
    const pairs: [string, string][] = [
      ['xxxxxx229599', 'xxxxxx432382'],
      ['xxxxxxxxx903599', 'xxxxxxxx1047144'],
      ['xxxxxxxxxxxx229599', 'xxxxxxxxxxxx432382'],
    ];
    for (const [a, b] of pairs) {
      expect(hashString(a, seed)).toBe(hashString(b, seed));
      const { dict, name } = owned(seed);
      dict.add(a, name(2, a), 1.5);
      expect(dict.has(b)).toBe(false);
      dict.add(b, name(4, b), 2.5);
      expect(dict.size).toBe(2);
      expect(dict.get(a)).toBe(2);
      expect(dict.get(b)).toBe(4);
      expect(dict.delete(a)).toBe(2);
      expect(dict.get(b)).toBe(4);
      expect(dict.has(a)).toBe(false);
    }
  });

  it('SCAN returns every member present for the whole scan, across resizes', () => {
    fc.assert(
      fc.property(
        fc.nat(300),
        fc.array(fc.tuple(fc.boolean(), fc.nat(600)), { maxLength: 400 }),
        (initial, changes) => {
          const { dict, name } = owned(7);
          for (let i = 0; i < initial; i++) dict.add(`m${i}`, name(i, `m${i}`), -i);
          const always = new Set<string>();
          for (let i = 0; i < initial; i++) always.add(`m${i}`);
          const seen = new Set<string>();
          let cursor = 0;
          let step = 0;
          do {
            cursor = dict.scan(cursor, (key, node, score) => {
              expect(dict.get(key)).toBe(node);
              expect(score).toBe(-node);
              seen.add(key);
            });
            // Between steps, add and remove members (resizing the table both ways).
            const change = changes[step++];
            if (change !== undefined) {
              const key = `m${change[1]}`;
              if (change[0] && dict.has(key)) {
                dict.delete(key);
                always.delete(key);
              } else if (!dict.has(key)) dict.add(key, name(change[1], key), -change[1]);
            }
          } while (cursor !== 0);
          for (const k of always) expect(seen.has(k)).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('picks random entries among the members', () => {
    const { dict, name } = owned(3);
    for (let i = 0; i < 100; i++) dict.add(`m${i}`, name(i, `m${i}`), i);
    const rand = createRandom(5).int;
    const picked = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const slot = dict.randomSlot(rand);
      expect(slot).toBeGreaterThanOrEqual(0);
      const k = dict.keyAt(slot);
      expect(dict.get(k)).toBe(dict.idAt(slot));
      picked.add(k);
    }
    expect(picked.size).toBeGreaterThan(90);
  });
});
