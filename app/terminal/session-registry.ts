// The thin xterm adapter and the registry of live terminals, kept outside React so a terminal and
// its scrollback survive re-renders and layout changes: each session owns one xterm Terminal in its
// own element, which the pane component moves into place. Loaded lazily (xterm is the heavy part).

import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import type { LabRuntime } from '../runtime';
import type { ThemeName } from '../store/initial-state';
import { shortcutFor } from '../shortcuts';
import { CliSession, type SessionStatus } from './cli-session';
import { parseKeys } from './keys';
import { Screen, type TermLike } from './screen';
import { takeStartupNotice } from './startup-notice';
import { emitTypedLine } from './terminal-bridge';
import { TERMINAL_FONT, TERMINAL_THEMES } from './themes';

/** How long a command runs before its pane says "running…". */
const RUNNING_AFTER_MS = 100;

/** Lines a terminal keeps above its screen. */
const SCROLLBACK = 5000;

/**
 * For this long after Enter, output is parsed by xterm as it is written, not in a later task:
 * Chromium holds tasks after a key press until the next frame has been produced, so a reply parsed
 * in a timer would miss that frame. (xterm parses the first write after user input at once;
 * re-flagging user input extends that to the reply and the new prompt, which the engine client
 * may hand over in this same task: EngineClient.replyWindow.)
 */
const PARSE_NOW_MS = 20;

export interface TerminalHandle {
  readonly id: number;
  readonly session: CliSession;
  /** Resolves once the session's engine client is open and its first prompt is drawn. */
  readonly started: Promise<void>;
  /** Put the terminal into `container` (first call opens it) and fit it. */
  attach(container: HTMLElement): void;
  fit(): void;
  focus(): void;
  setAppearance(fontSize: number, theme: ThemeName): void;
  /** The terminal's text, one line per row, trailing blanks trimmed (for tests). */
  text(): string;
  /** Columns and the cursor's row on the screen (for tests). */
  geometry(): { cols: number; rows: number; cursorY: number; baseY: number; viewportY: number };
  /** Type into the terminal as the keyboard would. */
  type(data: string): void;
  dispose(): void;
}

class XtermHandle implements TerminalHandle {
  readonly session: CliSession;
  readonly started: Promise<void>;
  private readonly element: HTMLDivElement;
  private readonly term: Terminal;
  private readonly fitAddon = new FitAddon();
  private opened = false;
  private disposed = false;
  private readonly offRestart: () => void;
  private statusTimer: ReturnType<typeof setTimeout> | undefined;
  /** performance.now() until which writes are parsed at once (see PARSE_NOW_MS). */
  private parseNowUntil = 0;

  constructor(
    readonly id: number,
    private readonly runtime: LabRuntime,
  ) {
    const { store, client, history } = runtime;
    const settings = store.getState();
    this.element = document.createElement('div');
    this.element.className = 'xterm-host';
    this.term = new Terminal({
      fontFamily: TERMINAL_FONT,
      fontSize: settings.fontSize,
      theme: TERMINAL_THEMES[settings.theme ?? (settings.systemDark ? 'dark' : 'light')],
      cursorBlink: true,
      scrollback: SCROLLBACK,
      macOptionIsMeta: true,
      allowProposedApi: false,
    });
    this.term.loadAddon(this.fitAddon);
    // Keys for the lab (Alt+N...) go to the page's handler, not into the line.
    this.term.attachCustomKeyEventHandler((ev) => !(ev.type === 'keydown' && shortcutFor(ev) !== null));
    // More lines than scrollback + any screen height: the rest would scroll away unseen.
    const term = this.term;
    const immediate: TermLike = {
      get cols() {
        return term.cols;
      },
      get buffer() {
        return term.buffer;
      },
      write: (data, callback) => {
        if (performance.now() < this.parseNowUntil) term.input('', true);
        term.write(data, callback);
      },
      registerMarker: (offset) => term.registerMarker(offset),
    };
    const screen = new Screen(immediate, SCROLLBACK + 1000);
    this.session = new CliSession({
      connection: client.connection(id),
      screen,
      history,
      helpEntries: runtime.helpEntries,
      helpPending: runtime.helpPending,
      now: () => performance.now(),
      bell: () => this.flash(),
      quit: () => store.getState().closeSession(id),
      status: (status) => this.showStatus(status),
      // The lab commands (':advance', ':reset'...) load with their first use, after start-up.
      labCommand: (argv) => import('../lessons/browser-lab').then((m) => m.browserLab(runtime).labCommand(argv)),
      typed: (line) => emitTypedLine(runtime, id, line),
    });
    this.term.onData((data) => {
      if (data === '') return; // the re-flagged user input of `immediate`
      if (data.includes('\r') || data.includes('\n')) {
        // A line is entered: its reply may be printed in this very task.
        this.parseNowUntil = performance.now() + PARSE_NOW_MS;
        client.replyWindow();
      }
      this.session.input(parseKeys(data));
    });
    // The engine worker crashed and was replaced: say so, and show the reconnected prompt.
    this.offRestart = client.onRestart((reason) =>
      this.session.reconnected(
        `(lab) the engine worker crashed (${reason.replace(/^Uncaught (Error: )?/, '')}); a new engine started from what was saved, and this session reconnected.\n`,
      ),
    );
    this.term.onBell(() => this.flash());
    this.started = client
      .open(id, { push: (m) => m.cli && this.session.push(m.cli), closed: () => {} }, { output: 'cli' })
      .then(() => runtime.ready)
      .then(() => {
        if (this.disposed) return;
        // The first terminal tells what the server loaded from this browser's storage at start.
        const notice = takeStartupNotice(runtime);
        if (notice !== '') screen.print(notice);
        this.session.start();
      });
  }

  /**
   * The pane's status line. "running…" shows only once a command has run for RUNNING_AFTER_MS:
   * a quick command then costs no store update and no re-render of the panes.
   */
  private showStatus(status: SessionStatus): void {
    clearTimeout(this.statusTimer);
    const { store } = this.runtime;
    if (status === 'running') {
      this.statusTimer = setTimeout(() => store.getState().setSessionStatus(this.id, 'running'), RUNNING_AFTER_MS);
    } else {
      store.getState().setSessionStatus(this.id, status);
    }
  }

  attach(container: HTMLElement): void {
    if (this.element.parentElement !== container) container.appendChild(this.element);
    if (!this.opened) {
      this.opened = true;
      this.term.open(this.element);
      // Bracketed paste: a pasted block arrives as one piece, so its lines run one by one.
      this.term.write('\x1b[?2004h');
    }
    this.fit();
  }

  fit(): void {
    if (!this.opened || this.element.clientWidth === 0) return;
    const cols = this.term.cols;
    const rows = this.term.rows;
    this.fitAddon.fit();
    if (this.term.cols !== cols || this.term.rows !== rows) this.session.resized();
  }

  focus(): void {
    this.term.focus();
  }

  setAppearance(fontSize: number, theme: ThemeName): void {
    const opts = this.term.options;
    if (opts.fontSize !== fontSize) opts.fontSize = fontSize;
    if (opts.theme !== TERMINAL_THEMES[theme]) opts.theme = TERMINAL_THEMES[theme];
    this.fit();
  }

  text(): string {
    const buf = this.term.buffer.active;
    const lines: string[] = [];
    for (let i = 0; i < buf.length; i++) lines.push(buf.getLine(i)?.translateToString(true) ?? '');
    while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    return lines.join('\n');
  }

  geometry() {
    const buf = this.term.buffer.active;
    return {
      cols: this.term.cols,
      rows: this.term.rows,
      cursorY: buf.cursorY,
      baseY: buf.baseY,
      viewportY: buf.viewportY,
    };
  }

  type(data: string): void {
    this.term.input(data, true);
  }

  private flash(): void {
    this.element.classList.remove('bell');
    // Restart the animation on a fresh frame.
    requestAnimationFrame(() => this.element.classList.add('bell'));
  }

  dispose(): void {
    this.disposed = true;
    this.offRestart();
    clearTimeout(this.statusTimer);
    this.term.dispose();
    this.element.remove();
    void this.runtime.client.close(this.id);
  }
}

export class SessionRegistry {
  private readonly handles = new Map<number, TerminalHandle>();

  constructor(private readonly runtime: LabRuntime) {
    // Closing a session in the store closes its terminal and its engine client.
    runtime.store.subscribe((s, prev) => {
      if (s.sessions === prev.sessions) return;
      const live = new Set(s.sessions.map((x) => x.id));
      for (const [id, h] of this.handles) {
        if (!live.has(id)) {
          this.handles.delete(id);
          h.dispose();
        }
      }
    });
  }

  get(id: number): TerminalHandle {
    let h = this.handles.get(id);
    if (!h) {
      h = new XtermHandle(id, this.runtime);
      this.handles.set(id, h);
    }
    return h;
  }

  find(id: number): TerminalHandle | undefined {
    return this.handles.get(id);
  }
}
