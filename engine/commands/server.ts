// Server commands (src/server.c, db.c, slowlog.c, replication.c): FLUSHALL, FLUSHDB, DBSIZE, TIME,
// SWAPDB, MONITOR, SLOWLOG; CONFIG, INFO, COMMAND, DEBUG and MEMORY live in their server-*.ts files.
// SERVER_COMMANDS gathers these with CONFIG; INFO, COMMAND, DEBUG and MEMORY are gathered in
// commands/rest.ts (the browser worker's second chunk: they need the whole table, persistence...).

import { type Client, NO_REPLY } from '../client';
import { E, subcommandSyntaxError } from '../errors';
import type { Db } from '../keyspace/db';
import { touchAllWatchedKeysInDb } from '../multi';
import { type Reply, array, bulk, int, OK } from '../protocol/reply';
import { fail, isToken, parseLongLong } from './args';
import { type ArgSpec, type CommandSpec, defineCommand } from './define';
import { helpSubcommand } from './help';
import { CONFIG } from './server-config';

/** FLUSHALL/FLUSHDB's optional ASYNC|SYNC (both flush at once here: the engine has no lazyfree thread). */
function parseFlushMode(argv: string[]): void {
  if (argv.length > 2) fail(E.SYNTAX);
  if (argv.length === 2 && !isToken(argv[1], 'ASYNC') && !isToken(argv[1], 'SYNC')) fail(E.SYNTAX);
}

function flushAll(c: Client): void {
  let removed = 0;
  for (const db of c.engine.dbs) removed += db.flush();
  // Redis 7.0 counts the keys removed only (an empty FLUSHALL changes nothing); propagation is forced.
  c.engine.dirty += removed;
  // signalFlushedDb: client-side caches are told to drop everything (a null invalidation).
  c.engine.tracking?.invalidateOnFlush();
  c.engine.emit({ type: 'flush', db: 'all' });
}

const FLUSH_ARGS: readonly ArgSpec[] = [
  {
    name: 'async',
    type: 'oneof',
    optional: true,
    args: [
      { name: 'async', type: 'pure-token', token: 'ASYNC', since: '4.0.0' },
      { name: 'sync', type: 'pure-token', token: 'SYNC', since: '6.2.0' },
    ],
  },
];
const FLUSH_HISTORY: readonly (readonly [string, string])[] = [
  ['4.0.0', 'Added the `ASYNC` flushing mode modifier.'],
  ['6.2.0', 'Added the `SYNC` flushing mode modifier.'],
];
const ALL_SHARDS_OK = ['request_policy:all_shards', 'response_policy:all_succeeded'];

/** FLUSHALL [ASYNC|SYNC] */
export const FLUSHALL = defineCommand({
  name: 'FLUSHALL',
  group: 'server',
  arity: -1,
  flags: ['write'],
  args: FLUSH_ARGS,
  summary: 'Remove all keys from all databases',
  complexity: 'O(N) where N is the total number of keys in all databases',
  since: '1.0.0',
  acl: ['keyspace', 'dangerous'],
  tips: ALL_SHARDS_OK,
  history: FLUSH_HISTORY,
  exec(c, argv): Reply {
    parseFlushMode(argv);
    flushAll(c);
    return OK;
  },
});

/** FLUSHDB [ASYNC|SYNC] */
export const FLUSHDB = defineCommand({
  name: 'FLUSHDB',
  group: 'server',
  arity: -1,
  flags: ['write'],
  args: FLUSH_ARGS,
  summary: 'Remove all keys from the current database',
  complexity: 'O(N) where N is the number of keys in the selected database',
  since: '1.0.0',
  acl: ['keyspace', 'dangerous'],
  tips: ALL_SHARDS_OK,
  history: FLUSH_HISTORY,
  exec(c, argv): Reply {
    parseFlushMode(argv);
    // Redis 7.0 counts the keys removed and forces propagation, so an empty FLUSHDB still reaches the AOF.
    c.engine.dirty += c.db.flush();
    c.engine.forcePropagation();
    c.engine.tracking?.invalidateOnFlush();
    c.engine.emit({ type: 'flush', db: c.db.id });
    return OK;
  },
});

/** DBSIZE */
export const DBSIZE = defineCommand({
  name: 'DBSIZE',
  group: 'server',
  arity: 1,
  flags: ['readonly', 'fast'],
  summary: 'Return the number of keys in the selected database',
  complexity: 'O(1)',
  since: '1.0.0',
  acl: ['keyspace'],
  tips: ['request_policy:all_shards', 'response_policy:agg_sum'],
  exec: (c) => int(c.db.size),
});

/** TIME */
export const TIME = defineCommand({
  name: 'TIME',
  group: 'server',
  arity: 1,
  flags: ['loading', 'stale', 'fast'],
  summary: 'Return the current server time',
  complexity: 'O(1)',
  since: '2.6.0',
  tips: ['nondeterministic_output'],
  exec(c): Reply {
    const us = c.engine.clock.nowMicros();
    return array([bulk(String(Math.floor(us / 1e6))), bulk(String(us % 1e6))]);
  },
});

/** getIntFromObjectOrReply with a custom message. */
function parseDbIndex(s: string, err: string): number {
  const n = parseLongLong(s);
  if (n === null || n < -2147483648 || n > 2147483647) fail(err);
  return Number(n);
}

/** The parts of a db that SWAPDB exchanges (the dicts and their expiry bookkeeping, not the watchers). */
interface SwappableDb {
  dict: Db['dict'];
  expires: Db['expires'];
  expiresCursor: number;
  avgTtl: number;
  /** used_memory counted for the dict (memory.ts): it moves with the dict. */
  mem: Db['mem'];
}

/** SWAPDB index1 index2 */
export const SWAPDB = defineCommand({
  name: 'SWAPDB',
  group: 'server',
  arity: 3,
  flags: ['write', 'fast'],
  summary: 'Swaps two Redis databases',
  complexity: 'O(N) where N is the count of clients watching or blocking on keys from both databases.',
  since: '4.0.0',
  acl: ['keyspace', 'dangerous'],
  args: [
    { name: 'index1', type: 'integer' },
    { name: 'index2', type: 'integer' },
  ],
  exec(c, argv): Reply {
    const id1 = parseDbIndex(argv[1], E.INVALID_FIRST_DB);
    const id2 = parseDbIndex(argv[2], E.INVALID_SECOND_DB);
    const dbs = c.engine.dbs;
    if (id1 < 0 || id1 >= dbs.length || id2 < 0 || id2 >= dbs.length) fail(E.DB_OUT_OF_RANGE);
    if (id1 !== id2) {
      // Watchers are invalidated against the contents as they were before the swap (dbSwapDatabases).
      touchAllWatchedKeysInDb(c.engine, dbs[id1], dbs[id2]);
      touchAllWatchedKeysInDb(c.engine, dbs[id2], dbs[id1]);
      // Readers blocked on a stream that the swap removes are told so (scanDatabaseForDeletedStreams).
      c.engine.blocking.signalDeletedStreams(dbs[id1], dbs[id2]);
      c.engine.blocking.signalDeletedStreams(dbs[id2], dbs[id1]);
      // Clients keep their selected db index, so the contents move between the Db objects.
      const a = dbs[id1] as unknown as SwappableDb;
      const b = dbs[id2] as unknown as SwappableDb;
      const tmp: SwappableDb = {
        dict: a.dict,
        expires: a.expires,
        expiresCursor: a.expiresCursor,
        avgTtl: a.avgTtl,
        mem: a.mem,
      };
      a.dict = b.dict;
      a.expires = b.expires;
      a.expiresCursor = b.expiresCursor;
      a.avgTtl = b.avgTtl;
      a.mem = b.mem;
      b.dict = tmp.dict;
      b.expires = tmp.expires;
      b.expiresCursor = tmp.expiresCursor;
      b.avgTtl = tmp.avgTtl;
      b.mem = tmp.mem;
      // Blocked clients may now find their keys (scanDatabaseForReadyKeys).
      c.engine.blocking.signalExistingKeys(dbs[id1]);
      c.engine.blocking.signalExistingKeys(dbs[id2]);
      c.engine.emit({ type: 'flush', db: id1 });
      c.engine.emit({ type: 'flush', db: id2 });
    }
    c.engine.dirty++;
    return OK;
  },
});

/** MONITOR — from now on every command executed by others is streamed to this client. */
export const MONITOR = defineCommand({
  name: 'MONITOR',
  group: 'server',
  arity: 1,
  flags: ['admin', 'noscript', 'loading', 'stale'],
  summary: 'Listen for all requests received by the server in real time',
  since: '1.0.0',
  exec(c): Reply {
    // Already monitoring: Redis sends no reply at all.
    if (c.monitor) return NO_REPLY;
    c.monitor = true;
    c.engine.monitors.add(c);
    return OK;
  },
});

const SLOWLOG_FLAGS = ['admin', 'loading', 'stale'] as const;

/** SLOWLOG GET|LEN|RESET|HELP */
export const SLOWLOG = defineCommand({
  name: 'SLOWLOG',
  group: 'server',
  arity: -2,
  flags: [],
  summary: 'A container for slow log commands',
  complexity: 'Depends on subcommand.',
  since: '2.2.12',
  subcommands: [
    defineCommand({
      name: 'GET',
      group: 'server',
      arity: -2,
      flags: SLOWLOG_FLAGS,
      summary: "Get the slow log's entries",
      complexity: 'O(N) where N is the number of entries returned',
      since: '2.2.12',
      tips: ['request_policy:all_nodes', 'nondeterministic_output'],
      history: [['4.0.0', 'Added client IP address, port and name to the reply.']],
      args: [{ name: 'count', type: 'integer', optional: true }],
      exec(c, argv): Reply {
        const log = c.engine.slowlog.entries;
        let count = 10;
        if (argv.length > 3) fail(subcommandSyntaxError(argv[1], 'slowlog'));
        if (argv.length === 3) {
          const n = parseLongLong(argv[2]);
          if (n === null || n < -1) fail(E.SLOWLOG_COUNT);
          count = n === -1 ? log.length : Number(n);
        }
        return array(
          log
            .slice(0, count)
            .map((e) =>
              array([int(e.id), int(e.time), int(e.duration), array(e.argv.map(bulk)), bulk(e.peer), bulk(e.name)]),
            ),
        );
      },
    }),
    helpSubcommand('SLOWLOG', {
      group: 'server',
      since: '6.2.0',
      lines: [
        'GET [<count>]',
        '    Return top <count> entries from the slowlog (default: 10, -1 mean all).',
        '    Entries are made of:',
        '    id, timestamp, time in microseconds, arguments array, client IP and port,',
        '    client name',
        'LEN',
        '    Return the length of the slowlog.',
        'RESET',
        '    Reset the slowlog.',
      ],
    }),
    defineCommand({
      name: 'LEN',
      group: 'server',
      arity: 2,
      flags: SLOWLOG_FLAGS,
      summary: "Get the slow log's length",
      complexity: 'O(1)',
      since: '2.2.12',
      tips: ['request_policy:all_nodes', 'response_policy:agg_sum', 'nondeterministic_output'],
      exec: (c) => int(c.engine.slowlog.entries.length),
    }),
    defineCommand({
      name: 'RESET',
      group: 'server',
      arity: 2,
      flags: SLOWLOG_FLAGS,
      summary: 'Clear all entries from the slow log',
      complexity: 'O(N) where N is the number of entries in the slowlog',
      since: '2.2.12',
      tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'],
      exec(c): Reply {
        c.engine.slowlog.reset();
        return OK;
      },
    }),
  ],
});

/** The server group without INFO, COMMAND, DEBUG and MEMORY (see the top of the file). */
export const SERVER_COMMANDS: readonly CommandSpec[] = [
  CONFIG,
  DBSIZE,
  FLUSHALL,
  FLUSHDB,
  MONITOR,
  SLOWLOG,
  SWAPDB,
  TIME,
];
