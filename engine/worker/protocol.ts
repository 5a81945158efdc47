// The one message protocol between the page and the engine's Web Worker (comlink/sql.js style):
// requests carry an id that their answer repeats; pushes, connection closes and batched engine
// events arrive unasked. Everything is structured-clone data; files travel as transferable
// ArrayBuffers. Shared by engine/worker/host.ts and app/engine-client/.

import type { EngineEvent } from '../events';
import type { CommandDoc } from '../protocol/hints';
import type { Reply } from '../protocol/reply';
import type { DurabilityAccount } from '../persistence/durability';
import type { ZsetWindow } from '../types/zset-view';
import type { PersistenceReport } from './persistence-panel';

export type { PersistenceReport } from './persistence-panel';

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
  | { readonly kind: 'keys'; readonly db: number; readonly limit: number }
  /** Ranks [start, start + count) of a sorted set and its `top` highest members (skip-list panel). */
  | {
      readonly kind: 'zset';
      readonly db: number;
      readonly key: string;
      readonly start: number;
      readonly count: number;
      readonly top: number;
    }
  /** used_memory, limit, policy, bytes by type and the `top` biggest keys (memory panel). */
  | { readonly kind: 'memory'; readonly top: number }
  /** Up to `limit` keys of a database matching a glob `pattern` (all when omitted), with type,
   * encoding, expiry and MEMORY USAGE (keyspace panel). */
  | { readonly kind: 'keyspace'; readonly db: number; readonly limit: number; readonly pattern?: string }
  /** One key's value: its first `limit` items and their total (keyspace panel's value view). */
  | { readonly kind: 'key'; readonly db: number; readonly key: string; readonly limit: number }
  /** Mode, fsync policy, files with page-cache and durable sizes, the last crash's account. */
  | { readonly kind: 'persistence' };

export interface ZsetReport {
  readonly kind: 'zset';
  readonly key: string;
  /** null: no such key; another type: the key holds something else. */
  readonly type: string | null;
  readonly window: ZsetWindow | null;
  /** zset-max-listpack-entries / -value: where the listpack converts. */
  readonly limits: { readonly entries: number; readonly value: number };
}

export interface MemoryReport {
  readonly kind: 'memory';
  /** Engine time (ms) of the report. */
  readonly at: number;
  readonly used: number;
  readonly maxmemory: number;
  readonly policy: string;
  readonly keys: number;
  readonly expires: number;
  readonly expiredKeys: number;
  readonly evictedKeys: number;
  readonly byType: readonly { readonly type: string; readonly keys: number; readonly bytes: number }[];
  readonly biggest: readonly {
    readonly db: number;
    readonly key: string;
    readonly type: string;
    readonly encoding: string;
    readonly bytes: number;
  }[];
  /** Keys sized; less than `keys` when the dataset is too big to size in one go. */
  readonly scanned: number;
  readonly sampled: boolean;
}

export interface KeyspaceReport {
  readonly kind: 'keyspace';
  readonly db: number;
  /** Engine time (ms) the expiry times compare with. */
  readonly now: number;
  readonly dbs: readonly { readonly db: number; readonly keys: number; readonly expires: number }[];
  readonly keys: readonly {
    readonly key: string;
    readonly type: string;
    readonly encoding: string;
    /** Absolute expiry in ms (engine time), null when persistent. */
    readonly expireAt: number | null;
    /** MEMORY USAGE of the key (5 samples). */
    readonly bytes: number;
  }[];
  /** Live keys matching the pattern (all of them, not only the ones listed). */
  readonly matched: number;
  /** The database was too big to look at every key: `matched` counts the first ones only. */
  readonly partial: boolean;
  readonly truncated: boolean;
}

/** A bounded view of one key's value (the first items in the type's own order, and the total). */
export type KeyValueView =
  | { readonly type: 'string'; readonly value: string; readonly total: number }
  | { readonly type: 'list'; readonly items: readonly string[]; readonly total: number }
  | { readonly type: 'hash'; readonly items: readonly (readonly [string, string])[]; readonly total: number }
  | { readonly type: 'set'; readonly items: readonly string[]; readonly total: number }
  | {
      readonly type: 'zset';
      readonly items: readonly { readonly member: string; readonly score: string }[];
      readonly total: number;
    }
  | {
      readonly type: 'stream';
      readonly items: readonly { readonly id: string; readonly fields: readonly (readonly [string, string])[] }[];
      readonly total: number;
      readonly groups: readonly {
        readonly name: string;
        readonly lastDeliveredId: string;
        /** null where XINFO GROUPS replies nil (unknown). */
        readonly entriesRead: string | null;
        readonly lag: string | null;
        readonly pending: number;
        readonly consumers: readonly {
          readonly name: string;
          readonly pending: readonly { readonly id: string; readonly deliveries: string }[];
          readonly pendingTotal: number;
        }[];
      }[];
    };

export interface KeyReport {
  readonly kind: 'key';
  readonly db: number;
  readonly key: string;
  /** null: no such key (or it expired). */
  readonly type: string | null;
  readonly encoding: string;
  readonly bytes: number;
  readonly expireAt: number | null;
  readonly value: KeyValueView | null;
}

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
  | { readonly kind: 'keys'; readonly keys: readonly string[] }
  | ZsetReport
  | MemoryReport
  | KeyspaceReport
  | KeyReport
  | PersistenceReport;

/** A restarted server's load report (engine/persistence/lifecycle.ts LoadReport), as plain data. */
export interface RestartReport {
  readonly source: 'aof' | 'rdb' | 'none';
  readonly ok: boolean;
  readonly keysLoaded: number;
  readonly commands: number;
  readonly truncatedBytes: number;
  readonly crash: {
    readonly kind: 'kill' | 'power';
    readonly lost: readonly { readonly path: string; readonly bytes: number; readonly commands: number }[];
    readonly changesSinceSave: number;
  } | null;
  /** Which acknowledged writes of the old server the new one found, and why (the persistence panel). */
  readonly account?: DurabilityAccount | null;
}

/**
 * Where the lab keeps the server's files (engine/worker/lab-storage.ts) and what the server found
 * there when this worker started. Sent unasked before the first answer, and again when a storage
 * write starts or stops failing.
 */
export interface StorageStatus {
  /** 'opfs' / 'idb': saved in this browser; 'memory': lost when the page goes. */
  readonly kind: 'opfs' | 'idb' | 'memory';
  /** Why the lab uses what it uses (another tab holds the files, no OPFS...), or null. */
  readonly note: string | null;
  /** The storage's last write error (a full quota), null while writes succeed. */
  readonly error: string | null;
  /** The start-up load, when the storage held files from an earlier page; null on a first visit. */
  readonly startup: StartupReport | null;
}

export interface StartupReport {
  readonly source: 'aof' | 'rdb' | 'none';
  readonly ok: boolean;
  readonly keysLoaded: number;
  readonly commands: number;
  readonly truncatedBytes: number;
  /** The server log of the load ("Done loading RDB, keys loaded: 3...", "DB loaded from disk: ..."). */
  readonly log: readonly string[];
  /** The settings kept in redis-lab.conf and applied at start (appendonly, appendfsync, save...). */
  readonly settings: Readonly<Record<string, string>>;
}

/** Page → worker. */
export type ToWorker =
  /** First message: answered with the command docs the terminal needs (hints, completion, HELP). */
  | { readonly type: 'hello'; readonly id: number }
  /**
   * Every command's docs, answered ('ready') once all command groups are loaded: the worker answers
   * hello from its first chunk, which holds only the core groups (lab-server.ts). Asking for them
   * also tells the worker to load the rest now.
   */
  | { readonly type: 'docs'; readonly id: number }
  | {
      readonly type: 'open';
      readonly id: number;
      readonly session: SessionId;
      readonly name?: string;
      readonly output?: OutputMode;
    }
  | { readonly type: 'close'; readonly id: number; readonly session: SessionId }
  /**
   * argv items are binary strings (one char per byte). `sync`: the page waits for this reply on the
   * shared buffer ('share'), so the worker publishes it there too (sync-reply.ts).
   */
  | {
      readonly type: 'command';
      readonly id: number;
      readonly session: SessionId;
      readonly argv: readonly string[];
      readonly sync?: boolean;
    }
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
  /**
   * Crash the server ('kill': the process dies, the OS page cache survives; 'power': only fsynced
   * bytes survive) or shut it down cleanly ('restart'), then start a new one on the same disk.
   * Every session is reconnected to the new server.
   */
  | { readonly type: 'restart'; readonly id: number; readonly how: 'kill' | 'power' | 'restart' }
  /** Move the engine's clock forward (lessons' ":advance 10s"), then run serverCron once. */
  | { readonly type: 'advance-clock'; readonly id: number; readonly ms: number }
  /** The lab's clock control: read the engine's time, or pause / resume it ('clock' answers). */
  | { readonly type: 'clock-control'; readonly id: number; readonly action: 'get' | 'pause' | 'resume' }
  | { readonly type: 'watch-events'; readonly id: number; readonly on: boolean }
  /**
   * Test-only (the e2e quota case): cap the bytes the lab's storage may hold, as a full browser quota
   * would; null lifts the cap. Answered by the worker's start-up code (start.ts) with 'ack'.
   */
  | { readonly type: 'storage-limit'; readonly id: number; readonly bytes: number | null }
  /**
   * The page is cross-origin isolated: a SharedArrayBuffer for replies awaited synchronously and the
   * worker's heartbeat (sync-reply.ts). Sent first, and again to a replacement worker.
   */
  | { readonly type: 'share'; readonly id: number; readonly buffer: SharedArrayBuffer }
  /** Are you there? Answered with 'ack' as soon as the worker is free (the page's watchdog). */
  | { readonly type: 'ping'; readonly id: number }
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
  /** The server started again: what it loaded and what the crash lost. */
  | { readonly type: 'restarted'; readonly id: number; readonly report: RestartReport }
  /** Where the server's files live and what it loaded at start (see StorageStatus). */
  | { readonly type: 'storage'; readonly status: StorageStatus }
  /** The clock moved (or was asked about): the engine's time now (ms since the epoch), paused or not. */
  | { readonly type: 'clock'; readonly id: number; readonly now: number; readonly paused: boolean }
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
export type Answer<T extends ToWorker['type']> = T extends 'hello' | 'docs'
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
            : T extends 'advance-clock' | 'clock-control'
              ? Extract<FromWorker, { type: 'clock' }>
              : T extends 'restart'
                ? Extract<FromWorker, { type: 'restarted' }>
                : Extract<FromWorker, { type: 'ack' }>;

/** The two ends of a MessagePort-like channel (Worker, DedicatedWorkerGlobalScope, MessagePort). */
export interface Endpoint<In, Out> {
  postMessage(message: Out, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (ev: { data: In }) => void): void;
  removeEventListener?(type: 'message', listener: (ev: { data: In }) => void): void;
  start?(): void;
}
