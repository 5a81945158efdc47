// SAVE, BGSAVE (a fork's snapshot while writes continue), BGREWRITEAOF (new base + new incr, manifest
// swap), save points and automatic rewrites in serverCron, CONFIG SET appendonly, DEBUG RELOAD,
// SHUTDOWN and INFO persistence, on the virtual disk with engine time.

import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import { createEngine } from '../index';
import { fromBytes } from '../protocol/binary';
import type { Reply } from '../protocol/reply';
import { VirtualDisk } from './disk';
import { persistenceOf } from './lifecycle';
import { MemoryStorage } from './storage/memory';

function server(config: Record<string, string> = {}) {
  config = { 'enable-debug-command': 'yes', ...config };
  const clock = new ManualClock(1_700_000_000_000);
  const disk = new VirtualDisk(new MemoryStorage(), clock);
  const make = () => createEngine({ clock, seed: 1, config: { save: '', ...config }, disk });
  const engine = make();
  const c = engine.createClient();
  const run = (...argv: string[]): Reply => engine.dispatch(c, argv) as Reply;
  const pass = (ms: number) => {
    for (let t = 0; t < ms; t += 100) {
      clock.advance(100);
      engine.cron();
    }
  };
  const info = (field: string): string => {
    const text = (run('INFO', 'persistence') as { v: string }).v;
    return /\r\n/.test(text) ? (new RegExp(`${field}:([^\\r]*)`).exec(text)?.[1] ?? '') : '';
  };
  const text = (path: string) => {
    const b = disk.read(path);
    return b === null ? null : fromBytes(b);
  };
  return { clock, disk, make, engine, run, pass, info, text };
}

const ok = { t: 'status', v: 'OK' };

describe('SAVE and LASTSAVE', () => {
  it('writes dump.rdb through a temp file, resets dirty and sets LASTSAVE', () => {
    const s = server();
    s.run('SET', 'a', '1');
    s.clock.advance(5000);
    expect(s.info('rdb_changes_since_last_save')).toBe('1');
    expect(s.run('SAVE')).toEqual(ok);
    expect(s.run('LASTSAVE')).toEqual({ t: 'int', v: 1_700_000_005 });
    expect(s.info('rdb_changes_since_last_save')).toBe('0');
    expect(s.info('rdb_saves')).toBe('1');
    expect(s.disk.list('')).toEqual(['dump.rdb']);
    expect(s.text('dump.rdb')?.startsWith('REDIS0010')).toBe(true);
  });
});

describe('BGSAVE', () => {
  it('saves the keyspace as it was at the fork while writes continue', () => {
    const s = server();
    s.run('SET', 'k', 'before');
    expect(s.run('BGSAVE')).toEqual({ t: 'status', v: 'Background saving started' });
    expect(s.info('rdb_bgsave_in_progress')).toBe('1');
    s.run('SET', 'k', 'after');
    s.run('SET', 'new', 'x');
    expect(s.run('BGSAVE')).toEqual({ t: 'error', v: 'ERR Background save already in progress' });
    expect(s.run('SAVE')).toEqual({ t: 'error', v: 'ERR Background save already in progress' });
    expect(s.disk.exists('dump.rdb')).toBe(false);
    s.pass(200);
    expect(s.info('rdb_bgsave_in_progress')).toBe('0');
    expect(s.info('rdb_last_bgsave_status')).toBe('ok');
    // dirty keeps the changes made after the fork.
    expect(s.info('rdb_changes_since_last_save')).toBe('2');
    const reloaded = s.make();
    const c = reloaded.createClient();
    expect(reloaded.dispatch(c, ['GET', 'k'])).toEqual({ t: 'bulk', v: 'before' });
    expect(reloaded.dispatch(c, ['EXISTS', 'new'])).toEqual({ t: 'int', v: 0 });
  });

  it('SCHEDULE waits for an AOF rewrite; without it the child conflict is an error', () => {
    const s = server();
    expect(s.run('BGREWRITEAOF')).toEqual({ t: 'status', v: 'Background append only file rewriting started' });
    expect(s.run('BGSAVE')).toEqual({
      t: 'error',
      v: "ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.",
    });
    expect(s.run('BGSAVE', 'SCHEDULE')).toEqual({ t: 'status', v: 'Background saving scheduled' });
    expect(s.run('BGSAVE', 'foo')).toEqual({ t: 'error', v: 'ERR syntax error' });
    s.pass(300);
    expect(s.disk.exists('dump.rdb')).toBe(true);
    expect(s.info('rdb_saves')).toBe('1');
  });

  it('save points start a BGSAVE from serverCron', () => {
    const s = server({ save: '2 3' });
    s.run('SET', 'a', '1');
    s.run('SET', 'b', '1');
    s.pass(5000);
    expect(s.disk.exists('dump.rdb')).toBe(false);
    s.run('SET', 'c', '1');
    s.pass(500);
    expect(s.disk.exists('dump.rdb')).toBe(true);
    expect(persistenceOf(s.engine).logLines.map((l) => l.text)).toContain('3 changes in 2 seconds. Saving...');
  });
});

describe('AOF', () => {
  it('appends each write as RESP, with SELECT when the db changes, and MULTI/EXEC as propagated', () => {
    const s = server({ appendonly: 'yes', appendfsync: 'always' });
    s.run('SET', 'a', '1');
    s.run('SELECT', '2');
    s.run('INCR', 'n');
    s.run('EXPIRE', 'n', '100');
    const incr = s.text('appendonlydir/appendonly.aof.1.incr.aof');
    expect(incr).toBe(
      '*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n' +
        '*2\r\n$6\r\nSELECT\r\n$1\r\n2\r\n*2\r\n$4\r\nINCR\r\n$1\r\nn\r\n' +
        `*3\r\n$9\r\nPEXPIREAT\r\n$1\r\nn\r\n$13\r\n${1_700_000_000_000 + 100_000}\r\n`,
    );
    expect(s.text('appendonlydir/appendonly.aof.manifest')).toBe(
      'file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n',
    );
  });

  it('BGREWRITEAOF: a new base and incr while writes continue, the old files removed', () => {
    const s = server({ appendonly: 'yes', 'aof-use-rdb-preamble': 'no' });
    s.run('SET', 'a', '1');
    s.run('RPUSH', 'l', 'x', 'y');
    expect(s.run('BGREWRITEAOF')).toEqual({ t: 'status', v: 'Background append only file rewriting started' });
    expect(s.run('BGREWRITEAOF')).toEqual({
      t: 'error',
      v: 'ERR Background append only file rewriting already in progress',
    });
    s.run('SET', 'during', 'rewrite');
    s.pass(300);
    expect(s.disk.list('appendonlydir')).toEqual([
      'appendonly.aof.2.base.aof',
      'appendonly.aof.2.incr.aof',
      'appendonly.aof.manifest',
    ]);
    const base = s.text('appendonlydir/appendonly.aof.2.base.aof') ?? '';
    expect(base.startsWith('*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n')).toBe(true);
    expect(base).toContain('*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n');
    expect(base).toContain('*4\r\n$5\r\nRPUSH\r\n$1\r\nl\r\n$1\r\nx\r\n$1\r\ny\r\n');
    expect(base).not.toContain('during');
    expect(s.text('appendonlydir/appendonly.aof.2.incr.aof')).toContain('during');
    expect(s.info('aof_rewrites')).toBe('1');
    const again = s.make();
    expect([...again.dbs[0].dict.keys()].sort()).toEqual(['a', 'during', 'l']);
  });

  it('CONFIG SET appendonly yes rewrites first: a base of the current data, then an incr', () => {
    const s = server();
    s.run('SET', 'k', 'v');
    expect(s.run('CONFIG', 'SET', 'appendonly', 'yes')).toEqual(ok);
    expect(s.info('aof_enabled')).toBe('1');
    expect(s.info('aof_rewrite_in_progress')).toBe('1');
    s.run('SET', 'k2', 'v2');
    s.pass(300);
    expect(s.info('aof_rewrite_in_progress')).toBe('0');
    expect(s.text('appendonlydir/appendonly.aof.manifest')).toBe(
      'file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n',
    );
    expect(s.text('appendonlydir/appendonly.aof.1.incr.aof')).toContain('k2');
    expect(s.run('CONFIG', 'SET', 'appendonly', 'no')).toEqual(ok);
    expect(s.info('aof_enabled')).toBe('0');
    s.run('SET', 'k3', 'v3');
    expect(s.text('appendonlydir/appendonly.aof.1.incr.aof')).not.toContain('k3');
  });

  it('an automatic rewrite starts once the AOF has grown by auto-aof-rewrite-percentage', () => {
    const s = server({ appendonly: 'yes', 'auto-aof-rewrite-min-size': '1024', 'auto-aof-rewrite-percentage': '100' });
    for (let i = 0; i < 100; i++) s.run('SET', `key:${i}`, 'x'.repeat(30));
    s.pass(500);
    expect(s.info('aof_rewrites')).toBe('1');
    expect(
      persistenceOf(s.engine).logLines.some((l) => l.text.startsWith('Starting automatic rewriting of AOF on')),
    ).toBe(true);
  });

  it('INFO shows the AOF sizes only when appendonly is yes', () => {
    const on = server({ appendonly: 'yes' });
    on.run('SET', 'a', 'b');
    expect(Number(on.info('aof_current_size'))).toBeGreaterThan(0);
    expect(on.info('aof_base_size')).not.toBe('');
    expect(server().info('aof_current_size')).toBe('');
  });
});

describe('DEBUG RELOAD and SHUTDOWN', () => {
  it('DEBUG RELOAD saves, empties and loads back the same data', () => {
    const s = server();
    s.run('RPUSH', 'l', 'a', 'b');
    s.run('HSET', 'h', 'f', 'v');
    s.run('PEXPIRE', 'h', '100000');
    expect(s.run('DEBUG', 'RELOAD')).toEqual(ok);
    expect(s.run('LRANGE', 'l', '0', '-1')).toEqual({
      t: 'array',
      v: [
        { t: 'bulk', v: 'a' },
        { t: 'bulk', v: 'b' },
      ],
    });
    expect(s.run('PTTL', 'h')).toEqual({ t: 'int', v: 100000 });
    expect(s.run('DEBUG', 'RELOAD', 'BOGUS')).toEqual({
      t: 'error',
      v: 'ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.',
    });
    expect(s.info('rdb_last_load_keys_loaded')).toBe('2');
  });

  it('DEBUG RELOAD NOSAVE with no dump.rdb fails', () => {
    expect(server().run('DEBUG', 'RELOAD', 'NOSAVE')).toEqual({
      t: 'error',
      v: 'ERR Error trying to load the RDB dump',
    });
  });

  it('SHUTDOWN saves when save points are set, NOSAVE does not; the syntax is checked', () => {
    const s = server({ save: '3600 1' });
    s.run('SET', 'k', 'v');
    expect(s.run('SHUTDOWN', 'ABORT')).toEqual({ t: 'error', v: 'ERR No shutdown in progress.' });
    expect(s.run('SHUTDOWN', 'SAVE', 'NOSAVE')).toEqual({ t: 'error', v: 'ERR syntax error' });
    expect(s.run('SHUTDOWN', 'NOW', 'ABORT')).toEqual({ t: 'error', v: 'ERR syntax error' });
    let down = false;
    s.engine.on((e) => {
      if (e.type === 'shutdown') down = true;
    });
    expect(s.run('SHUTDOWN')).toBeUndefined();
    expect(down).toBe(true);
    expect(s.disk.exists('dump.rdb')).toBe(true);
    const t = server({ save: '3600 1' });
    t.run('SET', 'k', 'v');
    t.run('SHUTDOWN', 'NOSAVE');
    expect(t.disk.exists('dump.rdb')).toBe(false);
  });

  it('FLUSHALL saves the empty dataset when save points are set', () => {
    const s = server({ save: '3600 1' });
    s.run('SET', 'k', 'v');
    s.run('FLUSHALL');
    expect(s.disk.exists('dump.rdb')).toBe(true);
    expect(s.info('rdb_changes_since_last_save')).toBe('0');
  });

  it('FLUSHALL reaches the AOF even when the save left nothing dirty', () => {
    const s = server({ save: '3600 1', appendonly: 'yes', appendfsync: 'always' });
    s.run('SAVE');
    s.run('FLUSHALL');
    expect(s.text('appendonlydir/appendonly.aof.1.incr.aof')).toContain('FLUSHALL');
  });

  it('an empty FLUSHDB changes nothing yet reaches the AOF, as in Redis 7.0', () => {
    const s = server({ appendonly: 'yes', appendfsync: 'always' });
    s.run('FLUSHDB');
    expect(s.info('rdb_changes_since_last_save')).toBe('0');
    expect(s.text('appendonlydir/appendonly.aof.1.incr.aof')).toContain('FLUSHDB');
  });
});

describe('function libraries persist with the data', () => {
  const lib = "#!lua name=mylib\nredis.register_function('echo1', function(keys, args) return args[1] end)";

  it('through dump.rdb (FUNCTION2), DEBUG RELOAD and an AOF rewrite (FUNCTION LOAD)', () => {
    const s = server({ 'aof-use-rdb-preamble': 'no' });
    expect(s.run('FUNCTION', 'LOAD', lib)).toEqual({ t: 'bulk', v: 'mylib' });
    expect(s.run('DEBUG', 'RELOAD')).toEqual(ok);
    expect(s.run('FCALL', 'echo1', '0', 'a')).toEqual({ t: 'bulk', v: 'a' });
    const fromRdb = s.make();
    expect(fromRdb.dispatch(fromRdb.createClient(), ['FCALL', 'echo1', '0', 'b'])).toEqual({ t: 'bulk', v: 'b' });
    expect(s.run('CONFIG', 'SET', 'appendonly', 'yes')).toEqual(ok);
    s.pass(300);
    expect(s.text('appendonlydir/appendonly.aof.1.base.aof')).toContain(
      `*3\r\n$8\r\nFUNCTION\r\n$4\r\nLOAD\r\n$${lib.length}\r\n${lib}\r\n`,
    );
  });
});

describe('aof-timestamp-enabled', () => {
  it('writes #TS: before the first command of each second, and at the start of a RESP base', () => {
    const s = server({ appendonly: 'yes', 'aof-timestamp-enabled': 'yes', 'aof-use-rdb-preamble': 'no' });
    s.run('SET', 'a', '1');
    s.run('SET', 'b', '2');
    s.clock.advance(1000);
    s.run('SET', 'c', '3');
    const incr = s.text('appendonlydir/appendonly.aof.1.incr.aof') ?? '';
    expect(incr.match(/#TS:\d+\r\n/g)).toEqual(['#TS:1700000000\r\n', '#TS:1700000001\r\n']);
    expect(s.run('BGREWRITEAOF')).toEqual({ t: 'status', v: 'Background append only file rewriting started' });
    s.pass(300);
    expect(s.text('appendonlydir/appendonly.aof.2.base.aof')?.startsWith('#TS:1700000001\r\n')).toBe(true);
    const again = s.make();
    expect(again.dbs[0].size).toBe(3);
  });
});
