// The used-mem AUX field of a save (rdbSaveInfoAuxFields): asked for after the keys are written, so
// a save on an engine that never counted its memory counts it on its own walk (encode.ts writeDb).
// The figure must be INFO's used_memory at that instant, and the counts kept must be a recount's.

import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock';
import { createEngine, type Engine } from '../../index';
import { dbDataMemoryFull } from '../../keyspace/memory';
import type { Reply } from '../../protocol/reply';
import { encodeRdbBytes, type RdbSaveOptions } from './encode';
import { loadRdbIntoEngine, snapshotRdbBytes } from './engine-io';

const x = (n: number) => 'x'.repeat(n);

/** Every type and encoding, odd scores and integers included, in two dbs. */
const DATASET: string[][] = [
  ['SET', 'int', '-2147483648'],
  ['SET', 'big-int', '9223372036854775807'],
  ['SET', 'embstr', 'hello world'],
  ['SET', 'raw', x(120)],
  ['SET', 'huge', 'abc'.repeat(5000)],
  ['SET', 'lead0', '0123'],
  ['SET', 'empty', ''],
  ['APPEND', 'appended', 'hello'],
  ['SET', 'ttl', 'v', 'PX', '100000000'],
  ['HSET', 'h-lp', 'name', 'ann', 'age', '42', 'n1', '-9223372036854775808', 'n2', '18446744073709551615', 'n3', '-0'],
  ['HSET', 'h-lp-big', 'f', x(63), 'g', x(64), 'n4', '4095', 'n5', '-4096'],
  ['HSET', 'h-ht', ...Array.from({ length: 300 }, (_, i) => [`f${i}`, `v${i * 7}`]).flat()],
  ['RPUSH', 'l-small', 'a', '1', '-300', x(100)],
  ['RPUSH', 'l-big', ...Array.from({ length: 3000 }, (_, i) => (i % 3 === 0 ? String(i) : `e${i}`))],
  ['SADD', 's-int', '1', '2', '70000', '-9223372036854775808', '9223372036854775807'],
  ['SADD', 's-ht', 'a', 'bb', 'ccc', x(50)],
  ['SADD', 's-ht-big', ...Array.from({ length: 700 }, (_, i) => String(i * 7))],
  ['ZADD', 'z-lp', 'inf', 'a', '-inf', 'b', '1.5', 'c', '-0', 'd', '9007199254740993', 'e', '4611686018427387904', 'f'],
  ['ZADD', 'z-lp2', '1e300', 'g', '0.0001', 'h', '1e-5', 'i', '123456789.125', 'j', '-4611686018427387905', 'k'],
  ['ZADD', 'z-sl', ...Array.from({ length: 200 }, (_, i) => [String(i * 1.25), `m${i}`]).flat()],
  ['XADD', 'stream', '1-1', 'f', 'v'],
  ['XADD', 'stream', '2-1', 'f', 'w', 'g', 'z'],
  ['XGROUP', 'CREATE', 'stream', 'g1', '0'],
  ['XREADGROUP', 'GROUP', 'g1', 'c1', 'COUNT', '1', 'STREAMS', 'stream', '>'],
  ['SELECT', '5'],
  ['SET', 'other-db', '12'],
  ['HSET', 'h5', 'a', '1'],
  ['SELECT', '0'],
];

function build(): { engine: Engine; run: (argv: string[]) => Reply } {
  const engine = createEngine({ clock: new ManualClock(1_700_000_000_000), seed: 1 });
  const c = engine.createClient();
  const run = (argv: string[]) => engine.dispatch(c, argv) as Reply;
  for (const argv of DATASET) expect(run(argv).t, argv.join(' ')).not.toBe('error');
  return { engine, run };
}

const infoUsedMemory = (run: (argv: string[]) => Reply): number =>
  Number(/used_memory:(\d+)/.exec(String(run(['INFO', 'memory']).v))?.[1]);

function usedMemAux(file: Uint8Array): number {
  const reader = createEngine({ clock: new ManualClock(1_700_000_000_000), seed: 2 });
  return Number(loadRdbIntoEngine(reader, file).aux.get('used-mem'));
}

function memoryUsages(engine: Engine, run: (argv: string[]) => Reply): string[] {
  const out: string[] = [];
  for (const db of engine.dbs) {
    run(['SELECT', String(db.id)]);
    for (const e of db.dict.entries()) {
      out.push(
        `${db.id} ${e.key} ${run(['MEMORY', 'USAGE', e.key]).v} ${run(['MEMORY', 'USAGE', e.key, 'SAMPLES', '0']).v}`,
      );
    }
  }
  run(['SELECT', '0']);
  return out.sort();
}

describe('RDB save: used-mem', () => {
  it('a first save on an engine that never counted writes what INFO used_memory reports right after', () => {
    const { engine, run } = build();
    expect(engine.dbs.map((db) => db.mem)).toEqual(engine.dbs.map(() => null));
    const file = snapshotRdbBytes(engine, []);
    // The save's walk kept the counts: every non-empty db counted, each equal to a recount of its keys.
    for (const db of engine.dbs) {
      if (db.dict.size === 0) continue;
      expect(db.mem?.counted).toBe(db.dict.size);
      expect(db.mem?.data).toBe(dbDataMemoryFull(db));
    }
    expect(usedMemAux(file)).toBe(infoUsedMemory(run));
  });

  it('INFO and MEMORY USAGE report the same figures whether the save or INFO counted first', () => {
    const saved = build();
    snapshotRdbBytes(saved.engine, []);
    const asked = build();
    expect(infoUsedMemory(saved.run)).toBe(infoUsedMemory(asked.run));
    expect(memoryUsages(saved.engine, saved.run)).toEqual(memoryUsages(asked.engine, asked.run));
  });

  it('a save with the counts kept writes the incremental figure, and it still equals INFO after writes', () => {
    const { engine, run } = build();
    const before = infoUsedMemory(run);
    run(['HSET', 'h-lp', 'added', x(30)]);
    run(['DEL', 'raw']);
    run(['ZADD', 'z-lp', '2.5', 'new']);
    const file = snapshotRdbBytes(engine, []);
    const after = infoUsedMemory(run);
    expect(after).not.toBe(before);
    expect(usedMemAux(file)).toBe(after);
    for (const db of engine.dbs) if (db.dict.size > 0) expect(db.mem?.data).toBe(dbDataMemoryFull(db));
  });

  it('the file is the same byte for byte whether used-mem is given first or asked after the keys', () => {
    const { engine } = build();
    for (const usedMem of [0, 5, 127, 2 ** 31 - 1, 2 ** 31, 131237464, 2 ** 40 + 3, 2 ** 53 - 1]) {
      for (const compress of [true, false]) {
        for (const checksum of [true, false]) {
          const opts: RdbSaveOptions = {
            compress,
            checksum,
            aofBase: !compress,
            ctime: 1_700_000_000,
            usedMem,
            functions: [`#!lua name=lib\n${x(300)}`, 'payload\x00\xff'],
          };
          const given = encodeRdbBytes(engine, opts);
          const asked = encodeRdbBytes(engine, { ...opts, usedMem: () => usedMem });
          expect(Buffer.from(asked).equals(Buffer.from(given))).toBe(true);
        }
      }
    }
  });
});
