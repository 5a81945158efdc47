// The Web Worker entry: the only file that touches the worker's global scope. It creates the engine
// and serves the page through EngineHost; everything else is testable without a worker.

import { createEngine } from '../index';
import { EngineHost, LAB_CONFIG } from './host';
import type { Endpoint, FromWorker, ToWorker } from './protocol';

const scope = self as unknown as Endpoint<ToWorker, FromWorker>;
new EngineHost(createEngine({ config: { ...LAB_CONFIG } }), scope);
