// The browser worker's server, built in two steps (the start-up budget, bench/BUDGETS.md): the
// first chunk holds the engine core and the core command groups (commands/core.ts); the second
// (engine-rest.ts: the other groups, persistence, the panels' inspectors) is loaded later. On an
// empty storage the server starts serving on the core at once; the rest is fetched when a message
// needs it, when the page asks for every command's docs (once its terminal is ready), or at the
// latest `restLatestMs` after start. Until it arrives the host holds any message that needs it and
// every later one (core-gate.ts). When the storage holds files, the rest is loaded first: the
// server cannot serve before it has loaded them. worker.ts binds this to the worker's scope.

import type { AdvanceableClock, Clock } from '../clock';
import { CORE_COMMANDS } from '../commands/core';
import { CommandTable } from '../commands/table';
import { Engine } from '../engine';
import type { LoadReport } from '../persistence/lifecycle';
import { createRandom } from '../random';
import { needsRest } from './core-gate';
import type { EarlyWrite } from './engine-rest';
import { EngineHost, type FileStore, LAB_CONFIG } from './host';
import type { HostPanels } from './host-panels';
import type { Endpoint, FromWorker, ToWorker } from './protocol';
import type { WorkerSetup } from './start';

/**
 * The rest is fetched this long after start at the latest (ms), if nothing asked for it before:
 * well after the cold-start budget's 1 s, so it never competes with the page's start-up.
 */
const REST_LATEST_MS = 3000;

/** The second chunk's exports. */
export type EngineRest = typeof import('./engine-rest');

export interface LabServerOptions {
  clock: AdvanceableClock & Clock;
  /** Fetches the second chunk (worker.ts: a dynamic import of engine-rest.ts). */
  loadRest: () => Promise<EngineRest>;
  /** DEBUG SEGFAULT / PANIC (HostOptions.crash). */
  crash?: (reason: string) => void;
  /** The rest is fetched this long after start at the latest (ms; REST_LATEST_MS by default). */
  restLatestMs?: number;
  /** serverCron's period (HostOptions.cronMs); tests pass 0. */
  cronMs?: number;
  /** PRNG seed (createEngine's); the time by default. */
  seed?: number;
  setTimeout?: (fn: () => void, ms: number) => unknown;
}

export interface LabServer {
  /** startWorker's `build`. */
  build(setup: WorkerSetup): Promise<EngineHost>;
  /** startWorker's `startupReport` (asked only when the storage held files: the rest is loaded). */
  startupReport(engine: Engine): LoadReport | null;
  /** The one command table: the core groups, then the rest when their chunk arrives. */
  readonly table: CommandTable;
}

export function labServer(scope: Endpoint<ToWorker, FromWorker>, opts: LabServerOptions): LabServer {
  const { clock } = opts;
  const later = opts.setTimeout ?? ((fn, ms) => setTimeout(fn, ms));
  const table = new CommandTable(CORE_COMMANDS);
  let rest: EngineRest | null = null;
  let loading: Promise<EngineRest> | null = null;
  const loadRest = (): Promise<EngineRest> => {
    loading ??= opts.loadRest().then((r) => {
      table.add(r.REST_COMMANDS);
      rest = r;
      return r;
    });
    return loading;
  };
  /** The rest of the engine, for messages the host holds until it is loaded. */
  const loaded = (): EngineRest => {
    if (rest === null) throw new Error('the engine is still loading');
    return rest;
  };

  async function build({ lab, storage, settings, keep }: WorkerSetup): Promise<EngineHost> {
    // The server starts on the browser's storage with the settings redis-lab.conf kept, and loads
    // what it finds there (the AOF when appendonly is yes, else dump.rdb).
    const config = { ...LAB_CONFIG, ...settings };
    let engine: Engine;
    let panels: HostPanels | undefined;
    const early: EarlyWrite[] = [];
    let stopRecording: (() => void) | null = null;
    // (Also when the rest is already in: files it could not start on, now replaced by memory.)
    if (lab.hadFiles || rest !== null) {
      const r = await loadRest();
      engine = keep(
        r.createEngineOn(table, {
          clock,
          seed: opts.seed,
          disk: new r.VirtualDisk(storage, clock),
          journal: true,
          config,
        }),
      );
      panels = r.HOST_PANELS;
    } else {
      // As createEngine, without persistence yet: the disk is empty, there is nothing to load.
      engine = keep(new Engine({ clock, random: createRandom(opts.seed ?? Date.now()), table, config }));
      // The writes made meanwhile, for the journal (and the AOF) once persistence is installed.
      stopRecording = engine.on(
        (e) => {
          if (e.type === 'propagate') early.push({ db: e.db, argv: e.argv, at: clock.now() });
        },
        ['propagate'],
      );
    }
    const files: FileStore = {
      read: (name) =>
        loaded()
          .diskFileStore(() => host.engine)
          .read(name),
      write: (name, data) =>
        loaded()
          .diskFileStore(() => host.engine)
          .write(name, data),
    };
    const host: EngineHost = new EngineHost(engine, scope, {
      clock,
      panels,
      cronMs: opts.cronMs,
      // Download / Upload in the persistence panel: the current server's virtual disk.
      files,
      crash: opts.crash,
      // ":crash kill|power" and ":restart": a new server on the same disk.
      restart: (how, previous) => {
        const r = loaded();
        return r.restartServer(previous, how, (disk) =>
          keep(
            r.createEngineOn(table, {
              clock,
              disk,
              journal: true,
              config: { ...LAB_CONFIG, ...r.persistenceSettings(previous) },
            }),
          ),
        );
      },
    });
    if (stopRecording !== null) {
      const stop = stopRecording;
      let fetching = false;
      const fetchRest = () => {
        if (fetching) return;
        fetching = true;
        loadRest().then(
          (r) => {
            stop();
            r.installPersistenceLate(engine, new r.VirtualDisk(storage, clock), early, true);
            host.complete(r.HOST_PANELS);
          },
          // The chunk could not be fetched: the worker fails (an uncaught error), the page says so.
          (err: unknown) =>
            later(() => {
              throw err;
            }, 0),
        );
      };
      host.holdUntilComplete((msg) => needsRest(table, msg), fetchRest);
      later(fetchRest, opts.restLatestMs ?? REST_LATEST_MS);
    }
    return host;
  }

  return {
    build,
    startupReport: (engine) => loaded().persistenceOf(engine).lastLoadReport,
    table,
  };
}
