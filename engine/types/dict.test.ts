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

describe('Dict bulk adds (the RDB loader)', () => {
  /** Keys in the order buckets and chains hold them, with the bucket count. */
  const layout = (d: Dict<number>) => {
    const keys: string[] = [];
    d.forEach((e) => {
      keys.push(`${e.key}=${e.val}/${e.meta}`);
    });
    return { keys, buckets: d.buckets, size: d.size };
  };

  it('build the table add() builds: chain order, resizes past the bucket count, keys already present', () => {
    for (const [before, count, expand] of [
      [0, 5000, 8192],
      [0, 5000, 0],
      [37, 3000, 64],
      [0, 1, 0],
    ]) {
      const seq = new Dict<number>(11);
      const bulk = new Dict<number>(11);
      for (const d of [seq, bulk]) {
        for (let i = 0; i < before; i++) d.add(`old${i}`, -i, 1);
        d.expand(expand);
      }
      bulk.bulkStart();
      for (let i = 0; i < count; i++) {
        seq.add(`key:${i * 7919}`, i, i & 0xff);
        expect(bulk.bulkAdd(`key:${i * 7919}`, i, i & 0xff)).toBe(true);
      }
      expect(bulk.bulkEnd()).toBeNull();
      expect(layout(bulk)).toEqual(layout(seq));
      expect(bulk.get('key:0')).toBe(0);
    }
  });

  it('report the first add whose key was there (queued earlier or present before) and make no add from it on', () => {
    const d = new Dict<number>(5);
    d.expand(1024);
    d.bulkStart();
    for (const k of ['a', 'b', 'c', 'b', 'd', 'a']) d.bulkAdd(k, 1, 0);
    expect(d.bulkEnd()).toEqual({ index: 3, key: 'b' });
    expect([...d.keys()].sort()).toEqual(['a', 'b', 'c']);

    const present = new Dict<number>(5);
    present.add('x', 0);
    present.bulkStart();
    for (const k of ['p', 'q', 'x', 'r']) present.bulkAdd(k, 1, 0);
    expect(present.bulkEnd()).toEqual({ index: 2, key: 'x' });
    expect([...present.keys()].sort()).toEqual(['p', 'q', 'x']);
    expect(present.get('x')).toBe(0);
  });

  it('stop at a repeat found when the table has to grow mid-way', () => {
    const d = new Dict<number>(5);
    d.bulkStart();
    const keys = ['k0', 'k1', 'k0', 'k2', 'k3', 'k4', 'k5'];
    let ok = true;
    for (const k of keys) if (ok) ok = d.bulkAdd(k, 1, 0);
    // The table (4 buckets) fills at the fifth add: that flush finds the repeat.
    expect(ok).toBe(false);
    expect(d.bulkEnd()).toEqual({ index: 2, key: 'k0' });
    expect([...d.keys()].sort()).toEqual(['k0', 'k1']);
  });

  it('forEachBatched visits every entry in forEach order', () => {
    const d = filled(3000);
    const a: string[] = [];
    const b: string[] = [];
    d.forEach((e) => {
      a.push(e.key);
    });
    d.forEachBatched((e) => {
      b.push(e.key);
    });
    expect(b).toEqual(a);
  });
});
