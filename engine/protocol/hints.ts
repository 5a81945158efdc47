// redis-cli 7.0's command help table and its grey inline hints (src/redis-cli.c: cliInitHelp,
// cliAddArgument, hintsCallback). Help entries are built from command docs — the lab's own command
// table — exactly as redis-cli builds them from COMMAND DOCS: one entry per command and subcommand,
// a parameter line rendered from the argument tree, one entry per group ("@string"), sorted by name.

/** One argument of a command's argument tree (the fields COMMAND DOCS reports). */
export interface ArgDoc {
  readonly name: string;
  readonly type: string;
  readonly token?: string;
  readonly optional?: boolean;
  readonly multiple?: boolean;
  readonly multipleToken?: boolean;
  readonly args?: readonly ArgDoc[];
}

/** A command's docs; CommandSpec is one, so is a command from real Redis's COMMAND DOCS. */
export interface CommandDoc {
  readonly name: string;
  readonly group: string;
  readonly summary: string;
  readonly since?: string;
  readonly args?: readonly ArgDoc[];
  readonly subcommands?: readonly CommandDoc[];
}

export interface HelpEntry {
  readonly kind: 'command' | 'group';
  /** Upper-case words: ['CONFIG', 'GET'], or ['@string'] for a group. */
  readonly argv: readonly string[];
  /** 'CONFIG GET', '@string'. */
  readonly full: string;
  readonly params: string;
  readonly summary: string;
  readonly since: string | undefined;
  readonly group: string;
  /** Every token of the argument tree (NX, WITHSCORES, LIMIT...), for the lab's token completion. */
  readonly tokens: readonly string[];
}

/** An empty name or token shows as `""` (sdscat_orempty). */
const orEmpty = (s: string) => (s === '' ? '""' : s);

/** One argument as the docs' syntax line shows it: `[EX seconds|PX milliseconds]`, `key [key ...]`. */
export function renderArg(a: ArgDoc): string {
  let repeat = '';
  if (a.type === 'oneof') repeat = renderArgs(a.args ?? [], '|');
  else if (a.type === 'block') repeat = renderArgs(a.args ?? [], ' ');
  else if (a.type !== 'pure-token') repeat = orEmpty(a.name);
  let token = a.token === undefined ? '' : orEmpty(a.token);
  if (token !== '' && a.type !== 'pure-token') token += ' ';
  let out = token + repeat;
  if (a.multiple) out += ` [${a.multipleToken ? token : ''}${repeat} ...]`;
  return a.optional ? `[${out}]` : out;
}

export function renderArgs(args: readonly ArgDoc[], separator = ' '): string {
  return args.map(renderArg).join(separator);
}

function collectTokens(args: readonly ArgDoc[], out: string[]): string[] {
  for (const a of args) {
    if (a.token && !out.includes(a.token)) out.push(a.token);
    if (a.args) collectTokens(a.args, out);
  }
  return out;
}

/** strcmp order on the (ASCII) names, as redis-cli's qsort of help entries. */
const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The sorted help table for a command table (cliInitHelp). */
export function buildHelpEntries(docs: readonly CommandDoc[]): HelpEntry[] {
  const entries: HelpEntry[] = [];
  const groups = new Set<string>();
  const add = (doc: CommandDoc, parent: string | undefined) => {
    const argv = parent ? [parent.toUpperCase(), doc.name.toUpperCase()] : [doc.name.toUpperCase()];
    entries.push({
      kind: 'command',
      argv,
      full: argv.join(' '),
      params: renderArgs(doc.args ?? []),
      summary: doc.summary,
      since: doc.since,
      group: doc.group,
      tokens: collectTokens(doc.args ?? [], []),
    });
    groups.add(doc.group);
    for (const sub of doc.subcommands ?? []) add(sub, doc.name);
  };
  for (const doc of docs) add(doc, undefined);
  for (const g of groups) {
    const full = `@${g}`;
    entries.push({
      kind: 'group',
      argv: [full],
      full,
      params: '',
      summary: '',
      since: undefined,
      group: g,
      tokens: [],
    });
  }
  return entries.sort((a, b) => byteOrder(a.full, b.full));
}

const isSpace = (ch: string) => ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === '\v' || ch === '\f';
const sameWord = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The entry whose words are the longest prefix of `argv` (CONFIG GET beats CONFIG). */
export function findHelpEntry(entries: readonly HelpEntry[], argv: readonly string[]): HelpEntry | undefined {
  let best: HelpEntry | undefined;
  for (const e of entries) {
    if (e.kind !== 'command' || e.argv.length > argv.length) continue;
    if (best !== undefined && e.argv.length <= best.argv.length) continue;
    if (e.argv.every((w, i) => sameWord(w, argv[i]))) best = e;
  }
  return best;
}

/**
 * The grey hint redis-cli shows after `buf` (hintsCallback), or null for none. `argv` is `buf`
 * split with redis-cli's quoting rules (null when the quotes don't balance). The parameter line
 * loses one word per argument already typed, but never an optional `[...]` part.
 */
export function hintFor(entries: readonly HelpEntry[], buf: string, argv: readonly string[] | null): string | null {
  if (argv === null || argv.length === 0) return null;
  const entry = findHelpEntry(entries, argv);
  if (entry === undefined) return null;
  let hint = entry.params;
  let toRemove = argv.length - entry.argv.length;
  let i = 0;
  while (toRemove > 0 && i < hint.length) {
    if (hint[i] === '[') break;
    if (hint[i] === ' ') toRemove--;
    i++;
  }
  hint = hint.slice(i);
  const endsWithSpace = buf.length > 0 && isSpace(buf[buf.length - 1]);
  return endsWithSpace ? hint : ` ${hint}`;
}
