// CONFIG parameters as Redis 7.0 handles them in src/config.c: the typed table (config-params.ts)
// with defaults, validation and the exact CONFIG SET error wording, CONFIG GET's pattern matching
// and alias rules, and CONFIG SET's all-or-nothing semantics. The server's command line goes
// through the same setters.

import { parseLongLong } from './commands/args';
import { CONFIG_PARAMS, type ConfigParam, memtoull } from './config-params';
import { globMatch } from './util/glob';

export { CONFIG_PARAMS, MAXMEMORY_POLICIES, memtoull, type ConfigParam } from './config-params';

export type ConfigValue = string;

/** A visible config name: the primary name or an alias (aliases are separate entries, as in Redis). */
interface Entry {
  readonly name: string;
  readonly param: ConfigParam;
}

const BY_NAME = new Map<string, Entry>();
const ENTRIES: Entry[] = [];
for (const p of CONFIG_PARAMS) {
  const e = { name: p.name, param: p };
  BY_NAME.set(p.name, e);
  ENTRIES.push(e);
  if (p.alias) {
    const a = { name: p.alias, param: p };
    BY_NAME.set(p.alias, a);
    ENTRIES.push(a);
  }
}

export function findParam(name: string): ConfigParam | undefined {
  return BY_NAME.get(name.toLowerCase())?.param;
}

/** memtoull as a plain number (null when invalid), for callers outside CONFIG. */
export function parseMemory(v: string): number | null {
  const n = memtoull(v);
  return n === null ? null : Number(n);
}

const INT64_MIN = -(1n << 63n);
const U64 = 1n << 64n;
const toSigned = (u: bigint) => (u >= 1n << 63n ? u - U64 : u);
const UNSIGNED = new Set(['ull', 'uint', 'size']);

export type ConfigListener = (name: string, value: string) => void;

export class Config {
  private values = new Map<string, ConfigValue>();
  private listeners: ConfigListener[] = [];

  constructor(initial: Record<string, string> = {}) {
    for (const p of CONFIG_PARAMS) this.values.set(p.name, formatDefault(p));
    for (const [k, v] of Object.entries(initial)) {
      const err = this.set(k, v, true);
      if (err) throw new Error(`Bad directive or wrong number of arguments: ${k} ${v} (${err})`);
    }
  }

  get(name: string): string {
    const p = findParam(name);
    if (!p) throw new Error(`unknown config parameter ${name}`);
    return this.values.get(p.name) as string;
  }

  getInt(name: string): number {
    return Number(this.get(name));
  }

  getBool(name: string): boolean {
    return this.get(name) === 'yes';
  }

  /** Called after every change with the primary name and its new value (the engine re-reads caches). */
  onChange(listener: ConfigListener): void {
    this.listeners.push(listener);
  }

  /** Validate and store one value; returns Redis's reason text on failure, 'unknown' for a bad name. */
  set(name: string, raw: string, startup = false): string | null {
    const p = findParam(name);
    if (!p) return 'unknown';
    if (!startup && p.immutable) return "can't set immutable config";
    const parsed = this.parse(p, raw);
    if (typeof parsed !== 'string') return parsed.err;
    this.store(p, parsed);
    return null;
  }

  /**
   * CONFIG SET name value [name value ...]: every name is checked first (unknown, immutable,
   * protected, duplicate), then every value; nothing changes unless all succeed.
   * Returns null on success or the full error text.
   */
  setMany(pairs: readonly (readonly [string, string])[], allowProtected = false): string | null {
    const params: ConfigParam[] = [];
    for (const [name] of pairs) {
      const e = BY_NAME.get(name.toLowerCase());
      if (!e) return `ERR Unknown option or number of arguments for CONFIG SET - '${name}'`;
      const p = e.param;
      if (p.immutable || (p.protected && !allowProtected)) {
        const why = p.immutable ? "can't set immutable config" : "can't set protected config";
        return `ERR CONFIG SET failed (possibly related to argument '${name}') - ${why}`;
      }
      // Redis compares config structs: an alias and its primary name are different entries.
      if (params.some((q, i) => q === p && BY_NAME.get(pairs[i][0].toLowerCase()) === e))
        return `ERR CONFIG SET failed (possibly related to argument '${name}') - duplicate parameter`;
      params.push(p);
    }
    const staged = new Map<ConfigParam, string>();
    for (let i = 0; i < pairs.length; i++) {
      const p = params[i];
      const current = staged.get(p) ?? (this.values.get(p.name) as string);
      const parsed = this.parse(p, pairs[i][1], current);
      if (typeof parsed !== 'string') {
        const shown = BY_NAME.get(pairs[i][0].toLowerCase())?.name ?? p.name;
        return `ERR CONFIG SET failed (possibly related to argument '${shown}') - ${parsed.err}`;
      }
      staged.set(p, parsed);
    }
    for (const [p, v] of staged) this.store(p, v);
    return null;
  }

  /** CONFIG GET patterns: exact names answer under the name as typed, globs under each entry's own name. */
  getMatching(patterns: readonly string[]): [string, string][] {
    const out: [string, string][] = [];
    const seen = new Set<string>();
    for (const pat of patterns) {
      if (!/[[*?]/.test(pat)) {
        const lower = pat.toLowerCase();
        const e = BY_NAME.get(lower);
        if (e && !seen.has(lower)) {
          seen.add(lower);
          out.push([pat, shown(e.param, this.values.get(e.param.name) as string)]);
        }
        continue;
      }
      for (const e of ENTRIES) {
        if (e.param.hidden || seen.has(e.name)) continue;
        if (globMatch(pat, e.name, true)) {
          seen.add(e.name);
          out.push([e.name, shown(e.param, this.values.get(e.param.name) as string)]);
        }
      }
    }
    return out;
  }

  /** Every visible (name, value) pair, aliases included, as `CONFIG GET *` lists them. */
  entries(): [string, string][] {
    return this.getMatching(['*']);
  }

  private store(p: ConfigParam, value: string): void {
    if (this.values.get(p.name) === value) return;
    this.values.set(p.name, value);
    for (const l of this.listeners) l(p.name, value);
  }

  private parse(p: ConfigParam, raw: string, current?: string): string | { err: string } {
    const args = p.multiArg ? (raw === '' ? [] : raw.split(' ')) : [raw];
    switch (p.kind) {
      case 'bool': {
        const v = raw.toLowerCase();
        if (v !== 'yes' && v !== 'no') return { err: "argument must be 'yes' or 'no'" };
        const err = p.validate?.(v === 'yes');
        return err ? { err } : v;
      }
      case 'enum': {
        let val = 0;
        const bad = () => ({
          err: `argument(s) must be one of the following: ${p.values.map((e) => e[0]).join(', ')}`,
        });
        if (args.length === 0 || (!p.multiArg && args.length !== 1)) return bad();
        for (const a of args) {
          const hits = p.values.filter((e) => e[0] === a.toLowerCase());
          if (hits.length === 0) return bad();
          for (const h of hits) val |= h[1];
        }
        const err = p.validate?.(val);
        return err ? { err } : enumName(p.values, val, p.multiArg === true);
      }
      case 'string': {
        const err = p.validate?.(raw);
        return err ? { err } : raw;
      }
      case 'special':
        return p.set(args, current ?? (this.values.get(p.name) as string));
      case 'num':
        return parseNumeric(p, raw);
    }
  }
}

/** The value as CONFIG GET prints it (a special parameter may store more than it shows). */
function shown(p: ConfigParam, stored: string): string {
  return p.kind === 'special' && p.show ? p.show(stored) : stored;
}

/** configEnumGetName: the first exact match, else (bit flags) the names of the set bits. */
function enumName(values: readonly (readonly [string, number])[], val: number, bitflags: boolean): string {
  const names: string[] = [];
  let unmatched = val;
  for (const [name, v] of values) {
    if (v === val) return name;
    if (bitflags && v !== 0 && (unmatched & v) === v) {
      names.push(name);
      unmatched &= ~v;
    }
  }
  return names.length === 0 || unmatched !== 0 ? 'unknown' : names.join(' ');
}

type NumParam = Extract<ConfigParam, { kind: 'num' }>;

/** numericParseString + numericBoundaryCheck + numericConfigGet of src/config.c. */
function parseNumeric(p: NumParam, raw: string): string | { err: string } {
  let res: bigint | null = null;
  if (p.memory) {
    const m = memtoull(raw);
    if (m !== null) res = toSigned(m);
  }
  if (res === null && p.percent && raw.length > 1 && raw.endsWith('%')) {
    const n = parseLongLong(raw.slice(0, -1));
    if (n !== null && n >= 0) res = -BigInt(n);
  }
  if (res === null && p.octal && /^[ \t\n\v\f\r]*[+-]?[0-7]+$/.test(raw)) {
    const t = raw.trim();
    const v = BigInt(t.startsWith('-') ? `-0o${t.slice(1)}` : `0o${t.replace('+', '')}`);
    if (v >= INT64_MIN && v < 1n << 63n) res = v;
  }
  if (res === null && !p.memory && !p.percent && !p.octal) {
    const n = parseLongLong(raw);
    if (n !== null) res = BigInt(n);
  }
  if (res === null) {
    if (p.memory && p.percent) return { err: 'argument must be a memory or percent value' };
    if (p.memory) return { err: 'argument must be a memory value' };
    if (p.octal) return { err: "argument couldn't be parsed as an octal number" };
    return { err: "argument couldn't be parsed into an integer" };
  }
  if (UNSIGNED.has(p.type)) {
    const u = BigInt.asUintN(64, res);
    if (u > p.max || u < p.min) {
      const f = (v: bigint) => (p.octal ? v.toString(8) : v.toString());
      return { err: `argument must be between ${f(p.min)} and ${f(p.max)} inclusive` };
    }
    res = u;
  } else if (p.percent && res < 0n) {
    if (res < p.min) return { err: `percentage argument must be less or equal to ${-p.min}` };
  } else if (res > p.max || res < p.min) {
    return { err: `argument must be between ${p.min} and ${p.max} inclusive` };
  }
  if (p.apply) res = p.apply(res);
  return formatNumeric(p, res);
}

function formatNumeric(p: NumParam, v: bigint): string {
  if (p.percent && v < 0n) return `${-v}%`;
  if (p.memory) return BigInt.asUintN(64, v).toString();
  if (p.octal) return v.toString(8);
  return v.toString();
}

function formatDefault(p: ConfigParam): string {
  switch (p.kind) {
    case 'bool':
      return p.default ? 'yes' : 'no';
    case 'num':
      return formatNumeric(p, p.default);
    case 'enum':
      return enumName(p.values, p.default, p.multiArg === true);
    case 'string':
    case 'special':
      return p.default;
  }
}
