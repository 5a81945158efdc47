// The write journal on its own: long commands shortened for display, old writes only counted once
// the journal is full, renames followed, and the split over a disk view (snapshot seq, AOF offsets).

import { describe, expect, it } from 'vitest';
import { JOURNAL_KEEP, MAX_ARG_CHARS, MAX_ARGS, WriteJournal } from './journal';

const view = (sizes: Record<string, number>, over: Partial<Parameters<WriteJournal['split']>[0]> = {}) => ({
  appendonly: true,
  aofBase: 'd/base.rdb',
  aofIncrs: ['d/1.incr.aof'],
  rdbPath: 'dump.rdb',
  size: (p: string) => sizes[p] ?? null,
  ...over,
});

describe('WriteJournal', () => {
  it('keeps commands short: a few arguments, each cut to a display length', () => {
    const j = new WriteJournal();
    const long = 'x'.repeat(1000);
    j.record(0, ['RPUSH', 'l', long, 'a', 'b', 'c', 'd', 'e'], 1);
    const [w] = j.split(view({}, { appendonly: false })).lost;
    expect(w.argv.length).toBe(MAX_ARGS);
    expect(w.argv[2]).toBe(`${'x'.repeat(MAX_ARG_CHARS)}…`);
    expect(w.argc).toBe(8);
  });

  it('counts writes beyond what it keeps instead of listing them', () => {
    const j = new WriteJournal();
    for (let i = 0; i < JOURNAL_KEEP * 1.2; i++) j.record(0, ['SET', `k${i}`, 'v'], i);
    const split = j.split(view({}, { appendonly: false }));
    expect(split.forgotten + split.lost.length).toBe(JOURNAL_KEEP * 1.2);
    expect(split.lost.length).toBeLessThanOrEqual(JOURNAL_KEEP * 1.1);
    expect(split.lost[split.lost.length - 1].argv[1]).toBe(`k${JOURNAL_KEEP * 1.2 - 1}`);
  });

  it('splits by the snapshot seq and the AOF bytes that remain, following renames', () => {
    const j = new WriteJournal();
    j.record(0, ['SET', 'a', '1'], 10);
    j.snapshotTaken('d/temp.rdb', 10);
    j.onDisk({
      type: 'disk',
      op: 'rename',
      path: 'd/temp.rdb',
      to: 'd/base.rdb',
      bytes: 90,
      size: 90,
      durable: 90,
      at: 11,
    });
    j.aofWritten('d/temp.incr', 0, [1]); // already in the base: no matter
    const b = j.record(0, ['SET', 'b', '1'], 20);
    j.aofWritten('d/temp.incr', 40, [b]);
    const c = j.record(0, ['SET', 'c', '1'], 30);
    j.aofWritten('d/temp.incr', 80, [c]);
    j.onDisk({
      type: 'disk',
      op: 'rename',
      path: 'd/temp.incr',
      to: 'd/1.incr.aof',
      bytes: 80,
      size: 80,
      durable: 40,
      at: 31,
    });
    // After a power cut the incr file kept its first 40 bytes.
    const split = j.split(view({ 'd/base.rdb': 90, 'd/1.incr.aof': 40 }));
    expect(split.survived.map((w) => w.argv[1])).toEqual(['a', 'b']);
    expect(split.lost.map((w) => w.argv[1])).toEqual(['c']);
    expect(split.snapshotSeq).toBe(1);
    expect(split.snapshotAt).toBe(10);
  });
});
