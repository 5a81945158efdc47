// The EVAL interpreter (eval.c scriptingInit): compiled scripts live in its registry as f_<sha>,
// KEYS and ARGV are globals set for each run. The heavy half's entry point: `runtime` makes both
// interpreters (the functions one is in vm-functions.ts).

// fengari's CommonJS modules must load in its entry point's order (circular requires).
import 'fengari';
import { luaL_loadbuffer, luaL_ref } from 'fengari/src/lauxlib.js';
import {
  LUA_OK,
  LUA_REGISTRYINDEX,
  lua_getfield,
  lua_isfunction,
  lua_pop,
  lua_pushjsfunction,
  lua_pushvalue,
  lua_rawgeti,
  lua_setfield,
  lua_settop,
} from 'fengari/src/lua.js';
import { lua51Message, lua51Source, luaBytes, toStr } from './lua-util';
import type { EvalVm, RunRequest, RunResult, ScriptingRuntime } from './types';
import { installGlobals, missingGlobal, protect } from './vm-sandbox';

import { errorHandler, LuaVmBase, rawSetField } from './vm-base';
import { LuaFunctionVm } from './vm-functions';

/** The EVAL interpreter: compiled scripts live in the registry as f_<sha>. */
class LuaEvalVm extends LuaVmBase implements EvalVm {
  constructor() {
    super();
    const L = this.L;
    this.setupGlobals(true);
    lua_pushjsfunction(L, errorHandler);
    lua_setfield(L, -2, '__redis__err__handler');
    // KEYS and ARGV exist (empty) from the start, as globals set by every run.
    this.pushStrings([]);
    lua_setfield(L, -2, 'KEYS');
    this.pushStrings([]);
    lua_setfield(L, -2, 'ARGV');
    lua_pushvalue(L, -1);
    this.realGlobals = luaL_ref(L, LUA_REGISTRYINDEX);
    protect(L, missingGlobal, new Set(['_G', 'KEYS', 'ARGV']));
    // _G is the protected view.
    lua_rawgeti(L, LUA_REGISTRYINDEX, this.realGlobals);
    lua_pushvalue(L, -2);
    rawSetField(L, -2, '_G');
    lua_pop(L, 1);
    installGlobals(L);
    lua_settop(L, 0);
  }

  has(sha: string): boolean {
    const L = this.L;
    lua_getfield(L, LUA_REGISTRYINDEX, `f_${sha}`);
    const found = lua_isfunction(L, -1);
    lua_pop(L, 1);
    return found;
  }

  compile(sha: string, body: string): string | null {
    const L = this.L;
    const bytes = luaBytes(lua51Source(body));
    if (luaL_loadbuffer(L, bytes, bytes.length, '@user_script') !== LUA_OK) {
      const msg = lua51Message(toStr(L, -1) ?? '');
      lua_settop(L, 0);
      return msg;
    }
    lua_setfield(L, LUA_REGISTRYINDEX, `f_${sha}`);
    return null;
  }

  run(sha: string, req: RunRequest): RunResult | null {
    const L = this.L;
    lua_settop(L, 0);
    lua_pushjsfunction(L, errorHandler);
    lua_getfield(L, LUA_REGISTRYINDEX, `f_${sha}`);
    lua_rawgeti(L, LUA_REGISTRYINDEX, this.realGlobals);
    this.pushStrings(req.keys);
    rawSetField(L, -2, 'KEYS');
    this.pushStrings(req.args);
    rawSetField(L, -2, 'ARGV');
    lua_pop(L, 1);
    return this.call(req, 0);
  }
}

export const runtime: ScriptingRuntime = {
  newEvalVm: () => new LuaEvalVm(),
  newFunctionVm: () => new LuaFunctionVm(),
};
