// Redis's dict (src/dict.c): a power-of-two bucket table with chaining, so SCAN can use the
// reverse-binary cursor that keeps its guarantee across inserts, deletes and resizes.
// Differences: one table, rehashed at once when it grows or shrinks (// LAB: no incremental rehash;
// the cursor algorithm is the same and stays valid across the resize).

export class DictEntry<V> {
  /** Keyspace entries: the bytes keyspace/memory.ts last counted for this key in used_memory (0: not counted). */
  mem = 0;

  constructor(
    public key: string,
    public val: V,
    public next: DictEntry<V> | null,
    /** Free slot for the owner: the keyspace keeps the LRU/LFU clock and encoding flags here. */
    public meta: number,
  ) {}
}

const MIN_SIZE = 4;

/** FNV-1a over the bytes of a binary string, then murmur3's finaliser for good low bits. */
export function hashString(key: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < key.length; i++) {
    h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  }
  return hashFinish(h) >>> 0;
}

/** murmur3's 32-bit finaliser (fmix32), as a signed int: hashString's last step. */
export function hashFinish(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

export function reverseBits32(v: number): number {
  v = ((v >>> 1) & 0x55555555) | ((v & 0x55555555) << 1);
  v = ((v >>> 2) & 0x33333333) | ((v & 0x33333333) << 2);
  v = ((v >>> 4) & 0x0f0f0f0f) | ((v & 0x0f0f0f0f) << 4);
  v = ((v >>> 8) & 0x00ff00ff) | ((v & 0x00ff00ff) << 8);
  return ((v >>> 16) | (v << 16)) >>> 0;
}

/** The sum forEachBatched's touches feed (stored, so the compiler keeps the loads). */
export let batchTouched = 0;

/** The queued adds of a bulk load (Dict.bulkStart .. bulkEnd): entries in add order, their hashes. */
class BulkQueue<V> {
  entries: DictEntry<V>[];
  hashes: Int32Array;
  count = 0;
  /** Adds queued since bulkStart before the first entry here (earlier flushes). */
  base = 0;
  /** The add index of the first add that found its key present (-1 none), and its key. */
  dup = -1;
  dupKey = '';

  constructor(n: number) {
    this.entries = new Array(n);
    this.hashes = new Int32Array(n);
  }

  grow(): void {
    const hashes = new Int32Array(this.hashes.length * 2);
    hashes.set(this.hashes);
    this.hashes = hashes;
    this.entries.length = hashes.length;
  }
}

/**
 * The index of the first queued key that repeats an earlier queued one (n when none): the (hash,
 * index) pairs radix-sorted on the hash (three passes of 11 bits, each a sequential read and writes
 * to 2048 runs: no cache miss per key), then the keys compared only where two hashes are equal.
 */
function bulkFirstRepeat<V>(bulk: BulkQueue<V>): number {
  const q = bulk.entries;
  const n = bulk.count;
  let keys: Int32Array = bulk.hashes;
  let idx: Int32Array | null = null;
  let outKeys: Int32Array = new Int32Array(n);
  let outIdx: Int32Array = new Int32Array(n);
  const count = new Int32Array(2048);
  for (let shift = 0; shift < 32; shift += 11) {
    count.fill(0);
    for (let i = 0; i < n; i++) count[(keys[i] >>> shift) & 2047]++;
    let at = 0;
    for (let d = 0; d < 2048; d++) {
      const c = count[d];
      count[d] = at;
      at += c;
    }
    for (let i = 0; i < n; i++) {
      const k = keys[i];
      const to = count[(k >>> shift) & 2047]++;
      outKeys[to] = k;
      outIdx[to] = idx === null ? i : idx[i];
    }
    const k = keys === bulk.hashes ? new Int32Array(n) : keys;
    keys = outKeys;
    outKeys = k;
    const ix = idx ?? new Int32Array(n);
    idx = outIdx;
    outIdx = ix;
  }
  const order = idx as Int32Array;
  // Stable: within a run of equal hashes the add order is kept, so a repeat comes after its first.
  let dup = n;
  for (let j = 1; j < n; j++) {
    if (keys[j] !== keys[j - 1]) continue;
    let s = j - 1;
    while (s > 0 && keys[s - 1] === keys[j]) s--;
    for (let y = s; y < j; y++) {
      if (q[order[y]].key === q[order[j]].key) {
        if (order[j] < dup) dup = order[j];
        break;
      }
    }
  }
  return dup;
}

export class Dict<V> {
  private table: (DictEntry<V> | null)[] = new Array(MIN_SIZE).fill(null);
  private mask = MIN_SIZE - 1;
  size = 0;
  /**
   * The last key found and its entry: a command usually looks its key up several times (expiry,
   * lookup, write, flags), and this spares the hashing. Misses are not kept; a delete forgets it.
   */
  private lastKey: string | null = null;
  private lastEntry: DictEntry<V> | null = null;

  constructor(private readonly seed = 0x5bd1e995) {}

  /** Number of buckets (for the panels and SCAN's cursor space). */
  get buckets(): number {
    return this.table.length;
  }

  getEntry(key: string): DictEntry<V> | undefined {
    if (key === this.lastKey) return this.lastEntry as DictEntry<V>;
    let e = this.table[hashString(key, this.seed) & this.mask];
    while (e !== null) {
      if (e.key === key) {
        this.lastKey = key;
        this.lastEntry = e;
        return e;
      }
      e = e.next;
    }
    return undefined;
  }

  get(key: string): V | undefined {
    return this.getEntry(key)?.val;
  }

  has(key: string): boolean {
    return this.getEntry(key) !== undefined;
  }

  /** Insert or overwrite; returns the entry. */
  set(key: string, val: V, meta = 0): DictEntry<V> {
    const idx = hashString(key, this.seed) & this.mask;
    for (let e = this.table[idx]; e !== null; e = e.next) {
      if (e.key === key) {
        e.val = val;
        return e;
      }
    }
    const entry = new DictEntry(key, val, this.table[idx], meta);
    this.table[idx] = entry;
    this.size++;
    if (this.size > this.table.length) this.resize(this.table.length * 2);
    return entry;
  }

  /**
   * Add a key unless it is present, in one probe (the RDB loader's dbAddRDBLoad): the new entry, or
   * null when the key exists (nothing changed).
   */
  addIfAbsent(key: string, val: V, meta = 0): DictEntry<V> | null {
    const idx = hashString(key, this.seed) & this.mask;
    const head = this.table[idx];
    for (let e = head; e !== null; e = e.next) if (e.key === key) return null;
    const entry = new DictEntry(key, val, head, meta);
    this.table[idx] = entry;
    this.size++;
    if (this.size > this.table.length) this.resize(this.table.length * 2);
    return entry;
  }

  // ---- bulk adds (the RDB loader) ---------------------------------------------------------------
  // A million adds in file order each compare against the keys already chained in a random bucket:
  // cache misses on the entry, the key and its bytes, ~300 ns an add. Queued instead (the hash taken
  // while the key's bytes are fresh), they are checked for repeats on their sorted hashes, then
  // linked in add order: the table sequential adds build (each chain in reverse add order), with a
  // resize at the same point.

  /** The queued adds of a bulk load, null otherwise. */
  private bulk: BulkQueue<V> | null = null;

  /** Start queueing adds (bulkAdd) until bulkEnd; the keys are not visible until then. */
  bulkStart(): void {
    this.bulk = new BulkQueue<V>(Math.max(16, this.table.length - this.size + 1));
  }

  /**
   * add(), queued: false when a flush this add caused (the table had to grow) found a key added twice
   * or already present; nothing from that add on was added (bulkEnd tells which). Stop adding then.
   */
  bulkAdd(key: string, val: V, meta: number): boolean {
    const bulk = this.bulk as BulkQueue<V>;
    const i = bulk.count;
    if (i === bulk.hashes.length) bulk.grow();
    bulk.hashes[i] = hashString(key, this.seed);
    bulk.entries[i] = new DictEntry(key, val, null, meta);
    bulk.count = i + 1;
    // add() resizes once the size passes the bucket count: link what is queued first, as it would have.
    if (this.size + bulk.count > this.table.length) {
      this.bulkFlush(bulk, true);
      if (bulk.dup >= 0) return false;
      if (this.size > this.table.length) this.resize(this.table.length * 2);
    }
    return true;
  }

  /**
   * Link the queued entries and leave bulk mode: null, or the first add whose key was present (its
   * index since bulkStart and its key); that add and the ones after it were not made.
   */
  bulkEnd(): { index: number; key: string } | null {
    const bulk = this.bulk;
    if (bulk === null) return null;
    this.bulk = null;
    if (bulk.dup < 0) this.bulkFlush(bulk, false);
    return bulk.dup < 0 ? null : { index: bulk.dup, key: bulk.dupKey };
  }

  /** Link the queue (up to its first duplicate); `reuse`: the queue fills again after. */
  private bulkFlush(bulk: BulkQueue<V>, reuse: boolean): void {
    const q = bulk.entries;
    const hashes = bulk.hashes;
    const n = bulk.count;
    const table = this.table;
    const mask = this.mask;
    const fresh = this.size === 0;
    // Into an empty table: the only duplicates are within the queue, found among equal hashes.
    let dup = fresh ? bulkFirstRepeat(bulk) : n;
    // Link in add order (each chain gets its adds prepended, as add() does): the entries are read in
    // the order they were made, the table at random. Into a non-empty table each key is looked up.
    for (let i = 0; i < dup; i++) {
      const e = q[i];
      const b = hashes[i] & mask;
      const head = table[b];
      if (!fresh) {
        let found = false;
        for (let c = head; c !== null && !found; c = c.next) found = c.key === e.key;
        if (found) {
          dup = i;
          break;
        }
      }
      e.next = head;
      table[b] = e;
    }
    this.size += dup;
    if (dup < n) {
      bulk.dup = bulk.base + dup;
      bulk.dupKey = q[dup].key;
    }
    bulk.base += n;
    bulk.count = 0;
    if (reuse) q.fill(undefined as unknown as DictEntry<V>, 0, n);
  }

  /** dictExpand: room for `n` keys without a resize (RESIZEDB before a load); never shrinks. */
  expand(n: number): void {
    if (n > this.table.length) this.resize(n);
  }

  /** Add a key known to be absent (skips the duplicate check). */
  add(key: string, val: V, meta = 0): DictEntry<V> {
    const idx = hashString(key, this.seed) & this.mask;
    const entry = new DictEntry(key, val, this.table[idx], meta);
    this.table[idx] = entry;
    this.size++;
    if (this.size > this.table.length) this.resize(this.table.length * 2);
    return entry;
  }

  delete(key: string): DictEntry<V> | undefined {
    this.lastKey = null;
    this.lastEntry = null;
    const idx = hashString(key, this.seed) & this.mask;
    let prev: DictEntry<V> | null = null;
    for (let e = this.table[idx]; e !== null; prev = e, e = e.next) {
      if (e.key === key) {
        if (prev === null) this.table[idx] = e.next;
        else prev.next = e.next;
        this.size--;
        // Redis shrinks when the fill drops under 10% (htNeedsResize).
        if (this.table.length > MIN_SIZE && this.size * 10 < this.table.length) this.resize(this.size);
        return e;
      }
    }
    return undefined;
  }

  clear(): void {
    this.lastKey = null;
    this.lastEntry = null;
    this.table = new Array(MIN_SIZE).fill(null);
    this.mask = MIN_SIZE - 1;
    this.size = 0;
  }

  private resize(minSize: number): void {
    let n = MIN_SIZE;
    while (n < minSize) n *= 2;
    if (n === this.table.length) return;
    const old = this.table;
    const table: (DictEntry<V> | null)[] = new Array(n).fill(null);
    const mask = n - 1;
    for (let i = 0; i < old.length; i++) {
      let e = old[i];
      while (e !== null) {
        const next = e.next;
        const idx = hashString(e.key, this.seed) & mask;
        e.next = table[idx];
        table[idx] = e;
        e = next;
      }
    }
    this.table = table;
    this.mask = mask;
  }

  /**
   * One SCAN step (dictScan): visit every entry of the bucket at `cursor`, return the next cursor
   * (0 when the iteration is complete). Entries present for the whole scan are visited at least once.
   */
  scan(cursor: number, visit: (e: DictEntry<V>) => void): number {
    if (this.size === 0) return 0;
    const mask = this.mask;
    for (let e = this.table[cursor & mask]; e !== null; e = e.next) visit(e);
    // Increment the reversed cursor: set the unmasked high bits, reverse, add one, reverse back.
    let v = (cursor | ~mask) >>> 0;
    v = reverseBits32(v);
    v = (v + 1) >>> 0;
    return reverseBits32(v);
  }

  /** A random entry (dictGetFairRandomKey's spirit: random non-empty bucket, random chain link). */
  randomEntry(rand: (n: number) => number): DictEntry<V> | undefined {
    if (this.size === 0) return undefined;
    let bucket: DictEntry<V> | null = null;
    while (bucket === null) bucket = this.table[rand(this.table.length)];
    let len = 0;
    for (let e: DictEntry<V> | null = bucket; e !== null; e = e.next) len++;
    let e = bucket;
    for (let i = rand(len); i > 0; i--) e = e.next as DictEntry<V>;
    return e;
  }

  /**
   * Every entry, in bucket order, without a generator (a plain loop: what a SAVE of a million keys
   * needs). `fn` must not add or delete keys.
   */
  forEach(fn: (e: DictEntry<V>) => void): void {
    const table = this.table;
    for (let i = 0; i < table.length; i++) {
      for (let e = table[i]; e !== null; e = e.next) fn(e);
    }
  }

  /**
   * forEach for a walk that does much with each entry (SAVE): the entries of 64 buckets at a time are
   * gathered and their key and value touched first, so the cache misses of a large keyspace overlap
   * (loads that don't wait on each other) instead of each stalling the walk in turn. Same order.
   */
  forEachBatched(fn: (e: DictEntry<V>) => void): void {
    const table = this.table;
    const batch: DictEntry<V>[] = [];
    for (let i = 0; i < table.length; i += 64) {
      const end = Math.min(i + 64, table.length);
      let n = 0;
      for (let b = i; b < end; b++) for (let e = table[b]; e !== null; e = e.next) batch[n++] = e;
      let touched = 0;
      for (let k = 0; k < n; k++) {
        const e = batch[k];
        touched += e.key.length + (typeof e.val === 'string' ? 1 : 0);
      }
      batchTouched = touched;
      for (let k = 0; k < n; k++) fn(batch[k]);
    }
  }

  /** Every entry; safe against deleting the entry just yielded. */
  entries(): IterableIterator<DictEntry<V>> {
    return new DictIterator<V, DictEntry<V>>(
      this.table,
      () => this.table,
      (e) => e,
    );
  }

  keys(): IterableIterator<string> {
    return new DictIterator<V, string>(
      this.table,
      () => this.table,
      (e) => e.key,
    );
  }
}

/**
 * The iterator behind entries() and keys(): a class rather than a generator, which V8 runs several
 * times faster in for-of. Like the generator it replaces, it reads the next link before handing an
 * entry out (deleting that entry is safe) and ends when the table was resized under it.
 */
class DictIterator<V, T> implements IterableIterator<T> {
  private i = 0;
  private e: DictEntry<V> | null = null;

  constructor(
    private table: (DictEntry<V> | null)[] | null,
    private readonly current: () => (DictEntry<V> | null)[],
    private readonly map: (e: DictEntry<V>) => T,
  ) {}

  next(): IteratorResult<T, undefined> {
    let e = this.e;
    if (e === null) {
      const table = this.table;
      // A chain is done: stop at the end, or if the dict was resized meanwhile.
      if (table === null || (this.i > 0 && this.current() !== table)) return this.end();
      let i = this.i;
      while (i < table.length && (e = table[i]) === null) i++;
      if (e === null) return this.end();
      this.i = i + 1;
    }
    this.e = e.next;
    return { done: false, value: this.map(e) };
  }

  private end(): IteratorResult<T, undefined> {
    this.table = null;
    return { done: true, value: undefined };
  }

  [Symbol.iterator](): IterableIterator<T> {
    return this;
  }
}
