// Scripting commands (src/eval.c): EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT. Scripts are cached
// by SHA-1 and run on the Lua VM (engine/scripting, loaded on demand); their commands go through
// the run context's checks and the ordinary call path, so their writes propagate as their effects
// (wrapped in MULTI/EXEC when there are several) and MONITOR shows them from "lua".

import type { Client } from '../client';
import { ERROR_ALREADY_COUNTED } from '../engine';
import { E, scriptErrors } from '../errors';
import { array, bulk, ONE, OK, type Reply, ZERO } from '../protocol/reply';
import {
  type CachedScript,
  prepareRun,
  RunContext,
  type RunFlags,
  runReply,
  scripting,
  type ScriptingState,
  shebangFlags,
} from '../scripting/context';
import { finishRun, killRun, startRun } from '../scripting/busy';
import { getRuntime } from '../scripting/loader';
import { type RunRequest, type RunResult, SCRIPT_FLAG_EVAL_COMPAT_MODE } from '../scripting/types';
import { sha1hex } from '../scripting/sha1';
import { fail, parseInteger } from './args';
import {
  type ArgSpec,
  type Command,
  type CommandSpec,
  defineCommand,
  integer,
  key,
  type KeySpec,
  str,
  tok,
} from './define';
import { helpSubcommand } from './help';

const EVAL_FLAGS = ['noscript', 'stale', 'skip_monitor', 'may_replicate', 'no_mandatory_keys', 'movablekeys'] as const;
const EVAL_RO_FLAGS = ['readonly', 'noscript', 'stale', 'skip_monitor', 'no_mandatory_keys', 'movablekeys'] as const;
const KEYNUM = { keyNumIdx: 0, firstKey: 1, step: 1 } as const;
export const RW_KEYS_NOTE = 'We cannot tell how the keys will be used so we assume the worst, RW and UPDATE';
export const RO_KEYS_NOTE = 'We cannot tell how the keys will be used so we assume the worst, RO and ACCESS';
export const RW_SPEC: KeySpec = { flags: ['RW', 'ACCESS', 'UPDATE'], begin: { index: 2 }, find: KEYNUM };
export const RO_SPEC: KeySpec = { flags: ['RO', 'ACCESS'], begin: { index: 2 }, find: KEYNUM };

/** script|sha1|function, numkeys, key..., arg... */
export function scriptArgs(first: ArgSpec): ArgSpec[] {
  return [
    first,
    integer('numkeys'),
    key('key', { optional: true, multiple: true }),
    str('arg', { optional: true, multiple: true }),
  ];
}

/** numkeys as evalGenericCommand checks it (fcall has its own wording for a bad number). */
export function parseNumkeys(argv: string[], badNumber: string = E.NOT_INTEGER): number {
  const n = Number(parseInteger(argv[2], badNumber));
  if (n > argv.length - 3) fail(E.NUMKEYS_GT_ARGS);
  if (n < 0) fail(E.NUMKEYS_NEGATIVE);
  return n;
}

/** luaCreateFunction: the cached script for a body, compiling it on first sight. */
function createScript(st: ScriptingState, body: string, sha: string): CachedScript {
  const cached = st.scripts.get(sha);
  if (cached !== undefined) return cached;
  const shebang = shebangFlags(body);
  if (typeof shebang === 'string') fail(shebang);
  // The shebang line is skipped but its newline kept, so line numbers stay the user's.
  const msg = st.eval().compile(sha, body.slice(shebang.length));
  if (msg !== null) fail(scriptErrors.compile(msg).replace(/[\r\n]/g, ' '));
  const script = { body, flags: shebang.flags };
  st.scripts.set(sha, script);
  return script;
}

/** evalGenericCommand */
function evalGeneric(c: Client, argv: string[], evalsha: boolean, ro: boolean): Reply {
  const engine = c.engine;
  // Fed here so that the script's commands appear after it (EVAL is flagged skip_monitor).
  if (engine.monitors.size > 0) engine.feedMonitors(c, argv);
  if (evalsha && argv[1].length !== 40) fail(E.NOSCRIPT);
  const numkeys = parseNumkeys(argv);
  const st = scripting(engine);
  let sha: string;
  let script: CachedScript;
  if (evalsha) {
    sha = argv[1].toLowerCase();
    const found = st.scripts.get(sha);
    if (found === undefined) return fail(E.NOSCRIPT);
    script = found;
  } else {
    sha = sha1hex(argv[1]);
    getRuntime();
    script = createScript(st, argv[1], sha);
  }
  const flags = prepareRun(c, script.flags, ro);
  if (typeof flags === 'string') fail(flags);
  return runBody(c, argv, numkeys, flags, true, sha, st.eval(), sha);
}

/** A VM that runs a body (EVAL's by SHA, a function by its registry ref) and resumes a suspended run. */
interface BodyVm<R> {
  run(ref: R, req: RunRequest): RunResult | null;
  resume(): RunResult | null;
}

/**
 * evalGenericCommand's and fcallCommandGeneric's shared tail: run the body with KEYS and ARGV from
 * argv, then reply now, or when a run suspended past busy-reply-threshold ends.
 */
export function runBody<R>(
  c: Client,
  argv: string[],
  numkeys: number,
  flags: RunFlags,
  isEval: boolean,
  name: string,
  vm: BodyVm<R>,
  ref: R,
): Reply {
  const engine = c.engine;
  const st = scripting(engine);
  const ctx = new RunContext(engine, c, st.client(), flags);
  const busy = startRun(engine, c, ctx, isEval, argv, name);
  const result = vm.run(ref, {
    keys: argv.slice(3, 3 + numkeys),
    args: argv.slice(3 + numkeys),
    funcname: name,
    host: ctx,
    timeLimitMs: engine.config.getInt('busy-reply-threshold'),
    rand: st.rand,
    busy,
  });
  // scriptResetRun: the script itself is never propagated, only the commands it ran (its effects).
  engine.preventPropagation();
  const cmd = engine.table.lookup(argv[0]) as Command;
  return finishRun(
    engine,
    c,
    cmd,
    result,
    () => vm.resume(),
    (r) => runReply(r, (e) => ERROR_ALREADY_COUNTED.add(e)),
  );
}

/**
 * evalGetCommandFlags: the flags the script declared in its shebang (cached, or read from the body
 * for EVAL), or null when it has none or is unknown: the command's own flags apply then.
 */
function evalScriptFlags(c: Client, argv: readonly string[], evalsha: boolean): number | null {
  if (evalsha && argv[1].length !== 40) return null;
  const cached = scripting(c.engine).scripts.get(evalsha ? argv[1].toLowerCase() : sha1hex(argv[1]));
  let flags: number;
  if (cached !== undefined) flags = cached.flags;
  else {
    if (evalsha) return null;
    const shebang = shebangFlags(argv[1]);
    if (typeof shebang === 'string') return null;
    flags = shebang.flags;
  }
  return (flags & SCRIPT_FLAG_EVAL_COMPAT_MODE) !== 0 ? null : flags;
}

/** EVAL script numkeys [key [key ...]] [arg [arg ...]] */
export const EVAL = defineCommand({
  name: 'EVAL',
  group: 'scripting',
  arity: -3,
  flags: EVAL_FLAGS,
  args: scriptArgs(str('script')),
  summary: 'Execute a Lua script server side',
  complexity: 'Depends on the script that is executed.',
  since: '2.6.0',
  keySpecs: [{ ...RW_SPEC, notes: RW_KEYS_NOTE }],
  scriptFlags: (c, argv) => evalScriptFlags(c, argv, false),
  exec: (c, argv) => evalGeneric(c, argv, false, false),
});

/** EVALSHA sha1 numkeys [key [key ...]] [arg [arg ...]] */
export const EVALSHA = defineCommand({
  name: 'EVALSHA',
  group: 'scripting',
  arity: -3,
  flags: EVAL_FLAGS,
  args: scriptArgs(str('sha1')),
  summary: 'Execute a Lua script server side',
  complexity: 'Depends on the script that is executed.',
  since: '2.6.0',
  keySpecs: [RW_SPEC],
  scriptFlags: (c, argv) => evalScriptFlags(c, argv, true),
  exec: (c, argv) => evalGeneric(c, argv, true, false),
});

/** EVAL_RO script numkeys [key [key ...]] [arg [arg ...]] */
export const EVAL_RO = defineCommand({
  name: 'EVAL_RO',
  group: 'scripting',
  arity: -3,
  flags: EVAL_RO_FLAGS,
  args: scriptArgs(str('script')),
  summary: 'Execute a read-only Lua script server side',
  complexity: 'Depends on the script that is executed.',
  since: '7.0.0',
  keySpecs: [{ ...RO_SPEC, notes: RO_KEYS_NOTE }],
  scriptFlags: (c, argv) => evalScriptFlags(c, argv, false),
  exec: (c, argv) => evalGeneric(c, argv, false, true),
});

/** EVALSHA_RO sha1 numkeys [key [key ...]] [arg [arg ...]] */
export const EVALSHA_RO = defineCommand({
  name: 'EVALSHA_RO',
  group: 'scripting',
  arity: -3,
  flags: EVAL_RO_FLAGS,
  args: scriptArgs(str('sha1')),
  summary: 'Execute a read-only Lua script server side',
  complexity: 'Depends on the script that is executed.',
  since: '7.0.0',
  keySpecs: [RO_SPEC],
  scriptFlags: (c, argv) => evalScriptFlags(c, argv, true),
  exec: (c, argv) => evalGeneric(c, argv, true, true),
});

const SCRIPT_HELP = [
  'DEBUG (YES|SYNC|NO)',
  '    Set the debug mode for subsequent scripts executed.',
  'EXISTS <sha1> [<sha1> ...]',
  '    Return information about the existence of the scripts in the script cache.',
  'FLUSH [ASYNC|SYNC]',
  '    Flush the Lua scripts cache. Very dangerous on replicas.',
  '    When called without the optional mode argument, the behavior is determined by the',
  '    lazyfree-lazy-user-flush configuration directive. Valid modes are:',
  '    * ASYNC: Asynchronously flush the scripts cache.',
  '    * SYNC: Synchronously flush the scripts cache.',
  'KILL',
  '    Kill the currently executing Lua script.',
  'LOAD <script>',
  '    Load a script into the scripts cache without executing it.',
];

const SCRIPT_SUBCOMMANDS: CommandSpec[] = [
  defineCommand({
    name: 'DEBUG',
    group: 'scripting',
    arity: 3,
    flags: ['noscript'],
    args: [
      {
        name: 'mode',
        type: 'oneof',
        args: [tok('YES'), tok('SYNC'), tok('NO')].map((a) => ({ ...a, optional: false })),
      },
    ],
    summary: 'Set the debug mode for executed scripts.',
    complexity: 'O(1)',
    since: '3.2.0',
    /** SCRIPT DEBUG YES|SYNC|NO */
    exec(_c, argv): Reply {
      const mode = argv[2].toLowerCase();
      if (mode === 'no') return OK;
      if (mode === 'yes' || mode === 'sync') return fail(E.LAB_SCRIPT_DEBUG);
      return fail(E.SCRIPT_DEBUG_OPTION);
    },
  }),
  defineCommand({
    name: 'EXISTS',
    group: 'scripting',
    arity: -3,
    flags: ['noscript'],
    args: [str('sha1', { multiple: true })],
    summary: 'Check existence of scripts in the script cache.',
    complexity: 'O(N) with N being the number of scripts to check (so checking a single script is an O(1) operation).',
    since: '2.6.0',
    tips: ['request_policy:all_shards', 'response_policy:agg_logical_and'],
    /** SCRIPT EXISTS sha1 [sha1 ...] */
    exec(c, argv): Reply {
      const scripts = scripting(c.engine).scripts;
      return array(argv.slice(2).map((sha) => (scripts.has(sha.toLowerCase()) ? ONE : ZERO)));
    },
  }),
  defineCommand({
    name: 'FLUSH',
    group: 'scripting',
    arity: -2,
    flags: ['noscript'],
    args: [
      {
        name: 'async',
        type: 'oneof',
        optional: true,
        since: '6.2.0',
        args: [
          { name: 'async', type: 'pure-token', token: 'ASYNC' },
          { name: 'sync', type: 'pure-token', token: 'SYNC' },
        ],
      },
    ],
    summary: 'Remove all the scripts from the script cache.',
    complexity: 'O(N) with N being the number of scripts in cache',
    since: '2.6.0',
    history: [['6.2.0', 'Added the `ASYNC` and `SYNC` flushing mode modifiers.']],
    tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'],
    /** SCRIPT FLUSH [ASYNC|SYNC] */
    exec(c, argv): Reply {
      const mode = argv[2]?.toLowerCase();
      if (argv.length > 3 || (argv.length === 3 && mode !== 'sync' && mode !== 'async')) fail(E.SCRIPT_FLUSH_OPTION);
      scripting(c.engine).resetEval();
      return OK;
    },
  }),
  helpSubcommand('SCRIPT', { group: 'scripting', since: '5.0.0', lines: SCRIPT_HELP }),
  defineCommand({
    name: 'KILL',
    group: 'scripting',
    arity: 2,
    flags: ['noscript', 'allow_busy'],
    summary: 'Kill the script currently in execution.',
    complexity: 'O(1)',
    since: '2.6.0',
    tips: ['request_policy:all_shards', 'response_policy:one_succeeded'],
    /** SCRIPT KILL: stops an EVAL script suspended past busy-reply-threshold that wrote nothing. */
    exec: (c) => killRun(c.engine, true),
  }),
  defineCommand({
    name: 'LOAD',
    group: 'scripting',
    arity: 3,
    flags: ['noscript', 'stale'],
    args: [str('script')],
    summary: 'Load the specified Lua script into the script cache.',
    complexity: 'O(N) with N being the length in bytes of the script body.',
    since: '2.6.0',
    tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'],
    /** SCRIPT LOAD script */
    exec(c, argv): Reply {
      const sha = sha1hex(argv[2]);
      getRuntime();
      createScript(scripting(c.engine), argv[2], sha);
      return bulk(sha);
    },
  }),
];

/** SCRIPT <subcommand> */
export const SCRIPT = defineCommand({
  name: 'SCRIPT',
  group: 'scripting',
  arity: -2,
  flags: [],
  summary: 'A container for Lua scripts management commands',
  complexity: 'Depends on subcommand.',
  since: '2.6.0',
  subcommands: SCRIPT_SUBCOMMANDS,
});

export const SCRIPTING_COMMANDS: readonly CommandSpec[] = [EVAL, EVALSHA, EVAL_RO, EVALSHA_RO, SCRIPT];
