// ROLE and FAILOVER (src/replication.c) on a primary that has no replicas, which the lab always is:
// ROLE reports a master at offset 0 with no replicas, FAILOVER parses its options as Redis does and
// then finds no connected replica (FAILOVER ABORT finds no failover in progress).

import { E } from '../errors';
import { type Reply, array, bulk, EMPTY_ARRAY, int } from '../protocol/reply';
import { fail, parseInteger } from './args';
import { type CommandSpec, defineCommand } from './define';

/** ROLE */
export const ROLE = defineCommand({
  name: 'ROLE',
  group: 'server',
  arity: 1,
  flags: ['noscript', 'loading', 'stale', 'fast'],
  summary: 'Return the role of the instance in the context of replication',
  complexity: 'O(1)',
  since: '2.8.12',
  acl: ['admin', 'dangerous'],
  // (master_repl_offset stays 0: the lab has no replication backlog)
  exec: (): Reply => array([bulk('master'), int(0), EMPTY_ARRAY]),
});

/** FAILOVER [TO host port [FORCE]] [ABORT] [TIMEOUT milliseconds] */
export const FAILOVER = defineCommand({
  name: 'FAILOVER',
  group: 'server',
  arity: -1,
  flags: ['admin', 'noscript', 'stale'],
  summary: 'Start a coordinated failover between this server and one of its replicas.',
  complexity: 'O(1)',
  since: '6.2.0',
  args: [
    {
      name: 'target',
      type: 'block',
      token: 'TO',
      optional: true,
      args: [
        { name: 'host', type: 'string' },
        { name: 'port', type: 'integer' },
        { name: 'force', type: 'pure-token', token: 'FORCE', optional: true },
      ],
    },
    { name: 'abort', type: 'pure-token', token: 'ABORT', optional: true },
    { name: 'milliseconds', type: 'integer', token: 'TIMEOUT', optional: true },
  ],
  exec(_c, argv): Reply {
    if (argv.length === 2 && argv[1].toLowerCase() === 'abort') fail(E.FAILOVER_NONE_IN_PROGRESS);
    let timeout = 0;
    let force = false;
    let host = false;
    for (let j = 1; j < argv.length; j++) {
      const opt = argv[j].toLowerCase();
      if (opt === 'timeout' && j + 1 < argv.length && timeout === 0) {
        const t = parseInteger(argv[j + 1]);
        if (t <= 0) fail(E.FAILOVER_TIMEOUT);
        timeout = Number(t);
        j++;
      } else if (opt === 'to' && j + 2 < argv.length && !host) {
        parseInteger(argv[j + 2]);
        host = true;
        j += 2;
      } else if (opt === 'force' && !force) force = true;
      else fail(E.SYNTAX);
    }
    // No failover can be in progress and this is never a replica: what stops it is the lack of replicas.
    return fail(E.FAILOVER_NO_REPLICAS);
  },
});

export const REPLICATION_COMMANDS: readonly CommandSpec[] = [ROLE, FAILOVER];
