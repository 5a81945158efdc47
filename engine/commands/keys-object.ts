// OBJECT (src/object.c) and WAIT (src/replication.c). OBJECT looks keys up without touching their
// access time: ENCODING from the value (strings: string-encoding.ts plus the META_RAW bit), REFCOUNT
// (the shared integers 0..9999 report INT_MAX), IDLETIME from the LRU clock, FREQ from the LFU counter.

import type { Client } from '../client';
import { E } from '../errors';
import { META_RAW, META_UNSHARED, type RedisValue } from '../keyspace/db';
import { blockForKeys, canBlock } from '../keyspace/blocking';
import { estimateIdleTime, lfuDecrAndReturn } from '../keyspace/evict';
import { bulk, int, NIL, type Reply, ZERO } from '../protocol/reply';
import { stringEncoding } from '../types/string-encoding';
import { fail, parseInt64 } from './args';
import { type CommandSpec, defineCommand, integer, key } from './define';
import { helpSubcommand } from './help';
import { isSmallSharedInt, lfuPolicy, rangeSpec } from './keys-shared';

/** The shared integers 0..9999 report this refcount (OBJ_SHARED_REFCOUNT = INT_MAX). */
const SHARED_REFCOUNT = 2147483647;

const OBJECT_HELP = [
  'ENCODING <key>',
  '    Return the kind of internal representation used in order to store the value',
  '    associated with a <key>.',
  'FREQ <key>',
  '    Return the access frequency index of the <key>. The returned integer is',
  '    proportional to the logarithm of the recent access frequency of the key.',
  'IDLETIME <key>',
  '    Return the idle time of the <key>, that is the approximated number of',
  '    seconds elapsed since the last access to the key.',
  'REFCOUNT <key>',
  '    Return the number of references of the value associated with the specified',
  '    <key>.',
];

/** objectCommandLookup: no LRU touch and no keymiss event, but hit/miss statistics. */
function objectLookup(c: Client, k: string): { val: RedisValue; meta: number } | undefined {
  if (c.db.lookupReadNoTouch(k, true) === undefined) return undefined;
  const e = c.db.dict.getEntry(k);
  return e === undefined ? undefined : { val: e.val, meta: e.meta };
}

const objectSub = (name: string, summary: string, since: string, exec: CommandSpec['exec']): CommandSpec =>
  defineCommand({
    name,
    group: 'generic',
    arity: 3,
    flags: ['readonly'],
    keys: { first: 2, last: 2, step: 1 },
    keySpecs: [rangeSpec(['RO'], 2)],
    args: [key()],
    summary,
    complexity: 'O(1)',
    since,
    tips: ['nondeterministic_output'],
    exec,
  });

/** OBJECT ENCODING|FREQ|IDLETIME|REFCOUNT key, OBJECT HELP */
export const OBJECT = defineCommand({
  name: 'OBJECT',
  group: 'generic',
  arity: -2,
  flags: [],
  summary: 'A container for object introspection commands',
  complexity: 'Depends on subcommand.',
  since: '2.2.3',
  subcommands: [
    objectSub('ENCODING', 'Inspect the internal encoding of a Redis object', '2.2.3', (c, argv) => {
      const o = objectLookup(c, argv[2]);
      if (o === undefined) return NIL;
      const v = o.val;
      return bulk(typeof v === 'string' ? stringEncoding(v, o.meta) : v.encoding());
    }),
    objectSub('FREQ', 'Get the logarithmic access frequency counter of a Redis object', '4.0.0', (c, argv) => {
      const o = objectLookup(c, argv[2]);
      if (o === undefined) return NIL;
      if (!lfuPolicy(c)) fail(E.OBJECT_FREQ_NO_LFU);
      return int(lfuDecrAndReturn(c.engine, o.meta));
    }),
    objectSub('IDLETIME', 'Get the time since a Redis object was last accessed', '2.2.3', (c, argv) => {
      const o = objectLookup(c, argv[2]);
      if (o === undefined) return NIL;
      if (lfuPolicy(c)) fail(E.OBJECT_IDLETIME_LFU);
      return int(Math.floor(estimateIdleTime(c.engine, o.meta) / 1000));
    }),
    objectSub('REFCOUNT', 'Get the number of references to the value of the key', '2.2.3', (c, argv) => {
      const o = objectLookup(c, argv[2]);
      if (o === undefined) return NIL;
      const v = o.val;
      const shared = typeof v === 'string' && (o.meta & (META_RAW | META_UNSHARED)) === 0 && isSmallSharedInt(v);
      return int(shared ? SHARED_REFCOUNT : 1);
    }),
    helpSubcommand('OBJECT', { group: 'generic', since: '6.2.0', lines: OBJECT_HELP }),
  ],
});

// ---- WAIT -------------------------------------------------------------------------------------

/** WAIT numreplicas timeout */
export const WAIT = defineCommand({
  name: 'WAIT',
  group: 'generic',
  arity: 3,
  flags: ['noscript'],
  args: [integer('numreplicas'), integer('timeout')],
  summary:
    'Wait for the synchronous replication of all the write commands sent in the context of the current connection',
  complexity: 'O(1)',
  since: '3.0.0',
  acl: ['-keyspace', 'connection'],
  tips: ['request_policy:all_shards', 'response_policy:agg_min'],
  exec(c, argv): Reply {
    const numreplicas = parseInt64(argv[1]);
    const ms = parseInt64(argv[2], E.TIMEOUT_NOT_INTEGER);
    if (ms < 0) fail(E.TIMEOUT_NEGATIVE);
    // There are no replicas, so none ever acknowledges: 0 at once when that is enough (or in MULTI),
    // else the client waits out the timeout (forever with 0) and gets 0.
    const acked = 0;
    if (acked >= numreplicas || !canBlock(c)) return ZERO;
    // LAB: BLOCKED_WAIT parks on no key; only the deadline (or CLIENT UNBLOCK) ends it.
    return blockForKeys(c, {
      type: 'list',
      keys: [],
      timeout: ms > 0 ? c.engine.now() + ms : 0,
      onReady: () => undefined,
      onTimeout: () => int(acked),
    });
  },
});

export const OBJECT_COMMANDS: readonly CommandSpec[] = [OBJECT, WAIT];
