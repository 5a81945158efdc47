// Public entry of the engine: createEngine({ clock, seed, config }) → Engine.
// Pure TypeScript: no DOM, no Node built-ins; runs in the Worker, in Node tests and the TCP server.

import { type Clock, systemClock } from './clock';
import { commandTable } from './commands';
import { Engine } from './engine';
import type { VirtualDisk } from './persistence/disk';
import { installPersistence, loadAtStartup } from './persistence/lifecycle';
import { createRandom } from './random';

export interface CreateEngineOptions {
  clock?: Clock;
  /** Seed for the PRNG (skip-list levels, SPOP, RANDOMKEY, dict hashing). */
  seed?: number;
  /** Initial CONFIG values, as on redis-server's command line (name → value). */
  config?: Record<string, string>;
  /**
   * The disk the server persists to (RDB, AOF) and loads from at start; an empty in-memory disk when
   * absent. The load report is persistenceOf(engine).lastLoadReport (ok: false where Redis would exit).
   */
  disk?: VirtualDisk;
  /**
   * Keep the lab's write journal (persistence/journal.ts): every propagated write and where it
   * landed on disk, for the persistence panel's crash account. Off by default — it costs an
   * allocation per write — so the Node server, the bench and plain tests pay nothing; the browser
   * worker and the lessons' in-process lab switch it on (and pass it on to restarted servers).
   */
  journal?: boolean;
}

export function createEngine(opts: CreateEngineOptions = {}): Engine {
  const engine = new Engine({
    clock: opts.clock ?? systemClock,
    random: createRandom(opts.seed ?? Date.now()),
    table: commandTable,
    config: opts.config,
  });
  installPersistence(engine, { disk: opts.disk, journal: opts.journal ?? false });
  loadAtStartup(engine);
  return engine;
}

export { Engine } from './engine';
export { Client } from './client';
export { ManualClock, systemClock, type Clock } from './clock';
export type { Reply } from './protocol/reply';
export type { EngineEvent } from './events';
