// The line editor as a pure state object (linenoise's linenoiseEdit, as redis-cli 7.0 uses it):
// insert, cursor moves, Home/End, Ctrl-A/E/B/F/U/K/W/T/D, history Up/Down, Tab completion that
// cycles and restores, Ctrl-L. LAB: word jumps (Alt-B/F, Ctrl-arrows), Alt-D, Ctrl-R reverse
// search and Ctrl-C that cancels the line (linenoise has none; Ctrl-C quits redis-cli).
// reduce(state, key, env) → { state, effects }; the terminal adapter draws `view(state)`.

import type { Key } from './keys';

export interface EditorState {
  /** The line, one code point per item. */
  readonly chars: readonly string[];
  readonly pos: number;
  /** History snapshot for this line, oldest first. */
  readonly history: readonly string[];
  /** 0 = the line being typed, n = the n-th newest history entry. */
  readonly histIndex: number;
  /** Lines edited while browsing history (linenoise keeps such edits until Enter). */
  readonly edited: ReadonlyMap<number, string>;
  readonly completion: Completion | null;
  readonly search: Search | null;
}

interface Completion {
  readonly original: { readonly chars: readonly string[]; readonly pos: number };
  readonly candidates: readonly string[];
  /** candidates.length means "showing the original line again". */
  readonly index: number;
}

interface Search {
  readonly query: string;
  /** History index (1 = newest) of the match shown, 0 when none. */
  readonly match: number;
  readonly failed: boolean;
  readonly original: { readonly chars: readonly string[]; readonly pos: number };
}

export type Effect =
  | { readonly kind: 'submit'; readonly line: string }
  /** Ctrl-C: the line is abandoned (the adapter shows ^C). */
  | { readonly kind: 'interrupt' }
  | { readonly kind: 'clear-screen' }
  | { readonly kind: 'beep' }
  /** Ctrl-D on an empty line. */
  | { readonly kind: 'eof' };

export interface EditorEnv {
  /** Tab candidates for a whole line (full replacement lines, in order). */
  complete(line: string): readonly string[];
}

export interface Reduction {
  readonly state: EditorState;
  readonly effects: readonly Effect[];
}

export interface EditorView {
  /** Replaces the prompt while searching: (reverse-i-search)`q': */
  readonly prompt: string | null;
  readonly text: string;
  /** Cursor as an index into `text` (UTF-16 units). */
  readonly cursor: number;
  /** Hints are shown while editing or completing, not while searching. */
  readonly hints: boolean;
}

const toChars = (s: string): string[] => Array.from(s);

export function newLine(history: readonly string[], initial = ''): EditorState {
  const chars = toChars(initial);
  return { chars, pos: chars.length, history, histIndex: 0, edited: new Map(), completion: null, search: null };
}

export const lineOf = (s: EditorState): string => s.chars.join('');

export function view(s: EditorState): EditorView {
  if (s.search) {
    const line = s.search.match > 0 ? historyLine(s, s.search.match) : '';
    const at = s.search.match > 0 ? line.indexOf(s.search.query) : -1;
    const prompt = `(${s.search.failed ? 'failed ' : ''}reverse-i-search)\`${s.search.query}': `;
    return { prompt, text: line, cursor: at < 0 ? line.length : at, hints: false };
  }
  if (s.completion && s.completion.index < s.completion.candidates.length) {
    const text = s.completion.candidates[s.completion.index];
    return { prompt: null, text, cursor: text.length, hints: true };
  }
  return { prompt: null, text: lineOf(s), cursor: s.chars.slice(0, s.pos).join('').length, hints: true };
}

const historyLine = (s: EditorState, index: number): string =>
  s.edited.get(index) ?? (index === 0 ? '' : (s.history[s.history.length - index] ?? ''));

const set = (s: EditorState, chars: readonly string[], pos: number): EditorState => ({ ...s, chars, pos });
const none = (state: EditorState): Reduction => ({ state, effects: [] });
const isSpace = (c: string | undefined) => c === ' ';
const isWordChar = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}_]/u.test(c);

function insert(s: EditorState, text: string): EditorState {
  const add = toChars(text);
  return set(s, [...s.chars.slice(0, s.pos), ...add, ...s.chars.slice(s.pos)], s.pos + add.length);
}

/** Up/Down: save the current line into its slot, show the next one (linenoiseEditHistoryNext). */
function browse(s: EditorState, dir: 1 | -1): EditorState {
  const target = s.histIndex + dir;
  if (target < 0 || target > s.history.length) return s;
  const edited = new Map(s.edited);
  edited.set(s.histIndex, lineOf(s));
  const chars = toChars(edited.get(target) ?? historyLine(s, target));
  return { ...s, chars, pos: chars.length, histIndex: target, edited };
}

function wordLeft(s: EditorState): number {
  let p = s.pos;
  while (p > 0 && !isWordChar(s.chars[p - 1])) p--;
  while (p > 0 && isWordChar(s.chars[p - 1])) p--;
  return p;
}

function wordRight(s: EditorState): number {
  let p = s.pos;
  while (p < s.chars.length && !isWordChar(s.chars[p])) p++;
  while (p < s.chars.length && isWordChar(s.chars[p])) p++;
  return p;
}

/** Ctrl-W: delete back to the previous space-separated word's start (linenoiseEditDeletePrevWord). */
function deletePrevWord(s: EditorState): EditorState {
  let p = s.pos;
  while (p > 0 && isSpace(s.chars[p - 1])) p--;
  while (p > 0 && !isSpace(s.chars[p - 1])) p--;
  return set(s, [...s.chars.slice(0, p), ...s.chars.slice(s.pos)], p);
}

/** Find the newest history line at or older than `from` (1 = newest) containing `query`. */
function findBack(s: EditorState, query: string, from: number): number {
  for (let i = from; i <= s.history.length; i++) {
    if (historyLine(s, i).includes(query)) return i;
  }
  return 0;
}

function reduceSearch(s: EditorState, search: Search, key: Key, env: EditorEnv): Reduction {
  const withSearch = (next: Search): Reduction => none({ ...s, search: next });
  const research = (query: string, from: number): Reduction => {
    const match = query === '' ? search.match : findBack(s, query, from);
    return withSearch({ ...search, query, match: match || search.match, failed: query !== '' && match === 0 });
  };
  if (key.type === 'text' || key.type === 'paste') {
    const query = search.query + key.text.replace(/[\r\n]/g, '');
    return research(query, Math.max(1, search.match));
  }
  if (key.type === 'ctrl' && key.key === 'r') {
    if (search.query === '') return none(s);
    const match = findBack(s, search.query, search.match + 1);
    return match === 0
      ? { state: { ...s, search: { ...search, failed: true } }, effects: [{ kind: 'beep' }] }
      : withSearch({ ...search, match, failed: false });
  }
  if (key.type === 'key' && key.key === 'backspace') {
    return research(toChars(search.query).slice(0, -1).join(''), 1);
  }
  if (key.type === 'ctrl' && (key.key === 'g' || key.key === 'c')) {
    const { chars, pos } = search.original;
    return none({ ...s, chars, pos, search: null });
  }
  // Any other key takes the match into the line, then acts on it (readline).
  const v = view(s);
  const chars = toChars(v.text);
  const accepted: EditorState = {
    ...s,
    chars,
    pos: toChars(v.text.slice(0, v.cursor)).length,
    search: null,
  };
  if (search.match === 0) {
    const { chars: oc, pos } = search.original;
    const restored = { ...accepted, chars: oc, pos };
    return key.type === 'key' && key.key === 'escape' ? none(restored) : reduce(restored, key, env);
  }
  if (key.type === 'key' && key.key === 'escape') return none(accepted);
  return reduce(accepted, key, env);
}

/** Tab pressed while cycling through completions (linenoise's completeLine loop). */
function reduceCompletion(s: EditorState, c: Completion, key: Key, env: EditorEnv): Reduction {
  if (key.type === 'key' && key.key === 'tab') {
    const index = (c.index + 1) % (c.candidates.length + 1);
    const state = { ...s, completion: { ...c, index } };
    return { state, effects: index === c.candidates.length ? [{ kind: 'beep' }] : [] };
  }
  if (key.type === 'key' && key.key === 'escape') {
    return none({ ...s, ...c.original, completion: null });
  }
  // Any other key accepts what is shown, then is handled as usual.
  const shown = c.index < c.candidates.length ? toChars(c.candidates[c.index]) : null;
  const accepted = shown ? { ...s, chars: shown, pos: shown.length, completion: null } : { ...s, completion: null };
  return reduce(accepted, key, env);
}

const noCompletion: EditorEnv = { complete: () => [] };

export function reduce(s: EditorState, key: Key, env: EditorEnv = noCompletion): Reduction {
  if (s.search) return reduceSearch(s, s.search, key, env);
  if (s.completion) return reduceCompletion(s, s.completion, key, env);
  switch (key.type) {
    case 'text':
      return none(insert(s, key.text));
    case 'paste':
      // Multi-line paste is split into lines by the session; here a paste is plain text. Control
      // bytes (an ESC [2J in pasted text) would be drawn raw and drive the terminal: dropped.
      return none(insert(s, key.text.replace(/\t/g, ' ').replace(/[\x00-\x1f\x7f-\x9f]/g, '')));
    case 'unknown':
      return none(s);
    case 'key':
      switch (key.key) {
        case 'enter':
          return { state: s, effects: [{ kind: 'submit', line: lineOf(s) }] };
        case 'tab': {
          const candidates = env.complete(lineOf(s));
          if (candidates.length === 0) return { state: s, effects: [{ kind: 'beep' }] };
          return none({ ...s, completion: { original: { chars: s.chars, pos: s.pos }, candidates, index: 0 } });
        }
        case 'backspace':
          if (s.pos === 0) return none(s);
          return none(set(s, [...s.chars.slice(0, s.pos - 1), ...s.chars.slice(s.pos)], s.pos - 1));
        case 'delete':
          if (s.pos >= s.chars.length) return none(s);
          return none(set(s, [...s.chars.slice(0, s.pos), ...s.chars.slice(s.pos + 1)], s.pos));
        case 'left':
          return none(set(s, s.chars, Math.max(0, s.pos - 1)));
        case 'right':
          return none(set(s, s.chars, Math.min(s.chars.length, s.pos + 1)));
        case 'home':
          return none(set(s, s.chars, 0));
        case 'end':
          return none(set(s, s.chars, s.chars.length));
        case 'up':
          return none(browse(s, 1));
        case 'down':
          return none(browse(s, -1));
        case 'word-left':
          return none(set(s, s.chars, wordLeft(s)));
        case 'word-right':
          return none(set(s, s.chars, wordRight(s)));
        case 'delete-word-left': {
          const p = wordLeft(s);
          return none(set(s, [...s.chars.slice(0, p), ...s.chars.slice(s.pos)], p));
        }
        case 'delete-word-right': {
          const p = wordRight(s);
          return none(set(s, [...s.chars.slice(0, s.pos), ...s.chars.slice(p)], s.pos));
        }
        case 'escape':
          return none(s);
      }
      return none(s);
    case 'ctrl':
      return reduceCtrl(s, key.key);
  }
}

function reduceCtrl(s: EditorState, k: string): Reduction {
  switch (k) {
    case 'a':
      return none(set(s, s.chars, 0));
    case 'e':
      return none(set(s, s.chars, s.chars.length));
    case 'b':
      return none(set(s, s.chars, Math.max(0, s.pos - 1)));
    case 'f':
      return none(set(s, s.chars, Math.min(s.chars.length, s.pos + 1)));
    case 'p':
      return none(browse(s, 1));
    case 'n':
      return none(browse(s, -1));
    case 'u':
      // linenoise deletes the whole line (readline would keep what is right of the cursor).
      return none(set(s, [], 0));
    case 'k':
      return none(set(s, s.chars.slice(0, s.pos), s.pos));
    case 'w':
      return none(deletePrevWord(s));
    case 't': {
      if (s.pos === 0 || s.pos >= s.chars.length) return none(s);
      const chars = [...s.chars];
      [chars[s.pos - 1], chars[s.pos]] = [chars[s.pos], chars[s.pos - 1]];
      return none(set(s, chars, s.pos === chars.length - 1 ? s.pos : s.pos + 1));
    }
    case 'd':
      if (s.chars.length === 0) return { state: s, effects: [{ kind: 'eof' }] };
      return reduce(s, { type: 'key', key: 'delete' });
    case 'h':
      return reduce(s, { type: 'key', key: 'backspace' });
    case 'l':
      return { state: s, effects: [{ kind: 'clear-screen' }] };
    case 'c':
      return { state: s, effects: [{ kind: 'interrupt' }] };
    case 'r':
      return none({
        ...s,
        search: { query: '', match: 0, failed: false, original: { chars: s.chars, pos: s.pos } },
      });
    default:
      return none(s);
  }
}
