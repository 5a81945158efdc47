import { describe, expect, it } from 'vitest';
import { atoi, GETKEYS_PROCS } from './getkeys-procs';

const keysOf = (argv: string[]) => {
  const proc = GETKEYS_PROCS.get(argv[0].toLowerCase());
  if (proc === undefined) throw new Error(`no getkeys proc for ${argv[0]}`);
  return proc(argv).map((k) => [argv[k.pos], k.flags.join(' ')]);
};

describe('atoi (numkeys of the getkeys procs)', () => {
  it('reads leading spaces, a sign and digits, ignoring what follows', () => {
    expect(atoi('2x')).toBe(2);
    expect(atoi(' +3')).toBe(3);
    expect(atoi('\t-4')).toBe(-4);
    expect(atoi('02')).toBe(2);
    expect(atoi('x2')).toBe(0);
    expect(atoi('')).toBe(0);
  });

  it('clamps to a C long, then keeps the low 32 bits as an int', () => {
    expect(atoi('4294967297')).toBe(1);
    expect(atoi('2147483648')).toBe(-2147483648);
    expect(atoi('99999999999999999999')).toBe(-1);
    expect(atoi('-99999999999999999999')).toBe(0);
  });
});

// MIGRATE is not a lab command (no second server to move keys to); its proc is checked against
// the replies redis-server 7.0.15 gives to COMMAND GETKEYSANDFLAGS MIGRATE ...
describe('migrateGetKeys', () => {
  const RW = 'RW ACCESS DELETE';
  it('takes the key argument, or the keys after KEYS when that argument is empty', () => {
    expect(keysOf(['MIGRATE', 'h', '1', 'k', '0', '10'])).toEqual([['k', RW]]);
    expect(keysOf(['MIGRATE', 'h', '1', '', '0', '10'])).toEqual([['', RW]]);
    expect(keysOf(['MIGRATE', 'h', '1', '', '0', '10', 'KEYS', 'a', 'b'])).toEqual([
      ['a', RW],
      ['b', RW],
    ]);
    expect(keysOf(['MIGRATE', 'h', '1', '', '0', '10', 'COPY', 'REPLACE', 'keys', 'a'])).toEqual([['a', RW]]);
  });

  it('skips AUTH and AUTH2 arguments, and finds no key when both forms are given', () => {
    expect(keysOf(['MIGRATE', 'h', '1', '', '0', '10', 'AUTH', 'p', 'KEYS', 'a'])).toEqual([['a', RW]]);
    expect(keysOf(['MIGRATE', 'h', '1', '', '0', '10', 'AUTH2', 'u', 'p', 'KEYS', 'a'])).toEqual([['a', RW]]);
    expect(keysOf(['MIGRATE', 'h', '1', 'k', '0', '10', 'KEYS', 'a', 'b'])).toEqual([]);
  });
});
