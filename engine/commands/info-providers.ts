// INFO fields owned by other subsystems (persistence's fork counters, ...): a provider registered
// here replaces the value server-info.ts would print, so INFO stays one function. A leaf module,
// so any subsystem can register without importing the INFO builder (and without import cycles).

import type { Engine } from '../engine';

export const infoFieldProviders = new Map<string, (engine: Engine) => string | number>();
