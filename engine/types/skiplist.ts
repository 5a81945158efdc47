// Redis's zskiplist (src/t_zset.c, server.h): a header node, up to 32 levels with P = 0.25, a span
// per forward link so ranks are O(log N), backward links for reverse walks, nodes ordered by
// (score, member bytes). Also the score and lex range specs (zrangespec / zlexrangespec).

import type { Random } from '../random';

export const ZSKIPLIST_MAXLEVEL = 32;
export const ZSKIPLIST_P = 0.25;

export class ZslNode {
  /** forward[i] / span[i]: the link and the number of rank positions it crosses at level i. */
  readonly forward: (ZslNode | null)[];
  readonly span: number[];
  backward: ZslNode | null = null;
  constructor(
    public ele: string,
    public score: number,
    level: number,
  ) {
    this.forward = new Array<ZslNode | null>(level).fill(null);
    this.span = new Array<number>(level).fill(0);
  }
  get level(): number {
    return this.forward.length;
  }
}

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

/** Is `x` (score, ele) before (score, ele)? The skip list's search predicate. */
function before(x: ZslNode, score: number, ele: string): boolean {
  return x.score < score || (x.score === score && x.ele < ele);
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
  readonly header = new ZslNode('', 0, ZSKIPLIST_MAXLEVEL);
  tail: ZslNode | null = null;
  length = 0;
  level = 1;
  /** Set by the lab to watch searches; null (the default) costs one comparison per step. */
  trace: ZslTrace | null = null;

  constructor(private readonly random: Random) {}

  /** zslRandomLevel: 1 + the number of successes with probability P, capped at 32. */
  randomLevel(): number {
    let level = 1;
    while (level < ZSKIPLIST_MAXLEVEL && this.random.next() < ZSKIPLIST_P) level++;
    return level;
  }

  first(): ZslNode | null {
    return this.header.forward[0];
  }

  /** zslInsert: the caller guarantees the member is not present. */
  insert(score: number, ele: string): ZslNode {
    const update = new Array<ZslNode>(ZSKIPLIST_MAXLEVEL);
    const rank = new Array<number>(ZSKIPLIST_MAXLEVEL);
    const trace = this.trace;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      rank[i] = i === this.level - 1 ? 0 : rank[i + 1];
      let f = x.forward[i];
      while (f !== null && before(f, score, ele)) {
        rank[i] += x.span[i];
        x = f;
        if (trace !== null) trace('insert', i, x);
        f = x.forward[i];
      }
      update[i] = x;
    }
    const level = this.randomLevel();
    if (level > this.level) {
      for (let i = this.level; i < level; i++) {
        rank[i] = 0;
        update[i] = this.header;
        this.header.span[i] = this.length;
      }
      this.level = level;
    }
    const n = new ZslNode(ele, score, level);
    for (let i = 0; i < level; i++) {
      const u = update[i];
      n.forward[i] = u.forward[i];
      u.forward[i] = n;
      n.span[i] = u.span[i] - (rank[0] - rank[i]);
      u.span[i] = rank[0] - rank[i] + 1;
    }
    for (let i = level; i < this.level; i++) update[i].span[i]++;
    n.backward = update[0] === this.header ? null : update[0];
    const next = n.forward[0];
    if (next !== null) next.backward = n;
    else this.tail = n;
    this.length++;
    return n;
  }

  /** zslDeleteNode: unlink `x` given the rightmost node before it at every level. */
  private unlink(x: ZslNode, update: ZslNode[]): void {
    for (let i = 0; i < this.level; i++) {
      const u = update[i];
      if (u.forward[i] === x) {
        u.span[i] += x.span[i] - 1;
        u.forward[i] = x.forward[i];
      } else {
        u.span[i] -= 1;
      }
    }
    const next = x.forward[0];
    if (next !== null) next.backward = x.backward;
    else this.tail = x.backward;
    while (this.level > 1 && this.header.forward[this.level - 1] === null) this.level--;
    this.length--;
  }

  /** The rightmost node before (score, ele) at each level. */
  private findUpdate(score: number, ele: string, op: string): ZslNode[] {
    const update = new Array<ZslNode>(ZSKIPLIST_MAXLEVEL);
    const trace = this.trace;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = x.forward[i];
      while (f !== null && before(f, score, ele)) {
        x = f;
        if (trace !== null) trace(op, i, x);
        f = x.forward[i];
      }
      update[i] = x;
    }
    return update;
  }

  /** zslDelete: remove the node with this score and member; false when absent. */
  delete(score: number, ele: string): boolean {
    const update = this.findUpdate(score, ele, 'delete');
    const x = update[0].forward[0];
    if (x !== null && x.score === score && x.ele === ele) {
      this.unlink(x, update);
      return true;
    }
    return false;
  }

  /**
   * zslUpdateScore: the member must exist with `curscore`. Updated in place when the node keeps
   * its position; otherwise removed and inserted again. Returns the node now holding the member.
   */
  updateScore(curscore: number, ele: string, newscore: number): ZslNode {
    const update = this.findUpdate(curscore, ele, 'update');
    const x = update[0].forward[0];
    if (x === null || x.score !== curscore || x.ele !== ele) throw new Error('zslUpdateScore: member not found');
    const next = x.forward[0];
    if ((x.backward === null || x.backward.score < newscore) && (next === null || next.score > newscore)) {
      x.score = newscore;
      return x;
    }
    this.unlink(x, update);
    return this.insert(newscore, ele);
  }

  /** zslGetRank: 1-based rank of (score, ele), 0 when absent. */
  getRank(score: number, ele: string): number {
    const trace = this.trace;
    let rank = 0;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = x.forward[i];
      while (f !== null && (f.score < score || (f.score === score && f.ele <= ele))) {
        rank += x.span[i];
        x = f;
        if (trace !== null) trace('rank', i, x);
        f = x.forward[i];
      }
      if (x !== this.header && x.score === score && x.ele === ele) return rank;
    }
    return 0;
  }

  /** zslGetElementByRank: the node at a 1-based rank, or null. */
  getElementByRank(rank: number): ZslNode | null {
    const trace = this.trace;
    let traversed = 0;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = x.forward[i];
      while (f !== null && traversed + x.span[i] <= rank) {
        traversed += x.span[i];
        x = f;
        if (trace !== null) trace('byrank', i, x);
        f = x.forward[i];
      }
      if (traversed === rank) return x === this.header ? null : x;
    }
    return null;
  }

  // ---- score ranges -------------------------------------------------------------------------

  /** zslIsInRange: can any node fall inside the range? */
  isInRange(r: ScoreRange): boolean {
    if (scoreRangeEmpty(r)) return false;
    const t = this.tail;
    if (t === null || !scoreGteMin(t.score, r)) return false;
    const f = this.header.forward[0];
    return f !== null && scoreLteMax(f.score, r);
  }

  /** zslFirstInRange */
  firstInRange(r: ScoreRange): ZslNode | null {
    if (!this.isInRange(r)) return null;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = x.forward[i];
      while (f !== null && !scoreGteMin(f.score, r)) {
        x = f;
        f = x.forward[i];
      }
    }
    const n = x.forward[0] as ZslNode;
    return scoreLteMax(n.score, r) ? n : null;
  }

  /** zslLastInRange */
  lastInRange(r: ScoreRange): ZslNode | null {
    if (!this.isInRange(r)) return null;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = x.forward[i];
      while (f !== null && scoreLteMax(f.score, r)) {
        x = f;
        f = x.forward[i];
      }
    }
    return x !== this.header && scoreGteMin(x.score, r) ? x : null;
  }

  // ---- lex ranges ---------------------------------------------------------------------------

  isInLexRange(r: LexRange): boolean {
    if (lexRangeEmpty(r)) return false;
    const t = this.tail;
    if (t === null || !lexGteMin(t.ele, r)) return false;
    const f = this.header.forward[0];
    return f !== null && lexLteMax(f.ele, r);
  }

  firstInLexRange(r: LexRange): ZslNode | null {
    if (!this.isInLexRange(r)) return null;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = x.forward[i];
      while (f !== null && !lexGteMin(f.ele, r)) {
        x = f;
        f = x.forward[i];
      }
    }
    const n = x.forward[0] as ZslNode;
    return lexLteMax(n.ele, r) ? n : null;
  }

  lastInLexRange(r: LexRange): ZslNode | null {
    if (!this.isInLexRange(r)) return null;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = x.forward[i];
      while (f !== null && lexLteMax(f.ele, r)) {
        x = f;
        f = x.forward[i];
      }
    }
    return x !== this.header && lexGteMin(x.ele, r) ? x : null;
  }

  // ---- range deletion (ZREMRANGEBY*) ---------------------------------------------------------

  /**
   * Delete from the first node where `skip` turns false while `keep` holds; `onDelete` sees each
   * removed member (the zset removes it from its dict). Returns the number removed.
   */
  private deleteWhile(
    skip: (n: ZslNode) => boolean,
    inRange: (n: ZslNode) => boolean,
    onDelete: (ele: string) => void,
  ): number {
    const update = new Array<ZslNode>(ZSKIPLIST_MAXLEVEL);
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = x.forward[i];
      while (f !== null && skip(f)) {
        x = f;
        f = x.forward[i];
      }
      update[i] = x;
    }
    let n = x.forward[0];
    let removed = 0;
    while (n !== null && inRange(n)) {
      const next = n.forward[0];
      this.unlink(n, update);
      onDelete(n.ele);
      removed++;
      n = next;
    }
    return removed;
  }

  /** zslDeleteRangeByScore */
  deleteRangeByScore(r: ScoreRange, onDelete: (ele: string) => void): number {
    return this.deleteWhile(
      (n) => !scoreGteMin(n.score, r),
      (n) => scoreLteMax(n.score, r),
      onDelete,
    );
  }

  /** zslDeleteRangeByLex */
  deleteRangeByLex(r: LexRange, onDelete: (ele: string) => void): number {
    return this.deleteWhile(
      (n) => !lexGteMin(n.ele, r),
      (n) => lexLteMax(n.ele, r),
      onDelete,
    );
  }

  /** zslDeleteRangeByRank: 1-based inclusive ranks. */
  deleteRangeByRank(start: number, end: number, onDelete: (ele: string) => void): number {
    const update = new Array<ZslNode>(ZSKIPLIST_MAXLEVEL);
    let traversed = 0;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = x.forward[i];
      while (f !== null && traversed + x.span[i] < start) {
        traversed += x.span[i];
        x = f;
        f = x.forward[i];
      }
      update[i] = x;
    }
    traversed++;
    let n = x.forward[0];
    let removed = 0;
    while (n !== null && traversed <= end) {
      const next = n.forward[0];
      this.unlink(n, update);
      onDelete(n.ele);
      removed++;
      traversed++;
      n = next;
    }
    return removed;
  }

  // ---- inspection ---------------------------------------------------------------------------

  /** Every node in order with its levels, links and spans (the lab's skip-list panel). */
  describe(): ZslSnapshot {
    const index = new Map<ZslNode, number>();
    const order: ZslNode[] = [];
    for (let n = this.header.forward[0]; n !== null; n = n.forward[0]) {
      index.set(n, order.length);
      order.push(n);
    }
    const links = (n: ZslNode, levels: number) => {
      const forward: number[] = [];
      const span: number[] = [];
      for (let i = 0; i < levels; i++) {
        const f = n.forward[i];
        forward.push(f === null ? -1 : (index.get(f) as number));
        span.push(n.span[i]);
      }
      return { forward, span };
    };
    return {
      level: this.level,
      length: this.length,
      header: links(this.header, this.level),
      nodes: order.map((n) => ({ member: n.ele, score: n.score, ...links(n, n.level) })),
      tail: this.tail === null ? -1 : (index.get(this.tail) as number),
    };
  }
}
