// The sorted set value (Redis 7.0's OBJ_ZSET, src/t_zset.c zset*): "listpack" encoding (sorted
// member/score pairs, O(N) operations; zset-listpack.ts) while small, converted one way to
// "skiplist" (zskiplist + dict member → node) past zset-max-listpack-entries / -value.

import type { CollectionValue } from '../keyspace/db';
import type { Random } from '../random';
import {
  type LexRange,
  type ScoreRange,
  NIL,
  SkipList,
  scoreGteMin,
  scoreLteMax,
  lexGteMin,
  lexLteMax,
  type ZslNode,
  type ZslSnapshot,
} from './skiplist';
import { ZsetDict } from './zset-dict';
import { type Emit, listpackScoreString, ZListpack } from './zset-listpack';

export { type Emit, listpackScoreString } from './zset-listpack';

/** What a sorted set needs from the server: randomness (levels), the hash seed and the thresholds. */
export interface ZSetEnv {
  readonly random: Random;
  readonly hashSeed: number;
  readonly config: { getInt(name: string): number };
}

// zsetAdd input flags (ZADD_IN_*) and output flags (ZADD_OUT_*).
export const ZADD_INCR = 1;
export const ZADD_NX = 2;
export const ZADD_XX = 4;
export const ZADD_GT = 8;
export const ZADD_LT = 16;
export const ZADD_OUT_NOP = 1;
export const ZADD_OUT_NAN = 2;
export const ZADD_OUT_ADDED = 4;
export const ZADD_OUT_UPDATED = 8;

export type ZSetSnapshot =
  | { encoding: 'listpack'; entries: { member: string; score: number }[] }
  | { encoding: 'skiplist'; skiplist: ZslSnapshot; dict: { size: number; buckets: number } };

export class ZSet implements CollectionValue {
  readonly type = 'zset';
  /** The score after the last processed add(). */
  newScore = 0;
  /** The listpack encoding, or null once converted. */
  private lp: ZListpack | null = null;
  /**
   * The skiplist encoding: the skip list orders, the dict finds a member in O(1) with its score and
   * its skip-list member id (SkipList.memberId; LAB: not the node, which relayouts renumber).
   */
  zsl: SkipList | null = null;
  dict: ZsetDict | null = null;

  constructor(
    private readonly env: ZSetEnv,
    skiplist = false,
  ) {
    if (skiplist) this.initSkiplist();
    else this.lp = new ZListpack();
  }

  /** ZADD's choice for a new key: skiplist when the listpack is disabled or the first member is too long. */
  static forNewKey(env: ZSetEnv, firstMemberLength: number): ZSet {
    const skiplist =
      env.config.getInt('zset-max-listpack-entries') === 0 ||
      env.config.getInt('zset-max-listpack-value') < firstMemberLength;
    return new ZSet(env, skiplist);
  }

  private initSkiplist(): void {
    const zsl = new SkipList(this.env.random);
    const dict = new ZsetDict((this.env.hashSeed ^ 0x7a736574) >>> 0, (id) => zsl.memberWithId(id));
    this.zsl = zsl;
    this.dict = dict;
  }

  encoding(): string {
    return this.lp !== null ? 'listpack' : 'skiplist';
  }

  get isListpack(): boolean {
    return this.lp !== null;
  }

  get length(): number {
    return this.lp !== null ? this.lp.length : (this.zsl as SkipList).length;
  }

  /** zsetConvert(listpack → skiplist). */
  convertToSkiplist(): void {
    const lp = this.lp;
    if (lp === null) return;
    this.lp = null;
    this.initSkiplist();
    const zsl = this.zsl as SkipList;
    const dict = this.dict as ZsetDict;
    for (let i = 0; i < lp.length; i++)
      dict.add(lp.ele[i], zsl.memberId(zsl.insert(lp.score[i], lp.ele[i])), lp.score[i]);
  }

  /** zsetConvertToListpackIfNeeded: stores (ZUNIONSTORE...) shrink a small result back to a listpack. */
  convertToListpackIfNeeded(maxMemberLength: number): void {
    if (this.lp !== null) return;
    const zsl = this.zsl as SkipList;
    if (
      zsl.length > this.env.config.getInt('zset-max-listpack-entries') ||
      maxMemberLength > this.env.config.getInt('zset-max-listpack-value')
    ) {
      return;
    }
    const lp = new ZListpack();
    for (let n = zsl.first(); n !== NIL; n = zsl.next(n)) {
      const score = zsl.score(n);
      lp.ele.push(zsl.member(n));
      lp.score.push(score === 0 ? 0 : score); // double2ll: -0 becomes the integer 0
    }
    this.zsl = null;
    this.dict = null;
    this.lp = lp;
  }

  /** zsetScore */
  score(member: string): number | undefined {
    if (this.lp !== null) {
      const i = this.lp.find(member);
      return i < 0 ? undefined : this.lp.score[i];
    }
    const dict = this.dict as ZsetDict;
    const slot = dict.find(member);
    return slot < 0 ? undefined : dict.scoreAt(slot);
  }

  has(member: string): boolean {
    return this.lp !== null ? this.lp.find(member) >= 0 : (this.dict as ZsetDict).has(member);
  }

  /**
   * zsetAdd: add or update per the ZADD flags. Returns ZADD_OUT_* flags (NAN means an error and
   * nothing changed); `this.newScore` holds the resulting score when the element was processed.
   */
  add(score: number, member: string, flags: number): number {
    const incr = (flags & ZADD_INCR) !== 0;
    const nx = (flags & ZADD_NX) !== 0;
    const xx = (flags & ZADD_XX) !== 0;
    const gt = (flags & ZADD_GT) !== 0;
    const lt = (flags & ZADD_LT) !== 0;
    if (Number.isNaN(score)) return ZADD_OUT_NAN;
    const lp = this.lp;
    if (lp !== null) {
      const i = lp.find(member);
      if (i >= 0) {
        if (nx) return ZADD_OUT_NOP;
        const cur = lp.score[i];
        if (incr) {
          score += cur;
          if (Number.isNaN(score)) return ZADD_OUT_NAN;
        }
        if ((lt && score >= cur) || (gt && score <= cur)) return ZADD_OUT_NOP;
        this.newScore = score;
        if (score !== cur) {
          lp.deleteAt(i);
          lp.insert(member, score);
          return ZADD_OUT_UPDATED;
        }
        return 0;
      }
      if (xx) return ZADD_OUT_NOP;
      // Too many entries or too long a member: convert *before* inserting (then the skiplist adds).
      if (
        lp.length + 1 > this.env.config.getInt('zset-max-listpack-entries') ||
        member.length > this.env.config.getInt('zset-max-listpack-value')
      ) {
        this.convertToSkiplist();
      } else {
        lp.insert(member, score);
        this.newScore = score;
        return ZADD_OUT_ADDED;
      }
    }
    const zsl = this.zsl as SkipList;
    const dict = this.dict as ZsetDict;
    const slot = dict.find(member);
    if (slot >= 0) {
      if (nx) return ZADD_OUT_NOP;
      const cur = dict.scoreAt(slot);
      if (incr) {
        score += cur;
        if (Number.isNaN(score)) return ZADD_OUT_NAN;
      }
      if ((lt && score >= cur) || (gt && score <= cur)) return ZADD_OUT_NOP;
      this.newScore = score;
      if (score !== cur) {
        zsl.updateScore(cur, member, score); // the member keeps its id
        dict.setAt(slot, dict.idAt(slot), score);
        return ZADD_OUT_UPDATED;
      }
      return 0;
    }
    if (xx) return ZADD_OUT_NOP;
    dict.addFound(member, zsl.memberId(zsl.insert(score, member)), score);
    this.newScore = score;
    return ZADD_OUT_ADDED;
  }

  /** zslInsert + dictAdd (or zzlInsert): the member must be absent (set-operation results). */
  insertNew(member: string, score: number): void {
    if (this.lp !== null) this.lp.insert(member, score);
    else {
      const zsl = this.zsl as SkipList;
      (this.dict as ZsetDict).add(member, zsl.memberId(zsl.insert(score, member)), score);
    }
  }

  /** zsetDel */
  delete(member: string): boolean {
    if (this.lp !== null) {
      const i = this.lp.find(member);
      if (i < 0) return false;
      this.lp.deleteAt(i);
      return true;
    }
    const dict = this.dict as ZsetDict;
    const slot = dict.find(member);
    if (slot < 0) return false;
    const score = dict.scoreAt(slot);
    dict.deleteAt(slot);
    (this.zsl as SkipList).delete(score, member);
    return true;
  }

  /** The member's skip-list node (the lab's panels), undefined for a listpack or a missing member. */
  nodeOf(member: string): ZslNode | undefined {
    if (this.lp !== null) return undefined;
    const dict = this.dict as ZsetDict;
    const slot = dict.find(member);
    if (slot < 0) return undefined;
    const n = (this.zsl as SkipList).find(dict.scoreAt(slot), member);
    return n === NIL ? undefined : n;
  }

  /** zsetRank: 0-based rank (from the top when reverse), -1 when absent. */
  rank(member: string, reverse: boolean): number {
    const len = this.length;
    if (this.lp !== null) {
      const i = this.lp.find(member);
      if (i < 0) return -1;
      return reverse ? len - 1 - i : i;
    }
    const dict = this.dict as ZsetDict;
    const slot = dict.find(member);
    if (slot < 0) return -1;
    const r = (this.zsl as SkipList).rankOf(dict.idAt(slot), dict.scoreAt(slot), member);
    return reverse ? len - r : r - 1;
  }

  // ---- reading ranges -----------------------------------------------------------------------

  /** Elements at 0-based ranks start..end (already clamped to the set), from the top when reverse. */
  rangeByRank(start: number, end: number, reverse: boolean, emit: Emit): void {
    let n = end - start + 1;
    if (this.lp !== null) {
      const { ele, score } = this.lp;
      const len = ele.length;
      for (let i = start; n > 0; i++, n--) {
        const j = reverse ? len - 1 - i : i;
        emit(ele[j], score[j]);
      }
      return;
    }
    // genericZrangebyrankCommand: the first or last node directly, else one O(log N) rank lookup.
    const zsl = this.zsl as SkipList;
    let ln: ZslNode;
    if (reverse) ln = start > 0 ? zsl.getElementByRank(zsl.length - start) : zsl.tail;
    else ln = start > 0 ? zsl.getElementByRank(start + 1) : zsl.first();
    for (; n > 0 && ln !== NIL; n--) {
      emit(zsl.member(ln), zsl.score(ln));
      ln = reverse ? zsl.prev(ln) : zsl.next(ln);
    }
  }

  /** From a skip-list node, skip `offset`, then emit up to `limit` (negative: all) while `inRange`. */
  private walk(
    ln: ZslNode,
    reverse: boolean,
    offset: number,
    limit: number,
    inRange: (n: ZslNode) => boolean,
    emit: Emit,
  ): number {
    const zsl = this.zsl as SkipList;
    let count = 0;
    while (ln !== NIL && offset-- !== 0) ln = reverse ? zsl.prev(ln) : zsl.next(ln);
    while (ln !== NIL && limit-- !== 0) {
      if (!inRange(ln)) break;
      emit(zsl.member(ln), zsl.score(ln));
      count++;
      ln = reverse ? zsl.prev(ln) : zsl.next(ln);
    }
    return count;
  }

  /** genericZrangebyscoreCommand's walk: skip `offset`, emit up to `limit` (negative: all). */
  rangeByScore(r: ScoreRange, offset: number, limit: number, reverse: boolean, emit: Emit): number {
    if (this.lp !== null) return this.lp.rangeByScore(r, offset, limit, reverse, emit);
    const zsl = this.zsl as SkipList;
    const start = reverse ? zsl.lastInRange(r) : zsl.firstInRange(r);
    const ok = reverse ? (n: ZslNode) => scoreGteMin(zsl.score(n), r) : (n: ZslNode) => scoreLteMax(zsl.score(n), r);
    return this.walk(start, reverse, offset, limit, ok, emit);
  }

  /** genericZrangebylexCommand's walk. */
  rangeByLex(r: LexRange, offset: number, limit: number, reverse: boolean, emit: Emit): number {
    if (this.lp !== null) return this.lp.rangeByLex(r, offset, limit, reverse, emit);
    const zsl = this.zsl as SkipList;
    const start = reverse ? zsl.lastInLexRange(r) : zsl.firstInLexRange(r);
    const ok = reverse ? (n: ZslNode) => lexGteMin(zsl.member(n), r) : (n: ZslNode) => lexLteMax(zsl.member(n), r);
    return this.walk(start, reverse, offset, limit, ok, emit);
  }

  /** ZCOUNT: a walk over a listpack; two rank lookups on a skip list. */
  countByScore(r: ScoreRange): number {
    if (this.lp !== null) return this.lp.countByScore(r);
    const zsl = this.zsl as SkipList;
    return this.countBetween(zsl.firstInRange(r), zsl.lastInRange(r));
  }

  /** ZLEXCOUNT */
  countByLex(r: LexRange): number {
    if (this.lp !== null) return this.lp.countByLex(r);
    const zsl = this.zsl as SkipList;
    return this.countBetween(zsl.firstInLexRange(r), zsl.lastInLexRange(r));
  }

  private countBetween(first: ZslNode, last: ZslNode): number {
    if (first === NIL) return 0;
    const zsl = this.zsl as SkipList;
    let count = zsl.length - (zsl.getRank(zsl.score(first), zsl.member(first)) - 1);
    if (last !== NIL) count -= zsl.length - zsl.getRank(zsl.score(last), zsl.member(last));
    return count;
  }

  // ---- range deletion -----------------------------------------------------------------------

  /**
   * The dict's delete for a range deletion's removed members (made per call: a closure field would
   * cost every sorted set, a million small ones loaded from an RDB included, an object of its own).
   */
  private dictDelete(): (ele: string) => void {
    const dict = this.dict as ZsetDict;
    return (ele) => {
      dict.delete(ele);
    };
  }

  /** ZREMRANGEBYSCORE */
  deleteRangeByScore(r: ScoreRange): number {
    if (this.lp !== null) return this.lp.deleteRangeByScore(r);
    return (this.zsl as SkipList).deleteRangeByScore(r, this.dictDelete());
  }

  /** ZREMRANGEBYLEX */
  deleteRangeByLex(r: LexRange): number {
    if (this.lp !== null) return this.lp.deleteRangeByLex(r);
    return (this.zsl as SkipList).deleteRangeByLex(r, this.dictDelete());
  }

  /** ZREMRANGEBYRANK: 0-based inclusive ranks, already clamped. */
  deleteRangeByRank(start: number, end: number): number {
    if (this.lp !== null) {
      this.lp.deleteAt(start, end - start + 1);
      return end - start + 1;
    }
    return (this.zsl as SkipList).deleteRangeByRank(start + 1, end + 1, this.dictDelete());
  }

  // ---- whole-set access ---------------------------------------------------------------------

  /** The lowest (or highest) element, as ZPOPMIN/ZPOPMAX take it. */
  edge(max: boolean): [string, number] | undefined {
    if (this.lp !== null) {
      const n = this.lp.length;
      if (n === 0) return undefined;
      const i = max ? n - 1 : 0;
      return [this.lp.ele[i], this.lp.score[i]];
    }
    const zsl = this.zsl as SkipList;
    const node = max ? zsl.tail : zsl.first();
    return node === NIL ? undefined : [zsl.member(node), zsl.score(node)];
  }

  /** Every element from the highest to the lowest (zuiNext's order for ZUNION/ZINTER/ZDIFF sources). */
  forEachReverse(fn: Emit): void {
    if (this.lp !== null) {
      const { ele, score } = this.lp;
      for (let i = ele.length - 1; i >= 0; i--) fn(ele[i], score[i]);
      return;
    }
    const zsl = this.zsl as SkipList;
    for (let n = zsl.tail; n !== NIL; n = zsl.prev(n)) fn(zsl.member(n), zsl.score(n));
  }

  /** Every element in order. */
  forEach(fn: Emit): void {
    if (this.lp !== null) {
      const { ele, score } = this.lp;
      for (let i = 0; i < ele.length; i++) fn(ele[i], score[i]);
      return;
    }
    const zsl = this.zsl as SkipList;
    for (let n = zsl.first(); n !== NIL; n = zsl.next(n)) fn(zsl.member(n), zsl.score(n));
  }

  /** A random element (lpRandomPair / dictGetFairRandomKey). */
  randomElement(): [string, number] {
    if (this.lp !== null) {
      const i = this.env.random.int(this.lp.length);
      return [this.lp.ele[i], this.lp.score[i]];
    }
    const dict = this.dict as ZsetDict;
    const slot = dict.randomSlot(this.env.random.int);
    if (slot < 0) throw new Error('randomElement of an empty zset');
    return [dict.keyAt(slot), dict.scoreAt(slot)];
  }

  /** lpRandomPairsUnique: `count` distinct listpack elements in their listpack order. */
  randomUniqueListpack(count: number, fn: Emit): void {
    (this.lp as ZListpack).randomUnique(count, this.env.random.int, fn);
  }

  /** ZSCAN of a listpack: every member with its score as the listpack stores it. */
  scanListpack(fn: (member: string, score: string) => void): void {
    const { ele, score } = this.lp as ZListpack;
    for (let i = 0; i < ele.length; i++) fn(ele[i], listpackScoreString(score[i]));
  }

  /** ZSCAN of a skiplist: one dictScan step with the reverse-binary cursor. */
  scanStep(cursor: number, fn: (member: string, score: number) => void): number {
    return (this.dict as ZsetDict).scan(cursor, (key, _node, score) => fn(key, score));
  }

  /** zsetDup (COPY): same encoding. */
  dup(): ZSet {
    const z = new ZSet(this.env, this.lp === null);
    if (this.lp !== null) {
      z.lp = this.lp.clone();
    } else {
      // From the tail down, as zsetDup does (each insert stops at the head).
      const zsl = z.zsl as SkipList;
      const dict = z.dict as ZsetDict;
      const src = this.zsl as SkipList;
      for (let n = src.tail; n !== NIL; n = src.prev(n)) {
        const ele = src.member(n);
        const score = src.score(n);
        dict.add(ele, zsl.memberId(zsl.insert(score, ele)), score);
      }
    }
    return z;
  }

  /** The structure for the lab's panels. */
  describe(): ZSetSnapshot {
    if (this.lp !== null) {
      const sc = this.lp.score;
      return { encoding: 'listpack', entries: this.lp.ele.map((member, i) => ({ member, score: sc[i] })) };
    }
    const dict = this.dict as ZsetDict;
    return {
      encoding: 'skiplist',
      skiplist: (this.zsl as SkipList).describe(),
      dict: { size: dict.size, buckets: dict.buckets },
    };
  }
}
