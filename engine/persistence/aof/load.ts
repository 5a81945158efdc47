// Loading the AOF as Redis 7.0 does (src/aof.c loadAppendOnlyFiles / loadSingleAppendOnlyFile): the
// legacy appendonly.aof migrated into appenddirname, the base file (RDB preamble or RESP) then each incr
// file replayed through a fake client, MULTI/EXEC applied whole, "#" annotations skipped; a truncated
// last file loaded up to its last whole command and truncated on disk (aof-load-truncated), anything
// else refused with Redis's exact messages.

import { Client } from '../../client';
import type { Engine } from '../../engine';
import { STRERROR } from '../../errors';
import { ReplyError } from '../../protocol/reply';
import { fromBytes } from '../../protocol/binary';
import type { VirtualDisk } from '../disk';
import type { RdbLoadResult } from '../rdb/decode';
import { loadRdbIntoEngine } from '../rdb/engine-io';
import { RdbLoadError } from '../rdb/format';
import { joinPath } from '../storage/types';
import type { Aof } from './aof';
import type { AofManifest } from './manifest';
import { readAofCommands } from './resp';

export type AofStatus = 'ok' | 'not_exist' | 'empty' | 'open_err' | 'failed' | 'truncated';

export interface AofLoadHost {
  readonly engine: Engine;
  readonly disk: VirtualDisk;
  readonly aof: Aof;
  log(level: '#' | '*', text: string): void;
  dir(): string;
  /** An RDB part was loaded (its key counts). */
  rdbLoaded(res: RdbLoadResult): void;
  /** A function library in an RDB preamble (null, or the error that fails the load). */
  loadFunction(code: string): string | null;
}

/** Per-file outcome, for the load report. */
export interface AofFileLoad {
  name: string;
  status: AofStatus;
  commands: number;
  /** Bytes cut off a truncated file. */
  truncatedBytes: number;
}

const perf = globalThis.performance;
const seconds = (start: number) => ((perf.now() - start) / 1000).toFixed(3);

/** createAOFClient: a client no one sees (not in CLIENT LIST, never blocked, replies discarded). */
function aofClient(engine: Engine): Client {
  return new Client(engine, Number.MAX_SAFE_INTEGER, { addr: '', fd: -1 });
}

/** lookupCommand(argv): the command or its subcommand; undefined when unknown. */
function lookup(engine: Engine, argv: string[]) {
  const cmd = engine.table.lookup(argv[0]);
  if (cmd === undefined || !cmd.subcommands || argv.length === 1) return cmd;
  return cmd.subcommands.get(argv[1].toLowerCase());
}

/** Run a command's handler as cmd->proc(fakeClient) does: no reply, errors ignored. */
function run(c: Client, argv: string[]): void {
  const cmd = lookup(c.engine, argv);
  try {
    cmd?.exec?.(c, argv);
  } catch (err) {
    if (!(err instanceof ReplyError)) throw err;
  }
}

/** loadSingleAppendOnlyFile */
export function loadSingleAof(h: AofLoadHost, name: string, files: AofFileLoad[]): AofStatus {
  const { engine, disk, aof } = h;
  const path = aof.path(name);
  const entry: AofFileLoad = { name, status: 'ok', commands: 0, truncatedBytes: 0 };
  files.push(entry);
  const bytes = disk.read(path);
  if (bytes === null) {
    h.log('#', `The append log file ${name} doesn't exist: ${STRERROR.ENOENT}`);
    return (entry.status = 'not_exist');
  }
  if (bytes.length === 0) return (entry.status = 'empty');
  const data = fromBytes(bytes);
  let start = 0;
  if (data.startsWith('REDIS')) {
    const oldStyle = name === aof.filename;
    h.log('*', oldStyle ? 'Reading RDB preamble from AOF file...' : 'Reading RDB base file on AOF loading...');
    try {
      const res = loadRdbIntoEngine(engine, data, { aofPreamble: true, onFunction: (code) => h.loadFunction(code) });
      for (const l of res.log) h.log(l.level === '#' ? '#' : '*', l.text);
      h.rdbLoaded(res);
      start = res.end;
    } catch (err) {
      if (!(err instanceof RdbLoadError)) throw err;
      for (const l of err.allLines()) h.log(l.level === '#' ? '#' : '*', l.text);
      h.log(
        '#',
        oldStyle
          ? `Error reading the RDB preamble of the AOF file ${name}, AOF loading aborted`
          : `Error reading the RDB base file ${name}, AOF loading aborted`,
      );
      return (entry.status = 'failed');
    }
    if (oldStyle) h.log('*', 'Reading the remaining AOF tail...');
  }
  const truncatedOk = engine.config.getBool('aof-load-truncated');
  const client = aofClient(engine);
  let validUpTo = 0;
  let validBeforeMulti = 0;
  let multi: string[][] | null = null;
  let unknown: string | null = null;
  const wasLoading = engine.loading;
  engine.loading = true;
  let stop: ReturnType<typeof readAofCommands>;
  try {
    stop = readAofCommands(data, start, (argv, end) => {
      if (lookup(engine, argv) === undefined) {
        unknown = argv[0];
        return false;
      }
      const name0 = argv[0].toLowerCase();
      if (name0 === 'multi') {
        validBeforeMulti = validUpTo;
        multi = [];
      } else if (name0 === 'exec' && multi !== null) {
        for (const queued of multi) run(client, queued);
        multi = null;
      } else if (multi !== null) multi.push(argv);
      else run(client, argv);
      entry.commands++;
      if (truncatedOk) validUpTo = end;
    });
  } finally {
    engine.loading = wasLoading;
  }
  if (unknown !== null) {
    h.log('#', `Unknown command '${unknown}' reading the append only file ${name}`);
    return (entry.status = 'failed');
  }
  if (stop.kind === 'format') {
    h.log(
      '#',
      `Bad file format reading the append only file ${name}: make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>`,
    );
    return (entry.status = 'failed');
  }
  if (stop.kind === 'eof' && multi === null) return entry.status;
  if (stop.kind === 'eof') {
    h.log('#', `Revert incomplete MULTI/EXEC transaction in AOF file ${name}`);
    validUpTo = validBeforeMulti;
  }
  // uxeof: the tail is not whole.
  if (truncatedOk) {
    h.log('#', `!!! Warning: short read while loading the AOF file ${name}!!!`);
    h.log('#', `!!! Truncating the AOF ${name} at offset ${validUpTo} !!!`);
    entry.truncatedBytes = data.length - validUpTo;
    disk.truncate(path, validUpTo);
    h.log('#', `AOF ${name} loaded anyway because aof-load-truncated is enabled`);
    return (entry.status = 'truncated');
  }
  h.log(
    '#',
    `Unexpected end of file reading the append only file ${name}. You can: 1) Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. 2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server.`,
  );
  return (entry.status = 'failed');
}

/** aofUpgradePrepare: move a legacy appendonly.aof into the AOF directory as the base. */
function upgradePrepare(h: AofLoadHost, m: AofManifest): void {
  const { disk, aof } = h;
  disk.mkdir(aof.dirPath());
  m.base = { name: aof.filename, seq: 1, type: 'b' };
  m.baseSeq = 1;
  m.dirty = true;
  aof.persistManifest(m);
  disk.rename(joinPath(h.dir(), aof.filename), aof.path(aof.filename));
  h.log(
    '*',
    `Successfully migrated an old-style AOF file (${aof.filename}) into the AOF directory (${h.engine.config.get('appenddirname')}).`,
  );
}

/** loadAppendOnlyFiles */
export function loadAofFiles(h: AofLoadHost, files: AofFileLoad[]): AofStatus {
  const { disk, aof } = h;
  const m = aof.manifest;
  if (disk.exists(joinPath(h.dir(), aof.filename))) {
    const noFiles = m.base === null && m.incrs.length === 0;
    const legacyBase =
      m.base !== null && m.incrs.length === 0 && m.base.name === aof.filename && !disk.exists(aof.path(aof.filename));
    if (!disk.isDir(aof.dirPath()) || noFiles || legacyBase) upgradePrepare(h, m);
  }
  if (m.base === null && m.incrs.length === 0) return 'not_exist';
  const all = [...(m.base ? [m.base] : []), ...m.incrs];
  let total = 0;
  for (const ai of all) {
    const size = disk.size(aof.path(ai.name));
    if (size === null) {
      h.log('#', `Unable to obtain the AOF file ${ai.name} length. stat: ${STRERROR.ENOENT}`);
      return 'failed';
    }
    total += size;
  }
  if (total === 0) return 'empty';
  let baseSize = 0;
  let ret: AofStatus = 'ok';
  for (let i = 0; i < all.length; i++) {
    const ai = all[i];
    const isBase = ai === m.base;
    const last = i === all.length - 1;
    if (isBase) baseSize = disk.size(aof.path(ai.name)) ?? 0;
    const t0 = perf.now();
    ret = loadSingleAof(h, ai.name, files);
    if (ret === 'ok' || (ret === 'truncated' && last))
      h.log('*', `DB loaded from ${isBase ? 'base' : 'incr'} file ${ai.name}: ${seconds(t0)} seconds`);
    if (!isBase && ret === 'empty') ret = 'ok';
    if (ret === 'truncated' && !last) {
      h.log('#', 'Fatal error: the truncated file is not the last file');
      return 'failed';
    }
    if (ret === 'open_err' || ret === 'failed' || ret === 'not_exist') return ret === 'not_exist' ? 'failed' : ret;
  }
  aof.currentSize = total;
  aof.rewriteBaseSize = baseSize;
  return ret;
}
