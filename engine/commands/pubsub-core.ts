// The Pub/Sub state and low-level API of src/pubsub.c: each client's channels, patterns and shard
// channels, the server's channel → subscribers maps (subscription order kept), confirmations and
// message fan-out as pushes through client.deliver. Commands are in pubsub.ts; notify.ts publishes here.

import type { Client } from '../client';
import type { Engine } from '../engine';
import { type Reply, array, bulk, int, NIL } from '../protocol/reply';
import { globMatch } from '../util/glob';

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
export interface Kind {
  readonly subscribe: string;
  readonly unsubscribe: string;
  readonly message: string;
  readonly client: (s: ClientSubs) => Set<string>;
  readonly server: (s: ServerSubs) => Map<string, Set<Client>>;
  /** The count printed in confirmations (clientSubscriptionsCount / clientShardSubscriptionsCount). */
  readonly count: (s: ClientSubs) => number;
}

export const GLOBAL: Kind = {
  subscribe: 'subscribe',
  unsubscribe: 'unsubscribe',
  message: 'message',
  client: (s) => s.channels,
  server: (s) => s.channels,
  count: (s) => s.channels.size + s.patterns.size,
};

export const SHARD: Kind = {
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

// ---- low level API (pubsubSubscribeChannel & co) ----------------------------------------------

export function subscribeChannel(c: Client, channel: string, kind: Kind): void {
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

export function unsubscribeChannel(c: Client, channel: string, notify: boolean, kind: Kind): boolean {
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

export function unsubscribeAllChannels(c: Client, notify: boolean, kind: Kind): number {
  const s = clientSubs(c);
  let count = 0;
  // LAB: Redis walks the client's channel dict in hash order; here it is subscription order.
  for (const ch of [...kind.client(s)]) if (unsubscribeChannel(c, ch, notify, kind)) count++;
  // Subscribed to nothing? Still reply: [unsubscribe, nil, count].
  if (notify && count === 0) c.deliver(push(c, [bulk(kind.unsubscribe), NIL, int(kind.count(s))]));
  return count;
}

export function subscribePattern(c: Client, pat: string): void {
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

export function unsubscribePattern(c: Client, pat: string, notify: boolean): boolean {
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

export function unsubscribeAllPatterns(c: Client, notify: boolean): number {
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

/** The server's channel → subscribers map (PUBSUB CHANNELS / NUMSUB), undefined before any subscription. */
export function serverChannels(engine: Engine, sharded: boolean): ReadonlyMap<string, ReadonlySet<Client>> | undefined {
  const s = servers.get(engine);
  return s === undefined ? undefined : sharded ? s.shard : s.channels;
}

/** Does anyone listen at all? (lets keyspace notifications skip building channel names) */
export function hasSubscribers(engine: Engine): boolean {
  const s = servers.get(engine);
  return s !== undefined && (s.channels.size > 0 || s.patterns.size > 0);
}
