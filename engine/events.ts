// The typed event stream the engine emits (DESIGN §1): panels, the AOF writer, keyspace notifications
// and the worker host subscribe; the engine never knows who listens.

import type { DiskEvent } from './persistence/disk';
import type { PersistEvent } from './persistence/persist-events';
import type { ZsetEvent } from './types/zset-view';

export type EngineEvent =
  | { type: 'key'; db: number; key: string; op: 'set' | 'overwrite' | 'del' | 'update' | 'expired' | 'evicted' }
  | { type: 'propagate'; db: number; argv: readonly string[] }
  | { type: 'notify'; db: number; event: string; key: string; cls: string }
  | { type: 'flush'; db: number | 'all' }
  | { type: 'config'; name: string; value: string }
  /** A virtual-disk operation (write, fsync, writeback, rename, truncate, unlink, crash) with sizes and time. */
  | DiskEvent
  /** AOF writes with their commands, forks, snapshots, manifest swaps, the last restart's account. */
  | PersistEvent
  /** A sorted-set operation with its skip-list search path (only while zsets are watched). */
  | ZsetEvent
  /** A server log line (serverLog): '#' warning, '*' notice, '-' verbose, '.' debug. */
  | { type: 'log'; level: '#' | '*' | '-' | '.'; text: string; at: number }
  /**
   * A command a lab session sent, as MONITOR would show it (the worker host emits these for the
   * event log while events are watched). `argv` may be cut short: `more` counts what was left off.
   */
  | { type: 'command'; db: number; client: string; argv: readonly string[]; more: number; at: number }
  /** SHUTDOWN succeeded: the host should stop serving (and the process exit). */
  | { type: 'shutdown' };

export type EngineListener = (e: EngineEvent) => void;
