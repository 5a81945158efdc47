// The keyspace panel: the keys of a database with type, encoding and TTL counting down, refreshed
// from the batched key events (and once a second, so keys that expire go away).

import { useEffect, useState } from 'react';
import type { KeyspaceReport } from '../../engine/worker/protocol';
import { toDisplay } from './display';
import { formatTtl, remainingMs } from './keyspace-model';
import { useInspect, usePanel } from './usePanels';

const LIMIT = 300;

export default function KeyspacePanel() {
  const keySeq = usePanel((s) => s.keySeq);
  const [db, setDb] = useState(0);
  const [tick, setTick] = useState(0);
  const [pageNow, setPageNow] = useState(() => performance.now());
  useEffect(() => {
    const fast = setInterval(() => setPageNow(performance.now()), 200);
    const slow = setInterval(() => setTick((t) => t + 1), 1000);
    return () => {
      clearInterval(fast);
      clearInterval(slow);
    };
  }, []);
  const report = useInspect<KeyspaceReport>({ kind: 'keyspace', db, limit: LIMIT }, `ks:${db}:${keySeq}:${tick}`, 150);
  const [seen, setSeen] = useState<{ report: KeyspaceReport | null; at: number }>({ report: null, at: 0 });
  if (report !== seen.report) setSeen({ report, at: performance.now() });
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
            {report.keys.map((k) => {
              const left = remainingMs(k.expireAt, report.now, seen.at, pageNow);
              return (
                <tr key={k.key} data-key={toDisplay(k.key)}>
                  <td>{toDisplay(k.key)}</td>
                  <td>{k.type}</td>
                  <td>{k.encoding}</td>
                  <td className={left !== null && left < 10_000 ? 'ttl soon' : 'ttl'} data-testid="ttl">
                    {formatTtl(left)}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {report.truncated && <p className="panel-note">Showing the first {report.keys.length} keys in dict order.</p>}
    </div>
  );
}
