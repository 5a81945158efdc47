// The skip-list panel's view model, pure: where the header, the nodes of a rank window and NIL go,
// which forward links (with their spans) to draw at each level, and which of them the last
// operation's search path crossed. The SVG component only draws what this returns.

import type { ZsetEvent, ZsetWindow } from '../../engine/types/zset-view';

export const COLUMN_WIDTH = 84;
export const ROW_HEIGHT = 30;
export const TOP = 40;

export type Mark = 'path' | 'new' | 'target' | 'range' | 'deleted-near' | null;

export interface Column {
  /** 0-based rank; -1 the header; Infinity the NIL terminator. */
  readonly rank: number;
  readonly kind: 'header' | 'node' | 'nil';
  readonly x: number;
  readonly member: string;
  readonly score: number;
  /** Levels the column is drawn with (the header: the list's level). */
  readonly levels: number;
  readonly mark: Mark;
  /** Order in the animation (path step index), -1 when not animated. */
  readonly step: number;
  readonly tail: boolean;
}

export interface Link {
  readonly level: number;
  readonly x1: number;
  readonly x2: number;
  readonly y: number;
  readonly span: number;
  /** The target lies right of the window: drawn as an arrow to the edge labelled with its rank. */
  readonly offRight: number | null;
  /** Index of the path step that crossed this link, -1 when not on the path. */
  readonly step: number;
}

export interface SkipListLayout {
  readonly width: number;
  readonly height: number;
  readonly levels: number;
  readonly columns: readonly Column[];
  readonly links: readonly Link[];
  /** y of a level's row (level 0 at the bottom). */
  readonly rowY: readonly number[];
}

export const levelY = (levels: number, level: number): number => TOP + (levels - 1 - level) * ROW_HEIGHT;

/** The path steps keyed by "source member → level" (null source: the header) for link marking. */
function pathLinks(event: ZsetEvent | null): Map<string, number> {
  const out = new Map<string, number>();
  if (event === null) return out;
  let prev: string | null = null;
  event.path.forEach((s, i) => {
    const fromHeader = s.rank - s.span === 0;
    const source = fromHeader ? null : prev;
    out.set(`${source === null ? '\u0000header' : source}\u0001${s.level}`, i);
    prev = s.member;
  });
  return out;
}

function markOf(event: ZsetEvent | null, rank: number, member: string, stepOf: Map<string, number>): [Mark, number] {
  if (event === null) return [null, -1];
  const last = event.path.length;
  if ((event.op === 'insert' || event.op === 'update') && member === event.member) return ['new', last];
  if (event.op === 'rank' && member === event.member) return ['target', last];
  if (event.op === 'range' && rank >= event.rank && rank < event.rank + event.count) {
    return ['range', last + rank - event.rank];
  }
  const step = stepOf.get(member);
  return step === undefined ? [null, -1] : ['path', step];
}

/** Lay out a window; `event` (the last operation on this key) marks its path, node or range. */
export function layoutSkipList(w: ZsetWindow, event: ZsetEvent | null): SkipListLayout {
  const levels = Math.max(1, w.level, ...w.nodes.map((n) => n.forward.length));
  const columns: Column[] = [];
  const stepOf = new Map<string, number>();
  event?.path.forEach((s, i) => {
    if (!stepOf.has(s.member)) stepOf.set(s.member, i);
  });
  let x = 0;
  if (w.header !== null) {
    columns.push({
      rank: -1,
      kind: 'header',
      x,
      member: 'header',
      score: 0,
      levels,
      mark: null,
      step: -1,
      tail: false,
    });
    x += COLUMN_WIDTH;
  }
  const xOfRank = new Map<number, number>();
  for (const n of w.nodes) {
    const [mark, step] = markOf(event, n.rank, n.member, stepOf);
    xOfRank.set(n.rank, x);
    columns.push({
      rank: n.rank,
      kind: 'node',
      x,
      member: n.member,
      score: n.score,
      levels: n.forward.length,
      mark,
      step,
      tail: n.rank === w.tail,
    });
    x += COLUMN_WIDTH;
  }
  const lastRank = w.nodes.length > 0 ? w.nodes[w.nodes.length - 1].rank : -1;
  const showsTail = w.tail >= 0 ? lastRank === w.tail : w.header !== null;
  const nilX = x;
  if (showsTail) {
    columns.push({
      rank: Number.POSITIVE_INFINITY,
      kind: 'nil',
      x: nilX,
      member: 'NULL',
      score: 0,
      levels,
      mark: null,
      step: -1,
      tail: false,
    });
    x += COLUMN_WIDTH;
  }
  const width = Math.max(x, COLUMN_WIDTH);
  const onPath = pathLinks(event);
  const links: Link[] = [];
  const addLinks = (fromX: number, source: string, forward: readonly number[], span: readonly number[]) => {
    for (let level = 0; level < forward.length; level++) {
      const t = forward[level];
      const y = levelY(levels, level);
      const step = onPath.get(`${source}\u0001${level}`) ?? -1;
      if (t === -1) {
        links.push({ level, x1: fromX, x2: showsTail ? nilX : width, y, span: span[level], offRight: null, step });
      } else {
        const tx = xOfRank.get(t);
        links.push({
          level,
          x1: fromX,
          x2: tx ?? width,
          y,
          span: span[level],
          offRight: tx === undefined ? t : null,
          step,
        });
      }
    }
  };
  if (w.header !== null) addLinks(0, '\u0000header', w.header.forward, w.header.span);
  for (const n of w.nodes) addLinks(xOfRank.get(n.rank) as number, n.member, n.forward, n.span);
  const rowY = Array.from({ length: levels }, (_, l) => levelY(levels, l));
  return { width, height: TOP + levels * ROW_HEIGHT + 46, levels, columns, links, rowY };
}

/** Which ranks to ask for so the action stays in view: centred on `focus`, `count` wide. */
export function windowAround(focus: number, count: number, length: number): number {
  if (length <= count) return 0;
  const start = Math.max(0, focus - Math.floor(count / 2));
  return Math.min(start, length - count);
}

/** "rank = 1 + 4 + 2 = 7": the spans summed along a rank search (1-based, as zslGetRank counts). */
export function rankSum(event: ZsetEvent): string {
  const spans = event.path.map((s) => s.span);
  const total = spans.reduce((a, b) => a + b, 0);
  return spans.length === 0 ? '' : `${spans.join(' + ')} = ${total} → ZRANK ${total - 1}`;
}
