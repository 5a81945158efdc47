// The event log panel: what the engine did, as a filterable stream — commands as MONITOR shows
// them, keyspace notifications, expiries, evictions, disk operations, config changes and server
// log lines. Bounded (the newest entries of a ring), redrawn at most five times a second, and
// frozen while "follow" is off so a line can be read while the engine keeps going.

import { useEffect, useMemo, useRef, useState } from 'react';
import { useRuntime } from '../runtime-context';
import { eventLogOf } from './event-log-feed';
import { CATEGORIES, type LogCategory, type LogEntry } from './event-log-model';
import './eventlog.css';

/** Rows kept to read while paused (the newest that pass the filter). */
const SHOWN = 200;
/** Rows drawn while following: about two screens; the stream moves too fast to read further up. */
const FOLLOW_ROWS = 60;
const REDRAW_MS = 200;

const SHORT: Record<LogCategory, string> = {
  command: 'cmd',
  keyspace: 'event',
  expired: 'expired',
  evicted: 'evicted',
  disk: 'disk',
  config: 'config',
  server: 'log',
  keys: 'key',
  propagate: 'prop',
};

function time(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

export default function EventLogPanel() {
  const runtime = useRuntime();
  const log = eventLogOf(runtime);
  const [cats, setCats] = useState<ReadonlySet<LogCategory>>(
    () => new Set(CATEGORIES.filter((c) => c.on).map((c) => c.id)),
  );
  const [search, setSearch] = useState('');
  const [follow, setFollow] = useState(true);
  const [version, setVersion] = useState(log.version);
  const [frozen, setFrozen] = useState<{ version: number; rows: LogEntry[] } | null>(null);
  useEffect(() => {
    const h = setInterval(() => {
      if (log.version !== version) setVersion(log.version);
    }, REDRAW_MS);
    return () => clearInterval(h);
  }, [log, version]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` stands for the log's content.
  const live = useMemo(
    () => log.select(cats, search, follow ? FOLLOW_ROWS : SHOWN),
    [log, cats, search, version, follow],
  );
  const rows = follow || frozen === null ? live : frozen.rows;
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => {
    const el = list.current;
    if (follow && el) el.scrollTop = el.scrollHeight;
  });
  const toggleFollow = () => {
    if (follow) setFrozen({ version, rows: log.select(cats, search, SHOWN) });
    else setFrozen(null);
    setFollow(!follow);
  };
  const toggle = (id: LogCategory) =>
    setCats((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const newer = !follow && frozen !== null ? version - frozen.version : 0;
  return (
    <div className="panel eventlog-panel">
      <div className="panel-bar">
        <label className="picker">
          Search{' '}
          <input
            type="search"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            placeholder="text in the line"
            data-testid="eventlog-search"
          />
        </label>
        <button type="button" aria-pressed={follow} onClick={toggleFollow} data-testid="eventlog-follow">
          {follow ? 'Following' : 'Paused'}
        </button>
        <button
          type="button"
          onClick={() => {
            log.clear();
            setFrozen(null);
          }}
          data-testid="eventlog-clear"
        >
          Clear
        </button>
      </div>
      <fieldset className="ev-filters">
        <legend>Show</legend>
        {CATEGORIES.map((c) => (
          <label key={c.id} className={`ev-filter cat-${c.id}`}>
            <input
              type="checkbox"
              checked={cats.has(c.id)}
              onChange={() => toggle(c.id)}
              data-testid={`eventlog-cat-${c.id}`}
            />{' '}
            {c.label}
          </label>
        ))}
      </fieldset>
      <p className="panel-note" data-testid="eventlog-status">
        {rows.length === 0
          ? 'No events yet: type a command in a terminal.'
          : `${rows.length} line${rows.length === 1 ? '' : 's'} shown (the newest that match, of the last ${log.capacity} kept; pause to scroll back ${SHOWN})`}
        {runtime.client.droppedEvents > 0 &&
          ` · ${runtime.client.droppedEvents} events dropped by the worker (more than it sends per frame)`}
        {!follow && ` · paused${newer > 0 ? ', newer events arrived' : ''}: press Following to catch up`}
      </p>
      {/* Focusable so the keyboard can scroll it; not live: at thousands of events a second a
          screen reader would only stutter. */}
      <ol
        ref={list}
        className="ev-list"
        aria-label="Engine events, oldest first"
        aria-live="off"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
        tabIndex={0}
        data-testid="eventlog-list"
      >
        {rows.map((e) => (
          <li key={e.id} className={`ev cat-${e.cat}`} data-cat={e.cat}>
            <span className="ev-time">{time(e.at)}</span> <span className="ev-cat">{SHORT[e.cat]}</span>{' '}
            <span className="ev-text">{e.text}</span>
          </li>
        ))}
      </ol>
    </div>
  );
}
