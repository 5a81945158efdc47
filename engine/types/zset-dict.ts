// The sorted set's dict (member → score and skip-list entry), Redis's `zset->dict` (src/dict.c): as in Redis,
// `buckets` is a power of two that doubles when the size passes it and shrinks under 10% fill, and
// ZSCAN walks buckets with the reverse-binary cursor (dictScan), keeping its guarantee across resizes.
// LAB: open addressing (linear probing) on one typed array, twice `buckets` slots of 32 bytes: the
// owner's id for the member (the skip list's member id), the member's hash, the score (as Redis's
// dict entry points at the node's score) and members of up to 15 bytes inline, so ZSCORE costs one
// cache line at 1M members; see SLOT_WORDS. The member strings themselves stay with the owner (the
// skip list holds them by id, as Redis's dict entry and skip-list node share one sds): the dict asks
// `memberOf(id)` for them.

import { hashFinish, hashString, reverseBits32 } from './dict';

const MIN_BUCKETS = 4;
/**
 * A slot, in 32-bit words: [0] id + 1 (0: empty), [1] the member's hash, [2..3] the score (a
 * float64 read through the Float64Array view), [4..7] the member: its length in the low byte then
 * its bytes, when it has at most INLINE_MAX bytes; else LONG in word 4 (the string is compared
 * through `memberOf`). Comparing inline words needs no pointer chase to the member string.
 */
const SLOT_WORDS = 8;
const SLOT_SHIFT = 3;
const HASH = 1;
const SCORE = 2;
const PACK = 4;
const INLINE_MAX = 15;
const LONG = 0xff;

export class ZsetDict {
  size = 0;
  /** Redis's bucket count (what the panels and MEMORY USAGE show, and SCAN's cursor space). */
  buckets = MIN_BUCKETS;
  private slots = new Int32Array(2 * MIN_BUCKETS * SLOT_WORDS);
  private scores = new Float64Array(this.slots.buffer);
  private mask = 2 * MIN_BUCKETS - 1;
  /** The last key hashed by find(), its hash, its packed words, and the empty slot its probe ended on. */
  private readonly pk = new Int32Array(4);
  private lastKey: string | null = null;
  private lastHash = 0;
  private lastEmpty = -1;

  /**
   * @param memberOf the member string with this id: the owner keeps it from before add() until
   *   after the entry is deleted (iteration, SCAN and long-member comparisons read it).
   */
  constructor(
    private readonly seed: number,
    private readonly memberOf: (id: number) => string,
  ) {}

  /**
   * hashString (dict.ts: FNV-1a then murmur3's finaliser; the same hash, so SCAN orders stay as they
   * were) computed together with the key's packed words (this.pk).
   */
  private hash(key: string): number {
    const pk = this.pk;
    const len = key.length;
    if (len <= INLINE_MAX) {
      let h = (0x811c9dc5 ^ this.seed) >>> 0;
      // Four bytes at a time into a word (the length byte first), hashing each byte on the way.
      let word = len;
      let shift = 8;
      let k = 0;
      for (let i = 0; i < len; i++) {
        const c = key.charCodeAt(i);
        h = Math.imul(h ^ c, 0x01000193);
        word |= c << shift;
        shift += 8;
        if (shift === 32) {
          pk[k++] = word;
          word = 0;
          shift = 0;
        }
      }
      if (k < 4) pk[k++] = word; // (a 15-byte member filled all four)
      while (k < 4) pk[k++] = 0;
      return hashFinish(h);
    }
    pk[0] = LONG;
    return hashString(key, this.seed) | 0;
  }

  /** The slot holding `key`, or -1 (then a following addFound() places it without hashing again). */
  find(key: string): number {
    const h = this.hash(key);
    const pk = this.pk;
    const p0 = pk[0];
    const s = this.slots;
    const mask = this.mask;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const b = i << SLOT_SHIFT;
      if (s[b] === 0) {
        this.lastKey = key;
        this.lastHash = h;
        this.lastEmpty = i;
        return -1;
      }
      if (s[b + HASH] === h && s[b + PACK] === p0) {
        if (
          p0 === LONG ? this.memberOf(s[b] - 1) === key : s[b + 5] === pk[1] && s[b + 6] === pk[2] && s[b + 7] === pk[3]
        ) {
          return i;
        }
      }
    }
  }

  idAt(slot: number): number {
    return this.slots[slot << SLOT_SHIFT] - 1;
  }

  scoreAt(slot: number): number {
    return this.scores[((slot << SLOT_SHIFT) + SCORE) >> 1];
  }

  keyAt(slot: number): string {
    return this.memberOf(this.slots[slot << SLOT_SHIFT] - 1);
  }

  /** The member at `slot` now has this id and score (ZADD changed its score). */
  setAt(slot: number, id: number, score: number): void {
    this.slots[slot << SLOT_SHIFT] = id + 1;
    this.scores[((slot << SLOT_SHIFT) + SCORE) >> 1] = score;
  }

  /** Every member, in table order (dict iteration order, as SORT loads a skiplist zset). */
  *keys(): IterableIterator<string> {
    const n = this.slots.length >> SLOT_SHIFT;
    for (let i = 0; i < n; i++) if (this.slots[i << SLOT_SHIFT] !== 0) yield this.keyAt(i);
  }

  get(key: string): number | undefined {
    const i = this.find(key);
    return i < 0 ? undefined : this.idAt(i);
  }

  has(key: string): boolean {
    return this.find(key) >= 0;
  }

  /** Add a member known to be absent. */
  add(key: string, id: number, score: number): void {
    if (this.find(key) >= 0) throw new Error('ZsetDict.add: member present');
    this.addFound(key, id, score);
  }

  /** Add `key` that the last find() looked for and did not find (nothing was added or removed since). */
  addFound(key: string, id: number, score: number): void {
    if (this.lastKey !== key) {
      this.add(key, id, score);
      return;
    }
    this.lastKey = null;
    const i = this.lastEmpty;
    const b = i << SLOT_SHIFT;
    const s = this.slots;
    const pk = this.pk;
    s[b] = id + 1;
    s[b + HASH] = this.lastHash;
    this.scores[(b + SCORE) >> 1] = score;
    s[b + PACK] = pk[0];
    s[b + 5] = pk[1];
    s[b + 6] = pk[2];
    s[b + 7] = pk[3];
    this.size++;
    if (this.size > this.buckets) this.resize(this.buckets * 2);
  }

  /** Remove `key`; returns its id, or undefined when absent. */
  delete(key: string): number | undefined {
    const i = this.find(key);
    if (i < 0) return undefined;
    const id = this.idAt(i);
    this.deleteAt(i);
    return id;
  }

  /** Remove the entry at `slot` (from find()). */
  deleteAt(slot: number): void {
    this.lastKey = null;
    let i = slot;
    // Backward-shift deletion: pull later entries of the probe run into the hole.
    const s = this.slots;
    const mask = this.mask;
    for (let j = (i + 1) & mask; s[j << SLOT_SHIFT] !== 0; j = (j + 1) & mask) {
      const home = s[(j << SLOT_SHIFT) + HASH] & mask;
      // The entry at j may move to i unless its home lies cyclically in (i, j].
      if (i <= j ? home > i && home <= j : home > i || home <= j) continue;
      s.copyWithin(i << SLOT_SHIFT, j << SLOT_SHIFT, (j + 1) << SLOT_SHIFT);
      i = j;
    }
    s[i << SLOT_SHIFT] = 0;
    this.size--;
    // Redis shrinks when the fill drops under 10% (htNeedsResize).
    if (this.buckets > MIN_BUCKETS && this.size * 10 < this.buckets) this.resize(this.size);
  }

  private resize(minBuckets: number): void {
    let n = MIN_BUCKETS;
    while (n < minBuckets) n *= 2;
    if (n === this.buckets) return;
    this.lastKey = null;
    const old = this.slots;
    const oldSlots = old.length >> SLOT_SHIFT;
    this.buckets = n;
    const mask = 2 * n - 1;
    this.mask = mask;
    const s = new Int32Array(2 * n * SLOT_WORDS);
    this.slots = s;
    this.scores = new Float64Array(s.buffer);
    for (let o = 0; o < oldSlots; o++) {
      const ob = o << SLOT_SHIFT;
      if (old[ob] === 0) continue;
      let i = old[ob + HASH] & mask;
      while (s[i << SLOT_SHIFT] !== 0) i = (i + 1) & mask;
      const b = i << SLOT_SHIFT;
      for (let k = 0; k < SLOT_WORDS; k++) s[b + k] = old[ob + k];
    }
  }

  /** Visit the entries of bucket `b` (hash & (buckets - 1) === b): those whose home slot is b or b + buckets. */
  private forBucket(b: number, visit: (slot: number) => void): void {
    const s = this.slots;
    const mask = this.mask;
    for (const home of [b, b + this.buckets]) {
      for (let i = home; s[i << SLOT_SHIFT] !== 0; i = (i + 1) & mask) {
        if ((s[(i << SLOT_SHIFT) + HASH] & mask) === home) visit(i);
      }
    }
  }

  /**
   * One SCAN step (dictScan): visit every entry of the bucket at `cursor`, return the next cursor
   * (0 when the iteration is complete). Entries present for the whole scan are visited at least once.
   */
  scan(cursor: number, visit: (key: string, id: number, score: number) => void): number {
    if (this.size === 0) return 0;
    const bmask = this.buckets - 1;
    this.forBucket(cursor & bmask, (i) => visit(this.keyAt(i), this.idAt(i), this.scoreAt(i)));
    // Increment the reversed cursor: set the unmasked high bits, reverse, add one, reverse back.
    let v = (cursor | ~bmask) >>> 0;
    v = reverseBits32(v);
    v = (v + 1) >>> 0;
    return reverseBits32(v);
  }

  /** A random entry's slot (dictGetFairRandomKey's spirit: random non-empty bucket, then a random entry of it); -1 when empty. */
  randomSlot(rand: (n: number) => number): number {
    if (this.size === 0) return -1;
    const found: number[] = [];
    while (found.length === 0) this.forBucket(rand(this.buckets), (i) => found.push(i));
    return found[rand(found.length)];
  }
}
