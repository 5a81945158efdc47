// The persistence layer's own engine events (beside the virtual disk's DiskEvents), for the
// persistence panel's timeline: what an AOF write carried, BGSAVE / BGREWRITEAOF forks and the files
// their children produced, the AOF manifest swap, and the account of the last crash or restart.

import type { DurabilityAccount } from './durability';

export type PersistEvent =
  /** flushAppendOnlyFile wrote these commands to `path` (argv shortened as journal.shortArgv does). */
  | {
      type: 'persist';
      op: 'aof-append';
      path: string;
      commands: readonly (readonly string[])[];
      /** Commands left off the list (a big MULTI batch). */
      more: number;
      bytes: number;
      /** The file's size afterwards (page cache) and its durable part. */
      size: number;
      durable: number;
      at: number;
    }
  /** A child was forked: BGSAVE ('rdb') or an AOF rewrite ('aof'); its snapshot is of this moment. */
  | { type: 'persist'; op: 'fork'; child: 'rdb' | 'aof'; pid: number; at: number }
  /** A snapshot file was completed: dump.rdb (SAVE, BGSAVE) or a new AOF base (rewrite). */
  | { type: 'persist'; op: 'snapshot'; kind: 'rdb' | 'aof-base'; path: string; bytes: number; at: number }
  /** The AOF manifest was replaced: its files now. */
  | {
      type: 'persist';
      op: 'manifest';
      base: string | null;
      incrs: readonly string[];
      history: readonly string[];
      at: number;
    }
  /** The server crashed or was restarted; the account of what the new one found. */
  | { type: 'persist'; op: 'restarted'; account: DurabilityAccount; at: number };

/** At most this many commands are listed per AOF write event. */
export const MAX_EVENT_COMMANDS = 8;
