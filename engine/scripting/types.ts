// The contract between the light half of scripting (commands, script cache, function libraries,
// the run context that checks and dispatches redis.call) and the heavy half loaded on demand (the
// Lua VM on fengari). Nothing here imports fengari, so the command table stays small.

import type { Reply } from '../protocol/reply';

/** Script flags (script.c scripts_flags_def), as bits in their declaration order. */
export const SCRIPT_FLAG_NO_WRITES = 1;
export const SCRIPT_FLAG_ALLOW_OOM = 2;
export const SCRIPT_FLAG_ALLOW_STALE = 4;
export const SCRIPT_FLAG_NO_CLUSTER = 8;
export const SCRIPT_FLAG_ALLOW_CROSS_SLOT = 16;
/** An EVAL script without a shebang: Redis 6 semantics (SCRIPT_FLAG_EVAL_COMPAT_MODE). */
export const SCRIPT_FLAG_EVAL_COMPAT_MODE = 32;

export const SCRIPT_FLAG_NAMES: readonly (readonly [number, string])[] = [
  [SCRIPT_FLAG_NO_WRITES, 'no-writes'],
  [SCRIPT_FLAG_ALLOW_OOM, 'allow-oom'],
  [SCRIPT_FLAG_ALLOW_STALE, 'allow-stale'],
  [SCRIPT_FLAG_NO_CLUSTER, 'no-cluster'],
  [SCRIPT_FLAG_ALLOW_CROSS_SLOT, 'allow-cross-slot-keys'],
];

/** What the VM asks of the server while a script runs (scriptRunCtx + the script client). */
export interface ScriptHost {
  /** scriptCall: run a command as the script client; rejections come back as error replies. */
  call(argv: string[]): Reply;
  /** The script client's protocol (redis.setresp). */
  resp: 2 | 3;
  /** redis.set_repl flags (PROPAGATE_AOF = 1, PROPAGATE_REPL = 2). */
  setRepl(flags: number): void;
  /** redis.log at a level (0 debug .. 3 warning). */
  log(level: number, message: string): void;
  /** redis.acl_check_cmd: null when the command does not exist. */
  aclCheck(argv: string[]): boolean | null;
}

/** One EVAL or FCALL invocation. */
export interface RunRequest {
  keys: readonly string[];
  args: readonly string[];
  /** The SHA for EVAL, the function name for FCALL (the "script: <name>" of error replies). */
  funcname: string;
  host: ScriptHost;
  /** busy-reply-threshold in ms (0: no limit). */
  timeLimitMs: number;
  /** The server's redisLrand48 state behind math.random (shared by every script, never reset). */
  rand: Rand48;
  /** How a run past busy-reply-threshold is handled (absent: it is killed at the threshold). */
  busy?: BusyControl;
}

/** The server's side of a script past busy-reply-threshold (scriptInterrupt). */
export interface BusyControl {
  /** The run may be suspended (the VM's run returns null) and resumed while others are served. */
  canSuspend: boolean;
  /** SCRIPT KILL / FUNCTION KILL was accepted: the script errors at the next check. */
  killRequested: boolean;
  /** Called each time the script is about to be suspended. */
  onBusy(): void;
}

/** rand.c: the 48-bit linear congruential generator of lrand48, independent of the libc. */
export class Rand48 {
  private x = 0x1234abcd330en;

  /** redisLrand48: the next 31-bit value. */
  next(): number {
    this.x = (this.x * 0x5deece66dn + 0xbn) & 0xffffffffffffn;
    return Number(this.x >> 17n);
  }

  /** redisSrand48: the seed's 32 bits above the fixed low word 0x330e. */
  seed(n: number): void {
    this.x = (BigInt(n >>> 0) << 16n) | 0x330en;
  }
}

/** A script's reply; `noStats` when its error was already counted (ERR_REPLY_FLAG_NO_STATS_UPDATE). */
export interface RunResult {
  reply: Reply;
  noStats: boolean;
}

/** A function a library registered (functionInfo). */
export interface RegisteredFunction {
  name: string;
  desc: string | null;
  flags: number;
  /** The callback's reference in the function VM's registry. */
  ref: number;
}

/** The Lua state of EVAL scripts (eval.c lctx). */
export interface EvalVm {
  /** luaCreateFunction: compile a body (shebang line already blanked); null or the compile error. */
  compile(sha: string, body: string): string | null;
  has(sha: string): boolean;
  /** The script's result, or null when suspended past busy-reply-threshold (see resume). */
  run(sha: string, req: RunRequest): RunResult | null;
  /** Run a suspended script for another slice: its result, or null while it goes on. */
  resume(): RunResult | null;
}

/** The Lua state of functions (function_lua.c luaEngineCtx). */
export interface FunctionVm {
  /** luaEngineCreate: run a library's code; the functions it registered, or the error text. */
  load(code: string, timeoutMs: number): RegisteredFunction[] | string;
  release(ref: number): void;
  /** The function's result, or null when suspended past busy-reply-threshold (see resume). */
  run(ref: number, req: RunRequest): RunResult | null;
  resume(): RunResult | null;
}

/** The heavy module's export. */
export interface ScriptingRuntime {
  newEvalVm(): EvalVm;
  newFunctionVm(): FunctionVm;
}
