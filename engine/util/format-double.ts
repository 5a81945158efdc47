// C's printf "%.<p>g" for doubles, as Redis 7.0 prints scores and double replies ("%.17g"):
// 17 significant digits, trailing zeros stripped, exponent form when exp < -4 or exp >= precision.

export function formatG(d: number, precision = 17): string {
  if (Number.isNaN(d)) return 'nan';
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  if (d === 0) return Object.is(d, -0) ? '-0' : '0';
  const exp = d.toExponential(precision - 1); // "d.ddddde+X"
  const eIdx = exp.indexOf('e');
  const e = Number(exp.slice(eIdx + 1));
  if (e < -4 || e >= precision) {
    let mant = exp.slice(0, eIdx);
    if (mant.includes('.')) mant = mant.replace(/0+$/, '').replace(/\.$/, '');
    const sign = e < 0 ? '-' : '+';
    const abs = Math.abs(e);
    return `${mant}e${sign}${abs < 10 ? `0${abs}` : abs}`;
  }
  let fixed = d.toFixed(Math.max(0, precision - 1 - e));
  if (fixed.includes('.')) fixed = fixed.replace(/0+$/, '').replace(/\.$/, '');
  return fixed;
}

/** Redis's %.17g double reply text. */
export const formatDouble = (d: number): string => formatG(d, 17);
