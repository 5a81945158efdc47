// Server commands (src/server.c, db.c, config.c, debug.c): FLUSHALL/FLUSHDB, CONFIG, INFO, COMMAND,
// DBSIZE, DEBUG, MEMORY, MONITOR, SLOWLOG, SWAPDB, TIME.

import { E } from '../errors';
import { OK, type Reply } from '../protocol/reply';
import { type CommandSpec, defineCommand, oneof, tok } from './define';
import { fail, isToken } from './args';
import type { Client } from '../client';

/** FLUSHALL/FLUSHDB's optional ASYNC|SYNC (both flush at once here: the engine has no lazyfree thread). */
function parseFlushMode(argv: string[]): void {
  if (argv.length > 2) fail(E.SYNTAX);
  if (argv.length === 2 && !isToken(argv[1], 'ASYNC') && !isToken(argv[1], 'SYNC')) fail(E.SYNTAX);
}

function flushAll(c: Client): void {
  let removed = 0;
  for (const db of c.engine.dbs) removed += db.flush();
  c.engine.dirty += removed + 1;
  c.engine.emit({ type: 'flush', db: 'all' });
}

/** FLUSHALL [ASYNC|SYNC] */
export const FLUSHALL = defineCommand({
  name: 'FLUSHALL',
  group: 'server',
  arity: -1,
  flags: ['write'],
  args: [oneof('flush-type', [tok('ASYNC', { since: '4.0.0' }), tok('SYNC', { since: '6.2.0' })])],
  summary: 'Removes all keys from all databases.',
  complexity: 'O(N) where N is the total number of keys in all databases',
  since: '1.0.0',
  acl: ['keyspace', 'dangerous'],
  exec(c, argv): Reply {
    parseFlushMode(argv);
    flushAll(c);
    return OK;
  },
});

/** FLUSHDB [ASYNC|SYNC] */
export const FLUSHDB = defineCommand({
  name: 'FLUSHDB',
  group: 'server',
  arity: -1,
  flags: ['write'],
  args: [oneof('flush-type', [tok('ASYNC', { since: '4.0.0' }), tok('SYNC', { since: '6.2.0' })])],
  summary: 'Remove all keys from the current database.',
  complexity: 'O(N) where N is the number of keys in the selected database',
  since: '1.0.0',
  acl: ['keyspace', 'dangerous'],
  exec(c, argv): Reply {
    parseFlushMode(argv);
    c.engine.dirty += c.db.flush() + 1;
    c.engine.emit({ type: 'flush', db: c.db.id });
    return OK;
  },
});

export const SERVER_COMMANDS: readonly CommandSpec[] = [FLUSHALL, FLUSHDB];
