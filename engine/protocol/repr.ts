// sdscatrepr (src/sds.c): a binary string as a double-quoted, escaped literal. Used by MONITOR lines,
// DEBUG OBJECT / error echoes, and redis-cli's formatting of bulk replies.

export function repr(s: string): string {
  // Fast path for the common case (and for a 10 MB value): nothing to escape.
  if (!/[^\x20\x21\x23-\x5b\x5d-\x7e]/.test(s)) return `"${s}"`;
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    switch (c) {
      case 0x5c:
        out += '\\\\';
        break;
      case 0x22:
        out += '\\"';
        break;
      case 0x0a:
        out += '\\n';
        break;
      case 0x0d:
        out += '\\r';
        break;
      case 0x09:
        out += '\\t';
        break;
      case 0x07:
        out += '\\a';
        break;
      case 0x08:
        out += '\\b';
        break;
      default:
        // isprint() in the C locale: 0x20..0x7e.
        if (c >= 0x20 && c <= 0x7e) out += s[i];
        else out += `\\x${c.toString(16).padStart(2, '0')}`;
    }
  }
  return `${out}"`;
}
