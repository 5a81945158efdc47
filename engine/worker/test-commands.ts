// Test-only commands for the worker host and terminal tests: stand-ins for a blocking command
// (TESTBLOCK / TESTWAKE), a push to one client (TESTPUSH) and CLIENT KILL (TESTKILL), so those
// paths are tested whatever the command groups implement. Never part of the real command table.

import type { Client } from '../client';
import { ALL_COMMANDS } from '../commands';
import { type CommandSpec, defineCommand, integer, str } from '../commands/define';
import { CommandTable } from '../commands/table';
import { ManualClock } from '../clock';
import { Engine } from '../engine';
import { blockedState, blockForKeys } from '../keyspace/blocking';
import { array, bulk, int, OK, type Reply } from '../protocol/reply';
import { createRandom } from '../random';
import { LAB_CONFIG } from './host';

/** An engine with the real command table plus the test commands; clients waiting in TESTBLOCK. */
export function createTestEngine(clock = new ManualClock()): { engine: Engine; waiting: Set<Client> } {
  const waiting = new Set<Client>();
  const commands: CommandSpec[] = [
    defineCommand({
      name: 'TESTBLOCK',
      group: 'list',
      arity: 1,
      flags: ['blocking'],
      summary: 'Blocks until TESTWAKE.',
      since: '0.0.0',
      exec(c): Reply {
        waiting.add(c);
        return blockForKeys(c, { type: 'list', keys: ['test:never'], timeout: 0, onReady: () => undefined });
      },
    }),
    defineCommand({
      name: 'TESTWAKE',
      group: 'list',
      arity: 1,
      flags: [],
      summary: 'Serves every TESTBLOCK client.',
      since: '0.0.0',
      exec(): Reply {
        let n = 0;
        for (const c of waiting) {
          if (blockedState(c) === undefined) continue; // unblocked meanwhile (CLIENT UNBLOCK, Ctrl-C)
          c.engine.blocking.send(c, bulk('woken'));
          c.engine.blocking.unblock(c);
          n++;
        }
        waiting.clear();
        return int(n);
      },
    }),
    defineCommand({
      name: 'TESTPUSH',
      group: 'pubsub',
      arity: 3,
      flags: [],
      args: [integer('client-id'), str('message')],
      summary: 'Delivers a message to a client.',
      since: '0.0.0',
      exec(c, argv): Reply {
        c.engine.clients.get(Number(argv[1]))?.deliver(array([bulk('message'), bulk(argv[2])]));
        return OK;
      },
    }),
    defineCommand({
      name: 'TESTKILL',
      group: 'connection',
      arity: 2,
      flags: [],
      summary: 'Closes a client connection.',
      since: '0.0.0',
      exec(c, argv): Reply {
        c.engine.clients.get(Number(argv[1]))?.close();
        return OK;
      },
    }),
  ];
  const engine = new Engine({
    clock,
    random: createRandom(1),
    table: new CommandTable([...ALL_COMMANDS, ...commands]),
    config: { ...LAB_CONFIG },
  });
  engine.clientCloseHooks.push((c) => {
    waiting.delete(c);
  });
  return { engine, waiting };
}
