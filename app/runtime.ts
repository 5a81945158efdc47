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

/** The engine's module worker. */
function startWorker(): Worker {
  return new Worker(new URL('../engine/worker/worker.ts', import.meta.url), { type: 'module', name: 'redis-engine' });
}

/** More crashes than this within CRASH_WINDOW_MS and the lab stops restarting the worker. */
const MAX_CRASHES = 3;
const CRASH_WINDOW_MS = 10_000;

export function createRuntime(): LabRuntime {
  const systemDark = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)').matches : true;
  const store = createLabStore({ storage: storage(), systemDark });
  let worker = startWorker();
  const client = new EngineClient(worker as unknown as Endpoint<FromWorker, ToWorker>);
  let started = false;
  let crashes: number[] = [];
  /** Bumped per crash: a restart cut short by another crash must not mark the engine failed. */
  let restarts = 0;
  // An uncaught error in the worker (DEBUG SEGFAULT, a bug): the engine is gone. Once the engine had
  // started, a new worker takes over (it loads what the old one saved) and the sessions reconnect.
  const onError = (e: ErrorEvent) => {
    e.preventDefault();
    const reason = e.message || 'the engine worker failed';
    const now = Date.now();
    crashes = [...crashes.filter((t) => now - t < CRASH_WINDOW_MS), now];
    worker.removeEventListener('error', onError);
    worker.terminate();
    if (!started || crashes.length > MAX_CRASHES) {
      store.getState().setEngineFailed(reason);
      return;
    }
    worker = startWorker();
    worker.addEventListener('error', onError);
    const restart = ++restarts;
    client.replaceWorker(worker as unknown as Endpoint<FromWorker, ToWorker>, reason).catch((err: unknown) => {
      if (restart === restarts) store.getState().setEngineFailed(err instanceof Error ? err.message : String(err));
    });
  };
  worker.addEventListener('error', onError);
  client.onBusy((busy) => store.getState().setBusy(busy));
  let entries: readonly HelpEntry[] = [];
  const ready = client.hello().then(
    (docs) => {
      started = true;
      entries = buildHelpEntries(docs);
      store.getState().setEngineReady();
    },
    (err: unknown) => store.getState().setEngineFailed(err instanceof Error ? err.message : String(err)),
  );
  return { store, client, history: new HistoryFile(storage()), helpEntries: () => entries, ready };
}
