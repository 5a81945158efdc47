// How the rest of the page types into a terminal without loading xterm itself: the terminal chunk
// registers a bridge per runtime; the lesson panel's Run button uses it to type lines visibly
// into the active session (they show, run and go to history as if typed).

import type { LabRuntime } from '../runtime';

export interface TerminalBridge {
  /**
   * Type each line + Enter into the active session, waiting for each to finish; with `charDelayMs`
   * one character at a time at that pace (presenter mode), else each line at once.
   */
  typeLines(lines: readonly string[], opts?: { readonly charDelayMs?: number }): Promise<void>;
}

const bridges = new WeakMap<LabRuntime, TerminalBridge>();
const waiting = new WeakMap<LabRuntime, ((b: TerminalBridge) => void)[]>();

export function setTerminalBridge(runtime: LabRuntime, bridge: TerminalBridge): void {
  bridges.set(runtime, bridge);
  for (const resolve of waiting.get(runtime) ?? []) resolve(bridge);
  waiting.delete(runtime);
}

/** The bridge, once the terminals are up. */
export function terminalBridge(runtime: LabRuntime): Promise<TerminalBridge> {
  const b = bridges.get(runtime);
  if (b) return Promise.resolve(b);
  return new Promise((resolve) => {
    const list = waiting.get(runtime) ?? [];
    list.push(resolve);
    waiting.set(runtime, list);
  });
}

/** Who hears the lines typed at any prompt (the lesson builder's recorder). */
export type TypedLineListener = (session: number, line: string) => void;

const typedListeners = new WeakMap<LabRuntime, Set<TypedLineListener>>();

/** Listen to every line run at a terminal prompt; returns the unsubscribe function. */
export function onTypedLine(runtime: LabRuntime, listener: TypedLineListener): () => void {
  let set = typedListeners.get(runtime);
  if (!set) {
    set = new Set();
    typedListeners.set(runtime, set);
  }
  set.add(listener);
  return () => set.delete(listener);
}

export function emitTypedLine(runtime: LabRuntime, session: number, line: string): void {
  for (const l of typedListeners.get(runtime) ?? []) l(session, line);
}
