// The ACL rules (src/acl.c): what ACL SETUSER applies (ACLSetUser, ACLSetSelector, selectors merged
// from several arguments) and how a user is described back as ACL LIST and GETUSER print it
// (ACLDescribeUser and the best-fit category search of ACLDescribeSelectorCommandRules).
// Loaded with the ACL command (the rest of the engine); the user model itself is in user.ts.

import type { Command } from '../commands/define';
import { ACL_ORDER } from '../commands/command-docs';
import { ACL_ERR, aclSetuserError, aclUnmatchedParenthesis } from '../errors';
import { killClient } from '../client-line';
import type { Engine } from '../engine';
import { channelAllowed } from './acl';
import { splitArgs } from '../protocol/split-args';
import { sha256hex } from './sha256';
import {
  type Catalog,
  categoryBit,
  type KeyPattern,
  NOPASS,
  OFF,
  ON,
  PERM_ALL,
  PERM_READ,
  PERM_WRITE,
  SANITIZE,
  Selector,
  SKIP_SANITIZE,
  User,
} from './user';

/** ACLSetSelectorCommandBit: clearing any bit drops the "all commands" shortcut. */
function setBit(s: Selector, cmd: Command, allow: boolean): void {
  if (allow) s.allowed.add(cmd);
  else {
    s.allowed.delete(cmd);
    s.allCommands = false;
  }
}

/** ACLChangeSelectorPerm: a container's subcommands follow it. */
export function changePerm(s: Selector, cmd: Command, allow: boolean): void {
  setBit(s, cmd, allow);
  s.firstArgs?.delete(cmd);
  if (cmd.subcommands) for (const sub of cmd.subcommands.values()) setBit(s, sub, allow);
}

export function setCategory(s: Selector, catalog: Catalog, bit: number, allow: boolean): void {
  for (const cmd of catalog.all) if (((catalog.cats.get(cmd) as number) & bit) !== 0) changePerm(s, cmd, allow);
}

/**
 * ACLSetSelector: apply one rule; returns null, or the reason it is refused (ACLSetUserStringError).
 */
export function applySelectorRule(s: Selector, catalog: Catalog, op: string): string | null {
  const lower = op.toLowerCase();
  if (lower === 'allkeys' || op === '~*') {
    s.allKeys = true;
    s.keys = [];
  } else if (lower === 'resetkeys') {
    s.allKeys = false;
    s.keys = [];
  } else if (lower === 'allchannels' || op === '&*') {
    s.allChannels = true;
    s.channels = [];
  } else if (lower === 'resetchannels') {
    s.allChannels = false;
    s.channels = [];
  } else if (lower === 'allcommands' || lower === '+@all') {
    s.setAll(catalog, true);
  } else if (lower === 'nocommands' || lower === '-@all') {
    s.setAll(catalog, false);
  } else if (op[0] === '~' || op[0] === '%') {
    if (s.allKeys) return ACL_ERR.RULE_KEYS_AFTER_ALL;
    let flags = 0;
    let offset = 1;
    if (op[0] === '%') {
      for (; offset < op.length; offset++) {
        const ch = op[offset].toUpperCase();
        if (ch === 'R' && !(flags & PERM_READ)) flags |= PERM_READ;
        else if (ch === 'W' && !(flags & PERM_WRITE)) flags |= PERM_WRITE;
        else if (op[offset] === '~') {
          offset++;
          break;
        } else return ACL_ERR.RULE_SYNTAX;
      }
    } else flags = PERM_ALL;
    const pattern = op.slice(offset);
    if (hasSpaces(pattern)) return ACL_ERR.RULE_SYNTAX;
    const same = s.keys.find((k) => k.pattern === pattern);
    if (same) same.flags |= flags;
    else s.keys.push({ pattern, flags });
    s.allKeys = false;
  } else if (op[0] === '&') {
    if (s.allChannels) return ACL_ERR.RULE_CHANNELS_AFTER_ALL;
    const pattern = op.slice(1);
    if (hasSpaces(pattern)) return ACL_ERR.RULE_SYNTAX;
    if (!s.channels.includes(pattern)) s.channels.push(pattern);
    s.allChannels = false;
  } else if (op[0] === '+' && op[1] !== '@') {
    const bar = op.lastIndexOf('|');
    if (bar === -1) {
      const cmd = catalog.lookup(op.slice(1));
      if (cmd === undefined) return ACL_ERR.RULE_UNKNOWN;
      changePerm(s, cmd, true);
    } else {
      const cmd = catalog.lookup(op.slice(1, bar));
      if (cmd === undefined) return ACL_ERR.RULE_UNKNOWN;
      if (cmd.parent) return ACL_ERR.RULE_FIRSTARG_OF_SUB;
      const sub = op.slice(bar + 1);
      if (sub === '') return ACL_ERR.RULE_SYNTAX;
      if (cmd.subcommands) {
        const subcmd = catalog.lookup(op.slice(1));
        if (subcmd === undefined) return ACL_ERR.RULE_UNKNOWN;
        changePerm(s, subcmd, true);
      } else {
        // ACLAddAllowedFirstArg: SELECT|0 style (deprecated in Redis, still accepted).
        if (s.firstArgs === null) s.firstArgs = new Map();
        const list = s.firstArgs.get(cmd) ?? [];
        if (!list.some((a) => a.toLowerCase() === sub.toLowerCase())) list.push(sub);
        s.firstArgs.set(cmd, list);
      }
    }
  } else if (op[0] === '-' && op[1] !== '@') {
    const cmd = catalog.lookup(op.slice(1));
    if (cmd === undefined) return ACL_ERR.RULE_UNKNOWN;
    changePerm(s, cmd, false);
  } else if ((op[0] === '+' || op[0] === '-') && op[1] === '@') {
    const bit = categoryBit(op.slice(2));
    if (bit === 0) return ACL_ERR.RULE_UNKNOWN;
    setCategory(s, catalog, bit, op[0] === '+');
  } else return ACL_ERR.RULE_SYNTAX;
  return null;
}

/** ACLStringHasSpaces: isspace() or NUL. */
export function hasSpaces(s: string): boolean {
  return /[\0\t\n\v\f\r ]/.test(s);
}

const isHash = (h: string) => /^[0-9a-f]{64}$/.test(h);

/** ACLSetUser: one rule (user flags, passwords, selectors, or a root selector rule). */
export function applyUserRule(u: User, catalog: Catalog, op: string, pubsubAll: boolean): string | null {
  if (op === '') return null;
  const lower = op.toLowerCase();
  if (lower === 'on') u.flags = (u.flags | ON) & ~OFF;
  else if (lower === 'off') u.flags = (u.flags | OFF) & ~ON;
  else if (lower === 'skip-sanitize-payload') u.flags = (u.flags | SKIP_SANITIZE) & ~SANITIZE;
  else if (lower === 'sanitize-payload') u.flags = (u.flags | SANITIZE) & ~SKIP_SANITIZE;
  else if (lower === 'nopass') {
    u.flags |= NOPASS;
    u.passwords = [];
  } else if (lower === 'resetpass') {
    u.flags &= ~NOPASS;
    u.passwords = [];
  } else if (op[0] === '>' || op[0] === '#') {
    const hash = op[0] === '>' ? sha256hex(op.slice(1)) : op.slice(1);
    if (op[0] === '#' && !isHash(hash)) return ACL_ERR.RULE_BAD_HASH;
    if (!u.passwords.includes(hash)) u.passwords.push(hash);
    u.flags &= ~NOPASS;
  } else if (op[0] === '<' || op[0] === '!') {
    const hash = op[0] === '<' ? sha256hex(op.slice(1)) : op.slice(1);
    if (op[0] === '!' && !isHash(hash)) return ACL_ERR.RULE_BAD_HASH;
    const i = u.passwords.indexOf(hash);
    if (i < 0) return ACL_ERR.RULE_NO_SUCH_PASSWORD;
    u.passwords.splice(i, 1);
  } else if (op[0] === '(' && op[op.length - 1] === ')') {
    const s = new Selector(false, pubsubAll);
    // (sdssplitargs failing on unbalanced quotes leaves the selector empty, as in Redis)
    for (const rule of splitArgs(op.slice(1, -1)) ?? []) {
      const err = applySelectorRule(s, catalog, rule);
      if (err !== null) return err;
    }
    u.selectors.push(s);
  } else if (lower === 'clearselectors') {
    u.selectors = [u.root];
  } else if (lower === 'reset') {
    for (const rule of ['resetpass', 'resetkeys', 'resetchannels']) applyUserRule(u, catalog, rule, pubsubAll);
    if (pubsubAll) applyUserRule(u, catalog, 'allchannels', pubsubAll);
    for (const rule of ['off', 'sanitize-payload', 'clearselectors', '-@all'])
      applyUserRule(u, catalog, rule, pubsubAll);
  } else return applySelectorRule(u.root, catalog, op);
  return null;
}

/** ACLDescribeUser: flags, #hashes, the root selector, then each other selector in parentheses. */
export function describeUser(u: User, catalog: Catalog): string {
  let res = '';
  for (const f of u.flagNames()) res += `${f} `;
  for (const p of u.passwords) res += `#${p} `;
  for (const s of u.selectors) {
    res += s.root ? describeSelector(catalog, s) : ` (${describeSelector(catalog, s)})`;
  }
  return res;
}

/** sdsCatPatternString: `~p`, `%R~p` or `%W~p`. */
export function keyPatternString(k: KeyPattern): string {
  return `${k.flags === PERM_ALL ? '~' : k.flags === PERM_READ ? '%R~' : '%W~'}${k.pattern}`;
}

/** ACLDescribeSelector: keys, channels, command rules. */
function describeSelector(catalog: Catalog, s: Selector): string {
  let res = '';
  if (s.allKeys) res += '~* ';
  else for (const k of s.keys) res += `${keyPatternString(k)} `;
  if (s.allChannels) res += '&* ';
  else {
    res += 'resetchannels ';
    for (const ch of s.channels) res += `&${ch} `;
  }
  return res + describeCommandRules(catalog, s);
}

/**
 * ACLDescribeSelectorCommandRules: +@all or -@all, then the categories that fit best, then single
 * commands to make up the difference, so that applying the rules gives back the same commands.
 * LAB: Redis walks its command dict in hash order (random per process) for the single commands;
 * here they come in command-table order.
 */
export function describeCommandRules(catalog: Catalog, s: Selector): string {
  const additive = !s.future;
  const fake = new Selector(false, false);
  fake.setAll(catalog, !additive);
  let rules = additive ? '-@all ' : '+@all ';
  const temp = new Selector(false, false);
  temp.allowed = new Set(s.allowed);
  const applied = new Array<boolean>(ACL_ORDER.length).fill(false);
  for (;;) {
    let best = -1;
    let mindiff = Number.MAX_SAFE_INTEGER;
    let maxsame = 0;
    for (let j = 0; j < ACL_ORDER.length; j++) {
      if (applied[j]) continue;
      let on = 0;
      let off = 0;
      for (const cmd of catalog.all) {
        if (((catalog.cats.get(cmd) as number) & (1 << j)) === 0) continue;
        if (temp.allowed.has(cmd)) on++;
        else off++;
      }
      const diff = additive ? off : on;
      const same = additive ? on : off;
      if (same > diff && (diff < mindiff || (diff === mindiff && same > maxsame))) {
        best = j;
        mindiff = diff;
        maxsame = same;
      }
    }
    if (best === -1) break;
    setCategory(fake, catalog, 1 << best, additive);
    setCategory(temp, catalog, 1 << best, !additive);
    rules += `${additive ? '+@' : '-@'}${ACL_ORDER[best]} `;
    applied[best] = true;
  }
  const single = (cmd: Command) => {
    const userbit = s.allowed.has(cmd);
    if (userbit !== fake.allowed.has(cmd)) {
      rules += `${userbit ? '+' : '-'}${cmd.fullname} `;
      changePerm(fake, cmd, userbit);
    }
  };
  for (const cmd of catalog.top) {
    single(cmd);
    if (cmd.subcommands) for (const sub of cmd.subcommands.values()) single(sub);
    const firsts = s.firstArgs?.get(cmd);
    if (firsts && !s.allowed.has(cmd)) for (const a of firsts) rules += `+${cmd.fullname}|${a} `;
  }
  return rules.slice(0, -1);
}

/**
 * ACLMergeSelectorArguments: a selector may be spread over several arguments ("(+get", "~k)").
 * Returns the merged rules, or the argument where an unclosed parenthesis starts.
 */
export function mergeSelectorArgs(args: readonly string[]): string[] | { unmatched: string } {
  const out: string[] = [];
  let open = -1;
  let selector = '';
  for (let j = 0; j < args.length; j++) {
    const op = args[j];
    if (op[0] === '(' && op[op.length - 1] !== ')') {
      selector = op;
      open = j;
      continue;
    }
    if (open !== -1) {
      selector += ` ${op}`;
      if (op[op.length - 1] === ')') {
        open = -1;
        out.push(selector);
      }
      continue;
    }
    out.push(op);
  }
  if (open !== -1) return { unmatched: args[open] };
  return out;
}

/** ACLStringSetUser: all rules are tried on a copy; the user changes only when every one is valid. */
export function setUser(engine: Engine, name: string, args: readonly string[]): string | null {
  const acl = engine.acl;
  const merged = mergeSelectorArgs(args);
  if (!Array.isArray(merged)) return aclUnmatchedParenthesis(merged.unmatched);
  const catalog = acl.catalog();
  const pubsubAll = acl.pubsubAll;
  const existing = acl.users.get(name);
  const temp = new User(name, pubsubAll);
  if (existing) temp.copyFrom(existing);
  for (const op of merged) {
    const err = applyUserRule(temp, catalog, op, pubsubAll);
    if (err !== null) return aclSetuserError(op, err);
  }
  const u = existing ?? new User(name, pubsubAll);
  if (existing) killPubsubClientsIfNeeded(engine, temp, existing);
  u.copyFrom(temp);
  acl.users.set(name, u);
  if (u === acl.defaultUser) acl.defaultChanged();
  return null;
}

/**
 * ACLKillPubsubClientsIfNeeded: when the new rules drop channels the user had, its subscribed
 * clients whose channels or patterns are no longer allowed are disconnected.
 */
function killPubsubClientsIfNeeded(engine: Engine, next: User, original: User): void {
  if (next.selectors.some((s) => s.allChannels)) return;
  const upcoming = next.selectors.flatMap((s) => s.channels);
  const superset = original.selectors.every((s) => !s.allChannels && s.channels.every((ch) => upcoming.includes(ch)));
  if (superset) return;
  const current = engine.currentClient;
  for (const c of [...engine.clients.values()]) {
    if (c.user !== original || c.subscriptionCount === 0) continue;
    const ps = c.ext.pubsub as { channels: Set<string>; patterns: Set<string>; shard: Set<string> } | undefined;
    if (ps === undefined) continue;
    const bad =
      [...ps.patterns].some((p) => !channelAllowed(upcoming, p, true)) ||
      [...ps.channels, ...ps.shard].some((ch) => !channelAllowed(upcoming, ch, false));
    if (bad) killClient(c, current ?? c);
  }
}
