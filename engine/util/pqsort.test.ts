import { describe, expect, it } from 'vitest';
import { pqsort } from './pqsort';

const cmp = (a: number, b: number): number => (a > b ? 1 : a === b ? 0 : -1);

describe('pqsort', () => {
  it('puts the requested prefix in sorted order', () => {
    for (const n of [3, 7, 8, 40, 41, 100, 1000]) {
      const a = Array.from({ length: n }, (_, i) => (i * 7919) % 101);
      const sorted = [...a].sort(cmp);
      const k = Math.max(1, Math.floor(n / 3));
      pqsort(a, cmp, 0, k - 1);
      expect(a.slice(0, k)).toEqual(sorted.slice(0, k));
      expect([...a].sort(cmp)).toEqual(sorted);
    }
  });

  it('orders equal keys as the Bentley-McIlroy partitioning does (not stably)', () => {
    // Items with the same key, tagged by position: GEORADIUS ... COUNT 5 returned m19 first here.
    const items = Array.from({ length: 20 }, (_, i) => ({ key: 1, tag: i + 1 }));
    items.push({ key: 0, tag: 0 });
    pqsort(items, (x, y) => cmp(x.key, y.key), 0, 4);
    expect(items[0].tag).toBe(0);
    expect(items.slice(0, 5).every((x, i) => i === 0 || x.key === 1)).toBe(true);
  });
});
