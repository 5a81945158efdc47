// The browser's fallback durable layer, where OPFS sync access handles are missing: IndexedDB. Its
// calls are asynchronous, so the files live in an in-memory image loaded at start; every Storage call
// changes the image synchronously and marks what changed, and a write-behind queue persists the
// changes in the background — coalesced (many appends to one file → one write of its changed 64 KiB
// chunks) and atomic (one IndexedDB transaction holds every change made so far, renames included).
// LAB: fsync here means "queued for persistence", not "on disk": the reply to a command with
// appendfsync always can go out a few milliseconds before its IndexedDB transaction commits, so a tab
// closed in that window loses it. flush() resolves once everything handed over is durable.

import { MemoryStorage } from './memory';
import { type Storage, dirName, normalizePath } from './types';

/** One stored record: a directory, a file's size, or one chunk of a file's bytes. */
export type IdbRecord =
  | { readonly t: 'dir' }
  | { readonly t: 'file'; readonly size: number }
  | { readonly t: 'chunk'; readonly data: Uint8Array };

/** The asynchronous store under the image (native IndexedDB, or an in-memory fake in tests). */
export interface IdbBackend {
  /** Every record, keyed as written. */
  load(): Promise<Map<string, IdbRecord>>;
  /** Apply every put and delete in one transaction: all or nothing. */
  commit(puts: ReadonlyMap<string, IdbRecord>, deletes: readonly string[]): Promise<void>;
}

export const CHUNK = 64 * 1024;

const dirKey = (p: string) => `dir:${p}`;
const fileKey = (p: string) => `file:${p}`;
const chunkKey = (p: string, i: number) => `chunk:${i}:${p}`;

/** What changed in a file since the last commit: rewrite from this chunk on, or it is gone. */
type Change = { from: number } | 'deleted';

export class IdbStorage implements Storage {
  readonly kind = 'idb';
  readonly writeThrough = false;
  private readonly image = new MemoryStorage();
  /** Chunks each file has in the store (what a commit must overwrite or delete). */
  private readonly stored = new Map<string, number>();
  private readonly storedDirs = new Set<string>();
  private changes = new Map<string, Change>();
  private dirsChanged = false;
  private scheduled = false;
  private inFlight: Promise<void> | null = null;
  /** The last commit's error until one succeeds (fsync reports it, as Linux reports writeback errors). */
  failure: unknown = null;
  /**
   * Files whose changes were in a failed commit and are not stored yet: fsync reports the error for
   * these only (as Linux reports a writeback error to that file's fsync), so once there is room a new
   * file (SAVE's temp file) syncs without inheriting an old error.
   */
  private readonly failedPaths = new Set<string>();
  private waiters: { resolve(): void; reject(e: unknown): void }[] = [];

  private constructor(
    private readonly backend: IdbBackend,
    private readonly onStatus: (error: unknown) => void,
    private readonly schedule: (fn: () => void) => void,
  ) {}

  /**
   * Load every file into the image. `onStatus` hears each commit's outcome (an error, or null when a
   * commit succeeds after one failed); `schedule` runs the write-behind (a macrotask by default).
   */
  static async open(
    backend: IdbBackend,
    opts: { onStatus?: (error: unknown) => void; schedule?: (fn: () => void) => void } = {},
  ): Promise<IdbStorage> {
    const s = new IdbStorage(backend, opts.onStatus ?? (() => {}), opts.schedule ?? ((fn) => setTimeout(fn, 0)));
    const records = await backend.load();
    const chunks = new Map<string, Uint8Array[]>();
    for (const [key, rec] of records) {
      if (rec.t === 'dir') {
        const p = key.slice(4);
        s.image.mkdir(p);
        s.storedDirs.add(p);
      } else if (rec.t === 'chunk') {
        const colon = key.indexOf(':', 6);
        const p = key.slice(colon + 1);
        let list = chunks.get(p);
        if (list === undefined) chunks.set(p, (list = []));
        list[Number(key.slice(6, colon))] = rec.data;
      }
    }
    for (const [key, rec] of records) {
      if (rec.t !== 'file') continue;
      const p = key.slice(5);
      const data = new Uint8Array(rec.size);
      const list = chunks.get(p) ?? [];
      for (let i = 0; i * CHUNK < rec.size; i++) {
        const c = list[i];
        if (c !== undefined) data.set(c.subarray(0, Math.min(CHUNK, rec.size - i * CHUNK)), i * CHUNK);
      }
      s.image.writeFile(p, data);
      s.stored.set(p, list.length);
    }
    return s;
  }

  // ---- the write-behind queue ------------------------------------------------------------------

  private mark(p: string, fromByte: number): void {
    const prev = this.changes.get(p);
    const from = Math.floor(fromByte / CHUNK);
    if (prev === undefined || prev === 'deleted' || from < prev.from) this.changes.set(p, { from });
    this.kick();
  }

  private kick(): void {
    if (this.scheduled || this.inFlight !== null) return;
    this.scheduled = true;
    this.schedule(() => {
      this.scheduled = false;
      this.commitNow();
    });
  }

  /** Start one transaction with everything changed so far. */
  private commitNow(): void {
    if (this.inFlight !== null) return;
    if (this.changes.size === 0 && !this.dirsChanged) {
      this.settle(null);
      return;
    }
    const changes = this.changes;
    const dirsChanged = this.dirsChanged;
    this.changes = new Map();
    this.dirsChanged = false;
    const puts = new Map<string, IdbRecord>();
    const deletes: string[] = [];
    const storedAfter = new Map<string, number>();
    for (const [p, change] of changes) {
      const had = this.stored.get(p) ?? 0;
      // A view, not a copy: only the changed chunks are copied out below.
      const data = change === 'deleted' ? null : this.image.view(p);
      if (data === null) {
        if (this.stored.has(p)) deletes.push(fileKey(p));
        for (let i = 0; i < had; i++) deletes.push(chunkKey(p, i));
        storedAfter.set(p, -1);
        continue;
      }
      const n = Math.ceil(data.length / CHUNK);
      puts.set(fileKey(p), { t: 'file', size: data.length });
      for (let i = (change as { from: number }).from; i < n; i++) {
        puts.set(chunkKey(p, i), { t: 'chunk', data: data.slice(i * CHUNK, (i + 1) * CHUNK) });
      }
      for (let i = n; i < had; i++) deletes.push(chunkKey(p, i));
      storedAfter.set(p, n);
    }
    const dirsNow = new Set<string>();
    if (dirsChanged) {
      for (const d of this.allDirs()) dirsNow.add(d);
      for (const d of dirsNow) if (!this.storedDirs.has(d)) puts.set(dirKey(d), { t: 'dir' });
      for (const d of this.storedDirs) if (!dirsNow.has(d)) deletes.push(dirKey(d));
    }
    this.inFlight = this.backend.commit(puts, deletes).then(
      () => {
        for (const [p, n] of storedAfter) {
          if (n < 0) this.stored.delete(p);
          else this.stored.set(p, n);
        }
        if (dirsChanged) {
          this.storedDirs.clear();
          for (const d of dirsNow) this.storedDirs.add(d);
        }
        this.inFlight = null;
        const recovered = this.failure !== null;
        this.failure = null;
        // Every failed change was marked again and went into this transaction.
        this.failedPaths.clear();
        if (recovered) this.onStatus(null);
        if (this.changes.size > 0 || this.dirsChanged) this.commitNow();
        else this.settle(null);
      },
      (err: unknown) => {
        // Nothing was stored: mark it all again, to be retried on the next change or fsync.
        for (const [p, change] of changes) {
          const now = this.changes.get(p);
          if (now === undefined) this.changes.set(p, change);
          else if (now !== 'deleted' && change !== 'deleted')
            this.changes.set(p, { from: Math.min(now.from, change.from) });
        }
        if (dirsChanged) this.dirsChanged = true;
        for (const [p, change] of changes) if (change !== 'deleted') this.failedPaths.add(p);
        this.inFlight = null;
        this.failure = err;
        this.onStatus(err);
        this.settle(err);
      },
    );
  }

  private settle(err: unknown): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) {
      if (err === null) w.resolve();
      else w.reject(err);
    }
  }

  private allDirs(): string[] {
    const out: string[] = [];
    const walk = (d: string) => {
      for (const name of this.image.list(d)) {
        const p = d === '' ? name : `${d}/${name}`;
        if (this.image.isDir(p)) {
          out.push(p);
          walk(p);
        }
      }
    };
    walk('');
    return out;
  }

  /** Resolves once every change made so far is committed; rejects with the commit's error. */
  flush(): Promise<void> {
    if (this.changes.size === 0 && !this.dirsChanged && this.inFlight === null) {
      return this.failure === null ? Promise.resolve() : Promise.reject(this.failure);
    }
    const p = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (this.inFlight === null) {
      this.scheduled = false;
      this.commitNow();
    }
    return p;
  }

  /** Changes not yet committed (files and directories), for tests and the panel. */
  get pendingChanges(): number {
    return this.changes.size + (this.dirsChanged ? 1 : 0) + (this.inFlight !== null ? 1 : 0);
  }

  // ---- Storage -----------------------------------------------------------------------------------

  read(path: string): Uint8Array | null {
    return this.image.read(path);
  }

  size(path: string): number | null {
    return this.image.size(path);
  }

  exists(path: string): boolean {
    return this.image.exists(path);
  }

  list(dir: string): string[] {
    return this.image.list(dir);
  }

  isDir(path: string): boolean {
    return this.image.isDir(path);
  }

  mkdir(dir: string): void {
    if (this.image.isDir(dir)) return;
    this.image.mkdir(dir);
    this.dirsChanged = true;
    this.kick();
  }

  private parents(p: string): void {
    if (!this.image.isDir(dirName(p))) {
      this.dirsChanged = true;
      this.kick();
    }
  }

  writeFile(path: string, data: Uint8Array): void {
    const p = normalizePath(path);
    this.parents(p);
    this.image.writeFile(p, data);
    this.mark(p, 0);
  }

  append(path: string, data: Uint8Array): void {
    const p = normalizePath(path);
    this.parents(p);
    const at = this.image.size(p) ?? 0;
    this.image.append(p, data);
    this.mark(p, at);
  }

  truncate(path: string, length: number): void {
    const p = normalizePath(path);
    const before = this.image.size(p) ?? 0;
    this.image.truncate(p, length);
    this.mark(p, Math.min(before, length));
  }

  rename(from: string, to: string): void {
    const a = normalizePath(from);
    const b = normalizePath(to);
    this.parents(b);
    this.image.rename(a, b);
    if (a === b) return;
    this.failedPaths.delete(b);
    if (this.failedPaths.delete(a)) this.failedPaths.add(b);
    this.changes.set(a, 'deleted');
    this.changes.set(b, { from: 0 });
    this.kick();
  }

  unlink(path: string): void {
    const p = normalizePath(path);
    if (this.image.size(p) === null) return;
    this.image.unlink(p);
    this.failedPaths.delete(p);
    this.changes.set(p, 'deleted');
    this.kick();
  }

  /**
   * LAB: the change is queued for persistence (see the file comment). A failed commit is reported
   * here, to each fsync of a file it held until a commit stores it, and retried: the image still
   * holds the data.
   */
  fsync(path: string): void {
    if (this.failure === null || !this.failedPaths.has(normalizePath(path))) return;
    const err = this.failure;
    this.kick();
    throw err;
  }
}

// ---- native IndexedDB ------------------------------------------------------------------------------

const STORE = 'files';

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

/** Open `name` (at `version`, or its current one), creating the store in an upgrade. */
function openDb(factory: IDBFactory, name: string, version?: number): Promise<IDBDatabase> {
  const open = version === undefined ? factory.open(name) : factory.open(name, version);
  open.onupgradeneeded = () => {
    if (!open.result.objectStoreNames.contains(STORE)) open.result.createObjectStore(STORE);
  };
  return new Promise((resolve, reject) => {
    // An upgrade waits for other connections to close: never wait forever (the lab falls back to memory).
    let blocked = false;
    open.onblocked = () => {
      blocked = true;
      reject(new Error('the IndexedDB database is open elsewhere (its upgrade is blocked)'));
    };
    open.onsuccess = () => {
      if (blocked) open.result.close();
      else resolve(open.result);
    };
    open.onerror = () => reject(open.error);
  });
}

/** The browser's IndexedDB database `name` (one object store of IdbRecords keyed by string). */
export async function openIndexedDb(name: string, factory: IDBFactory = indexedDB): Promise<IdbBackend> {
  // Opened at its current version: a new database gets the store in its first upgrade; one made
  // without it (opened by other code first, e.g. from DevTools) gets it in the next version's.
  let db = await openDb(factory, name);
  if (!db.objectStoreNames.contains(STORE)) {
    const next = db.version + 1;
    db.close();
    db = await openDb(factory, name, next);
  }
  return {
    async load() {
      const tx = db.transaction(STORE, 'readonly');
      const store = tx.objectStore(STORE);
      const [keys, values] = await Promise.all([request(store.getAllKeys()), request(store.getAll())]);
      const out = new Map<string, IdbRecord>();
      for (let i = 0; i < keys.length; i++) out.set(String(keys[i]), values[i] as IdbRecord);
      return out;
    },
    commit(puts, deletes) {
      return new Promise((resolve, reject) => {
        const tx = db.transaction(STORE, 'readwrite', { durability: 'strict' });
        const store = tx.objectStore(STORE);
        for (const k of deletes) store.delete(k);
        for (const [k, v] of puts) store.put(v, k);
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error ?? new Error('EIO: the IndexedDB transaction was aborted'));
      });
    },
  };
}
