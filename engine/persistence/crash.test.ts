// What each persistence setup loses in a crash, on the virtual disk with engine time: appendfsync always
// loses nothing acknowledged, everysec at most about a second on power loss (nothing when only the
// process is killed), no up to 30 s on power loss, and RDB-only everything since the last save.

import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import { createEngine, type Engine } from '../index';
import { VirtualDisk } from './disk';
import { crashAndRestart, persistenceOf } from './lifecycle';
import { MemoryStorage } from './storage/memory';

const START = 1_700_000_000_050;

function server(config: Record<string, string>) {
  const clock = new ManualClock(START);
  const make = (disk: VirtualDisk) => createEngine({ clock, seed: 1, config: { save: '', ...config }, disk });
  const engine = make(new VirtualDisk(new MemoryStorage(), clock));
  return { clock, make, engine };
}

function set(e: Engine, key: string, value = 'v'): void {
  const c = e.createClient();
  expect(e.dispatch(c, ['SET', key, value])).toEqual({ t: 'status', v: 'OK' });
}

/** Let engine time pass in serverCron steps (hz 10). */
function pass(e: Engine, clock: ManualClock, ms: number): void {
  for (let t = 0; t < ms; t += 100) {
    clock.advance(100);
    e.cron();
  }
}

const keys = (e: Engine) => [...e.dbs[0].dict.keys()].sort();

describe('appendfsync always', () => {
  it('every acknowledged write survives a power cut', () => {
    const { clock, make, engine } = server({ appendonly: 'yes', appendfsync: 'always' });
    let e = engine;
    for (let i = 0; i < 20; i++) {
      set(e, `k${i}`);
      clock.advance(37);
      const { engine: next, report } = crashAndRestart(e, 'power', make);
      expect(report.ok).toBe(true);
      expect(report.crash?.lost).toEqual([]);
      expect(keys(next)).toContain(`k${i}`);
      e = next;
    }
    expect(keys(e).length).toBe(20);
  });
});

describe('appendfsync everysec', () => {
  it('a power cut loses at most the writes of about the last second', () => {
    const { clock, make, engine } = server({ appendonly: 'yes', appendfsync: 'everysec' });
    const written: [string, number][] = [];
    for (let i = 0; i < 60; i++) {
      set(engine, `k${i}`);
      written.push([`k${i}`, clock.now()]);
      pass(engine, clock, 100 + (i % 3) * 100);
    }
    // Two more writes inside the second that has already had its fsync.
    pass(engine, clock, 1000 - (clock.now() % 1000) + 100);
    for (const k of ['last1', 'last2']) {
      set(engine, k);
      written.push([k, clock.now()]);
      pass(engine, clock, 100);
    }
    const crashAt = clock.now();
    const { engine: after, report } = crashAndRestart(engine, 'power', make);
    const survived = new Set(keys(after));
    const lost = written.filter(([k]) => !survived.has(k));
    expect(lost.map(([k]) => k)).toContain('last2');
    // Only a suffix is lost, and nothing written more than 1.1 s before the crash.
    for (const [k, at] of written) if (at < crashAt - 1100) expect(survived.has(k), k).toBe(true);
    expect(lost.map(([k]) => k)).toEqual(written.slice(written.length - lost.length).map(([k]) => k));
    expect(report.crash?.lost[0].commands).toBe(lost.length);
  });

  it('a killed process loses nothing: the page cache survives', () => {
    const { clock, make, engine } = server({ appendonly: 'yes', appendfsync: 'everysec' });
    for (let i = 0; i < 30; i++) {
      set(engine, `k${i}`);
      pass(engine, clock, 100);
    }
    const { engine: after, report } = crashAndRestart(engine, 'kill', make);
    expect(keys(after).length).toBe(30);
    expect(report.crash?.kind).toBe('kill');
  });
});

describe('appendfsync no', () => {
  it('a power cut loses what the OS has not written back (up to 30 s)', () => {
    const { clock, make, engine } = server({ appendonly: 'yes', appendfsync: 'no' });
    set(engine, 'old');
    pass(engine, clock, 31_000);
    set(engine, 'recent');
    pass(engine, clock, 29_000);
    const { engine: after } = crashAndRestart(engine, 'power', make);
    expect(keys(after)).toEqual(['old']);
  });

  it('nothing is lost once the 30 s writeback has run', () => {
    const { clock, make, engine } = server({ appendonly: 'yes', appendfsync: 'no' });
    set(engine, 'a');
    set(engine, 'b');
    pass(engine, clock, 30_100);
    const { engine: after } = crashAndRestart(engine, 'power', make);
    expect(keys(after)).toEqual(['a', 'b']);
  });
});

describe('RDB only', () => {
  it('a crash loses every change since the last save, and says how many', () => {
    const { clock, make, engine } = server({ appendonly: 'no' });
    set(engine, 'saved');
    const c = engine.createClient();
    expect(engine.dispatch(c, ['SAVE'])).toEqual({ t: 'status', v: 'OK' });
    set(engine, 'after1');
    set(engine, 'after2');
    pass(engine, clock, 40_000);
    for (const kind of ['kill', 'power'] as const) {
      const { engine: after, report } = crashAndRestart(engine, kind, make);
      expect(keys(after)).toEqual(['saved']);
      expect(report.source).toBe('rdb');
      expect(report.crash?.changesSinceSave).toBe(2);
      persistenceOf(after).detach();
    }
  });
});
