import { describe, expect, it } from 'vitest';
import { splitArgs } from './split-args';

describe('splitArgs (redis-cli / inline quoting rules)', () => {
  it.each([
    ['SET k v', ['SET', 'k', 'v']],
    ['  SET   k   v  ', ['SET', 'k', 'v']],
    ['SET k "hello world"', ['SET', 'k', 'hello world']],
    ["SET k 'it''s'", null],
    ["SET k 'it\\'s'", ['SET', 'k', "it's"]],
    ['SET k "a\\nb\\tc\\\\"', ['SET', 'k', 'a\nb\tc\\']],
    ['SET k "\\x00\\xff\\x4A"', ['SET', 'k', '\x00\xffJ']],
    ['SET k "\\xZZ"', ['SET', 'k', 'xZZ']],
    ['SET k "unterminated', null],
    ['SET k "closed"x', null],
    ['a"b c"d', null],
    ['a"b c" d', ['ab c', 'd']],
    ['""', ['']],
    ['', []],
  ])('%j', (line, expected) => {
    expect(splitArgs(line)).toEqual(expected);
  });
});
