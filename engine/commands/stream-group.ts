// Consumer groups (src/t_stream.c): XGROUP CREATE/SETID/DESTROY/CREATECONSUMER/DELCONSUMER/HELP,
// XACK and XPENDING. Claiming (XCLAIM, XAUTOCLAIM) lives in stream-claim.ts; STREAM_GROUP_COMMANDS
// gathers both.

import type { Client } from '../client';
import { E, noSuchGroupForKey, subcommandSyntaxError } from '../errors';
import { array, bulk, EMPTY_ARRAY, int, NIL, NIL_ARRAY, OK, ONE, type Reply, ZERO } from '../protocol/reply';
import { type ConsumerGroup, formatId, RedisStream, type StreamID } from '../types/stream';
import { fail, isCToken, parseInteger } from './args';
import { type CommandSpec, defineCommand, integer, key, oneof, str, tok } from './define';
import { helpSubcommand } from './help';
import { XAUTOCLAIM, XCLAIM } from './stream-claim';
import {
  createConsumer,
  groupOf,
  idArg,
  int64,
  intervalArg,
  lookupConsumer,
  readStream,
  strictIdArg,
  writeStream,
  xkeys,
} from './stream-common';

// ---- XGROUP -------------------------------------------------------------------------------------

const XGROUP_HELP = [
  'CREATE <key> <groupname> <id|$> [option]',
  '    Create a new consumer group. Options are:',
  '    * MKSTREAM',
  '      Create the empty stream if it does not exist.',
  '    * ENTRIESREAD entries_read',
  "      Set the group's entries_read counter (internal use).",
  'CREATECONSUMER <key> <groupname> <consumer>',
  '    Create a new consumer in the specified group.',
  'DELCONSUMER <key> <groupname> <consumer>',
  '    Remove the specified consumer.',
  'DESTROY <key> <groupname>',
  '    Remove the specified group.',
  'SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]',
  '    Set the current group ID and entries_read counter.',
];

/** The C-string comparison strcmp(arg, "$"). */
const isDollar = (arg: string): boolean => arg === '$' || arg.startsWith('$\0');

/** xgroupCommand: options, key and group checks in Redis's order, then the subcommand. */
function xgroup(c: Client, argv: string[]): Reply {
  const opt = argv[1];
  const argc = argv.length;
  const sub = (name: string) => isCToken(opt, name);
  let s: RedisStream | undefined;
  let g: ConsumerGroup | undefined;
  let mkstream = false;
  let entriesRead = -1n;
  const k = argv[2];
  const grp = argv[3];
  const syntax = () => fail(subcommandSyntaxError(opt, argv[0]));
  if (argc >= 4) {
    const create = sub('CREATE');
    const setid = sub('SETID');
    for (let i = 5; i < argc; ) {
      if (create && isCToken(argv[i], 'MKSTREAM')) {
        mkstream = true;
        i++;
      } else if ((create || setid) && isCToken(argv[i], 'ENTRIESREAD') && i + 1 < argc) {
        entriesRead = BigInt(parseInteger(argv[i + 1]));
        if (entriesRead < 0n && entriesRead !== -1n) fail(E.XGROUP_ENTRIESREAD);
        i += 2;
      } else {
        syntax();
      }
    }
    s = writeStream(c, k);
  }
  if (argc >= 4 && !mkstream) {
    if (s === undefined) fail(E.XGROUP_KEY_REQUIRED);
    g = s.lookupGroup(grp);
    if (g === undefined && (sub('SETID') || sub('CREATECONSUMER') || sub('DELCONSUMER'))) {
      fail(noSuchGroupForKey(grp, k));
    }
  }
  const db = c.db;
  const eng = c.engine;
  if (sub('CREATE') && argc >= 5 && argc <= 8) {
    const id = isDollar(argv[4]) ? (s?.lastId ?? 0n) : strictIdArg(argv[4]);
    if (s === undefined) {
      s = new RedisStream();
      db.add(k, s);
    }
    if (s.createGroup(grp, id, entriesRead) === null) fail(E.BUSYGROUP);
    eng.dirty++;
    eng.notify('t', 'xgroup-create', k, db.id);
    return OK;
  }
  if (sub('SETID') && (argc === 5 || argc === 7)) {
    const group = g as ConsumerGroup;
    group.lastId = isDollar(argv[4]) ? (s as RedisStream).lastId : idArg(argv[4]);
    group.entriesRead = entriesRead;
    eng.dirty++;
    eng.notify('t', 'xgroup-setid', k, db.id);
    return OK;
  }
  if (sub('DESTROY') && argc === 4) {
    if (g === undefined) return ZERO;
    (s as RedisStream).destroyGroup(grp);
    eng.dirty++;
    eng.notify('t', 'xgroup-destroy', k, db.id);
    // Clients blocked in XREADGROUP on this group get NOGROUP.
    eng.blocking.signalKeyAsReady(db, k, 'stream');
    return ONE;
  }
  if (sub('CREATECONSUMER') && argc === 5) {
    return createConsumer(c, g as ConsumerGroup, argv[4], k) === null ? ZERO : ONE;
  }
  if (sub('DELCONSUMER') && argc === 5) {
    const group = g as ConsumerGroup;
    const consumer = lookupConsumer(c, group, argv[4], true);
    if (consumer === undefined) return ZERO;
    const pending = RedisStream.deleteConsumer(group, consumer);
    eng.dirty++;
    eng.notify('t', 'xgroup-delconsumer', k, db.id);
    return int(pending);
  }
  return syntax();
}

const xgroupSub = (
  name: string,
  arity: number,
  flags: CommandSpec['flags'],
  keyFlags: Parameters<typeof xkeys>[0],
  rest: Pick<CommandSpec, 'args' | 'summary' | 'complexity' | 'since' | 'history'>,
): CommandSpec =>
  defineCommand({
    name,
    group: 'stream',
    arity,
    flags,
    keys: { first: 2, last: 2, step: 1 },
    keySpecs: [xkeys(keyFlags, 2)],
    ...rest,
    exec: xgroup,
  });

const ID_OR_NEW = oneof('id', [str('id'), tok('$', { name: 'new_id' })], { optional: false });

/** XGROUP CREATE|SETID|DESTROY|CREATECONSUMER|DELCONSUMER|HELP ... */
export const XGROUP = defineCommand({
  name: 'XGROUP',
  group: 'stream',
  arity: -2,
  flags: [],
  summary: 'A container for consumer groups commands',
  complexity: 'Depends on subcommand.',
  since: '5.0.0',
  subcommands: [
    xgroupSub('CREATE', -5, ['write', 'denyoom'], ['RW', 'INSERT'], {
      args: [
        key(),
        str('groupname'),
        ID_OR_NEW,
        tok('MKSTREAM'),
        integer('entries_read', { token: 'ENTRIESREAD', optional: true }),
      ],
      summary: 'Create a consumer group.',
      complexity: 'O(1)',
      since: '5.0.0',
      history: [['7.0.0', 'Added the `entries_read` named argument.']],
    }),
    xgroupSub('SETID', -5, ['write'], ['RW', 'UPDATE'], {
      args: [key(), str('groupname'), ID_OR_NEW, integer('entries_read', { token: 'ENTRIESREAD', optional: true })],
      summary: 'Set a consumer group to an arbitrary last delivered ID value.',
      complexity: 'O(1)',
      since: '5.0.0',
      history: [['7.0.0', 'Added the optional `entries_read` argument.']],
    }),
    xgroupSub('DESTROY', 4, ['write'], ['RW', 'DELETE'], {
      args: [key(), str('groupname')],
      summary: 'Destroy a consumer group.',
      complexity: "O(N) where N is the number of entries in the group's pending entries list (PEL).",
      since: '5.0.0',
    }),
    xgroupSub('CREATECONSUMER', 5, ['write', 'denyoom'], ['RW', 'INSERT'], {
      args: [key(), str('groupname'), str('consumername')],
      summary: 'Create a consumer in a consumer group.',
      complexity: 'O(1)',
      since: '6.2.0',
    }),
    xgroupSub('DELCONSUMER', 5, ['write'], ['RW', 'DELETE'], {
      args: [key(), str('groupname'), str('consumername')],
      summary: 'Delete a consumer from a consumer group.',
      complexity: 'O(1)',
      since: '5.0.0',
    }),
    helpSubcommand('XGROUP', { group: 'stream', since: '5.0.0', lines: XGROUP_HELP }),
  ],
});

// ---- XACK, XPENDING -------------------------------------------------------------------------------

/** XACK key group id [id ...] */
export const XACK = defineCommand({
  name: 'XACK',
  group: 'stream',
  arity: -4,
  flags: ['write', 'fast'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: [xkeys(['RW', 'UPDATE'])],
  args: [key(), str('group'), str('id', { multiple: true })],
  summary:
    'Marks a pending message as correctly processed, effectively removing it from the pending entries list of the consumer group. Return value of the command is the number of messages successfully acknowledged, that is, the IDs we were actually able to resolve in the PEL.',
  complexity: 'O(1) for each message ID processed.',
  since: '5.0.0',
  exec(c, argv): Reply {
    const g = readStream(c, argv[1])?.lookupGroup(argv[2]);
    if (g === undefined) return ZERO;
    // All IDs are checked first: the reply can't be an error once something was acknowledged.
    const ids = argv.slice(3).map((a) => strictIdArg(a));
    let acked = 0;
    for (const id of ids) {
      const nack = g.pel.get(id);
      if (nack === undefined) continue;
      g.pel.delete(id);
      nack.consumer?.pel.delete(id);
      acked++;
      c.engine.dirty++;
    }
    return int(acked);
  },
});

/** XPENDING key group [[IDLE min-idle-time] start end count [consumer]] */
export const XPENDING = defineCommand({
  name: 'XPENDING',
  group: 'stream',
  arity: -3,
  flags: ['readonly'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: [xkeys(['RO', 'ACCESS'])],
  args: [
    key(),
    str('group'),
    {
      name: 'filters',
      type: 'block',
      optional: true,
      args: [
        integer('min-idle-time', { token: 'IDLE', optional: true, since: '6.2.0' }),
        str('start'),
        str('end'),
        integer('count'),
        str('consumer', { optional: true }),
      ],
    },
  ],
  summary:
    'Return information and entries from a stream consumer group pending entries list, that are messages fetched but never acknowledged.',
  complexity:
    'O(N) with N being the number of elements returned, so asking for a small fixed number of entries per call is O(1). O(M), where M is the total number of entries scanned when used with the IDLE filter. When the command returns just the summary and the list of consumers is small, it runs in O(1) time; otherwise, an additional O(N) time for iterating every consumer.',
  since: '5.0.0',
  history: [['6.2.0', 'Added the `IDLE` option and exclusive range intervals.']],
  tips: ['nondeterministic_output'],
  exec(c, argv): Reply {
    const argc = argv.length;
    if (argc !== 3 && (argc < 6 || argc > 9)) fail(E.SYNTAX);
    let start = 0n;
    let end = 0n;
    let count = 0;
    let minidle = 0;
    let consumerName: string | undefined;
    if (argc >= 6) {
      let at = 3;
      if (isCToken(argv[3], 'IDLE')) {
        minidle = Number(parseInteger(argv[4]));
        if (argc < 8) fail(E.SYNTAX);
        at += 2;
      }
      count = Number(parseInteger(argv[at + 2]));
      if (count < 0) count = 0;
      start = intervalArg(argv[at], true);
      end = intervalArg(argv[at + 1], false);
      if (at + 3 < argc) consumerName = argv[at + 3];
    }
    const [, g] = groupOf(c, argv[1], argv[2]);
    if (argc === 3) {
      if (g.pel.size === 0) return array([ZERO, NIL, NIL, NIL_ARRAY]);
      const consumers: Reply[] = [];
      for (const cons of g.consumers.values()) {
        if (cons.pel.size > 0) consumers.push(array([bulk(cons.name), bulk(String(cons.pel.size))]));
      }
      const first = (g.pel.first() as [StreamID, unknown])[0];
      const last = (g.pel.last() as [StreamID, unknown])[0];
      return array([int(g.pel.size), bulk(formatId(first)), bulk(formatId(last)), array(consumers)]);
    }
    let pel = g.pel;
    if (consumerName !== undefined) {
      const cons = lookupConsumer(c, g, consumerName, true);
      if (cons === undefined) return EMPTY_ARRAY;
      pel = cons.pel;
    }
    const now = c.engine.clock.now();
    const out: Reply[] = [];
    for (const [id, nack] of pel.ascending(start)) {
      if (count === 0 || id > end) break;
      if (minidle && now - nack.deliveryTime < minidle) continue;
      count--;
      const elapsed = now - nack.deliveryTime;
      out.push(
        array([
          bulk(formatId(id)),
          bulk(nack.consumer?.name ?? ''),
          int(Math.max(elapsed, 0)),
          int64(nack.deliveryCount),
        ]),
      );
    }
    return array(out);
  },
});

export const STREAM_GROUP_COMMANDS: readonly CommandSpec[] = [XGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM];
