// A stream's radix-tree node (src/t_stream.c streamAppendItem, streamIteratorRemoveEntry): the listpack
// holding a master entry (count, deleted, the first entry's field names) and a run of entries, each
// flags + ID delta + [num-fields, fields] + values + lp-count. Entries are kept as records; the byte
// size (lpBytes) and the allocation (zmalloc_size) are tracked exactly as the listpack's would be.

import { jemallocSize } from '../keyspace/memory';
import { entrySize, LP_EMPTY_BYTES } from './listpack';
import { idMs, idSeq, type StreamID } from './stream-id';

export const FLAG_DELETED = 1;
export const FLAG_SAMEFIELDS = 2;
/** STREAM_LISTPACK_MAX_SIZE: a node never grows past 1 GiB, whatever the config says. */
export const STREAM_LISTPACK_MAX_SIZE = 1 << 30;
/** STREAM_LISTPACK_MAX_PRE_ALLOCATE: a new tail node's listpack is allocated this big up front. */
export const STREAM_LISTPACK_MAX_PRE_ALLOCATE = 4096;

/** One entry of a node's listpack: flags, id delta, [num-fields, fields], values, lp-count. */
export interface StreamEntry {
  readonly id: StreamID;
  flags: number;
  /** The field names, or null when they are the master entry's (STREAM_ITEM_FLAG_SAMEFIELDS). */
  readonly fields: readonly string[] | null;
  readonly values: readonly string[];
}

/** Listpack bytes of an integer element (lpAppendInteger). */
const intBytes = (v: number | bigint): number => entrySize(String(v));
/** An id delta is stored as the int64 view of the uint64 difference. */
const deltaBytes = (d: bigint): number => intBytes(BigInt.asIntN(64, d));

/** A radix-tree node: the listpack holding a run of entries (master entry + entries). */
export class StreamNode {
  readonly entries: StreamEntry[] = [];
  /** The master entry's "count" (live entries) and "deleted" (tombstones). */
  live = 0;
  deleted = 0;
  /** lpBytes minus the two counters, which change size as they grow. */
  private rest: number;
  /**
   * zmalloc_size of the listpack (MEMORY USAGE): a tail node starts preallocated (lpNew(prealloc)),
   * grows by exact reallocations, and is shrunk to fit once the next node starts.
   */
  alloc: number;

  constructor(
    readonly master: StreamID,
    readonly masterFields: readonly string[],
    prealloc = 0,
  ) {
    let n = LP_EMPTY_BYTES + intBytes(masterFields.length) + intBytes(0);
    for (const f of masterFields) n += entrySize(f);
    this.rest = n;
    this.alloc = jemallocSize(Math.max(prealloc, LP_EMPTY_BYTES));
  }

  /** lpBytes: the node's listpack size, as the stream-node-max-bytes check reads it. */
  get bytes(): number {
    return this.rest + intBytes(this.live) + intBytes(this.deleted);
  }

  /** lpInsert's reallocation after an edit that took the listpack from `before` bytes to its size now. */
  private resized(before: number): void {
    const now = this.bytes;
    if (now < before || now > this.alloc) this.alloc = jemallocSize(now);
  }

  /** lpShrinkToFit */
  shrinkToFit(): void {
    if (this.alloc > this.bytes) this.alloc = jemallocSize(this.bytes);
  }

  /** Replace the master entry's counters (lpReplaceInteger twice), reallocating as listpack.c does. */
  setCounters(live: number, deleted: number): void {
    const b0 = this.bytes;
    this.live = live;
    this.resized(b0);
    const b1 = this.bytes;
    this.deleted = deleted;
    this.resized(b1);
  }

  /** Tombstone `e` (streamIteratorRemoveEntry): the flag, then the two counters. */
  markDeleted(e: StreamEntry): void {
    e.flags |= FLAG_DELETED;
    this.setCounters(this.live - 1, this.deleted + 1);
  }

  /** Append an entry (streamAppendItem's second half). */
  push(id: StreamID, fv: readonly string[]): void {
    const n = fv.length / 2;
    const mf = this.masterFields;
    let same = n === mf.length;
    for (let i = 0; same && i < n; i++) if (fv[2 * i] !== mf[i]) same = false;
    const values: string[] = [];
    let bytes = 2 + deltaBytes(idMs(id) - idMs(this.master)) + deltaBytes(idSeq(id) - idSeq(this.master));
    for (let i = 0; i < n; i++) {
      values.push(fv[2 * i + 1]);
      bytes += entrySize(fv[2 * i + 1]);
    }
    let fields: string[] | null = null;
    if (!same) {
      fields = [];
      bytes += intBytes(n);
      for (let i = 0; i < n; i++) {
        fields.push(fv[2 * i]);
        bytes += entrySize(fv[2 * i]);
      }
    }
    bytes += intBytes(same ? n + 3 : 2 * n + 4);
    this.rest += bytes;
    this.entries.push({ id, flags: same ? FLAG_SAMEFIELDS : 0, fields, values });
    this.live++;
    // Every step of the append grows the listpack: one check at the end gives the same size class.
    if (this.bytes > this.alloc) this.alloc = jemallocSize(this.bytes);
  }

  /** The index of the first entry with id >= `id` (entries.length when none). */
  lowerBound(id: StreamID): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.entries[mid].id < id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** A deep copy (streamDup copies exactly lpBytes, so the copy has no preallocation). */
  clone(): StreamNode {
    const n = new StreamNode(this.master, this.masterFields);
    for (const e of this.entries) n.entries.push({ ...e });
    n.live = this.live;
    n.deleted = this.deleted;
    n.rest = this.rest;
    n.alloc = jemallocSize(this.bytes);
    return n;
  }

  /** The entry's field-value pairs, flat. */
  fieldValues(e: StreamEntry): string[] {
    const fields = e.fields ?? this.masterFields;
    const out: string[] = [];
    for (let i = 0; i < e.values.length; i++) out.push(fields[i], e.values[i]);
    return out;
  }
}
