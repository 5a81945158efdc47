// The page and the engine worker share one SharedArrayBuffer when the page is cross-origin isolated
// (COOP same-origin + COEP require-corp): the worker also publishes a terminal command's reply there,
// so the page can print it in the same task as the Enter key press instead of waiting for the reply
// message (Chromium holds every task after a key press until the next frame). The same buffer
// carries the worker's heartbeat (bumped between tasks) and whether it is inside a message now.

/** Bytes of the shared buffer: a small Int32 header, then the reply text (UTF-16 code units). */
export const SYNC_BUFFER_BYTES = 256 * 1024;

/** Int32 header slots. */
const ID = 0; // request id of the reply in the slot (0: none)
const STATUS = 1; // what the slot holds for that id: REPLY or NONE
const BEFORE = 2; // messages about the session the worker posted before this reply
const LENGTH = 3; // UTF-16 code units of the JSON payload
const HEARTBEAT = 4; // bumped by the worker between tasks (cron, each message served)
const BUSY = 5; // 1 while the worker serves a message (a command may run for seconds)
const HEADER_BYTES = 64;
/** Longest payload (UTF-16 code units) that fits; a longer reply takes the message path only. */
export const SYNC_MAX_CHARS = (SYNC_BUFFER_BYTES - HEADER_BYTES) / 2;

const STATUS_REPLY = 1;
const STATUS_NONE = 2;

/**
 * What the page takes from the slot: the reply's payload (JSON of the reply message's fields) and
 * how many messages about the session the worker had posted before it.
 */
export interface SyncReply {
  readonly before: number;
  readonly payload: string;
}

/** The worker's end: publish replies, beat, mark busy. */
export class SyncWriter {
  private readonly head: Int32Array;
  private readonly text: Uint16Array;

  constructor(buffer: SharedArrayBuffer) {
    this.head = new Int32Array(buffer, 0, HEADER_BYTES / 4);
    this.text = new Uint16Array(buffer, HEADER_BYTES);
  }

  /**
   * The reply to request `id` (null: none will come now — blocked, too big, not a terminal).
   * The id is written last, so the page never reads a half-written payload for its request; the
   * page only spins on its newest request, which the worker serves after every earlier one.
   */
  publish(id: number, before: number, payload: string | null): void {
    const h = this.head;
    Atomics.store(h, ID, 0);
    if (payload !== null && payload.length <= SYNC_MAX_CHARS) {
      const t = this.text;
      for (let i = 0; i < payload.length; i++) t[i] = payload.charCodeAt(i);
      Atomics.store(h, LENGTH, payload.length);
      Atomics.store(h, BEFORE, before);
      Atomics.store(h, STATUS, STATUS_REPLY);
    } else {
      Atomics.store(h, STATUS, STATUS_NONE);
    }
    Atomics.store(h, ID, id);
  }

  beat(): void {
    Atomics.add(this.head, HEARTBEAT, 1);
  }

  busy(on: boolean): void {
    Atomics.store(this.head, BUSY, on ? 1 : 0);
    if (!on) this.beat();
  }
}

/** The page's end: wait (a bounded spin) for a request's reply; read the heartbeat. */
export class SyncReader {
  private readonly head: Int32Array;
  private readonly text: Uint16Array;

  constructor(readonly buffer: SharedArrayBuffer) {
    this.head = new Int32Array(buffer, 0, HEADER_BYTES / 4);
    this.text = new Uint16Array(buffer, HEADER_BYTES);
  }

  /**
   * Spin until the worker has published request `id` or `deadline` (performance.now() time) has
   * passed. Atomics.wait is not allowed on a page's main thread, so this is a busy loop: callers
   * keep the deadline a few milliseconds away. null: no reply to take (late, blocked, too big).
   */
  wait(id: number, deadline: number, now: () => number): SyncReply | null {
    const h = this.head;
    while (Atomics.load(h, ID) !== id) {
      if (now() >= deadline) return null;
    }
    if (Atomics.load(h, STATUS) !== STATUS_REPLY) return null;
    const length = Atomics.load(h, LENGTH);
    const before = Atomics.load(h, BEFORE);
    let payload = '';
    const CHUNK = 8192;
    for (let i = 0; i < length; i += CHUNK) {
      payload += String.fromCharCode(...this.text.subarray(i, Math.min(length, i + CHUNK)));
    }
    return { before, payload };
  }

  /** The worker's heartbeat counter (changes between its tasks) and whether it serves a message now. */
  pulse(): { beat: number; busy: boolean } {
    return { beat: Atomics.load(this.head, HEARTBEAT), busy: Atomics.load(this.head, BUSY) === 1 };
  }
}

/** Whether this page can share memory with its worker (cross-origin isolated, SharedArrayBuffer). */
export function canShareMemory(): boolean {
  return (
    typeof SharedArrayBuffer === 'function' &&
    (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true
  );
}
