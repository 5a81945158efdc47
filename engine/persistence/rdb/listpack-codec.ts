// Listpack bytes (src/listpack.c, Redis 7.0): the one encoder and the one decoder of the format whose
// sizes types/listpack.ts computes. A reusable builder encodes entries into one scratch buffer (no
// per-entry arrays, no BigInt for integers within ±2^53) — RDB SAVE's hot path, and encodeListpack;
// a reader walks a listpack held in a binary string (the file's own text, or an LZF blob's) with one
// cursor.

import { backlenSize, lpIntValue, NUMELE_UNKNOWN } from '../../types/listpack';

/** Builds one listpack at a time in a scratch buffer that grows once and is reused. */
export class ListpackBuilder {
  buf = new Uint8Array(1 << 16);
  pos = 6;
  count = 0;

  /** Start a new listpack (header written by end()). */
  begin(): void {
    this.pos = 6;
    this.count = 0;
  }

  /** The buffer, with room for `n` more bytes at pos. */
  room(n: number): Uint8Array {
    if (this.pos + n > this.buf.length) {
      let size = this.buf.length * 2;
      while (size < this.pos + n) size *= 2;
      const next = new Uint8Array(size);
      next.set(this.buf.subarray(0, this.pos));
      this.buf = next;
    }
    return this.buf;
  }

  /** lpAppend of a binary string: stored as an integer when lpStringToInt64 accepts it. */
  add(s: string): void {
    const n = s.length;
    if (n > 0 && n <= 20) {
      const c0 = s.charCodeAt(0);
      if ((c0 >= 48 && c0 <= 57) || c0 === 45) {
        const v = lpIntValue(s);
        if (v !== null) {
          if (typeof v === 'number') this.int(v);
          else this.bigint(v);
          return;
        }
      }
    }
    this.str(s);
  }

  /** A string entry (never converted to an integer). */
  str(s: string): void {
    const n = s.length;
    const buf = this.room(n + 10);
    let p = this.pos;
    const start = p;
    if (n < 64) buf[p++] = 0x80 | n;
    else if (n < 4096) {
      buf[p++] = 0xe0 | (n >> 8);
      buf[p++] = n & 0xff;
    } else {
      buf[p++] = 0xf0;
      buf[p++] = n & 0xff;
      buf[p++] = (n >>> 8) & 0xff;
      buf[p++] = (n >>> 16) & 0xff;
      buf[p++] = (n >>> 24) & 0xff;
    }
    for (let i = 0; i < n; i++) buf[p++] = s.charCodeAt(i);
    this.pos = p;
    this.backlen(p - start);
  }

  /** An integer entry, `v` a safe integer (the narrowest LP_ENCODING_*INT that holds it). */
  int(v: number): void {
    const buf = this.room(20);
    let p = this.pos;
    if (v >= 0 && v <= 127) {
      buf[p] = v;
      this.pos = p + 2;
      buf[p + 1] = 1;
      this.count++;
      return;
    }
    if (v >= -4096 && v <= 4095) {
      const u = v < 0 ? v + 8192 : v;
      buf[p] = 0xc0 | (u >> 8);
      buf[p + 1] = u & 0xff;
      buf[p + 2] = 2;
      this.pos = p + 3;
      this.count++;
      return;
    }
    let width: number;
    if (v >= -32768 && v <= 32767) {
      buf[p++] = 0xf1;
      width = 2;
    } else if (v >= -8388608 && v <= 8388607) {
      buf[p++] = 0xf2;
      width = 3;
    } else if (v >= -2147483648 && v <= 2147483647) {
      buf[p++] = 0xf3;
      width = 4;
    } else {
      buf[p++] = 0xf4;
      width = 8;
    }
    if (width <= 4) {
      for (let i = 0; i < width; i++) buf[p++] = (v >> (8 * i)) & 0xff;
    } else {
      // Two's complement over 64 bits, from two 32-bit halves.
      const hi = Math.floor(v / 0x100000000);
      const lo = v - hi * 0x100000000;
      for (let i = 0; i < 4; i++) buf[p++] = (lo >>> (8 * i)) & 0xff;
      for (let i = 0; i < 4; i++) buf[p++] = (hi >> (8 * i)) & 0xff;
    }
    buf[p++] = width + 1;
    this.pos = p;
    this.count++;
  }

  /** A 64-bit integer entry beyond ±2^53. */
  bigint(v: bigint): void {
    const buf = this.room(10);
    let p = this.pos;
    buf[p++] = 0xf4;
    let u = BigInt.asUintN(64, v);
    for (let i = 0; i < 8; i++) {
      buf[p++] = Number(u & 0xffn);
      u >>= 8n;
    }
    buf[p++] = 9;
    this.pos = p;
    this.count++;
  }

  private backlen(l: number): void {
    const buf = this.buf;
    const p = this.pos;
    if (l < 128) {
      buf[p] = l;
      this.pos = p + 1;
      this.count++;
      return;
    }
    const size = backlenSize(l);
    // Most significant 7 bits first; every later byte has bit 7 set.
    for (let i = 0; i < size; i++) {
      const bits = Math.floor(l / 2 ** (7 * (size - 1 - i))) & 127;
      buf[p + i] = i === 0 ? bits : bits | 128;
    }
    this.pos = p + size;
    this.count++;
  }

  /** Finish: header and end byte written; the listpack is buf[0, returned length). */
  end(): number {
    const buf = this.room(1);
    buf[this.pos++] = 0xff;
    const total = this.pos;
    buf[0] = total & 0xff;
    buf[1] = (total >>> 8) & 0xff;
    buf[2] = (total >>> 16) & 0xff;
    buf[3] = (total >>> 24) & 0xff;
    const count = Math.min(this.count, NUMELE_UNKNOWN);
    buf[4] = count & 0xff;
    buf[5] = count >>> 8;
    return total;
  }
}

/** The scratch encodeListpack builds in (RDB SAVE's values have their own, encode.ts's). */
const scratch = new ListpackBuilder();

/** The listpack bytes of these entries (binary strings), a copy of exactly its length. */
export function encodeListpack(entries: readonly string[]): Uint8Array {
  scratch.begin();
  for (let i = 0; i < entries.length; i++) scratch.add(entries[i]);
  return scratch.buf.slice(0, scratch.end());
}

/** A listpack that can't be walked (lpValidateIntegrity deep would fail). */
export class ListpackError extends Error {}

const bad = (why: string): never => {
  throw new ListpackError(`invalid listpack: ${why}`);
};

/**
 * The elements of the listpack held in s[start, end) (integers as decimal strings). Throws
 * ListpackError on malformed bytes: total size, unknown encoding byte, an entry past the end, a
 * backlen that doesn't give its entry's length, no end byte, a wrong element count.
 */
export function readListpackText(s: string, start: number, end: number): string[] {
  const total = end - start;
  if (total < 7) bad('too short');
  const declaredTotal =
    (s.charCodeAt(start) | (s.charCodeAt(start + 1) << 8) | (s.charCodeAt(start + 2) << 16)) +
    s.charCodeAt(start + 3) * 0x1000000;
  if (declaredTotal !== total) bad('total bytes mismatch');
  const declared = s.charCodeAt(start + 4) | (s.charCodeAt(start + 5) << 8);
  const out: string[] = [];
  let pos = start + 6;
  const last = end - 1;
  while (pos < last) {
    const entry = pos;
    const b = s.charCodeAt(pos);
    let v: string;
    if (b < 0x80) {
      v = String(b);
      pos += 1;
    } else if (b < 0xc0) {
      const n = b & 0x3f;
      pos += 1;
      if (pos + n > end) bad('entry overflows');
      v = s.slice(pos, pos + n);
      pos += n;
    } else if (b < 0xe0) {
      const u = ((b & 0x1f) << 8) | s.charCodeAt(pos + 1);
      v = String(u >= 4096 ? u - 8192 : u);
      pos += 2;
    } else if (b < 0xf0) {
      const n = ((b & 0x0f) << 8) | s.charCodeAt(pos + 1);
      pos += 2;
      if (pos + n > end) bad('entry overflows');
      v = s.slice(pos, pos + n);
      pos += n;
    } else if (b === 0xf0) {
      const p = pos + 1;
      const n =
        (s.charCodeAt(p) | (s.charCodeAt(p + 1) << 8) | (s.charCodeAt(p + 2) << 16)) + s.charCodeAt(p + 3) * 0x1000000;
      pos += 5;
      if (pos + n > end) bad('entry overflows');
      v = s.slice(pos, pos + n);
      pos += n;
    } else if (b >= 0xf1 && b <= 0xf4) {
      const p = pos + 1;
      if (b === 0xf1) v = String(((s.charCodeAt(p) | (s.charCodeAt(p + 1) << 8)) << 16) >> 16);
      else if (b === 0xf2)
        v = String(((s.charCodeAt(p) | (s.charCodeAt(p + 1) << 8) | (s.charCodeAt(p + 2) << 16)) << 8) >> 8);
      else {
        const lo =
          s.charCodeAt(p) | (s.charCodeAt(p + 1) << 8) | (s.charCodeAt(p + 2) << 16) | (s.charCodeAt(p + 3) << 24);
        if (b === 0xf3) v = String(lo);
        else {
          const hi =
            s.charCodeAt(p + 4) |
            (s.charCodeAt(p + 5) << 8) |
            (s.charCodeAt(p + 6) << 16) |
            (s.charCodeAt(p + 7) << 24);
          // Exact within ±2^53; beyond, through BigInt.
          const n = hi * 0x100000000 + (lo >>> 0);
          v = Number.isSafeInteger(n) ? String(n) : String((BigInt(hi) << 32n) | BigInt(lo >>> 0));
        }
      }
      pos += b === 0xf4 ? 9 : b - 0xee;
    } else {
      return bad(`unknown encoding byte 0x${b.toString(16)}`);
    }
    // The backlen, read backwards as lpPrev does: it must give this entry's length.
    const l = pos - entry;
    if (l < 128) {
      // One backlen byte (entries under 128 bytes, nearly all): it is the length itself.
      if (pos + 1 > last) bad('bad backlen');
      const byte = s.charCodeAt(pos);
      if (byte >= 128) bad('bad backlen');
      if (byte !== l) bad('backlen mismatch');
      pos += 1;
      out.push(v);
      continue;
    }
    const size = backlenSize(l);
    if (pos + size > last) bad('bad backlen');
    let back = 0;
    for (let i = 0; i < size; i++) {
      const byte = s.charCodeAt(pos + size - 1 - i);
      back += (byte & 127) * 2 ** (7 * i);
      if (i < size - 1 !== byte >= 128) bad('bad backlen');
    }
    if (back !== l) bad('backlen mismatch');
    pos += size;
    out.push(v);
  }
  if (pos !== last || s.charCodeAt(pos) !== 0xff) bad('missing end byte');
  if (declared !== NUMELE_UNKNOWN && declared !== out.length) bad('element count mismatch');
  return out;
}
