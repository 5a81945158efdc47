// The `bit` library Redis bundles (LuaBitOp, deps/lua/src/lua_bit.c): 32-bit operations on Lua
// numbers. Arguments are normalised like LuaBitOp's barg (round to nearest, keep the low 32 bits),
// results are signed 32-bit numbers.

// fengari's CommonJS modules must load in its entry point's order (circular requires).
import 'fengari';
import { luaL_checknumber, luaL_optinteger } from 'fengari/src/lauxlib.js';
import {
  type JsFunction,
  type LuaState,
  lua_gettop,
  lua_newtable,
  lua_pushjsfunction,
  lua_pushnumber,
  lua_setfield,
} from 'fengari/src/lua.js';
import { pushString } from './lua-util';

/** barg: the argument as a 32-bit integer (the double + 2^52+2^51 trick rounds ties to even). */
function barg(L: LuaState, i: number): number {
  const n = luaL_checknumber(L, i);
  const magic = 6755399441055744;
  const r = n + magic - magic;
  return Number.isFinite(r) ? Number(BigInt.asIntN(32, BigInt(r))) : 0;
}

function ret(L: LuaState, v: number): number {
  lua_pushnumber(L, v | 0);
  return 1;
}

function variadic(op: (a: number, b: number) => number): JsFunction {
  return (L) => {
    let b = barg(L, 1);
    for (let i = lua_gettop(L); i > 1; i--) b = op(b, barg(L, i));
    return ret(L, b);
  };
}

function shift(op: (b: number, n: number) => number): JsFunction {
  return (L) => ret(L, op(barg(L, 1), barg(L, 2) & 31));
}

const FUNCTIONS: Record<string, JsFunction> = {
  tobit: (L) => ret(L, barg(L, 1)),
  bnot: (L) => ret(L, ~barg(L, 1)),
  band: variadic((a, b) => a & b),
  bor: variadic((a, b) => a | b),
  bxor: variadic((a, b) => a ^ b),
  lshift: shift((b, n) => b << n),
  rshift: shift((b, n) => b >>> n),
  arshift: shift((b, n) => b >> n),
  rol: shift((b, n) => (b << n) | (b >>> (32 - n))),
  ror: shift((b, n) => (b >>> n) | (b << (32 - n))),
  bswap: (L) => {
    const b = barg(L, 1);
    return ret(L, ((b >>> 24) & 0xff) | ((b >>> 8) & 0xff00) | ((b & 0xff00) << 8) | (b << 24));
  },
  tohex: (L) => {
    let b = barg(L, 1) >>> 0;
    let n = lua_gettop(L) >= 2 ? barg(L, 2) : luaL_optinteger(L, 2, 8);
    let digits = '0123456789abcdef';
    if (n < 0) {
      n = -n;
      digits = '0123456789ABCDEF';
    }
    if (n > 8) n = 8;
    let out = '';
    for (let i = 0; i < n; i++) {
      out = digits[b & 15] + out;
      b >>>= 4;
    }
    pushString(L, out);
    return 1;
  },
};

/** luaopen_bit: push the library table. */
export function openBit(L: LuaState): void {
  lua_newtable(L);
  for (const [name, fn] of Object.entries(FUNCTIONS)) {
    lua_pushjsfunction(L, fn);
    lua_setfield(L, -2, name);
  }
}
