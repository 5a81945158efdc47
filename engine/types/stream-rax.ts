// The sorted maps a stream is built from, standing in for Redis's rax (src/rax.c): the stream's
// node index (128-bit master ID → listpack node), each consumer group's and consumer's PEL (ID →
// NACK) and the group and consumer tables (name → object, in memcmp order). An AVL tree: O(log N)
// lookup, insert, delete and seek, in-order walks from any key in either direction.

interface AvlNode<K, V> {
  key: K;
  value: V;
  left: AvlNode<K, V> | null;
  right: AvlNode<K, V> | null;
  height: number;
}

const h = <K, V>(n: AvlNode<K, V> | null): number => (n === null ? 0 : n.height);

function fix<K, V>(n: AvlNode<K, V>): void {
  const l = h(n.left);
  const r = h(n.right);
  n.height = Math.max(l, r) + 1;
}

function rotateRight<K, V>(n: AvlNode<K, V>): AvlNode<K, V> {
  const l = n.left as AvlNode<K, V>;
  n.left = l.right;
  l.right = n;
  fix(n);
  fix(l);
  return l;
}

function rotateLeft<K, V>(n: AvlNode<K, V>): AvlNode<K, V> {
  const r = n.right as AvlNode<K, V>;
  n.right = r.left;
  r.left = n;
  fix(n);
  fix(r);
  return r;
}

function balance<K, V>(n: AvlNode<K, V>): AvlNode<K, V> {
  fix(n);
  const bf = h(n.left) - h(n.right);
  if (bf > 1) {
    const l = n.left as AvlNode<K, V>;
    if (h(l.left) < h(l.right)) n.left = rotateLeft(l);
    return rotateRight(n);
  }
  if (bf < -1) {
    const r = n.right as AvlNode<K, V>;
    if (h(r.right) < h(r.left)) n.right = rotateRight(r);
    return rotateLeft(n);
  }
  return n;
}

/** Keys compare with `<` (bigints for stream IDs, binary strings in memcmp order for names). */
export type RaxKey = bigint | string;

/** An ordered map (raxNew/raxInsert/raxRemove/raxFind/raxSeek). Do not modify it while walking it. */
export class Rax<K extends RaxKey, V> {
  private root: AvlNode<K, V> | null = null;
  private count = 0;
  /** Bumped on every insertion of a new key and every removal (for caches of the key set). */
  version = 0;

  get size(): number {
    return this.count;
  }

  get(key: K): V | undefined {
    let n = this.root;
    while (n !== null) {
      if (key === n.key) return n.value;
      n = key < n.key ? n.left : n.right;
    }
    return undefined;
  }

  has(key: K): boolean {
    return this.get(key) !== undefined;
  }

  /** raxInsert: add or replace; true when the key is new. */
  set(key: K, value: V): boolean {
    const before = this.count;
    this.root = this.insert(this.root, key, value);
    return this.count !== before;
  }

  /** raxTryInsert: add only when absent; true when added. */
  trySet(key: K, value: V): boolean {
    if (this.get(key) !== undefined) return false;
    return this.set(key, value);
  }

  /** raxRemove: true when the key was there. */
  delete(key: K): boolean {
    const before = this.count;
    this.root = this.remove(this.root, key);
    return this.count !== before;
  }

  clear(): void {
    this.root = null;
    this.count = 0;
    this.version++;
  }

  private insert(n: AvlNode<K, V> | null, key: K, value: V): AvlNode<K, V> {
    if (n === null) {
      this.count++;
      this.version++;
      return { key, value, left: null, right: null, height: 1 };
    }
    if (key === n.key) {
      n.value = value;
      return n;
    }
    if (key < n.key) n.left = this.insert(n.left, key, value);
    else n.right = this.insert(n.right, key, value);
    return balance(n);
  }

  private remove(n: AvlNode<K, V> | null, key: K): AvlNode<K, V> | null {
    if (n === null) return null;
    if (key < n.key) n.left = this.remove(n.left, key);
    else if (key > n.key) n.right = this.remove(n.right, key);
    else {
      this.count--;
      this.version++;
      if (n.left === null) return n.right;
      if (n.right === null) return n.left;
      // Replace by the smallest key of the right subtree.
      let m = n.right;
      while (m.left !== null) m = m.left;
      n.key = m.key;
      n.value = m.value;
      this.count++;
      n.right = this.remove(n.right, m.key);
    }
    return balance(n);
  }

  /** raxSeek "^" + raxNext. */
  first(): [K, V] | undefined {
    let n = this.root;
    if (n === null) return undefined;
    while (n.left !== null) n = n.left;
    return [n.key, n.value];
  }

  /** raxSeek "$" + raxNext. */
  last(): [K, V] | undefined {
    let n = this.root;
    if (n === null) return undefined;
    while (n.right !== null) n = n.right;
    return [n.key, n.value];
  }

  /** raxSeek "<=": the greatest key <= `key`. */
  floor(key: K): [K, V] | undefined {
    let n = this.root;
    let best: AvlNode<K, V> | null = null;
    while (n !== null) {
      if (n.key === key) return [n.key, n.value];
      if (n.key < key) {
        best = n;
        n = n.right;
      } else {
        n = n.left;
      }
    }
    return best === null ? undefined : [best.key, best.value];
  }

  /** raxSeek ">=": the smallest key >= `key`. */
  ceil(key: K): [K, V] | undefined {
    let n = this.root;
    let best: AvlNode<K, V> | null = null;
    while (n !== null) {
      if (n.key === key) return [n.key, n.value];
      if (n.key > key) {
        best = n;
        n = n.left;
      } else {
        n = n.right;
      }
    }
    return best === null ? undefined : [best.key, best.value];
  }

  /** Ascending walk from the first key >= `from` (from the start when omitted). */
  *ascending(from?: K): IterableIterator<[K, V]> {
    const stack: AvlNode<K, V>[] = [];
    let n = this.root;
    while (n !== null) {
      if (from === undefined || n.key >= from) {
        stack.push(n);
        n = n.left;
      } else {
        n = n.right;
      }
    }
    while (stack.length > 0) {
      const top = stack.pop() as AvlNode<K, V>;
      yield [top.key, top.value];
      let r = top.right;
      while (r !== null) {
        stack.push(r);
        r = r.left;
      }
    }
  }

  /** Descending walk from the last key <= `from` (from the end when omitted). */
  *descending(from?: K): IterableIterator<[K, V]> {
    const stack: AvlNode<K, V>[] = [];
    let n = this.root;
    while (n !== null) {
      if (from === undefined || n.key <= from) {
        stack.push(n);
        n = n.right;
      } else {
        n = n.left;
      }
    }
    while (stack.length > 0) {
      const top = stack.pop() as AvlNode<K, V>;
      yield [top.key, top.value];
      let l = top.left;
      while (l !== null) {
        stack.push(l);
        l = l.right;
      }
    }
  }

  keys(): K[] {
    const out: K[] = [];
    for (const [k] of this.ascending()) out.push(k);
    return out;
  }

  values(): V[] {
    const out: V[] = [];
    for (const [, v] of this.ascending()) out.push(v);
    return out;
  }
}

// ---- rax->numnodes ------------------------------------------------------------------------------

const raxNodesCache = new WeakMap<Rax<bigint, unknown>, { version: number; count: number }>();

/**
 * rax->numnodes of a tree keyed by 16-byte big-endian IDs (the stream's nodes, a PEL): a compressed
 * node per shared run of bytes, a branching node per divergence, a leaf per key, 1 when empty.
 * Computed from the keys (cached until the key set changes); matches Redis 7.0.15's counts.
 */
export function raxNodeCount(rax: Rax<bigint, unknown>): number {
  const cached = raxNodesCache.get(rax);
  if (cached !== undefined && cached.version === rax.version) return cached.count;
  const keys = rax.keys().map((k) => k.toString(16).padStart(32, '0'));
  const count = keys.length === 0 ? 1 : raxCount(keys, 0, keys.length, 0);
  raxNodesCache.set(rax, { version: rax.version, count });
  return count;
}

/** Common prefix of two hex keys, in whole bytes. */
function lcpBytes(a: string, b: string): number {
  let i = 0;
  while (i < 32 && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i >> 1;
}

/** Rax nodes below a point at byte `depth` holding keys[lo..hi) (sorted, distinct, 16 bytes). */
function raxCount(keys: string[], lo: number, hi: number, depth: number): number {
  if (hi - lo === 1) return depth === 16 ? 1 : 2;
  const l = lcpBytes(keys[lo], keys[hi - 1]);
  // A compressed node for the shared run, then a branching node with one child per next byte.
  let n = (l > depth ? 1 : 0) + 1;
  let start = lo;
  for (let i = lo + 1; i <= hi; i++) {
    if (i === hi || keys[i].slice(2 * l, 2 * l + 2) !== keys[start].slice(2 * l, 2 * l + 2)) {
      n += raxCount(keys, start, i, l + 1);
      start = i;
    }
  }
  return n;
}
