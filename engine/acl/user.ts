// ACL users and their selectors (src/acl.c's user and aclSelector): flags, password hashes, the
// commands, keys and channels each selector allows, and the credentials check. The rules that
// change them (ACL SETUSER) and their description (ACL LIST) are in rules.ts.

import { ACL_ORDER, aclCategories } from '../commands/command-docs';
import type { Command } from '../commands/define';
import { sha256hex } from './sha256';

export const PERM_READ = 1;
export const PERM_WRITE = 2;
export const PERM_ALL = PERM_READ | PERM_WRITE;

/** The bit of a category name (ACLGetCommandCategoryFlagByName, case-insensitive), 0 when unknown. */
export function categoryBit(name: string): number {
  const i = ACL_ORDER.indexOf(name.toLowerCase());
  return i < 0 ? 0 : 1 << i;
}

/** The commands ACL rules can name (server.orig_commands): each container, then its subcommands. */
export class Catalog {
  readonly top: readonly Command[];
  readonly all: Command[] = [];
  readonly cats = new Map<Command, number>();

  constructor(top: readonly Command[]) {
    this.top = top;
    const add = (cmd: Command) => {
      let bits = 0;
      for (const cat of aclCategories(cmd.spec)) bits |= categoryBit(cat);
      this.cats.set(cmd, bits);
      this.all.push(cmd);
    };
    for (const cmd of top) {
      add(cmd);
      if (cmd.subcommands) for (const sub of cmd.subcommands.values()) add(sub);
    }
  }

  /** ACLLookupCommand: "get" or "config|get" (case-insensitive), undefined when unknown. */
  lookup(name: string): Command | undefined {
    const parts = name.split('|');
    if (parts.length > 2) return undefined;
    const lower = parts[0].toLowerCase();
    const base = this.top.find((c) => c.fullname === lower);
    if (parts.length === 1 || base === undefined) return base;
    return base.subcommands?.get(parts[1].toLowerCase());
  }
}

export interface KeyPattern {
  pattern: string;
  flags: number;
}

/** aclSelector: the commands, keys and channels one set of permissions allows. */
export class Selector {
  allKeys = false;
  allChannels: boolean;
  allCommands = false;
  /** The reserved "future commands" bit: set by +@all, cleared by -@all only. */
  future = false;
  allowed = new Set<Command>();
  firstArgs: Map<Command, string[]> | null = null;
  keys: KeyPattern[] = [];
  channels: string[] = [];

  constructor(
    readonly root: boolean,
    allChannels: boolean,
  ) {
    this.allChannels = allChannels;
  }

  copy(): Selector {
    const s = new Selector(this.root, this.allChannels);
    s.allKeys = this.allKeys;
    s.allCommands = this.allCommands;
    s.future = this.future;
    s.allowed = new Set(this.allowed);
    if (this.firstArgs) s.firstArgs = new Map([...this.firstArgs].map(([k, v]) => [k, [...v]]));
    s.keys = this.keys.map((k) => ({ ...k }));
    s.channels = [...this.channels];
    return s;
  }

  setAll(catalog: Catalog, allow: boolean): void {
    this.allowed = allow ? new Set(catalog.all) : new Set();
    this.allCommands = allow;
    this.future = allow;
    this.firstArgs = null;
  }
}

/** USER_FLAG_* in ACLUserFlags order (the order ACL LIST and GETUSER print them). */
export const USER_FLAGS = ['on', 'off', 'nopass', 'skip-sanitize-payload', 'sanitize-payload'] as const;
export const ON = 1;
export const OFF = 2;
export const NOPASS = 4;
export const SKIP_SANITIZE = 8;
export const SANITIZE = 16;

export class User {
  flags = OFF;
  /** SHA-256 hex of each password, in the order added. */
  passwords: string[] = [];
  /** The root selector first, then the `(...)` ones. */
  selectors: Selector[];
  /** Cached: some selector allows every command, key and channel (the dispatch fast path). */
  unrestricted = false;

  constructor(
    readonly name: string,
    allChannels: boolean,
  ) {
    this.selectors = [new Selector(true, allChannels)];
  }

  get root(): Selector {
    return this.selectors[0];
  }

  get enabled(): boolean {
    return (this.flags & OFF) === 0;
  }

  get nopass(): boolean {
    return (this.flags & NOPASS) !== 0;
  }

  flagNames(): string[] {
    return USER_FLAGS.filter((_, i) => (this.flags & (1 << i)) !== 0);
  }

  /** ACLCopyUser: take over another user's rules (the name stays). */
  copyFrom(src: User): void {
    this.flags = src.flags;
    this.passwords = [...src.passwords];
    this.selectors = src.selectors.map((s) => s.copy());
    this.refresh();
  }

  refresh(): void {
    this.unrestricted = this.selectors.some((s) => s.allCommands && s.allKeys && s.allChannels);
  }

  /** ACLCheckUserCredentials (after the user was found): enabled, and nopass or a matching password. */
  checkPassword(pass: string): boolean {
    if (!this.enabled) return false;
    if (this.nopass) return true;
    return this.passwords.includes(sha256hex(pass));
  }
}
