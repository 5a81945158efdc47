// The event log's feed: one bounded log per page runtime, filled from the engine client's
// per-frame event batches while the panel dock is open (so the log has the history when its tab
// is opened), outside React.

import { useEffect } from 'react';
import { engineTime } from '../engine-client/engine-client';
import type { LabRuntime } from '../runtime';
import { useRuntime } from '../runtime-context';
import { EventLog } from './event-log-model';

const logs = new WeakMap<LabRuntime, EventLog>();

export function eventLogOf(runtime: LabRuntime): EventLog {
  let log = logs.get(runtime);
  if (log === undefined) {
    log = new EventLog();
    logs.set(runtime, log);
  }
  return log;
}

/** Collect engine events into the runtime's log while `on` (the dock is open). */
export function useEventLogFeed(on: boolean): void {
  const runtime = useRuntime();
  useEffect(() => {
    if (!on) return;
    const log = eventLogOf(runtime);
    const { client } = runtime;
    return client.events.subscribe((batch) => {
      const clock = client.clock;
      log.add(batch, clock === null ? Date.now() : engineTime(clock, performance.now()));
    });
  }, [on, runtime]);
}
