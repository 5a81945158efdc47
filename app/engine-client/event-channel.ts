// A listener channel for high-rate engine events, outside React's render path: events are
// collected and handed to listeners once per animation frame (or whatever `schedule` does), so
// a 10k commands/s script costs one callback per frame, not one React render per event.

export type FrameScheduler = (flush: () => void) => void;

export class EventChannel<T> {
  private pending: T[] = [];
  private scheduled = false;
  private readonly listeners = new Set<(batch: readonly T[]) => void>();

  constructor(
    private readonly schedule: FrameScheduler,
    /** Called when the first listener arrives (true) and the last one leaves (false). */
    private readonly onActive: (active: boolean) => void = () => {},
  ) {}

  subscribe(listener: (batch: readonly T[]) => void): () => void {
    this.listeners.add(listener);
    if (this.listeners.size === 1) this.onActive(true);
    return () => {
      if (!this.listeners.delete(listener)) return;
      if (this.listeners.size === 0) {
        this.pending = [];
        this.onActive(false);
      }
    };
  }

  push(items: readonly T[]): void {
    if (this.listeners.size === 0 || items.length === 0) return;
    for (const item of items) this.pending.push(item);
    if (this.scheduled) return;
    this.scheduled = true;
    this.schedule(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    for (const l of this.listeners) l(batch);
  }
}
