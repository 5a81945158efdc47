// Conversions between JS text, bytes and the engine's binary strings (one char per byte).
// The engine stores every Redis string this way: Map-friendly, cheap to compare, binary-safe.

const encoder = new TextEncoder();

/** UTF-8 text → binary string (what a client sends when the user types "héllo"). */
export function fromUtf8(text: string): string {
  // Fast path: pure ASCII needs no conversion.
  let ascii = true;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0x7f) {
      ascii = false;
      break;
    }
  }
  return ascii ? text : fromBytes(encoder.encode(text));
}

/** Bytes → binary string. Chunked so huge values don't overflow the call stack. */
export function fromBytes(bytes: Uint8Array, start = 0, end = bytes.length): string {
  let out = '';
  const CHUNK = 0x2000;
  for (let i = start; i < end; i += CHUNK) {
    out += String.fromCharCode.apply(null, bytes.subarray(i, Math.min(i + CHUNK, end)) as unknown as number[]);
  }
  return out;
}

/** Binary string → bytes. */
export function toBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** Binary string → UTF-8 text, for display only (invalid sequences become U+FFFD). */
export function toUtf8(s: string): string {
  return new TextDecoder().decode(toBytes(s));
}
