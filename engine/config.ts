// CONFIG parameters as Redis 7.0 declares them in src/config.c: a typed table with defaults,
// validation and the exact CONFIG SET error wording. CONFIG GET/SET/RESETSTAT and the server's
// command line (--port 7000) all go through this one table.

export type ConfigValue = string;

interface BaseParam {
  name: string;
  alias?: string;
  /** Immutable parameters can only be given at start-up (command line / config file). */
  immutable?: boolean;
  /** Not shown by CONFIG GET (e.g. aliases are matched but answered under their own name). */
}

interface BoolParam extends BaseParam {
  kind: 'bool';
  default: boolean;
}
interface IntParam extends BaseParam {
  kind: 'int';
  default: number;
  min: number;
  max: number;
  /** Memory parameters accept units (1gb, 100mb) and are printed in bytes. */
  memory?: boolean;
  /** Percent parameters: a negative stored value is printed as "N%" (maxmemory-clients). */
}
interface EnumParam extends BaseParam {
  kind: 'enum';
  default: string;
  values: readonly string[];
  /** Flags enums (e.g. none of ours yet) would accept several values. */
}
interface StringParam extends BaseParam {
  kind: 'string';
  default: string;
  /** Returns an error message (without the CONFIG SET prefix) or null when the value is valid. */
  validate?: (v: string) => string | null;
  /** Canonical form stored and printed (e.g. "save" normalises spacing). */
  normalize?: (v: string) => string;
}

export type ConfigParam = BoolParam | IntParam | EnumParam | StringParam;

const LONG_MAX = Number.MAX_SAFE_INTEGER;
const INT_MAX = 2147483647;

const bool = (name: string, def: boolean, extra: Partial<BoolParam> = {}): BoolParam => ({
  kind: 'bool',
  name,
  default: def,
  ...extra,
});
const int = (name: string, def: number, min: number, max: number, extra: Partial<IntParam> = {}): IntParam => ({
  kind: 'int',
  name,
  default: def,
  min,
  max,
  ...extra,
});
const mem = (name: string, def: number, extra: Partial<IntParam> = {}): IntParam => ({
  kind: 'int',
  name,
  default: def,
  min: 0,
  max: LONG_MAX,
  memory: true,
  ...extra,
});
const enm = (name: string, def: string, values: readonly string[], extra: Partial<EnumParam> = {}): EnumParam => ({
  kind: 'enum',
  name,
  default: def,
  values,
  ...extra,
});
const str = (name: string, def: string, extra: Partial<StringParam> = {}): StringParam => ({
  kind: 'string',
  name,
  default: def,
  ...extra,
});

/** Parse "save" as Redis does: pairs of <seconds> <changes>, or "" to disable. */
function validateSave(v: string): string | null {
  const parts = v.split(' ').filter((p) => p.length > 0);
  if (parts.length % 2 !== 0) return 'Invalid save parameters';
  for (const p of parts) if (!/^\d+$/.test(p)) return 'Invalid save parameters';
  return null;
}

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

export const CONFIG_PARAMS: readonly ConfigParam[] = [
  // networking / server
  int('port', 6379, 0, 65535, { immutable: true }),
  str('bind', '* -::*', { immutable: true }),
  bool('protected-mode', true),
  int('databases', 16, 1, INT_MAX, { immutable: true }),
  int('hz', 10, 0, INT_MAX),
  bool('dynamic-hz', true),
  int('timeout', 0, 0, INT_MAX),
  int('tcp-keepalive', 300, 0, INT_MAX),
  int('tcp-backlog', 511, 0, INT_MAX, { immutable: true }),
  int('maxclients', 10000, 1, INT_MAX),
  str('requirepass', ''),
  enm('loglevel', 'notice', ['debug', 'verbose', 'notice', 'warning']),
  str('logfile', '', { immutable: true }),
  bool('daemonize', false, { immutable: true }),
  str('pidfile', '', { immutable: true }),
  mem('client-query-buffer-limit', 1024 * 1024 * 1024, { min: 1024 * 1024 }),
  mem('proto-max-bulk-len', 512 * 1024 * 1024, { min: 1024 * 1024 }),
  int('slowlog-log-slower-than', 10000, -1, LONG_MAX),
  int('slowlog-max-len', 128, 0, LONG_MAX),
  int('latency-monitor-threshold', 0, 0, LONG_MAX),
  int('active-expire-effort', 1, 1, 10),
  bool('lazyfree-lazy-eviction', false),
  bool('lazyfree-lazy-expire', false),
  bool('lazyfree-lazy-server-del', false),
  bool('lazyfree-lazy-user-del', false),
  bool('lazyfree-lazy-user-flush', false),
  str('notify-keyspace-events', ''),
  // memory
  mem('maxmemory', 0),
  enm('maxmemory-policy', 'noeviction', MAXMEMORY_POLICIES),
  int('maxmemory-samples', 5, 1, 64),
  int('maxmemory-eviction-tenacity', 10, 0, 100),
  int('lfu-log-factor', 10, 0, INT_MAX),
  int('lfu-decay-time', 1, 0, INT_MAX),
  // encodings
  int('hash-max-listpack-entries', 512, 0, LONG_MAX, { alias: 'hash-max-ziplist-entries' }),
  int('hash-max-listpack-value', 64, 0, LONG_MAX, { alias: 'hash-max-ziplist-value' }),
  int('list-max-listpack-size', -2, -5, INT_MAX, { alias: 'list-max-ziplist-size' }),
  int('list-compress-depth', 0, 0, INT_MAX),
  int('set-max-intset-entries', 512, 0, LONG_MAX),
  int('zset-max-listpack-entries', 128, 0, LONG_MAX, { alias: 'zset-max-ziplist-entries' }),
  int('zset-max-listpack-value', 64, 0, LONG_MAX, { alias: 'zset-max-ziplist-value' }),
  mem('stream-node-max-bytes', 4096),
  int('stream-node-max-entries', 100, 0, LONG_MAX),
  int('hll-sparse-max-bytes', 3000, 0, LONG_MAX, { memory: true }),
  // persistence
  str('dir', '.', { immutable: false }),
  str('dbfilename', 'dump.rdb'),
  str('save', '3600 1 300 100 60 10000', {
    validate: validateSave,
    normalize: (v) =>
      v
        .split(' ')
        .filter((p) => p)
        .join(' '),
  }),
  bool('rdbcompression', true),
  bool('rdbchecksum', true),
  bool('stop-writes-on-bgsave-error', true),
  bool('rdb-del-sync-files', false),
  bool('appendonly', false),
  str('appendfilename', 'appendonly.aof', { immutable: true }),
  str('appenddirname', 'appendonlydir', { immutable: true }),
  enm('appendfsync', 'everysec', ['always', 'everysec', 'no']),
  bool('no-appendfsync-on-rewrite', false),
  int('auto-aof-rewrite-percentage', 100, 0, INT_MAX),
  mem('auto-aof-rewrite-min-size', 64 * 1024 * 1024),
  bool('aof-load-truncated', true),
  bool('aof-use-rdb-preamble', true),
  bool('aof-timestamp-enabled', false),
  bool('aof-rewrite-incremental-fsync', true),
  bool('rdb-save-incremental-fsync', true),
  // scripting
  int('lua-time-limit', 5000, 0, LONG_MAX, { alias: 'busy-reply-threshold' }),
];

const BY_NAME = new Map<string, ConfigParam>();
for (const p of CONFIG_PARAMS) {
  BY_NAME.set(p.name, p);
  if (p.alias) BY_NAME.set(p.alias, p);
}

export function findParam(name: string): ConfigParam | undefined {
  return BY_NAME.get(name.toLowerCase());
}

const MEMORY_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1000,
  kb: 1024,
  m: 1000 * 1000,
  mb: 1024 * 1024,
  g: 1000 * 1000 * 1000,
  gb: 1024 * 1024 * 1024,
};

/** memtoull: "100mb" → bytes, or null when it is not a memory value. */
export function parseMemory(v: string): number | null {
  const m = /^(-?\d+)([a-zA-Z]*)$/.exec(v);
  if (!m) return null;
  const unit = MEMORY_UNITS[m[2].toLowerCase()];
  if (unit === undefined) return null;
  return Number(m[1]) * unit;
}

export class Config {
  private values = new Map<string, ConfigValue>();

  constructor(initial: Record<string, string> = {}) {
    for (const p of CONFIG_PARAMS) this.values.set(p.name, formatDefault(p));
    for (const [k, v] of Object.entries(initial)) {
      const err = this.set(k, v, true);
      if (err) throw new Error(`Bad directive or wrong number of arguments: ${k} ${v} (${err})`);
    }
  }

  get(name: string): string {
    const p = findParam(name);
    if (!p) throw new Error(`unknown config parameter ${name}`);
    return this.values.get(p.name) as string;
  }

  getInt(name: string): number {
    return Number(this.get(name));
  }

  getBool(name: string): boolean {
    return this.get(name) === 'yes';
  }

  /** Validate and store; returns Redis's reason text on failure (caller adds the CONFIG SET prefix). */
  set(name: string, raw: string, startup = false): string | null {
    const p = findParam(name);
    if (!p) return 'unknown';
    if (p.immutable && !startup) return "can't set immutable config";
    const parsed = parseValue(p, raw);
    if ('err' in parsed) return parsed.err;
    this.values.set(p.name, parsed.value);
    return null;
  }

  /** CONFIG GET: every (name, value) pair whose name or alias matches one of the patterns. */
  entries(): IterableIterator<[string, string]> {
    return this.values.entries();
  }
}

function formatDefault(p: ConfigParam): string {
  switch (p.kind) {
    case 'bool':
      return p.default ? 'yes' : 'no';
    case 'int':
      return String(p.default);
    case 'enum':
    case 'string':
      return p.default;
  }
}

function parseValue(p: ConfigParam, raw: string): { value: string } | { err: string } {
  switch (p.kind) {
    case 'bool': {
      const v = raw.toLowerCase();
      if (v !== 'yes' && v !== 'no') return { err: "argument must be 'yes' or 'no'" };
      return { value: v };
    }
    case 'int': {
      let n: number | null;
      if (p.memory) {
        n = parseMemory(raw);
        if (n === null) return { err: 'argument must be a memory value' };
      } else {
        n = /^-?\d+$/.test(raw) ? Number(raw) : null;
        if (n === null || !Number.isSafeInteger(n)) return { err: "argument couldn't be parsed into an integer" };
      }
      if (n < p.min || n > p.max) return { err: `argument must be between ${p.min} and ${p.max} inclusive` };
      return { value: String(n) };
    }
    case 'enum': {
      const v = raw.toLowerCase();
      if (!p.values.includes(v)) return { err: `argument(s) must be one of the following: ${p.values.join(', ')}` };
      return { value: v };
    }
    case 'string': {
      const err = p.validate?.(raw);
      if (err) return { err };
      return { value: p.normalize ? p.normalize(raw) : raw };
    }
  }
}
