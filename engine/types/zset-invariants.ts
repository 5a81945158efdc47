// Structural invariants of the sorted-set structures (zskiplist spans, links and order; dict and
// skip list agreeing; encodings within their thresholds). Used by the property tests and handy when
// debugging: each check throws with the first broken rule.

import type { Dict } from './dict';
import type { SkipList, ZslNode } from './skiplist';
import type { ZSet } from './zset';

/** Every structural invariant of a zskiplist; throws with a reason when one is broken. */
export function checkSkipList(zsl: SkipList): void {
  const rank = new Map<ZslNode, number>();
  let prev: ZslNode | null = null;
  let n = zsl.header.forward[0];
  let r = 0;
  while (n !== null) {
    r++;
    rank.set(n, r);
    if (n.backward !== prev) throw new Error(`backward link of ${n.ele} is wrong`);
    if (prev !== null && !(prev.score < n.score || (prev.score === n.score && prev.ele < n.ele))) {
      throw new Error(`order broken between ${prev.ele} and ${n.ele}`);
    }
    if (n.level < 1 || n.level > zsl.level) throw new Error(`node ${n.ele} has level ${n.level}`);
    prev = n;
    n = n.forward[0];
  }
  if (r !== zsl.length) throw new Error(`length ${zsl.length} but ${r} nodes`);
  if (zsl.tail !== prev) throw new Error('tail is not the last node');
  if (zsl.length === 0 ? zsl.level !== 1 : zsl.header.forward[zsl.level - 1] === null) {
    throw new Error(`level ${zsl.level} is not the highest used level`);
  }
  const check = (x: ZslNode, levels: number, xr: number) => {
    for (let i = 0; i < levels; i++) {
      const f = x.forward[i];
      const target = f === null ? zsl.length : (rank.get(f) as number);
      if (f !== null && !rank.has(f)) throw new Error('forward link to a node not in the list');
      if (x.span[i] !== target - xr) throw new Error(`span of ${x.ele || 'header'} at level ${i} is ${x.span[i]}`);
      // Level i links skip exactly the nodes lower than level i+1.
      let expect = x.forward[0];
      while (expect !== null && expect.level <= i) expect = expect.forward[0];
      if (f !== expect) throw new Error(`level ${i} link of ${x.ele || 'header'} skips a tall node`);
    }
  };
  check(zsl.header, zsl.level, 0);
  for (const [node, nr] of rank) check(node, node.level, nr);
}

/** A sorted set: its skip list and dict agree, or its listpack is sorted and within the thresholds. */
export function checkZSet(z: ZSet, maxEntries: number, maxValue: number): void {
  const snap = z.describe();
  if (snap.encoding === 'listpack') {
    const e = snap.entries;
    if (e.length > maxEntries) throw new Error(`listpack holds ${e.length} > ${maxEntries} entries`);
    for (let i = 0; i < e.length; i++) {
      if (e[i].member.length > maxValue) throw new Error(`listpack member longer than ${maxValue}`);
      if (Object.is(e[i].score, -0)) throw new Error('a listpack stores -0 as the integer 0');
      if (i > 0) {
        const a = e[i - 1];
        const b = e[i];
        if (!(a.score < b.score || (a.score === b.score && a.member < b.member))) {
          throw new Error(`listpack order broken at ${i}`);
        }
      }
    }
    return;
  }
  const zsl = z.zsl as SkipList;
  const dict = z.dict as Dict<ZslNode>;
  checkSkipList(zsl);
  if (dict.size !== zsl.length) throw new Error(`dict has ${dict.size} entries, skip list ${zsl.length}`);
  for (let n = zsl.first(); n !== null; n = n.forward[0]) {
    if (dict.get(n.ele) !== n) throw new Error(`dict entry of ${n.ele} is not its skip-list node`);
  }
}
