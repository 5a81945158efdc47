// toDisplay: binary strings shown as text — UTF-8 where it decodes, \xNN for bytes that don't and
// for control bytes.

import { describe, expect, it } from 'vitest';
import { toDisplay } from './display';

describe('toDisplay', () => {
  it('keeps printable ASCII and decodes UTF-8', () => {
    expect(toDisplay('user:1')).toBe('user:1');
    expect(toDisplay('caf\xc3\xa9')).toBe('café');
  });

  it('shows control bytes as \\xNN, inside valid UTF-8 too', () => {
    expect(toDisplay('hello\x00world')).toBe('hello\\x00world');
    expect(toDisplay('a\nb\x7f')).toBe('a\\x0ab\\x7f');
    expect(toDisplay('caf\xc3\xa9\t')).toBe('café\\x09');
  });

  it('shows every non-printable byte as \\xNN when the string is not UTF-8', () => {
    expect(toDisplay('ok\xff\x01')).toBe('ok\\xff\\x01');
  });
});
