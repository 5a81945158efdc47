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

// Edge cases checked against KEYS on redis-server 7.0.15.
describe('globMatch edge cases (as real KEYS answers)', () => {
  it.each([
    // Escapes, inside and outside classes.
    ['h\\?llo', 'h?llo', true],
    ['h\\?llo', 'hello', false],
    ['h[\\]]llo', 'h]llo', true],
    ['[\\\\]', '\\', true],
    ['\\', '\\', true],
    ['h\\', 'h\\', true],
    // Classes: a leading ']' closes an empty class, '[' is literal inside one, '-' alone is literal.
    ['h[]llo', 'h]llo', false],
    ['h[[]llo', 'h[llo', true],
    ['h[-]llo', 'h-llo', true],
    ['[a^]^b', 'a^b', true],
    // An empty negated class matches any one character.
    ['h[^]llo', 'hello', true],
    ['h[^]llo', 'hllo', false],
    // An unterminated class ends with the pattern.
    ['h[', 'h[', false],
    ['h[ab', 'ha', true],
    ['h[ab', 'hab', false],
    // "a-]" is the range ']'..'a', and eats the closing bracket.
    ['h[a-]llo', 'h_', true],
    ['h[a-]llo', 'h]llo', false],
    // Ranges compare signed chars: [a-\xff] is -1..97 after the swap.
    ['caf[a-\xff]', 'cafa', true],
    ['caf[a-\xff]', 'caf\xff', true],
    ['caf[a-\xff]', 'cafe', false],
    ['caf[a-\xff]', 'caf\xe9', false],
    ['caf[\x80-\xff]', 'caf\xe9', true],
    ['[Z-a]', '_', true],
    ['[Z-a]', '\\', true],
    ['[Z-a]', 'b', false],
    // Stars: a pattern never matches the empty string unless it is empty (KEYS * special-cases "*").
    ['*', '', false],
    ['**', '', false],
    ['?*', 'b', true],
    ['*o', 'Hello', true],
    ['h*l*o', 'h*llo', true],
  ])('%j vs %j → %s', (p, s, expected) => {
    expect(globMatch(p, s)).toBe(expected);
  });

  it('folds case on the bounds after ordering them, as C does', () => {
    // Raw 'Z' (90) < 'a' (97), so no swap; lowered they become z..a, an empty range.
    expect(globMatch('[Z-a]', 'b', true)).toBe(false);
    expect(globMatch('[a-Z]', 'b', true)).toBe(false);
    expect(globMatch('[A-C]', 'b', true)).toBe(true);
    expect(globMatch('h[AE]llo', 'hello', true)).toBe(true);
    // Escaped class members compare exactly.
    expect(globMatch('[\\A]', 'a', true)).toBe(false);
  });

  it('stops longer star matches early (no exponential blow-up)', () => {
    const start = performance.now();
    expect(globMatch('*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b', 'a'.repeat(60))).toBe(false);
    expect(performance.now() - start).toBeLessThan(500);
    expect(globMatch('*a*a*a*b', `${'a'.repeat(10)}b`)).toBe(true);
  });
});
