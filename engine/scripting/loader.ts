// Loads the Lua VM (fengari, a few hundred kB) on demand. The engine dispatches synchronously, so the
// VM must be in memory before a script runs: Node hosts (the TCP server, tests) load it while the
// engine's modules load (top-level await); in the browser the worker starts without it and fetches
// it in the background right away. A script sent before it has arrived gets
// "ERR scripting engine still loading, retry" (LAB), and runs once it is there.

import { E } from '../errors';
import { ReplyError } from '../protocol/reply';
import type { ScriptingRuntime } from './types';

let runtime: ScriptingRuntime | null = null;
let loading: Promise<ScriptingRuntime> | null = null;

/** Start loading the VM (once); resolves when scripts can run. */
export function loadScripting(): Promise<ScriptingRuntime> {
  if (loading === null) {
    // fengari's modules are CommonJS with circular requires: they must load in the order of
    // fengari's entry point (defs.js before luaconf.js, or LUA_REGISTRYINDEX comes out NaN).
    loading = import('fengari')
      .then(() => import('./vm'))
      .then((m) => {
        runtime = m.runtime;
        return m.runtime;
      });
  }
  return loading;
}

/** The loaded VM, or the LAB "still loading" error for the running command. */
export function getRuntime(): ScriptingRuntime {
  if (runtime === null) {
    void loadScripting();
    throw new ReplyError(E.LAB_SCRIPTING_LOADING);
  }
  return runtime;
}

export function scriptingLoaded(): boolean {
  return runtime !== null;
}

/** How long after the worker starts it fetches the VM unasked (the terminal is up well before). */
const BROWSER_LOAD_DELAY_MS = 1500;

const nodeProcess = (globalThis as { process?: { versions?: { node?: string } } }).process;
if (nodeProcess?.versions?.node !== undefined) {
  // Node: load before any command can run.
  await loadScripting();
} else {
  // Browser worker: in the background once the lab has started (its first-load budget,
  // bench/BUDGETS.md, leaves the VM out); a script sent earlier starts the load at once.
  setTimeout(() => void loadScripting(), BROWSER_LOAD_DELAY_MS);
}
