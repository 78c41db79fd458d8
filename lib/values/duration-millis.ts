/** An Istio or Go duration as Envoy reads it (`1.5s`, `1s500ms`, `300ms`, `2m`, `1h`), in milliseconds: two spellings of one duration compare equal. */
export function millis(duration: string): number {
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, 'µs': 0.001, ns: 0.000001 };
  let total = 0;
  for (const [, value, unit] of duration.matchAll(/([0-9.]+)(h|ms|m|s|us|µs|ns)/g)) total += Number(value) * units[unit];
  return Math.round(total * 1000) / 1000;
}
