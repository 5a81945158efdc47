// A step's checks: Redis commands, each with the output redis-cli would print for it. They are run
// through a hidden engine client against the engine's current state (never the student's typed
// text) and the reply, formatted exactly as redis-cli formats it, is compared line by line.

import { fromUtf8 } from '../../engine/protocol/binary';
import { splitArgs } from '../../engine/protocol/split-args';

export interface CheckItem {
  /** The command as written (shown to the student). */
  readonly command: string;
  /** Its words as redis-cli splits them (binary strings). */
  readonly argv: readonly string[];
  /** The expected redis-cli output, one entry per line. */
  readonly expected: readonly string[];
  /** 1-based line of the command in the lesson file. */
  readonly line: number;
}

export type CheckParse =
  | { readonly ok: true; readonly items: readonly CheckItem[] }
  | { readonly ok: false; readonly errors: readonly { line: number; message: string }[] };

/**
 * Parse a ```check block. Two shapes: lines starting with "> " are commands and the lines after
 * each, up to the next "> ", are its output (any number of lines); or, with no "> " at all, lines
 * pair up as command then one line of output. Blank lines are ignored.
 */
export function parseCheckBlock(lines: readonly string[], firstLine: number): CheckParse {
  const rows = lines.map((text, i) => ({ text: text.trimEnd(), line: firstLine + i })).filter((r) => r.text.trim());
  const errors: { line: number; message: string }[] = [];
  const items: CheckItem[] = [];
  const add = (command: string, line: number, expected: string[]) => {
    const argv = splitArgs(fromUtf8(command));
    if (argv === null || argv.length === 0)
      errors.push({ line, message: `check: cannot split the command '${command}'` });
    else if (command.startsWith(':')) errors.push({ line, message: 'check: lab commands cannot be checks' });
    else if (expected.length === 0)
      errors.push({ line, message: `check: '${command}' has no expected output after it` });
    else items.push({ command, argv, expected, line });
  };
  if (rows.some((r) => r.text.startsWith('> '))) {
    let current: { command: string; line: number; expected: string[] } | null = null;
    for (const r of rows) {
      if (r.text.startsWith('> ')) {
        if (current) add(current.command, current.line, current.expected);
        current = { command: r.text.slice(2).trim(), line: r.line, expected: [] };
      } else if (current === null) {
        errors.push({ line: r.line, message: 'check: output before any "> command" line' });
      } else current.expected.push(r.text.trim());
    }
    if (current) add(current.command, current.line, current.expected);
  } else {
    for (let i = 0; i < rows.length; i += 2) {
      const out = rows[i + 1];
      add(rows[i].text.trim(), rows[i].line, out ? [out.text.trim()] : []);
    }
  }
  if (items.length === 0 && errors.length === 0) errors.push({ line: firstLine, message: 'check: empty block' });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, items };
}

const RANGE = /^\(integer\) (-?\d+)\.\.(-?\d+)$/;

/**
 * Does redis-cli's output match what the check expects? Lines are compared exactly (trailing blanks
 * aside), except that an expected "(integer) 50..60" accepts any integer in that range (TTLs).
 */
export function outputMatches(expected: readonly string[], actual: string): boolean {
  const got = actual
    .replace(/\r\n/g, '\n')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (got.length !== expected.length) return false;
  return expected.every((want, i) => {
    const range = RANGE.exec(want);
    if (!range) return want === got[i];
    const m = /^\(integer\) (-?\d+)$/.exec(got[i]);
    if (!m) return false;
    const n = Number(m[1]);
    return n >= Number(range[1]) && n <= Number(range[2]);
  });
}

export interface CheckResult {
  readonly item: CheckItem;
  readonly pass: boolean;
  /** What redis-cli printed for it now. */
  readonly actual: string;
}

/** Run checks in order through `exec` (a command → redis-cli text); never throws. */
export async function evaluateChecks(
  items: readonly CheckItem[],
  exec: (argv: readonly string[]) => Promise<string>,
): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const item of items) {
    let actual: string;
    try {
      actual = await exec(item.argv);
    } catch (err) {
      actual = `(lab) ${err instanceof Error ? err.message : String(err)}`;
    }
    results.push({ item, pass: outputMatches(item.expected, actual), actual });
  }
  return results;
}
