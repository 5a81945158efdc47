// The keyspace browser's value view: one key's value as a table (string, list, hash, set, sorted
// set, stream with its consumer groups), asked from the worker's 'key' inspect query again on every
// key event and once a second, so it follows the key live. The page only draws the snapshot.

import { useEffect, useRef } from 'react';
import type { KeyReport, KeyValueView as View } from '../../engine/worker/protocol';
import { toDisplay } from './display';
import { usePanel } from './usePanels';
import { useInspect } from './usePanels';

/** Items of a collection the view shows (the worker sends these and the total). */
export const VALUE_LIMIT = 200;

function Shown(p: { n: number; total: number; what: string }) {
  if (p.n >= p.total) return null;
  return (
    <p className="panel-note" data-testid="value-cut">
      Showing the first {p.n} of {p.total} {p.what}.
    </p>
  );
}

function Table(p: { caption: string; head: readonly string[]; rows: readonly (readonly string[])[]; testid?: string }) {
  return (
    <table className="ks-table kv-table" data-testid={p.testid ?? 'value-table'}>
      <caption>{p.caption}</caption>
      <thead>
        <tr>
          {p.head.map((h) => (
            <th scope="col" key={h}>
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {p.rows.map((r, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are positions in the snapshot
          <tr key={i}>
            {r.map((c, j) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: cells are columns
              <td key={j}>{c}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ValueTables({ v }: { v: View }) {
  const d = toDisplay;
  switch (v.type) {
    case 'string':
      return (
        <>
          <Table caption={`string, ${v.total} bytes`} head={['value']} rows={[[d(v.value)]]} />
          {v.value.length < v.total && (
            <p className="panel-note" data-testid="value-cut">
              Showing the first {v.value.length} of {v.total} bytes.
            </p>
          )}
        </>
      );
    case 'list':
      return (
        <>
          <Table
            caption={`list, ${v.total} elements`}
            head={['index', 'element']}
            rows={v.items.map((e, i) => [String(i), d(e)])}
          />
          <Shown n={v.items.length} total={v.total} what="elements" />
        </>
      );
    case 'hash':
      return (
        <>
          <Table
            caption={`hash, ${v.total} fields`}
            head={['field', 'value']}
            rows={v.items.map(([f, x]) => [d(f), d(x)])}
          />
          <Shown n={v.items.length} total={v.total} what="fields" />
        </>
      );
    case 'set':
      return (
        <>
          <Table caption={`set, ${v.total} members`} head={['member']} rows={v.items.map((m) => [d(m)])} />
          <Shown n={v.items.length} total={v.total} what="members" />
        </>
      );
    case 'zset':
      return (
        <>
          <Table
            caption={`sorted set, ${v.total} members`}
            head={['rank', 'member', 'score']}
            rows={v.items.map((m, i) => [String(i), d(m.member), m.score])}
          />
          <Shown n={v.items.length} total={v.total} what="members" />
        </>
      );
    case 'stream':
      return (
        <>
          <Table
            caption={`stream, ${v.total} entries`}
            head={['id', 'fields']}
            rows={v.items.map((e) => [e.id, e.fields.map(([f, x]) => `${d(f)}=${d(x)}`).join('  ')])}
          />
          <Shown n={v.items.length} total={v.total} what="entries" />
          {v.groups.length === 0 ? (
            <p className="panel-note">No consumer groups.</p>
          ) : (
            <>
              <Table
                testid="groups-table"
                caption={`consumer groups (${v.groups.length})`}
                head={['group', 'last-delivered-id', 'entries-read', 'lag', 'pending', 'consumers']}
                rows={v.groups.map((g) => [
                  d(g.name),
                  g.lastDeliveredId,
                  g.entriesRead ?? '(nil)',
                  g.lag ?? '(nil)',
                  String(g.pending),
                  String(g.consumers.length),
                ])}
              />
              <Table
                testid="consumers-table"
                caption="consumers and their pending entries (id ×deliveries)"
                head={['group', 'consumer', 'pending', 'pending entries']}
                rows={v.groups.flatMap((g) =>
                  g.consumers.map((c) => [
                    d(g.name),
                    d(c.name),
                    String(c.pendingTotal),
                    c.pending.map((x) => `${x.id} ×${x.deliveries}`).join(', ') +
                      (c.pending.length < c.pendingTotal ? ' …' : ''),
                  ]),
                )}
              />
            </>
          )}
        </>
      );
  }
}

/** The open key's value; Escape or the close button goes back to the list. */
export default function KeyValueView(p: { db: number; name: string; tick: number; onClose: () => void }) {
  const keySeq = usePanel((s) => s.keySeq);
  const report = useInspect<KeyReport>(
    { kind: 'key', db: p.db, key: p.name, limit: VALUE_LIMIT },
    `key:${p.db}:${p.name}:${keySeq}:${p.tick}`,
    100,
  );
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const shown = toDisplay(p.name);
  return (
    <section
      className="kv-view"
      aria-labelledby="kv-title"
      data-testid="key-value"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          p.onClose();
        }
      }}
    >
      <div className="kv-head">
        <h3 id="kv-title" tabIndex={-1} ref={heading}>
          <span className="kv-key">{shown}</span>
        </h3>
        {report !== null && report.key === p.name && report.type !== null && (
          <span className="kv-meta" data-testid="value-meta">
            type {report.type} · encoding {report.encoding} · {report.bytes} bytes (MEMORY USAGE)
          </span>
        )}
        <button type="button" className="kv-close" onClick={p.onClose} data-testid="value-close">
          Close
        </button>
      </div>
      {report === null || report.key !== p.name ? (
        <p className="panel-note">Reading the value…</p>
      ) : report.value === null ? (
        <p className="panel-note" data-testid="value-gone">
          {report.type === null ? 'The key no longer exists.' : `No view for type ${report.type}.`}
        </p>
      ) : (
        <ValueTables v={report.value} />
      )}
    </section>
  );
}
