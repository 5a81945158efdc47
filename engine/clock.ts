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
 * flowing, plus every advance so far. The lab's clock control can also pause it: time then stands
 * still (expiry, fsync schedules and blocking timeouts wait) and only moves when stepped.
 */
export class OffsetClock implements Clock {
  private offsetMs = 0;
  /** The engine time while paused, null while running. */
  private frozenAt: number | null = null;
  constructor(private readonly base: Clock = systemClock) {}
  now(): number {
    return this.frozenAt ?? this.base.now() + this.offsetMs;
  }
  nowMicros(): number {
    return this.frozenAt !== null ? this.frozenAt * 1000 : this.base.nowMicros() + this.offsetMs * 1000;
  }
  /** Step forward by `ms` (while paused, the frozen time moves). */
  advance(ms: number): void {
    if (this.frozenAt !== null) this.frozenAt += ms;
    else this.offsetMs += ms;
  }
  get offset(): number {
    return this.offsetMs;
  }
  get paused(): boolean {
    return this.frozenAt !== null;
  }
  /** Stop time where it is. */
  pause(): void {
    if (this.frozenAt === null) this.frozenAt = this.now();
  }
  /** Let time flow again from where it stood (never backwards). */
  resume(): void {
    if (this.frozenAt === null) return;
    this.offsetMs = this.frozenAt - this.base.now();
    this.frozenAt = null;
  }
}

/** A clock the lab can move forward (ManualClock in tests, OffsetClock in the browser). */
export interface AdvanceableClock extends Clock {
  advance(ms: number): void;
}

/** A clock the lab's clock control can also pause and resume (OffsetClock). */
export interface PausableClock extends AdvanceableClock {
  readonly paused: boolean;
  pause(): void;
  resume(): void;
}

export const isPausable = (c: AdvanceableClock): c is PausableClock =>
  typeof (c as Partial<PausableClock>).pause === 'function';
