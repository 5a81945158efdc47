// The persistence panel's worker side: the inspect snapshot (mode, files with page-cache and durable
// sizes, the last crash's account), Download / Upload on the virtual disk, and the typed events the
// panel's timeline is built from (AOF writes with their commands, forks, snapshots, manifest swaps,
// the restart account).

import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import type { Engine } from '../engine';
import type { EngineEvent } from '../events';
import { createEngine } from '../index';
import { VirtualDisk } from '../persistence/disk';
import { MemoryStorage } from '../persistence/storage/memory';
import { EngineHost } from './host';
import { HOST_PANELS } from './host-panels';
import { diskFileStore, inspectPersistence } from './persistence-panel';
import type { Endpoint, FromWorker, PersistenceReport, ToWorker } from './protocol';
import { persistenceSettings, restartServer } from './restart';

const START = 1_700_000_000_050;

function lab(config: Record<string, string>) {
  const clock = new ManualClock(START);
  const make = (disk: VirtualDisk, from?: Engine) =>
    createEngine({
      clock,
      seed: 1,
      disk,
      journal: true,
      config: { ...config, ...(from ? persistenceSettings(from) : {}) },
    });
  const engine = make(new VirtualDisk(new MemoryStorage(), clock));
  const run = (e: Engine, ...argv: string[]) => e.dispatch(e.createClient(), argv);
  const pass = (e: Engine, ms: number) => {
    for (let t = 0; t < ms; t += 100) {
      clock.advance(100);
      e.cron();
    }
  };
  return { clock, make, engine, run, pass };
}

describe('inspectPersistence', () => {
  it('names the mode and lists the AOF files with their page-cache and durable parts', () => {
    const { engine, run } = lab({ appendonly: 'yes', appendfsync: 'everysec', save: '' });
    run(engine, 'SET', 'a', '1');
    run(engine, 'SET', 'b', '2');
    const r = inspectPersistence(engine);
    expect(r).toMatchObject({ mode: 'aof+rdb', appendonly: true, appendfsync: 'everysec', aofState: 'on' });
    expect(r.files.map((f) => [f.name, f.role])).toEqual([
      ['appendonlydir/appendonly.aof.manifest', 'manifest'],
      ['appendonlydir/appendonly.aof.1.base.rdb', 'base'],
      ['appendonlydir/appendonly.aof.1.incr.aof', 'incr'],
    ]);
    const incr = r.files[2];
    expect(incr.size).toBeGreaterThan(0);
    // Two SETs (and the SELECT) written in the same second: the first was fsynced... or not, but
    // whatever is not durable is exactly what the disk still holds in its page cache.
    const base = r.files[1];
    expect(base.durable).toBe(base.size);
    expect(incr.durable).toBeLessThan(incr.size);
    expect(r.writes).toBe(2);
  });

  it('follows CONFIG SET: the mode and the fsync policy', () => {
    const { engine, run } = lab({ save: '' });
    expect(inspectPersistence(engine).mode).toBe('none');
    run(engine, 'CONFIG', 'SET', 'save', '60 1');
    expect(inspectPersistence(engine).mode).toBe('rdb');
    run(
      engine,
      'CONFIG',
      'SET',
      'appendonly',
      'yes',
      'aof-use-rdb-preamble',
      'no',
      'save',
      '',
      'appendfsync',
      'always',
    );
    expect(inspectPersistence(engine)).toMatchObject({ mode: 'aof', appendfsync: 'always' });
  });
});

describe('diskFileStore', () => {
  it('downloads dump.rdb and uploads a file that the next start loads', () => {
    const { engine, make, run } = lab({ save: '3600 1' });
    run(engine, 'SET', 'k', 'v');
    run(engine, 'SAVE');
    const store = diskFileStore(() => engine);
    const rdb = store.read('dump.rdb');
    expect(new TextDecoder().decode(rdb?.subarray(0, 9))).toBe('REDIS0010');
    // Uploading it elsewhere: a fresh lab loads it at its restart.
    const other = lab({ save: '3600 1' });
    diskFileStore(() => other.engine).write('dump.rdb', rdb as Uint8Array);
    const { engine: next } = restartServer(other.engine, 'power', (d) => other.make(d));
    expect(other.run(next, 'GET', 'k')).toEqual({ t: 'bulk', v: 'v' });
    void make;
  });

  it('refuses names outside dir and the AOF directory', () => {
    const { engine } = lab({});
    const store = diskFileStore(() => engine);
    expect(() => store.read('../etc/passwd')).toThrow('not a persistence file name');
    expect(() => store.write('a/b', new Uint8Array(1))).toThrow('not a persistence file name');
    expect(store.read('appendonlydir/nothing.aof')).toBeUndefined();
  });
});

describe('persistence events for the timeline', () => {
  it('an AOF write carries its commands; BGSAVE and BGREWRITEAOF report fork, snapshot and manifest', () => {
    const { engine, run, pass } = lab({ appendonly: 'yes', appendfsync: 'always', save: '' });
    const seen: EngineEvent[] = [];
    engine.on((e) => seen.push(e));
    run(engine, 'SET', 'greeting', 'hello');
    const append = seen.find((e) => e.type === 'persist' && e.op === 'aof-append');
    expect(append).toMatchObject({ commands: [['SET', 'greeting', 'hello']], more: 0 });
    expect(seen.some((e) => e.type === 'disk' && e.op === 'fsync')).toBe(true);
    run(engine, 'BGSAVE');
    pass(engine, 200);
    run(engine, 'BGREWRITEAOF');
    pass(engine, 200);
    const ops = seen.filter((e) => e.type === 'persist').map((e) => (e.type === 'persist' ? e.op : ''));
    // The rewrite persists the manifest three times: a new incr file, the new base, history removed.
    expect(ops).toEqual(['aof-append', 'fork', 'snapshot', 'manifest', 'fork', 'snapshot', 'manifest', 'manifest']);
    const snaps = seen.filter((e) => e.type === 'persist' && e.op === 'snapshot');
    expect(snaps.map((e) => (e.type === 'persist' && e.op === 'snapshot' ? e.kind : ''))).toEqual(['rdb', 'aof-base']);
  });

  it('the host posts the account with the restart and emits it to event watchers', () => {
    const { engine, make, run } = lab({ appendonly: 'no', save: '' });
    const posted: FromWorker[] = [];
    const timers: (() => void)[] = [];
    const port: Endpoint<ToWorker, FromWorker> = { postMessage: (m) => posted.push(m), addEventListener: () => {} };
    const host = new EngineHost(engine, port, {
      cronMs: 0,
      timers: { setInterval: () => 0, clearInterval: () => {}, setTimeout: (fn) => timers.push(fn) },
      restart: (how, previous) => restartServer(previous, how, (d) => make(d, previous)),
      panels: HOST_PANELS,
    });
    run(engine, 'SET', 'gone', '1');
    host.handle({ type: 'watch-events', id: 1, on: true });
    host.handle({ type: 'restart', id: 2, how: 'kill' });
    const restarted = posted.find((m) => m.type === 'restarted');
    expect(restarted).toMatchObject({ report: { account: { mode: 'none', lostCount: 1, survived: 0 } } });
    for (const t of timers.splice(0)) t();
    const batch = posted.find((m) => m.type === 'events');
    expect(batch?.type === 'events' && batch.events.some((e) => e.type === 'persist' && e.op === 'restarted')).toBe(
      true,
    );
    host.handle({ type: 'inspect', id: 3, query: { kind: 'persistence' } });
    const inspected = posted.find((m) => m.type === 'inspected');
    const report = inspected?.type === 'inspected' ? (inspected.result as PersistenceReport) : null;
    expect(report?.lastRestart?.lost.map((w) => w.argv.join(' '))).toEqual(['SET gone 1']);
    host.dispose();
  });
});
