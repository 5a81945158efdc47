// The latency monitor (src/latency.c, latency.h): per-event time series of the latency spikes at or
// above latency-monitor-threshold (ms), one sample per second keeping the worst, the last 160 kept.
// The engine feeds it (command durations, expiry cycles); the texts LATENCY DOCTOR and GRAPH build
// from it are in latency-report.ts, loaded with the LATENCY command.

/** LATENCY_TS_LEN: samples kept per event. */
const TS_LEN = 160;

interface Sample {
  /** Unix time in seconds (0: the slot is unused). */
  time: number;
  latency: number;
}

/** One event's series (struct latencyTimeSeries): a ring of samples and the all-time maximum. */
export class LatencySeries {
  idx = 0;
  max = 0;
  readonly samples: Sample[] = Array.from({ length: TS_LEN }, () => ({ time: 0, latency: 0 }));

  /** The used samples, oldest first. */
  inOrder(): Sample[] {
    const out: Sample[] = [];
    for (let j = 0; j < TS_LEN; j++) {
      const s = this.samples[(this.idx + j) % TS_LEN];
      if (s.time !== 0) out.push(s);
    }
    return out;
  }

  /** The most recent sample (LATENCY LATEST). */
  last(): Sample {
    return this.samples[(this.idx + TS_LEN - 1) % TS_LEN];
  }
}

export class LatencyMonitor {
  /** Event name → its series, in the order events first occurred. */
  readonly events = new Map<string, LatencySeries>();

  /** latencyAddSample: `latency` ms at Unix second `now`; a second sample in one second keeps the worst. */
  add(event: string, latency: number, now: number): void {
    let ts = this.events.get(event);
    if (ts === undefined) {
      ts = new LatencySeries();
      this.events.set(event, ts);
    }
    if (latency > ts.max) ts.max = latency;
    const prev = ts.last();
    if (prev.time === now) {
      if (latency > prev.latency) prev.latency = latency;
      return;
    }
    const s = ts.samples[ts.idx];
    s.time = now;
    s.latency = latency;
    ts.idx = (ts.idx + 1) % TS_LEN;
  }

  /** latencyAddSampleIfNeeded: record `ms` when the monitor is on (threshold > 0) and it reaches the threshold. */
  addIfNeeded(event: string, ms: number, threshold: number, now: number): void {
    if (threshold > 0 && ms >= threshold) this.add(event, ms, now);
  }

  /** latencyResetEvent: forget one event (case-insensitive) or all (null); how many were dropped. */
  reset(event: string | null): number {
    let n = 0;
    for (const name of [...this.events.keys()]) {
      if (event === null || name.toLowerCase() === event.toLowerCase()) {
        this.events.delete(name);
        n++;
      }
    }
    return n;
  }
}
