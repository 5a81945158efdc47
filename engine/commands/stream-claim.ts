// XCLAIM and XAUTOCLAIM (src/t_stream.c): move pending entries to another consumer once idle long
// enough; entries deleted from the stream meanwhile are cleared from the PEL. Every claimed or
// cleared entry propagates as the idempotent XCLAIM ... TIME t RETRYCOUNT n FORCE JUSTID LASTID id
// form (the command itself never is), a LASTID-only change as XGROUP SETID.

import { E, xclaimUnrecognized } from '../errors';
import { array, bulk, type Reply } from '../protocol/reply';
import { type ConsumerGroup, formatId, ID_MAX, type StreamConsumer, type StreamID } from '../types/stream';
import { fail, isCToken, parseInteger, parseLongLong } from './args';
import { defineCommand, integer, key, str, tok, unixTime } from './define';
import {
  consumerFor,
  entryReply,
  groupOf,
  intervalArg,
  parseId,
  setIdArgv,
  strictIdArg,
  xclaimArgv,
  xkeys,
} from './stream-common';

/** Move a pending entry to `consumer` (its old owner's PEL loses it). */
function reassign(g: ConsumerGroup, id: StreamID, consumer: StreamConsumer): void {
  const nack = g.pel.get(id);
  if (nack === undefined || nack.consumer === consumer) return;
  nack.consumer?.pel.delete(id);
  consumer.pel.set(id, nack);
  nack.consumer = consumer;
}

/** XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms] [TIME unix-time-milliseconds] [RETRYCOUNT count] [FORCE] [JUSTID] [LASTID lastid] */
export const XCLAIM = defineCommand({
  name: 'XCLAIM',
  group: 'stream',
  arity: -6,
  flags: ['write', 'fast'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: [xkeys(['RW', 'UPDATE'])],
  args: [
    key(),
    str('group'),
    str('consumer'),
    str('min-idle-time'),
    str('id', { multiple: true }),
    integer('ms', { token: 'IDLE', optional: true }),
    unixTime('unix-time-milliseconds', { token: 'TIME', optional: true }),
    integer('count', { token: 'RETRYCOUNT', optional: true }),
    tok('FORCE'),
    tok('JUSTID'),
    str('id', { token: 'LASTID', optional: true }),
  ],
  summary:
    'Changes (or acquires) ownership of a message in a consumer group, as if the message was delivered to the specified consumer.',
  complexity: 'O(log N) with N being the number of messages in the PEL of the consumer group.',
  since: '5.0.0',
  tips: ['nondeterministic_output'],
  exec(c, argv): Reply {
    const k = argv[1];
    const [s, g] = groupOf(c, k, argv[2]);
    let minidle = Number(parseInteger(argv[4], E.XCLAIM_MIN_IDLE));
    if (minidle < 0) minidle = 0;
    // The IDs run up to the first argument that isn't one; options follow.
    const ids: StreamID[] = [];
    let j = 5;
    for (; j < argv.length; j++) {
      const p = parseId(argv[j], 0n, true);
      if (p === null) break;
      ids.push(p.id);
    }
    const now = c.engine.clock.now();
    let force = false;
    let justid = false;
    let retrycount = -1n;
    let deliverytime: number | null = null;
    let lastId = 0n;
    for (; j < argv.length; j++) {
      const more = argv.length - 1 - j;
      const opt = argv[j];
      if (isCToken(opt, 'FORCE')) force = true;
      else if (isCToken(opt, 'JUSTID')) justid = true;
      else if (isCToken(opt, 'IDLE') && more) deliverytime = now - Number(parseInteger(argv[++j], E.XCLAIM_IDLE));
      else if (isCToken(opt, 'TIME') && more) deliverytime = Number(parseInteger(argv[++j], E.XCLAIM_TIME));
      else if (isCToken(opt, 'RETRYCOUNT') && more) retrycount = BigInt(parseInteger(argv[++j], E.XCLAIM_RETRYCOUNT));
      else if (isCToken(opt, 'LASTID') && more) lastId = strictIdArg(argv[++j]);
      else fail(xclaimUnrecognized(opt));
    }
    const eng = c.engine;
    const prop = (a: string[]) => eng.alsoPropagate(c.db.id, a);
    let propagateLastId = false;
    if (lastId > g.lastId) {
      g.lastId = lastId;
      propagateLastId = true;
    }
    // A bogus time (negative or in the future) means now, as does no IDLE/TIME at all.
    const when = deliverytime === null || deliverytime < 0 || deliverytime > now ? now : deliverytime;
    let consumer: StreamConsumer | undefined;
    const out: Reply[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      const idText = argv[5 + i];
      let nack = g.pel.get(id);
      const found = s.find(id);
      if (found === undefined) {
        // The entry is gone from the stream: its pending entry is cleared (and that propagated).
        if (nack !== undefined) {
          prop(xclaimArgv(k, g, idText, nack));
          propagateLastId = false;
          eng.dirty++;
          g.pel.delete(id);
          nack.consumer?.pel.delete(id);
        }
        continue;
      }
      if (force && nack === undefined) {
        nack = { deliveryTime: now, deliveryCount: 1n, consumer: null };
        g.pel.set(id, nack);
      }
      if (nack === undefined) continue;
      if (nack.consumer !== null && minidle && now - nack.deliveryTime < minidle) continue;
      consumer ??= consumerFor(c, g, argv[3], k);
      nack.deliveryTime = when;
      if (retrycount >= 0n) nack.deliveryCount = retrycount;
      else if (!justid) nack.deliveryCount = BigInt.asUintN(64, nack.deliveryCount + 1n);
      if (nack.consumer === null) {
        consumer.pel.set(id, nack);
        nack.consumer = consumer;
      } else {
        reassign(g, id, consumer);
      }
      out.push(justid ? bulk(formatId(id)) : entryReply(found[0], found[1]));
      prop(xclaimArgv(k, g, idText, nack));
      propagateLastId = false;
      eng.dirty++;
    }
    if (propagateLastId) {
      prop(setIdArgv(k, g));
      eng.dirty++;
    }
    eng.preventPropagation();
    return array(out);
  },
});

/** COUNT's upper bound: LONG_MAX / max(sizeof(streamID), attempts factor). */
const AUTOCLAIM_MAX_COUNT = 576460752303423487n;
// LAB: ztrymalloc(count * 16) fails past what the allocator can reserve; measured on the reference
// machine (x86-64 Linux, overcommit heuristic) at about 10 * 2^43 bytes.
const AUTOCLAIM_MAX_ALLOC = 10 * 2 ** 43;

/** XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID] */
export const XAUTOCLAIM = defineCommand({
  name: 'XAUTOCLAIM',
  group: 'stream',
  arity: -6,
  flags: ['write', 'fast'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: [xkeys(['RW', 'DELETE'])],
  args: [
    key(),
    str('group'),
    str('consumer'),
    str('min-idle-time'),
    str('start'),
    integer('count', { token: 'COUNT', optional: true }),
    tok('JUSTID'),
  ],
  summary:
    'Changes (or acquires) ownership of messages in a consumer group, as if the messages were delivered to the specified consumer.',
  complexity: 'O(1) if COUNT is small.',
  since: '6.2.0',
  history: [
    ['7.0.0', 'Added an element to the reply array, containing deleted entries the command cleared from the PEL'],
  ],
  tips: ['nondeterministic_output'],
  exec(c, argv): Reply {
    let minidle = Number(parseInteger(argv[4], E.XAUTOCLAIM_MIN_IDLE));
    if (minidle < 0) minidle = 0;
    const start = intervalArg(argv[5], true);
    let count = 100;
    let justid = false;
    for (let j = 6; j < argv.length; j++) {
      const more = argv.length - 1 - j;
      if (isCToken(argv[j], 'COUNT') && more) {
        const n = parseLongLong(argv[++j]);
        if (n === null || n < 1 || n > AUTOCLAIM_MAX_COUNT) fail(E.COUNT_MUST_BE_POSITIVE);
        count = Number(n);
      } else if (isCToken(argv[j], 'JUSTID')) {
        justid = true;
      } else {
        fail(E.SYNTAX);
      }
    }
    const k = argv[1];
    const [s, g] = groupOf(c, k, argv[2]);
    if (count * 16 > AUTOCLAIM_MAX_ALLOC) fail(E.XAUTOCLAIM_NOMEM);
    const eng = c.engine;
    const prop = (a: string[]) => eng.alsoPropagate(c.db.id, a);
    const now = eng.clock.now();
    let attempts = count * 10;
    let consumer: StreamConsumer | undefined;
    const claimed: Reply[] = [];
    const deleted: Reply[] = [];
    const after = (id: StreamID) => (id === ID_MAX ? undefined : g.pel.ceil(id + 1n));
    let cur = g.pel.ceil(start);
    while (attempts-- > 0 && count > 0 && cur !== undefined) {
      const [id, nack] = cur;
      const found = s.find(id);
      if (found === undefined) {
        // Gone from the stream: cleared from the PEL and reported in the third element.
        prop(xclaimArgv(k, g, formatId(id), nack));
        eng.dirty++;
        g.pel.delete(id);
        nack.consumer?.pel.delete(id);
        deleted.push(bulk(formatId(id)));
        count--;
        cur = g.pel.ceil(id);
        continue;
      }
      if (minidle && now - nack.deliveryTime < minidle) {
        cur = after(id);
        continue;
      }
      consumer ??= consumerFor(c, g, argv[3], k);
      reassign(g, id, consumer);
      nack.deliveryTime = now;
      if (!justid) nack.deliveryCount = BigInt.asUintN(64, nack.deliveryCount + 1n);
      claimed.push(justid ? bulk(formatId(id)) : entryReply(found[0], found[1]));
      count--;
      prop(xclaimArgv(k, g, formatId(id), nack));
      eng.dirty++;
      cur = after(id);
    }
    eng.preventPropagation();
    // The next PEL entry is the cursor for the next call (0-0 when the scan is complete).
    return array([bulk(cur === undefined ? '0-0' : formatId(cur[0])), array(claimed), array(deleted)]);
  },
});
