// The command table's vocabulary (Redis's src/commands/*.json, as typed data): each command is
// declared once with its arity, flags, key positions, argument tree and docs. Dispatch, COMMAND
// INFO/DOCS, HELP, hints, completion and the compatibility table are all derived from these specs.

import type { Client } from '../client';
import type { Reply } from '../protocol/reply';

export type CommandGroup =
  | 'string'
  | 'generic'
  | 'connection'
  | 'server'
  | 'list'
  | 'hash'
  | 'set'
  | 'sorted-set'
  | 'pubsub'
  | 'transactions'
  | 'scripting'
  | 'stream'
  | 'bitmap'
  | 'hyperloglog'
  | 'geo'
  | 'cluster';

export type CommandFlag =
  | 'write'
  | 'readonly'
  | 'denyoom'
  | 'admin'
  | 'pubsub'
  | 'noscript'
  | 'blocking'
  | 'loading'
  | 'stale'
  | 'skip_monitor'
  | 'skip_slowlog'
  /** CMD_ASKING: served for an ASKING client during slot migration (cluster mode only). */
  | 'asking'
  | 'fast'
  | 'no_auth'
  | 'may_replicate'
  | 'no_mandatory_keys'
  | 'no_multi'
  | 'movablekeys'
  | 'allow_busy'
  | 'no_async_loading'
  /** DEBUG/MODULE: refused unless enable-debug-command allows it (hidden in COMMAND INFO). */
  | 'protected';

export type ArgType =
  | 'key'
  | 'string'
  | 'integer'
  | 'double'
  | 'pattern'
  | 'unix-time'
  | 'pure-token'
  | 'oneof'
  | 'block';

export interface ArgSpec {
  readonly name: string;
  readonly type: ArgType;
  readonly token?: string;
  readonly optional?: boolean;
  readonly multiple?: boolean;
  readonly multipleToken?: boolean;
  readonly since?: string;
  readonly displayText?: string;
  readonly args?: readonly ArgSpec[];
  /** COMMAND DOCS key_spec_index of a key argument (default: key arguments in order, 0, 1, ...). */
  readonly keySpecIndex?: number;
  readonly deprecatedSince?: string;
}

/** Key-spec flags as COMMAND INFO prints them (Redis's CMD_KEY_*). */
export type KeySpecFlag =
  | 'RO'
  | 'RW'
  | 'OW'
  | 'RM'
  | 'ACCESS'
  | 'UPDATE'
  | 'INSERT'
  | 'DELETE'
  | 'NOT_KEY'
  | 'INCOMPLETE'
  | 'VARIABLE_FLAGS';

/** One key spec (src/commands/*.json "key_specs"): where the keys start and how to find them. */
export interface KeySpec {
  readonly notes?: string;
  readonly flags: readonly KeySpecFlag[];
  /** begin_search: an argument index, a keyword searched from `startFrom`, or unknown. */
  readonly begin: { readonly index: number } | { readonly keyword: string; readonly startFrom: number } | 'unknown';
  /** find_keys: a range (lastkey relative to the begin, -1 = last argument), a key count, or unknown. */
  readonly find:
    | { readonly lastKey: number; readonly step: number; readonly limit: number }
    | { readonly keyNumIdx: number; readonly firstKey: number; readonly step: number }
    | 'unknown';
}

export type Handler = (c: Client, argv: string[]) => Reply;

export interface CommandSpec {
  /** Upper case as Redis spells it; for a subcommand, the subcommand alone ('GET' of CONFIG). */
  readonly name: string;
  readonly group: CommandGroup;
  /** Redis arity: N means exactly N (name included), -N means at least N. */
  readonly arity: number;
  readonly flags: readonly CommandFlag[];
  /** First key, last key (-1: last argument, -2: one before), step; absent when no keys. */
  readonly keys?: { readonly first: number; readonly last: number; readonly step: number };
  readonly args?: readonly ArgSpec[];
  readonly summary: string;
  readonly complexity?: string;
  readonly since: string;
  /**
   * ACL categories beyond those derived from flags and group (e.g. 'dangerous', 'slow'); a '-name'
   * entry removes a derived one (WAIT is in the generic group but not @keyspace).
   */
  readonly acl?: readonly string[];
  readonly tips?: readonly string[];
  readonly history?: readonly (readonly [string, string])[];
  readonly subcommands?: readonly CommandSpec[];
  readonly exec?: Handler;
  /**
   * EVAL/FCALL and friends (getCommandFlags): the flags the script or function this call runs
   * declared (SCRIPT_FLAG_*), or null when it runs with the command's own flags (no shebang, unknown).
   */
  readonly scriptFlags?: (c: Client, argv: readonly string[]) => number | null;
  /**
   * Key specs for COMMAND INFO/GETKEYS. When absent they are derived from `keys` and the
   * read/write flags (RO+ACCESS or RW+UPDATE); declare them for exact COMMAND INFO output.
   */
  readonly keySpecs?: readonly KeySpec[];
  /** COMMAND DOCS doc_flags / deprecated_since / replaced_by. */
  readonly docFlags?: readonly ('deprecated' | 'syscmd')[];
  readonly deprecatedSince?: string;
  readonly replacedBy?: string;
}

/** A resolved table entry: the spec plus what dispatch needs precomputed. */
export interface Command {
  readonly spec: CommandSpec;
  /** 'get', or 'config|get' for a subcommand (what arity errors and commandstats print). */
  readonly fullname: string;
  readonly arity: number;
  readonly exec: Handler | undefined;
  readonly parent?: Command;
  readonly subcommands?: ReadonlyMap<string, Command>;
  readonly isWrite: boolean;
  /** CMD_READONLY: a tracking client remembers the keys it read (client-side caching). */
  readonly isReadonly: boolean;
  readonly denyOom: boolean;
  readonly noAuth: boolean;
  readonly skipMonitor: boolean;
  readonly noScript: boolean;
  readonly isAdmin: boolean;
}

/** The arity rule (processCommand): exactly `arity` words, or at least -arity when negative. */
export const arityMatches = (arity: number, argc: number): boolean => (arity > 0 ? argc === arity : argc >= -arity);

export function defineCommand(spec: CommandSpec): CommandSpec {
  return spec;
}

// Argument-tree builders, so declarations read like the redis docs' syntax line.
export const key = (name = 'key', extra: Partial<ArgSpec> = {}): ArgSpec => ({ name, type: 'key', ...extra });
export const str = (name: string, extra: Partial<ArgSpec> = {}): ArgSpec => ({ name, type: 'string', ...extra });
export const integer = (name: string, extra: Partial<ArgSpec> = {}): ArgSpec => ({ name, type: 'integer', ...extra });
export const dbl = (name: string, extra: Partial<ArgSpec> = {}): ArgSpec => ({ name, type: 'double', ...extra });
export const pattern = (name = 'pattern', extra: Partial<ArgSpec> = {}): ArgSpec => ({
  name,
  type: 'pattern',
  ...extra,
});
export const unixTime = (name: string, extra: Partial<ArgSpec> = {}): ArgSpec => ({
  name,
  type: 'unix-time',
  ...extra,
});
/** A bare token such as NX; optional unless said otherwise. */
export const tok = (token: string, extra: Partial<ArgSpec> = {}): ArgSpec => ({
  name: token.toLowerCase(),
  type: 'pure-token',
  token,
  optional: true,
  ...extra,
});
/** A token followed by a value: `EX seconds`. */
export const tokArg = (token: string, arg: ArgSpec): ArgSpec => ({ ...arg, token });
export const oneof = (name: string, args: readonly ArgSpec[], extra: Partial<ArgSpec> = {}): ArgSpec => ({
  name,
  type: 'oneof',
  args: args.map((a) => ({ ...a, optional: false })),
  optional: true,
  ...extra,
});
export const block = (name: string, args: readonly ArgSpec[], extra: Partial<ArgSpec> = {}): ArgSpec => ({
  name,
  type: 'block',
  args,
  ...extra,
});
export const opt = (a: ArgSpec): ArgSpec => ({ ...a, optional: true });
export const many = (a: ArgSpec): ArgSpec => ({ ...a, multiple: true });
