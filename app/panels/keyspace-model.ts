// The keyspace panel's view model, pure: remaining TTL from a key's absolute expiry (engine time),
// counted down on the page from the report's time, formatted as TTL/PTTL would read.

/** Remaining ms at page time `pageNow`, given the report's engine time `now` taken at page time `seenAt`. */
export function remainingMs(expireAt: number | null, now: number, seenAt: number, pageNow: number): number | null {
  if (expireAt === null) return null;
  return Math.max(0, expireAt - (now + (pageNow - seenAt)));
}

/** "persistent", "12s", "4m 05s", "2h 03m", "3d 4h"; under 10 s with tenths. */
export function formatTtl(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 10_000) return `${(Math.floor(ms / 100) / 10).toFixed(1)}s`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

/** Key events that make the keyspace panel ask again. */
export function touchesKeyspace(type: string): boolean {
  return type === 'key' || type === 'flush' || type === 'notify';
}
