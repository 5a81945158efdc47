// MODULE (src/module.c moduleCommand) on a server that can load no modules: LIST is empty, LOAD and
// LOADEX fail as a missing library does, UNLOAD finds no such module. LOAD/LOADEX/UNLOAD are
// protected: refused unless enable-module-command allows them (as DEBUG is by enable-debug-command).

import type { Client } from '../client';
import { E } from '../errors';
import { type Reply, EMPTY_ARRAY } from '../protocol/reply';
import { fail } from './args';
import { type CommandSpec, defineCommand } from './define';
import { helpSubcommand } from './help';
import { allowProtectedAction } from './server-config';

/** processCommand's CMD_PROTECTED check for moduleCommand. */
function checkAllowed(c: Client): void {
  if (!allowProtectedAction(c, c.engine.config.get('enable-module-command'))) fail(E.MODULE_NOT_ALLOWED);
}

const SUBCOMMANDS: CommandSpec[] = [
  helpSubcommand('MODULE', {
    group: 'server',
    since: '5.0.0',
    lines: [
      'LIST',
      '    Return a list of loaded modules.',
      'LOAD <path> [<arg> ...]',
      '    Load a module library from <path>, passing to it any optional arguments.',
      'LOADEX <path> [[CONFIG NAME VALUE] [CONFIG NAME VALUE]] [ARGS ...]',
      '    Load a module library from <path>, while passing it module configurations and optional arguments.',
      'UNLOAD <name>',
      '    Unload a module.',
    ],
  }),
  defineCommand({
    name: 'LIST',
    group: 'server',
    arity: 2,
    flags: ['admin', 'noscript'],
    summary: 'List all modules loaded by the server',
    complexity: 'O(N) where N is the number of loaded modules.',
    since: '4.0.0',
    tips: ['nondeterministic_output_order'],
    /** MODULE LIST */
    exec: (): Reply => EMPTY_ARRAY,
  }),
  defineCommand({
    name: 'LOAD',
    group: 'server',
    arity: -3,
    flags: ['admin', 'noscript', 'no_async_loading', 'protected'],
    summary: 'Load a module',
    complexity: 'O(1)',
    since: '4.0.0',
    args: [
      { name: 'path', type: 'string' },
      { name: 'arg', type: 'string', optional: true, multiple: true },
    ],
    /** MODULE LOAD path [arg ...] */
    exec(c): Reply {
      checkAllowed(c);
      // LAB: the lab runs no native code, so every library fails to load as a missing file does.
      return fail(E.MODULE_LOAD_FAILED);
    },
  }),
  defineCommand({
    name: 'LOADEX',
    group: 'server',
    arity: -3,
    flags: ['admin', 'noscript', 'no_async_loading', 'protected'],
    summary: 'Load a module with extended parameters',
    complexity: 'O(1)',
    since: '7.0.0',
    args: [
      { name: 'path', type: 'string' },
      {
        name: 'configs',
        type: 'block',
        token: 'CONFIG',
        optional: true,
        multiple: true,
        multipleToken: true,
        args: [
          { name: 'name', type: 'string' },
          { name: 'value', type: 'string' },
        ],
      },
      {
        name: 'args',
        type: 'block',
        token: 'ARGS',
        optional: true,
        multiple: true,
        args: [{ name: 'arg', type: 'string' }],
      },
    ],
    /** MODULE LOADEX path [CONFIG name value ...] [ARGS arg ...] (a malformed list fails the same way) */
    exec(c): Reply {
      checkAllowed(c);
      return fail(E.MODULE_LOAD_FAILED);
    },
  }),
  defineCommand({
    name: 'UNLOAD',
    group: 'server',
    arity: 3,
    flags: ['admin', 'noscript', 'no_async_loading', 'protected'],
    summary: 'Unload a module',
    complexity: 'O(1)',
    since: '4.0.0',
    args: [{ name: 'name', type: 'string' }],
    /** MODULE UNLOAD name */
    exec(c): Reply {
      checkAllowed(c);
      return fail(E.MODULE_UNLOAD_NO_SUCH);
    },
  }),
];

export const MODULE = defineCommand({
  name: 'MODULE',
  group: 'server',
  arity: -2,
  flags: [],
  summary: 'A container for module commands',
  complexity: 'Depends on subcommand.',
  since: '4.0.0',
  subcommands: SUBCOMMANDS,
});
