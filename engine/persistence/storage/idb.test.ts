import { describe, expect, it } from 'vitest';
import { createEngine, ManualClock } from '../../index';
import { VirtualDisk } from '../disk';
import { persistenceOf } from '../lifecycle';
import { quotaExceeded } from './errors';
import { CHUNK, type IdbBackend, type IdbRecord, IdbStorage } from './idb';

/** An in-memory stand-in for the IndexedDB object store: atomic commits, a log of them, injectable failures. */
class FakeBackend implements IdbBackend {
  readonly records = new Map<string, IdbRecord>();
  commits: { puts: string[]; deletes: string[] }[] = [];
  failNext = 0;
  /** Commits wait for release() when true (to see writes coalesce while one is in flight). */
  hold = false;
  private held: (() => void)[] = [];

  async load(): Promise<Map<string, IdbRecord>> {
    return new Map(this.records);
  }

  commit(puts: ReadonlyMap<string, IdbRecord>, deletes: readonly string[]): Promise<void> {
    const run = (): Promise<void> => {
      if (this.failNext > 0) {
        this.failNext--;
        return Promise.reject(quotaExceeded());
      }
      for (const k of deletes) this.records.delete(k);
      for (const [k, v] of puts) this.records.set(k, v);
      this.commits.push({ puts: [...puts.keys()], deletes: [...deletes] });
      return Promise.resolve();
    };
    if (!this.hold) return run();
    return new Promise((resolve, reject) => this.held.push(() => run().then(resolve, reject)));
  }

  release(): void {
    const h = this.held;
    this.held = [];
    for (const f of h) f();
  }
}

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array | null) => (b === null ? null : new TextDecoder().decode(b));

/** Run the write-behind by hand: scheduled work waits in a queue until `run()`. */
function manualSchedule() {
  const queue: (() => void)[] = [];
  return {
    schedule: (fn: () => void) => queue.push(fn),
    run: () => {
      while (queue.length > 0) queue.shift()?.();
    },
  };
}

describe('IdbStorage write-behind', () => {
  it('changes the image at once and persists it in the background', async () => {
    const backend = new FakeBackend();
    const s = await IdbStorage.open(backend);
    s.writeFile('dump.rdb', bytes('REDIS0010'));
    expect(text(s.read('dump.rdb'))).toBe('REDIS0010');
    expect(backend.records.size).toBe(0);
    await s.flush();
    const again = await IdbStorage.open(backend);
    expect(text(again.read('dump.rdb'))).toBe('REDIS0010');
  });

  it('coalesces many appends to one file into one commit of its last chunk', async () => {
    const backend = new FakeBackend();
    const q = manualSchedule();
    const s = await IdbStorage.open(backend, { schedule: q.schedule });
    s.writeFile('a.aof', new Uint8Array(CHUNK * 2 + 10));
    q.run();
    await s.flush();
    backend.commits = [];
    for (let i = 0; i < 100; i++) s.append('a.aof', bytes('*1\r\n$4\r\nPING\r\n'));
    q.run();
    await s.flush();
    expect(backend.commits).toHaveLength(1);
    expect(backend.commits[0].puts.sort()).toEqual(['chunk:2:a.aof', 'file:a.aof']);
    const again = await IdbStorage.open(backend);
    expect(again.size('a.aof')).toBe(CHUNK * 2 + 10 + 100 * 14);
    expect(text(again.read('a.aof'))?.endsWith('*1\r\n$4\r\nPING\r\n')).toBe(true);
  });

  it('queues changes made while a commit is in flight into the next one', async () => {
    const backend = new FakeBackend();
    backend.hold = true;
    const s = await IdbStorage.open(backend);
    s.writeFile('x', bytes('1'));
    await new Promise((r) => setTimeout(r, 0));
    s.append('x', bytes('2'));
    s.append('x', bytes('3'));
    const done = s.flush();
    backend.release();
    await new Promise((r) => setTimeout(r, 0));
    backend.release();
    await done;
    expect(backend.commits).toHaveLength(2);
    expect(text((await IdbStorage.open(backend)).read('x'))).toBe('123');
  });

  it('makes a rename atomic: one transaction deletes the old name and writes the new one', async () => {
    const backend = new FakeBackend();
    const s = await IdbStorage.open(backend);
    s.writeFile('dump.rdb', bytes('old'));
    await s.flush();
    s.writeFile('temp-2.rdb', bytes('new snapshot'));
    s.fsync('temp-2.rdb');
    await s.flush();
    s.rename('temp-2.rdb', 'dump.rdb');
    await s.flush();
    const last = backend.commits[backend.commits.length - 1];
    expect(last.deletes).toContain('file:temp-2.rdb');
    expect(last.puts).toContain('file:dump.rdb');
    const again = await IdbStorage.open(backend);
    expect(again.list('')).toEqual(['dump.rdb']);
    // A file created and renamed between two commits is never stored under its temporary name.
    s.writeFile('temp-3.rdb', bytes('newer'));
    s.rename('temp-3.rdb', 'dump.rdb');
    await s.flush();
    expect(backend.commits[backend.commits.length - 1].deletes).toEqual([]);
    expect(text((await IdbStorage.open(backend)).read('dump.rdb'))).toBe('newer');
    expect(text(again.read('dump.rdb'))).toBe('new snapshot');
  });

  it('keeps directories and drops the chunks of a file that shrank or went away', async () => {
    const backend = new FakeBackend();
    const s = await IdbStorage.open(backend);
    s.mkdir('appendonlydir');
    s.writeFile('appendonlydir/a.aof', new Uint8Array(CHUNK * 3));
    await s.flush();
    s.truncate('appendonlydir/a.aof', 5);
    await s.flush();
    expect([...backend.records.keys()].filter((k) => k.startsWith('chunk:')).sort()).toEqual([
      'chunk:0:appendonlydir/a.aof',
    ]);
    s.unlink('appendonlydir/a.aof');
    await s.flush();
    expect([...backend.records.keys()]).toEqual(['dir:appendonlydir']);
    const again = await IdbStorage.open(backend);
    expect(again.isDir('appendonlydir')).toBe(true);
    expect(again.list('appendonlydir')).toEqual([]);
  });

  it('reports a failed commit at the next fsync, keeps the data and retries', async () => {
    const backend = new FakeBackend();
    const statuses: unknown[] = [];
    const s = await IdbStorage.open(backend, { onStatus: (e) => statuses.push(e) });
    backend.failNext = 1;
    s.append('a.aof', bytes('SET k v'));
    await expect(s.flush()).rejects.toMatchObject({ name: 'QuotaExceededError' });
    expect(statuses).toHaveLength(1);
    expect(text(s.read('a.aof'))).toBe('SET k v');
    expect(() => s.fsync('a.aof')).toThrow(/quota/);
    await s.flush();
    expect(statuses[1]).toBeNull();
    expect(() => s.fsync('a.aof')).not.toThrow();
    expect(text((await IdbStorage.open(backend)).read('a.aof'))).toBe('SET k v');
  });

  it('reports a failed commit to the fsyncs of the files it held only, until a commit stores them', async () => {
    const backend = new FakeBackend();
    const s = await IdbStorage.open(backend);
    backend.failNext = 2;
    s.append('a.aof', bytes('SET k v'));
    await expect(s.flush()).rejects.toMatchObject({ name: 'QuotaExceededError' });
    // A file written after the failure (SAVE's temp file) syncs without inheriting the error...
    s.writeFile('temp-1.rdb', bytes('REDIS0010'));
    expect(() => s.fsync('temp-1.rdb')).not.toThrow();
    // ...but its commit also holds a.aof's change: while that fails, both are reported.
    await expect(s.flush()).rejects.toMatchObject({ name: 'QuotaExceededError' });
    expect(() => s.fsync('a.aof')).toThrow(/quota/);
    s.rename('temp-1.rdb', 'dump.rdb');
    expect(() => s.fsync('temp-1.rdb')).not.toThrow();
    expect(() => s.fsync('dump.rdb')).toThrow(/quota/);
    await s.flush();
    expect(() => s.fsync('a.aof')).not.toThrow();
    expect(() => s.fsync('dump.rdb')).not.toThrow();
    const again = await IdbStorage.open(backend);
    expect(again.list('').sort()).toEqual(['a.aof', 'dump.rdb']);
    expect(text(again.read('dump.rdb'))).toBe('REDIS0010');
  });

  it('serves a whole engine: AOF with appendfsync always survives a new start on the stored records', async () => {
    const backend = new FakeBackend();
    const clock = new ManualClock();
    const config = { appendonly: 'yes', appendfsync: 'always' };
    const first = createEngine({ clock, config, disk: new VirtualDisk(await IdbStorage.open(backend), clock) });
    const c = first.createClient();
    first.dispatch(c, ['SET', 'k', 'v']);
    first.dispatch(c, ['RPUSH', 'l', 'a', 'b']);
    await (persistenceOf(first).disk.storage.flush?.() ?? Promise.resolve());
    const second = createEngine({ clock, config, disk: new VirtualDisk(await IdbStorage.open(backend), clock) });
    const report = persistenceOf(second).lastLoadReport;
    expect(report?.source).toBe('aof');
    const c2 = second.createClient();
    expect(second.dispatch(c2, ['GET', 'k'])).toEqual({ t: 'bulk', v: 'v' });
    expect(second.dispatch(c2, ['LRANGE', 'l', '0', '-1'])).toEqual({
      t: 'array',
      v: [
        { t: 'bulk', v: 'a' },
        { t: 'bulk', v: 'b' },
      ],
    });
  });
});
