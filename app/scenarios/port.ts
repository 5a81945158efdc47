// What a scenario widget needs from the lab: connections of its own (each a real engine client, so
// its commands show in MONITOR and the event log), pipelines, pushes (pub/sub), and time. The
// browser implements it over the engine worker (browser-port.ts), tests over an in-process engine.

import type { Reply } from '../../engine/protocol/reply';

/** One client connection of a scenario (a worker, a subscriber, the app server...). */
export interface Conn {
  /** One command; resolves with its reply (a blocked command resolves when it is served). */
  call(argv: readonly string[]): Promise<Reply>;
  /** Several commands in one round trip, as a client pipelines them: their replies in order. */
  pipeline(commands: readonly (readonly string[])[]): Promise<Reply[]>;
  /** Pushes (pub/sub messages) arriving outside a request; the last handler set wins. */
  onPush(handler: (reply: Reply) => void): void;
  /** Drop the connection (a crashed consumer): the server forgets the client. */
  close(): Promise<void>;
}

/** Time as the scenario sees it: the browser's real time, or a test's clock moved by `sleep`. */
export interface Timing {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export interface ScenarioPort {
  /** A new connection named `name` (CLIENT SETNAME'd, so CLIENT LIST and MONITOR tell them apart). */
  open(name: string): Promise<Conn>;
  readonly timing: Timing;
}

// ---- reading replies ------------------------------------------------------------------------

export const replyInt = (r: Reply): number =>
  r.t === 'int' ? Number(r.v) : r.t === 'bulk' && r.v !== null ? Number(r.v) : Number.NaN;

export const replyStr = (r: Reply): string | null => (r.t === 'bulk' || r.t === 'status' ? r.v : null);

export const replyArr = (r: Reply): readonly Reply[] =>
  r.t === 'array' || r.t === 'set' || r.t === 'push' ? (r.v ?? []) : [];

export const isOk = (r: Reply): boolean => r.t === 'status' && r.v === 'OK';

/** An error reply, thrown: a scenario's own commands are expected to succeed. */
export function expectOk(r: Reply, what: string): Reply {
  if (r.t === 'error') throw new Error(`${what}: ${r.v}`);
  return r;
}

/** A small deterministic random source (mulberry32), so tests replay the same load. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
