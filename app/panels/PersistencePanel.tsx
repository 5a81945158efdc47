// The persistence panel: the seed's persistence table made alive. Pick a mode and an appendfsync
// policy (sent as real CONFIG SET commands; CONFIG SET typed in a terminal is followed too), watch
// the timeline of AOF writes, fsyncs, forks, snapshots and manifest swaps, see each file's durable
// and page-cache-only bytes, download or upload files, crash or restart the server and read the
// engine's account of which acknowledged writes survived. The engine computes; this only shows.

import { useEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import type { DurabilityAccount, PersistMode } from '../../engine/persistence/durability';
import type { PersistenceReport } from '../../engine/worker/protocol';
import { useRuntime } from '../runtime-context';
import { persistFeedOf } from './persistence-feed';
import { humanBytes } from './memory-model';
import { clockTime, commandLine, commandText, FSYNC_POLICIES, fileBar, MODES, modeCommand } from './persistence-model';
import { useInspect } from './usePanels';
import './persistence.css';

/** The panel's own connection (its CONFIG SETs show in MONITOR as any client's would). */
export const PERSIST_SESSION = 1_000_077;

type Status = { readonly text: string; readonly error: boolean } | null;

export default function PersistencePanel() {
  const runtime = useRuntime();
  const { client } = runtime;
  const feed = useStore(persistFeedOf(runtime));
  const [tick, setTick] = useState(0);
  const [local, setLocal] = useState(0);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<Status>(null);
  const opened = useRef<Promise<unknown> | null>(null);
  // A choice just made shows checked until the server's snapshot says so (or the command failed).
  const [pending, setPending] = useState<{ mode: PersistMode | null; fsync: string | null }>({
    mode: null,
    fsync: null,
  });
  useEffect(() => {
    const h = setInterval(() => setTick((t) => t + 1), 1000);
    return () => clearInterval(h);
  }, []);
  const report = useInspect<PersistenceReport>({ kind: 'persistence' }, `persist:${feed.seq}:${tick}:${local}`, 150);

  /** Run a command on the panel's own connection; its error text is shown as redis-cli would. */
  const send = async (argv: string[]): Promise<boolean> => {
    opened.current ??= client.open(
      PERSIST_SESSION,
      { push: () => {}, closed: () => {} },
      { name: 'persistence-panel', output: 'reply' },
    );
    await opened.current;
    const o = await client.command(PERSIST_SESSION, argv);
    setLocal((n) => n + 1);
    if (o.kind !== 'reply') {
      opened.current = null;
      setStatus({ text: 'the panel’s connection was closed; try again', error: true });
      return false;
    }
    if (o.reply?.t === 'error') {
      setStatus({ text: `(error) ${o.reply.v}`, error: true });
      return false;
    }
    setStatus({ text: `sent: ${commandLine(argv)}`, error: false });
    return true;
  };

  const restart = async (how: 'kill' | 'power' | 'restart') => {
    setBusy(true);
    try {
      await client.restart(how);
      setStatus(null);
    } catch (err) {
      setStatus({ text: err instanceof Error ? err.message : String(err), error: true });
    } finally {
      setBusy(false);
      setLocal((n) => n + 1);
    }
  };

  const download = async (name: string) => {
    const data = await client.readFile(name);
    if (data === null) {
      setStatus({ text: `${name} is gone`, error: true });
      return;
    }
    const url = URL.createObjectURL(new Blob([data as BlobPart], { type: 'application/octet-stream' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = name.slice(name.lastIndexOf('/') + 1);
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  if (report === null) return <p className="panel-note">Reading the disk…</p>;
  if (
    (pending.mode !== null && pending.mode === report.mode) ||
    (pending.fsync !== null && pending.fsync === report.appendfsync)
  )
    setPending({
      mode: pending.mode === report.mode ? null : pending.mode,
      fsync: pending.fsync === report.appendfsync ? null : pending.fsync,
    });
  const shownMode = pending.mode ?? report.mode;
  const shownFsync = pending.fsync ?? report.appendfsync;
  const choose = (change: { mode?: PersistMode; fsync?: string }, argv: string[]) => {
    setPending((p) => ({ ...p, ...change }));
    void send(argv).then((ok) => {
      if (!ok) setPending({ mode: null, fsync: null });
    });
  };
  const mode = MODES.find((m) => m.id === report.mode) ?? MODES[0];
  return (
    <div className="panel persist-panel" data-testid="persistence-panel">
      <fieldset className="pp-choice" disabled={busy}>
        <legend>Persistence mode</legend>
        <div className="pp-options">
          {MODES.map((m) => (
            <label key={m.id} className={m.id === report.mode ? 'pp-option current' : 'pp-option'}>
              <input
                type="radio"
                name="pp-mode"
                value={m.id}
                checked={m.id === shownMode}
                onChange={() => choose({ mode: m.id }, modeCommand(m.id))}
                data-testid={`mode-${m.id}`}
              />
              {m.label}
            </label>
          ))}
        </div>
        <p className="pp-config" data-testid="mode-config">
          <span className="muted">now:</span> appendonly <code>{report.appendonly ? 'yes' : 'no'}</code> · save{' '}
          <code>{report.save === '' ? '""' : report.save}</code> · aof-use-rdb-preamble{' '}
          <code>{report.rdbPreamble ? 'yes' : 'no'}</code>
        </p>
        <table className="pp-table">
          <caption className="visually-hidden">What the chosen mode means</caption>
          <tbody>
            <tr>
              <th scope="row">{mode.label}</th>
              <td>{mode.what}</td>
            </tr>
            <tr>
              <th scope="row">Durability</th>
              <td>{mode.durability}</td>
            </tr>
            <tr>
              <th scope="row">Write cost</th>
              <td>{mode.cost}</td>
            </tr>
            <tr>
              <th scope="row">Recovery</th>
              <td>{mode.recovery}</td>
            </tr>
            <tr>
              <th scope="row">Sends</th>
              <td>
                <code>{commandLine(modeCommand(mode.id))}</code>
              </td>
            </tr>
          </tbody>
        </table>
      </fieldset>
      <fieldset className="pp-choice" disabled={busy}>
        <legend>appendfsync</legend>
        <div className="pp-options">
          {FSYNC_POLICIES.map((f) => (
            <label
              key={f.id}
              className={f.id === report.appendfsync ? 'pp-option current' : 'pp-option'}
              title={f.text}
            >
              <input
                type="radio"
                name="pp-fsync"
                value={f.id}
                checked={f.id === shownFsync}
                onChange={() => choose({ fsync: f.id }, ['CONFIG', 'SET', 'appendfsync', f.id])}
                data-testid={`fsync-${f.id}`}
              />
              {f.id}
            </label>
          ))}
        </div>
        <p className="panel-note">
          {FSYNC_POLICIES.find((f) => f.id === report.appendfsync)?.text}
          {report.appendonly ? '' : ' (only matters with appendonly yes)'}
        </p>
      </fieldset>
      {status !== null && (
        <p className={status.error ? 'pp-status error' : 'pp-status'} role="status" data-testid="persist-status">
          {status.text}
        </p>
      )}

      <h3 id="pp-crash">Crash and restart</h3>
      <div className="pp-buttons">
        <button type="button" disabled={busy} onClick={() => void restart('kill')} data-testid="crash-kill">
          Kill the process
        </button>
        <button type="button" disabled={busy} onClick={() => void restart('power')} data-testid="crash-power">
          Pull the power
        </button>
        <button type="button" disabled={busy} onClick={() => void restart('restart')} data-testid="crash-restart">
          Restart cleanly
        </button>
      </div>
      <p className="panel-note">
        Kill: the process dies, the OS page cache survives. Power: only fsynced bytes survive. Restart: SHUTDOWN (final
        fsync and save), then start. {report.writes} acknowledged write{report.writes === 1 ? '' : 's'} tracked (this
        server’s and those it found of earlier ones); {report.changesSinceSave} change
        {report.changesSinceSave === 1 ? '' : 's'} since the last save.
      </p>
      <div aria-live="polite">{report.lastRestart && <Account account={report.lastRestart} />}</div>

      <h3>Files</h3>
      <FileTable report={report} onDownload={(n) => void download(n)} />
      <Upload
        names={report.files.map((f) => f.name)}
        dbfilename={report.dbfilename}
        appendonly={report.appendonly}
        onUpload={async (name, data) => {
          await client.writeFile(name, data);
          setLocal((n) => n + 1);
        }}
      />

      <h3 id="pp-timeline">Timeline</h3>
      {feed.timeline.length === 0 ? (
        <p className="panel-note">Nothing yet: run SET with AOF on, BGSAVE or BGREWRITEAOF.</p>
      ) : (
        <ol className="pp-timeline" aria-labelledby="pp-timeline" data-testid="persist-timeline">
          {feed.timeline.map((t) => (
            <li key={t.id} className={`tl-${t.kind}`} data-kind={t.kind}>
              <span className="tl-time">{t.at === null ? '' : clockTime(t.at)}</span>
              <span className="tl-label">{t.label}</span>
              <span className="tl-text">{t.text}</span>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

const HOW: Readonly<Record<DurabilityAccount['how'], string>> = {
  kill: 'Process killed',
  power: 'Power pulled',
  restart: 'Clean restart',
};

function Account({ account: a }: { account: DurabilityAccount }) {
  return (
    <section className={a.lostCount > 0 ? 'pp-account lost' : 'pp-account safe'} data-testid="persist-account">
      <h4>
        {HOW[a.how]} at {clockTime(a.at)}:{' '}
        <span data-testid="account-summary">
          {a.survived} of {a.acknowledged} acknowledged write{a.acknowledged === 1 ? '' : 's'} survived, {a.lostCount}{' '}
          lost
        </span>
      </h4>
      <p data-testid="account-reason">{a.reason}</p>
      {a.loadErrors.length > 0 && (
        <pre className="pp-errors" data-testid="account-errors">
          {a.loadErrors.join('\n')}
        </pre>
      )}
      {a.lostCount > 0 && (
        <>
          <p className="pp-sub">Lost{a.lostCount > a.lost.length ? ` (first ${a.lost.length})` : ''}:</p>
          <ol className="pp-writes" data-testid="account-lost">
            {a.lost.map((w) => (
              <li key={w.seq}>
                <code>{commandText(w.argv, w.argc)}</code>
                {w.db > 0 ? ` (db ${w.db})` : ''} <span className="muted">at {clockTime(w.at)}</span>
              </li>
            ))}
          </ol>
        </>
      )}
      {a.lastSurvived.length > 0 && (
        <details>
          <summary>Survived ({a.survived})</summary>
          <ol className="pp-writes" data-testid="account-survived">
            {a.lastSurvived.map((w) => (
              <li key={w.seq}>
                <code>{commandText(w.argv, w.argc)}</code>
              </li>
            ))}
          </ol>
        </details>
      )}
      {a.forgotten > 0 && <p className="panel-note">{a.forgotten} older writes are not tracked one by one.</p>}
    </section>
  );
}

const ROLE: Readonly<Record<string, string>> = {
  rdb: 'RDB snapshot',
  manifest: 'AOF manifest',
  base: 'AOF base',
  incr: 'AOF incr',
  history: 'AOF history',
  temp: 'temp file',
  other: 'file',
};

function FileTable({ report, onDownload }: { report: PersistenceReport; onDownload: (name: string) => void }) {
  if (report.files.length === 0) return <p className="panel-note">No files on disk yet (storage: {report.storage}).</p>;
  return (
    <table className="pp-files" data-testid="persist-files">
      <thead>
        <tr>
          <th scope="col">file</th>
          <th scope="col">size</th>
          <th scope="col">durable / page cache</th>
          <th scope="col">
            <span className="visually-hidden">download</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {report.files.map((f) => {
          const bar = fileBar(f.size, f.durable);
          const cache = f.size - f.durable;
          return (
            <tr key={f.name} data-file={f.name}>
              <td>
                <code>{f.name}</code>
                <br />
                <span className="muted">{ROLE[f.role]}</span>
              </td>
              <td className="num">{humanBytes(f.size)}</td>
              <td>
                <span className="pp-bar" aria-hidden="true">
                  <span className="durable" style={{ width: `${bar.durablePct}%` }} />
                  <span className="cache" style={{ width: `${bar.cachePct}%` }} />
                </span>
                <span className="pp-bar-text" data-testid="file-sizes">
                  durable {humanBytes(f.durable)}
                  {cache > 0 ? ` · page cache only ${humanBytes(cache)}` : ''}
                </span>
              </td>
              <td>
                <button type="button" onClick={() => onDownload(f.name)} aria-label={`Download ${f.name}`}>
                  Download
                </button>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function Upload(props: {
  names: readonly string[];
  dbfilename: string;
  appendonly: boolean;
  onUpload: (name: string, data: Uint8Array) => Promise<void>;
}) {
  const { names, dbfilename, appendonly, onUpload } = props;
  const targets = names.includes(dbfilename) ? names : [dbfilename, ...names];
  const [target, setTarget] = useState(dbfilename);
  const [done, setDone] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const pick = async (file: File | undefined) => {
    if (!file) return;
    const data = new Uint8Array(await file.arrayBuffer());
    const n = data.length;
    await onUpload(target, data);
    const loads =
      target === dbfilename
        ? appendonly
          ? ' Note: with appendonly yes the server loads the AOF, not dump.rdb.'
          : ''
        : appendonly
          ? ''
          : ' Note: with appendonly no the server loads dump.rdb, not the AOF.';
    setDone(`Uploaded ${n} bytes as ${target}. Restart (or crash) the server to load it.${loads}`);
    if (input.current) input.current.value = '';
  };
  return (
    <div className="pp-upload">
      <label>
        Upload as{' '}
        <select value={target} onChange={(e) => setTarget(e.target.value)} data-testid="upload-target">
          {targets.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
      <label className="pp-file">
        <span>File to upload</span>
        <input ref={input} type="file" onChange={(e) => void pick(e.target.files?.[0])} data-testid="upload-file" />
      </label>
      {done && (
        <p className="panel-note" role="status" data-testid="upload-status">
          {done}
        </p>
      )}
    </div>
  );
}
