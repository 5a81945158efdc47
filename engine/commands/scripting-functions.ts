// Redis 7.0 functions (src/functions.c): FCALL, FCALL_RO and FUNCTION (LOAD, DELETE, LIST, FLUSH,
// DUMP, RESTORE, STATS, KILL, HELP). Libraries are "#!lua name=mylib" code that registers its
// functions with redis.register_function; they are data, so loading one is a write (dirty++,
// propagated as the FUNCTION command itself), unlike EVAL's script cache.

import type { Client } from '../client';
import { E, scriptErrors, subcommandSyntaxError } from '../errors';
import { array, bulk, int, map, NIL, OK, type Reply, status } from '../protocol/reply';
import { prepareRun, scripting } from '../scripting/context';
import {
  createLibrary,
  dumpLibraries,
  freeLibrary,
  joinLibraries,
  LibraryContext,
  LOAD_TIMEOUT_MS,
  restoreLibraries,
} from '../scripting/functions';
import { currentRun, killRun } from '../scripting/busy';
import { getRuntime } from '../scripting/loader';
import { SCRIPT_FLAG_NAMES } from '../scripting/types';
import { globMatch } from '../util/glob';
import { fail } from './args';
import { type CommandSpec, defineCommand, str, tok } from './define';
import { helpSubcommand } from './help';
import { parseNumkeys, RO_KEYS_NOTE, RO_SPEC, RW_KEYS_NOTE, RW_SPEC, runBody, scriptArgs } from './scripting';

const setOf = (v: readonly Reply[]): Reply => ({ t: 'set', v });

/** fcallCommandGeneric */
function fcallGeneric(c: Client, argv: string[], ro: boolean): Reply {
  const engine = c.engine;
  // Functions are fed to monitors before the commands they execute (FCALL is skip_monitor).
  if (engine.monitors.size > 0) engine.feedMonitors(c, argv);
  const st = scripting(engine);
  const fn = st.lib.functions.get(argv[1].toLowerCase());
  if (fn === undefined) return fail(E.FUNCTION_NOT_FOUND);
  const numkeys = parseNumkeys(argv, E.FUNCTION_BAD_NUMKEYS);
  const flags = prepareRun(c, fn.flags, ro);
  if (typeof flags === 'string') fail(flags);
  return runBody(c, argv, numkeys, flags, false, fn.name, st.functionVm(), fn.ref);
}

/** FCALL function numkeys [key [key ...]] [arg [arg ...]] */
export const FCALL = defineCommand({
  name: 'FCALL',
  group: 'scripting',
  arity: -3,
  flags: ['noscript', 'stale', 'skip_monitor', 'may_replicate', 'no_mandatory_keys', 'movablekeys'],
  args: scriptArgs(str('function')),
  summary: 'Invoke a function',
  complexity: 'Depends on the function that is executed.',
  since: '7.0.0',
  keySpecs: [{ ...RW_SPEC, notes: RW_KEYS_NOTE }],
  scriptFlags: (c, argv) => scripting(c.engine).lib.functions.get(argv[1].toLowerCase())?.flags ?? null,
  exec: (c, argv) => fcallGeneric(c, argv, false),
});

/** FCALL_RO function numkeys [key [key ...]] [arg [arg ...]] */
export const FCALL_RO = defineCommand({
  name: 'FCALL_RO',
  group: 'scripting',
  arity: -3,
  flags: ['readonly', 'noscript', 'stale', 'skip_monitor', 'no_mandatory_keys', 'movablekeys'],
  args: scriptArgs(str('function')),
  summary: 'Invoke a read-only function',
  complexity: 'Depends on the function that is executed.',
  since: '7.0.0',
  keySpecs: [{ ...RO_SPEC, notes: RO_KEYS_NOTE }],
  scriptFlags: (c, argv) => scripting(c.engine).lib.functions.get(argv[1].toLowerCase())?.flags ?? null,
  exec: (c, argv) => fcallGeneric(c, argv, true),
});

const SHARDS_ALL = ['request_policy:all_shards', 'response_policy:all_succeeded'];

/** FUNCTION FLUSH [ASYNC|SYNC] and RESTORE ... FLUSH: drop every library. */
function flushLibraries(c: Client, replacement: LibraryContext): void {
  const st = scripting(c.engine);
  for (const lib of st.lib.libraries.values()) freeLibrary(st, lib);
  st.lib = replacement;
}

const FUNCTION_HELP = [
  'LOAD [REPLACE] <FUNCTION CODE>',
  '    Create a new library with the given library name and code.',
  'DELETE <LIBRARY NAME>',
  '    Delete the given library.',
  'LIST [LIBRARYNAME PATTERN] [WITHCODE]',
  '    Return general information on all the libraries:',
  '    * Library name',
  '    * The engine used to run the Library',
  '    * Library description',
  '    * Functions list',
  '    * Library code (if WITHCODE is given)',
  '    It also possible to get only function that matches a pattern using LIBRARYNAME argument.',
  'STATS',
  '    Return information about the current function running:',
  '    * Function name',
  '    * Command used to run the function',
  '    * Duration in MS that the function is running',
  '    If no function is running, return nil',
  '    In addition, returns a list of available engines.',
  'KILL',
  '    Kill the current running function.',
  'FLUSH [ASYNC|SYNC]',
  '    Delete all the libraries.',
  '    When called without the optional mode argument, the behavior is determined by the',
  '    lazyfree-lazy-user-flush configuration directive. Valid modes are:',
  '    * ASYNC: Asynchronously flush the libraries.',
  '    * SYNC: Synchronously flush the libraries.',
  'DUMP',
  '    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command',
  'RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]',
  '    Restore the libraries represented by the given payload, it is possible to give a restore policy to',
  '    control how to handle existing libraries (default APPEND):',
  '    * FLUSH: delete all existing libraries.',
  '    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.',
  '    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old',
  '      libraries with the new libraries (notice that even on this option there is a chance of failure',
  '      in case of functions name collision with another library).',
];

const FUNCTION_SUBCOMMANDS: CommandSpec[] = [
  defineCommand({
    name: 'DELETE',
    group: 'scripting',
    arity: 3,
    flags: ['write', 'noscript'],
    args: [str('library-name')],
    summary: 'Delete a function by name',
    complexity: 'O(1)',
    since: '7.0.0',
    tips: SHARDS_ALL,
    /** FUNCTION DELETE library-name */
    exec(c, argv): Reply {
      const st = scripting(c.engine);
      const lib = st.lib.libraries.get(argv[2]);
      if (lib === undefined) return fail(E.LIBRARY_NOT_FOUND);
      st.lib.unlink(lib);
      freeLibrary(st, lib);
      c.engine.dirty++;
      return OK;
    },
  }),
  defineCommand({
    name: 'DUMP',
    group: 'scripting',
    arity: 2,
    flags: ['noscript'],
    summary: 'Dump all functions into a serialized binary payload',
    complexity: 'O(N) where N is the number of functions',
    since: '7.0.0',
    /** FUNCTION DUMP */
    exec: (c) => bulk(dumpLibraries(scripting(c.engine).lib, c.engine.config.getBool('rdbcompression'))),
  }),
  defineCommand({
    name: 'FLUSH',
    group: 'scripting',
    arity: -2,
    flags: ['write', 'noscript'],
    args: [
      {
        name: 'async',
        type: 'oneof',
        optional: true,
        args: [
          { name: 'async', type: 'pure-token', token: 'ASYNC' },
          { name: 'sync', type: 'pure-token', token: 'SYNC' },
        ],
      },
    ],
    summary: 'Deleting all functions',
    complexity: 'O(N) where N is the number of functions deleted',
    since: '7.0.0',
    tips: SHARDS_ALL,
    /** FUNCTION FLUSH [ASYNC|SYNC] */
    exec(c, argv): Reply {
      if (argv.length > 3) return fail(subcommandSyntaxError(argv[1], argv[0]));
      const mode = argv[2]?.toLowerCase();
      if (argv.length === 3 && mode !== 'sync' && mode !== 'async') fail(E.FUNCTION_FLUSH_OPTION);
      flushLibraries(c, new LibraryContext());
      c.engine.dirty++;
      return OK;
    },
  }),
  helpSubcommand('FUNCTION', { group: 'scripting', since: '7.0.0', lines: FUNCTION_HELP }),
  defineCommand({
    name: 'KILL',
    group: 'scripting',
    arity: 2,
    flags: ['noscript', 'allow_busy'],
    summary: 'Kill the function currently in execution.',
    complexity: 'O(1)',
    since: '7.0.0',
    tips: ['request_policy:all_shards', 'response_policy:one_succeeded'],
    /** FUNCTION KILL: stops a function suspended past busy-reply-threshold that wrote nothing. */
    exec: (c) => killRun(c.engine, false),
  }),
  defineCommand({
    name: 'LIST',
    group: 'scripting',
    arity: -2,
    flags: ['noscript'],
    args: [{ ...str('library-name-pattern'), token: 'LIBRARYNAME', optional: true }, tok('WITHCODE')],
    summary: 'List information about all the functions',
    complexity: 'O(N) where N is the number of functions',
    since: '7.0.0',
    tips: ['nondeterministic_output_order'],
    /** FUNCTION LIST [LIBRARYNAME library-name-pattern] [WITHCODE] */
    exec(c, argv): Reply {
      let withCode = false;
      let pattern: string | null = null;
      for (let i = 2; i < argv.length; i++) {
        const arg = argv[i].toLowerCase();
        if (!withCode && arg === 'withcode') {
          withCode = true;
          continue;
        }
        if (pattern === null && arg === 'libraryname') {
          if (i >= argv.length - 1) fail(E.FUNCTION_LIST_NO_LIBNAME);
          pattern = argv[++i];
          continue;
        }
        fail(scriptErrors.listArgument(argv[i]));
      }
      const out: Reply[] = [];
      for (const lib of scripting(c.engine).lib.libraries.values()) {
        if (pattern !== null && !globMatch(pattern, lib.name, true)) continue;
        const fns = [...lib.functions.values()].map((f) =>
          map([
            [bulk('name'), bulk(f.name)],
            [bulk('description'), f.desc === null ? NIL : bulk(f.desc)],
            [bulk('flags'), setOf(SCRIPT_FLAG_NAMES.filter(([bit]) => f.flags & bit).map(([, n]) => status(n)))],
          ]),
        );
        const fields: [Reply, Reply][] = [
          [bulk('library_name'), bulk(lib.name)],
          [bulk('engine'), bulk(lib.engine)],
          [bulk('functions'), array(fns)],
        ];
        if (withCode) fields.push([bulk('library_code'), bulk(lib.code)]);
        out.push(map(fields));
      }
      return array(out);
    },
  }),
  defineCommand({
    name: 'LOAD',
    group: 'scripting',
    arity: -3,
    flags: ['write', 'denyoom', 'noscript'],
    args: [tok('REPLACE'), str('function-code')],
    summary: 'Create a function with the given arguments (name, code, description)',
    complexity: 'O(1) (considering compilation time is redundant)',
    since: '7.0.0',
    tips: SHARDS_ALL,
    /** FUNCTION LOAD [REPLACE] function-code */
    exec(c, argv): Reply {
      let replace = false;
      let pos = 2;
      while (pos < argv.length - 1) {
        const opt = argv[pos++];
        if (opt.toLowerCase() === 'replace') {
          replace = true;
          continue;
        }
        fail(scriptErrors.loadOption(opt));
      }
      if (pos >= argv.length) fail(E.FUNCTION_CODE_MISSING);
      getRuntime();
      const st = scripting(c.engine);
      const name = createLibrary(st, st.lib, argv[pos], replace, LOAD_TIMEOUT_MS);
      c.engine.dirty++;
      return bulk(name);
    },
  }),
  defineCommand({
    name: 'RESTORE',
    group: 'scripting',
    arity: -3,
    flags: ['write', 'denyoom', 'noscript'],
    args: [
      str('serialized-value'),
      {
        name: 'policy',
        type: 'oneof',
        optional: true,
        args: [
          { name: 'flush', type: 'pure-token', token: 'FLUSH' },
          { name: 'append', type: 'pure-token', token: 'APPEND' },
          { name: 'replace', type: 'pure-token', token: 'REPLACE' },
        ],
      },
    ],
    summary: 'Restore all the functions on the given payload',
    complexity: 'O(N) where N is the number of functions on the payload',
    since: '7.0.0',
    tips: SHARDS_ALL,
    /** FUNCTION RESTORE serialized-value [FLUSH|APPEND|REPLACE] */
    exec(c, argv): Reply {
      if (argv.length > 4) return fail(subcommandSyntaxError(argv[1], argv[0]));
      const policy = argv.length === 4 ? argv[3].toLowerCase() : 'append';
      if (policy !== 'append' && policy !== 'replace' && policy !== 'flush') fail(E.FUNCTION_RESTORE_POLICY);
      getRuntime();
      const st = scripting(c.engine);
      const restored = restoreLibraries(st, argv[2]);
      if (policy === 'flush') flushLibraries(c, restored);
      else {
        try {
          joinLibraries(st, st.lib, restored, policy === 'replace');
        } catch (err) {
          for (const lib of restored.libraries.values()) freeLibrary(st, lib);
          throw err;
        }
      }
      c.engine.dirty++;
      return OK;
    },
  }),
  defineCommand({
    name: 'STATS',
    group: 'scripting',
    arity: 2,
    flags: ['noscript', 'allow_busy'],
    summary: 'Return information about the function currently running (name, description, duration)',
    complexity: 'O(1)',
    since: '7.0.0',
    tips: ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'],
    /** FUNCTION STATS */
    exec(c): Reply {
      const lib = scripting(c.engine).lib;
      const run = currentRun(c.engine);
      if (run?.isEval) return fail(E.BUSY_EVAL);
      const running: Reply =
        run === undefined
          ? NIL
          : map([
              [bulk('name'), bulk(run.name)],
              [bulk('command'), array(run.argv.map((a) => bulk(a)))],
              [bulk('duration_ms'), int(Math.floor(globalThis.performance.now() - run.started))],
            ]);
      return map([
        [bulk('running_script'), running],
        [
          bulk('engines'),
          map([
            [
              bulk('LUA'),
              map([
                [bulk('libraries_count'), int(lib.libraries.size)],
                [bulk('functions_count'), int(lib.functionCount())],
              ]),
            ],
          ]),
        ],
      ]);
    },
  }),
];

/** FUNCTION <subcommand> */
export const FUNCTION = defineCommand({
  name: 'FUNCTION',
  group: 'scripting',
  arity: -2,
  flags: [],
  summary: 'A container for function commands',
  complexity: 'Depends on subcommand.',
  since: '7.0.0',
  subcommands: FUNCTION_SUBCOMMANDS,
});

export const FUNCTION_COMMANDS: readonly CommandSpec[] = [FCALL, FCALL_RO, FUNCTION];
