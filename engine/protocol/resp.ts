// RESP2/RESP3 encoding of Reply trees and an incremental, binary-safe request decoder (multibulk and
// inline), following networking.c's processMultibulkBuffer / processInlineBuffer limits and errors.
// Works on Uint8Array; the Node server injects Buffer's fast latin1 slicing.

import { fromBytes } from './binary';
import type { Reply } from './reply';
import { splitArgs } from './split-args';
import { formatDouble } from '../util/format-double';

// ---- encoding ---------------------------------------------------------------------------------

/** Encode a reply as RESP text (a binary string, one char per byte). */
export function encodeReply(r: Reply, resp: 2 | 3 = 2): string {
  switch (r.t) {
    case 'bulk':
      return r.v === null ? (resp === 3 ? '_\r\n' : '$-1\r\n') : `$${r.v.length}\r\n${r.v}\r\n`;
    case 'status':
      return `+${r.v}\r\n`;
    case 'int':
      return `:${r.v}\r\n`;
    case 'error':
      return `-${r.v}\r\n`;
    case 'array': {
      if (r.v === null) return resp === 3 ? '_\r\n' : '*-1\r\n';
      let s = `*${r.v.length}\r\n`;
      for (let i = 0; i < r.v.length; i++) s += encodeReply(r.v[i], resp);
      return s;
    }
    case 'double': {
      const text = formatDouble(r.v);
      return resp === 3 ? `,${text}\r\n` : `$${text.length}\r\n${text}\r\n`;
    }
    case 'map': {
      let s = resp === 3 ? `%${r.v.length}\r\n` : `*${r.v.length * 2}\r\n`;
      for (const [k, v] of r.v) s += encodeReply(k, resp) + encodeReply(v, resp);
      return s;
    }
    case 'set':
    case 'push': {
      let s = resp === 3 ? `${r.t === 'set' ? '~' : '>'}${r.v.length}\r\n` : `*${r.v.length}\r\n`;
      for (const x of r.v) s += encodeReply(x, resp);
      return s;
    }
  }
}

// ---- decoding ---------------------------------------------------------------------------------

/** PROTO_INLINE_MAX_SIZE: the longest inline line or length header Redis buffers. */
export const PROTO_INLINE_MAX_SIZE = 64 * 1024;
const INT_MAX = 2147483647;

export interface DecoderLimits {
  /** proto-max-bulk-len */
  maxBulkLen: number;
  /** Unauthenticated clients get tighter limits (10 args, 16 KiB bulks) as in Redis 7.0. */
  authenticated: () => boolean;
}

export type DecodeResult =
  | { kind: 'command'; argv: string[] }
  | { kind: 'error'; message: string }
  | { kind: 'need-more' };

type Slice = (buf: Uint8Array, start: number, end: number) => string;

/**
 * Incremental request parser. Feed bytes with `push`, then call `next()` until it needs more.
 * After an 'error' result the connection must be closed (Redis replies, then closes).
 */
export class RequestDecoder {
  private buf: Uint8Array = new Uint8Array(0);
  private pos = 0;
  private end = 0;
  // Multibulk state survives across pushes so a huge bulk isn't re-scanned.
  private mbRemaining = 0;
  private mbArgs: string[] | null = null;
  private bulkLen = -1;

  constructor(
    private readonly limits: DecoderLimits,
    private readonly slice: Slice = fromBytes,
  ) {}

  /** Bytes received but not yet consumed (the client's query buffer). */
  get pending(): number {
    return this.end - this.pos;
  }

  push(chunk: Uint8Array): void {
    if (this.pos === this.end) {
      this.buf = chunk;
      this.pos = 0;
      this.end = chunk.length;
      return;
    }
    const rest = this.end - this.pos;
    const needed = rest + chunk.length;
    let next: Uint8Array;
    if (this.buf.length >= needed && this.pos > 0 && this.buf.buffer.byteLength === this.buf.length) {
      next = this.buf;
      next.copyWithin(0, this.pos, this.end);
    } else {
      next = new Uint8Array(Math.max(needed, rest * 2));
      next.set(this.buf.subarray(this.pos, this.end), 0);
    }
    next.set(chunk, rest);
    this.buf = next;
    this.pos = 0;
    this.end = needed;
  }

  /** Read a decimal integer header ("*3\r\n" / "$5\r\n") starting after its type byte. */
  private readHeader(): { value: number | null; next: number } | null {
    const buf = this.buf;
    let i = this.pos + 1;
    let n = 0;
    let neg = false;
    let valid = true;
    let digits = 0;
    if (i < this.end && buf[i] === 45) {
      neg = true;
      i++;
    }
    for (; i < this.end; i++) {
      const c = buf[i];
      if (c === 13) break;
      if (c < 48 || c > 57) valid = false;
      else {
        n = n * 10 + (c - 48);
        digits++;
      }
    }
    if (i >= this.end) return null;
    if (i + 1 >= this.end) return null;
    // Redis requires "\r\n"; a lone "\r" followed by something else is not a valid number.
    if (buf[i + 1] !== 10) valid = false;
    if (digits === 0 || digits > 19) valid = false;
    return { value: valid ? (neg ? -n : n) : null, next: i + 2 };
  }

  next(): DecodeResult {
    while (true) {
      if (this.mbArgs === null) {
        // Skip empty lines between requests? Redis treats a lone "\r\n" as an empty inline command.
        if (this.pos >= this.end) return { kind: 'need-more' };
        if (this.buf[this.pos] !== 42) {
          const r = this.nextInline();
          if (r === null) continue; // empty line
          return r;
        }
        const h = this.readHeader();
        if (h === null) {
          if (this.pending > PROTO_INLINE_MAX_SIZE) return this.fail('too big mbulk count string');
          return { kind: 'need-more' };
        }
        if (h.value === null || h.value > INT_MAX) return this.fail('invalid multibulk length');
        if (h.value > 10 && !this.limits.authenticated()) return this.fail('unauthenticated multibulk length');
        this.pos = h.next;
        if (h.value <= 0) continue;
        this.mbRemaining = h.value;
        this.mbArgs = [];
      }
      // Bulk strings of the current multibulk.
      while (this.mbRemaining > 0) {
        if (this.bulkLen < 0) {
          if (this.pos >= this.end) return { kind: 'need-more' };
          if (this.buf[this.pos] !== 36) {
            return this.fail(`expected '$', got '${String.fromCharCode(this.buf[this.pos])}'`);
          }
          const h = this.readHeader();
          if (h === null) {
            if (this.pending > PROTO_INLINE_MAX_SIZE) return this.fail('too big bulk count string');
            return { kind: 'need-more' };
          }
          if (h.value === null || h.value < 0 || h.value > this.limits.maxBulkLen)
            return this.fail('invalid bulk length');
          if (h.value > 16384 && !this.limits.authenticated()) return this.fail('unauthenticated bulk length');
          this.pos = h.next;
          this.bulkLen = h.value;
        }
        if (this.end - this.pos < this.bulkLen + 2) return { kind: 'need-more' };
        const args = this.mbArgs as string[];
        args.push(this.slice(this.buf, this.pos, this.pos + this.bulkLen));
        this.pos += this.bulkLen + 2; // Redis skips the two trailing bytes without checking them
        this.bulkLen = -1;
        this.mbRemaining--;
      }
      const argv = this.mbArgs as string[];
      this.mbArgs = null;
      return { kind: 'command', argv };
    }
  }

  /** Whether a multibulk's declared bulk is still arriving (for the query buffer limit check). */
  get inBulk(): boolean {
    return this.bulkLen >= 0;
  }

  private nextInline(): DecodeResult | null {
    const buf = this.buf;
    let nl = -1;
    for (let i = this.pos; i < this.end; i++) {
      if (buf[i] === 10) {
        nl = i;
        break;
      }
    }
    if (nl === -1) {
      if (this.pending > PROTO_INLINE_MAX_SIZE) return this.fail('too big inline request');
      return { kind: 'need-more' };
    }
    let lineEnd = nl;
    if (lineEnd > this.pos && buf[lineEnd - 1] === 13) lineEnd--;
    const line = this.slice(buf, this.pos, lineEnd);
    this.pos = nl + 1;
    const argv = splitArgs(line);
    if (argv === null) return this.fail('unbalanced quotes in request');
    if (argv.length === 0) return null;
    return { kind: 'command', argv };
  }

  private fail(what: string): DecodeResult {
    this.pos = this.end;
    this.mbArgs = null;
    this.bulkLen = -1;
    return { kind: 'error', message: `ERR Protocol error: ${what}` };
  }
}

// ---- reply decoding (client side: tests, conformance, the bench) --------------------------------

/** Incremental RESP2/RESP3 reply parser: push bytes, take complete replies. */
export class ReplyDecoder {
  private buf = '';
  private pos = 0;

  constructor(private readonly slice: Slice = fromBytes) {}

  push(chunk: Uint8Array): void {
    const s = this.slice(chunk, 0, chunk.length);
    this.buf = this.pos >= this.buf.length ? s : this.buf.slice(this.pos) + s;
    this.pos = 0;
  }

  /** The next complete reply, or undefined when more bytes are needed. */
  next(): Reply | undefined {
    const start = this.pos;
    const r = this.parse();
    if (r === undefined) this.pos = start;
    return r;
  }

  private line(): string | undefined {
    const i = this.buf.indexOf('\r\n', this.pos);
    if (i === -1) return undefined;
    const l = this.buf.slice(this.pos + 1, i);
    this.pos = i + 2;
    return l;
  }

  private parse(): Reply | undefined {
    if (this.pos >= this.buf.length) return undefined;
    const type = this.buf[this.pos];
    const l = this.line();
    if (l === undefined) return undefined;
    switch (type) {
      case '+':
        return { t: 'status', v: l };
      case '-':
        return { t: 'error', v: l };
      case ':':
        return { t: 'int', v: safeInt(l) };
      case ',':
        return { t: 'double', v: l === 'inf' ? Infinity : l === '-inf' ? -Infinity : Number(l) };
      case '_':
        return { t: 'bulk', v: null };
      case '#':
        return { t: 'int', v: l === 't' ? 1 : 0 };
      case '$':
      case '=':
      case '!': {
        const n = Number(l);
        if (n < 0) return { t: 'bulk', v: null };
        if (this.buf.length < this.pos + n + 2) return undefined;
        const v = this.buf.slice(this.pos, this.pos + n);
        this.pos += n + 2;
        return type === '!' ? { t: 'error', v } : { t: 'bulk', v };
      }
      case '*':
      case '~':
      case '>': {
        const n = Number(l);
        if (n < 0) return { t: 'array', v: null };
        const items: Reply[] = [];
        for (let i = 0; i < n; i++) {
          const item = this.parse();
          if (item === undefined) return undefined;
          items.push(item);
        }
        return type === '*' ? { t: 'array', v: items } : { t: type === '~' ? 'set' : 'push', v: items };
      }
      case '%': {
        const n = Number(l);
        const pairs: [Reply, Reply][] = [];
        for (let i = 0; i < n; i++) {
          const k = this.parse();
          if (k === undefined) return undefined;
          const v = this.parse();
          if (v === undefined) return undefined;
          pairs.push([k, v]);
        }
        return { t: 'map', v: pairs };
      }
      default:
        return { t: 'error', v: `bad reply type byte ${JSON.stringify(type)}` };
    }
  }
}

function safeInt(s: string): number | bigint {
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : BigInt(s);
}

/** Encode a command as a RESP multibulk (binary string). */
export function encodeCommand(argv: readonly string[]): string {
  let s = `*${argv.length}\r\n`;
  for (const a of argv) s += `$${a.length}\r\n${a}\r\n`;
  return s;
}
