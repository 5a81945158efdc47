// Persistence commands (src/rdb.c saveCommand/bgsaveCommand, aof.c bgrewriteaofCommand, db.c
// lastsaveCommand/shutdownCommand, debug.c DEBUG RELOAD): the replies and errors of Redis 7.0 over the
// engine's persistence (engine/persistence/), whose fork is modelled: BGSAVE snapshots the keyspace at
// once and its child finishes later in engine time.

import { type Client, NO_REPLY } from '../client';
import { E } from '../errors';
import { resetMemoryCounts } from '../keyspace/memory';
import { loadRdbIntoEngine } from '../persistence/rdb/engine-io';
import { RdbLoadError } from '../persistence/rdb/format';
import { persistenceOf, prepareForShutdown } from '../persistence/lifecycle';
import { fromBytes } from '../protocol/binary';
import { type Reply, OK, int, status } from '../protocol/reply';
import { fail, isCToken } from './args';
import { type CommandSpec, defineCommand, oneof, tok } from './define';

/** Inside EXEC (server.in_exec): background work is scheduled instead of started. */
const inExec = (c: Client): boolean => c.ext.denyBlocking === true;

/** SAVE */
export const SAVE = defineCommand({
  name: 'SAVE',
  group: 'server',
  arity: 1,
  flags: ['admin', 'noscript', 'no_async_loading', 'no_multi'],
  summary: 'Synchronously save the dataset to disk',
  complexity: 'O(N) where N is the total number of keys in all databases',
  since: '1.0.0',
  exec(c): Reply {
    const p = persistenceOf(c.engine);
    if (p.childKind() === 'rdb') fail(E.BGSAVE_IN_PROGRESS);
    p.rdbSaves++;
    if (!p.rdbSave()) fail(E.ERR);
    return OK;
  },
});

/** BGSAVE [SCHEDULE] */
export const BGSAVE = defineCommand({
  name: 'BGSAVE',
  group: 'server',
  arity: -1,
  flags: ['admin', 'noscript', 'no_async_loading'],
  args: [tok('SCHEDULE', { since: '3.2.2' })],
  summary: 'Asynchronously save the dataset to disk',
  complexity: 'O(1)',
  since: '1.0.0',
  history: [['3.2.2', 'Added the `SCHEDULE` option.']],
  exec(c, argv): Reply {
    let schedule = false;
    if (argv.length > 1) {
      if (argv.length === 2 && isCToken(argv[1], 'SCHEDULE')) schedule = true;
      else fail(E.SYNTAX);
    }
    const p = persistenceOf(c.engine);
    const child = p.childKind();
    if (child === 'rdb') fail(E.BGSAVE_IN_PROGRESS);
    if (child !== null || inExec(c)) {
      if (!schedule && !inExec(c)) fail(E.BGSAVE_CHILD_ACTIVE);
      p.bgsaveScheduled = true;
      return status('Background saving scheduled');
    }
    if (!p.bgsave()) fail(E.ERR);
    return status('Background saving started');
  },
});

/** BGREWRITEAOF */
export const BGREWRITEAOF = defineCommand({
  name: 'BGREWRITEAOF',
  group: 'server',
  arity: 1,
  flags: ['admin', 'noscript', 'no_async_loading'],
  summary: 'Asynchronously rewrite the append-only file',
  complexity: 'O(1)',
  since: '1.0.0',
  exec(c): Reply {
    const p = persistenceOf(c.engine);
    const child = p.childKind();
    if (child === 'aof') fail(E.BGREWRITEAOF_IN_PROGRESS);
    if (child !== null || inExec(c)) {
      p.aof.rewriteScheduled = true;
      p.aof.consecutiveFailures = 0;
      return status('Background append only file rewriting scheduled');
    }
    if (!p.aof.rewriteBackground()) fail(E.BGREWRITEAOF_FAILED);
    return status('Background append only file rewriting started');
  },
});

/** LASTSAVE */
export const LASTSAVE = defineCommand({
  name: 'LASTSAVE',
  group: 'server',
  arity: 1,
  flags: ['loading', 'stale', 'fast'],
  summary: 'Get the UNIX time stamp of the last successful save to disk',
  complexity: 'O(1)',
  since: '1.0.0',
  acl: ['admin', 'dangerous'],
  tips: ['nondeterministic_output'],
  exec: (c): Reply => int(persistenceOf(c.engine).lastsave),
});

/** SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT] */
export const SHUTDOWN = defineCommand({
  name: 'SHUTDOWN',
  group: 'server',
  arity: -1,
  flags: ['admin', 'noscript', 'loading', 'stale', 'no_multi', 'allow_busy'],
  args: [
    oneof('nosave_save', [tok('NOSAVE'), tok('SAVE')]),
    tok('NOW', { since: '7.0.0' }),
    tok('FORCE', { since: '7.0.0' }),
    tok('ABORT', { since: '7.0.0' }),
  ],
  summary: 'Synchronously save the dataset to disk and then shut down the server',
  complexity: 'O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)',
  since: '1.0.0',
  history: [['7.0.0', 'Added the `NOW`, `FORCE` and `ABORT` modifiers.']],
  exec(c, argv): Reply {
    const flags = { nosave: false, save: false, now: false, force: false };
    let abort = false;
    for (let i = 1; i < argv.length; i++) {
      const a = argv[i];
      if (isCToken(a, 'NOSAVE')) flags.nosave = true;
      else if (isCToken(a, 'SAVE')) flags.save = true;
      else if (isCToken(a, 'NOW')) flags.now = true;
      else if (isCToken(a, 'FORCE')) flags.force = true;
      else if (isCToken(a, 'ABORT')) abort = true;
      else fail(E.SYNTAX);
    }
    const any = flags.nosave || flags.save || flags.now || flags.force;
    if ((abort && any) || (flags.nosave && flags.save)) fail(E.SYNTAX);
    // LAB: with no replicas to wait for, a shutdown never stays in progress, so there is nothing to abort.
    if (abort) fail(E.NO_SHUTDOWN_IN_PROGRESS);
    if (!prepareForShutdown(persistenceOf(c.engine), flags)) fail(E.SHUTDOWN_FAILED);
    // The server exits: no reply, the connection closes.
    c.close();
    return NO_REPLY;
  },
});

/** DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE]: save, empty the dataset, load dump.rdb back. */
export function debugReload(c: Client, argv: string[]): Reply {
  let flush = true;
  let save = true;
  let merge = false;
  for (let j = 2; j < argv.length; j++) {
    const opt = argv[j];
    if (isCToken(opt, 'MERGE')) merge = true;
    else if (isCToken(opt, 'NOFLUSH')) flush = false;
    else if (isCToken(opt, 'NOSAVE')) save = false;
    else fail(E.DEBUG_RELOAD_OPTIONS);
  }
  const engine = c.engine;
  const p = persistenceOf(engine);
  if (save && !p.rdbSave()) fail(E.ERR);
  if (flush) {
    // emptyData(-1): every db and the function libraries.
    for (const db of engine.dbs) {
      if (db.flush() > 0) engine.emit({ type: 'flush', db: db.id });
    }
    engine.tracking?.invalidateOnFlush();
    p.clearFunctions();
  }
  const data = p.disk.read(p.rdbPath());
  if (data === null) fail(E.DEBUG_RELOAD_FAILED);
  try {
    const res = loadRdbIntoEngine(engine, fromBytes(data as Uint8Array), {
      allowDup: merge,
      onFunction: (code) => p.loadFunction(code, merge),
    });
    // (MERGE replaces keys behind the write path's back: used_memory is counted afresh)
    resetMemoryCounts(engine);
    for (const l of res.log) p.log(l.level, l.text);
    p.rdbLastLoadKeysLoaded = res.keysLoaded;
    p.rdbLastLoadKeysExpired = res.keysExpired;
  } catch (err) {
    if (!(err instanceof RdbLoadError)) throw err;
    // LAB: redis-server exits on a corrupt file here; the engine logs why and keeps running.
    for (const l of err.allLines()) p.log(l.level, l.text);
    fail(E.DEBUG_RELOAD_FAILED);
  }
  p.log('#', 'DB reloaded by DEBUG RELOAD');
  return OK;
}

export const PERSISTENCE_COMMANDS: readonly CommandSpec[] = [SAVE, BGSAVE, BGREWRITEAOF, LASTSAVE, SHUTDOWN];
