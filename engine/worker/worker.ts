// The Web Worker entry: the only file that touches the worker's global scope. It opens the lab's
// storage and creates the server on it (start.ts, lab-server.ts), then serves the page through
// EngineHost; everything else is testable without a worker. The rest of the engine (engine-rest.ts)
// is a separate chunk, loaded after the server starts serving (lab-server.ts says when).

import { OffsetClock } from '../clock';
import { labServer } from './lab-server';
import type { Endpoint, FromWorker, ToWorker } from './protocol';
import { startWorker } from './start';

const scope = self as unknown as Endpoint<ToWorker, FromWorker>;
const server = labServer(scope, {
  // Lessons move time forward (":advance 10s"), so the engine runs on real time plus an offset.
  clock: new OffsetClock(),
  loadRest: () => import('./engine-rest'),
  // DEBUG SEGFAULT / PANIC: the worker dies (an uncaught error); the page starts a new one.
  crash: (reason) =>
    setTimeout(() => {
      throw new Error(reason);
    }),
});
void startWorker(scope, server.build, server.startupReport);
