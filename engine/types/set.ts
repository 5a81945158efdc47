// The set type of Redis 7.0 (src/t_set.c setType*): an intset while every member is an integer and
// there are at most set-max-intset-entries of them, otherwise a hashtable (Dict with no values).
// The conversion is one way: adding a non-integer member or one member too many converts for good.
// (7.0 has no listpack encoding for sets.)

import type { CollectionValue } from '../keyspace/db';
import { parseLongLong } from '../commands/args';
import { Dict } from './dict';
import { Intset, type IntsetSnapshot } from './intset';

/** Intset internals cap the threshold at 2^30 entries (setTypeAdd). */
const INTSET_HARD_MAX = 1 << 30;

export type SetSnapshot =
  | { encoding: 'intset'; intset: IntsetSnapshot }
  | { encoding: 'hashtable'; size: number; buckets: number; members: string[] };

export class RedisSet implements CollectionValue {
  readonly type = 'set';
  private is: Intset | null;
  private ht: Dict<null> | null;

  /** An empty set, intset-encoded unless `hashtable`; `seed` seeds its dict's hash function. */
  constructor(
    private readonly seed: number,
    hashtable = false,
    intset: Intset | null = null,
  ) {
    this.is = hashtable ? null : (intset ?? new Intset());
    this.ht = hashtable ? new Dict<null>(seed) : null;
  }

  /** An intset-encoded set holding `is` (RDB load). */
  static fromIntset(seed: number, is: Intset): RedisSet {
    return new RedisSet(seed, false, is);
  }

  /** setTypeCreate: the encoding a new key gets from its first member. */
  static forFirstMember(seed: number, member: string): RedisSet {
    return new RedisSet(seed, parseLongLong(member) === null);
  }

  encoding(): 'intset' | 'hashtable' {
    return this.is !== null ? 'intset' : 'hashtable';
  }

  get size(): number {
    return this.is !== null ? this.is.length : (this.ht as Dict<null>).size;
  }

  /** setTypeConvert(OBJ_ENCODING_HT): every integer becomes its decimal string. */
  convertToHashtable(): void {
    const is = this.is;
    if (is === null) return;
    const d = new Dict<null>(this.seed);
    for (const v of is.values()) d.add(String(v), null);
    this.is = null;
    this.ht = d;
  }

  /** setTypeAdd: true when the member was added. `maxIntset` is set-max-intset-entries. */
  add(member: string, maxIntset: number): boolean {
    const is = this.is;
    if (is !== null) {
      const n = parseLongLong(member);
      if (n !== null) {
        if (!is.add(n)) return false;
        if (is.length > Math.min(maxIntset, INTSET_HARD_MAX)) this.convertToHashtable();
        return true;
      }
      this.convertToHashtable();
    }
    const ht = this.ht as Dict<null>;
    if (ht.has(member)) return false;
    ht.add(member, null);
    return true;
  }

  /** setTypeRemove: true when the member was there. */
  remove(member: string): boolean {
    if (this.is !== null) {
      const n = parseLongLong(member);
      return n !== null && this.is.remove(n);
    }
    return (this.ht as Dict<null>).delete(member) !== undefined;
  }

  /** setTypeIsMember */
  has(member: string): boolean {
    if (this.is !== null) {
      const n = parseLongLong(member);
      return n !== null && this.is.has(n);
    }
    return (this.ht as Dict<null>).has(member);
  }

  /** setTypeRandomElement: intsetRandom or dictGetFairRandomKey. */
  random(rand: (n: number) => number): string {
    if (this.is !== null) return String(this.is.random(rand));
    const e = (this.ht as Dict<null>).randomEntry(rand);
    return (e as { key: string }).key;
  }

  /** intsetBlobLen of the intset encoding (undefined for a hashtable). */
  intsetBytes(): number | undefined {
    return this.is?.bytes();
  }

  /** The intset itself (undefined for a hashtable), read without strings by RDB saving. */
  intset(): Intset | undefined {
    return this.is ?? undefined;
  }

  /** setTypeNext without an iterator: every member, in the encoding's order (RDB saving). */
  forEachMember(fn: (member: string) => void): void {
    if (this.is !== null) {
      const is = this.is;
      for (let i = 0; i < is.length; i++) fn(String(is.get(i)));
      return;
    }
    (this.ht as Dict<null>).forEach((e) => {
      fn(e.key);
    });
  }

  /** The hashtable's bucket count (dictSlots; undefined for an intset). */
  get buckets(): number | undefined {
    return this.ht?.buckets;
  }

  /** setTypeNext: members in the encoding's order (ascending for an intset, bucket order otherwise). */
  *members(): IterableIterator<string> {
    if (this.is !== null) {
      for (const v of this.is.values()) yield String(v);
    } else {
      yield* (this.ht as Dict<null>).keys();
    }
  }

  /** One dictScan step over a hashtable set; undefined for an intset (SSCAN returns it whole). */
  scanStep(cursor: number, visit: (member: string) => void): number | undefined {
    if (this.ht === null) return undefined;
    return this.ht.scan(cursor, (e) => visit(e.key));
  }

  /** setTypeDup: a copy with the same encoding (COPY). */
  dup(): RedisSet {
    const copy = new RedisSet(this.seed, this.is === null);
    if (this.is !== null) copy.is = this.is.clone();
    else for (const m of this.members()) (copy.ht as Dict<null>).add(m, null);
    return copy;
  }

  /** The structure for the lab's panels. */
  describe(): SetSnapshot {
    if (this.is !== null) return { encoding: 'intset', intset: this.is.describe() };
    const ht = this.ht as Dict<null>;
    return { encoding: 'hashtable', size: ht.size, buckets: ht.buckets, members: [...ht.keys()] };
  }
}
