import { describe, expect, it } from 'vitest';
import { createEngine, type Engine, ManualClock } from '../index';
import type { EngineEvent } from '../events';
import { createRandom } from '../random';
import {
  EVPOOL_SIZE,
  evictionTimeLimitUs,
  getSomeEntries,
  insertCandidate,
  LFU_INIT_VAL,
  lfuCounter,
  lfuDecrAndReturn,
  lfuLogIncr,
  type PoolEntry,
  performEvictions,
} from './evict';
import { usedMemory } from './memory';
import { Dict } from '../types/dict';

function setup(config: Record<string, string> = {}) {
  const clock = new ManualClock();
  const e = createEngine({ clock, seed: 7, config });
  const c = e.createClient();
  const run = (...argv: string[]) => e.dispatch(c, argv);
  return { e, clock, run };
}

/** Set maxmemory just under the current use, so the smallest eviction is enough. */
function squeeze(e: Engine): void {
  e.config.set('maxmemory', String(usedMemory(e) - 1));
}

const keysOf = (e: Engine, db = 0) => [...e.dbs[db].dict.keys()].sort();

describe('LFU counter', () => {
  it('always increments up to LFU_INIT_VAL, then with probability 1/((c-5)*factor+1)', () => {
    expect(lfuLogIncr(0, 10, 0.999)).toBe(1);
    expect(lfuLogIncr(LFU_INIT_VAL, 10, 0.999)).toBe(LFU_INIT_VAL + 1);
    // counter 6: p = 1/11
    expect(lfuLogIncr(6, 10, 0.09)).toBe(7);
    expect(lfuLogIncr(6, 10, 0.091)).toBe(6);
    expect(lfuLogIncr(255, 0, 0)).toBe(255);
  });

  it('grows logarithmically with accesses (redis.conf table, lfu-log-factor 10)', () => {
    const rnd = createRandom(42);
    let counter = LFU_INIT_VAL;
    const at: Record<number, number> = {};
    for (let hits = 1; hits <= 100000; hits++) {
      counter = lfuLogIncr(counter, 10, rnd.next());
      if (hits === 100 || hits === 1000 || hits === 100000) at[hits] = counter;
    }
    expect(at[100]).toBeGreaterThanOrEqual(8);
    expect(at[100]).toBeLessThanOrEqual(13);
    expect(at[1000]).toBeGreaterThanOrEqual(15);
    expect(at[1000]).toBeLessThanOrEqual(22);
    expect(at[100000]).toBeGreaterThanOrEqual(130);
    expect(at[100000]).toBeLessThanOrEqual(155);
  });

  it('decays by one per lfu-decay-time minutes, down to zero', () => {
    const { e, clock, run } = setup({ 'maxmemory-policy': 'allkeys-lfu', 'lfu-log-factor': '0' });
    run('SET', 'k', 'v');
    for (let i = 0; i < 5; i++) run('GET', 'k');
    const meta = () => e.dbs[0].dict.getEntry('k')?.meta ?? 0;
    expect(lfuCounter(meta())).toBe(10);
    clock.advance(3 * 60000);
    expect(lfuDecrAndReturn(e, meta())).toBe(7);
    expect(run('OBJECT', 'FREQ', 'k')).toEqual({ t: 'int', v: 7 });
    e.config.set('lfu-decay-time', '2');
    expect(lfuDecrAndReturn(e, meta())).toBe(9);
    e.config.set('lfu-decay-time', '0');
    expect(lfuDecrAndReturn(e, meta())).toBe(10);
    e.config.set('lfu-decay-time', '1');
    clock.advance(60 * 60000);
    expect(lfuDecrAndReturn(e, meta())).toBe(0);
    // An access decays first, then increments.
    run('GET', 'k');
    expect(lfuCounter(meta())).toBe(1);
  });

  it('starts new keys at 5 and keeps it when a key is overwritten', () => {
    const { run } = setup({ 'maxmemory-policy': 'allkeys-lfu', 'lfu-log-factor': '0' });
    run('SET', 'k', 'v');
    expect(run('OBJECT', 'FREQ', 'k')).toEqual({ t: 'int', v: 5 });
    run('GET', 'k');
    run('SET', 'k', 'w', 'XX');
    expect(run('OBJECT', 'FREQ', 'k')).toEqual({ t: 'int', v: 7 });
  });
});

describe('eviction pool', () => {
  const pool = (): PoolEntry[] => Array.from({ length: EVPOOL_SIZE }, () => ({ score: 0, key: null, db: 0 }));
  const keys = (p: PoolEntry[]) => p.filter((x) => x.key !== null).map((x) => `${x.key}:${x.score}`);

  it('keeps candidates in ascending score order', () => {
    const p = pool();
    insertCandidate(p, 'b', 20, 0);
    insertCandidate(p, 'a', 10, 0);
    insertCandidate(p, 'c', 30, 0);
    insertCandidate(p, 'd', 15, 0);
    expect(keys(p)).toEqual(['a:10', 'd:15', 'b:20', 'c:30']);
  });

  it('when full, drops the worst candidate and ignores anything worse than all', () => {
    const p = pool();
    for (let i = 0; i < EVPOOL_SIZE; i++) insertCandidate(p, `k${i}`, (i + 1) * 10, 0);
    insertCandidate(p, 'low', 5, 0);
    expect(keys(p)[0]).toBe('k0:10');
    insertCandidate(p, 'mid', 55, 0);
    expect(keys(p)).toHaveLength(EVPOOL_SIZE);
    expect(keys(p)[0]).toBe('k1:20');
    expect(keys(p)).toContain('mid:55');
    expect(keys(p).at(-1)).toBe(`k${EVPOOL_SIZE - 1}:${EVPOOL_SIZE * 10}`);
  });

  it('samples distinct entries, at most the dict size', () => {
    const d = new Dict<number>(1);
    for (let i = 0; i < 10; i++) d.add(`k${i}`, i);
    const rnd = createRandom(3);
    const s = getSomeEntries(d, 5, rnd.int);
    expect(s).toHaveLength(5);
    expect(new Set(s.map((x) => x.key)).size).toBe(5);
    expect(getSomeEntries(d, 50, rnd.int)).toHaveLength(10);
  });
});

describe('policies', () => {
  it('allkeys-lru evicts the least recently used key', () => {
    const { e, clock, run } = setup({ 'maxmemory-policy': 'allkeys-lru', 'maxmemory-samples': '64' });
    for (const k of ['a', 'b', 'c', 'd', 'e']) {
      run('SET', k, 'value');
      clock.advance(1000);
    }
    run('GET', 'a');
    run('GET', 'b');
    squeeze(e);
    expect(keysOf(e)).toEqual(['a', 'b', 'd', 'e']);
    expect(e.stats.evictedKeys).toBe(1);
  });

  it('volatile-lru only considers keys with a TTL', () => {
    const { e, clock, run } = setup({ 'maxmemory-policy': 'volatile-lru', 'maxmemory-samples': '64' });
    run('SET', 'oldest', 'v');
    clock.advance(5000);
    run('SET', 'v1', 'v', 'EX', '1000');
    clock.advance(1000);
    run('SET', 'v2', 'v', 'EX', '1000');
    squeeze(e);
    expect(keysOf(e)).toEqual(['oldest', 'v2']);
  });

  it('volatile-ttl evicts the key that expires soonest', () => {
    const { e, run } = setup({ 'maxmemory-policy': 'volatile-ttl', 'maxmemory-samples': '64' });
    run('SET', 'p', 'v');
    run('SET', 'far', 'v', 'EX', '300');
    run('SET', 'near', 'v', 'EX', '50');
    run('SET', 'mid', 'v', 'EX', '100');
    squeeze(e);
    expect(keysOf(e)).toEqual(['far', 'mid', 'p']);
  });

  it('allkeys-lfu evicts the least frequently used key', () => {
    const { e, run } = setup({ 'maxmemory-policy': 'allkeys-lfu', 'lfu-log-factor': '0', 'maxmemory-samples': '64' });
    for (const k of ['a', 'b', 'c']) run('SET', k, 'v');
    for (let i = 0; i < 3; i++) run('GET', 'a');
    run('GET', 'c');
    squeeze(e);
    expect(keysOf(e)).toEqual(['a', 'c']);
  });

  it('samples every database', () => {
    const { e, clock, run } = setup({ 'maxmemory-policy': 'allkeys-lru', 'maxmemory-samples': '64' });
    run('SELECT', '3');
    run('SET', 'old', 'v');
    clock.advance(10000);
    run('SELECT', '0');
    run('SET', 'new', 'v');
    squeeze(e);
    expect(keysOf(e, 3)).toEqual([]);
    expect(keysOf(e, 0)).toEqual(['new']);
  });

  it('volatile-random with no volatile key fails, allkeys-random empties the dataset', () => {
    const { e, run } = setup({ 'maxmemory-policy': 'volatile-random' });
    run('MSET', 'a', '1', 'b', '2');
    e.config.set('maxmemory', '1');
    expect(performEvictions(e)).toBe('fail');
    expect(run('SET', 'c', '3')).toEqual({ t: 'error', v: "OOM command not allowed when used memory > 'maxmemory'." });
    e.config.set('maxmemory-policy', 'allkeys-random');
    expect(run('GET', 'a')).toEqual({ t: 'bulk', v: null });
    expect(e.dbs[0].size).toBe(0);
  });
});

describe('performEvictions', () => {
  it('does nothing without maxmemory or under it', () => {
    const { e, run } = setup({ 'maxmemory-policy': 'allkeys-lru' });
    run('SET', 'k', 'v');
    expect(performEvictions(e)).toBe('ok');
    e.config.set('maxmemory', String(usedMemory(e) + 1000));
    expect(performEvictions(e)).toBe('ok');
    expect(e.dbs[0].size).toBe(1);
  });

  it('noeviction refuses denyoom commands only', () => {
    const { e, run } = setup();
    run('SET', 'k', 'v');
    e.config.set('maxmemory', '1');
    expect(run('SET', 'x', 'y')).toEqual({ t: 'error', v: "OOM command not allowed when used memory > 'maxmemory'." });
    expect(run('GET', 'k')).toEqual({ t: 'bulk', v: 'v' });
    expect(run('DEL', 'k')).toEqual({ t: 'int', v: 1 });
    expect(e.stats.evictedKeys).toBe(0);
  });

  it('counts, notifies, signals and propagates each eviction', () => {
    const { e, run } = setup({ 'maxmemory-policy': 'allkeys-lru', 'lazyfree-lazy-eviction': 'yes' });
    run('SET', 'k', 'v', 'EX', '100');
    const events: EngineEvent[] = [];
    e.on((ev) => events.push(ev));
    e.config.set('maxmemory', '1');
    expect(e.stats.evictedKeys).toBe(1);
    expect(e.dbs[0].expires.size).toBe(0);
    expect(events).toContainEqual({ type: 'notify', db: 0, event: 'evicted', key: 'k', cls: 'e' });
    expect(events).toContainEqual({ type: 'key', db: 0, key: 'k', op: 'evicted' });
    expect(events).toContainEqual({ type: 'propagate', db: 0, argv: ['UNLINK', 'k'] });
  });

  it('invalidates WATCH on an evicted key', () => {
    const { e, run } = setup({ 'maxmemory-policy': 'allkeys-lru' });
    run('SET', 'k', 'v');
    run('WATCH', 'k');
    e.config.set('maxmemory', '1');
    expect(e.dbs[0].size).toBe(0);
    e.config.set('maxmemory', '0');
    run('MULTI');
    run('PING');
    expect(run('EXEC')).toEqual({ t: 'array', v: null });
  });

  it('out of time, keeps evicting from cron while commands still run', () => {
    const { e, clock, run } = setup({ 'maxmemory-policy': 'allkeys-random', 'maxmemory-eviction-tenacity': '0' });
    for (let i = 0; i < 60; i++) run('SET', `k${i}`, 'v');
    e.config.set('maxmemory', '1');
    const left = e.dbs[0].size;
    expect(left).toBeLessThan(60);
    expect(left).toBeGreaterThan(0);
    expect(performEvictions(e)).toBe('running');
    for (let i = 0; i < 20 && e.dbs[0].size > 0; i++) {
      clock.advance(100);
      e.cron();
    }
    expect(e.dbs[0].size).toBe(0);
    expect(run('SET', 'x', 'y')).toEqual({ t: 'error', v: "OOM command not allowed when used memory > 'maxmemory'." });
  });

  it('converts tenacity into a time budget', () => {
    expect(evictionTimeLimitUs(0)).toBe(0);
    expect(evictionTimeLimitUs(10)).toBe(500);
    expect(evictionTimeLimitUs(11)).toBe(575);
    expect(evictionTimeLimitUs(100)).toBe(Number.POSITIVE_INFINITY);
  });
});
