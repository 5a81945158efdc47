// The one message protocol between the page and the engine's Web Worker (comlink/sql.js style):
// requests carry an id that their answer repeats; pushes, connection closes and batched engine
// events arrive unasked. Everything is structured-clone data; files travel as transferable
// ArrayBuffers. Shared by engine/worker/host.ts and app/engine-client/.

import type { EngineEvent } from '../events';
import type { CommandDoc } from '../protocol/hints';
import type { Reply } from '../protocol/reply';

/** A terminal session: one engine client (one "connection"), numbered by the page. */
export type SessionId = number;

/** What the page sees of a client after each reply (the lab's panels and prompt hints read it). */
export interface ClientState {
  readonly clientId: number;
  readonly db: number;
  readonly resp: 2 | 3;
  readonly subscriptions: number;
  readonly inMulti: boolean;
  readonly monitor: boolean;
}

/**
 * A reply already formatted as interactive redis-cli prints it (format-cli.ts), for terminal
 * sessions: formatting in the worker keeps a 300k-line KEYS reply off the page's main thread.
 */
export interface CliText {
  /** Terminal-ready text: UTF-8 decoded, \r\n line ends (terminalLines), so the page only writes it. */
  readonly text: string;
  /** The reply's type, for the prompt state redis-cli tracks (errors, a nil EXEC). */
  readonly kind: Reply['t'];
  readonly nil: boolean;
}

/** How a session wants its replies: the AST (lessons, checks) or redis-cli text (terminals). */
export type OutputMode = 'reply' | 'cli';

export type InspectQuery =
  /** Keys per database, clients, totals. */
  | { readonly kind: 'summary' }
  /** Up to `limit` key names of a database, in dict order. */
  | { readonly kind: 'keys'; readonly db: number; readonly limit: number };

export interface EngineSummary {
  readonly dbs: readonly { readonly db: number; readonly keys: number; readonly expires: number }[];
  readonly clients: readonly {
    readonly id: number;
    readonly name: string;
    readonly db: number;
    readonly flags: string;
  }[];
  readonly totalCommands: number;
  readonly dirty: number;
}

export type InspectResult =
  | { readonly kind: 'summary'; readonly summary: EngineSummary }
  | { readonly kind: 'keys'; readonly keys: readonly string[] };

/** Page → worker. */
export type ToWorker =
  /** First message: answered with the command docs the terminal needs (hints, completion, HELP). */
  | { readonly type: 'hello'; readonly id: number }
  | {
      readonly type: 'open';
      readonly id: number;
      readonly session: SessionId;
      readonly name?: string;
      readonly output?: OutputMode;
    }
  | { readonly type: 'close'; readonly id: number; readonly session: SessionId }
  /** argv items are binary strings (one char per byte). */
  | { readonly type: 'command'; readonly id: number; readonly session: SessionId; readonly argv: readonly string[] }
  /** Many commands in one message (lesson setup, bulk loading); replies only when asked. */
  | {
      readonly type: 'pipeline';
      readonly id: number;
      readonly session: SessionId;
      readonly commands: readonly (readonly string[])[];
      readonly replies: boolean;
    }
  /**
   * Ctrl-C while waiting. A blocked command is unblocked (LAB: redis-cli would exit); a MONITOR or
   * subscribed connection is dropped and a new one opened on the same database, as redis-cli does.
   */
  | { readonly type: 'interrupt'; readonly id: number; readonly session: SessionId }
  | { readonly type: 'inspect'; readonly id: number; readonly query: InspectQuery }
  | { readonly type: 'watch-events'; readonly id: number; readonly on: boolean }
  | { readonly type: 'file-read'; readonly id: number; readonly name: string }
  | { readonly type: 'file-write'; readonly id: number; readonly name: string; readonly data: ArrayBuffer };

/** Worker → page. */
export type FromWorker =
  | { readonly type: 'ready'; readonly id: number; readonly docs: readonly CommandDoc[] }
  | { readonly type: 'opened'; readonly id: number; readonly session: SessionId; readonly state: ClientState }
  | { readonly type: 'ack'; readonly id: number }
  /**
   * The command's reply: `reply` for 'reply' sessions, `cli` for 'cli' ones; both null when the
   * client sends none (CLIENT REPLY OFF / SKIP, or replies already pushed, as SUBSCRIBE's).
   */
  | {
      readonly type: 'reply';
      readonly id: number;
      readonly session: SessionId;
      readonly reply: Reply | null;
      readonly cli: CliText | null;
      readonly state: ClientState;
    }
  /** The command blocked (BLPOP...): its reply comes later as a 'reply' with the same id. */
  | { readonly type: 'blocked'; readonly id: number; readonly session: SessionId }
  /** The session's connection is gone (CLIENT KILL, QUIT): the command was not run. */
  | { readonly type: 'disconnected'; readonly id: number; readonly session: SessionId }
  | {
      readonly type: 'pipeline-done';
      readonly id: number;
      readonly count: number;
      readonly replies: readonly (Reply | null)[] | null;
    }
  | { readonly type: 'inspected'; readonly id: number; readonly result: InspectResult }
  | { readonly type: 'file'; readonly id: number; readonly name: string; readonly data: ArrayBuffer | null }
  | { readonly type: 'failed'; readonly id: number; readonly message: string }
  /** A reply outside a request: pub/sub message, MONITOR line, RESP3 push (`cli` for 'cli' sessions). */
  | {
      readonly type: 'push';
      readonly session: SessionId;
      readonly reply: Reply | null;
      readonly cli: CliText | null;
      readonly resp: 2 | 3;
    }
  /** The engine closed a session's connection (CLIENT KILL); the next command finds it gone. */
  | { readonly type: 'closed'; readonly session: SessionId }
  /** Engine events since the last batch (only while watched); `dropped` counts what didn't fit. */
  | { readonly type: 'events'; readonly events: readonly EngineEvent[]; readonly dropped: number };

/** Requests whose answer is not a plain 'ack'. */
export type Answer<T extends ToWorker['type']> = T extends 'hello'
  ? Extract<FromWorker, { type: 'ready' }>
  : T extends 'open' | 'interrupt'
    ? Extract<FromWorker, { type: 'opened' }>
    : T extends 'command'
      ? Extract<FromWorker, { type: 'reply' | 'disconnected' }>
      : T extends 'pipeline'
        ? Extract<FromWorker, { type: 'pipeline-done' | 'disconnected' }>
        : T extends 'inspect'
          ? Extract<FromWorker, { type: 'inspected' }>
          : T extends 'file-read'
            ? Extract<FromWorker, { type: 'file' }>
            : Extract<FromWorker, { type: 'ack' }>;

/** The two ends of a MessagePort-like channel (Worker, DedicatedWorkerGlobalScope, MessagePort). */
export interface Endpoint<In, Out> {
  postMessage(message: Out, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (ev: { data: In }) => void): void;
  removeEventListener?(type: 'message', listener: (ev: { data: In }) => void): void;
  start?(): void;
}
