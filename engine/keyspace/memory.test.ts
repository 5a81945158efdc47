import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import { createEngine } from '../index';
import {
  dictSlots,
  jemallocSize,
  keyMemoryUsage,
  registerValueSizer,
  sdsAllocSize,
  usedMemory,
  valueMemory,
} from './memory';
import { META_RAW, type CollectionValue } from './db';

describe('jemalloc size classes', () => {
  it('rounds to 8, then 16-byte steps to 128, then four classes per doubling', () => {
    expect([1, 8, 9, 17, 33, 49, 65, 113, 128].map(jemallocSize)).toEqual([8, 8, 16, 32, 48, 64, 80, 128, 128]);
    expect([129, 161, 193, 225, 257, 1006, 1025, 4097].map(jemallocSize)).toEqual([
      160, 192, 224, 256, 320, 1024, 1280, 5120,
    ]);
  });

  it('sizes sds strings with the header type sdsnewlen picks', () => {
    expect(sdsAllocSize(1)).toBe(8); // type 5: 1 + 1 + 1
    expect(sdsAllocSize(10)).toBe(16);
    expect(sdsAllocSize(40)).toBe(48); // type 8: 3 + 40 + 1
    expect(sdsAllocSize(1000)).toBe(1024); // type 16: 5 + 1000 + 1
  });
});

describe('MEMORY USAGE of strings (values measured on redis-server 7.0.15)', () => {
  const usage = (key: string, value: string, raw = false) => keyMemoryUsage(key, value, raw ? META_RAW : 0);
  it('matches Redis for int, embstr and raw encodings', () => {
    expect(usage('a', '1')).toBe(48);
    expect(usage('a', '12345')).toBe(48);
    expect(usage('a', '123456789012345678901')).toBe(80);
    expect(usage('a', 'x')).toBe(64);
    expect(usage('a', 'x'.repeat(10))).toBe(64);
    expect(usage('a', 'x'.repeat(44))).toBe(96);
    expect(usage('a', 'x'.repeat(45))).toBe(112);
    expect(usage('a', 'x'.repeat(100))).toBe(160);
    expect(usage('abcdefghij', '1')).toBe(56);
    expect(usage('abcdefghij', 'x'.repeat(100))).toBe(168);
  });

  it('counts an edited (raw) string with its preallocated room', () => {
    expect(usage('a', 'hello world', true)).toBeGreaterThan(usage('a', 'hello world'));
  });
});

describe('collections and used_memory', () => {
  it('lets a collection type plug in its own size function', () => {
    const v: CollectionValue = { type: 'stream', encoding: () => 'stream' };
    const before = valueMemory(v);
    registerValueSizer('stream', () => 4242);
    expect(valueMemory(v)).toBe(4242);
    expect(before).not.toBe(4242);
  });

  it('grows used_memory by the keys added and gives it back when they go', () => {
    const engine = createEngine({ clock: new ManualClock(), seed: 1 });
    const c = engine.createClient();
    const empty = usedMemory(engine);
    for (let i = 0; i < 100; i++) engine.dispatch(c, ['SET', `key:${i}`, `value:${i}`]);
    const full = usedMemory(engine);
    expect(full - empty).toBeGreaterThanOrEqual(100 * 64);
    engine.dispatch(c, ['FLUSHALL']);
    expect(usedMemory(engine)).toBe(empty);
  });
});

describe('dictSlots: both tables while a growth is rehashed (measured on redis-server 7.0.15)', () => {
  it('counts the old table until the adds since the doubling have stepped through its buckets', () => {
    // SADD steps once per add: 10 members (8 → 16 at the 9th) and 200 (128 → 256) still rehash,
    // 1000 (512 → 1024 at the 513th) is done.
    expect(dictSlots(10, 16, 1)).toBe(24);
    expect(dictSlots(200, 256, 1)).toBe(384);
    expect(dictSlots(1000, 1024, 1)).toBe(1024);
    expect(dictSlots(10000, 16384, 1)).toBe(24576);
    // HSET and ZADD step twice: 200 fields are done, 10 and 10000 are not.
    expect(dictSlots(200, 256, 2)).toBe(256);
    expect(dictSlots(10, 16, 2)).toBe(24);
    expect(dictSlots(10000, 16384, 2)).toBe(24576);
  });

  it('leaves the first table and shrunk tables alone', () => {
    expect(dictSlots(3, 4, 1)).toBe(4);
    expect(dictSlots(4, 8, 1)).toBe(8);
    expect(dictSlots(20, 64, 1)).toBe(64);
  });
});
