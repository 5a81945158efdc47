// The users a server starts with (src/acl.c ACLAppendUserForLoading, ACLLoadConfiguredUsers,
// ACLLoadUsersAtStartup): `user <name> rule...` directives of the config file / command line are
// checked while the config is read (a FATAL CONFIG FILE ERROR), then applied at start; or the users
// come from the `aclfile` — never both.

import type { Engine } from '../engine';
import { ACL_CONFIG_ERR, ACL_ERR, ACL_STARTUP, aclConfigRuleError, aclUserDeclarationError } from '../errors';
import { loadAclFile } from './aclfile';
import { applyUserRule, hasSpaces, mergeSelectorArgs } from './rules';
import { User } from './user';

export interface StartupLine {
  level: '#' | '*';
  text: string;
}

/**
 * ACLAppendUserForLoading, for each directive (username first): the rules are tried on a fresh
 * user. Returns the text of the FATAL CONFIG FILE ERROR, or null. Unknown commands are no error
 * yet (a module could add them): they stop the start later.
 */
export function checkConfiguredUsers(engine: Engine, directives: readonly (readonly string[])[]): string | null {
  const acl = engine.acl;
  const catalog = acl.catalog();
  const seen = new Set<string>();
  for (const directive of directives) {
    if (directive.length === 0) return ACL_CONFIG_ERR.BAD_DIRECTIVE;
    const [name, ...rules] = directive;
    // Redis names the failing argument by its index among the merged rules, but reads it from the
    // whole directive ("user", the name, the rules as written): the text shows that argument.
    const argv = ['user', ...directive];
    if (seen.has(name)) return aclUserDeclarationError(name, ACL_CONFIG_ERR.DUPLICATE);
    seen.add(name);
    const merged = mergeSelectorArgs(rules);
    if (!Array.isArray(merged)) {
      // (the reason is errno left over from an earlier call: ENOENT's text on 7.0.15)
      return aclUserDeclarationError(argv[rules.indexOf(merged.unmatched)], ACL_ERR.RULE_UNKNOWN);
    }
    const fake = new User(name, acl.pubsubAll);
    for (let j = 0; j < merged.length; j++) {
      const err = applyUserRule(fake, catalog, merged[j], acl.pubsubAll);
      if (err !== null && err !== ACL_ERR.RULE_UNKNOWN) return aclUserDeclarationError(argv[j], err);
    }
  }
  return null;
}

/**
 * ACLLoadConfiguredUsers: the directives applied in order ("default" is reset first). Returns false
 * when one cannot be (the reason is in `log`).
 */
export function loadConfiguredUsers(
  engine: Engine,
  directives: readonly (readonly string[])[],
  log: StartupLine[],
): boolean {
  const acl = engine.acl;
  const catalog = acl.catalog();
  for (const [name, ...rules] of directives) {
    if (hasSpaces(name)) {
      log.push({ level: '#', text: ACL_CONFIG_ERR.SPACES });
      return false;
    }
    const u = acl.users.get(name) ?? new User(name, acl.pubsubAll);
    if (u === acl.defaultUser) applyUserRule(u, catalog, 'reset', acl.pubsubAll);
    acl.users.set(name, u);
    const merged = mergeSelectorArgs(rules);
    for (const op of Array.isArray(merged) ? merged : []) {
      const err = applyUserRule(u, catalog, op, acl.pubsubAll);
      if (err !== null) {
        log.push({ level: '#', text: aclConfigRuleError(op, name, err) });
        return false;
      }
    }
    u.refresh();
    if (u === acl.defaultUser) acl.defaultChanged();
    if (!u.enabled) log.push({ level: '*', text: ACL_STARTUP.disabled(name) });
  }
  return true;
}

/**
 * ACLLoadUsersAtStartup (after checkConfiguredUsers passed): the configured users, or the ACL file.
 * `log` gets the lines redis-server logs; false means it exits.
 */
export function loadUsersAtStartup(
  engine: Engine,
  directives: readonly (readonly string[])[],
  log: StartupLine[],
): boolean {
  const aclfile = engine.config.get('aclfile');
  if (aclfile !== '' && directives.length > 0) {
    log.push({ level: '#', text: ACL_STARTUP.MIXED });
    return false;
  }
  if (!loadConfiguredUsers(engine, directives, log)) {
    log.push({ level: '#', text: ACL_STARTUP.CRITICAL });
    return false;
  }
  if (aclfile !== '') {
    const errors = loadAclFile(engine);
    if (errors !== null) {
      log.push({ level: '#', text: ACL_STARTUP.aborting(errors) });
      return false;
    }
  }
  return true;
}
