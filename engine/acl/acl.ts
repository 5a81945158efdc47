// The ACL state of an engine (src/acl.c): the users (with "default", which requirepass drives), the
// permission check processCommand, EXEC and scripts run (ACLCheckAllUserCommandPerm), the ACL LOG,
// authentication, and what deleting a user does to its connections.

import type { Client } from '../client';
import { clientInfoLine, killClient } from '../client-line';
import type { Command } from '../commands/define';
import { commandHasKeys, commandKeys, type KeyRef } from '../commands/getkeys-procs';
import type { Engine } from '../engine';
import { ACL_ERR, nopermCommand, nopermInExec } from '../errors';
import { globMatch } from '../util/glob';
import { sha256hex } from './sha256';
import { Catalog, NOPASS, ON, PERM_READ, PERM_WRITE, type Selector, User } from './user';

/** ACL_OK, ACL_DENIED_CMD, ACL_DENIED_KEY, ACL_DENIED_AUTH, ACL_DENIED_CHANNEL (their order matters). */
export const ACL_OK = 0;
export const DENIED_CMD = 1;
export const DENIED_KEY = 2;
export const DENIED_AUTH = 3;
export const DENIED_CHANNEL = 4;

export type LogContext = 'toplevel' | 'multi' | 'lua';

export interface LogEntry {
  count: number;
  reason: number;
  context: LogContext;
  object: string;
  username: string;
  ctime: number;
  cinfo: string;
}

/** ACL_LOG_GROUPING_MAX_TIME_DELTA: similar denials within a minute bump one entry's count. */
const LOG_GROUPING_MS = 60000;

/** Channel arguments (db.c ChannelCommandDeclaration): position, all the rest?, pattern? */
const CHANNEL_COMMANDS: ReadonlyMap<string, { rest: boolean; pattern: boolean }> = new Map([
  ['subscribe', { rest: true, pattern: false }],
  ['ssubscribe', { rest: true, pattern: false }],
  ['psubscribe', { rest: true, pattern: true }],
  ['publish', { rest: false, pattern: false }],
  ['spublish', { rest: false, pattern: false }],
]);

/** ACLCheckChannelAgainstList: a PSUBSCRIBE pattern must equal an allowed pattern literally. */
export function channelAllowed(list: readonly string[], channel: string, isPattern: boolean): boolean {
  for (const p of list) if (isPattern ? p === channel : globMatch(p, channel)) return true;
  return false;
}

/** ACLSelectorCheckKey: a pattern with every permission the key spec needs must match. */
function keyAllowed(s: Selector, key: string, ref: KeyRef): boolean {
  let need = 0;
  for (const f of ref.flags) {
    if (f === 'ACCESS') need |= PERM_READ;
    else if (f === 'INSERT' || f === 'DELETE' || f === 'UPDATE') need |= PERM_WRITE;
  }
  for (const k of s.keys) if ((k.flags & need) === need && globMatch(k.pattern, key)) return true;
  return false;
}

interface KeysCache {
  keys: readonly KeyRef[] | null;
}

/** ACLSelectorCheckCmd: the command (or its allowed first argument), then its keys, then its channels. */
function checkSelector(
  s: Selector,
  cmd: Command,
  argv: readonly string[],
  cache: KeysCache,
): { result: number; pos: number } {
  if (!s.allCommands && !cmd.noAuth && !s.allowed.has(cmd)) {
    const firsts = s.firstArgs?.get(cmd);
    const arg = argv[cmd.parent ? 2 : 1];
    if (argv.length < 2 || firsts === undefined || arg === undefined) return { result: DENIED_CMD, pos: 0 };
    if (!firsts.some((a) => a.toLowerCase() === arg.toLowerCase())) return { result: DENIED_CMD, pos: 0 };
  }
  if (!s.allKeys && commandHasKeys(cmd)) {
    if (cache.keys === null) cache.keys = commandKeys(cmd, argv);
    for (const ref of cache.keys) if (!keyAllowed(s, argv[ref.pos], ref)) return { result: DENIED_KEY, pos: ref.pos };
  }
  const chans = CHANNEL_COMMANDS.get(cmd.fullname);
  if (!s.allChannels && chans !== undefined) {
    const end = chans.rest ? argv.length : Math.min(2, argv.length);
    for (let i = 1; i < end; i++) {
      if (!channelAllowed(s.channels, argv[i], chans.pattern)) return { result: DENIED_CHANNEL, pos: i };
    }
  }
  return { result: ACL_OK, pos: 0 };
}

export class Acl {
  readonly users = new Map<string, User>();
  readonly defaultUser: User;
  /** Newest first. */
  log: LogEntry[] = [];
  private catalogCache: Catalog | null = null;

  constructor(private readonly engine: Engine) {
    const u = this.createDefaultUser();
    this.defaultUser = u;
    this.users.set('default', u);
  }

  /** ACLCreateDefaultUser: +@all ~* &* on nopass. */
  createDefaultUser(): User {
    const u = new User('default', false);
    const root = u.root;
    root.setAll(this.catalog(), true);
    root.allKeys = true;
    root.allChannels = true;
    u.flags = ON | NOPASS;
    u.refresh();
    return u;
  }

  /** The users in the order of Redis's Users radix tree (byte order of the names). */
  sortedUsers(): User[] {
    return [...this.users.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** The commands rules can name; when the table grew, selectors that allow future commands get them. */
  catalog(): Catalog {
    const top = this.engine.table.commands;
    const cached = this.catalogCache;
    if (cached !== null && cached.top.length === top.length) return cached;
    const catalog = new Catalog([...top]);
    this.catalogCache = catalog;
    if (cached !== null) {
      for (const u of this.users.values())
        for (const s of u.selectors) if (s.future) for (const cmd of catalog.all) s.allowed.add(cmd);
    }
    return catalog;
  }

  /** acl-pubsub-default: new users (and `reset`) get allchannels or resetchannels. */
  get pubsubAll(): boolean {
    return this.engine.config.get('acl-pubsub-default') === 'allchannels';
  }

  /** requirepass (ACLUpdateDefaultUserPassword): its one password, or nopass when empty. */
  setDefaultPassword(pass: string): void {
    const u = this.defaultUser;
    if (pass === '') {
      u.flags |= NOPASS;
      u.passwords = [];
    } else {
      u.flags &= ~NOPASS;
      u.passwords = [sha256hex(pass)];
    }
    this.defaultChanged();
  }

  /** The default user changed: does a new connection need to authenticate (authRequired)? */
  defaultChanged(): void {
    const u = this.defaultUser;
    this.engine.authRequired = !u.nopass || !u.enabled;
  }

  /** ACL DELUSER of one user: its clients go back to default, unauthenticated, and are closed. */
  deleteUser(name: string): boolean {
    const u = this.users.get(name);
    if (u === undefined) return false;
    this.users.delete(name);
    const current = this.engine.currentClient;
    for (const c of [...this.engine.clients.values()]) {
      if (c.user !== u) continue;
      c.user = this.defaultUser;
      c.authenticated = false;
      killClient(c, current ?? c);
    }
    return true;
  }

  /** ACLAuthenticateUser: on success the client runs as that user; a failure is logged. */
  authenticate(c: Client, name: string, pass: string, argv: readonly string[]): boolean {
    const u = this.users.get(name);
    if (u?.checkPassword(pass)) {
      c.authenticated = true;
      c.user = u;
      return true;
    }
    const context = c.ext.multi !== undefined ? 'multi' : 'toplevel';
    this.addLog(c, DENIED_AUTH, context, argv[0], argv, argv[0].toLowerCase(), name);
    return false;
  }

  /**
   * ACLCheckAllUserCommandPerm: ACL_OK when some selector allows the command with these arguments;
   * otherwise the most relevant denial and the position of the key or channel refused.
   */
  check(u: User, cmd: Command, argv: readonly string[]): { result: number; pos: number } {
    // (commands registered since the last look join the selectors that allow future commands)
    this.catalog();
    let relevant = DENIED_CMD;
    let lastIdx = 0;
    const keys: KeysCache = { keys: null };
    for (const s of u.selectors) {
      const { result, pos } = checkSelector(s, cmd, argv, keys);
      if (result === ACL_OK) return { result, pos: 0 };
      if (result > relevant || (result === relevant && pos > lastIdx)) {
        relevant = result;
        lastIdx = pos;
      }
    }
    return { result: relevant, pos: lastIdx };
  }

  /**
   * ACLUserCheckCmdWithUnrestrictedKeyAccess(CMD_KEY_ACCESS): a selector allows this command and may
   * read every key (SORT's BY and GET read keys named by patterns).
   */
  canReadAnyKey(u: User, cmd: Command, argv: readonly string[]): boolean {
    if (u.unrestricted) return true;
    const keys: KeysCache = { keys: null };
    return u.selectors.some(
      (s) =>
        checkSelector(s, cmd, argv, keys).result === ACL_OK &&
        (s.allKeys || s.keys.some((k) => (k.flags & PERM_READ) !== 0 && k.pattern === '*')),
    );
  }

  /**
   * processCommand's ACLCheckAllPerm: null when the client's user may run this, else the NOPERM text
   * (the denial is logged). `context` is where it ran: a command, queued in MULTI, EXEC, a script.
   */
  deny(c: Client, cmd: Command, argv: readonly string[], context: LogContext | 'exec'): string | null {
    const { result, pos } = this.check(c.user, cmd, argv);
    if (result === ACL_OK) return null;
    const object = result === DENIED_CMD ? cmd.fullname : argv[pos];
    this.addLog(c, result, context === 'exec' ? 'multi' : context, object, argv, cmd.fullname);
    if (context === 'lua') {
      return result === DENIED_CMD
        ? ACL_ERR.SCRIPT_CMD
        : result === DENIED_KEY
          ? ACL_ERR.SCRIPT_KEY
          : ACL_ERR.SCRIPT_CHANNEL;
    }
    if (context === 'exec') {
      return nopermInExec(
        result === DENIED_CMD ? ACL_ERR.EXEC_CMD : result === DENIED_KEY ? ACL_ERR.EXEC_KEY : ACL_ERR.EXEC_CHANNEL,
      );
    }
    return result === DENIED_CMD
      ? nopermCommand(cmd.fullname)
      : result === DENIED_KEY
        ? ACL_ERR.NOPERM_KEY
        : ACL_ERR.NOPERM_CHANNEL;
  }

  /** addACLLogEntry: a similar entry among the 10 newest is bumped (and moved first) instead. */
  addLog(
    c: Client,
    reason: number,
    context: LogContext,
    object: string,
    argv: readonly string[],
    fullname: string,
    username?: string,
  ): void {
    const engine = this.engine;
    // (a script's denials show its caller, as Redis uses server.script_caller)
    const caller = c.fd === -2 ? engine.currentClient : null;
    const entry: LogEntry = {
      count: 1,
      reason,
      context,
      object,
      username: username ?? c.user.name,
      ctime: engine.clock.now(),
      // LAB: a script's caller is shown with the command it ran last, not its EVAL in progress.
      cinfo: caller ? clientInfoLine(caller, caller, [], caller.lastCommand) : clientInfoLine(c, c, argv, fullname),
    };
    for (let i = 0; i < Math.min(10, this.log.length); i++) {
      const e = this.log[i];
      if (
        e.reason === entry.reason &&
        e.context === entry.context &&
        Math.abs(e.ctime - entry.ctime) <= LOG_GROUPING_MS &&
        e.object === entry.object &&
        e.username === entry.username
      ) {
        this.log.splice(i, 1);
        e.cinfo = entry.cinfo;
        e.ctime = entry.ctime;
        e.count++;
        this.log.unshift(e);
        return;
      }
    }
    this.log.unshift(entry);
    const max = engine.config.getInt('acllog-max-len');
    if (this.log.length > max) this.log.length = max;
  }
}
