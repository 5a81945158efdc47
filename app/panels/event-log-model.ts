// The event log's model, pure: engine events turned into one-line entries (MONITOR-style commands,
// keyspace notifications, expiries, evictions, disk operations, config changes, server log lines),
// kept in a bounded ring, and filtered by category and text for the panel.

import type { EngineEvent } from '../../engine/events';
import { toDisplay } from './display';

export type LogCategory =
  | 'command'
  | 'keyspace'
  | 'expired'
  | 'evicted'
  | 'disk'
  | 'config'
  | 'server'
  | 'keys'
  | 'propagate';

/**
 * The filter checkboxes, in order, with what each shows; `on` is the default. ('keys' and
 * 'propagate' lines exist for completeness: the worker host does not send those events.)
 */
export const CATEGORIES: readonly { id: LogCategory; label: string; on: boolean }[] = [
  { id: 'command', label: 'Commands (MONITOR)', on: true },
  { id: 'keyspace', label: 'Keyspace events', on: true },
  { id: 'expired', label: 'Expiries', on: true },
  { id: 'evicted', label: 'Evictions', on: true },
  { id: 'disk', label: 'Persistence (disk)', on: true },
  { id: 'config', label: 'Config changes', on: true },
  { id: 'server', label: 'Server log', on: true },
];

export interface LogEntry {
  /** Increasing, unique in the page: the row's key. */
  readonly id: number;
  /** Engine time in ms (the event's own, or the page's estimate when it carries none). */
  readonly at: number;
  readonly cat: LogCategory;
  readonly text: string;
}

const quote = (s: string) => {
  const d = toDisplay(s);
  return /^[\x21-\x7e]+$/.test(d) && !d.includes('"') ? d : JSON.stringify(d);
};

function persistText(e: Extract<EngineEvent, { type: 'persist' }>): string {
  switch (e.op) {
    case 'aof-append': {
      const cmds = e.commands.map((c) => c.map(quote).join(' ')).join('; ');
      return `AOF append to ${e.path}: ${cmds}${e.more > 0 ? ` … (${e.more} more)` : ''} (${e.bytes} B)`;
    }
    case 'fork':
      return `fork: child ${e.pid} for ${e.child === 'rdb' ? 'BGSAVE' : 'the AOF rewrite'}`;
    case 'snapshot':
      return `snapshot written: ${e.path} (${e.bytes} B)`;
    case 'manifest':
      return `AOF manifest: base ${e.base ?? 'none'}, incr ${e.incrs.join(', ') || 'none'}`;
    case 'restarted':
      return 'server restarted';
  }
}

/** One event as a log line, or null for events the log does not show (zset traces, shutdown). */
export function describeEvent(e: EngineEvent): { cat: LogCategory; text: string; at?: number } | null {
  switch (e.type) {
    case 'command': {
      const more = e.more > 0 ? ` … (${e.more} more)` : '';
      return { cat: 'command', text: `[${e.db} ${e.client}] ${e.argv.map(quote).join(' ')}${more}`, at: e.at };
    }
    case 'notify':
      return { cat: 'keyspace', text: `db${e.db} ${e.event} ${quote(e.key)} (class ${e.cls})` };
    case 'key':
      if (e.op === 'expired') return { cat: 'expired', text: `db${e.db} ${quote(e.key)} expired` };
      if (e.op === 'evicted') return { cat: 'evicted', text: `db${e.db} ${quote(e.key)} evicted (maxmemory)` };
      return { cat: 'keys', text: `db${e.db} ${quote(e.key)} ${e.op}` };
    case 'flush':
      return { cat: 'keyspace', text: e.db === 'all' ? 'all databases flushed' : `db${e.db} flushed` };
    case 'config':
      return { cat: 'config', text: `CONFIG ${e.name} = ${quote(e.value)}` };
    case 'disk': {
      const to = e.to !== undefined ? ` → ${e.to}` : '';
      const kind = e.kind !== undefined ? ` (${e.kind})` : '';
      return {
        cat: 'disk',
        text: `${e.op}${kind} ${e.path}${to}: ${e.bytes} B, size ${e.size} B, durable ${e.durable} B`,
        at: e.at,
      };
    }
    case 'persist':
      return { cat: 'disk', text: persistText(e), at: e.at };
    case 'log':
      return { cat: 'server', text: `${e.level} ${e.text}`, at: e.at };
    case 'propagate':
      return { cat: 'propagate', text: `db${e.db} ${e.argv.map(quote).join(' ')}` };
    case 'zset':
    case 'shutdown':
      return null;
  }
}

/** Most entries kept; older ones fall off. */
export const LOG_CAPACITY = 2000;

/** A bounded ring of entries, appended in place (the panel copies what it shows). */
export class EventLog {
  private readonly ring: (LogEntry | undefined)[];
  private head = 0;
  private size = 0;
  private nextId = 1;
  /** Bumped by every change: the panel redraws when it moved. */
  version = 0;
  /** Entries that fell off the ring since the start. */
  overwritten = 0;

  constructor(readonly capacity = LOG_CAPACITY) {
    this.ring = new Array(capacity);
  }

  get length(): number {
    return this.size;
  }

  /** Append a batch; `now` is the engine time used for events without their own. */
  add(batch: readonly EngineEvent[], now: number): void {
    let added = false;
    for (const e of batch) {
      const d = describeEvent(e);
      if (d === null) continue;
      this.ring[(this.head + this.size) % this.capacity] = {
        id: this.nextId++,
        at: d.at ?? now,
        cat: d.cat,
        text: d.text,
      };
      if (this.size < this.capacity) this.size++;
      else {
        this.head = (this.head + 1) % this.capacity;
        this.overwritten++;
      }
      added = true;
    }
    if (added) this.version++;
  }

  clear(): void {
    this.ring.fill(undefined);
    this.head = 0;
    this.size = 0;
    this.version++;
  }

  /** The newest `limit` entries passing the filter, oldest first. */
  select(cats: ReadonlySet<LogCategory>, text: string, limit: number): LogEntry[] {
    const needle = text.trim().toLowerCase();
    const out: LogEntry[] = [];
    for (let i = this.size - 1; i >= 0 && out.length < limit; i--) {
      const e = this.ring[(this.head + i) % this.capacity] as LogEntry;
      if (!cats.has(e.cat)) continue;
      if (needle !== '' && !e.text.toLowerCase().includes(needle)) continue;
      out.push(e);
    }
    return out.reverse();
  }
}
