// One terminal session behaving like interactive redis-cli 7.0 (src/redis-cli.c: repl,
// issueCommandRepeat, cliSendCommand, cliRefreshPrompt): line splitting with redis-cli quoting,
// `3 INCR c` repeats, HELP, clear, :set hints, the prompt with [db] and (TX) tracked as redis-cli
// tracks them, "(N.NNs)" after slow commands, MONITOR and SUBSCRIBE reading modes, Ctrl-C.
// No DOM and no xterm: keys come in parsed, drawing goes through Screen, commands through a connection.

import { completeLine, completeToken, helpOutput } from '../../engine/protocol/cli-help';
import { fromUtf8, toUtf8 } from '../../engine/protocol/binary';
import { type HelpEntry, hintFor } from '../../engine/protocol/hints';
import { splitArgs } from '../../engine/protocol/split-args';
import type { CliText, ClientState } from '../../engine/worker/protocol';
import { type HistoryFile, isSensitiveCommand } from './history';
import type { Key } from './keys';
import { type EditorEnv, type EditorState, lineOf, newLine, reduce, view } from './line-editor';
import type { Screen } from './screen';

/** A command's answer: redis-cli's text of the reply (null when none was sent), or a lost connection. */
export type CommandOutcome =
  | { readonly kind: 'reply'; readonly output: CliText | null; readonly state: ClientState }
  | { readonly kind: 'disconnected' };

/** The session's engine connection (one engine client), as the engine client provides it. */
export interface SessionConnection {
  /** Send one command; `onBlocked` runs if the engine parks it (BLPOP) until it is served. */
  send(argv: readonly string[], onBlocked: () => void): Promise<CommandOutcome>;
  /**
   * Ctrl-C while waiting: a blocked command is unblocked (LAB: redis-cli would exit), a MONITOR or
   * subscribed connection is replaced by a new one on the same database (as redis-cli reconnects).
   */
  interrupt(): Promise<void>;
}

export interface SessionEnv {
  readonly connection: SessionConnection;
  readonly screen: Screen;
  readonly history: HistoryFile;
  /** The help table (hints, completion, HELP); may arrive after the session starts. */
  helpEntries(): readonly HelpEntry[];
  /**
   * While the help table covers only the commands the worker serves first: a promise of the whole
   * table (the rest of the engine loads right after start). Tab waits for it, keys typed after it
   * queue behind, so completion never misses a command that is a moment away. Null once complete.
   */
  helpPending?(): Promise<void> | null;
  now(): number;
  bell(): void;
  /** `quit` / `exit`: LAB: closes this terminal session instead of the program. */
  quit(): void;
  /** Host and port shown in the prompt. */
  readonly address?: string;
  /** What the session is doing, for the pane's status line. */
  status?(status: SessionStatus): void;
  /**
   * The lab's own commands (":advance 10s", ":reset"...; app/lessons/lab-commands.ts): the text to
   * print, or null when `argv` is not one (then it is a redis-cli preference such as ":set hints").
   */
  labCommand?(argv: readonly string[]): Promise<string | null>;
  /** Every line run at the prompt, as typed (not passwords): the lesson builder records them. */
  typed?(line: string): void;
}

export type SessionStatus = 'ready' | 'running' | 'blocked' | 'monitor' | 'subscribed' | 'disconnected';

type Mode =
  /** Editing a line at the prompt. */
  | 'prompt'
  /** A command (or a repeat / pasted lines) is running: keys are queued. */
  | 'running'
  /** MONITOR: lines stream in, no prompt; Ctrl-C ends it (redis-cli reconnects). */
  | 'monitor';

const is = (a: string | undefined, b: string) => a !== undefined && a.toLowerCase() === b;

/** C's atoi: leading blanks, sign, digits; anything else stops it. */
function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  return m ? Number.parseInt(m[1], 10) : 0;
}

/** strtol(argv[0], &end, 10) that consumed the whole word: the repeat count, or null. */
function parseRepeat(word: string): bigint | null {
  return /^[ \t\n\v\f\r]*[+-]?\d+$/.test(word) ? BigInt(word.trim()) : null;
}
const LONG_MAX = 9223372036854775807n;

export class CliSession {
  private mode: Mode = 'prompt';
  private editor: EditorState;
  private readonly queue: Key[] = [];
  private hints = true;
  private connected = true;
  private dbnum = 0;
  private preMultiDb = 0;
  private inMulti = false;
  /** LAB: redis-cli 7.0 reads pub/sub messages without a prompt; the lab keeps a prompt to type at. */
  private subscribed = false;
  /** Bumped on Ctrl-C so replies of abandoned commands are ignored. */
  private generation = 0;
  private idleWaiters: (() => void)[] = [];
  /** A Tab is waiting for the whole help table (helpPending); the keys after it wait too. */
  private waitingForHelp = false;
  private readonly editorEnv: EditorEnv;

  constructor(private readonly env: SessionEnv) {
    this.editor = newLine(env.history.all);
    this.editorEnv = { complete: (line) => this.complete(line) };
  }

  /** Show the first prompt. */
  start(): void {
    this.drawInput();
  }

  get prompt(): string {
    if (!this.connected) return 'not connected> ';
    let p = this.env.address ?? '127.0.0.1:6379';
    if (this.dbnum !== 0) p += `[${this.dbnum}]`;
    if (this.inMulti) p += '(TX)';
    if (this.subscribed) p += '(subscribed mode)';
    return `${p}> `;
  }

  get busy(): boolean {
    return this.mode !== 'prompt';
  }

  /** Resolves when no command is running and nothing typed is queued (at the prompt, or in MONITOR). */
  idle(): Promise<void> {
    if (this.mode !== 'running' && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  // ---- input --------------------------------------------------------------------------------

  /** Keys from the terminal. */
  input(keys: readonly Key[]): void {
    for (const key of keys) {
      if (key.type === 'paste') this.queue.push(...pasteKeys(key.text));
      else this.queue.push(key);
    }
    this.drain();
  }

  private drain(): void {
    while (this.queue.length > 0) {
      const key = this.queue[0];
      if (this.waitingForHelp) return;
      if (key.type === 'key' && key.key === 'tab' && this.mode === 'prompt') {
        const pending = this.env.helpPending?.() ?? null;
        if (pending !== null) {
          this.waitingForHelp = true;
          const resume = () => {
            this.waitingForHelp = false;
            this.drain();
          };
          void pending.then(resume, resume);
          return;
        }
      }
      if (this.mode !== 'prompt') {
        // Ctrl-C is the one key that acts while a command runs; it drops what was typed ahead.
        const i = this.queue.findIndex((k) => k.type === 'ctrl' && k.key === 'c');
        if (i >= 0) {
          this.queue.length = 0;
          this.interruptWait();
        }
        return;
      }
      this.queue.shift();
      this.editKey(key);
    }
    if (this.mode !== 'running') {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  private editKey(key: Key): void {
    // Other sessions add to the shared history: browse the latest unless already browsing.
    const history = this.env.history.all;
    if (this.editor.histIndex === 0 && this.editor.history !== history && !this.editor.search) {
      this.editor = { ...this.editor, history, edited: new Map() };
    }
    const { state, effects } = reduce(this.editor, key, this.editorEnv);
    this.editor = state;
    let redraw = true;
    for (const e of effects) {
      switch (e.kind) {
        case 'beep':
          this.env.bell();
          break;
        case 'clear-screen':
          this.env.screen.clearScreen();
          redraw = false;
          break;
        case 'eof':
          break;
        case 'interrupt':
          this.interruptPrompt();
          return;
        case 'submit':
          this.submit(e.line);
          return;
      }
    }
    if (redraw) this.drawInput();
  }

  private drawInput(): void {
    const v = view(this.editor);
    let hint: string | null = null;
    if (this.hints && v.hints) {
      hint = hintFor(this.env.helpEntries(), fromUtf8(v.text), splitArgs(fromUtf8(v.text)));
    }
    this.env.screen.drawInput({ prompt: v.prompt ?? this.prompt, text: v.text, cursor: v.cursor, hint });
  }

  private complete(line: string): readonly string[] {
    const entries = this.env.helpEntries();
    const names = completeLine(entries, line);
    return names.length > 0 ? names : completeToken(entries, line, splitArgs(line));
  }

  /** LAB: Ctrl-C at the prompt abandons the line (bash-like); linenoise would quit redis-cli. */
  private interruptPrompt(): void {
    const v = view(this.editor);
    if (this.subscribed) {
      // "Reading messages... (press Ctrl-C to quit)": leave subscribed mode (redis-cli reconnects).
      this.env.screen.commitInput({ prompt: v.prompt ?? this.prompt, text: `${v.text}^C`, cursor: 0, hint: null });
      this.newPrompt();
      this.stopWaiting();
      return;
    }
    this.env.screen.commitInput({ prompt: v.prompt ?? this.prompt, text: `${v.text}^C`, cursor: 0, hint: null });
    this.newPrompt();
  }

  /** Ctrl-C while a command runs, MONITOR streams or a BLPOP waits: redis-cli drops the connection. */
  private interruptWait(): void {
    this.generation++;
    this.env.screen.print('^C');
    this.newPrompt();
    // LAB: for a blocked or long command redis-cli 7.0 exits; the lab stops waiting and stays.
    this.stopWaiting();
  }

  private stopWaiting(): void {
    this.subscribed = false;
    void this.env.connection.interrupt().then(() => {
      if (this.mode === 'prompt') this.drawInput();
    });
  }

  private newPrompt(): void {
    this.mode = 'prompt';
    this.env.status?.(!this.connected ? 'disconnected' : this.subscribed ? 'subscribed' : 'ready');
    this.editor = newLine(this.env.history.all);
    this.drawInput();
    this.drain();
  }

  // ---- the repl -----------------------------------------------------------------------------

  private submit(line: string): void {
    const v = view(this.editor);
    this.env.screen.commitInput({ prompt: v.prompt ?? this.prompt, text: v.text, cursor: v.text.length, hint: null });
    this.mode = 'running';
    this.env.status?.('running');
    const gen = this.generation;
    void this.runLine(line).then(
      () => {
        if (gen !== this.generation) return;
        if (this.mode === 'running') this.newPrompt();
        else this.drain();
      },
      (err: unknown) => {
        if (gen !== this.generation) return;
        this.env.screen.print(`(lab error) ${err instanceof Error ? err.message : String(err)}\n`);
        this.newPrompt();
      },
    );
  }

  /** One line typed at the prompt (repl's loop body). */
  private async runLine(line: string): Promise<void> {
    if (line === '') return;
    const argv = splitArgs(fromUtf8(line));
    if (argv === null) {
      this.env.screen.print('Invalid argument(s)\n');
      this.env.history.add(line);
      return;
    }
    if (argv.length === 0) return;
    let repeat = 1n;
    let skip = 0;
    const count = argv.length > 1 ? parseRepeat(argv[0]) : null;
    if (count !== null) {
      if (count <= 0n || count > LONG_MAX) {
        this.env.screen.print('Invalid redis-cli repeat command option value.\n');
        return;
      }
      repeat = count;
      skip = 1;
    }
    if (!isSensitiveCommand(argv.slice(skip))) {
      this.env.history.add(line);
      this.env.typed?.(line);
    }

    const first = argv[0];
    if (is(first, 'quit') || is(first, 'exit')) {
      this.env.quit();
      return;
    }
    if (first.startsWith(':')) {
      const out = is(first, ':set') ? null : await this.env.labCommand?.(argv);
      if (out === null || out === undefined) this.setPreference(argv);
      else this.env.screen.print(toUtf8(out));
      return;
    }
    if (is(first, 'restart')) {
      this.env.screen.print("Use 'restart' only in Lua debugging mode.\n");
      return;
    }
    if (argv.length === 3 && is(first, 'connect')) {
      // LAB: the lab has exactly one server, in this page.
      this.env.screen.print('(the lab runs one server, in this page: CONNECT is not available)\n');
      return;
    }
    if (argv.length === 1 && is(first, 'clear')) {
      this.env.screen.clearScreen();
      return;
    }
    const start = this.env.now();
    const gen = this.generation;
    const command = argv.slice(skip);
    if (is(command[0], 'help') || command[0] === '?') {
      this.env.screen.print(toUtf8(helpOutput(this.env.helpEntries(), command.slice(1))));
    } else {
      await this.issueRepeat(command, repeat);
    }
    const elapsed = this.env.now() - start;
    if (gen === this.generation && this.mode === 'running' && elapsed >= 500) {
      this.env.screen.print(`(${(elapsed / 1000).toFixed(2)}s)\n`);
    }
  }

  private setPreference(argv: readonly string[]): void {
    if (is(argv[0], ':set') && argv.length >= 2) {
      if (is(argv[1], 'hints')) this.hints = true;
      else if (is(argv[1], 'nohints')) this.hints = false;
      else this.env.screen.print(toUtf8(`unknown redis-cli preference '${argv[1]}'\n`));
    } else {
      this.env.screen.print(toUtf8(`unknown redis-cli internal command '${argv[0]}'\n`));
    }
  }

  /** issueCommandRepeat + cliSendCommand: send `repeat` times, print each reply, track the prompt state. */
  private async issueRepeat(argv: readonly string[], repeat: bigint): Promise<void> {
    const gen = this.generation;
    const name = argv[0];
    const monitor = is(name, 'monitor');
    const pubsub = is(name, 'subscribe') || is(name, 'psubscribe') || is(name, 'ssubscribe');
    for (let i = 0n; i < repeat; i++) {
      if (pubsub) this.env.screen.print('Reading messages... (press Ctrl-C to quit)\n');
      const outcome = await this.env.connection.send(argv, () => this.env.status?.('blocked'));
      if (gen !== this.generation) return;
      if (outcome.kind === 'disconnected') {
        this.env.screen.print('Error: Server closed the connection\n');
        this.connected = false;
        this.inMulti = false;
        this.subscribed = false;
        return;
      }
      if (!this.connected) this.connected = true;
      const { output, state } = outcome;
      // LAB: with CLIENT REPLY OFF redis-cli waits for a reply forever; the lab shows the prompt.
      if (output !== null) this.env.screen.printLines(output.text);
      const failed = output?.kind === 'error';
      if (monitor) {
        if (!failed) {
          this.mode = 'monitor';
          this.env.status?.('monitor');
        }
        return;
      }
      if (pubsub) {
        this.subscribed = !failed && state.subscriptions > 0;
        continue;
      }
      this.track(argv, output);
      // LAB: leaving subscribed mode once every subscription is gone (UNSUBSCRIBE, RESET).
      if (this.subscribed && state.subscriptions === 0) this.subscribed = false;
    }
  }

  /** The client-side state redis-cli keeps after each reply (cliSendCommand's tail). */
  private track(argv: readonly string[], reply: CliText | null): void {
    const name = argv[0];
    const n = argv.length;
    const failed = reply?.kind === 'error';
    if (is(name, 'select') && n === 2 && !failed) {
      this.dbnum = atoi(argv[1]);
    } else if (is(name, 'multi') && n === 1 && !failed) {
      this.inMulti = true;
      this.preMultiDb = this.dbnum;
    } else if (is(name, 'exec') && n === 1 && this.inMulti) {
      this.inMulti = false;
      if (failed || reply === null || reply.nil) this.dbnum = this.preMultiDb;
    } else if (is(name, 'discard') && n === 1 && !failed) {
      this.inMulti = false;
      this.dbnum = this.preMultiDb;
    } else if (is(name, 'reset') && n === 1 && !failed) {
      this.inMulti = false;
      this.dbnum = 0;
      this.subscribed = false;
    }
  }

  // ---- from the engine ----------------------------------------------------------------------

  /** A reply outside a request: pub/sub message, MONITOR line, RESP3 push (cliPushHandler). */
  push(output: CliText): void {
    this.env.screen.printLines(output.text);
  }

  /**
   * The engine worker crashed and a new one took over: this session has a new connection. A command
   * that was waiting has already ended as redis-cli ends it ("Server closed the connection"); the
   * notice goes above a fresh prompt, and the database is selected again, as redis-cli does when it
   * reconnects (cliConnect). A MONITOR or subscription is over: the connection is new.
   */
  reconnected(notice: string): void {
    this.connected = true;
    this.inMulti = false;
    this.subscribed = false;
    this.env.screen.print(notice);
    if (this.dbnum !== 0) void this.env.connection.send(['SELECT', String(this.dbnum)], () => {});
    if (this.mode === 'monitor') {
      this.newPrompt();
    } else if (this.mode === 'prompt') {
      this.env.status?.('ready');
      this.drawInput();
    }
  }

  /** The terminal changed size: redraw the input for the new width. */
  resized(): void {
    this.env.screen.resized();
  }

  /** Ctrl-L from the app (or `clear`). */
  clearScreen(): void {
    this.env.screen.clearScreen();
  }

  /** The text typed so far (for tests). */
  get line(): string {
    return lineOf(this.editor);
  }
}

/** A paste as keys: each line break is Enter, so pasted lines run one after another. */
function pasteKeys(text: string): Key[] {
  const keys: Key[] = [];
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  lines.forEach((line, i) => {
    if (line !== '') keys.push({ type: 'paste', text: line });
    if (i < lines.length - 1) keys.push({ type: 'key', key: 'enter' });
  });
  return keys;
}
