import { describe, expect, it } from 'vitest';
import { parseKeys } from './keys';
import { type Effect, type EditorEnv, type EditorState, lineOf, newLine, reduce, view } from './line-editor';

/** Feed terminal input (as xterm sends it) to the editor; returns the state and every effect. */
function feed(state: EditorState, data: string, env?: EditorEnv): { state: EditorState; effects: Effect[] } {
  const effects: Effect[] = [];
  let s = state;
  for (const key of parseKeys(data)) {
    const r = reduce(s, key, env);
    s = r.state;
    effects.push(...r.effects);
  }
  return { state: s, effects };
}

const typed = (data: string, history: string[] = [], env?: EditorEnv) => feed(newLine(history), data, env);
const cursorOf = (s: EditorState) => view(s).cursor;

const LEFT = '\x1b[D';
const UP = '\x1b[A';
const DOWN = '\x1b[B';
const HOME = '\x1b[H';

describe('pasted text', () => {
  it('keeps its text but drops control bytes, which would drive the terminal when drawn', () => {
    const { state } = typed('\x1b[200~SET k "\x1b[2J\x1b]0;t\x07\tv\x9b"\x1b[201~');
    expect(lineOf(state)).toBe('SET k "[2J]0;t v"');
  });
});

describe('line editing (linenoise keys)', () => {
  const cases: [string, string, string, number][] = [
    ['inserts at the cursor', `SET k${LEFT}${LEFT}x`, 'SETx k', 4],
    ['Home / End', `abc${HOME}X\x1b[FY`, 'XabcY', 5],
    ['Ctrl-A / Ctrl-E', 'abc\x01X\x05Y', 'XabcY', 5],
    ['Ctrl-B / Ctrl-F move by one', 'abc\x02\x02\x06Z', 'abZc', 3],
    ['Backspace deletes left, Delete deletes under the cursor', `abcd${LEFT}${LEFT}\x7f\x1b[3~`, 'ad', 1],
    ['Ctrl-U deletes the whole line', `hello world${LEFT}${LEFT}\x15`, '', 0],
    ['Ctrl-K deletes to the end', `hello world${HOME}\x06\x06\x0b`, 'he', 2],
    ['Ctrl-W deletes the previous space-separated word', 'SET my:key  \x17', 'SET ', 4],
    ['Ctrl-T swaps the characters around the cursor', `abcd${LEFT}${LEFT}\x14`, 'acbd', 3],
    ['Ctrl-H is Backspace', 'ab\x08', 'a', 1],
    ['Alt-B / Alt-F jump words (LAB)', 'SET my:key value\x1bb\x1bbX', 'SET my:Xkey value', 8],
    ['Ctrl-Left / Ctrl-Right jump words (LAB)', `one two three${HOME}\x1b[1;5C\x1b[1;5CX`, 'one twoX three', 8],
    ['Alt-Backspace deletes a word left (LAB)', 'SET my:key\x1b\x7f', 'SET my:', 7],
    ['wide characters are one position each', `世界x${LEFT}${LEFT}y`, '世y界x', 2],
  ];
  it.each(cases)('%s', (_name, data, line, pos) => {
    const { state } = typed(data);
    expect(lineOf(state)).toBe(line);
    expect(state.pos).toBe(pos);
  });

  it('submits the line on Enter', () => {
    expect(typed('GET k\r').effects).toEqual([{ kind: 'submit', line: 'GET k' }]);
  });

  it('Ctrl-D deletes under the cursor, or is end-of-file on an empty line', () => {
    expect(lineOf(typed(`ab${LEFT}\x04`).state)).toBe('a');
    expect(typed('\x04').effects).toEqual([{ kind: 'eof' }]);
  });

  it('Ctrl-L clears the screen and Ctrl-C interrupts', () => {
    expect(typed('x\x0c').effects).toEqual([{ kind: 'clear-screen' }]);
    expect(typed('x\x03').effects).toEqual([{ kind: 'interrupt' }]);
  });

  it('puts the cursor after wide characters in UTF-16 units for the view', () => {
    const { state } = typed('a😀b');
    expect(cursorOf(state)).toBe(4);
  });
});

describe('history', () => {
  const history = ['SET a 1', 'GET a', 'INCR c'];

  it('Up shows older lines, Down newer ones, and back to what was being typed', () => {
    let { state } = typed(`draft${UP}`, history);
    expect(lineOf(state)).toBe('INCR c');
    state = feed(state, `${UP}${UP}`).state;
    expect(lineOf(state)).toBe('SET a 1');
    state = feed(state, UP).state; // no older line: stays
    expect(lineOf(state)).toBe('SET a 1');
    state = feed(state, `${DOWN}${DOWN}${DOWN}`).state;
    expect(lineOf(state)).toBe('draft');
    expect(state.pos).toBe(5);
  });

  it('Ctrl-P / Ctrl-N are Up / Down', () => {
    expect(lineOf(typed('\x10\x10', history).state)).toBe('GET a');
    expect(lineOf(typed('\x10\x10\x0e', history).state)).toBe('INCR c');
  });

  it('keeps edits made to a recalled line while browsing (linenoise)', () => {
    const { state } = typed(`${UP} 5${UP}${DOWN}`, history);
    expect(lineOf(state)).toBe('INCR c 5');
  });

  it('does nothing without history', () => {
    expect(lineOf(typed(`x${UP}`).state)).toBe('x');
  });
});

describe('Ctrl-R reverse search (LAB)', () => {
  const history = ['SET user:1 ann', 'GET user:1', 'INCR visits', 'GET other'];

  it('finds the newest line containing the query, Ctrl-R again finds older ones', () => {
    let { state } = typed('\x12user', history);
    expect(view(state)).toMatchObject({ prompt: "(reverse-i-search)`user': ", text: 'GET user:1', cursor: 4 });
    state = feed(state, '\x12').state;
    expect(view(state)).toMatchObject({ text: 'SET user:1 ann', cursor: 4 });
    // No older match: the search fails and keeps showing the last match.
    const r = feed(state, '\x12');
    expect(r.effects).toEqual([{ kind: 'beep' }]);
    expect(view(r.state).prompt).toBe("(failed reverse-i-search)`user': ");
    expect(view(r.state).text).toBe('SET user:1 ann');
  });

  it('Enter runs the match', () => {
    expect(typed('\x12visits\r', history).effects).toEqual([{ kind: 'submit', line: 'INCR visits' }]);
  });

  it('an editing key takes the match into the line and acts on it', () => {
    const { state } = typed('\x12visits\x05 2', history);
    expect(state.search).toBeNull();
    expect(lineOf(state)).toBe('INCR visits 2');
  });

  it('Esc keeps the match without running it; Ctrl-G restores the line', () => {
    const kept = typed('\x12other\x1b', history);
    expect(lineOf(kept.state)).toBe('GET other');
    expect(kept.effects).toEqual([]);
    const cancelled = typed('draft\x12other\x07', history);
    expect(lineOf(cancelled.state)).toBe('draft');
    expect(cancelled.state.search).toBeNull();
  });

  it('Backspace shortens the query and searches again from the newest line', () => {
    const { state } = typed('\x12user:1 a\x7f\x7f', history);
    expect(view(state)).toMatchObject({ prompt: "(reverse-i-search)`user:1': ", text: 'GET user:1' });
  });
});

describe('Tab completion (linenoise cycling)', () => {
  const env: EditorEnv = {
    complete: (line) => ['ZRANGEBYLEX', 'ZRANGEBYSCORE'].filter((c) => c.toLowerCase().startsWith(line.toLowerCase())),
  };

  it('shows the first candidate, Tab cycles, then the original line with a beep', () => {
    let r = typed('zrangeb\t', [], env);
    expect(view(r.state).text).toBe('ZRANGEBYLEX');
    r = feed(r.state, '\t', env);
    expect(view(r.state).text).toBe('ZRANGEBYSCORE');
    r = feed(r.state, '\t', env);
    expect(view(r.state).text).toBe('zrangeb');
    expect(r.effects).toEqual([{ kind: 'beep' }]);
    r = feed(r.state, '\t', env);
    expect(view(r.state).text).toBe('ZRANGEBYLEX');
  });

  it('another key accepts the candidate and is then typed', () => {
    const { state } = typed('zrangeb\t\t k', [], env);
    expect(lineOf(state)).toBe('ZRANGEBYSCORE k');
  });

  it('Enter accepts and runs the candidate', () => {
    expect(typed('zrangeb\t\r', [], env).effects).toEqual([{ kind: 'submit', line: 'ZRANGEBYLEX' }]);
  });

  it('Esc goes back to the original line', () => {
    const { state } = typed('zrangeb\t\x1b', [], env);
    expect(lineOf(state)).toBe('zrangeb');
    expect(state.completion).toBeNull();
  });

  it('beeps when nothing completes', () => {
    expect(typed('nope\t', [], env).effects).toEqual([{ kind: 'beep' }]);
  });
});
