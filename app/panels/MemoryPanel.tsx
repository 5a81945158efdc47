// The memory panel: used memory over time against the maxmemory line, bytes by type, the biggest
// keys with their encodings (as redis-cli --memkeys would list them), evictions as they happen
// under the named policy, and the expired/evicted counters. Every figure is the lab's estimate.

import { useEffect, useState } from 'react';
import type { MemoryReport } from '../../engine/worker/protocol';
import { toDisplay } from './display';
import { chartOf, humanBytes, shares } from './memory-model';
import './panels-live.css';
import { useInspect, usePanel, usePanelStore } from './usePanels';

const W = 360;
const H = 110;
const SAMPLE_MS = 1000;
/** Samples listed in the chart's table (its text alternative). */
const NUMBER_ROWS = 12;

export default function MemoryPanel() {
  const store = usePanelStore();
  const keySeq = usePanel((s) => s.keySeq);
  const series = usePanel((s) => s.memory);
  const evictions = usePanel((s) => s.evictions);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const h = setInterval(() => setTick((t) => t + 1), SAMPLE_MS);
    return () => clearInterval(h);
  }, []);
  const report = useInspect<MemoryReport>({ kind: 'memory', top: 8 }, `mem:${keySeq}:${tick}`, 250);
  useEffect(() => {
    if (report === null) return;
    store.getState().addMemorySample({ t: performance.now(), used: report.used });
    store.getState().setPolicy(report.policy);
  }, [report, store]);
  if (report === null) return <p className="panel-note">Measuring…</p>;
  const chart = chartOf(series, report.maxmemory, W, H);
  const over = report.maxmemory > 0 && report.used > report.maxmemory;
  return (
    <div className="panel memory-panel">
      <p className="estimate">Figures are the lab's estimate of Redis 7.0's allocations (jemalloc size classes).</p>
      <dl className="figures">
        <div>
          <dt>used_memory</dt>
          <dd data-testid="used-memory">{humanBytes(report.used)}</dd>
        </div>
        <div>
          <dt>maxmemory</dt>
          <dd className={over ? 'warn' : undefined}>
            {report.maxmemory > 0 ? humanBytes(report.maxmemory) : 'no limit'}
          </dd>
        </div>
        <div>
          <dt>policy</dt>
          <dd>{report.policy}</dd>
        </div>
        <div>
          <dt>keys</dt>
          <dd data-testid="memory-keys">{report.keys}</dd>
        </div>
        <div>
          <dt>expired</dt>
          <dd>{report.expiredKeys}</dd>
        </div>
        <div>
          <dt>evicted</dt>
          <dd>{report.evictedKeys}</dd>
        </div>
      </dl>
      <svg
        className="mem-chart"
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`used memory over time, now ${humanBytes(report.used)}; the numbers are in the table below`}
      >
        <rect x={0} y={0} width={W} height={H} className="mem-bg" />
        {chart.limitY !== null && (
          <>
            <line x1={0} x2={W} y1={chart.limitY} y2={chart.limitY} className="mem-limit" />
            <text x={W - 4} y={chart.limitY - 4} textAnchor="end" className="mem-limit-label">
              maxmemory {humanBytes(report.maxmemory)}
            </text>
          </>
        )}
        <polyline points={chart.points} className="mem-line" />
        <text x={4} y={12} className="mem-axis">
          {humanBytes(Math.round(chart.top))}
        </text>
        <text x={4} y={H - 4} className="mem-axis">
          {humanBytes(Math.round(chart.min))}
        </text>
      </svg>
      <details className="mem-numbers">
        <summary>The chart as numbers</summary>
        <table className="mem-table" data-testid="memory-samples">
          <caption className="visually-hidden">used_memory samples, newest first</caption>
          <thead>
            <tr>
              <th scope="col">seconds ago</th>
              <th scope="col">used_memory</th>
              <th scope="col">bytes</th>
            </tr>
          </thead>
          <tbody>
            {series
              .slice(-NUMBER_ROWS)
              .reverse()
              .map((p) => (
                <tr key={p.t}>
                  <td>{((series[series.length - 1].t - p.t) / 1000).toFixed(1)}</td>
                  <td>{humanBytes(p.used)}</td>
                  <td>{p.used}</td>
                </tr>
              ))}
          </tbody>
        </table>
      </details>
      <h3>By type</h3>
      <table className="mem-table">
        <tbody>
          {shares(report.byType).map((t) => (
            <tr key={t.type}>
              <th scope="row">{t.type}</th>
              <td>
                {t.keys} key{t.keys === 1 ? '' : 's'}
              </td>
              <td>{humanBytes(t.bytes)}</td>
              <td className="bar-cell">
                <span className="bar" style={{ width: `${t.pct}%` }} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Biggest keys (MEMORY USAGE)</h3>
      <table className="mem-table" data-testid="biggest-keys">
        <thead>
          <tr>
            <th scope="col">key</th>
            <th scope="col">type</th>
            <th scope="col">encoding</th>
            <th scope="col">bytes</th>
          </tr>
        </thead>
        <tbody>
          {report.biggest.map((b) => (
            <tr key={`${b.db}:${b.key}`}>
              <td>
                {b.db > 0 ? `${b.db}:` : ''}
                {toDisplay(b.key)}
              </td>
              <td>{b.type}</td>
              <td>{b.encoding}</td>
              <td>{humanBytes(b.bytes)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {report.sampled && (
        <p className="panel-note">
          Sized the first {report.scanned} of {report.keys} keys.
        </p>
      )}
      <h3>Evictions</h3>
      {evictions.length === 0 ? (
        <p className="panel-note">
          None seen. Try CONFIG SET maxmemory 2mb and CONFIG SET maxmemory-policy allkeys-lru.
        </p>
      ) : (
        <ul className="evictions" aria-live="polite">
          {evictions.map((e) => (
            <li key={e.id}>
              evicted <strong>{toDisplay(e.key)}</strong> (db {e.db}) by {e.policy}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
