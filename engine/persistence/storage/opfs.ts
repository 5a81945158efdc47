// The browser's durable layer: the Origin Private File System through synchronous access handles
// (FileSystemSyncAccessHandle, dedicated workers only), so every Storage call stays synchronous as
// Redis's own file calls are. fsync(2) is handle.flush(); a power cut keeps what was flushed.
//
// Opening a handle is asynchronous, so the files are not OPFS files one for one: the lab opens a pool
// of "slot" files ahead of time and keeps a small index (lab path → slot) in two alternating index
// files. Creating a file takes a free slot, rename and unlink rewrite the index (one flushed write:
// atomic, as rename(2) plus Redis's fsync of the directory), and the pool is refilled in the
// background. (FileSystemHandle.move() exists in Chromium but is asynchronous, so it cannot serve a
// synchronous rename.) Sync access handles lock their files: the worker entry takes a Web Lock first
// (engine/worker/lab-storage.ts) so a second tab never opens them.

import { quotaExceeded } from './errors';
import { type Storage, dirName, listDirectory, normalizePath } from './types';

/** The calls of FileSystemSyncAccessHandle used here (tests pass an in-memory fake). */
export interface SyncHandle {
  read(buffer: Uint8Array, options?: { at?: number }): number;
  write(buffer: Uint8Array, options?: { at?: number }): number;
  truncate(size: number): void;
  getSize(): number;
  flush(): void;
  close(): void;
}

/** The asynchronous side: a directory whose files can be listed and opened (created when absent). */
export interface SlotDirectory {
  names(): Promise<string[]>;
  open(name: string): Promise<SyncHandle>;
}

/** An OPFS directory as a SlotDirectory (the worker's navigator.storage.getDirectory()). */
export function opfsDirectory(dir: FileSystemDirectoryHandle): SlotDirectory {
  return {
    async names() {
      const out: string[] = [];
      // keys() is in every browser with sync access handles; TypeScript's DOM lib lacks it.
      const it = (dir as unknown as { keys(): AsyncIterable<string> }).keys();
      for await (const name of it) out.push(name);
      return out;
    },
    async open(name) {
      const file = await dir.getFileHandle(name, { create: true });
      return file.createSyncAccessHandle();
    },
  };
}

const INDEX = ['index-a', 'index-b'] as const;
const SLOT_PREFIX = 'slot-';
/** Free slots kept open ahead of time; refilled in the background when half are used. */
const SPARE = 8;

interface IndexImage {
  seq: number;
  files: [string, string][];
  dirs: string[];
}

/** FNV-1a over the index text: a torn index write is detected and the other copy used. */
function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

function readAll(h: SyncHandle): Uint8Array {
  const out = new Uint8Array(h.getSize());
  let off = 0;
  while (off < out.length) {
    const n = h.read(out.subarray(off), { at: off });
    if (n <= 0) break;
    off += n;
  }
  return out.subarray(0, off);
}

function parseIndex(bytes: Uint8Array): IndexImage | null {
  const text = new TextDecoder().decode(bytes);
  const sp = text.indexOf(' ');
  if (sp !== 8 || fnv1a(text.slice(9)) !== text.slice(0, 8)) return null;
  try {
    const v = JSON.parse(text.slice(9)) as IndexImage;
    return typeof v.seq === 'number' && Array.isArray(v.files) && Array.isArray(v.dirs) ? v : null;
  } catch {
    return null;
  }
}

export class OpfsStorage implements Storage {
  readonly kind = 'opfs';
  readonly writeThrough = false;
  private readonly files = new Map<string, string>();
  private readonly dirs = new Set<string>(['']);
  private readonly sizes = new Map<string, number>();
  private readonly free: string[] = [];
  private seq = 0;
  private nextSlot = 0;
  private refilling: Promise<void> | null = null;
  /** Set when the background refill failed: the next file creation reports it. */
  private refillError: unknown = null;

  private constructor(
    private readonly dir: SlotDirectory,
    private readonly handles: Map<string, SyncHandle>,
    private readonly spare: number,
  ) {}

  /** Open every file of `dir` (a second tab holding them makes this throw) and the spare slots. */
  static async open(dir: SlotDirectory, opts: { spare?: number } = {}): Promise<OpfsStorage> {
    const names = await dir.names();
    const handles = new Map<string, SyncHandle>();
    const opened: SyncHandle[] = [];
    try {
      for (const name of [...INDEX, ...names.filter((n) => n.startsWith(SLOT_PREFIX))]) {
        if (handles.has(name)) continue;
        const h = await dir.open(name);
        opened.push(h);
        handles.set(name, h);
      }
    } catch (err) {
      for (const h of opened) h.close();
      throw err;
    }
    const s = new OpfsStorage(dir, handles, opts.spare ?? SPARE);
    s.load();
    await s.refill();
    return s;
  }

  private load(): void {
    let best: IndexImage | null = null;
    for (const name of INDEX) {
      const img = parseIndex(readAll(this.handle(name)));
      if (img !== null && (best === null || img.seq > best.seq)) best = img;
    }
    if (best !== null) {
      this.seq = best.seq;
      for (const d of best.dirs) this.dirs.add(d);
      for (const [path, slot] of best.files) if (this.handles.has(slot)) this.files.set(path, slot);
    }
    const used = new Set(this.files.values());
    for (const name of this.handles.keys()) {
      if (!name.startsWith(SLOT_PREFIX)) continue;
      this.nextSlot = Math.max(this.nextSlot, Number(name.slice(SLOT_PREFIX.length)) + 1);
      if (used.has(name)) this.sizes.set(name, this.handle(name).getSize());
      else {
        // Not in the index: a file created after the last index write, or unlinked. Free it.
        this.handle(name).truncate(0);
        this.free.push(name);
      }
    }
  }

  /** Open new empty slots until `spare` are free (asynchronous: between commands). */
  refill(): Promise<void> {
    if (this.refilling !== null) return this.refilling;
    if (this.free.length >= this.spare) return Promise.resolve();
    this.refilling = (async () => {
      try {
        while (this.free.length < this.spare) {
          const name = `${SLOT_PREFIX}${this.nextSlot++}`;
          const h = await this.dir.open(name);
          h.truncate(0);
          this.handles.set(name, h);
          this.free.push(name);
        }
        this.refillError = null;
      } catch (err) {
        this.refillError = err;
      } finally {
        this.refilling = null;
      }
    })();
    return this.refilling;
  }

  private handle(slot: string): SyncHandle {
    const h = this.handles.get(slot);
    if (h === undefined) throw new Error(`EIO: slot ${slot} is not open`);
    return h;
  }

  private writeIndex(): void {
    this.seq++;
    const img: IndexImage = { seq: this.seq, files: [...this.files], dirs: [...this.dirs].filter((d) => d !== '') };
    const json = JSON.stringify(img);
    const bytes = new TextEncoder().encode(`${fnv1a(json)} ${json}`);
    const h = this.handle(INDEX[this.seq % 2]);
    this.writeAt(h, bytes, 0);
    h.truncate(bytes.length);
    h.flush();
  }

  private writeAt(h: SyncHandle, data: Uint8Array, at: number): void {
    let off = 0;
    while (off < data.length) {
      const n = h.write(data.subarray(off), { at: at + off });
      if (n <= 0) throw quotaExceeded();
      off += n;
    }
  }

  /** The slot of an existing file, or a fresh one (the index records it at once). */
  private slotFor(p: string): string {
    const slot = this.files.get(p);
    if (slot !== undefined) return slot;
    const fresh = this.free.pop();
    if (fresh === undefined) {
      void this.refill();
      throw this.refillError ?? new Error('ENOSPC: no free file slot yet (the lab opens files ahead of time)');
    }
    const dirsBefore = new Set(this.dirs);
    this.files.set(p, fresh);
    this.sizes.set(fresh, 0);
    this.addDirs(dirName(p));
    this.commitIndex(() => {
      this.restoreDirs(dirsBefore);
      this.files.delete(p);
      this.free.push(fresh);
    });
    if (this.free.length < this.spare / 2) void this.refill();
    return fresh;
  }

  private release(slot: string): void {
    this.handle(slot).truncate(0);
    this.sizes.delete(slot);
    this.free.push(slot);
  }

  private addDirs(dir: string): boolean {
    let d = normalizePath(dir);
    let added = false;
    while (d !== '' && d !== '/' && !this.dirs.has(d)) {
      this.dirs.add(d);
      added = true;
      d = dirName(d);
    }
    return added;
  }

  read(path: string): Uint8Array | null {
    const slot = this.files.get(normalizePath(path));
    return slot === undefined ? null : readAll(this.handle(slot)).slice();
  }

  size(path: string): number | null {
    const slot = this.files.get(normalizePath(path));
    return slot === undefined ? null : (this.sizes.get(slot) ?? 0);
  }

  exists(path: string): boolean {
    const p = normalizePath(path);
    return this.files.has(p) || this.dirs.has(p);
  }

  list(dir: string): string[] {
    return listDirectory(this.files.keys(), this.dirs, dir);
  }

  isDir(path: string): boolean {
    return this.dirs.has(normalizePath(path));
  }

  mkdir(dir: string): void {
    const before = new Set(this.dirs);
    if (this.addDirs(dir)) this.commitIndex(() => this.restoreDirs(before));
  }

  private restoreDirs(before: Set<string>): void {
    for (const d of [...this.dirs]) if (!before.has(d)) this.dirs.delete(d);
  }

  /** Write the index; on failure undo the in-memory change so memory and disk agree. */
  private commitIndex(undo: () => void): void {
    try {
      this.writeIndex();
    } catch (err) {
      undo();
      throw err;
    }
  }

  writeFile(path: string, data: Uint8Array): void {
    const slot = this.slotFor(normalizePath(path));
    const h = this.handle(slot);
    h.truncate(0);
    this.sizes.set(slot, 0);
    this.writeAt(h, data, 0);
    this.sizes.set(slot, data.length);
  }

  append(path: string, data: Uint8Array): void {
    const slot = this.slotFor(normalizePath(path));
    const at = this.sizes.get(slot) ?? 0;
    try {
      this.writeAt(this.handle(slot), data, at);
    } catch (err) {
      // A short write is undone, as Redis ftruncate()s a partially written AOF.
      this.handle(slot).truncate(at);
      throw err;
    }
    this.sizes.set(slot, at + data.length);
  }

  truncate(path: string, length: number): void {
    const slot = this.files.get(normalizePath(path));
    if (slot === undefined) throw new Error(`ENOENT: ${path}`);
    this.handle(slot).truncate(length);
    this.sizes.set(slot, length);
  }

  rename(from: string, to: string): void {
    const a = normalizePath(from);
    const b = normalizePath(to);
    const slot = this.files.get(a);
    if (slot === undefined) throw new Error(`ENOENT: ${from}`);
    if (a === b) return;
    const replaced = this.files.get(b);
    const dirsBefore = new Set(this.dirs);
    this.files.delete(a);
    this.files.set(b, slot);
    this.addDirs(dirName(b));
    this.commitIndex(() => {
      this.restoreDirs(dirsBefore);
      if (replaced === undefined) this.files.delete(b);
      else this.files.set(b, replaced);
      this.files.set(a, slot);
    });
    if (replaced !== undefined) this.release(replaced);
  }

  unlink(path: string): void {
    const p = normalizePath(path);
    const slot = this.files.get(p);
    if (slot === undefined) return;
    this.files.delete(p);
    this.commitIndex(() => this.files.set(p, slot));
    this.release(slot);
  }

  fsync(path: string): void {
    const slot = this.files.get(normalizePath(path));
    if (slot !== undefined) this.handle(slot).flush();
  }

  /** Every byte handed over is flushed by fsync already; nothing is pending. */
  flush(): Promise<void> {
    return Promise.resolve();
  }

  /** Close every handle (the locks on the files go with them). */
  close(): void {
    for (const h of this.handles.values()) h.close();
    this.handles.clear();
  }
}
