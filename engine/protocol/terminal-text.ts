// The lab terminal's last step before xterm: redis-cli's output bytes made safe to show. Bulk strings
// are already escaped by redis-cli's formatting (repr), but errors, status replies and raw outputs
// (INFO, CLIENT LIST...) carry their bytes as they are, and redis-cli writes them to the tty, where an
// ESC [2J would clear the screen. LAB: here every control byte is shown escaped instead, and a
// huge line (a 10 MB value) is cut with a marker that states the limit.

import { toUtf8 } from './binary';
import { terminalLines } from './format-cli';

/** Longest output line the terminal prints, in bytes of redis-cli's text (a 10 MB GET would wrap
 * into ~60,000 rows, far past the 5000-line scrollback, and keep the page parsing for seconds). */
export const TERMINAL_LINE_LIMIT = 64 * 1024;

/** The marker printed under a line cut at `limit` bytes out of `length`. */
export function truncationMarker(length: number, limit = TERMINAL_LINE_LIMIT): string {
  return `[lab: output line truncated: printed ${limit} of its ${length} bytes; the lab's terminal prints at most ${limit / 1024} KiB per line (GETRANGE / STRLEN read the rest)]`;
}

/** Cut every line longer than `limit` bytes, with the marker on the next line. Binary string in and out. */
export function truncateLongLines(bytes: string, limit = TERMINAL_LINE_LIMIT): string {
  if (bytes.length <= limit) return bytes;
  let out = '';
  let start = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf('\n', start);
    const last = end < 0;
    if (last) end = bytes.length;
    const length = end - start;
    out +=
      length > limit
        ? `${bytes.slice(start, start + limit)}\n${truncationMarker(length, limit)}`
        : bytes.slice(start, end);
    if (!last) out += '\n';
    start = end + 1;
  }
  return out;
}

const NAMED: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\r': '\\r', '\x1b': '\\x1b' };

/** A control byte as redis-cli's repr writes it (\a \b \r, \xNN for the rest). */
function escapeControl(ch: string): string {
  return NAMED[ch] ?? `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
}

/**
 * Control bytes escaped: every C0 byte but line feed and tab (a CR only when it does not end a
 * line: INFO's lines end in CRLF), DEL. Binary string in and out.
 */
export function escapeControlBytes(bytes: string): string {
  return bytes.replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\r(?!\n)/g, escapeControl);
}

/** C1 controls (U+0080..U+009F, which a terminal may obey as 8-bit CSI, OSC...) as their UTF-8 bytes. */
function escapeC1(text: string): string {
  return text.replace(/[\u0080-\u009f]/g, (ch) => {
    const c = ch.charCodeAt(0);
    return `\\xc2\\x${c.toString(16)}`;
  });
}

/** redis-cli's output bytes as the lab terminal prints them: safe, cut, UTF-8 decoded, CRLF line ends. */
export function terminalText(bytes: string, limit = TERMINAL_LINE_LIMIT): string {
  return terminalLines(escapeC1(toUtf8(escapeControlBytes(truncateLongLines(bytes, limit)))));
}
