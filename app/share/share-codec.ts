// Share links: a lab state (a snapshot of the keyspace as an RDB file, commands to run, the open
// lesson and step, the engine clock's offset) packed into the URL fragment `#share=<data>`.
// <data> is base64url of deflate-raw (CompressionStream) of a small binary frame. Decoding never
// trusts the payload: sizes are capped before and while inflating, every field is bounds-checked,
// and anything wrong gives a ShareError with a message for the user (never a crash).

/** Longest `#share=` data accepted (base64url characters). */
export const MAX_ENCODED_CHARS = 64 * 1024;
/** Largest inflated frame accepted (a small fragment could inflate to gigabytes). */
export const MAX_DECODED_BYTES = 2 * 1024 * 1024;
export const MAX_COMMANDS = 200;
export const MAX_COMMAND_CHARS = 4096;
export const SHARE_PREFIX = '#share=';
const MAGIC = [0x52, 0x4c, 0x53] as const; // "RLS"
const VERSION = 1;

export interface ShareState {
  /** The keyspace as dump.rdb (SAVE), or null: the commands alone rebuild the state. */
  readonly rdb: Uint8Array | null;
  /** The engine's time when the snapshot was saved (ms): the RDB's expiry times are relative to it. */
  readonly savedAt: number;
  /** Lines to run in the terminal after loading the keys (UTF-8 text, as typed). */
  readonly commands: readonly string[];
  readonly lesson: { readonly id: string; readonly step: number } | null;
  /** How far the engine clock was ahead of real time (ms, ≥ 0; lessons' :advance). */
  readonly clockOffsetMs: number;
}

export class ShareError extends Error {}

// ---- the binary frame -------------------------------------------------------------------------

class Writer {
  private bytes: number[] = [];
  byte(b: number): void {
    this.bytes.push(b & 0xff);
  }
  /** Unsigned LEB128 of a safe integer ≥ 0 (arithmetic, not 32-bit shifts). */
  uint(n: number): void {
    let v = n;
    while (v >= 0x80) {
      this.bytes.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    this.bytes.push(v);
  }
  /** A binary string, length-prefixed. */
  raw(b: Uint8Array): void {
    this.uint(b.length);
    for (const x of b) this.bytes.push(x);
  }
  text(s: string): void {
    const u = new TextEncoder().encode(s);
    this.uint(u.length);
    for (const b of u) this.bytes.push(b);
  }
  done(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

class Reader {
  private pos = 0;
  constructor(private readonly b: Uint8Array) {}
  private need(n: number): void {
    if (n > this.b.length - this.pos) throw new ShareError('the link is damaged (its data ends too early)');
  }
  byte(): number {
    this.need(1);
    return this.b[this.pos++];
  }
  uint(): number {
    let n = 0;
    let mul = 1;
    for (let i = 0; i < 8; i++) {
      const b = this.byte();
      n += (b & 0x7f) * mul;
      if (b < 0x80) return n;
      mul *= 0x80;
    }
    throw new ShareError('the link is damaged (a bad number)');
  }
  raw(): Uint8Array {
    const n = this.uint();
    this.need(n);
    const out = this.b.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  text(): string {
    const n = this.uint();
    this.need(n);
    const s = new TextDecoder('utf-8', { fatal: false }).decode(this.b.subarray(this.pos, this.pos + n));
    this.pos += n;
    return s;
  }
  get atEnd(): boolean {
    return this.pos === this.b.length;
  }
}

/** The state as the uncompressed frame. */
export function frame(state: ShareState): Uint8Array {
  const w = new Writer();
  for (const m of MAGIC) w.byte(m);
  w.byte(VERSION);
  if (state.rdb) {
    w.byte(1);
    w.raw(state.rdb);
    w.uint(Math.max(0, Math.round(state.savedAt)));
  } else w.byte(0);
  w.uint(state.commands.length);
  for (const c of state.commands) w.text(c);
  if (state.lesson) {
    w.byte(1);
    w.text(state.lesson.id);
    w.uint(state.lesson.step);
  } else w.byte(0);
  w.uint(Math.max(0, Math.round(state.clockOffsetMs)));
  return w.done();
}

/** Parse and validate a frame. */
export function unframe(bytes: Uint8Array): ShareState {
  const r = new Reader(bytes);
  for (const m of MAGIC) {
    if (r.byte() !== m) throw new ShareError('this is not a Redis Lab share link');
  }
  const version = r.byte();
  if (version !== VERSION) throw new ShareError(`the link was made by another version of the lab (format ${version})`);
  const hasRdb = r.byte();
  if (hasRdb > 1) throw new ShareError('the link is damaged (bad snapshot field)');
  let rdb: Uint8Array | null = null;
  let savedAt = 0;
  if (hasRdb === 1) {
    rdb = r.raw();
    savedAt = r.uint();
    if (rdb.length < 9 || new TextDecoder().decode(rdb.subarray(0, 5)) !== 'REDIS') {
      throw new ShareError('the snapshot in the link is not an RDB file');
    }
  }
  const ncmd = r.uint();
  if (ncmd > MAX_COMMANDS) throw new ShareError(`the link holds too many commands (${ncmd}; at most ${MAX_COMMANDS})`);
  const commands: string[] = [];
  for (let i = 0; i < ncmd; i++) {
    const c = r.text();
    if (c.length > MAX_COMMAND_CHARS || /[\r\n]/.test(c))
      throw new ShareError('the link holds a malformed command line');
    commands.push(c);
  }
  let lesson: ShareState['lesson'] = null;
  const hasLesson = r.byte();
  if (hasLesson > 1) throw new ShareError('the link is damaged (bad lesson field)');
  if (hasLesson === 1) {
    const id = r.text();
    const step = r.uint();
    if (!/^[\w.-]{1,100}$/.test(id) || step > 1000) throw new ShareError('the link names a lesson the lab cannot open');
    lesson = { id, step };
  }
  const clockOffsetMs = r.uint();
  if (clockOffsetMs > 366 * 24 * 3600 * 1000) throw new ShareError('the link moves the clock more than a year');
  if (!r.atEnd) throw new ShareError('the link is damaged (extra data at the end)');
  return { rdb, savedAt, commands, lesson, clockOffsetMs };
}

// ---- compression and base64url -----------------------------------------------------------------

async function pump(input: Uint8Array, stream: CompressionStream | DecompressionStream, cap: number) {
  const writer = stream.writable.getWriter();
  // Errors surface on the reading side; the writer's promises must not be left unhandled.
  writer.write(input as Uint8Array<ArrayBuffer>).catch(() => {});
  writer.close().catch(() => {});
  const reader = stream.readable.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > cap) {
      await reader.cancel().catch(() => {});
      throw new ShareError(`the link's data is too large once unpacked (over ${Math.round(cap / 1024)} KB)`);
    }
    parts.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function toBase64Url(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) {
    throw new ShareError('the link is damaged (it is not valid base64url)');
  }
  const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The `#share=` data for a state. */
export async function encodeShare(state: ShareState): Promise<string> {
  const packed = await pump(frame(state), new CompressionStream('deflate-raw'), Number.POSITIVE_INFINITY);
  return toBase64Url(packed);
}

/** The state in `#share=` data; throws ShareError with a user-facing reason. */
export async function decodeShare(data: string): Promise<ShareState> {
  if (data.length === 0) throw new ShareError('the link carries no data');
  if (data.length > MAX_ENCODED_CHARS) {
    throw new ShareError(
      `the link is too long (${Math.ceil(data.length / 1024)} KB; share links are limited to ${MAX_ENCODED_CHARS / 1024} KB)`,
    );
  }
  const packed = fromBase64Url(data);
  let bytes: Uint8Array;
  try {
    bytes = await pump(packed, new DecompressionStream('deflate-raw'), MAX_DECODED_BYTES);
  } catch (err) {
    if (err instanceof ShareError) throw err;
    throw new ShareError('the link is damaged (its data does not unpack)');
  }
  return unframe(bytes);
}

/** The share data in a URL hash, or null when the hash is not a share link. */
export function shareDataOf(hash: string): string | null {
  return hash.startsWith(SHARE_PREFIX) ? hash.slice(SHARE_PREFIX.length) : null;
}

/** The full link for a page URL and its share data. */
export function shareLink(pageUrl: string, data: string): string {
  const u = new URL(pageUrl);
  u.hash = `share=${data}`;
  return u.toString();
}

/** Check a state before encoding it (what the Share dialog reports instead of making a link). */
export function shareProblem(encodedChars: number): string | null {
  return encodedChars > MAX_ENCODED_CHARS
    ? `The lab's state is too large for a link (${Math.ceil(encodedChars / 1024)} KB; the limit is ${MAX_ENCODED_CHARS / 1024} KB). Delete some keys, or share commands instead.`
    : null;
}
