// The engine's persistence (Redis 7.0's rdb.c/aof.c/server.c state): one per engine, over a virtual
// disk. SAVE and the modelled fork of BGSAVE / BGREWRITEAOF (the child's snapshot is taken at fork time,
// writes continue, the child "finishes" later in engine time), save points and automatic rewrites in
// serverCron, the AOF fed by propagated commands, FLUSHALL's save, and the server log lines.

import type { Engine } from '../engine';
import { E, misconfAof } from '../errors';
import { ReplyError } from '../protocol/reply';
import { scripting } from '../scripting/context';
import { LibraryContext, createLibrary, freeLibrary } from '../scripting/functions';
import { usedMemory } from '../keyspace/memory';
import { toBytes } from '../protocol/binary';
import { Aof, type AofHost } from './aof/aof';
import type { AofManifest } from './aof/manifest';
import { type CrashReport, type DiskEvent, VirtualDisk } from './disk';
import type { DurabilityAccount } from './durability';
import { WriteJournal } from './journal';
import type { LoadReport } from './lifecycle';
import { MAX_EVENT_COMMANDS } from './persist-events';
import type { LogLine } from './rdb/decode';
import { snapshotRdb, snapshotRdbBytes } from './rdb/engine-io';
import { strerror } from './storage/errors';
import { MemoryStorage } from './storage/memory';
import { joinPath } from './storage/types';

/** A background child (fork): what it is, when it finishes, what the parent does then. */
interface Child {
  kind: 'rdb' | 'aof';
  pid: number;
  startedAt: number;
  doneAt: number;
  /** The child's own work at exit (fsync, rename) followed by the parent's done handler. */
  finish(): void;
  /** Temp files to remove when it is killed. */
  temps: string[];
}

/** The child writes about this many bytes per ms of engine time (a modelled disk speed). */
const CHILD_BYTES_PER_MS = 100_000;
/** CONFIG_BGSAVE_RETRY_DELAY */
const BGSAVE_RETRY_DELAY = 5;
const LOG_KEEP = 500;

const perf = globalThis.performance;

export interface PersistenceOptions {
  disk?: VirtualDisk;
  /** The process id used in temp file names and logs. */
  pid?: number;
  /** Keep the write journal (CreateEngineOptions.journal, where the switch is documented); default off. */
  journal?: boolean;
}

export class Persistence implements AofHost {
  readonly disk: VirtualDisk;
  readonly aof: Aof;
  readonly pid: number;
  private nextChildPid: number;
  /** server.lastsave (seconds) */
  lastsave: number;
  lastbgsaveStatus: 'ok' | 'err' = 'ok';
  lastbgsaveTry = 0;
  rdbSaveTimeLast = -1;
  rdbSaveTimeStart = -1;
  rdbSaves = 0;
  bgsaveScheduled = false;
  private dirtyBeforeBgsave = 0;
  rdbLastLoadKeysLoaded = 0;
  rdbLastLoadKeysExpired = 0;
  totalForks = 0;
  latestForkUsec = 0;
  child: Child | null = null;
  /**
   * Library payloads read from a file while the scripting engine could not take them (the browser
   * loads the Lua VM lazily): kept as they are and written back on save, so nothing is lost.
   */
  pendingFunctions: string[] = [];
  /** What the last load at start found (loadAtStartup). */
  lastLoadReport: LoadReport | null = null;
  /** The crash or restart before this server started: what it found of the old one's writes. */
  lastAccount: DurabilityAccount | null = null;
  /** Recent server log lines (the panel's log; the Node server prints them as they come). */
  readonly logLines: (LogLine & { at: number })[] = [];
  /** Every acknowledged write and where it landed (the persistence panel's crash account); a no-op when off. */
  readonly journal: WriteJournal;
  private unsubscribeDisk: () => void;

  constructor(
    readonly engine: Engine,
    opts: PersistenceOptions = {},
  ) {
    this.disk = opts.disk ?? new VirtualDisk(new MemoryStorage(), engine.clock);
    this.pid = opts.pid ?? 1;
    this.journal = new WriteJournal(opts.journal ?? false);
    this.nextChildPid = this.pid + 1;
    this.lastsave = this.unixtime();
    this.aof = new Aof(this);
    engine.diskError = () => this.diskError();
    this.unsubscribeDisk = this.disk.on((e: DiskEvent) => {
      this.journal.onDisk(e);
      engine.emit(e);
    });
  }

  // ---- host helpers ------------------------------------------------------------------------------

  unixtime(): number {
    return Math.floor(this.engine.clock.now() / 1000);
  }

  dir(): string {
    return this.engine.config.get('dir');
  }

  rdbPath(): string {
    return joinPath(this.dir(), this.engine.config.get('dbfilename'));
  }

  usedMemory(): number {
    return usedMemory(this.engine);
  }

  /** serverLog: kept for the panel and emitted for hosts that print it. */
  log(level: LogLine['level'], text: string): void {
    const at = this.engine.clock.now();
    this.logLines.push({ level, text, at });
    if (this.logLines.length > LOG_KEEP) this.logLines.splice(0, this.logLines.length - LOG_KEEP);
    this.engine.emit({ type: 'log', level, text, at });
  }

  childKind(): 'rdb' | 'aof' | null {
    return this.child?.kind ?? null;
  }

  saveParams(): [number, number][] {
    const parts = this.engine.config
      .get('save')
      .split(' ')
      .filter((x) => x !== '');
    const out: [number, number][] = [];
    for (let i = 0; i + 1 < parts.length; i += 2) out.push([Number(parts[i]), Number(parts[i + 1])]);
    return out;
  }

  /** Stop listening to the disk (the engine is gone: crash or shutdown). */
  detach(): void {
    this.unsubscribeDisk();
  }

  // ---- the panel's journal and events -------------------------------------------------------

  aofAppended(path: string, end: number, seqs: readonly number[], bytes: number): void {
    this.journal.aofWritten(path, end, seqs);
    if (!this.engine.wants('persist')) return;
    const commands = this.journal.commands(seqs.slice(-MAX_EVENT_COMMANDS));
    this.engine.emit({
      type: 'persist',
      op: 'aof-append',
      path,
      commands,
      more: Math.max(0, seqs.length - commands.length),
      bytes,
      size: end,
      durable: this.disk.storage.size(path) ?? 0,
      at: this.engine.clock.now(),
    });
  }

  manifestSaved(m: AofManifest): void {
    if (!this.engine.wants('persist')) return;
    this.engine.emit({
      type: 'persist',
      op: 'manifest',
      base: m.base?.name ?? null,
      incrs: m.incrs.map((i) => i.name),
      history: m.history.map((h) => h.name),
      at: this.engine.clock.now(),
    });
  }

  baseInstalled(path: string): void {
    this.snapshotWritten('aof-base', path);
  }

  private snapshotWritten(kind: 'rdb' | 'aof-base', path: string): void {
    if (!this.engine.wants('persist')) return;
    const at = this.engine.clock.now();
    this.engine.emit({ type: 'persist', op: 'snapshot', kind, path, bytes: this.disk.size(path) ?? 0, at });
  }

  // ---- function libraries (the RDB's FUNCTION2 records) ------------------------------------------

  /** Every library's code, as rdbSaveFunctions writes them. */
  get functions(): string[] {
    const st = scripting(this.engine);
    return [...[...st.lib.libraries.values()].map((l) => l.code), ...this.pendingFunctions];
  }

  /** rdbFunctionLoad's functionsCreateWithLibraryCtx: null, or the error (the load then fails). */
  loadFunction(code: string, replace: boolean): string | null {
    const st = scripting(this.engine);
    try {
      createLibrary(st, st.lib, code, replace, 0);
      return null;
    } catch (err) {
      if (!(err instanceof ReplyError)) throw err;
      if (err.reply === E.LAB_SCRIPTING_LOADING) {
        this.pendingFunctions.push(code);
        return null;
      }
      return err.reply.replace(/^ERR /, '');
    }
  }

  /** emptyData without EMPTYDB_NOFUNCTIONS (DEBUG RELOAD): every library goes. */
  clearFunctions(): void {
    const st = scripting(this.engine);
    for (const lib of st.lib.libraries.values()) freeLibrary(st, lib);
    st.lib = new LibraryContext();
    this.pendingFunctions = [];
  }

  // ---- children ----------------------------------------------------------------------------------

  /** redisFork: the snapshot is taken now (as fork's copy-on-write image); returns the child's pid. */
  private fork(
    kind: 'rdb' | 'aof',
    snapshot: () => string,
    tmpName: (pid: number) => string,
  ): Child & { data: string } {
    const t0 = perf.now();
    const data = snapshot();
    this.latestForkUsec = Math.round((perf.now() - t0) * 1000);
    this.totalForks++;
    const pid = this.nextChildPid++;
    const now = this.engine.clock.now();
    if (this.engine.wants('persist')) this.engine.emit({ type: 'persist', op: 'fork', child: kind, pid, at: now });
    const tmp = joinPath(this.dir(), tmpName(pid));
    return {
      kind,
      pid,
      startedAt: now,
      doneAt: now + Math.max(1, Math.ceil(data.length / CHILD_BYTES_PER_MS)),
      finish: () => {},
      temps: [tmp],
      data,
    };
  }

  forkAofChild(snapshot: () => string, done: (tmpBg: string) => void): number | null {
    if (this.child !== null) return null;
    const c = this.fork('aof', snapshot, (pid) => `temp-rewriteaof-${pid}.aof`);
    const tmp = c.temps[0];
    const tmpBg = joinPath(this.dir(), `temp-rewriteaof-bg-${c.pid}.aof`);
    c.temps.push(tmpBg);
    this.disk.write(tmp, toBytes(c.data));
    this.journal.snapshotTaken(tmp, c.startedAt);
    c.finish = () => {
      // The child: fsync, rename to the name the parent expects, exit 0.
      try {
        this.disk.fsync(tmp);
        this.disk.rename(tmp, tmpBg);
      } catch (err) {
        // The child's write failed (a full browser quota): it exits 1 and the rewrite fails.
        this.log('#', `Write error writing append only file on disk: ${strerror(err)}`);
        for (const t of c.temps) this.removeTemp(t);
        this.log('#', 'Background AOF rewrite terminated with error');
        this.aof.rewriteAborted(false);
        return;
      }
      this.log('*', `Successfully created the temporary AOF base file temp-rewriteaof-bg-${c.pid}.aof`);
      done(tmpBg);
    };
    this.child = c;
    return c.pid;
  }

  killAofChild(): void {
    const c = this.child;
    if (c === null || c.kind !== 'aof') return;
    this.log('*', `Killing running AOF rewrite child: ${c.pid}`);
    for (const t of c.temps) if (this.disk.exists(t)) this.disk.unlink(t);
    this.child = null;
  }

  /** killRDBChild: the child dies by SIGUSR1, its temp file is removed. */
  killRdbChild(): void {
    const c = this.child;
    if (c === null || c.kind !== 'rdb') return;
    this.child = null;
    this.log('#', 'Background saving terminated by signal 10');
    for (const t of c.temps) if (this.disk.exists(t)) this.disk.unlink(t);
    this.rdbSaveTimeLast = this.unixtime() - this.rdbSaveTimeStart;
    this.rdbSaveTimeStart = -1;
  }

  /** checkChildrenDone */
  private checkChildDone(): void {
    const c = this.child;
    if (c === null || this.engine.clock.now() < c.doneAt) return;
    this.child = null;
    c.finish();
  }

  // ---- RDB ---------------------------------------------------------------------------------------

  private snapshot(aofBase = false): string {
    return snapshotRdb(this.engine, this.functions, aofBase);
  }

  /** rdbSave: temp-<pid>.rdb written, fsynced, renamed over dbfilename. */
  rdbSave(pid = this.pid, data: string | Uint8Array = snapshotRdbBytes(this.engine, this.functions)): boolean {
    const tmp = joinPath(this.dir(), `temp-${pid}.rdb`);
    let op = 'write';
    try {
      this.disk.write(tmp, typeof data === 'string' ? toBytes(data) : data);
      this.journal.snapshotTaken(tmp, this.engine.clock.now());
      op = 'fsync';
      this.disk.fsync(tmp);
      op = 'rename';
      this.disk.rename(tmp, this.rdbPath());
      this.snapshotWritten('rdb', this.rdbPath());
    } catch (err) {
      this.log('#', `Write error saving DB on disk(${op}): ${strerror(err)}`);
      this.removeTemp(tmp);
      return false;
    }
    this.log('*', 'DB saved on disk');
    this.engine.dirty = 0;
    this.lastsave = this.unixtime();
    this.lastbgsaveStatus = 'ok';
    return true;
  }

  /** unlink a temp file after a failed save; a storage too broken to unlink it leaves it behind. */
  private removeTemp(path: string): void {
    try {
      if (this.disk.exists(path)) this.disk.unlink(path);
    } catch {
      // The next start frees files the index does not name (storage/opfs.ts) or finds them stale.
    }
  }

  /**
   * writeCommandsDeniedByDiskError + writeCommandsGetDiskErrorMessage: the MISCONF error writes get
   * while the last BGSAVE failed (stop-writes-on-bgsave-error, save points set) or the AOF cannot be
   * written or fsynced; null when writes are accepted.
   */
  diskError(): string | null {
    if (
      this.lastbgsaveStatus === 'err' &&
      this.engine.config.getBool('stop-writes-on-bgsave-error') &&
      this.saveParams().length > 0
    ) {
      return E.MISCONF_RDB;
    }
    const aof = this.aof;
    if (aof.state !== 'off') {
      if (aof.lastWriteStatus === 'err') return misconfAof(aof.lastWriteErrno);
      if (aof.fsyncStatus === 'err') return misconfAof(aof.fsyncErrno);
    }
    return null;
  }

  /** rdbSaveBackground: false when a child is already running. */
  bgsave(): boolean {
    if (this.child !== null) return false;
    this.rdbSaves++;
    this.dirtyBeforeBgsave = this.engine.dirty;
    this.lastbgsaveTry = this.unixtime();
    const c = this.fork(
      'rdb',
      () => this.snapshot(),
      (pid) => `temp-${pid}.rdb`,
    );
    const tmp = c.temps[0];
    this.disk.write(tmp, toBytes(c.data));
    this.journal.snapshotTaken(tmp, c.startedAt);
    c.finish = () => {
      // The child's rdbSave (fsync + rename), then backgroundSaveDoneHandlerDisk in the parent.
      try {
        this.disk.fsync(tmp);
        this.disk.rename(tmp, this.rdbPath());
      } catch (err) {
        // The child's rdbSave failed: it exits 1, the parent records the error (MISCONF on writes).
        this.log('#', `Write error saving DB on disk(fsync): ${strerror(err)}`);
        this.removeTemp(tmp);
        this.log('#', 'Background saving error');
        this.lastbgsaveStatus = 'err';
        this.rdbSaveTimeLast = this.unixtime() - this.rdbSaveTimeStart;
        this.rdbSaveTimeStart = -1;
        return;
      }
      this.snapshotWritten('rdb', this.rdbPath());
      this.log('*', 'DB saved on disk');
      this.log('*', 'Background saving terminated with success');
      this.engine.dirty -= this.dirtyBeforeBgsave;
      this.lastsave = this.unixtime();
      this.lastbgsaveStatus = 'ok';
      this.rdbSaveTimeLast = this.unixtime() - this.rdbSaveTimeStart;
      this.rdbSaveTimeStart = -1;
    };
    this.child = c;
    this.log('*', `Background saving started by pid ${c.pid}`);
    this.rdbSaveTimeStart = this.unixtime();
    return true;
  }

  /** FLUSHALL (flushAllDataAndResetRDB): kill a BGSAVE; save the empty dataset (dirty 0) if save points are set. */
  onFlushAll(): void {
    this.killRdbChild();
    if (this.saveParams().length > 0) this.rdbSave();
    // Even with dirty reset by the save, FLUSHALL reaches the AOF and replicas.
    this.engine.forcePropagation();
  }

  // ---- cron --------------------------------------------------------------------------------------

  /** The persistence half of serverCron (plus beforeSleep's AOF flush and the OS writeback). */
  cron(): void {
    const unix = this.unixtime();
    if (this.child === null && this.aof.rewriteScheduled) this.aof.rewriteBackground();
    if (this.child !== null) {
      this.checkChildDone();
    } else {
      for (const [seconds, changes] of this.saveParams()) {
        if (
          this.engine.dirty >= changes &&
          unix - this.lastsave > seconds &&
          (unix - this.lastbgsaveTry > BGSAVE_RETRY_DELAY || this.lastbgsaveStatus === 'ok')
        ) {
          this.log('*', `${changes} changes in ${seconds} seconds. Saving...`);
          this.bgsave();
          break;
        }
      }
      const growth = this.aof.autoRewriteDue();
      if (growth !== null) {
        this.log('*', `Starting automatic rewriting of AOF on ${growth}% growth`);
        this.aof.rewriteBackground();
      }
    }
    this.aof.cron();
    if (
      this.child === null &&
      this.bgsaveScheduled &&
      (unix - this.lastbgsaveTry > BGSAVE_RETRY_DELAY || this.lastbgsaveStatus === 'ok')
    ) {
      if (this.bgsave()) this.bgsaveScheduled = false;
    }
    this.disk.tick(this.engine.clock.now());
  }

  /** A crash: the child dies with the process; report what the disk lost. */
  crash(kind: 'kill' | 'power'): CrashReport {
    this.child = null;
    const report = this.disk.crash(kind);
    this.detach();
    return report;
  }
}
