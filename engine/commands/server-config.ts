// CONFIG (src/config.c configCommand): GET with several patterns, SET with several pairs (all or
// nothing), RESETSTAT, REWRITE, HELP. The parameter table and its validation are in engine/config.ts.

import type { Client } from '../client';
import { findParam } from '../config';
import { E } from '../errors';
import { type Reply, bulk, map, OK } from '../protocol/reply';
import { fail } from './args';
import { type CommandSpec, defineCommand } from './define';
import { helpSubcommand } from './help';

const ADMIN_FLAGS = ['admin', 'noscript', 'loading', 'stale'] as const;

/** allowProtectedAction: "yes", or "local" for loopback connections. */
export function allowProtectedAction(c: Client, setting: string): boolean {
  if (setting === 'yes') return true;
  if (setting !== 'local') return false;
  return c.addr.startsWith('127.') || c.addr.startsWith('::1') || c.addr.startsWith('[::1]') || c.fd === -1;
}

const SUBCOMMANDS: CommandSpec[] = [
  defineCommand({
    name: 'GET',
    group: 'server',
    arity: -3,
    flags: ADMIN_FLAGS,
    summary: 'Get the values of configuration parameters',
    complexity: 'O(N) when N is the number of configuration parameters provided',
    since: '2.0.0',
    history: [['7.0.0', 'Added the ability to pass multiple pattern parameters in one call']],
    args: [{ name: 'parameter', type: 'block', multiple: true, args: [{ name: 'parameter', type: 'string' }] }],
    /** CONFIG GET parameter [parameter ...] */
    exec(c, argv): Reply {
      return map(c.engine.config.getMatching(argv.slice(2)).map(([k, v]) => [bulk(k), bulk(v)] as const));
    },
  }),
  helpSubcommand('CONFIG', {
    group: 'server',
    since: '5.0.0',
    lines: [
      'GET <pattern>',
      '    Return parameters matching the glob-like <pattern> and their values.',
      'SET <directive> <value>',
      '    Set the configuration <directive> to <value>.',
      'RESETSTAT',
      '    Reset statistics reported by the INFO command.',
      'REWRITE',
      '    Rewrite the configuration file.',
    ],
  }),
  defineCommand({
    name: 'RESETSTAT',
    group: 'server',
    arity: 2,
    flags: ADMIN_FLAGS,
    summary: 'Reset the stats returned by INFO',
    complexity: 'O(1)',
    since: '2.0.0',
    exec(c): Reply {
      c.engine.stats.reset();
      return OK;
    },
  }),
  defineCommand({
    name: 'REWRITE',
    group: 'server',
    arity: 2,
    flags: ADMIN_FLAGS,
    summary: 'Rewrite the configuration file with the in memory configuration',
    complexity: 'O(1)',
    since: '2.8.0',
    // LAB: the engine never owns a config file (the browser has none; the TCP server reads it once).
    exec: () => fail(E.NO_CONFIG_FILE),
  }),
  defineCommand({
    name: 'SET',
    group: 'server',
    arity: -4,
    flags: ADMIN_FLAGS,
    summary: 'Set configuration parameters to the given values',
    complexity: 'O(N) when N is the number of configuration parameters provided',
    since: '2.0.0',
    tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'],
    history: [['7.0.0', 'Added the ability to set multiple parameters in one call.']],
    args: [
      {
        name: 'parameter_value',
        type: 'block',
        multiple: true,
        args: [
          { name: 'parameter', type: 'string' },
          { name: 'value', type: 'string' },
        ],
      },
    ],
    /** CONFIG SET parameter value [parameter value ...] */
    exec(c, argv): Reply {
      if (argv.length % 2 !== 0) fail(E.SYNTAX);
      const pairs: [string, string][] = [];
      for (let i = 2; i < argv.length; i += 2) pairs.push([argv[i], argv[i + 1]]);
      // Sensitive values (requirepass, masterauth) never reach MONITOR or SLOWLOG, even on error.
      for (let i = 2; i < argv.length; i += 2) if (findParam(argv[i])?.sensitive) argv[i + 1] = '(redacted)';
      const config = c.engine.config;
      const err = config.setMany(pairs, allowProtectedAction(c, config.get('enable-protected-configs')));
      if (err !== null) fail(err);
      return OK;
    },
  }),
];

/** CONFIG <subcommand> */
export const CONFIG = defineCommand({
  name: 'CONFIG',
  group: 'server',
  arity: -2,
  flags: [],
  summary: 'A container for server configuration commands',
  complexity: 'Depends on subcommand.',
  since: '2.0.0',
  subcommands: SUBCOMMANDS,
});
