// addReplyHelp (src/networking.c): the "<CMD> <subcommand> [<arg> [value] [opt] ...]. Subcommands
// are:" header, the command's own lines, then the standard HELP footer, each a status reply. Also the
// one declaration of the `<CONTAINER> HELP` subcommand that src/commands/*-help.json repeats.

import { type Reply, array, status } from '../protocol/reply';
import { type CommandFlag, type CommandSpec, type Handler, defineCommand } from './define';

export function helpReply(command: string, lines: readonly string[]): Reply {
  const out: Reply[] = [status(`${command.toUpperCase()} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`)];
  for (const l of lines) out.push(status(l));
  out.push(status('HELP'), status('    Prints this help.'));
  return array(out);
}

/** What a container's HELP declares beyond the shared fields; the exceptions are kept as Redis has them. */
export type HelpSubcommandOptions = Pick<CommandSpec, 'group' | 'since'> & {
  /** LATENCY HELP's summary ends with a '.'. */
  readonly summary?: string;
  readonly flags?: readonly CommandFlag[];
  /** COMMAND HELP is in @connection like the rest of COMMAND. */
  readonly acl?: readonly string[];
} & (
    | { /** The container's own lines, between the header and the HELP footer. */ readonly lines: readonly string[] }
    | { /** CLUSTER HELP: a handler other than the help text (cluster support is off). */ readonly exec: Handler }
  );

/** `<container> HELP`: arity 2, O(1), loading+stale, answering helpReply(container, lines). */
export function helpSubcommand(container: string, opts: HelpSubcommandOptions): CommandSpec {
  let exec: Handler;
  if ('exec' in opts) exec = opts.exec;
  else {
    const lines = opts.lines;
    exec = () => helpReply(container, lines);
  }
  return defineCommand({
    name: 'HELP',
    group: opts.group,
    arity: 2,
    flags: opts.flags ?? ['loading', 'stale'],
    summary: opts.summary ?? 'Show helpful text about the different subcommands',
    complexity: 'O(1)',
    since: opts.since,
    ...(opts.acl === undefined ? {} : { acl: opts.acl }),
    exec,
  });
}
