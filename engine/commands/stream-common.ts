// Helpers shared by the stream command files (src/t_stream.c): stream ID parsing with Redis's exact
// rules (streamGenericParseIDOrReply over string2ull), typed lookups, entry replies, XADD/XTRIM's
// trimming options (streamParseAddOrTrimArgsOrReply) and the XCLAIM/XGROUP SETID propagation forms.

import type { Client } from '../client';
import { E, noSuchKeyOrGroup } from '../errors';
import type { RedisValue } from '../keyspace/db';
import { registerValueSizer, ROBJ_SIZE } from '../keyspace/memory';
import { array, bulk, bulks, int, type Reply } from '../protocol/reply';
import {
  type ConsumerGroup,
  decrId,
  formatId,
  ID_MAX,
  incrId,
  makeId,
  type NodeLimits,
  RedisStream,
  raxNodeCount,
  type StreamEntry,
  type StreamID,
  type StreamConsumer,
  type StreamNack,
  type StreamNode,
  type TrimArgs,
  U64_MAX,
} from '../types/stream';
import { fail, isCToken, parseInteger, parseLongLong } from './args';
import type { KeySpec, KeySpecFlag } from './define';

// ---- IDs ----------------------------------------------------------------------------------------

/** isspace() in the C locale. */
const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);

/**
 * string2ull: string2ll when it succeeds (negative refused), else strtoull's looser syntax
 * (leading blanks, a sign — "-" wraps around — leading zeros); null when invalid or out of range.
 */
export function string2ull(s: string): bigint | null {
  const ll = parseLongLong(s);
  if (ll !== null) return ll < 0 ? null : BigInt(ll);
  let i = 0;
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  let neg = false;
  if (s[i] === '+' || s[i] === '-') {
    neg = s[i] === '-';
    i++;
  }
  const start = i;
  let v = 0n;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return null;
    v = v * 10n + BigInt(c - 48);
    if (v > U64_MAX) return null; // ERANGE
  }
  if (i === start) return null;
  return neg ? BigInt.asUintN(64, -v) : v;
}

export interface ParsedId {
  id: StreamID;
  /** False for XADD's "<ms>-*" form. */
  seqGiven: boolean;
}

/**
 * streamGenericParseIDOrReply: "<ms>-<seq>", "<ms>" (seq = `missingSeq`), "-" and "+" (unless
 * strict), "<ms>-*" when `seqStar`. The argument is read as a C string. Null when invalid.
 */
export function parseId(arg: string, missingSeq: bigint, strict: boolean, seqStar = false): ParsedId | null {
  if (arg.length > 127) return null;
  const nul = arg.indexOf('\0');
  const buf = nul === -1 ? arg : arg.slice(0, nul);
  if (buf === '-') return strict ? null : { id: 0n, seqGiven: true };
  if (buf === '+') return strict ? null : { id: ID_MAX, seqGiven: true };
  const dash = buf.indexOf('-');
  const ms = string2ull(dash === -1 ? buf : buf.slice(0, dash));
  if (ms === null) return null;
  if (dash === -1) return { id: makeId(ms, missingSeq), seqGiven: true };
  const tail = buf.slice(dash + 1);
  if (seqStar && tail === '*') return { id: makeId(ms, 0n), seqGiven: false };
  const seq = string2ull(tail);
  return seq === null ? null : { id: makeId(ms, seq), seqGiven: true };
}

/** streamParseIDOrReply: "-" and "+" allowed. */
export function idArg(arg: string, missingSeq = 0n): StreamID {
  return (parseId(arg, missingSeq, false) ?? fail(E.STREAM_INVALID_ID)).id;
}

/** streamParseStrictIDOrReply: "-" and "+" refused. */
export function strictIdArg(arg: string, missingSeq = 0n): StreamID {
  return (parseId(arg, missingSeq, true) ?? fail(E.STREAM_INVALID_ID)).id;
}

/** streamParseIntervalIDOrReply + the "(" increment/decrement: a range start (or end when !start). */
export function intervalArg(arg: string, start: boolean): StreamID {
  const exclusive = arg.length > 1 && arg[0] === '(';
  if (!exclusive) return idArg(arg, start ? 0n : U64_MAX);
  const id = strictIdArg(arg.slice(1), start ? 0n : U64_MAX);
  const moved = start ? incrId(id) : decrId(id);
  return moved ?? fail(start ? E.STREAM_INVALID_START : E.STREAM_INVALID_END);
}

// ---- lookups and replies ----------------------------------------------------------------------------

/** checkType for streams: undefined when missing, WRONGTYPE for other types. */
export function asStream(v: RedisValue | undefined): RedisStream | undefined {
  if (v === undefined) return undefined;
  if (v instanceof RedisStream) return v;
  return fail(E.WRONGTYPE);
}

/** lookupKeyRead + checkType. */
export const readStream = (c: Client, key: string): RedisStream | undefined => asStream(c.db.lookupRead(key));
/** lookupKeyWrite + checkType. */
export const writeStream = (c: Client, key: string): RedisStream | undefined => asStream(c.db.lookupWrite(key));

/** An int64 reply from a bigint (a plain number when it fits, so replies stay JSON-friendly). */
export function int64(v: bigint): Reply {
  const n = BigInt.asIntN(64, v);
  return int(n >= -9007199254740991n && n <= 9007199254740991n ? Number(n) : n);
}

/** One entry as streamReplyWithRange emits it: [id, [field, value, ...]]. */
export const entryReply = (e: StreamEntry, node: StreamNode): Reply =>
  array([bulk(formatId(e.id)), bulks(node.fieldValues(e))]);

/** streamReplyWithRange without a group: up to `count` entries (0 = all). */
export function rangeReply(s: RedisStream, start: StreamID, end: StreamID, count: number, rev: boolean): Reply[] {
  const out: Reply[] = [];
  for (const [e, node] of s.range(start, end, rev)) {
    out.push(entryReply(e, node));
    if (count && out.length === count) break;
  }
  return out;
}

/** stream-node-max-bytes / stream-node-max-entries as they are now. */
export function nodeLimits(c: Client): NodeLimits {
  const cfg = c.engine.config;
  return { maxBytes: cfg.getInt('stream-node-max-bytes'), maxEntries: cfg.getInt('stream-node-max-entries') };
}

/** A stream key spec at `pos` (src/commands/x*.json). */
export function xkeys(flags: readonly KeySpecFlag[], pos = 1): KeySpec {
  return { flags, begin: { index: pos }, find: { lastKey: 0, step: 1, limit: 0 } };
}

// ---- XADD / XTRIM options -------------------------------------------------------------------------

export interface AddTrimArgs {
  /** The index of the ID argument (XADD). */
  idPos: number;
  id: StreamID;
  idGiven: boolean;
  seqGiven: boolean;
  noMkstream: boolean;
  trim: TrimArgs | null;
  /** The index of the MAXLEN/MINID threshold (rewritten for propagation after approximate trims). */
  trimArgIdx: number;
}

/** streamParseAddOrTrimArgsOrReply: XADD's options up to its ID, or XTRIM's options. */
export function parseAddOrTrim(c: Client, argv: string[], xadd: boolean): AddTrimArgs {
  const out: AddTrimArgs = {
    idPos: 0,
    id: 0n,
    idGiven: false,
    seqGiven: true,
    noMkstream: false,
    trim: null,
    trimArgIdx: 0,
  };
  let strategy: 'maxlen' | 'minid' | null = null;
  let approx = false;
  let maxlen = 0;
  let minid = 0n;
  let limit = 0;
  let limitGiven = false;
  let i = 2;
  for (; i < argv.length; i++) {
    const more = argv.length - 1 - i;
    const opt = argv[i];
    if (xadd && isCToken(opt, '*')) break;
    const maxlenOpt = isCToken(opt, 'MAXLEN');
    if ((maxlenOpt || isCToken(opt, 'MINID')) && more) {
      if (strategy !== null) fail(E.STREAM_MAXLEN_MINID);
      approx = false;
      const next = argv[i + 1];
      if (more >= 2 && isCToken(next, '~')) {
        approx = true;
        i++;
      } else if (more >= 2 && isCToken(next, '=')) {
        i++;
      }
      if (maxlenOpt) {
        maxlen = Number(parseInteger(argv[i + 1]));
        if (maxlen < 0) fail(E.STREAM_MAXLEN_NEGATIVE);
      } else {
        minid = strictIdArg(argv[i + 1]);
      }
      i++;
      strategy = maxlenOpt ? 'maxlen' : 'minid';
      out.trimArgIdx = i;
    } else if (isCToken(opt, 'LIMIT') && more) {
      limit = Number(parseInteger(argv[i + 1]));
      if (limit < 0) fail(E.STREAM_LIMIT_NEGATIVE);
      limitGiven = true;
      i++;
    } else if (xadd && isCToken(opt, 'NOMKSTREAM')) {
      out.noMkstream = true;
    } else if (xadd) {
      const p = parseId(opt, 0n, true, true) ?? fail(E.STREAM_INVALID_ID);
      out.id = p.id;
      out.seqGiven = p.seqGiven;
      out.idGiven = true;
      break;
    } else {
      fail(E.SYNTAX);
    }
  }
  out.idPos = i;
  if (limit && strategy === null) fail(E.STREAM_LIMIT_NO_STRATEGY);
  if (!xadd && strategy === null) fail(E.XTRIM_NO_STRATEGY);
  if (limitGiven) {
    if (!approx) fail(E.STREAM_LIMIT_NO_APPROX);
  } else if (approx) {
    // 100 nodes' worth by default, computed in int64 as Redis does, then capped both ways.
    const l = BigInt.asIntN(64, 100n * BigInt(c.engine.config.get('stream-node-max-entries')));
    limit = l <= 0n ? 10000 : l > 1000000n ? 1000000 : Number(l);
  } else {
    limit = 0;
  }
  if (strategy !== null) out.trim = { strategy, maxlen, minid, approx, limit };
  return out;
}

/**
 * streamRewriteApproxSpecifier + streamRewriteTrimArgument: after an approximate trim, "~" becomes
 * "=" and the threshold the resulting length (MAXLEN) or first ID (MINID), for replicas and AOF.
 */
export function rewriteApproxTrim(argv: string[], s: RedisStream, a: AddTrimArgs): void {
  if (a.trim === null || !a.trim.approx) return;
  argv[a.trimArgIdx - 1] = '=';
  argv[a.trimArgIdx] = a.trim.strategy === 'maxlen' ? String(s.length) : formatId(s.edgeId(true, false));
}

// ---- consumer groups --------------------------------------------------------------------------------

/** The key's stream and group, or NOGROUP (XPENDING, XCLAIM, XAUTOCLAIM). */
export function groupOf(c: Client, k: string, gname: string): [RedisStream, ConsumerGroup] {
  const s = readStream(c, k);
  const g = s?.lookupGroup(gname);
  if (s === undefined || g === undefined) fail(noSuchKeyOrGroup(k, gname));
  return [s, g];
}

/** streamCreateConsumer: a new consumer (dirty++ and "xgroup-createconsumer"), null if it exists. */
export function createConsumer(c: Client, g: ConsumerGroup, name: string, key: string): StreamConsumer | null {
  const consumer = RedisStream.addConsumer(g, name, c.engine.now());
  if (consumer === null) return null;
  c.engine.dirty++;
  c.engine.notify('t', 'xgroup-createconsumer', key, c.db.id);
  return consumer;
}

/** streamLookupConsumer: refreshes the seen-time unless `noRefresh` (SLC_NO_REFRESH). */
export function lookupConsumer(
  c: Client,
  g: ConsumerGroup,
  name: string,
  noRefresh = false,
): StreamConsumer | undefined {
  const consumer = g.consumers.get(name);
  if (consumer !== undefined && !noRefresh) consumer.seenTime = c.engine.now();
  return consumer;
}

/** The consumer, created when missing (XCLAIM, XAUTOCLAIM, XREADGROUP). */
export function consumerFor(c: Client, g: ConsumerGroup, name: string, key: string): StreamConsumer {
  return lookupConsumer(c, g, name) ?? (createConsumer(c, g, name, key) as StreamConsumer);
}

/** streamPropagateXCLAIM: XCLAIM key group consumer 0 id TIME t RETRYCOUNT n FORCE JUSTID LASTID last. */
export function xclaimArgv(key: string, g: ConsumerGroup, id: string, nack: StreamNack): string[] {
  return [
    'XCLAIM',
    key,
    g.name,
    nack.consumer?.name ?? '',
    '0',
    id,
    'TIME',
    String(nack.deliveryTime),
    'RETRYCOUNT',
    String(BigInt.asIntN(64, nack.deliveryCount)),
    'FORCE',
    'JUSTID',
    'LASTID',
    formatId(g.lastId),
  ];
}

/** streamPropagateGroupID: XGROUP SETID key group last-id ENTRIESREAD n. */
export const setIdArgv = (key: string, g: ConsumerGroup): string[] => [
  'XGROUP',
  'SETID',
  key,
  g.name,
  formatId(g.lastId),
  'ENTRIESREAD',
  String(g.entriesRead),
];

// ---- MEMORY USAGE ---------------------------------------------------------------------------------

/** streamRadixTreeMemoryUsage: 16 bytes per key, a raxNode header and 30 words per tree node. */
const raxMemory = (keys: number, nodes: number): number => keys * 16 + nodes * (4 + 8 * 30);
/** sizeof(robj) + sizeof(stream), sizeof(streamCG), sizeof(streamConsumer), sizeof(streamNACK). */
const STREAM_STRUCT = ROBJ_SIZE + 80;
const CG_STRUCT = 40;
const CONSUMER_STRUCT = 24;
const NACK_STRUCT = 24;

/**
 * objectComputeSize for streams: the struct, the rax estimate, the listpacks' allocations (the first
 * `samples` averaged over all but the last node, plus the last node's own), and the groups' PELs.
 */
registerValueSizer('stream', (v, samples) => {
  if (!(v instanceof RedisStream)) return ROBJ_SIZE + 64;
  const s = v;
  let size = STREAM_STRUCT + raxMemory(s.nodeCount, s.radixTreeNodes());
  let lpsize = 0;
  let sampled = 0;
  for (const [, node] of s.rax.ascending()) {
    if (sampled >= samples) break;
    lpsize += node.alloc;
    sampled++;
  }
  if (s.nodeCount <= sampled) size += lpsize;
  else {
    if (sampled) lpsize = Math.floor(lpsize / sampled);
    size += lpsize * (s.nodeCount - 1) + (s.rax.last()?.[1].alloc ?? 0);
  }
  for (const g of s.groups?.values() ?? []) {
    size += CG_STRUCT + raxMemory(g.pel.size, raxNodeCount(g.pel)) + NACK_STRUCT * g.pel.size;
    for (const cons of g.consumers.values()) {
      size += CONSUMER_STRUCT + cons.name.length + raxMemory(cons.pel.size, raxNodeCount(cons.pel));
    }
  }
  return size;
});
