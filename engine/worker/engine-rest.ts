// The browser worker's second chunk: every command group outside the core (commands/rest.ts),
// persistence (RDB, AOF, the disk model), the persistence panel's files and restarts. worker.ts
// imports it right after the engine starts serving, or first when the storage holds files to load.

import type { Engine } from '../engine';
import type { VirtualDisk } from '../persistence/disk';
import { installPersistence, loadAtStartup } from '../persistence/lifecycle';

export { REST_COMMANDS } from '../commands/rest';
export { createEngineOn } from '../create-engine';
export { VirtualDisk } from '../persistence/disk';
export { persistenceOf } from '../persistence/lifecycle';
export { HOST_PANELS } from './host-panels';
export { diskFileStore } from './persistence-panel';
export { persistenceSettings, restartServer } from './restart';

/** A write propagated before persistence was installed (EarlyWrites), and when. */
export interface EarlyWrite {
  readonly db: number;
  readonly argv: readonly string[];
  readonly at: number;
}

/**
 * Persistence for a server that started without it on a disk that held no files (worker.ts), as
 * createEngine would have installed it at start: nothing to load, save points counted from the
 * start, and the writes made meanwhile journaled (and appended, were the AOF on) in order.
 */
export function installPersistenceLate(
  engine: Engine,
  disk: VirtualDisk,
  early: readonly EarlyWrite[],
  journal: boolean,
): void {
  const p = installPersistence(engine, { disk, journal });
  loadAtStartup(engine);
  p.lastsave = Math.floor(engine.stats.startTime / 1000);
  for (const w of early) p.aof.onPropagate(w.db, w.argv, p.journal.record(w.db, w.argv, w.at));
}
