// The sorted-set commands' hook for the lab's skip-list panel: while an engine's zsets are watched,
// ZADD/ZINCRBY/ZREM/ZRANK/ZRANGE run their skip-list searches with SkipList.trace set and emit a
// ZsetEvent (types/zset-view.ts). Unwatched, a command pays one WeakSet lookup and nothing else.

import type { Client } from '../client';
import type { Engine } from '../engine';
import { NIL, type ZslNode } from '../types/skiplist';
import type { ZSet } from '../types/zset';
import type { ZsetEvent, ZsetOp, ZsetStep } from '../types/zset-view';

const watching = new WeakMap<Engine, number>();

/** Start (true) or stop (false) emitting zset events; counted, so two watchers need two stops. */
export function watchZsets(engine: Engine, on: boolean): void {
  const n = (watching.get(engine) ?? 0) + (on ? 1 : -1);
  if (n > 0) watching.set(engine, n);
  else watching.delete(engine);
}

export function zsetsWatched(engine: Engine): boolean {
  return watching.has(engine);
}

/** 0-based rank of a member, untraced (the event's rank; only computed while watched). */
function rankOf(z: ZSet, member: string): number {
  return z.rank(member, false);
}

/** Node level of a member in the skip list (0 for a listpack or a missing member). */
function levelOf(z: ZSet, member: string): number {
  const n = z.nodeOf(member);
  return n === undefined || z.zsl === null ? 0 : z.zsl.nodeLevel(n);
}

/**
 * Run `body` (one operation on `z` for `member`) with its searches traced, then emit what it did:
 * a 'convert' event if the set left the listpack, then `op` (or the op `body` returns; null: none).
 */
export function traceZset<T>(
  c: Client,
  key: string,
  z: ZSet,
  member: string,
  body: () => T,
  opOf: (result: T) => ZsetOp | null,
  extra: (result: T) => { rank?: number; count?: number; score?: number } = () => ({}),
): T {
  const engine = c.engine;
  const wasListpack = z.isListpack;
  const lengthBefore = z.length;
  const path: ZsetStep[] = [];
  const zsl = z.zsl;
  let prev: ZslNode = NIL;
  let lastOp = '';
  let rank = 0;
  // Deleting needs the rank before the node goes.
  const rankBefore = rankOf(z, member);
  const levelBefore = levelOf(z, member);
  const scoreBefore = z.score(member);
  if (zsl !== null) {
    zsl.trace = (op, level, node) => {
      if (op !== lastOp || prev === NIL) {
        // A new search (ZINCRBY's unlink then insert) starts again from the header.
        lastOp = op;
        prev = zsl.header;
        rank = 0;
      }
      const span = zsl.span(prev, level);
      rank += span;
      path.push({ level, member: zsl.member(node), score: zsl.score(node), span, rank });
      prev = node;
    };
  }
  let result: T;
  try {
    result = body();
  } finally {
    if (zsl !== null) zsl.trace = null;
  }
  const db = c.db.id;
  const encoding = z.isListpack ? 'listpack' : 'skiplist';
  if (wasListpack && !z.isListpack) {
    engine.emit(event(db, key, 'convert', encoding, '', 0, 0, -1, lengthBefore, []));
  }
  const op = opOf(result);
  if (op !== null) {
    const x = extra(result);
    const score = x.score ?? z.score(member) ?? scoreBefore ?? 0;
    const r = x.rank ?? (op === 'delete' ? rankBefore : rankOf(z, member));
    const level = op === 'delete' ? levelBefore : levelOf(z, member);
    engine.emit(event(db, key, op, encoding, member, score, level, r, x.count ?? 1, path));
  }
  return result;
}

function event(
  db: number,
  key: string,
  op: ZsetOp,
  encoding: 'listpack' | 'skiplist',
  member: string,
  score: number,
  level: number,
  rank: number,
  count: number,
  path: ZsetStep[],
): ZsetEvent {
  return { type: 'zset', db, key, op, encoding, member, score, level, rank, count, path };
}
