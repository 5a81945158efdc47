// Incremental, binary-safe request parser (multibulk and inline), as networking.c's
// processMultibulkBuffer / processInlineBuffer: same limits, same error texts, same quirks (Redis finds
// line ends with C's strchr, which stops at a NUL byte: a NUL before the line end means "wait").
// Works on Uint8Array; the Node server injects Buffer's fast latin1 slicing and allocation.

import { fromBytes } from './binary';
import { shortString } from './short-string';
import { splitArgs } from './split-args';

/** PROTO_INLINE_MAX_SIZE: the longest inline line or length header Redis buffers. */
export const PROTO_INLINE_MAX_SIZE = 64 * 1024;
/** PROTO_MBULK_BIG_ARG: from this size on, a bulk gets a buffer of its own size (no regrowth). */
const PROTO_MBULK_BIG_ARG = 32 * 1024;
const INT_MAX = 2147483647;
/** The smallest value CONFIG accepts for proto-max-bulk-len: shorter bulks never need to read it. */
const MIN_PROTO_MAX_BULK_LEN = 1024 * 1024;
const EMPTY = new Uint8Array(0);

export interface DecoderLimits {
  /** proto-max-bulk-len; a function reads the live CONFIG value (CONFIG SET applies at once, as in Redis). */
  maxBulkLen: number | (() => number);
  /** Unauthenticated clients get tighter limits (10 args, 16 KiB bulks) as in Redis 7.0. */
  authenticated: () => boolean;
}

export type DecodeResult =
  | { kind: 'command'; argv: string[] }
  | { kind: 'error'; message: string }
  | { kind: 'need-more' };

type Slice = (buf: Uint8Array, start: number, end: number) => string;

/** strchr from `from` for `byte`, stopping at a NUL byte or `end`: the index, or -1. */
function findByte(buf: Uint8Array, from: number, end: number, byte: number): number {
  for (let i = from; i < end; i++) {
    const c = buf[i];
    if (c === byte) return i;
    if (c === 0) return -1;
  }
  return -1;
}

/**
 * The common case of a bulk header, "$" then 1 to 5 digits without a leading zero, at most 16384
 * (no limit can refuse it), then "\r" and one more byte: the length, or -1 for the general path.
 */
function smallBulkHeader(buf: Uint8Array, pos: number, end: number): number {
  if (buf[pos] !== 36) return -1;
  let i = pos + 1;
  let c = buf[i];
  if (!(c >= 49 && c <= 57)) return -1;
  let n = c - 48;
  const stop = Math.min(end, pos + 7);
  for (i++; i < stop; i++) {
    c = buf[i];
    if (c < 48 || c > 57) break;
    n = n * 10 + (c - 48);
  }
  return i < stop && c === 13 && i + 1 < end && n <= 16384 ? n : -1;
}

/** The position after a header known to be well formed ("$123\r\n"). */
function skipHeader(buf: Uint8Array, pos: number): number {
  let i = pos + 1;
  while (buf[i] !== 13) i++;
  return i + 2;
}

const LLONG_MAX_DIGITS = '9223372036854775807';

/** string2ll over buf[s, e): no sign but '-', no leading zeros, no overflow. NaN when invalid. */
function parseLongLong(buf: Uint8Array, s: number, e: number): number {
  const len = e - s;
  if (len === 0 || len > 20) return Number.NaN;
  if (len === 1 && buf[s] === 48) return 0;
  let i = s;
  const neg = buf[i] === 45;
  if (neg) i++;
  const digits = e - i;
  if (digits === 0 || digits > 19) return Number.NaN;
  let c = buf[i];
  if (c < 49 || c > 57) return Number.NaN;
  let n = c - 48;
  for (i++; i < e; i++) {
    c = buf[i];
    if (c < 48 || c > 57) return Number.NaN;
    n = n * 10 + (c - 48);
  }
  if (digits === 19) {
    // Compare the digits with LLONG_MAX (LLONG_MIN's magnitude is one more).
    const from = e - 19;
    for (let k = 0; k < 19; k++) {
      const d = buf[from + k];
      const m = LLONG_MAX_DIGITS.charCodeAt(k) + (neg && k === 18 ? 1 : 0);
      if (d !== m) {
        if (d > m) return Number.NaN;
        break;
      }
    }
  }
  return neg ? -n : n;
}

// Command names repeat on every request: keep the last strings seen (per hash slot) and hand out the
// same string again when the bytes match, instead of allocating one per request.
const NAME_SLOTS = 64;
const nameCache: string[] = new Array<string>(NAME_SLOTS).fill('');

function commandName(buf: Uint8Array, s: number, n: number, slice: Slice): string {
  if (n === 0 || n > 32) return slice(buf, s, s + n);
  const slot = (n * 31 + buf[s] * 7 + buf[s + n - 1]) & (NAME_SLOTS - 1);
  const cached = nameCache[slot];
  if (cached.length === n) {
    let i = 0;
    while (i < n && cached.charCodeAt(i) === buf[s + i]) i++;
    if (i === n) return cached;
  }
  const name = slice(buf, s, s + n);
  nameCache[slot] = name;
  return name;
}

/**
 * Incremental request parser. Feed bytes with `push`, then call `nextArgv()` (or `next()`) until it
 * needs more. After a protocol error the connection must be closed (Redis replies, then closes).
 */
export class RequestDecoder {
  private buf: Uint8Array = EMPTY;
  private pos = 0;
  private end = 0;
  /** `buf` is our own allocation (appendable); otherwise it is the caller's chunk, read in place. */
  private owned = false;
  // Multibulk state survives across pushes so a big bulk isn't re-scanned.
  private mbRemaining = 0;
  private mbArgs: string[] | null = null;
  private bulkLen = -1;
  /** After `nextArgv()` returned null: the protocol error reply text, or null when more bytes are needed. */
  error: string | null = null;
  private readonly maxBulkLen: () => number;

  constructor(
    private readonly limits: DecoderLimits,
    private readonly slice: Slice = fromBytes,
    private readonly alloc: (size: number) => Uint8Array = (size) => new Uint8Array(size),
  ) {
    const max = limits.maxBulkLen;
    this.maxBulkLen = typeof max === 'number' ? () => max : max;
  }

  /** Bytes received but not yet consumed (the client's query buffer). */
  get pending(): number {
    return this.end - this.pos;
  }

  /** Whether a multibulk's declared bulk is still arriving. */
  get inBulk(): boolean {
    return this.bulkLen >= 0;
  }

  /** Append received bytes. The chunk is read in place until it is consumed: don't modify it. */
  push(chunk: Uint8Array): void {
    const rest = this.end - this.pos;
    if (rest === 0) {
      this.buf = chunk;
      this.pos = 0;
      this.end = chunk.length;
      this.owned = false;
      return;
    }
    const n = chunk.length;
    const need = rest + n;
    const buf = this.buf;
    if (this.owned) {
      if (buf.length - this.end >= n) {
        buf.set(chunk, this.end);
        this.end += n;
        return;
      }
      if (buf.length >= need) {
        buf.copyWithin(0, this.pos, this.end);
        buf.set(chunk, rest);
        this.pos = 0;
        this.end = need;
        return;
      }
    }
    // Grow geometrically, or straight to the size of the bulk being received (one copy per big bulk).
    let size = Math.max(need, rest * 2, 1024);
    if (this.bulkLen >= PROTO_MBULK_BIG_ARG) size = Math.max(need, this.bulkLen + 2);
    const next = this.alloc(size);
    next.set(buf.subarray(this.pos, this.end), 0);
    next.set(chunk, rest);
    this.buf = next;
    this.owned = true;
    this.pos = 0;
    this.end = need;
  }

  /** The next result as an object (tests and simple hosts); the server uses `nextArgv`. */
  next(): DecodeResult {
    const argv = this.nextArgv();
    if (argv !== null) return { kind: 'command', argv };
    if (this.error !== null) return { kind: 'error', message: this.error };
    return { kind: 'need-more' };
  }

  /** The next command's arguments, or null: more bytes are needed, or `error` is set. */
  nextArgv(): string[] | null {
    while (true) {
      if (this.mbArgs === null) {
        if (this.pos >= this.end) return this.needMore();
        if (this.buf[this.pos] !== 42) {
          const argv = this.inline();
          if (argv === null) return null;
          if (argv.length === 0) continue;
          return argv;
        }
        if (!this.multibulkHeader()) return null;
        if (this.mbArgs === null) continue; // "*0" or a negative count: nothing to run
      }
      const argv = this.bulks();
      if (argv !== null) return argv;
      return null;
    }
  }

  /** Parse "*<count>\r\n"; false when more bytes are needed or on error. */
  private multibulkHeader(): boolean {
    const buf = this.buf;
    const pos = this.pos;
    // Fast path: "*1\r?" to "*9\r?", the usual command shapes (no limit can refuse them).
    const d = buf[pos + 1];
    if (d >= 49 && d <= 57 && buf[pos + 2] === 13 && pos + 3 < this.end) {
      this.pos = pos + 4;
      this.mbRemaining = d - 48;
      this.mbArgs = [];
      return true;
    }
    const cr = findByte(buf, pos, this.end, 13);
    if (cr < 0) {
      if (this.end - pos > PROTO_INLINE_MAX_SIZE) this.fail('too big mbulk count string');
      else this.needMore();
      return false;
    }
    // Redis needs the byte after '\r' to be there, but does not look at it.
    if (cr + 1 >= this.end) {
      this.needMore();
      return false;
    }
    const n = parseLongLong(buf, pos + 1, cr);
    if (!(n <= INT_MAX)) {
      this.fail('invalid multibulk length');
      return false;
    }
    if (n > 10 && !this.limits.authenticated()) {
      this.fail('unauthenticated multibulk length');
      return false;
    }
    this.pos = cr + 2;
    if (n > 0) {
      this.mbRemaining = n;
      this.mbArgs = [];
    }
    return true;
  }

  /** Read the bulks of the current multibulk; the argv when complete, else null. */
  private bulks(): string[] | null {
    const buf = this.buf;
    const end = this.end;
    const args = this.mbArgs as string[];
    while (this.mbRemaining > 0) {
      let len = this.bulkLen;
      let pos = this.pos;
      if (len < 0) {
        len = smallBulkHeader(buf, pos, end);
        if (len >= 0) {
          pos = skipHeader(buf, pos);
        } else {
          len = this.bulkHeader();
          if (len < 0) return null;
          pos = this.pos;
        }
        this.pos = pos;
        this.bulkLen = len;
      }
      if (end - pos < len + 2) return this.needMore();
      args.push(
        args.length === 0
          ? commandName(buf, pos, len, this.slice)
          : len <= 16
            ? shortString(buf, pos, len)
            : this.slice(buf, pos, pos + len),
      );
      this.pos = pos + len + 2; // Redis skips the two trailing bytes without checking them
      this.bulkLen = -1;
      this.mbRemaining--;
    }
    this.mbArgs = null;
    if (this.pos === this.end) this.release();
    return args;
  }

  /** "$<len>\r\n" in general, with every check; the length, or -1 (more bytes needed, or `error`). */
  private bulkHeader(): number {
    const buf = this.buf;
    const pos = this.pos;
    const end = this.end;
    const cr = findByte(buf, pos, end, 13);
    if (cr < 0) {
      if (end - pos > PROTO_INLINE_MAX_SIZE) this.fail('too big bulk count string');
      else this.needMore();
      return -1;
    }
    if (cr + 1 >= end) {
      this.needMore();
      return -1;
    }
    const type = buf[pos];
    if (type !== 36) {
      // addReplyErrorFormat turns CR/LF into spaces.
      const got = type === 13 || type === 10 ? ' ' : String.fromCharCode(type);
      this.fail(`expected '$', got '${got}'`);
      return -1;
    }
    const len = parseLongLong(buf, pos + 1, cr);
    if (!(len >= 0) || (len > MIN_PROTO_MAX_BULK_LEN && len > this.maxBulkLen())) {
      this.fail('invalid bulk length');
      return -1;
    }
    if (len > 16384 && !this.limits.authenticated()) {
      this.fail('unauthenticated bulk length');
      return -1;
    }
    this.pos = cr + 2;
    return len;
  }

  /** One inline command line; [] for an empty line, null when more bytes are needed or on error. */
  private inline(): string[] | null {
    const buf = this.buf;
    const pos = this.pos;
    const nl = findByte(buf, pos, this.end, 10);
    if (nl < 0) {
      if (this.end - pos > PROTO_INLINE_MAX_SIZE) return this.fail('too big inline request');
      return this.needMore();
    }
    const lineEnd = nl > pos && buf[nl - 1] === 13 ? nl - 1 : nl;
    const argv = splitArgs(this.slice(buf, pos, lineEnd));
    if (argv === null) return this.fail('unbalanced quotes in request');
    this.pos = nl + 1;
    return argv;
  }

  private needMore(): null {
    this.error = null;
    if (this.pos === this.end) this.release();
    return null;
  }

  /** Everything consumed: drop the reference to the last chunk. */
  private release(): void {
    this.buf = EMPTY;
    this.pos = 0;
    this.end = 0;
    this.owned = false;
  }

  private fail(what: string): null {
    this.release();
    this.mbArgs = null;
    this.mbRemaining = 0;
    this.bulkLen = -1;
    this.error = `ERR Protocol error: ${what}`;
    return null;
  }
}
