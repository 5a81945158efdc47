// Helpers shared by the bitmap command files (src/bitops.c): bit offset arguments, and the
// string handling of lookupStringForBitCommand / dbUnshareStringValue (zero padding, raw encoding).

import type { Client } from '../client';
import { E } from '../errors';
import { META_RAW } from '../keyspace/db';
import { fail, parseLongLong } from './args';

/**
 * getBitOffsetFromArgument: a bit offset within proto-max-bulk-len bytes. With `bits` > 0 the
 * "#N" form (BITFIELD) means N * bits, computed in 64-bit arithmetic as C does.
 */
export function parseBitOffset(c: Client, arg: string, bits = 0): number {
  const hash = bits > 0 && arg.charCodeAt(0) === 35;
  const n = parseLongLong(hash ? arg.slice(1) : arg);
  if (n === null) fail(E.BIT_OFFSET);
  let off = BigInt(n);
  if (hash) off = BigInt.asIntN(64, off * BigInt(bits));
  if (off < 0n || off >> 3n >= BigInt(c.engine.config.getInt('proto-max-bulk-len'))) fail(E.BIT_OFFSET);
  return Number(off);
}

/** dbUnshareStringValue without a change of content: the value becomes a private raw string. */
export function markRaw(c: Client, k: string): void {
  const e = c.db.dict.getEntry(k);
  if (e !== undefined) e.meta |= META_RAW;
}

/** The bytes of a string, zero padded to at least `len` bytes (sdsgrowzero). */
export function bytesOf(v: string | undefined, len: number): Uint8Array {
  const n = v === undefined ? 0 : v.length;
  const out = new Uint8Array(Math.max(n, len));
  for (let i = 0; i < n; i++) out[i] = (v as string).charCodeAt(i);
  return out;
}
