import { describe, expect, it } from 'vitest';
import { type Key, parseKeys } from './keys';

const k = (key: string): Key => ({ type: 'key', key }) as Key;

describe('terminal key parser', () => {
  const cases: [string, string, Key[]][] = [
    ['printable text comes as one key', 'SET k v', [{ type: 'text', text: 'SET k v' }]],
    ['unicode text', 'héllo 世界', [{ type: 'text', text: 'héllo 世界' }]],
    ['Enter (CR and LF)', '\r\n', [k('enter'), k('enter')]],
    ['Tab, Backspace (DEL and Ctrl-H)', '\t\x7f\x08', [k('tab'), k('backspace'), k('backspace')]],
    ['CSI arrows', '\x1b[A\x1b[B\x1b[C\x1b[D', [k('up'), k('down'), k('right'), k('left')]],
    ['SS3 arrows (application cursor mode)', '\x1bOA\x1bOD', [k('up'), k('left')]],
    [
      'Home and End in their spellings',
      '\x1b[H\x1bOF\x1b[1~\x1b[4~\x1b[7~\x1b[8~',
      [k('home'), k('end'), k('home'), k('end'), k('home'), k('end')],
    ],
    ['Delete', '\x1b[3~', [k('delete')]],
    [
      'Ctrl- and Alt-arrows jump words',
      '\x1b[1;5D\x1b[1;5C\x1b[1;3D',
      [k('word-left'), k('word-right'), k('word-left')],
    ],
    [
      'Alt-B / Alt-F / Alt-D / Alt-Backspace',
      '\x1bb\x1bf\x1bd\x1b\x7f',
      [k('word-left'), k('word-right'), k('delete-word-right'), k('delete-word-left')],
    ],
    [
      'control letters',
      '\x01\x05\x12\x03',
      [
        { type: 'ctrl', key: 'a' },
        { type: 'ctrl', key: 'e' },
        { type: 'ctrl', key: 'r' },
        { type: 'ctrl', key: 'c' },
      ],
    ],
    ['a lone Escape', '\x1b', [k('escape')]],
    [
      'bracketed paste keeps its line breaks',
      'a\x1b[200~x\ry\x1b[201~b',
      [
        { type: 'text', text: 'a' },
        { type: 'paste', text: 'x\ry' },
        { type: 'text', text: 'b' },
      ],
    ],
    [
      'unknown sequences are consumed whole',
      '\x1b[15~x',
      [
        { type: 'unknown', seq: '\x1b[15~' },
        { type: 'text', text: 'x' },
      ],
    ],
    [
      'text around keys is split at them',
      'ab\x1b[Dc\r',
      [{ type: 'text', text: 'ab' }, k('left'), { type: 'text', text: 'c' }, k('enter')],
    ],
  ];
  it.each(cases)('%s', (_name, data, expected) => {
    expect(parseKeys(data)).toEqual(expected);
  });
});
