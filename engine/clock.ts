// All time in the engine goes through a Clock: the system clock in production, a manual clock in
// tests and lessons (":advance 1s"), so expiry, LRU idle times and fsync schedules are deterministic.

export interface Clock {
  /** Milliseconds since the Unix epoch (Redis's mstime()). */
  now(): number;
  /** Microseconds since the epoch (Redis's ustime()), for TIME and SLOWLOG. */
  nowMicros(): number;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  nowMicros: () => Math.floor((performance.timeOrigin + performance.now()) * 1000),
};

export class ManualClock implements Clock {
  constructor(private ms = 1_700_000_000_000) {}
  now(): number {
    return this.ms;
  }
  nowMicros(): number {
    return this.ms * 1000;
  }
  /** Move time forward; the engine's timers (active expiry, fsync) catch up on the next tick. */
  advance(ms: number): void {
    this.ms += ms;
  }
  set(ms: number): void {
    this.ms = ms;
  }
}

/**
 * The system clock moved forward by the lab (":advance 1s" in the browser): real time keeps
 * flowing, plus every advance so far.
 */
export class OffsetClock implements Clock {
  private offsetMs = 0;
  constructor(private readonly base: Clock = systemClock) {}
  now(): number {
    return this.base.now() + this.offsetMs;
  }
  nowMicros(): number {
    return this.base.nowMicros() + this.offsetMs * 1000;
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
  get offset(): number {
    return this.offsetMs;
  }
}

/** A clock the lab can move forward (ManualClock in tests, OffsetClock in the browser). */
export interface AdvanceableClock extends Clock {
  advance(ms: number): void;
}
