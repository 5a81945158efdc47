// The server side of scripting, without the Lua VM: the per-engine scripting state (script cache,
// function libraries, the two interpreters, the random generator), shebang parsing, and the run
// context a script's redis.call goes through (script.c scriptPrepareForRun / scriptCall: arity,
// noscript, read-only and OOM checks, then the ordinary call path on the script client, fd -2).

import { Client } from '../client';
import { arityMatches, type Command } from '../commands/define';
import type { Engine } from '../engine';
import { E, scriptErrors } from '../errors';
import { extraOverhead, jemallocSize, sdsAllocSize } from '../keyspace/memory';
import { multiState } from '../multi';
import { type Reply, error } from '../protocol/reply';
import { splitArgs } from '../protocol/split-args';
import { LibraryContext } from './functions';
import { getRuntime } from './loader';
import {
  type EvalVm,
  type FunctionVm,
  Rand48,
  type RunResult,
  SCRIPT_FLAG_ALLOW_OOM,
  SCRIPT_FLAG_EVAL_COMPAT_MODE,
  SCRIPT_FLAG_NAMES,
  SCRIPT_FLAG_NO_WRITES,
  type ScriptHost,
} from './types';

export interface CachedScript {
  body: string;
  flags: number;
}

export interface LibraryInfo {
  name: string;
  engine: string;
  code: string;
  functions: Map<string, FunctionInfo>;
}

export interface FunctionInfo {
  name: string;
  desc: string | null;
  flags: number;
  ref: number;
  library: LibraryInfo;
}

/** Per-engine scripting state (eval.c lctx + functions.c curr_functions_lib_ctx). */
export class ScriptingState {
  /** SHA1 (lower case) -> script; the dict is case-insensitive in Redis. */
  readonly scripts = new Map<string, CachedScript>();
  /** The function libraries (curr_functions_lib_ctx); FUNCTION FLUSH and RESTORE FLUSH replace it. */
  lib = new LibraryContext();
  readonly rand = new Rand48();
  private evalVm: EvalVm | null = null;
  private fnVm: FunctionVm | null = null;
  private scriptClient: Client | null = null;

  constructor(readonly engine: Engine) {}

  /** The EVAL interpreter, created on first use (and again after SCRIPT FLUSH). */
  eval(): EvalVm {
    if (this.evalVm === null) this.evalVm = getRuntime().newEvalVm();
    return this.evalVm;
  }

  functionVm(): FunctionVm {
    if (this.fnVm === null) this.fnVm = getRuntime().newFunctionVm();
    return this.fnVm;
  }

  /** scriptingReset: a fresh interpreter and an empty cache. */
  resetEval(): void {
    this.scripts.clear();
    evalMemo.delete(this);
    this.evalVm = null;
  }

  /** The fake client scripts run commands as (fd -2, "lua" in MONITOR, never blocks). */
  client(): Client {
    if (this.scriptClient === null) {
      this.scriptClient = new Client(this.engine, 0, { fd: -2, addr: '' });
      this.scriptClient.ext.denyBlocking = true;
    }
    return this.scriptClient;
  }
}

const states = new WeakMap<Engine, ScriptingState>();

export function scripting(engine: Engine): ScriptingState {
  let s = states.get(engine);
  if (s === undefined) {
    s = new ScriptingState(engine);
    states.set(engine, s);
  }
  return s;
}

/** INFO's scripting counters (number_of_cached_scripts, number_of_functions, number_of_libraries). */
export function scriptingInfo(engine: Engine): { cachedScripts: number; functions: number; libraries: number } {
  const st = scripting(engine);
  return { cachedScripts: st.scripts.size, functions: st.lib.functionCount(), libraries: st.lib.libraries.size };
}

/** sizeof(dictEntry) + sizeof(luaScript) per cached script; sdsZmallocSize of its 40-char SHA1. */
const SCRIPT_ENTRY = 24 + 16;
const SHA_SDS = sdsAllocSize(40);
/** functionsMemoryOverhead with no library: the engines dict, sizeof(functionsLibCtx), the Lua engine. */
const FUNCTIONS_BASE = 200;
/** zmalloc_size of a functionInfo + its luaFunctionCtx; of a functionLibInfo. */
const FUNCTION_INFO = 48 + 8;
const LIBRARY_INFO = 32;

/**
 * getStringObjectSdsUsedMemory of a script body as the request parser made it: an embstr up to 44
 * bytes, else a raw sds.
 */
// LAB: a body of 32 KiB or more arrives in Redis as the query buffer itself (its allocation then
// depends on how it was read); it is counted as a plain raw sds.
function bodyMemory(body: string): number {
  return body.length <= 44 ? jemallocSize(16 + 3 + body.length + 1) - 16 : sdsAllocSize(body.length);
}

const evalMemo = new WeakMap<ScriptingState, { count: number; bytes: number }>();
const functionsMemo = new WeakMap<LibraryContext, { version: number; bytes: number }>();

/**
 * INFO's used_memory_scripts_eval (evalScriptsMemory: SHA1 and body per script, dict entries and
 * table) and used_memory_functions (functionsMemoryOverhead: names, descriptions, code, dicts).
 */
// LAB: Redis's dict tables are counted once rehashed; during an incremental rehash (after the 5th,
// 9th, ... entry) Redis also counts the old table for a few operations, depending on its hash seed.
export function scriptCachesMemory(engine: Engine): { eval: number; functions: number } {
  const st = scripting(engine);
  const n = st.scripts.size;
  let memo = evalMemo.get(st);
  if (memo === undefined || memo.count !== n) {
    // Scripts are only added (or all flushed), so the count identifies the cache's content.
    let bytes = 0;
    for (const s of st.scripts.values()) bytes += SHA_SDS + bodyMemory(s.body);
    const slots = n === 0 ? 0 : Math.max(4, 2 ** Math.ceil(Math.log2(n)));
    memo = { count: n, bytes: bytes + n * SCRIPT_ENTRY + slots * 8 };
    evalMemo.set(st, memo);
  }
  const lib = st.lib;
  let fmemo = functionsMemo.get(lib);
  if (fmemo === undefined || fmemo.version !== lib.version) {
    let bytes = FUNCTIONS_BASE + lib.functions.size * 24 + lib.functionSlots * 8;
    for (const f of lib.functions.values()) {
      bytes += FUNCTION_INFO + sdsAllocSize(f.name.length) + (f.desc === null ? 0 : sdsAllocSize(f.desc.length));
    }
    for (const l of lib.libraries.values()) {
      bytes += LIBRARY_INFO + sdsAllocSize(l.name.length) + sdsAllocSize(l.code.length);
    }
    fmemo = { version: lib.version, bytes };
    functionsMemo.set(lib, fmemo);
  }
  return { eval: memo.bytes, functions: fmemo.bytes };
}

// Cached scripts and functions count in used_memory and its overhead (beyond the start-up state).
extraOverhead.bytes = (engine) => {
  const m = scriptCachesMemory(engine);
  return m.eval + m.functions - FUNCTIONS_BASE;
};

/**
 * evalExtractShebangFlags: the flags of a "#!lua flags=no-writes,allow-oom" first line, the
 * length of that line, or an error reply text. No shebang: compatibility mode (Redis 6 semantics).
 */
export function shebangFlags(body: string): { flags: number; length: number } | string {
  if (!body.startsWith('#!')) return { flags: SCRIPT_FLAG_EVAL_COMPAT_MODE, length: 0 };
  const end = body.indexOf('\n');
  if (end === -1) return E.SHEBANG_INVALID;
  const parts = splitArgs(cString(body.slice(0, end)));
  if (parts === null || parts.length === 0) return E.SHEBANG_NO_ENGINE;
  if (parts[0] !== '#!lua') return scriptErrors.shebangEngine(parts[0]);
  let flags = 0;
  for (const part of parts.slice(1)) {
    if (!part.startsWith('flags=')) return scriptErrors.shebangOption(part);
    const value = part.slice(6);
    if (value === '') continue;
    for (const name of value.split(',')) {
      const flag = SCRIPT_FLAG_NAMES.find(([, n]) => n === name);
      if (flag === undefined) return scriptErrors.shebangFlag(name);
      flags |= flag[0];
    }
  }
  return { flags, length: end };
}

/** A C string: what sdssplitargs sees of a line with a NUL in it. */
function cString(s: string): string {
  const nul = s.indexOf('\0');
  return nul === -1 ? s : s.slice(0, nul);
}

/** What a run is allowed (scriptRunCtx flags). */
export interface RunFlags {
  readOnly: boolean;
  allowOom: boolean;
}

/**
 * scriptPrepareForRun's checks on the script flags, before running: null when the script may run,
 * else the error reply text. `ro` is EVAL_RO/EVALSHA_RO/FCALL_RO.
 */
export function prepareRun(c: Client, scriptFlags: number, ro: boolean): RunFlags | string {
  const compat = (scriptFlags & SCRIPT_FLAG_EVAL_COMPAT_MODE) !== 0;
  const noWrites = !compat && (scriptFlags & SCRIPT_FLAG_NO_WRITES) !== 0;
  const allowOom = !compat && (scriptFlags & SCRIPT_FLAG_ALLOW_OOM) !== 0;
  if (!compat) {
    if (!noWrites && ro) return E.SCRIPT_RO_WRITE_FLAG;
    if (!noWrites && !allowOom && c.engine.oomCheck?.(c)) {
      // processCommand refuses the command (its flags come from the script's); inside EXEC the
      // check happens here (scriptPrepareForRun).
      return multiState(c) !== undefined ? E.SCRIPT_ALLOW_OOM : E.OOM;
    }
  }
  return { readOnly: ro || noWrites, allowOom };
}

const LOG_LEVELS = ['.', '-', '*', '#'] as const;

/**
 * CMD_MAY_REPLICATE commands besides EVAL/FCALL (src/commands/*.json): a read-only script must not
 * run them either. Listed here because their specs do not declare the (hidden) flag yet.
 */
const MAY_REPLICATE = new Set(['publish', 'spublish', 'pfcount']);
const VERBOSITY: Record<string, number> = { debug: 0, verbose: 1, notice: 2, warning: 3, nothing: 4 };

/** scriptRunCtx: what the script's redis.call goes through. */
export class RunContext implements ScriptHost {
  resp: 2 | 3 = 2;
  /** SCRIPT_WRITE_DIRTY: a write command ran (the script can no longer be refused for OOM). */
  private writeDirty = false;
  private readonly preOom: boolean;

  constructor(
    readonly engine: Engine,
    readonly caller: Client,
    readonly scriptClient: Client,
    readonly flags: RunFlags,
  ) {
    // Select the right DB in the context of the script client (prepareLuaClient).
    scriptClient.db = caller.db;
    scriptClient.user = caller.user;
    scriptClient.resp = 2;
    this.preOom = !flags.allowOom && engine.config.getInt('maxmemory') > 0 && engine.oomCheck?.(caller) === true;
  }

  /** SCRIPT_WRITE_DIRTY: the script wrote, so SCRIPT KILL can no longer stop it. */
  get wroteSomething(): boolean {
    return this.writeDirty;
  }

  /** scriptCall: a rejected command counts as an error reply and a rejected call, like Redis. */
  call(argv: string[]): Reply {
    const engine = this.engine;
    const cmd = engine.table.lookupArgv(argv);
    if (cmd === undefined) return this.reject(E.SCRIPT_UNKNOWN_COMMAND, undefined);
    if (!arityMatches(cmd.arity, argv.length)) return this.reject(E.SCRIPT_WRONG_ARITY, cmd);
    if (cmd.noScript) return this.reject(E.SCRIPT_NOT_ALLOWED, cmd);
    const sc = this.scriptClient;
    // scriptVerifyACL: the script runs as its caller's user.
    if (!sc.user.unrestricted) {
      const denied = engine.acl.deny(sc, cmd, argv, 'lua');
      if (denied !== null) return this.reject(denied, cmd);
    }
    const flags = cmd.spec.flags;
    if (this.flags.readOnly && (cmd.isWrite || flags.includes('may_replicate') || MAY_REPLICATE.has(cmd.fullname))) {
      return this.reject(E.SCRIPT_READONLY_WRITE, cmd);
    }
    if (!this.flags.allowOom && !this.writeDirty && this.preOom && cmd.denyOom) return this.reject(E.OOM, cmd);
    if (cmd.isWrite) this.writeDirty = true;
    sc.resp = this.resp;
    return engine.call_(sc, cmd, argv);
  }

  private reject(msg: string, cmd: Command | undefined): Reply {
    this.engine.countError(msg);
    if (cmd) this.engine.commandStat(cmd.fullname).rejectedCalls++;
    return error(msg);
  }

  /** LAB: redis.set_repl is accepted and ignored: every effect of a script is propagated. */
  setRepl(_flags: number): void {}

  /** redis.log: a server log line when the level passes `loglevel`. */
  log(level: number, message: string): void {
    if (level < (VERBOSITY[this.engine.config.get('loglevel')] ?? 2)) return;
    this.engine.emit({ type: 'log', level: LOG_LEVELS[level], text: message, at: this.engine.clock.now() });
  }

  /** redis.acl_check_cmd: may the caller's user run this (lookupCommand: a container's subcommand)? */
  aclCheck(argv: string[]): boolean | null {
    const base = this.engine.table.lookup(argv[0]);
    const cmd = base?.subcommands && argv.length >= 2 ? base.subcommands.get(argv[1].toLowerCase()) : base;
    if (cmd === undefined) return null;
    return this.engine.acl.check(this.caller.user, cmd, argv).result === 0;
  }
}

/** The reply of a run, marked when its error was already counted (a redis.pcall error returned). */
export function runReply(result: RunResult, markCounted: (r: Reply) => void): Reply {
  if (result.noStats && result.reply.t === 'error') markCounted(result.reply);
  return result.reply;
}
