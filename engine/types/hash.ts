// The hash type of Redis 7.0 (src/t_hash.c hashType*): a listpack of field, value, field, value...
// in insertion order (lookups scan it, O(N)) until it holds more than hash-max-listpack-entries
// pairs or a field/value longer than hash-max-listpack-value bytes, then a hashtable (Dict) for
// good. Updating a field keeps its place in the listpack; a new field is appended.

import type { CollectionValue } from '../keyspace/db';
import { Dict } from './dict';
import { listpackBytes } from './listpack';

/** The two thresholds, read from CONFIG at each write as Redis reads server.hash_max_listpack_*. */
export interface HashLimits {
  maxEntries: number;
  maxValue: number;
}

export type HashSnapshot =
  | { encoding: 'listpack'; bytes: number; entries: [string, string][] }
  | { encoding: 'hashtable'; size: number; buckets: number; entries: [string, string][] };

export class RedisHash implements CollectionValue {
  readonly type = 'hash';
  /** listpack encoding: [f0, v0, f1, v1, ...]. */
  private lp: string[] | null = [];
  private ht: Dict<string> | null = null;

  /** `seed` seeds the dict's hash function once the hash becomes a hashtable. */
  constructor(private readonly seed: number) {}

  /** A listpack hash of these [field, value, ...] pairs, distinct fields, the array kept as is (RDB load). */
  static fromListpack(seed: number, items: string[]): RedisHash {
    const h = new RedisHash(seed);
    h.lp = items;
    return h;
  }

  encoding(): 'listpack' | 'hashtable' {
    return this.lp !== null ? 'listpack' : 'hashtable';
  }

  get size(): number {
    return this.lp !== null ? this.lp.length / 2 : (this.ht as Dict<string>).size;
  }

  /** lpFind over the fields only (skip 1): the index of the field in the listpack, or -1. */
  private lpIndex(field: string): number {
    const lp = this.lp as string[];
    for (let i = 0; i < lp.length; i += 2) if (lp[i] === field) return i;
    return -1;
  }

  /** hashTypeConvertListpack(OBJ_ENCODING_HT) */
  convertToHashtable(): void {
    const lp = this.lp;
    if (lp === null) return;
    const d = new Dict<string>(this.seed);
    for (let i = 0; i < lp.length; i += 2) d.add(lp[i], lp[i + 1]);
    this.lp = null;
    this.ht = d;
  }

  /**
   * hashTypeTryConversion: convert before a write whose arguments (argv[start..end], fields and
   * values alike) include one longer than hash-max-listpack-value.
   */
  tryConversion(argv: readonly string[], start: number, end: number, maxValue: number): void {
    if (this.lp === null) return;
    for (let i = start; i <= end; i++) {
      if (argv[i].length > maxValue) {
        this.convertToHashtable();
        return;
      }
    }
    // LAB: lpSafeToAdd's 1GB listpack size limit is not modelled.
  }

  /** hashTypeGetValue: the value of a field, undefined when absent. */
  get(field: string): string | undefined {
    if (this.lp !== null) {
      const i = this.lpIndex(field);
      return i === -1 ? undefined : this.lp[i + 1];
    }
    return (this.ht as Dict<string>).get(field);
  }

  has(field: string): boolean {
    return this.get(field) !== undefined;
  }

  /** hashTypeSet: insert or update; true when an existing field was updated (0 on insert in C). */
  set(field: string, value: string, limits: HashLimits): boolean {
    if (this.lp !== null && (field.length > limits.maxValue || value.length > limits.maxValue)) {
      this.convertToHashtable();
    }
    const lp = this.lp;
    if (lp !== null) {
      const i = this.lpIndex(field);
      if (i !== -1) {
        lp[i + 1] = value;
        return true;
      }
      lp.push(field, value);
      if (lp.length / 2 > limits.maxEntries) this.convertToHashtable();
      return false;
    }
    const ht = this.ht as Dict<string>;
    const e = ht.getEntry(field);
    if (e !== undefined) {
      e.val = value;
      return true;
    }
    ht.add(field, value);
    return false;
  }

  /** hashTypeDelete: true when the field existed. */
  delete(field: string): boolean {
    const lp = this.lp;
    if (lp !== null) {
      const i = this.lpIndex(field);
      if (i === -1) return false;
      lp.splice(i, 2);
      return true;
    }
    return (this.ht as Dict<string>).delete(field) !== undefined;
  }

  /** lpBytes of the listpack encoding (undefined for a hashtable). */
  listpackBytes(): number | undefined {
    return this.lp === null ? undefined : listpackBytes(this.lp);
  }

  /** The hashtable's bucket count (dictSlots; undefined for a listpack). */
  get buckets(): number | undefined {
    return this.ht?.buckets;
  }

  /** hashTypeNext: [field, value] pairs, listpack order or bucket order. */
  *entries(): IterableIterator<[string, string]> {
    const lp = this.lp;
    if (lp !== null) {
      for (let i = 0; i < lp.length; i += 2) yield [lp[i], lp[i + 1]];
    } else {
      for (const e of (this.ht as Dict<string>).entries()) yield [e.key, e.val];
    }
  }

  /** hashTypeNext without a tuple per pair: every field and value, in the encoding's order (RDB saving). */
  forEach(fn: (field: string, value: string) => void): void {
    const lp = this.lp;
    if (lp !== null) {
      for (let i = 0; i < lp.length; i += 2) fn(lp[i], lp[i + 1]);
      return;
    }
    (this.ht as Dict<string>).forEach((e) => {
      fn(e.key, e.val);
    });
  }

  /** The i-th pair of a listpack hash (lpSeek); only meaningful for the listpack encoding. */
  pairAt(i: number): [string, string] {
    const lp = this.lp as string[];
    return [lp[2 * i], lp[2 * i + 1]];
  }

  /** hashTypeRandomElement: lpRandomPair (rand() % size) or dictGetFairRandomKey. */
  random(rand: (n: number) => number): [string, string] {
    if (this.lp !== null) return this.pairAt(rand(this.lp.length / 2));
    const e = (this.ht as Dict<string>).randomEntry(rand);
    const entry = e as { key: string; val: string };
    return [entry.key, entry.val];
  }

  /** One dictScan step over a hashtable hash; undefined for a listpack (HSCAN returns it whole). */
  scanStep(cursor: number, visit: (field: string, value: string) => void): number | undefined {
    if (this.ht === null) return undefined;
    return this.ht.scan(cursor, (e) => visit(e.key, e.val));
  }

  /** hashTypeDup: a copy with the same encoding (COPY). */
  dup(): RedisHash {
    const copy = new RedisHash(this.seed);
    if (this.lp !== null) {
      copy.lp = this.lp.slice();
    } else {
      copy.lp = null;
      copy.ht = new Dict<string>(this.seed);
      for (const [f, v] of this.entries()) copy.ht.add(f, v);
    }
    return copy;
  }

  /** The structure for the lab's panels. */
  describe(): HashSnapshot {
    const entries = [...this.entries()];
    if (this.lp !== null) return { encoding: 'listpack', bytes: listpackBytes(this.lp), entries };
    const ht = this.ht as Dict<string>;
    return { encoding: 'hashtable', size: ht.size, buckets: ht.buckets, entries };
  }
}
