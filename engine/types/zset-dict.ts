// The sorted set's dict (member → skip-list node), Redis's `zset->dict` (src/dict.c): as in Redis,
// `buckets` is a power of two that doubles when the size passes it and shrinks under 10% fill, and
// ZSCAN walks buckets with the reverse-binary cursor (dictScan), keeping its guarantee across resizes.
// LAB: open addressing (linear probing) on typed arrays, twice `buckets` slots, each holding the
// node and the member's hash, members in a parallel array: no object per entry, about two cache
// misses per lookup at 1M members, and resizes rehash from the stored hashes.

import { hashString, reverseBits32 } from './dict';
import type { ZslNode } from './skiplist';

const MIN_BUCKETS = 4;
const EMPTY = -1;

export class ZsetDict {
  size = 0;
  /** Redis's bucket count (what the panels and MEMORY USAGE show, and SCAN's cursor space). */
  buckets = MIN_BUCKETS;
  /** slots[2i] = node (EMPTY when free), slots[2i + 1] = the member's hash; 2 × buckets slots. */
  private slots = new Int32Array(4 * MIN_BUCKETS).fill(EMPTY);
  private members: string[] = new Array<string>(2 * MIN_BUCKETS).fill('');
  private mask = 2 * MIN_BUCKETS - 1;

  constructor(private readonly seed: number) {}

  /** The slot holding `key`, or -1. */
  find(key: string): number {
    const h = hashString(key, this.seed) | 0;
    const slots = this.slots;
    const mask = this.mask;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const n = slots[2 * i];
      if (n === EMPTY) return -1;
      if (slots[2 * i + 1] === h && this.members[i] === key) return i;
    }
  }

  nodeAt(slot: number): ZslNode {
    return this.slots[2 * slot];
  }

  setNodeAt(slot: number, node: ZslNode): void {
    this.slots[2 * slot] = node;
  }

  /** Every member, in table order (dict iteration order, as SORT loads a skiplist zset). */
  *keys(): IterableIterator<string> {
    for (let i = 0; i < this.members.length; i++) if (this.slots[2 * i] !== EMPTY) yield this.members[i];
  }

  /** Every node id through `moved` (the skip list laid its pool out again). */
  remap(moved: (n: ZslNode) => ZslNode): void {
    const slots = this.slots;
    for (let i = 0; i < slots.length; i += 2) if (slots[i] !== EMPTY) slots[i] = moved(slots[i]);
  }

  get(key: string): ZslNode | undefined {
    const i = this.find(key);
    return i < 0 ? undefined : this.slots[2 * i];
  }

  has(key: string): boolean {
    return this.find(key) >= 0;
  }

  /** Add a member known to be absent. */
  add(key: string, node: ZslNode): void {
    this.place(hashString(key, this.seed) | 0, key, node);
    this.size++;
    if (this.size > this.buckets) this.resize(this.buckets * 2);
  }

  private place(h: number, key: string, node: ZslNode): void {
    const slots = this.slots;
    const mask = this.mask;
    let i = h & mask;
    while (slots[2 * i] !== EMPTY) i = (i + 1) & mask;
    slots[2 * i] = node;
    slots[2 * i + 1] = h;
    this.members[i] = key;
  }

  /** Remove `key`; returns its node, or undefined when absent. */
  delete(key: string): ZslNode | undefined {
    let i = this.find(key);
    if (i < 0) return undefined;
    const node = this.slots[2 * i];
    // Backward-shift deletion: pull later entries of the probe run into the hole.
    const slots = this.slots;
    const members = this.members;
    const mask = this.mask;
    for (let j = (i + 1) & mask; slots[2 * j] !== EMPTY; j = (j + 1) & mask) {
      const home = slots[2 * j + 1] & mask;
      // The entry at j may move to i unless its home lies cyclically in (i, j].
      if (i <= j ? home > i && home <= j : home > i || home <= j) continue;
      slots[2 * i] = slots[2 * j];
      slots[2 * i + 1] = slots[2 * j + 1];
      members[i] = members[j];
      i = j;
    }
    slots[2 * i] = EMPTY;
    members[i] = '';
    this.size--;
    // Redis shrinks when the fill drops under 10% (htNeedsResize).
    if (this.buckets > MIN_BUCKETS && this.size * 10 < this.buckets) this.resize(this.size);
    return node;
  }

  private resize(minBuckets: number): void {
    let n = MIN_BUCKETS;
    while (n < minBuckets) n *= 2;
    if (n === this.buckets) return;
    const oldSlots = this.slots;
    const oldKeys = this.members;
    this.buckets = n;
    this.mask = 2 * n - 1;
    this.slots = new Int32Array(4 * n).fill(EMPTY);
    this.members = new Array<string>(2 * n).fill('');
    for (let i = 0; i < oldKeys.length; i++) {
      const node = oldSlots[2 * i];
      if (node !== EMPTY) this.place(oldSlots[2 * i + 1], oldKeys[i], node);
    }
  }

  /** Visit the entries of bucket `b` (hash & (buckets - 1) === b): those whose home slot is b or b + buckets. */
  private forBucket(b: number, visit: (key: string, node: ZslNode) => void): void {
    const slots = this.slots;
    const mask = this.mask;
    for (const home of [b, b + this.buckets]) {
      for (let i = home; slots[2 * i] !== EMPTY; i = (i + 1) & mask) {
        if ((slots[2 * i + 1] & mask) === home) visit(this.members[i], slots[2 * i]);
      }
    }
  }

  /**
   * One SCAN step (dictScan): visit every entry of the bucket at `cursor`, return the next cursor
   * (0 when the iteration is complete). Entries present for the whole scan are visited at least once.
   */
  scan(cursor: number, visit: (key: string, node: ZslNode) => void): number {
    if (this.size === 0) return 0;
    const bmask = this.buckets - 1;
    this.forBucket(cursor & bmask, visit);
    // Increment the reversed cursor: set the unmasked high bits, reverse, add one, reverse back.
    let v = (cursor | ~bmask) >>> 0;
    v = reverseBits32(v);
    v = (v + 1) >>> 0;
    return reverseBits32(v);
  }

  /** A random entry (dictGetFairRandomKey's spirit: random non-empty bucket, then a random entry of it). */
  randomEntry(rand: (n: number) => number): [string, ZslNode] | undefined {
    if (this.size === 0) return undefined;
    const found: [string, ZslNode][] = [];
    while (found.length === 0) this.forBucket(rand(this.buckets), (k, n) => found.push([k, n]));
    return found[rand(found.length)];
  }
}
