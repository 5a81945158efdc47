// The listpack side of a sorted set (src/t_zset.c's zzl* functions): member/score pairs kept in
// (score, member) order in one flat sequence, so every search is a linear walk as on the real
// listpack. Scores are stored as the listpack would: an integral score as an integer (double2ll,
// which turns -0 into 0), any other as its %.17g text.

import { formatDouble } from '../util/format-double';
import {
  type LexRange,
  lexGteMin,
  lexLteMax,
  lexRangeEmpty,
  type ScoreRange,
  scoreGteMin,
  scoreLteMax,
  scoreRangeEmpty,
} from './skiplist';

export type Emit = (member: string, score: number) => void;

const LLONG_HALF = 2 ** 62; // (double)(LLONG_MAX/2)

/** double2ll: an integral score in ±LLONG_MAX/2 is stored in a listpack as an integer. */
function isListpackInteger(score: number): boolean {
  return score >= -LLONG_HALF && score <= LLONG_HALF && Number.isInteger(score);
}

/** A score as the listpack holds it (ZSCAN of a listpack prints these bytes): integer or %.17g. */
export function listpackScoreString(score: number): string {
  if (isListpackInteger(score)) return BigInt(score).toString();
  return formatDouble(score);
}

export class ZListpack {
  /** Members and scores, index by index, sorted by (score, member). */
  constructor(
    readonly ele: string[] = [],
    readonly score: number[] = [],
  ) {}

  get length(): number {
    return this.ele.length;
  }

  /** zzlFind: the index of a member, -1 when absent. */
  find(member: string): number {
    return this.ele.indexOf(member);
  }

  /** zzlInsert: walk to the first pair greater than (score, member) and insert before it. */
  insert(member: string, score: number): void {
    const ele = this.ele;
    const sc = this.score;
    let i = 0;
    while (i < ele.length && (sc[i] < score || (sc[i] === score && ele[i] <= member))) i++;
    ele.splice(i, 0, member);
    sc.splice(i, 0, score === 0 ? 0 : score); // double2ll stores -0 as the integer 0
  }

  /** zzlDelete / zzlDeleteRangeByRank: remove `count` pairs from index `i`. */
  deleteAt(i: number, count = 1): void {
    this.ele.splice(i, count);
    this.score.splice(i, count);
  }

  // zzlFirstInRange / zzlLastInRange and their lex forms: -1 when nothing is in range.
  firstInRange(r: ScoreRange): number {
    const sc = this.score;
    if (!this.isInRange(r)) return -1;
    for (let i = 0; i < sc.length; i++) {
      if (scoreGteMin(sc[i], r)) return scoreLteMax(sc[i], r) ? i : -1;
    }
    return -1;
  }

  lastInRange(r: ScoreRange): number {
    const sc = this.score;
    if (!this.isInRange(r)) return -1;
    for (let i = sc.length - 1; i >= 0; i--) {
      if (scoreLteMax(sc[i], r)) return scoreGteMin(sc[i], r) ? i : -1;
    }
    return -1;
  }

  private isInRange(r: ScoreRange): boolean {
    const sc = this.score;
    if (scoreRangeEmpty(r) || sc.length === 0) return false;
    return scoreGteMin(sc[sc.length - 1], r) && scoreLteMax(sc[0], r);
  }

  firstInLexRange(r: LexRange): number {
    const ele = this.ele;
    if (!this.isInLexRange(r)) return -1;
    for (let i = 0; i < ele.length; i++) {
      if (lexGteMin(ele[i], r)) return lexLteMax(ele[i], r) ? i : -1;
    }
    return -1;
  }

  lastInLexRange(r: LexRange): number {
    const ele = this.ele;
    if (!this.isInLexRange(r)) return -1;
    for (let i = ele.length - 1; i >= 0; i--) {
      if (lexLteMax(ele[i], r)) return lexGteMin(ele[i], r) ? i : -1;
    }
    return -1;
  }

  private isInLexRange(r: LexRange): boolean {
    const ele = this.ele;
    if (lexRangeEmpty(r) || ele.length === 0) return false;
    return lexGteMin(ele[ele.length - 1], r) && lexLteMax(ele[0], r);
  }

  /** From index `i`, skip `offset` pairs, then emit up to `limit` (negative: all) while `inRange`. */
  private walk(
    i: number,
    reverse: boolean,
    offset: number,
    limit: number,
    inRange: (k: number) => boolean,
    emit: Emit,
  ): number {
    const n = this.ele.length;
    const step = reverse ? -1 : 1;
    let count = 0;
    while (i >= 0 && i < n && offset-- !== 0) i += step;
    while (i >= 0 && i < n && limit-- !== 0) {
      if (!inRange(i)) break;
      emit(this.ele[i], this.score[i]);
      count++;
      i += step;
    }
    return count;
  }

  /** genericZrangebyscoreCommand's listpack walk. */
  rangeByScore(r: ScoreRange, offset: number, limit: number, reverse: boolean, emit: Emit): number {
    const sc = this.score;
    const start = reverse ? this.lastInRange(r) : this.firstInRange(r);
    const ok = reverse ? (k: number) => scoreGteMin(sc[k], r) : (k: number) => scoreLteMax(sc[k], r);
    return this.walk(start, reverse, offset, limit, ok, emit);
  }

  /** genericZrangebylexCommand's listpack walk. */
  rangeByLex(r: LexRange, offset: number, limit: number, reverse: boolean, emit: Emit): number {
    const ele = this.ele;
    const start = reverse ? this.lastInLexRange(r) : this.firstInLexRange(r);
    const ok = reverse ? (k: number) => lexGteMin(ele[k], r) : (k: number) => lexLteMax(ele[k], r);
    return this.walk(start, reverse, offset, limit, ok, emit);
  }

  /** ZCOUNT: from the first pair in range while the score is ≤ max. */
  countByScore(r: ScoreRange): number {
    const sc = this.score;
    const i = this.firstInRange(r);
    if (i < 0) return 0;
    let j = i;
    while (j < sc.length && scoreLteMax(sc[j], r)) j++;
    return j - i;
  }

  /** ZLEXCOUNT */
  countByLex(r: LexRange): number {
    const ele = this.ele;
    const i = this.firstInLexRange(r);
    if (i < 0) return 0;
    let j = i;
    while (j < ele.length && lexLteMax(ele[j], r)) j++;
    return j - i;
  }

  /** zzlDeleteRangeByScore */
  deleteRangeByScore(r: ScoreRange): number {
    const n = this.countByScore(r);
    if (n > 0) this.deleteAt(this.firstInRange(r), n);
    return n;
  }

  /** zzlDeleteRangeByLex */
  deleteRangeByLex(r: LexRange): number {
    const n = this.countByLex(r);
    if (n > 0) this.deleteAt(this.firstInLexRange(r), n);
    return n;
  }

  /** lpRandomPairsUnique: `count` distinct pairs in listpack order (selection sampling). */
  randomUnique(count: number, rand: (n: number) => number, emit: Emit): void {
    const n = this.ele.length;
    let need = count;
    for (let i = 0; i < n && need > 0; i++) {
      if (rand(n - i) < need) {
        emit(this.ele[i], this.score[i]);
        need--;
      }
    }
  }

  clone(): ZListpack {
    return new ZListpack(this.ele.slice(), this.score.slice());
  }
}
