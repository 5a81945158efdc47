// The terminal screen of one session: where the input line is, output printed above it without
// breaking what is being typed, clear screen, and re-syncing after a resize reflows wrapped rows.
// Works on anything xterm-shaped (the browser's @xterm/xterm, @xterm/headless in tests).

import { terminalLines } from '../../engine/protocol/format-cli';
import { type InputDrawing, drawInput, eraseInput } from './render';

const WRITE_CHUNK = 16 * 1024;

/** The last `n` lines of text ending with a line break (all of it when shorter). */
export function lastLines(text: string, n: number): string {
  if (!Number.isFinite(n)) return text;
  let at = text.length - 1; // the final line break
  for (let i = 0; i < n; i++) {
    at = text.lastIndexOf('\n', at - 1);
    if (at < 0) return text;
  }
  return text.slice(at + 1);
}

interface MarkerLike {
  readonly line: number;
  readonly isDisposed: boolean;
  dispose(): void;
}

/** The part of xterm's Terminal the screen uses. */
export interface TermLike {
  readonly cols: number;
  readonly buffer: { readonly active: { readonly cursorY: number; readonly baseY: number } };
  write(data: string, callback?: () => void): void;
  registerMarker(cursorYOffset?: number): MarkerLike | undefined;
}

export class Screen {
  /** Rows from the input's first row down to the cursor; null while no input is shown. */
  private rowsAbove: number | null = null;
  private last: InputDrawing | null = null;
  private marker: MarkerLike | undefined;

  /**
   * @param keepLines how many lines the terminal can keep (scrollback + rows). Output beyond that
   * would scroll out of the buffer anyway: only its tail is written, the screen ends up the same.
   */
  constructor(
    private readonly term: TermLike,
    private readonly keepLines = Number.POSITIVE_INFINITY,
  ) {}

  get inputShown(): boolean {
    return this.rowsAbove !== null;
  }

  /** Draw (or redraw) the prompt and the line being edited. */
  drawInput(d: InputDrawing): void {
    const fresh = this.rowsAbove === null;
    const drawn = drawInput(d, this.rowsAbove ?? 0, this.term.cols);
    this.rowsAbove = drawn.rowsAbove;
    this.last = d;
    if (fresh) {
      // Remember where the input starts: a resize reflows rows and the marker follows them.
      const above = drawn.rowsAbove;
      this.term.write(drawn.out, () => {
        this.marker?.dispose();
        this.marker = this.term.registerMarker(-above);
      });
    } else {
      this.term.write(drawn.out);
    }
  }

  /** Leave the input as typed (no hint), move below it: the line was entered. */
  commitInput(d: InputDrawing): void {
    const drawn = drawInput({ ...d, hint: null, cursor: d.text.length }, this.rowsAbove ?? 0, this.term.cols);
    // drawInput leaves the cursor on the last row of the text; the newline goes below it.
    this.term.write(`${drawn.out}\r\n`);
    this.forget();
  }

  /** Remove the input from the screen (a command is running, nothing to edit). */
  hideInput(): void {
    if (this.rowsAbove === null) return;
    this.term.write(eraseInput(this.rowsAbove));
    this.forget();
  }

  /** Print redis-cli style output (\n line ends); an input shown moves below it, as it was. */
  print(text: string): void {
    this.printLines(terminalLines(text));
  }

  /** Print terminal-ready text (\r\n line ends, ending with one), e.g. a reply formatted by the worker. */
  printLines(text: string): void {
    if (text === '') return;
    const lines = lastLines(text, this.keepLines);
    const input = this.inputShown ? this.last : null;
    if (input) this.hideInput();
    this.writeChunked(lines);
    if (input) this.drawInput(input);
  }

  /**
   * xterm parses each write in one go but yields between writes: a huge reply (KEYS over 300k
   * keys) goes in slices cut at line ends, so the page keeps painting while it scrolls by.
   */
  private writeChunked(text: string): void {
    let start = 0;
    while (text.length - start > WRITE_CHUNK) {
      const cut = text.lastIndexOf('\n', start + WRITE_CHUNK);
      const end = cut > start ? cut + 1 : start + WRITE_CHUNK;
      this.term.write(text.slice(start, end));
      start = end;
    }
    this.term.write(start === 0 ? text : text.slice(start));
  }

  /** Ctrl-L / `clear`: home and erase the screen (linenoiseClearScreen), then redraw the input. */
  clearScreen(): void {
    const input = this.inputShown ? this.last : null;
    this.term.write('\x1b[H\x1b[2J');
    this.forget();
    if (input) this.drawInput(input);
  }

  /** After a resize: find the input again (rows re-wrapped) and redraw it for the new width. */
  resized(): void {
    const input = this.inputShown ? this.last : null;
    if (!input) return;
    this.term.write('', () => {
      const m = this.marker;
      if (m && !m.isDisposed && this.rowsAbove !== null) {
        const buf = this.term.buffer.active;
        this.rowsAbove = Math.max(0, buf.baseY + buf.cursorY - m.line);
      }
      if (this.inputShown && this.last) this.drawInput(this.last);
    });
  }

  private forget(): void {
    this.rowsAbove = null;
    this.marker?.dispose();
    this.marker = undefined;
  }
}
