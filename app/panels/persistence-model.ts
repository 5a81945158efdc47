// The persistence panel's view model, pure: the seed's persistence table (the four modes, what
// CONFIG SET makes each, their durability / cost / recovery), the appendfsync choices, and the
// timeline built from the engine's disk and persistence events (AOF writes with their commands,
// fsyncs, writebacks, forks, snapshots, manifest swaps, crashes and restarts). No engine logic here:
// the engine reports, this only words and orders it.

import type { EngineEvent } from '../../engine/events';
import type { PersistMode } from '../../engine/persistence/durability';
import { toDisplay } from './display';
import { humanBytes } from './memory-model';

/** The default save points of redis.conf (Redis 7.0), used by the RDB modes. */
export const DEFAULT_SAVE = '3600 1 300 100 60 10000';

export interface ModeInfo {
  readonly id: PersistMode;
  readonly label: string;
  /** The CONFIG SET pairs the panel sends for this mode. */
  readonly config: readonly (readonly [string, string])[];
  readonly what: string;
  readonly durability: string;
  readonly cost: string;
  readonly recovery: string;
}

/** The seed's table, one row per mode. */
export const MODES: readonly ModeInfo[] = [
  {
    id: 'none',
    label: 'None',
    config: [
      ['appendonly', 'no'],
      ['save', ''],
    ],
    what: 'Pure cache, nothing on disk',
    durability: 'Zero: a restart loses all data',
    cost: 'None',
    recovery: 'Instant (empty)',
  },
  {
    id: 'rdb',
    label: 'RDB',
    config: [
      ['appendonly', 'no'],
      ['save', DEFAULT_SAVE],
    ],
    what: 'Periodic binary snapshot (dump.rdb)',
    durability: 'Loses everything since the last snapshot',
    cost: 'Low (forked snapshot)',
    recovery: 'Fast: load one file',
  },
  {
    id: 'aof',
    label: 'AOF',
    config: [
      ['appendonly', 'yes'],
      ['aof-use-rdb-preamble', 'no'],
      ['save', ''],
    ],
    what: 'Every write logged to the append-only file',
    durability: 'Loses 0–1 s depending on appendfsync',
    cost: 'Higher (disk on writes)',
    recovery: 'Slower: replay the log',
  },
  {
    id: 'aof+rdb',
    label: 'AOF + RDB',
    config: [
      ['appendonly', 'yes'],
      ['aof-use-rdb-preamble', 'yes'],
      ['save', DEFAULT_SAVE],
    ],
    what: 'RDB snapshot as the AOF base, AOF for fresh writes',
    durability: 'Best of both',
    cost: 'Higher',
    recovery: 'Fast (RDB) + tail (AOF)',
  },
];

export const FSYNC_POLICIES: readonly { readonly id: string; readonly text: string }[] = [
  { id: 'always', text: 'fsync before every reply: nothing acknowledged is lost' },
  { id: 'everysec', text: 'fsync once a second: a power cut loses up to ~1 s' },
  { id: 'no', text: 'the OS writes back (every 30 s): a power cut loses up to 30 s' },
];

/** A CONFIG SET argument as redis-cli would need it typed. */
function cliArg(s: string): string {
  return s === '' || /[\s"]/.test(s) ? `"${s.replace(/["\\]/g, '\\$&')}"` : s;
}

/** The argv the panel sends to switch to `mode`. */
export function modeCommand(mode: PersistMode): string[] {
  const info = MODES.find((m) => m.id === mode);
  const argv = ['CONFIG', 'SET'];
  for (const [k, v] of info?.config ?? []) argv.push(k, v);
  return argv;
}

/** The same command as a line to type in the terminal. */
export function commandLine(argv: readonly string[]): string {
  return argv.map(cliArg).join(' ');
}

/** A command for the timeline and the account: redis-cli's MONITOR-like quoting, cut short. */
export function commandText(argv: readonly string[], argc = argv.length): string {
  const shown = argv.map((a) => {
    const d = toDisplay(a);
    return d === '' || /[\s"]/.test(d) ? `"${d.replace(/["\\]/g, '\\$&')}"` : d;
  });
  return argc > argv.length ? `${shown.join(' ')} … (+${argc - argv.length})` : shown.join(' ');
}

export type TimelineKind =
  | 'append'
  | 'write'
  | 'fsync'
  | 'writeback'
  | 'rename'
  | 'unlink'
  | 'fork'
  | 'snapshot'
  | 'manifest'
  | 'crash'
  | 'restart'
  | 'config';

export interface TimelineEntry {
  /** Unique in the page (the list's React key). */
  readonly id: number;
  /** Engine time (ms); config changes have none. */
  readonly at: number | null;
  readonly kind: TimelineKind;
  /** A short label for the kind ("AOF write", "fsync"...): the entry's meaning without colour. */
  readonly label: string;
  readonly text: string;
}

const LABEL: Readonly<Record<TimelineKind, string>> = {
  append: 'AOF write',
  write: 'write',
  fsync: 'fsync',
  writeback: 'OS writeback',
  rename: 'rename',
  unlink: 'delete',
  fork: 'fork',
  snapshot: 'snapshot',
  manifest: 'manifest',
  crash: 'crash',
  restart: 'restart',
  config: 'config',
};

/** The config parameters the panel follows. */
export const PERSIST_CONFIG = new Set(['appendonly', 'appendfsync', 'save', 'aof-use-rdb-preamble']);

const base = (path: string) => path.slice(path.lastIndexOf('/') + 1);

let nextId = 1;

/** Timeline entries for one batch of engine events (oldest first). */
export function timelineOf(batch: readonly EngineEvent[]): TimelineEntry[] {
  const out: TimelineEntry[] = [];
  const add = (at: number | null, kind: TimelineKind, text: string) =>
    out.push({ id: nextId++, at, kind, label: LABEL[kind], text });
  for (const e of batch) {
    if (e.type === 'config') {
      if (PERSIST_CONFIG.has(e.name)) add(null, 'config', `CONFIG SET ${e.name} ${cliArg(e.value)}`);
      continue;
    }
    if (e.type === 'persist') {
      switch (e.op) {
        case 'aof-append': {
          // The disk's write event for the same bytes came just before: this one says more.
          const prev = out[out.length - 1];
          if (prev?.kind === 'write' && prev.text.startsWith(`${humanBytes(e.bytes)} to ${base(e.path)}`)) out.pop();
          const cmds = e.commands.map((c) => commandText(c)).join('; ');
          const more = e.more > 0 ? ` and ${e.more} more` : '';
          add(
            e.at,
            'append',
            `${cmds}${more} → ${base(e.path)} (+${humanBytes(e.bytes)}, page cache, ${humanBytes(e.size - e.durable)} not yet durable)`,
          );
          break;
        }
        case 'fork':
          add(
            e.at,
            'fork',
            e.child === 'rdb'
              ? `BGSAVE forked child ${e.pid}: it writes a snapshot of this moment`
              : `AOF rewrite forked child ${e.pid}: a new base from this moment`,
          );
          break;
        case 'snapshot':
          add(
            e.at,
            'snapshot',
            e.kind === 'rdb'
              ? `snapshot written: ${base(e.path)} (${humanBytes(e.bytes)}, durable)`
              : `new AOF base in place: ${base(e.path)} (${humanBytes(e.bytes)})`,
          );
          break;
        case 'manifest':
          add(
            e.at,
            'manifest',
            `manifest now: base ${e.base ?? '(none)'}, incr ${e.incrs.join(', ') || '(none)'}${
              e.history.length > 0 ? `, history ${e.history.join(', ')}` : ''
            }`,
          );
          break;
        case 'restarted':
          add(
            e.at,
            'restart',
            `new server started: found ${e.account.survived} of ${e.account.acknowledged} acknowledged writes, ${e.account.lostCount} lost`,
          );
          break;
      }
      continue;
    }
    if (e.type !== 'disk') continue;
    const name = base(e.path);
    switch (e.op) {
      case 'write':
        add(e.at, 'write', `${humanBytes(e.bytes)} to ${name} (page cache)`);
        break;
      case 'fsync':
        if (e.bytes > 0)
          add(e.at, 'fsync', `${name}: ${humanBytes(e.bytes)} made durable (now ${humanBytes(e.durable)})`);
        break;
      case 'writeback':
        if (e.bytes > 0) add(e.at, 'writeback', `${name}: the OS wrote back ${humanBytes(e.bytes)} (30 s old)`);
        break;
      case 'rename':
        add(e.at, 'rename', `${name} → ${base(e.to ?? '')}`);
        break;
      case 'unlink':
        add(e.at, 'unlink', `${name} (${humanBytes(e.bytes)})`);
        break;
      case 'crash':
        add(
          e.at,
          'crash',
          e.kind === 'power'
            ? `power cut: ${humanBytes(e.bytes)} of page cache never reached the disk`
            : 'process killed: the page cache survives',
        );
        break;
      default:
        break;
    }
  }
  return out;
}

export const MAX_TIMELINE = 200;

/** Newest first, bounded. */
export function pushTimeline(log: readonly TimelineEntry[], add: readonly TimelineEntry[]): readonly TimelineEntry[] {
  if (add.length === 0) return log;
  return [...add.slice().reverse(), ...log].slice(0, MAX_TIMELINE);
}

/** Does this batch change what the panel's snapshot shows (files, sizes, settings)? */
export function touchesPersistence(batch: readonly EngineEvent[]): boolean {
  for (const e of batch) {
    if (e.type === 'disk' || e.type === 'persist') return true;
    if (e.type === 'config' && PERSIST_CONFIG.has(e.name)) return true;
  }
  return false;
}

/** hh:mm:ss.mmm of an engine time (the timeline's clock). */
export function clockTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

/** The durable and page-cache-only shares of a file, in percent, for its bar. */
export function fileBar(size: number, durable: number): { durablePct: number; cachePct: number } {
  if (size <= 0) return { durablePct: 0, cachePct: 0 };
  const d = Math.min(size, Math.max(0, durable));
  return { durablePct: (d / size) * 100, cachePct: ((size - d) / size) * 100 };
}
