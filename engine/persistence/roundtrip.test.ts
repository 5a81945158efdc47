// Property: random keyspaces (every type, both encodings of each, binary data, odd scores, TTLs, several
// dbs) come back identical through an RDB file, through the incremental AOF, and through an AOF rewrite
// (RESP base or RDB preamble).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import { createEngine, type Engine } from '../index';
import { fromBytes } from '../protocol/binary';
import { canonicalKeyspace } from './canonical';
import { VirtualDisk } from './disk';
import { persistenceOf } from './lifecycle';
import { loadRdbIntoEngine, snapshotRdb } from './rdb/engine-io';
import { MemoryStorage } from './storage/memory';

const bytes = fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 80 }).map((a) => String.fromCharCode(...a));
const text = fc.oneof(
  bytes,
  fc.integer({ min: -40000, max: 40000 }).map(String),
  fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }).map(String),
  fc.constantFrom('', '007', '-0', '1.5', 'x'.repeat(70), 'y'.repeat(5000)),
);
const score = fc.oneof(
  fc.double({ noNaN: true }),
  fc.integer({ min: -1000, max: 1000 }),
  fc.constantFrom(Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 0.1, 5e-324),
);
const key = fc.constantFrom('a', 'b', 'c', 'd', 'e', '\x00k\xff');

const command: fc.Arbitrary<string[]> = fc.oneof(
  fc.tuple(key, text).map(([k, v]) => ['SET', k, v]),
  fc.tuple(key, fc.array(text, { minLength: 1, maxLength: 30 })).map(([k, vs]) => ['RPUSH', `l:${k}`, ...vs]),
  fc
    .tuple(
      key,
      fc.array(fc.oneof(text, fc.integer({ min: -70000, max: 70000 }).map(String)), { minLength: 1, maxLength: 30 }),
    )
    .map(([k, vs]) => ['SADD', `s:${k}`, ...vs]),
  fc
    .tuple(key, fc.array(fc.tuple(score, text), { minLength: 1, maxLength: 30 }))
    .map(([k, ps]) => ['ZADD', `z:${k}`, ...ps.flatMap(([sc, m]) => [String(sc), m])]),
  fc
    .tuple(key, fc.array(fc.tuple(text, text), { minLength: 1, maxLength: 30 }))
    .map(([k, ps]) => ['HSET', `h:${k}`, ...ps.flat()]),
  fc.tuple(key, fc.integer({ min: 1, max: 1e9 })).map(([k, ms]) => ['PEXPIRE', k, String(ms)]),
  key.map((k) => ['DEL', k]),
  fc.integer({ min: 0, max: 3 }).map((db) => ['SELECT', String(db)]),
);

/** Small thresholds so both encodings of every type show up. */
const thresholds = fc.record({
  'hash-max-listpack-entries': fc.integer({ min: 0, max: 8 }).map(String),
  'hash-max-listpack-value': fc.constantFrom('8', '64'),
  'zset-max-listpack-entries': fc.integer({ min: 0, max: 8 }).map(String),
  'set-max-intset-entries': fc.integer({ min: 1, max: 8 }).map(String),
  'list-max-listpack-size': fc.constantFrom('-2', '-1', '2', '4'),
  rdbcompression: fc.constantFrom('yes', 'no'),
});

function build(config: Record<string, string>, disk?: VirtualDisk, clock = new ManualClock(1_700_000_000_000)): Engine {
  return createEngine({ clock, seed: 7, config: { save: '', ...config }, disk });
}

function runAll(e: Engine, cmds: string[][]): void {
  const c = e.createClient();
  for (const argv of cmds) {
    // A type clash is just an error reply; the keyspace stays consistent.
    e.dispatch(c, argv);
  }
}

const values = (e: Engine) => canonicalKeyspace(e).map(({ encoding: _enc, ...rest }) => rest);

describe('random keyspaces round-trip', () => {
  it('through an RDB file', () => {
    fc.assert(
      fc.property(thresholds, fc.array(command, { maxLength: 40 }), (config, cmds) => {
        const src = build(config);
        runAll(src, cmds);
        const rdb = snapshotRdb(src, []);
        const dst = build(config);
        loadRdbIntoEngine(dst, rdb);
        expect(values(dst)).toEqual(values(src));
      }),
      { numRuns: 150 },
    );
  });

  it('through the incremental AOF (every write appended, then replayed at start)', () => {
    fc.assert(
      fc.property(thresholds, fc.array(command, { maxLength: 40 }), (config, cmds) => {
        const clock = new ManualClock(1_700_000_000_000);
        const disk = new VirtualDisk(new MemoryStorage(), clock);
        const cfg = { ...config, appendonly: 'yes' };
        const src = build(cfg, disk, clock);
        runAll(src, cmds);
        const dst = build(cfg, disk, clock);
        expect(persistenceOf(dst).lastLoadReport?.ok).toBe(true);
        expect(values(dst)).toEqual(values(src));
      }),
      { numRuns: 100 },
    );
  });

  it('through an AOF rewrite (RESP base or RDB preamble) with writes before and after it', () => {
    fc.assert(
      fc.property(
        thresholds,
        fc.constantFrom('yes', 'no'),
        fc.array(command, { maxLength: 25 }),
        fc.array(command, { maxLength: 15 }),
        (config, preamble, before, after) => {
          const clock = new ManualClock(1_700_000_000_000);
          const disk = new VirtualDisk(new MemoryStorage(), clock);
          const cfg = { ...config, appendonly: 'yes', 'aof-use-rdb-preamble': preamble };
          const src = build(cfg, disk, clock);
          runAll(src, before);
          const c = src.createClient();
          src.dispatch(c, ['BGREWRITEAOF']);
          runAll(src, after);
          for (let i = 0; i < 5; i++) {
            clock.advance(100);
            src.cron();
          }
          expect(persistenceOf(src).aof.rewrites).toBe(1);
          const manifest = fromBytes(disk.read('appendonlydir/appendonly.aof.manifest') as Uint8Array);
          expect(manifest).toContain(`appendonly.aof.2.base.${preamble === 'yes' ? 'rdb' : 'aof'}`);
          const dst = build(cfg, disk, clock);
          expect(values(dst)).toEqual(values(src));
        },
      ),
      { numRuns: 80 },
    );
  });
});
