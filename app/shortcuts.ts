// The lab's keyboard shortcuts: one table, read by the key handler and by the help overlay.
// All use Alt (Option) so they never collide with the line editor's Ctrl keys or the browser's.

export type ShortcutAction =
  | { readonly kind: 'new-session' }
  | { readonly kind: 'close-session' }
  | { readonly kind: 'rename-session' }
  | { readonly kind: 'cycle-session'; readonly delta: 1 | -1 }
  | { readonly kind: 'focus-session'; readonly index: number }
  | { readonly kind: 'font-size'; readonly delta: number }
  | { readonly kind: 'toggle-theme' }
  | { readonly kind: 'help' }
  | { readonly kind: 'lessons' }
  | { readonly kind: 'quiz' }
  /** The Share dialog (app/share/): a link carrying the lab's state. */
  | { readonly kind: 'share' }
  /** Next / previous lesson step, or presenter mode (handled by the lesson panel when open). */
  | { readonly kind: 'lesson-step'; readonly delta: 1 | -1 }
  | { readonly kind: 'presenter' };

/** The window event that opens the Share dialog (the toolbar's Share button, Alt+S). */
export const SHARE_EVENT = 'redis-lab:share';

/** The window event carrying 'lesson-step' / 'presenter' actions to the lesson panel. */
export const LESSON_EVENT = 'redis-lab:lesson';

export interface KeyLike {
  readonly code: string;
  readonly key: string;
  readonly altKey: boolean;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly shiftKey: boolean;
}

/** The action a key press triggers, or null for keys that belong to the terminal. */
export function shortcutFor(e: KeyLike): ShortcutAction | null {
  if (e.key === 'F1' && !e.altKey && !e.ctrlKey && !e.metaKey) return { kind: 'help' };
  if (!e.altKey || e.ctrlKey || e.metaKey) return null;
  switch (e.code) {
    case 'KeyN':
      return { kind: 'new-session' };
    case 'KeyW':
      return { kind: 'close-session' };
    case 'KeyR':
      return { kind: 'rename-session' };
    case 'BracketRight':
      return { kind: 'cycle-session', delta: 1 };
    case 'BracketLeft':
      return { kind: 'cycle-session', delta: -1 };
    case 'Equal':
    case 'NumpadAdd':
      return { kind: 'font-size', delta: 1 };
    case 'Minus':
    case 'NumpadSubtract':
      return { kind: 'font-size', delta: -1 };
    case 'Digit0':
    case 'Numpad0':
      return { kind: 'font-size', delta: 0 };
    case 'KeyT':
      return { kind: 'toggle-theme' };
    case 'KeyH':
      return { kind: 'help' };
    case 'KeyL':
      return { kind: 'lessons' };
    case 'KeyQ':
      return { kind: 'quiz' };
    case 'KeyS':
      return { kind: 'share' };
    case 'PageDown':
      return { kind: 'lesson-step', delta: 1 };
    case 'PageUp':
      return { kind: 'lesson-step', delta: -1 };
    case 'KeyP':
      return { kind: 'presenter' };
  }
  const digit = /^Digit([1-9])$/.exec(e.code);
  return digit ? { kind: 'focus-session', index: Number(digit[1]) - 1 } : null;
}

/** For the help overlay. */
export const SHORTCUTS: readonly (readonly [string, string])[] = [
  ['Alt+N', 'New terminal session'],
  ['Alt+W', 'Close the focused session'],
  ['Alt+R', 'Rename the focused session'],
  ['Alt+1 … Alt+9', 'Focus session 1 … 9'],
  ['Alt+] / Alt+[', 'Next / previous session'],
  ['Alt+= / Alt+-', 'Larger / smaller text'],
  ['Alt+0', 'Default text size'],
  ['Alt+T', 'Dark / light theme'],
  ['F1 or Alt+H', 'This help'],
  ['Alt+L', 'Show / hide the lessons'],
  ['Alt+V', 'Show / hide the panels (sorted set, memory, keyspace, events)'],
  ['Alt+Q', 'Quiz: open, back to it from a terminal, close (link: ?quiz=<topic>)'],
  ['Alt+S', 'Share: a link carrying the keys, the lesson and the clock'],
  ['Alt+PageDown / Alt+PageUp', 'Next / previous lesson step'],
  ['Alt+P', 'Presenter mode (large text, one step at a time)'],
];

/** What the terminal line editor understands (redis-cli's linenoise, plus the lab's extras). */
export const EDITING_KEYS: readonly (readonly [string, string])[] = [
  ['Enter', 'Run the line (a pasted block runs line by line)'],
  ['Tab', 'Complete a command, subcommand or option; Tab again cycles, Esc restores'],
  ['↑ / ↓ or Ctrl+P / Ctrl+N', 'History (shared by all sessions, kept in this browser)'],
  ['Ctrl+R', 'Search history backwards; Enter runs, Esc keeps, Ctrl+G cancels'],
  ['← → / Ctrl+B Ctrl+F', 'Move by character'],
  ['Alt+B Alt+F / Ctrl+← Ctrl+→', 'Move by word'],
  ['Home End / Ctrl+A Ctrl+E', 'Start / end of line'],
  ['Ctrl+U / Ctrl+K', 'Delete the line / to the end of it'],
  ['Ctrl+W or Alt+Backspace', 'Delete the previous word (some browsers keep Ctrl+W to close the tab)'],
  ['Ctrl+L or clear', 'Clear the screen'],
  ['Ctrl+C', 'Cancel the line, or stop waiting for BLPOP, SUBSCRIBE or MONITOR'],
];
