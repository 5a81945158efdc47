// Keys and members are binary strings (one char per byte): shown as UTF-8 text where they decode,
// with bytes that don't as \xNN, as redis-cli quotes them. Control bytes (\x00-\x1f, \x7f) are
// always shown as \xNN, so a NUL or a newline in a value stays visible.

const decoder = new TextDecoder('utf-8', { fatal: true });

export function toDisplay(s: string): string {
  let ascii = true;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7e || s.charCodeAt(i) < 0x20) ascii = false;
  if (ascii) return s;
  const bytes = Uint8Array.from(s, (ch) => ch.charCodeAt(0));
  try {
    return decoder
      .decode(bytes)
      .replace(/[\x00-\x1f\x7f]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
  } catch {
    let out = '';
    for (const b of bytes)
      out += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`;
    return out;
  }
}
