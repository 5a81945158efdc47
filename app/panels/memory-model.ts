// The memory panel's view model, pure: a bounded series of used-memory samples, the chart's
// polyline and scale (with the maxmemory line), byte formatting, and the eviction log fed from
// 'evicted' key events.

export interface Sample {
  /** Page time in ms (performance.now). */
  readonly t: number;
  readonly used: number;
}

export const MAX_SAMPLES = 240;

/** Append a sample, keeping the last MAX_SAMPLES (a new array: store snapshots stay immutable). */
export function pushSample(series: readonly Sample[], s: Sample, max = MAX_SAMPLES): readonly Sample[] {
  const out = series.length >= max ? series.slice(series.length - max + 1) : series.slice();
  out.push(s);
  return out;
}

export interface Chart {
  readonly points: string;
  /** y of the maxmemory line, null when no limit or off the chart's scale. */
  readonly limitY: number | null;
  readonly top: number;
  readonly min: number;
}

/** Polyline points for the series in a width × height box; the scale includes maxmemory when set. */
export function chartOf(series: readonly Sample[], maxmemory: number, width: number, height: number): Chart {
  if (series.length === 0) return { points: '', limitY: null, top: 0, min: 0 };
  let hi = 0;
  let lo = Number.POSITIVE_INFINITY;
  for (const s of series) {
    if (s.used > hi) hi = s.used;
    if (s.used < lo) lo = s.used;
  }
  if (maxmemory > 0) hi = Math.max(hi, maxmemory);
  // Headroom, and a floor a little under the smallest sample so changes are visible.
  const top = hi * 1.08;
  const min = Math.max(0, lo - (top - lo) * 0.1);
  const range = Math.max(1, top - min);
  const t0 = series[0].t;
  const t1 = series[series.length - 1].t;
  const dt = Math.max(1, t1 - t0);
  const y = (v: number) => height - ((v - min) / range) * height;
  const points = series.map((s) => `${(((s.t - t0) / dt) * width).toFixed(1)},${y(s.used).toFixed(1)}`).join(' ');
  return { points, limitY: maxmemory > 0 ? y(maxmemory) : null, top, min };
}

/** Bytes as redis-cli prints human sizes: 1.27M, 512B (bytesToHuman). */
export function humanBytes(n: number): string {
  const units: [number, string][] = [
    [1024 ** 4, 'T'],
    [1024 ** 3, 'G'],
    [1024 ** 2, 'M'],
    [1024, 'K'],
  ];
  for (const [size, unit] of units) if (n >= size) return `${(n / size).toFixed(2)}${unit}`;
  return `${n}B`;
}

export interface Eviction {
  /** Unique in the page (a counter), the list's React key. */
  readonly id: number;
  readonly db: number;
  readonly key: string;
  readonly policy: string;
  readonly t: number;
}

export const MAX_EVICTIONS = 50;

/** Newest first, bounded. */
export function pushEvictions(log: readonly Eviction[], add: readonly Eviction[]): readonly Eviction[] {
  if (add.length === 0) return log;
  return [...add.slice().reverse(), ...log].slice(0, MAX_EVICTIONS);
}

/** Share of each type in the bytes sized, in percent, for the breakdown bars. */
export function shares<T extends { readonly bytes: number }>(rows: readonly T[]): (T & { readonly pct: number })[] {
  const total = rows.reduce((a, r) => a + r.bytes, 0);
  return rows.map((r) => ({ ...r, pct: total === 0 ? 0 : (r.bytes / total) * 100 }));
}
