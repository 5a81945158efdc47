// RESP2/RESP3 encoding of Reply trees straight into a byte buffer (Redis's client output buffer,
// c->buf): a pipelined batch of replies becomes one byte array, written to the socket at once, with no
// intermediate strings. Byte for byte the same output as encodeReply() in resp.ts.

import { formatDouble } from '../util/format-double';
import type { Reply } from './reply';

const CR = 13;
const LF = 10;
/** Values at least this long are copied by the host's native latin1 writer (when it gives one). */
const NATIVE_COPY_MIN = 48;
/** A buffer grown past this size is not kept for the next batch. */
const KEEP_MAX = 256 * 1024;

/** Copies a binary string into `buf` at `offset` (Node: Buffer.prototype.latin1Write). */
export type Latin1Writer = (buf: Uint8Array, s: string, offset: number) => void;

const EMPTY = new Uint8Array(0);

export class ReplyWriter {
  /** Allocated on the first write (idle connections hold none). */
  private buf: Uint8Array = EMPTY;
  private pos = 0;

  constructor(
    private readonly alloc: (size: number) => Uint8Array = (size) => new Uint8Array(size),
    private readonly writeLatin1: Latin1Writer | null = null,
    private readonly initialSize = 16 * 1024,
  ) {}

  /** Bytes written since the last `take()`. */
  get length(): number {
    return this.pos;
  }

  /**
   * The bytes written so far, as a view of the writer's buffer; the writer starts over. The view is
   * valid until the next write unless `detach()` is called (e.g. when a socket keeps it queued).
   */
  take(): Uint8Array {
    const view = this.buf.subarray(0, this.pos);
    this.pos = 0;
    if (this.buf.length > KEEP_MAX) this.detach();
    return view;
  }

  /** Leave the current buffer to whoever holds the last `take()` view; write into a fresh one. */
  detach(): void {
    this.buf = EMPTY;
    this.pos = 0;
  }

  private ensure(n: number): void {
    const need = this.pos + n;
    if (need <= this.buf.length) return;
    const next = this.alloc(Math.max(need, this.buf.length * 2, this.initialSize));
    if (this.pos > 0) next.set(this.buf.subarray(0, this.pos), 0);
    this.buf = next;
  }

  /** Append a reply in the client's protocol version. */
  write(r: Reply, resp: 2 | 3): void {
    switch (r.t) {
      case 'bulk':
        if (r.v === null) this.nullReply(resp, 36);
        else this.bulk(r.v);
        return;
      case 'status':
        this.line(43, r.v);
        return;
      case 'error':
        this.line(45, r.v);
        return;
      case 'int':
        this.integer(58, r.v);
        return;
      case 'array': {
        const items = r.v;
        if (items === null) {
          this.nullReply(resp, 42);
          return;
        }
        this.integer(42, items.length);
        for (let i = 0; i < items.length; i++) this.write(items[i], resp);
        return;
      }
      case 'double': {
        const text = r.text ?? formatDouble(r.v);
        if (resp === 3) this.line(44, text);
        else this.bulk(text);
        return;
      }
      case 'map': {
        if (resp === 3) this.integer(37, r.v.length);
        else this.integer(42, r.v.length * 2);
        for (const [k, v] of r.v) {
          this.write(k, resp);
          this.write(v, resp);
        }
        return;
      }
      case 'set':
      case 'push': {
        this.integer(resp === 3 ? (r.t === 'set' ? 126 : 62) : 42, r.v.length);
        for (const x of r.v) this.write(x, resp);
        return;
      }
    }
  }

  /** "-<message>\r\n" (protocol errors found by the request decoder). */
  writeError(message: string): void {
    this.line(45, message);
  }

  /** RESP3 "_\r\n", RESP2 "$-1\r\n" or "*-1\r\n". */
  private nullReply(resp: 2 | 3, type: number): void {
    this.ensure(5);
    const buf = this.buf;
    let p = this.pos;
    if (resp === 3) {
      buf[p++] = 95;
    } else {
      buf[p++] = type;
      buf[p++] = 45;
      buf[p++] = 49;
    }
    buf[p++] = CR;
    buf[p++] = LF;
    this.pos = p;
  }

  /** <type><text>\r\n */
  private line(type: number, s: string): void {
    this.ensure(s.length + 3);
    this.buf[this.pos++] = type;
    this.chars(s);
    this.crlf();
  }

  /** $<len>\r\n<bytes>\r\n */
  private bulk(s: string): void {
    this.ensure(s.length + 26);
    this.integer(36, s.length);
    this.chars(s);
    this.crlf();
  }

  /** <type><decimal>\r\n for numbers, bigints and counts. */
  private integer(type: number, v: number | bigint): void {
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) {
      this.line(type, String(v));
      return;
    }
    this.ensure(24);
    const buf = this.buf;
    let p = this.pos;
    buf[p++] = type;
    let n = v;
    if (n < 0) {
      buf[p++] = 45;
      n = -n;
    }
    if (n < 10) {
      buf[p++] = 48 + n;
    } else if (n <= 0x7fffffff) {
      // 32-bit integers (counts, lengths, most INCR results): integer division.
      p +=
        n < 100
          ? 2
          : n < 1e3
            ? 3
            : n < 1e4
              ? 4
              : n < 1e5
                ? 5
                : n < 1e6
                  ? 6
                  : n < 1e7
                    ? 7
                    : n < 1e8
                      ? 8
                      : n < 1e9
                        ? 9
                        : 10;
      let q = p;
      while (n >= 10) {
        const d = (n / 10) | 0;
        buf[--q] = 48 + (n - d * 10);
        n = d;
      }
      buf[--q] = 48 + n;
    } else {
      let digits = 2;
      for (let t = n; t >= 100; t = Math.floor(t / 10)) digits++;
      p += digits;
      let q = p;
      while (n >= 10) {
        const d = Math.floor(n / 10);
        buf[--q] = 48 + (n - d * 10);
        n = d;
      }
      buf[--q] = 48 + n;
    }
    buf[p++] = CR;
    buf[p++] = LF;
    this.pos = p;
  }

  /** Copy a binary string (one char per byte); the caller has ensured room. */
  private chars(s: string): void {
    const n = s.length;
    if (n >= NATIVE_COPY_MIN && this.writeLatin1 !== null) {
      this.writeLatin1(this.buf, s, this.pos);
    } else {
      const buf = this.buf;
      const p = this.pos;
      for (let i = 0; i < n; i++) buf[p + i] = s.charCodeAt(i);
    }
    this.pos += n;
  }

  private crlf(): void {
    this.buf[this.pos++] = CR;
    this.buf[this.pos++] = LF;
  }
}
