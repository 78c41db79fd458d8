/** Go's fmt output for floats, so messages read exactly like Istio's. */

/** Go's %f: six decimals. */
export function goFixed(value: number): string {
  return value.toFixed(6);
}

/** Go's %v for a float64: shortest digits, exponent form when exp < -4 or exp >= max(6, digits). */
export function goShortest(value: number): string {
  if (value === 0 || !Number.isFinite(value)) return String(value);
  const [mantissa, exponentText] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  const digitCount = mantissa.replace(/^-/, '').replace('.', '').length;
  const decimalPoint = exponent + 1;
  const precision = 6 > digitCount && digitCount >= decimalPoint ? digitCount : 6;
  if (exponent < -4 || exponent >= precision) {
    const sign = exponent < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  return String(value);
}
