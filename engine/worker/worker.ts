// The Web Worker entry: the only file that touches the worker's global scope. It creates the engine
// and serves the page through EngineHost; everything else is testable without a worker.

import { OffsetClock } from '../clock';
import { createEngine } from '../index';
import { EngineHost, LAB_CONFIG } from './host';
import { persistenceSettings, restartServer } from './restart';
import type { Endpoint, FromWorker, ToWorker } from './protocol';

const scope = self as unknown as Endpoint<ToWorker, FromWorker>;
// Lessons move time forward (":advance 10s"), so the engine runs on real time plus an offset.
const clock = new OffsetClock();
new EngineHost(createEngine({ clock, config: { ...LAB_CONFIG } }), scope, {
  clock,
  // ":crash kill|power" and ":restart": a new server on the same (in-memory) disk.
  restart: (how, previous) =>
    restartServer(previous, how, (disk) =>
      createEngine({ clock, disk, config: { ...LAB_CONFIG, ...persistenceSettings(previous) } }),
    ),
});
