// The virtual disk (DESIGN §2 Persistence): two layers, so the lab can show what each fsync policy loses.
// Writes land in the page cache (which survives the Redis process being killed) and reach the durable
// layer (a Storage) on fsync, or when the "OS" writes dirty pages back after 30 s; a power cut keeps only
// the durable layer. File creation, rename and unlink are durable at once (Redis fsyncs the directory).
// Every operation is reported as a DiskEvent with its size and time for the persistence panel.

import { type Clock, systemClock } from '../clock';
import { ByteBuffer } from './storage/memory';
import { type Storage, dirName, normalizePath } from './storage/types';

export type DiskOp = 'write' | 'fsync' | 'writeback' | 'rename' | 'truncate' | 'unlink' | 'crash';

export interface DiskEvent {
  type: 'disk';
  op: DiskOp;
  path: string;
  /** rename: the new name. */
  to?: string;
  /** Bytes written / made durable / removed by this operation. */
  bytes: number;
  /** The file's size afterwards (page-cache view). */
  size: number;
  /** The file's durable size afterwards. */
  durable: number;
  /** Engine time (ms). */
  at: number;
  /** crash: which kind. */
  kind?: CrashKind;
}

export type CrashKind = 'kill' | 'power';

/** What a crash cost, per file: the page-cache bytes that never reached the durable layer. */
export interface CrashReport {
  kind: CrashKind;
  at: number;
  lost: { path: string; bytes: number; tail: Uint8Array }[];
  /** Set by the server that crashed: its changes since the last save (server.dirty). */
  dirty?: number;
}

/**
 * A file with changes not yet durable. Its first `prefix` bytes are the durable file's (not held
 * here: an appended AOF costs only its new tail), `tail` holds the rest, and the first `synced` bytes
 * (synced >= prefix) are known to equal the durable file.
 */
interface CachedFile {
  prefix: number;
  tail: ByteBuffer;
  synced: number;
  /** When the oldest non-durable change was made (for the OS writeback). */
  dirtySince: number;
}

const sizeOf = (c: CachedFile): number => c.prefix + c.tail.len;

/** dirty_expire_centisecs: the kernel writes dirty pages back once they are 30 s old. */
export const WRITEBACK_MS = 30_000;

const EMPTY = new Uint8Array(0);

export class VirtualDisk {
  private readonly cache = new Map<string, CachedFile>();
  private readonly listeners: ((e: DiskEvent) => void)[] = [];
  /** The last crash, for the next start's load report. */
  lastCrash: CrashReport | null = null;

  constructor(
    readonly storage: Storage,
    public clock: Clock = systemClock,
    private readonly writebackMs = WRITEBACK_MS,
  ) {}

  get writeThrough(): boolean {
    return this.storage.writeThrough;
  }

  on(listener: (e: DiskEvent) => void): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  private emit(op: DiskOp, path: string, bytes: number, extra?: Partial<DiskEvent>): void {
    if (this.listeners.length === 0) return;
    const p = extra?.to ?? path;
    const durable = this.storage.size(p) ?? 0;
    const c = this.cache.get(p);
    const e: DiskEvent = {
      type: 'disk',
      op,
      path,
      bytes,
      size: c ? sizeOf(c) : durable,
      durable,
      at: this.clock.now(),
      ...extra,
    };
    for (const l of this.listeners.slice()) l(e);
  }

  // ---- reading -----------------------------------------------------------------------------

  /** The file as the running process sees it (page cache over durable), or null. */
  read(path: string): Uint8Array | null {
    const p = normalizePath(path);
    const c = this.cache.get(p);
    if (c === undefined) return this.storage.read(p);
    const out = new Uint8Array(sizeOf(c));
    if (c.prefix > 0) out.set((this.storage.read(p) ?? EMPTY).subarray(0, c.prefix));
    out.set(c.tail.buf.subarray(0, c.tail.len), c.prefix);
    return out;
  }

  size(path: string): number | null {
    const p = normalizePath(path);
    const c = this.cache.get(p);
    return c ? sizeOf(c) : this.storage.size(p);
  }

  exists(path: string): boolean {
    return this.storage.exists(normalizePath(path));
  }

  isDir(path: string): boolean {
    return this.storage.isDir(normalizePath(path));
  }

  list(dir: string): string[] {
    return this.storage.list(normalizePath(dir));
  }

  mkdir(dir: string): void {
    this.storage.mkdir(normalizePath(dir));
  }

  /** Bytes written but not durable yet, per file (the panel's "page cache"). */
  pending(): { path: string; bytes: number; since: number }[] {
    const out: { path: string; bytes: number; since: number }[] = [];
    for (const [path, c] of this.cache) out.push({ path, bytes: sizeOf(c) - c.synced, since: c.dirtySince });
    return out;
  }

  // ---- writing -----------------------------------------------------------------------------

  private cached(p: string): CachedFile {
    let c = this.cache.get(p);
    if (c === undefined) {
      const size = this.storage.size(p);
      if (size === null) this.storage.writeFile(p, EMPTY);
      c = { prefix: size ?? 0, tail: new ByteBuffer(), synced: size ?? 0, dirtySince: this.clock.now() };
      this.cache.set(p, c);
    }
    return c;
  }

  /** Create or replace a file with `data` (fopen "w" + fwrite). */
  write(path: string, data: Uint8Array): void {
    const p = normalizePath(path);
    this.storage.mkdir(dirName(p));
    if (this.writeThrough) {
      this.storage.writeFile(p, data);
    } else {
      if (!this.storage.exists(p)) this.storage.writeFile(p, EMPTY);
      const prev = this.cache.get(p);
      this.cache.set(p, {
        prefix: 0,
        tail: new ByteBuffer(data),
        synced: 0,
        dirtySince: prev?.dirtySince ?? this.clock.now(),
      });
    }
    this.emit('write', p, data.length);
  }

  /** Append to a file, creating it when absent (write(2) on an O_APPEND descriptor). */
  append(path: string, data: Uint8Array): void {
    const p = normalizePath(path);
    if (this.writeThrough) {
      this.storage.append(p, data);
    } else {
      const c = this.cached(p);
      if (sizeOf(c) === c.synced) c.dirtySince = this.clock.now();
      c.tail.append(data);
    }
    this.emit('write', p, data.length);
  }

  truncate(path: string, length: number): void {
    const p = normalizePath(path);
    const before = this.size(p) ?? 0;
    if (this.writeThrough) this.storage.truncate(p, length);
    else {
      const c = this.cached(p);
      if (length < c.prefix) {
        // Below the part not held in memory: take the bytes kept from the durable file.
        c.tail = new ByteBuffer((this.storage.read(p) ?? EMPTY).subarray(0, length));
        c.prefix = 0;
      } else c.tail.truncate(length - c.prefix);
      if (c.synced > length) c.synced = length;
    }
    this.emit('truncate', p, Math.max(0, before - length));
  }

  /** fsync(2): everything written to the file becomes durable. */
  fsync(path: string): void {
    const p = normalizePath(path);
    this.emit('fsync', p, this.flushFile(p));
  }

  /**
   * aof_background_fsync: on a real file system (a storage with fsyncBackground) the fsync runs off the
   * main thread, as in Redis's bio thread; on the modelled page cache it completes at once.
   */
  fsyncBackground(path: string): void {
    const storage = this.storage as Storage & { fsyncBackground?(p: string): void };
    if (this.writeThrough && storage.fsyncBackground !== undefined) {
      const p = normalizePath(path);
      storage.fsyncBackground(p);
      this.emit('fsync', p, 0);
    } else this.fsync(path);
  }

  private flushFile(p: string): number {
    if (this.writeThrough) {
      this.storage.fsync(p);
      return 0;
    }
    const c = this.cache.get(p);
    if (c === undefined) return 0;
    const durableLen = this.storage.size(p) ?? 0;
    if (c.synced === 0 && c.prefix === 0 && durableLen > 0) this.storage.writeFile(p, c.tail.bytes());
    else {
      if (durableLen !== c.synced) this.storage.truncate(p, c.synced);
      const from = c.synced - c.prefix;
      if (from < c.tail.len) this.storage.append(p, c.tail.buf.subarray(from, c.tail.len));
    }
    this.storage.fsync(p);
    this.cache.delete(p);
    return sizeOf(c) - c.synced;
  }

  rename(from: string, to: string): void {
    const a = normalizePath(from);
    const b = normalizePath(to);
    this.storage.mkdir(dirName(b));
    this.storage.rename(a, b);
    const c = this.cache.get(a);
    this.cache.delete(b);
    if (c !== undefined) {
      this.cache.delete(a);
      this.cache.set(b, c);
    }
    this.emit('rename', a, this.size(b) ?? 0, { to: b });
  }

  unlink(path: string): void {
    const p = normalizePath(path);
    const size = this.size(p) ?? 0;
    this.cache.delete(p);
    this.storage.unlink(p);
    this.emit('unlink', p, size);
  }

  /** The kernel's flusher: write back every file whose oldest dirty data is `writebackMs` old. */
  tick(now = this.clock.now()): void {
    if (this.writeThrough) return;
    for (const [p, c] of [...this.cache]) {
      if (now - c.dirtySince < this.writebackMs) continue;
      try {
        this.emit('writeback', p, this.flushFile(p));
      } catch {
        // A failed writeback (a full browser quota) keeps the pages dirty and tries again later;
        // the error reaches the process at its next fsync of the file, as Linux reports it.
        c.dirtySince = now;
      }
    }
  }

  /** Write back everything (a clean OS shutdown, or `sync`). */
  syncAll(): void {
    for (const p of [...this.cache.keys()]) this.emit('writeback', p, this.flushFile(p));
  }

  /**
   * Crash. 'kill' (the Redis process dies): the page cache survives, nothing is lost. 'power' (the
   * machine loses power): only durable bytes remain; the report lists what each file lost.
   */
  crash(kind: CrashKind): CrashReport {
    const at = this.clock.now();
    const report: CrashReport = { kind, at, lost: [] };
    if (kind === 'power') {
      if (this.writeThrough) throw new Error('a power cut cannot be simulated on a real file system');
      for (const [path, c] of this.cache) {
        const bytes = sizeOf(c) - c.synced;
        // A rewritten file (synced 0) loses its new content even if it is not longer than the old one.
        if (bytes > 0 || c.synced < (this.storage.size(path) ?? 0)) {
          report.lost.push({
            path,
            bytes: Math.max(bytes, 0),
            tail: c.tail.buf.slice(c.synced - c.prefix, c.tail.len),
          });
        }
      }
      this.cache.clear();
    }
    this.lastCrash = report;
    let total = 0;
    for (const l of report.lost) total += l.bytes;
    this.emit('crash', '', total, { kind });
    return report;
  }
}
