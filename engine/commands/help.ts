// addReplyHelp (src/networking.c): the "<CMD> <subcommand> [<arg> [value] [opt] ...]. Subcommands
// are:" header, the command's own lines, then the standard HELP footer, each a status reply.

import { type Reply, array, status } from '../protocol/reply';

export function helpReply(command: string, lines: readonly string[]): Reply {
  const out: Reply[] = [status(`${command.toUpperCase()} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`)];
  for (const l of lines) out.push(status(l));
  out.push(status('HELP'), status('    Prints this help.'));
  return array(out);
}
