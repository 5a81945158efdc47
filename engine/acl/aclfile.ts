// The ACL file (src/acl.c ACLLoadFromFile, ACLSaveToFile): `aclfile` names a file of
// `user <name> rule...` lines, read at start and by ACL LOAD (all or nothing), written by ACL SAVE.
// It lives on the engine's disk (real files behind the Node server, the virtual disk in the
// browser), relative to `dir` as after Redis's chdir.

import type { Engine } from '../engine';
import { ACL_ERR, ACL_FILE_ERR, STRERROR } from '../errors';
import type { VirtualDisk } from '../persistence/disk';
import { persistenceOf } from '../persistence/lifecycle';
import { strerror } from '../persistence/storage/errors';
import { dirName, joinPath } from '../persistence/storage/types';
import { fromBytes, toBytes } from '../protocol/binary';
import { applyUserRule, describeUser, hasSpaces, mergeSelectorArgs } from './rules';
import { User } from './user';

/** Every user as ACL LIST prints it and ACL SAVE writes it, in the Users radix tree's (byte) order. */
export function describeUsers(engine: Engine): string[] {
  const acl = engine.acl;
  const catalog = acl.catalog();
  return acl.sortedUsers().map((u) => `user ${u.name} ${describeUser(u, catalog)}`);
}

/** Where the file is on the engine's disk: `aclfile`, relative to `dir`. */
function aclPath(engine: Engine): string {
  return joinPath(engine.config.get('dir'), engine.config.get('aclfile'));
}

/** Why a file cannot be opened (or created) in its directory, or null when the directory exists. */
function parentError(disk: VirtualDisk, path: string): string | null {
  const parent = dirName(path);
  if (parent === '' || parent === '/' || disk.isDir(parent)) return null;
  return disk.exists(parent) ? STRERROR.ENOTDIR : STRERROR.ENOENT;
}

/**
 * The file's text as ACLLoadFromFile gathers it: fgets() pieces (a line, or 1023 bytes of a longer
 * one) appended with strlen(), so a piece loses everything from its first NUL byte (newline included).
 */
function fgetsText(bytes: Uint8Array): string {
  if (!bytes.includes(0)) return fromBytes(bytes);
  let out = '';
  for (let i = 0; i < bytes.length; ) {
    let end = i;
    while (end < bytes.length && end - i < 1023) if (bytes[end++] === 10) break;
    let nul = i;
    while (nul < end && bytes[nul] !== 0) nul++;
    out += fromBytes(bytes, i, nul);
    i = end;
  }
  return out;
}

/** sdstrim: drop the characters of `set` from both ends. */
function trim(s: string, set: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && set.includes(s[a])) a++;
  while (b > a && set.includes(s[b - 1])) b--;
  return s.slice(a, b);
}

/**
 * Parse the file into a new set of users (each line applied to a fresh user, as ACL SETUSER would).
 * Returns the users, or the description of every problem found (then nothing may change).
 */
export function parseAclFile(engine: Engine, file: string, bytes: Uint8Array): Map<string, User> | string {
  const acl = engine.acl;
  const catalog = acl.catalog();
  const pubsubAll = acl.pubsubAll;
  const users = new Map<string, User>();
  let errors = '';
  const lines = fgetsText(bytes).split('\n');
  for (let i = 0; i < lines.length; i++) {
    const n = i + 1;
    const line = trim(lines[i], ' \t\r\n');
    if (line === '') continue;
    // (split on single spaces: no quoting, and two spaces make an empty argument)
    const argv = line.split(' ');
    if (argv[0] !== 'user' || argv.length < 2) {
      errors += ACL_FILE_ERR.notUser(file, n);
      continue;
    }
    const name = argv[1];
    if (hasSpaces(name)) {
      errors += ACL_FILE_ERR.badName(file, n, name);
      continue;
    }
    if (users.has(name)) {
      errors += ACL_FILE_ERR.duplicate(name, n);
      continue;
    }
    const u = new User(name, pubsubAll);
    users.set(name, u);
    const merged = mergeSelectorArgs(argv.slice(2));
    if (!Array.isArray(merged)) {
      // LAB: with a rule before the unclosed parenthesis redis-server 7.0.15 crashes here (it
      // applies the rules of a NULL array); the intended error is reported instead.
      errors += ACL_FILE_ERR.parenthesis(file, n);
      continue;
    }
    // Every rule is tried: each unknown command is reported, of other errors only the first.
    let syntaxError = false;
    for (const rule of merged) {
      const op = trim(rule, '\t\r\n');
      const err = applyUserRule(u, catalog, op, pubsubAll);
      if (err === null) continue;
      if (err === ACL_ERR.RULE_UNKNOWN) errors += ACL_FILE_ERR.unknown(file, n, op, err);
      else if (!syntaxError) {
        errors += ACL_FILE_ERR.rule(file, n, err);
        syntaxError = true;
      }
    }
    u.refresh();
  }
  return errors === '' ? users : errors + ACL_FILE_ERR.ROLLBACK;
}

/**
 * Make `users` the engine's users. "default" keeps its identity (it takes the file's rules, or the
 * built-in ones when the file has none); every other user is replaced, so the connections
 * authenticated as any of them are closed, even when the file defines the user the same way.
 */
function installUsers(engine: Engine, users: Map<string, User>): void {
  const acl = engine.acl;
  acl.defaultUser.copyFrom(users.get('default') ?? acl.createDefaultUser());
  for (const name of [...acl.users.keys()]) if (name !== 'default') acl.deleteUser(name);
  for (const [name, u] of users) if (name !== 'default') acl.users.set(name, u);
  acl.defaultChanged();
}

/** ACLLoadFromFile: null when the file was loaded, else why nothing changed (one line). */
export function loadAclFile(engine: Engine): string | null {
  const file = engine.config.get('aclfile');
  const disk = persistenceOf(engine).disk;
  const path = aclPath(engine);
  let bytes: Uint8Array | null;
  // fopen() of a directory succeeds and fgets() reads nothing from it: an empty file.
  if (disk.isDir(path)) bytes = new Uint8Array(0);
  else {
    bytes = disk.read(path);
    if (bytes === null) {
      const reason = parentError(disk, path) ?? (disk.exists(path) ? STRERROR.EACCES : STRERROR.ENOENT);
      return ACL_FILE_ERR.open(file, reason);
    }
  }
  const users = parseAclFile(engine, file, bytes);
  if (typeof users === 'string') return users;
  installUsers(engine, users);
  return null;
}

/**
 * ACLSaveToFile: every user written to `<aclfile>.tmp-<pid>-<ms>`, then renamed over the file (no
 * fsync, as in Redis). Returns false when that failed; the reason is in the server log.
 */
export function saveAclFile(engine: Engine): boolean {
  const p = persistenceOf(engine);
  const disk = p.disk;
  const path = aclPath(engine);
  const text = describeUsers(engine)
    .map((l) => `${l}\n`)
    .join('');
  // (the time is cast to a C int, as Redis formats it)
  const tmp = `${path}.tmp-${p.pid}-${Math.floor(engine.clock.now()) | 0}`;
  const warn = (line: string) => {
    p.log('#', line);
    return false;
  };
  const opening = parentError(disk, path);
  if (opening !== null) return warn(ACL_FILE_ERR.saveOpen(opening));
  try {
    disk.write(tmp, toBytes(text));
  } catch (err) {
    if (disk.exists(tmp)) disk.unlink(tmp);
    return warn(ACL_FILE_ERR.saveWrite(strerror(err)));
  }
  // rename(2) of a file over a directory fails with EISDIR.
  let renameError: string | null = disk.isDir(path) ? STRERROR.EISDIR : null;
  if (renameError === null) {
    try {
      disk.rename(tmp, path);
    } catch (err) {
      renameError = strerror(err);
    }
  }
  if (renameError !== null) {
    disk.unlink(tmp);
    return warn(ACL_FILE_ERR.saveRename(renameError));
  }
  return true;
}
