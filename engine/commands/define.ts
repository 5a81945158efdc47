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
  | 'geo';

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
  | 'fast'
  | 'no_auth'
  | 'may_replicate'
  | 'no_mandatory_keys'
  | 'no_multi'
  | 'movablekeys'
  | 'allow_busy';

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
  /** ACL categories beyond those derived from flags and group (e.g. 'dangerous', 'slow'). */
  readonly acl?: readonly string[];
  readonly tips?: readonly string[];
  readonly history?: readonly (readonly [string, string])[];
  readonly subcommands?: readonly CommandSpec[];
  readonly exec?: Handler;
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
  readonly denyOom: boolean;
  readonly noAuth: boolean;
  readonly skipMonitor: boolean;
  readonly noScript: boolean;
  readonly isAdmin: boolean;
}

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
