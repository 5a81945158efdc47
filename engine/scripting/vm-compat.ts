// Lua 5.1 on fengari's Lua 5.3: the functions Redis's interpreter has and 5.3 dropped (unpack,
// loadstring, gcinfo, math.atan2/cosh/sinh/tanh/frexp/ldexp/log10/mod/pow, table.getn/setn/maxn/
// foreach/foreachi, string.gfind), 5.1's error() and string.format() semantics (numbers get a
// position, %d truncates a double instead of refusing it).

// fengari's CommonJS modules must load in its entry point's order (circular requires).
import 'fengari';
import {
  luaL_argerror,
  luaL_checkany,
  luaL_checknumber,
  luaL_checktype,
  luaL_error,
  luaL_optinteger,
  luaL_tolstring,
  luaL_where,
} from 'fengari/src/lauxlib.js';
import {
  type JsFunction,
  LUA_TFUNCTION,
  LUA_TNIL,
  LUA_TNUMBER,
  LUA_TSTRING,
  LUA_TTABLE,
  type LuaState,
  lua_call,
  lua_concat,
  lua_error,
  lua_gc,
  lua_getfield,
  lua_gettop,
  lua_next,
  lua_pop,
  lua_pushinteger,
  lua_pushjsclosure,
  lua_pushjsfunction,
  lua_pushnil,
  lua_pushnumber,
  lua_pushstring,
  lua_pushvalue,
  lua_rawgeti,
  lua_rawlen,
  lua_setfield,
  lua_settop,
  lua_tonumber,
  lua_type,
  lua_upvalueindex,
} from 'fengari/src/lua.js';
import { luaNumberText, pushString, toStr } from './lua-util';
import { formatFloat } from './lua-format-float';
import { asin, cos, sin } from '../util/libm';

function setFn(L: LuaState, name: string, fn: JsFunction): void {
  lua_pushjsfunction(L, fn);
  lua_setfield(L, -2, name);
}

function mathFn(L: LuaState, name: string, f: (x: number, y: number) => number, nargs = 1): void {
  setFn(L, name, (S) => {
    const x = luaL_checknumber(S, 1);
    const y = nargs > 1 ? luaL_checknumber(S, 2) : 0;
    lua_pushnumber(S, f(x, y));
    return 1;
  });
}

/** luaB_error (5.1): strings and numbers get the position of the caller prepended. */
const error51: JsFunction = (L) => {
  const level = luaL_optinteger(L, 2, 1);
  lua_settop(L, 1);
  const t = lua_type(L, 1);
  if ((t === LUA_TSTRING || t === LUA_TNUMBER) && level > 0) {
    luaL_where(L, level);
    lua_pushvalue(L, 1);
    lua_concat(L, 2);
  }
  return lua_error(L);
};

/** C's printf of one integer conversion ("%5d", "%-x", "%08X"...) of a double cast to long. */
function formatInteger(flags: string, width: number, precision: number | null, conv: string, n: number): string {
  let v = BigInt(Number.isFinite(n) ? Math.trunc(n) : 0);
  if (v > 0x7fffffffffffffffn || v < -0x8000000000000000n) v = -0x8000000000000000n;
  let body: string;
  let sign = '';
  if (conv === 'd' || conv === 'i') {
    if (v < 0n) {
      sign = '-';
      v = -v;
    } else if (flags.includes('+')) sign = '+';
    else if (flags.includes(' ')) sign = ' ';
    body = v.toString();
  } else {
    const u = v < 0n ? v + (1n << 64n) : v;
    body = u.toString(conv === 'o' ? 8 : conv === 'u' ? 10 : 16);
    if (conv === 'X') body = body.toUpperCase();
    if (flags.includes('#') && u !== 0n) {
      if (conv === 'o') body = `0${body}`;
      else if (conv === 'x') sign = '0x';
      else if (conv === 'X') sign = '0X';
    }
  }
  if (precision !== null) body = body.padStart(precision, '0');
  let out = sign + body;
  if (out.length < width) {
    if (flags.includes('-')) out = out.padEnd(width, ' ');
    else if (flags.includes('0') && precision === null) out = sign + body.padStart(width - sign.length, '0');
    else out = out.padStart(width, ' ');
  }
  return out;
}

/** table.maxn (5.1): the largest positive numeric key. */
const tableMaxn: JsFunction = (L) => {
  luaL_checktype(L, 1, LUA_TTABLE);
  let max = 0;
  lua_pushnil(L);
  while (lua_next(L, 1)) {
    lua_pop(L, 1);
    if (lua_type(L, -1) === LUA_TNUMBER) {
      const v = lua_tonumber(L, -1);
      if (v > max) max = v;
    }
  }
  lua_pushnumber(L, max);
  return 1;
};

/** table.foreach(t, f): call f(k, v) for each pair until it returns non-nil. */
const tableForeach: JsFunction = (L) => {
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checktype(L, 2, LUA_TFUNCTION);
  lua_pushnil(L);
  while (lua_next(L, 1)) {
    lua_pushvalue(L, 2);
    lua_pushvalue(L, -3);
    lua_pushvalue(L, -3);
    lua_call(L, 2, 1);
    if (lua_type(L, -1) !== LUA_TNIL) return 1;
    lua_pop(L, 2);
  }
  return 0;
};

/** table.foreachi(t, f): call f(i, t[i]) for i = 1..#t until it returns non-nil. */
const tableForeachi: JsFunction = (L) => {
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checktype(L, 2, LUA_TFUNCTION);
  const n = lua_rawlen(L, 1);
  for (let i = 1; i <= n; i++) {
    lua_pushvalue(L, 2);
    lua_pushnumber(L, i);
    lua_rawgeti(L, 1, i);
    lua_call(L, 2, 1);
    if (lua_type(L, -1) !== LUA_TNIL) return 1;
    lua_pop(L, 1);
  }
  return 0;
};

/** frexp: m * 2^e with 0.5 <= |m| < 1. */
function frexp(x: number): [number, number] {
  if (x === 0 || !Number.isFinite(x)) return [x, 0];
  let e = Math.max(-1073, Math.floor(Math.log2(Math.abs(x))) + 1);
  let m = x * 2 ** -e;
  while (Math.abs(m) < 0.5) {
    m *= 2;
    e--;
  }
  while (Math.abs(m) >= 1) {
    m /= 2;
    e++;
  }
  return [m, e];
}

/** tostring: numbers as Lua 5.1 prints them (5.3's luaL_tolstring would print 5 as "5.0"). */
export const tostring51: JsFunction = (L) => {
  luaL_checkany(L, 1);
  if (lua_type(L, 1) === LUA_TNUMBER) pushString(L, luaNumberText(lua_tonumber(L, 1)));
  else luaL_tolstring(L, 1);
  return 1;
};

/** Install the Lua 5.1 additions into the globals table on top of the stack. */
export function installLua51(L: LuaState): void {
  lua_pushstring(L, 'Lua 5.1');
  lua_setfield(L, -2, '_VERSION');
  setFn(L, 'error', error51);
  setFn(L, 'tostring', tostring51);
  lua_getfield(L, -1, 'load');
  lua_setfield(L, -2, 'loadstring');
  setFn(L, 'gcinfo', (S) => {
    lua_pushinteger(S, Math.floor(lua_gc(S, 3, 0)));
    return 1;
  });

  lua_getfield(L, -1, 'table');
  lua_getfield(L, -1, 'unpack');
  lua_setfield(L, -3, 'unpack');
  setFn(L, 'getn', (S) => {
    luaL_checktype(S, 1, LUA_TTABLE);
    lua_pushinteger(S, lua_rawlen(S, 1));
    return 1;
  });
  setFn(L, 'setn', (S) => luaL_error(S, "'setn' is obsolete"));
  setFn(L, 'maxn', tableMaxn);
  setFn(L, 'foreach', tableForeach);
  setFn(L, 'foreachi', tableForeachi);
  lua_pop(L, 1);

  lua_getfield(L, -1, 'string');
  lua_getfield(L, -1, 'gmatch');
  lua_setfield(L, -2, 'gfind');
  // Keep the original format in a closure's upvalue table slot 1.
  lua_getfield(L, -1, 'format');
  lua_pushjsclosure(L, wrapFormat, 1);
  lua_setfield(L, -2, 'format');
  lua_pop(L, 1);

  lua_getfield(L, -1, 'math');
  // Redis's Lua calls glibc's libm: sin, cos and asin correctly rounded as it nearly always is
  // (V8's Math.* differ in the last bit for a few % of arguments). The rest stay Math.*.
  mathFn(L, 'sin', sin);
  mathFn(L, 'cos', cos);
  mathFn(L, 'asin', asin);
  mathFn(L, 'atan2', (y, x) => Math.atan2(y, x), 2);
  mathFn(L, 'cosh', Math.cosh);
  mathFn(L, 'sinh', Math.sinh);
  mathFn(L, 'tanh', Math.tanh);
  mathFn(L, 'log10', Math.log10);
  mathFn(L, 'pow', (x, y) => x ** y, 2);
  mathFn(L, 'mod', (x, y) => x % y, 2);
  mathFn(L, 'ldexp', (m, e) => m * 2 ** Math.trunc(e), 2);
  setFn(L, 'frexp', (S) => {
    const [m, e] = frexp(luaL_checknumber(S, 1));
    lua_pushnumber(S, m);
    lua_pushnumber(S, e);
    return 2;
  });
  lua_pop(L, 1);
}

/** string.format: upvalue 1 is 5.3's implementation, used for the float and %q conversions. */
const wrapFormat: JsFunction = (L) => formatPieces(L);

/** Format piece by piece: integer conversions here, the rest through the original. */
function formatPieces(L: LuaState): number {
  const fmt = toStr(L, 1) ?? '';
  const top = lua_gettop(L);
  let out = '';
  let arg = 1;
  for (let i = 0; i < fmt.length; i++) {
    const ch = fmt[i];
    if (ch !== '%') {
      out += ch;
      continue;
    }
    if (fmt[i + 1] === '%') {
      out += '%';
      i++;
      continue;
    }
    const m = /^([-+ #0]*)(\d*)(?:\.(\d*))?(.?)/.exec(fmt.slice(i + 1));
    if (m === null) break;
    const [specText, flags, width, prec, conv] = m;
    arg++;
    if (arg > top) return luaL_argerror(L, arg, 'no value');
    if (conv === 's' && lua_type(L, arg) === LUA_TNUMBER) {
      // 5.3 would print an integral double as "5.0".
      const text = luaNumberText(lua_tonumber(L, arg));
      const cut = prec === undefined ? text : text.slice(0, Number(prec || '0'));
      const w = Number(width || '0');
      out += flags.includes('-') ? cut.padEnd(w, ' ') : cut.padStart(w, ' ');
    } else if (
      conv !== '' &&
      'eEfgG'.includes(conv) &&
      flags.length <= 5 &&
      width.length <= 2 &&
      (prec ?? '').length <= 2
    ) {
      out += formatFloat(
        flags,
        Number(width || '0'),
        prec === undefined ? null : Number(prec || '0'),
        conv,
        luaL_checknumber(L, arg),
      );
    } else if (conv !== '' && 'diouxXc'.includes(conv)) {
      const n = luaL_checknumber(L, arg);
      if (conv === 'c') out += String.fromCharCode(Math.trunc(n) & 0xff);
      else out += formatInteger(flags, Number(width || '0'), prec === undefined ? null : Number(prec || '0'), conv, n);
    } else {
      lua_pushvalue(L, lua_upvalueindex(1));
      lua_pushstring(L, `%${specText}`);
      lua_pushvalue(L, arg);
      lua_call(L, 2, 1);
      out += toStr(L, -1) ?? '';
      lua_pop(L, 1);
    }
    i += specText.length;
  }
  pushString(L, out);
  return 1;
}
