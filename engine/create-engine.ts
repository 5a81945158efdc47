// createEngine's body on a given command table (index.ts passes the full one). The browser worker
// uses it for servers it restarts, on its own table that grew in two steps (engine/worker/worker.ts).

import { type Clock, systemClock } from './clock';
import type { CommandTable } from './commands/table';
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

/** A server on `table`: persistence installed and whatever the disk holds loaded. */
export function createEngineOn(table: CommandTable, opts: CreateEngineOptions = {}): Engine {
  const engine = new Engine({
    clock: opts.clock ?? systemClock,
    random: createRandom(opts.seed ?? Date.now()),
    table,
    config: opts.config,
  });
  installPersistence(engine, { disk: opts.disk, journal: opts.journal ?? false });
  loadAtStartup(engine);
  return engine;
}
