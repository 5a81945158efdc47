// XINFO STREAM [FULL [COUNT n]], XINFO GROUPS, XINFO CONSUMERS and XINFO HELP (src/t_stream.c
// xinfoCommand): the stream's radix tree and 7.0 counters (entries-added, max-deleted-entry-id,
// recorded-first-entry-id), each group's entries-read and lag, the PELs and consumers.

import type { Client } from '../client';
import { E, noSuchGroupForKey, subcommandSyntaxError } from '../errors';
import { array, bulk, int, map, NIL, type Reply } from '../protocol/reply';
import { type ConsumerGroup, formatId, ID_MAX, INVALID_ENTRIES_READ, type RedisStream } from '../types/stream';
import { fail, isCToken, parseInteger } from './args';
import { type CommandSpec, defineCommand, integer, key, str } from './define';
import { helpSubcommand } from './help';
import { entryReply, int64, rangeReply, readStream, xkeys } from './stream-common';

const XINFO_HELP = [
  'CONSUMERS <key> <groupname>',
  '    Show consumers of <groupname>.',
  'GROUPS <key>',
  '    Show the stream consumer groups.',
  'STREAM <key> [FULL [COUNT <count>]',
  '    Show information about the stream.',
];

type Pair = readonly [Reply, Reply];
const field = (name: string, v: Reply): Pair => [bulk(name), v];

/** lookupKeyReadOrReply(no such key) + checkType. */
function infoStream(c: Client, k: string): RedisStream {
  return readStream(c, k) ?? fail(E.NO_SUCH_KEY);
}

const entriesRead = (g: ConsumerGroup): Reply => (g.entriesRead === INVALID_ENTRIES_READ ? NIL : int64(g.entriesRead));

function lag(s: RedisStream, g: ConsumerGroup): Reply {
  const l = s.groupLag(g);
  return l === null ? NIL : int64(l);
}

/** The first (or last) live entry, or a null. */
function edgeEntry(s: RedisStream, last: boolean): Reply {
  for (const [e, node] of s.range(0n, ID_MAX, last)) return entryReply(e, node);
  return NIL;
}

/** xinfoReplyWithStreamInfo */
function streamInfo(argv: string[], s: RedisStream): Reply {
  const optc = argv.length - 3;
  let count = 10;
  const full = optc > 0;
  if (full) {
    if (optc !== 1 && optc !== 3) fail(subcommandSyntaxError(argv[1], argv[0]));
    if (!isCToken(argv[3], 'FULL')) fail(subcommandSyntaxError(argv[1], argv[0]));
    if (optc === 3) {
      if (!isCToken(argv[4], 'COUNT')) fail(subcommandSyntaxError(argv[1], argv[0]));
      count = Number(parseInteger(argv[5]));
      if (count < 0) count = 10;
    }
  }
  const out: Pair[] = [
    field('length', int(s.length)),
    field('radix-tree-keys', int(s.nodeCount)),
    field('radix-tree-nodes', int(s.radixTreeNodes())),
    field('last-generated-id', bulk(formatId(s.lastId))),
    field('max-deleted-entry-id', bulk(formatId(s.maxDeletedId))),
    field('entries-added', int64(s.entriesAdded)),
    field('recorded-first-entry-id', bulk(formatId(s.firstId))),
  ];
  if (!full) {
    out.push(field('groups', int(s.groupCount)));
    out.push(field('first-entry', edgeEntry(s, false)));
    out.push(field('last-entry', edgeEntry(s, true)));
    return map(out);
  }
  out.push(field('entries', array(rangeReply(s, 0n, ID_MAX, count, false))));
  const groups: Reply[] = [];
  for (const g of s.groups?.values() ?? []) {
    const pending: Reply[] = [];
    for (const [id, nack] of g.pel.ascending()) {
      if (count && pending.length >= count) break;
      pending.push(
        array([bulk(formatId(id)), bulk(nack.consumer?.name ?? ''), int(nack.deliveryTime), int64(nack.deliveryCount)]),
      );
    }
    const consumers: Reply[] = [];
    for (const cons of g.consumers.values()) {
      const cpending: Reply[] = [];
      for (const [id, nack] of cons.pel.ascending()) {
        if (count && cpending.length >= count) break;
        cpending.push(array([bulk(formatId(id)), int(nack.deliveryTime), int64(nack.deliveryCount)]));
      }
      consumers.push(
        map([
          field('name', bulk(cons.name)),
          field('seen-time', int(cons.seenTime)),
          field('pel-count', int(cons.pel.size)),
          field('pending', array(cpending)),
        ]),
      );
    }
    groups.push(
      map([
        field('name', bulk(g.name)),
        field('last-delivered-id', bulk(formatId(g.lastId))),
        field('entries-read', entriesRead(g)),
        field('lag', lag(s, g)),
        field('pel-count', int(g.pel.size)),
        field('pending', array(pending)),
        field('consumers', array(consumers)),
      ]),
    );
  }
  out.push(field('groups', array(groups)));
  return map(out);
}

const infoSub = (
  name: string,
  arity: number,
  rest: Pick<CommandSpec, 'args' | 'summary' | 'history' | 'tips'>,
  exec: CommandSpec['exec'],
): CommandSpec =>
  defineCommand({
    name,
    group: 'stream',
    arity,
    flags: ['readonly'],
    keys: { first: 2, last: 2, step: 1 },
    keySpecs: [xkeys(['RO', 'ACCESS'], 2)],
    complexity: 'O(1)',
    since: '5.0.0',
    ...rest,
    exec,
  });

/** XINFO CONSUMERS key group | GROUPS key | STREAM key [FULL [COUNT count]] | HELP */
export const XINFO = defineCommand({
  name: 'XINFO',
  group: 'stream',
  arity: -2,
  flags: [],
  summary: 'A container for stream introspection commands',
  complexity: 'Depends on subcommand.',
  since: '5.0.0',
  subcommands: [
    infoSub(
      'CONSUMERS',
      4,
      {
        args: [key(), str('groupname')],
        summary: 'List the consumers in a consumer group',
        tips: ['nondeterministic_output'],
      },
      (c, argv) => {
        const s = infoStream(c, argv[2]);
        const g = s.lookupGroup(argv[3]) ?? fail(noSuchGroupForKey(argv[3], argv[2]));
        const now = c.engine.clock.now();
        const out: Reply[] = [];
        for (const cons of g.consumers.values()) {
          const idle = now - cons.seenTime;
          out.push(
            map([
              field('name', bulk(cons.name)),
              field('pending', int(cons.pel.size)),
              field('idle', int(Math.max(idle, 0))),
            ]),
          );
        }
        return array(out);
      },
    ),
    infoSub(
      'GROUPS',
      3,
      {
        args: [key()],
        summary: 'List the consumer groups of a stream',
        history: [['7.0.0', 'Added the `entries-read` and `lag` fields']],
      },
      (c, argv) => {
        const s = infoStream(c, argv[2]);
        const out: Reply[] = [];
        for (const g of s.groups?.values() ?? []) {
          out.push(
            map([
              field('name', bulk(g.name)),
              field('consumers', int(g.consumers.size)),
              field('pending', int(g.pel.size)),
              field('last-delivered-id', bulk(formatId(g.lastId))),
              field('entries-read', entriesRead(g)),
              field('lag', lag(s, g)),
            ]),
          );
        }
        return array(out);
      },
    ),
    infoSub(
      'STREAM',
      -3,
      {
        args: [
          key(),
          {
            name: 'full',
            type: 'block',
            token: 'FULL',
            optional: true,
            args: [integer('count', { token: 'COUNT', optional: true })],
          },
        ],
        summary: 'Get information about a stream',
        history: [
          ['6.0.0', 'Added the `FULL` modifier.'],
          [
            '7.0.0',
            'Added the `max-deleted-entry-id`, `entries-added`, `recorded-first-entry-id`, `entries-read` and `lag` fields',
          ],
        ],
      },
      (c, argv) => streamInfo(argv, infoStream(c, argv[2])),
    ),
    helpSubcommand('XINFO', { group: 'stream', since: '5.0.0', lines: XINFO_HELP }),
  ],
});

export const STREAM_INFO_COMMANDS: readonly CommandSpec[] = [XINFO];
