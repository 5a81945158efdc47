// The engine: databases, config, clients, statistics and the single dispatch path, in the order
// of Redis's processCommand/call (src/server.c): lookup → arity → auth → subscribe-mode guard →
// OOM → MULTI queueing → execute → propagate → MONITOR. Handlers never check arity or auth.

import { Client, type ClientOptions } from './client';
import type { Clock } from './clock';
import type { Command } from './commands/define';
import type { CommandTable } from './commands/table';
import { Config } from './config';
import { E, unknownCommand, unknownSubcommand, wrongArity } from './errors';
import type { EngineEvent, EngineListener } from './events';
import { activeExpireCycle } from './keyspace/expire';
import { Db, LRU_MASK } from './keyspace/db';
import type { DictEntry } from './types/dict';
import { QUEUED, type Reply, ReplyError, error } from './protocol/reply';
import { repr } from './protocol/repr';
import type { Random } from './random';

export interface CommandStat {
  calls: number;
  usec: number;
  rejectedCalls: number;
  failedCalls: number;
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

export interface EngineOptions {
  clock: Clock;
  random: Random;
  table: CommandTable;
  config?: Record<string, string>;
  /** Seed for the dicts' hash function (Redis seeds siphash randomly at start). */
  hashSeed?: number;
}

/** Per-call state a handler can adjust (rewriteClientCommandVector / alsoPropagate). */
interface CallState {
  propagateArgv: string[] | null;
  extra: { db: number; argv: string[] }[] | null;
}

export class Engine {
  readonly clock: Clock;
  readonly random: Random;
  readonly config: Config;
  readonly table: CommandTable;
  readonly dbs: Db[];
  readonly stats = new Stats();
  readonly clients = new Map<number, Client>();
  readonly monitors = new Set<Client>();
  readonly hashSeed: number;
  /** Changes since the last save (server.dirty). */
  dirty = 0;
  /** Pause-style flags that later features set (CLIENT PAUSE, loading). */
  paused = false;
  noTouch = false;
  activeExpireEnabled = true;
  /** State of the command being executed (null between commands). */
  private call: CallState | null = null;
  private nextClientId = 1;
  private listeners: EngineListener[] = [];
  private lastCron: number;
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
    this.dbs = [];
    for (let i = 0; i < n; i++) this.dbs.push(new Db(i, this));
    this.stats.startTime = this.clock.now();
    this.lastCron = this.clock.now();
    let id = '';
    for (let i = 0; i < 40; i++) id += '0123456789abcdef'[this.random.int(16)];
    this.runId = id;
  }

  now(): number {
    return this.clock.now();
  }

  /** Redis's 24-bit LRU clock in seconds. */
  lruClock(): number {
    return Math.floor(this.clock.now() / 1000) & LRU_MASK;
  }

  // ---- events -------------------------------------------------------------------------------

  on(listener: EngineListener): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  emit(e: EngineEvent): void {
    const ls = this.listeners;
    for (let i = 0; i < ls.length; i++) ls[i](e);
  }

  /** Queue a write for the AOF/replicas (propagateNow); `argv` is already in its final form. */
  propagate(db: number, argv: readonly string[]): void {
    if (this.listeners.length > 0) this.emit({ type: 'propagate', db, argv });
  }

  /** notifyKeyspaceEvent: emitted for panels; the pub/sub layer publishes per notify-keyspace-events. */
  notify(cls: string, event: string, key: string, db: number): void {
    if (this.notifyHook) this.notifyHook(cls, event, key, db);
    if (this.listeners.length > 0) this.emit({ type: 'notify', db, event, key, cls });
  }

  /** Inside a handler: propagate this argv instead of the one received (SET EX → SET PXAT, EXPIRE → PEXPIREAT). */
  rewritePropagation(argv: string[]): void {
    if (this.call) this.call.propagateArgv = argv;
  }

  /** Inside a handler: propagate an extra command after the current one (alsoPropagate). */
  alsoPropagate(db: number, argv: string[]): void {
    if (!this.call) return;
    if (this.call.extra === null) this.call.extra = [];
    this.call.extra.push({ db, argv });
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
    this.clients.delete(c.id);
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
    const reply = this.process(c, argv);
    if (c.replyMode === 'on') return reply;
    if (c.replyMode === 'skip') {
      c.replyMode = 'on';
      return undefined;
    }
    return undefined;
  }

  private process(c: Client, argv: string[]): Reply {
    c.lastInteraction = this.clock.now();
    let cmd = this.table.lookup(argv[0]);
    if (cmd === undefined) return this.reject(c, unknownCommand(argv[0], argv.slice(1)), undefined);
    if (cmd.subcommands) {
      if (argv.length === 1) return this.reject(c, wrongArity(cmd.fullname), undefined);
      const sub = cmd.subcommands.get(argv[1].toLowerCase());
      if (sub === undefined) return this.reject(c, unknownSubcommand(argv[1], argv[0]), undefined);
      cmd = sub;
    }
    const arity = cmd.arity;
    if ((arity > 0 && argv.length !== arity) || argv.length < -arity) {
      return this.reject(c, wrongArity(cmd.fullname), cmd);
    }
    if (!c.authenticated && !cmd.noAuth) return this.reject(c, E.NOAUTH, cmd);
    if (c.subscriptionCount > 0 && c.resp === 2 && !SUBSCRIBE_MODE_ALLOWED.has(cmd.fullname)) {
      return this.reject(
        c,
        `ERR Can't execute '${cmd.fullname}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`,
        cmd,
      );
    }
    if (cmd.denyOom && this.oomCheck?.(c)) return this.reject(c, E.OOM, cmd);
    const multi = c.ext.multi as { queue: [Command, string[]][] } | undefined;
    if (multi !== undefined && !MULTI_IMMEDIATE.has((cmd.parent ?? cmd).fullname)) {
      multi.queue.push([cmd, argv]);
      return QUEUED;
    }
    return this.call_(c, cmd, argv);
  }

  /** Execute a resolved command (also used by EXEC and scripts): stats, propagation, MONITOR. */
  call_(c: Client, cmd: Command, argv: string[]): Reply {
    const exec = cmd.exec;
    if (exec === undefined) return error(unknownSubcommand(argv[1] ?? '', argv[0]));
    const dirtyBefore = this.dirty;
    const outer = this.call;
    const state: CallState = { propagateArgv: null, extra: null };
    this.call = state;
    const start = performance.now();
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
      this.call = outer;
    }
    const usec = Math.round((performance.now() - start) * 1000);
    const stat = this.commandStat(cmd.fullname);
    stat.calls++;
    stat.usec += usec;
    this.stats.totalCommands++;
    c.lastCommand = cmd.fullname;
    if (reply.t === 'error') {
      stat.failedCalls++;
      this.countError(reply.v);
    }
    if (this.dirty !== dirtyBefore && cmd.isWrite) {
      this.propagate(c.db.id, state.propagateArgv ?? argv);
    }
    if (state.extra) for (const p of state.extra) this.propagate(p.db, p.argv);
    if (this.monitors.size > 0 && !cmd.skipMonitor) this.feedMonitors(c, argv);
    return reply;
  }

  /** Set by the eviction layer: returns true when a denyoom command must be refused. */
  oomCheck: ((c: Client) => boolean) | null = null;

  private reject(c: Client, msg: string, cmd: Command | undefined): Reply {
    if (cmd) this.commandStat(cmd.fullname).rejectedCalls++;
    this.countError(msg);
    const multi = c.ext.multi as { dirty?: boolean } | undefined;
    if (multi) multi.dirty = true;
    return error(msg);
  }

  private countError(msg: string): void {
    this.stats.totalErrorReplies++;
    const sp = msg.indexOf(' ');
    const code = sp === -1 ? msg : msg.slice(0, sp);
    this.stats.errors.set(code, (this.stats.errors.get(code) ?? 0) + 1);
  }

  commandStat(fullname: string): CommandStat {
    let s = this.stats.commands.get(fullname);
    if (s === undefined) {
      s = { calls: 0, usec: 0, rejectedCalls: 0, failedCalls: 0 };
      this.stats.commands.set(fullname, s);
    }
    return s;
  }

  private feedMonitors(c: Client, argv: readonly string[]): void {
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
    const hz = Math.max(1, this.config.getInt('hz'));
    const period = 1000 / hz;
    const now = this.clock.now();
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
    e.meta = (e.meta & ~LRU_MASK) | this.lruClock();
  }
}
