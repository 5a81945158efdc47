// Pub/Sub commands (src/pubsub.c): (P|S)SUBSCRIBE, (P|S)UNSUBSCRIBE, PUBLISH, SPUBLISH and PUBSUB.
// Confirmations and messages are pushes (RESP3 `>`, RESP2 arrays) delivered through client.deliver,
// one per channel, so these handlers return NO_REPLY. The state and fan-out are in pubsub-core.ts.

import { type Client, NO_REPLY } from '../client';
import { E, subcommandSyntaxError } from '../errors';
import { type Reply, array, bulk, int } from '../protocol/reply';
import { globMatch } from '../util/glob';
import { fail } from './args';
import {
  GLOBAL,
  publish,
  pubsubTotals,
  SHARD,
  serverChannels,
  subscribeChannel,
  subscribePattern,
  unsubscribeAllChannels,
  unsubscribeAllPatterns,
  unsubscribeChannel,
  unsubscribePattern,
} from './pubsub-core';
import { block, type CommandSpec, defineCommand, type KeySpec, pattern, str } from './define';
import { helpSubcommand } from './help';

export {
  hasSubscribers,
  isInSubscribeMode,
  publish,
  pubsubCounts,
  pubsubTotals,
  resetPubSub,
} from './pubsub-core';

// ---- commands ---------------------------------------------------------------------------------

const PUBSUB_FLAGS = ['pubsub', 'noscript', 'loading', 'stale'] as const;

/** Shard channels are declared as keys (for cluster slot routing) flagged NOT_KEY. */
const shardChannelSpec = (lastKey: number): KeySpec => ({
  flags: ['NOT_KEY'],
  begin: { index: 1 },
  find: { lastKey, step: 1, limit: 0 },
});

/** SUBSCRIBE channel [channel ...] — one confirmation per channel, with the running count. */
export const SUBSCRIBE = defineCommand({
  name: 'SUBSCRIBE',
  group: 'pubsub',
  arity: -2,
  flags: PUBSUB_FLAGS,
  args: [str('channel', { multiple: true })],
  summary: 'Listen for messages published to the given channels',
  complexity: 'O(N) where N is the number of channels to subscribe to.',
  since: '2.0.0',
  exec(c, argv): Reply {
    // A client that expects one reply per command can't subscribe — except inside MULTI, for compatibility.
    if (c.ext.denyBlocking && !c.ext.multi) fail(E.SUBSCRIBE_DENY_BLOCKING);
    for (let j = 1; j < argv.length; j++) subscribeChannel(c, argv[j], GLOBAL);
    return NO_REPLY;
  },
});

/** UNSUBSCRIBE [channel ...] — with no channel, from all (or a [unsubscribe, nil, count] reply). */
export const UNSUBSCRIBE = defineCommand({
  name: 'UNSUBSCRIBE',
  group: 'pubsub',
  arity: -1,
  flags: PUBSUB_FLAGS,
  args: [str('channel', { optional: true, multiple: true })],
  summary: 'Stop listening for messages posted to the given channels',
  complexity: 'O(N) where N is the number of clients already subscribed to a channel.',
  since: '2.0.0',
  exec(c, argv): Reply {
    if (argv.length === 1) unsubscribeAllChannels(c, true, GLOBAL);
    else for (let j = 1; j < argv.length; j++) unsubscribeChannel(c, argv[j], true, GLOBAL);
    return NO_REPLY;
  },
});

/** PSUBSCRIBE pattern [pattern ...] */
export const PSUBSCRIBE = defineCommand({
  name: 'PSUBSCRIBE',
  group: 'pubsub',
  arity: -2,
  flags: PUBSUB_FLAGS,
  args: [block('pattern', [pattern('pattern')], { multiple: true })],
  summary: 'Listen for messages published to channels matching the given patterns',
  complexity: 'O(N) where N is the number of patterns the client is already subscribed to.',
  since: '2.0.0',
  exec(c, argv): Reply {
    if (c.ext.denyBlocking && !c.ext.multi) fail(E.PSUBSCRIBE_DENY_BLOCKING);
    for (let j = 1; j < argv.length; j++) subscribePattern(c, argv[j]);
    return NO_REPLY;
  },
});

/** PUNSUBSCRIBE [pattern ...] */
export const PUNSUBSCRIBE = defineCommand({
  name: 'PUNSUBSCRIBE',
  group: 'pubsub',
  arity: -1,
  flags: PUBSUB_FLAGS,
  args: [pattern('pattern', { optional: true, multiple: true })],
  summary: 'Stop listening for messages posted to channels matching the given patterns',
  complexity:
    'O(N+M) where N is the number of patterns the client is already subscribed and M is the number of total patterns subscribed in the system (by any client).',
  since: '2.0.0',
  exec(c, argv): Reply {
    if (argv.length === 1) unsubscribeAllPatterns(c, true);
    else for (let j = 1; j < argv.length; j++) unsubscribePattern(c, argv[j], true);
    return NO_REPLY;
  },
});

/** SSUBSCRIBE shardchannel [shardchannel ...] */
export const SSUBSCRIBE = defineCommand({
  name: 'SSUBSCRIBE',
  group: 'pubsub',
  arity: -2,
  flags: PUBSUB_FLAGS,
  keys: { first: 1, last: -1, step: 1 },
  keySpecs: [shardChannelSpec(-1)],
  args: [str('shardchannel', { multiple: true })],
  summary: 'Listen for messages published to the given shard channels',
  complexity: 'O(N) where N is the number of shard channels to subscribe to.',
  since: '7.0.0',
  exec(c, argv): Reply {
    if (c.ext.denyBlocking) fail(E.SSUBSCRIBE_DENY_BLOCKING);
    for (let j = 1; j < argv.length; j++) subscribeChannel(c, argv[j], SHARD);
    return NO_REPLY;
  },
});

/** SUNSUBSCRIBE [shardchannel ...] */
export const SUNSUBSCRIBE = defineCommand({
  name: 'SUNSUBSCRIBE',
  group: 'pubsub',
  arity: -1,
  flags: PUBSUB_FLAGS,
  keys: { first: 1, last: -1, step: 1 },
  keySpecs: [shardChannelSpec(-1)],
  args: [str('shardchannel', { optional: true, multiple: true })],
  summary: 'Stop listening for messages posted to the given shard channels',
  complexity: 'O(N) where N is the number of clients already subscribed to a shard channel.',
  since: '7.0.0',
  exec(c, argv): Reply {
    if (argv.length === 1) unsubscribeAllChannels(c, true, SHARD);
    else for (let j = 1; j < argv.length; j++) unsubscribeChannel(c, argv[j], true, SHARD);
    return NO_REPLY;
  },
});

// LAB: PUBLISH/SPUBLISH are not propagated (Redis forces them to replicas only, never the AOF;
// the lab has no replicas).

/** PUBLISH channel message — the number of clients that received it. */
export const PUBLISH = defineCommand({
  name: 'PUBLISH',
  group: 'pubsub',
  arity: 3,
  flags: ['pubsub', 'loading', 'stale', 'fast'],
  args: [str('channel'), str('message')],
  summary: 'Post a message to a channel',
  complexity:
    'O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client).',
  since: '2.0.0',
  exec: (c, argv) => int(publish(c.engine, argv[1], argv[2])),
});

/** SPUBLISH shardchannel message */
export const SPUBLISH = defineCommand({
  name: 'SPUBLISH',
  group: 'pubsub',
  arity: 3,
  flags: ['pubsub', 'loading', 'stale', 'fast'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: [shardChannelSpec(0)],
  args: [str('shardchannel'), str('message')],
  summary: 'Post a message to a shard channel',
  complexity: 'O(N) where N is the number of clients subscribed to the receiving shard channel.',
  since: '7.0.0',
  exec: (c, argv) => int(publish(c.engine, argv[1], argv[2], true)),
});

const PUBSUB_HELP = [
  'CHANNELS [<pattern>]',
  "    Return the currently active channels matching a <pattern> (default: '*').",
  'NUMPAT',
  '    Return number of subscriptions to patterns.',
  'NUMSUB [<channel> ...]',
  '    Return the number of subscribers for the specified channels, excluding',
  '    pattern subscriptions(default: no channels).',
  'SHARDCHANNELS [<pattern>]',
  "    Return the currently active shard level channels matching a <pattern> (default: '*').",
  'SHARDNUMSUB [<shardchannel> ...]',
  '    Return the number of subscribers for the specified shard level channel(s)',
];

/** channelList: the active channels, optionally filtered by a glob (case-sensitive). */
function channelList(channels: ReadonlyMap<string, ReadonlySet<Client>> | undefined, argv: string[]): Reply {
  if (argv.length > 3) fail(subcommandSyntaxError(argv[1], argv[0]));
  const pat = argv.length === 3 ? argv[2] : null;
  const out: Reply[] = [];
  if (channels) for (const ch of channels.keys()) if (pat === null || globMatch(pat, ch)) out.push(bulk(ch));
  return array(out);
}

/** NUMSUB/SHARDNUMSUB: channel, count pairs (patterns not counted). */
function numsub(channels: ReadonlyMap<string, ReadonlySet<Client>> | undefined, argv: string[]): Reply {
  const out: Reply[] = [];
  for (let j = 2; j < argv.length; j++) out.push(bulk(argv[j]), int(channels?.get(argv[j])?.size ?? 0));
  return array(out);
}

const pubsubSub = (
  name: string,
  arity: number,
  summary: string,
  complexity: string,
  since: string,
  args: CommandSpec['args'],
  exec: NonNullable<CommandSpec['exec']>,
): CommandSpec =>
  defineCommand({
    name,
    group: 'pubsub',
    arity,
    flags: ['pubsub', 'loading', 'stale'],
    args,
    summary,
    complexity,
    since,
    exec,
  });

/** PUBSUB CHANNELS|NUMPAT|NUMSUB|SHARDCHANNELS|SHARDNUMSUB|HELP */
export const PUBSUB = defineCommand({
  name: 'PUBSUB',
  group: 'pubsub',
  arity: -2,
  flags: [],
  summary: 'A container for Pub/Sub commands',
  complexity: 'Depends on subcommand.',
  since: '2.8.0',
  subcommands: [
    pubsubSub(
      'CHANNELS',
      -2,
      'List active channels',
      'O(N) where N is the number of active channels, and assuming constant time pattern matching (relatively short channels and patterns)',
      '2.8.0',
      [pattern('pattern', { optional: true })],
      (c, argv) => channelList(serverChannels(c.engine, false), argv),
    ),
    pubsubSub(
      'NUMSUB',
      -2,
      'Get the count of subscribers for channels',
      'O(N) for the NUMSUB subcommand, where N is the number of requested channels',
      '2.8.0',
      [str('channel', { optional: true, multiple: true })],
      (c, argv) => numsub(serverChannels(c.engine, false), argv),
    ),
    pubsubSub('NUMPAT', 2, 'Get the count of unique patterns pattern subscriptions', 'O(1)', '2.8.0', undefined, (c) =>
      int(pubsubTotals(c.engine).patterns),
    ),
    pubsubSub(
      'SHARDCHANNELS',
      -2,
      'List active shard channels',
      'O(N) where N is the number of active shard channels, and assuming constant time pattern matching (relatively short shard channels).',
      '7.0.0',
      [pattern('pattern', { optional: true })],
      (c, argv) => channelList(serverChannels(c.engine, true), argv),
    ),
    helpSubcommand('PUBSUB', { group: 'pubsub', since: '6.2.0', lines: PUBSUB_HELP }),
    pubsubSub(
      'SHARDNUMSUB',
      -2,
      'Get the count of subscribers for shard channels',
      'O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels',
      '7.0.0',
      [str('shardchannel', { optional: true, multiple: true })],
      (c, argv) => numsub(serverChannels(c.engine, true), argv),
    ),
  ],
});

export const PUBSUB_COMMANDS: readonly CommandSpec[] = [
  PSUBSCRIBE,
  PUBLISH,
  PUBSUB,
  PUNSUBSCRIBE,
  SPUBLISH,
  SSUBSCRIBE,
  SUBSCRIBE,
  SUNSUBSCRIBE,
  UNSUBSCRIBE,
];
