// The server's persistence lifecycle (src/server.c main/loadDataFromDisk, prepareForShutdown, debug.c
// DEBUG RELOAD): load at start as Redis 7.0 does — the AOF when appendonly is yes (even if a dump.rdb
// exists), else the RDB — with a report of what was found and what a crash lost; the final save on
// shutdown; and the engine hooks (cron, propagation to the AOF, FLUSHALL, CONFIG SET appendonly).

import type { Engine } from '../engine';
import { fromBytes } from '../protocol/binary';
import type { AofFileLoad } from './aof/load';
import { loadAofFiles } from './aof/load';
import { ManifestError, emptyManifest, parseManifest } from './aof/manifest';
import { registerInfoProviders } from './info';
import { readAofCommands } from './aof/resp';
import type { CrashKind, VirtualDisk } from './disk';
import { type DurabilityAccount, durabilityAccount, type PolicyState, type RestartHow } from './durability';
import type { LogLine, RdbLoadResult } from './rdb/decode';
import { loadRdbIntoEngine } from './rdb/engine-io';
import { RdbLoadError } from './rdb/format';
import { Persistence, type PersistenceOptions } from './persistence';
import { strerror } from './storage/errors';

export interface LoadReport {
  /** What was loaded: the AOF (appendonly yes), the RDB, or nothing (no file). */
  source: 'aof' | 'rdb' | 'none';
  /** False when the server would refuse to start (the log says why). */
  ok: boolean;
  /** Every line the load logged, in order. */
  log: LogLine[];
  keysLoaded: number;
  keysExpired: number;
  /** AOF commands replayed. */
  commands: number;
  aofFiles: AofFileLoad[];
  /** Bytes dropped from a truncated AOF tail. */
  truncatedBytes: number;
  /** The crash before this start, if any: what the page cache held that never reached the disk. */
  crash: {
    kind: CrashKind;
    lost: { path: string; bytes: number; commands: number }[];
    /** Changes made since the last successful save, at the moment of the crash (RDB-only servers lose these). */
    changesSinceSave: number;
  } | null;
  /** Set after a crash or restart: which acknowledged writes of the old server this one found. */
  account?: DurabilityAccount;
}

const registry = new WeakMap<Engine, Persistence>();

/** The engine's persistence, created (over an in-memory disk) on first use. */
export function persistenceOf(engine: Engine): Persistence {
  return registry.get(engine) ?? installPersistence(engine);
}

/** Attach persistence to an engine: cron, AOF feeding, FLUSHALL, CONFIG SET appendonly, shutdown. */
export function installPersistence(engine: Engine, opts: PersistenceOptions = {}): Persistence {
  const existing = registry.get(engine);
  if (existing) return existing;
  const p = new Persistence(engine, opts);
  registry.set(engine, p);
  registerInfoProviders();
  p.aof.state = engine.config.getBool('appendonly') ? 'on' : 'off';
  engine.cronHooks.push(() => p.cron());
  const journal = p.journal.enabled ? p.journal : null;
  engine.on(
    (e) => {
      if (e.type === 'propagate') {
        if (engine.loading) return;
        // The journal (off unless the engine was created with journal: true) numbers each write.
        p.aof.onPropagate(e.db, e.argv, journal === null ? 0 : journal.record(e.db, e.argv, engine.clock.now()));
      } else if (e.type === 'flush' && e.db === 'all') p.onFlushAll();
    },
    ['propagate', 'flush'],
  );
  engine.config.onChange((name, value) => {
    if (name !== 'appendonly') return;
    if (value === 'yes' && p.aof.state === 'off') p.aof.start();
    else if (value === 'no' && p.aof.state !== 'off') p.aof.stop();
  });
  engine.shutdownHooks.push(() => {
    prepareForShutdown(p, { save: false, nosave: false, now: true, force: true });
  });
  return p;
}

/** How many whole or partial commands a lost AOF tail held. */
function countCommands(tail: Uint8Array): number {
  let n = 0;
  const s = fromBytes(tail);
  const stop = readAofCommands(s, 0, () => {
    n++;
  });
  return stop.kind === 'eof' ? n : n + 1;
}

/**
 * main() → aofLoadManifestFromDisk, loadDataFromDisk, aofOpenIfNeededOnServerStart, aofDelHistoryFiles.
 * Fills the dbs from the disk and reports; `ok: false` where redis-server would exit(1).
 */
export function loadAtStartup(engine: Engine): LoadReport {
  const p = persistenceOf(engine);
  const first = p.logLines.length;
  const report: LoadReport = {
    source: 'none',
    ok: true,
    log: [],
    keysLoaded: 0,
    keysExpired: 0,
    commands: 0,
    aofFiles: [],
    truncatedBytes: 0,
    crash: null,
  };
  const crash = p.disk.lastCrash;
  if (crash !== null) {
    report.crash = {
      kind: crash.kind,
      lost: crash.lost.map((l) => ({
        path: l.path,
        bytes: l.bytes,
        commands: l.path.endsWith('.aof') ? countCommands(l.tail) : 0,
      })),
      changesSinceSave: crash.dirty ?? 0,
    };
  }
  const finish = (): LoadReport => {
    report.log = p.logLines.slice(first);
    p.lastLoadReport = report;
    // LAB: redis-server exits here; an engine that keeps running must not append to an AOF it never opened.
    if (!report.ok) p.aof.state = 'off';
    return report;
  };
  const onRdb = (res: RdbLoadResult) => {
    report.keysLoaded += res.keysLoaded;
    report.keysExpired += res.keysExpired;
    p.rdbLastLoadKeysLoaded = res.keysLoaded;
    p.rdbLastLoadKeysExpired = res.keysExpired;
  };
  const aof = p.aof;
  aof.state = engine.config.getBool('appendonly') ? 'on' : 'off';
  try {
    aof.manifest = emptyManifest();
    const manifestPath = aof.path(`${aof.filename}.manifest`);
    if (p.disk.isDir(aof.dirPath()) && p.disk.exists(manifestPath)) {
      aof.manifest = parseManifest(fromBytes(p.disk.read(manifestPath) ?? new Uint8Array(0)));
    }
  } catch (err) {
    if (!(err instanceof ManifestError)) throw err;
    for (const l of err.lines) p.log('#', l);
    report.ok = false;
    return finish();
  }
  const t0 = globalThis.performance.now();
  if (aof.state === 'on') {
    report.source = 'aof';
    const status = loadAofFiles(
      {
        engine,
        disk: p.disk,
        aof,
        log: (level, text) => p.log(level, text),
        dir: () => p.dir(),
        rdbLoaded: onRdb,
        loadFunction: (code) => p.loadFunction(code, false),
      },
      report.aofFiles,
    );
    for (const f of report.aofFiles) {
      report.commands += f.commands;
      report.truncatedBytes += f.truncatedBytes;
    }
    if (status === 'failed' || status === 'open_err') {
      report.ok = false;
      return finish();
    }
    if (status !== 'not_exist') {
      const secs = ((globalThis.performance.now() - t0) / 1000).toFixed(3);
      p.log('*', `DB loaded from append only file: ${secs} seconds`);
    } else report.source = 'none';
  } else {
    const data = p.disk.read(p.rdbPath());
    if (data !== null) {
      report.source = 'rdb';
      try {
        const res = loadRdbIntoEngine(engine, data, { onFunction: (code) => p.loadFunction(code, false) });
        for (const l of res.log) p.log(l.level, l.text);
        onRdb(res);
        const secs = ((globalThis.performance.now() - t0) / 1000).toFixed(3);
        p.log('*', `DB loaded from disk: ${secs} seconds`);
      } catch (err) {
        if (!(err instanceof RdbLoadError)) throw err;
        for (const l of err.allLines()) p.log(l.level, l.text);
        report.ok = false;
        return finish();
      }
    }
  }
  aof.openOnServerStart();
  aof.deleteHistory();
  return finish();
}

export interface ShutdownFlags {
  save: boolean;
  nosave: boolean;
  now: boolean;
  force: boolean;
}

/** prepareForShutdown + finishShutdown: true when the server may exit. */
export function prepareForShutdown(p: Persistence, flags: ShutdownFlags): boolean {
  const engine = p.engine;
  p.log('#', 'User requested shutdown...');
  if (p.child?.kind === 'rdb') {
    p.log('#', 'There is a child saving an .rdb. Killing it!');
    p.killRdbChild();
  }
  if (p.child?.kind === 'aof') {
    if (p.aof.state === 'wait_rewrite') {
      if (flags.force) p.log('#', 'Writing initial AOF. Exit anyway.');
      else {
        p.log('#', "Writing initial AOF, can't exit.");
        p.log('#', 'Errors trying to shut down the server. Check the logs for more information.');
        return false;
      }
    }
    p.log('#', 'There is a child rewriting the AOF. Killing it!');
    p.aof.killChild();
  }
  if (p.aof.state !== 'off') {
    p.log('*', 'Calling fsync() on the AOF file.');
    p.aof.flush(true);
    if (p.aof.fd !== null) {
      try {
        p.disk.fsync(p.aof.fd);
      } catch (err) {
        p.log('#', `Fail to fsync the AOF file: ${strerror(err)}.`);
      }
    }
  }
  if ((p.saveParams().length > 0 && !flags.nosave) || flags.save) {
    p.log('*', 'Saving the final RDB snapshot before exiting.');
    if (!p.rdbSave()) {
      if (flags.force) p.log('#', 'Error trying to save the DB. Exit anyway.');
      else {
        p.log('#', "Error trying to save the DB, can't exit.");
        p.log('#', 'Errors trying to shut down the server. Check the logs for more information.');
        return false;
      }
    }
  }
  p.log('#', 'Redis is now ready to exit, bye bye...');
  p.detach();
  engine.emit({ type: 'shutdown' });
  return true;
}

/** The settings that decide what survives (the persistence panel's mode and fsync policy). */
export function policyOf(engine: Engine): PolicyState {
  return {
    appendonly: engine.config.getBool('appendonly'),
    appendfsync: engine.config.get('appendfsync'),
    save: engine.config.get('save'),
    rdbPreamble: engine.config.getBool('aof-use-rdb-preamble'),
  };
}

/**
 * After `old` crashed or shut down and `next` loaded: the account of `old`'s acknowledged writes —
 * found in the files `next` read (the manifest's base and incr files, or dump.rdb) or lost. Kept on
 * `next` for the panel (Persistence.lastAccount) and in the load report.
 */
export function accountRestart(
  old: Engine,
  policy: PolicyState,
  how: RestartHow,
  at: number,
  next: Engine,
  report: LoadReport,
): DurabilityAccount {
  const p = persistenceOf(old);
  const aof = p.aof;
  const m = aof.manifest;
  const split = p.journal.split({
    appendonly: policy.appendonly,
    aofBase: m.base ? aof.path(m.base.name) : null,
    aofIncrs: m.incrs.map((i) => aof.path(i.name)),
    rdbPath: p.rdbPath(),
    size: (path) => p.disk.size(path),
  });
  const errors = report.log.filter((l) => l.level === '#').map((l) => l.text);
  const account = durabilityAccount(how, at, policy, split, { source: report.source, ok: report.ok, errors });
  report.account = account;
  persistenceOf(next).lastAccount = account;
  // The writes the new server found stay tracked: a later crash may still lose them (a kill keeps
  // the page cache, but nothing fsynced it yet).
  if (report.ok) persistenceOf(next).journal.inherit(p.journal, split.survived);
  return account;
}

/**
 * Crash the server and start a new one on the same disk: 'kill' keeps the page cache, 'power' keeps
 * only what was fsynced. `make` builds the new engine (same options as the old one); the report says
 * what was loaded and what was lost.
 */
export function crashAndRestart(
  old: Engine,
  kind: CrashKind,
  make: (disk: VirtualDisk) => Engine,
): { engine: Engine; report: LoadReport } {
  const p = persistenceOf(old);
  const dirty = old.dirty;
  const policy = policyOf(old);
  const at = old.clock.now();
  const crash = p.crash(kind);
  crash.dirty = dirty;
  const engine = make(p.disk);
  const report = persistenceOf(engine).lastLoadReport ?? loadAtStartup(engine);
  accountRestart(old, policy, kind, at, engine, report);
  return { engine, report };
}
