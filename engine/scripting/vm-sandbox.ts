// The Lua environment Redis 7.0 gives scripts (script_lua.c luaRegisterRedisAPI + eval.c
// scriptingInit): the Lua 5.1 standard library subset Redis loads, the bit/cjson/cmsgpack/struct
// libraries, and a read-only global table whose missing names raise an error.

// fengari's CommonJS modules must load in its entry point's order (circular requires).
import 'fengari';
import { luaL_error, luaL_requiref } from 'fengari/src/lauxlib.js';
import { luaopen_base } from 'fengari/src/lbaselib.js';
import { luaopen_coroutine } from 'fengari/src/lcorolib.js';
import { luaopen_math } from 'fengari/src/lmathlib.js';
import { luaopen_string } from 'fengari/src/lstrlib.js';
import { luaopen_table } from 'fengari/src/ltablib.js';
import {
  type JsFunction,
  LUA_REGISTRYINDEX,
  LUA_RIDX_GLOBALS,
  LUA_TNIL,
  type LuaState,
  lua_getfield,
  lua_gettop,
  lua_istable,
  lua_newtable,
  lua_next,
  lua_pop,
  lua_pushjsclosure,
  lua_pushjsfunction,
  lua_pushnil,
  lua_pushstring,
  lua_pushvalue,
  lua_rawget,
  lua_rawgeti,
  lua_rawset,
  lua_rawseti,
  lua_remove,
  lua_setfield,
  lua_setmetatable,
  lua_settop,
  lua_type,
  lua_upvalueindex,
} from 'fengari/src/lua.js';
import { openBit } from './lib-bit';
import { openCjson } from './lib-cjson';
import { toStr } from './lua-util';
import { installLua51 } from './vm-compat';

/** Globals Redis 7.0 leaves in place (script_lua.c allow lists, as a 7.0.15 server lists them). */
const BASE_GLOBALS = new Set([
  'assert',
  'collectgarbage',
  'error',
  'gcinfo',
  'getmetatable',
  'ipairs',
  'load',
  'loadstring',
  'next',
  'pairs',
  'pcall',
  'rawequal',
  'rawget',
  'rawset',
  'select',
  'setmetatable',
  'tonumber',
  'tostring',
  'type',
  'unpack',
  'xpcall',
  '_G',
  '_VERSION',
  'coroutine',
  'math',
  'string',
  'table',
]);

const LIBRARY_FIELDS: Record<string, readonly string[]> = {
  coroutine: ['create', 'resume', 'running', 'status', 'wrap', 'yield'],
  math: [
    'abs',
    'acos',
    'asin',
    'atan',
    'atan2',
    'ceil',
    'cos',
    'cosh',
    'deg',
    'exp',
    'floor',
    'fmod',
    'frexp',
    'huge',
    'ldexp',
    'log',
    'log10',
    'max',
    'min',
    'mod',
    'modf',
    'pi',
    'pow',
    'rad',
    'random',
    'randomseed',
    'sin',
    'sinh',
    'sqrt',
    'tan',
    'tanh',
  ],
  string: [
    'byte',
    'char',
    'dump',
    'find',
    'format',
    'gfind',
    'gmatch',
    'gsub',
    'len',
    'lower',
    'match',
    'rep',
    'reverse',
    'sub',
    'upper',
  ],
  table: ['concat', 'foreach', 'foreachi', 'getn', 'insert', 'maxn', 'remove', 'setn', 'sort'],
};

/** Push the real globals table (registry[LUA_RIDX_GLOBALS] before protection replaces it). */
export function pushGlobals(L: LuaState): void {
  lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
}

/** Open the libraries and reduce them to Redis's Lua 5.1 set; leaves the globals table on the stack. */
export function openLibraries(L: LuaState): void {
  const libs: [string, JsFunction][] = [
    ['_G', luaopen_base],
    ['table', luaopen_table],
    ['string', luaopen_string],
    ['math', luaopen_math],
    ['coroutine', luaopen_coroutine],
  ];
  for (const [name, open] of libs) {
    luaL_requiref(L, name, open, 1);
    lua_pop(L, 1);
  }
  pushGlobals(L);
  installLua51(L);
  // Drop what Lua 5.3 has and Redis's Lua 5.1 has not.
  pruneTable(L, BASE_GLOBALS);
  for (const [lib, fields] of Object.entries(LIBRARY_FIELDS)) {
    lua_getfield(L, -1, lib);
    pruneTable(L, new Set(fields));
    lua_pop(L, 1);
  }
  openBit(L);
  lua_setfield(L, -2, 'bit');
  openCjson(L);
  lua_setfield(L, -2, 'cjson');
  openUnavailable(L, 'cmsgpack', ['pack', 'unpack', 'unpack_one', 'unpack_limit']);
  lua_setfield(L, -2, 'cmsgpack');
  openUnavailable(L, 'struct', ['pack', 'unpack', 'size']);
  lua_setfield(L, -2, 'struct');
}

/** Remove the fields of the table on top of the stack whose keys are not in `keep`. */
function pruneTable(L: LuaState, keep: ReadonlySet<string>): void {
  const t = lua_gettop(L);
  const drop: string[] = [];
  lua_pushnil(L);
  while (lua_next(L, t)) {
    lua_pop(L, 1);
    const k = toStr(L, -1);
    if (k !== null && !keep.has(k)) drop.push(k);
  }
  for (const k of drop) {
    lua_pushstring(L, k);
    lua_pushnil(L);
    lua_rawset(L, t);
  }
}

/**
 * LAB: Redis ships lua-cmsgpack and lua-struct; the lab does not implement them. Their tables exist
 * so scripts can test for them, and every function raises an error saying so.
 */
function openUnavailable(L: LuaState, lib: string, names: readonly string[]): void {
  lua_newtable(L);
  for (const name of names) {
    lua_pushjsfunction(L, (S) => luaL_error(S, `${lib}.${name} is not available in Redis Lab`));
    lua_setfield(L, -2, name);
  }
}

/** __newindex of a protected table. */
export const readonlyError: JsFunction = (L) => luaL_error(L, 'Attempt to modify a readonly table');

/** __index of the protected globals: read the real table (upvalue 1), error on a missing name. */
export const missingGlobal: JsFunction = (L) => {
  lua_pushvalue(L, 2);
  lua_rawget(L, lua_upvalueindex(1));
  if (lua_type(L, -1) === LUA_TNIL) {
    return luaL_error(L, `Script attempted to access nonexistent global variable '${toStr(L, 2) ?? '?'}'`);
  }
  return 1;
};

/** next() over the table in upvalue 1, for the __pairs of a proxy. */
const nextThrough: JsFunction = (L) => {
  lua_settop(L, 2);
  lua_pushvalue(L, 2);
  if (lua_next(L, lua_upvalueindex(1))) return 2;
  lua_pushnil(L);
  return 1;
};

const pairsThrough: JsFunction = (L) => {
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_pushjsclosure(L, nextThrough, 1);
  lua_pushnil(L);
  lua_pushnil(L);
  return 3;
};

/**
 * Replace the table on top of the stack by a read-only proxy, recursively for the tables it holds
 * (luaSetTableProtectionRecursively). `index` (a closure over the real table, upvalue 1) handles
 * reads, for the globals' missing-name error (luaSetErrorMetatable); otherwise reads go through.
 * LAB: Redis marks the tables themselves read-only (a patch to its Lua); through proxies, rawget,
 * rawset and next see an empty table, while pairs() still lists the fields.
 */
export function protect(
  L: LuaState,
  index: JsFunction | null,
  skip: ReadonlySet<string> = new Set(),
  nestedIndex: JsFunction | null = null,
): void {
  const real = lua_gettop(L);
  const nested: string[] = [];
  lua_pushnil(L);
  while (lua_next(L, real)) {
    if (lua_istable(L, -1)) {
      const k = toStr(L, -2);
      if (k !== null && !skip.has(k)) nested.push(k);
    }
    lua_pop(L, 1);
  }
  for (const k of nested) {
    lua_getfield(L, real, k);
    protect(L, nestedIndex, new Set(), nestedIndex);
    lua_setfield(L, real, k);
  }
  lua_newtable(L); // the proxy
  lua_newtable(L); // its metatable
  lua_pushvalue(L, real);
  if (index) lua_pushjsclosure(L, index, 1);
  lua_setfield(L, -2, '__index');
  lua_pushjsfunction(L, readonlyError);
  lua_setfield(L, -2, '__newindex');
  lua_pushvalue(L, real);
  lua_pushjsclosure(L, pairsThrough, 1);
  lua_setfield(L, -2, '__pairs');
  lua_setmetatable(L, -2);
  lua_remove(L, real);
}

/** Make the table on top of the stack the globals of every chunk loaded from now on. */
export function installGlobals(L: LuaState): void {
  lua_pushvalue(L, -1);
  lua_rawseti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
}
