// The help overlay: the lab's shortcuts and the terminal's editing keys, as a modal dialog that
// takes focus, closes on Escape and gives focus back.

import { useEffect, useRef } from 'react';
import { useRuntime } from '../runtime-context';
import { EDITING_KEYS, SHORTCUTS } from '../shortcuts';

export default function HelpOverlay() {
  const { store } = useRuntime();
  const dialog = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    dialog.current?.focus();
    return () => previous?.focus();
  }, []);
  const close = () => store.getState().setHelpOpen(false);
  return (
    <div className="overlay">
      <button type="button" className="backdrop" aria-label="Close help" tabIndex={-1} onClick={close} />
      <div
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="help-title"
        tabIndex={-1}
        ref={dialog}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            close();
          }
        }}
      >
        <h2 id="help-title">Keyboard</h2>
        <p className="muted">
          Each terminal behaves like <code>redis-cli</code> 7.0: type <code>HELP SET</code> or <code>HELP @list</code>{' '}
          for command help, <code>3 INCR n</code> to repeat a command.
        </p>
        <h3>Lab</h3>
        <KeyTable rows={SHORTCUTS} />
        <h3>Terminal</h3>
        <KeyTable rows={EDITING_KEYS} />
        <button type="button" className="close" onClick={close}>
          Close (Esc)
        </button>
      </div>
    </div>
  );
}

function KeyTable({ rows }: { rows: readonly (readonly [string, string])[] }) {
  return (
    <table className="keys">
      <tbody>
        {rows.map(([keys, what]) => (
          <tr key={keys}>
            <th scope="row">
              <kbd>{keys}</kbd>
            </th>
            <td>{what}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
