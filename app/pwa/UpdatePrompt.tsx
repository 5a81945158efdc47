// "A new version is ready" bar: shown when a newer service worker waits (or took over from another
// tab). Nothing reloads until the user clicks Reload; the engine's saved data (IndexedDB, OPFS,
// localStorage) is never touched by an update — the service worker only manages its own caches.

import { useEffect, useRef, useState } from 'react';
import './pwa.css';
import { terminalReady } from './ready';
import type { PwaUpdater, UpdateState } from './register';

export function UpdatePrompt() {
  const [state, setState] = useState<UpdateState>('none');
  const updater = useRef<PwaUpdater | null>(null);

  useEffect(() => {
    if (!('serviceWorker' in navigator) || !import.meta.env.PROD) return;
    let cancelled = false;
    void terminalReady
      .then(() => import('./register'))
      .then(({ registerServiceWorker }) => {
        if (!cancelled && !updater.current) updater.current = registerServiceWorker(setState);
      });
    return () => {
      cancelled = true;
    };
  }, []);

  if (state === 'none') return null;
  const reload = () => {
    if (state === 'activated-elsewhere') window.location.reload();
    else updater.current?.reload();
  };
  return (
    <div className="update-prompt" role="status" aria-live="polite">
      <span>
        {state === 'available'
          ? 'A new version of Redis Lab is ready.'
          : 'Redis Lab was updated in another tab. Reload to use the new version.'}
      </span>
      <button type="button" onClick={reload}>
        Reload
      </button>
      <button type="button" onClick={() => setState('none')} aria-label="Dismiss update notice">
        Later
      </button>
    </div>
  );
}
