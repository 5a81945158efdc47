// One session's pane: a header (name, status, rename, close) and its terminal, kept fitted to
// the pane by the fit addon on every resize (batched to one fit per frame).

import { type FormEvent, memo, useEffect, useRef, useState } from 'react';
import { useRuntime } from '../runtime-context';
import type { SessionInfo } from '../store/initial-state';
import { effectiveTheme } from '../store/settings-slice';
import { useLab } from '../store/useLab';
import type { SessionStatus } from './cli-session';
import type { SessionRegistry } from './session-registry';

const STATUS_TEXT: Record<SessionStatus, string> = {
  ready: '',
  running: 'running…',
  blocked: 'blocked — Ctrl+C stops waiting',
  monitor: 'monitoring — Ctrl+C stops',
  subscribed: 'subscribed — Ctrl+C leaves',
  disconnected: 'not connected',
};

interface Props {
  session: SessionInfo;
  index: number;
  active: boolean;
  registry: SessionRegistry;
}

/** Memoized: a status change in one session re-renders that pane only (statuses change around commands). */
export const SessionPane = memo(function SessionPane({ session, index, active, registry }: Props) {
  const { store } = useRuntime();
  const host = useRef<HTMLDivElement>(null);
  const fontSize = useLab((s) => s.fontSize);
  const theme = useLab(effectiveTheme);
  const renaming = useLab((s) => s.renamingSession === session.id);
  const handle = registry.get(session.id);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    handle.attach(el);
    let frame = 0;
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => handle.fit());
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
      cancelAnimationFrame(frame);
    };
  }, [handle]);

  useEffect(() => {
    handle.setAppearance(fontSize, theme);
  }, [handle, fontSize, theme]);

  const status = STATUS_TEXT[session.status];
  return (
    <section
      className={`pane${active ? ' active' : ''}`}
      aria-label={`Terminal ${session.name}`}
      data-session={session.id}
      onFocus={() => {
        if (!active) store.getState().focusSession(session.id);
      }}
      onMouseDown={() => {
        if (!active) store.getState().focusSession(session.id);
      }}
    >
      <header className="pane-header">
        <span className="pane-index" aria-hidden="true">
          {index + 1}
        </span>
        {renaming ? (
          <RenameField session={session} onDone={() => handle.focus()} />
        ) : (
          <button
            type="button"
            className="pane-name"
            title="Rename (Alt+R)"
            onClick={() => store.getState().setRenaming(session.id)}
          >
            {session.name}
          </button>
        )}
        {status && <span className={`pane-status ${session.status}`}>{status}</span>}
        <button
          type="button"
          className="pane-close"
          aria-label={`Close ${session.name}`}
          title="Close session (Alt+W)"
          onClick={() => store.getState().closeSession(session.id)}
        >
          ×
        </button>
      </header>
      <div className="pane-terminal" ref={host} />
    </section>
  );
});

function RenameField({ session, onDone }: { session: SessionInfo; onDone: () => void }) {
  const { store } = useRuntime();
  const [name, setName] = useState(session.name);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, []);
  const finish = (save: boolean) => {
    if (save) store.getState().renameSession(session.id, name);
    store.getState().setRenaming(null);
    onDone();
  };
  return (
    <form
      className="rename"
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        finish(true);
      }}
    >
      <input
        ref={input}
        value={name}
        aria-label="Session name"
        maxLength={40}
        onChange={(e) => setName(e.target.value)}
        onBlur={() => finish(true)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            finish(false);
          }
        }}
      />
    </form>
  );
}
