// The persistence panel's crash account against what a restarted server really loads: for each mode
// and fsync policy, the writes the account calls lost are exactly the keys missing after the restart,
// and its sentence names the reason the seed's persistence table gives.

import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import { createEngine, type Engine } from '../index';
import { restartServer } from '../worker/restart';
import { VirtualDisk } from './disk';
import { type DurabilityAccount, persistModeOf } from './durability';
import { persistenceOf } from './lifecycle';
import { MemoryStorage } from './storage/memory';

const START = 1_700_000_000_050;

function server(config: Record<string, string>) {
  const clock = new ManualClock(START);
  const make = (disk: VirtualDisk) =>
    createEngine({ clock, seed: 1, journal: true, config: { save: '', ...config }, disk });
  const engine = make(new VirtualDisk(new MemoryStorage(), clock));
  return { clock, make, engine };
}

function run(e: Engine, ...argv: string[]): void {
  const r = e.dispatch(e.createClient(), argv);
  expect(r?.t, `${argv.join(' ')} → ${JSON.stringify(r)}`).not.toBe('error');
}

/** serverCron steps (hz 10) while engine time passes. */
function pass(e: Engine, clock: ManualClock, ms: number): void {
  for (let t = 0; t < ms; t += 100) {
    clock.advance(100);
    e.cron();
  }
}

/** To 100 ms into the next second (the everysec fsync of the previous one has run). */
function nextSecond(e: Engine, clock: ManualClock): void {
  pass(e, clock, 1000 - (clock.now() % 1000) + 100);
}

const keys = (e: Engine) => new Set([...e.dbs[0].dict.keys()]);

function crash(e: Engine, how: 'kill' | 'power' | 'restart', make: (d: VirtualDisk) => Engine) {
  const { engine, report } = restartServer(e, how, make);
  const account = report.account as DurabilityAccount;
  expect(account).toBeDefined();
  return { next: engine, account, report };
}

/** Every write was a SET of a distinct key: the lost ones are exactly the missing keys. */
function expectAccountMatches(account: DurabilityAccount, next: Engine, written: readonly string[]): void {
  const have = keys(next);
  const lost = account.lost.map((w) => w.argv[1]);
  expect(lost).toEqual(written.filter((k) => !have.has(k)));
  expect(account.survived).toBe(written.filter((k) => have.has(k)).length);
  expect(account.acknowledged).toBe(written.length);
  expect(persistenceOf(next).lastAccount).toBe(account);
}

describe('the crash account', () => {
  it('AOF always: a power cut loses nothing acknowledged', () => {
    const { clock, make, engine } = server({ appendonly: 'yes', appendfsync: 'always' });
    const written = ['a', 'b', 'c'];
    for (const k of written) {
      run(engine, 'SET', k, '1');
      clock.advance(40);
    }
    const { next, account } = crash(engine, 'power', make);
    expectAccountMatches(account, next, written);
    expect(account.lostCount).toBe(0);
    expect(account.mode).toBe('aof+rdb');
    expect(account.reason).toContain('every write was fsynced before Redis replied');
  });

  it('AOF everysec: a power cut inside the second loses the writes since the last fsync, named', () => {
    const { clock, make, engine } = server({
      appendonly: 'yes',
      appendfsync: 'everysec',
      'aof-use-rdb-preamble': 'no',
    });
    run(engine, 'SET', 'early', '1');
    nextSecond(engine, clock);
    // serverCron fsynced "early" as the second began; the writes after it wait for the next second.
    const written = ['early', 'first', 'x', 'y', 'z'];
    run(engine, 'SET', 'first', '1');
    for (const k of ['x', 'y', 'z']) {
      clock.advance(200);
      run(engine, 'SET', k, '1');
    }
    clock.advance(200);
    const { next, account } = crash(engine, 'power', make);
    expectAccountMatches(account, next, written);
    expect(account.lost.map((w) => w.argv.join(' '))).toEqual(['SET first 1', 'SET x 1', 'SET y 1', 'SET z 1']);
    expect(account.mode).toBe('aof');
    expect(account.reason).toBe(
      'AOF everysec: the last 0.8 s of writes were in the page cache, not yet fsynced (fsync runs once a second); the power cut lost 4 writes.',
    );
  });

  it('AOF everysec: killing the process loses nothing (the page cache survives)', () => {
    const { clock, make, engine } = server({ appendonly: 'yes', appendfsync: 'everysec' });
    nextSecond(engine, clock);
    const written = ['k1', 'k2', 'k3'];
    for (const k of written) {
      run(engine, 'SET', k, 'v');
      clock.advance(100);
    }
    const { next, account } = crash(engine, 'kill', make);
    expectAccountMatches(account, next, written);
    expect(account.lostCount).toBe(0);
    expect(account.reason).toContain('still in the page cache');
  });

  it('writes that survived a kill only in the page cache are lost by a later power cut, and named', () => {
    const { clock, make, engine } = server({ appendonly: 'yes', appendfsync: 'everysec' });
    run(engine, 'SET', 'k0', 'v');
    nextSecond(engine, clock); // k0 fsynced, and this second has had its fsync
    for (const k of ['k1', 'k2']) run(engine, 'SET', k, 'v');
    const { next, account: first } = crash(engine, 'kill', make);
    expect(first.lostCount).toBe(0);
    clock.advance(100);
    run(next, 'SET', 'k3', 'v');
    const { next: last, account } = crash(next, 'power', make);
    expectAccountMatches(account, last, ['k0', 'k1', 'k2', 'k3']);
    expect(account.lost.map((w) => w.argv[1])).toEqual(['k1', 'k2', 'k3']);
    // Seqs stay in order across servers.
    expect(account.lost.map((w) => w.seq)).toEqual([2, 3, 4]);
  });

  it('after a restart, writes the new server found stay covered by the file they were loaded from', () => {
    const { clock, make, engine } = server({ save: '3600 1' });
    run(engine, 'SET', 'a', '1');
    run(engine, 'SAVE');
    const { next } = crash(engine, 'power', make);
    clock.advance(1000);
    run(next, 'SET', 'b', '1');
    const { next: last, account } = crash(next, 'power', make);
    expectAccountMatches(account, last, ['a', 'b']);
    expect(account.lost.map((w) => w.argv[1])).toEqual(['b']);
  });

  it('appendfsync no: a power cut loses what the OS had not written back', () => {
    const { clock, make, engine } = server({ appendonly: 'yes', appendfsync: 'no' });
    const written: string[] = [];
    for (let i = 0; i < 5; i++) {
      written.push(`n${i}`);
      run(engine, 'SET', `n${i}`, 'v');
      pass(engine, clock, 2000);
    }
    const { next, account } = crash(engine, 'power', make);
    expectAccountMatches(account, next, written);
    expect(account.lostCount).toBe(5);
    expect(account.reason).toContain('appendfsync no');
  });

  it('RDB only: everything since the last snapshot is lost, the snapshot itself survives', () => {
    const { clock, make, engine } = server({ save: '3600 1' });
    run(engine, 'SET', 'saved1', 'v');
    run(engine, 'SET', 'saved2', 'v');
    run(engine, 'SAVE');
    clock.advance(2500);
    run(engine, 'SET', 'after1', 'v');
    run(engine, 'INCR', 'after2');
    const { next, account } = crash(engine, 'power', make);
    expect([...keys(next)].sort()).toEqual(['saved1', 'saved2']);
    expect(account.lost.map((w) => w.argv.join(' '))).toEqual(['SET after1 v', 'INCR after2']);
    expect(account.source).toBe('rdb');
    expect(account.mode).toBe('rdb');
    expect(account.reason).toContain('the last snapshot (dump.rdb) was taken 2.5 s before');
  });

  it('RDB: a BGSAVE snapshot holds the writes made before its fork, not those made while it ran', () => {
    const { clock, make, engine } = server({ save: '3600 1' });
    run(engine, 'SET', 'before', 'v');
    run(engine, 'BGSAVE');
    run(engine, 'SET', 'during', 'v');
    pass(engine, clock, 200); // the child finishes: dump.rdb renamed in place
    expect(persistenceOf(engine).childKind()).toBe(null);
    const { next, account } = crash(engine, 'kill', make);
    expectAccountMatches(account, next, ['before', 'during']);
    expect(account.lost.map((w) => w.argv[1])).toEqual(['during']);
  });

  it('no persistence: every write is lost, even on a clean restart', () => {
    const { make, engine } = server({ appendonly: 'no' });
    run(engine, 'SET', 'a', '1');
    run(engine, 'SET', 'b', '1');
    const { next, account } = crash(engine, 'restart', make);
    expectAccountMatches(account, next, ['a', 'b']);
    expect(account.mode).toBe('none');
    expect(account.reason).toContain('No persistence');
  });

  it('a clean restart with save points loses nothing: the final snapshot', () => {
    const { make, engine } = server({ save: '3600 1' });
    run(engine, 'SET', 'a', '1');
    const { next, account } = crash(engine, 'restart', make);
    expectAccountMatches(account, next, ['a']);
    expect(account.reason).toContain('saved a final snapshot');
  });

  it('AOF rewrite: writes before the rewrite survive in the new base, later ones in the new incr file', () => {
    const { clock, make, engine } = server({ appendonly: 'yes', appendfsync: 'always' });
    run(engine, 'SET', 'old', '1');
    run(engine, 'BGREWRITEAOF');
    run(engine, 'SET', 'during', '1');
    pass(engine, clock, 200); // the child finishes, the manifest is swapped, history deleted
    run(engine, 'SET', 'after', '1');
    const { next, account } = crash(engine, 'power', make);
    expectAccountMatches(account, next, ['old', 'during', 'after']);
    expect(account.lostCount).toBe(0);
  });

  it('MULTI/EXEC are not counted; the writes inside are', () => {
    const { make, engine } = server({ appendonly: 'yes', appendfsync: 'always' });
    const c = engine.createClient();
    engine.dispatch(c, ['MULTI']);
    engine.dispatch(c, ['SET', 't1', 'v']);
    engine.dispatch(c, ['SET', 't2', 'v']);
    engine.dispatch(c, ['EXEC']);
    const { next, account } = crash(engine, 'power', make);
    expectAccountMatches(account, next, ['t1', 't2']);
  });

  it('a corrupt dump.rdb: the load fails with Redis’s text, the account says everything was lost', () => {
    const { make, engine } = server({ save: '3600 1' });
    run(engine, 'SET', 'a', '1');
    run(engine, 'SAVE');
    const p = persistenceOf(engine);
    p.disk.write(p.rdbPath(), new TextEncoder().encode('REDIS0010garbage'));
    p.disk.fsync(p.rdbPath());
    const { next, account, report } = crash(engine, 'kill', make);
    expect(report.ok).toBe(false);
    expect(keys(next).size).toBe(0);
    expect(account.lostCount).toBe(1);
    expect(account.loadErrors.length).toBeGreaterThan(0);
    expect(account.loadErrors.join('\n')).toMatch(/Short read|Unexpected EOF|Internal error in RDB/);
    expect(account.reason).toContain('could not load its files');
    // The lab keeps running: the new server answers.
    expect(next.dispatch(next.createClient(), ['PING'])).toEqual({ t: 'status', v: 'PONG' });
  });
});

describe('what counts as a write', () => {
  it('SAVE is not propagated (server.dirty going down is no change, as in call()): not in the AOF', () => {
    const { engine } = server({ appendonly: 'yes', appendfsync: 'always', 'aof-use-rdb-preamble': 'no' });
    run(engine, 'SET', 'a', '1');
    run(engine, 'SAVE');
    const p = persistenceOf(engine);
    const incr = new TextDecoder().decode(p.disk.read(p.aof.fd ?? '') ?? new Uint8Array(0));
    expect(incr).toBe('*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n');
    expect(p.journal.total).toBe(1);
  });
});

describe('persistModeOf', () => {
  it('maps the three settings to the seed table’s four modes', () => {
    expect(persistModeOf(false, '', true)).toBe('none');
    expect(persistModeOf(false, '3600 1', true)).toBe('rdb');
    expect(persistModeOf(true, '', false)).toBe('aof');
    expect(persistModeOf(true, '', true)).toBe('aof+rdb');
    expect(persistModeOf(true, '3600 1', false)).toBe('aof+rdb');
  });
});

describe('the journal switch (CreateEngineOptions.journal)', () => {
  it('is off by default: writes are propagated to the AOF but not journalled, and the account is empty', () => {
    const clock = new ManualClock(START);
    const make = (disk: VirtualDisk) => createEngine({ clock, seed: 1, config: { save: '', appendonly: 'yes' }, disk });
    const engine = make(new VirtualDisk(new MemoryStorage(), clock));
    run(engine, 'SET', 'a', '1');
    run(engine, 'SET', 'b', '2');
    const p = persistenceOf(engine);
    expect(p.journal.enabled).toBe(false);
    expect(p.journal.total).toBe(0);
    expect(p.aof.fd).not.toBeNull();
    const { engine: next, report } = restartServer(engine, 'kill', make);
    // The AOF still holds both writes; only the account (which needs the journal) has none to name.
    expect(next.dispatch(next.createClient(), ['MGET', 'a', 'b'])).toEqual({
      t: 'array',
      v: [
        { t: 'bulk', v: '1' },
        { t: 'bulk', v: '2' },
      ],
    });
    expect(report.account?.acknowledged).toBe(0);
    expect(report.account?.lostCount).toBe(0);
  });

  it('switched on, it counts every write and a restarted server made with it keeps counting', () => {
    const { engine, make } = server({ appendonly: 'yes', appendfsync: 'always' });
    run(engine, 'SET', 'a', '1');
    expect(persistenceOf(engine).journal.total).toBe(1);
    const { engine: next } = restartServer(engine, 'kill', make);
    expect(persistenceOf(next).journal.enabled).toBe(true);
    run(next, 'SET', 'b', '2');
    expect(persistenceOf(next).journal.tracked).toBe(2);
  });
});
