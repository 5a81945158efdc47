// The virtual disk: writes reach the page cache, fsync makes them durable, a killed process keeps the
// page cache, a power cut keeps only durable bytes, the OS writes dirty data back after 30 s.

import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import { fromBytes, toBytes } from '../protocol/binary';
import { type DiskEvent, VirtualDisk, WRITEBACK_MS } from './disk';
import { MemoryStorage } from './storage/memory';

function setup() {
  const clock = new ManualClock(1_000_000);
  const storage = new MemoryStorage();
  const disk = new VirtualDisk(storage, clock);
  const events: DiskEvent[] = [];
  disk.on((e) => events.push(e));
  const text = (p: string) => {
    const b = disk.read(p);
    return b === null ? null : fromBytes(b);
  };
  return { clock, storage, disk, events, text };
}

describe('VirtualDisk', () => {
  it('a write is visible at once but durable only after fsync', () => {
    const { disk, storage, text } = setup();
    disk.append('a.aof', toBytes('one'));
    expect(text('a.aof')).toBe('one');
    expect(storage.size('a.aof')).toBe(0);
    disk.fsync('a.aof');
    expect(fromBytes(storage.read('a.aof') as Uint8Array)).toBe('one');
    disk.append('a.aof', toBytes('two'));
    expect(text('a.aof')).toBe('onetwo');
    expect(disk.pending()).toEqual([{ path: 'a.aof', bytes: 3, since: 1_000_000 }]);
  });

  it('a killed process loses nothing; a power cut loses what was not fsynced', () => {
    const { disk, text } = setup();
    disk.append('a.aof', toBytes('durable'));
    disk.fsync('a.aof');
    disk.append('a.aof', toBytes('+cached'));
    expect(disk.crash('kill').lost).toEqual([]);
    expect(text('a.aof')).toBe('durable+cached');
    const report = disk.crash('power');
    expect(report.lost.map((l) => [l.path, l.bytes, fromBytes(l.tail)])).toEqual([['a.aof', 7, '+cached']]);
    expect(text('a.aof')).toBe('durable');
  });

  it('a rewritten file keeps its old durable content until fsync', () => {
    const { disk, text } = setup();
    disk.write('dump.rdb', toBytes('old'));
    disk.fsync('dump.rdb');
    disk.write('dump.rdb', toBytes('new!'));
    disk.crash('power');
    expect(text('dump.rdb')).toBe('old');
  });

  it('rename is durable at once and carries the cached content', () => {
    const { disk, text } = setup();
    disk.write('temp-1.rdb', toBytes('snapshot'));
    disk.fsync('temp-1.rdb');
    disk.rename('temp-1.rdb', 'dump.rdb');
    disk.crash('power');
    expect(text('dump.rdb')).toBe('snapshot');
    expect(disk.exists('temp-1.rdb')).toBe(false);
  });

  it('truncate shortens the file and its durable prefix', () => {
    const { disk, text } = setup();
    disk.append('x', toBytes('abcdef'));
    disk.fsync('x');
    disk.truncate('x', 2);
    expect(text('x')).toBe('ab');
    disk.fsync('x');
    disk.crash('power');
    expect(text('x')).toBe('ab');
  });

  it(`the OS writes dirty data back once it is ${WRITEBACK_MS / 1000} s old`, () => {
    const { disk, clock, text } = setup();
    disk.append('a.aof', toBytes('x'));
    clock.advance(WRITEBACK_MS - 1);
    disk.tick();
    expect(disk.pending().length).toBe(1);
    clock.advance(1);
    disk.tick();
    expect(disk.pending()).toEqual([]);
    disk.crash('power');
    expect(text('a.aof')).toBe('x');
  });

  it('every operation is an event with its size and time', () => {
    const { disk, events, clock } = setup();
    disk.append('a', toBytes('12345'));
    clock.advance(10);
    disk.fsync('a');
    disk.rename('a', 'b');
    disk.truncate('b', 1);
    disk.unlink('b');
    expect(events.map((e) => [e.op, e.path, e.bytes, e.size, e.durable, e.at])).toEqual([
      ['write', 'a', 5, 5, 0, 1_000_000],
      ['fsync', 'a', 5, 5, 5, 1_000_010],
      ['rename', 'a', 5, 5, 5, 1_000_010],
      ['truncate', 'b', 4, 1, 5, 1_000_010],
      ['unlink', 'b', 1, 0, 0, 1_000_010],
    ]);
  });
});
