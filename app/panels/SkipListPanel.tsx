// The sorted-set panel: the real skip list of a key (header, nodes in score order, each level's
// forward links with their spans, NULL after the tail) drawn as SVG for a rank window around the
// last operation, with its search path animated; the listpack as a compact row while the set is
// small, the one-way conversion, and a leaderboard beside it.

import { memo, useEffect, useMemo, useRef, useState } from 'react';
import type { ZsetEvent, ZsetWindow } from '../../engine/types/zset-view';
import type { KeyspaceReport, ZsetReport } from '../../engine/worker/protocol';
import { FONT_SIZE_DEFAULT } from '../store/initial-state';
import { useLab } from '../store/useLab';
import { toDisplay } from './display';
import {
  COLUMN_WIDTH,
  type Column,
  type Link,
  layoutSkipList,
  ROW_HEIGHT,
  rankSum,
  windowAround,
} from './skiplist-layout';
import './panels-live.css';
import { useInspect, usePanel, usePanelStore } from './usePanels';

const ZOOMS = [6, 10, 16, 24, 40] as const;
/** This many operations within FLOOD_WINDOW_MS are a flood: the drawing stops animating each one. */
const FLOOD_OPS = 4;
const FLOOD_WINDOW_MS = 600;
/** How often the window is asked for during a flood. */
const FLOOD_INTERVAL_MS = 400;
/** Room left of the header for the level labels. */
const GUTTER = 30;
const BOX = COLUMN_WIDTH - 36;
/** Seconds between two path steps; long paths (a million members) are sped up to ~2.5 s in all. */
const stepSeconds = (steps: number) => Math.min(0.28, 2.5 / Math.max(1, steps));

function caption(e: ZsetEvent): string {
  const m = `"${toDisplay(e.member)}"`;
  const visited = `the search crossed ${e.path.length} link${e.path.length === 1 ? '' : 's'}`;
  switch (e.op) {
    case 'insert':
      return e.encoding === 'listpack'
        ? `inserted ${m} at listpack index ${e.rank} (a linear walk)`
        : `inserted ${m} at rank ${e.rank} with level ${e.level}; ${visited}`;
    case 'update':
      return `moved ${m} to score ${e.score}, now rank ${e.rank}${e.encoding === 'skiplist' ? `; ${visited}` : ''}`;
    case 'delete':
      return `removed ${m} from rank ${e.rank}${e.level > 0 ? ` (it had level ${e.level})` : ''}`;
    case 'rank':
      return e.encoding === 'listpack'
        ? `rank of ${m}: ${e.rank} (listpack index)`
        : `rank of ${m}: spans ${rankSum(e)}`;
    case 'range':
      return `range walked ${e.count} element${e.count === 1 ? '' : 's'} along level 0 from rank ${e.rank}`;
    case 'convert':
      return `converted to a skip list (${e.count} entries moved)`;
  }
}

function NodeColumn({ c, layout, dt }: { c: Column; layout: ReturnType<typeof layoutSkipList>; dt: number }) {
  const top = layout.rowY[c.levels - 1] - ROW_HEIGHT / 2 + 3;
  const bottom = layout.rowY[0] + ROW_HEIGHT / 2 - 3;
  const cls = `sl-node ${c.kind}${c.mark ? ` mark-${c.mark}` : ''}`;
  const style = c.step >= 0 ? { animationDelay: `${c.step * dt}s` } : undefined;
  const label = c.kind === 'node' ? toDisplay(c.member) : c.member;
  return (
    <g
      className={cls}
      style={style}
      data-member={c.kind === 'node' ? label : undefined}
      data-rank={c.kind === 'node' ? c.rank : undefined}
      data-level={c.kind === 'node' ? c.levels : undefined}
    >
      <rect x={c.x + 8} y={top} width={COLUMN_WIDTH - 40} height={bottom - top} rx={5} />
      {c.kind !== 'nil' &&
        layout.rowY
          .slice(0, c.levels)
          .map((y, l) => <circle key={y} cx={c.x + 8 + BOX / 2} cy={y} r={3.5} className={`lvl lvl-${l}`} />)}
      <text x={c.x + 8 + BOX / 2} y={bottom + 16} className="sl-member" textAnchor="middle">
        {label.length > 10 ? `${label.slice(0, 9)}…` : label}
      </text>
      {c.kind === 'node' && (
        <text x={c.x + 8 + BOX / 2} y={bottom + 32} className="sl-score" textAnchor="middle">
          {c.score}
        </text>
      )}
      {c.tail && (
        <text x={c.x + 8 + BOX / 2} y={top - 6} className="sl-tag" textAnchor="middle">
          tail
        </text>
      )}
    </g>
  );
}

function LinkLine({ l, dt, from }: { l: Link; dt: number; from: number }) {
  const x1 = l.x1 + COLUMN_WIDTH - 32;
  const x2 = l.offRight === null ? l.x2 + 6 : l.x2 - 4;
  const cls = `sl-link${l.step >= 0 ? ' on-path' : ''}${l.offRight !== null ? ' off' : ''}`;
  const style = l.step >= 0 ? { animationDelay: `${l.step * dt}s` } : undefined;
  return (
    <g className={cls} style={style} data-from={from} data-link-level={l.level} data-span={l.span}>
      <line x1={x1} y1={l.y} x2={x2} y2={l.y} markerEnd="url(#sl-arrow)" />
      <text x={(x1 + x2) / 2} y={l.y - 4} textAnchor="middle" className="sl-span">
        {l.offRight !== null ? `${l.span} → #${l.offRight}` : l.span}
      </text>
    </g>
  );
}

/** The drawing's width at the lab's text size (it may shrink to 70% before scrolling). */
const naturalWidth = (layoutWidth: number, scale: number) => (layoutWidth + GUTTER + 4) * scale;

interface Flood {
  /** Operations arrive faster than the eye follows (a script). */
  readonly on: boolean;
  /** The drawing's key: a new one replays the path animation; unchanged under a flood. */
  readonly key: number;
}

/**
 * Under a flood of operations the drawing keeps its elements and stops replaying each path, and
 * the window is asked for less often: remounting the SVG for every operation would cost frames
 * and show nothing readable.
 */
function useFlood(seq: number): Flood {
  const r = useRef({ seq: -1, times: [] as number[], key: 0, on: false });
  const [, wake] = useState(0);
  const f = r.current;
  if (seq !== f.seq) {
    const now = performance.now();
    f.seq = seq;
    f.times.push(now);
    while (f.times.length > 0 && now - f.times[0] > FLOOD_WINDOW_MS) f.times.shift();
    f.on = f.times.length >= FLOOD_OPS;
    if (!f.on) f.key = seq;
  }
  // A flood ends when the operations stop: draw normally again.
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-armed by every operation (`seq`).
  useEffect(() => {
    if (!f.on) return;
    const h = setTimeout(() => {
      f.on = false;
      f.times = [];
      wake((n) => n + 1);
    }, FLOOD_WINDOW_MS);
    return () => clearTimeout(h);
  }, [seq, f]);
  return { on: f.on, key: f.key };
}

/** Memoised: under a flood it redraws only when a new window arrives. */
const SkipListSvg = memo(function SkipListSvg({
  w,
  event,
  flood,
  drawKey,
  scale,
}: {
  w: ZsetWindow;
  event: ZsetEvent | null;
  flood: boolean;
  drawKey: number;
  scale: number;
}) {
  const layout = useMemo(() => layoutSkipList(w, event), [w, event]);
  const rankAtX = useMemo(() => new Map(layout.columns.map((c) => [c.x, c.rank])), [layout]);
  const natural = naturalWidth(layout.width, scale);
  const dt = stepSeconds(event ? event.path.length + (event.op === 'range' ? event.count : 0) : 1);
  return (
    <svg
      className={flood ? 'sl-svg flood' : 'sl-svg'}
      viewBox={`${-GUTTER} 0 ${layout.width + GUTTER + 4} ${layout.height}`}
      // Fit the panel, but never shrink below 70% of the text size chosen for the lab: scroll instead.
      style={{ minWidth: `${natural * 0.7}px`, maxWidth: `${natural}px` }}
      role="img"
      aria-label={`Skip list, ranks ${w.start} to ${w.start + w.nodes.length - 1} of ${w.length}, ${w.level} levels`}
      data-testid="skiplist-svg"
      data-start={w.start}
    >
      <defs>
        <marker
          id="sl-arrow"
          viewBox="0 0 8 8"
          refX="7"
          refY="4"
          markerWidth="8"
          markerHeight="8"
          markerUnits="userSpaceOnUse"
          orient="auto"
        >
          <path d="M0,0 L8,4 L0,8 z" className="sl-arrowhead" />
        </marker>
      </defs>
      {layout.rowY.map((y, l) => (
        <text key={y} x={-GUTTER + 2} y={y + 4} className="sl-level-label">
          L{l}
        </text>
      ))}
      <g key={drawKey}>
        {layout.links.map((l) => (
          <LinkLine key={`${l.x1}:${l.level}`} l={l} dt={dt} from={rankAtX.get(l.x1) ?? -1} />
        ))}
        {layout.columns.map((c) => (
          <NodeColumn key={`${c.kind}:${c.rank}:${c.member}`} c={c} layout={layout} dt={dt} />
        ))}
      </g>
    </svg>
  );
});

/** Columns the layout will draw: the nodes, plus the header and NULL when in the window. */
const columnsOf = (w: ZsetWindow) =>
  w.encoding === 'listpack'
    ? 4
    : w.nodes.length + (w.header !== null ? 1 : 0) + (w.nodes.at(-1)?.rank === w.tail ? 1 : 0);

function ListpackRow({ w, event, limits }: { w: ZsetWindow; event: ZsetEvent | null; limits: ZsetReport['limits'] }) {
  const pct = Math.min(100, (w.length / Math.max(1, limits.entries)) * 100);
  return (
    <div className="lp" data-testid="listpack-view">
      <ul className="lp-row" aria-label="listpack entries">
        {w.nodes.map((n) => {
          const hot = event !== null && event.member === n.member && event.op !== 'delete';
          return (
            <li key={n.member} className={hot ? 'lp-entry hot' : 'lp-entry'}>
              <span className="lp-m">{toDisplay(n.member)}</span>
              <span className="lp-s">{n.score}</span>
            </li>
          );
        })}
        <li className="lp-end" title="listpack end byte">
          0xFF
        </li>
      </ul>
      <div className="lp-meter" title="zset-max-listpack-entries">
        <span style={{ width: `${pct}%` }} />
      </div>
      <p className="panel-note">
        {w.length} / {limits.entries} entries (zset-max-listpack-entries), members up to {limits.value} bytes
        (zset-max-listpack-value). One more past either limit converts it to a skip list, for good.
      </p>
    </div>
  );
}

const MARK_TEXT: Record<string, string> = {
  path: 'on the search path',
  new: 'inserted / moved here',
  target: 'ranked',
  range: 'walked by the range',
  'deleted-near': 'next to the removed node',
};

const linkText = (to: number, span: number) => `→ ${to === -1 ? 'NULL' : `#${to}`} (span ${span})`;

/**
 * The same window as a table (a text alternative to the drawing): rank, member, score, level and
 * each level's forward link with its span; the last operation's marks written out in words.
 */
function SkipListTable({ w, event }: { w: ZsetWindow; event: ZsetEvent | null }) {
  const layout = useMemo(() => layoutSkipList(w, event), [w, event]);
  const markOf = new Map(layout.columns.filter((c) => c.kind === 'node').map((c) => [c.rank, c.mark]));
  const listpack = w.encoding === 'listpack';
  const levels = listpack ? 0 : layout.levels;
  const levelCols = Array.from({ length: levels }, (_, l) => l);
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
    <section className="sl-table-wrap" aria-label="Skip list table" tabIndex={0}>
      <table className="ks-table sl-table" data-testid="skiplist-table" data-start={w.start}>
        <caption>
          {listpack
            ? `listpack entries ${w.start}–${w.start + w.nodes.length - 1} of ${w.length}, in order`
            : `skip list ranks ${w.start}–${w.start + w.nodes.length - 1} of ${w.length}: forward links per level, → #rank or NULL`}
        </caption>
        <thead>
          <tr>
            <th scope="col">{listpack ? 'index' : 'rank'}</th>
            <th scope="col">member</th>
            <th scope="col">score</th>
            {!listpack && <th scope="col">level</th>}
            <th scope="col">last operation</th>
            {levelCols.map((l) => (
              <th key={l} scope="col">
                L{l}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {w.header !== null && (
            <tr data-rank="-1">
              <th scope="row">header</th>
              <td />
              <td />
              <td>{w.level}</td>
              <td />
              {levelCols.map((l) => (
                <td key={l}>{l < w.header!.forward.length ? linkText(w.header!.forward[l], w.header!.span[l]) : ''}</td>
              ))}
            </tr>
          )}
          {w.nodes.map((n) => {
            const mark = markOf.get(n.rank);
            return (
              <tr key={n.rank} data-rank={n.rank} data-member={toDisplay(n.member)} data-level={n.forward.length}>
                <th scope="row">{n.rank}</th>
                <td>{toDisplay(n.member)}</td>
                <td>{n.score}</td>
                {!listpack && <td>{n.forward.length}</td>}
                <td>
                  {mark ? MARK_TEXT[mark] : ''}
                  {n.rank === w.tail ? (mark ? ' · tail' : 'tail') : ''}
                </td>
                {levelCols.map((l) => (
                  <td key={l} data-span={l < n.forward.length ? n.span[l] : undefined}>
                    {l < n.forward.length ? linkText(n.forward[l], n.span[l]) : ''}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

const Leaderboard = memo(function Leaderboard({ w }: { w: ZsetWindow }) {
  return (
    <table className="leaderboard" data-testid="leaderboard">
      <caption title={`ZREVRANGE key 0 ${Math.max(0, w.top.length - 1)} WITHSCORES`}>Leaderboard</caption>
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">member</th>
          <th scope="col">score</th>
        </tr>
      </thead>
      <tbody>
        {w.top.map((t, i) => (
          <tr key={t.member}>
            <td>{i + 1}</td>
            <td>{toDisplay(t.member)}</td>
            <td>{t.score}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
});

function KeyPicker() {
  const store = usePanelStore();
  const zset = usePanel((s) => s.zset);
  const pinned = usePanel((s) => s.pinned);
  const keySeq = usePanel((s) => s.keySeq);
  const db = zset?.db ?? 0;
  const ks = useInspect<KeyspaceReport>({ kind: 'keyspace', db, limit: 500 }, `ks:${db}:${keySeq}`, 500);
  const keys = (ks?.keys ?? []).filter((k) => k.type === 'zset').map((k) => k.key);
  if (zset && !keys.includes(zset.key)) keys.unshift(zset.key);
  const value = pinned && zset ? zset.key : '';
  return (
    <label className="picker">
      Key{' '}
      <select
        value={value}
        onChange={(e) => store.getState().pinZset(e.target.value === '' ? null : { db, key: e.target.value })}
        data-testid="zset-picker"
      >
        <option value="">follow the last one touched{!pinned && zset ? ` (${toDisplay(zset.key)})` : ''}</option>
        {keys.map((k) => (
          <option key={k} value={k}>
            {toDisplay(k)}
          </option>
        ))}
      </select>
    </label>
  );
}

export default function SkipListPanel() {
  const zset = usePanel((s) => s.zset);
  const event = usePanel((s) => s.zsetEvent);
  const converted = usePanel((s) => s.converted);
  const seq = usePanel((s) => s.zsetSeq);
  const keySeq = usePanel((s) => s.keySeq);
  const fontSize = useLab((s) => s.fontSize);
  const [zoom, setZoom] = useState(1);
  const [asTable, setAsTable] = useState(false);
  const [pan, setPan] = useState<number | null>(null);
  const count = ZOOMS[zoom];
  const [lastLength, setLastLength] = useState(0);
  const focus = event ? event.rank : 0;
  const start = pan ?? windowAround(focus, count, Math.max(lastLength, focus + 1));
  const query = zset ? { kind: 'zset' as const, db: zset.db, key: zset.key, start, count, top: 10 } : null;
  const flood = useFlood(seq);
  const report = useInspect<ZsetReport>(
    query,
    `${zset?.db}:${zset?.key}:${start}:${count}:${seq}:${keySeq}`,
    flood.on ? FLOOD_INTERVAL_MS : 80,
  );
  const w = report && zset && report.key === zset.key ? report.window : null;
  if (w && w.length !== lastLength) setLastLength(w.length);
  // Under a flood no single operation is drawn: the structure refreshes a few times a second.
  const shownEvent = event && zset && event.key === zset.key && !flood.on ? event : null;

  return (
    <div className="panel skiplist-panel">
      <div className="panel-bar">
        <KeyPicker />
        <button
          type="button"
          aria-pressed={asTable}
          onClick={() => setAsTable((t) => !t)}
          title="Show the structure as a table instead of a drawing"
          data-testid="skiplist-as-table"
        >
          Table view
        </button>
        <fieldset className="group" aria-label="Zoom">
          <button type="button" onClick={() => setZoom((z) => Math.min(ZOOMS.length - 1, z + 1))} aria-label="Zoom out">
            −
          </button>
          <button type="button" onClick={() => setZoom((z) => Math.max(0, z - 1))} aria-label="Zoom in">
            +
          </button>
        </fieldset>
        <fieldset className="group" aria-label="Move the window">
          <button
            type="button"
            onClick={() => setPan(Math.max(0, start - Math.ceil(count / 2)))}
            aria-label="Lower ranks"
          >
            ◀
          </button>
          <button
            type="button"
            onClick={() => setPan(null)}
            aria-pressed={pan === null}
            title="Follow the last operation"
          >
            follow
          </button>
          <button type="button" onClick={() => setPan(start + Math.ceil(count / 2))} aria-label="Higher ranks">
            ▶
          </button>
        </fieldset>
      </div>
      {zset === null && (
        <p className="panel-note">
          Run ZADD in a terminal (e.g. ZADD board 10 ann 20 bob) and the sorted set appears here.
        </p>
      )}
      {zset !== null && report !== null && report.window === null && (
        <p className="panel-note">
          {report.type === null
            ? `"${toDisplay(zset.key)}" does not exist.`
            : `"${toDisplay(zset.key)}" is a ${report.type}.`}
        </p>
      )}
      {w !== null && report !== null && (
        <>
          <p className="zset-head">
            <strong>{toDisplay(zset?.key ?? '')}</strong>{' '}
            <span className={`badge enc-${w.encoding}`} data-testid="zset-encoding">
              {w.encoding}
            </span>{' '}
            {w.length} member{w.length === 1 ? '' : 's'}
            {w.encoding === 'skiplist' && ` · level ${w.level} · ranks ${w.start}–${w.start + w.nodes.length - 1}`}
          </p>
          {converted !== null && (
            <p key={converted.count} className="convert-banner" data-testid="convert-banner">
              listpack → skiplist: {converted.count} entries moved into a skip list + dict (one way: it never converts
              back while the key lives)
            </p>
          )}
          {flood.on && (
            <p className="op-caption" data-testid="op-caption">
              operations arrive faster than they can be followed: the structure refreshes a few times a second
            </p>
          )}
          {shownEvent !== null && (
            <p className="op-caption" aria-live="polite" data-testid="op-caption">
              {caption(shownEvent)}
            </p>
          )}
          <div className="zset-body">
            <div
              className="zset-structure"
              // Beside the leaderboard while the drawing fits at 70%; above it otherwise.
              style={{
                flexBasis: `${naturalWidth(columnsOf(w) * COLUMN_WIDTH, fontSize / FONT_SIZE_DEFAULT) * 0.7}px`,
              }}
            >
              {asTable ? (
                <SkipListTable w={w} event={shownEvent} />
              ) : w.encoding === 'listpack' ? (
                <ListpackRow w={w} event={shownEvent} limits={report.limits} />
              ) : (
                <SkipListSvg
                  w={w}
                  event={shownEvent}
                  flood={flood.on}
                  drawKey={flood.key}
                  scale={fontSize / FONT_SIZE_DEFAULT}
                />
              )}
            </div>
            <Leaderboard w={w} />
          </div>
        </>
      )}
    </div>
  );
}
