// The functions interpreter (function_lua.c luaEngineInitEngine / luaEngineCreate): while a
// library's code runs, its globals are only the loading API (redis.register_function, redis.log,
// the version); the functions it registers are kept by reference and later run with (keys, args).

// fengari's CommonJS modules must load in its entry point's order (circular requires).
import 'fengari';
import { luaL_error, luaL_loadbuffer, luaL_ref, luaL_unref } from 'fengari/src/lauxlib.js';
import {
  type JsFunction,
  LUA_MASKCOUNT,
  LUA_MASKLINE,
  LUA_OK,
  LUA_REGISTRYINDEX,
  LUA_TNIL,
  LUA_TNUMBER,
  LUA_TSTRING,
  type LuaState,
  lua_getfield,
  lua_gettable,
  lua_gettop,
  lua_isfunction,
  lua_isstring,
  lua_istable,
  lua_newtable,
  lua_next,
  lua_pcall,
  lua_pop,
  lua_pushjsclosure,
  lua_pushjsfunction,
  lua_pushnil,
  lua_pushnumber,
  lua_pushvalue,
  lua_rawget,
  lua_rawgeti,
  lua_setfield,
  lua_sethook,
  lua_setmetatable,
  lua_settop,
  lua_tonumber,
  lua_type,
  lua_upvalueindex,
} from 'fengari/src/lua.js';
import { lua51Message, lua51Source, luaBytes, luaNumberText, toStr } from './lua-util';
import type { FunctionVm, RegisteredFunction, RunRequest, RunResult } from './types';
import { SCRIPT_FLAG_NAMES } from './types';
import { installGlobals, missingGlobal, protect } from './vm-sandbox';

import { errorHandler, LOAD_TIMEOUT_MESSAGE, LuaVmBase, perf, raise, rawSetField } from './vm-base';

/** The functions interpreter: while a library loads, the globals are only the loading API. */
export class LuaFunctionVm extends LuaVmBase implements FunctionVm {
  private loading: { fns: RegisteredFunction[] } | null = null;

  constructor() {
    super();
    const L = this.L;
    this.setupGlobals(false);
    lua_pushvalue(L, -1);
    this.realGlobals = luaL_ref(L, LUA_REGISTRYINDEX);
    // The loading API: { redis = { register_function, log, LOG_*, REDIS_VERSION* } }. Its globals
    // are read by globalIndex itself (so a missing name's error carries the library's line); the
    // `redis` table inside is a protected proxy raising the same error for a missing field.
    lua_newtable(L);
    lua_newtable(L);
    this.fn(L, 'register_function', this.registerFunction);
    this.addLogAndVersion(L);
    protect(L, missingGlobal);
    lua_setfield(L, -2, 'redis');
    const libraryApi = luaL_ref(L, LUA_REGISTRYINDEX);
    // Protect the libraries inside the real globals (the proxy made for the table itself is dropped).
    protect(L, null, new Set(['_G']));
    lua_settop(L, 0);
    // The globals proxy reads through to the loading API or the real globals.
    lua_newtable(L);
    lua_newtable(L);
    lua_rawgeti(L, LUA_REGISTRYINDEX, this.realGlobals);
    lua_rawgeti(L, LUA_REGISTRYINDEX, libraryApi);
    lua_pushjsclosure(L, this.globalIndex, 2);
    lua_setfield(L, -2, '__index');
    lua_pushjsfunction(L, (S) => luaL_error(S, 'Attempt to modify a readonly table'));
    lua_setfield(L, -2, '__newindex');
    lua_setmetatable(L, -2);
    installGlobals(L);
    lua_rawgeti(L, LUA_REGISTRYINDEX, this.realGlobals);
    lua_pushvalue(L, -2);
    rawSetField(L, -2, '_G');
    lua_settop(L, 0);
  }

  private globalIndex: JsFunction = (L) => {
    lua_pushvalue(L, 2);
    lua_rawget(L, lua_upvalueindex(this.loading !== null ? 2 : 1));
    if (lua_type(L, -1) === LUA_TNIL) {
      return luaL_error(L, `Script attempted to access nonexistent global variable '${toStr(L, 2) ?? '?'}'`);
    }
    return 1;
  };

  /** redis.register_function(name, fn) or redis.register_function{function_name=..., callback=...}. */
  private registerFunction: JsFunction = (L) => {
    const loading = this.loading;
    if (loading === null) return raise(L, 'redis.register_function can only be called on FUNCTION LOAD command');
    const argc = lua_gettop(L);
    if (argc < 1 || argc > 2) return raise(L, 'wrong number of arguments to redis.register_function');
    let name: string | null = null;
    let desc: string | null = null;
    let flags = 0;
    let ref = -1;
    const fail = (msg: string): never => {
      if (ref >= 0) luaL_unref(L, LUA_REGISTRYINDEX, ref);
      return raise(L, msg);
    };
    if (argc === 2) {
      name = lua_isstring(L, 1) ? str(L, 1) : null;
      if (name === null) return fail('first argument to redis.register_function must be a string');
      if (!lua_isfunction(L, 2)) return fail('second argument to redis.register_function must be a function');
      ref = luaL_ref(L, LUA_REGISTRYINDEX);
    } else {
      if (!lua_istable(L, 1)) {
        return fail(
          'calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).',
        );
      }
      lua_pushnil(L);
      while (lua_next(L, 1)) {
        if (!lua_isstring(L, -2)) return fail('named argument key given to redis.register_function is not a string');
        const key = (str(L, -2) ?? '').toLowerCase();
        if (key === 'function_name') {
          name = lua_isstring(L, -1) ? str(L, -1) : null;
          if (name === null) return fail('function_name argument given to redis.register_function must be a string');
        } else if (key === 'description') {
          desc = lua_isstring(L, -1) ? str(L, -1) : null;
          if (desc === null) return fail('description argument given to redis.register_function must be a string');
        } else if (key === 'callback') {
          if (!lua_isfunction(L, -1))
            return fail('callback argument given to redis.register_function must be a function');
          if (ref >= 0) luaL_unref(L, LUA_REGISTRYINDEX, ref);
          ref = luaL_ref(L, LUA_REGISTRYINDEX);
          continue;
        } else if (key === 'flags') {
          if (!lua_istable(L, -1)) {
            return fail('flags argument to redis.register_function must be a table representing function flags');
          }
          const f = readFlags(L);
          if (f === null) return fail('unknown flag given');
          flags = f;
        } else {
          return fail('unknown argument given to redis.register_function');
        }
        lua_pop(L, 1);
      }
      if (name === null) return fail('redis.register_function must get a function name argument');
      if (ref < 0) return fail('redis.register_function must get a callback argument');
    }
    if (!/^[a-zA-Z0-9_]+$/.test(name)) {
      return fail(
        'Library names can only contain letters, numbers, or underscores(_) and must be at least one character long',
      );
    }
    if (loading.fns.some((f) => f.name === name)) return fail('Function already exists in the library');
    loading.fns.push({ name, desc, flags, ref });
    return 0;
  };

  load(code: string, timeoutMs: number): RegisteredFunction[] | string {
    const L = this.L;
    lua_settop(L, 0);
    const bytes = luaBytes(lua51Source(code));
    if (luaL_loadbuffer(L, bytes, bytes.length, '@user_function') !== LUA_OK) {
      const msg = lua51Message(toStr(L, -1) ?? '');
      lua_settop(L, 0);
      return `Error compiling function: ${msg}`;
    }
    const loading = { fns: [] as RegisteredFunction[] };
    this.loading = loading;
    const start = perf.now();
    const hook = (S: LuaState) => {
      if (timeoutMs <= 0 || perf.now() - start <= timeoutMs) return;
      lua_sethook(S, hook, LUA_MASKLINE, 0);
      raise(S, LOAD_TIMEOUT_MESSAGE);
    };
    lua_sethook(L, hook, LUA_MASKCOUNT, 100000);
    let status: number;
    try {
      status = lua_pcall(L, 0, 0, 0);
    } finally {
      lua_sethook(L, null, 0, 0);
      this.loading = null;
    }
    if (status !== LUA_OK) {
      let msg: string;
      if (lua_type(L, -1) === LUA_TSTRING || lua_type(L, -1) === LUA_TNUMBER) msg = `ERR ${toStr(L, -1) ?? ''}`;
      else if (lua_istable(L, -1)) {
        lua_getfield(L, -1, 'err');
        msg = toStr(L, -1) ?? '(null)';
        lua_pop(L, 1);
      } else msg = '(null)';
      lua_settop(L, 0);
      for (const f of loading.fns) luaL_unref(L, LUA_REGISTRYINDEX, f.ref);
      return `Error registering functions: ${lua51Message(msg)}`;
    }
    lua_settop(L, 0);
    return loading.fns;
  }

  release(ref: number): void {
    luaL_unref(this.L, LUA_REGISTRYINDEX, ref);
  }

  run(ref: number, req: RunRequest): RunResult | null {
    const L = this.L;
    lua_settop(L, 0);
    lua_pushjsfunction(L, errorHandler);
    lua_rawgeti(L, LUA_REGISTRYINDEX, ref);
    this.pushStrings(req.keys);
    this.pushStrings(req.args);
    return this.call(req, 2);
  }
}

function str(L: LuaState, idx: number): string | null {
  return lua_type(L, idx) === LUA_TNUMBER ? luaNumberText(lua_tonumber(L, idx)) : toStr(L, idx);
}

/** luaRegisterFunctionReadFlags: the flags table (1..n strings), or null on an unknown flag. */
function readFlags(L: LuaState): number | null {
  let flags = 0;
  for (let j = 1; ; j++) {
    lua_pushnumber(L, j);
    lua_gettable(L, -2);
    if (lua_type(L, -1) === LUA_TNIL) {
      lua_pop(L, 1);
      return flags;
    }
    const s = lua_isstring(L, -1) ? (str(L, -1) ?? '') : null;
    lua_pop(L, 1);
    if (s === null) return null;
    const flag = SCRIPT_FLAG_NAMES.find(([, n]) => n === s.toLowerCase());
    if (flag === undefined) return null;
    flags |= flag[0];
  }
}
