// The persistence panel's account of a crash or restart (a lab feature, no Redis counterpart): from
// the write journal's split (journal.ts) and the settings in force, how many acknowledged writes the
// new server found, which were lost, and a plain sentence on why — the seed's persistence table
// (none / RDB / AOF / AOF + RDB, appendfsync always / everysec / no) applied to what just happened.

import type { JournalSplit, JournalWrite } from './journal';

export type PersistMode = 'none' | 'rdb' | 'aof' | 'aof+rdb';
export type RestartHow = 'kill' | 'power' | 'restart';

/** The four modes of the seed's table, from the three settings that make them. */
export function persistModeOf(appendonly: boolean, save: string, rdbPreamble: boolean): PersistMode {
  const saving = save.trim() !== '';
  if (!appendonly) return saving ? 'rdb' : 'none';
  return rdbPreamble || saving ? 'aof+rdb' : 'aof';
}

export const MODE_LABEL: Readonly<Record<PersistMode, string>> = {
  none: 'No persistence',
  rdb: 'RDB',
  aof: 'AOF',
  'aof+rdb': 'AOF + RDB',
};

export interface PolicyState {
  readonly appendonly: boolean;
  readonly appendfsync: string;
  readonly save: string;
  readonly rdbPreamble: boolean;
}

export interface DurabilityAccount {
  readonly how: RestartHow;
  /** Engine time (ms) of the crash or shutdown. */
  readonly at: number;
  readonly mode: PersistMode;
  readonly appendfsync: string;
  readonly save: string;
  /** What the new server loaded from. */
  readonly source: 'aof' | 'rdb' | 'none';
  /** Acknowledged writes the journal classified (the last JOURNAL_KEEP). */
  readonly acknowledged: number;
  readonly survived: number;
  /** The lost writes, oldest first (at most MAX_LISTED; `lostCount` has them all). */
  readonly lost: readonly JournalWrite[];
  readonly lostCount: number;
  /** The newest writes that survived (at most MAX_LISTED). */
  readonly lastSurvived: readonly JournalWrite[];
  /** Writes too old for the journal (not classified). */
  readonly forgotten: number;
  /** Why, in one or two sentences (no key names: the panel lists the writes itself). */
  readonly reason: string;
  /** The new server's warnings when it could not load its files (Redis's own log text). */
  readonly loadErrors: readonly string[];
}

export const MAX_LISTED = 50;

const secs = (ms: number) => (ms < 100 ? `${Math.max(0, Math.round(ms))} ms` : `${(ms / 1000).toFixed(1)} s`);
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

const WHAT: Readonly<Record<RestartHow, string>> = {
  kill: 'killing the process',
  power: 'the power cut',
  restart: 'the clean restart',
};

function reasonFor(
  how: RestartHow,
  p: PolicyState,
  mode: PersistMode,
  split: JournalSplit,
  crashAt: number,
  loadFailed: boolean,
): string {
  const n = split.survived.length + split.lost.length;
  const lost = split.lost.length;
  const what = WHAT[how];
  if (loadFailed)
    return `The new server could not load its files (see the error below) and started empty: ${plural(lost, 'write')} lost.`;
  if (n === 0) return `No writes were acknowledged since the server started: nothing to lose.`;
  if (mode === 'none')
    return `No persistence (save "" and appendonly no): nothing was ever written to disk, so ${what} lost all ${plural(n, 'write')}; the new server started empty.`;
  if (!p.appendonly) {
    const snap =
      split.snapshotAt === null
        ? 'no snapshot was taken since the server started'
        : `the last snapshot (dump.rdb) was taken ${secs(crashAt - split.snapshotAt)} before`;
    if (lost === 0)
      return how === 'restart'
        ? `RDB: the clean shutdown saved a final snapshot, so all ${plural(n, 'write')} survived.`
        : `RDB: ${snap}, after the last write, so all ${plural(n, 'write')} survived.`;
    return `RDB only: ${snap}; the ${plural(lost, 'write')} made after it lived only in memory and ${what} lost ${lost === 1 ? 'it' : 'them'} (RDB loses everything since the last snapshot).`;
  }
  const fsync = p.appendfsync;
  if (lost === 0) {
    if (how === 'restart') return `AOF: the clean shutdown fsynced the AOF, so all ${plural(n, 'write')} survived.`;
    if (how === 'kill')
      return `AOF ${fsync}: only the process died; every write Redis had handed to the OS was still in the page cache and reached the file, so all ${plural(n, 'write')} survived.`;
    if (fsync === 'always')
      return `AOF always: every write was fsynced before Redis replied, so all ${plural(n, 'write')} survived the power cut.`;
    return `AOF ${fsync}: the last fsync came after the last write, so all ${plural(n, 'write')} survived the power cut.`;
  }
  const first = split.lost[0];
  const window = secs(crashAt - first.at);
  if (how === 'power' && fsync === 'everysec')
    return `AOF everysec: the last ${window} of writes were in the page cache, not yet fsynced (fsync runs once a second); the power cut lost ${plural(lost, 'write')}.`;
  if (how === 'power' && fsync === 'no')
    return `AOF with appendfsync no: the OS writes dirty pages back only every 30 s; the last ${window} of writes were in the page cache and the power cut lost ${plural(lost, 'write')}.`;
  return `AOF ${fsync}: ${plural(lost, 'write')} were in no file the new server loaded (an AOF rewrite or the switch to appendonly was not finished), so ${what} lost ${lost === 1 ? 'it' : 'them'}.`;
}

/** The account of a crash (or clean restart), once the new server has loaded. */
export function durabilityAccount(
  how: RestartHow,
  at: number,
  p: PolicyState,
  split: JournalSplit,
  load: { readonly source: 'aof' | 'rdb' | 'none'; readonly ok: boolean; readonly errors: readonly string[] },
): DurabilityAccount {
  const mode = persistModeOf(p.appendonly, p.save, p.rdbPreamble);
  // A server that could not load starts empty: nothing of this server's survived.
  const all: JournalSplit = load.ok
    ? split
    : { ...split, survived: [], lost: [...split.survived, ...split.lost].sort((a, b) => a.seq - b.seq) };
  return {
    how,
    at,
    mode,
    appendfsync: p.appendfsync,
    save: p.save,
    source: load.source,
    acknowledged: all.survived.length + all.lost.length,
    survived: all.survived.length,
    lost: all.lost.slice(0, MAX_LISTED),
    lostCount: all.lost.length,
    lastSurvived: all.survived.slice(-MAX_LISTED),
    forgotten: split.forgotten,
    reason: reasonFor(how, p, mode, all, at, !load.ok),
    loadErrors: load.ok ? [] : load.errors,
  };
}
