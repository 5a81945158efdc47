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
  ToWorker,
} from '../../engine/worker/protocol';
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
}

type Request = ToWorker extends infer T ? (T extends ToWorker ? Omit<T, 'id'> : never) : never;

interface Pending {
  resolve(m: FromWorker): void;
  reject(e: Error): void;
  /** Counts toward "busy" (a running command), unless the command is blocked. */
  work: boolean;
  since: number;
  onBlocked?: () => void;
}

const defaultSchedule: FrameScheduler =
  typeof requestAnimationFrame === 'function' ? (f) => requestAnimationFrame(() => f()) : (f) => setTimeout(f, 16);

export class EngineClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly sessions = new Map<SessionId, SessionHandlers>();
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

  constructor(
    private readonly port: Endpoint<FromWorker, ToWorker>,
    opts: EngineClientOptions = {},
  ) {
    this.busyAfterMs = opts.busyAfterMs ?? 150;
    this.timers = opts.timers ?? {
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    };
    this.events = new EventChannel<EngineEvent>(opts.schedule ?? defaultSchedule, (on) => {
      void this.request({ type: 'watch-events', on });
    });
    port.addEventListener('message', (ev) => this.receive(ev.data));
    port.start?.();
  }

  // ---- requests -----------------------------------------------------------------------------

  private request<M extends Request>(
    msg: M,
    opts: { work?: boolean; onBlocked?: () => void; transfer?: Transferable[] } = {},
  ): Promise<Answer<M['type']>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, {
        resolve: resolve as (m: FromWorker) => void,
        reject,
        work: opts.work ?? false,
        since: Date.now(),
        onBlocked: opts.onBlocked,
      });
      if (opts.work) this.armBusyTimer();
      const full = { ...msg, id } as ToWorker;
      if (opts.transfer) this.port.postMessage(full, opts.transfer);
      else this.port.postMessage(full);
    });
  }

  private receive(m: FromWorker): void {
    switch (m.type) {
      case 'push':
        this.sessions.get(m.session)?.push(m);
        return;
      case 'closed':
        this.sessions.get(m.session)?.closed();
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
      default: {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (m.type === 'failed') p.reject(new Error(m.message));
        else p.resolve(m);
        if (p.work) this.updateBusy();
      }
    }
  }

  /** The command docs (hints, completion, HELP); the first answer also means the worker is up. */
  async hello(): Promise<readonly CommandDoc[]> {
    return (await this.request({ type: 'hello' })).docs;
  }

  async open(
    session: SessionId,
    handlers: SessionHandlers,
    opts: { name?: string; output?: OutputMode } = {},
  ): Promise<ClientState> {
    this.sessions.set(session, handlers);
    return (await this.request({ type: 'open', session, name: opts.name, output: opts.output })).state;
  }

  async close(session: SessionId): Promise<void> {
    this.sessions.delete(session);
    await this.request({ type: 'close', session });
  }

  async command(session: SessionId, argv: readonly string[], onBlocked?: () => void): Promise<Outcome> {
    const m = await this.request({ type: 'command', session, argv }, { work: true, onBlocked });
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
    this.commandDone(null);
    return m.now;
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
