// Redis 7.0's list value (src/quicklist.c): a doubly linked list of nodes, each a listpack of
// elements. Nodes fill up to `list-max-listpack-size` (negative: a byte limit of 4/8/16/32/64 KiB,
// positive: an entry count under an 8 KiB safety limit); inserts in the middle split full nodes and
// merge neighbours with the same rules as quicklist.c, so the node layout matches what Redis builds.
// Push/pop at both ends are O(1); indexing walks nodes from the nearer end.

import type { CollectionValue } from '../keyspace/db';
import { entrySize, LP_EMPTY_BYTES } from './listpack';

/** optimization_level: the byte limits for fill -1 .. -5. */
const OPTIMIZATION_LEVEL = [4096, 8192, 16384, 32768, 65536];
/** SIZE_SAFETY_LIMIT: count-limited nodes still stop at 8 KiB. */
const SIZE_SAFETY_LIMIT = 8192;
/** SIZE_ESTIMATE_OVERHEAD: the per-entry overhead quicklist assumes before inserting. */
const SIZE_ESTIMATE_OVERHEAD = 8;
/** FILL_MAX and COMPRESS_MAX for 64-bit builds (16-bit bitfields). */
const FILL_MAX = 32767;
const COMPRESS_MAX = 65535;

/**
 * printf("%.2f"): toFixed rounds exact ties up, glibc to even. A tie (x·100 ending in exactly .5)
 * needs x to be an odd multiple of 1/8.
 */
function fixed2(x: number): string {
  const eighths = x * 8;
  if (!Number.isInteger(eighths) || eighths % 2 === 0) return x.toFixed(2);
  const lo = Math.floor(x * 100);
  const m = lo % 2 === 0 ? lo : lo + 1;
  return `${Math.floor(m / 100)}.${String(m % 100).padStart(2, '0')}`;
}

export class QuicklistNode {
  prev: QuicklistNode | null = null;
  next: QuicklistNode | null = null;
  /** The node's listpack, as its elements in order. */
  entries: string[];
  /** lpBytes of the node's listpack (header + entries + end byte). */
  sz: number;

  constructor(entries: string[], sz: number) {
    this.entries = entries;
    this.sz = sz;
  }

  get count(): number {
    return this.entries.length;
  }
}

/** What the panels draw: the options and each node's listpack. */
export interface QuicklistSnapshot {
  fill: number;
  compress: number;
  count: number;
  nodes: { count: number; bytes: number; entries: readonly string[] }[];
}

function sizeMeetsOptimization(sz: number, fill: number): boolean {
  if (fill >= 0) return false;
  const offset = -fill - 1;
  return offset < OPTIMIZATION_LEVEL.length && sz <= OPTIMIZATION_LEVEL[offset];
}

function bytesOf(entries: readonly string[], from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) n += entrySize(entries[i]);
  return n;
}

export class Quicklist implements CollectionValue {
  readonly type = 'list';
  head: QuicklistNode | null = null;
  tail: QuicklistNode | null = null;
  /** Number of nodes (quicklist->len). */
  len = 0;
  /** Number of elements (quicklist->count). */
  count = 0;
  readonly fill: number;
  /** list-compress-depth as recorded. LAB: nodes are never LZF-compressed, the depth is only reported. */
  readonly compress: number;

  /** quicklistCreate + quicklistSetOptions: fill clamped to [-5, 32767], depth to [0, 65535]. */
  constructor(fill = -2, compress = 0) {
    this.fill = fill > FILL_MAX ? FILL_MAX : Math.max(fill, -5);
    this.compress = compress > COMPRESS_MAX ? COMPRESS_MAX : Math.max(compress, 0);
  }

  /** OBJECT ENCODING of every list in Redis 7.0. */
  encoding(): string {
    return 'quicklist';
  }

  get length(): number {
    return this.count;
  }

  // ---- node rules (quicklist.c) -----------------------------------------------------------------

  /** _quicklistNodeAllowInsert: `sz` is the raw element length, as Redis estimates. */
  private allowInsert(node: QuicklistNode | null, sz: number): boolean {
    if (node === null) return false;
    const newSz = node.sz + sz + SIZE_ESTIMATE_OVERHEAD;
    if (sizeMeetsOptimization(newSz, this.fill)) return true;
    if (newSz > SIZE_SAFETY_LIMIT) return false;
    return node.count < this.fill;
  }

  /** _quicklistNodeAllowMerge: the merged size is estimated as a.sz + b.sz - 11. */
  private allowMerge(a: QuicklistNode | null, b: QuicklistNode | null): boolean {
    if (a === null || b === null) return false;
    const mergeSz = a.sz + b.sz - 11;
    if (sizeMeetsOptimization(mergeSz, this.fill)) return true;
    if (mergeSz > SIZE_SAFETY_LIMIT) return false;
    return a.count + b.count <= this.fill;
  }

  /** __quicklistInsertNode: link `node` after (or before) `old` (null: the list is empty). */
  private insertNode(old: QuicklistNode | null, node: QuicklistNode, after: boolean): void {
    if (after) {
      node.prev = old;
      if (old) {
        node.next = old.next;
        if (old.next) old.next.prev = node;
        old.next = node;
      }
      if (this.tail === old) this.tail = node;
    } else {
      node.next = old;
      if (old) {
        node.prev = old.prev;
        if (old.prev) old.prev.next = node;
        old.prev = node;
      }
      if (this.head === old) this.head = node;
    }
    if (this.len === 0) this.head = this.tail = node;
    this.len++;
  }

  /** __quicklistDelNode: unlink a node; its elements leave the count. */
  private delNode(node: QuicklistNode): void {
    if (node.next) node.next.prev = node.prev;
    if (node.prev) node.prev.next = node.next;
    if (node === this.tail) this.tail = node.prev;
    if (node === this.head) this.head = node.next;
    this.len--;
    this.count -= node.count;
    node.prev = node.next = null;
  }

  /** quicklistDelIndex: remove one element of a node; the node goes when it empties. */
  private delIndex(node: QuicklistNode, offset: number): string {
    const v = node.entries[offset];
    if (offset === 0) node.entries.shift();
    else if (offset === node.entries.length - 1) node.entries.pop();
    else node.entries.splice(offset, 1);
    if (node.entries.length === 0) this.delNode(node);
    else node.sz -= entrySize(v);
    this.count--;
    return v;
  }

  private newNode(v: string): QuicklistNode {
    return new QuicklistNode([v], LP_EMPTY_BYTES + entrySize(v));
  }

  // ---- ends ---------------------------------------------------------------------------------------

  /** quicklistPushHead */
  pushHead(v: string): void {
    const h = this.head;
    if (this.allowInsert(h, v.length)) {
      (h as QuicklistNode).entries.unshift(v);
      (h as QuicklistNode).sz += entrySize(v);
    } else {
      this.insertNode(h, this.newNode(v), false);
    }
    this.count++;
  }

  /** quicklistPushTail */
  pushTail(v: string): void {
    const t = this.tail;
    if (this.allowInsert(t, v.length)) {
      (t as QuicklistNode).entries.push(v);
      (t as QuicklistNode).sz += entrySize(v);
    } else {
      this.insertNode(t, this.newNode(v), true);
    }
    this.count++;
  }

  push(v: string, head: boolean): void {
    if (head) this.pushHead(v);
    else this.pushTail(v);
  }

  /** quicklistPopCustom: the element removed from the head or tail, undefined when empty. */
  pop(head: boolean): string | undefined {
    const node = head ? this.head : this.tail;
    if (node === null) return undefined;
    return this.delIndex(node, head ? 0 : node.count - 1);
  }

  // ---- positions ----------------------------------------------------------------------------------

  /**
   * quicklistGetIteratorAtIdx: the node and offset of index `idx` (negative counts from the tail),
   * walking from whichever end is nearer; null when out of range.
   */
  locate(idx: number): { node: QuicklistNode; offset: number } | null {
    const pos = idx < 0 ? this.count + idx : idx;
    if (pos < 0 || pos >= this.count) return null;
    if (pos <= (this.count - 1) / 2) {
      let accum = 0;
      for (let n = this.head; n !== null; n = n.next) {
        if (accum + n.count > pos) return { node: n, offset: pos - accum };
        accum += n.count;
      }
    } else {
      let accum = this.count;
      for (let n = this.tail; n !== null; n = n.prev) {
        accum -= n.count;
        if (pos >= accum) return { node: n, offset: pos - accum };
      }
    }
    return null;
  }

  /** LINDEX */
  index(idx: number): string | undefined {
    const at = this.locate(idx);
    return at === null ? undefined : at.node.entries[at.offset];
  }

  /** quicklistReplaceAtIndex (LSET): in place, the node's size follows the new entry. */
  replaceAt(idx: number, v: string): boolean {
    const at = this.locate(idx);
    if (at === null) return false;
    const node = at.node;
    node.sz += entrySize(v) - entrySize(node.entries[at.offset]);
    node.entries[at.offset] = v;
    return true;
  }

  /** Elements start..end inclusive (0 <= start <= end < count), head to tail or reversed. */
  range(start: number, end: number, reverse = false): string[] {
    const out: string[] = [];
    let n = end - start + 1;
    const at = this.locate(reverse ? end : start);
    if (at === null) return out;
    let node: QuicklistNode | null = at.node;
    let i = at.offset;
    while (n > 0 && node !== null) {
      const e = node.entries;
      if (reverse) {
        for (; i >= 0 && n > 0; i--, n--) out.push(e[i]);
        node = node.prev;
        if (node) i = node.count - 1;
      } else {
        for (; i < e.length && n > 0; i++, n--) out.push(e[i]);
        node = node.next;
        i = 0;
      }
    }
    return out;
  }

  /** Every element head to tail. */
  toArray(): string[] {
    const out: string[] = [];
    for (let n = this.head; n !== null; n = n.next) for (const v of n.entries) out.push(v);
    return out;
  }

  /**
   * Visit elements from the head (or the tail) with their list index; stop when `fn` returns false.
   * The list must not be modified during the walk.
   */
  forEach(fromTail: boolean, fn: (v: string, index: number) => boolean): void {
    if (fromTail) {
      let idx = this.count - 1;
      for (let n = this.tail; n !== null; n = n.prev) {
        const e = n.entries;
        for (let i = e.length - 1; i >= 0; i--, idx--) if (!fn(e[i], idx)) return;
      }
    } else {
      let idx = 0;
      for (let n = this.head; n !== null; n = n.next) {
        for (const v of n.entries) if (!fn(v, idx++)) return;
      }
    }
  }

  // ---- deletes --------------------------------------------------------------------------------------

  /**
   * quicklistDelRange: delete `count` elements from `start` (negative: from the tail), clamped to
   * the list. Whole nodes go at once; no merging happens on delete, as in Redis.
   */
  delRange(start: number, count: number): boolean {
    if (count <= 0) return false;
    let extent = count;
    if (start >= 0 && extent > this.count - start) extent = this.count - start;
    else if (start < 0 && extent > -start) extent = -start;
    const at = this.locate(start);
    if (at === null) return false;
    let node: QuicklistNode | null = at.node;
    let offset = at.offset;
    while (extent > 0 && node !== null) {
      const next: QuicklistNode | null = node.next;
      let del: number;
      if (offset === 0 && extent >= node.count) {
        del = node.count;
        this.delNode(node);
      } else {
        del = Math.min(node.count - offset, extent);
        const removed = bytesOf(node.entries, offset, offset + del);
        node.entries.splice(offset, del);
        node.sz -= removed;
        this.count -= del;
        if (node.count === 0) this.delNode(node);
      }
      extent -= del;
      node = next;
      offset = 0;
    }
    return true;
  }

  /**
   * LREM's walk: delete up to `limit` elements equal to `v` (0: all), from the head or the tail,
   * as quicklistDelEntry does one element at a time. Returns how many went.
   */
  removeMatches(v: string, limit: number, fromTail: boolean): number {
    let removed = 0;
    let node = fromTail ? this.tail : this.head;
    while (node !== null && (limit === 0 || removed < limit)) {
      const following: QuicklistNode | null = fromTail ? node.prev : node.next;
      const e = node.entries;
      let hits = 0;
      for (let i = 0; i < e.length; i++) if (e[i] === v) hits++;
      if (limit !== 0 && hits > limit - removed) hits = limit - removed;
      if (hits > 0) {
        if (hits === e.length) {
          this.delNode(node);
        } else {
          // Keep all but the first `hits` matches in walking order.
          const keep: string[] = new Array(e.length - hits);
          let left = hits;
          if (fromTail) {
            let k = keep.length - 1;
            for (let i = e.length - 1; i >= 0; i--) {
              if (left > 0 && e[i] === v) left--;
              else keep[k--] = e[i];
            }
          } else {
            let k = 0;
            for (let i = 0; i < e.length; i++) {
              if (left > 0 && e[i] === v) left--;
              else keep[k++] = e[i];
            }
          }
          node.entries = keep;
          node.sz -= hits * entrySize(v);
          this.count -= hits;
        }
        removed += hits;
      }
      node = following;
    }
    return removed;
  }

  // ---- insert (LINSERT) -----------------------------------------------------------------------------

  /** LINSERT's search: the first element equal to `pivot` from the head, or null. */
  find(pivot: string): { node: QuicklistNode; offset: number } | null {
    for (let n = this.head; n !== null; n = n.next) {
      const i = n.entries.indexOf(pivot);
      if (i !== -1) return { node: n, offset: i };
    }
    return null;
  }

  /** _quicklistInsert: put `v` before or after the element at node/offset, splitting a full node. */
  insertAt(node: QuicklistNode, offset: number, v: string, after: boolean): void {
    const sz = v.length;
    const es = entrySize(v);
    const full = !this.allowInsert(node, sz);
    const atTail = after && offset === node.count - 1;
    const atHead = !after && offset === 0;
    const availNext = atTail && this.allowInsert(node.next, sz);
    const availPrev = atHead && this.allowInsert(node.prev, sz);
    if (!full) {
      node.entries.splice(after ? offset + 1 : offset, 0, v);
      node.sz += es;
    } else if (atTail && availNext) {
      const next = node.next as QuicklistNode;
      next.entries.unshift(v);
      next.sz += es;
    } else if (atHead && availPrev) {
      const prev = node.prev as QuicklistNode;
      prev.entries.push(v);
      prev.sz += es;
    } else if (atTail || atHead) {
      this.insertNode(node, this.newNode(v), after);
    } else {
      const split = this.splitNode(node, offset, after);
      if (after) split.entries.unshift(v);
      else split.entries.push(v);
      split.sz += es;
      this.insertNode(node, split, after);
      this.mergeNodes(node);
    }
    this.count++;
  }

  /**
   * _quicklistSplitNode: after=true leaves [0, offset] in `node` and returns [offset+1, end];
   * after=false leaves [offset, end] and returns [0, offset-1]. The caller links the new node.
   */
  private splitNode(node: QuicklistNode, offset: number, after: boolean): QuicklistNode {
    const e = node.entries;
    const cut = after ? offset + 1 : offset;
    const left = e.slice(0, cut);
    const right = e.slice(cut);
    const leftSz = LP_EMPTY_BYTES + bytesOf(left, 0, left.length);
    const rightSz = node.sz - leftSz + LP_EMPTY_BYTES;
    if (after) {
      node.entries = left;
      node.sz = leftSz;
      return new QuicklistNode(right, rightSz);
    }
    node.entries = right;
    node.sz = rightSz;
    return new QuicklistNode(left, leftSz);
  }

  /** _quicklistListpackMerge: join a (left) and b (right) into the larger one; returns the kept node. */
  private listpackMerge(a: QuicklistNode, b: QuicklistNode): QuicklistNode {
    const keep = a.sz >= b.sz ? a : b;
    const drop = keep === a ? b : a;
    keep.entries = a.entries.concat(b.entries);
    keep.sz = a.sz + b.sz - LP_EMPTY_BYTES;
    drop.entries = [];
    this.delNode(drop);
    return keep;
  }

  /** _quicklistMergeNodes: try (prev_prev, prev), (next, next_next), (prev, center), (center, next). */
  private mergeNodes(center: QuicklistNode): void {
    const prev = center.prev;
    const prevPrev = prev ? prev.prev : null;
    const next = center.next;
    const nextNext = next ? next.next : null;
    if (this.allowMerge(prev, prevPrev)) this.listpackMerge(prevPrev as QuicklistNode, prev as QuicklistNode);
    if (this.allowMerge(next, nextNext)) this.listpackMerge(next as QuicklistNode, nextNext as QuicklistNode);
    let target = center;
    if (this.allowMerge(center, center.prev)) target = this.listpackMerge(center.prev as QuicklistNode, center);
    if (this.allowMerge(target, target.next)) this.listpackMerge(target, target.next as QuicklistNode);
  }

  // ---- whole list -----------------------------------------------------------------------------------

  /** quicklistDup (COPY): same options, same node layout. */
  dup(): Quicklist {
    const q = new Quicklist(this.fill, this.compress);
    for (let n = this.head; n !== null; n = n.next)
      q.insertNode(q.tail, new QuicklistNode(n.entries.slice(), n.sz), true);
    q.count = this.count;
    return q;
  }

  describe(): QuicklistSnapshot {
    const nodes: QuicklistSnapshot['nodes'] = [];
    for (let n = this.head; n !== null; n = n.next)
      nodes.push({ count: n.count, bytes: n.sz, entries: n.entries.slice() });
    return { fill: this.fill, compress: this.compress, count: this.count, nodes };
  }

  /** DEBUG OBJECT's quicklist fields (debug.c): nodes, average node fill, fill, compression, bytes. */
  debugFields(): string {
    let sz = 0;
    for (let n = this.head; n !== null; n = n.next) sz += n.sz;
    const avg = fixed2(this.count / this.len);
    return ` ql_nodes:${this.len} ql_avg_node:${avg} ql_listpack_max:${this.fill} ql_compressed:${this.compress !== 0 ? 1 : 0} ql_uncompressed_size:${sz}`;
  }

  /** quicklistAppendListpack (RDB load): a node made of a ready listpack's elements. */
  appendNode(entries: string[]): void {
    if (entries.length === 0) return;
    const node = new QuicklistNode(entries, LP_EMPTY_BYTES + bytesOf(entries, 0, entries.length));
    this.insertNode(this.tail, node, true);
    this.count += entries.length;
  }
}
