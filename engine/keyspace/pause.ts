// CLIENT PAUSE / UNPAUSE (Redis 7.0's pauseClients in src/networking.c and processCommand's check in
// src/server.c): while paused, clients sending a command the pause covers (every command, or only
// those that may write or replicate) are held in arrival order — BLOCKED_POSTPONE, kept by the
// blocking layer — and expiry and eviction stop, until the pause times out or CLIENT UNPAUSE.

import type { Client } from '../client';
import type { Command } from '../commands/define';
import type { Engine } from '../engine';
import type { MultiState } from '../multi';
import { SCRIPT_FLAG_NO_WRITES } from '../scripting/types';

export type PauseType = 'off' | 'write' | 'all';

const RANK: Record<PauseType, number> = { off: 0, write: 1, all: 2 };

/** CMD_MAY_REPLICATE in 7.0's command table besides EVAL, EVALSHA and FCALL (declared there). */
const MAY_REPLICATE = new Set(['publish', 'spublish', 'pfcount']);

/**
 * getCommandFlags' write/may-replicate part: a script with a shebang or a function is judged by its
 * declared flags (no-writes), anything else by the command's own flags.
 */
export function mayReplicate(c: Client, cmd: Command, argv: readonly string[]): boolean {
  const scriptFlags = cmd.spec.scriptFlags?.(c, argv) ?? null;
  if (scriptFlags !== null) return (scriptFlags & SCRIPT_FLAG_NO_WRITES) === 0;
  return cmd.isWrite || cmd.spec.flags.includes('may_replicate') || MAY_REPLICATE.has(cmd.fullname);
}

/** The pause state: one purpose (PAUSE_BY_CLIENT_COMMAND) is modelled. */
export class ClientPause {
  /** server.client_pause_type / client_pause_end_time */
  type: PauseType = 'off';
  end = 0;
  /** client_pause_per_purpose[PAUSE_BY_CLIENT_COMMAND] */
  private byCommand: { type: 'write' | 'all'; end: number } | null = null;

  constructor(private readonly engine: Engine) {}

  /** pauseClients: a running pause keeps the longer end and the more restrictive type. */
  pause(end: number, type: 'write' | 'all'): void {
    const p = this.byCommand;
    if (p === null) this.byCommand = { type, end };
    else {
      if (RANK[type] > RANK[p.type]) p.type = type;
      if (end > p.end) p.end = end;
    }
    this.update();
  }

  /** unpauseClients */
  unpause(): void {
    if (this.byCommand === null) return;
    this.byCommand = null;
    this.update();
  }

  /** checkClientPauseTimeoutAndReturnIfPaused */
  check(): boolean {
    if (this.type === 'off') return false;
    if (this.end < this.engine.now()) this.update();
    return this.engine.paused;
  }

  /** processCommand's pause check: must this command wait for the pause to end? */
  holds(c: Client, cmd: Command, argv: readonly string[], multi: MultiState | undefined): boolean {
    if (this.type === 'all') return true;
    if (mayReplicate(c, cmd, argv)) return true;
    // EXEC counts with the flags of the commands it queued (mstate.cmd_flags).
    return cmd.fullname === 'exec' && multi !== undefined && multi.queue.some(([q, a]) => mayReplicate(c, q, a));
  }

  /** updateClientPauseTypeAndEndTime: drop an expired pause; a less restrictive one releases the held. */
  private update(): void {
    const old = this.type;
    const p = this.byCommand;
    if (p !== null && p.end < this.engine.now()) this.byCommand = null;
    const now = this.byCommand;
    this.type = now === null ? 'off' : now.type;
    this.end = now === null ? 0 : now.end;
    this.engine.paused = this.type !== 'off';
    if (RANK[this.type] < RANK[old]) this.engine.blocking.releasePostponed();
  }
}
