import { describe, expect, it } from 'vitest';
import { fixedPoint, formatFixed, formatHumanLongDouble, rint } from './format-fixed';

describe('formatFixed ("%.<n>f")', () => {
  it('prints the exact binary value rounded half to even', () => {
    expect(formatFixed(200, 6)).toBe('200.000000');
    expect(formatFixed(0.1, 20)).toBe('0.10000000000000000555');
    expect(formatFixed(2.5, 0)).toBe('2');
    expect(formatFixed(3.5, 0)).toBe('4');
    expect(formatFixed(0.125, 2)).toBe('0.12');
    expect(formatFixed(-0.0000001, 6)).toBe('-0.000000');
    expect(formatFixed(1e22, 1)).toBe('10000000000000000000000.0');
    expect(formatFixed(Infinity, 6)).toBe('inf');
    expect(formatFixed(-Infinity, 6)).toBe('-inf');
  });
});

describe('formatHumanLongDouble (LD_STR_HUMAN)', () => {
  it('prints 17 decimals without trailing zeros, as GEOPOS does', () => {
    expect(formatHumanLongDouble(13.361389338970184)).toBe('13.36138933897018433');
    expect(formatHumanLongDouble(38.1155563954963)).toBe('38.11555639549629859');
    expect(formatHumanLongDouble(180)).toBe('180');
    expect(formatHumanLongDouble(85.05112878)).toBe('85.0511287799999991');
    expect(formatHumanLongDouble(-0.0)).toBe('0');
    expect(formatHumanLongDouble(-1e-18)).toBe('0');
  });
});

describe('fixedPoint (fixedpoint_d2string)', () => {
  it('rounds value * 10^4 with llrint and pads the fraction', () => {
    expect(fixedPoint(166274.15156960033, 4)).toBe('166274.1516');
    expect(fixedPoint(0, 4)).toBe('0.0000');
    expect(fixedPoint(0.00005, 4)).toBe('0.0000');
    // 0.00015 * 10000 is 1.4999999999999998 in doubles (llrint gives 1, as in C); 2.00005 gives 20000.5 → 20000.
    expect(fixedPoint(0.00015, 4)).toBe('0.0001');
    expect(fixedPoint(0.00025, 4)).toBe('0.0002');
    expect(fixedPoint(1.00005, 4)).toBe('1.0001');
    expect(fixedPoint(2.00005, 4)).toBe('2.0000');
    expect(fixedPoint(0.5, 4)).toBe('0.5000');
    expect(fixedPoint(-12.34567, 4)).toBe('-12.3457');
  });

  it('rint rounds ties to even', () => {
    expect([rint(0.5), rint(1.5), rint(2.5), rint(-0.5), rint(-1.5), rint(2.4)]).toEqual([0, 2, 2, -0, -2, 2]);
  });
});
