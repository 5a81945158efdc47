// The engine clock as the page sees it: the last report from the worker (time, paused or not),
// shared by the toolbar's clock control and the keyspace panel's TTL countdown.

import { useEffect, useSyncExternalStore } from 'react';
import type { ClockState } from '../engine-client/engine-client';
import { useRuntime } from '../runtime-context';

/** The engine clock's last report, asked for once when first used. */
export function useEngineClock(): ClockState | null {
  const { client } = useRuntime();
  const clock = useSyncExternalStore(
    (on) => client.onClock(on),
    () => client.clock,
  );
  useEffect(() => {
    if (client.clock === null) void client.clockControl('get').catch(() => {});
  }, [client]);
  return clock;
}

/** "14:03:22" (the engine's local wall-clock time, to the second). */
export function clockText(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}
