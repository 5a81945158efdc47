// Streams as RDB holds them (src/rdb.c RDB_TYPE_STREAM_LISTPACKS[_2], src/t_stream.c), to and from the
// engine's RedisStream (engine/types/stream.ts): each radix-tree node as its 16-byte big-endian master
// id and the node's real listpack (master entry, then flags / id deltas / fields / values / lp-count per
// entry, tombstones included), then length, last/first/max-deleted ids, entries-added and the consumer
// groups with their PELs and consumers. Also the AOF rewrite's commands for a stream.

import { fromBytes } from '../../protocol/binary';
import {
  type ConsumerGroup,
  FLAG_DELETED,
  FLAG_SAMEFIELDS,
  ID_MAX,
  INVALID_ENTRIES_READ,
  RedisStream,
  type StreamID,
  type StreamNack,
  StreamNode,
  formatId,
  idMs,
  idSeq,
  makeId,
} from '../../types/stream';
import { DeepCorruption, valueError } from './format';
import { encodeListpack, readListpackText } from './listpack-codec';
import { RdbShortReadError, type RdbReader, rdbEncodeLength, rdbEncodeString } from './string-value';

const U64 = (1n << 64n) - 1n;

/** The 16-byte big-endian key of a stream id (streamEncodeID). */
export function encodeStreamId(id: StreamID): string {
  let s = '';
  for (let shift = 120n; shift >= 0n; shift -= 8n) s += String.fromCharCode(Number((id >> shift) & 0xffn));
  return s;
}

export function decodeStreamId(raw: string): StreamID {
  let v = 0n;
  for (let i = 0; i < 16; i++) v = (v << 8n) | BigInt(raw.charCodeAt(i));
  return v;
}

/** rdbLoadLen for values that may use all 64 bits (entries_read -1 is stored as 2^64-1). */
function len64(r: RdbReader): bigint {
  const b = r.byte();
  const type = b >> 6;
  if (type === 0) return BigInt(b & 0x3f);
  if (type === 1) return BigInt(((b & 0x3f) << 8) | r.byte());
  if (b === 0x80) {
    const s = r.bytes(4);
    return BigInt(s.charCodeAt(0) * 0x1000000 + ((s.charCodeAt(1) << 16) | (s.charCodeAt(2) << 8) | s.charCodeAt(3)));
  }
  if (b === 0x81) {
    const s = r.bytes(8);
    let v = 0n;
    for (let i = 0; i < 8; i++) v = (v << 8n) | BigInt(s.charCodeAt(i));
    return v;
  }
  return BigInt(b & 0x3f);
}

/** rdbSaveLen of a 64-bit value (-1 written as 2^64-1). */
function saveLen64(v: bigint): string {
  const u = v & U64;
  if (u <= 0xffffffffn) return rdbEncodeLength(Number(u));
  let out = String.fromCharCode(0x81);
  for (let shift = 56n; shift >= 0n; shift -= 8n) out += String.fromCharCode(Number((u >> shift) & 0xffn));
  return out;
}

/** rdbLoadMillisecondTime: 8 bytes little-endian, signed. */
function loadMs(r: RdbReader): number {
  const s = r.bytes(8);
  let v = 0n;
  for (let i = 7; i >= 0; i--) v = (v << 8n) | BigInt(s.charCodeAt(i));
  return Number(BigInt.asIntN(64, v));
}

function saveMs(ms: number): string {
  const u = BigInt.asUintN(64, BigInt(Math.trunc(ms)));
  let out = '';
  for (let i = 0n; i < 8n; i++) out += String.fromCharCode(Number((u >> (8n * i)) & 0xffn));
  return out;
}

/** Run `fn`; a short read becomes the given rdbReportReadError message. */
function readOr<T>(fn: () => T, message: string): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof RdbShortReadError) throw valueError(message);
    throw err;
  }
}

/** streamValidateListpackIntegrity(deep=0): the listpack header and end byte. */
function shallowValid(lp: string): boolean {
  if (lp.length < 7) return false;
  const total = (lp.charCodeAt(0) | (lp.charCodeAt(1) << 8) | (lp.charCodeAt(2) << 16)) + lp.charCodeAt(3) * 0x1000000;
  return total === lp.length && lp.charCodeAt(lp.length - 1) === 0xff;
}

/** A node's listpack → a StreamNode with every entry (tombstones included) and its counters. */
function nodeFromListpack(master: StreamID, lp: string): StreamNode {
  // streamValidateListpackIntegrity walks the entries but never checks the header's element count.
  const items = readListpackText(`${lp.slice(0, 4)}\xff\xff${lp.slice(6)}`, 0, lp.length);
  let i = 0;
  const next = (): string => {
    if (i >= items.length) throw new Error('stream listpack too short');
    return items[i++];
  };
  const live = Number(next());
  const deleted = Number(next());
  const nmf = Number(next());
  const masterFields: string[] = [];
  for (let f = 0; f < nmf; f++) masterFields.push(next());
  if (next() !== '0') throw new Error('bad master entry terminator');
  const node = new StreamNode(master, masterFields);
  for (let n = 0; n < live + deleted; n++) {
    const flags = Number(next());
    const ms = BigInt.asUintN(64, idMs(master) + BigInt(next()));
    const seq = BigInt.asUintN(64, idSeq(master) + BigInt(next()));
    const fv: string[] = [];
    if (flags & FLAG_SAMEFIELDS) {
      for (let f = 0; f < nmf; f++) fv.push(masterFields[f], next());
    } else {
      const nf = Number(next());
      for (let f = 0; f < nf; f++) fv.push(next(), next());
    }
    next(); // lp-count
    node.push(makeId(ms, seq), fv);
    if (flags & FLAG_DELETED) {
      node.entries[node.entries.length - 1].flags |= FLAG_DELETED;
      node.live--;
      node.deleted++;
    }
  }
  if (i !== items.length) throw new Error('trailing stream listpack entries');
  return node;
}

/** The node's listpack bytes, as streamAppendItem built them. */
export function nodeListpack(node: StreamNode): string {
  const master = node.master;
  const items: string[] = [String(node.live), String(node.deleted), String(node.masterFields.length)];
  items.push(...node.masterFields, '0');
  for (const e of node.entries) {
    items.push(
      String(e.flags),
      String(BigInt.asIntN(64, idMs(e.id) - idMs(master))),
      String(BigInt.asIntN(64, idSeq(e.id) - idSeq(master))),
    );
    if (e.fields === null) {
      items.push(...e.values, String(e.values.length + 3));
    } else {
      items.push(String(e.fields.length));
      for (let f = 0; f < e.fields.length; f++) items.push(e.fields[f], e.values[f]);
      items.push(String(e.fields.length * 2 + 4));
    }
  }
  return fromBytes(encodeListpack(items));
}

/** rdbLoadObject for RDB_TYPE_STREAM_LISTPACKS (v1) and _2. */
export function loadStream(r: RdbReader, v2: boolean): RedisStream {
  const s = new RedisStream();
  let corrupt = false;
  const listpacks = readOr(() => len64(r), 'Stream listpacks len loading failed.');
  for (let n = 0n; n < listpacks; n++) {
    const key = readOr(() => r.string(), 'Stream master ID loading failed: invalid encoding or I/O error.');
    if (key.length !== 16) throw valueError('Stream node key entry is not the size of a stream ID');
    const lp = readOr(() => r.string(), 'Stream listpacks loading failed.');
    if (!shallowValid(lp)) throw valueError('Stream listpack integrity check failed.');
    if (lp.length === 7) throw valueError('Empty listpack inside stream');
    const master = decodeStreamId(key);
    let node: StreamNode | null = null;
    try {
      node = nodeFromListpack(master, lp);
    } catch {
      // Redis keeps a listpack that passes the shallow check as it is (the CRC usually catches it):
      // read the rest of the value, then report.
      corrupt = true;
    }
    if (s.rax.has(master)) throw valueError('Listpack re-added with existing key');
    if (node !== null) s.rax.set(master, node);
  }
  readOr(() => {
    s.length = Number(len64(r));
    s.lastId = makeId(len64(r), len64(r));
    if (v2) {
      s.firstId = makeId(len64(r), len64(r));
      s.maxDeletedId = makeId(len64(r), len64(r));
      s.entriesAdded = len64(r);
    }
  }, 'Stream object metadata loading failed.');
  if (!v2) {
    s.maxDeletedId = 0n;
    s.entriesAdded = BigInt(s.length);
    s.firstId = s.edgeId(true, true);
  }
  if (s.length > 0 && s.rax.size === 0 && !corrupt) throw valueError('Stream length inconsistent with rax entries');
  const groups = readOr(() => len64(r), 'Stream cgroup count loading failed.');
  for (let g = 0n; g < groups; g++) {
    const name = readOr(() => r.string(), 'Error reading the consumer group name from Stream');
    const lastId = readOr(() => makeId(len64(r), len64(r)), 'Stream cgroup ID loading failed.');
    const entriesRead = v2
      ? BigInt.asIntN(
          64,
          readOr(() => len64(r), 'Stream cgroup offset loading failed.'),
        )
      : s.estimateDistance(lastId);
    const group = s.createGroup(name, lastId, entriesRead);
    if (group === null) throw valueError('Duplicated consumer group name', ` ${name}`);
    const pelSize = readOr(() => len64(r), 'Stream PEL size loading failed.');
    for (let i = 0n; i < pelSize; i++) {
      const raw = readOr(() => r.bytes(16), 'Stream PEL ID loading failed.');
      const nack: StreamNack = readOr(
        () => ({ deliveryTime: loadMs(r), deliveryCount: len64(r), consumer: null }),
        'Stream PEL NACK loading failed.',
      );
      if (!group.pel.trySet(decodeStreamId(raw), nack))
        throw valueError('Duplicated global PEL entry loading stream consumer group');
    }
    const consumers = readOr(() => len64(r), 'Stream consumers num loading failed.');
    for (let c = 0n; c < consumers; c++) {
      const cname = readOr(() => r.string(), 'Error reading the consumer name from Stream group.');
      const consumer = RedisStream.addConsumer(group, cname, 0);
      if (consumer === null) throw valueError('Duplicate stream consumer detected.');
      consumer.seenTime = readOr(() => loadMs(r), 'Stream short read reading seen time.');
      const n = readOr(() => len64(r), 'Stream consumer PEL num loading failed.');
      for (let i = 0n; i < n; i++) {
        const id = decodeStreamId(readOr(() => r.bytes(16), 'Stream short read reading PEL streamID.'));
        const nack = group.pel.get(id);
        if (nack === undefined) throw valueError('Consumer entry not found in group global PEL');
        if (nack.consumer !== null) throw valueError('Stream consumer PEL entry already has a consumer assigned');
        nack.consumer = consumer;
        consumer.pel.set(id, nack);
      }
    }
  }
  if (corrupt) throw new DeepCorruption('Stream listpack integrity check failed.');
  return s;
}

/** rdbSaveObject for a stream (RDB_TYPE_STREAM_LISTPACKS_2). */
export function saveStream(s: RedisStream, compress: boolean): string {
  let out = rdbEncodeLength(s.rax.size);
  for (const [master, node] of s.rax.ascending()) {
    out += rdbEncodeString(encodeStreamId(master), compress) + rdbEncodeString(nodeListpack(node), compress);
  }
  out += rdbEncodeLength(s.length);
  for (const id of [s.lastId, s.firstId, s.maxDeletedId]) out += saveLen64(idMs(id)) + saveLen64(idSeq(id));
  out += saveLen64(s.entriesAdded);
  const groups: ConsumerGroup[] = s.groups ? s.groups.values() : [];
  out += rdbEncodeLength(groups.length);
  for (const g of groups) {
    out += rdbEncodeString(g.name, compress) + saveLen64(idMs(g.lastId)) + saveLen64(idSeq(g.lastId));
    out += saveLen64(g.entriesRead);
    out += rdbEncodeLength(g.pel.size);
    for (const [id, nack] of g.pel.ascending())
      out += encodeStreamId(id) + saveMs(nack.deliveryTime) + saveLen64(nack.deliveryCount);
    const consumers = g.consumers.values();
    out += rdbEncodeLength(consumers.length);
    for (const c of consumers) {
      out += rdbEncodeString(c.name, compress) + saveMs(c.seenTime) + rdbEncodeLength(c.pel.size);
      for (const id of c.pel.keys()) out += encodeStreamId(id);
    }
  }
  return out;
}

/** rewriteStreamObject: the commands that rebuild the stream (XADD..., XSETID, XGROUP, XCLAIM). */
export function streamRewriteCommands(key: string, s: RedisStream): string[][] {
  const out: string[][] = [];
  if (s.length > 0) {
    for (const [e, node] of s.range(0n, ID_MAX)) out.push(['XADD', key, formatId(e.id), ...node.fieldValues(e)]);
  } else {
    out.push(['XADD', key, 'MAXLEN', '0', '0-1', 'x', 'y']);
  }
  out.push([
    'XSETID',
    key,
    formatId(s.lastId),
    'ENTRIESADDED',
    String(s.entriesAdded),
    'MAXDELETEDID',
    formatId(s.maxDeletedId),
  ]);
  for (const g of s.groups ? s.groups.values() : []) {
    out.push(['XGROUP', 'CREATE', key, g.name, formatId(g.lastId), 'ENTRIESREAD', String(g.entriesRead)]);
    for (const c of g.consumers.values()) {
      if (c.pel.size === 0) {
        out.push(['XGROUP', 'CREATECONSUMER', key, g.name, c.name]);
        continue;
      }
      for (const [id, nack] of c.pel.ascending()) {
        out.push([
          'XCLAIM',
          key,
          g.name,
          c.name,
          '0',
          formatId(id),
          'TIME',
          String(nack.deliveryTime),
          'RETRYCOUNT',
          String(nack.deliveryCount),
          'JUSTID',
          'FORCE',
        ]);
      }
    }
  }
  return out;
}

export { INVALID_ENTRIES_READ };
