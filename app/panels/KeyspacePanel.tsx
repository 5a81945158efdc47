// The keyspace panel: the keys of a database with type, encoding and TTL counting down, refreshed
// from the batched key events (and once a second, so keys that expire go away). The countdown
// follows the engine clock: it stops while the clock is paused and jumps when it is stepped.

import { memo, useEffect, useState } from 'react';
import type { KeyspaceReport } from '../../engine/worker/protocol';
import { engineTime } from '../engine-client/engine-client';
import { useEngineClock } from '../ui/clock-state';
import { toDisplay } from './display';
import { formatTtl, remainingMs } from './keyspace-model';
import './panels-live.css';
import { useInspect, usePanel } from './usePanels';

const LIMIT = 300;
const ROWS_PER_FRAME = 50;

/** One key's row; memoised, so a refresh re-renders only rows whose text changed. */
const KeyRow = memo(function KeyRow(p: { name: string; type: string; encoding: string; ttl: string; soon: boolean }) {
  const shown = toDisplay(p.name);
  return (
    <tr data-key={shown}>
      <td>{shown}</td>
      <td>{p.type}</td>
      <td>{p.encoding}</td>
      <td className={p.soon ? 'ttl soon' : 'ttl'} data-testid="ttl">
        {p.ttl}
      </td>
    </tr>
  );
});

export default function KeyspacePanel() {
  const keySeq = usePanel((s) => s.keySeq);
  const [db, setDb] = useState(0);
  const [tick, setTick] = useState(0);
  const [rows, setRows] = useState(ROWS_PER_FRAME);
  const [pageNow, setPageNow] = useState(() => performance.now());
  useEffect(() => {
    const fast = setInterval(() => setPageNow(performance.now()), 200);
    const slow = setInterval(() => setTick((t) => t + 1), 1000);
    return () => {
      clearInterval(fast);
      clearInterval(slow);
    };
  }, []);
  // The engine clock: a paused clock freezes the countdown; each step asks for the keys again.
  const clock = useEngineClock();
  const report = useInspect<KeyspaceReport>(
    { kind: 'keyspace', db, limit: LIMIT },
    `ks:${db}:${keySeq}:${tick}:${clock?.now}:${clock?.paused}`,
    150,
  );
  const [seen, setSeen] = useState<{ report: KeyspaceReport | null; at: number }>({ report: null, at: 0 });
  if (report !== seen.report) setSeen({ report, at: performance.now() });
  // Rows mount a chunk per frame when the panel opens, so a full page never costs one long frame.
  const total = report?.keys.length ?? 0;
  useEffect(() => {
    if (rows >= total) return;
    const h = requestAnimationFrame(() => setRows((r) => r + ROWS_PER_FRAME));
    return () => cancelAnimationFrame(h);
  }, [rows, total]);
  if (report === null) return <p className="panel-note">Reading keys…</p>;
  const dbs = report.dbs.some((d) => d.db === db) ? report.dbs : [...report.dbs, { db, keys: 0, expires: 0 }];
  return (
    <div className="panel keyspace-panel">
      <div className="panel-bar">
        <label className="picker">
          Database{' '}
          <select value={db} onChange={(e) => setDb(Number(e.target.value))} data-testid="db-picker">
            {dbs
              .slice()
              .sort((a, b) => a.db - b.db)
              .map((d) => (
                <option key={d.db} value={d.db}>
                  db{d.db} — {d.keys} keys, {d.expires} with TTL
                </option>
              ))}
          </select>
        </label>
      </div>
      {report.keys.length === 0 ? (
        <p className="panel-note">db{db} is empty.</p>
      ) : (
        <table className="ks-table" data-testid="keyspace-table">
          <thead>
            <tr>
              <th scope="col">key</th>
              <th scope="col">type</th>
              <th scope="col">encoding</th>
              <th scope="col">TTL</th>
            </tr>
          </thead>
          <tbody>
            {report.keys.slice(0, rows).map((k) => {
              const left =
                clock === null
                  ? remainingMs(k.expireAt, report.now, seen.at, pageNow)
                  : remainingMs(k.expireAt, engineTime(clock, Math.max(pageNow, clock.at)), 0, 0);
              return (
                <KeyRow
                  key={k.key}
                  name={k.key}
                  type={k.type}
                  encoding={k.encoding}
                  ttl={formatTtl(left)}
                  soon={left !== null && left < 10_000}
                />
              );
            })}
          </tbody>
        </table>
      )}
      {report.truncated && <p className="panel-note">Showing the first {report.keys.length} keys in dict order.</p>}
    </div>
  );
}
