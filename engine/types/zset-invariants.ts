// Structural invariants of the sorted-set structures (zskiplist spans, links and order; dict and
// skip list agreeing; encodings within their thresholds). Used by the property tests and handy when
// debugging: each check throws with the first broken rule.

import { NIL, type SkipList, type ZslNode } from './skiplist';
import type { ZsetDict } from './zset-dict';
import type { ZSet } from './zset';

/** Every structural invariant of a zskiplist; throws with a reason when one is broken. */
export function checkSkipList(zsl: SkipList): void {
  const rank = new Map<ZslNode, number>();
  const name = (x: ZslNode) => (x === zsl.header ? 'header' : zsl.member(x));
  let prev: ZslNode = NIL;
  let n = zsl.first();
  let r = 0;
  while (n !== NIL) {
    r++;
    if (rank.has(n)) throw new Error(`node ${zsl.member(n)} is linked twice (a cycle)`);
    rank.set(n, r);
    if (zsl.prev(n) !== prev) throw new Error(`backward link of ${zsl.member(n)} is wrong`);
    if (prev !== NIL) {
      const ps = zsl.score(prev);
      const ns = zsl.score(n);
      if (!(ps < ns || (ps === ns && zsl.member(prev) < zsl.member(n)))) {
        throw new Error(`order broken between ${zsl.member(prev)} and ${zsl.member(n)}`);
      }
    }
    const level = zsl.nodeLevel(n);
    if (level < 1 || level > zsl.level) throw new Error(`node ${zsl.member(n)} has level ${level}`);
    prev = n;
    n = zsl.next(n);
  }
  if (r !== zsl.length) throw new Error(`length ${zsl.length} but ${r} nodes`);
  if (zsl.tail !== prev) throw new Error('tail is not the last node');
  if (zsl.length === 0 ? zsl.level !== 1 : zsl.forward(zsl.header, zsl.level - 1) === NIL) {
    throw new Error(`level ${zsl.level} is not the highest used level`);
  }
  const check = (x: ZslNode, levels: number, xr: number) => {
    for (let i = 0; i < levels; i++) {
      const f = zsl.forward(x, i);
      if (f !== NIL && !rank.has(f)) throw new Error('forward link to a node not in the list');
      const target = f === NIL ? zsl.length : (rank.get(f) as number);
      if (zsl.span(x, i) !== target - xr) throw new Error(`span of ${name(x)} at level ${i} is ${zsl.span(x, i)}`);
      // Level i links skip exactly the nodes lower than level i+1.
      let expect = zsl.next(x);
      while (expect !== NIL && zsl.nodeLevel(expect) <= i) expect = zsl.next(expect);
      if (f !== expect) throw new Error(`level ${i} link of ${name(x)} skips a tall node`);
    }
  };
  check(zsl.header, zsl.level, 0);
  for (const [node, nr] of rank) check(node, zsl.nodeLevel(node), nr);
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
  const dict = z.dict as ZsetDict;
  checkSkipList(zsl);
  if (dict.size !== zsl.length) throw new Error(`dict has ${dict.size} entries, skip list ${zsl.length}`);
  for (let n = zsl.first(); n !== NIL; n = zsl.next(n)) {
    const m = zsl.member(n);
    const slot = dict.find(m);
    if (slot < 0 || dict.idAt(slot) !== zsl.memberId(n))
      throw new Error(`dict entry of ${m} is not its skip-list node`);
    if (!Object.is(dict.scoreAt(slot), zsl.score(n))) throw new Error(`dict score of ${m} is not its node's score`);
  }
}
