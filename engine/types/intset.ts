// Redis's intset (src/intset.c): the small-set encoding for sets of integers. Members are kept
// sorted and distinct at one width for all (int16, int32 or int64); adding a value that needs a wider
// width upgrades the whole array (never downgraded). Lookups are binary searches; inserts and
// deletes move the tail (O(N)), as memmove does in C.

/** A member: a number when it is a safe integer, a bigint only beyond ±2^53 (so === compares). */
export type IntsetValue = number | bigint;

/** Bytes per member: INTSET_ENC_INT16 / INT32 / INT64. */
export type IntsetEncoding = 2 | 4 | 8;

/** What the panels draw: the header fields and the members in memory order. */
export interface IntsetSnapshot {
  encoding: 'int16' | 'int32' | 'int64';
  length: number;
  /** intsetBlobLen: 8 header bytes + length × width. */
  bytes: number;
  values: string[];
}

/** _intsetValueEncoding: the narrowest width that holds v. */
export function valueEncoding(v: IntsetValue): IntsetEncoding {
  if (typeof v === 'bigint') return 8;
  if (v < -2147483648 || v > 2147483647) return 8;
  if (v < -32768 || v > 32767) return 4;
  return 2;
}

export class Intset {
  private enc: IntsetEncoding = 2;

  /** `data`: the contents array, ascending (kept as given). */
  constructor(private readonly data: IntsetValue[] = []) {}

  /**
   * An intset of these members, ascending and distinct, at `width` (RDB load keeps the stored width):
   * a copy of exactly their length (no spare capacity kept for a million small sets).
   */
  static fromSorted(values: readonly IntsetValue[], width: IntsetEncoding): Intset {
    const is = new Intset(values.slice());
    is.enc = width;
    return is;
  }

  get length(): number {
    return this.data.length;
  }

  get encoding(): IntsetEncoding {
    return this.enc;
  }

  /**
   * intsetSearch: the position of v, or where it would be inserted. The first/last checks make
   * appends and prepends O(1), as in C.
   */
  private search(v: IntsetValue): { found: boolean; pos: number } {
    const d = this.data;
    const n = d.length;
    if (n === 0) return { found: false, pos: 0 };
    if (v > d[n - 1]) return { found: false, pos: n };
    if (v < d[0]) return { found: false, pos: 0 };
    let min = 0;
    let max = n - 1;
    while (max >= min) {
      const mid = (min + max) >>> 1;
      const cur = d[mid];
      if (v > cur) min = mid + 1;
      else if (v < cur) max = mid - 1;
      else return { found: true, pos: mid };
    }
    return { found: false, pos: min };
  }

  has(v: IntsetValue): boolean {
    // A value wider than the current encoding cannot be a member (intsetFind's first check).
    return valueEncoding(v) <= this.enc && this.search(v).found;
  }

  /** intsetAdd: true when added, false when already present. */
  add(v: IntsetValue): boolean {
    const need = valueEncoding(v);
    if (need > this.enc) {
      // intsetUpgradeAndAdd: a wider value is below or above every current member.
      this.enc = need;
      if (v < 0) this.data.unshift(v);
      else this.data.push(v);
      return true;
    }
    const { found, pos } = this.search(v);
    if (found) return false;
    this.data.splice(pos, 0, v);
    return true;
  }

  /** intsetRemove: true when v was a member. */
  remove(v: IntsetValue): boolean {
    if (valueEncoding(v) > this.enc) return false;
    const { found, pos } = this.search(v);
    if (!found) return false;
    this.data.splice(pos, 1);
    return true;
  }

  /** intsetGet: the member at position i (0-based, ascending). */
  get(i: number): IntsetValue {
    return this.data[i];
  }

  /** intsetRandom: a uniformly chosen member (rand() % length). */
  random(rand: (n: number) => number): IntsetValue {
    return this.data[rand(this.data.length)];
  }

  values(): IterableIterator<IntsetValue> {
    return this.data.values();
  }

  /** intsetBlobLen */
  bytes(): number {
    return 8 + this.data.length * this.enc;
  }

  /** An independent copy with the same width (setTypeDup memcpy's the blob). */
  clone(): Intset {
    const copy = new Intset();
    copy.enc = this.enc;
    for (const v of this.data) copy.data.push(v);
    return copy;
  }

  describe(): IntsetSnapshot {
    return {
      encoding: this.enc === 2 ? 'int16' : this.enc === 4 ? 'int32' : 'int64',
      length: this.data.length,
      bytes: this.bytes(),
      values: this.data.map(String),
    };
  }
}
