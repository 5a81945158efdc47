// Type declarations for the parts of fengari (a Lua 5.3 VM in JavaScript, CommonJS, untyped) that
// the scripting engine uses: the C API (lua.js), the auxiliary library (lauxlib.js), the standard
// library openers, and lobject.js whose number conversions the VM glue adjusts to Lua 5.1's.

declare module 'fengari/src/lua.js' {
  /** An opaque lua_State. */
  export interface LuaState {
    readonly __luaState: unique symbol;
  }
  export type LuaString = Uint8Array;
  export type JsFunction = (L: LuaState) => number;
  export class lua_Debug {
    currentline: number;
    source: LuaString | null;
    what: LuaString | null;
  }
  export const LUA_OK: number;
  export const LUA_YIELD: number;
  export const LUA_ERRRUN: number;
  export const LUA_ERRSYNTAX: number;
  export const LUA_MULTRET: number;
  export const LUA_REGISTRYINDEX: number;
  export const LUA_RIDX_GLOBALS: number;
  export const LUA_MASKCOUNT: number;
  export const LUA_MASKLINE: number;
  export const LUA_TNONE: number;
  export const LUA_TNIL: number;
  export const LUA_TBOOLEAN: number;
  export const LUA_TLIGHTUSERDATA: number;
  export const LUA_TNUMBER: number;
  export const LUA_TSTRING: number;
  export const LUA_TTABLE: number;
  export const LUA_TFUNCTION: number;
  export const LUA_TUSERDATA: number;
  export const LUA_TTHREAD: number;
  export function lua_absindex(L: LuaState, idx: number): number;
  export function lua_upvalueindex(i: number): number;
  export function lua_call(L: LuaState, nargs: number, nresults: number): void;
  export function lua_checkstack(L: LuaState, n: number): boolean;
  export function lua_concat(L: LuaState, n: number): void;
  export function lua_createtable(L: LuaState, narr: number, nrec: number): void;
  export function lua_error(L: LuaState): never;
  export function lua_gc(L: LuaState, what: number, data: number): number;
  export function lua_getfield(L: LuaState, idx: number, k: string | LuaString): number;
  export function lua_getglobal(L: LuaState, name: string | LuaString): number;
  export function lua_getinfo(L: LuaState, what: string | LuaString, ar: lua_Debug): number;
  export function lua_getmetatable(L: LuaState, idx: number): boolean;
  export function lua_getstack(L: LuaState, level: number, ar: lua_Debug): number;
  export function lua_gettable(L: LuaState, idx: number): number;
  export function lua_gettop(L: LuaState): number;
  export function lua_insert(L: LuaState, idx: number): void;
  export function lua_isfunction(L: LuaState, idx: number): boolean;
  export function lua_isinteger(L: LuaState, idx: number): boolean;
  export function lua_isnumber(L: LuaState, idx: number): boolean;
  export function lua_isstring(L: LuaState, idx: number): boolean;
  export function lua_istable(L: LuaState, idx: number): boolean;
  export function lua_newtable(L: LuaState): void;
  export function lua_next(L: LuaState, idx: number): boolean;
  export function lua_pcall(L: LuaState, nargs: number, nresults: number, msgh: number): number;
  /** A continuation: called with the call's status (LUA_YIELD when it finished after a yield). */
  export type KFunction = (L: LuaState, status: number, ctx: number) => number;
  export function lua_pcallk(
    L: LuaState,
    nargs: number,
    nresults: number,
    msgh: number,
    ctx: number,
    k: KFunction,
  ): number;
  export function lua_newthread(L: LuaState): LuaState;
  export function lua_resume(L: LuaState, from: LuaState, nargs: number): number;
  export function lua_yield(L: LuaState, nresults: number): number;
  export function lua_isyieldable(L: LuaState): boolean;
  export function lua_xmove(from: LuaState, to: LuaState, n: number): void;
  export function lua_pop(L: LuaState, n: number): void;
  export function lua_pushboolean(L: LuaState, b: boolean | number): void;
  export function lua_pushinteger(L: LuaState, n: number): void;
  export function lua_pushjsclosure(L: LuaState, fn: JsFunction, n: number): void;
  export function lua_pushjsfunction(L: LuaState, fn: JsFunction): void;
  export function lua_pushlightuserdata(L: LuaState, p: object): void;
  export function lua_pushlstring(L: LuaState, s: LuaString, len: number): void;
  export function lua_pushnil(L: LuaState): void;
  export function lua_pushnumber(L: LuaState, n: number): void;
  export function lua_pushstring(L: LuaState, s: string | LuaString): void;
  export function lua_pushvalue(L: LuaState, idx: number): void;
  export function lua_rawequal(L: LuaState, a: number, b: number): boolean;
  export function lua_rawget(L: LuaState, idx: number): number;
  export function lua_rawgeti(L: LuaState, idx: number, n: number): number;
  export function lua_rawlen(L: LuaState, idx: number): number;
  export function lua_rawset(L: LuaState, idx: number): void;
  export function lua_rawseti(L: LuaState, idx: number, n: number): void;
  export function lua_remove(L: LuaState, idx: number): void;
  export function lua_replace(L: LuaState, idx: number): void;
  export function lua_setfield(L: LuaState, idx: number, k: string | LuaString): void;
  export function lua_setglobal(L: LuaState, name: string | LuaString): void;
  export function lua_sethook(L: LuaState, fn: ((L: LuaState) => void) | null, mask: number, count: number): void;
  export function lua_setmetatable(L: LuaState, idx: number): void;
  export function lua_settable(L: LuaState, idx: number): void;
  export function lua_settop(L: LuaState, idx: number): void;
  export function lua_toboolean(L: LuaState, idx: number): boolean;
  export function lua_tointeger(L: LuaState, idx: number): number;
  export function lua_tolstring(L: LuaState, idx: number): LuaString | null;
  export function lua_tonumber(L: LuaState, idx: number): number;
  export function lua_touserdata(L: LuaState, idx: number): unknown;
  export function lua_type(L: LuaState, idx: number): number;
}

declare module 'fengari/src/lauxlib.js' {
  import type { JsFunction, LuaState, LuaString } from 'fengari/src/lua.js';
  export function luaL_newstate(): LuaState;
  export function luaL_loadbuffer(L: LuaState, buff: LuaString, size: number, name: string | LuaString): number;
  export function luaL_error(L: LuaState, fmt: string | LuaString, ...args: unknown[]): never;
  export function luaL_where(L: LuaState, level: number): void;
  export function luaL_ref(L: LuaState, t: number): number;
  export function luaL_unref(L: LuaState, t: number, ref: number): void;
  export function luaL_requiref(L: LuaState, name: string | LuaString, fn: JsFunction, glb: number): void;
  export function luaL_checknumber(L: LuaState, arg: number): number;
  export function luaL_checkinteger(L: LuaState, arg: number): number;
  export function luaL_checklstring(L: LuaState, arg: number): LuaString;
  export function luaL_checkstring(L: LuaState, arg: number): LuaString;
  export function luaL_checktype(L: LuaState, arg: number, t: number): void;
  export function luaL_checkany(L: LuaState, arg: number): void;
  export function luaL_optinteger(L: LuaState, arg: number, def: number): number;
  export function luaL_optnumber(L: LuaState, arg: number, def: number): number;
  export function luaL_argerror(L: LuaState, arg: number, extramsg: string | LuaString): never;
  export function luaL_tolstring(L: LuaState, idx: number): LuaString;
  export function luaL_typename(L: LuaState, idx: number): LuaString;
}

declare module 'fengari/src/lbaselib.js' {
  import type { JsFunction } from 'fengari/src/lua.js';
  export const luaopen_base: JsFunction;
}
declare module 'fengari/src/ltablib.js' {
  import type { JsFunction } from 'fengari/src/lua.js';
  export const luaopen_table: JsFunction;
}
declare module 'fengari/src/lstrlib.js' {
  import type { JsFunction } from 'fengari/src/lua.js';
  export const luaopen_string: JsFunction;
}
declare module 'fengari/src/lmathlib.js' {
  import type { JsFunction } from 'fengari/src/lua.js';
  export const luaopen_math: JsFunction;
}
declare module 'fengari/src/lcorolib.js' {
  import type { JsFunction } from 'fengari/src/lua.js';
  export const luaopen_coroutine: JsFunction;
}

declare module 'fengari/src/lobject.js' {
  /** A TValue (only what the number patches touch). */
  export interface TValue {
    value: unknown;
    ttisinteger(): boolean;
    ttisfloat(): boolean;
    setfltvalue(n: number): void;
    setivalue(n: number): void;
    setsvalue(ts: unknown): void;
  }
  const lobject: {
    luaO_str2num(s: Uint8Array, o: TValue): number;
    luaO_tostring(L: unknown, obj: TValue): void;
  };
  export default lobject;
}

declare module 'fengari/src/lstring.js' {
  export function luaS_bless(L: unknown, s: Uint8Array): unknown;
}

declare module 'fengari' {
  export const FENGARI_VERSION: string;
}
