import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../events';
import { createEngine, ManualClock } from '../index';
import type { ZSet } from '../types/zset';
import { type ZsetEvent, zsetWindow } from '../types/zset-view';
import { watchZsets, zsetsWatched } from './zset-trace';

const setup = (config: Record<string, string> = {}, watched = true) => {
  const engine = createEngine({ clock: new ManualClock(), seed: 1, config });
  const c = engine.createClient();
  const events: ZsetEvent[] = [];
  engine.on((e: EngineEvent) => {
    if (e.type === 'zset') events.push(e);
  });
  if (watched) watchZsets(engine, true);
  const run = (...argv: string[]) => engine.dispatch(c, argv);
  const zset = (k: string) => engine.dbs[0].peekEntry(k)?.val as ZSet;
  return { engine, events, run, zset };
};

const SKIPLIST = { 'zset-max-listpack-entries': '0' };

describe('zset operation events', () => {
  it('are not emitted while nobody watches zsets, even with listeners', () => {
    const { events, run, engine } = setup(SKIPLIST, false);
    run('ZADD', 'z', '1', 'a', '2', 'b');
    run('ZRANK', 'z', 'b');
    expect(events).toEqual([]);
    expect(zsetsWatched(engine)).toBe(false);
    expect(engine.dbs[0].peekEntry('z')).toBeDefined();
  });

  it('stop when the last watcher stops', () => {
    const { events, run, engine } = setup(SKIPLIST);
    watchZsets(engine, true);
    watchZsets(engine, false);
    run('ZADD', 'z', '1', 'a');
    watchZsets(engine, false);
    run('ZADD', 'z', '2', 'b');
    expect(events.map((e) => e.member)).toEqual(['a']);
  });

  it('ZADD reports the new node, its level and rank, and a search path whose spans add up', () => {
    const { events, run, zset } = setup(SKIPLIST);
    for (let i = 0; i < 200; i++) run('ZADD', 'z', String(i * 2), `m${i}`);
    events.length = 0;
    run('ZADD', 'z', '201', 'new'); // between m100 (200) and m101 (202): rank 101
    expect(events).toHaveLength(1);
    const e = events[0];
    expect(e).toMatchObject({
      op: 'insert',
      key: 'z',
      db: 0,
      encoding: 'skiplist',
      member: 'new',
      score: 201,
      rank: 101,
    });
    expect(e.level).toBe(zset('z').zsl?.describe().nodes[101].forward.length);
    // The search visits nodes left to right, top level first; each step's rank is the sum of spans so far.
    expect(e.path.length).toBeGreaterThan(0);
    let sum = 0;
    for (let i = 0; i < e.path.length; i++) {
      sum += e.path[i].span;
      expect(e.path[i].rank).toBe(sum);
      if (i > 0) expect(e.path[i].level).toBeLessThanOrEqual(e.path[i - 1].level);
      expect(e.path[i].score).toBeLessThan(201);
    }
    // The last node reached is the predecessor at level 0: m100 with 1-based rank 101.
    expect(e.path.at(-1)).toMatchObject({ member: 'm100', rank: 101 });
  });

  it('ZRANK sums spans along the path to the member itself', () => {
    const { events, run } = setup(SKIPLIST);
    for (let i = 0; i < 500; i++) run('ZADD', 'z', String(i), `m${i}`);
    events.length = 0;
    run('ZRANK', 'z', 'm377');
    const e = events[0];
    expect(e).toMatchObject({ op: 'rank', member: 'm377', rank: 377 });
    expect(e.path.reduce((s, p) => s + p.span, 0)).toBe(378);
    expect(e.path.at(-1)).toMatchObject({ member: 'm377', rank: 378 });
    // O(log N): far fewer steps than the rank.
    expect(e.path.length).toBeLessThan(60);
  });

  it('ZINCRBY that moves a node searches twice and reports its new rank', () => {
    const { events, run } = setup(SKIPLIST);
    for (let i = 0; i < 50; i++) run('ZADD', 'z', String(i), `m${i}`);
    events.length = 0;
    run('ZINCRBY', 'z', '100', 'm3');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ op: 'update', member: 'm3', score: 103, rank: 49 });
    // The unlink search reaches m2 (m3's predecessor), the insertion search the new predecessor m49.
    const path = events[0].path;
    expect(path.some((p) => p.member === 'm2' && p.rank === 3)).toBe(true);
    expect(path.at(-1)).toMatchObject({ member: 'm49', rank: 49 });
  });

  it('ZREM reports the rank and level the member had', () => {
    const { events, run, zset } = setup(SKIPLIST);
    for (let i = 0; i < 20; i++) run('ZADD', 'z', String(i), `m${i}`);
    const z = zset('z');
    const level = z.zsl?.nodeLevel(z.nodeOf('m7') as number);
    events.length = 0;
    run('ZREM', 'z', 'm7', 'absent');
    expect(events).toEqual([expect.objectContaining({ op: 'delete', member: 'm7', score: 7, rank: 7, level })]);
  });

  it('ZRANGE reports the walk along level 0 from its first rank', () => {
    const { events, run } = setup(SKIPLIST);
    for (let i = 0; i < 30; i++) run('ZADD', 'z', String(i), `m${i}`);
    events.length = 0;
    run('ZRANGE', 'z', '10', '14');
    expect(events[0]).toMatchObject({ op: 'range', rank: 10, count: 5 });
    run('ZRANGE', 'z', '0', '2', 'REV');
    expect(events[1]).toMatchObject({ op: 'range', rank: 27, count: 3 });
  });

  it('crossing zset-max-listpack-entries emits the one-way conversion before the insert', () => {
    const { events, run } = setup({ 'zset-max-listpack-entries': '3' });
    run('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c');
    expect(events.map((e) => [e.op, e.encoding, e.rank])).toEqual([
      ['insert', 'listpack', 0],
      ['insert', 'listpack', 1],
      ['insert', 'listpack', 2],
    ]);
    events.length = 0;
    run('ZADD', 'z', '0', 'd');
    expect(events.map((e) => [e.op, e.encoding, e.count])).toEqual([
      ['convert', 'skiplist', 3],
      ['insert', 'skiplist', 1],
    ]);
    expect(events[1].level).toBeGreaterThan(0);
  });
});

describe('zsetWindow', () => {
  it('matches describe() link for link on a small skip list', () => {
    const { run, zset } = setup(SKIPLIST, false);
    for (let i = 0; i < 40; i++) run('ZADD', 'z', String(i % 7), `m${i}`);
    const full = zset('z').zsl?.describe();
    const w = zsetWindow(zset('z'), 0, 100, 3);
    expect(w.nodes.map((n) => n.member)).toEqual(full?.nodes.map((n) => n.member));
    expect(w.nodes.map((n) => n.forward)).toEqual(full?.nodes.map((n) => n.forward));
    expect(w.nodes.map((n) => n.span)).toEqual(full?.nodes.map((n) => n.span));
    expect(w.header?.forward).toEqual(full?.header.forward);
    expect(w.top.map((t) => t.member)).toEqual(['m6', 'm34', 'm27']); // score 6, ties by member bytes
  });

  it('windows a big set by rank, clamping at the end', () => {
    const { run, zset } = setup(SKIPLIST, false);
    for (let i = 0; i < 20000; i++) run('ZADD', 'z', String(i), `m${i}`);
    const w = zsetWindow(zset('z'), 12345, 10, 5);
    expect(w).toMatchObject({ encoding: 'skiplist', length: 20000, start: 12345, header: null, tail: 19999 });
    expect(w.nodes.map((n) => n.rank)).toEqual([...Array(10)].map((_, i) => 12345 + i));
    expect(w.nodes[0].member).toBe('m12345');
    for (const n of w.nodes) expect(n.forward[0]).toBe(n.rank + 1);
    expect(zsetWindow(zset('z'), 19995, 10, 0).start).toBe(19990);
  });

  it('lists a listpack in order with no links', () => {
    const { run, zset } = setup({}, false);
    run('ZADD', 'z', '2', 'b', '1', 'a', '3', 'c');
    const w = zsetWindow(zset('z'), 0, 10, 2);
    expect(w).toMatchObject({ encoding: 'listpack', level: 0, length: 3, header: null, tail: 2 });
    expect(w.nodes.map((n) => [n.rank, n.member, n.score])).toEqual([
      [0, 'a', 1],
      [1, 'b', 2],
      [2, 'c', 3],
    ]);
    expect(w.top).toEqual([
      { member: 'c', score: 3 },
      { member: 'b', score: 2 },
    ]);
  });
});
