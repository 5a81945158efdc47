// RESP2/RESP3 encoding of Reply trees as strings, the client-side reply decoder and command encoder.
// The request decoder (networking.c's processMultibulkBuffer / processInlineBuffer) lives in
// request-decoder.ts and the byte-buffer reply encoder the server uses in reply-writer.ts.

import { fromBytes } from './binary';
import type { Reply } from './reply';
import { formatDouble } from '../util/format-double';

type Slice = (buf: Uint8Array, start: number, end: number) => string;

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
      const text = r.text ?? formatDouble(r.v);
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

// ---- request decoding: request-decoder.ts ----------------------------------------------------

export {
  type DecodeResult,
  type DecoderLimits,
  PROTO_INLINE_MAX_SIZE,
  RequestDecoder,
} from './request-decoder';

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
      case ',': {
        const v = l === 'inf' ? Infinity : l === '-inf' ? -Infinity : Number(l);
        // Keep the exact text when %.17g of the value would not reproduce it.
        return formatDouble(v) === l ? { t: 'double', v } : { t: 'double', v, text: l };
      }
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
