// The stream type of Redis 7.0 (src/t_stream.c, src/stream.h): a radix tree (stream-rax.ts) keyed by
// 128-bit master IDs (stream-id.ts) whose values are listpack nodes (stream-node.ts) bounded by
// stream-node-max-bytes/-entries. XDEL only marks tombstones (a node goes when its last live entry
// does), trimming drops whole nodes first. Consumer groups carry last_delivered_id, entries_read and
// a PEL shared with their consumers.

import type { CollectionValue } from '../keyspace/db';
import {
  formatId,
  ID_MAX,
  idMs,
  idSeq,
  INVALID_ENTRIES_READ,
  incrId,
  makeId,
  type StreamID,
  U64_MAX,
} from './stream-id';
import {
  FLAG_DELETED,
  FLAG_SAMEFIELDS,
  STREAM_LISTPACK_MAX_PRE_ALLOCATE,
  STREAM_LISTPACK_MAX_SIZE,
  type StreamEntry,
  StreamNode,
} from './stream-node';
import { Rax, raxNodeCount } from './stream-rax';

export * from './stream-id';
export * from './stream-node';
export { raxNodeCount } from './stream-rax';

// ---- consumer groups ----------------------------------------------------------------------------

/** A pending entry (streamNACK): shared between the group PEL and its consumer's PEL. */
export interface StreamNack {
  deliveryTime: number;
  /** uint64 in Redis: kept as a bigint, replied as its int64 view. */
  deliveryCount: bigint;
  /** Null only for an XCLAIM FORCE entry being created. */
  consumer: StreamConsumer | null;
}

export interface StreamConsumer {
  readonly name: string;
  seenTime: number;
  readonly pel: Rax<StreamID, StreamNack>;
}

export interface ConsumerGroup {
  readonly name: string;
  lastId: StreamID;
  /** entries_read, or INVALID_ENTRIES_READ (-1). */
  entriesRead: bigint;
  readonly pel: Rax<StreamID, StreamNack>;
  readonly consumers: Rax<string, StreamConsumer>;
}

/** Thresholds read from CONFIG at each XADD, as Redis reads server.stream_node_max_*. */
export interface NodeLimits {
  maxBytes: number;
  maxEntries: number;
}

export interface TrimArgs {
  strategy: 'maxlen' | 'minid';
  maxlen: number;
  minid: StreamID;
  approx: boolean;
  /** Entries trimming may remove at most (0: no limit). */
  limit: number;
}

export type AppendResult = { ok: true; id: StreamID } | { ok: false; error: 'EDOM' | 'ERANGE' };

export interface StreamSnapshot {
  encoding: 'stream';
  length: number;
  lastId: string;
  firstId: string;
  maxDeletedId: string;
  entriesAdded: string;
  nodes: {
    master: string;
    masterFields: string[];
    bytes: number;
    /** The listpack's allocation (preallocated while it is the tail). */
    alloc: number;
    live: number;
    deleted: number;
    entries: { id: string; deleted: boolean; sameFields: boolean; fields: string[] }[];
  }[];
  groups: {
    name: string;
    lastDeliveredId: string;
    entriesRead: string | null;
    pending: { id: string; consumer: string; deliveryTime: number; deliveryCount: string }[];
    consumers: { name: string; seenTime: number; pending: string[] }[];
  }[];
}

// ---- the stream ---------------------------------------------------------------------------------

export class RedisStream implements CollectionValue {
  readonly type = 'stream';
  /** Master ID → node (s->rax). */
  readonly rax = new Rax<StreamID, StreamNode>();
  length = 0;
  lastId: StreamID = 0n;
  /** The first live entry, 0-0 when empty. */
  firstId: StreamID = 0n;
  maxDeletedId: StreamID = 0n;
  /** uint64 all-time count of added entries. */
  entriesAdded = 0n;
  /** s->cgroups, created on demand. */
  groups: Rax<string, ConsumerGroup> | null = null;

  encoding(): 'stream' {
    return 'stream';
  }

  /**
   * streamAppendItem: add an entry with `useId` (all of it when `seqGiven`, else only its ms part),
   * or a generated one (streamNextID from `nowMs`); fails when the ID is not past the top item.
   */
  append(
    fv: readonly string[],
    useId: StreamID | null,
    seqGiven: boolean,
    nowMs: number,
    limits: NodeLimits,
  ): AppendResult {
    let id: StreamID;
    if (useId !== null) {
      if (seqGiven) id = useId;
      else if (idMs(this.lastId) === idMs(useId)) {
        // LAB: Redis returns C_ERR here without setting errno, so the reply depends on a stale errno;
        // on Linux it is "Elements are too large to be stored" (ERANGE's text), reproduced here.
        if (idSeq(this.lastId) === U64_MAX) return { ok: false, error: 'ERANGE' };
        id = this.lastId + 1n;
      } else id = useId;
    } else {
      const ms = BigInt(nowMs);
      id = ms > idMs(this.lastId) ? makeId(ms, 0n) : (incrId(this.lastId) ?? 0n);
    }
    if (id <= this.lastId) return { ok: false, error: 'EDOM' };
    let total = 0;
    for (const s of fv) total += s.length;
    if (total > STREAM_LISTPACK_MAX_SIZE) return { ok: false, error: 'ERANGE' };

    const tail = this.rax.last()?.[1];
    let node = tail;
    if (node !== undefined) {
      let maxBytes = limits.maxBytes;
      if (maxBytes === 0 || maxBytes > STREAM_LISTPACK_MAX_SIZE) maxBytes = STREAM_LISTPACK_MAX_SIZE;
      if (node.bytes + total >= maxBytes) node = undefined;
      else if (limits.maxEntries > 0 && node.live + node.deleted >= limits.maxEntries) node = undefined;
    }
    if (node === undefined) {
      tail?.shrinkToFit();
      const fields: string[] = [];
      for (let i = 0; i < fv.length; i += 2) fields.push(fv[i]);
      const m = limits.maxBytes;
      node = new StreamNode(
        id,
        fields,
        m > 0 && m < STREAM_LISTPACK_MAX_PRE_ALLOCATE ? m : STREAM_LISTPACK_MAX_PRE_ALLOCATE,
      );
      this.rax.set(id, node);
    }
    node.push(id, fv);
    this.length++;
    this.entriesAdded = BigInt.asUintN(64, this.entriesAdded + 1n);
    this.lastId = id;
    if (this.length === 1) this.firstId = id;
    return { ok: true, id };
  }

  /**
   * streamIteratorStart/GetID: the entries with start <= id <= end in order (reverse when `rev`),
   * tombstones skipped unless `tombstones`. The stream must not change during the walk.
   */
  *range(start: StreamID, end: StreamID, rev = false, tombstones = false): IterableIterator<[StreamEntry, StreamNode]> {
    if (start > end) return;
    if (!rev) {
      const from = this.rax.floor(start)?.[0];
      let first = true;
      for (const [, node] of this.rax.ascending(from)) {
        const es = node.entries;
        for (let i = first ? node.lowerBound(start) : 0; i < es.length; i++) {
          const e = es[i];
          if (e.id > end) return;
          if (tombstones || (e.flags & FLAG_DELETED) === 0) yield [e, node];
        }
        first = false;
      }
    } else {
      const from = this.rax.floor(end)?.[0];
      if (from === undefined) return;
      let first = true;
      for (const [, node] of this.rax.descending(from)) {
        const es = node.entries;
        let i = es.length - 1;
        if (first) {
          i = node.lowerBound(end);
          if (i === es.length || es[i].id > end) i--;
        }
        for (; i >= 0; i--) {
          const e = es[i];
          if (e.id < start) return;
          if (tombstones || (e.flags & FLAG_DELETED) === 0) yield [e, node];
        }
        first = false;
      }
    }
  }

  /** The live entry with this ID (streamEntryExists / a one-ID range). */
  find(id: StreamID): [StreamEntry, StreamNode] | undefined {
    const node = this.rax.floor(id)?.[1];
    if (node === undefined) return undefined;
    const i = node.lowerBound(id);
    const e = node.entries[i];
    if (e === undefined || e.id !== id || (e.flags & FLAG_DELETED) !== 0) return undefined;
    return [e, node];
  }

  /** streamDeleteItem: tombstone the entry (or drop its node when it was the last live one). */
  delete(id: StreamID): boolean {
    const found = this.find(id);
    if (found === undefined) return false;
    const [e, node] = found;
    if (node.live === 1) {
      this.rax.delete(node.master);
    } else {
      node.markDeleted(e);
    }
    this.length--;
    return true;
  }

  /** streamLastValidID: the last live entry's ID (undefined when empty). */
  lastValidId(): StreamID | undefined {
    for (const [e] of this.range(0n, ID_MAX, true)) return e.id;
    return undefined;
  }

  /** streamGetEdgeID: the first (or last) entry's ID, tombstones included unless skipped. */
  edgeId(first: boolean, skipTombstones: boolean): StreamID {
    for (const [e] of this.range(0n, ID_MAX, !first, !skipTombstones)) return e.id;
    return first ? ID_MAX : 0n;
  }

  /** streamTrim: remove entries from the head; whole nodes first, then (unless approx) entries. */
  trim(a: TrimArgs): number {
    let deleted = 0;
    let cur = this.rax.first();
    while (cur !== undefined) {
      const [key, node] = cur;
      if (a.strategy === 'maxlen' && this.length <= a.maxlen) break;
      const entries = node.live;
      if (a.limit && deleted + entries > a.limit) break;
      const removeNode =
        a.strategy === 'maxlen'
          ? this.length - entries >= a.maxlen
          : node.entries[node.entries.length - 1].id < a.minid;
      if (removeNode) {
        this.rax.delete(key);
        this.length -= entries;
        deleted += entries;
        cur = this.rax.ceil(key);
        continue;
      }
      if (a.approx) break;
      let fromNode = 0;
      for (const e of node.entries) {
        const stop = a.strategy === 'maxlen' ? this.length <= a.maxlen : e.id >= a.minid;
        if (stop) break;
        if ((e.flags & FLAG_DELETED) === 0) {
          e.flags |= FLAG_DELETED;
          fromNode++;
          this.length--;
        }
      }
      deleted += fromNode;
      node.setCounters(node.live - fromNode, node.deleted + fromNode);
      break;
    }
    if (this.length === 0) this.firstId = 0n;
    else if (deleted) this.firstId = this.edgeId(true, true);
    return deleted;
  }

  // ---- the lag of consumer groups (7.0's entries_read tracking) --------------------------------

  /** streamRangeHasTombstones(s, start, end) */
  rangeHasTombstones(start: StreamID, end: StreamID = ID_MAX): boolean {
    if (this.length === 0 || this.maxDeletedId === 0n) return false;
    if (this.firstId > this.maxDeletedId) return false;
    return start <= this.maxDeletedId && this.maxDeletedId <= end;
  }

  /** streamEstimateDistanceFromFirstEverEntry: the ID's logical read counter, or -1 if unknown. */
  estimateDistance(id: StreamID): bigint {
    if (this.entriesAdded === 0n) return 0n;
    if (this.length === 0 && id <= this.lastId) return this.entriesAdded;
    if (id === this.lastId) return this.entriesAdded;
    if (id > this.lastId) return INVALID_ENTRIES_READ;
    if (this.maxDeletedId === 0n || this.maxDeletedId < this.firstId) {
      const base = BigInt.asIntN(64, this.entriesAdded - BigInt(this.length));
      if (id < this.firstId) return base;
      if (id === this.firstId) return base + 1n;
    }
    return INVALID_ENTRIES_READ;
  }

  /** streamReplyWithCGLag: the group's lag, or null when it can't be known. */
  groupLag(g: ConsumerGroup): bigint | null {
    const added = BigInt.asIntN(64, this.entriesAdded);
    if (this.entriesAdded === 0n) return 0n;
    if (g.entriesRead !== INVALID_ENTRIES_READ && !this.rangeHasTombstones(g.lastId)) {
      return BigInt.asIntN(64, added - g.entriesRead);
    }
    const read = this.estimateDistance(g.lastId);
    return read === INVALID_ENTRIES_READ ? null : BigInt.asIntN(64, added - read);
  }

  // ---- consumer groups ------------------------------------------------------------------------------

  /** streamCreateCG: null when the name is taken. */
  createGroup(name: string, lastId: StreamID, entriesRead: bigint): ConsumerGroup | null {
    if (this.groups === null) this.groups = new Rax();
    if (this.groups.has(name)) return null;
    const g: ConsumerGroup = { name, lastId, entriesRead, pel: new Rax(), consumers: new Rax() };
    this.groups.set(name, g);
    return g;
  }

  /** A new consumer in `g` seen at `now`, or null when the name exists (streamCreateConsumer's core). */
  static addConsumer(g: ConsumerGroup, name: string, now: number): StreamConsumer | null {
    if (g.consumers.has(name)) return null;
    const consumer: StreamConsumer = { name, seenTime: now, pel: new Rax() };
    g.consumers.set(name, consumer);
    return consumer;
  }

  /** streamDelConsumer: drop the consumer and its pending entries from the group PEL; their count. */
  static deleteConsumer(g: ConsumerGroup, consumer: StreamConsumer): number {
    const pending = consumer.pel.size;
    for (const id of consumer.pel.keys()) g.pel.delete(id);
    g.consumers.delete(consumer.name);
    return pending;
  }

  lookupGroup(name: string): ConsumerGroup | undefined {
    return this.groups?.get(name);
  }

  destroyGroup(name: string): boolean {
    return this.groups?.delete(name) === true;
  }

  get groupCount(): number {
    return this.groups?.size ?? 0;
  }

  // ---- introspection --------------------------------------------------------------------------------

  /** raxSize(s->rax): the number of listpack nodes. */
  get nodeCount(): number {
    return this.rax.size;
  }

  /** s->rax->numnodes: the radix tree's own node count (see raxNodeCount). */
  radixTreeNodes(): number {
    return raxNodeCount(this.rax);
  }

  /** streamDup (COPY): the same nodes, groups, PELs and consumers. */
  dup(): RedisStream {
    const s = new RedisStream();
    for (const [k, node] of this.rax.ascending()) {
      s.rax.set(k, node.clone());
    }
    s.length = this.length;
    s.lastId = this.lastId;
    s.firstId = this.firstId;
    s.maxDeletedId = this.maxDeletedId;
    s.entriesAdded = this.entriesAdded;
    if (this.groups === null) return s;
    for (const g of this.groups.values()) {
      const ng = s.createGroup(g.name, g.lastId, g.entriesRead) as ConsumerGroup;
      for (const [id, nack] of g.pel.ascending()) {
        ng.pel.set(id, { deliveryTime: nack.deliveryTime, deliveryCount: nack.deliveryCount, consumer: null });
      }
      for (const c of g.consumers.values()) {
        const nc: StreamConsumer = { name: c.name, seenTime: c.seenTime, pel: new Rax() };
        ng.consumers.set(c.name, nc);
        for (const id of c.pel.keys()) {
          const nack = ng.pel.get(id) as StreamNack;
          nack.consumer = nc;
          nc.pel.set(id, nack);
        }
      }
    }
    return s;
  }

  /** For the panels: nodes with their master fields, flags and counts, and the groups' state. */
  describe(): StreamSnapshot {
    const nodes: StreamSnapshot['nodes'] = [];
    for (const node of this.rax.values()) {
      nodes.push({
        master: formatId(node.master),
        masterFields: node.masterFields.slice(),
        bytes: node.bytes,
        alloc: node.alloc,
        live: node.live,
        deleted: node.deleted,
        entries: node.entries.map((e) => ({
          id: formatId(e.id),
          deleted: (e.flags & FLAG_DELETED) !== 0,
          sameFields: (e.flags & FLAG_SAMEFIELDS) !== 0,
          fields: node.fieldValues(e),
        })),
      });
    }
    const groups: StreamSnapshot['groups'] = (this.groups?.values() ?? []).map((g) => ({
      name: g.name,
      lastDeliveredId: formatId(g.lastId),
      entriesRead: g.entriesRead === INVALID_ENTRIES_READ ? null : String(g.entriesRead),
      pending: [...g.pel.ascending()].map(([id, n]) => ({
        id: formatId(id),
        consumer: n.consumer?.name ?? '',
        deliveryTime: n.deliveryTime,
        deliveryCount: String(n.deliveryCount),
      })),
      consumers: g.consumers.values().map((c) => ({
        name: c.name,
        seenTime: c.seenTime,
        pending: c.pel.keys().map(formatId),
      })),
    }));
    return {
      encoding: 'stream',
      length: this.length,
      lastId: formatId(this.lastId),
      firstId: formatId(this.firstId),
      maxDeletedId: formatId(this.maxDeletedId),
      entriesAdded: String(this.entriesAdded),
      nodes,
      groups,
    };
  }
}
