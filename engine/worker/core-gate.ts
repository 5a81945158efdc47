// Which page messages the worker's first chunk (the core command groups, no persistence yet) must
// hold until the rest of the engine arrives (worker.ts). EngineHost holds such a message and every
// later one, in order, then serves them all (its hold/complete): the user only sees a later reply.

import type { CommandTable } from '../commands/table';
import type { ToWorker } from './protocol';

/**
 * Core commands that still wait for persistence, which only the second chunk installs: CONFIG
 * (CONFIG SET appendonly starts the AOF, CONFIG GET reads the same settings) and FLUSHALL (it saves
 * when save points are set). COMMAND and INFO, which need the whole table and persistence, are not
 * in the core at all (commands/rest.ts), nor is SHUTDOWN.
 */
const WAIT_FOR_REST = new Set(['config', 'flushall']);

/** A command whose group is not loaded yet (an unknown name included: it may be in the rest), or one of WAIT_FOR_REST. */
export function commandNeedsRest(table: CommandTable, argv: readonly string[]): boolean {
  if (argv.length === 0) return false;
  const cmd = table.lookup(argv[0]);
  return cmd === undefined || WAIT_FOR_REST.has(cmd.fullname);
}

/**
 * Sessions, commands of the core and clock control are served at once; everything else (inspect,
 * files, restart, event watching, advance-clock) reads or needs what the second chunk brings.
 */
export function needsRest(table: CommandTable, msg: ToWorker): boolean {
  switch (msg.type) {
    case 'hello':
    case 'open':
    case 'close':
    case 'interrupt':
    case 'clock-control':
    case 'storage-limit': // start.ts answers it
    case 'share':
    case 'ping':
      return false;
    case 'command':
      return commandNeedsRest(table, msg.argv);
    case 'pipeline':
      return msg.commands.some((argv) => commandNeedsRest(table, argv));
    default:
      return true;
  }
}
