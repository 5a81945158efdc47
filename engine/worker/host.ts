// The engine host: serves the page's messages (protocol.ts) from one Engine, as redis-server's
// networking layer serves sockets — one Client per terminal session, replies in order, blocked
// commands answered when they are served, pushes sent as they happen, serverCron on a timer.
// No `self` here: worker.ts binds it to the worker scope, tests bind it to a MessageChannel.

import type { Client } from '../client';
import { type AdvanceableClock, isPausable } from '../clock';
import type { LoadReport } from '../persistence/lifecycle';
import type { CommandSpec } from '../commands/define';
import type { Engine } from '../engine';
import type { EngineEvent } from '../events';
import { blockedState, unblockClient } from '../keyspace/blocking';
import { formatPushForCli, formatReplyForCli } from '../protocol/format-cli';
import type { ArgDoc, CommandDoc } from '../protocol/hints';
import type { Reply } from '../protocol/reply';
import { terminalText } from '../protocol/terminal-text';
import type { HostPanels } from './host-panels';
import { SyncWriter } from './sync-reply';
import type {
  CliText,
  ClientState,
  Endpoint,
  EngineSummary,
  FromWorker,
  InspectQuery,
  InspectResult,
  OutputMode,
  RestartReport,
  SessionId,
  ToWorker,
} from './protocol';

/**
 * The lab's server configuration, as if started with `redis-server --enable-debug-command local`.
 * LAB: Redis 7.0 refuses DEBUG by default; the lab's terminals are local connections and lessons
 * use DEBUG SLEEP / DEBUG OBJECT, so it is allowed for them.
 */
export const LAB_CONFIG: Readonly<Record<string, string>> = { 'enable-debug-command': 'local' };

/** Where dump.rdb / AOF files live for download and upload (the persistence layer plugs its disk in). */
export interface FileStore {
  read(name: string): Uint8Array | undefined;
  write(name: string, data: Uint8Array): void;
}

export class MemoryFileStore implements FileStore {
  private readonly files = new Map<string, Uint8Array>();
  read(name: string): Uint8Array | undefined {
    return this.files.get(name);
  }
  write(name: string, data: Uint8Array): void {
    this.files.set(name, data);
  }
}

export interface Timers {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
  setTimeout(fn: () => void, ms: number): unknown;
}

export interface HostOptions {
  files?: FileStore;
  timers?: Timers;
  /** How often serverCron runs (active expiry, blocking timeouts); 0 disables the timer. */
  cronMs?: number;
  /** How long engine events are collected before one 'events' message (about a frame). */
  eventBatchMs?: number;
  /** Most events kept between two batches; the rest are counted as dropped. */
  maxEventsPerBatch?: number;
  /** The engine's clock, when the page may move it forward ('advance-clock'). */
  clock?: AdvanceableClock;
  /** Crashes or restarts `previous` and starts a new server on its disk (restart.ts restartServer). */
  restart?: (how: 'kill' | 'power' | 'restart', previous: Engine) => { engine: Engine; report: LoadReport };
  /**
   * DEBUG SEGFAULT / DEBUG PANIC: crash the whole worker (worker.ts throws out of the event loop; the
   * page restarts it). Without it those subcommands are unknown, as before.
   */
  crash?: (reason: string) => void;
  /**
   * The panels' inspectors and zset trace (host-panels.ts HOST_PANELS). Without them the zset,
   * memory, keyspace, key and persistence queries fail; the browser worker hands them over with
   * complete() once its second chunk arrives.
   */
  panels?: HostPanels;
}

/** DEBUG SEGFAULT and DEBUG PANIC, which crash the server. */
const isCrashCommand = (argv: readonly string[]) =>
  argv.length >= 2 && argv[0].toLowerCase() === 'debug' && ['segfault', 'panic'].includes(argv[1].toLowerCase());

function restartReport(how: 'kill' | 'power' | 'restart', r: LoadReport): RestartReport {
  return {
    source: r.source,
    ok: r.ok,
    keysLoaded: r.keysLoaded,
    commands: r.commands,
    truncatedBytes: r.truncatedBytes,
    // A clean restart reports no crash, even if the disk still remembers an older one.
    crash:
      how === 'restart' || r.crash === null
        ? null
        : { kind: r.crash.kind, lost: r.crash.lost, changesSinceSave: r.crash.changesSinceSave },
    account: r.account ?? null,
  };
}

interface Session {
  readonly id: SessionId;
  readonly name: string;
  readonly output: OutputMode;
  client: Client;
  /** The engine closed this connection; the next command reports it and reconnects. */
  closed: boolean;
  /** Request id and argv of a blocked command waiting for its reply. */
  blockedId: number | null;
  blockedArgv: readonly string[];
}

const isNil = (r: Reply) => (r.t === 'bulk' || r.t === 'array') && r.v === null;

function cliText(reply: Reply, resp: 2 | 3, argv: readonly string[] | null): CliText {
  const bytes = argv ? formatReplyForCli(reply, resp, argv) : formatPushForCli(reply, resp);
  return { text: terminalText(bytes), kind: reply.t, nil: isNil(reply) };
}

const defaultTimers: Timers = {
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (h) => clearInterval(h as ReturnType<typeof setInterval>),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
};

/** Plain, clonable docs of a command (its handler dropped). */
export function commandDoc(spec: CommandSpec): CommandDoc {
  const arg = (a: ArgDoc): ArgDoc => ({
    name: a.name,
    type: a.type,
    ...(a.token !== undefined && { token: a.token }),
    ...(a.optional && { optional: true }),
    ...(a.multiple && { multiple: true }),
    ...(a.multipleToken && { multipleToken: true }),
    ...(a.args && { args: a.args.map(arg) }),
  });
  return {
    name: spec.name,
    group: spec.group,
    summary: spec.summary,
    since: spec.since,
    ...(spec.args && { args: spec.args.map(arg) }),
    ...(spec.subcommands && { subcommands: spec.subcommands.map(commandDoc) }),
  };
}

/** Arguments of a command kept in its event-log line. */
const COMMAND_ARGS_SHOWN = 8;

export class EngineHost {
  private readonly sessions = new Map<SessionId, Session>();
  private readonly files: FileStore;
  private readonly timers: Timers;
  private readonly cronHandle: unknown;
  private readonly eventBatchMs: number;
  private readonly maxEvents: number;
  private readonly clock: AdvanceableClock | null;
  private readonly makeEngine: HostOptions['restart'] | null;
  private readonly crash: HostOptions['crash'] | null;
  private events: EngineEvent[] = [];
  private dropped = 0;
  /** Index in `events` of the batch's zset operation event, -1 when none yet. */
  private lastZset = -1;
  /** zset operation events replaced by a later one in the same batch (not counted as dropped). */
  coalesced = 0;
  private flushScheduled = false;
  private unwatch: (() => void) | null = null;
  /** The shared buffer's writer, once the page sent one ('share'; cross-origin isolated pages). */
  private sync: SyncWriter | null = null;
  /** The request whose reply the page awaits on the shared buffer, while it is being served. */
  private syncId = 0;
  /** Messages about each session posted so far (the page counts the same: sync-reply.ts ordering). */
  private readonly posted = new Map<SessionId, number>();
  private readonly onMessage = (ev: { data: ToWorker }) => this.handle(ev.data);
  /** Until the rest of the engine arrives (holdUntilComplete): which messages wait for it; null after. */
  private mustWait: ((msg: ToWorker) => boolean) | null = null;
  /** Messages held meanwhile, in arrival order: the first that had to wait and every later one. */
  private held: ToWorker[] = [];
  /** 'docs' requests, answered when every command group is loaded. */
  private docsWanted: number[] = [];
  /** Told whenever a message waits for the rest (holdUntilComplete's `wanted`). */
  private restWanted: () => void = () => {};
  private panels: HostPanels | null;

  constructor(
    /** Replaced when the server crashes or restarts ('restart'). */
    public engine: Engine,
    private readonly port: Endpoint<ToWorker, FromWorker>,
    opts: HostOptions = {},
  ) {
    this.files = opts.files ?? new MemoryFileStore();
    this.timers = opts.timers ?? defaultTimers;
    this.eventBatchMs = opts.eventBatchMs ?? 16;
    this.maxEvents = opts.maxEventsPerBatch ?? 5000;
    this.clock = opts.clock ?? null;
    this.makeEngine = opts.restart ?? null;
    this.crash = opts.crash ?? null;
    this.panels = opts.panels ?? null;
    const cronMs = opts.cronMs ?? 100;
    this.cronHandle =
      cronMs > 0
        ? this.timers.setInterval(() => {
            // serverCron may run long (a save rule's SAVE of a big dataset): busy, not dead.
            this.sync?.busy(true);
            try {
              this.engine.cron();
            } finally {
              this.sync?.busy(false);
            }
          }, cronMs)
        : null;
    port.addEventListener('message', this.onMessage);
    port.start?.();
  }

  /** Stop serving: timers off, listener off, every session's client removed. */
  dispose(): void {
    if (this.cronHandle !== null) this.timers.clearInterval(this.cronHandle);
    this.port.removeEventListener?.('message', this.onMessage);
    if (this.unwatch !== null) this.watchEvents(false);
    for (const s of this.sessions.values()) this.engine.removeClient(s.client);
    this.sessions.clear();
  }

  private post(msg: FromWorker, transfer?: Transferable[]): void {
    if ('session' in msg) this.posted.set(msg.session, (this.posted.get(msg.session) ?? 0) + 1);
    if (transfer) this.port.postMessage(msg, transfer);
    else this.port.postMessage(msg);
  }

  handle(msg: ToWorker): void {
    if (this.mustWait !== null) {
      if (msg.type === 'docs') {
        this.docsWanted.push(msg.id);
        this.restWanted();
        return;
      }
      if (this.held.length > 0 || this.mustWait(msg)) {
        // A page awaiting this reply on the shared buffer takes the message path instead.
        if (msg.type === 'command' && msg.sync) this.sync?.publish(msg.id, 0, null);
        this.held.push(msg);
        this.restWanted();
        return;
      }
    }
    this.sync?.busy(true);
    try {
      this.route(msg);
    } catch (err) {
      this.post({ type: 'failed', id: msg.id, message: err instanceof Error ? err.message : String(err) });
    } finally {
      if (this.syncId !== 0) {
        // Blocked, disconnected, failed: the page stops waiting and takes the message path.
        this.sync?.publish(this.syncId, 0, null);
        this.syncId = 0;
      }
      this.sync?.busy(false);
    }
  }

  /**
   * The worker serves from its first chunk while the rest of the engine loads (lab-server.ts): a
   * message `mustWait` picks (core-gate.ts: a command whose group is not loaded yet...) is held,
   * and so is every later one, so nothing is reordered; complete() serves them when the rest is in.
   * `wanted` hears each message that waits (a 'docs' request included): the rest is needed now.
   */
  holdUntilComplete(mustWait: (msg: ToWorker) => boolean, wanted: () => void = () => {}): void {
    this.mustWait = mustWait;
    this.restWanted = wanted;
  }

  /** The rest of the engine is loaded: serve what was held, in order, and answer 'docs'. */
  complete(panels?: HostPanels): void {
    if (panels !== undefined) this.panels = panels;
    this.mustWait = null;
    const held = this.held;
    this.held = [];
    for (const id of this.docsWanted.splice(0)) this.handle({ type: 'docs', id });
    for (const m of held) this.handle(m);
  }

  private route(msg: ToWorker): void {
    switch (msg.type) {
      case 'hello':
      case 'docs':
        this.post({ type: 'ready', id: msg.id, docs: this.engine.table.commands.map((c) => commandDoc(c.spec)) });
        return;
      case 'open': {
        const s = this.open(msg.session, msg.name ?? '', msg.output ?? 'reply');
        this.post({ type: 'opened', id: msg.id, session: msg.session, state: stateOf(s.client) });
        return;
      }
      case 'close': {
        const s = this.sessions.get(msg.session);
        if (s) {
          this.sessions.delete(msg.session);
          this.engine.removeClient(s.client);
        }
        this.post({ type: 'ack', id: msg.id });
        return;
      }
      case 'interrupt': {
        const s = this.interrupt(this.session(msg.session));
        this.post({ type: 'opened', id: msg.id, session: msg.session, state: stateOf(s.client) });
        return;
      }
      case 'command':
        if (msg.sync && this.sync !== null) this.syncId = msg.id;
        this.command(msg.id, this.session(msg.session), msg.argv);
        return;
      case 'share':
        this.sync = new SyncWriter(msg.buffer);
        this.post({ type: 'ack', id: msg.id });
        return;
      case 'ping':
        this.post({ type: 'ack', id: msg.id });
        return;
      case 'pipeline':
        this.pipeline(msg.id, this.session(msg.session), msg.commands, msg.replies);
        return;
      case 'inspect':
        this.post({ type: 'inspected', id: msg.id, result: this.inspect(msg.query) });
        return;
      case 'advance-clock': {
        if (this.clock === null) throw new Error("this engine's clock cannot be moved");
        if (!Number.isFinite(msg.ms) || msg.ms < 0) throw new Error('the clock only moves forward');
        this.clock.advance(msg.ms);
        // What the new time makes due (expired keys, blocking timeouts, fsync) happens now.
        this.engine.cron();
        this.post({ type: 'clock', id: msg.id, now: this.clock.now(), paused: this.clockPaused() });
        return;
      }
      case 'clock-control': {
        const clock = this.clock;
        if (msg.action !== 'get') {
          if (clock === null || !isPausable(clock)) throw new Error("this engine's clock cannot be paused");
          if (msg.action === 'pause') clock.pause();
          else clock.resume();
        }
        const now = clock?.now() ?? this.engine.clock.now();
        this.post({ type: 'clock', id: msg.id, now, paused: this.clockPaused() });
        return;
      }
      case 'restart': {
        const report = this.restart(msg.how);
        this.post({ type: 'restarted', id: msg.id, report });
        return;
      }
      case 'watch-events':
        this.watchEvents(msg.on);
        this.post({ type: 'ack', id: msg.id });
        return;
      case 'file-read': {
        const bytes = this.files.read(msg.name);
        // A fresh copy is transferred, so the store keeps its own bytes.
        const data = bytes ? bytes.slice().buffer : null;
        this.post({ type: 'file', id: msg.id, name: msg.name, data }, data ? [data] : undefined);
        return;
      }
      case 'file-write':
        this.files.write(msg.name, new Uint8Array(msg.data));
        this.post({ type: 'ack', id: msg.id });
        return;
    }
  }

  private clockPaused(): boolean {
    return this.clock !== null && isPausable(this.clock) && this.clock.paused;
  }

  private session(id: SessionId): Session {
    const s = this.sessions.get(id);
    if (s === undefined) throw new Error(`no session ${id}`);
    return s;
  }

  private open(id: SessionId, name: string, output: OutputMode): Session {
    const old = this.sessions.get(id);
    if (old) this.engine.removeClient(old.client);
    const s: Session = { id, name, output, client: this.connect(id), closed: false, blockedId: null, blockedArgv: [] };
    this.sessions.set(id, s);
    return s;
  }

  private connect(id: SessionId): Client {
    const client = this.engine.createClient({
      addr: `127.0.0.1:${50000 + id}`,
      deliver: (reply) => this.deliver(id, client, reply),
      close: () => this.closedByEngine(id, client),
    });
    return client;
  }

  /**
   * A new server on the old one's disk; every session gets a client on it. LAB: the sessions are
   * reconnected silently (redis-cli would report the lost connection on its next command).
   */
  private restart(how: 'kill' | 'power' | 'restart'): RestartReport {
    if (!this.makeEngine) throw new Error('this engine cannot crash or restart');
    const { engine, report } = this.makeEngine(how, this.engine);
    const watched = this.unwatch !== null;
    this.watchEvents(false);
    this.engine = engine;
    for (const s of this.sessions.values()) {
      s.client = this.connect(s.id);
      s.closed = false;
      s.blockedId = null;
    }
    if (watched) this.watchEvents(true);
    if (report.account && engine.wants('persist'))
      engine.emit({ type: 'persist', op: 'restarted', account: report.account, at: report.account.at });
    return restartReport(how, report);
  }

  /** Ctrl-C: stop whatever the session waits for (see the 'interrupt' message). */
  private interrupt(s: Session): Session {
    const c = s.client;
    if (blockedState(c) !== undefined) {
      // LAB: redis-cli 7.0 exits on Ctrl-C during BLPOP; the lab unblocks the client as CLIENT
      // UNBLOCK would. The timeout reply goes to the abandoned request, which the page ignores.
      unblockClient(c, false);
      return s;
    }
    if (c.monitor || c.subscriptionCount > 0) return this.reconnect(s);
    return s;
  }

  /** A new connection for the session, selecting the same database (redis-cli's cliConnect). */
  private reconnect(s: Session): Session {
    const db = s.client.db.id;
    this.engine.removeClient(s.client);
    s.client = this.connect(s.id);
    s.closed = false;
    s.blockedId = null;
    if (db !== 0) this.engine.dispatch(s.client, ['SELECT', String(db)]);
    return s;
  }

  private deliver(id: SessionId, client: Client, reply: Reply): void {
    const s = this.sessions.get(id);
    if (s === undefined || client !== s.client) return; // a connection already replaced
    if (s.blockedId !== null && reply.t !== 'push') {
      const requestId = s.blockedId;
      s.blockedId = null;
      this.postReply(requestId, s, reply, s.blockedArgv);
      return;
    }
    const cli = s.output === 'cli';
    this.post({
      type: 'push',
      session: s.id,
      reply: cli ? null : reply,
      cli: cli ? cliText(reply, client.resp, null) : null,
      resp: client.resp,
    });
  }

  private postReply(id: number, s: Session, reply: Reply | undefined, argv: readonly string[]): void {
    const cli = s.output === 'cli' && reply !== undefined ? cliText(reply, s.client.resp, argv) : null;
    const ast = s.output === 'reply' ? (reply ?? null) : null;
    const state = stateOf(s.client);
    if (id === this.syncId && s.output === 'cli') {
      // Published before the message, with the count of the session's messages that precede it.
      this.sync?.publish(id, this.posted.get(s.id) ?? 0, JSON.stringify({ cli, state }));
      this.syncId = 0;
    }
    this.post({ type: 'reply', id, session: s.id, reply: ast, cli, state });
  }

  private closedByEngine(id: SessionId, client: Client): void {
    const s = this.sessions.get(id);
    if (s === undefined || client !== s.client || s.closed) return;
    s.closed = true;
    s.blockedId = null;
    this.engine.removeClient(client);
    this.post({ type: 'closed', session: s.id });
  }

  private command(id: number, s: Session, argv: readonly string[]): void {
    if (s.closed) {
      // redis-cli finds the connection gone when it reads the reply: it reports it and reconnects later.
      this.reconnect(s);
      this.post({ type: 'disconnected', id, session: s.id });
      return;
    }
    const client = s.client;
    if (this.crash && isCrashCommand(argv) && this.engine.config.get('enable-debug-command') !== 'no') {
      // LAB: the server dies as Redis does on DEBUG SEGFAULT; the reply never comes.
      this.crash(`DEBUG ${argv[1].toUpperCase()}`);
      return;
    }
    if (this.unwatch !== null) this.logCommand(s, argv);
    const reply = this.engine.dispatch(client, argv as string[]);
    // Blocked on keys, or its script runs past busy-reply-threshold: the reply comes later.
    if (
      reply === undefined &&
      (client.ext.blocked || this.engine.blocking.isPostponed(client) || this.engine.busyScript?.client === client)
    ) {
      s.blockedId = id;
      s.blockedArgv = argv;
      this.post({ type: 'blocked', id, session: s.id });
      return;
    }
    this.postReply(id, s, reply, argv);
  }

  private pipeline(id: number, s: Session, commands: readonly (readonly string[])[], withReplies: boolean): void {
    if (s.closed) {
      this.reconnect(s);
      this.post({ type: 'disconnected', id, session: s.id });
      return;
    }
    const replies: (Reply | null)[] | null = withReplies ? [] : null;
    let count = 0;
    const log = this.unwatch !== null;
    for (const argv of commands) {
      if (log) this.logCommand(s, argv);
      const reply = this.engine.dispatch(s.client, argv as string[]);
      count++;
      replies?.push(reply ?? null);
      // A blocking command would stall the pipeline, as it stalls a connection: stop there.
      if (
        s.client.ext.blocked ||
        this.engine.blocking.isPostponed(s.client) ||
        this.engine.busyScript?.client === s.client ||
        s.closed
      )
        break;
    }
    this.post({ type: 'pipeline-done', id, count, replies });
  }

  private inspect(q: InspectQuery): InspectResult {
    const engine = this.engine;
    switch (q.kind) {
      case 'summary': {
        const summary: EngineSummary = {
          dbs: engine.dbs
            .filter((db) => db.dict.size > 0)
            .map((db) => ({ db: db.id, keys: db.dict.size, expires: db.expires.size })),
          clients: [...engine.clients.values()].map((c) => ({
            id: c.id,
            name: c.name,
            db: c.db.id,
            flags: c.flagString(),
          })),
          totalCommands: engine.stats.totalCommands,
          dirty: engine.dirty,
        };
        return { kind: 'summary', summary };
      }
      case 'keys': {
        const keys: string[] = [];
        const db = engine.dbs[q.db];
        if (db) {
          for (const k of db.dict.keys()) {
            if (keys.length >= q.limit) break;
            keys.push(k);
          }
        }
        return { kind: 'keys', keys };
      }
    }
    const panels = this.panels;
    if (panels === null) throw new Error('the panels are not loaded');
    switch (q.kind) {
      case 'zset':
        return panels.inspectZset(engine, q.db, q.key, q.start, q.count, q.top);
      case 'memory':
        return panels.inspectMemory(engine, q.top);
      case 'keyspace':
        return panels.inspectKeyspace(engine, q.db, q.limit, q.pattern);
      case 'key':
        return panels.inspectKey(engine, q.db, q.key, q.limit);
      case 'persistence':
        return panels.inspectPersistence(engine);
    }
  }

  private watchEvents(on: boolean): void {
    if (on && this.unwatch === null) {
      this.unwatch = this.engine.on((e) => this.queueEvent(e));
      this.panels?.watchZsets(this.engine, true);
    } else if (!on && this.unwatch !== null) {
      this.unwatch();
      this.panels?.watchZsets(this.engine, false);
      this.unwatch = null;
      this.events = [];
      this.lastZset = -1;
      this.dropped = 0;
    }
  }

  /** The event log's MONITOR-like line for a session's command (long argv cut to a few items). */
  private logCommand(s: Session, argv: readonly string[]): void {
    const shown = argv.length > COMMAND_ARGS_SHOWN ? argv.slice(0, COMMAND_ARGS_SHOWN) : argv;
    this.queueEvent({
      type: 'command',
      db: s.client.db.id,
      client: s.name || s.client.addr,
      argv: shown.map((a) => (a.length > 80 ? a.slice(0, 80) : a)),
      more: argv.length - shown.length,
      at: this.engine.clock.now(),
    });
  }

  private queueEvent(e: EngineEvent): void {
    // The page never reads these: each write's propagation (the AOF reports its own writes) and
    // plain key writes (their keyspace notification says the same). Sending them would double
    // the page's structured-clone work under a busy script.
    if (e.type === 'propagate' || (e.type === 'key' && e.op !== 'expired' && e.op !== 'evicted')) return;
    if (e.type === 'zset' && e.op !== 'convert' && this.lastZset >= 0) {
      // The panel animates one operation per frame: a batch keeps only the latest (its search
      // path can be dozens of steps; a bulk load would otherwise clone millions of them).
      this.events[this.lastZset] = e;
      this.coalesced++;
    } else if (this.events.length < this.maxEvents) {
      if (e.type === 'zset' && e.op !== 'convert') this.lastZset = this.events.length;
      this.events.push(e);
    } else this.dropped++;
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      this.timers.setTimeout(() => this.flushEvents(), this.eventBatchMs);
    }
  }

  private flushEvents(): void {
    this.flushScheduled = false;
    if (this.events.length === 0 && this.dropped === 0) return;
    const events = this.events;
    const dropped = this.dropped;
    this.events = [];
    this.lastZset = -1;
    this.dropped = 0;
    this.post({ type: 'events', events, dropped });
  }
}

export function stateOf(c: Client): ClientState {
  return {
    clientId: c.id,
    db: c.db.id,
    resp: c.resp,
    subscriptions: c.subscriptionCount,
    inMulti: c.ext.multi !== undefined,
    monitor: c.monitor,
  };
}
