// Keys and members are binary strings (one char per byte): shown as UTF-8 text where they decode,
// with bytes that don't as \xNN, as redis-cli quotes them.

const decoder = new TextDecoder('utf-8', { fatal: true });

export function toDisplay(s: string): string {
  let ascii = true;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7e || s.charCodeAt(i) < 0x20) ascii = false;
  if (ascii) return s;
  const bytes = Uint8Array.from(s, (ch) => ch.charCodeAt(0));
  try {
    return decoder.decode(bytes);
  } catch {
    let out = '';
    for (const b of bytes)
      out += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`;
    return out;
  }
}
