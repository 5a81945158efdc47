// Conversions between Redis replies and Lua values, exactly as script_lua.c does them:
// redisProtocolToLuaType (a command's reply seen by redis.call, per the script's RESP version) and
// luaReplyToRedisReply (the script's return value: err/ok/double/map/set tables, arrays up to the
// first nil, numbers truncated to integers, false as nil).

// fengari's CommonJS modules must load in its entry point's order (circular requires).
import 'fengari';
import {
  LUA_TBOOLEAN,
  LUA_TNIL,
  LUA_TNUMBER,
  LUA_TSTRING,
  LUA_TTABLE,
  type LuaState,
  lua_newtable,
  lua_next,
  lua_pop,
  lua_pushboolean,
  lua_pushnil,
  lua_pushnumber,
  lua_pushstring,
  lua_pushvalue,
  lua_rawget,
  lua_rawgeti,
  lua_setfield,
  lua_settable,
  lua_toboolean,
  lua_tonumber,
  lua_type,
} from 'fengari/src/lua.js';
import { NIL, type Reply, array, bulk, error, int, status } from '../protocol/reply';
import { formatDouble } from '../util/format-double';
import { pushString, toStr } from './lua-util';

/**
 * luaPushErrorBuff: push {err = "<CODE> <msg>"}. `text` is "-CODE msg" (a reply's error, with its
 * dash) or a bare message that gets the ERR code; trailing CR/LF are trimmed.
 */
export function pushErrorTable(L: LuaState, text: string, ignoreStats = false): void {
  let code = 'ERR';
  let msg = text;
  if (text.startsWith('-')) {
    const sp = text.indexOf(' ');
    if (sp === -1) msg = text.slice(1);
    else {
      code = text.slice(1, sp);
      msg = text.slice(sp + 1);
    }
  }
  msg = msg.replace(/^[\r\n]+|[\r\n]+$/g, '');
  lua_newtable(L);
  pushString(L, `${code} ${msg}`);
  lua_setfield(L, -2, 'err');
  if (ignoreStats) {
    lua_pushboolean(L, true);
    lua_setfield(L, -2, 'ignore_error_stats_update');
  }
}

/** redisProtocolToLuaType: push a command's reply as the script sees it. */
export function pushReply(L: LuaState, r: Reply, resp: 2 | 3): void {
  switch (r.t) {
    case 'int':
      lua_pushnumber(L, Number(r.v));
      return;
    case 'bulk':
      if (r.v === null) pushNull(L, resp);
      else pushString(L, r.v);
      return;
    case 'status':
      lua_newtable(L);
      pushString(L, r.v);
      lua_setfield(L, -2, 'ok');
      return;
    case 'error':
      pushErrorTable(L, `-${r.v}`, true);
      return;
    case 'double':
      if (resp === 2) {
        pushString(L, formatDouble(r.v));
        return;
      }
      lua_newtable(L);
      lua_pushnumber(L, r.v);
      lua_setfield(L, -2, 'double');
      return;
    case 'array':
    case 'push':
      if (r.v === null) {
        pushNull(L, resp);
        return;
      }
      pushArray(L, r.v, resp);
      return;
    case 'set':
      if (resp === 2) {
        pushArray(L, r.v, resp);
        return;
      }
      lua_newtable(L);
      lua_newtable(L);
      for (const item of r.v) {
        pushReply(L, item, resp);
        lua_pushboolean(L, true);
        lua_settable(L, -3);
      }
      lua_setfield(L, -2, 'set');
      return;
    case 'map':
      if (resp === 2) {
        pushArray(L, r.v.flat(), resp);
        return;
      }
      lua_newtable(L);
      lua_newtable(L);
      for (const [k, v] of r.v) {
        pushReply(L, k, resp);
        pushReply(L, v, resp);
        lua_settable(L, -3);
      }
      lua_setfield(L, -2, 'map');
      return;
  }
}

/** RESP2 nulls become false; RESP3's null is nil. */
function pushNull(L: LuaState, resp: 2 | 3): void {
  if (resp === 2) lua_pushboolean(L, false);
  else lua_pushnil(L);
}

function pushArray(L: LuaState, items: readonly Reply[], resp: 2 | 3): void {
  lua_newtable(L);
  for (let i = 0; i < items.length; i++) {
    lua_pushnumber(L, i + 1);
    pushReply(L, items[i], resp);
    lua_settable(L, -3);
  }
}

const INT64_MIN = -9223372036854775808n;

/** (long long)lua_Number: truncation; NaN and out-of-range values give LLONG_MIN as on x86-64. */
export function luaNumberToInteger(n: number): number | bigint {
  if (Number.isNaN(n) || n >= 2 ** 63 || n < -(2 ** 63)) return INT64_MIN;
  const t = Math.trunc(n);
  return Number.isSafeInteger(t) ? t : BigInt(t);
}

/** A table field of the value at `idx` (raw access), left on the stack; returns its type. */
function rawField(L: LuaState, idx: number, name: string): number {
  lua_pushstring(L, name);
  lua_rawget(L, idx < 0 ? idx - 1 : idx);
  return lua_type(L, -1);
}

export interface ConvertedReply {
  reply: Reply;
  /** An error reply built from a redis.pcall error: already counted in the error stats. */
  noStats: boolean;
}

/** luaReplyToRedisReply: convert (without popping) the value at the top of the stack. */
export function toReply(L: LuaState, resp: 2 | 3): ConvertedReply {
  switch (lua_type(L, -1)) {
    case LUA_TSTRING:
      return { reply: bulk(toStr(L, -1) ?? ''), noStats: false };
    case LUA_TBOOLEAN: {
      const b = lua_toboolean(L, -1);
      // LAB: a RESP3 boolean (#t/#f, after redis.setresp(3)) is sent as the integer 1/0.
      if (resp === 3) return { reply: int(b ? 1 : 0), noStats: false };
      return { reply: b ? int(1) : NIL, noStats: false };
    }
    case LUA_TNUMBER:
      return { reply: int(luaNumberToInteger(lua_tonumber(L, -1))), noStats: false };
    case LUA_TTABLE:
      return tableReply(L, resp);
    default:
      return { reply: NIL, noStats: false };
  }
}

function tableReply(L: LuaState, resp: 2 | 3): ConvertedReply {
  if (rawField(L, -1, 'err') === LUA_TSTRING) {
    // addReplyErrorFormatEx: trailing newlines trimmed, inner ones turned into spaces.
    const msg = (toStr(L, -1) ?? '').replace(/[\r\n]+$/, '').replace(/[\r\n]/g, ' ');
    lua_pop(L, 1);
    const ignore = rawField(L, -1, 'ignore_error_stats_update') === LUA_TBOOLEAN && lua_toboolean(L, -1);
    lua_pop(L, 1);
    return { reply: error(msg.startsWith('-') ? msg.slice(1) : msg), noStats: ignore };
  }
  lua_pop(L, 1);
  if (rawField(L, -1, 'ok') === LUA_TSTRING) {
    const ok = (toStr(L, -1) ?? '').replace(/[\r\n]/g, ' ');
    lua_pop(L, 1);
    return { reply: status(ok), noStats: false };
  }
  lua_pop(L, 1);
  if (rawField(L, -1, 'double') === LUA_TNUMBER) {
    const d = lua_tonumber(L, -1);
    lua_pop(L, 1);
    return { reply: { t: 'double', v: d }, noStats: false };
  }
  lua_pop(L, 1);
  if (rawField(L, -1, 'big_number') === LUA_TSTRING) {
    // LAB: RESP3 big numbers have no Reply type; the digits go out as a bulk string (as in RESP2).
    const big = (toStr(L, -1) ?? '').replace(/[\r\n]/g, ' ');
    lua_pop(L, 1);
    return { reply: bulk(big), noStats: false };
  }
  lua_pop(L, 1);
  if (rawField(L, -1, 'verbatim_string') === LUA_TTABLE) {
    const fmt = rawField(L, -1, 'format');
    lua_pop(L, 1);
    if (fmt === LUA_TSTRING && rawField(L, -1, 'string') === LUA_TSTRING) {
      // LAB: RESP3 verbatim strings have no Reply type; sent as a bulk string (as in RESP2).
      const s = toStr(L, -1) ?? '';
      lua_pop(L, 2);
      return { reply: bulk(s), noStats: false };
    }
    if (fmt === LUA_TSTRING) lua_pop(L, 1);
  }
  lua_pop(L, 1);
  if (rawField(L, -1, 'map') === LUA_TTABLE) {
    const pairs: (readonly [Reply, Reply])[] = [];
    lua_pushnil(L);
    while (lua_next(L, -2)) {
      lua_pushvalue(L, -2);
      const k = toReply(L, resp).reply;
      lua_pop(L, 1);
      const v = toReply(L, resp).reply;
      lua_pop(L, 1);
      pairs.push([k, v]);
    }
    lua_pop(L, 1);
    return { reply: { t: 'map', v: pairs }, noStats: false };
  }
  lua_pop(L, 1);
  if (rawField(L, -1, 'set') === LUA_TTABLE) {
    const items: Reply[] = [];
    lua_pushnil(L);
    while (lua_next(L, -2)) {
      lua_pop(L, 1);
      items.push(toReply(L, resp).reply);
    }
    lua_pop(L, 1);
    return { reply: { t: 'set', v: items }, noStats: false };
  }
  lua_pop(L, 1);
  const items: Reply[] = [];
  for (let j = 1; ; j++) {
    if (lua_rawgeti(L, -1, j) === LUA_TNIL) {
      lua_pop(L, 1);
      break;
    }
    items.push(toReply(L, resp).reply);
    lua_pop(L, 1);
  }
  return { reply: array(items), noStats: false };
}
