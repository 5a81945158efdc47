// The input line drawn into a real (headless) xterm: wrapping, cursor placement, hints, output
// printed above a line being typed, resizes.

import { describe, expect, it } from 'vitest';
import { createTerminal, cursor, flush, screenLines } from '../testing/headless';
import { charWidth, displayWidth } from './render';
import { lastLines, Screen } from './screen';

const P = '127.0.0.1:6379> ';

function setup(cols = 40, rows = 10) {
  const term = createTerminal(cols, rows);
  return { term, screen: new Screen(term) };
}

describe('drawing the input line', () => {
  it('draws prompt, text and a grey hint, with the cursor after the text', async () => {
    const { term, screen } = setup(60);
    screen.drawInput({ prompt: P, text: 'SET k v ', cursor: 8, hint: '[NX|XX]' });
    await flush(term);
    expect(screenLines(term)).toEqual([`${P}SET k v [NX|XX]`]);
    expect(cursor(term)).toEqual([0, P.length + 8]);
    const cell = term.buffer.active.getLine(0)?.getCell(P.length + 8);
    expect(cell?.getFgColor()).toBe(8); // ANSI 90: bright black
  });

  it('cuts the hint at the right edge and hides it once the line reaches the edge', async () => {
    const { term, screen } = setup(30);
    screen.drawInput({ prompt: P, text: 'SET', cursor: 3, hint: ' key value [NX|XX]' });
    await flush(term);
    expect(screenLines(term)).toEqual([`${P}SET key value `]);
    screen.drawInput({ prompt: P, text: 'SET aaaaaaaaaaaaaaaaa', cursor: 21, hint: ' value' });
    await flush(term);
    expect(screenLines(term)).toEqual([`${P}SET aaaaaaaaaa`, 'aaaaaaa']);
  });

  it('wraps a long line over rows and puts the cursor in the middle of it', async () => {
    const { term, screen } = setup(20);
    const text = 'SET key 0123456789abcdefghij';
    screen.drawInput({ prompt: P, text, cursor: 10, hint: null });
    await flush(term);
    expect(screenLines(term)).toEqual([`${P}SET `, 'key 0123456789abcdef', 'ghij']);
    // Offset 16 + 10 = 26 → row 1, column 6.
    expect(cursor(term)).toEqual([1, 6]);
  });

  it('redraws shorter without leaving old rows behind', async () => {
    const { term, screen } = setup(20);
    screen.drawInput({ prompt: P, text: 'x'.repeat(30), cursor: 30, hint: null });
    screen.drawInput({ prompt: P, text: 'xy', cursor: 1, hint: null });
    await flush(term);
    expect(screenLines(term)).toEqual([`${P}xy`]);
    expect(cursor(term)).toEqual([0, P.length + 1]);
  });

  it('moves to a fresh row when the text ends exactly at the right edge', async () => {
    const { term, screen } = setup(20);
    screen.drawInput({ prompt: P, text: 'abcd', cursor: 4, hint: null });
    await flush(term);
    expect(cursor(term)).toEqual([1, 0]);
    screen.drawInput({ prompt: P, text: 'abc', cursor: 3, hint: null });
    await flush(term);
    expect(screenLines(term)).toEqual([`${P}abc`]);
  });

  it('counts wide characters as two columns', async () => {
    const { term, screen } = setup(40);
    screen.drawInput({ prompt: P, text: '世界x', cursor: 2, hint: null });
    await flush(term);
    expect(cursor(term)).toEqual([0, P.length + 4]);
    expect(displayWidth('世界x')).toBe(5);
    expect(charWidth(0x301)).toBe(0);
  });

  it('commits the line without its hint and moves below it', async () => {
    const { term, screen } = setup(60);
    screen.drawInput({ prompt: P, text: 'GET k', cursor: 1, hint: ' key' });
    screen.commitInput({ prompt: P, text: 'GET k', cursor: 1, hint: null });
    await flush(term);
    expect(screenLines(term)).toEqual([`${P}GET k`]);
    expect(cursor(term)).toEqual([1, 0]);
    expect(screen.inputShown).toBe(false);
  });
});

describe('output while a line is being typed', () => {
  it('prints above the input and redraws the input below, unchanged', async () => {
    const { term, screen } = setup(30);
    screen.drawInput({ prompt: P, text: 'PUBLISH ch hello', cursor: 3, hint: null });
    screen.print('1) "message"\n2) "ch"\n3) "hi"\n');
    await flush(term);
    expect(screenLines(term)).toEqual(['1) "message"', '2) "ch"', '3) "hi"', `${P}PUBLISH ch hel`, 'lo']);
    expect(cursor(term)).toEqual([3, P.length + 3]);
  });

  it('prints straight away when no input is shown, ending on a fresh line', async () => {
    const { term, screen } = setup(30);
    screen.print('OK');
    screen.print('# Server\r\nredis_version:7.0.15\r\n');
    await flush(term);
    expect(screenLines(term)).toEqual(['OK', '# Server', 'redis_version:7.0.15']);
    expect(cursor(term)).toEqual([3, 0]);
  });

  it('writes a huge output in slices cut at line ends, all of it in order', async () => {
    const term = createTerminal(30, 10);
    const writes: string[] = [];
    const write = term.write.bind(term);
    term.write = ((data: string, cb?: () => void) => {
      writes.push(data);
      write(data, cb);
    }) as typeof term.write;
    const screen = new Screen(term);
    const out = Array.from({ length: 5000 }, (_, i) => `${i + 1}) "key:${i}"`).join('\n');
    screen.print(`${out}\n`);
    await flush(term);
    expect(writes.length).toBeGreaterThan(3);
    expect(writes.slice(0, -1).every((w) => w.endsWith('\n'))).toBe(true);
    expect(writes.join('')).toBe(`${out.replace(/\n/g, '\r\n')}\r\n`);
    expect(screenLines(term).slice(-1)).toEqual(['5000) "key:4999"']);
  });

  it('writes only the tail of an output longer than the terminal can keep: the screen ends the same', async () => {
    const out = `${Array.from({ length: 3000 }, (_, i) => `${i + 1}) "key:${i}"`).join('\r\n')}\r\n`;
    const full = createTerminal(30, 10);
    new Screen(full).printLines(out);
    const kept = createTerminal(30, 10);
    const writes: string[] = [];
    const write = kept.write.bind(kept);
    kept.write = ((data: string, cb?: () => void) => {
      writes.push(data);
      write(data, cb);
    }) as typeof kept.write;
    new Screen(kept, 1000 + 10).printLines(out);
    await flush(full);
    await flush(kept);
    expect(writes.join('').split('\r\n').length - 1).toBe(1010);
    expect(screenLines(kept)).toEqual(screenLines(full));
    expect(lastLines('a\r\nb\r\nc\r\n', 2)).toBe('b\r\nc\r\n');
    expect(lastLines('a\r\n', 5)).toBe('a\r\n');
  });

  it('clears the screen and redraws the input at the top', async () => {
    const { term, screen } = setup(30, 6);
    screen.print('a\nb\nc\n');
    screen.drawInput({ prompt: P, text: 'PING', cursor: 4, hint: null });
    screen.clearScreen();
    await flush(term);
    const visible = screenLines(term).slice(term.buffer.active.baseY);
    expect(visible[0]).toBe(`${P}PING`);
    expect(term.buffer.active.cursorY).toBe(0);
  });
});

describe('resize', () => {
  it('finds the wrapped input again after the terminal narrows or widens', async () => {
    const { term, screen } = setup(40);
    screen.print('OK\n');
    screen.drawInput({ prompt: P, text: 'SET a-long-key some-value', cursor: 25, hint: null });
    await flush(term);
    term.resize(20, 10);
    screen.resized();
    await flush(term);
    await flush(term);
    expect(screenLines(term)).toEqual(['OK', `${P}SET `, 'a-long-key some-valu', 'e']);
    term.resize(60, 10);
    screen.resized();
    await flush(term);
    await flush(term);
    expect(screenLines(term)).toEqual(['OK', `${P}SET a-long-key some-value`]);
  });
});
