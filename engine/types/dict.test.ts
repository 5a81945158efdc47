import { describe, expect, it } from 'vitest';
import { Dict } from './dict';

function filled(n: number): Dict<number> {
  const d = new Dict<number>(3);
  for (let i = 0; i < n; i++) d.add(`k${i}`, i);
  return d;
}

describe('Dict', () => {
  it('entries(), keys() and forEach() visit every key once, in the same bucket order', () => {
    const d = filled(1000);
    const viaEntries = [...d.entries()].map((e) => e.key);
    const viaKeys = [...d.keys()];
    const viaForEach: string[] = [];
    d.forEach((e) => {
      viaForEach.push(e.key);
    });
    expect(new Set(viaEntries).size).toBe(1000);
    expect(viaKeys).toEqual(viaEntries);
    expect(viaForEach).toEqual(viaEntries);
    expect([...new Dict<number>().entries()]).toEqual([]);
  });

  it('deleting the entry just returned by entries() is safe while the table keeps its size', () => {
    const d = filled(64);
    d.expand(128); // 32 keys left in 128 buckets stay above the 10% shrink point
    const seen: string[] = [];
    for (const e of d.entries()) {
      seen.push(e.key);
      if (e.val % 2 === 0) d.delete(e.key);
    }
    expect(seen.length).toBe(64);
    expect(d.size).toBe(32);
  });

  it('iteration stops once the table is resized under it, as the generator it replaces did', () => {
    const d = filled(40);
    let visited = 0;
    for (const e of d.entries()) {
      visited++;
      d.delete(e.key); // shrinks the table once fewer than 10% of the buckets are used
    }
    expect(visited).toBeLessThan(40);
  });

  it('addIfAbsent adds a new key and refuses a present one without changing it', () => {
    const d = filled(10);
    expect(d.addIfAbsent('k3', 99)).toBeNull();
    expect(d.get('k3')).toBe(3);
    const e = d.addIfAbsent('new', 7, 5);
    expect(e?.val).toBe(7);
    expect(e?.meta).toBe(5);
    expect(d.size).toBe(11);
    expect(d.get('new')).toBe(7);
  });

  it('expand presizes to a power of two (dictExpand) and never shrinks', () => {
    const d = new Dict<number>();
    d.expand(1000);
    expect(d.buckets).toBe(1024);
    d.expand(10);
    expect(d.buckets).toBe(1024);
    for (let i = 0; i < 1024; i++) d.add(`k${i}`, i);
    expect(d.buckets).toBe(1024);
    d.add('one more', 0);
    expect(d.buckets).toBe(2048);
  });
});
