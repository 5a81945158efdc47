// The lab's write journal (no Redis counterpart): every write the server propagated — and so
// acknowledged — since it started, with where it landed on the virtual disk: the AOF file and the
// offset its flush ended at, and which snapshot files (dump.rdb, AOF base) hold it. At a crash or
// restart it gives the persistence panel its account: which writes a new server will find, which are
// lost, and why, for the policy in force (see durability.ts for the wording).

import type { DiskEvent } from './disk';

/** One acknowledged write, as the panel lists it. */
export interface JournalWrite {
  /** 1, 2, 3... in propagation order. */
  readonly seq: number;
  readonly db: number;
  /** The command, cut short for display: at most MAX_ARGS arguments of at most MAX_ARG_CHARS. */
  readonly argv: readonly string[];
  /** The command's real argument count. */
  readonly argc: number;
  /** Engine time (ms) it was propagated. */
  readonly at: number;
}

interface Entry extends JournalWrite {
  /** The AOF file it was written to and the file's size after that write, once written. */
  aofPath: string | null;
  aofEnd: number;
}

export const MAX_ARGS = 6;
export const MAX_ARG_CHARS = 48;
/** Writes kept individually; older ones are only counted. */
export const JOURNAL_KEEP = 10_000;

/** A command shortened for display (the panel's timeline and account). */
export function shortArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length && i < MAX_ARGS; i++) {
    const a = argv[i];
    out.push(a.length > MAX_ARG_CHARS ? `${a.slice(0, MAX_ARG_CHARS)}…` : a);
  }
  return out;
}

/** What the next server will read, as seen right after the crash (or clean shutdown). */
export interface DiskView {
  /** appendonly yes: the AOF (manifest base + incr files) is loaded, else dump.rdb. */
  readonly appendonly: boolean;
  /** Path of the manifest's base file, or null. */
  readonly aofBase: string | null;
  /** Paths of the manifest's incr files. */
  readonly aofIncrs: readonly string[];
  readonly rdbPath: string;
  /** A file's size as the next server reads it (null: absent). */
  size(path: string): number | null;
}

export interface JournalSplit {
  readonly survived: readonly JournalWrite[];
  readonly lost: readonly JournalWrite[];
  /** Writes older than the journal keeps (not classified). */
  readonly forgotten: number;
  /** The snapshot the next server loads holds writes up to this seq (0: none of this server's). */
  readonly snapshotSeq: number;
  /** When that snapshot was taken (engine ms), null when none of this server's. */
  readonly snapshotAt: number | null;
  /** The last fsync (or OS writeback) of the AOF file the last write went to, engine ms. */
  readonly lastAofSyncAt: number | null;
}

export class WriteJournal {
  /**
   * Off (the default): nothing is recorded or followed and the account is empty. The switch is
   * CreateEngineOptions.journal (engine/index.ts): only the lab's panel and lessons need it.
   */
  constructor(readonly enabled = true) {}

  private seq = 0;
  private entries: Entry[] = [];
  private forgotten = 0;
  /** Snapshot files (temp files, dump.rdb, AOF bases) → the last seq they hold, and when taken. */
  private readonly covers = new Map<string, { seq: number; at: number }>();
  /** Per file: the last time its bytes became durable (fsync or writeback). */
  private readonly synced = new Map<string, number>();

  get lastSeq(): number {
    return this.seq;
  }

  get total(): number {
    return this.seq;
  }

  /** Writes tracked now: this server's and the ones it found of its predecessors'. */
  get tracked(): number {
    return this.entries.length + this.forgotten;
  }

  /**
   * A new server on the same disk carries on from `from`: the writes it found (`survived`) keep
   * their places in the files, and the snapshots it took while loading hold all of them.
   */
  inherit(from: WriteJournal, survived: readonly JournalWrite[]): void {
    if (!this.enabled) return;
    const keep = new Set(survived.map((w) => w.seq));
    const mine = this.entries;
    this.entries = from.entries.filter((e) => keep.has(e.seq)).map((e) => ({ ...e }));
    for (const e of mine) this.entries.push({ ...e, seq: e.seq + from.seq });
    this.forgotten = from.forgotten;
    for (const c of this.covers.values()) c.seq = from.seq + c.seq;
    for (const [path, c] of from.covers) if (!this.covers.has(path)) this.covers.set(path, { ...c });
    for (const [path, at] of from.synced) if (!this.synced.has(path)) this.synced.set(path, at);
    this.seq += from.seq;
  }

  /** A propagated write; returns its seq (0 for MULTI/EXEC, which only wrap others). */
  record(db: number, argv: readonly string[], at: number): number {
    if (!this.enabled) return 0;
    const first = argv[0] ?? '';
    if (first.length <= 5) {
      const name = first.toUpperCase();
      if (name === 'MULTI' || name === 'EXEC') return 0;
    }
    const seq = ++this.seq;
    this.entries.push({ seq, db, argv: shortArgv(argv), argc: argv.length, at, aofPath: null, aofEnd: 0 });
    if (this.entries.length > JOURNAL_KEEP + JOURNAL_KEEP / 10) {
      const drop = this.entries.length - JOURNAL_KEEP;
      this.entries.splice(0, drop);
      this.forgotten += drop;
    }
    return seq;
  }

  /** The writes `seqs` went into the AOF file `path`, which is `end` bytes long afterwards. */
  aofWritten(path: string, end: number, seqs: readonly number[]): void {
    if (seqs.length === 0) return;
    // The seqs are recent: search from the end.
    const wanted = new Set(seqs);
    for (let i = this.entries.length - 1; i >= 0 && wanted.size > 0; i--) {
      const e = this.entries[i];
      if (wanted.delete(e.seq)) {
        e.aofPath = path;
        e.aofEnd = end;
      }
    }
  }

  /** The shortened commands of recent writes `seqs` (for the AOF write events). */
  commands(seqs: readonly number[]): (readonly string[])[] {
    const out: (readonly string[])[] = [];
    let i = this.entries.length - 1;
    for (let k = seqs.length - 1; k >= 0; k--) {
      while (i >= 0 && this.entries[i].seq > seqs[k]) i--;
      if (i >= 0 && this.entries[i].seq === seqs[k]) out.push(this.entries[i].argv);
    }
    return out.reverse();
  }

  /** `path` now holds a point-in-time snapshot of every write so far (a fork, or SAVE). */
  snapshotTaken(path: string, at: number): void {
    if (!this.enabled) return;
    this.covers.set(path, { seq: this.seq, at });
  }

  /** Follow the disk: renames carry a file's contents, unlinks and rewrites end them. */
  onDisk(e: DiskEvent): void {
    if (!this.enabled) return;
    switch (e.op) {
      case 'rename': {
        const to = e.to ?? e.path;
        const c = this.covers.get(e.path);
        this.covers.delete(e.path);
        if (c !== undefined) this.covers.set(to, c);
        else this.covers.delete(to);
        const s = this.synced.get(e.path);
        if (s !== undefined) this.synced.set(to, s);
        for (const en of this.entries) if (en.aofPath === e.path) en.aofPath = to;
        return;
      }
      case 'unlink':
        this.covers.delete(e.path);
        this.synced.delete(e.path);
        return;
      case 'write':
        // A file created or replaced whole (not an append: that keeps the size growing by `bytes`).
        if (e.size === e.bytes) this.covers.delete(e.path);
        return;
      case 'fsync':
      case 'writeback':
        this.synced.set(e.path, e.at);
        return;
      default:
        return;
    }
  }

  /** Which writes the next server finds on `disk`. */
  split(disk: DiskView): JournalSplit {
    const survived: JournalWrite[] = [];
    const lost: JournalWrite[] = [];
    const snapPath = disk.appendonly ? disk.aofBase : disk.rdbPath;
    const snap = snapPath !== null && disk.size(snapPath) !== null ? this.covers.get(snapPath) : undefined;
    const snapshotSeq = snap?.seq ?? 0;
    const incrs = new Set(disk.appendonly ? disk.aofIncrs : []);
    const sizes = new Map<string, number>();
    const sizeOf = (p: string) => {
      let s = sizes.get(p);
      if (s === undefined) {
        s = disk.size(p) ?? -1;
        sizes.set(p, s);
      }
      return s;
    };
    let lastAofPath: string | null = null;
    for (const e of this.entries) {
      if (e.aofPath !== null) lastAofPath = e.aofPath;
      const inAof = e.aofPath !== null && incrs.has(e.aofPath) && e.aofEnd <= sizeOf(e.aofPath);
      const write: JournalWrite = { seq: e.seq, db: e.db, argv: e.argv, argc: e.argc, at: e.at };
      if (e.seq <= snapshotSeq || inAof) survived.push(write);
      else lost.push(write);
    }
    return {
      survived,
      lost,
      forgotten: this.forgotten,
      snapshotSeq,
      snapshotAt: snap?.at ?? null,
      lastAofSyncAt: lastAofPath === null ? null : (this.synced.get(lastAofPath) ?? null),
    };
  }
}
