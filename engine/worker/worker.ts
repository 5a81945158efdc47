// The Web Worker entry: the only file that touches the worker's global scope. It opens the lab's
// storage and creates the engine on it (start.ts), then serves the page through EngineHost;
// everything else is testable without a worker.

import { OffsetClock } from '../clock';
import { createEngine } from '../index';
import { VirtualDisk } from '../persistence/disk';
import { EngineHost, LAB_CONFIG } from './host';
import { diskFileStore } from './persistence-panel';
import { persistenceSettings, restartServer } from './restart';
import type { Endpoint, FromWorker, ToWorker } from './protocol';
import { startWorker } from './start';

const scope = self as unknown as Endpoint<ToWorker, FromWorker>;
// Lessons move time forward (":advance 10s"), so the engine runs on real time plus an offset.
const clock = new OffsetClock();
void startWorker(scope, ({ storage, settings, keep }) => {
  // The server starts on the browser's storage with the settings redis-lab.conf kept, and loads
  // what it finds there (the AOF when appendonly is yes, else dump.rdb).
  const disk = new VirtualDisk(storage, clock);
  const host: EngineHost = new EngineHost(
    keep(createEngine({ clock, disk, journal: true, config: { ...LAB_CONFIG, ...settings } })),
    scope,
    {
      clock,
      // Download / Upload in the persistence panel: the current server's virtual disk.
      files: diskFileStore(() => host.engine),
      // DEBUG SEGFAULT / PANIC: the worker dies (an uncaught error); the page starts a new one.
      crash: (reason) =>
        setTimeout(() => {
          throw new Error(reason);
        }),
      // ":crash kill|power" and ":restart": a new server on the same disk.
      restart: (how, previous) =>
        restartServer(previous, how, (d) =>
          keep(
            createEngine({
              clock,
              disk: d,
              journal: true,
              config: { ...LAB_CONFIG, ...persistenceSettings(previous) },
            }),
          ),
        ),
    },
  );
  return host;
});
