import { describe, expect, it } from 'vitest';
import { createEngine, ManualClock } from '../../index';
import { VirtualDisk } from '../disk';
import { persistenceOf } from '../lifecycle';
import { quotaExceeded } from './errors';
import { OpfsStorage, type SlotDirectory, type SyncHandle } from './opfs';

/**
 * An in-memory OPFS directory: each file has a written (page cache) and a flushed (durable) copy, so a
 * "power cut" (powerCut) keeps only what flush() made durable. One open handle per file, as the
 * browser's exclusive sync access handles; `quota` caps the bytes of all files.
 */
class FakeDir implements SlotDirectory {
  readonly written = new Map<string, Uint8Array>();
  readonly durable = new Map<string, Uint8Array>();
  readonly locked = new Set<string>();
  quota = Number.POSITIVE_INFINITY;

  async names(): Promise<string[]> {
    return [...new Set([...this.written.keys(), ...this.durable.keys()])];
  }

  private total(): number {
    let n = 0;
    for (const b of this.written.values()) n += b.length;
    return n;
  }

  async open(name: string): Promise<SyncHandle> {
    if (this.locked.has(name)) {
      const err = new Error('Access Handles cannot be created if there is another open Access Handle');
      err.name = 'NoModificationAllowedError';
      throw err;
    }
    this.locked.add(name);
    // Creating a file is durable at once (getFileHandle({ create: true }) resolves after it is made).
    if (!this.durable.has(name)) this.durable.set(name, new Uint8Array(0));
    if (!this.written.has(name)) this.written.set(name, (this.durable.get(name) ?? new Uint8Array(0)).slice());
    const get = () => this.written.get(name) as Uint8Array;
    const set = (b: Uint8Array) => this.written.set(name, b);
    return {
      read: (buf, o) => {
        const src = get().subarray(o?.at ?? 0);
        const n = Math.min(buf.length, src.length);
        buf.set(src.subarray(0, n));
        return n;
      },
      write: (buf, o) => {
        const at = o?.at ?? 0;
        const cur = get();
        const len = Math.max(cur.length, at + buf.length);
        if (this.total() - cur.length + len > this.quota) throw quotaExceeded();
        const next = new Uint8Array(len);
        next.set(cur);
        next.set(buf, at);
        set(next);
        return buf.length;
      },
      truncate: (size) => {
        const next = new Uint8Array(size);
        next.set(get().subarray(0, size));
        set(next);
      },
      getSize: () => get().length,
      flush: () => {
        this.durable.set(name, get().slice());
      },
      close: () => {
        this.locked.delete(name);
      },
    };
  }

  /** The machine loses power: unflushed bytes go, every handle is gone. */
  powerCut(): void {
    this.written.clear();
    this.locked.clear();
  }
}

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array | null) => (b === null ? null : new TextDecoder().decode(b));

describe('OpfsStorage', () => {
  it('keeps files, directories and renames across a reopen', async () => {
    const dir = new FakeDir();
    const s = await OpfsStorage.open(dir, { spare: 4 });
    s.mkdir('appendonlydir');
    s.writeFile('appendonlydir/a.1.incr.aof', bytes('*1\r\n'));
    s.append('appendonlydir/a.1.incr.aof', bytes('$4\r\nPING\r\n'));
    s.fsync('appendonlydir/a.1.incr.aof');
    s.writeFile('temp-1.rdb', bytes('REDIS0010'));
    s.fsync('temp-1.rdb');
    s.rename('temp-1.rdb', 'dump.rdb');
    s.close();
    const again = await OpfsStorage.open(dir, { spare: 4 });
    expect(again.list('')).toEqual(['appendonlydir', 'dump.rdb']);
    expect(again.isDir('appendonlydir')).toBe(true);
    expect(text(again.read('appendonlydir/a.1.incr.aof'))).toBe('*1\r\n$4\r\nPING\r\n');
    expect(text(again.read('dump.rdb'))).toBe('REDIS0010');
    expect(again.exists('temp-1.rdb')).toBe(false);
  });

  it('makes files creatable synchronously from a pool refilled in the background', async () => {
    const dir = new FakeDir();
    const s = await OpfsStorage.open(dir, { spare: 2 });
    s.writeFile('a', bytes('1'));
    s.writeFile('b', bytes('2'));
    expect(() => s.writeFile('c', bytes('3'))).toThrow(/ENOSPC/);
    await s.refill();
    s.writeFile('c', bytes('3'));
    expect(text(s.read('c'))).toBe('3');
    // An unlinked file's slot is reused without any asynchronous call.
    s.unlink('a');
    s.writeFile('d', bytes('4'));
    expect(s.list('')).toEqual(['b', 'c', 'd']);
  });

  it('after a power cut keeps exactly what was flushed: fsynced bytes and renames', async () => {
    const dir = new FakeDir();
    const s = await OpfsStorage.open(dir, { spare: 4 });
    s.writeFile('x.aof', bytes('SET a 1\n'));
    s.fsync('x.aof');
    s.append('x.aof', bytes('SET b 2\n'));
    s.writeFile('temp-9.rdb', bytes('never synced'));
    dir.powerCut();
    const again = await OpfsStorage.open(dir, { spare: 4 });
    expect(text(again.read('x.aof'))).toBe('SET a 1\n');
    // Created (the index is flushed at once) but its bytes never were.
    expect(again.size('temp-9.rdb')).toBe(0);
  });

  it('refuses a second opener while the first holds the files', async () => {
    const dir = new FakeDir();
    await OpfsStorage.open(dir, { spare: 2 });
    await expect(OpfsStorage.open(dir, { spare: 2 })).rejects.toMatchObject({ name: 'NoModificationAllowedError' });
  });

  it('reports a full quota as a QuotaExceededError and undoes the short append', async () => {
    const dir = new FakeDir();
    const s = await OpfsStorage.open(dir, { spare: 2 });
    s.writeFile('a.aof', bytes('12345'));
    dir.quota = 300;
    expect(() => s.append('a.aof', new Uint8Array(1000))).toThrow(
      expect.objectContaining({ name: 'QuotaExceededError' }),
    );
    expect(s.size('a.aof')).toBe(5);
    expect(text(s.read('a.aof'))).toBe('12345');
  });

  it('serves a whole engine: SAVE, then a new server on the same files loads the RDB', async () => {
    const dir = new FakeDir();
    const clock = new ManualClock();
    const first = createEngine({ clock, disk: new VirtualDisk(await OpfsStorage.open(dir), clock) });
    const c = first.createClient();
    first.dispatch(c, ['HSET', 'h', 'f', 'v']);
    first.dispatch(c, ['SAVE']);
    (persistenceOf(first).disk.storage as OpfsStorage).close();
    dir.powerCut();
    const second = createEngine({ clock, disk: new VirtualDisk(await OpfsStorage.open(dir), clock) });
    expect(persistenceOf(second).lastLoadReport?.keysLoaded).toBe(1);
    expect(second.dispatch(second.createClient(), ['HGET', 'h', 'f'])).toEqual({ t: 'bulk', v: 'v' });
  });
});
