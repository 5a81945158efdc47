import { describe, expect, it } from 'vitest';
import { formatFloat } from './lua-format-float';

/** Parse "%<flags><width>.<prec><conv>" and format x. */
function fmt(spec: string, x: number): string {
  const m = /^%([-+ #0]*)(\d*)(?:\.(\d*))?([eEfgG])$/.exec(spec);
  if (m === null) throw new Error(spec);
  return formatFloat(m[1], Number(m[2] || '0'), m[3] === undefined ? null : Number(m[3] || '0'), m[4], x);
}

describe('string.format float conversions (glibc printf, as real Redis 7.0.15 printed them)', () => {
  const cases: [string, number, string][] = [
    ['%.0f', 0.5, '0'],
    ['%.0f', 1.5, '2'],
    ['%.0f', 2.5, '2'],
    ['%.1f', 0.25, '0.2'],
    ['%.2e', 12345.678, '1.23e+04'],
    ['%g', 1e20, '1e+20'],
    ['%g', 123456, '123456'],
    ['%G', 1e-10, '1E-10'],
    ['%#.3g', 1, '1.00'],
    ['%-10.4g', 3.14158, '3.142     '],
    ['%+.3e', -0.000123, '-1.230e-04'],
    ['%08.2f', -1.5, '-0001.50'],
    ['%.15g', 0.1, '0.1'],
    ['%g', 100000, '100000'],
    ['%g', 1000000, '1e+06'],
    ['%e', 5e-324, '4.940656e-324'],
    ['%5.2f', Number.NaN, ' -nan'],
    ['%g', Number.POSITIVE_INFINITY, 'inf'],
    ['%g', Number.NEGATIVE_INFINITY, '-inf'],
    ['%e', 0, '0.000000e+00'],
    ['%.20f', 0.1, '0.10000000000000000555'],
    ['%g', 2251799813685248, '2.2518e+15'],
    ['%#.0e', 3, '3.e+00'],
  ];
  for (const [spec, x, want] of cases) {
    it(`${spec} of ${x} is "${want}"`, () => expect(fmt(spec, x)).toBe(want));
  }

  it('prints the exact decimal expansion of large values', () => {
    expect(fmt('%.3f', 1e300)).toBe(
      '1000000000000000052504760255204420248704468581108159154915854115511802457988908195786371375080447864043704443832883878176942523235360430575644792184786706982848387200926575803737830233794788090059368953234970799945081119038967640880074652742780142494579258788820056842838115669472196386865459400540160.000',
    );
  });
});
