// The slow log (src/slowlog.c): commands whose execution took at least slowlog-log-slower-than
// microseconds, newest first, capped at slowlog-max-len; arguments are trimmed to 32 and each to
// 128 bytes exactly as Redis does. The engine calls `push` from its one call path.

import type { Client } from './client';

const MAX_ARGC = 32;
const MAX_STRING = 128;

export interface SlowlogEntry {
  readonly id: number;
  /** Unix time in seconds when the command finished. */
  readonly time: number;
  readonly duration: number;
  readonly argv: readonly string[];
  readonly peer: string;
  readonly name: string;
}

export class Slowlog {
  entries: SlowlogEntry[] = [];
  nextId = 0;

  /** slowlogPushEntryIfNeeded (the threshold was checked by the caller). */
  push(c: Client, argv: readonly string[], duration: number, maxLen: number): void {
    const n = Math.min(argv.length, MAX_ARGC);
    const args: string[] = [];
    for (let j = 0; j < n; j++) {
      if (n !== argv.length && j === n - 1) args.push(`... (${argv.length - n + 1} more arguments)`);
      else {
        const a = argv[j];
        args.push(a.length > MAX_STRING ? `${a.slice(0, MAX_STRING)}... (${a.length - MAX_STRING} more bytes)` : a);
      }
    }
    this.entries.unshift({
      id: this.nextId++,
      time: Math.floor(c.engine.now() / 1000),
      duration,
      argv: args,
      peer: c.addr,
      name: c.name,
    });
    if (this.entries.length > maxLen) this.entries.length = maxLen;
  }

  reset(): void {
    this.entries = [];
  }
}
