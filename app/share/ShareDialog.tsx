// The Share dialogs (a lazy chunk): "Share" makes a #share= link of the lab's state and copies it;
// opening such a link shows what it carries and loads it only when the user confirms. Everything
// from a link is rendered as text by React (key names, commands), never as HTML.

import { useCallback, useEffect, useRef, useState } from 'react';
import './share.css';
import { toDisplay } from '../panels/display';
import { useRuntime } from '../runtime-context';
import {
  decodeShare,
  encodeShare,
  ShareError,
  type ShareState,
  shareDataOf,
  shareLink,
  shareProblem,
} from './share-codec';
import { type ApplyResult, applyShare, labContext, snapshotRdb } from './share-lab';
import { inspectSnapshot, type SnapshotInfo } from './share-rdb';

export type ShareMode = 'create' | 'open';

const PREVIEW_KEYS = 12;

function Modal(props: { title: string; onClose: () => void; children: React.ReactNode; testId: string }) {
  const dialog = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    dialog.current?.focus();
    return () => previous?.focus();
  }, []);
  return (
    <div className="overlay">
      <button type="button" className="backdrop" aria-label="Dismiss" tabIndex={-1} onClick={props.onClose} />
      <div
        className="dialog share-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="share-title"
        tabIndex={-1}
        ref={dialog}
        data-testid={props.testId}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            props.onClose();
          }
        }}
      >
        <h2 id="share-title">{props.title}</h2>
        {props.children}
      </div>
    </div>
  );
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

function CreateShare({ onClose }: { onClose: () => void }) {
  const runtime = useRuntime();
  const [includeKeys, setIncludeKeys] = useState(true);
  const [commands, setCommands] = useState('');
  const [link, setLink] = useState<string | null>(null);
  const [summary, setSummary] = useState('Reading the lab’s state…');
  const [problem, setProblem] = useState<string | null>(null);
  const [copied, setCopied] = useState<string | null>(null);
  const field = useRef<HTMLInputElement>(null);

  // The snapshot is taken once (SAVE) per dialog, or when "include the keys" is turned back on.
  const [snap, setSnap] = useState<{ rdb: Uint8Array; savedAt: number; keys: number } | null>(null);
  useEffect(() => {
    if (!includeKeys) return;
    let live = true;
    snapshotRdb(runtime).then(
      (s) => live && setSnap({ ...s, keys: inspectSnapshot(s.rdb, s.savedAt).keys.length }),
      (err: unknown) =>
        live && setProblem(`Could not save the lab’s keys: ${err instanceof Error ? err.message : String(err)}`),
    );
    return () => {
      live = false;
    };
  }, [runtime, includeKeys]);

  useEffect(() => {
    let live = true;
    setCopied(null);
    if (includeKeys && snap === null) return;
    const timer = setTimeout(async () => {
      try {
        const ctx = await labContext(runtime);
        const lines = commands
          .split('\n')
          .map((l) => l.trim())
          .filter((l) => l !== '');
        const keys = includeKeys ? snap : null;
        const state: ShareState = { rdb: keys?.rdb ?? null, savedAt: keys?.savedAt ?? 0, commands: lines, ...ctx };
        const data = await encodeShare(state);
        if (!live) return;
        const bad = shareProblem(data.length);
        setProblem(bad);
        setLink(bad ? null : shareLink(location.href, data));
        const parts = [
          keys ? `${keys.keys} key${keys.keys === 1 ? '' : 's'} (dump.rdb, ${kb(keys.rdb.length)})` : null,
          lines.length > 0 ? `${lines.length} command${lines.length === 1 ? '' : 's'}` : null,
          ctx.lesson ? `lesson ${ctx.lesson.id}, step ${ctx.lesson.step + 1}` : null,
          ctx.clockOffsetMs > 0 ? `clock +${Math.round(ctx.clockOffsetMs / 1000)} s` : null,
        ].filter((p) => p !== null);
        setSummary(`${parts.join(', ') || 'an empty lab'} — link data ${kb(data.length)}`);
      } catch (err) {
        if (live) setProblem(`Could not make the link: ${err instanceof Error ? err.message : String(err)}`);
      }
    }, 150);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [runtime, includeKeys, commands, snap]);

  const copy = useCallback(async () => {
    if (link === null) return;
    try {
      await navigator.clipboard.writeText(link);
      setCopied('Link copied to the clipboard.');
    } catch {
      field.current?.select();
      setCopied('Could not use the clipboard: the link is selected, press Ctrl+C (⌘C) to copy it.');
    }
  }, [link]);

  return (
    <Modal title="Share this lab" onClose={onClose} testId="share-create">
      <p className="muted">
        The link carries the keys (the server saves them: SAVE, then its dump.rdb goes into the link), the open lesson
        and the clock. Whoever opens it sees what it holds and confirms before anything runs. Nothing leaves this page
        except through the link itself.
      </p>
      <label className="share-option">
        <input type="checkbox" checked={includeKeys} onChange={(e) => setIncludeKeys(e.target.checked)} /> Include every
        key (a snapshot of the keyspace)
      </label>
      <label className="share-option" htmlFor="share-commands">
        Commands to run after loading, one per line (optional):
      </label>
      <textarea
        id="share-commands"
        className="share-commands"
        rows={3}
        value={commands}
        spellCheck={false}
        onChange={(e) => setCommands(e.target.value)}
        data-testid="share-commands"
      />
      <p data-testid="share-summary">{summary}</p>
      {problem && (
        <p className="share-error" role="alert" data-testid="share-problem">
          {problem}
        </p>
      )}
      <div className="share-row">
        <input
          ref={field}
          className="share-link"
          readOnly
          value={link ?? ''}
          aria-label="Share link"
          data-testid="share-link"
          onFocus={(e) => e.target.select()}
        />
        <button type="button" onClick={() => void copy()} disabled={link === null} data-testid="share-copy">
          Copy link
        </button>
      </div>
      {copied && (
        <p className="muted" role="status">
          {copied}
        </p>
      )}
      <button type="button" className="close" onClick={onClose} data-testid="share-close">
        Close (Esc)
      </button>
    </Modal>
  );
}

type Incoming =
  | { readonly kind: 'reading' }
  | { readonly kind: 'bad'; readonly reason: string }
  | { readonly kind: 'ask'; readonly state: ShareState; readonly info: SnapshotInfo | null }
  | { readonly kind: 'loading' }
  | { readonly kind: 'done'; readonly result: ApplyResult };

function forgetHash(): void {
  history.replaceState(null, '', `${location.pathname}${location.search}`);
}

function OpenShare({ onClose }: { onClose: () => void }) {
  const runtime = useRuntime();
  const [incoming, setIncoming] = useState<Incoming>({ kind: 'reading' });

  useEffect(() => {
    const data = shareDataOf(location.hash) ?? '';
    // The link is read once: a reload after this does not offer it again.
    forgetHash();
    decodeShare(data).then(
      (state) => {
        try {
          setIncoming({ kind: 'ask', state, info: state.rdb ? inspectSnapshot(state.rdb, state.savedAt) : null });
        } catch (err) {
          setIncoming({
            kind: 'bad',
            reason: err instanceof ShareError ? err.message : 'the snapshot could not be read',
          });
        }
      },
      (err: unknown) =>
        setIncoming({
          kind: 'bad',
          reason: err instanceof ShareError ? err.message : 'the link could not be read',
        }),
    );
  }, []);

  const load = useCallback(
    async (state: ShareState, info: SnapshotInfo | null) => {
      setIncoming({ kind: 'loading' });
      await runtime.ready;
      try {
        setIncoming({ kind: 'done', result: await applyShare(runtime, state, info) });
      } catch (err) {
        setIncoming({ kind: 'bad', reason: err instanceof Error ? err.message : String(err) });
      }
    },
    [runtime],
  );

  if (incoming.kind === 'bad') {
    return (
      <Modal title="This share link can’t be opened" onClose={onClose} testId="share-refused">
        <p role="alert" data-testid="share-reason">
          {incoming.reason.charAt(0).toUpperCase() + incoming.reason.slice(1)}.
        </p>
        <p className="muted">Nothing was loaded; the lab is as it was.</p>
        <button type="button" className="close" onClick={onClose} data-testid="share-close">
          Close
        </button>
      </Modal>
    );
  }
  if (incoming.kind === 'done') {
    const { keysLoaded, problem } = incoming.result;
    return (
      <Modal title="Shared lab loaded" onClose={onClose} testId="share-done">
        <p data-testid="share-result">
          {keysLoaded === null
            ? 'The keyspace was emptied (the link carried no keys).'
            : `Loaded ${keysLoaded} key${keysLoaded === 1 ? '' : 's'} from the shared snapshot.`}
        </p>
        {problem && (
          <p className="share-error" role="alert">
            {problem}
          </p>
        )}
        <button type="button" className="close" onClick={onClose} data-testid="share-close">
          Close
        </button>
      </Modal>
    );
  }
  if (incoming.kind !== 'ask') {
    return (
      <Modal title="Shared lab" onClose={onClose} testId="share-open">
        <p>{incoming.kind === 'reading' ? 'Reading the link…' : 'Loading…'}</p>
      </Modal>
    );
  }
  const { state, info } = incoming;
  const keys = [...(info?.keys ?? [])].sort((x, y) => x.db - y.db || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  const dbs = new Set(keys.map((k) => k.db));
  const withTtl = keys.filter((k) => k.ttl >= 0).length;
  return (
    <Modal title="Open a shared lab?" onClose={onClose} testId="share-open">
      <p>Someone shared a lab state. Loading it replaces every key in this lab with:</p>
      <ul data-testid="share-preview">
        <li>
          {state.rdb
            ? `a snapshot of ${keys.length} key${keys.length === 1 ? '' : 's'}${dbs.size > 1 ? ` in ${dbs.size} databases` : ''}${withTtl > 0 ? ` (${withTtl} with a TTL)` : ''}`
            : 'an empty keyspace (FLUSHALL)'}
        </li>
        {state.commands.length > 0 && (
          <li>
            then {state.commands.length} command{state.commands.length === 1 ? '' : 's'} typed into the terminal
          </li>
        )}
        {state.lesson && (
          <li>
            lesson <code>{state.lesson.id}</code>, step {state.lesson.step + 1}
          </li>
        )}
        {state.clockOffsetMs > 0 && <li>the clock moved {Math.round(state.clockOffsetMs / 1000)} s ahead</li>}
      </ul>
      {keys.length > 0 && (
        <>
          <h3>Keys</h3>
          <ul className="share-list" data-testid="share-keys">
            {keys.slice(0, PREVIEW_KEYS).map((k) => (
              <li key={`${k.db}:${k.key}`}>
                {dbs.size > 1 || k.db !== 0 ? `db${k.db} ` : ''}
                {toDisplay(k.key)}{' '}
                <span className="muted">
                  ({k.type}
                  {k.ttl >= 0 ? `, TTL ${Math.ceil(k.ttl / 1000)} s` : ''})
                </span>
              </li>
            ))}
            {keys.length > PREVIEW_KEYS && <li className="muted">… and {keys.length - PREVIEW_KEYS} more</li>}
          </ul>
        </>
      )}
      {state.commands.length > 0 && (
        <>
          <h3>Commands</h3>
          <pre className="share-list" data-testid="share-command-list">
            {state.commands.join('\n')}
          </pre>
        </>
      )}
      <div className="share-row">
        <button type="button" onClick={() => void load(state, info)} data-testid="share-confirm">
          Load it
        </button>
        <button type="button" onClick={onClose} data-testid="share-cancel">
          Cancel
        </button>
      </div>
    </Modal>
  );
}

export default function ShareDialog({ mode, onClose }: { mode: ShareMode; onClose: () => void }) {
  return mode === 'create' ? <CreateShare onClose={onClose} /> : <OpenShare onClose={onClose} />;
}
