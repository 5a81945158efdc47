// DEBUG (src/debug.c, refused unless enable-debug-command allows it) and MEMORY (src/object.c):
// MEMORY USAGE/STATS/DOCTOR/MALLOC-STATS/PURGE from the memory model in keyspace/memory.ts.

import type { Client } from '../client';
import { E, subcommandSyntaxError } from '../errors';
import type { RedisValue } from '../keyspace/db';
import { keyMemoryUsage, memoryOverview } from '../keyspace/memory';
import { type Reply, bulk, double, error, int, map, NIL, OK, status } from '../protocol/reply';
import { Quicklist } from '../types/quicklist';
import { stringEncoding } from '../types/string-encoding';
import { fail, parseLongLong } from './args';
import { type CommandSpec, defineCommand } from './define';
import { helpReply, helpSubcommand } from './help';
import { debugReload } from './persistence';
import { allowProtectedAction } from './server-config';
import { peakMemory } from './server-info';
import { scriptCachesMemory } from '../scripting/context';

/** OBJECT ENCODING's name for a value. */
function encodingOf(v: RedisValue, meta: number): string {
  return typeof v === 'string' ? stringEncoding(v, meta) : v.encoding();
}

/** rdbSaveLen's size: 1, 2, 5 or 9 bytes. */
const rdbLenSize = (n: number) => (n < 64 ? 1 : n < 16384 ? 2 : n <= 0xffffffff ? 5 : 9);

/** rdbSavedObjectLen for strings: small integers get the int encodings, else length + bytes. */
function serializedLength(v: RedisValue): number {
  if (typeof v !== 'string') return 1; // LAB: collection RDB sizes come with the persistence layer.
  if (v.length <= 11 && /^(0|-?[1-9]\d*)$/.test(v)) {
    const n = Number(v);
    if (n >= -128 && n <= 127) return 2;
    if (n >= -32768 && n <= 32767) return 3;
    if (n >= -2147483648 && n <= 2147483647) return 5;
  }
  // LAB: strings over 20 bytes are LZF-compressed by Redis when rdbcompression is on; not modelled.
  return rdbLenSize(v.length) + v.length;
}

/** DEBUG OBJECT's line (quicklist fields are added by the list type when it lands). */
function debugObject(c: Client, key: string): Reply {
  const e = c.db.dict.getEntry(key);
  if (e === undefined) return fail(E.NO_SUCH_KEY);
  const v = e.val;
  const enc = encodingOf(v, e.meta);
  const policy = c.engine.config.get('maxmemory-policy');
  const shared =
    enc === 'int' && !policy.includes('lru') && !policy.includes('lfu') && Number(v) >= 0 && Number(v) < 10000;
  const lru = e.meta & 0xffffff;
  let idle = c.engine.lruClock() - lru;
  if (idle < 0) idle += 0x1000000;
  // LAB: the address is a stable fake derived from the key.
  let addr = 0x7f0000000000;
  for (let i = 0; i < key.length; i++) addr = (addr + key.charCodeAt(i) * 4096 + i * 16) % 0x7fffffffffff;
  return status(
    `Value at:0x${addr.toString(16)} refcount:${shared ? 2147483647 : 1} encoding:${enc} serializedlength:${serializedLength(v)} lru:${lru} lru_seconds_idle:${idle}${v instanceof Quicklist ? v.debugFields() : ''}`,
  );
}

/** Busy-wait: DEBUG SLEEP stops the whole server, as in Redis. */
function sleepMs(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spin
  }
}

const DEBUG_HELP = [
  'AOF-FLUSH-SLEEP <microsec>',
  '    Server will sleep before flushing the AOF, this is used for testing.',
  'ASSERT',
  '    Crash by assertion failed.',
  'CHANGE-REPL-ID',
  '    Change the replication IDs of the instance.',
  '    Dangerous: should be used only for testing the replication subsystem.',
  'CONFIG-REWRITE-FORCE-ALL',
  '    Like CONFIG REWRITE but writes all configuration options, including',
  '    keywords not listed in original configuration file or default values.',
  'CRASH-AND-RECOVER [<milliseconds>]',
  '    Hard crash and restart after a <milliseconds> delay (default 0).',
  'DIGEST',
  '    Output a hex signature representing the current DB content.',
  'DIGEST-VALUE <key> [<key> ...]',
  '    Output a hex signature of the values of all the specified keys.',
  'ERROR <string>',
  '    Return a Redis protocol error with <string> as message. Useful for clients',
  '    unit tests to simulate Redis errors.',
  'LEAK <string>',
  '    Create a memory leak of the input string.',
  'LOG <message>',
  '    Write <message> to the server log.',
  'HTSTATS <dbid>',
  '    Return hash table statistics of the specified Redis database.',
  'HTSTATS-KEY <key>',
  "    Like HTSTATS but for the hash table stored at <key>'s value.",
  'LOADAOF',
  '    Flush the AOF buffers on disk and reload the AOF in memory.',
  'REPLICATE <string>',
  '    Replicates the provided string to replicas, allowing data divergence.',
  'MALLCTL <key> [<val>]',
  '    Get or set a malloc tuning integer.',
  'MALLCTL-STR <key> [<val>]',
  '    Get or set a malloc tuning string.',
  'OBJECT <key>',
  '    Show low level info about `key` and associated value.',
  'DROP-CLUSTER-PACKET-FILTER <packet-type>',
  '    Drop all packets that match the filtered type. Set to -1 allow all packets.',
  'OOM',
  '    Crash the server simulating an out-of-memory error.',
  'PANIC',
  '    Crash the server simulating a panic.',
  'POPULATE <count> [<prefix>] [<size>]',
  '    Create <count> string keys named key:<num>. If <prefix> is specified then',
  "    it is used instead of the 'key' prefix. These are not propagated to",
  '    replicas. Cluster slots are not respected so keys not belonging to the',
  '    current node can be created in cluster mode.',
  'PROTOCOL <type>',
  '    Reply with a test value of the specified type. <type> can be: string,',
  '    integer, double, bignum, null, array, set, map, attrib, push, verbatim,',
  '    true, false.',
  'RELOAD [option ...]',
  '    Save the RDB on disk and reload it back to memory. Valid <option> values:',
  '    * MERGE: conflicting keys will be loaded from RDB.',
  '    * NOFLUSH: the existing database will not be removed before load, but',
  '      conflicting keys will generate an exception and kill the server.',
  '    * NOSAVE: the database will be loaded from an existing RDB file.',
  '    Examples:',
  '    * DEBUG RELOAD: verify that the server is able to persist, flush and reload',
  '      the database.',
  '    * DEBUG RELOAD NOSAVE: replace the current database with the contents of an',
  '      existing RDB file.',
  '    * DEBUG RELOAD NOSAVE NOFLUSH MERGE: add the contents of an existing RDB',
  '      file to the database.',
  'RESTART [<milliseconds>]',
  '    Graceful restart: save config, db, restart after a <milliseconds> delay (default 0).',
  'SDSLEN <key>',
  '    Show low level SDS string info representing `key` and value.',
  'SEGFAULT',
  '    Crash the server with sigsegv.',
  'SET-ACTIVE-EXPIRE <0|1>',
  '    Setting it to 0 disables expiring keys in background when they are not',
  '    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the',
  '    default.',
  'QUICKLIST-PACKED-THRESHOLD <size>',
  '    Sets the threshold for elements to be inserted as plain vs packed nodes',
  '    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.',
  'SET-SKIP-CHECKSUM-VALIDATION <0|1>',
  "    Enables or disables checksum checks for RDB files and RESTORE's payload.",
  'SLEEP <seconds>',
  '    Stop the server for <seconds>. Decimals allowed.',
  'STRINGMATCH-TEST',
  '    Run a fuzz tester against the stringmatchlen() function.',
  'STRUCTSIZE',
  '    Return the size of different Redis core C structures.',
  'LISTPACK <key>',
  '    Show low level info about the listpack encoding of <key>.',
  'QUICKLIST <key> [<0|1>]',
  '    Show low level info about the quicklist encoding of <key>.',
  '    The optional argument (0 by default) sets the level of detail',
  'CLIENT-EVICTION',
  '    Show low level client eviction pools info (maxmemory-clients).',
  'PAUSE-CRON <0|1>',
  '    Stop periodic cron job processing.',
  'REPLYBUFFER PEAK-RESET-TIME <NEVER||RESET|time>',
  '    Sets the time (in milliseconds) to wait between client reply buffer peak resets.',
  '    In case NEVER is provided the last observed peak will never be reset',
  '    In case RESET is provided the peak reset time will be restored to the default value',
  'REPLYBUFFER RESIZING <0|1>',
  '    Enable or disable the reply buffer resize cron job',
  'CLUSTERLINK KILL <to|from|all> <node-id>',
  '    Kills the link based on the direction to/from (both) with the provided node.',
];

/** A DEBUG POPULATE count or size: a non-negative integer, else Redis's one message for both cases. */
function populateArg(s: string): number {
  const n = parseLongLong(s);
  if (n === null || n < 0) fail(E.NOT_POSITIVE);
  return Number(n);
}

/**
 * DEBUG POPULATE count [prefix] [size]: string keys `<prefix>:<n>` (prefix `key`) holding `value:<n>`,
 * cut or zero-padded to `size` bytes when a size is given; existing keys are left alone. As in Redis
 * the keys are added with dbAdd only: no dirty count, so nothing is propagated to the AOF.
 */
function debugPopulate(c: Client, argv: string[]): Reply {
  const count = populateArg(argv[2]);
  const size = argv.length === 5 ? populateArg(argv[4]) : 0;
  const prefix = argv.length >= 4 ? argv[3] : 'key';
  for (let j = 0; j < count; j++) {
    const key = `${prefix}:${j}`.slice(0, 127); // Redis formats the name in a 128-byte buffer
    if (c.db.lookupWrite(key) !== undefined) continue;
    const value = `value:${j}`;
    c.db.add(key, size === 0 ? value : value.slice(0, size).padEnd(size, '\0'));
  }
  return OK;
}

/** DEBUG <subcommand> [args] — HELP, SLEEP, OBJECT, POPULATE, SET-ACTIVE-EXPIRE, ERROR, LOG, CHANGE-REPL-ID. */
export const DEBUG = defineCommand({
  name: 'DEBUG',
  group: 'server',
  arity: -2,
  flags: ['admin', 'noscript', 'loading', 'stale', 'protected'],
  summary: 'A container for debugging commands',
  complexity: 'Depends on subcommand.',
  since: '1.0.0',
  docFlags: ['syscmd'],
  exec(c, argv): Reply {
    // LAB: Redis refuses protected commands before queueing/ACL checks; here the handler refuses.
    if (!allowProtectedAction(c, c.engine.config.get('enable-debug-command'))) fail(E.DEBUG_NOT_ALLOWED);
    const sub = argv[1].toLowerCase();
    if (sub === 'help' && argv.length === 2) return helpReply('DEBUG', DEBUG_HELP);
    if (sub === 'sleep' && argv.length === 3) {
      const secs = Number.parseFloat(argv[2]);
      sleepMs(Number.isFinite(secs) && secs > 0 ? secs * 1000 : 0);
      return OK;
    }
    if (sub === 'object' && argv.length === 3) return debugObject(c, argv[2]);
    if (sub === 'reload') return debugReload(c, argv);
    if (sub === 'set-active-expire' && argv.length === 3) {
      c.engine.activeExpireEnabled = (Number.parseInt(argv[2], 10) || 0) !== 0;
      return OK;
    }
    if (sub === 'populate' && argv.length >= 3 && argv.length <= 5) return debugPopulate(c, argv);
    if (sub === 'error' && argv.length === 3) return error(argv[2]);
    if ((sub === 'log' && argv.length === 3) || (sub === 'change-repl-id' && argv.length === 2)) return OK;
    return fail(subcommandSyntaxError(argv[1], 'debug'));
  },
});

const MEMORY_TIPS = ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'];

/** MEMORY USAGE key [SAMPLES count] */
function memoryUsage(c: Client, argv: string[]): Reply {
  let samples = 5;
  for (let j = 3; j < argv.length; j++) {
    if (argv[j].toLowerCase() === 'samples' && j + 1 < argv.length) {
      const n = parseLongLong(argv[j + 1]);
      if (n === null) fail(E.NOT_INTEGER);
      if (n < 0) fail(E.SYNTAX);
      samples = Number(n);
      j++;
    } else fail(E.SYNTAX);
  }
  // Redis looks the key up without expiring it.
  const e = c.db.dict.getEntry(argv[2]);
  return e === undefined ? NIL : int(keyMemoryUsage(e.key, e.val, e.meta, samples));
}

/** MEMORY STATS: getMemoryOverheadData as a map. */
function memoryStats(c: Client): Reply {
  const m = memoryOverview(c.engine);
  const peak = peakMemory(c.engine, m.total);
  const rss = Math.round(m.total * 1.5);
  const caches = scriptCachesMemory(c.engine);
  const pairs: [Reply, Reply][] = [
    [bulk('peak.allocated'), int(peak)],
    [bulk('total.allocated'), int(m.total)],
    [bulk('startup.allocated'), int(m.startup)],
    [bulk('replication.backlog'), int(0)],
    [bulk('clients.slaves'), int(0)],
    [bulk('clients.normal'), int(m.clients)],
    [bulk('cluster.links'), int(0)],
    [bulk('aof.buffer'), int(0)],
    [bulk('lua.caches'), int(caches.eval)],
    [bulk('functions.caches'), int(caches.functions)],
  ];
  for (const [id, main, expires] of m.dbs) {
    pairs.push([
      bulk(`db.${id}`),
      map([
        [bulk('overhead.hashtable.main'), int(main)],
        [bulk('overhead.hashtable.expires'), int(expires)],
        [bulk('overhead.hashtable.slot-to-keys'), int(0)],
      ]),
    ]);
  }
  const netAfterStartup = m.total - m.startup;
  pairs.push(
    [bulk('overhead.total'), int(m.overhead)],
    [bulk('keys.count'), int(m.keys)],
    [bulk('keys.bytes-per-key'), int(m.keys ? Math.floor(netAfterStartup / m.keys) : 0)],
    [bulk('dataset.bytes'), int(m.dataset)],
    [bulk('dataset.percentage'), double(netAfterStartup > 0 ? (m.dataset * 100) / netAfterStartup : 0)],
    [bulk('peak.percentage'), double((m.total * 100) / peak)],
    [bulk('allocator.allocated'), int(m.total)],
    [bulk('allocator.active'), int(m.total)],
    [bulk('allocator.resident'), int(rss)],
    [bulk('allocator-fragmentation.ratio'), double(1)],
    [bulk('allocator-fragmentation.bytes'), int(0)],
    [bulk('allocator-rss.ratio'), double(rss / m.total)],
    [bulk('allocator-rss.bytes'), int(rss - m.total)],
    [bulk('rss-overhead.ratio'), double(1)],
    [bulk('rss-overhead.bytes'), int(0)],
    [bulk('fragmentation'), double(rss / m.total)],
    [bulk('fragmentation.bytes'), int(rss - m.total)],
  );
  return map(pairs);
}

/** getMemoryDoctorReport (the checks that apply to a single in-memory engine). */
function memoryDoctor(c: Client): Reply {
  const m = memoryOverview(c.engine);
  const peak = peakMemory(c.engine, m.total);
  if (m.total < 5 * 1024 * 1024) {
    return bulk(
      "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used in these conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be back to our programming as soon as I finished rebooting.\n",
    );
  }
  if (peak / m.total > 1.5) {
    return bulk(
      "Sam, I detected a few issues in this Redis instance memory implants:\n\n * Peak memory: In the past this instance used more than 150% the memory that is currently using. The allocator is normally not able to release memory after a peak, so you can expect to see a big fragmentation ratio, however this is actually harmless and is only due to the memory peak, and if the Redis instance Resident Set Size (RSS) is currently bigger than expected, the memory will be used as soon as you fill the Redis instance with more data. If the memory peak was only occasional and you want to try to reclaim memory, please try the MEMORY PURGE command, otherwise the only other option is to shutdown and restart the instance.\n\nI'm here to keep you safe, Sam. I want to help you.\n",
    );
  }
  return bulk(
    "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.\n",
  );
}

const memorySub = (spec: Omit<CommandSpec, 'group' | 'since'> & { since?: string }): CommandSpec =>
  defineCommand({ group: 'server', since: '4.0.0', ...spec });

/** MEMORY DOCTOR|HELP|MALLOC-STATS|PURGE|STATS|USAGE */
export const MEMORY = defineCommand({
  name: 'MEMORY',
  group: 'server',
  arity: -2,
  flags: [],
  summary: 'A container for memory diagnostics commands',
  complexity: 'Depends on subcommand.',
  since: '4.0.0',
  subcommands: [
    memorySub({
      name: 'DOCTOR',
      arity: 2,
      flags: [],
      summary: 'Outputs memory problems report',
      complexity: 'O(1)',
      tips: MEMORY_TIPS,
      exec: memoryDoctor,
    }),
    helpSubcommand('MEMORY', {
      group: 'server',
      since: '4.0.0',
      lines: [
        'DOCTOR',
        '    Return memory problems reports.',
        'MALLOC-STATS',
        '    Return internal statistics report from the memory allocator.',
        'PURGE',
        '    Attempt to purge dirty pages for reclamation by the allocator.',
        'STATS',
        '    Return information about the memory usage of the server.',
        'USAGE <key> [SAMPLES <count>]',
        '    Return memory in bytes used by <key> and its value. Nested values are',
        '    sampled up to <count> times (default: 5, 0 means sample all).',
      ],
    }),
    memorySub({
      name: 'MALLOC-STATS',
      arity: 2,
      flags: [],
      summary: 'Show allocator internal stats',
      complexity: 'Depends on how much memory is allocated, could be slow',
      tips: MEMORY_TIPS,
      // LAB: there is no jemalloc to report on; Redis answers this for allocators without stats.
      exec: () => bulk('Stats not supported for the current allocator'),
    }),
    memorySub({
      name: 'PURGE',
      arity: 2,
      flags: [],
      summary: 'Ask the allocator to release memory',
      complexity: 'Depends on how much memory is allocated, could be slow',
      tips: ['request_policy:all_shards', 'response_policy:all_succeeded'],
      exec: () => OK,
    }),
    memorySub({
      name: 'STATS',
      arity: 2,
      flags: [],
      summary: 'Show memory usage details',
      complexity: 'O(1)',
      tips: MEMORY_TIPS,
      exec: memoryStats,
    }),
    memorySub({
      name: 'USAGE',
      arity: -3,
      flags: ['readonly'],
      summary: 'Estimate the memory usage of a key',
      complexity: 'O(N) where N is the number of samples.',
      keySpecs: [{ flags: ['RO'], begin: { index: 2 }, find: { lastKey: 0, step: 1, limit: 0 } }],
      args: [
        { name: 'key', type: 'key', keySpecIndex: 0 },
        { name: 'count', type: 'integer', token: 'SAMPLES', optional: true },
      ],
      exec: memoryUsage,
    }),
  ],
});

/** DEBUG and MEMORY: gathered apart from the server group (they need the RDB code and the memory model). */
export const SERVER_DEBUG_COMMANDS: readonly CommandSpec[] = [DEBUG, MEMORY];
