import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../events';
import { createEngine, ManualClock } from '../index';
import type { Reply } from '../protocol/reply';
import type { Quicklist } from '../types/quicklist';
import { pqsort } from '../util/pqsort';

function setup() {
  const engine = createEngine({ clock: new ManualClock(), seed: 1 });
  const c = engine.createClient();
  const events: EngineEvent[] = [];
  engine.on((e) => events.push(e));
  const run = (...argv: string[]): Reply => engine.dispatch(c, argv) as Reply;
  const values = (r: Reply) => (r.t === 'array' && r.v ? r.v.map((x) => (x.t === 'bulk' ? x.v : x.t)) : r);
  const propagated = () => events.flatMap((e) => (e.type === 'propagate' ? [e.argv.join(' ')] : []));
  const notified = () => events.flatMap((e) => (e.type === 'notify' ? [`${e.event} ${e.key}`] : []));
  return { engine, c, run, values, propagated, notified, events };
}

describe('pqsort', () => {
  const cmp = (a: number, b: number) => a - b;

  it('puts the requested range in sorted position, like a full sort', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 200 }), fc.nat(), fc.nat(), (v, x, y) => {
        if (v.length === 0) return;
        const l = x % v.length;
        const r = l + (y % (v.length - l));
        const full = [...v].sort(cmp);
        const part = [...v];
        pqsort(part, cmp, l, r);
        expect(part.slice(l, r + 1)).toEqual(full.slice(l, r + 1));
        expect([...part].sort(cmp)).toEqual(full);
      }),
      { numRuns: 500 },
    );
  });

  it('does not keep equal elements in their input order (Bentley-McIlroy partitioning)', () => {
    const items = Array.from({ length: 12 }, (_, i) => ({ key: i % 3, id: i }));
    pqsort(items, (a, b) => a.key - b.key, 0, 11);
    expect(items.map((i) => i.key)).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);
    expect(items.map((i) => i.id)).not.toEqual([0, 3, 6, 9, 1, 4, 7, 10, 2, 5, 8, 11]);
  });
});

describe('SORT', () => {
  it('sorts numbers, with ties broken by the bytes of the element', () => {
    const { run, values } = setup();
    run('RPUSH', 'l', '10', '2', '02', '1e1', '-3');
    expect(values(run('SORT', 'l'))).toEqual(['-3', '02', '2', '10', '1e1']);
    expect(values(run('SORT', 'l', 'DESC'))).toEqual(['1e1', '10', '2', '02', '-3']);
    expect(values(run('SORT', 'l', 'ALPHA'))).toEqual(['-3', '02', '10', '1e1', '2']);
  });

  it('stores a list, replicates as SORT and counts one change per element', () => {
    const { run, engine, propagated, notified, values } = setup();
    run('RPUSH', 'l', '3', '1', '2');
    const dirty = engine.dirty;
    expect(run('SORT', 'l', 'STORE', 'dst')).toEqual({ t: 'int', v: 3 });
    expect(engine.dirty - dirty).toBe(3);
    expect(values(run('LRANGE', 'dst', '0', '-1'))).toEqual(['1', '2', '3']);
    expect(run('SORT', 'nokey', 'STORE', 'dst')).toEqual({ t: 'int', v: 0 });
    expect(run('EXISTS', 'dst')).toEqual({ t: 'int', v: 0 });
    expect(engine.dirty - dirty).toBe(4);
    run('SORT', 'l');
    expect(propagated()).toEqual(['RPUSH l 3 1 2', 'SORT l STORE dst', 'SORT nokey STORE dst']);
    expect(notified()).toEqual([
      'new l',
      'rpush l',
      'new dst',
      'sortstore dst',
      'keymiss nokey',
      'del dst',
      'keymiss dst',
    ]);
  });

  it('stores with the configured list options', () => {
    const { run, engine, c } = setup();
    run('CONFIG', 'SET', 'list-max-listpack-size', '2');
    run('RPUSH', 'l', '5', '4', '3', '2', '1');
    run('SORT', 'l', 'STORE', 'dst');
    const q = c.db.dict.get('dst') as Quicklist;
    expect(q.fill).toBe(2);
    expect(q.len).toBe(3);
    expect(engine.config.getInt('list-max-listpack-size')).toBe(2);
  });

  it('converts a listpack sorted set to a skiplist, even for SORT_RO', () => {
    const { run } = setup();
    run('ZADD', 'z', '2', 'b', '1', 'a');
    expect(run('OBJECT', 'ENCODING', 'z')).toEqual({ t: 'bulk', v: 'listpack' });
    run('SORT_RO', 'z', 'BY', 'nosort');
    expect(run('OBJECT', 'ENCODING', 'z')).toEqual({ t: 'bulk', v: 'skiplist' });
  });

  it('reads BY and GET keys through the keyspace (hits and misses)', () => {
    const { run, engine } = setup();
    run('RPUSH', 'l', '1', '2');
    run('SET', 'w_1', '5');
    const hits = engine.stats.keyspaceHits;
    const misses = engine.stats.keyspaceMisses;
    run('SORT', 'l', 'BY', 'w_*', 'GET', 'w_*');
    // l itself + w_1 twice (BY, GET); w_2 missed twice.
    expect(engine.stats.keyspaceHits - hits).toBe(3);
    expect(engine.stats.keyspaceMisses - misses).toBe(2);
  });

  it('treats inexact subnormal scores as conversion errors, exact ones as numbers', () => {
    const { run, values } = setup();
    run('RPUSH', 'a', '1', '2.5e-320');
    expect(run('SORT', 'a')).toEqual({ t: 'error', v: "ERR One or more scores can't be converted into double" });
    run('RPUSH', 'b', '1', '0x1p-1060', '0x0.8p-1070');
    expect(values(run('SORT', 'b'))).toEqual(['0x0.8p-1070', '0x1p-1060', '1']);
  });
});
