// Public entry of the engine: createEngine({ clock, seed, config }) → Engine.
// Pure TypeScript: no DOM, no Node built-ins; runs in the Worker, in Node tests and the TCP server.

import { commandTable } from './commands';
import { type CreateEngineOptions, createEngineOn } from './create-engine';
import type { Engine } from './engine';

export type { CreateEngineOptions } from './create-engine';

/** A server with every command group, persistence installed and whatever the disk holds loaded. */
export function createEngine(opts: CreateEngineOptions = {}): Engine {
  return createEngineOn(commandTable, opts);
}

export { Engine } from './engine';
export { Client } from './client';
export { ManualClock, systemClock, type Clock } from './clock';
export type { Reply } from './protocol/reply';
export type { EngineEvent } from './events';
