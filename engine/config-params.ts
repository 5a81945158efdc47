// The CONFIG parameter table of Redis 7.0.15 (static_configs[] in src/config.c): every parameter
// `CONFIG GET *` reports on Debian's build (TLS included), with its alias, flags, default, range and
// validation, plus the parameter types and the special setters. The Config store is in config.ts.

import { parseDouble } from './commands/args';
import {
  keyspaceEventsFlagsToFullString,
  keyspaceEventsFlagsToString,
  keyspaceEventsStringToFlags,
} from './keyspace/notify';

/** Numeric storage types: they decide whether bounds are compared signed or unsigned. */
export type NumType = 'int' | 'uint' | 'long' | 'ulong' | 'll' | 'ull' | 'size' | 'ssize' | 'time' | 'off';
/** Enum names with their values, in Redis's order (the error lists them in this order). */
export type EnumValues = readonly (readonly [string, number])[];

interface Common {
  readonly name: string;
  readonly alias?: string;
  /** Only settable at start-up: "can't set immutable config". */
  readonly immutable?: boolean;
  /** Refused by CONFIG SET unless enable-protected-configs allows it. */
  readonly protected?: boolean;
  /** Not matched by CONFIG GET patterns (exact name only). */
  readonly hidden?: boolean;
  /** CONFIG SET redacts its value from MONITOR and SLOWLOG. */
  readonly sensitive?: boolean;
  /** The value is split on spaces into several arguments. */
  readonly multiArg?: boolean;
  readonly denyLoading?: boolean;
}

export type ConfigParam = Common &
  (
    | { readonly kind: 'bool'; readonly default: boolean; readonly validate?: (v: boolean) => string | null }
    | {
        readonly kind: 'num';
        readonly type: NumType;
        readonly min: bigint;
        readonly max: bigint;
        readonly default: bigint;
        readonly memory?: boolean;
        readonly percent?: boolean;
        readonly octal?: boolean;
        /** Post-set adjustment (updateHZ caps hz). */
        readonly apply?: (v: bigint) => bigint;
      }
    | {
        readonly kind: 'enum';
        readonly values: EnumValues;
        readonly default: number;
        readonly validate?: (v: number) => string | null;
      }
    | { readonly kind: 'string'; readonly default: string; readonly validate?: (v: string) => string | null }
    | {
        readonly kind: 'special';
        readonly default: string;
        /** Returns the canonical value to store (CONFIG GET prints it), or the error reason. */
        readonly set: (args: string[], current: string) => string | { err: string };
        /** How CONFIG GET prints the stored value, when it differs from it. */
        readonly show?: (stored: string) => string;
      }
  );

const U64 = 1n << 64n;

/**
 * memtoull: "100mb" → bytes as an unsigned 64-bit value (wrapping like C), or null when invalid.
 * Digits may be absent ("mb" is 0) and strtoull saturates on overflow, as in Redis.
 */
export function memtoull(p: string): bigint | null {
  if (p.startsWith('-')) return null;
  let i = 0;
  while (i < p.length && p.charCodeAt(i) >= 48 && p.charCodeAt(i) <= 57) i++;
  const unit = p.slice(i).toLowerCase();
  const mul = MEMORY_UNITS[unit];
  if (mul === undefined) return null;
  if (i >= 128) return null;
  let val = i === 0 ? 0n : BigInt(p.slice(0, i));
  if (val >= U64) val = U64 - 1n;
  return (val * mul) % U64;
}

const MEMORY_UNITS: Record<string, bigint> = {
  '': 1n,
  b: 1n,
  k: 1000n,
  kb: 1024n,
  m: 1000n * 1000n,
  mb: 1024n * 1024n,
  g: 1000n * 1000n * 1000n,
  gb: 1024n * 1024n * 1024n,
};

/** sprintf("%f") then trimDoubleString: 99.9 → "99.9", 50 → "50". */
export function formatFixed6Trimmed(d: number): string {
  let s = d.toFixed(6);
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  return s;
}

const INT_MIN = -2147483648n;
const INT_MAX = 2147483647n;
const UINT_MAX = 4294967295n;
const LONG_MAX = 9223372036854775807n;
const ULLONG_MAX = 18446744073709551615n;

type Flags = Partial<
  Pick<ConfigParam, 'alias' | 'immutable' | 'protected' | 'hidden' | 'sensitive' | 'multiArg' | 'denyLoading'>
>;

const bool = (name: string, def: boolean, f: Flags = {}, validate?: (v: boolean) => string | null): ConfigParam => ({
  kind: 'bool',
  name,
  default: def,
  validate,
  ...f,
});

function num(
  type: NumType,
  name: string,
  min: bigint,
  max: bigint,
  def: bigint,
  f: Flags & { memory?: boolean; percent?: boolean; octal?: boolean; apply?: (v: bigint) => bigint } = {},
): ConfigParam {
  const { memory, percent, octal, apply, ...rest } = f;
  return { kind: 'num', name, type, min, max, default: def, memory, percent, octal, apply, ...rest };
}
const int = (name: string, min: bigint, max: bigint, def: number, f: Parameters<typeof num>[5] = {}) =>
  num('int', name, min, max, BigInt(def), f);

const enm = (name: string, values: EnumValues, def: number, f: Flags = {}, validate?: (v: number) => string | null) =>
  ({ kind: 'enum', name, values, default: def, validate, ...f }) as ConfigParam;

const str = (name: string, def: string, f: Flags = {}, validate?: (v: string) => string | null): ConfigParam => ({
  kind: 'string',
  name,
  default: def,
  validate,
  ...f,
});

const special = (
  name: string,
  def: string,
  set: (args: string[], current: string) => string | { err: string },
  f: Flags = {},
) => ({ kind: 'special', name, default: def, set, ...f }) as ConfigParam;

export const MAXMEMORY_POLICIES = [
  'volatile-lru',
  'volatile-lfu',
  'volatile-random',
  'volatile-ttl',
  'allkeys-lru',
  'allkeys-lfu',
  'allkeys-random',
  'noeviction',
] as const;

const maxmemoryPolicyEnum: EnumValues = MAXMEMORY_POLICIES.map((n, i) => [n, i]);
const syslogFacilityEnum: EnumValues = [
  'user',
  'local0',
  'local1',
  'local2',
  'local3',
  'local4',
  'local5',
  'local6',
  'local7',
].map((n, i) => [n, i]);
const loglevelEnum: EnumValues = [
  ['debug', 0],
  ['verbose', 1],
  ['notice', 2],
  ['warning', 3],
];
const supervisedEnum: EnumValues = [
  ['upstart', 1],
  ['systemd', 2],
  ['auto', 3],
  ['no', 0],
];
const aofFsyncEnum: EnumValues = [
  ['everysec', 2],
  ['always', 1],
  ['no', 0],
];
const shutdownOnSigEnum: EnumValues = [
  ['default', 0],
  ['save', 1],
  ['nosave', 2],
  ['now', 4],
  ['force', 8],
];
const replDisklessLoadEnum: EnumValues = [
  ['disabled', 0],
  ['on-empty-db', 1],
  ['swapdb', 2],
];
const tlsAuthClientsEnum: EnumValues = [
  ['no', 0],
  ['yes', 1],
  ['optional', 2],
];
const oomScoreAdjEnum: EnumValues = [
  ['no', 0],
  ['yes', 1],
  ['relative', 1],
  ['absolute', 2],
];
const aclPubsubDefaultEnum: EnumValues = [
  ['allchannels', 1],
  ['resetchannels', 0],
];
const sanitizeDumpPayloadEnum: EnumValues = [
  ['no', 0],
  ['yes', 1],
  ['clients', 2],
];
const protectedActionEnum: EnumValues = [
  ['no', 0],
  ['yes', 1],
  ['local', 2],
];
const clusterEndpointEnum: EnumValues = [
  ['ip', 0],
  ['hostname', 1],
  ['unknown-endpoint', 2],
];
const propagationErrorEnum: EnumValues = [
  ['ignore', 0],
  ['panic', 1],
  ['panic-on-replicas', 2],
];

const noSaveAndNosave = (v: number) =>
  v & 1 && v & 2 ? "shutdown options SAVE and NOSAVE can't be used simultaneously" : null;

const noDefrag = (v: boolean) =>
  v
    ? 'Active defragmentation cannot be enabled: it requires a Redis server compiled with a modified Jemalloc like the one shipped by default with the Redis source distribution'
    : null;

function validHostname(v: string): string | null {
  if (v.length >= 46) return 'Hostnames must be less than 46 characters';
  return /^[A-Za-z0-9.-]*$/.test(v) ? null : 'Hostnames may only contain alphanumeric characters, hyphens or dots';
}

/** validateProcTitleTemplate: sdstemplate with the known variables must expand to something non-blank. */
function validProcTitle(v: string): string | null {
  const vars: Record<string, string> = {
    title: '',
    'listen-addr': '*:6379',
    'server-mode': '',
    'config-file': '-',
    port: '6379',
    'tls-port': '0',
    unixsocket: '',
  };
  let out = '';
  let i = 0;
  const bad = 'template format is invalid or contains unknown variables';
  while (i < v.length) {
    const open = v.indexOf('{', i);
    if (open === -1) {
      out += v.slice(i);
      break;
    }
    out += v.slice(i, open);
    if (open + 1 >= v.length) return bad;
    if (v[open + 1] === '{') {
      out += '{';
      i = open + 2;
      continue;
    }
    const close = v.indexOf('}', open + 1);
    if (close === -1) return bad;
    const value = vars[v.slice(open + 1, close)];
    if (value === undefined) return bad;
    out += value;
    i = close + 1;
  }
  return out.trim() === '' ? bad : null;
}

const noPath = (what: string, kind: string) => (v: string) =>
  v.includes('/') ? `${what} can't be a path, just a ${kind}` : null;
const nonEmptyNoPath = (what: string, kind: string) => (v: string) =>
  v === '' ? `${what} can't be empty` : noPath(what, kind)(v);

/** strtoll as Redis's special setters use it: optional blanks and sign, digits, the whole token. */
function strtollWhole(s: string): number | null {
  if (s === '') return 0;
  return /^[ \t\n\v\f\r]*[+-]?\d+$/.test(s) ? Number(s.trim()) : null;
}

function setSave(args: string[]): string | { err: string } {
  if (args.length === 1 && args[0] === '') args = [];
  if (args.length % 2 !== 0) return { err: 'Invalid save parameters' };
  const pairs: string[] = [];
  for (let j = 0; j < args.length; j++) {
    const v = strtollWhole(args[j]);
    if (v === null || (j % 2 === 0 && v < 1) || (j % 2 === 1 && v < 0)) return { err: 'Invalid save parameters' };
    pairs.push(String(j % 2 === 1 ? v | 0 : v));
  }
  return pairs.join(' ');
}

/** client-output-buffer-limit: classes merge into the current value (the setter sees it via `current`). */
export function setClientOutputBufferLimit(args: string[], current: string): string | { err: string } {
  if (args.length % 4 !== 0) return { err: 'Wrong number of arguments in buffer limit configuration.' };
  const classes = new Map<string, string[]>();
  const cur = current.split(' ');
  for (let i = 0; i + 3 < cur.length; i += 4) classes.set(cur[i], cur.slice(i + 1, i + 4));
  const updates: [string, string[]][] = [];
  for (let j = 0; j < args.length; j += 4) {
    const name = args[j].toLowerCase();
    const cls =
      name === 'normal'
        ? 'normal'
        : name === 'slave' || name === 'replica'
          ? 'slave'
          : name === 'pubsub'
            ? 'pubsub'
            : null;
    if (cls === null) return { err: 'Invalid client class specified in buffer limit configuration.' };
    const hard = memtoull(args[j + 1]);
    const soft = memtoull(args[j + 2]);
    const secs = strtollWhole(args[j + 3]);
    if (hard === null || soft === null || secs === null || secs < 0 || args[j + 3] === '')
      return { err: 'Error in hard, soft or soft_seconds setting in buffer limit configuration.' };
    updates.push([cls, [hard.toString(), soft.toString(), String(secs)]]);
  }
  for (const [cls, v] of updates) classes.set(cls, v);
  return ['normal', 'slave', 'pubsub'].map((c) => `${c} ${(classes.get(c) ?? ['0', '0', '0']).join(' ')}`).join(' ');
}

function setOomScoreAdjValues(args: string[]): string | { err: string } {
  if (args.length !== 3) return { err: 'wrong number of arguments' };
  const out: number[] = [];
  for (const a of args) {
    const v = strtollWhole(a);
    if (v === null || a === '' || v < -2000 || v > 2000)
      return { err: 'Invalid oom-score-adj-values, elements must be between -2000 and 2000.' };
    out.push(v);
  }
  return out.join(' ');
}

/**
 * notify-keyspace-events is stored with every flag spelled out (Redis keeps an int: "AKEn" shows as
 * "AKE" but 'n' stays on); CONFIG GET prints keyspaceEventsFlagsToString through `show`.
 */
function setNotifyKeyspaceEvents(a: string[]): string | { err: string } {
  if (a.length !== 1) return { err: 'wrong number of arguments' };
  const flags = keyspaceEventsStringToFlags(a[0]);
  if (flags === null) return { err: "Invalid event class character. Use 'Ag$lshzxeKEtmdn'." };
  return keyspaceEventsFlagsToFullString(flags);
}

const showNotifyKeyspaceEvents = (stored: string) =>
  keyspaceEventsFlagsToString(keyspaceEventsStringToFlags(stored) ?? 0);

function setLatencyPercentiles(args: string[]): string | { err: string } {
  if (args.length === 1 && args[0] === '') return '';
  const out: string[] = [];
  for (const a of args) {
    const d = a.trim() !== a ? null : parseDouble(a);
    if (d === null || Number.isNaN(d)) return { err: 'Invalid latency-tracking-info-percentiles parameters' };
    if (d > 100 || d < 0) return { err: 'latency-tracking-info-percentiles parameters should sit between [0.0,100.0]' };
    out.push(formatFixed6Trimmed(d));
  }
  return out.join(' ');
}

function setReplicaOf(args: string[]): string | { err: string } {
  if (args.length !== 2) return { err: 'wrong number of arguments' };
  if (args[0].toLowerCase() === 'no' && args[1].toLowerCase() === 'one') return '';
  const port = /^[+-]?\d+$/.test(args[1]) ? Number(args[1]) : Number.NaN;
  if (!(port >= 0 && port <= 65535)) return { err: 'Invalid master port' };
  return `${args[0]} ${port}`;
}

export const CONFIG_PARAMS: readonly ConfigParam[] = [
  // Bool configs
  bool('rdbchecksum', true, { immutable: true }),
  bool('daemonize', false, { immutable: true }),
  bool('io-threads-do-reads', false, { immutable: true }),
  bool('always-show-logo', false, { immutable: true }),
  bool('protected-mode', true),
  bool('rdbcompression', true),
  bool('rdb-del-sync-files', false),
  bool('activerehashing', true),
  bool('stop-writes-on-bgsave-error', true),
  bool('set-proc-title', true, { immutable: true }),
  bool('dynamic-hz', true),
  bool('lazyfree-lazy-eviction', false),
  bool('lazyfree-lazy-expire', false),
  bool('lazyfree-lazy-server-del', false),
  bool('lazyfree-lazy-user-del', false),
  bool('lazyfree-lazy-user-flush', false),
  bool('repl-disable-tcp-nodelay', false),
  bool('repl-diskless-sync', true),
  bool('aof-rewrite-incremental-fsync', true),
  bool('no-appendfsync-on-rewrite', false),
  bool('cluster-require-full-coverage', true),
  bool('rdb-save-incremental-fsync', true),
  bool('aof-load-truncated', true),
  bool('aof-use-rdb-preamble', true),
  bool('aof-timestamp-enabled', false),
  bool('cluster-replica-no-failover', false, { alias: 'cluster-slave-no-failover' }),
  bool('replica-lazy-flush', false, { alias: 'slave-lazy-flush' }),
  bool('replica-serve-stale-data', true, { alias: 'slave-serve-stale-data' }),
  bool('replica-read-only', true, { alias: 'slave-read-only' }),
  bool('replica-ignore-maxmemory', true, { alias: 'slave-ignore-maxmemory' }),
  bool('jemalloc-bg-thread', true),
  bool('activedefrag', false, {}, noDefrag),
  bool('syslog-enabled', false, { immutable: true }),
  bool('cluster-enabled', false, { immutable: true }),
  bool('appendonly', false, { denyLoading: true }),
  bool('cluster-allow-reads-when-down', false),
  bool('cluster-allow-pubsubshard-when-down', true),
  bool('crash-log-enabled', true),
  bool('crash-memcheck-enabled', true),
  bool('use-exit-on-panic', false, { hidden: true }),
  bool('disable-thp', true, { immutable: true }),
  bool('cluster-allow-replica-migration', true),
  bool('replica-announced', true),
  bool('latency-tracking', true),
  bool('aof-disable-auto-gc', false),
  bool('replica-ignore-disk-write-errors', false),

  // String configs
  str('aclfile', '', { immutable: true }),
  str('unixsocket', '', { immutable: true }),
  str('pidfile', '', { immutable: true }),
  str('replica-announce-ip', '', { alias: 'slave-announce-ip' }),
  str('masteruser', '', { sensitive: true }),
  str('cluster-announce-ip', ''),
  str('cluster-config-file', 'nodes.conf', { immutable: true }),
  str('cluster-announce-hostname', '', {}, validHostname),
  str('syslog-ident', 'redis', { immutable: true }),
  str('dbfilename', 'dump.rdb', { protected: true }, noPath('dbfilename', 'filename')),
  str('appendfilename', 'appendonly.aof', { immutable: true }, nonEmptyNoPath('appendfilename', 'filename')),
  str('appenddirname', 'appendonlydir', { immutable: true }, nonEmptyNoPath('appenddirname', 'dirname')),
  str('server_cpulist', '', { immutable: true }),
  str('bio_cpulist', '', { immutable: true }),
  str('aof_rewrite_cpulist', '', { immutable: true }),
  str('bgsave_cpulist', '', { immutable: true }),
  str('ignore-warnings', ''),
  str('proc-title-template', '{title} {listen-addr} {server-mode}', {}, validProcTitle),
  str('bind-source-addr', ''),
  str('logfile', '', { immutable: true }),
  str('masterauth', '', { sensitive: true }),
  str('requirepass', '', { sensitive: true }),

  // Enum configs
  enm('supervised', supervisedEnum, 0, { immutable: true }),
  enm('syslog-facility', syslogFacilityEnum, 1, { immutable: true }),
  enm('repl-diskless-load', replDisklessLoadEnum, 0, { denyLoading: true }),
  enm('loglevel', loglevelEnum, 2),
  enm('maxmemory-policy', maxmemoryPolicyEnum, 7),
  enm('appendfsync', aofFsyncEnum, 2),
  enm('oom-score-adj', oomScoreAdjEnum, 0),
  enm('acl-pubsub-default', aclPubsubDefaultEnum, 0),
  enm('sanitize-dump-payload', sanitizeDumpPayloadEnum, 0),
  enm('enable-protected-configs', protectedActionEnum, 0, { immutable: true }),
  enm('enable-debug-command', protectedActionEnum, 0, { immutable: true }),
  enm('enable-module-command', protectedActionEnum, 0, { immutable: true }),
  enm('cluster-preferred-endpoint-type', clusterEndpointEnum, 0),
  enm('propagation-error-behavior', propagationErrorEnum, 0),
  enm('shutdown-on-sigint', shutdownOnSigEnum, 0, { multiArg: true }, noSaveAndNosave),
  enm('shutdown-on-sigterm', shutdownOnSigEnum, 0, { multiArg: true }, noSaveAndNosave),

  // Integer configs
  int('databases', 1n, INT_MAX, 16, { immutable: true }),
  // LAB: CONFIG SET port is accepted but the TCP server keeps its listening socket.
  int('port', 0n, 65535n, 6379),
  int('io-threads', 1n, 128n, 1, { immutable: true }),
  int('auto-aof-rewrite-percentage', 0n, INT_MAX, 100),
  int('cluster-replica-validity-factor', 0n, INT_MAX, 10, { alias: 'cluster-slave-validity-factor' }),
  int('list-max-listpack-size', INT_MIN, INT_MAX, -2, { alias: 'list-max-ziplist-size' }),
  int('tcp-keepalive', 0n, INT_MAX, 300),
  int('cluster-migration-barrier', 0n, INT_MAX, 1),
  int('active-defrag-cycle-min', 1n, 99n, 1),
  int('active-defrag-cycle-max', 1n, 99n, 25),
  int('active-defrag-threshold-lower', 0n, 1000n, 10),
  int('active-defrag-threshold-upper', 0n, 1000n, 100),
  int('lfu-log-factor', 0n, INT_MAX, 10),
  int('lfu-decay-time', 0n, INT_MAX, 1),
  int('replica-priority', 0n, INT_MAX, 100, { alias: 'slave-priority' }),
  int('repl-diskless-sync-delay', 0n, INT_MAX, 5),
  int('maxmemory-samples', 1n, INT_MAX, 5),
  int('maxmemory-eviction-tenacity', 0n, 100n, 10),
  int('timeout', 0n, INT_MAX, 0),
  int('replica-announce-port', 0n, 65535n, 0, { alias: 'slave-announce-port' }),
  int('tcp-backlog', 0n, INT_MAX, 511, { immutable: true }),
  int('cluster-port', 0n, 65535n, 0, { immutable: true }),
  int('cluster-announce-bus-port', 0n, 65535n, 0),
  int('cluster-announce-port', 0n, 65535n, 0),
  int('cluster-announce-tls-port', 0n, 65535n, 0),
  int('repl-timeout', 1n, INT_MAX, 60),
  int('repl-ping-replica-period', 1n, INT_MAX, 10, { alias: 'repl-ping-slave-period' }),
  int('list-compress-depth', 0n, INT_MAX, 0),
  int('rdb-key-save-delay', INT_MIN, INT_MAX, 0, { hidden: true }),
  int('key-load-delay', INT_MIN, INT_MAX, 0, { hidden: true }),
  int('active-expire-effort', 1n, 10n, 1),
  // updateHZ: out-of-range values are accepted and capped to CONFIG_MIN_HZ..CONFIG_MAX_HZ.
  int('hz', 0n, INT_MAX, 10, { apply: (v) => (v < 1n ? 1n : v > 500n ? 500n : v) }),
  int('min-replicas-to-write', 0n, INT_MAX, 0, { alias: 'min-slaves-to-write' }),
  int('min-replicas-max-lag', 0n, INT_MAX, 10, { alias: 'min-slaves-max-lag' }),
  int('watchdog-period', 0n, INT_MAX, 0, { hidden: true }),
  int('shutdown-timeout', 0n, INT_MAX, 10),
  int('repl-diskless-sync-max-replicas', 0n, INT_MAX, 0),

  // Unsigned int configs
  num('uint', 'maxclients', 1n, UINT_MAX, 10000n),
  num('uint', 'unixsocketperm', 0n, 0o777n, 0n, { immutable: true, octal: true }),
  num('uint', 'socket-mark-id', 0n, UINT_MAX, 0n, { immutable: true }),

  // Unsigned long configs
  num('ulong', 'active-defrag-max-scan-fields', 1n, LONG_MAX, 1000n),
  num('ulong', 'slowlog-max-len', 0n, LONG_MAX, 128n),
  num('ulong', 'acllog-max-len', 0n, LONG_MAX, 128n),

  // Long long configs
  num('ll', 'busy-reply-threshold', 0n, LONG_MAX, 5000n, { alias: 'lua-time-limit' }),
  num('ll', 'cluster-node-timeout', 0n, LONG_MAX, 15000n),
  num('ll', 'slowlog-log-slower-than', -1n, LONG_MAX, 10000n),
  num('ll', 'latency-monitor-threshold', 0n, LONG_MAX, 0n),
  num('ll', 'proto-max-bulk-len', 1024n * 1024n, LONG_MAX, 512n * 1024n * 1024n, { memory: true }),
  num('ll', 'stream-node-max-entries', 0n, LONG_MAX, 100n),
  num('ll', 'repl-backlog-size', 1n, LONG_MAX, 1024n * 1024n, { memory: true }),

  // Unsigned long long configs
  num('ull', 'maxmemory', 0n, ULLONG_MAX, 0n, { memory: true }),
  num('ull', 'cluster-link-sendbuf-limit', 0n, ULLONG_MAX, 0n, { memory: true }),

  // Size_t configs
  num('size', 'hash-max-listpack-entries', 0n, LONG_MAX, 512n, { alias: 'hash-max-ziplist-entries' }),
  num('size', 'set-max-intset-entries', 0n, LONG_MAX, 512n),
  num('size', 'zset-max-listpack-entries', 0n, LONG_MAX, 128n, { alias: 'zset-max-ziplist-entries' }),
  num('size', 'active-defrag-ignore-bytes', 1n, LONG_MAX, 100n << 20n, { memory: true }),
  num('size', 'hash-max-listpack-value', 0n, LONG_MAX, 64n, { alias: 'hash-max-ziplist-value', memory: true }),
  num('size', 'stream-node-max-bytes', 0n, LONG_MAX, 4096n, { memory: true }),
  num('size', 'zset-max-listpack-value', 0n, LONG_MAX, 64n, { alias: 'zset-max-ziplist-value', memory: true }),
  num('size', 'hll-sparse-max-bytes', 0n, LONG_MAX, 3000n, { memory: true }),
  num('size', 'tracking-table-max-keys', 0n, LONG_MAX, 1000000n),
  num('size', 'client-query-buffer-limit', 1024n * 1024n, LONG_MAX, 1024n * 1024n * 1024n, { memory: true }),
  num('ssize', 'maxmemory-clients', -100n, LONG_MAX, 0n, { memory: true, percent: true }),

  // Other configs
  num('time', 'repl-backlog-ttl', 0n, LONG_MAX, 3600n),
  num('off', 'auto-aof-rewrite-min-size', 0n, LONG_MAX, 64n * 1024n * 1024n, { memory: true }),
  num('off', 'loading-process-events-interval-bytes', 1024n, INT_MAX, 2n * 1024n * 1024n, { hidden: true }),

  // TLS (Debian builds with OpenSSL)
  int('tls-port', 0n, 65535n, 0),
  int('tls-session-cache-size', 0n, INT_MAX, 20 * 1024),
  int('tls-session-cache-timeout', 0n, INT_MAX, 300),
  bool('tls-cluster', false),
  bool('tls-replication', false),
  enm('tls-auth-clients', tlsAuthClientsEnum, 1),
  bool('tls-prefer-server-ciphers', false),
  bool('tls-session-caching', true),
  str('tls-cert-file', ''),
  str('tls-key-file', ''),
  str('tls-key-file-pass', ''),
  str('tls-client-cert-file', ''),
  str('tls-client-key-file', ''),
  str('tls-client-key-file-pass', ''),
  str('tls-dh-params-file', ''),
  str('tls-ca-cert-file', ''),
  str('tls-ca-cert-dir', ''),
  str('tls-protocols', ''),
  str('tls-ciphers', ''),
  str('tls-ciphersuites', ''),

  // Special configs
  // LAB: `dir` is the engine's notional working directory (no chdir); Redis prints getcwd().
  special('dir', '.', (a) => (a.length !== 1 ? { err: 'wrong number of arguments' } : a[0]), {
    protected: true,
    denyLoading: true,
  }),
  special('save', '3600 1 300 100 60 10000', setSave, { multiArg: true }),
  special(
    'client-output-buffer-limit',
    'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60',
    setClientOutputBufferLimit,
    { multiArg: true },
  ),
  special('oom-score-adj-values', '0 200 800', setOomScoreAdjValues, { multiArg: true }),
  { ...special('notify-keyspace-events', '', setNotifyKeyspaceEvents), show: showNotifyKeyspaceEvents } as ConfigParam,
  // LAB: a new bind list is stored; the TCP server does not rebind.
  special(
    'bind',
    '* -::*',
    (a) => {
      if (a.length > 16) return { err: 'Too many bind addresses specified.' };
      return a.length === 1 && a[0] === '' ? '' : a.join(' ');
    },
    { multiArg: true },
  ),
  special('replicaof', '', setReplicaOf, { alias: 'slaveof', immutable: true, multiArg: true }),
  special('latency-tracking-info-percentiles', '50 99 99.9', setLatencyPercentiles, { multiArg: true }),
];
