// Command history as redis-cli keeps it in ~/.rediscli_history (linenoise: at most 100 lines, no
// consecutive duplicates; redis-cli: sensitive commands such as AUTH are never stored). Here the
// file is a localStorage entry shared by every terminal session of the lab.

export const HISTORY_MAX_LEN = 100;
export const HISTORY_STORAGE_KEY = 'redis-lab:rediscli_history';

const is = (a: string | undefined, b: string) => a !== undefined && a.toLowerCase() === b;

/** redis-cli's isSensitiveCommand: lines that carry passwords stay out of the history. */
export function isSensitiveCommand(argv: readonly string[]): boolean {
  const n = argv.length;
  if (is(argv[0], 'auth')) return true;
  if (n > 1 && is(argv[0], 'acl') && is(argv[1], 'setuser')) return true;
  if (n > 2 && is(argv[0], 'config') && is(argv[1], 'set')) {
    return is(argv[2], 'masterauth') || is(argv[2], 'masteruser') || is(argv[2], 'requirepass');
  }
  if (n > 4 && is(argv[0], 'hello')) {
    // HELLO [protover [AUTH username password] [SETNAME clientname]]
    for (let j = 2; j < n; j++) {
      const more = n - 1 - j;
      if (is(argv[j], 'auth') && more >= 2) return true;
      if (is(argv[j], 'setname') && more) j++;
      else return false;
    }
    return false;
  }
  if (n > 7 && is(argv[0], 'migrate')) {
    // MIGRATE host port key|"" db timeout [COPY] [REPLACE] [AUTH pw] [AUTH2 user pw] [KEYS key ...]
    for (let j = 6; j < n; j++) {
      const more = n - 1 - j;
      if (is(argv[j], 'auth') && more) return true;
      if (is(argv[j], 'auth2') && more >= 2) return true;
      if (is(argv[j], 'keys') && more) return false;
    }
  }
  return false;
}

/** The history with `line` added (linenoiseHistoryAdd). */
export function addToHistory(history: readonly string[], line: string, max = HISTORY_MAX_LEN): readonly string[] {
  if (history.length > 0 && history[history.length - 1] === line) return history;
  const next = [...history, line];
  return next.length > max ? next.slice(next.length - max) : next;
}

export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** The shared history file: loaded once, saved after every added line. */
export class HistoryFile {
  private lines: readonly string[];

  constructor(private readonly storage: KeyValueStorage | null) {
    this.lines = load(storage);
  }

  get all(): readonly string[] {
    return this.lines;
  }

  add(line: string): void {
    const next = addToHistory(this.lines, line);
    if (next === this.lines) return;
    this.lines = next;
    try {
      this.storage?.setItem(HISTORY_STORAGE_KEY, JSON.stringify(next));
    } catch {
      // Storage full or disabled: the history still works for this page.
    }
  }
}

function load(storage: KeyValueStorage | null): readonly string[] {
  try {
    const raw = storage?.getItem(HISTORY_STORAGE_KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : [];
    if (Array.isArray(parsed)) return parsed.filter((l): l is string => typeof l === 'string').slice(-HISTORY_MAX_LEN);
  } catch {
    // A corrupt entry starts an empty history, as a missing file would.
  }
  return [];
}
