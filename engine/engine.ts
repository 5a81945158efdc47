// The engine: databases, config, clients, statistics and the single dispatch path, in the order
// of Redis's processCommand/call (src/server.c): lookup → arity → auth → ACL → subscribe-mode guard →
// OOM → MULTI queueing → execute → propagate → MONITOR. Handlers never check arity or auth.

import { Acl } from './acl/acl';
import { Client, type ClientOptions, NO_REPLY } from './client';
import { type Clock, systemClock } from './clock';
import { arityMatches, type Command } from './commands/define';
import type { CommandTable } from './commands/table';
import { Config } from './config';
import { E, execAbort, unknownCommand, unknownSubcommand, wrongArity } from './errors';
import type { EngineEvent, EngineListener } from './events';
import { activeExpireCycle } from './keyspace/expire';
import { Blocking } from './keyspace/blocking';
import { Db, LRU_MASK } from './keyspace/db';
import { installEviction, touchedMeta } from './keyspace/evict';
import { installKeyspaceNotifications } from './keyspace/notify';
import { ClientPause } from './keyspace/pause';
import type { Tracking } from './keyspace/tracking';
import type { DictEntry } from './types/dict';
import { QUEUED, type Reply, ReplyError, error } from './protocol/reply';
import { repr } from './protocol/repr';
import type { Random } from './random';
import { LatencyMonitor } from './latency';
import { Slowlog } from './slowlog';
import { discardTransaction, type MultiState, rejectOnOom } from './multi';

export interface CommandStat {
  calls: number;
  usec: number;
  rejectedCalls: number;
  failedCalls: number;
  /** Call latencies for INFO latencystats: counts per power-of-two µs bucket (null until first call). */
  latency: number[] | null;
}

/** EXEC of a transaction with a write queued (processCommand's is_write_command for EXEC). */
function execWrites(cmd: Command, multi: MultiState | undefined): boolean {
  return multi !== undefined && cmd.fullname === 'exec' && multi.queue.some(([q]) => q.isWrite);
}

/** Count one call's latency in its power-of-two bucket (bucket b holds [2^(b-1), 2^b) µs). */
function recordLatency(stat: CommandStat, usec: number): void {
  const h = stat.latency ?? (stat.latency = new Array<number>(41).fill(0));
  h[usec < 1 ? 0 : 32 - Math.clz32(usec)]++;
}

export class Stats {
  startTime = 0;
  totalConnections = 0;
  rejectedConnections = 0;
  totalCommands = 0;
  expiredKeys = 0;
  expiredStalePerc = 0;
  expiredTimeCapReached = 0;
  evictedKeys = 0;
  keyspaceHits = 0;
  keyspaceMisses = 0;
  totalErrorReplies = 0;
  totalNetInputBytes = 0;
  totalNetOutputBytes = 0;
  commands = new Map<string, CommandStat>();
  errors = new Map<string, number>();
  reset(): void {
    this.rejectedConnections = 0;
    this.totalCommands = 0;
    this.totalConnections = 0;
    this.expiredKeys = 0;
    this.expiredStalePerc = 0;
    this.expiredTimeCapReached = 0;
    this.evictedKeys = 0;
    this.keyspaceHits = 0;
    this.keyspaceMisses = 0;
    this.totalErrorReplies = 0;
    this.totalNetInputBytes = 0;
    this.totalNetOutputBytes = 0;
    this.commands.clear();
    this.errors.clear();
  }
}

/** Commands allowed while a RESP2 client is in subscribe mode. */
const SUBSCRIBE_MODE_ALLOWED = new Set([
  'subscribe',
  'ssubscribe',
  'unsubscribe',
  'sunsubscribe',
  'psubscribe',
  'punsubscribe',
  'ping',
  'quit',
  'reset',
]);
/** Commands executed immediately inside MULTI instead of being queued. */
const MULTI_IMMEDIATE = new Set(['exec', 'discard', 'multi', 'watch', 'quit', 'reset']);
/** CMD_TOUCHES_ARBITRARY_KEYS (hidden flag): their lazy-expire DELs are never wrapped in MULTI/EXEC. */
const TOUCHES_ARBITRARY_KEYS = new Set(['scan', 'randomkey']);

export interface EngineOptions {
  clock: Clock;
  random: Random;
  table: CommandTable;
  config?: Record<string, string>;
  /** Seed for the dicts' hash function (Redis seeds siphash randomly at start). */
  hashSeed?: number;
}

/**
 * Error replies whose error was already counted in the error stats (ERR_REPLY_FLAG_NO_STATS_UPDATE):
 * a script returning the error of a command it called (redis.pcall) fails without counting it twice.
 */
export const ERROR_ALREADY_COUNTED = new WeakSet<Reply>();

/** Node's `performance` global is a lazy getter: look it up once, not on every command. */
const perf = globalThis.performance;
/** At most this many fast commands share one clock read (it also bounds how stale the cached time gets). */
const MAX_UNTIMED = 64;

export class Engine {
  readonly clock: Clock;
  readonly random: Random;
  readonly config: Config;
  readonly table: CommandTable;
  readonly dbs: Db[];
  /** Clients blocked on keys (BLPOP, BZPOPMIN, XREAD BLOCK...), ready keys, timeouts. */
  readonly blocking: Blocking;
  readonly stats = new Stats();
  readonly clients = new Map<number, Client>();
  readonly monitors = new Set<Client>();
  readonly hashSeed: number;
  /** Changes since the last save (server.dirty). */
  dirty = 0;
  /** Clients are paused (CLIENT PAUSE): expiry and eviction wait too. Kept by `clientPause`. */
  paused = false;
  /** CLIENT PAUSE / UNPAUSE state (server.client_pause_type and end time). */
  readonly clientPause: ClientPause;
  /** Client-side caching (tracking.c), created when a client first enables CLIENT TRACKING. */
  tracking: Tracking | null = null;
  /** server.current_client: the client whose command is being processed (null in cron). */
  currentClient: Client | null = null;
  /** The client running the innermost command (the script's fake client inside a script). */
  execClient: Client | null = null;
  /** The outermost non-script command running (a script's caller's EVAL/FCALL, for tracking). */
  private callerCmd: Command | null = null;
  private callerArgv: string[] | null = null;
  /** server.loading: a dataset is being loaded (RDB/AOF); nothing counts as expired meanwhile. */
  loading = false;
  noTouch = false;
  activeExpireEnabled = true;
  /** Nesting depth of call_ (0 between commands; EXEC and scripts nest). */
  private callDepth = 0;
  /** The time fixed for the running command (server.mstime, updated at the outermost call). */
  private callTime = 0;
  /**
   * Commands run back to back in one task (a pipelined read, a script of commands) share clock reads:
   * perf.now() of the last read, -1 at the start of a task. A clock read costs as much as a small
   * command, so fast commands (flag 'fast': O(1), O(log N)) in such a run are not timed one by one:
   * the time since the last read is shared out among them at the next read (see settleTimes).
   */
  private chainStamp = -1;
  /** The fast commands run since `chainStamp` whose time is not counted yet: the first `untimed`. */
  private untimed = 0;
  private readonly untimedCmds: (Command | null)[] = new Array(MAX_UNTIMED).fill(null);
  private readonly untimedClients: (Client | null)[] = new Array(MAX_UNTIMED).fill(null);
  private readonly untimedArgvs: (string[] | null)[] = new Array(MAX_UNTIMED).fill(null);
  private readonly endChain = (): void => {
    this.settleTimes();
    this.chainStamp = -1;
  };
  /** The system clock as read at perf.now() time `clockStamp` (re-read once 0.1 ms old). */
  private cachedClock = 0;
  private clockStamp = Number.NEGATIVE_INFINITY;
  /** Per-call state a handler can adjust (rewriteClientCommandVector / alsoPropagate). */
  private propagateArgv: string[] | null = null;
  private extraPropagation: { db: number; argv: string[] }[] | null = null;
  private nextClientId = 1;
  private listeners: EngineListener[] = [];
  private readonly typedListeners = new Map<EngineEvent['type'], EngineListener[]>();
  /** Event types someone listens to (kept as plain flags: `wants` is on every write's path). */
  private readonly wanted: Partial<Record<EngineEvent['type'], boolean>> = {};
  /** An LFU maxmemory-policy is selected (kept by the eviction layer; read on every key access). */
  lfuPolicy = false;
  private lastCron: number;
  /** The default user has a password or is off: clients that never authenticated get NOAUTH (authRequired). */
  authRequired = false;
  /** Users, the permission check and the ACL LOG (acl.c). */
  readonly acl: Acl;
  /** slowlog-log-slower-than in µs (Infinity when the slow log is disabled). */
  slowlogThreshold = 10000;
  latencyTracking = true;
  readonly slowlog = new Slowlog();
  /** latency-monitor-threshold in ms (0: the latency monitor is off) and the monitor's events. */
  latencyThreshold = 0;
  readonly latency = new LatencyMonitor();
  /** Extension points for other command groups, set when they register (keyspace notifications...). */
  notifyHook: ((cls: string, event: string, key: string, db: number) => void) | null = null;
  readonly runId: string;

  constructor(opts: EngineOptions) {
    this.clock = opts.clock;
    this.random = opts.random;
    this.table = opts.table;
    this.config = new Config(opts.config);
    this.hashSeed = opts.hashSeed ?? Math.floor(opts.random.next() * 0xffffffff);
    const n = this.config.getInt('databases');
    this.blocking = new Blocking(this);
    this.clientPause = new ClientPause(this);
    this.dbs = [];
    for (let i = 0; i < n; i++) this.dbs.push(new Db(i, this));
    this.stats.startTime = this.clock.now();
    this.lastCron = this.clock.now();
    let id = '';
    for (let i = 0; i < 40; i++) id += '0123456789abcdef'[this.random.int(16)];
    this.runId = id;
    this.acl = new Acl(this);
    const cached = (name: string, value: string) => {
      if (name === 'requirepass') this.acl.setDefaultPassword(value);
      else if (name === 'slowlog-log-slower-than') this.slowlogThreshold = value === '-1' ? Infinity : Number(value);
      else if (name === 'latency-tracking') this.latencyTracking = value === 'yes';
      else if (name === 'latency-monitor-threshold') this.latencyThreshold = Number(value);
    };
    for (const name of ['requirepass', 'slowlog-log-slower-than', 'latency-tracking', 'latency-monitor-threshold'])
      cached(name, this.config.get(name));
    this.config.onChange((name, value) => {
      cached(name, value);
      this.emit({ type: 'config', name, value });
    });
    installKeyspaceNotifications(this);
    installEviction(this);
  }

  /**
   * The time in ms. While a command runs it is fixed to its start, as Redis 7.0's call() caches
   * server.mstime for expiry checks (fixed_time_expire), so a key can't expire halfway through a command.
   */
  now(): number {
    return this.callDepth > 0 ? this.callTime : this.clock.now();
  }

  /** Redis's 24-bit LRU clock in seconds. */
  lruClock(): number {
    return Math.floor(this.now() / 1000) & LRU_MASK;
  }

  // ---- events -------------------------------------------------------------------------------

  /**
   * Listen to engine events: every event, or only the given types. Producers skip building events
   * nobody listens to (`wants`), so a typed listener (the AOF wants only 'propagate' and 'flush')
   * keeps the write path free of per-key event objects.
   */
  on(listener: EngineListener, types?: readonly EngineEvent['type'][]): () => void {
    if (types === undefined) this.listeners.push(listener);
    else
      for (const t of types) {
        const list = this.typedListeners.get(t);
        if (list) list.push(listener);
        else this.typedListeners.set(t, [listener]);
        this.wanted[t] = true;
      }
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
      for (const [t, list] of this.typedListeners) {
        const rest = list.filter((l) => l !== listener);
        if (rest.length > 0) this.typedListeners.set(t, rest);
        else {
          this.typedListeners.delete(t);
          this.wanted[t] = false;
        }
      }
    };
  }

  /** Does anyone listen to events of this type? */
  wants(type: EngineEvent['type']): boolean {
    return this.listeners.length > 0 || this.wanted[type] === true;
  }

  emit(e: EngineEvent): void {
    const ls = this.listeners;
    for (let i = 0; i < ls.length; i++) ls[i](e);
    const typed = this.typedListeners.get(e.type);
    if (typed !== undefined) for (let i = 0; i < typed.length; i++) typed[i](e);
  }

  /**
   * Queue a write for the AOF/replicas; `argv` is already in its final form. Inside a command it
   * joins the command's batch (server.also_propagate), emitted when the outermost call ends.
   */
  propagate(db: number, argv: readonly string[]): void {
    if (this.batching) {
      this.pendingDbs.push(db);
      this.pendingArgvs.push(argv);
    } else if (this.wants('propagate')) this.emit({ type: 'propagate', db, argv });
  }

  /** A top-level command is running: its writes are held (db and argv side by side) until it ends. */
  private batching = false;
  /** (two arrays that keep their capacity: a write command allocates nothing to be held here) */
  private readonly pendingDbs: number[] = [];
  private readonly pendingArgvs: (readonly string[])[] = [];

  /**
   * propagatePendingCommands: emit the top-level command's writes, wrapped in MULTI/EXEC when there
   * are several (EXEC, SPOP with a count, a write after a lazy expiry...), as Redis 7.0 does.
   */
  private flushPropagation(cmd: Command): void {
    this.batching = false;
    const n = this.pendingDbs.length;
    if (n === 0) return;
    const dbs = this.pendingDbs;
    const argvs = this.pendingArgvs;
    if (!this.wants('propagate')) {
      // Nobody listens: drop them (pop keeps the arrays' capacity; every write command comes here).
      for (let i = 0; i < n; i++) {
        dbs.pop();
        argvs.pop();
      }
      return;
    }
    if (n === 1) {
      // The usual case, one write: no copy, no MULTI/EXEC.
      const db = dbs.pop() as number;
      const argv = argvs.pop() as readonly string[];
      this.emit({ type: 'propagate', db, argv });
      return;
    }
    const opDbs = dbs.splice(0);
    const opArgvs = argvs.splice(0);
    const wrap = !TOUCHES_ARBITRARY_KEYS.has(cmd.fullname);
    if (wrap) this.emit({ type: 'propagate', db: opDbs[0], argv: ['MULTI'] });
    for (let i = 0; i < n; i++) this.emit({ type: 'propagate', db: opDbs[i], argv: opArgvs[i] });
    if (wrap) this.emit({ type: 'propagate', db: opDbs[n - 1], argv: ['EXEC'] });
  }

  /** notifyKeyspaceEvent: emitted for panels; the pub/sub layer publishes per notify-keyspace-events. */
  notify(cls: string, event: string, key: string, db: number): void {
    if (this.notifyHook) this.notifyHook(cls, event, key, db);
    if (this.wants('notify')) this.emit({ type: 'notify', db, event, key, cls });
  }

  /** Inside a handler: propagate this argv instead of the one received (SET EX → SET PXAT, EXPIRE → PEXPIREAT). */
  rewritePropagation(argv: string[]): void {
    if (this.callDepth > 0) this.propagateArgv = argv;
  }

  /**
   * Inside a handler: do not propagate the command itself (preventCommandPropagation); what it
   * queued with alsoPropagate still goes (XREADGROUP, XCLAIM, XAUTOCLAIM propagate XCLAIMs instead).
   */
  preventPropagation(): void {
    if (this.callDepth > 0) this.propagateArgv = [];
  }

  /** Inside a handler: propagate the command even if it changed nothing (forceCommandPropagation). */
  forcePropagation(): void {
    if (this.callDepth > 0) this.forcePropagate = true;
  }

  private forcePropagate = false;

  /** Inside a handler: propagate an extra command after the current one (alsoPropagate). */
  alsoPropagate(db: number, argv: string[]): void {
    if (this.callDepth === 0) return;
    if (this.extraPropagation === null) this.extraPropagation = [];
    this.extraPropagation.push({ db, argv });
  }

  // ---- clients ------------------------------------------------------------------------------

  createClient(opts: ClientOptions = {}): Client {
    const c = new Client(this, this.nextClientId++, opts);
    this.clients.set(c.id, c);
    this.stats.totalConnections++;
    return c;
  }

  /** Forget a client (its connection is gone): unwatch, unsubscribe, stop monitoring. */
  removeClient(c: Client): void {
    // Idempotent: CLIENT KILL removes a client before its connection reports the close.
    if (!this.clients.delete(c.id)) return;
    this.monitors.delete(c);
    for (const hook of this.clientCloseHooks) hook(c);
  }

  readonly clientCloseHooks: ((c: Client) => void)[] = [];

  // ---- dispatch -----------------------------------------------------------------------------

  /**
   * Run one command for a client. Returns the reply to send, or undefined when nothing is to be
   * sent now (CLIENT REPLY OFF/SKIP, or a blocked command that will `deliver` later).
   */
  dispatch(c: Client, argv: string[]): Reply | undefined {
    const blocking = this.blocking;
    // A blocked client's commands wait until it is unblocked, as its query buffer does in Redis
    // (and those of a client whose script runs past busy-reply-threshold, until it ends).
    if (blocking.mustDefer(c) || this.busyScript?.client === c) {
      blocking.defer(c, argv);
      return undefined;
    }
    const outerClient = this.currentClient;
    this.currentClient = c;
    const processed = this.process(c, argv);
    // resetClient: CLIENT CACHING counts for the next command (or transaction) only.
    if (this.tracking !== null) {
      const tracked = c.ext.tracking as { caching: boolean } | undefined;
      if (
        tracked?.caching &&
        c.ext.multi === undefined &&
        !blocking.mustDefer(c) &&
        argv[0].toLowerCase() !== 'client'
      ) {
        tracked.caching = false;
      }
    }
    // handleClientsBlockedOnKeys: serve clients blocked on keys this command made ready.
    if (blocking.hasWork) blocking.afterCommand();
    this.currentClient = outerClient;
    const reply = processed === NO_REPLY ? undefined : processed;
    const mode = c.replyMode;
    if (mode === 'on') return reply;
    // CLIENT REPLY SKIP sets 'skip-next': its own reply and the next command's are dropped.
    if (mode === 'skip-next') c.replyMode = 'skip';
    else if (mode === 'skip') c.replyMode = 'on';
    return undefined;
  }

  /**
   * The time (ms) of a command starting at perf.now() `stamp`, as call() caches server.mstime. The
   * system clock is read at most every 0.1 ms: a read costs as much as a small command.
   */
  private commandTime(stamp: number): number {
    if (this.clock !== systemClock) return this.clock.now();
    const age = stamp - this.clockStamp;
    if (age >= 0.1 || age < 0) {
      this.cachedClock = this.clock.now();
      this.clockStamp = stamp;
    }
    return this.cachedClock;
  }

  /**
   * Count the time of the fast commands run since the last clock read: each gets an equal share. The
   * TCP server calls this after a read's commands, before writing their replies; otherwise it
   * happens at the next timed command or when the task ends.
   * LAB: Redis times each call; here a fast command run back to back with others reports their
   * average in commandstats, latencystats and the slow log, and the host's work between them (parsing
   * the requests) is counted too.
   */
  settleTimes(): void {
    if (this.untimed > 0) this.settle(perf.now());
  }

  private settle(stamp: number): void {
    const n = this.untimed;
    const total = Math.max(0, Math.round((stamp - this.chainStamp) * 1000));
    const share = Math.floor(total / n);
    const extra = total - share * n;
    const { untimedCmds: cmds, untimedClients: clients, untimedArgvs: argvs } = this;
    for (let i = 0; i < n; i++) {
      const cmd = cmds[i] as Command;
      const usec = i < extra ? share + 1 : share;
      this.countTime(this.commandStat(cmd.fullname), cmd, clients[i] as Client, argvs[i] as string[], usec);
      cmds[i] = null;
      clients[i] = null;
      argvs[i] = null;
    }
    this.untimed = 0;
    this.chainStamp = stamp;
  }

  /** A call's duration: commandstats usec, the latency histogram, the slow log. */
  private countTime(stat: CommandStat, cmd: Command, c: Client, argv: string[], usec: number): void {
    stat.usec += usec;
    if (this.latencyTracking) recordLatency(stat, usec);
    // call(): every call (skip_slowlog ones too) is a latency-monitor sample, in whole ms.
    if (this.latencyThreshold > 0) {
      const event = cmd.spec.flags.includes('fast') ? 'fast-command' : 'command';
      const ms = Math.floor(usec / 1000);
      this.latency.addIfNeeded(event, ms, this.latencyThreshold, Math.floor(this.clock.now() / 1000));
    }
    if (usec >= this.slowlogThreshold && !cmd.spec.flags.includes('skip_slowlog')) {
      this.slowlog.push(c, argv, usec, this.config.getInt('slowlog-max-len'));
    }
  }

  private process(c: Client, argv: string[]): Reply {
    // A command run right after another in the same task starts where that one ended.
    const start = this.chainStamp >= 0 ? this.chainStamp : perf.now();
    const now = this.commandTime(start);
    c.lastInteraction = now;
    let cmd = this.table.lookup(argv[0]);
    if (cmd === undefined) return this.reject(c, unknownCommand(argv[0], argv.slice(1)), undefined);
    // A container alone is checked against its own arity (CONFIG → arity error, COMMAND → runs).
    if (cmd.subcommands && argv.length > 1) {
      const sub = cmd.subcommands.get(argv[1].toLowerCase());
      if (sub === undefined) return this.reject(c, unknownSubcommand(argv[1], argv[0]), undefined);
      cmd = sub;
    }
    if (!arityMatches(cmd.arity, argv.length)) return this.reject(c, wrongArity(cmd.fullname), cmd, argv);
    if (!c.authenticated && this.authRequired && !cmd.noAuth) return this.reject(c, E.NOAUTH, cmd, argv);
    const multi = c.ext.multi as MultiState | undefined;
    if (multi !== undefined && cmd.spec.flags.includes('no_multi')) {
      return this.reject(c, E.NOT_ALLOWED_IN_MULTI, cmd, argv);
    }
    // ACLCheckAllPerm (a user allowed everything, as "default" usually is, skips it).
    if (!c.user.unrestricted) {
      const denied = this.acl.deny(c, cmd, argv, multi !== undefined ? 'multi' : 'toplevel');
      if (denied !== null) return this.reject(c, denied, cmd, argv);
    }
    // processCommand evicts before every command while maxmemory is set; only some are refused.
    if (this.oomCheck?.(c) && rejectOnOom(c, cmd)) return this.reject(c, E.OOM, cmd, argv);
    // Client-side caching keeps its table within tracking-table-max-keys.
    if (this.tracking !== null && this.tracking.clients > 0) this.tracking.limitUsedSlots();
    // writeCommandsDeniedByDiskError: writes (and PING) are refused while persisting fails.
    if (this.diskError !== null && (cmd.isWrite || cmd.fullname === 'ping' || execWrites(cmd, multi))) {
      const denied = this.diskError();
      if (denied !== null) return this.reject(c, denied, cmd, argv);
    }
    if (c.subscriptionCount > 0 && c.resp === 2 && !SUBSCRIBE_MODE_ALLOWED.has(cmd.fullname)) {
      return this.reject(
        c,
        `ERR Can't execute '${cmd.fullname}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`,
        cmd,
        argv,
      );
    }
    // A script runs past busy-reply-threshold: only allow_busy commands (SCRIPT KILL...) are served.
    const busy = this.busyScript;
    if (busy !== null && !cmd.spec.flags.includes('allow_busy')) return this.reject(c, busy.busyError, cmd, argv);
    // CLIENT PAUSE: hold the client (and what it sends next) until the pause ends; then it runs again.
    if (this.paused && this.clientPause.type !== 'off' && this.clientPause.holds(c, cmd, argv, multi)) {
      // (CLIENT LIST shows the held command as the client's cmd=, as c->lastcmd is set at lookup)
      c.lastCommand = cmd.fullname;
      this.blocking.postpone(c, argv);
      return NO_REPLY;
    }
    if (multi !== undefined && !MULTI_IMMEDIATE.has((cmd.parent ?? cmd).fullname)) {
      // queueMultiCommand: no point keeping commands of a transaction that is bound to fail.
      if (!multi.dirty && !c.dirtyCas) multi.queue.push([cmd, argv]);
      return QUEUED;
    }
    return this.execute(c, cmd, argv, now, start);
  }

  /**
   * A script (EVAL/FCALL) suspended past busy-reply-threshold (script.c's busy state): its caller's
   * commands wait, other clients get `busyError` for anything but allow_busy commands, cron waits.
   */
  busyScript: { client: Client; busyError: string } | null = null;

  /** Inside a handler: the top-level command of its client (not EXEC's or a script's). */
  get inTopLevelCall(): boolean {
    return this.callDepth === 1;
  }

  /** A command is executing (server.fixed_time_expire > 0). */
  get inCall(): boolean {
    return this.callDepth > 0;
  }

  /** Clients are paused now (checkClientPauseTimeoutAndReturnIfPaused: an elapsed pause ends here). */
  pausedNow(): boolean {
    if (!this.paused) return false;
    // (a flag set directly, as tests do, has no end time)
    return this.clientPause.type === 'off' || this.clientPause.check();
  }

  /**
   * Go on with a command suspended earlier (a busy script's next slice): the engine time is fixed at
   * `time` again and the writes made are propagated as one batch at the end, as call() would.
   */
  resumeCall<T>(cmd: Command, time: number, fn: () => T): T {
    const topLevel = this.callDepth++ === 0;
    if (topLevel) {
      this.callTime = time;
      this.batching = true;
    }
    try {
      return fn();
    } finally {
      this.callDepth--;
      if (topLevel) this.flushPropagation(cmd);
    }
  }

  /** Execute a resolved command (also used by EXEC and scripts): stats, propagation, MONITOR. */
  call_(c: Client, cmd: Command, argv: string[]): Reply {
    const start = perf.now();
    return this.execute(c, cmd, argv, this.callDepth > 0 ? this.callTime : this.commandTime(start), start);
  }

  /** call(): `now` is the command's time, `start` the perf.now() its duration counts from. */
  private execute(c: Client, cmd: Command, argv: string[], now: number, callStart: number): Reply {
    let start = callStart;
    const exec = cmd.exec;
    if (exec === undefined) return error(unknownSubcommand(argv[1] ?? '', argv[0]));
    const dirtyBefore = this.dirty;
    const outerPropagate = this.propagateArgv;
    const outerExtra = this.extraPropagation;
    const outerForce = this.forcePropagate;
    this.propagateArgv = null;
    this.extraPropagation = null;
    this.forcePropagate = false;
    const topLevel = this.callDepth++ === 0;
    // Client-side caching needs to know who runs what (kept only once some client used tracking).
    const track = this.tracking;
    let outerExecClient: Client | null = null;
    let outerCallerCmd: Command | null = null;
    let outerCallerArgv: string[] | null = null;
    let isScriptClient = false;
    if (track !== null) {
      outerExecClient = this.execClient;
      outerCallerCmd = this.callerCmd;
      outerCallerArgv = this.callerArgv;
      isScriptClient = c.fd === -2;
      this.execClient = c;
      if (!isScriptClient) {
        this.callerCmd = cmd;
        this.callerArgv = argv;
      }
    }
    // In a run of commands, a fast one is timed later (settle); any other starts with a clock read.
    // (Under a manual clock, as in tests and lessons, every command is timed on its own.)
    let timed = true;
    if (topLevel && this.chainStamp >= 0 && this.clock === systemClock) {
      if (this.untimed < MAX_UNTIMED && cmd.spec.flags.includes('fast')) timed = false;
      else if (this.untimed > 0) {
        start = perf.now();
        this.settle(start);
      }
    }
    if (topLevel) {
      this.callTime = now;
      this.batching = true;
    }
    let reply: Reply;
    try {
      reply = exec(c, argv);
    } catch (err) {
      if (err instanceof ReplyError) reply = error(err.reply);
      else {
        // A bug must never take the server down: report it like Redis reports an internal error.
        reply = error(`ERR internal error: ${err instanceof Error ? err.message : String(err)}`);
      }
    } finally {
      this.callDepth--;
    }
    if (track !== null) {
      this.execClient = outerExecClient;
      this.callerCmd = outerCallerCmd;
      this.callerArgv = outerCallerArgv;
      // call(): a tracking client remembers the keys a read-only command read (for a script's
      // commands, the keys its EVAL/FCALL declared, in its caller's name).
      if (track.clients > 0 && cmd.isReadonly) {
        if (!isScriptClient) track.afterRead(c, cmd, argv, false);
        else if (this.currentClient !== null && outerCallerCmd !== null && outerCallerArgv !== null) {
          track.afterRead(this.currentClient, outerCallerCmd, outerCallerArgv, true);
        }
      }
    }
    // (looked up after the call: CONFIG RESETSTAT may have replaced the table)
    const stat = this.commandStat(cmd.fullname);
    if (timed) {
      const end = perf.now();
      if (topLevel) {
        if (this.chainStamp < 0) queueMicrotask(this.endChain);
        this.chainStamp = end;
      }
      this.countTime(stat, cmd, c, argv, Math.round((end - start) * 1000));
    } else {
      const i = this.untimed++;
      this.untimedCmds[i] = cmd;
      this.untimedClients[i] = c;
      this.untimedArgvs[i] = argv;
    }
    // (read back through a cast: TypeScript keeps the `= null` narrowing across the handler call)
    const propagateArgv = this.propagateArgv as string[] | null;
    const extraPropagation = this.extraPropagation as { db: number; argv: string[] }[] | null;
    const forced = this.forcePropagate;
    this.propagateArgv = outerPropagate;
    this.extraPropagation = outerExtra;
    this.forcePropagate = outerForce;
    stat.calls++;
    this.stats.totalCommands++;
    c.lastCommand = cmd.fullname;
    if (reply.t === 'error') {
      stat.failedCalls++;
      if (!ERROR_ALREADY_COUNTED.has(reply)) this.countError(reply.v);
    }
    // call(): any command that changed the dataset is propagated, whatever its flags (PFCOUNT
    // refreshing its cached cardinality is one).
    // dirty - before < 0 (SAVE resetting it) counts as no change, as in call().
    if ((this.dirty > dirtyBefore || forced) && propagateArgv?.length !== 0) {
      this.propagate(c.db.id, propagateArgv ?? argv);
    }
    if (extraPropagation) for (const p of extraPropagation) this.propagate(p.db, p.argv);
    if (this.monitors.size > 0 && !cmd.skipMonitor) this.feedMonitors(c, argv);
    if (topLevel) this.flushPropagation(cmd);
    return reply;
  }

  /** Set by the eviction layer (performEvictions): evicts as needed; true when still over maxmemory. */
  oomCheck: ((c: Client) => boolean) | null = null;

  /** Set by persistence: the MISCONF error while a BGSAVE or AOF write failed, else null. */
  diskError: (() => string | null) | null = null;

  private reject(c: Client, msg: string, cmd: Command | undefined, argv?: string[]): Reply {
    if (cmd) this.commandStat(cmd.fullname).rejectedCalls++;
    const multi = c.ext.multi as MultiState | undefined;
    if (multi) multi.dirty = true;
    if (cmd?.fullname === 'exec') {
      // execCommandAbort: a refused EXEC discards the transaction and still shows in MONITOR.
      discardTransaction(c);
      msg = execAbort(msg);
      if (argv !== undefined && this.monitors.size > 0) this.feedMonitors(c, argv);
    }
    this.countError(msg);
    return error(msg);
  }

  /** An error reply was sent: total_error_replies and errorstats (also protocol errors, from the server). */
  countError(msg: string): void {
    this.stats.totalErrorReplies++;
    const sp = msg.indexOf(' ');
    const code = sp === -1 ? msg : msg.slice(0, sp);
    this.stats.errors.set(code, (this.stats.errors.get(code) ?? 0) + 1);
  }

  commandStat(fullname: string): CommandStat {
    let s = this.stats.commands.get(fullname);
    if (s === undefined) {
      s = { calls: 0, usec: 0, rejectedCalls: 0, failedCalls: 0, latency: null };
      this.stats.commands.set(fullname, s);
    }
    return s;
  }

  /** replicationFeedMonitors; EVAL and FCALL (skip_monitor) feed themselves before their script's commands. */
  feedMonitors(c: Client, argv: readonly string[]): void {
    const us = this.clock.nowMicros();
    const ts = `${Math.floor(us / 1e6)}.${String(us % 1e6).padStart(6, '0')}`;
    let line = `${ts} [${c.db.id} ${c.fd === -2 ? 'lua' : c.addr}]`;
    for (const a of argv) line += ` ${repr(a)}`;
    const reply: Reply = { t: 'status', v: line };
    for (const m of this.monitors) if (m !== c) m.deliver(reply);
  }

  // ---- time ---------------------------------------------------------------------------------

  /**
   * serverCron: run every timer that is due by the engine clock (active expiry at `hz`). The host
   * calls this on an interval; with a manual clock, after each advance.
   */
  cron(): void {
    // processEventsWhileBlocked runs no timers: nothing expires while a busy script is suspended.
    if (this.busyScript !== null) return;
    const hz = Math.max(1, this.config.getInt('hz'));
    const period = 1000 / hz;
    const now = this.clock.now();
    // Blocked clients' timeouts are checked on every call (beforeSleep), not only at hz.
    this.blocking.checkTimeouts(now);
    // serverCron: an elapsed CLIENT PAUSE ends (its held clients run), the tracking table is trimmed.
    if (this.paused) this.pausedNow();
    if (this.tracking !== null && this.tracking.clients > 0) this.tracking.limitUsedSlots();
    let ticks = Math.floor((now - this.lastCron) / period);
    if (ticks <= 0) return;
    // Catching up after a long jump runs a bounded number of cycles: expiry is also lazy.
    if (ticks > 100) ticks = 100;
    this.lastCron = now;
    for (let i = 0; i < ticks; i++) {
      if (this.activeExpireEnabled) activeExpireCycle(this);
      for (const hook of this.cronHooks) hook();
    }
  }

  readonly cronHooks: (() => void)[] = [];
  /** Run before the process exits on SIGTERM/SIGINT (persistence saves here when save points are set). */
  readonly shutdownHooks: (() => void | Promise<void>)[] = [];

  /** Touch an entry's LRU (or LFU counter) on access. */
  touch(e: DictEntry<unknown>): void {
    e.meta = touchedMeta(this, e.meta);
  }
}
