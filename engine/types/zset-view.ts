// What the lab's skip-list panel sees of a sorted set: the zset operation event (a search path
// level by level with the spans crossed, as zslInsert / zslGetRank walk it) and a window of the
// structure by rank, O(log N + window) — zslGetElementByRank to the first node, then level 0.

import { NIL, type SkipList, type ZslNode } from './skiplist';
import type { ZSet } from './zset';

/** One link crossed by a search: at `level`, onto `member`, crossing `span` ranks (1-based `rank` reached). */
export interface ZsetStep {
  readonly level: number;
  readonly member: string;
  readonly score: number;
  readonly span: number;
  readonly rank: number;
}

export type ZsetOp = 'insert' | 'delete' | 'update' | 'rank' | 'range' | 'convert';

/** A sorted-set operation, emitted only while someone watches zsets (commands/zset-trace.ts). */
export interface ZsetEvent {
  readonly type: 'zset';
  readonly db: number;
  readonly key: string;
  readonly op: ZsetOp;
  readonly encoding: 'listpack' | 'skiplist';
  readonly member: string;
  readonly score: number;
  /** insert/update: the node's level (1..32); 0 for a listpack. */
  readonly level: number;
  /** 0-based rank: of the member (insert, update, delete, rank) or of the range's first element. */
  readonly rank: number;
  /** range: elements walked along level 0; convert: elements moved into the skip list. */
  readonly count: number;
  /** The searches' steps in order; an update that moves a node searches twice (unlink, insert). */
  readonly path: readonly ZsetStep[];
}

/** A node of the window: links point at 0-based ranks (the target's rank is this rank + span). */
export interface ZsetWindowNode {
  readonly rank: number;
  readonly member: string;
  readonly score: number;
  /** forward[i]: 0-based rank of the next node at level i, -1 for NULL (past the tail). */
  readonly forward: readonly number[];
  readonly span: readonly number[];
}

export interface ZsetWindow {
  readonly encoding: 'listpack' | 'skiplist';
  readonly length: number;
  /** The skip list's current level (the header's used levels); 0 for a listpack. */
  readonly level: number;
  /** Ranks start .. start + nodes.length - 1. */
  readonly start: number;
  readonly nodes: readonly ZsetWindowNode[];
  /** The header's links (rank -1), present when the window starts at rank 0. */
  readonly header: { readonly forward: readonly number[]; readonly span: readonly number[] } | null;
  /** 0-based rank of the tail, -1 when empty. */
  readonly tail: number;
  /** The highest scores, best first (the leaderboard), walked back from the tail. */
  readonly top: readonly { readonly member: string; readonly score: number }[];
}

function links(zsl: SkipList, n: ZslNode, levels: number, rank: number): { forward: number[]; span: number[] } {
  const forward: number[] = [];
  const span: number[] = [];
  for (let i = 0; i < levels; i++) {
    forward.push(zsl.forward(n, i) === NIL ? -1 : rank + zsl.span(n, i));
    span.push(zsl.span(n, i));
  }
  return { forward, span };
}

/** Ranks [start, start + count) of a sorted set (clamped), plus its `topN` highest elements. */
export function zsetWindow(z: ZSet, start: number, count: number, topN: number): ZsetWindow {
  const length = z.length;
  const from = Math.max(0, Math.min(start, Math.max(0, length - count)));
  const top: { member: string; score: number }[] = [];
  if (z.zsl === null) {
    const nodes: ZsetWindowNode[] = [];
    z.rangeByRank(from, Math.min(length, from + count) - 1, false, (member, score) => {
      const rank = from + nodes.length;
      nodes.push({ rank, member, score, forward: [], span: [] });
    });
    if (topN > 0 && length > 0)
      z.rangeByRank(0, Math.min(length, topN) - 1, true, (member, score) => top.push({ member, score }));
    return { encoding: 'listpack', length, level: 0, start: from, nodes, header: null, tail: length - 1, top };
  }
  const zsl: SkipList = z.zsl;
  const nodes: ZsetWindowNode[] = [];
  let n = from === 0 ? zsl.first() : zsl.getElementByRank(from + 1);
  for (let rank = from; n !== NIL && nodes.length < count; rank++, n = zsl.next(n)) {
    nodes.push({ rank, member: zsl.member(n), score: zsl.score(n), ...links(zsl, n, zsl.nodeLevel(n), rank) });
  }
  for (let t = zsl.tail; t !== NIL && top.length < topN; t = zsl.prev(t)) {
    top.push({ member: zsl.member(t), score: zsl.score(t) });
  }
  return {
    encoding: 'skiplist',
    length,
    level: zsl.level,
    start: from,
    nodes,
    header: from === 0 ? links(zsl, zsl.header, zsl.level, -1) : null,
    tail: zsl.length - 1,
    top,
  };
}
