// used_memory kept incrementally (memory.ts dbDataMemory): after random writes of every type —
// in-place edits, deletes, expiry, eviction, SWAPDB, MOVE, FLUSHDB, scripts, DEBUG RELOAD — the
// figure INFO reports equals a recount of every key.

import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import { createEngine, type Engine } from '../index';
import { createRandom } from '../random';
import { dbDataMemory, dbDataMemoryFull, memoryOverview, RUNTIME_BASELINE } from './memory';

type Gen = (r: () => number) => string[];

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const key = (r: () => number, prefix: string) => `${prefix}${Math.floor(r() * 6)}`;
const member = (r: () => number) =>
  r() < 0.5 ? `${Math.floor(r() * 300)}` : `m${'x'.repeat(Math.floor(r() * 80))}${Math.floor(r() * 300)}`;
const many = (r: () => number, n: number, f: () => string[]) =>
  Array.from({ length: 1 + Math.floor(r() * n) }, f).flat();

const GENS: Gen[] = [
  (r) => ['SET', key(r, 's'), pick(r, ['1', '12345', 'x'.repeat(Math.floor(r() * 100)), '3.5'])],
  (r) => ['APPEND', key(r, 's'), 'abc'.repeat(Math.floor(r() * 20))],
  (r) => ['SETRANGE', key(r, 's'), `${Math.floor(r() * 50)}`, 'zz'],
  (r) => ['INCR', key(r, 's')],
  (r) => ['INCRBYFLOAT', key(r, 's'), '1.5'],
  (r) => ['SETBIT', key(r, 'b'), `${Math.floor(r() * 2000)}`, '1'],
  (r) => ['BITFIELD', key(r, 'b'), 'SET', 'u8', `${Math.floor(r() * 400)}`, '7'],
  (r) => ['PFADD', key(r, 'p'), ...many(r, 20, () => [member(r)])],
  (r) => ['SADD', key(r, 'S'), ...many(r, 40, () => [member(r)])],
  (r) => ['SREM', key(r, 'S'), ...many(r, 20, () => [member(r)])],
  (r) => ['SPOP', key(r, 'S'), '3'],
  (r) => ['HSET', key(r, 'H'), ...many(r, 40, () => [member(r), member(r)])],
  (r) => ['HDEL', key(r, 'H'), ...many(r, 20, () => [member(r)])],
  (r) => ['HINCRBY', key(r, 'H'), member(r), '3'],
  (r) => ['ZADD', key(r, 'Z'), ...many(r, 40, () => [`${Math.floor(r() * 100)}`, member(r)])],
  (r) => ['ZREM', key(r, 'Z'), ...many(r, 20, () => [member(r)])],
  (r) => ['ZINCRBY', key(r, 'Z'), '2', member(r)],
  (r) => ['RPUSH', key(r, 'L'), ...many(r, 60, () => [member(r)])],
  (r) => ['LPOP', key(r, 'L'), '5'],
  (r) => ['LTRIM', key(r, 'L'), '2', '-3'],
  (r) => ['LSET', key(r, 'L'), '0', member(r)],
  (r) => ['XADD', key(r, 'X'), '*', 'f', member(r)],
  (r) => ['XGROUP', 'CREATE', key(r, 'X'), 'g', '0', 'MKSTREAM'],
  (r) => ['XREADGROUP', 'GROUP', 'g', `c${Math.floor(r() * 3)}`, 'COUNT', '3', 'STREAMS', key(r, 'X'), '>'],
  (r) => ['XACK', key(r, 'X'), 'g', '0-1', `${Date.now()}-0`],
  (r) => ['XAUTOCLAIM', key(r, 'X'), 'g', 'c9', '0', '0-0', 'COUNT', '2'],
  (r) => ['XGROUP', 'CREATECONSUMER', key(r, 'X'), 'g', `k${Math.floor(r() * 5)}`],
  (r) => ['XGROUP', 'DELCONSUMER', key(r, 'X'), 'g', `c${Math.floor(r() * 3)}`],
  (r) => ['XTRIM', key(r, 'X'), 'MAXLEN', '3'],
  (r) => ['DEL', key(r, pick(r, ['s', 'S', 'H', 'Z', 'L', 'X']))],
  (r) => ['UNLINK', key(r, pick(r, ['s', 'S', 'H', 'Z', 'L', 'b']))],
  (r) => ['GETDEL', key(r, 's')],
  (r) => ['EXPIRE', key(r, pick(r, ['s', 'S', 'H', 'Z', 'L', 'X', 'p'])), `${1 + Math.floor(r() * 3)}`],
  (r) => ['PERSIST', key(r, 's')],
  (r) => ['RENAME', key(r, pick(r, ['s', 'S'])), key(r, pick(r, ['s', 'S']))],
  (r) => ['COPY', key(r, pick(r, ['S', 'H', 'Z', 'L'])), key(r, 'c'), 'REPLACE'],
  (r) => ['MOVE', key(r, pick(r, ['s', 'S', 'H'])), '1'],
  (r) => ['SELECT', pick(r, ['0', '0', '1'])],
  () => ['SWAPDB', '0', '1'],
  (r) => ['SUNIONSTORE', key(r, 'S'), key(r, 'S'), key(r, 'S')],
  (r) => ['ZUNIONSTORE', key(r, 'Z'), '2', key(r, 'Z'), key(r, 'Z')],
  (r) => ['SORT', key(r, 'L'), 'ALPHA', 'STORE', key(r, 'L')],
  (r) => [
    'EVAL',
    "redis.call('HSET', KEYS[1], ARGV[1], ARGV[1]) return redis.call('SADD', KEYS[2], ARGV[1])",
    '2',
    key(r, 'H'),
    key(r, 'S'),
    member(r),
  ],
  (r) => (r() < 0.3 ? ['FLUSHDB'] : ['PING']),
  () => ['DEBUG', 'RELOAD'],
];

const BLOCKING: Gen[] = [
  (r) => ['BLMOVE', key(r, 'L'), key(r, 'L'), 'LEFT', 'RIGHT', '0'],
  (r) => ['BZPOPMIN', key(r, 'Z'), '0'],
  (r) => ['XREADGROUP', 'GROUP', 'g', 'cb', 'BLOCK', '0', 'STREAMS', key(r, 'X'), '>'],
];

function check(e: Engine): void {
  const ov = memoryOverview(e);
  let full = 0;
  for (const db of e.dbs) {
    full += dbDataMemoryFull(db);
    if (db.mem !== null) expect(dbDataMemory(db)).toBe(dbDataMemoryFull(db));
  }
  expect(ov.dataset).toBe(RUNTIME_BASELINE + full);
}

describe('incremental used_memory', () => {
  for (const seed of [1, 2, 3]) {
    it(`equals a recount of every key after random writes of every type (seed ${seed})`, () => {
      const clock = new ManualClock(1_700_000_000_000);
      const e = createEngine({ clock, seed, config: { save: '' } });
      const c = e.createClient();
      // A second client blocks now and then (BLMOVE, BZPOPMIN, XREADGROUP BLOCK) for writes to serve.
      const b = e.createClient();
      const rnd = createRandom(seed * 7919);
      const r = () => rnd.int(1_000_000) / 1_000_000;
      let checks = 0;
      for (let i = 0; i < 3000; i++) {
        const gen = GENS[Math.floor(r() * GENS.length)];
        if (gen === GENS[GENS.length - 1] && r() < 0.9) continue; // DEBUG RELOAD now and then
        e.dispatch(c, gen(r));
        if (r() < 0.05 && !b.ext.blocked) {
          e.dispatch(b, pick(r, BLOCKING)(r));
        }
        if (r() < 0.05) {
          clock.advance(1000);
          e.cron();
        }
        if (r() < 0.2) {
          check(e);
          checks++;
        }
      }
      // Eviction deletes keys outside the write path.
      e.dispatch(c, ['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-random']);
      e.dispatch(c, ['CONFIG', 'SET', 'maxmemory', `${memoryOverview(e).total - 2000}`]);
      e.dispatch(c, ['SET', 'trigger', 'x']);
      expect(e.stats.evictedKeys).toBeGreaterThan(0);
      check(e);
      expect(checks).toBeGreaterThan(300);
      expect(e.stats.expiredKeys).toBeGreaterThan(0);
    });
  }

  it('forgets the writes past its limit and counts afresh when next asked', () => {
    const e = createEngine({ clock: new ManualClock(), seed: 1 });
    const c = e.createClient();
    e.dispatch(c, ['SET', 'k', 'v']);
    memoryOverview(e);
    expect(e.dbs[0].mem).not.toBeNull();
    for (let i = 0; i < 5000; i++) e.dispatch(c, ['SET', `k${i % 50}`, 'x'.repeat(i % 90)]);
    expect(e.dbs[0].mem).toBeNull();
    check(e);
    expect(dbDataMemory(e.dbs[0])).toBe(dbDataMemoryFull(e.dbs[0]));
  });
});
