import { describe, expect, it } from 'vitest';
import { formatG } from './format-double';

describe('formatG (printf %.17g)', () => {
  it.each([
    [0.1, '0.10000000000000001'],
    [1, '1'],
    [-2.5, '-2.5'],
    [1e17, '1e+17'],
    [12345678901234568, '12345678901234568'],
    [1e-5, '1.0000000000000001e-05'],
    [0.0001, '0.0001'],
    [Infinity, 'inf'],
    [-Infinity, '-inf'],
    [0, '0'],
    [0.3, '0.29999999999999999'],
  ])('%d → %s', (d, s) => {
    expect(formatG(d)).toBe(s);
  });
});
