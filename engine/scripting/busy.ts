// A script running past busy-reply-threshold (script.c scriptInterrupt, eval.c/functions.c
// SCRIPT KILL and FUNCTION KILL): the VM suspends it between slices, the engine answers other
// clients BUSY (only allow_busy commands run), and the script goes on on a timer until it ends or
// is killed; its reply then reaches its caller, whose later commands ran meanwhile in no case.

import type { Client } from '../client';
import { NO_REPLY } from '../client';
import type { Command } from '../commands/define';
import { ERROR_ALREADY_COUNTED, type Engine } from '../engine';
import { E } from '../errors';
import { error, OK, type Reply } from '../protocol/reply';
import type { RunContext } from './context';
import type { BusyControl, RunResult } from './types';

/** The run in progress (scriptRunCtx): a script or function, suspended or running. */
export interface ScriptRun extends BusyControl {
  readonly isEval: boolean;
  /** The function's name (FCALL), for FUNCTION STATS. */
  readonly name: string;
  /** The caller's command, for FUNCTION STATS. */
  readonly argv: readonly string[];
  /** performance.now() at its start (scriptRunDuration). */
  readonly started: number;
  readonly ctx: RunContext;
}

const runs = new WeakMap<Engine, ScriptRun>();
const perf = globalThis.performance;

/** scriptPrepareForRun: the run about to start, suspendable when it is its client's own command. */
export function startRun(
  engine: Engine,
  c: Client,
  ctx: RunContext,
  isEval: boolean,
  argv: string[],
  name: string,
): ScriptRun {
  const run: ScriptRun = {
    isEval,
    name,
    argv,
    started: perf.now(),
    ctx,
    killRequested: false,
    // LAB: inside MULTI/EXEC (or while loading) nothing else could be served meanwhile, so there
    // the VM kills the script at the threshold instead.
    canSuspend: engine.inTopLevelCall && !engine.loading && typeof setTimeout === 'function',
    onBusy() {
      engine.busyScript = { client: c, busyError: isEval ? E.BUSY_EVAL : E.BUSY_FUNCTION };
    },
  };
  runs.set(engine, run);
  return run;
}

/** The run in progress, if any (only ever seen from outside while it is suspended). */
export function currentRun(engine: Engine): ScriptRun | undefined {
  return engine.busyScript === null ? undefined : runs.get(engine);
}

/**
 * The VM's first answer: a result (the reply, now), or null when the script was suspended; then it
 * is resumed on a timer, slice after slice, and its reply delivered when it ends.
 */
export function finishRun(
  engine: Engine,
  c: Client,
  cmd: Command,
  result: RunResult | null,
  resume: () => RunResult | null,
  reply: (r: RunResult) => Reply,
): Reply {
  if (result !== null) {
    runs.delete(engine);
    return reply(result);
  }
  // LAB: Redis propagates all of a script's effects at its end; here the writes of each slice go
  // out as one batch (MULTI/EXEC when several), and commandstats time the first slice only.
  const time = engine.now();
  const end = (r: Reply) => {
    runs.delete(engine);
    engine.busyScript = null;
    if (r.t === 'error') {
      if (!ERROR_ALREADY_COUNTED.has(r)) engine.countError(r.v);
      engine.commandStat(cmd.fullname).failedCalls++;
    }
    if (engine.clients.has(c.id) && c.replyMode === 'on') c.deliver(r);
    engine.blocking.release(c);
  };
  const step = () => {
    let r: RunResult | null;
    try {
      r = engine.resumeCall(cmd, time, resume);
    } catch (err) {
      // A bug must never leave the server busy forever.
      end(error(`ERR internal error: ${err instanceof Error ? err.message : String(err)}`));
      return;
    }
    if (r === null) setTimeout(step, 0);
    else end(reply(r));
  };
  setTimeout(step, 0);
  return NO_REPLY;
}

/** scriptKill: SCRIPT KILL (isEval) or FUNCTION KILL. */
export function killRun(engine: Engine, isEval: boolean): Reply {
  const run = currentRun(engine);
  if (run === undefined) return error(E.NOTBUSY);
  if (run.ctx.wroteSomething) return error(E.UNKILLABLE);
  if (isEval && !run.isEval) return error(E.BUSY_FUNCTION);
  if (!isEval && run.isEval) return error(E.BUSY_EVAL);
  run.killRequested = true;
  return OK;
}
