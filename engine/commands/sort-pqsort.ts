// SORT's partial sort (src/pqsort.c): Bentley & McIlroy's quicksort ("Engineering a Sort Function",
// the BSD qsort) that only recurses into partitions overlapping the requested range [lrange, rrange].
// SORT ... BY ... LIMIT uses it, so elements that compare equal come out in the order this algorithm
// leaves them in (it is not stable), exactly as in Redis.

type Cmp<T> = (a: T, b: T) => number;

function swap<T>(v: T[], i: number, j: number): void {
  const t = v[i];
  v[i] = v[j];
  v[j] = t;
}

/** Swap the n elements starting at i with the n starting at j. */
function vecswap<T>(v: T[], i: number, j: number, n: number): void {
  for (let k = 0; k < n; k++) swap(v, i + k, j + k);
}

/** The median of three positions, with the same comparisons in the same order as med3. */
function med3<T>(v: T[], a: number, b: number, c: number, cmp: Cmp<T>): number {
  if (cmp(v[a], v[b]) < 0) {
    if (cmp(v[b], v[c]) < 0) return b;
    return cmp(v[a], v[c]) < 0 ? c : a;
  }
  if (cmp(v[b], v[c]) > 0) return b;
  return cmp(v[a], v[c]) < 0 ? a : c;
}

/** Sort v[lo, lo+n) far enough that positions lrange..rrange (absolute, inclusive) hold their final elements. */
function partialSort<T>(v: T[], lo: number, n: number, cmp: Cmp<T>, lrange: number, rrange: number): void {
  for (;;) {
    if (n < 7) {
      // Insertion sort of small partitions.
      for (let m = lo + 1; m < lo + n; m++) {
        for (let l = m; l > lo && cmp(v[l - 1], v[l]) > 0; l--) swap(v, l, l - 1);
      }
      return;
    }
    let pm = lo + (n >> 1);
    if (n > 7) {
      let pl = lo;
      let pn = lo + n - 1;
      if (n > 40) {
        const d = Math.floor(n / 8);
        pl = med3(v, pl, pl + d, pl + 2 * d, cmp);
        pm = med3(v, pm - d, pm, pm + d, cmp);
        pn = med3(v, pn - 2 * d, pn - d, pn, cmp);
      }
      pm = med3(v, pl, pm, pn, cmp);
    }
    swap(v, lo, pm);
    // Three-way partition around v[lo]; elements equal to the pivot gather at both ends first.
    let pa = lo + 1;
    let pb = pa;
    let pc = lo + n - 1;
    let pd = pc;
    for (;;) {
      let r: number;
      while (pb <= pc && (r = cmp(v[pb], v[lo])) <= 0) {
        if (r === 0) swap(v, pa++, pb);
        pb++;
      }
      while (pb <= pc && (r = cmp(v[pc], v[lo])) >= 0) {
        if (r === 0) swap(v, pc, pd--);
        pc--;
      }
      if (pb > pc) break;
      swap(v, pb++, pc--);
    }
    const end = lo + n;
    let r = Math.min(pa - lo, pb - pa);
    vecswap(v, lo, pb - r, r);
    r = Math.min(pd - pc, end - pd - 1);
    vecswap(v, pb, end - r, r);
    // Recurse into the "less" part, loop on the "greater" part, each only if it overlaps the range.
    const overlaps = (from: number, count: number) =>
      !((lrange < from && rrange < from) || (lrange >= from + count && rrange >= from + count));
    const less = pb - pa;
    if (less > 1 && overlaps(lo, less)) partialSort(v, lo, less, cmp, lrange, rrange);
    const greater = pd - pc;
    if (greater <= 1) return;
    lo = end - greater;
    n = greater;
    if (!overlaps(lo, n)) return;
  }
}

/** pqsort: sort `v` in place so that v[lrange..rrange] are the elements a full sort would put there. */
export function pqsort<T>(v: T[], cmp: Cmp<T>, lrange: number, rrange: number): void {
  partialSort(v, 0, v.length, cmp, lrange, rrange);
}
