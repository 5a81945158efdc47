// Redis's zskiplist (src/t_zset.c, server.h): a header node, up to 32 levels with P = 0.25, a span
// per forward link so ranks are O(log N), backward links for reverse walks, nodes ordered by
// (score, member bytes). Also the score and lex range specs (zrangespec / zlexrangespec).
// LAB: nodes live in one typed-array pool (struct of arrays, no JS object per node) so a search
// costs about one cache line per node visited and the GC never traces the nodes; see NodeLayout.

import type { Random } from '../random';

export const ZSKIPLIST_MAXLEVEL = 32;
export const ZSKIPLIST_P = 0.25;

/**
 * A node is the word offset of its record in the pool (an even number; the header is node 0).
 * NIL is the NULL link. Record layout, in 32-bit words:
 *   [0..1] score (a float64, read through the Float64Array view at id / 2)
 *   [2] backward node, [3] level (1..32), [4] member slot (index into `members`),
 *   [5] free words right after the record (a gap kept for a node inserted next to it), and
 *       the node's new id while the pool is laid out again (relayout)
 *   [6 + 2i] forward node at level i, [7 + 2i] span at level i
 */
export type ZslNode = number;
export const NIL: ZslNode = -1;
const BACK = 2;
const LEVEL = 3;
const SLOT = 4;
const GAP = 5;
const LINKS = 6;
const recordWords = (level: number): number => LINKS + 2 * level;
/**
 * Free words left after a record when the pool is laid out: room for a level-1 neighbour behind
 * level-1 records (three nodes in four) and the header; none behind taller ones, which keeps the
 * records the upper levels' searches visit packed.
 */
const GAP_WORDS = recordWords(1);
const gapOf = (level: number): number => (level === 1 ? GAP_WORDS : 0);
const INITIAL_WORDS = 128;
/** Below this length the pool is laid out again only when full (it fits in the caches anyway). */
const RELAYOUT_MIN = 4096;

/** zrangespec: min/max with exclusive flags ("(1.5"). */
export interface ScoreRange {
  min: number;
  max: number;
  minex: boolean;
  maxex: boolean;
}

/** The "-" and "+" lex bounds: smaller / greater than every string (shared.minstring/maxstring). */
export const LEX_MIN: unique symbol = Symbol('-');
export const LEX_MAX: unique symbol = Symbol('+');
export type LexBound = string | typeof LEX_MIN | typeof LEX_MAX;

/** zlexrangespec: "[a" inclusive, "(a" exclusive, "-" / "+" infinite (always exclusive). */
export interface LexRange {
  min: LexBound;
  max: LexBound;
  minex: boolean;
  maxex: boolean;
}

/** Member order: memcmp on the bytes, then length (sdscmp); binary strings compare the same way. */
export function cmpMember(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** sdscmplex: like cmpMember with "-" below and "+" above everything. */
export function cmpLex(a: LexBound, b: LexBound): number {
  if (a === b) return 0;
  if (a === LEX_MIN || b === LEX_MAX) return -1;
  if (a === LEX_MAX || b === LEX_MIN) return 1;
  return a < b ? -1 : 1;
}

export const scoreGteMin = (v: number, r: ScoreRange): boolean => (r.minex ? v > r.min : v >= r.min);
export const scoreLteMax = (v: number, r: ScoreRange): boolean => (r.maxex ? v < r.max : v <= r.max);
export const lexGteMin = (v: string, r: LexRange): boolean => (r.minex ? cmpLex(v, r.min) > 0 : cmpLex(v, r.min) >= 0);
export const lexLteMax = (v: string, r: LexRange): boolean => (r.maxex ? cmpLex(v, r.max) < 0 : cmpLex(v, r.max) <= 0);

/** A range that can never hold anything (min > max, or min == max with an open end). */
export function scoreRangeEmpty(r: ScoreRange): boolean {
  return r.min > r.max || (r.min === r.max && (r.minex || r.maxex));
}

export function lexRangeEmpty(r: LexRange): boolean {
  const cmp = cmpLex(r.min, r.max);
  return cmp > 0 || (cmp === 0 && (r.minex || r.maxex));
}

/** What the search visited, for the lab's animations (a level and the node reached there). */
export type ZslTrace = (op: string, level: number, node: ZslNode) => void;

export interface ZslSnapshotNode {
  member: string;
  score: number;
  /** forward[i]: index into `nodes` of the next node at level i, or -1 for NULL. */
  forward: number[];
  span: number[];
}

export interface ZslSnapshot {
  level: number;
  length: number;
  header: { forward: number[]; span: number[] };
  nodes: ZslSnapshotNode[];
  tail: number;
}

export class SkipList {
  readonly header: ZslNode = 0;
  tail: ZslNode = NIL;
  length = 0;
  level = 1;
  /** Set by the lab to watch searches; null (the default) costs one comparison per step. */
  trace: ZslTrace | null = null;
  /** Called when the pool was laid out again: `moved` maps every old node id to its new one. */
  onRelayout: ((moved: (n: ZslNode) => ZslNode) => void) | null = null;
  /** How many times the pool was laid out again (node ids held across an insert are stale after one). */
  relayouts = 0;
  /**
   * Lay the pool out again once the list reaches this length (half as long again as at the last
   * layout), even if the pool still has room: at most a third of the nodes are then out of order.
   */
  private relayoutAt = RELAYOUT_MIN;
  /** The record pool: two views of one buffer (words and float64 scores). */
  private w: Int32Array;
  private d: Float64Array;
  /** Words in use at the end of the pool (records are carved from there when no free one fits). */
  private top = 0;
  /** Freed records by level: the first free node of each level, chained through their level-0 link. */
  private readonly freeByLevel = new Int32Array(ZSKIPLIST_MAXLEVEL + 1).fill(NIL);
  /** Member strings by slot; `freeSlots` holds the slots of deleted nodes. */
  private readonly members: string[] = [];
  private readonly freeSlots: number[] = [];
  /** Linked nodes by level (for the relayout's regions). */
  private readonly nodesByLevel = new Float64Array(ZSKIPLIST_MAXLEVEL + 1);
  /** The member id the next insert() takes instead of a new one (updateScore's re-insert). */
  private reuseId = -1;
  /** Scratch for the searches (update[] and rank[] of zslInsert). */
  private readonly update = new Int32Array(ZSKIPLIST_MAXLEVEL);
  private readonly rank = new Float64Array(ZSKIPLIST_MAXLEVEL);

  constructor(private readonly random: Random) {
    const buf = new ArrayBuffer(INITIAL_WORDS * 4);
    this.w = new Int32Array(buf);
    this.d = new Float64Array(buf);
    const h = this.alloc(ZSKIPLIST_MAXLEVEL, NIL);
    this.w[h + LEVEL] = ZSKIPLIST_MAXLEVEL;
    this.w[h + BACK] = NIL;
    this.w[h + SLOT] = this.slotFor('');
    for (let i = 0; i < ZSKIPLIST_MAXLEVEL; i++) {
      this.w[h + LINKS + 2 * i] = NIL;
      this.w[h + LINKS + 2 * i + 1] = 0;
    }
  }

  // ---- node access --------------------------------------------------------------------------

  score(n: ZslNode): number {
    return this.d[n >> 1];
  }
  member(n: ZslNode): string {
    return this.members[this.w[n + SLOT]];
  }
  /** The member string with this member id (memberId), as long as a node holds it. */
  memberWithId(id: number): string {
    return this.members[id];
  }
  /**
   * The node's member id (its slot in `members`): unlike the node id it survives relayouts and
   * score changes (updateScore keeps it), so the zset's dict keeps ids rather than node ids.
   */
  memberId(n: ZslNode): number {
    return this.w[n + SLOT];
  }
  /** The node's number of levels (1..32; 32 for the header). */
  nodeLevel(n: ZslNode): number {
    return this.w[n + LEVEL];
  }
  forward(n: ZslNode, i: number): ZslNode {
    return this.w[n + LINKS + 2 * i];
  }
  span(n: ZslNode, i: number): number {
    return this.w[n + LINKS + 2 * i + 1];
  }
  /** The level-0 successor, NIL after the tail. */
  next(n: ZslNode): ZslNode {
    return this.w[n + LINKS];
  }
  /** The backward link, NIL before the first node. */
  prev(n: ZslNode): ZslNode {
    return this.w[n + BACK];
  }
  first(): ZslNode {
    return this.w[LINKS];
  }

  /** Bytes the pool holds (for the memory panels). */
  get poolBytes(): number {
    return this.w.byteLength;
  }

  // ---- allocation ---------------------------------------------------------------------------

  private slotFor(ele: string): number {
    const s = this.freeSlots.pop();
    if (s === undefined) return this.members.push(ele) - 1;
    this.members[s] = ele;
    return s;
  }

  /**
   * A record for a node of `level` levels (fields unset) to be linked right after `after`: in the
   * gap behind `after`'s record when it is big enough (list neighbours stay memory neighbours),
   * else from the free list or the pool's end.
   */
  private alloc(level: number, after: ZslNode): ZslNode {
    const words = recordWords(level);
    if (after !== NIL) {
      const w = this.w;
      const gap = w[after + GAP];
      if (gap >= words) {
        const n = after + recordWords(w[after + LEVEL]);
        w[after + GAP] = 0;
        w[n + GAP] = gap - words;
        return n;
      }
    }
    const f = this.freeByLevel[level];
    if (f !== NIL) {
      this.freeByLevel[level] = this.w[f + LINKS];
      return f; // its gap word still counts the free words behind it
    }
    if (this.top + words > this.w.length) {
      if (this.length === 0) this.grow(words);
      else this.relayout(words);
    }
    const n = this.top;
    this.top += words;
    this.w[n + GAP] = 0;
    return n;
  }

  /** A bigger pool, the records copied as they are (only the header lives in an empty list). */
  private grow(words: number): void {
    let size = this.w.length * 2;
    while (this.top + words > size) size *= 2;
    const buf = new ArrayBuffer(size * 4);
    const w = new Int32Array(buf);
    w.set(this.w.subarray(0, this.top));
    this.w = w;
    this.d = new Float64Array(buf);
  }

  /**
   * The pool is full, or the list grew by half since the last layout, or the pool is mostly empty:
   * copy the live records into a pool twice their size, by
   * level (tallest first) then in list order, level-1 records followed by a gap (gapOf). Neighbours
   * in the list become neighbours in memory and the records the upper levels visit are packed, so a
   * search touches a few cache lines and pages where randomly placed records cost a memory access
   * per node visited; a node inserted later takes the gap behind its predecessor. Links and spans
   * are rebuilt in the same pass from the order and the levels. Amortised O(1): the new pool is at
   * least half free. Node ids change: `update` (a search in progress) and `tail` are translated
   * here and `onRelayout` lets the owner translate the ids it keeps (the dict).
   */
  private relayout(words: number): void {
    const ow = this.w;
    const od = this.d;
    // One region per level, the tallest first: the few records the upper levels' searches visit
    // stay packed together (fewer cache lines and pages) instead of spread over the whole pool.
    const regionNext = new Float64Array(ZSKIPLIST_MAXLEVEL + 1);
    let live = recordWords(ZSKIPLIST_MAXLEVEL) + GAP_WORDS;
    for (let level = ZSKIPLIST_MAXLEVEL; level >= 1; level--) {
      regionNext[level] = live;
      live += this.nodesByLevel[level] * (recordWords(level) + gapOf(level));
    }
    // Twice what the records need, so the pool is at least half free (rounded to 1 KiB words).
    const size = Math.max(INITIAL_WORDS, (2 * (live + words) + 1023) & ~1023);
    const buf = new ArrayBuffer(size * 4);
    const w = new Int32Array(buf);
    const d = new Float64Array(buf);
    const last = new Int32Array(ZSKIPLIST_MAXLEVEL); // the last node seen with each level (header: 0)
    const lastRank = new Float64Array(ZSKIPLIST_MAXLEVEL);
    w[LEVEL] = ZSKIPLIST_MAXLEVEL;
    w[BACK] = NIL;
    w[SLOT] = ow[SLOT];
    w[GAP] = GAP_WORDS;
    let prev = NIL;
    let rank = 0;
    for (let x = ow[LINKS]; x !== NIL; x = ow[x + LINKS]) {
      const level = ow[x + LEVEL];
      const y = regionNext[level];
      regionNext[level] += recordWords(level) + gapOf(level);
      ow[x + GAP] = y;
      rank++;
      d[y >> 1] = od[x >> 1];
      w[y + GAP] = gapOf(level);
      w[y + BACK] = prev;
      w[y + LEVEL] = level;
      w[y + SLOT] = ow[x + SLOT];
      for (let i = 0; i < level; i++) {
        w[last[i] + LINKS + 2 * i] = y;
        w[last[i] + LINKS + 2 * i + 1] = rank - lastRank[i];
        last[i] = y;
        lastRank[i] = rank;
      }
      prev = y;
    }
    for (let i = 0; i < ZSKIPLIST_MAXLEVEL; i++) {
      w[last[i] + LINKS + 2 * i] = NIL;
      w[last[i] + LINKS + 2 * i + 1] = i < this.level ? this.length - lastRank[i] : 0;
    }
    const moved = (n: ZslNode): ZslNode => (n === NIL || n === this.header ? n : ow[n + GAP]);
    for (let i = 0; i < this.level; i++) this.update[i] = moved(this.update[i]);
    this.tail = moved(this.tail);
    this.w = w;
    this.d = d;
    this.top = live;
    this.freeByLevel.fill(NIL);
    this.relayouts++;
    this.relayoutAt = Math.max(RELAYOUT_MIN, Math.ceil(1.5 * this.length));
    this.onRelayout?.(moved);
  }

  /**
   * Free an unlinked node: its record joins the gap of the record just before it, else a free list;
   * its member id too unless another node took it over (keepId).
   */
  private free(n: ZslNode, keepId = false): void {
    const w = this.w;
    if (!keepId) {
      const slot = w[n + SLOT];
      this.members[slot] = '';
      this.freeSlots.push(slot);
    }
    const level = w[n + LEVEL];
    const back = w[n + BACK];
    const p = back === NIL ? this.header : back;
    if (p + recordWords(w[p + LEVEL]) + w[p + GAP] === n) {
      w[p + GAP] += recordWords(level) + w[n + GAP];
      return;
    }
    w[n + LINKS] = this.freeByLevel[level];
    this.freeByLevel[level] = n;
  }

  /** zslRandomLevel: 1 + the number of successes with probability P, capped at 32. */
  randomLevel(): number {
    let level = 1;
    while (level < ZSKIPLIST_MAXLEVEL && this.random.next() < ZSKIPLIST_P) level++;
    return level;
  }

  /** Is node `x` before (score, ele)? The skip list's search predicate. */
  private before(x: ZslNode, score: number, ele: string): boolean {
    const s = this.d[x >> 1];
    return s < score || (s === score && this.members[this.w[x + SLOT]] < ele);
  }

  // ---- insert / delete ----------------------------------------------------------------------

  /** zslInsert: the caller guarantees the member is not present. */
  insert(score: number, ele: string): ZslNode {
    const update = this.update;
    const rank = this.rank;
    const trace = this.trace;
    let w = this.w;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      rank[i] = i === this.level - 1 ? 0 : rank[i + 1];
      let f = w[x + LINKS + 2 * i];
      while (f !== NIL && this.before(f, score, ele)) {
        rank[i] += w[x + LINKS + 2 * i + 1];
        x = f;
        if (trace !== null) trace('insert', i, x);
        f = w[x + LINKS + 2 * i];
      }
      update[i] = x;
    }
    const level = this.randomLevel();
    if (level > this.level) {
      for (let i = this.level; i < level; i++) {
        rank[i] = 0;
        update[i] = this.header;
        w[this.header + LINKS + 2 * i + 1] = this.length;
      }
      this.level = level;
    }
    // Inserts since the last layout have scattered: lay out again (update[] is translated).
    if (this.length >= this.relayoutAt) this.relayout(recordWords(level));
    const n = this.alloc(level, update[0]);
    this.nodesByLevel[level]++;
    w = this.w;
    this.d[n >> 1] = score;
    w[n + LEVEL] = level;
    w[n + SLOT] = this.reuseId >= 0 ? this.reuseId : this.slotFor(ele);
    this.reuseId = -1;
    for (let i = 0; i < level; i++) {
      const u = update[i];
      const link = LINKS + 2 * i;
      w[n + link] = w[u + link];
      w[u + link] = n;
      w[n + link + 1] = w[u + link + 1] - (rank[0] - rank[i]);
      w[u + link + 1] = rank[0] - rank[i] + 1;
    }
    for (let i = level; i < this.level; i++) w[update[i] + LINKS + 2 * i + 1]++;
    w[n + BACK] = update[0] === this.header ? NIL : update[0];
    const next = w[n + LINKS];
    if (next !== NIL) w[next + BACK] = n;
    else this.tail = n;
    this.length++;
    return n;
  }

  /** zslDeleteNode: unlink `x` given the rightmost node before it at every level (not freed). */
  private unlink(x: ZslNode, update: Int32Array): void {
    const w = this.w;
    this.nodesByLevel[w[x + LEVEL]]--;
    for (let i = 0; i < this.level; i++) {
      const u = update[i];
      const link = LINKS + 2 * i;
      if (w[u + link] === x) {
        w[u + link + 1] += w[x + link + 1] - 1;
        w[u + link] = w[x + link];
      } else {
        w[u + link + 1] -= 1;
      }
    }
    const next = w[x + LINKS];
    if (next !== NIL) w[next + BACK] = w[x + BACK];
    else this.tail = w[x + BACK];
    while (this.level > 1 && w[this.header + LINKS + 2 * (this.level - 1)] === NIL) this.level--;
    this.length--;
  }

  /** The rightmost node before (score, ele) at each level, into this.update. */
  private findUpdate(score: number, ele: string, op: string): Int32Array {
    const update = this.update;
    const trace = this.trace;
    const w = this.w;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = w[x + LINKS + 2 * i];
      while (f !== NIL && this.before(f, score, ele)) {
        x = f;
        if (trace !== null) trace(op, i, x);
        f = w[x + LINKS + 2 * i];
      }
      update[i] = x;
    }
    return update;
  }

  private is(x: ZslNode, score: number, ele: string): boolean {
    return x !== NIL && this.d[x >> 1] === score && this.members[this.w[x + SLOT]] === ele;
  }

  /** zslDelete: remove the node with this score and member; false when absent. */
  delete(score: number, ele: string): boolean {
    const update = this.findUpdate(score, ele, 'delete');
    const x = this.w[update[0] + LINKS];
    if (!this.is(x, score, ele)) return false;
    this.unlink(x, update);
    this.free(x);
    this.maybeShrink();
    return true;
  }

  /**
   * After deletes: lay the pool out again, smaller, once it is more than 8 times what the nodes need
   * (checked when the length is a power of two, so the check is O(1) amortised). Only called where
   * no node id is held (the end of a delete).
   */
  private maybeShrink(): void {
    const len = this.length;
    if ((len & (len - 1)) !== 0 || this.w.length <= INITIAL_WORDS) return;
    let live = recordWords(ZSKIPLIST_MAXLEVEL) + GAP_WORDS;
    for (let level = 1; level <= ZSKIPLIST_MAXLEVEL; level++) {
      live += this.nodesByLevel[level] * (recordWords(level) + gapOf(level));
    }
    if (8 * live < this.w.length) this.relayout(0);
  }

  /**
   * zslUpdateScore: the member must exist with `curscore`. Updated in place when the node keeps
   * its position; otherwise removed and inserted again. Returns the node now holding the member.
   */
  updateScore(curscore: number, ele: string, newscore: number): ZslNode {
    const update = this.findUpdate(curscore, ele, 'update');
    const w = this.w;
    const x = w[update[0] + LINKS];
    if (!this.is(x, curscore, ele)) throw new Error('zslUpdateScore: member not found');
    const back = w[x + BACK];
    const next = w[x + LINKS];
    if ((back === NIL || this.d[back >> 1] < newscore) && (next === NIL || this.d[next >> 1] > newscore)) {
      this.d[x >> 1] = newscore;
      return x;
    }
    // As Redis: unlink, insert a new node, then free the old one (so the node is always a new one).
    // A relayout during the insert leaves the unlinked node behind: nothing to free then.
    // The new node keeps the member id.
    this.unlink(x, update);
    const relayouts = this.relayouts;
    this.reuseId = w[x + SLOT];
    const n = this.insert(newscore, ele);
    if (this.relayouts === relayouts) this.free(x, true);
    return n;
  }

  // ---- ranks --------------------------------------------------------------------------------

  /** zslGetRank: 1-based rank of (score, ele), 0 when absent. */
  getRank(score: number, ele: string): number {
    const trace = this.trace;
    const w = this.w;
    const d = this.d;
    let rank = 0;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = w[x + LINKS + 2 * i];
      while (f !== NIL) {
        const s = d[f >> 1];
        if (!(s < score || (s === score && this.members[w[f + SLOT]] <= ele))) break;
        rank += w[x + LINKS + 2 * i + 1];
        x = f;
        if (trace !== null) trace('rank', i, x);
        f = w[x + LINKS + 2 * i];
      }
      if (x !== this.header && d[x >> 1] === score && this.members[w[x + SLOT]] === ele) return rank;
    }
    return 0;
  }

  /**
   * zslGetRank for the member with id `id` (memberId) that the caller found in its dict with its
   * score: 1-based rank, 0 when that member is not reached.
   */
  rankOf(id: number, score: number, ele: string): number {
    const trace = this.trace;
    const w = this.w;
    const d = this.d;
    let rank = 0;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = w[x + LINKS + 2 * i];
      while (f !== NIL) {
        const fid = w[f + SLOT];
        if (fid !== id) {
          const s = d[f >> 1];
          if (!(s < score || (s === score && this.members[fid] < ele))) break;
        }
        rank += w[x + LINKS + 2 * i + 1];
        x = f;
        if (trace !== null) trace('rank', i, x);
        if (fid === id) return rank;
        f = w[x + LINKS + 2 * i];
      }
    }
    return 0;
  }

  /** The node of (score, ele), or NIL (an untraced search). */
  find(score: number, ele: string): ZslNode {
    const trace = this.trace;
    this.trace = null;
    const x = this.w[this.findUpdate(score, ele, 'find')[0] + LINKS];
    this.trace = trace;
    return this.is(x, score, ele) ? x : NIL;
  }

  /** zslGetElementByRank: the node at a 1-based rank, or NIL. */
  getElementByRank(rank: number): ZslNode {
    const trace = this.trace;
    const w = this.w;
    let traversed = 0;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = w[x + LINKS + 2 * i];
      while (f !== NIL && traversed + w[x + LINKS + 2 * i + 1] <= rank) {
        traversed += w[x + LINKS + 2 * i + 1];
        x = f;
        if (trace !== null) trace('byrank', i, x);
        f = w[x + LINKS + 2 * i];
      }
      if (traversed === rank) return x === this.header ? NIL : x;
    }
    return NIL;
  }

  // ---- score and lex ranges -----------------------------------------------------------------

  /**
   * The last node (or the header) for which `skip` holds, descending level by level; `update`
   * (when given) receives the rightmost such node of every level.
   */
  private lastWhere(skip: (n: ZslNode) => boolean, update: Int32Array | null): ZslNode {
    const w = this.w;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = w[x + LINKS + 2 * i];
      while (f !== NIL && skip(f)) {
        x = f;
        f = w[x + LINKS + 2 * i];
      }
      if (update !== null) update[i] = x;
    }
    return x;
  }

  /** zslIsInRange: can any node fall inside the range? */
  isInRange(r: ScoreRange): boolean {
    if (scoreRangeEmpty(r)) return false;
    const t = this.tail;
    if (t === NIL || !scoreGteMin(this.score(t), r)) return false;
    const f = this.first();
    return f !== NIL && scoreLteMax(this.score(f), r);
  }

  /** zslFirstInRange */
  firstInRange(r: ScoreRange): ZslNode {
    if (!this.isInRange(r)) return NIL;
    const n = this.next(this.lastWhere((f) => !scoreGteMin(this.score(f), r), null));
    return scoreLteMax(this.score(n), r) ? n : NIL;
  }

  /** zslLastInRange */
  lastInRange(r: ScoreRange): ZslNode {
    if (!this.isInRange(r)) return NIL;
    const x = this.lastWhere((f) => scoreLteMax(this.score(f), r), null);
    return x !== this.header && scoreGteMin(this.score(x), r) ? x : NIL;
  }

  isInLexRange(r: LexRange): boolean {
    if (lexRangeEmpty(r)) return false;
    const t = this.tail;
    if (t === NIL || !lexGteMin(this.member(t), r)) return false;
    const f = this.first();
    return f !== NIL && lexLteMax(this.member(f), r);
  }

  firstInLexRange(r: LexRange): ZslNode {
    if (!this.isInLexRange(r)) return NIL;
    const n = this.next(this.lastWhere((f) => !lexGteMin(this.member(f), r), null));
    return lexLteMax(this.member(n), r) ? n : NIL;
  }

  lastInLexRange(r: LexRange): ZslNode {
    if (!this.isInLexRange(r)) return NIL;
    const x = this.lastWhere((f) => lexLteMax(this.member(f), r), null);
    return x !== this.header && lexGteMin(this.member(x), r) ? x : NIL;
  }

  // ---- range deletion (ZREMRANGEBY*) ---------------------------------------------------------

  /**
   * Unlink and free nodes from `n` on while `more` holds; `onDelete` sees each removed member
   * before its id is freed (the owner's dict reads members by id).
   */
  private deleteFrom(n: ZslNode, more: (n: ZslNode) => boolean, onDelete: (ele: string) => void): number {
    let removed = 0;
    while (n !== NIL && more(n)) {
      const next = this.next(n);
      const ele = this.member(n);
      this.unlink(n, this.update);
      onDelete(ele);
      this.free(n);
      removed++;
      n = next;
    }
    return removed;
  }

  /** zslDeleteRangeByScore */
  deleteRangeByScore(r: ScoreRange, onDelete: (ele: string) => void): number {
    const x = this.lastWhere((f) => !scoreGteMin(this.score(f), r), this.update);
    const removed = this.deleteFrom(this.next(x), (n) => scoreLteMax(this.score(n), r), onDelete);
    this.maybeShrink();
    return removed;
  }

  /** zslDeleteRangeByLex */
  deleteRangeByLex(r: LexRange, onDelete: (ele: string) => void): number {
    const x = this.lastWhere((f) => !lexGteMin(this.member(f), r), this.update);
    const removed = this.deleteFrom(this.next(x), (n) => lexLteMax(this.member(n), r), onDelete);
    this.maybeShrink();
    return removed;
  }

  /** zslDeleteRangeByRank: 1-based inclusive ranks. */
  deleteRangeByRank(start: number, end: number, onDelete: (ele: string) => void): number {
    const w = this.w;
    const update = this.update;
    let traversed = 0;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = w[x + LINKS + 2 * i];
      while (f !== NIL && traversed + w[x + LINKS + 2 * i + 1] < start) {
        traversed += w[x + LINKS + 2 * i + 1];
        x = f;
        f = w[x + LINKS + 2 * i];
      }
      update[i] = x;
    }
    let rank = traversed + 1;
    const removed = this.deleteFrom(this.next(x), () => rank++ <= end, onDelete);
    this.maybeShrink();
    return removed;
  }

  // ---- inspection ---------------------------------------------------------------------------

  /** Every node in order with its levels, links and spans (the lab's skip-list panel). */
  describe(): ZslSnapshot {
    const index = new Map<ZslNode, number>();
    const order: ZslNode[] = [];
    for (let n = this.first(); n !== NIL; n = this.next(n)) {
      index.set(n, order.length);
      order.push(n);
    }
    const links = (n: ZslNode, levels: number) => {
      const forward: number[] = [];
      const span: number[] = [];
      for (let i = 0; i < levels; i++) {
        const f = this.forward(n, i);
        forward.push(f === NIL ? -1 : (index.get(f) as number));
        span.push(this.span(n, i));
      }
      return { forward, span };
    };
    return {
      level: this.level,
      length: this.length,
      header: links(this.header, this.level),
      nodes: order.map((n) => ({ member: this.member(n), score: this.score(n), ...links(n, this.nodeLevel(n)) })),
      tail: this.tail === NIL ? -1 : (index.get(this.tail) as number),
    };
  }
}
