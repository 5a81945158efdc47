// Shared by the two Lua interpreters: the redis.* API of script_lua.c (call/pcall, log, setresp,
// sha1hex, error_reply/status_reply, set_repl, acl_check_cmd, math.random), the error handler that
// adds the script's source and line (eval.c __redis__err__handler), and running a script with the
// busy-script hook (luaCallFunction).

// fengari's CommonJS modules must load in its entry point's order (circular requires).
import 'fengari';
import { luaL_argerror, luaL_checkinteger, luaL_error, luaL_newstate, luaL_tolstring } from 'fengari/src/lauxlib.js';
import {
  type JsFunction,
  LUA_MASKCOUNT,
  LUA_MASKLINE,
  LUA_MULTRET,
  LUA_OK,
  LUA_TBOOLEAN,
  LUA_TNUMBER,
  LUA_TSTRING,
  LUA_TTABLE,
  LUA_YIELD,
  type LuaState,
  lua_Debug,
  lua_error,
  lua_getfield,
  lua_getinfo,
  lua_getstack,
  lua_gettop,
  lua_insert,
  lua_isnumber,
  lua_isyieldable,
  lua_isstring,
  lua_istable,
  lua_newtable,
  lua_newthread,
  lua_pcallk,
  lua_pop,
  lua_pushboolean,
  lua_pushinteger,
  lua_pushjsfunction,
  lua_pushnumber,
  lua_pushstring,
  lua_pushvalue,
  lua_rawset,
  lua_rawseti,
  lua_remove,
  lua_replace,
  lua_setfield,
  lua_sethook,
  lua_settop,
  lua_resume,
  lua_toboolean,
  lua_tointeger,
  lua_tonumber,
  lua_type,
  lua_xmove,
  lua_yield,
} from 'fengari/src/lua.js';
import { error } from '../protocol/reply';
import { argNumberText, jsString, lua51Message, luaNumberText, patchLua51Numbers, pushString, toStr } from './lua-util';
import { sha1hex } from './sha1';
import type { RunRequest, RunResult } from './types';
import { openLibraries } from './vm-sandbox';
import { pushErrorTable, pushReply, toReply } from './vm-convert';
import { REDIS_VERSION, REDIS_VERSION_NUM } from '../version';

export const LOAD_TIMEOUT_MESSAGE = 'FUNCTION LOAD timeout';
export const perf = globalThis.performance;

/**
 * Instructions between two busy checks. LAB: Redis's luaMaskCountHook runs every 100000; fengari is
 * far slower (and a script waiting in redis.call runs few instructions), so it checks more often.
 */
const HOOK_COUNT = 1000;
/** How long a script past busy-reply-threshold runs before the server serves others again. */
const BUSY_SLICE_MS = 20;

/** The coroutine body: call the function protected (handler at 1), yieldable; [result, status]. */
const runProtected: JsFunction = (S) =>
  finishProtected(S, lua_pcallk(S, lua_gettop(S) - 2, 1, 1, 0, finishProtected), 0);

function finishProtected(S: LuaState, status: number, _ctx: number): number {
  lua_pushinteger(S, status === LUA_YIELD ? LUA_OK : status);
  return 2;
}

/** luaPushError + luaError: raise {err = "ERR <msg>"}. */
export function raise(L: LuaState, msg: string): never {
  pushErrorTable(L, msg);
  return lua_error(L);
}

/** luaArgsToRedisArgv: the call's arguments as binary strings, or null (error table pushed). */
function argsToArgv(L: LuaState): string[] | null {
  const argc = lua_gettop(L);
  if (argc === 0) {
    pushErrorTable(L, 'Please specify at least one argument for this redis lib call');
    return null;
  }
  const argv: string[] = [];
  for (let j = 1; j <= argc; j++) {
    const s = argNumberText(L, j) ?? (lua_type(L, j) === LUA_TSTRING ? toStr(L, j) : null);
    if (s === null) break;
    argv.push(s);
  }
  lua_settop(L, 0);
  if (argv.length !== argc) {
    pushErrorTable(L, 'Lua redis lib command arguments must be strings or integers');
    return null;
  }
  return argv;
}

/** The error handler (eval.c __redis__err__handler): error table with the raiser's source and line. */
export const errorHandler: JsFunction = (L) => {
  const ar = new lua_Debug();
  let found = lua_getstack(L, 1, ar) !== 0;
  if (found) {
    lua_getinfo(L, 'Sl', ar);
    const what = ar.what ? jsString(ar.what) : '';
    if (what === 'C' || what === 'J') {
      found = lua_getstack(L, 2, ar) !== 0;
      if (found) lua_getinfo(L, 'Sl', ar);
    }
  }
  lua_settop(L, 1);
  if (lua_type(L, 1) !== LUA_TTABLE) {
    const text = lua_type(L, 1) === LUA_TNUMBER ? luaNumberText(lua_tonumber(L, 1)) : jsString(luaL_tolstring(L, 1));
    lua_settop(L, 1);
    lua_newtable(L);
    pushString(L, `ERR ${lua51Message(text)}`);
    lua_setfield(L, -2, 'err');
    lua_replace(L, 1);
  }
  if (found) {
    pushString(L, ar.source ? jsString(ar.source) : '?');
    lua_setfield(L, 1, 'source');
    lua_pushnumber(L, ar.currentline);
    lua_setfield(L, 1, 'line');
  }
  return 1;
};

/** luaRedisPcall: Lua's pcall, returning an error table's `err` text instead of the table. */
const pcall51: JsFunction = (L) => {
  const argc = lua_gettop(L);
  if (argc === 0) return luaL_argerror(L, 1, 'value expected');
  lua_pushboolean(L, true);
  lua_insert(L, 1);
  // Yieldable (with a continuation), so a busy script can be suspended inside a pcall.
  return finishPcall51(L, lua_pcallk(L, argc - 1, LUA_MULTRET, 0, 0, finishPcall51), 0);
};

/** pcall51's end: [true, results...] or [false, error]; also its continuation after a yield. */
function finishPcall51(L: LuaState, status: number, _ctx: number): number {
  if (status !== LUA_OK && status !== LUA_YIELD) {
    lua_remove(L, 1);
    if (lua_istable(L, -1)) {
      lua_getfield(L, -1, 'err');
      if (lua_isstring(L, -1)) lua_replace(L, -2);
    }
    lua_pushboolean(L, false);
    lua_insert(L, 1);
  }
  return lua_gettop(L);
}

/** Functions shared by both interpreters' `redis` tables; `vm.current` is the running script. */
export abstract class LuaVmBase {
  readonly L: LuaState;
  current: RunRequest | null = null;
  /** Registry reference of the real (unprotected) globals table. */
  protected realGlobals = 0;

  constructor() {
    patchLua51Numbers();
    this.L = luaL_newstate();
  }

  protected request(L: LuaState, what: string): RunRequest {
    const req = this.current;
    if (req === null) return raise(L, `${what} can only be called inside a script invocation`);
    return req;
  }

  /** luaRedisGenericCommand: redis.call (raise) and redis.pcall. */
  protected command(raiseError: boolean): JsFunction {
    return (L) => {
      const req = this.request(L, 'redis.call/pcall');
      const argv = argsToArgv(L);
      if (argv === null) return raiseError ? lua_error(L) : 1;
      const reply = req.host.call(argv);
      pushReply(L, reply, req.host.resp);
      return raiseError && reply.t === 'error' ? lua_error(L) : 1;
    };
  }

  protected mathRandom: JsFunction = (L) => {
    if (this.current === null) return luaL_error(L, 'math.random can only be called inside a script invocation');
    const r = (this.current.rand.next() % 0x7fffffff) / 0x7fffffff;
    switch (lua_gettop(L)) {
      case 0:
        lua_pushnumber(L, r);
        break;
      case 1: {
        const u = luaL_checkinteger(L, 1);
        if (!(1 <= u)) luaL_argerror(L, 1, 'interval is empty');
        lua_pushnumber(L, Math.floor(r * u) + 1);
        break;
      }
      case 2: {
        const l = luaL_checkinteger(L, 1);
        const u = luaL_checkinteger(L, 2);
        if (!(l <= u)) luaL_argerror(L, 2, 'interval is empty');
        lua_pushnumber(L, Math.floor(r * (u - l + 1)) + l);
        break;
      }
      default:
        return luaL_error(L, 'wrong number of arguments');
    }
    return 1;
  };

  protected mathRandomseed: JsFunction = (L) => {
    if (this.current === null) return luaL_error(L, 'math.randomseed can only be called inside a script invocation');
    this.current.rand.seed(luaL_checkinteger(L, 1));
    return 0;
  };

  /** redis.log / LOG_* / REDIS_VERSION*: also part of the library-loading API. */
  protected addLogAndVersion(L: LuaState): void {
    this.fn(L, 'log', (S) => {
      const argc = lua_gettop(S);
      if (argc < 2) return raise(S, 'redis.log() requires two arguments or more.');
      if (!lua_isnumber(S, 1)) return raise(S, 'First argument must be a number (log level).');
      const level = Math.trunc(lua_tonumber(S, 1));
      if (level < 0 || level > 3) return raise(S, 'Invalid debug level.');
      const parts: string[] = [];
      for (let j = 2; j <= argc; j++) {
        const s = lua_type(S, j) === LUA_TNUMBER ? luaNumberText(lua_tonumber(S, j)) : toStr(S, j);
        if (s !== null) parts.push(s);
      }
      this.current?.host.log(level, parts.join(' '));
      return 0;
    });
    for (const [name, v] of [
      ['LOG_DEBUG', 0],
      ['LOG_VERBOSE', 1],
      ['LOG_NOTICE', 2],
      ['LOG_WARNING', 3],
      ['REDIS_VERSION_NUM', REDIS_VERSION_NUM],
    ] as const) {
      lua_pushnumber(L, v);
      lua_setfield(L, -2, name);
    }
    lua_pushstring(L, REDIS_VERSION);
    lua_setfield(L, -2, 'REDIS_VERSION');
  }

  protected fn(L: LuaState, name: string, f: JsFunction): void {
    lua_pushjsfunction(L, f);
    lua_setfield(L, -2, name);
  }

  /** luaRegisterRedisAPI: libraries, pcall, the `redis` table, math.random; globals on the stack. */
  protected setupGlobals(evalMode: boolean): void {
    const L = this.L;
    openLibraries(L);
    this.fn(L, 'pcall', pcall51);
    lua_newtable(L);
    this.fn(L, 'call', this.command(true));
    this.fn(L, 'pcall', this.command(false));
    this.addLogAndVersion(L);
    this.fn(L, 'setresp', (S) => {
      const req = this.request(S, 'redis.setresp');
      if (lua_gettop(S) !== 1) return raise(S, 'redis.setresp() requires one argument.');
      const resp = Math.trunc(lua_tonumber(S, 1));
      if (resp !== 2 && resp !== 3) return raise(S, 'RESP version must be 2 or 3.');
      req.host.resp = resp;
      return 0;
    });
    this.fn(L, 'sha1hex', (S) => {
      if (lua_gettop(S) !== 1) return raise(S, 'wrong number of arguments');
      const s = lua_type(S, 1) === LUA_TNUMBER ? luaNumberText(lua_tonumber(S, 1)) : (toStr(S, 1) ?? '');
      lua_pushstring(S, sha1hex(s));
      return 1;
    });
    this.fn(L, 'error_reply', (S) => {
      if (lua_gettop(S) !== 1 || lua_type(S, -1) !== LUA_TSTRING) {
        pushErrorTable(S, 'wrong number or type of arguments');
        return 1;
      }
      const e = toStr(S, -1) ?? '';
      pushErrorTable(S, e.startsWith('-') ? e : `-${e}`);
      return 1;
    });
    this.fn(L, 'status_reply', (S) => {
      if (lua_gettop(S) !== 1 || lua_type(S, -1) !== LUA_TSTRING) {
        pushErrorTable(S, 'wrong number or type of arguments');
        return 1;
      }
      lua_newtable(S);
      lua_pushvalue(S, 1);
      lua_setfield(S, -2, 'ok');
      return 1;
    });
    this.fn(L, 'set_repl', (S) => {
      const req = this.request(S, 'redis.set_repl');
      if (lua_gettop(S) !== 1) return raise(S, 'redis.set_repl() requires two arguments.');
      const flags = Math.trunc(lua_tonumber(S, -1));
      if ((flags & ~3) !== 0)
        return raise(S, 'Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.');
      req.host.setRepl(flags);
      return 0;
    });
    for (const [name, v] of [
      ['REPL_NONE', 0],
      ['REPL_AOF', 1],
      ['REPL_SLAVE', 2],
      ['REPL_REPLICA', 2],
      ['REPL_ALL', 3],
    ] as const) {
      lua_pushnumber(L, v);
      lua_setfield(L, -2, name);
    }
    this.fn(L, 'acl_check_cmd', (S) => {
      const req = this.request(S, 'redis.acl_check_cmd');
      const argv = argsToArgv(S);
      if (argv === null) return lua_error(S);
      const allowed = req.host.aclCheck(argv);
      if (allowed === null) return raise(S, 'Invalid command passed to redis.acl_check_cmd()');
      lua_pushboolean(S, allowed);
      return 1;
    });
    if (evalMode) {
      // eval.c scriptingInit: the debugger entry points (LAB: no debugger, so never active).
      this.fn(L, 'breakpoint', (S) => {
        lua_pushboolean(S, false);
        return 1;
      });
      this.fn(L, 'debug', () => 0);
      this.fn(L, 'replicate_commands', (S) => {
        lua_pushboolean(S, true);
        return 1;
      });
    }
    lua_setfield(L, -2, 'redis');
    lua_getfield(L, -1, 'math');
    this.fn(L, 'random', this.mathRandom);
    this.fn(L, 'randomseed', this.mathRandomseed);
    lua_pop(L, 1);
  }

  /** The run suspended past busy-reply-threshold (its coroutine and request), or null. */
  private suspended: { co: LuaState; req: RunRequest } | null = null;

  /**
   * luaCallFunction: the function (and its arguments) are on the stack above the handler at 1. It
   * runs in a coroutine so that, past busy-reply-threshold, the count hook can suspend it between
   * slices (null is returned; `resume` goes on) while the server answers others with BUSY.
   */
  protected call(req: RunRequest, nargs: number): RunResult | null {
    const L = this.L;
    this.current = req;
    const co = lua_newthread(L);
    lua_insert(L, 1);
    lua_pushjsfunction(co, runProtected);
    lua_xmove(L, co, nargs + 2);
    if (req.timeLimitMs > 0) lua_sethook(co, this.busyHook(req, co), LUA_MASKCOUNT, HOOK_COUNT);
    return this.step(co, req, nargs + 2);
  }

  /** Run a suspended script for one more slice: its result, or null while it goes on. */
  resume(): RunResult | null {
    const s = this.suspended;
    if (s === null) throw new Error('no suspended script');
    this.suspended = null;
    this.current = s.req;
    return this.step(s.co, s.req, 0);
  }

  private step(co: LuaState, req: RunRequest, nargs: number): RunResult | null {
    const L = this.L;
    let status: number;
    try {
      status = lua_resume(co, L, nargs);
    } catch (err) {
      this.current = null;
      lua_settop(L, 0);
      throw err;
    }
    if (status === LUA_YIELD) {
      this.suspended = { co, req };
      this.current = null;
      return null;
    }
    lua_sethook(co, null, 0, 0);
    this.current = null;
    if (status === LUA_OK) {
      // runProtected returned the call's result (or error object) and its status.
      status = lua_tointeger(co, -1);
      lua_pop(co, 1);
    }
    lua_xmove(co, L, 1);
    let result: RunResult;
    if (status !== LUA_OK) result = this.errorResult(req.funcname);
    else {
      const converted = toReply(L, req.host.resp);
      result = { reply: converted.reply, noStats: converted.noStats };
    }
    lua_settop(L, 0);
    return result;
  }

  /**
   * luaMaskCountHook: every HOOK_COUNT instructions, past busy-reply-threshold. A host that can
   * serve others meanwhile (req.busy.canSuspend) gets the script suspended every BUSY_SLICE_MS and
   * kills it on SCRIPT KILL / FUNCTION KILL; otherwise the script is killed at once.
   */
  private busyHook(req: RunRequest, co: LuaState): (S: LuaState) => void {
    const start = perf.now();
    let sliceStart = -1;
    const hook = (S: LuaState) => {
      const busy = req.busy;
      const now = perf.now();
      const kill = () => {
        lua_sethook(S, hook, LUA_MASKLINE, 0);
        raise(S, 'Script killed by user with SCRIPT KILL...');
      };
      if (busy?.killRequested) return kill();
      if (now - start < req.timeLimitMs) return;
      // LAB: where nothing can be served meanwhile (inside MULTI/EXEC, or a host without timers),
      // a script still running after busy-reply-threshold is killed as if SCRIPT KILL had come.
      if (busy === undefined || !busy.canSuspend) return kill();
      if (sliceStart >= 0 && now - sliceStart < BUSY_SLICE_MS) return;
      // LAB: inside a call that cannot yield (a table.sort comparator, a gsub callback, a
      // metamethod...) the script can't be suspended, and waiting could freeze the lab: it is killed.
      // (The hook is inherited by coroutines the script makes: those must not yield to the script.)
      if (S !== co || !lua_isyieldable(S)) return kill();
      sliceStart = now;
      busy.onBusy();
      lua_yield(S, 0);
    };
    return hook;
  }

  /** The error reply of a failed run: "<err> script: <name>, on <source>:<line>." */
  private errorResult(funcname: string): RunResult {
    const L = this.L;
    if (!lua_istable(L, -1)) {
      const msg = lua_isstring(L, -1) ? (toStr(L, -1) ?? '') : 'execution failure';
      return { reply: error(`ERR Error running script ${funcname}, ${msg.slice(0, 100)}`), noStats: false };
    }
    const field = (name: string): string | null => {
      lua_getfield(L, -1, name);
      const v = lua_type(L, -1) === LUA_TNUMBER ? luaNumberText(lua_tonumber(L, -1)) : toStr(L, -1);
      lua_pop(L, 1);
      return v;
    };
    // LAB: Redis 7.0.15 crashes on an error table without an `err` string (error({})).
    let msg = field('err') ?? 'ERR unknown error (the error object has no err field)';
    const source = field('source');
    const line = field('line');
    lua_getfield(L, -1, 'ignore_error_stats_update');
    const noStats = lua_type(L, -1) === LUA_TBOOLEAN && lua_toboolean(L, -1);
    lua_pop(L, 1);
    if (source !== null && line !== null) msg += ` script: ${funcname}, on ${source}:${line}.`;
    return { reply: error(msg.startsWith('-') ? msg.slice(1) : msg), noStats };
  }

  /** Push a Lua array of binary strings. */
  protected pushStrings(items: readonly string[]): void {
    const L = this.L;
    lua_newtable(L);
    for (let i = 0; i < items.length; i++) {
      pushString(L, items[i]);
      lua_rawseti(L, -2, i + 1);
    }
  }
}

/** rawset(t, k, top): the value on top of the stack, t at `idx` below it. */
export function rawSetField(L: LuaState, idx: number, k: string): void {
  const t = idx < 0 ? lua_gettop(L) + idx + 1 : idx;
  lua_pushstring(L, k);
  lua_insert(L, -2);
  lua_rawset(L, t);
}
