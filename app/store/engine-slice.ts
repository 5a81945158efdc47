// What the UI shows about the engine: starting / ready / failed, and busy while the worker is
// inside a long command. The engine client sets these; high-rate events never go through here.

import type { SliceCreator } from './types';

export interface EngineSlice {
  setEngineReady(): void;
  setEngineFailed(message: string): void;
  setBusy(busy: boolean): void;
  /** The engine has not answered for `ms` (app/engine-client/watchdog.ts); null once it does. */
  setEngineStuck(ms: number | null): void;
}

export const createEngineSlice: SliceCreator<EngineSlice> = (set) => ({
  setEngineReady() {
    set({ engine: 'ready', engineError: null });
  },
  setEngineFailed(message) {
    set({ engine: 'failed', engineError: message });
  },
  setBusy(busy) {
    set({ busy });
  },
  setEngineStuck(ms) {
    set({ engineStuck: ms });
  },
});
