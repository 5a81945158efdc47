// The persistence panel's side of the worker: the 'persistence' inspect snapshot (the settings that
// make the mode, the AOF state, every file in `dir` and the AOF directory with its page-cache and
// durable sizes, the last crash's account) and the file store behind Download / Upload, which reads
// and writes the server's virtual disk as `cp` would (an upload is durable at once).

import type { Engine } from '../engine';
import type { DurabilityAccount, PersistMode } from '../persistence/durability';
import { persistModeOf } from '../persistence/durability';
import { persistenceOf } from '../persistence/lifecycle';
import { joinPath } from '../persistence/storage/types';
import type { FileStore } from './host';

export type FileRole = 'rdb' | 'manifest' | 'base' | 'incr' | 'history' | 'temp' | 'other';

export interface PersistFile {
  /** Relative to `dir` ("dump.rdb", "appendonlydir/appendonly.aof.1.incr.aof"): the file-read name. */
  readonly name: string;
  readonly role: FileRole;
  /** Size as the running server sees it (page cache included). */
  readonly size: number;
  /** The leading bytes that are durable (on disk after a power cut); size - durable is page cache only. */
  readonly durable: number;
}

export interface PersistenceReport {
  readonly kind: 'persistence';
  /** Engine time (ms). */
  readonly at: number;
  readonly mode: PersistMode;
  readonly appendonly: boolean;
  readonly appendfsync: string;
  readonly save: string;
  readonly rdbPreamble: boolean;
  readonly aofState: 'off' | 'on' | 'wait_rewrite';
  /** A running BGSAVE ('rdb') or AOF rewrite ('aof') child. */
  readonly child: 'rdb' | 'aof' | null;
  readonly changesSinceSave: number;
  /** rdb_last_save_time (unix seconds). */
  readonly lastSave: number;
  readonly dir: string;
  readonly dbfilename: string;
  /** The durable layer: 'memory', 'opfs', ... */
  readonly storage: string;
  readonly files: readonly PersistFile[];
  /** Acknowledged writes the journal tracks: this server's and those it found of earlier ones. */
  readonly writes: number;
  /** The account of the crash or restart that started this server, if any. */
  readonly lastRestart: DurabilityAccount | null;
}

function roleOf(name: string, engine: Engine, inAofDir: boolean): FileRole {
  const aofName = engine.config.get('appendfilename');
  if (!inAofDir) {
    if (name === engine.config.get('dbfilename')) return 'rdb';
    return name.startsWith('temp-') ? 'temp' : 'other';
  }
  if (name.startsWith('temp-')) return 'temp';
  if (name === `${aofName}.manifest`) return 'manifest';
  const m = persistenceOf(engine).aof.manifest;
  if (m.base?.name === name) return 'base';
  if (m.incrs.some((i) => i.name === name)) return 'incr';
  if (m.history.some((h) => h.name === name)) return 'history';
  if (name.includes('.base.')) return 'base';
  if (name.endsWith('.incr.aof')) return 'incr';
  return 'other';
}

const ROLE_ORDER: Readonly<Record<FileRole, number>> = {
  rdb: 0,
  manifest: 1,
  base: 2,
  incr: 3,
  history: 4,
  temp: 5,
  other: 6,
};

/** The panel's snapshot of the server's persistence. */
export function inspectPersistence(engine: Engine): PersistenceReport {
  const p = persistenceOf(engine);
  const disk = p.disk;
  const dir = p.dir();
  const pending = new Map(disk.pending().map((x) => [x.path, x.bytes]));
  const files: PersistFile[] = [];
  const add = (name: string, path: string, inAofDir: boolean) => {
    const size = disk.size(path) ?? 0;
    files.push({
      name,
      role: roleOf(inAofDir ? name.slice(name.lastIndexOf('/') + 1) : name, engine, inAofDir),
      size,
      durable: Math.max(0, size - (pending.get(path) ?? 0)),
    });
  };
  const aofDirName = engine.config.get('appenddirname');
  if (disk.isDir(dir) || dir === '.' || dir === '') {
    for (const name of disk.list(dir)) {
      const path = joinPath(dir, name);
      if (name === aofDirName && disk.isDir(path)) {
        for (const n of disk.list(path)) add(`${name}/${n}`, joinPath(path, n), true);
      } else if (!disk.isDir(path)) add(name, path, false);
    }
  }
  files.sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || a.name.localeCompare(b.name));
  const appendonly = engine.config.getBool('appendonly');
  const save = engine.config.get('save');
  const rdbPreamble = engine.config.getBool('aof-use-rdb-preamble');
  return {
    kind: 'persistence',
    at: engine.clock.now(),
    mode: persistModeOf(appendonly, save, rdbPreamble),
    appendonly,
    appendfsync: engine.config.get('appendfsync'),
    save,
    rdbPreamble,
    aofState: p.aof.state,
    child: p.childKind(),
    changesSinceSave: engine.dirty,
    lastSave: p.lastsave,
    dir,
    dbfilename: engine.config.get('dbfilename'),
    storage: disk.storage.kind,
    files,
    writes: p.journal.tracked,
    lastRestart: p.lastAccount,
  };
}

/** A name the panel may read or write: a file in `dir`, or in its AOF directory. */
function checkedName(engine: Engine, name: string): string {
  const parts = name.split('/');
  const ok =
    parts.every((s) => s !== '' && s !== '.' && s !== '..') &&
    (parts.length === 1 || (parts.length === 2 && parts[0] === engine.config.get('appenddirname')));
  if (!ok) throw new Error(`not a persistence file name: ${name}`);
  return joinPath(persistenceOf(engine).dir(), name);
}

/**
 * Download and upload on the current server's disk (`engine()` follows restarts). An upload is
 * written and fsynced, as a file copied in before a restart would be.
 */
export function diskFileStore(engine: () => Engine): FileStore {
  return {
    read(name) {
      const e = engine();
      return persistenceOf(e).disk.read(checkedName(e, name)) ?? undefined;
    },
    write(name, data) {
      const e = engine();
      const path = checkedName(e, name);
      const disk = persistenceOf(e).disk;
      disk.write(path, data);
      disk.fsync(path);
    },
  };
}
