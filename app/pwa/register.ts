// Registers the service worker (built by vite-plugin-pwa, see app/pwa/vite-plugins.ts) in 'prompt'
// mode: a new version waits until the user clicks Reload. Loaded lazily after the terminal is up.
/// <reference types="vite-plugin-pwa/client" />

import { registerSW } from 'virtual:pwa-register';

export type UpdateState = 'none' | 'available' | 'activated-elsewhere';

export interface PwaUpdater {
  /** Activate the waiting version and reload this page: only ever called from a user's click. */
  reload(): void;
}

export function registerServiceWorker(onUpdate: (state: UpdateState) => void): PwaUpdater {
  let userAsked = false;
  // The page reloads only when the controller changes after this user's click. A change without a
  // click (another tab's user took the update) is announced; a first install taking the page is not.
  let controlled = navigator.serviceWorker.controller !== null;
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (userAsked) window.location.reload();
    else if (controlled) onUpdate('activated-elsewhere');
    controlled = true;
  });
  const update = registerSW({
    immediate: true,
    onNeedRefresh: () => onUpdate('available'),
    // Handled above: the plugin would otherwise reload by itself.
    onNeedReload: () => {},
  });
  return {
    reload() {
      if (userAsked) return;
      userAsked = true;
      void update(true);
    },
  };
}
