// Transaction commands (src/multi.c): MULTI, EXEC, DISCARD, WATCH, UNWATCH. Dispatch (engine.ts)
// queues commands while c.ext.multi is set and flags the transaction dirty when one is refused;
// EXEC runs the queue through engine.call_ (stats, MONITOR, propagation wrapped in MULTI/EXEC).

import { E } from '../errors';
import {
  discardTransaction,
  isWatchedKeyExpired,
  type MultiState,
  multiState,
  unwatchAllKeys,
  watchForKey,
} from '../multi';
import { array, error, NIL_ARRAY, OK, type Reply } from '../protocol/reply';
import { fail } from './args';
import { type CommandSpec, defineCommand, key } from './define';

/** MULTI */
export const MULTI = defineCommand({
  name: 'MULTI',
  group: 'transactions',
  arity: 1,
  flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'],
  summary: 'Mark the start of a transaction block',
  complexity: 'O(1)',
  since: '1.2.0',
  exec(c): Reply {
    if (multiState(c) !== undefined) fail(E.NO_MULTI_NESTED);
    const state: MultiState = { queue: [] };
    c.ext.multi = state;
    return OK;
  },
});

/** EXEC */
export const EXEC = defineCommand({
  name: 'EXEC',
  group: 'transactions',
  arity: 1,
  flags: ['noscript', 'loading', 'stale', 'skip_slowlog'],
  summary: 'Execute all commands issued after MULTI',
  complexity: 'Depends on commands in the transaction',
  since: '1.2.0',
  exec(c): Reply {
    const state = multiState(c);
    if (state === undefined) fail(E.EXEC_WITHOUT_MULTI);
    // A watched key that expired since WATCH counts as modified.
    if (isWatchedKeyExpired(c)) c.dirtyCas = true;
    if (state.dirty || c.dirtyCas) {
      const aborted = state.dirty === true;
      discardTransaction(c);
      if (aborted) fail(E.EXECABORT);
      return NIL_ARRAY;
    }
    // EXEC itself is never propagated: its commands are, wrapped in MULTI/EXEC by the engine.
    c.engine.preventPropagation();
    // Blocking commands run as if their timeout had expired (CLIENT_DENY_BLOCKING).
    const denyBlockingBefore = c.ext.denyBlocking;
    c.ext.denyBlocking = true;
    unwatchAllKeys(c);
    const replies: Reply[] = [];
    try {
      for (const [cmd, argv] of state.queue) {
        // ACL rules are checked again at EXEC time, in case they changed since the command was queued.
        const denied = c.user.unrestricted ? null : c.engine.acl.deny(c, cmd, argv, 'exec');
        replies.push(denied === null ? c.engine.call_(c, cmd, argv) : error(denied));
      }
    } finally {
      if (denyBlockingBefore === undefined) delete c.ext.denyBlocking;
      else c.ext.denyBlocking = denyBlockingBefore;
      discardTransaction(c);
    }
    return array(replies);
  },
});

/** DISCARD */
export const DISCARD = defineCommand({
  name: 'DISCARD',
  group: 'transactions',
  arity: 1,
  flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'],
  summary: 'Discard all commands issued after MULTI',
  complexity: 'O(N), when N is the number of queued commands',
  since: '2.0.0',
  exec(c): Reply {
    if (multiState(c) === undefined) fail(E.DISCARD_WITHOUT_MULTI);
    discardTransaction(c);
    return OK;
  },
});

/** WATCH key [key ...] */
export const WATCH = defineCommand({
  name: 'WATCH',
  group: 'transactions',
  arity: -2,
  flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'],
  keys: { first: 1, last: -1, step: 1 },
  keySpecs: [{ flags: ['RO'], begin: { index: 1 }, find: { lastKey: -1, step: 1, limit: 0 } }],
  args: [key('key', { multiple: true })],
  summary: 'Watch the given keys to determine execution of the MULTI/EXEC block',
  complexity: 'O(1) for every key.',
  since: '2.2.0',
  exec(c, argv): Reply {
    if (multiState(c) !== undefined) fail(E.WATCH_IN_MULTI);
    // Already bound to fail: nothing more to watch.
    if (c.dirtyCas) return OK;
    for (let i = 1; i < argv.length; i++) watchForKey(c, argv[i]);
    return OK;
  },
});

/** UNWATCH */
export const UNWATCH = defineCommand({
  name: 'UNWATCH',
  group: 'transactions',
  arity: 1,
  flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'],
  summary: 'Forget about all watched keys',
  complexity: 'O(1)',
  since: '2.2.0',
  exec(c): Reply {
    unwatchAllKeys(c);
    c.dirtyCas = false;
    return OK;
  },
});

export const TRANSACTION_COMMANDS: readonly CommandSpec[] = [DISCARD, EXEC, MULTI, UNWATCH, WATCH];
