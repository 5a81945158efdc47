// CLIENT TRACKING, CACHING, GETREDIR, TRACKINGINFO (client-side caching) and CLIENT PAUSE, UNPAUSE:
// the parts of Redis 7.0's clientCommand (src/networking.c) that drive src/tracking.c and
// pauseClients. connection-client.ts gathers them into the CLIENT container.

import type { Client } from '../client';
import { E, subcommandSyntaxError } from '../errors';
import { trackingState } from '../client-line';
import { tracking } from '../keyspace/tracking';
import { type Reply, array, bulk, int, map, OK } from '../protocol/reply';
import { fail, parseLongLong } from './args';
import { type ArgSpec, type CommandSpec, defineCommand } from './define';

const FLAGS = ['noscript', 'loading', 'stale'] as const;
const ADMIN_FLAGS = ['admin', 'noscript', 'loading', 'stale'] as const;
const token = (name: string): ArgSpec => ({ name, type: 'pure-token', token: name.toUpperCase() });
const option = (name: string): ArgSpec => ({
  name: name.toLowerCase(),
  type: 'pure-token',
  token: name,
  optional: true,
});

/** CLIENT TRACKING ON|OFF [REDIRECT id] [PREFIX p ...] [BCAST] [OPTIN] [OPTOUT] [NOLOOP] */
function clientTracking(c: Client, argv: string[]): Reply {
  let redirect = 0;
  const opts = { bcast: false, optin: false, optout: false, noloop: false };
  const prefixes: string[] = [];
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j].toLowerCase();
    const moreArgs = j < argv.length - 1;
    if (opt === 'redirect' && moreArgs) {
      j++;
      if (redirect !== 0) fail(E.TRACKING_ONE_REDIRECT);
      const id = parseLongLong(argv[j]);
      if (id === null) fail(E.NOT_INTEGER);
      // The client must exist now (it may go away later: then the redirection is broken).
      if (c.engine.clients.get(Number(id)) === undefined) fail(E.TRACKING_REDIRECT_UNKNOWN);
      redirect = Number(id);
    } else if (opt === 'bcast') opts.bcast = true;
    else if (opt === 'optin') opts.optin = true;
    else if (opt === 'optout') opts.optout = true;
    else if (opt === 'noloop') opts.noloop = true;
    else if (opt === 'prefix' && moreArgs) prefixes.push(argv[++j]);
    else fail(E.SYNTAX);
  }
  const mode = argv[2].toLowerCase();
  if (mode === 'off') {
    c.engine.tracking?.disable(c);
    return OK;
  }
  if (mode !== 'on') fail(E.SYNTAX);
  const st = trackingState(c);
  if (!opts.bcast && prefixes.length > 0) fail(E.TRACKING_PREFIX_NEEDS_BCAST);
  if (st !== undefined && st.bcast !== opts.bcast) fail(E.TRACKING_BCAST_SWITCH);
  if (opts.bcast && (opts.optin || opts.optout)) fail(E.TRACKING_OPT_WITH_BCAST);
  if (opts.optin && opts.optout) fail(E.TRACKING_OPTIN_AND_OPTOUT);
  if ((opts.optin && st?.optout) || (opts.optout && st?.optin)) fail(E.TRACKING_OPT_SWITCH);
  const t = tracking(c.engine);
  if (opts.bcast) {
    const collision = t.prefixCollision(c, prefixes);
    if (collision !== null) fail(collision);
  }
  t.enable(c, redirect, opts, prefixes);
  return OK;
}

/** CLIENT CACHING YES|NO */
function clientCaching(c: Client, argv: string[]): Reply {
  const st = trackingState(c);
  if (st === undefined) fail(E.CLIENT_CACHING_NO_TRACKING);
  const opt = argv[2].toLowerCase();
  if (opt === 'yes') {
    if (!st.optin) fail(E.CLIENT_CACHING_YES_NOT_OPTIN);
  } else if (opt === 'no') {
    if (!st.optout) fail(E.CLIENT_CACHING_NO_NOT_OPTOUT);
  } else fail(E.SYNTAX);
  st.caching = true;
  return OK;
}

/** CLIENT TRACKINGINFO: flags (a set), redirect, prefixes. */
function clientTrackingInfo(c: Client): Reply {
  const st = trackingState(c);
  const flags = [bulk(st === undefined ? 'off' : 'on')];
  if (st !== undefined) {
    if (st.bcast) flags.push(bulk('bcast'));
    if (st.optin) {
      flags.push(bulk('optin'));
      if (st.caching) flags.push(bulk('caching-yes'));
    }
    if (st.optout) {
      flags.push(bulk('optout'));
      if (st.caching) flags.push(bulk('caching-no'));
    }
    if (st.noloop) flags.push(bulk('noloop'));
    if (st.brokenRedirect) flags.push(bulk('broken_redirect'));
  }
  return map([
    [bulk('flags'), { t: 'set', v: flags }],
    [bulk('redirect'), int(st === undefined ? -1 : st.redirect)],
    [bulk('prefixes'), array((st?.prefixes ?? []).map((p) => bulk(p)))],
  ]);
}

/** CLIENT PAUSE timeout [WRITE|ALL] */
function clientPause(c: Client, argv: string[]): Reply {
  if (argv.length > 4) fail(subcommandSyntaxError(argv[1], 'client'));
  let type: 'write' | 'all' = 'all';
  if (argv.length === 4) {
    const mode = argv[3].toLowerCase();
    if (mode === 'write') type = 'write';
    else if (mode !== 'all') fail(E.CLIENT_PAUSE_MODE);
  }
  // getTimeoutFromObjectOrReply(UNIT_MILLISECONDS): 0 is an end time already past.
  const ms = parseLongLong(argv[2]);
  if (ms === null) fail(E.TIMEOUT_NOT_INTEGER);
  if (ms < 0) fail(E.TIMEOUT_NEGATIVE);
  // LAB: an end beyond 2^53 ms is only approximately far (never reached either way).
  const end = ms > 0 ? c.engine.now() + Number(ms) : 0;
  c.engine.clientPause.pause(end, type);
  return OK;
}

export const TRACKING_SUBCOMMANDS: CommandSpec[] = [
  defineCommand({
    name: 'CACHING',
    group: 'connection',
    arity: 3,
    flags: FLAGS,
    summary: 'Instruct the server about tracking or not keys in the next request',
    complexity: 'O(1)',
    since: '6.0.0',
    args: [{ name: 'mode', type: 'oneof', args: [token('yes'), token('no')] }],
    exec: clientCaching,
  }),
  defineCommand({
    name: 'GETREDIR',
    group: 'connection',
    arity: 2,
    flags: FLAGS,
    summary: 'Get tracking notifications redirection client ID if any',
    complexity: 'O(1)',
    since: '6.0.0',
    exec: (c) => int(trackingState(c)?.redirect ?? -1),
  }),
  defineCommand({
    name: 'PAUSE',
    group: 'connection',
    arity: -3,
    flags: ADMIN_FLAGS,
    summary: 'Stop processing commands from clients for some time',
    complexity: 'O(1)',
    since: '2.9.50',
    history: [['6.2.0', '`CLIENT PAUSE WRITE` mode added along with the `mode` option.']],
    args: [
      { name: 'timeout', type: 'integer' },
      { name: 'mode', type: 'oneof', optional: true, since: '6.2.0', args: [token('write'), token('all')] },
    ],
    exec: clientPause,
  }),
  defineCommand({
    name: 'TRACKING',
    group: 'connection',
    arity: -3,
    flags: FLAGS,
    summary: 'Enable or disable server assisted client side caching support',
    complexity: 'O(1). Some options may introduce additional complexity.',
    since: '6.0.0',
    args: [
      { name: 'status', type: 'oneof', args: [token('on'), token('off')] },
      { name: 'client-id', type: 'integer', token: 'REDIRECT', optional: true },
      { name: 'prefix', type: 'string', token: 'PREFIX', optional: true, multiple: true, multipleToken: true },
      option('BCAST'),
      option('OPTIN'),
      option('OPTOUT'),
      option('NOLOOP'),
    ],
    exec: clientTracking,
  }),
  defineCommand({
    name: 'TRACKINGINFO',
    group: 'connection',
    arity: 2,
    flags: FLAGS,
    summary: 'Return information about server assisted client side caching for the current connection',
    complexity: 'O(1)',
    since: '6.2.0',
    exec: clientTrackingInfo,
  }),
  defineCommand({
    name: 'UNPAUSE',
    group: 'connection',
    arity: 2,
    flags: ADMIN_FLAGS,
    summary: 'Resume processing of clients that were paused',
    complexity: 'O(N) Where N is the number of paused clients',
    since: '6.2.0',
    exec(c): Reply {
      c.engine.clientPause.unpause();
      return OK;
    },
  }),
];
