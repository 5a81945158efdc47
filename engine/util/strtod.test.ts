import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDoubleStrtod, parseLexRange, parseScoreRange, parseDouble } from '../commands/args';
import { LEX_MAX, LEX_MIN } from '../types/skiplist';
import { plainDecimal, strtod } from './strtod';

describe('strtod', () => {
  it('parses decimal numbers and stops at the first unparsed byte', () => {
    expect(strtod('1.5')).toEqual({ value: 1.5, end: 3, erange: false });
    expect(strtod('  -2e3x')).toEqual({ value: -2000, end: 6, erange: false });
    expect(strtod('.5')).toEqual({ value: 0.5, end: 2, erange: false });
    expect(strtod('5.')).toEqual({ value: 5, end: 2, erange: false });
    expect(strtod('1e')).toEqual({ value: 1, end: 1, erange: false });
    expect(strtod('1e+')).toEqual({ value: 1, end: 1, erange: false });
    expect(strtod('1\x002')).toEqual({ value: 1, end: 1, erange: false });
  });

  it('converts nothing from non-numbers (end stays at the start)', () => {
    expect(strtod('')).toEqual({ value: 0, end: 0, erange: false });
    expect(strtod('abc').end).toBe(0);
    expect(strtod(' -').end).toBe(0);
    expect(strtod('(', 1)).toEqual({ value: 0, end: 1, erange: false });
  });

  it('knows inf, infinity and nan in any case', () => {
    expect(strtod('inf')).toEqual({ value: Infinity, end: 3, erange: false });
    expect(strtod('-Infinity')).toEqual({ value: -Infinity, end: 9, erange: false });
    expect(strtod('+INFINITE').end).toBe(4);
    expect(Number.isNaN(strtod('nan').value)).toBe(true);
    expect(strtod('nan(123)').end).toBe(8);
  });

  it('parses hexadecimal floats with binary exponents', () => {
    expect(strtod('0x10').value).toBe(16);
    expect(strtod('0x1p3').value).toBe(8);
    expect(strtod('-0x1.8p1').value).toBe(-3);
    expect(strtod('0x.8').value).toBe(0.5);
    expect(strtod('0x')).toEqual({ value: 0, end: 1, erange: false });
    expect(strtod('0x1p-1074').value).toBe(5e-324);
    expect(strtod('0x1p-1076')).toEqual({ value: 0, end: 9, erange: true });
    expect(strtod('0x1p1024')).toEqual({ value: Infinity, end: 8, erange: true });
    expect(strtod('0x1fffffffffffffff').value).toBe(2 ** 61);
  });

  it('flags overflow and underflow with ERANGE', () => {
    expect(strtod('1e400')).toEqual({ value: Infinity, end: 5, erange: true });
    expect(strtod('-1e400').value).toBe(-Infinity);
    expect(strtod('1e-400')).toEqual({ value: 0, end: 6, erange: true });
    expect(strtod('0e-400').erange).toBe(false);
  });
});

describe('score and range arguments', () => {
  it('accepts scores exactly as getDoubleFromObject does', () => {
    expect(parseDouble('1e-310')).toBe(1e-310);
    expect(parseDouble('0x1p3')).toBe(8);
    expect(parseDouble('-inf')).toBe(-Infinity);
    for (const bad of ['', ' 1', '1 ', 'nan', '1e400', '1e-400', 'abc', '1\x00']) {
      expect(parseDouble(bad)).toBeNull();
    }
  });

  it('takes plain decimals of up to 15 significant digits by the fast path, to the same double as strtod', () => {
    for (const [s, v] of [
      ['12.5', 12.5],
      ['-3', -3],
      ['.5', 0.5],
      ['5.', 5],
      ['-.25', -0.25],
      ['0.1', 0.1],
      ['999999999999999', 999999999999999],
      ['0.000000000000001', 1e-15],
      ['123456.7890', 123456.789],
      ['0.0000000000000000000001', 1e-22],
      ['000000000000000000012.5', 12.5],
    ] as const) {
      expect(plainDecimal(s)).toBe(v);
    }
    expect(Object.is(plainDecimal('-0'), -0)).toBe(true);
    expect(Object.is(plainDecimal('-0.000'), -0)).toBe(true);
  });

  it('leaves everything else to strtod (the fast path answers NaN)', () => {
    for (const s of [
      '',
      '.',
      '-',
      '-.',
      '+5',
      ' 5',
      '5 ',
      '1e5',
      '1E5',
      '0x10',
      'inf',
      '-inf',
      'nan',
      'Infinity',
      '1.2.3',
      '1-2',
      '5\x00',
      '1234567890123456', // 16 significant digits
      '0.1234567890123456',
      '0.00000000000000000000001', // 23 after the point
      '12345678901234567890123',
      '1_000',
    ]) {
      expect(plainDecimal(s)).toBeNaN();
    }
  });

  it('parseDouble with its fast path gives what strtod gives, for random decimal-like strings', () => {
    const digits = (max: number) =>
      fc.array(fc.constantFrom(...'0123456789'), { maxLength: max }).map((a) => a.join(''));
    const decimalish = fc
      .tuple(
        fc.constantFrom('', '', '', '-', '+', ' ', '\t'),
        digits(20),
        fc.constantFrom('', '', '.', '..'),
        digits(20),
        fc.constantFrom('', '', '', 'e5', 'E-3', 'e+400', 'e-400', 'x', ' '),
      )
      .map((parts) => parts.join(''));
    const special = fc.constantFrom('inf', '-Infinity', 'nan', '0x1p3', '0x', '-0', '1e-310', '4.9e-324');
    fc.assert(
      fc.property(fc.oneof(decimalish, decimalish, special), (s) => {
        const slow = parseDoubleStrtod(s);
        expect(Object.is(parseDouble(s), slow)).toBe(true);
        const fast = plainDecimal(s);
        if (!Number.isNaN(fast)) expect(Object.is(fast, slow)).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });

  it('fast path: every plain decimal of up to 15 significant digits is exactly the strtod double', () => {
    const plain = fc
      .tuple(
        fc.boolean(),
        fc.bigInt({ min: 0n, max: 999_999_999_999_999n }),
        fc.integer({ min: 0, max: 22 }),
        fc.integer({ min: 0, max: 3 }),
      )
      .map(([neg, m, f, zeros]) => {
        const d = '0'.repeat(zeros) + m.toString().padStart(f + 1, '0');
        const s = f === 0 ? d : `${d.slice(0, d.length - f)}.${d.slice(d.length - f)}`;
        return (neg ? '-' : '') + s;
      })
      .filter((s) => s.length <= 24);
    fc.assert(
      fc.property(plain, (s) => {
        const fast = plainDecimal(s);
        expect(Number.isNaN(fast)).toBe(false);
        expect(Object.is(fast, parseDoubleStrtod(s))).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });

  it('parses score ranges leniently, as zslParseRange does', () => {
    expect(parseScoreRange('(1', '+inf')).toEqual({ min: 1, minex: true, max: Infinity, maxex: false });
    expect(parseScoreRange('', '(')).toEqual({ min: 0, minex: false, max: 0, maxex: true });
    expect(parseScoreRange(' 2', '1e400')).toEqual({ min: 2, minex: false, max: Infinity, maxex: false });
    expect(parseScoreRange('1\x00junk', '2')).toEqual({ min: 1, minex: false, max: 2, maxex: false });
    for (const [a, b] of [
      ['nan', '1'],
      ['1', '(nan'],
      ['((1', '2'],
      ['1 ', '2'],
      ['[1', '2'],
    ]) {
      expect(() => parseScoreRange(a, b)).toThrow('ERR min or max is not a float');
    }
  });

  it('parses lex ranges', () => {
    expect(parseLexRange('-', '+')).toEqual({ min: LEX_MIN, minex: true, max: LEX_MAX, maxex: true });
    expect(parseLexRange('[a', '(b')).toEqual({ min: 'a', minex: false, max: 'b', maxex: true });
    expect(parseLexRange('[', '(')).toEqual({ min: '', minex: false, max: '', maxex: true });
    expect(parseLexRange('+\x00x', '-')).toEqual({ min: LEX_MAX, minex: true, max: LEX_MIN, maxex: true });
    for (const [a, b] of [
      ['a', '+'],
      ['-', '++'],
      ['', '+'],
      ['-a', '+'],
    ]) {
      expect(() => parseLexRange(a, b)).toThrow('ERR min or max not valid string range item');
    }
  });
});
