// Pub/Sub (src/pubsub.c): channel, pattern and shard-channel subscriptions, PUBLISH/SPUBLISH
// fan-out, PUBSUB introspection, and the per-client state behind subscribe mode. Confirmations and
// messages are pushes (RESP3 `>`, RESP2 arrays) delivered through client.deliver, one per channel.

import { type Client, NO_REPLY } from '../client';
import type { Engine } from '../engine';
import { subcommandSyntaxError } from '../errors';
import { type Reply, array, bulk, int, NIL } from '../protocol/reply';
import { globMatch } from '../util/glob';
import { fail } from './args';
import { infoFieldProviders } from './server-info';
import { block, type CommandSpec, defineCommand, type KeySpec, pattern, str } from './define';
import { helpReply } from './help';

/** A client's subscriptions (c->pubsub_channels, c->pubsub_patterns, c->pubsubshard_channels). */
interface ClientSubs {
  readonly channels: Set<string>;
  /** A list in Redis: PUNSUBSCRIBE with no argument walks it in subscription order. */
  readonly patterns: Set<string>;
  readonly shard: Set<string>;
}

/** server.pubsub_channels / pubsub_patterns / pubsubshard_channels: name → subscribers in order. */
interface ServerSubs {
  readonly channels: Map<string, Set<Client>>;
  readonly patterns: Map<string, Set<Client>>;
  readonly shard: Map<string, Set<Client>>;
}

/** The two kinds of channel subscription (pubSubType / pubSubShardType). */
interface Kind {
  readonly subscribe: string;
  readonly unsubscribe: string;
  readonly message: string;
  readonly client: (s: ClientSubs) => Set<string>;
  readonly server: (s: ServerSubs) => Map<string, Set<Client>>;
  /** The count printed in confirmations (clientSubscriptionsCount / clientShardSubscriptionsCount). */
  readonly count: (s: ClientSubs) => number;
}

const GLOBAL: Kind = {
  subscribe: 'subscribe',
  unsubscribe: 'unsubscribe',
  message: 'message',
  client: (s) => s.channels,
  server: (s) => s.channels,
  count: (s) => s.channels.size + s.patterns.size,
};

const SHARD: Kind = {
  subscribe: 'ssubscribe',
  unsubscribe: 'sunsubscribe',
  message: 'smessage',
  client: (s) => s.shard,
  server: (s) => s.shard,
  count: (s) => s.shard.size,
};

const servers = new WeakMap<Engine, ServerSubs>();

function serverSubs(engine: Engine): ServerSubs {
  let s = servers.get(engine);
  if (s === undefined) {
    s = { channels: new Map(), patterns: new Map(), shard: new Map() };
    servers.set(engine, s);
    engine.clientCloseHooks.push(resetPubSub);
  }
  return s;
}

function clientSubs(c: Client): ClientSubs {
  let s = c.ext.pubsub as ClientSubs | undefined;
  if (s === undefined) {
    s = { channels: new Set(), patterns: new Set(), shard: new Set() };
    c.ext.pubsub = s;
  }
  return s;
}

/** CLIENT_PUBSUB follows the total: channels + patterns + shard channels. */
function updateCount(c: Client, s: ClientSubs): void {
  c.subscriptionCount = s.channels.size + s.patterns.size + s.shard.size;
}

/** A push to `c`: `>` in RESP3, a plain array in RESP2 (addReplyPushLen / mbulkhdr). */
function push(c: Client, items: Reply[]): Reply {
  return c.resp === 3 ? { t: 'push', v: items } : array(items);
}

/** Per-client subscription counts, as CLIENT LIST prints them (sub=, psub=, ssub=). */
export function pubsubCounts(c: Client): { sub: number; psub: number; ssub: number } {
  const s = c.ext.pubsub as ClientSubs | undefined;
  if (s === undefined) return { sub: 0, psub: 0, ssub: 0 };
  return { sub: s.channels.size, psub: s.patterns.size, ssub: s.shard.size };
}

/** Is the client in subscribe mode (CLIENT_PUBSUB)? Under RESP2 it only accepts a few commands then. */
export function isInSubscribeMode(c: Client): boolean {
  return c.subscriptionCount > 0;
}

/** Server-wide counts for INFO stats: distinct channels, patterns and shard channels. */
export function pubsubTotals(engine: Engine): { channels: number; patterns: number; shardChannels: number } {
  const s = servers.get(engine);
  if (s === undefined) return { channels: 0, patterns: 0, shardChannels: 0 };
  return { channels: s.channels.size, patterns: s.patterns.size, shardChannels: s.shard.size };
}

infoFieldProviders.set('pubsub_channels', (e) => pubsubTotals(e).channels);
infoFieldProviders.set('pubsub_patterns', (e) => pubsubTotals(e).patterns);
infoFieldProviders.set('pubsubshard_channels', (e) => pubsubTotals(e).shardChannels);

// ---- low level API (pubsubSubscribeChannel & co) ----------------------------------------------

function subscribeChannel(c: Client, channel: string, kind: Kind): void {
  const s = clientSubs(c);
  const mine = kind.client(s);
  if (!mine.has(channel)) {
    mine.add(channel);
    const server = kind.server(serverSubs(c.engine));
    let clients = server.get(channel);
    if (clients === undefined) {
      clients = new Set();
      server.set(channel, clients);
    }
    clients.add(c);
    updateCount(c, s);
  }
  c.deliver(push(c, [bulk(kind.subscribe), bulk(channel), int(kind.count(s))]));
}

function unsubscribeChannel(c: Client, channel: string, notify: boolean, kind: Kind): boolean {
  const s = clientSubs(c);
  const mine = kind.client(s);
  const removed = mine.delete(channel);
  if (removed) {
    const server = kind.server(serverSubs(c.engine));
    const clients = server.get(channel);
    if (clients !== undefined) {
      clients.delete(c);
      // No subscriber left: forget the channel, so PUBSUB CHANNELS doesn't list it.
      if (clients.size === 0) server.delete(channel);
    }
    updateCount(c, s);
  }
  if (notify) c.deliver(push(c, [bulk(kind.unsubscribe), bulk(channel), int(kind.count(s))]));
  return removed;
}

function unsubscribeAllChannels(c: Client, notify: boolean, kind: Kind): number {
  const s = clientSubs(c);
  let count = 0;
  // LAB: Redis walks the client's channel dict in hash order; here it is subscription order.
  for (const ch of [...kind.client(s)]) if (unsubscribeChannel(c, ch, notify, kind)) count++;
  // Subscribed to nothing? Still reply: [unsubscribe, nil, count].
  if (notify && count === 0) c.deliver(push(c, [bulk(kind.unsubscribe), NIL, int(kind.count(s))]));
  return count;
}

function subscribePattern(c: Client, pat: string): void {
  const s = clientSubs(c);
  if (!s.patterns.has(pat)) {
    s.patterns.add(pat);
    const server = serverSubs(c.engine).patterns;
    let clients = server.get(pat);
    if (clients === undefined) {
      clients = new Set();
      server.set(pat, clients);
    }
    clients.add(c);
    updateCount(c, s);
  }
  c.deliver(push(c, [bulk('psubscribe'), bulk(pat), int(GLOBAL.count(s))]));
}

function unsubscribePattern(c: Client, pat: string, notify: boolean): boolean {
  const s = clientSubs(c);
  const removed = s.patterns.delete(pat);
  if (removed) {
    const server = serverSubs(c.engine).patterns;
    const clients = server.get(pat);
    if (clients !== undefined) {
      clients.delete(c);
      if (clients.size === 0) server.delete(pat);
    }
    updateCount(c, s);
  }
  if (notify) c.deliver(push(c, [bulk('punsubscribe'), bulk(pat), int(GLOBAL.count(s))]));
  return removed;
}

function unsubscribeAllPatterns(c: Client, notify: boolean): number {
  const s = clientSubs(c);
  let count = 0;
  for (const p of [...s.patterns]) if (unsubscribePattern(c, p, notify)) count++;
  if (notify && count === 0) c.deliver(push(c, [bulk('punsubscribe'), NIL, int(GLOBAL.count(s))]));
  return count;
}

/**
 * Drop every subscription without notifying (freeClient, and RESET's clearClientConnectionState).
 * Installed as a client-close hook; exported for RESET.
 */
export function resetPubSub(c: Client): void {
  if (c.ext.pubsub === undefined) return;
  unsubscribeAllChannels(c, false, GLOBAL);
  unsubscribeAllChannels(c, false, SHARD);
  unsubscribeAllPatterns(c, false);
  c.subscriptionCount = 0;
}

/**
 * pubsubPublishMessage: deliver to the channel's subscribers in subscription order, then (unless
 * sharded) to every client of every matching pattern. Returns the number of receivers.
 */
export function publish(engine: Engine, channel: string, message: string, sharded = false): number {
  const server = servers.get(engine);
  if (server === undefined) return 0;
  const kind = sharded ? SHARD : GLOBAL;
  let receivers = 0;
  const clients = kind.server(server).get(channel);
  if (clients !== undefined) {
    const items = [bulk(kind.message), bulk(channel), bulk(message)];
    const r2 = array(items);
    const r3: Reply = { t: 'push', v: items };
    for (const c of clients) {
      c.deliver(c.resp === 3 ? r3 : r2);
      receivers++;
    }
  }
  if (sharded || server.patterns.size === 0) return receivers;
  for (const [pat, subs] of server.patterns) {
    if (!globMatch(pat, channel)) continue;
    const items = [bulk('pmessage'), bulk(pat), bulk(channel), bulk(message)];
    const r2 = array(items);
    const r3: Reply = { t: 'push', v: items };
    for (const c of subs) {
      c.deliver(c.resp === 3 ? r3 : r2);
      receivers++;
    }
  }
  return receivers;
}

/** Does anyone listen at all? (lets keyspace notifications skip building channel names) */
export function hasSubscribers(engine: Engine): boolean {
  const s = servers.get(engine);
  return s !== undefined && (s.channels.size > 0 || s.patterns.size > 0);
}

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
function channelList(channels: Map<string, Set<Client>> | undefined, argv: string[]): Reply {
  if (argv.length > 3) fail(subcommandSyntaxError(argv[1], argv[0]));
  const pat = argv.length === 3 ? argv[2] : null;
  const out: Reply[] = [];
  if (channels) for (const ch of channels.keys()) if (pat === null || globMatch(pat, ch)) out.push(bulk(ch));
  return array(out);
}

/** NUMSUB/SHARDNUMSUB: channel, count pairs (patterns not counted). */
function numsub(channels: Map<string, Set<Client>> | undefined, argv: string[]): Reply {
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
      (c, argv) => channelList(servers.get(c.engine)?.channels, argv),
    ),
    pubsubSub(
      'NUMSUB',
      -2,
      'Get the count of subscribers for channels',
      'O(N) for the NUMSUB subcommand, where N is the number of requested channels',
      '2.8.0',
      [str('channel', { optional: true, multiple: true })],
      (c, argv) => numsub(servers.get(c.engine)?.channels, argv),
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
      (c, argv) => channelList(servers.get(c.engine)?.shard, argv),
    ),
    defineCommand({
      name: 'HELP',
      group: 'pubsub',
      arity: 2,
      flags: ['loading', 'stale'],
      summary: 'Show helpful text about the different subcommands',
      complexity: 'O(1)',
      since: '6.2.0',
      exec: (_c, argv) => helpReply(argv[0], PUBSUB_HELP),
    }),
    pubsubSub(
      'SHARDNUMSUB',
      -2,
      'Get the count of subscribers for shard channels',
      'O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels',
      '7.0.0',
      [str('shardchannel', { optional: true, multiple: true })],
      (c, argv) => numsub(servers.get(c.engine)?.shard, argv),
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
