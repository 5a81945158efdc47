// A real terminal for tests (@xterm/headless): what a session draws is parsed exactly as in the
// browser, and tests read the screen's text and cursor.

import xtermHeadless from '@xterm/headless';

const { Terminal } = xtermHeadless;
export type HeadlessTerminal = InstanceType<typeof Terminal>;

export function createTerminal(cols = 80, rows = 24): HeadlessTerminal {
  return new Terminal({ cols, rows, allowProposedApi: true, scrollback: 1000 });
}

/** Wait until everything written so far is parsed. */
export function flush(term: HeadlessTerminal): Promise<void> {
  return new Promise((resolve) => term.write('', resolve));
}

/** The screen and scrollback as text lines, trailing blank lines dropped. */
export function screenLines(term: HeadlessTerminal): string[] {
  const buf = term.buffer.active;
  const lines: string[] = [];
  for (let i = 0; i < buf.length; i++) lines.push(buf.getLine(i)?.translateToString(true) ?? '');
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Cursor as [row in the whole buffer, column]. */
export function cursor(term: HeadlessTerminal): [number, number] {
  const buf = term.buffer.active;
  return [buf.baseY + buf.cursorY, buf.cursorX];
}
