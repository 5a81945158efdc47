// A worker's start-up, as redis-server's main(): open the storage (lab-storage.ts), read the kept
// settings (redis-lab.conf), build the server on that disk — createEngine loads the AOF or dump.rdb
// as Redis 7.0 chooses — and only then serve the page. Messages that arrive while the storage opens
// wait and are served in order. A worker replaced after a crash runs this again and finds the files.
//
// A page reload or a closed tab ends the worker abruptly: the server process dies and, with it, the
// virtual disk's page cache (it lives in the worker's memory). So a reload is the model's 'power'
// crash: what was fsynced (or written back by the modelled OS after 30 s) is found again, the rest is
// lost — appendfsync always keeps every acknowledged write, everysec up to a second, RDB-only the
// changes since the last save. No "save on unload" is attempted: a real crash gives no such chance.

import type { Engine } from '../engine';
import type { LoadReport } from '../persistence/lifecycle';
import { quotaExceeded } from '../persistence/storage/errors';
import { MemoryStorage } from '../persistence/storage/memory';
import type { Storage } from '../persistence/storage/types';
import type { EngineHost } from './host';
import {
  type BrowserEnv,
  type LabStorage,
  keepLabConfig,
  openLabStorage,
  readLabConfig,
  storageErrorMessage,
} from './lab-storage';
import type { Endpoint, FromWorker, StorageStatus, ToWorker } from './protocol';

/** Passes every call through and tells `report` when a write fails (and when one succeeds again). */
class ReportingStorage implements Storage {
  readonly kind: string;
  readonly writeThrough: boolean;
  private failing = false;
  /** Test-only cap on the bytes stored (the 'storage-limit' message); null in normal use. */
  private limit: number | null = null;

  setLimit(bytes: number | null): void {
    this.limit = bytes;
  }

  constructor(
    private readonly inner: Storage,
    private readonly report: (err: unknown) => void,
  ) {
    this.kind = inner.kind;
    this.writeThrough = inner.writeThrough;
  }

  private guard<T>(f: () => T): T {
    try {
      return f();
    } catch (err) {
      this.failing = true;
      this.report(err);
      throw err;
    }
  }

  read(path: string): Uint8Array | null {
    return this.inner.read(path);
  }
  size(path: string): number | null {
    return this.inner.size(path);
  }
  exists(path: string): boolean {
    return this.inner.exists(path);
  }
  list(dir: string): string[] {
    return this.inner.list(dir);
  }
  isDir(path: string): boolean {
    return this.inner.isDir(path);
  }
  mkdir(dir: string): void {
    this.guard(() => this.inner.mkdir(dir));
  }
  writeFile(path: string, data: Uint8Array): void {
    this.guard(() => {
      this.checkLimit(data.length - (this.inner.size(path) ?? 0));
      this.inner.writeFile(path, data);
    });
  }
  append(path: string, data: Uint8Array): void {
    this.guard(() => {
      this.checkLimit(data.length);
      this.inner.append(path, data);
    });
  }

  private checkLimit(growth: number): void {
    if (this.limit === null || growth <= 0) return;
    let used = 0;
    const walk = (dir: string) => {
      for (const name of this.inner.list(dir)) {
        const p = dir === '' ? name : `${dir}/${name}`;
        if (this.inner.isDir(p)) walk(p);
        else used += this.inner.size(p) ?? 0;
      }
    };
    walk('');
    if (used + growth > this.limit) throw quotaExceeded();
  }
  truncate(path: string, length: number): void {
    this.guard(() => this.inner.truncate(path, length));
  }
  rename(from: string, to: string): void {
    this.guard(() => this.inner.rename(from, to));
  }
  unlink(path: string): void {
    this.guard(() => this.inner.unlink(path));
  }
  fsync(path: string): void {
    this.guard(() => this.inner.fsync(path));
    if (this.failing) {
      this.failing = false;
      this.report(null);
    }
  }
  flush(): Promise<void> {
    return this.inner.flush?.() ?? Promise.resolve();
  }
}

export interface WorkerSetup {
  readonly lab: LabStorage;
  /** The storage to build the server's disk on (errors reported to the page). */
  readonly storage: Storage;
  /** The settings redis-lab.conf kept (appendonly, appendfsync, save...). */
  readonly settings: Readonly<Record<string, string>>;
  /** Apply to every server the worker creates (the first and each restart): keeps redis-lab.conf current. */
  keep(engine: Engine): Engine;
}

/**
 * Open the storage, build the host with `build`, tell the page where its data lives (with what
 * `startupReport` says the server loaded), then serve. `build` may wait: the browser worker loads
 * the rest of the engine first when the storage holds files (worker.ts).
 */
export async function startWorker(
  scope: Endpoint<ToWorker, FromWorker>,
  build: (setup: WorkerSetup) => EngineHost | Promise<EngineHost>,
  startupReport: (engine: Engine) => LoadReport | null,
  env?: BrowserEnv,
): Promise<EngineHost> {
  const early: ToWorker[] = [];
  let holding = true;
  let reporting: ReportingStorage | null = null;
  scope.addEventListener('message', (ev) => {
    if (holding) early.push(ev.data);
    else if (ev.data.type === 'storage-limit' && reporting !== null) {
      reporting.setLimit(ev.data.bytes);
      scope.postMessage({ type: 'ack', id: ev.data.id });
    }
  });
  let status: StorageStatus | null = null;
  let error: string | null = null;
  const onError = (err: unknown) => {
    const text = err === null ? null : storageErrorMessage(err);
    if (text === error) return;
    error = text;
    if (status !== null) {
      status = { ...status, error };
      scope.postMessage({ type: 'storage', status });
    }
  };
  const setup = (lab: LabStorage): WorkerSetup => {
    const storage = new ReportingStorage(lab.storage, onError);
    reporting = storage;
    return { lab, storage, settings: readLabConfig(lab.storage), keep: (e) => keepLabConfig(e, storage, onError) };
  };
  let lab = await openLabStorage(env, onError);
  let ws = setup(lab);
  let host: EngineHost;
  try {
    host = await build(ws);
  } catch (err) {
    // Files the engine cannot even start on (a load error is reported, not thrown): run in memory.
    const why = err instanceof Error ? err.message : String(err);
    lab = {
      storage: new MemoryStorage(),
      kind: 'memory',
      note: `the saved files could not be used (${why})`,
      hadFiles: false,
    };
    ws = setup(lab);
    host = await build(ws);
  }
  const r = lab.hadFiles ? startupReport(host.engine) : null;
  status = {
    kind: lab.kind,
    note: lab.note,
    error,
    startup:
      lab.hadFiles && r !== null
        ? {
            source: r.source,
            ok: r.ok,
            keysLoaded: r.keysLoaded,
            commands: r.commands,
            truncatedBytes: r.truncatedBytes,
            log: r.log.map((l) => l.text),
            settings: ws.settings,
          }
        : null,
  };
  scope.postMessage({ type: 'storage', status });
  holding = false;
  for (const m of early) {
    if (m.type !== 'storage-limit') host.handle(m);
    else {
      (reporting as ReportingStorage | null)?.setLimit(m.bytes);
      scope.postMessage({ type: 'ack', id: m.id });
    }
  }
  return host;
}
