// The keyspace panel: the keys of a database with type, encoding, MEMORY USAGE and TTL counting
// down, filtered by a glob pattern in the worker, refreshed from the batched key events (and once a
// second, so keys that expire go away). The countdown follows the engine clock: it stops while the
// clock is paused and jumps when it is stepped. A row opens the key's value (KeyValueView).

import { memo, useEffect, useState } from 'react';
import type { KeyspaceReport } from '../../engine/worker/protocol';
import { engineTime } from '../engine-client/engine-client';
import { useEngineClock } from '../ui/clock-state';
import { toDisplay } from './display';
import KeyValueView from './KeyValueView';
import { formatTtl, remainingMs } from './keyspace-model';
import './keyspace-browser.css';
import './panels-live.css';
import { useInspect, usePanel } from './usePanels';

const LIMIT = 300;
const ROWS_PER_FRAME = 50;

/** One key's row; memoised, so a refresh re-renders only rows whose text changed. Click or Enter opens it. */
const KeyRow = memo(function KeyRow(p: {
  name: string;
  type: string;
  encoding: string;
  bytes: number;
  ttl: string;
  soon: boolean;
  open: boolean;
  onOpen: (name: string) => void;
}) {
  const shown = toDisplay(p.name);
  return (
    <tr
      data-key={shown}
      tabIndex={0}
      className={p.open ? 'ks-row open' : 'ks-row'}
      aria-current={p.open ? 'true' : undefined}
      onClick={() => p.onOpen(p.name)}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          p.onOpen(p.name);
        }
      }}
    >
      <td>{shown}</td>
      <td>{p.type}</td>
      <td>{p.encoding}</td>
      <td className="mem" data-testid="mem">
        {p.bytes}
      </td>
      <td className={p.soon ? 'ttl soon' : 'ttl'} data-testid="ttl">
        {p.ttl}
      </td>
    </tr>
  );
});

export default function KeyspacePanel() {
  const keySeq = usePanel((s) => s.keySeq);
  const [db, setDb] = useState(0);
  const [pattern, setPattern] = useState('');
  const [openKey, setOpenKey] = useState<string | null>(null);
  const glob = pattern === '' ? '*' : pattern;
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
    { kind: 'keyspace', db, limit: LIMIT, pattern: glob },
    `ks:${db}:${glob}:${keySeq}:${tick}:${clock?.now}:${clock?.paused}`,
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
          <select
            value={db}
            onChange={(e) => {
              setDb(Number(e.target.value));
              setOpenKey(null);
            }}
            data-testid="db-picker"
          >
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
        <label className="picker">
          Pattern{' '}
          <input
            type="search"
            className="ks-pattern"
            value={pattern}
            placeholder="*"
            spellCheck={false}
            onChange={(e) => setPattern(e.target.value)}
            data-testid="key-pattern"
            aria-describedby="ks-matched"
          />
        </label>
        <span id="ks-matched" className="ks-matched" data-testid="key-matches" aria-live="polite">
          {report.matched} {report.matched === 1 ? 'key matches' : 'keys match'} {glob}
          {report.partial ? ' (in the first keys looked at)' : ''}
        </span>
      </div>
      {openKey !== null && (
        <KeyValueView key={`${db}:${openKey}`} db={db} name={openKey} tick={tick} onClose={() => setOpenKey(null)} />
      )}
      {report.keys.length === 0 ? (
        <p className="panel-note">{pattern === '' ? `db${db} is empty.` : `No key of db${db} matches ${glob}.`}</p>
      ) : (
        <table className="ks-table" data-testid="keyspace-table">
          <thead>
            <tr>
              <th scope="col">key</th>
              <th scope="col">type</th>
              <th scope="col">encoding</th>
              <th scope="col" className="mem">
                memory (bytes)
              </th>
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
                  bytes={k.bytes}
                  open={k.key === openKey}
                  onOpen={setOpenKey}
                  ttl={formatTtl(left)}
                  soon={left !== null && left < 10_000}
                />
              );
            })}
          </tbody>
        </table>
      )}
      {report.truncated && (
        <p className="panel-note">
          Showing the first {report.keys.length} of {report.matched} keys in dict order.
        </p>
      )}
    </div>
  );
}
