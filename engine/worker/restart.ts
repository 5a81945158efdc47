// The lab's ":crash kill|power" and ":restart": the server dies (or shuts down cleanly) and a new one
// starts on the same disk with the settings the old one had (persistence/lifecycle.ts does the
// work). Used by the worker (worker.ts) and by the lessons' in-process lab.

import type { Engine } from '../engine';
import type { VirtualDisk } from '../persistence/disk';
import {
  accountRestart,
  crashAndRestart,
  type LoadReport,
  loadAtStartup,
  persistenceOf,
  policyOf,
  prepareForShutdown,
} from '../persistence/lifecycle';
import { KEPT_ON_RESTART } from './kept-settings';

export { KEPT_ON_RESTART };

export function persistenceSettings(engine: Engine): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of KEPT_ON_RESTART) out[name] = engine.config.get(name);
  return out;
}

/** Crash (or cleanly restart) `old` and start a new server on its disk; the new one and its report. */
export function restartServer(
  old: Engine,
  how: 'kill' | 'power' | 'restart',
  make: (disk: VirtualDisk) => Engine,
): { engine: Engine; report: LoadReport } {
  if (how !== 'restart') return crashAndRestart(old, how, make);
  const p = persistenceOf(old);
  const policy = policyOf(old);
  const at = old.clock.now();
  prepareForShutdown(p, { save: false, nosave: false, now: false, force: true });
  const engine = make(p.disk);
  const report = persistenceOf(engine).lastLoadReport ?? loadAtStartup(engine);
  accountRestart(old, policy, 'restart', at, engine, report);
  return { engine, report };
}
