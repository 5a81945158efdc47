// Notices an engine worker that stopped answering. A worker killed by the browser (V8 out of
// memory) fires no `error` event on the page; a long command (DEBUG SLEEP 5, a Lua loop before
// SCRIPT KILL) legitimately keeps it silent too. So the page pings once a second, and with the
// shared buffer (sync-reply.ts) also reads the worker's heartbeat and whether it is inside a message:
// - silent for STUCK_AFTER_MS: "stuck" — the UI asks whether to keep waiting or restart;
// - not inside a message or a cron run, heartbeat (bumped by its 100 ms cron) frozen and a ping
//   unanswered for DEAD_AFTER_MS: "dead" — the worker is gone, restart it as after a crash.

/** Silence after which the page asks the user (a long command, or a worker that stopped). */
export const STUCK_AFTER_MS = 10_000;
/**
 * Frozen heartbeat outside any message or cron run after which the worker is taken for dead (its
 * cron beats every 100 ms; the margin covers loading a lazy chunk or a long GC on a loaded machine).
 */
export const DEAD_AFTER_MS = 5_000;
/** How often the watchdog looks (and pings when no ping is outstanding). */
export const TICK_MS = 1_000;

export interface WatchdogEnv {
  now(): number;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
  /** Post a ping; resolves when the worker answers (never, if it is gone). */
  ping(): Promise<unknown>;
  /** The shared buffer's heartbeat and busy flag; null when the page shares no memory. */
  pulse(): { beat: number; busy: boolean } | null;
}

export interface WatchdogListener {
  /** No sign of life for `silentMs` (shown once per silence; again after keepWaiting). */
  stuck(silentMs: number): void;
  /** A sign of life after stuck(). */
  recovered(): void;
  /** The worker is gone (not in a command, no heartbeat, no answer). */
  dead(): void;
}

export class EngineWatchdog {
  private handle: unknown = null;
  /** now() of the last sign of life: a ping answered or a heartbeat seen moving. */
  private lastSign = 0;
  private lastBeat: number | null = null;
  /** Bumped to forget pings sent to an earlier worker. */
  private epoch = 0;
  private pinging = false;
  private pingSentAt = 0;
  private stuckShown = false;
  /** keepWaiting(): the next notice comes STUCK_AFTER_MS after it. */
  private quietUntil = 0;
  private deadReported = false;

  constructor(
    private readonly env: WatchdogEnv,
    private readonly listener: WatchdogListener,
    private readonly stuckAfterMs = STUCK_AFTER_MS,
    private readonly deadAfterMs = DEAD_AFTER_MS,
  ) {}

  /** Start watching (again, after a worker was replaced: everything about the old one is forgotten). */
  start(): void {
    this.stop();
    this.epoch++;
    this.pinging = false;
    this.deadReported = false;
    this.quietUntil = 0;
    this.lastBeat = this.env.pulse()?.beat ?? null;
    this.alive();
    this.handle = this.env.setInterval(() => this.tick(), TICK_MS);
  }

  stop(): void {
    if (this.handle !== null) this.env.clearInterval(this.handle);
    this.handle = null;
    if (this.stuckShown) {
      this.stuckShown = false;
      this.listener.recovered();
    }
  }

  /** "Keep waiting": hide the notice; it comes back after another STUCK_AFTER_MS of silence. */
  keepWaiting(): void {
    this.quietUntil = this.env.now() + this.stuckAfterMs;
    if (this.stuckShown) {
      this.stuckShown = false;
      this.listener.recovered();
    }
  }

  private alive(): void {
    this.lastSign = this.env.now();
    this.quietUntil = 0;
    if (this.stuckShown) {
      this.stuckShown = false;
      this.listener.recovered();
    }
  }

  private tick(): void {
    const now = this.env.now();
    const pulse = this.env.pulse();
    if (pulse !== null && pulse.beat !== this.lastBeat) {
      this.lastBeat = pulse.beat;
      this.alive();
    }
    if (!this.pinging) {
      this.pinging = true;
      this.pingSentAt = now;
      const epoch = this.epoch;
      // A ping to a worker that is replaced fails: the new one is watched afresh (start()).
      this.env.ping().then(
        () => {
          if (epoch !== this.epoch) return;
          this.pinging = false;
          this.alive();
        },
        () => {},
      );
    }
    // Silence counts only while a ping waits: a page whose timers were throttled (a background tab)
    // looks again much later, and must not take its own absence for the worker's.
    const silent = now - Math.max(this.lastSign, this.pingSentAt);
    if (pulse !== null && !pulse.busy && silent >= this.deadAfterMs && !this.deadReported) {
      this.deadReported = true;
      this.stop();
      this.listener.dead();
      return;
    }
    if (silent >= this.stuckAfterMs && now >= this.quietUntil && !this.stuckShown) {
      this.stuckShown = true;
      this.listener.stuck(silent);
    }
  }
}
