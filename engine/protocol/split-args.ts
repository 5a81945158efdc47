// sdssplitargs (src/sds.c): split a line into arguments with redis-cli's quoting rules. Used for
// inline commands on the wire and for what users type in the terminal. "..." understands \n \r \t
// \b \a \\ \" and \xHH; '...' understands \'. A closing quote must be followed by a space or the end.
// Returns null for unbalanced quotes.

function isHex(c: string): boolean {
  return /^[0-9a-fA-F]$/.test(c);
}

export function splitArgs(line: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  const n = line.length;
  const isSpace = (ch: string) => ch === ' ' || ch === '\n' || ch === '\r' || ch === '\t' || ch === '\v' || ch === '\f';
  while (true) {
    while (i < n && isSpace(line[i])) i++;
    if (i >= n) return out;
    let inq = false;
    let insq = false;
    let done = false;
    let cur = '';
    while (!done) {
      if (inq) {
        if (i >= n) return null;
        if (line[i] === '\\' && line[i + 1] === 'x' && isHex(line[i + 2] ?? '') && isHex(line[i + 3] ?? '')) {
          cur += String.fromCharCode(Number.parseInt(line.slice(i + 2, i + 4), 16));
          i += 3;
        } else if (line[i] === '\\' && i + 1 < n) {
          i++;
          const ch = line[i];
          cur +=
            ch === 'n' ? '\n' : ch === 'r' ? '\r' : ch === 't' ? '\t' : ch === 'b' ? '\b' : ch === 'a' ? '\x07' : ch;
        } else if (line[i] === '"') {
          if (i + 1 < n && !isSpace(line[i + 1])) return null;
          done = true;
        } else {
          cur += line[i];
        }
      } else if (insq) {
        if (i >= n) return null;
        if (line[i] === '\\' && line[i + 1] === "'") {
          i++;
          cur += "'";
        } else if (line[i] === "'") {
          if (i + 1 < n && !isSpace(line[i + 1])) return null;
          done = true;
        } else {
          cur += line[i];
        }
      } else {
        if (i >= n) {
          done = true;
          break;
        }
        const ch = line[i];
        if (isSpace(ch)) {
          done = true;
        } else if (ch === '"') {
          inq = true;
        } else if (ch === "'") {
          insq = true;
        } else {
          cur += ch;
        }
      }
      if (i < n) i++;
    }
    out.push(cur);
  }
}
