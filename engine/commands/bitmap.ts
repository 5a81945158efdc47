// Bitmap commands (src/bitops.c): SETBIT, GETBIT, BITOP, BITCOUNT and BITPOS; BITFIELD and
// BITFIELD_RO live in bitfield.ts. A bitmap is a plain string value: writes pad it with zero bytes
// and leave it "raw" encoded, as lookupStringForBitCommand/dbUnshareStringValue do.

import { E } from '../errors';
import { fromBytes } from '../protocol/binary';
import { int, ONE, type Reply, ZERO } from '../protocol/reply';
import { bitpos, popcount } from '../types/bitops';
import { fail, isCToken, parseInteger } from './args';
import { markRaw, parseBitOffset } from './bitmap-common';
import { block, type CommandSpec, defineCommand, integer, key, oneof, str, tok } from './define';
import { BITFIELD_COMMANDS } from './bitfield';
import { getString, getStringForWrite, keySpec } from './string-value';

/** The string with byte `i` replaced (i < s.length). */
function withByte(s: string, i: number, b: number): string {
  return s.slice(0, i) + String.fromCharCode(b) + s.slice(i + 1);
}

/** SETBIT key offset value */
export const SETBIT = defineCommand({
  name: 'SETBIT',
  group: 'bitmap',
  arity: 4,
  flags: ['write', 'denyoom'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: keySpec(['RW', 'ACCESS', 'UPDATE']),
  args: [key(), integer('offset'), integer('value')],
  summary: 'Sets or clears the bit at offset in the string value stored at key',
  complexity: 'O(1)',
  since: '2.2.0',
  exec(c, argv): Reply {
    const k = argv[1];
    const offset = parseBitOffset(c, argv[2]);
    const on = parseInteger(argv[3], E.BIT_VALUE);
    if (on !== 0 && on !== 1) fail(E.BIT_VALUE);
    const old = getStringForWrite(c, k);
    const byte = Math.floor(offset / 8);
    const shift = 7 - (offset % 8);
    let v = old ?? '';
    // lookupStringForBitCommand: a new key or a longer string counts as a change even if the bit is 0.
    const grown = old === undefined || v.length <= byte;
    if (v.length <= byte) v += '\0'.repeat(byte + 1 - v.length);
    const byteval = v.charCodeAt(byte);
    const bitval = (byteval >> shift) & 1;
    if (grown || bitval !== on) {
      const next = withByte(v, byte, (byteval & ~(1 << shift)) | (on << shift));
      if (old === undefined) c.db.add(k, next, true);
      else c.db.overwrite(k, next, true);
      c.engine.notify('$', 'setbit', k, c.db.id);
      c.engine.dirty++;
    } else markRaw(c, k);
    return bitval ? ONE : ZERO;
  },
});

/** GETBIT key offset */
export const GETBIT = defineCommand({
  name: 'GETBIT',
  group: 'bitmap',
  arity: 3,
  flags: ['readonly', 'fast'],
  keys: { first: 1, last: 1, step: 1 },
  args: [key(), integer('offset')],
  summary: 'Returns the bit value at offset in the string value stored at key',
  complexity: 'O(1)',
  since: '2.2.0',
  exec(c, argv): Reply {
    const offset = parseBitOffset(c, argv[2]);
    const v = getString(c, argv[1]);
    if (v === undefined) return ZERO;
    const byte = Math.floor(offset / 8);
    if (byte >= v.length) return ZERO;
    return (v.charCodeAt(byte) >> (7 - (offset % 8))) & 1 ? ONE : ZERO;
  },
});

const BITOP_NAMES = ['AND', 'OR', 'XOR', 'NOT'] as const;

/** BITOP AND|OR|XOR|NOT destkey key [key ...] — the result length is the longest input's */
export const BITOP = defineCommand({
  name: 'BITOP',
  group: 'bitmap',
  arity: -4,
  flags: ['write', 'denyoom'],
  keys: { first: 2, last: -1, step: 1 },
  keySpecs: [
    { flags: ['OW', 'UPDATE'], begin: { index: 2 }, find: { lastKey: 0, step: 1, limit: 0 } },
    { flags: ['RO', 'ACCESS'], begin: { index: 3 }, find: { lastKey: -1, step: 1, limit: 0 } },
  ],
  args: [str('operation'), key('destkey'), key('key', { multiple: true })],
  summary: 'Perform bitwise operations between strings',
  complexity: 'O(N)',
  since: '2.6.0',
  exec(c, argv): Reply {
    const op = BITOP_NAMES.find((name) => isCToken(argv[1], name));
    if (op === undefined) fail(E.SYNTAX);
    if (op === 'NOT' && argv.length !== 4) fail(E.BITOP_NOT_SINGLE);
    const srcs: string[] = [];
    let maxlen = 0;
    for (let j = 3; j < argv.length; j++) {
      const v = getString(c, argv[j]) ?? '';
      srcs.push(v);
      if (v.length > maxlen) maxlen = v.length;
    }
    const target = argv[2];
    if (maxlen === 0) {
      if (c.db.delete(target)) {
        c.engine.notify('g', 'del', target, c.db.id);
        c.engine.dirty++;
      }
      return ZERO;
    }
    const res = new Uint8Array(maxlen);
    const first = srcs[0];
    for (let i = 0; i < maxlen; i++) {
      let out = i < first.length ? first.charCodeAt(i) : 0;
      if (op === 'NOT') out = ~out & 0xff;
      for (let j = 1; j < srcs.length; j++) {
        const s = srcs[j];
        const b = i < s.length ? s.charCodeAt(i) : 0;
        if (op === 'AND') {
          out &= b;
          if (out === 0) break;
        } else if (op === 'OR') {
          out |= b;
          if (out === 0xff) break;
        } else out ^= b;
      }
      res[i] = out;
    }
    c.db.setKey(target, fromBytes(res), { raw: true });
    c.engine.notify('$', 'set', target, c.db.id);
    c.engine.dirty++;
    return int(maxlen);
  },
});

/** BIT/BYTE after a range: the unit flag, or a syntax error. */
function parseUnit(arg: string): boolean {
  if (isCToken(arg, 'BIT')) return true;
  if (isCToken(arg, 'BYTE')) return false;
  return fail(E.SYNTAX);
}

/** A start/end range resolved as BITCOUNT and BITPOS do, in bytes, with the edge masks of BIT ranges. */
interface ByteRange {
  start: number;
  end: number;
  firstMask: number;
  lastMask: number;
}

/** Negative indexes from the end, clamped into the string; BIT ranges become bytes plus masks. */
function resolveRange(start: number, end: number, strlen: number, isbit: boolean): ByteRange {
  const totlen = isbit ? strlen * 8 : strlen;
  if (start < 0) start = totlen + start;
  if (end < 0) end = totlen + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= totlen) end = totlen - 1;
  let firstMask = 0;
  let lastMask = 0;
  if (isbit && start <= end) {
    firstMask = ~((1 << (8 - (start & 7))) - 1) & 0xff;
    lastMask = (1 << (7 - (end & 7))) - 1;
    start = Math.floor(start / 8);
    end = Math.floor(end / 8);
  }
  return { start, end, firstMask, lastMask };
}

/** BITCOUNT key [start end [BYTE|BIT]] */
export const BITCOUNT = defineCommand({
  name: 'BITCOUNT',
  group: 'bitmap',
  arity: -2,
  flags: ['readonly'],
  keys: { first: 1, last: 1, step: 1 },
  args: [
    key(),
    block(
      'index',
      [integer('start'), integer('end'), oneof('index_unit', [tok('BYTE'), tok('BIT')], { since: '7.0.0' })],
      { optional: true },
    ),
  ],
  summary: 'Count set bits in a string',
  complexity: 'O(N)',
  since: '2.6.0',
  history: [['7.0.0', 'Added the `BYTE|BIT` option.']],
  exec(c, argv): Reply {
    const v = getString(c, argv[1]);
    if (v === undefined) return ZERO;
    let r: ByteRange;
    if (argv.length === 4 || argv.length === 5) {
      const start = parseInteger(argv[2]);
      const end = parseInteger(argv[3]);
      // Compared before any conversion so huge negative values keep their order.
      if (start < 0 && end < 0 && start > end) return ZERO;
      const isbit = argv.length === 5 && parseUnit(argv[4]);
      r = resolveRange(Number(start), Number(end), v.length, isbit);
    } else if (argv.length === 2) r = { start: 0, end: v.length - 1, firstMask: 0, lastMask: 0 };
    else return fail(E.SYNTAX);
    if (r.start > r.end) return ZERO;
    let count = popcount(v, r.start, r.end - r.start + 1);
    // Bits of the edge bytes outside a BIT range are counted, then taken back.
    if (r.firstMask !== 0) count -= popcount(String.fromCharCode(v.charCodeAt(r.start) & r.firstMask), 0, 1);
    if (r.lastMask !== 0) count -= popcount(String.fromCharCode(v.charCodeAt(r.end) & r.lastMask), 0, 1);
    return int(count);
  },
});

/** BITPOS key bit [start [end [BYTE|BIT]]] */
export const BITPOS = defineCommand({
  name: 'BITPOS',
  group: 'bitmap',
  arity: -3,
  flags: ['readonly'],
  keys: { first: 1, last: 1, step: 1 },
  args: [
    key(),
    integer('bit'),
    block(
      'index',
      [
        integer('start'),
        block('end_index', [integer('end'), oneof('index_unit', [tok('BYTE'), tok('BIT')], { since: '7.0.0' })], {
          optional: true,
        }),
      ],
      { optional: true },
    ),
  ],
  summary: 'Find first bit set or clear in a string',
  complexity: 'O(N)',
  since: '2.8.7',
  history: [['7.0.0', 'Added the `BYTE|BIT` option.']],
  exec(c, argv): Reply {
    const bitArg = parseInteger(argv[2]);
    if (bitArg !== 0 && bitArg !== 1) fail(E.BITPOS_BIT);
    const bit = bitArg as 0 | 1;
    const v = getString(c, argv[1]);
    // A missing key is an infinite run of zeros.
    if (v === undefined) return int(bit ? -1 : 0);
    const argc = argv.length;
    let r: ByteRange;
    let endGiven = false;
    if (argc >= 4 && argc <= 6) {
      const start = Number(parseInteger(argv[3]));
      const isbit = argc === 6 && parseUnit(argv[5]);
      let end: number;
      if (argc >= 5) {
        end = Number(parseInteger(argv[4]));
        endGiven = true;
      } else end = isbit ? v.length * 8 + 7 : v.length - 1;
      r = resolveRange(start, end, v.length, isbit);
    } else if (argc === 3) r = { start: 0, end: v.length - 1, firstMask: 0, lastMask: 0 };
    else return fail(E.SYNTAX);
    if (r.start > r.end) return int(-1);
    return int(searchRange(v, r, bit, endGiven));
  },
});

/** Where the search stopped: the bit found (or not) relative to byte `start`, of `bytes` searched. */
interface Found {
  pos: number;
  start: number;
  bytes: number;
}

/** bitposCommand's scan: the masked first byte, the whole bytes, then the masked last byte. */
function scan(v: string, r: ByteRange, bit: 0 | 1): Found {
  let { start } = r;
  const { end, firstMask, lastMask } = r;
  let bytes = end - start + 1;
  const one = (b: number): number => bitpos(String.fromCharCode(b), 0, 1, bit);
  if (firstMask) {
    let tmp = bit ? v.charCodeAt(start) & ~firstMask & 0xff : v.charCodeAt(start) | firstMask;
    if (lastMask && bytes === 1) tmp = bit ? tmp & ~lastMask & 0xff : tmp | lastMask;
    const pos = one(tmp);
    if (bytes === 1 || (pos !== -1 && pos !== 8)) return { pos, start, bytes };
    start++;
    bytes--;
  }
  const cur = bytes - (lastMask ? 1 : 0);
  if (cur > 0) {
    const pos = bitpos(v, start, cur, bit);
    if (bytes === cur || (pos !== -1 && pos !== cur * 8)) return { pos, start, bytes };
    start += cur;
    bytes -= cur;
  }
  return { pos: one(bit ? v.charCodeAt(end) & ~lastMask & 0xff : v.charCodeAt(end) | lastMask), start, bytes };
}

/** The BITPOS result of a resolved, non-empty range. */
function searchRange(v: string, r: ByteRange, bit: 0 | 1, endGiven: boolean): number {
  const { pos, start, bytes } = scan(v, r, bit);
  // With an explicit end, a clear bit "found" just past the range is not in the range.
  if (endGiven && bit === 0 && pos === bytes * 8) return -1;
  return pos !== -1 ? pos + start * 8 : pos;
}

export const BITMAP_COMMANDS: readonly CommandSpec[] = [SETBIT, GETBIT, BITOP, BITCOUNT, BITPOS, ...BITFIELD_COMMANDS];
