// Everything of the lab that lives outside React, created once per page: the store, the engine
// worker's client, the shared command history and the command docs. The terminals (xterm, heavy)
// load lazily from terminal/session-registry.ts.

import { buildHelpEntries, type HelpEntry } from '../engine/protocol/hints';
import type { Endpoint, FromWorker, ToWorker } from '../engine/worker/protocol';
import { EngineClient } from './engine-client/engine-client';
import { EngineWatchdog } from './engine-client/watchdog';
import { terminalReady } from './pwa/ready';
import { createLabStore, type LabStore } from './store/create-store';
import { HistoryFile, type KeyValueStorage } from './terminal/history';

export interface LabRuntime {
  readonly store: LabStore;
  readonly client: EngineClient;
  readonly history: HistoryFile;
  /** Help table from the engine's command docs; empty until the worker answers. */
  helpEntries(): readonly HelpEntry[];
  /** While only the first commands' docs are in: the promise of all of them (see SessionEnv.helpPending). */
  helpPending(): Promise<void> | null;
  readonly ready: Promise<void>;
  /**
   * The engine stopped answering (the notice's buttons): keep waiting, or start a new worker from
   * what was saved, as after a crash.
   */
  readonly engine: { keepWaiting(): void; restart(): void };
  /** Test-only: end the worker as the browser does when it runs out of memory (no error event). */
  terminateWorkerSilently(): void;
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
    replace(e.message || 'the engine worker failed');
  };
  const replace = (reason: string) => {
    watchdog.stop();
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
    client.replaceWorker(worker as unknown as Endpoint<FromWorker, ToWorker>, reason).then(
      () => {
        if (restart === restarts) watchdog.start();
      },
      (err: unknown) => {
        if (restart === restarts) store.getState().setEngineFailed(err instanceof Error ? err.message : String(err));
      },
    );
  };
  worker.addEventListener('error', onError);
  // A worker that stops answering: a notice after 10 s, or (shared memory) a restart when it is gone.
  const watchdog = new EngineWatchdog(
    {
      now: () => performance.now(),
      setInterval: (fn, ms) => setInterval(fn, ms),
      clearInterval: (h) => clearInterval(h as ReturnType<typeof setInterval>),
      ping: () => client.ping(),
      pulse: () => client.pulse(),
    },
    {
      stuck: (ms) => store.getState().setEngineStuck(ms),
      recovered: () => store.getState().setEngineStuck(null),
      dead: () => replace('it stopped without an error, as when the browser ends it for using too much memory'),
    },
  );
  client.onBusy((busy) => store.getState().setBusy(busy));
  let entries: readonly HelpEntry[] = [];
  const ready = client.hello().then(
    (docs) => {
      started = true;
      entries = buildHelpEntries(docs);
      store.getState().setEngineReady();
      watchdog.start();
    },
    (err: unknown) => store.getState().setEngineFailed(err instanceof Error ? err.message : String(err)),
  );
  // hello's docs cover the groups the worker serves first. Asking for all of them once the terminal
  // is ready also tells the worker to load the rest of the engine (lab-server.ts).
  /** Until every command's docs are in: resolved when they are (or when asking for them failed). */
  let allDocs: Promise<void> | null = ready
    .then(() => terminalReady)
    .then(() => (started ? client.commandDocs() : null))
    .then(
      (all) => {
        if (all) entries = buildHelpEntries(all);
      },
      () => {},
    )
    .finally(() => {
      allDocs = null;
    });
  return {
    store,
    client,
    history: new HistoryFile(storage()),
    helpEntries: () => entries,
    helpPending: () => allDocs,
    ready,
    engine: {
      keepWaiting: () => watchdog.keepWaiting(),
      restart: () => replace('it stopped answering and was restarted on request'),
    },
    terminateWorkerSilently: () => worker.terminate(),
  };
}
