// The `cjson` library Redis bundles (lua-cjson 2.1.0, deps/lua/src/lua_cjson.c) with Redis's
// defaults: numbers with "%.14g", "/" escaped, empty tables as {}, excessively sparse arrays
// refused, depth limits of 1000, cjson.null a light userdata; its exact error texts.

// fengari's CommonJS modules must load in its entry point's order (circular requires).
import 'fengari';
import { luaL_argerror, luaL_checklstring, luaL_error } from 'fengari/src/lauxlib.js';
import {
  type JsFunction,
  LUA_TBOOLEAN,
  LUA_TLIGHTUSERDATA,
  LUA_TNIL,
  LUA_TNUMBER,
  LUA_TSTRING,
  LUA_TTABLE,
  type LuaState,
  lua_gettop,
  lua_newtable,
  lua_next,
  lua_pop,
  lua_pushboolean,
  lua_pushjsfunction,
  lua_pushlightuserdata,
  lua_pushnil,
  lua_pushnumber,
  lua_pushstring,
  lua_rawgeti,
  lua_rawset,
  lua_rawseti,
  lua_setfield,
  lua_toboolean,
  lua_tonumber,
  lua_touserdata,
  lua_type,
} from 'fengari/src/lua.js';
import { formatG } from '../util/format-double';
import { strtod } from '../util/strtod';
import { jsString, pushString, toStr } from './lua-util';

/** cjson.null: lua-cjson pushes a NULL light userdata; any object identity works the same. */
export const CJSON_NULL = Object.freeze({ cjsonNull: true });

const MAX_DEPTH = 1000;
const TYPE_NAMES = ['nil', 'boolean', 'userdata', 'number', 'string', 'table', 'function', 'userdata', 'thread'];

const ESCAPES: Record<number, string> = {
  8: '\\b',
  9: '\\t',
  10: '\\n',
  12: '\\f',
  13: '\\r',
  34: '\\"',
  47: '\\/',
  92: '\\\\',
};

function escapeString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const e = ESCAPES[c];
    if (e !== undefined) out += e;
    else if (c < 32 || c === 127) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += s[i];
  }
  return `${out}"`;
}

function encodeError(L: LuaState, idx: number, reason: string): never {
  return luaL_error(L, `Cannot serialise ${TYPE_NAMES[lua_type(L, idx)] ?? 'no value'}: ${reason}`);
}

function encodeNumber(L: LuaState, idx: number): string {
  const n = lua_tonumber(L, idx);
  if (!Number.isFinite(n)) encodeError(L, idx, 'must not be NaN or Inf');
  return formatG(n, 14);
}

/** lua_array_length: the array size, or -1 when the table is not an array. */
function arrayLength(L: LuaState): number {
  let max = 0;
  let items = 0;
  lua_pushnil(L);
  while (lua_next(L, -2)) {
    if (lua_type(L, -2) === LUA_TNUMBER) {
      const k = lua_tonumber(L, -2);
      if (Math.floor(k) === k && k >= 1) {
        if (k > max) max = k;
        items++;
        lua_pop(L, 1);
        continue;
      }
    }
    lua_pop(L, 2);
    return -1;
  }
  if (max > items * 2 && max > 10) encodeError(L, -1, 'excessively sparse array');
  return max;
}

/** json_append_data for the value on top of the stack. */
function encodeValue(L: LuaState, depth: number): string {
  switch (lua_type(L, -1)) {
    case LUA_TSTRING:
      return escapeString(toStr(L, -1) ?? '');
    case LUA_TNUMBER:
      return encodeNumber(L, -1);
    case LUA_TBOOLEAN:
      return lua_toboolean(L, -1) ? 'true' : 'false';
    case LUA_TNIL:
      return 'null';
    case LUA_TLIGHTUSERDATA:
      if (lua_touserdata(L, -1) === CJSON_NULL) return 'null';
      return encodeError(L, -1, 'type not supported');
    case LUA_TTABLE: {
      depth++;
      if (depth > MAX_DEPTH) luaL_error(L, `Cannot serialise, excessive nesting (${depth})`);
      const len = arrayLength(L);
      if (len > 0) {
        const parts: string[] = [];
        for (let i = 1; i <= len; i++) {
          lua_rawgeti(L, -1, i);
          parts.push(encodeValue(L, depth));
          lua_pop(L, 1);
        }
        return `[${parts.join(',')}]`;
      }
      const parts: string[] = [];
      lua_pushnil(L);
      while (lua_next(L, -2)) {
        const kt = lua_type(L, -2);
        let key: string;
        if (kt === LUA_TNUMBER) key = `"${encodeNumber(L, -2)}"`;
        else if (kt === LUA_TSTRING) key = escapeString(toStr(L, -2) ?? '');
        else encodeError(L, -2, 'table key must be a number or string');
        parts.push(`${key}:${encodeValue(L, depth)}`);
        lua_pop(L, 1);
      }
      return `{${parts.join(',')}}`;
    }
    default:
      return encodeError(L, -1, 'type not supported');
  }
}

const encode: JsFunction = (L) => {
  if (lua_gettop(L) !== 1) luaL_argerror(L, 1, 'expected 1 argument');
  pushString(L, encodeValue(L, 0));
  return 1;
};

type Token =
  | {
      t: 'T_OBJ_BEGIN' | 'T_OBJ_END' | 'T_ARR_BEGIN' | 'T_ARR_END' | 'T_COLON' | 'T_COMMA' | 'T_END' | 'T_NULL';
      i: number;
    }
  | { t: 'T_STRING'; i: number; v: string }
  | { t: 'T_NUMBER'; i: number; v: number }
  | { t: 'T_BOOLEAN'; i: number; v: boolean }
  | { t: 'T_ERROR'; i: number; v: string };

const SINGLE: Record<string, Token['t']> = {
  '{': 'T_OBJ_BEGIN',
  '}': 'T_OBJ_END',
  '[': 'T_ARR_BEGIN',
  ']': 'T_ARR_END',
  ':': 'T_COLON',
  ',': 'T_COMMA',
};

/** The JSON decoder over a binary string; `\0` and the end of the data are both T_END. */
class Parser {
  pos = 0;
  depth = 0;
  constructor(
    readonly L: LuaState,
    readonly s: string,
  ) {}

  next(): Token {
    const s = this.s;
    while (this.pos < s.length && ' \t\n\r'.includes(s[this.pos])) this.pos++;
    const i = this.pos;
    const ch = s[i];
    if (ch === undefined || ch === '\0') return { t: 'T_END', i };
    const single = SINGLE[ch];
    if (single !== undefined) {
      this.pos++;
      return { t: single, i } as Token;
    }
    if (ch === '"') return this.string(i);
    if (ch === '-' || (ch >= '0' && ch <= '9') || /^(inf|nan|0x)/i.test(s.slice(i, i + 3))) {
      const r = strtod(s, i);
      if (r.end === i) return { t: 'T_ERROR', i, v: 'invalid number' };
      this.pos = r.end;
      return { t: 'T_NUMBER', i, v: r.value };
    }
    if (s.startsWith('true', i)) {
      this.pos += 4;
      return { t: 'T_BOOLEAN', i, v: true };
    }
    if (s.startsWith('false', i)) {
      this.pos += 5;
      return { t: 'T_BOOLEAN', i, v: false };
    }
    if (s.startsWith('null', i)) {
      this.pos += 4;
      return { t: 'T_NULL', i };
    }
    return { t: 'T_ERROR', i, v: 'invalid token' };
  }

  string(i: number): Token {
    const s = this.s;
    let out = '';
    let p = i + 1;
    for (;;) {
      const ch = s[p];
      if (ch === undefined || ch === '\0') return { t: 'T_ERROR', i: p, v: 'unexpected end of string' };
      if (ch === '"') break;
      if (ch !== '\\') {
        out += ch;
        p++;
        continue;
      }
      const e = s[p + 1];
      const simple: Record<string, string> = {
        '"': '"',
        '\\': '\\',
        '/': '/',
        b: '\b',
        f: '\f',
        n: '\n',
        r: '\r',
        t: '\t',
      };
      if (e !== undefined && simple[e] !== undefined) {
        out += simple[e];
        p += 2;
        continue;
      }
      if (e !== 'u') return { t: 'T_ERROR', i: p, v: 'invalid escape code' };
      let cp = this.hex4(p + 2);
      let used = 6;
      if (cp >= 0xd800 && cp <= 0xdbff) {
        const lo = s.startsWith('\\u', p + 6) ? this.hex4(p + 8) : -1;
        if (lo < 0xdc00 || lo > 0xdfff) return { t: 'T_ERROR', i: p, v: 'invalid unicode escape code' };
        cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
        used = 12;
      } else if (cp < 0 || (cp >= 0xdc00 && cp <= 0xdfff)) {
        return { t: 'T_ERROR', i: p, v: 'invalid unicode escape code' };
      }
      out += utf8(cp);
      p += used;
    }
    this.pos = p + 1;
    return { t: 'T_STRING', i, v: out };
  }

  hex4(p: number): number {
    const h = this.s.slice(p, p + 4);
    return /^[0-9a-fA-F]{4}$/.test(h) ? Number.parseInt(h, 16) : -1;
  }

  fail(expected: string, tok: Token): never {
    const found = tok.t === 'T_ERROR' ? tok.v : tok.t;
    return luaL_error(this.L, `Expected ${expected} but found ${found} at character ${tok.i + 1}`);
  }

  descend(): void {
    if (++this.depth > MAX_DEPTH) {
      luaL_error(this.L, `Found too many nested data structures (${this.depth}) at character ${this.pos}`);
    }
  }

  value(tok: Token): void {
    const L = this.L;
    switch (tok.t) {
      case 'T_STRING':
        pushString(L, tok.v);
        return;
      case 'T_NUMBER':
        lua_pushnumber(L, tok.v);
        return;
      case 'T_BOOLEAN':
        lua_pushboolean(L, tok.v);
        return;
      case 'T_NULL':
        lua_pushlightuserdata(L, CJSON_NULL);
        return;
      case 'T_OBJ_BEGIN':
        this.object();
        return;
      case 'T_ARR_BEGIN':
        this.array();
        return;
      default:
        this.fail('value', tok);
    }
  }

  object(): void {
    const L = this.L;
    this.descend();
    lua_newtable(L);
    let tok = this.next();
    if (tok.t === 'T_OBJ_END') {
      this.depth--;
      return;
    }
    for (;;) {
      if (tok.t !== 'T_STRING') this.fail('object key string', tok);
      pushString(L, tok.v);
      tok = this.next();
      if (tok.t !== 'T_COLON') this.fail('colon', tok);
      this.value(this.next());
      lua_rawset(L, -3);
      tok = this.next();
      if (tok.t === 'T_OBJ_END') {
        this.depth--;
        return;
      }
      if (tok.t !== 'T_COMMA') this.fail('comma or object end', tok);
      tok = this.next();
    }
  }

  array(): void {
    const L = this.L;
    this.descend();
    lua_newtable(L);
    let tok = this.next();
    if (tok.t === 'T_ARR_END') {
      this.depth--;
      return;
    }
    for (let i = 1; ; i++) {
      this.value(tok);
      lua_rawseti(L, -2, i);
      tok = this.next();
      if (tok.t === 'T_ARR_END') {
        this.depth--;
        return;
      }
      if (tok.t !== 'T_COMMA') this.fail('comma or array end', tok);
      tok = this.next();
    }
  }
}

/** A code point as UTF-8 bytes (binary string). */
function utf8(cp: number): string {
  if (cp < 0x80) return String.fromCharCode(cp);
  if (cp < 0x800) return String.fromCharCode(0xc0 | (cp >> 6), 0x80 | (cp & 63));
  if (cp < 0x10000) return String.fromCharCode(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  return String.fromCharCode(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
}

const decode: JsFunction = (L) => {
  if (lua_gettop(L) !== 1) luaL_argerror(L, 1, 'expected 1 argument');
  const s = jsString(luaL_checklstring(L, 1));
  if (s.length >= 2 && (s[0] === '\0' || s[1] === '\0')) luaL_error(L, 'JSON parser does not support UTF-16 or UTF-32');
  const p = new Parser(L, s);
  p.value(p.next());
  const end = p.next();
  if (end.t !== 'T_END') p.fail('the end', end);
  return 1;
};

/** A configuration function: returns its (fixed) setting. LAB: the settings cannot be changed. */
function setting(...values: (number | boolean)[]): JsFunction {
  return (L) => {
    for (const v of values) {
      if (typeof v === 'boolean') lua_pushboolean(L, v);
      else lua_pushnumber(L, v);
    }
    return values.length;
  };
}

/** luaopen_cjson: push the library table. */
export function openCjson(L: LuaState): void {
  lua_newtable(L);
  const fns: Record<string, JsFunction> = {
    encode,
    decode,
    encode_sparse_array: setting(false, 2, 10),
    encode_max_depth: setting(MAX_DEPTH),
    decode_max_depth: setting(MAX_DEPTH),
    encode_number_precision: setting(14),
    encode_keep_buffer: setting(true),
    encode_invalid_numbers: setting(false),
    decode_invalid_numbers: setting(true),
    new: (S) => {
      openCjson(S);
      return 1;
    },
  };
  for (const [name, fn] of Object.entries(fns)) {
    lua_pushjsfunction(L, fn);
    lua_setfield(L, -2, name);
  }
  lua_pushlightuserdata(L, CJSON_NULL);
  lua_setfield(L, -2, 'null');
  lua_pushstring(L, 'cjson');
  lua_setfield(L, -2, '_NAME');
  lua_pushstring(L, '2.1.0');
  lua_setfield(L, -2, '_VERSION');
}
