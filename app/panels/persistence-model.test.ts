// The persistence panel's view model: the seed table's modes as CONFIG SET commands, the timeline
// worded from real engine events (an engine with AOF on, BGSAVE and BGREWRITEAOF), file bars.

import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../engine/clock';
import type { EngineEvent } from '../../engine/events';
import { createEngine } from '../../engine/index';
import { persistModeOf } from '../../engine/persistence/durability';
import {
  commandLine,
  commandText,
  fileBar,
  MAX_TIMELINE,
  MODES,
  modeCommand,
  pushTimeline,
  timelineOf,
  touchesPersistence,
} from './persistence-model';

describe('modes', () => {
  it('each mode’s CONFIG SET makes the engine report that mode', () => {
    for (const m of MODES) {
      const e = createEngine({ clock: new ManualClock(1_700_000_000_000), seed: 1 });
      const reply = e.dispatch(e.createClient(), modeCommand(m.id));
      expect(reply).toEqual({ t: 'status', v: 'OK' });
      const mode = persistModeOf(
        e.config.getBool('appendonly'),
        e.config.get('save'),
        e.config.getBool('aof-use-rdb-preamble'),
      );
      expect(mode).toBe(m.id);
    }
  });

  it('shows the command as it would be typed in redis-cli', () => {
    expect(commandLine(modeCommand('none'))).toBe('CONFIG SET appendonly no save ""');
    expect(commandLine(modeCommand('rdb'))).toBe('CONFIG SET appendonly no save "3600 1 300 100 60 10000"');
  });
});

describe('timeline', () => {
  function events(): EngineEvent[] {
    const clock = new ManualClock(1_700_000_000_050);
    // The journal (on in the lab's worker) names the command behind each AOF write.
    const e = createEngine({
      clock,
      seed: 1,
      journal: true,
      config: { appendonly: 'yes', appendfsync: 'always', save: '' },
    });
    const seen: EngineEvent[] = [];
    e.on((ev) => seen.push(ev));
    const c = e.createClient();
    e.dispatch(c, ['SET', 'greeting', 'hello world']);
    e.dispatch(c, ['BGSAVE']);
    for (let i = 0; i < 3; i++) {
      clock.advance(100);
      e.cron();
    }
    return seen;
  }

  it('words an AOF write with its command, its fsync, the fork and the snapshot', () => {
    const entries = timelineOf(events());
    const kinds = entries.map((t) => t.kind);
    expect(kinds.slice(0, 2)).toEqual(['append', 'fsync']);
    expect(entries[0].text).toMatch(/^SET greeting "hello world" → appendonly\.aof\.1\.incr\.aof \(\+\d+B/);
    expect(entries[0].label).toBe('AOF write');
    expect(kinds).toContain('fork');
    expect(kinds).toContain('snapshot');
    expect(entries.find((t) => t.kind === 'snapshot')?.text).toMatch(/^snapshot written: dump\.rdb/);
    expect(touchesPersistence(events())).toBe(true);
  });

  it('keeps the newest entries first, bounded', () => {
    let log = pushTimeline([], timelineOf(events()));
    expect(log[0].kind).not.toBe('append');
    for (let i = 0; i < 60; i++) log = pushTimeline(log, timelineOf(events()));
    expect(log.length).toBe(MAX_TIMELINE);
  });

  it('ignores batches with nothing about persistence', () => {
    expect(touchesPersistence([{ type: 'key', db: 0, key: 'k', op: 'set' }])).toBe(false);
    expect(timelineOf([{ type: 'config', name: 'maxmemory', value: '0' }])).toEqual([]);
  });
});

describe('display helpers', () => {
  it('quotes arguments and shows how many were left off', () => {
    expect(commandText(['SET', 'a b', ''])).toBe('SET "a b" ""');
    expect(commandText(['RPUSH', 'l', '1'], 9)).toBe('RPUSH l 1 … (+6)');
  });

  it('splits a file into durable and page-cache-only shares', () => {
    expect(fileBar(200, 150)).toEqual({ durablePct: 75, cachePct: 25 });
    expect(fileBar(0, 0)).toEqual({ durablePct: 0, cachePct: 0 });
  });
});
