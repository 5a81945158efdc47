// XREAD and XREADGROUP (src/t_stream.c xreadCommand, blocked.c serveClientsBlockedOnStreamKey):
// serve at once what is there, else block (BLOCK ms) until an XADD passes the ID the client waits
// for. Consumer-group reads move last_delivered_id and entries_read, fill the PELs and propagate as
// XCLAIM (plus XGROUP SETID after NOACK reads, XGROUP CREATECONSUMER for NOACK-created consumers).

import type { Client } from '../client';
import { E, noSuchKeyOrGroup, xreadBlockInScript } from '../errors';
import { blockForKeys, canBlock } from '../keyspace/blocking';
import { array, bulk, error, map, NIL_ARRAY, type Reply } from '../protocol/reply';
import {
  type ConsumerGroup,
  formatId,
  ID_MAX,
  INVALID_ENTRIES_READ,
  type RedisStream,
  type StreamConsumer,
  type StreamID,
} from '../types/stream';
import { fail, isCToken, parseInteger } from './args';
import { type CommandSpec, defineCommand, integer, key, str, tok } from './define';
import {
  createConsumer,
  entryReply,
  lookupConsumer,
  rangeReply,
  readStream,
  setIdArgv,
  strictIdArg,
  xclaimArgv,
} from './stream-common';

/** The scripting engine's client has this fd (CLIENT_SCRIPT). */
const SCRIPT_FD = -2;

/** XREAD_BLOCKED_DEFAULT_COUNT: a blocked reader without COUNT gets at most this many entries. */
const BLOCKED_DEFAULT_COUNT = 1000;

/** A write the read caused, for the AOF/replicas (alsoPropagate, or propagate outside a command). */
type Propagate = (argv: string[]) => void;

/** The group part of a read: which group and consumer, NOACK. */
interface GroupRead {
  group: ConsumerGroup;
  consumer: StreamConsumer;
  noack: boolean;
}

/**
 * streamReplyWithRange with a group: entries after `start`, moving the group's last ID and read
 * counter past them, and (unless NOACK) recording each in the group's and consumer's PELs.
 */
function groupRange(
  c: Client,
  s: RedisStream,
  key: string,
  r: GroupRead,
  start: StreamID,
  count: number,
  prop: Propagate,
): Reply[] {
  const { group: g, consumer, noack } = r;
  const now = c.engine.clock.now();
  const out: Reply[] = [];
  let propagateLastId = false;
  for (const [e, node] of s.range(start, ID_MAX)) {
    if (e.id > g.lastId) {
      if (g.entriesRead !== INVALID_ENTRIES_READ && !s.rangeHasTombstones(e.id)) {
        g.entriesRead = BigInt.asIntN(64, g.entriesRead + 1n);
      } else if (s.entriesAdded) {
        g.entriesRead = s.estimateDistance(e.id);
      }
      g.lastId = e.id;
      if (noack) propagateLastId = true;
    }
    out.push(entryReply(e, node));
    if (!noack) {
      let nack = g.pel.get(e.id);
      if (nack === undefined) {
        nack = { deliveryTime: now, deliveryCount: 1n, consumer };
        g.pel.set(e.id, nack);
      } else {
        // Already pending (XGROUP SETID moved the group back): it goes to this consumer afresh.
        nack.consumer?.pel.delete(e.id);
        nack.consumer = consumer;
        nack.deliveryTime = now;
        nack.deliveryCount = 1n;
      }
      consumer.pel.set(e.id, nack);
      prop(xclaimArgv(key, g, formatId(e.id), nack));
    }
    if (count && out.length === count) break;
  }
  if (propagateLastId) prop(setIdArgv(key, g));
  return out;
}

/** streamReplyWithRangeFromConsumerPEL: the consumer's own pending entries from `start` (history). */
function historyRange(c: Client, s: RedisStream, consumer: StreamConsumer, start: StreamID, count: number): Reply[] {
  const now = c.engine.clock.now();
  const out: Reply[] = [];
  for (const [id, nack] of consumer.pel.ascending(start)) {
    if (count && out.length >= count) break;
    const found = s.find(id);
    if (found === undefined) {
      // Deleted from the stream since: the ID with a null entry.
      out.push(array([bulk(formatId(id)), NIL_ARRAY]));
    } else {
      out.push(entryReply(found[0], found[1]));
      nack.deliveryTime = now;
      nack.deliveryCount = BigInt.asUintN(64, nack.deliveryCount + 1n);
    }
  }
  return out;
}

/** The consumer of a group read, created when missing (propagated when NOACK won't create it). */
function readConsumer(c: Client, g: ConsumerGroup, name: string, key: string, noack: boolean, prop: Propagate) {
  const found = lookupConsumer(c, g, name);
  if (found !== undefined) return found;
  const created = createConsumer(c, g, name, key) as StreamConsumer;
  if (noack) prop(['XGROUP', 'CREATECONSUMER', key, g.name, name]);
  return created;
}

/** The reply: [[key, entries], ...] (a map under RESP3). */
function readReply(c: Client, served: [string, Reply[]][]): Reply {
  if (c.resp === 2) return array(served.map(([k, es]) => array([bulk(k), array(es)])));
  return map(served.map(([k, es]) => [bulk(k), array(es)] as const));
}

/** getTimeoutFromObjectOrReply(UNIT_MILLISECONDS): the absolute deadline, 0 = forever. */
function parseMsTimeout(c: Client, arg: string): number {
  const ms = Number(parseInteger(arg, E.TIMEOUT_NOT_INTEGER));
  if (ms < 0) fail(E.TIMEOUT_NEGATIVE);
  return ms > 0 ? c.engine.now() + ms : 0;
}

/** The C-string comparison strcmp(arg, "$") / strcmp(arg, ">"). */
const cIs = (arg: string, s: string): boolean =>
  (arg.indexOf('\0') === -1 ? arg : arg.slice(0, arg.indexOf('\0'))) === s;

/** xreadCommand: XREAD [COUNT n] [BLOCK ms] STREAMS key... id...; XREADGROUP GROUP g c [NOACK] ... */
function xread(c: Client, argv: string[], xreadgroup: boolean): Reply {
  let timeout = -1;
  let count = 0;
  let streamsArg = 0;
  let n = 0;
  let noack = false;
  let groupName: string | undefined;
  let consumerName = '';
  for (let i = 1; i < argv.length; i++) {
    const more = argv.length - i - 1;
    const o = argv[i];
    if (isCToken(o, 'BLOCK') && more) {
      // Scripts can't block; unlike MULTI (which behaves as timed out) the option is refused.
      if (c.fd === SCRIPT_FD) fail(xreadBlockInScript(argv[0]));
      timeout = parseMsTimeout(c, argv[++i]);
    } else if (isCToken(o, 'COUNT') && more) {
      count = Number(parseInteger(argv[++i]));
      if (count < 0) count = 0;
    } else if (isCToken(o, 'STREAMS') && more) {
      streamsArg = i + 1;
      n = argv.length - streamsArg;
      if (n % 2 !== 0) fail(E.XREAD_UNBALANCED);
      n /= 2;
      break;
    } else if (isCToken(o, 'GROUP') && more >= 2) {
      if (!xreadgroup) fail(E.XREAD_GROUP_OPTION);
      groupName = argv[i + 1];
      consumerName = argv[i + 2];
      i += 2;
    } else if (isCToken(o, 'NOACK')) {
      if (!xreadgroup) fail(E.XREAD_NOACK_OPTION);
      noack = true;
    } else {
      fail(E.SYNTAX);
    }
  }
  if (streamsArg === 0) fail(E.SYNTAX);
  if (xreadgroup && groupName === undefined) fail(E.XREADGROUP_NO_GROUP_OPTION);
  if (xreadgroup) c.engine.preventPropagation();

  const keys = argv.slice(streamsArg, streamsArg + n);
  const ids: StreamID[] = [];
  const groups: ConsumerGroup[] = [];
  for (let j = 0; j < n; j++) {
    const k = keys[j];
    const s = readStream(c, k);
    if (groupName !== undefined) {
      const g = s?.lookupGroup(groupName);
      if (g === undefined) fail(noSuchKeyOrGroup(k, groupName, true));
      groups.push(g);
    }
    const arg = argv[streamsArg + n + j];
    if (cIs(arg, '$')) {
      if (xreadgroup) fail(E.XREADGROUP_DOLLAR);
      ids.push(s?.lastId ?? 0n);
    } else if (cIs(arg, '>')) {
      if (!xreadgroup) fail(E.XREAD_GT_ID);
      // The largest ID stands for ">"; blocked readers re-read the group's last ID when served.
      ids.push(ID_MAX);
    } else {
      ids.push(strictIdArg(arg));
    }
  }

  const prop: Propagate = (a) => c.engine.alsoPropagate(c.db.id, a);
  const served: [string, Reply[]][] = [];
  for (let j = 0; j < n; j++) {
    const k = keys[j];
    const s = readStream(c, k);
    if (s === undefined) continue;
    let gt = ids[j];
    let history = false;
    let serve = false;
    const g = groups[j];
    if (g !== undefined) {
      if (gt !== ID_MAX) {
        serve = history = true;
      } else if (s.length && (s.lastValidId() ?? 0n) > g.lastId) {
        serve = true;
        gt = g.lastId;
      }
    } else if (s.length && (s.lastValidId() ?? 0n) > gt) {
      serve = true;
    }
    if (!serve) continue;
    const start = gt + 1n;
    if (g !== undefined) {
      const consumer = readConsumer(c, g, consumerName, k, noack, prop);
      const entries = history
        ? historyRange(c, s, consumer, start, count)
        : groupRange(c, s, k, { group: g, consumer, noack }, start, count, prop);
      served.push([k, entries]);
      c.engine.dirty++;
    } else {
      served.push([k, rangeReply(s, start, ID_MAX, count, false)]);
    }
  }
  if (served.length > 0) return readReply(c, served);
  if (timeout === -1) return NIL_ARRAY;
  // Inside MULTI/EXEC the only thing to do is to behave as if the wait timed out.
  if (!canBlock(c)) return NIL_ARRAY;
  const waitFor = new Map<string, StreamID>();
  for (let j = 0; j < n; j++) if (!waitFor.has(keys[j])) waitFor.set(keys[j], ids[j]);
  const limit = count || BLOCKED_DEFAULT_COUNT;
  return blockForKeys(c, {
    type: 'stream',
    keys,
    timeout,
    onReady: (k) => serveBlocked(c, k, waitFor, limit, groupName, consumerName, noack),
    onKeyGone: groupName === undefined ? undefined : () => error(E.XREADGROUP_KEY_GONE),
  });
}

/**
 * serveClientsBlockedOnStreamKey for one client: serve it when the stream's last ID passed the one
 * it waits for (for a group: the group's current last ID); its writes are propagated as one unit.
 */
function serveBlocked(
  c: Client,
  k: string,
  waitFor: Map<string, StreamID>,
  count: number,
  groupName: string | undefined,
  consumerName: string,
  noack: boolean,
): Reply | undefined {
  const s = c.db.peekEntry(k)?.val as RedisStream;
  let gt = waitFor.get(k) ?? 0n;
  let g: ConsumerGroup | undefined;
  if (groupName !== undefined) {
    g = s.lookupGroup(groupName);
    if (g === undefined) return error(E.XREADGROUP_GROUP_GONE);
    gt = g.lastId;
  }
  if (s.lastId <= gt) return undefined;
  const ops: string[][] = [];
  const prop: Propagate = (a) => ops.push(a);
  let entries: Reply[];
  if (g !== undefined) {
    const consumer = readConsumer(c, g, consumerName, k, noack, prop);
    entries = groupRange(c, s, k, { group: g, consumer, noack }, gt + 1n, count, prop);
  } else {
    entries = rangeReply(s, gt + 1n, ID_MAX, count, false);
  }
  const eng = c.engine;
  const db = c.db.id;
  if (ops.length > 1) eng.propagate(db, ['MULTI']);
  for (const op of ops) eng.propagate(db, op);
  if (ops.length > 1) eng.propagate(db, ['EXEC']);
  return readReply(c, [[k, entries]]);
}

const STREAMS_BLOCK = {
  name: 'streams',
  type: 'block',
  token: 'STREAMS',
  args: [key('key', { multiple: true }), str('id', { multiple: true })],
} as const;

/** XREAD [COUNT count] [BLOCK milliseconds] STREAMS key [key ...] id [id ...] */
export const XREAD = defineCommand({
  name: 'XREAD',
  group: 'stream',
  arity: -4,
  flags: ['readonly', 'blocking', 'movablekeys'],
  keySpecs: [
    { flags: ['RO', 'ACCESS'], begin: { keyword: 'STREAMS', startFrom: 1 }, find: { lastKey: -1, step: 1, limit: 2 } },
  ],
  args: [
    integer('count', { token: 'COUNT', optional: true }),
    integer('milliseconds', { token: 'BLOCK', optional: true }),
    STREAMS_BLOCK,
  ],
  summary:
    'Return never seen elements in multiple streams, with IDs greater than the ones reported by the caller for each stream. Can block.',
  complexity:
    'For each stream mentioned: O(N) with N being the number of elements being returned, it means that XREAD-ing with a fixed COUNT is O(1). Note that when the BLOCK option is used, XADD will pay O(M) time in order to serve the M clients blocked on the stream getting new data.',
  since: '5.0.0',
  exec: (c, argv) => xread(c, argv, false),
});

/** XREADGROUP GROUP group consumer [COUNT count] [BLOCK milliseconds] [NOACK] STREAMS key [key ...] id [id ...] */
export const XREADGROUP = defineCommand({
  name: 'XREADGROUP',
  group: 'stream',
  arity: -7,
  flags: ['write', 'blocking', 'movablekeys'],
  keySpecs: [
    { flags: ['RO', 'ACCESS'], begin: { keyword: 'STREAMS', startFrom: 4 }, find: { lastKey: -1, step: 1, limit: 2 } },
  ],
  args: [
    { name: 'group_consumer', type: 'block', token: 'GROUP', args: [str('group'), str('consumer')] },
    integer('count', { token: 'COUNT', optional: true }),
    integer('milliseconds', { token: 'BLOCK', optional: true }),
    tok('NOACK'),
    STREAMS_BLOCK,
  ],
  summary:
    'Return new entries from a stream using a consumer group, or access the history of the pending entries for a given consumer. Can block.',
  complexity:
    'For each stream mentioned: O(M) with M being the number of elements returned. If M is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1). On the other side when XREADGROUP blocks, XADD will pay the O(N) time in order to serve the N clients blocked on the stream getting new data.',
  since: '5.0.0',
  exec: (c, argv) => xread(c, argv, true),
});

export const STREAM_READ_COMMANDS: readonly CommandSpec[] = [XREAD, XREADGROUP];
