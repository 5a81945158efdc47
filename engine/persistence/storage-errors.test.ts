// A storage that runs out of room (the browser's QuotaExceededError) never crashes the engine or
// loses its dataset: Redis 7.0's own answers follow — MISCONF after a failed BGSAVE or AOF fsync,
// ERR for a failed SAVE — and writes come back once the storage has room.
import { describe, expect, it } from 'vitest';
import { createEngine, ManualClock } from '../index';
import type { Reply } from '../protocol/reply';
import { VirtualDisk } from './disk';
import { persistenceOf } from './lifecycle';
import { quotaExceeded } from './storage/errors';
import { MemoryStorage } from './storage/memory';

/** A memory storage whose writes fail with QuotaExceededError while `full`. */
class FullableStorage extends MemoryStorage {
  full = false;
  override writeFile(path: string, data: Uint8Array): void {
    if (this.full && data.length > 0) throw quotaExceeded();
    super.writeFile(path, data);
  }
  override append(path: string, data: Uint8Array): void {
    if (this.full && data.length > 0) throw quotaExceeded();
    super.append(path, data);
  }
}

function setup(config: Record<string, string>) {
  const clock = new ManualClock(1_700_000_000_000);
  const storage = new FullableStorage();
  const engine = createEngine({ clock, config, disk: new VirtualDisk(storage, clock) });
  const c = engine.createClient();
  const run = (...argv: string[]): Reply | undefined => engine.dispatch(c, argv);
  const tick = (ms: number) => {
    clock.advance(ms);
    engine.cron();
  };
  const log = () => persistenceOf(engine).logLines.map((l) => l.text);
  return { engine, storage, run, tick, log };
}

const err = (text: string) => ({ t: 'error', v: text });
const OK = { t: 'status', v: 'OK' };
const MISCONF_AOF = err('MISCONF Errors writing to the AOF file: No space left on device');

describe('storage errors map to Redis behaviour', () => {
  it('appendfsync always: a failed fsync keeps the data, refuses writes (and PING), recovers with room', () => {
    const { run, tick, storage, log } = setup({ appendonly: 'yes', appendfsync: 'always' });
    run('SET', 'a', '1');
    storage.full = true;
    expect(run('SET', 'b', '2')).toEqual(OK);
    expect(log()).toContain(
      "Can't persist AOF for fsync error when the AOF fsync policy is 'always': No space left on device.",
    );
    expect(run('SET', 'c', '3')).toEqual(MISCONF_AOF);
    expect(run('PING')).toEqual(MISCONF_AOF);
    expect(run('MGET', 'a', 'b', 'c')).toEqual({
      t: 'array',
      v: [
        { t: 'bulk', v: '1' },
        { t: 'bulk', v: '2' },
        { t: 'bulk', v: null },
      ],
    });
    const info = run('INFO', 'persistence') as { v: string };
    expect(info.v).toContain('aof_last_write_status:err');
    storage.full = false;
    tick(1100);
    expect(run('SET', 'c', '3')).toEqual(OK);
    expect(storage.read('appendonlydir/appendonly.aof.1.incr.aof')).not.toBeNull();
    const incr = new TextDecoder().decode(storage.read('appendonlydir/appendonly.aof.1.incr.aof') ?? new Uint8Array());
    expect(incr).toContain('$1\r\nb\r\n');
    expect(incr).toContain('$1\r\nc\r\n');
  });

  it('appendfsync everysec: the background fsync error is logged once and writes get MISCONF', () => {
    const { run, tick, storage, log } = setup({ appendonly: 'yes', appendfsync: 'everysec' });
    storage.full = true;
    run('SET', 'a', '1');
    tick(1100);
    tick(1100);
    expect(log().filter((l) => l === 'Fail to fsync the AOF file: No space left on device')).toHaveLength(1);
    expect(run('LPUSH', 'l', 'x')).toEqual(MISCONF_AOF);
    expect(run('GET', 'a')).toEqual({ t: 'bulk', v: '1' });
    // MULTI: the refused write flags the transaction, EXEC aborts it.
    run('MULTI');
    expect(run('INCR', 'n')).toEqual(MISCONF_AOF);
    expect(run('EXEC')).toEqual(err('EXECABORT Transaction discarded because of previous errors.'));
    // Turning the AOF off lifts the refusal (writeCommandsDeniedByDiskError checks it only when on).
    expect(run('CONFIG', 'SET', 'appendonly', 'no')).toEqual(OK);
    expect(run('LPUSH', 'l', 'x')).toEqual({ t: 'int', v: 1 });
  });

  it('a failed BGSAVE refuses writes while stop-writes-on-bgsave-error is yes; SAVE fails with ERR', () => {
    const { run, tick, storage, log } = setup({ save: '3600 1' });
    run('SET', 'a', '1');
    storage.full = true;
    expect(run('SAVE')).toEqual(err('ERR'));
    expect(log()).toContain('Write error saving DB on disk(fsync): No space left on device');
    expect(run('SET', 'b', '2')).toEqual(OK);
    expect(run('BGSAVE')).toEqual({ t: 'status', v: 'Background saving started' });
    tick(100);
    expect(log()).toContain('Background saving error');
    expect(storage.list('')).toEqual([]);
    const misconf = run('SET', 'c', '3') as { t: string; v: string };
    expect(misconf.v).toMatch(/^MISCONF Redis is configured to save RDB snapshots/);
    expect(run('CONFIG', 'SET', 'stop-writes-on-bgsave-error', 'no')).toEqual(OK);
    expect(run('SET', 'c', '3')).toEqual(OK);
    expect(run('CONFIG', 'SET', 'stop-writes-on-bgsave-error', 'yes')).toEqual(OK);
    expect(run('SET', 'd', '4')).toEqual(misconf);
    storage.full = false;
    expect(run('BGSAVE')).toEqual({ t: 'status', v: 'Background saving started' });
    tick(100);
    expect(run('SET', 'd', '4')).toEqual(OK);
    expect(run('DBSIZE')).toEqual({ t: 'int', v: 4 });
  });

  it('a failed AOF rewrite is reported and the temp files removed', () => {
    const { run, tick, storage, log } = setup({ appendonly: 'yes', appendfsync: 'no' });
    run('SET', 'a', '1');
    // Full before the fork: the new manifest cannot be written, the rewrite does not start.
    storage.full = true;
    expect(run('BGREWRITEAOF')).toEqual(
      err("ERR Can't execute an AOF background rewriting. Please check the server logs for more information."),
    );
    expect(log()).toContain('Fail to fsync the temp AOF file temp-appendonly.aof.manifest: No space left on device.');
    // Full while the child writes: the child fails.
    storage.full = false;
    expect(run('BGREWRITEAOF')).toEqual({ t: 'status', v: 'Background append only file rewriting started' });
    storage.full = true;
    tick(100);
    expect(log()).toContain('Write error writing append only file on disk: No space left on device');
    expect(log()).toContain('Background AOF rewrite terminated with error');
    expect(storage.list('').filter((n) => n.startsWith('temp-'))).toEqual([]);
    const info = run('INFO', 'persistence') as { v: string };
    expect(info.v).toContain('aof_last_bgrewrite_status:err');
  });
});
