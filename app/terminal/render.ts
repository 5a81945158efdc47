// Drawing the input line: the escape sequences that redraw prompt + line + grey hint over the rows
// the previous drawing used, and put the cursor in place (linenoise's refreshMultiLine, with its
// hint rule: shown only while the line fits on one row, cut at the right edge). Pure functions.

/** Display width of one code point in the terminal (Markus Kuhn's wcwidth, which xterm.js follows). */
export function charWidth(cp: number): number {
  if (cp === 0) return 0;
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return 0;
  if (
    (cp >= 0x0300 && cp <= 0x036f) ||
    (cp >= 0x0483 && cp <= 0x0489) ||
    (cp >= 0x0591 && cp <= 0x05bd) ||
    (cp >= 0x1ab0 && cp <= 0x1aff) ||
    (cp >= 0x1dc0 && cp <= 0x1dff) ||
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0x20d0 && cp <= 0x20ff) ||
    (cp >= 0xfe00 && cp <= 0xfe0f) ||
    (cp >= 0xfe20 && cp <= 0xfe2f)
  ) {
    return 0;
  }
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    cp === 0x2329 ||
    cp === 0x232a ||
    (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe10 && cp <= 0xfe19) ||
    (cp >= 0xfe30 && cp <= 0xfe6f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x20000 && cp <= 0x2fffd) ||
    (cp >= 0x30000 && cp <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += charWidth(ch.codePointAt(0) ?? 0);
  return w;
}

/** The longest prefix of `s` that fits in `cols` columns. */
function clip(s: string, cols: number): string {
  let w = 0;
  let out = '';
  for (const ch of s) {
    const cw = charWidth(ch.codePointAt(0) ?? 0);
    if (w + cw > cols) break;
    w += cw;
    out += ch;
  }
  return out;
}

export const HINT_COLOR = '\x1b[0;90;49m';
export const RESET = '\x1b[0m';

export interface InputDrawing {
  readonly prompt: string;
  readonly text: string;
  /** Cursor as an index into text (UTF-16 units). */
  readonly cursor: number;
  readonly hint: string | null;
}

export interface Drawn {
  readonly out: string;
  /** Rows between the input's first row and the cursor after drawing. */
  readonly rowsAbove: number;
}

/** Sequences that erase the input drawn `rowsAbove` rows up and leave the cursor at its start. */
export function eraseInput(rowsAbove: number): string {
  return `${rowsAbove > 0 ? `\x1b[${rowsAbove}A` : ''}\r\x1b[J`;
}

/** Redraw the input over the previous drawing (whose cursor was `rowsAbove` rows below its start). */
export function drawInput(d: InputDrawing, rowsAbove: number, cols: number): Drawn {
  const width = Math.max(1, cols);
  let out = eraseInput(rowsAbove) + d.prompt + d.text;
  let end = displayWidth(d.prompt) + displayWidth(d.text);
  if (d.hint && end < width) {
    const shown = clip(d.hint, width - end);
    if (shown !== '') out += HINT_COLOR + shown + RESET;
    end += displayWidth(shown);
  }
  // At the right edge the cursor waits to wrap; a newline makes its row certain.
  let endRow: number;
  if (end > 0 && end % width === 0) {
    out += '\r\n';
    endRow = end / width;
  } else {
    endRow = Math.floor(end / width);
  }
  const target = displayWidth(d.prompt) + displayWidth(d.text.slice(0, d.cursor));
  const row = Math.floor(target / width);
  const col = target % width;
  if (endRow > row) out += `\x1b[${endRow - row}A`;
  out += `\r${col > 0 ? `\x1b[${col}C` : ''}`;
  return { out, rowsAbove: row };
}
