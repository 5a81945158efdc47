import { describe, expect, it } from 'vitest';
import { globMatch } from './glob';

describe('globMatch (stringmatchlen)', () => {
  it.each([
    ['*', 'anything', true],
    ['h?llo', 'hello', true],
    ['h?llo', 'hllo', false],
    ['h*llo', 'heeeello', true],
    ['h[ae]llo', 'hallo', true],
    ['h[ae]llo', 'hillo', false],
    ['h[^e]llo', 'hallo', true],
    ['h[^e]llo', 'hello', false],
    ['h[a-b]llo', 'hbllo', true],
    ['h[b-a]llo', 'hbllo', true],
    ['h\\*llo', 'h*llo', true],
    ['h\\*llo', 'hello', false],
    ['key:*:name', 'key:42:name', true],
    ['*a', 'aaaab', false],
    ['', '', true],
    ['a*', '', false],
  ])('%s vs %s', (p, s, expected) => {
    expect(globMatch(p, s)).toBe(expected);
  });

  it('folds case when asked (CONFIG GET)', () => {
    expect(globMatch('MAXMEM*', 'maxmemory', true)).toBe(true);
    expect(globMatch('MAXMEM*', 'maxmemory', false)).toBe(false);
  });
});
