// The lab's own commands, typed at the prompt or written in a lesson's ```redis block with a ':'
// prefix (":advance 10s", ":reset"). Like learnGitBranching's sandbox commands they live apart
// from the engine's commands: this file parses them and runs them against a LabActions port,
// which the browser (worker messages) and the lesson tests (an in-process engine) implement.

/** What a lab command does; `crash`/`restart` model the persistence lessons' server failures. */
export type LabCommand =
  | { readonly kind: 'advance'; readonly ms: number }
  | { readonly kind: 'sleep'; readonly ms: number }
  | { readonly kind: 'new-session'; readonly name: string }
  | { readonly kind: 'reset' }
  /** Stop the server's clock (time moves only by :advance) or let it flow again. */
  | { readonly kind: 'clock'; readonly action: 'pause' | 'resume' }
  | { readonly kind: 'crash'; readonly how: 'kill' | 'power' }
  | { readonly kind: 'restart' }
  /** Copy a bundled RDB file (lessons/fixtures/<name>.rdb) in as the server's dump.rdb and restart. */
  | { readonly kind: 'load-rdb'; readonly name: string }
  | { readonly kind: 'help' };

export type LabParse =
  | { readonly ok: true; readonly command: LabCommand }
  | { readonly ok: false; readonly error: string };

/** The effects a lab command needs; each returns what to print (empty for nothing). */
export interface LabActions {
  advance(ms: number): Promise<string>;
  sleep(ms: number): Promise<void>;
  newSession(name: string): Promise<string>;
  /** FLUSHALL and the lab's configuration back to its defaults (LAB_RESET_COMMANDS). */
  reset(): Promise<string>;
  /** Pause or resume the server's clock (a manual clock, as in the lesson tests, never flows anyway). */
  clock(action: 'pause' | 'resume'): Promise<void>;
  /** Absent when the engine cannot crash (then :crash and :restart answer so). */
  crash?(how: 'kill' | 'power'): Promise<string>;
  restart?(): Promise<string>;
  /** Absent when the engine has no disk (then :load-rdb answers so). */
  loadRdb?(name: string): Promise<string>;
}

/** Longest :advance / :sleep the lab accepts (a year; :sleep is capped much lower). */
const MAX_ADVANCE_MS = 366 * 24 * 3600 * 1000;
const MAX_SLEEP_MS = 60_000;

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "1500", "1500ms", "2s", "1.5s", "10m", "2h", "1d", or several summed: "1m30s". Null if not a duration. */
export function parseDuration(text: string): number | null {
  const t = text.trim().toLowerCase();
  if (/^\d+$/.test(t)) return Number(t);
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;
  let total = 0;
  let at = 0;
  for (let m = re.exec(t); m !== null; m = re.exec(t)) {
    total += Number(m[1]) * UNITS[m[2]];
    at = re.lastIndex;
  }
  return at === t.length && at > 0 ? Math.round(total) : null;
}

export const LAB_HELP = [
  'Lab commands:',
  '  :advance <duration>   move the server clock forward (10s, 500ms, 1m30s, 2h)',
  '  :sleep <ms>           wait in real time before the next line',
  '  :clock pause|resume   stop the server clock (only :advance moves it), or let it run again',
  '  :new-session [name]   open another terminal session (another client)',
  '  :reset                FLUSHALL and the configuration back to the lab defaults',
  '  :crash kill|power     kill the server process, or pull the power (then it restarts)',
  '  :restart              shut the server down cleanly and start it again',
  '  :load-rdb <name>      copy a bundled snapshot in as dump.rdb and restart (e.g. :load-rdb shop)',
  '',
].join('\n');

/** Parse a lab command line already split into words (argv[0] starts with ':'). */
export function parseLabCommand(argv: readonly string[]): LabParse {
  const name = (argv[0] ?? '').toLowerCase();
  const args = argv.slice(1);
  const bad = (error: string): LabParse => ({ ok: false, error });
  const ok = (command: LabCommand): LabParse => ({ ok: true, command });
  switch (name) {
    case ':advance': {
      if (args.length !== 1) return bad('usage: :advance <duration>, e.g. :advance 10s');
      const ms = parseDuration(args[0]);
      if (ms === null) return bad(`not a duration: '${args[0]}' (try 500ms, 10s, 5m, 1h)`);
      if (ms > MAX_ADVANCE_MS) return bad(':advance moves the clock at most a year at once');
      return ok({ kind: 'advance', ms });
    }
    case ':sleep': {
      if (args.length !== 1) return bad('usage: :sleep <ms>');
      const ms = parseDuration(args[0]);
      if (ms === null) return bad(`not a duration: '${args[0]}'`);
      if (ms > MAX_SLEEP_MS) return bad(':sleep waits at most 60s (use :advance to move the clock further)');
      return ok({ kind: 'sleep', ms });
    }
    case ':clock': {
      const action = args[0]?.toLowerCase();
      if (args.length !== 1 || (action !== 'pause' && action !== 'resume')) return bad('usage: :clock pause|resume');
      return ok({ kind: 'clock', action });
    }
    case ':new-session':
      return ok({ kind: 'new-session', name: args.join(' ') });
    case ':reset':
      return args.length === 0 ? ok({ kind: 'reset' }) : bad('usage: :reset');
    case ':crash': {
      const how = args[0]?.toLowerCase();
      if (args.length !== 1 || (how !== 'kill' && how !== 'power')) return bad('usage: :crash kill|power');
      return ok({ kind: 'crash', how });
    }
    case ':restart':
      return args.length === 0 ? ok({ kind: 'restart' }) : bad('usage: :restart');
    case ':load-rdb':
      if (args.length !== 1 || !/^[a-z0-9][a-z0-9-]{0,63}$/.test(args[0]))
        return bad('usage: :load-rdb <name>, a snapshot shipped with the lab (e.g. :load-rdb shop)');
      return ok({ kind: 'load-rdb', name: args[0] });
    case ':help':
      return ok({ kind: 'help' });
    default:
      return bad(`unknown lab command '${argv[0]}' (try :help)`);
  }
}

/** Is this line one the lab runs itself (vs a Redis command)? */
export const isLabLine = (line: string): boolean => line.trimStart().startsWith(':');

/**
 * What `:reset` sends after FLUSHALL: the settings lessons change put back to the lab's defaults
 * (Redis 7.0's, as redis-server starts without a config file), and the statistics zeroed.
 */
export const LAB_RESET_COMMANDS: readonly (readonly string[])[] = [
  ['FLUSHALL'],
  ['SCRIPT', 'FLUSH'],
  ['CONFIG', 'SET', 'appendonly', 'no'],
  ['CONFIG', 'SET', 'appendfsync', 'everysec'],
  ['CONFIG', 'SET', 'save', '3600 1 300 100 60 10000'],
  ['CONFIG', 'SET', 'maxmemory', '0'],
  ['CONFIG', 'SET', 'maxmemory-policy', 'noeviction'],
  ['CONFIG', 'SET', 'notify-keyspace-events', ''],
  ['CONFIG', 'RESETSTAT'],
];

export const formatMs = (ms: number): string =>
  ms % 3_600_000 === 0 && ms > 0
    ? `${ms / 3_600_000}h`
    : ms % 60_000 === 0 && ms > 0
      ? `${ms / 60_000}m`
      : ms % 1000 === 0
        ? `${ms / 1000}s`
        : `${ms}ms`;

/** Run a parsed lab command; resolves with the text to print (ending in a newline, or empty). */
export async function runLabCommand(cmd: LabCommand, actions: LabActions): Promise<string> {
  switch (cmd.kind) {
    case 'advance':
      return actions.advance(cmd.ms);
    case 'sleep':
      await actions.sleep(cmd.ms);
      return '';
    case 'new-session':
      return actions.newSession(cmd.name);
    case 'reset':
      return actions.reset();
    case 'clock':
      await actions.clock(cmd.action);
      return cmd.action === 'pause'
        ? '(lab) the clock is paused: time moves only with :advance (or :clock resume)\n'
        : '(lab) the clock runs again\n';
    case 'crash':
      return actions.crash ? actions.crash(cmd.how) : '(this lab build cannot crash the server)\n';
    case 'restart':
      return actions.restart ? actions.restart() : '(this lab build cannot restart the server)\n';
    case 'load-rdb':
      return actions.loadRdb ? actions.loadRdb(cmd.name) : '(this lab build cannot load a snapshot)\n';
    case 'help':
      return LAB_HELP;
  }
}

/** Parse and run one lab line's words: the text to print (an error is printed, not thrown). */
export async function runLabLine(argv: readonly string[], actions: LabActions): Promise<string> {
  const parsed = parseLabCommand(argv);
  if (!parsed.ok) return `(lab) ${parsed.error}\n`;
  return runLabCommand(parsed.command, actions);
}
