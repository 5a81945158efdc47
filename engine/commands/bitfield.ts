// BITFIELD and BITFIELD_RO (src/bitops.c bitfieldGeneric): GET/SET/INCRBY of signed (i1..i64) and
// unsigned (u1..u63) integers at any bit offset ("#N" = N times the width), with OVERFLOW
// WRAP|SAT|FAIL applying to the operations after it. 64-bit values are bigints.

import type { Client } from '../client';
import { E } from '../errors';
import { fromBytes } from '../protocol/binary';
import { array, bulk, int, type Reply } from '../protocol/reply';
import {
  checkSignedOverflow,
  checkUnsignedOverflow,
  getSigned,
  getUnsigned,
  OVERFLOW_FAIL,
  OVERFLOW_SAT,
  OVERFLOW_WRAP,
  type OverflowType,
  setBits,
} from '../types/bitops';
import { fail, isCToken, parseInteger, parseLongLong } from './args';
import { bytesOf, markRaw, parseBitOffset } from './bitmap-common';
import { block, type CommandSpec, defineCommand, integer, key, oneof, str, tok } from './define';
import { getString, getStringForWrite, keySpec } from './string-value';

type Opcode = 'get' | 'set' | 'incrby';

interface BitfieldOp {
  opcode: Opcode;
  offset: number;
  value: bigint;
  ow: OverflowType;
  bits: number;
  signed: boolean;
}

/** getBitfieldTypeFromArgument: "i1".."i64" or "u1".."u63" (read as a C string). */
function parseType(arg: string): { signed: boolean; bits: number } {
  const c0 = arg.charCodeAt(0);
  if (c0 !== 105 && c0 !== 117) fail(E.BITFIELD_TYPE);
  const signed = c0 === 105;
  const nul = arg.indexOf('\0');
  const n = parseLongLong(arg.slice(1, nul === -1 ? arg.length : nul));
  if (n === null || n < 1 || (signed && n > 64) || (!signed && n > 63)) fail(E.BITFIELD_TYPE);
  return { signed, bits: Number(n) };
}

/** Every operation is parsed (and validated) before anything runs. */
function parseOps(c: Client, argv: string[]): { ops: BitfieldOp[]; readonly: boolean; highest: number } {
  const ops: BitfieldOp[] = [];
  let ow: OverflowType = OVERFLOW_WRAP;
  let readonly = true;
  let highest = 0;
  for (let j = 2; j < argv.length; j++) {
    const remargs = argv.length - j - 1;
    const sub = argv[j];
    let opcode: Opcode;
    if (isCToken(sub, 'GET') && remargs >= 2) opcode = 'get';
    else if (isCToken(sub, 'SET') && remargs >= 3) opcode = 'set';
    else if (isCToken(sub, 'INCRBY') && remargs >= 3) opcode = 'incrby';
    else if (isCToken(sub, 'OVERFLOW') && remargs >= 1) {
      const name = argv[++j];
      if (isCToken(name, 'WRAP')) ow = OVERFLOW_WRAP;
      else if (isCToken(name, 'SAT')) ow = OVERFLOW_SAT;
      else if (isCToken(name, 'FAIL')) ow = OVERFLOW_FAIL;
      else fail(E.BITFIELD_OVERFLOW_TYPE);
      continue;
    } else return fail(E.SYNTAX);
    const { signed, bits } = parseType(argv[j + 1]);
    const offset = parseBitOffset(c, argv[j + 2], bits);
    let value = 0n;
    if (opcode !== 'get') {
      readonly = false;
      if (highest < offset + bits - 1) highest = offset + bits - 1;
      value = BigInt(parseInteger(argv[j + 3]));
    }
    ops.push({ opcode, offset, value, ow, bits, signed });
    j += opcode === 'get' ? 2 : 3;
  }
  return { ops, readonly, highest };
}

const intReply = (v: bigint): Reply => int(v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v);

/** SET/INCRBY on the buffer: the reply (nil when OVERFLOW FAIL refused it) and whether bits changed. */
function writeOp(p: Uint8Array, op: BitfieldOp): { reply: Reply; changed: boolean } {
  const old = op.signed ? getSigned(p, op.offset, op.bits) : getUnsigned(p, op.offset, op.bits);
  const check = op.signed ? checkSignedOverflow : checkUnsignedOverflow;
  let next: bigint;
  let ret: bigint;
  let overflow: boolean;
  if (op.opcode === 'incrby') {
    const r = check(old, op.value, op.bits, op.ow);
    overflow = r.dir !== 0;
    next = r.limit;
    ret = next;
  } else {
    const r = check(op.value, 0n, op.bits, op.ow);
    overflow = r.dir !== 0;
    next = overflow ? r.limit : op.value;
    ret = old;
  }
  if (overflow && op.ow === OVERFLOW_FAIL) return { reply: bulk(null), changed: false };
  setBits(p, op.offset, op.bits, next);
  return { reply: intReply(ret), changed: old !== next };
}

/** bitfieldGeneric: BITFIELD, or BITFIELD_RO when `ro` (which only accepts GET). */
function bitfieldGeneric(c: Client, argv: string[], ro: boolean): Reply {
  const { ops, readonly, highest } = parseOps(c, argv);
  const k = argv[1];
  if (readonly) {
    const v = getString(c, k) ?? '';
    return array(
      ops.map((op) => intReply(op.signed ? getSigned(v, op.offset, op.bits) : getUnsigned(v, op.offset, op.bits))),
    );
  }
  if (ro) fail(E.BITFIELD_RO_GET_ONLY);
  // lookupStringForBitCommand: create or zero-pad the string up to the highest bit written.
  const old = getStringForWrite(c, k);
  const need = Math.floor(highest / 8) + 1;
  const grown = old === undefined || old.length < need;
  const p = bytesOf(old, need);
  const replies: Reply[] = [];
  let changes = 0;
  for (const op of ops) {
    if (op.opcode === 'get') {
      replies.push(intReply(op.signed ? getSigned(p, op.offset, op.bits) : getUnsigned(p, op.offset, op.bits)));
      continue;
    }
    const r = writeOp(p, op);
    replies.push(r.reply);
    if (r.reply.t !== 'bulk' && (grown || r.changed)) changes++;
  }
  if (changes > 0 || grown) {
    const next = fromBytes(p);
    if (old === undefined) c.db.add(k, next, true);
    else if (changes > 0) c.db.overwrite(k, next, true);
    else {
      // Grown but every write refused: Redis padded the string in place without signalling it.
      const e = c.db.dict.getEntry(k);
      if (e !== undefined) e.val = next;
      markRaw(c, k);
    }
  } else markRaw(c, k);
  if (changes > 0) {
    c.engine.notify('$', 'setbit', k, c.db.id);
    c.engine.dirty += changes;
  }
  return array(replies);
}

const TYPE_OFFSET = [str('encoding'), integer('offset')];

/** BITFIELD key [GET encoding offset | [OVERFLOW WRAP|SAT|FAIL] SET encoding offset value | INCRBY encoding offset increment ...] */
export const BITFIELD = defineCommand({
  name: 'BITFIELD',
  group: 'bitmap',
  arity: -2,
  flags: ['write', 'denyoom'],
  keys: { first: 1, last: 1, step: 1 },
  keySpecs: keySpec(
    ['RW', 'ACCESS', 'UPDATE', 'VARIABLE_FLAGS'],
    0,
    1,
    'This command allows both access and modification of the key',
  ),
  args: [
    key(),
    oneof(
      'operation',
      [
        block('encoding_offset', TYPE_OFFSET, { token: 'GET' }),
        block('write', [
          oneof('wrap_sat_fail', [tok('WRAP'), tok('SAT'), tok('FAIL')], { token: 'OVERFLOW' }),
          oneof(
            'write_operation',
            [
              block('encoding_offset_value', [...TYPE_OFFSET, integer('value')], { token: 'SET' }),
              block('encoding_offset_increment', [...TYPE_OFFSET, integer('increment')], { token: 'INCRBY' }),
            ],
            { optional: false },
          ),
        ]),
      ],
      { multiple: true },
    ),
  ],
  summary: 'Perform arbitrary bitfield integer operations on strings',
  complexity: 'O(1) for each subcommand specified',
  since: '3.2.0',
  exec: (c, argv) => bitfieldGeneric(c, argv, false),
});

/** BITFIELD_RO key [GET encoding offset [GET encoding offset ...]] */
export const BITFIELD_RO = defineCommand({
  name: 'BITFIELD_RO',
  group: 'bitmap',
  arity: -2,
  flags: ['readonly', 'fast'],
  keys: { first: 1, last: 1, step: 1 },
  args: [
    key(),
    block('encoding_offset', TYPE_OFFSET, { token: 'GET', optional: true, multiple: true, multipleToken: true }),
  ],
  summary: 'Perform arbitrary bitfield integer operations on strings. Read-only variant of BITFIELD',
  complexity: 'O(1) for each subcommand specified',
  since: '6.0.0',
  exec: (c, argv) => bitfieldGeneric(c, argv, true),
});

export const BITFIELD_COMMANDS: readonly CommandSpec[] = [BITFIELD, BITFIELD_RO];
