// The one way the UI talks to the engine: typed, id-correlated requests over the worker protocol
// (engine/worker/protocol.ts), per-session push/close routing, batched engine events, and a busy
// signal when the worker is stuck in a long command (DEBUG SLEEP, KEYS over a million keys).

import type { EngineEvent } from '../../engine/events';
import type { CommandDoc } from '../../engine/protocol/hints';
import type { Reply } from '../../engine/protocol/reply';
import type {
  Answer,
  CliText,
  ClientState,
  Endpoint,
  FromWorker,
  InspectQuery,
  InspectResult,
  OutputMode,
  RestartReport,
  SessionId,
  StorageStatus,
  ToWorker,
} from '../../engine/worker/protocol';
import { canShareMemory, SYNC_BUFFER_BYTES, SyncReader } from '../../engine/worker/sync-reply';
import type { CommandOutcome, SessionConnection } from '../terminal/cli-session';
import { EventChannel, type FrameScheduler } from './event-channel';

export interface PushMessage {
  /** The reply, for 'reply' sessions. */
  readonly reply: Reply | null;
  /** redis-cli's text of it, for 'cli' sessions. */
  readonly cli: CliText | null;
  readonly resp: 2 | 3;
}

/** What a command returned: its reply (or redis-cli text), or the news that the connection was gone. */
export type Outcome =
  | { readonly kind: 'reply'; readonly reply: Reply | null; readonly cli: CliText | null; readonly state: ClientState }
  | { readonly kind: 'disconnected' };

/** The engine clock as last reported, and when (page time, performance.now) the report came. */
export interface ClockState {
  readonly now: number;
  readonly paused: boolean;
  readonly at: number;
}

/** The engine's time at page time `pageNow`, from the last clock report. */
export const engineTime = (c: ClockState, pageNow: number): number => (c.paused ? c.now : c.now + (pageNow - c.at));

export interface SessionHandlers {
  push(message: PushMessage): void;
  /** The engine closed this session's connection (CLIENT KILL). */
  closed(): void;
}

export interface EngineClientOptions {
  schedule?: FrameScheduler;
  /** A request unanswered this long makes the engine "busy" (the worker is inside a long command). */
  busyAfterMs?: number;
  timers?: { setTimeout(fn: () => void, ms: number): unknown; clearTimeout(h: unknown): void };
  /**
   * Share a SharedArrayBuffer with the worker so a terminal's reply can be awaited synchronously
   * (sync-reply.ts). Default: when the page is cross-origin isolated.
   */
  sharedMemory?: boolean;
  /** Clock of the synchronous wait's deadline (performance.now by default). */
  now?: () => number;
}

/** Longest synchronous wait for a reply after a key press (the page spins: keep it well under a frame). */
export const SYNC_WAIT_MS = 4;

type Request = ToWorker extends infer T ? (T extends ToWorker ? Omit<T, 'id'> : never) : never;

interface Pending {
  resolve(m: FromWorker): void;
  reject(e: Error): void;
  /** Counts toward "busy" (a running command), unless the command is blocked. */
  work: boolean;
  since: number;
  onBlocked?: () => void;
  /** The request's message type, and its session: a worker crash ends a command as disconnected. */
  type: ToWorker['type'];
  session?: SessionId;
}

const defaultSchedule: FrameScheduler =
  typeof requestAnimationFrame === 'function' ? (f) => requestAnimationFrame(() => f()) : (f) => setTimeout(f, 16);

export class EngineClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly sessions = new Map<SessionId, SessionHandlers>();
  /** How each session was opened, to open it again on a new worker. */
  private readonly sessionOptions = new Map<SessionId, { name?: string; output?: OutputMode }>();
  private readonly restartListeners = new Set<(reason: string) => void>();
  private watchingEvents = false;
  private readonly onMessage = (ev: { data: FromWorker }) => this.receive(ev.data);
  private readonly busyListeners = new Set<(busy: boolean) => void>();
  private readonly commandListeners = new Set<(session: SessionId | null) => void>();
  private busyTimer: unknown = null;
  private isBusy = false;
  private readonly busyAfterMs: number;
  private readonly timers: NonNullable<EngineClientOptions['timers']>;
  /** Engine events, batched per animation frame; watching starts with the first listener. */
  readonly events: EventChannel<EngineEvent>;
  /** Events the worker could not fit in its batches since the page started listening. */
  droppedEvents = 0;
  /** Where the server's files live and what it loaded at start (null until the worker says). */
  storage: StorageStatus | null = null;
  private readonly storageListeners = new Set<(s: StorageStatus) => void>();
  /** The engine clock as last reported (null until asked: see clockControl). */
  clock: ClockState | null = null;
  private readonly clockListeners = new Set<(c: ClockState) => void>();
  /** The shared buffer with the worker (cross-origin isolated pages only). */
  private sync: SyncReader | null = null;
  private readonly sharedMemory: boolean;
  private readonly now: () => number;
  /** Until when (now() time) a terminal command's reply is awaited synchronously: see replyWindow. */
  private syncUntil = 0;
  /** Messages about each session received from the current worker (the worker counts them too). */
  private readonly received = new Map<SessionId, number>();
  /** Replies taken from the shared buffer: their message copies are dropped. */
  private readonly taken = new Set<number>();
  /** Replies taken synchronously since the page started (tests and the latency spec read it). */
  syncReplies = 0;

  constructor(
    private port: Endpoint<FromWorker, ToWorker>,
    opts: EngineClientOptions = {},
  ) {
    this.busyAfterMs = opts.busyAfterMs ?? 150;
    this.timers = opts.timers ?? {
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    };
    this.events = new EventChannel<EngineEvent>(opts.schedule ?? defaultSchedule, (on) => {
      this.watchingEvents = on;
      void this.request({ type: 'watch-events', on });
    });
    this.sharedMemory = opts.sharedMemory ?? canShareMemory();
    this.now = opts.now ?? (() => performance.now());
    port.addEventListener('message', this.onMessage);
    port.start?.();
    this.share();
  }

  /** A new shared buffer for the current worker (none when the page is not cross-origin isolated). */
  private share(): void {
    this.received.clear();
    this.taken.clear();
    if (!this.sharedMemory) return;
    const reader = new SyncReader(new SharedArrayBuffer(SYNC_BUFFER_BYTES));
    this.sync = reader;
    // A worker that dies first fails this request; the restart shares a new buffer.
    this.request({ type: 'share', buffer: reader.buffer }).catch(() => {});
  }

  /**
   * The user just pressed a key and waits for what it does: for the next `ms` milliseconds a
   * terminal command's reply is awaited synchronously on the shared buffer, so it is printed in this
   * task and painted in the next frame (Chromium holds the reply message until after that frame).
   * Several commands in that window (a pasted block) share the one budget.
   */
  replyWindow(ms = SYNC_WAIT_MS): void {
    if (this.sync !== null) this.syncUntil = this.now() + ms;
  }

  /** Are you there? Resolves when the worker answers (the watchdog's ping). */
  async ping(): Promise<void> {
    await this.request({ type: 'ping' });
  }

  /** The worker's heartbeat and whether it is inside a message (null without shared memory). */
  pulse(): { beat: number; busy: boolean } | null {
    return this.sync?.pulse() ?? null;
  }

  /** Whether the shared buffer is in use (the page is cross-origin isolated). */
  get sharesMemory(): boolean {
    return this.sync !== null;
  }

  // ---- requests -----------------------------------------------------------------------------

  private request<M extends Request>(
    msg: M,
    opts: { work?: boolean; onBlocked?: () => void; transfer?: Transferable[]; sync?: boolean } = {},
  ): Promise<Answer<M['type']>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, {
        resolve: resolve as (m: FromWorker) => void,
        reject,
        work: opts.work ?? false,
        since: Date.now(),
        onBlocked: opts.onBlocked,
        type: msg.type,
        session: 'session' in msg ? msg.session : undefined,
      });
      if (opts.work) this.armBusyTimer();
      const full = (opts.sync ? { ...msg, id, sync: true } : { ...msg, id }) as ToWorker;
      if (opts.transfer) this.port.postMessage(full, opts.transfer);
      else this.port.postMessage(full);
      if (opts.sync && 'session' in msg) this.takeSync(id, msg.session);
    });
  }

  /**
   * Whether to await a command's reply synchronously: a key press opened the window, the session is a
   * terminal, and the engine has no other command in hand (its reply would come first).
   */
  private syncWanted(session: SessionId): boolean {
    if (this.sync === null || this.now() >= this.syncUntil) return false;
    if (this.sessionOptions.get(session)?.output !== 'cli') return false;
    for (const p of this.pending.values()) if (p.work) return false;
    return true;
  }

  /**
   * Spin (bounded by the window) for request `id`'s reply on the shared buffer. It is taken only if
   * every earlier message about the session has been handled here, so nothing the worker sent before
   * it (pushes, MONITOR lines, earlier replies) prints after it; its message copy is dropped.
   */
  private takeSync(id: number, session: SessionId): void {
    const got = this.sync?.wait(id, this.syncUntil, this.now) ?? null;
    if (got === null || got.before !== (this.received.get(session) ?? 0)) return;
    const { cli, state } = JSON.parse(got.payload) as { cli: CliText | null; state: ClientState };
    this.taken.add(id);
    this.received.set(session, got.before + 1);
    this.syncReplies++;
    this.settle({ type: 'reply', id, session, reply: null, cli, state });
  }

  private receive(m: FromWorker): void {
    if ('session' in m) {
      if (m.type === 'reply' && this.taken.delete(m.id)) return;
      this.received.set(m.session, (this.received.get(m.session) ?? 0) + 1);
    }
    switch (m.type) {
      case 'push':
        this.sessions.get(m.session)?.push(m);
        return;
      case 'closed':
        this.sessions.get(m.session)?.closed();
        return;
      case 'storage':
        this.storage = m.status;
        for (const l of this.storageListeners) l(m.status);
        return;
      case 'events':
        this.droppedEvents += m.dropped;
        this.events.push(m.events);
        return;
      case 'blocked': {
        const p = this.pending.get(m.id);
        if (p) {
          p.work = false;
          p.onBlocked?.();
          this.updateBusy();
        }
        return;
      }
      default:
        this.settle(m);
    }
  }

  /** An answer to a request: resolve (or reject) it. */
  private settle(m: Exclude<FromWorker, { type: 'push' | 'closed' | 'storage' | 'events' | 'blocked' }>): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (m.type === 'failed') p.reject(new Error(m.message));
    else p.resolve(m);
    if (p.work) this.updateBusy();
  }

  /** Listen to storage status changes (a full quota, its end); returns the unsubscribe function. */
  onStorage(listener: (s: StorageStatus) => void): () => void {
    this.storageListeners.add(listener);
    return () => this.storageListeners.delete(listener);
  }

  /** Test-only: cap the bytes the worker's storage may hold (a full quota); null lifts it. */
  async storageLimit(bytes: number | null): Promise<void> {
    await this.request({ type: 'storage-limit', bytes });
  }

  /** The command docs (hints, completion, HELP); the first answer also means the worker is up. */
  async hello(): Promise<readonly CommandDoc[]> {
    return (await this.request({ type: 'hello' })).docs;
  }

  /**
   * Every command's docs. The worker answers hello from its first chunk (the core command groups);
   * this answer comes once the rest of the engine is loaded (at once if it already is).
   */
  async commandDocs(): Promise<readonly CommandDoc[]> {
    return (await this.request({ type: 'docs' })).docs;
  }

  async open(
    session: SessionId,
    handlers: SessionHandlers,
    opts: { name?: string; output?: OutputMode } = {},
  ): Promise<ClientState> {
    this.sessions.set(session, handlers);
    this.sessionOptions.set(session, opts);
    return (await this.request({ type: 'open', session, name: opts.name, output: opts.output })).state;
  }

  async close(session: SessionId): Promise<void> {
    this.sessions.delete(session);
    this.sessionOptions.delete(session);
    await this.request({ type: 'close', session });
  }

  async command(session: SessionId, argv: readonly string[], onBlocked?: () => void): Promise<Outcome> {
    const sync = this.syncWanted(session);
    const m = await this.request({ type: 'command', session, argv }, { work: true, onBlocked, sync });
    this.commandDone(session);
    return m.type === 'reply'
      ? { kind: 'reply', reply: m.reply, cli: m.cli, state: m.state }
      : { kind: 'disconnected' };
  }

  /** Ctrl-C while a session waits (BLPOP, MONITOR, SUBSCRIBE): see the 'interrupt' message. */
  async interrupt(session: SessionId): Promise<ClientState> {
    return (await this.request({ type: 'interrupt', session })).state;
  }

  /** Run many commands in one message; returns how many ran and, when asked, their replies. */
  async pipeline(
    session: SessionId,
    commands: readonly (readonly string[])[],
    replies = false,
  ): Promise<{ count: number; replies: readonly (Reply | null)[] | null }> {
    const m = await this.request({ type: 'pipeline', session, commands, replies }, { work: true });
    this.commandDone(session);
    return m.type === 'pipeline-done' ? { count: m.count, replies: m.replies } : { count: 0, replies: null };
  }

  /** Move the engine's clock forward by `ms`; resolves with the engine's time afterwards. */
  async advanceClock(ms: number): Promise<number> {
    const m = await this.request({ type: 'advance-clock', ms });
    this.setClock(m.now, m.paused);
    this.commandDone(null);
    return m.now;
  }

  /** Read the engine's clock, or pause / resume it (the lab's clock control). */
  async clockControl(action: 'get' | 'pause' | 'resume'): Promise<ClockState> {
    const m = await this.request({ type: 'clock-control', action });
    return this.setClock(m.now, m.paused);
  }

  /** Listen to clock reports (pause, resume, steps); returns the unsubscribe function. */
  onClock(listener: (c: ClockState) => void): () => void {
    this.clockListeners.add(listener);
    return () => this.clockListeners.delete(listener);
  }

  private setClock(now: number, paused: boolean): ClockState {
    const c: ClockState = { now, paused, at: performance.now() };
    this.clock = c;
    for (const l of this.clockListeners) l(c);
    return c;
  }

  /** Crash ('kill' / 'power') or cleanly restart the server; every session is reconnected. */
  async restart(how: 'kill' | 'power' | 'restart'): Promise<RestartReport> {
    const m = await this.request({ type: 'restart', how });
    this.commandDone(null);
    return m.report;
  }

  /**
   * Called after every command or pipeline answered (lessons re-check the engine's state then);
   * `session` is null when the clock moved. Returns the unsubscribe function.
   */
  onCommand(listener: (session: SessionId | null) => void): () => void {
    this.commandListeners.add(listener);
    return () => this.commandListeners.delete(listener);
  }

  private commandDone(session: SessionId | null): void {
    for (const l of this.commandListeners) l(session);
  }

  async inspect(query: InspectQuery): Promise<InspectResult> {
    return (await this.request({ type: 'inspect', query })).result;
  }

  async readFile(name: string): Promise<Uint8Array | null> {
    const m = await this.request({ type: 'file-read', name });
    return m.data ? new Uint8Array(m.data) : null;
  }

  /** Hands the bytes to the worker (transferred: `data` is unusable afterwards). */
  async writeFile(name: string, data: Uint8Array): Promise<void> {
    const buffer =
      data.byteOffset === 0 && data.byteLength === data.buffer.byteLength && data.buffer instanceof ArrayBuffer
        ? data.buffer
        : data.slice().buffer;
    await this.request({ type: 'file-write', name, data: buffer }, { transfer: [buffer] });
  }

  /** A SessionConnection for the terminal of a session opened with output 'cli'. */
  connection(session: SessionId): SessionConnection {
    return {
      send: async (argv, onBlocked): Promise<CommandOutcome> => {
        const o = await this.command(session, argv, onBlocked);
        return o.kind === 'reply' ? { kind: 'reply', output: o.cli, state: o.state } : o;
      },
      interrupt: async () => {
        await this.interrupt(session);
      },
    };
  }

  // ---- a crashed worker ---------------------------------------------------------------------

  /**
   * The worker died and `port` is a new one: commands in flight end as disconnected (redis-cli's
   * "Server closed the connection"), other requests fail, every session is opened again on the new
   * worker (and event watching resumed); then the restart listeners hear `reason`.
   */
  async replaceWorker(port: Endpoint<FromWorker, ToWorker>, reason: string): Promise<void> {
    this.port.removeEventListener?.('message', this.onMessage);
    this.port = port;
    port.addEventListener('message', this.onMessage);
    port.start?.();
    const pending = [...this.pending];
    this.pending.clear();
    for (const [id, p] of pending) {
      if ((p.type === 'command' || p.type === 'pipeline') && p.session !== undefined) {
        p.resolve({ type: 'disconnected', id, session: p.session });
      } else {
        p.reject(new Error(`the engine worker crashed (${reason})`));
      }
    }
    this.updateBusy();
    this.share();
    await this.request({ type: 'hello' });
    await Promise.all(
      [...this.sessionOptions].map(([session, o]) =>
        this.request({ type: 'open', session, name: o.name, output: o.output }),
      ),
    );
    if (this.watchingEvents) await this.request({ type: 'watch-events', on: true });
    for (const l of this.restartListeners) l(reason);
  }

  /** Listen to worker restarts after a crash; returns the unsubscribe function. */
  onRestart(listener: (reason: string) => void): () => void {
    this.restartListeners.add(listener);
    return () => this.restartListeners.delete(listener);
  }

  // ---- busy ---------------------------------------------------------------------------------

  get busy(): boolean {
    return this.isBusy;
  }

  onBusy(listener: (busy: boolean) => void): () => void {
    this.busyListeners.add(listener);
    return () => this.busyListeners.delete(listener);
  }

  private armBusyTimer(): void {
    if (this.busyTimer !== null) return;
    this.busyTimer = this.timers.setTimeout(() => {
      this.busyTimer = null;
      this.updateBusy();
    }, this.busyAfterMs);
  }

  private updateBusy(): void {
    const now = Date.now();
    let working = false;
    let oldest = now;
    for (const p of this.pending.values()) {
      if (!p.work) continue;
      working = true;
      if (p.since < oldest) oldest = p.since;
    }
    const busy = working && now - oldest >= this.busyAfterMs;
    if (working && !busy) this.armBusyTimer();
    if (busy !== this.isBusy) {
      this.isBusy = busy;
      for (const l of this.busyListeners) l(busy);
    }
  }
}
