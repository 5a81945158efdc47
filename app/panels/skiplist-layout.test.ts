import { describe, expect, it } from 'vitest';
import { watchZsets } from '../../engine/commands/zset-trace';
import type { EngineEvent } from '../../engine/events';
import { createEngine, ManualClock } from '../../engine/index';
import type { ZSet } from '../../engine/types/zset';
import { type ZsetEvent, zsetWindow } from '../../engine/types/zset-view';
import { COLUMN_WIDTH, layoutSkipList, rankSum, windowAround } from './skiplist-layout';

function skiplist(n: number) {
  const engine = createEngine({ clock: new ManualClock(), seed: 7, config: { 'zset-max-listpack-entries': '0' } });
  const c = engine.createClient();
  const events: ZsetEvent[] = [];
  engine.on((e: EngineEvent) => {
    if (e.type === 'zset') events.push(e);
  });
  for (let i = 0; i < n; i++) engine.dispatch(c, ['ZADD', 'z', String(i * 10), `m${i}`]);
  watchZsets(engine, true);
  const z = () => engine.dbs[0].peekEntry('z')?.val as ZSet;
  return { engine, c, events, z };
}

describe('skip-list layout', () => {
  it('places the header, every node in rank order and NULL, and links each level to its target', () => {
    const { z } = skiplist(12);
    const w = zsetWindow(z(), 0, 50, 0);
    const l = layoutSkipList(w, null);
    expect(l.columns.map((c) => c.kind)).toEqual(['header', ...Array(12).fill('node'), 'nil']);
    expect(l.columns[1]).toMatchObject({ member: 'm0', x: COLUMN_WIDTH, rank: 0 });
    expect(l.levels).toBe(w.level);
    // One link per level per column (header: the list's levels), none leaving the window.
    const expected = w.level + w.nodes.reduce((a, n) => a + n.forward.length, 0);
    expect(l.links).toHaveLength(expected);
    expect(l.links.every((k) => k.offRight === null)).toBe(true);
    // Level-0 links have span 1 (the last one points at NULL with span 0).
    const level0 = l.links.filter((k) => k.level === 0).map((k) => k.span);
    expect(level0).toEqual([...Array(12).fill(1), 0]);
    // Each link ends at the column of the rank it names.
    for (const n of w.nodes) {
      for (let i = 0; i < n.forward.length; i++) {
        const link = l.links.find((k) => k.x1 === COLUMN_WIDTH * (n.rank + 1) && k.level === i);
        const target = n.forward[i] === -1 ? l.columns.at(-1) : l.columns.find((c) => c.rank === n.forward[i]);
        expect(link?.x2).toBe(target?.x);
      }
    }
  });

  it('shows a middle window without header or NULL, links beyond it labelled with their target rank', () => {
    const { z } = skiplist(2000);
    const w = zsetWindow(z(), 1000, 8, 0);
    const l = layoutSkipList(w, null);
    expect(l.columns.map((c) => c.kind)).toEqual(Array(8).fill('node'));
    expect(l.columns[0]).toMatchObject({ rank: 1000, x: 0 });
    const off = l.links.filter((k) => k.offRight !== null);
    expect(off.length).toBeGreaterThan(0);
    for (const k of off) expect(k.offRight).toBeGreaterThan(1007);
  });

  it('marks the path of an insert link by link, in order, and the new node', () => {
    const { engine, c, events, z } = skiplist(60);
    engine.dispatch(c, ['ZADD', 'z', '305', 'new']);
    const e = events.at(-1) as ZsetEvent;
    const l = layoutSkipList(zsetWindow(z(), 0, 100, 0), e);
    const onPath = l.links.filter((k) => k.step >= 0).sort((a, b) => a.step - b.step);
    expect(onPath.map((k) => k.step)).toEqual(e.path.map((_, i) => i));
    expect(onPath.map((k) => k.level)).toEqual(e.path.map((s) => s.level));
    // Each crossed link ends on the node the step reached.
    for (const [i, k] of onPath.entries()) {
      expect(l.columns.find((c) => c.x === k.x2)?.member).toBe(e.path[i].member);
    }
    expect(l.columns.find((c) => c.member === 'new')).toMatchObject({ mark: 'new', rank: 31 });
  });

  it('marks a ZRANGE walk along level 0 and explains a ZRANK as a sum of spans', () => {
    const { engine, c, events, z } = skiplist(40);
    engine.dispatch(c, ['ZRANGE', 'z', '5', '7']);
    const l = layoutSkipList(zsetWindow(z(), 0, 100, 0), events.at(-1) as ZsetEvent);
    expect(l.columns.filter((c) => c.mark === 'range').map((c) => c.member)).toEqual(['m5', 'm6', 'm7']);
    engine.dispatch(c, ['ZRANK', 'z', 'm33']);
    const rank = events.at(-1) as ZsetEvent;
    expect(rankSum(rank)).toMatch(/ = 34 → ZRANK 33$/);
  });

  it('centres the window on the action and clamps it to the set', () => {
    expect(windowAround(500, 10, 1_000_000)).toBe(495);
    expect(windowAround(2, 10, 1_000_000)).toBe(0);
    expect(windowAround(999_999, 10, 1_000_000)).toBe(999_990);
    expect(windowAround(3, 10, 5)).toBe(0);
  });
});
