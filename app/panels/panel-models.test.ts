import { describe, expect, it } from 'vitest';
import type { ZsetEvent } from '../../engine/types/zset-view';
import { formatTtl, remainingMs } from './keyspace-model';
import { chartOf, humanBytes, MAX_EVICTIONS, pushEvictions, pushSample, shares } from './memory-model';
import { createPanelStore } from './panel-store';

const zev = (key: string, op: ZsetEvent['op'], member = 'm'): ZsetEvent => ({
  type: 'zset',
  db: 0,
  key,
  op,
  encoding: 'skiplist',
  member,
  score: 1,
  level: 1,
  rank: 0,
  count: 1,
  path: [],
});

describe('memory view model', () => {
  it('keeps a bounded series of samples without mutating the old one', () => {
    let s = pushSample([], { t: 0, used: 1 }, 3);
    const first = s;
    for (let i = 1; i < 5; i++) s = pushSample(s, { t: i, used: i }, 3);
    expect(s.map((x) => x.t)).toEqual([2, 3, 4]);
    expect(first).toHaveLength(1);
  });

  it('scales the chart to include the maxmemory line, the newest sample at the right edge', () => {
    const c = chartOf(
      [
        { t: 0, used: 1000 },
        { t: 10, used: 2000 },
      ],
      4000,
      100,
      50,
    );
    const pts = c.points.split(' ').map((p) => p.split(',').map(Number));
    expect(pts[1][0]).toBe(100);
    expect(pts[1][1]).toBeLessThan(pts[0][1]); // more memory is higher up
    expect(c.limitY).not.toBeNull();
    expect(c.limitY as number).toBeLessThan(pts[1][1]);
    expect(c.limitY as number).toBeGreaterThan(0);
    expect(chartOf([{ t: 0, used: 5 }], 0, 100, 50).limitY).toBeNull();
  });

  it('formats bytes as redis-cli does and shares add up to 100', () => {
    expect(humanBytes(512)).toBe('512B');
    expect(humanBytes(1536)).toBe('1.50K');
    expect(humanBytes(1024 * 1024 * 3.5)).toBe('3.50M');
    const rows = shares([{ bytes: 30 }, { bytes: 10 }]);
    expect(rows.map((r) => r.pct)).toEqual([75, 25]);
  });

  it('logs evictions newest first, bounded', () => {
    const add = Array.from({ length: 60 }, (_, i) => ({ id: i, db: 0, key: `k${i}`, policy: 'allkeys-lru', t: i }));
    const log = pushEvictions([], add);
    expect(log).toHaveLength(MAX_EVICTIONS);
    expect(log[0].key).toBe('k59');
  });
});

describe('keyspace view model', () => {
  it('counts a TTL down with page time from the report', () => {
    expect(remainingMs(null, 0, 0, 100)).toBeNull();
    expect(remainingMs(10_000, 1_000, 50, 50)).toBe(9_000);
    expect(remainingMs(10_000, 1_000, 50, 2_050)).toBe(7_000);
    expect(remainingMs(10_000, 1_000, 50, 99_999)).toBe(0);
  });

  it('formats TTLs for reading at a glance', () => {
    expect(formatTtl(null)).toBe('—');
    expect(formatTtl(9_950)).toBe('9.9s');
    expect(formatTtl(42_000)).toBe('42s');
    expect(formatTtl(245_000)).toBe('4m 05s');
    expect(formatTtl(3 * 3600_000 + 120_000)).toBe('3h 02m');
    expect(formatTtl(50 * 3600_000)).toBe('2d 2h');
  });
});

describe('panel store', () => {
  it('follows the last sorted set touched, remembering its conversion', () => {
    const store = createPanelStore();
    store.getState().ingest([zev('a', 'insert'), zev('b', 'convert'), zev('b', 'insert', 'x')], 0);
    const s = store.getState();
    expect(s.zset).toEqual({ db: 0, key: 'b' });
    expect(s.zsetEvent?.member).toBe('x');
    expect(s.converted?.op).toBe('convert');
    store.getState().ingest([zev('a', 'rank')], 0);
    expect(store.getState().converted).toBeNull();
  });

  it('ignores other sets while one is pinned', () => {
    const store = createPanelStore();
    store.getState().pinZset({ db: 0, key: 'a' });
    store.getState().ingest([zev('b', 'insert')], 0);
    expect(store.getState().zset).toEqual({ db: 0, key: 'a' });
    expect(store.getState().zsetSeq).toBe(0);
    store.getState().ingest([zev('a', 'delete')], 0);
    expect(store.getState().zsetEvent?.op).toBe('delete');
  });

  it('bumps keySeq once per batch of key changes and logs evictions under the policy', () => {
    const store = createPanelStore();
    store.getState().setPolicy('allkeys-lfu');
    store.getState().ingest(
      [
        { type: 'key', db: 0, key: 'k', op: 'set' },
        { type: 'key', db: 0, key: 'old', op: 'evicted' },
      ],
      5,
    );
    expect(store.getState().keySeq).toBe(1);
    expect(store.getState().evictions).toEqual([
      { id: expect.any(Number), db: 0, key: 'old', policy: 'allkeys-lfu', t: 5 },
    ]);
    const before = store.getState();
    store.getState().ingest([{ type: 'propagate', db: 0, argv: ['SET', 'k', 'v'] }], 6);
    expect(store.getState()).toBe(before);
  });
});
