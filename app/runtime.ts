// Everything of the lab that lives outside React, created once per page: the store, the engine
// worker's client, the shared command history and the command docs. The terminals (xterm, heavy)
// load lazily from terminal/session-registry.ts.

import { buildHelpEntries, type HelpEntry } from '../engine/protocol/hints';
import type { Endpoint, FromWorker, ToWorker } from '../engine/worker/protocol';
import { EngineClient } from './engine-client/engine-client';
import { createLabStore, type LabStore } from './store/create-store';
import { HistoryFile, type KeyValueStorage } from './terminal/history';

export interface LabRuntime {
  readonly store: LabStore;
  readonly client: EngineClient;
  readonly history: HistoryFile;
  /** Help table from the engine's command docs; empty until the worker answers. */
  helpEntries(): readonly HelpEntry[];
  readonly ready: Promise<void>;
}

function storage(): KeyValueStorage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

export function createRuntime(): LabRuntime {
  const systemDark = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)').matches : true;
  const store = createLabStore({ storage: storage(), systemDark });
  const worker = new Worker(new URL('../engine/worker/worker.ts', import.meta.url), {
    type: 'module',
    name: 'redis-engine',
  });
  const client = new EngineClient(worker as unknown as Endpoint<FromWorker, ToWorker>);
  worker.addEventListener('error', (e) => store.getState().setEngineFailed(e.message || 'the engine worker failed'));
  client.onBusy((busy) => store.getState().setBusy(busy));
  let entries: readonly HelpEntry[] = [];
  const ready = client.hello().then(
    (docs) => {
      entries = buildHelpEntries(docs);
      store.getState().setEngineReady();
    },
    (err: unknown) => store.getState().setEngineFailed(err instanceof Error ? err.message : String(err)),
  );
  return { store, client, history: new HistoryFile(storage()), helpEntries: () => entries, ready };
}
