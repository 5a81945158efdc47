// ACL (src/acl.c aclCommand): SETUSER, GETUSER, DELUSER, USERS, LIST, WHOAMI, CAT, GENPASS, DRYRUN,
// LOG, LOAD, SAVE, HELP over the engine's users (engine/acl). Replies in 7.0.15's shapes; LOAD and
// SAVE read and write the `aclfile` (engine/acl/aclfile.ts).

import { DENIED_AUTH, DENIED_CHANNEL, DENIED_CMD, DENIED_KEY } from '../acl/acl';
import { describeUsers, loadAclFile, saveAclFile } from '../acl/aclfile';
import { describeCommandRules, hasSpaces, keyPatternString, setUser } from '../acl/rules';
import { categoryBit, type Selector } from '../acl/user';
import type { Client } from '../client';
import {
  ACL_ERR,
  ACL_FILE_ERR,
  aclDryrunDenied,
  aclLoadError,
  aclDryrunNotFound,
  aclUnknownCategory,
  E,
  subcommandSyntaxError,
  wrongArity,
} from '../errors';
import { type Reply, array, bulk, double, int, map, NIL, OK } from '../protocol/reply';
import { fail, isToken, parseLongLong } from './args';
import { ACL_ORDER } from './command-docs';
import { arityMatches, type CommandFlag, type CommandSpec, defineCommand } from './define';
import { helpSubcommand } from './help';

const ADMIN: readonly CommandFlag[] = ['admin', 'noscript', 'loading', 'stale'];
const PLAIN: readonly CommandFlag[] = ['noscript', 'loading', 'stale'];
const setOf = (v: readonly Reply[]): Reply => ({ t: 'set', v });

/** The keys/channels/commands fields of one selector (aclAddReplySelectorDescription). */
function selectorFields(c: Client, s: Selector): [Reply, Reply][] {
  const keys = s.allKeys ? '~*' : s.keys.map(keyPatternString).join(' ');
  const channels = s.allChannels ? '&*' : s.channels.map((ch) => `&${ch}`).join(' ');
  return [
    [bulk('commands'), bulk(describeCommandRules(c.engine.acl.catalog(), s))],
    [bulk('keys'), bulk(keys)],
    [bulk('channels'), bulk(channels)],
  ];
}

const HELP = [
  'CAT [<category>]',
  '    List all commands that belong to <category>, or all command categories',
  '    when no category is specified.',
  'DELUSER <username> [<username> ...]',
  '    Delete a list of users.',
  'DRYRUN <username> <command> [<arg> ...]',
  '    Returns whether the user can execute the given command without executing the command.',
  'GETUSER <username>',
  "    Get the user's details.",
  'GENPASS [<bits>]',
  '    Generate a secure 256-bit user password. The optional `bits` argument can',
  '    be used to specify a different size.',
  'LIST',
  '    Show users details in config file format.',
  'LOAD',
  '    Reload users from the ACL file.',
  'LOG [<count> | RESET]',
  '    Show the ACL log entries.',
  'SAVE',
  '    Save the current config to the ACL file.',
  'SETUSER <username> <attribute> [<attribute> ...]',
  '    Create or modify a user with the specified attributes.',
  'USERS',
  '    List all the registered usernames.',
  'WHOAMI',
  '    Return the current connection username.',
];

const REASONS: Record<number, string> = {
  [DENIED_CMD]: 'command',
  [DENIED_KEY]: 'key',
  [DENIED_CHANNEL]: 'channel',
  [DENIED_AUTH]: 'auth',
};

const SUBCOMMANDS: CommandSpec[] = [
  /** ACL CAT [category] */
  defineCommand({
    name: 'CAT',
    group: 'server',
    arity: -2,
    flags: PLAIN,
    summary: 'List the ACL categories or the commands inside a category',
    complexity: 'O(1) since the categories and commands are a fixed set.',
    since: '6.0.0',
    args: [{ name: 'categoryname', type: 'string', optional: true }],
    exec(c, argv): Reply {
      if (argv.length > 3) fail(subcommandSyntaxError(argv[1], argv[0]));
      if (argv.length === 2) return array(ACL_ORDER.map((name) => bulk(name)));
      const bit = categoryBit(argv[2]);
      if (bit === 0) fail(aclUnknownCategory(argv[2]));
      const catalog = c.engine.acl.catalog();
      // LAB: Redis lists them in its command dict's (random) hash order; here in table order.
      return array(
        catalog.all.filter((cmd) => ((catalog.cats.get(cmd) as number) & bit) !== 0).map((cmd) => bulk(cmd.fullname)),
      );
    },
  }),
  /** ACL DELUSER username [username ...] */
  defineCommand({
    name: 'DELUSER',
    group: 'server',
    arity: -3,
    flags: ADMIN,
    summary: 'Remove the specified ACL users and the associated rules',
    complexity: 'O(1) amortized time considering the typical user.',
    since: '6.0.0',
    args: [{ name: 'username', type: 'string', multiple: true }],
    exec(c, argv): Reply {
      const names = argv.slice(2);
      if (names.includes('default')) fail(ACL_ERR.DELETE_DEFAULT);
      let deleted = 0;
      for (const name of names) if (c.engine.acl.deleteUser(name)) deleted++;
      return int(deleted);
    },
  }),
  /** ACL DRYRUN username command [arg ...] */
  defineCommand({
    name: 'DRYRUN',
    group: 'server',
    arity: -4,
    flags: ADMIN,
    summary: 'Returns whether the user can execute the given command without executing the command.',
    complexity: 'O(1).',
    since: '7.0.0',
    args: [
      { name: 'username', type: 'string' },
      { name: 'command', type: 'string' },
      { name: 'arg', type: 'string', optional: true, multiple: true },
    ],
    exec(c, argv): Reply {
      const acl = c.engine.acl;
      const u = acl.users.get(argv[2]);
      if (u === undefined) fail(aclDryrunNotFound('User', argv[2]));
      const args = argv.slice(3);
      const cmd = c.engine.table.lookupArgv(args);
      if (cmd === undefined) fail(aclDryrunNotFound('Command', args[0]));
      if (!arityMatches(cmd.arity, args.length)) fail(wrongArity(cmd.fullname));
      const { result, pos } = acl.check(u, cmd, args);
      if (result === DENIED_CMD) return bulk(aclDryrunDenied('command', cmd.fullname));
      if (result === DENIED_KEY) return bulk(aclDryrunDenied('key', args[pos]));
      if (result === DENIED_CHANNEL) return bulk(aclDryrunDenied('channel', args[pos]));
      return OK;
    },
  }),
  /** ACL GENPASS [bits] */
  defineCommand({
    name: 'GENPASS',
    group: 'server',
    arity: -2,
    flags: PLAIN,
    summary: 'Generate a pseudorandom secure password to use for ACL users',
    complexity: 'O(1)',
    since: '6.0.0',
    args: [{ name: 'bits', type: 'integer', optional: true }],
    exec(c, argv): Reply {
      if (argv.length > 3) fail(subcommandSyntaxError(argv[1], argv[0]));
      let bits = 256;
      if (argv.length === 3) {
        const n = parseLongLong(argv[2]);
        if (n === null) fail(E.NOT_INTEGER);
        if (n <= 0 || n > 4096) fail(ACL_ERR.GENPASS_BITS);
        bits = Number(n);
      }
      // LAB: from the engine's seeded PRNG, not /dev/urandom.
      let out = '';
      for (let i = Math.floor((bits + 3) / 4); i > 0; i--) out += '0123456789abcdef'[c.engine.random.int(16)];
      return bulk(out);
    },
  }),
  /** ACL GETUSER username */
  defineCommand({
    name: 'GETUSER',
    group: 'server',
    arity: 3,
    flags: ADMIN,
    summary: 'Get the rules for a specific ACL user',
    complexity: 'O(N). Where N is the number of password, command and pattern rules that the user has.',
    since: '6.0.0',
    history: [
      ['6.2.0', 'Added Pub/Sub channel patterns.'],
      [
        '7.0.0',
        'Added selectors and changed the format of key and channel patterns from a list to their rule representation.',
      ],
    ],
    args: [{ name: 'username', type: 'string' }],
    exec(c, argv): Reply {
      const u = c.engine.acl.users.get(argv[2]);
      if (u === undefined) return NIL;
      return map([
        [bulk('flags'), setOf(u.flagNames().map((f) => bulk(f)))],
        [bulk('passwords'), array(u.passwords.map((p) => bulk(p)))],
        ...selectorFields(c, u.root),
        [bulk('selectors'), array(u.selectors.slice(1).map((s) => map(selectorFields(c, s))))],
      ]);
    },
  }),
  /** ACL HELP */
  helpSubcommand('ACL', { group: 'server', since: '6.0.0', lines: HELP }),
  /** ACL LIST */
  defineCommand({
    name: 'LIST',
    group: 'server',
    arity: 2,
    flags: ADMIN,
    summary: 'List the current ACL rules in ACL config file format',
    complexity: 'O(N). Where N is the number of configured users.',
    since: '6.0.0',
    exec: (c) => array(describeUsers(c.engine).map((line) => bulk(line))),
  }),
  /** ACL LOAD */
  defineCommand({
    name: 'LOAD',
    group: 'server',
    arity: 2,
    flags: ADMIN,
    summary: 'Reload the ACLs from the configured ACL file',
    complexity: 'O(N). Where N is the number of configured users.',
    since: '6.0.0',
    exec(c): Reply {
      if (c.engine.config.get('aclfile') === '') fail(ACL_ERR.NO_ACLFILE);
      const errors = loadAclFile(c.engine);
      if (errors !== null) fail(aclLoadError(errors));
      return OK;
    },
  }),
  /** ACL LOG [count|RESET] */
  defineCommand({
    name: 'LOG',
    group: 'server',
    arity: -2,
    flags: ADMIN,
    summary: 'List latest events denied because of ACLs in place',
    complexity: 'O(N) with N being the number of entries shown.',
    since: '6.0.0',
    args: [
      {
        name: 'operation',
        type: 'oneof',
        optional: true,
        args: [
          { name: 'count', type: 'integer' },
          { name: 'reset', type: 'pure-token', token: 'RESET' },
        ],
      },
    ],
    exec(c, argv): Reply {
      if (argv.length > 3) fail(subcommandSyntaxError(argv[1], argv[0]));
      const acl = c.engine.acl;
      let count = 10;
      if (argv.length === 3) {
        if (isToken(argv[2], 'RESET')) {
          acl.log = [];
          return OK;
        }
        const n = parseLongLong(argv[2]);
        if (n === null) fail(E.NOT_INTEGER);
        count = n < 0 ? 0 : Math.min(Number(n), acl.log.length);
      }
      const now = c.engine.clock.now();
      return array(
        acl.log.slice(0, count).map((e) =>
          map([
            [bulk('count'), int(e.count)],
            [bulk('reason'), bulk(REASONS[e.reason] ?? 'unknown')],
            [bulk('context'), bulk(e.context)],
            [bulk('object'), bulk(e.object)],
            [bulk('username'), bulk(e.username)],
            [bulk('age-seconds'), double((now - e.ctime) / 1000)],
            [bulk('client-info'), bulk(e.cinfo)],
          ]),
        ),
      );
    },
  }),
  /** ACL SAVE */
  defineCommand({
    name: 'SAVE',
    group: 'server',
    arity: 2,
    flags: ADMIN,
    summary: 'Save the current ACL rules in the configured ACL file',
    complexity: 'O(N). Where N is the number of configured users.',
    since: '6.0.0',
    exec(c): Reply {
      if (c.engine.config.get('aclfile') === '') fail(ACL_ERR.NO_ACLFILE);
      if (!saveAclFile(c.engine)) fail(ACL_FILE_ERR.SAVE_FAILED);
      return OK;
    },
  }),
  /** ACL SETUSER username [rule ...] */
  defineCommand({
    name: 'SETUSER',
    group: 'server',
    arity: -3,
    flags: ADMIN,
    summary: 'Modify or create the rules for a specific ACL user',
    complexity: 'O(N). Where N is the number of rules provided.',
    since: '6.0.0',
    history: [
      ['6.2.0', 'Added Pub/Sub channel patterns.'],
      ['7.0.0', 'Added selectors and key based permissions.'],
    ],
    args: [
      { name: 'username', type: 'string' },
      { name: 'rule', type: 'string', optional: true, multiple: true },
    ],
    exec(c, argv): Reply {
      const name = argv[2];
      const rules = argv.slice(3);
      // redactClientCommandArgument: MONITOR and SLOWLOG never see the rules (they hold passwords).
      for (let i = 2; i < argv.length; i++) argv[i] = '(redacted)';
      if (hasSpaces(name)) fail(ACL_ERR.USERNAME_SPACES);
      const err = setUser(c.engine, name, rules);
      if (err !== null) fail(err);
      return OK;
    },
  }),
  /** ACL USERS */
  defineCommand({
    name: 'USERS',
    group: 'server',
    arity: 2,
    flags: ADMIN,
    summary: 'List the username of all the configured ACL rules',
    complexity: 'O(N). Where N is the number of configured users.',
    since: '6.0.0',
    exec: (c) => array(c.engine.acl.sortedUsers().map((u) => bulk(u.name))),
  }),
  /** ACL WHOAMI */
  defineCommand({
    name: 'WHOAMI',
    group: 'server',
    arity: 2,
    flags: PLAIN,
    summary: 'Return the name of the user associated to the current connection',
    complexity: 'O(1)',
    since: '6.0.0',
    exec: (c) => bulk(c.user.name),
  }),
];

/** ACL <subcommand> */
export const ACL = defineCommand({
  name: 'ACL',
  group: 'server',
  arity: -2,
  flags: [],
  summary: 'A container for Access List Control commands ',
  complexity: 'Depends on subcommand.',
  since: '6.0.0',
  subcommands: SUBCOMMANDS,
});

export const ACL_COMMANDS: readonly CommandSpec[] = [ACL];
