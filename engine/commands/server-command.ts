// COMMAND (src/server.c commandCommand and its subcommands): the command table described from our
// own declarations — INFO, DOCS, COUNT, LIST [FILTERBY], GETKEYS, GETKEYSANDFLAGS, HELP.

import type { Client } from '../client';
import { E } from '../errors';
import { type Reply, array, bulk, int, map } from '../protocol/reply';
import { globMatch } from '../util/glob';
import { fail } from './args';
import { aclCategories, commandDocsReply, commandInfoReply, keyFlagsReply } from './command-docs';
import { arityMatches, type Command, type CommandSpec, defineCommand } from './define';
import { commandHasKeys, commandKeys } from './getkeys-procs';
import { helpSubcommand } from './help';

const FLAGS = ['loading', 'stale'] as const;
const ACL = ['connection'];
const ORDER_TIP = ['nondeterministic_output_order'];

/** lookupCommandBySds: "get" or "config|get". */
function lookupByName(c: Client, name: string): Command | undefined {
  const parts = name.split('|');
  if (parts.length > 2) return undefined;
  const base = c.engine.table.lookup(parts[0]);
  if (parts.length === 1 || base === undefined) return base;
  return base.subcommands?.get(parts[1].toLowerCase());
}

/** Every command, subcommands after their container (COMMAND LIST's walk). */
function* allCommands(c: Client): Generator<Command> {
  for (const cmd of c.engine.table.commands) {
    yield cmd;
    if (cmd.subcommands) yield* cmd.subcommands.values();
  }
}

/** getKeysSubcommandImpl: COMMAND GETKEYS / GETKEYSANDFLAGS. */
function getKeys(c: Client, argv: string[], withFlags: boolean): Reply {
  const args = argv.slice(2);
  const cmd = c.engine.table.lookupArgv(args);
  if (cmd === undefined) return fail(E.INVALID_COMMAND_SPECIFIED);
  if (!commandHasKeys(cmd)) return fail(E.COMMAND_NO_KEYS);
  if (!arityMatches(cmd.arity, args.length)) return fail(E.INVALID_NUM_ARGS_SPECIFIED);
  const keys = commandKeys(cmd, args);
  if (keys.length === 0) {
    if (cmd.spec.flags.includes('no_mandatory_keys')) return array([]);
    return fail(E.INVALID_ARGS_SPECIFIED);
  }
  return array(
    keys.map((k) => {
      return withFlags ? array([bulk(args[k.pos]), keyFlagsReply(k.flags)]) : bulk(args[k.pos]);
    }),
  );
}

const SUBCOMMANDS: CommandSpec[] = [
  defineCommand({
    name: 'COUNT',
    group: 'server',
    arity: 2,
    flags: FLAGS,
    summary: 'Get total number of Redis commands',
    complexity: 'O(1)',
    since: '2.8.13',
    acl: ACL,
    exec: (c) => int(c.engine.table.commands.length),
  }),
  defineCommand({
    name: 'DOCS',
    group: 'server',
    arity: -2,
    flags: FLAGS,
    summary: 'Get array of specific Redis command documentation',
    complexity: 'O(N) where N is the number of commands to look up',
    since: '7.0.0',
    acl: ACL,
    tips: ORDER_TIP,
    args: [{ name: 'command-name', type: 'string', optional: true, multiple: true }],
    exec(c, argv): Reply {
      const pairs: [Reply, Reply][] = [];
      if (argv.length === 2) {
        for (const cmd of c.engine.table.commands) pairs.push([bulk(cmd.fullname), commandDocsReply(cmd)]);
      } else {
        for (const name of argv.slice(2)) {
          const cmd = lookupByName(c, name);
          if (cmd) pairs.push([bulk(cmd.fullname), commandDocsReply(cmd)]);
        }
      }
      return map(pairs);
    },
  }),
  defineCommand({
    name: 'GETKEYS',
    group: 'server',
    arity: -4,
    flags: FLAGS,
    summary: 'Extract keys given a full Redis command',
    complexity: 'O(N) where N is the number of arguments to the command',
    since: '2.8.13',
    acl: ACL,
    exec: (c, argv) => getKeys(c, argv, false),
  }),
  defineCommand({
    name: 'GETKEYSANDFLAGS',
    group: 'server',
    arity: -4,
    flags: FLAGS,
    summary: 'Extract keys and access flags given a full Redis command',
    complexity: 'O(N) where N is the number of arguments to the command',
    since: '7.0.0',
    acl: ACL,
    exec: (c, argv) => getKeys(c, argv, true),
  }),
  helpSubcommand('COMMAND', {
    group: 'server',
    since: '5.0.0',
    flags: FLAGS,
    acl: ACL,
    lines: [
      '(no subcommand)',
      '    Return details about all Redis commands.',
      'COUNT',
      '    Return the total number of commands in this Redis server.',
      'LIST',
      '    Return a list of all commands in this Redis server.',
      'INFO [<command-name> ...]',
      '    Return details about multiple Redis commands.',
      '    If no command names are given, documentation details for all',
      '    commands are returned.',
      'DOCS [<command-name> ...]',
      '    Return documentation details about multiple Redis commands.',
      '    If no command names are given, documentation details for all',
      '    commands are returned.',
      'GETKEYS <full-command>',
      '    Return the keys from a full Redis command.',
      'GETKEYSANDFLAGS <full-command>',
      '    Return the keys and the access flags from a full Redis command.',
    ],
  }),
  defineCommand({
    name: 'INFO',
    group: 'server',
    arity: -2,
    flags: FLAGS,
    summary: 'Get array of specific Redis command details, or all when no argument is given.',
    complexity: 'O(N) where N is the number of commands to look up',
    since: '2.8.13',
    acl: ACL,
    tips: ORDER_TIP,
    history: [['7.0.0', 'Allowed to be called with no argument to get info on all commands.']],
    args: [{ name: 'command-name', type: 'string', optional: true, multiple: true }],
    exec(c, argv): Reply {
      if (argv.length === 2) return array(c.engine.table.commands.map(commandInfoReply));
      return array(argv.slice(2).map((name) => commandInfoReply(lookupByName(c, name))));
    },
  }),
  defineCommand({
    name: 'LIST',
    group: 'server',
    arity: -2,
    flags: FLAGS,
    summary: 'Get an array of Redis command names',
    complexity: 'O(N) where N is the total number of Redis commands',
    since: '7.0.0',
    acl: ACL,
    tips: ORDER_TIP,
    args: [
      {
        name: 'filterby',
        type: 'oneof',
        token: 'FILTERBY',
        optional: true,
        args: [
          { name: 'module-name', type: 'string', token: 'MODULE' },
          { name: 'category', type: 'string', token: 'ACLCAT' },
          { name: 'pattern', type: 'pattern', token: 'PATTERN' },
        ],
      },
    ],
    exec(c, argv): Reply {
      let filter: ((cmd: Command) => boolean) | null = null;
      for (let i = 2; i < argv.length; i += 3) {
        if (argv[i].toLowerCase() !== 'filterby' || argv.length - 1 - i !== 2) return fail(E.SYNTAX);
        const type = argv[i + 1].toLowerCase();
        const arg = argv[i + 2];
        if (type === 'module') filter = () => false;
        else if (type === 'aclcat') filter = (cmd) => aclCategories(cmd.spec).includes(arg.toLowerCase());
        else if (type === 'pattern') filter = (cmd) => globMatch(arg, cmd.fullname, true);
        else return fail(E.SYNTAX);
      }
      const names: Reply[] = [];
      for (const cmd of allCommands(c)) if (filter === null || filter(cmd)) names.push(bulk(cmd.fullname));
      return array(names);
    },
  }),
];

/** COMMAND [subcommand] — alone: every command's COMMAND INFO. */
export const COMMAND = defineCommand({
  name: 'COMMAND',
  group: 'server',
  arity: -1,
  flags: FLAGS,
  summary: 'Get array of Redis command details',
  complexity: 'O(N) where N is the total number of Redis commands',
  since: '2.8.13',
  acl: ACL,
  tips: ORDER_TIP,
  subcommands: SUBCOMMANDS,
  exec: (c) => array(c.engine.table.commands.map(commandInfoReply)),
});
