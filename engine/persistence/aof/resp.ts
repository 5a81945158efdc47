// The AOF's command format (src/aof.c): catAppendOnlyGenericCommand writes each command as a RESP
// multibulk; loadSingleAppendOnlyFile reads them back with fgets/fread semantics — "#" annotation lines
// skipped, "*" and "$" headers checked, CRLF after each argument skipped unread — and tells a clean end,
// a truncated tail (short read) and a format error apart, as Redis does.

/** catAppendOnlyGenericCommand */
export function catCommand(argv: readonly string[]): string {
  let s = `*${argv.length}\r\n`;
  for (const a of argv) s += `$${a.length}\r\n${a}\r\n`;
  return s;
}

/** AOF_ANNOTATION_LINE_MAX_LEN: fgets' buffer size. */
const LINE_MAX = 1024;

export type ParseStop =
  | { kind: 'eof' }
  /** A short read (truncated tail): readerr with feof(). */
  | { kind: 'truncated' }
  /** fmterr */
  | { kind: 'format' };

/** C's atoi/strtol prefix parse: optional blanks and sign, then digits. */
function cInt(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  return m ? Number.parseInt(m[1], 10) : 0;
}

/**
 * Read commands from `data` starting at `start`. `onCommand(argv, end)` runs each one (`end` is the
 * offset just past it). Returns why reading stopped.
 */
export function readAofCommands(
  data: string,
  start: number,
  onCommand: (argv: string[], end: number) => unknown,
): ParseStop {
  let pos = start;
  const n = data.length;
  /** fgets: up to LINE_MAX-1 bytes or through '\n'; null at EOF with nothing read. */
  const fgets = (): string | null => {
    if (pos >= n) return null;
    const nl = data.indexOf('\n', pos);
    const limit = Math.min(n, pos + LINE_MAX - 1);
    const end = nl >= 0 && nl < limit ? nl + 1 : limit;
    const line = data.slice(pos, end);
    pos = end;
    return line;
  };
  for (;;) {
    const line = fgets();
    if (line === null) return { kind: 'eof' };
    if (line[0] === '#') continue;
    if (line[0] !== '*') return { kind: 'format' };
    if (line.length === 1) return { kind: 'truncated' };
    const argc = cInt(line.slice(1));
    if (argc < 1) return { kind: 'format' };
    const argv: string[] = [];
    for (let j = 0; j < argc; j++) {
      const hdr = fgets();
      if (hdr === null) return { kind: 'truncated' };
      if (hdr[0] !== '$') return { kind: 'format' };
      const len = cInt(hdr.slice(1));
      if (len > 0 && pos + len > n) return { kind: 'truncated' };
      argv.push(len > 0 ? data.slice(pos, pos + len) : '');
      pos += Math.max(len, 0);
      // fread(buf,2,1) of the CRLF: only its presence is checked.
      if (pos + 2 > n) return { kind: 'truncated' };
      pos += 2;
    }
    if (onCommand(argv, pos) === false) return { kind: 'eof' };
  }
}
