// redis-cli 7.0's HELP command and Tab completion (src/redis-cli.c: cliOutputHelp,
// cliOutputCommandHelp, cliOutputGenericHelp, completionCallback), over the help table of hints.ts.
// Output keeps redis-cli's bytes, ANSI colours and \r\n line ends.

import { REDIS_VERSION } from '../version';
import { type HelpEntry, findHelpEntry } from './hints';

/** redis-cli's version: the server's (the lab's redis-cli is the one of its Redis). */
export const CLI_VERSION = REDIS_VERSION;

const BOLD = '\x1b[1m';
const GREY = '\x1b[90m';
const YELLOW = '\x1b[33m';
const RESET = '\x1b[0m';

function commandHelp(e: HelpEntry, withGroup: boolean): string {
  let out = `\r\n  ${BOLD}${e.full}${RESET} ${GREY}${e.params}${RESET}\r\n`;
  out += `  ${YELLOW}summary:${RESET} ${e.summary}\r\n`;
  if (e.since !== undefined) out += `  ${YELLOW}since:${RESET} ${e.since}\r\n`;
  if (withGroup) out += `  ${YELLOW}group:${RESET} ${e.group}\r\n`;
  return out;
}

function genericHelp(): string {
  return (
    `redis-cli ${CLI_VERSION}\n` +
    'To get help about Redis commands type:\n' +
    '      "help @<group>" to get a list of commands in <group>\n' +
    '      "help <command>" for help on <command>\n' +
    '      "help <tab>" to get a list of possible help topics\n' +
    '      "quit" to exit\n' +
    '\n' +
    'To set redis-cli preferences:\n' +
    '      ":set hints" enable online hints\n' +
    '      ":set nohints" disable online hints\n' +
    'Set your preferences in ~/.redisclirc\n'
  );
}

const sameWord = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * `HELP` / `?` with its arguments (after the word HELP): generic help, every command of `@group`,
 * or every command whose first words are the arguments (`help config` lists CONFIG and its subcommands).
 */
export function helpOutput(entries: readonly HelpEntry[], args: readonly string[]): string {
  if (args.length === 0) return genericHelp();
  const group = args[0].startsWith('@') ? args[0].slice(1) : null;
  let out = '';
  for (const e of entries) {
    if (e.kind !== 'command') continue;
    if (group === null) {
      if (args.length <= e.argv.length && args.every((a, i) => sameWord(a, e.argv[i]))) out += commandHelp(e, true);
    } else if (sameWord(group, e.group)) {
      out += commandHelp(e, false);
    }
  }
  return `${out}\r\n`;
}

/** Completions for the whole line, in table order (completionCallback): command names, or help topics after "help ". */
export function completeLine(entries: readonly HelpEntry[], buf: string): string[] {
  let start = 0;
  let topics = false;
  if (buf.length >= 5 && sameWord(buf.slice(0, 5), 'help ')) {
    start = 5;
    while (start < buf.length && /\s/.test(buf[start])) start++;
    topics = true;
  }
  const typed = buf.slice(start).toLowerCase();
  const head = buf.slice(0, start);
  const out: string[] = [];
  for (const e of entries) {
    if (e.kind === 'group' && !topics) continue;
    if (e.full.slice(0, typed.length).toLowerCase() === typed) out.push(head + e.full);
  }
  return out;
}

/**
 * LAB: redis-cli 7.0 completes only command names from the start of the line. When that finds
 * nothing, the lab completes the word being typed with the tokens of the command's argument tree
 * (`ZADD key N` + Tab → `ZADD key NX`).
 */
export function completeToken(entries: readonly HelpEntry[], buf: string, argv: readonly string[] | null): string[] {
  if (argv === null || argv.length < 2 || /\s$/.test(buf)) return [];
  const word = argv[argv.length - 1];
  if (!buf.endsWith(word)) return []; // the word is quoted: leave it alone
  const entry = findHelpEntry(entries, argv.slice(0, -1));
  if (entry === undefined) return [];
  const head = buf.slice(0, buf.length - word.length);
  const lower = word.toLowerCase();
  return entry.tokens.filter((t) => t.toLowerCase().startsWith(lower) && t.length > word.length).map((t) => head + t);
}
