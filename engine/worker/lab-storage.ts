// Where the lab's server keeps its files in the browser (issue 5 §6): OPFS with synchronous access
// handles, else IndexedDB, else memory — chosen once when a worker starts (openLabStorage), so a
// worker replaced after a crash simply opens them again. A Web Lock ("redis-lab-storage") is held
// for the worker's life: a second tab gets memory and says so, and never touches the first's files.
// redis-lab.conf keeps the persistence settings across page loads, as CONFIG REWRITE would.

import type { Engine } from '../engine';
import { strerror } from '../persistence/storage/errors';
import { MemoryStorage } from '../persistence/storage/memory';
import { OpfsStorage, opfsDirectory } from '../persistence/storage/opfs';
import type { Storage } from '../persistence/storage/types';
import { KEPT_ON_RESTART } from './kept-settings';

export type StorageKind = 'opfs' | 'idb' | 'memory';

export interface LabStorage {
  readonly storage: Storage;
  readonly kind: StorageKind;
  /** Why this kind (a fallback's reason), or null. */
  readonly note: string | null;
  /** The storage held files when it was opened (an earlier page used it). */
  readonly hadFiles: boolean;
}

/** What openLabStorage needs from the worker's global scope (tests pass stand-ins). */
export interface BrowserEnv {
  readonly locks?: LockManager;
  readonly storage?: StorageManager;
  readonly indexedDB?: IDBFactory;
  /** True when FileSystemFileHandle.createSyncAccessHandle exists (dedicated workers). */
  readonly syncHandles: boolean;
}

export function browserEnv(): BrowserEnv {
  const nav = (globalThis as { navigator?: Navigator }).navigator;
  const fh = (globalThis as { FileSystemFileHandle?: { prototype: object } }).FileSystemFileHandle;
  return {
    locks: nav?.locks,
    storage: nav?.storage,
    indexedDB: (globalThis as { indexedDB?: IDBFactory }).indexedDB,
    syncHandles: fh !== undefined && 'createSyncAccessHandle' in fh.prototype,
  };
}

export const LOCK_NAME = 'redis-lab-storage';
/** The OPFS directory and IndexedDB database holding the lab's files. */
export const STORE_NAME = 'redis-lab';
export const ANOTHER_TAB = "another tab has the lab open: this tab's data will not be saved";
/** How long a starting worker waits for the lock (a crashed worker's replacement waits for its end). */
const LOCK_WAIT_MS = 1500;

/** Take the lab's Web Lock and hold it until the worker ends; false when another tab keeps it. */
function holdLock(locks: LockManager | undefined, waitMs: number): Promise<boolean> {
  if (locks === undefined) return Promise.resolve(true); // the sync handles' own exclusivity remains
  return new Promise((resolve) => {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), waitMs);
    locks
      .request(LOCK_NAME, { signal: abort.signal }, () => {
        clearTimeout(timer);
        resolve(true);
        return new Promise<never>(() => {}); // held while this worker lives
      })
      .catch(() => resolve(false));
  });
}

const isBusy = (err: unknown) =>
  typeof err === 'object' && err !== null && (err as { name?: string }).name === 'NoModificationAllowedError';

/**
 * Open the lab's OPFS files. With the Web Lock held, a file still locked belongs to this tab's previous
 * worker (a reload, or a worker replaced after a crash) whose handles the browser is closing: retry
 * for a moment. Without Web Locks, a locked file means another tab.
 */
async function openOpfs(dir: FileSystemDirectoryHandle, locked: boolean): Promise<OpfsStorage> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await OpfsStorage.open(opfsDirectory(dir));
    } catch (err) {
      if (!locked || !isBusy(err) || attempt >= 10) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/**
 * Choose and open the storage: OPFS, else IndexedDB, else memory. `onError` hears IndexedDB's
 * background commit failures (null when one succeeds again).
 */
export async function openLabStorage(
  env: BrowserEnv = browserEnv(),
  onError: (err: unknown) => void = () => {},
): Promise<LabStorage> {
  const memory = (note: string): LabStorage => ({
    storage: new MemoryStorage(),
    kind: 'memory',
    note,
    hadFiles: false,
  });
  if (!(await holdLock(env.locks, LOCK_WAIT_MS))) return memory(ANOTHER_TAB);
  let opfsNote: string | null = null;
  if (env.storage?.getDirectory !== undefined && env.syncHandles) {
    try {
      const root = await env.storage.getDirectory();
      const dir = await root.getDirectoryHandle(STORE_NAME, { create: true });
      const storage = await openOpfs(dir, env.locks !== undefined);
      return { storage, kind: 'opfs', note: null, hadFiles: storage.list('').length > 0 };
    } catch (err) {
      if (isBusy(err)) return memory(ANOTHER_TAB);
      opfsNote = `OPFS unavailable (${err instanceof Error ? err.message : String(err)})`;
    }
  }
  if (env.indexedDB !== undefined) {
    try {
      // The IndexedDB adapter is a fallback (no OPFS sync handles): its own chunk, loaded only here.
      const { IdbStorage, openIndexedDb } = await import('../persistence/storage/idb');
      const storage = await IdbStorage.open(await openIndexedDb(STORE_NAME, env.indexedDB), { onStatus: onError });
      return {
        storage,
        kind: 'idb',
        note: opfsNote ?? 'this browser has no OPFS sync access handles: IndexedDB is used',
        hadFiles: storage.list('').length > 0,
      };
    } catch (err) {
      return memory(`no browser storage could be opened (${err instanceof Error ? err.message : String(err)})`);
    }
  }
  return memory(opfsNote ?? 'this browser offers no OPFS or IndexedDB: data lasts until the page is closed');
}

// ---- redis-lab.conf -------------------------------------------------------------------------------

/** The lab's own config file, next to dump.rdb. */
export const LAB_CONF = 'redis-lab.conf';

const quote = (v: string) => (v === '' || /[\s"\\]/.test(v) ? `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"` : v);

/** The settings in redis-lab.conf (`name value` lines, values optionally double-quoted). */
export function readLabConfig(storage: Storage): Record<string, string> {
  const bytes = storage.read(LAB_CONF);
  const out: Record<string, string> = {};
  if (bytes === null) return out;
  const kept = new Set<string>(KEPT_ON_RESTART);
  for (const line of new TextDecoder().decode(bytes).split('\n')) {
    const m = /^\s*([a-z-]+)\s+(?:"((?:[^"\\]|\\.)*)"|(\S+))\s*$/.exec(line);
    if (m === null || !kept.has(m[1])) continue;
    out[m[1]] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3];
  }
  return out;
}

/** Write redis-lab.conf with `settings`, durably (write + fsync, as CONFIG REWRITE does). */
export function writeLabConfig(storage: Storage, settings: Record<string, string>): void {
  const lines = ['# Redis Lab: the persistence settings a reload keeps (as CONFIG REWRITE would write them).'];
  for (const [name, value] of Object.entries(settings)) lines.push(`${name} ${quote(value)}`);
  storage.writeFile(LAB_CONF, new TextEncoder().encode(`${lines.join('\n')}\n`));
  storage.fsync(LAB_CONF);
}

/**
 * Rewrite redis-lab.conf whenever `engine` changes one of KEPT_ON_RESTART (CONFIG SET). LAB: real
 * Redis forgets CONFIG SET on restart unless CONFIG REWRITE is run; the lab keeps them, as it does
 * across ":restart", so a reload starts the server the student configured.
 */
export function keepLabConfig(engine: Engine, storage: Storage, onError: (err: unknown) => void): Engine {
  const kept = new Set<string>(KEPT_ON_RESTART);
  engine.config.onChange((name) => {
    if (!kept.has(name)) return;
    const settings: Record<string, string> = {};
    for (const n of KEPT_ON_RESTART) settings[n] = engine.config.get(n);
    try {
      writeLabConfig(storage, settings);
    } catch (err) {
      onError(err);
    }
  });
  return engine;
}

/** The page's message for a storage error. */
export function storageErrorMessage(err: unknown): string {
  const why = strerror(err);
  if (why === 'No space left on device') {
    return 'this browser\'s storage quota is full: the server\'s files cannot grow (No space left on device). The data in memory is intact; as on a full disk, Redis may refuse writes with MISCONF until there is room again or persistence is off (CONFIG SET appendonly no, CONFIG SET save "").';
  }
  return `the browser storage failed (${err instanceof Error ? err.message : String(err)}): the data in memory is intact, what is written to disk may not be.`;
}
