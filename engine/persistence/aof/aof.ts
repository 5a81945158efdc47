// Redis 7.0's multi-part AOF writer (src/aof.c): the aof_buf fed by propagated commands (with SELECT
// and optional #TS: annotations), flushAppendOnlyFile's write + fsync policy (always: fsync before the
// reply; everysec: a background fsync when the second changes; no: the OS writes back), the incr file and
// manifest handling of start/stop (CONFIG SET appendonly), BGREWRITEAOF (new base + new incr, manifest
// swap, history deletion) and the base/incr files opened at server start.

import type { Engine } from '../../engine';
import { toBytes } from '../../protocol/binary';
import type { VirtualDisk } from '../disk';
import { encodeRdb } from '../rdb/encode';
import { strerror } from '../storage/errors';
import { joinPath } from '../storage/types';
import {
  type AofManifest,
  cloneManifest,
  emptyManifest,
  formatManifest,
  lastIncrName,
  markIncrsAsHistory,
  newBaseName,
  newIncrName,
} from './manifest';
import { catCommand } from './resp';
import { rewriteResp } from './rewrite';

export type AofState = 'off' | 'on' | 'wait_rewrite';

/** What the AOF needs from the persistence hub (persistence.ts). */
export interface AofHost {
  readonly engine: Engine;
  readonly disk: VirtualDisk;
  /** The server's process id (temp file names). */
  readonly pid: number;
  readonly functions: readonly string[];
  log(level: '#' | '*', text: string): void;
  unixtime(): number;
  /** The server's directory (config `dir`). */
  dir(): string;
  /**
   * Fork a child for an AOF rewrite: it writes `snapshot()` to temp-rewriteaof-<pid>.aof and, when it
   * finishes, renames it to temp-rewriteaof-bg-<pid>.aof and calls `done` with that path. Returns the
   * child's pid, or null when another child is active.
   */
  forkAofChild(snapshot: () => string, done: (tmpBg: string) => void): number | null;
  childKind(): 'rdb' | 'aof' | null;
  killAofChild(): void;
  usedMemory(): number;
  /** The writes `seqs` (journal.ts) were written to `path`, now `end` bytes long (the panel's account). */
  aofAppended?(path: string, end: number, seqs: readonly number[], bytes: number): void;
  /** A manifest was persisted (the panel's timeline shows the swap). */
  manifestSaved?(m: AofManifest): void;
  /** A rewrite's new base file is in place. */
  baseInstalled?(path: string): void;
}

export class Aof {
  state: AofState = 'off';
  manifest: AofManifest = emptyManifest();
  /** The open incr file's path (server.aof_fd), or null. */
  fd: string | null = null;
  selectedDb = -1;
  private buf: string[] = [];
  private bufLen = 0;
  /** The journal seq of each buffered write (0: none), for aofAppended. */
  private bufSeqs: number[] = [];
  currentSize = 0;
  lastIncrSize = 0;
  lastIncrFsyncOffset = 0;
  rewriteBaseSize = 0;
  lastFsync = 0;
  private curTimestamp = 0;
  lastWriteStatus: 'ok' | 'err' = 'ok';
  /** strerror(aof_last_write_errno), for the MISCONF reply. */
  lastWriteErrno = '';
  /** aof_bio_fsync_status / aof_bio_fsync_errno: the last fsync of the AOF failed. */
  fsyncStatus: 'ok' | 'err' = 'ok';
  fsyncErrno = '';
  lastBgrewriteStatus: 'ok' | 'err' = 'ok';
  rewriteScheduled = false;
  rewrites = 0;
  consecutiveFailures = 0;
  rewriteTimeLast = -1;
  rewriteTimeStart = -1;
  delayedFsync = 0;
  /** A MULTI ... EXEC batch is being propagated: write it in one go, at EXEC. */
  private inBatch = false;
  /**
   * Set by the TCP server, which writes replies once per event-loop turn as Redis does: propagated
   * writes then wait in aof_buf for flushBeforeSleep, so one write (and, under always, one fsync)
   * covers every command of the turn, before any of their replies goes out.
   */
  deferFlush = false;

  constructor(private readonly host: AofHost) {
    // initServer: aof_last_fsync = time(NULL).
    this.lastFsync = host.unixtime();
  }

  private get config() {
    return this.host.engine.config;
  }

  get filename(): string {
    return this.config.get('appendfilename');
  }

  dirPath(): string {
    return joinPath(this.host.dir(), this.config.get('appenddirname'));
  }

  path(name: string): string {
    return joinPath(this.dirPath(), name);
  }

  get bufferLength(): number {
    return this.bufLen;
  }

  // ---- feeding and flushing ------------------------------------------------------------------

  /** feedAppendOnlyFile (`seq`: the write's number in the lab's journal, 0 when none). */
  feed(db: number, argv: readonly string[], seq = 0): void {
    let s = '';
    if (this.config.getBool('aof-timestamp-enabled')) {
      const now = this.host.unixtime();
      if (this.curTimestamp < now) {
        this.curTimestamp = now;
        s += `#TS:${now}\r\n`;
      }
    }
    if (db !== this.selectedDb) {
      s += catCommand(['SELECT', String(db)]);
      this.selectedDb = db;
    }
    s += catCommand(argv);
    if (this.state === 'on' || (this.state === 'wait_rewrite' && this.host.childKind() === 'aof')) {
      this.buf.push(s);
      this.bufLen += s.length;
      if (seq > 0) this.bufSeqs.push(seq);
    }
  }

  /** A propagated command: buffered, and written at the end of its batch (before the reply goes out). */
  onPropagate(db: number, argv: readonly string[], seq = 0): void {
    if (this.state === 'off') return;
    this.feed(db, argv, seq);
    const name = argv[0].toUpperCase();
    if (name === 'MULTI') this.inBatch = true;
    else if (name === 'EXEC') this.inBatch = false;
    if (!this.inBatch && !this.deferFlush) this.flush(false);
  }

  /** beforeSleep's flushAppendOnlyFile(0): called before the replies of an event-loop turn are written. */
  flushBeforeSleep(): void {
    if (this.state !== 'off' && this.bufLen > 0) this.flush(false);
  }

  private fsyncPolicy(): string {
    return this.config.get('appendfsync');
  }

  /** flushAppendOnlyFile */
  flush(force: boolean): void {
    void force; // LAB: fsync is instantaneous here, so a write is never postponed behind a pending fsync.
    const disk = this.host.disk;
    const policy = this.fsyncPolicy();
    if (this.bufLen === 0) {
      if (
        policy === 'everysec' &&
        this.lastIncrFsyncOffset !== this.lastIncrSize &&
        this.host.unixtime() > this.lastFsync
      ) {
        this.tryFsync();
      } else if (
        policy === 'always' &&
        this.lastIncrFsyncOffset !== this.lastIncrSize &&
        (this.fsyncStatus === 'ok' || this.host.unixtime() > this.lastFsync)
      ) {
        this.tryFsync();
      }
      return;
    }
    if (this.fd === null) return;
    const data = this.buf.join('');
    const seqs = this.bufSeqs;
    this.buf = [];
    this.bufLen = 0;
    this.bufSeqs = [];
    try {
      disk.append(this.fd, toBytes(data));
      this.host.aofAppended?.(this.fd, disk.size(this.fd) ?? 0, seqs, data.length);
    } catch (err) {
      this.host.log('#', `Error writing to the AOF file: ${strerror(err)}`);
      this.lastWriteStatus = 'err';
      this.lastWriteErrno = strerror(err);
      this.buf = [data];
      this.bufLen = data.length;
      this.bufSeqs = seqs;
      return;
    }
    if (this.lastWriteStatus === 'err') {
      this.host.log('#', 'AOF write error looks solved, Redis can write again.');
      this.lastWriteStatus = 'ok';
    }
    this.currentSize += data.length;
    this.lastIncrSize += data.length;
    this.tryFsync();
  }

  private tryFsync(): void {
    if (this.config.getBool('no-appendfsync-on-rewrite') && this.host.childKind() !== null) return;
    if (this.fd === null) return;
    const policy = this.fsyncPolicy();
    const now = this.host.unixtime();
    if (policy === 'always') {
      this.fsyncIncr(this.fd, now, true);
    } else if (policy === 'everysec' && now > this.lastFsync) {
      // aof_background_fsync: done by a bio thread; modelled as completing at once.
      this.fsyncIncr(this.fd, now, false);
    }
  }

  /** fsync the incr file; a failure (a full browser quota) sets aof_bio_fsync_status: writes get MISCONF. */
  private fsyncIncr(fd: string, now: number, always: boolean): void {
    this.lastFsync = now;
    try {
      // everysec: aof_background_fsync, off the event loop on real files (a bio thread in Redis).
      if (always) this.host.disk.fsync(fd);
      else this.host.disk.fsyncBackground(fd);
    } catch (err) {
      const reason = strerror(err);
      if (always) {
        // LAB: Redis logs this and exit(1)s, losing the dataset in memory; the lab keeps serving
        // it and refuses writes, as Redis does after a failed background fsync (everysec).
        this.host.log('#', `Can't persist AOF for fsync error when the AOF fsync policy is 'always': ${reason}.`);
      } else if (this.fsyncStatus === 'ok') this.host.log('#', `Fail to fsync the AOF file: ${reason}`);
      this.fsyncStatus = 'err';
      this.fsyncErrno = reason;
      // LAB: lastIncrFsyncOffset stays behind, so the fsync is retried once a second and the error
      // clears once the storage has room again (Redis waits for a later write).
      return;
    }
    this.fsyncStatus = 'ok';
    this.lastIncrFsyncOffset = this.lastIncrSize;
  }

  /** serverCron/beforeSleep: write what is buffered, fsync once a second under everysec. */
  cron(): void {
    if (this.state === 'on' || this.state === 'wait_rewrite') this.flush(false);
  }

  // ---- manifest ------------------------------------------------------------------------------

  /** writeAofManifestFile + persistAofManifest: temp file, fsync, rename. */
  persistManifest(m: AofManifest): boolean {
    if (!m.dirty) return true;
    const disk = this.host.disk;
    const tmp = this.path(`temp-${this.filename}.manifest`);
    const tmpName = `temp-${this.filename}.manifest`;
    let failed = (e: unknown) => `Can't open the AOF manifest file ${tmpName}: ${strerror(e)}`;
    try {
      disk.write(tmp, toBytes(formatManifest(m)));
      failed = (e) => `Fail to fsync the temp AOF file ${tmpName}: ${strerror(e)}.`;
      disk.fsync(tmp);
      failed = (e) =>
        `Error trying to rename the temporary AOF manifest file ${tmpName} into ${this.filename}.manifest: ${strerror(e)}`;
      disk.rename(tmp, this.path(`${this.filename}.manifest`));
    } catch (err) {
      this.host.log('#', failed(err));
      return false;
    }
    m.dirty = false;
    this.host.manifestSaved?.(m);
    return true;
  }

  /** aofDelHistoryFiles */
  deleteHistory(): boolean {
    const m = this.manifest;
    if (this.config.getBool('aof-disable-auto-gc') || m.history.length === 0) return true;
    for (const h of m.history) {
      this.host.log('*', `Removing the history file ${h.name} in the background`);
      this.host.disk.unlink(this.path(h.name));
    }
    m.history = [];
    m.dirty = true;
    return this.persistManifest(m);
  }

  // ---- start / stop --------------------------------------------------------------------------

  /** startAppendOnly (CONFIG SET appendonly yes): false when the rewrite could not start. */
  start(): boolean {
    this.state = 'wait_rewrite';
    const child = this.host.childKind();
    if (child !== null && child !== 'aof') {
      this.rewriteScheduled = true;
      this.host.log(
        '#',
        'AOF was enabled but there is already another background operation. An AOF background was scheduled to start when possible.',
      );
    } else {
      if (child === 'aof') {
        this.host.log(
          '#',
          'AOF was enabled but there is already an AOF rewriting in background. Stopping background AOF and starting a rewrite now.',
        );
        this.killChild();
      }
      if (!this.rewriteBackground()) {
        this.state = 'off';
        this.host.log(
          '#',
          "Redis needs to enable the AOF but can't trigger a background AOF rewrite operation. Check the above logs for more info about the error.",
        );
        return false;
      }
    }
    this.lastFsync = this.host.unixtime();
    if (this.fsyncStatus === 'err') {
      this.host.log('#', 'AOF reopen, just ignore the AOF fsync error in bio job');
      this.fsyncStatus = 'ok';
    }
    if (this.lastWriteStatus === 'err') {
      this.host.log('#', 'AOF reopen, just ignore the last error.');
      this.lastWriteStatus = 'ok';
    }
    return true;
  }

  /** stopAppendOnly (CONFIG SET appendonly no) */
  stop(): void {
    this.flush(true);
    if (this.fd !== null) {
      try {
        this.host.disk.fsync(this.fd);
        this.lastFsync = this.host.unixtime();
      } catch (err) {
        this.host.log('#', `Fail to fsync the AOF file: ${strerror(err)}`);
      }
    }
    this.fd = null;
    this.selectedDb = -1;
    this.state = 'off';
    this.rewriteScheduled = false;
    this.lastIncrSize = 0;
    this.lastIncrFsyncOffset = 0;
    this.killChild();
    this.buf = [];
    this.bufSeqs = [];
    this.bufLen = 0;
  }

  /** killAppendOnlyChild */
  killChild(): void {
    if (this.host.childKind() !== 'aof') return;
    this.host.killAofChild();
    this.rewriteTimeStart = -1;
  }

  /** aofOpenIfNeededOnServerStart: a base for an empty start, the last incr file opened, manifest persisted. */
  openOnServerStart(): void {
    if (this.state !== 'on') return;
    const disk = this.host.disk;
    disk.mkdir(this.dirPath());
    const hadIncr = this.manifest.incrs.length > 0;
    if (this.manifest.base === null && !hadIncr) {
      const base = newBaseName(this.manifest, this.filename, this.config.getBool('aof-use-rdb-preamble'));
      const tmp = joinPath(this.host.dir(), `temp-rewriteaof-${this.host.pid}.aof`);
      disk.write(tmp, toBytes(this.snapshot()));
      disk.fsync(tmp);
      disk.rename(tmp, this.path(base));
      this.host.log('*', `Creating AOF base file ${base} on server start`);
    }
    const name = lastIncrName(this.manifest, this.filename);
    this.fd = this.path(name);
    if (!disk.exists(this.fd)) disk.append(this.fd, new Uint8Array(0));
    this.persistManifest(this.manifest);
    this.lastIncrSize = disk.size(this.fd) ?? 0;
    this.lastIncrFsyncOffset = this.lastIncrSize;
    this.host.log('*', `${hadIncr ? 'Opening' : 'Creating'} AOF incr file ${name} on server start`);
  }

  // ---- rewrite ---------------------------------------------------------------------------------

  /** The rewrite's content: an RDB preamble (aof-base 1) or RESP commands. */
  snapshot(): string {
    const engine = this.host.engine;
    if (this.config.getBool('aof-use-rdb-preamble')) {
      return encodeRdb(engine, {
        compress: this.config.getBool('rdbcompression'),
        checksum: this.config.getBool('rdbchecksum'),
        aofBase: true,
        ctime: this.host.unixtime(),
        usedMem: () => this.host.usedMemory(),
        functions: this.host.functions,
      });
    }
    const ts = this.config.getBool('aof-timestamp-enabled') ? this.host.unixtime() : null;
    return rewriteResp(engine, this.host.functions, ts);
  }

  /** openNewIncrAofForAppend */
  private openNewIncr(): boolean {
    if (this.state === 'off') return true;
    const disk = this.host.disk;
    let temp: AofManifest | null = null;
    let name: string;
    if (this.state === 'wait_rewrite') name = `temp-${this.filename}.incr`;
    else {
      temp = cloneManifest(this.manifest);
      name = newIncrName(temp, this.filename);
    }
    disk.write(this.path(name), new Uint8Array(0));
    if (temp !== null && !this.persistManifest(temp)) return false;
    this.host.log('*', `Creating AOF incr file ${name} on background rewrite`);
    if (this.fd !== null) {
      // aof_background_fsync_and_close: a bio job whose failure nobody hears.
      try {
        disk.fsync(this.fd);
      } catch {
        // Ignored, as Redis ignores its background job's result.
      }
      this.lastFsync = this.host.unixtime();
    }
    this.fd = this.path(name);
    this.lastIncrSize = 0;
    this.lastIncrFsyncOffset = 0;
    if (temp !== null) this.manifest = temp;
    return true;
  }

  /** rewriteAppendOnlyFileBackground */
  rewriteBackground(): boolean {
    if (this.host.childKind() !== null) return false;
    this.host.disk.mkdir(this.dirPath());
    this.selectedDb = -1;
    this.flush(true);
    if (!this.openNewIncr()) {
      this.lastBgrewriteStatus = 'err';
      return false;
    }
    this.rewrites++;
    const pid = this.host.forkAofChild(
      () => this.snapshot(),
      (tmpBg) => this.rewriteDone(tmpBg),
    );
    if (pid === null) {
      this.lastBgrewriteStatus = 'err';
      return false;
    }
    this.host.log('*', `Background append only file rewriting started by pid ${pid}`);
    this.rewriteScheduled = false;
    this.rewriteTimeStart = this.host.unixtime();
    return true;
  }

  /** backgroundRewriteDoneHandler (success) */
  private rewriteDone(tmpBg: string): void {
    const disk = this.host.disk;
    this.host.log('*', 'Background AOF rewrite terminated with success');
    const temp = cloneManifest(this.manifest);
    const base = newBaseName(temp, this.filename, this.config.getBool('aof-use-rdb-preamble'));
    disk.rename(tmpBg, this.path(base));
    this.host.baseInstalled?.(this.path(base));
    this.host.log('*', `Successfully renamed the temporary AOF base file ${tmpBg.split('/').pop()} into ${base}`);
    if (this.state === 'wait_rewrite') {
      const tempIncr = `temp-${this.filename}.incr`;
      const incr = newIncrName(temp, this.filename);
      disk.rename(this.path(tempIncr), this.path(incr));
      if (this.fd === this.path(tempIncr)) this.fd = this.path(incr);
      this.host.log('*', `Successfully renamed the temporary AOF incr file ${tempIncr} into ${incr}`);
    }
    markIncrsAsHistory(temp, this.fd !== null);
    if (!this.persistManifest(temp)) {
      this.lastBgrewriteStatus = 'err';
      this.consecutiveFailures++;
      this.finishRewrite();
      return;
    }
    this.manifest = temp;
    if (this.state !== 'off') {
      this.currentSize = (disk.size(this.path(base)) ?? 0) + this.lastIncrSize;
      this.rewriteBaseSize = this.currentSize;
    }
    this.deleteHistory();
    this.lastBgrewriteStatus = 'ok';
    this.consecutiveFailures = 0;
    this.host.log('*', 'Background AOF rewrite finished successfully');
    if (this.state === 'wait_rewrite') this.state = 'on';
    this.finishRewrite();
  }

  private finishRewrite(): void {
    this.rewriteTimeLast = this.host.unixtime() - this.rewriteTimeStart;
    this.rewriteTimeStart = -1;
    if (this.state === 'wait_rewrite') this.rewriteScheduled = true;
  }

  /** A rewrite child that died (killed or crashed): the rewrite failed. */
  rewriteAborted(bySignal: boolean): void {
    if (!bySignal) {
      this.lastBgrewriteStatus = 'err';
      this.consecutiveFailures++;
    }
    if (this.state === 'wait_rewrite') {
      this.buf = [];
      this.bufSeqs = [];
      this.bufLen = 0;
      this.host.log('*', `Removing the temp incr aof file temp-${this.filename}.incr in the background`);
      this.host.disk.unlink(this.path(`temp-${this.filename}.incr`));
    }
    this.finishRewrite();
  }

  /** serverCron: an automatic rewrite once the AOF grew by auto-aof-rewrite-percentage. */
  autoRewriteDue(): number | null {
    if (this.state !== 'on' || this.host.childKind() !== null) return null;
    const perc = this.config.getInt('auto-aof-rewrite-percentage');
    if (perc === 0 || this.currentSize <= this.config.getInt('auto-aof-rewrite-min-size')) return null;
    const base = this.rewriteBaseSize || 1;
    const growth = Math.floor((this.currentSize * 100) / base) - 100;
    return growth >= perc ? growth : null;
  }
}
