// Helpers shared by the Lua VM glue (heavy half, imports fengari): binary strings <-> Lua strings,
// Lua 5.1 number semantics on fengari's Lua 5.3 (every number a double, "%.14g" tostring), and
// rewriting Lua 5.3 error texts into the Lua 5.1 wording Redis's embedded interpreter produces.

// fengari's CommonJS modules must load in its entry point's order (circular requires).
import 'fengari';
import lobject, { type TValue } from 'fengari/src/lobject.js';
import { luaS_bless } from 'fengari/src/lstring.js';
import {
  type LuaState,
  type LuaString,
  lua_pushlstring,
  lua_tolstring,
  lua_type,
  LUA_TNUMBER,
  lua_tonumber,
} from 'fengari/src/lua.js';
import { fromBytes, toBytes } from '../protocol/binary';
import { formatG } from '../util/format-double';

/** A binary string (one char per byte) as a Lua string. */
export function luaBytes(s: string): LuaString {
  return toBytes(s);
}

/** A Lua string as a binary string. */
export function jsString(u: LuaString): string {
  return fromBytes(u);
}

export function pushString(L: LuaState, s: string): void {
  const b = toBytes(s);
  lua_pushlstring(L, b, b.length);
}

/** lua_tolstring as a binary string (numbers converted as Lua does); null when not a string/number. */
export function toStr(L: LuaState, idx: number): string | null {
  const u = lua_tolstring(L, idx);
  return u === null ? null : fromBytes(u);
}

/** Lua 5.1's tostring of a number: LUA_NUMBER_FMT "%.14g" (NaN prints as glibc's "-nan" for 0/0). */
export function luaNumberText(n: number): string {
  // LAB: the sign of a NaN is not observable in JavaScript; glibc prints 0/0 as "-nan".
  if (Number.isNaN(n)) return '-nan';
  if (Number.isInteger(n) && Math.abs(n) < 1e14) return Object.is(n, -0) ? '-0' : String(n);
  return formatG14(n);
}

/**
 * printf("%.14g") with glibc's exact rounding: the double's exact decimal expansion rounded half
 * to even (toExponential rounds a tie such as 123456789012345 up; glibc prints 1.2345678901234e+14).
 */
function formatG14(x: number): string {
  if (!Number.isFinite(x)) return formatG(x, 14);
  const P = 14;
  const neg = x < 0;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e2: number;
  if (biased === 0) e2 = -1074;
  else {
    mant |= 1n << 52n;
    e2 = biased - 1075;
  }
  // value = digits * 10^-scale exactly.
  let digits: string;
  let scale: number;
  if (e2 >= 0) {
    digits = (mant << BigInt(e2)).toString();
    scale = 0;
  } else {
    digits = (mant * 5n ** BigInt(-e2)).toString();
    scale = -e2;
  }
  // Decimal exponent of the leading digit.
  let exp = digits.length - 1 - scale;
  let kept = digits.slice(0, P);
  if (digits.length > P) {
    const rest = digits.slice(P);
    const first = rest.charCodeAt(0) - 48;
    const tail = /[1-9]/.test(rest.slice(1));
    const odd = (kept.charCodeAt(kept.length - 1) - 48) % 2 === 1;
    if (first > 5 || (first === 5 && (tail || odd))) {
      const up = (BigInt(kept) + 1n).toString();
      if (up.length > kept.length) {
        exp++;
        kept = up.slice(0, P);
      } else kept = up;
    }
  }
  kept = kept.padEnd(P, '0');
  let out: string;
  if (exp < -4 || exp >= P) {
    let m = `${kept[0]}.${kept.slice(1)}`.replace(/0+$/, '').replace(/\.$/, '');
    if (m === '') m = '0';
    const a = Math.abs(exp);
    out = `${m}e${exp < 0 ? '-' : '+'}${a < 10 ? `0${a}` : a}`;
  } else if (exp >= 0) {
    const int = kept.slice(0, exp + 1);
    const frac = kept.slice(exp + 1).replace(/0+$/, '');
    out = frac === '' ? int : `${int}.${frac}`;
  } else {
    const frac = `${'0'.repeat(-exp - 1)}${kept}`.replace(/0+$/, '');
    out = `0.${frac}`;
  }
  return neg ? `-${out}` : out;
}

/** A number argument to redis.call: "%.17g" as luaArgsToRedisArgv formats it. */
export function argNumberText(L: LuaState, idx: number): string | null {
  if (lua_type(L, idx) !== LUA_TNUMBER) return null;
  const n = lua_tonumber(L, idx);
  return Number.isNaN(n) ? '-nan' : formatG(n, 17);
}

let patched = false;

/**
 * LAB: fengari implements Lua 5.3 with 32-bit integers; Redis embeds Lua 5.1 where every number is
 * a double. Numerals and string->number conversions are made floats, and floats print with "%.14g"
 * and no ".0" suffix, so `10/2 .. ''` is "5" and `2^31 + 1` does not wrap. Integers still come out
 * of a few library functions (#t, string.len...) and behave the same for values below 2^31.
 * What remains of 5.3 (LAB): library functions wanting an integer refuse a non-integral number
 * ("number has no integer representation") where 5.1 truncates it; 5.3-only syntax (goto, //, &,
 * |, ~, <<, >>) compiles; pairs() walks tables in insertion order, not 5.1's hash order (the order
 * of {map=...} replies and cjson objects with several keys).
 */
export function patchLua51Numbers(): void {
  if (patched) return;
  patched = true;
  const str2num = lobject.luaO_str2num;
  lobject.luaO_str2num = (s: Uint8Array, o: TValue): number => {
    const n = str2num(s, o);
    if (n !== 0 && o.ttisinteger()) o.setfltvalue(numeralValue(s) ?? (o.value as number));
    return n;
  };
  const tostring = lobject.luaO_tostring;
  lobject.luaO_tostring = (L: unknown, obj: TValue): void => {
    if (obj.ttisinteger()) {
      tostring(L, obj);
      return;
    }
    obj.setsvalue(luaS_bless(L, toBytes(luaNumberText(obj.value as number))));
  };
}

/** The exact value of an integer numeral (fengari wraps hex numerals and stops at 2^31). */
function numeralValue(s: Uint8Array): number | null {
  let text = fromBytes(s).trim();
  if (text.endsWith('\0')) text = text.slice(0, -1).trim();
  let neg = false;
  if (text.startsWith('-') || text.startsWith('+')) {
    neg = text[0] === '-';
    text = text.slice(1);
  }
  let v: number;
  if (/^0[xX][0-9a-fA-F]+$/.test(text)) {
    // Lua 5.1 reads hex numerals with strtoul: wrap at 2^32 as a C unsigned long would not; keep exact.
    v = Number.parseInt(text.slice(2), 16);
  } else if (/^[0-9]+$/.test(text)) {
    v = Number(text);
  } else {
    return null;
  }
  return neg ? -v : v;
}

/**
 * Lua 5.3 names the culprit after the value ("attempt to index a nil value (local 't')"); Lua 5.1
 * before it ("attempt to index local 't' (a nil value)"), and always quotes the token of a syntax
 * error ("near '<eof>'").
 */
export function lua51Message(msg: string): string {
  return msg
    .replace(
      /attempt to (.+?) a (\w+) value \((global|local|upvalue|field|method|constant) '([^']*)'\)/,
      (_m, op, type, kind, name) => {
        return `attempt to ${op} ${kind === 'constant' ? 'field' : kind} '${name}' (a ${type} value)`;
      },
    )
    .replace(/ near (<eof>|<number>|<name>|<string>|<integer>)$/, " near '$1'")
    .replace(/: (<eof>|<number>|<name>|<string>|<integer>) expected/, ": '$1' expected");
}

/** The escapes Lua 5.1's lexer knows after a backslash (digits start a decimal escape). */
const LUA51_ESCAPES = new Set(['a', 'b', 'f', 'n', 'r', 't', 'v', '\\', '"', "'", '\n', '\r']);

/**
 * Lua 5.1's lexer keeps the character after an unknown escape ("\d" is "d"), where 5.3 refuses it
 * and reads \x, \z and \u{} as escapes of its own: such backslashes are dropped from short
 * strings before compiling, so scripts read as they do in Redis. Comments and long strings are
 * left alone; nothing moves across lines, so error line numbers are unchanged.
 */
export function lua51Source(src: string): string {
  if (!src.includes('\\')) return src;
  let out = '';
  let i = 0;
  const n = src.length;
  const longBracket = (at: number): number => {
    // "[", "=" * level, "[" -> level, or -1.
    if (src[at] !== '[') return -1;
    let j = at + 1;
    while (src[j] === '=') j++;
    return src[j] === '[' ? j - at - 1 : -1;
  };
  const skipLong = (at: number, level: number): number => {
    const close = `]${'='.repeat(level)}]`;
    const end = src.indexOf(close, at + level + 2);
    return end === -1 ? n : end + close.length;
  };
  while (i < n) {
    const ch = src[i];
    if (ch === '-' && src[i + 1] === '-') {
      const level = longBracket(i + 2);
      const end =
        level >= 0
          ? skipLong(i + 2, level)
          : (() => {
              const nl = src.indexOf('\n', i);
              return nl === -1 ? n : nl;
            })();
      out += src.slice(i, end);
      i = end;
      continue;
    }
    if (ch === '[') {
      const level = longBracket(i);
      if (level >= 0) {
        const end = skipLong(i, level);
        out += src.slice(i, end);
        i = end;
        continue;
      }
    }
    if (ch === '"' || ch === "'") {
      out += ch;
      i++;
      while (i < n && src[i] !== ch && src[i] !== '\n') {
        if (src[i] === '\\' && i + 1 < n) {
          const next = src[i + 1];
          if (LUA51_ESCAPES.has(next) || (next >= '0' && next <= '9')) out += src.slice(i, i + 2);
          else out += next;
          i += 2;
          continue;
        }
        out += src[i++];
      }
      if (i < n && src[i] === ch) out += src[i++];
      continue;
    }
    out += ch;
    i++;
  }
  return out;
}
