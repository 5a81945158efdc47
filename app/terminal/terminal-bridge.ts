// How the rest of the page types into a terminal without loading xterm itself: the terminal chunk
// registers a bridge per runtime; the lesson panel's Run button uses it to type lines visibly
// into the active session (they show, run and go to history as if typed).

import type { LabRuntime } from '../runtime';

export interface TerminalBridge {
  /** Type each line + Enter into the active session, waiting for each to finish. */
  typeLines(lines: readonly string[]): Promise<void>;
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
