import { Duration } from 'cdk8s';
import { UserError } from '../errors';

/**
 * Renders a cdk8s Duration as a Gateway API Duration (GEP-2257): whole
 * hours, minutes, seconds and milliseconds, largest first, each at most 5
 * digits (`1m30s`, `500ms`). Istio reads it back to the same time.
 */
export function gatewayDuration(duration: Duration, field: string): string {
  const millis = duration.toMilliseconds({ integral: false });
  if (!Number.isInteger(millis) || millis < 1) {
    throw new UserError(`${field} must be a whole number of milliseconds of at least 1ms, received ${millis}ms`);
  }
  const units: Array<[string, number]> = [['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1]];
  let rest = millis;
  let text = '';
  for (const [unit, size] of units) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    // Hours take whatever is left: up to 99999h, far beyond any timeout.
    if (count > 0) text += `${count}${unit}`;
  }
  if (!/^([0-9]{1,5}(h|m|s|ms)){1,4}$/.test(text)) throw new UserError(`${field} must be less than 100000 hours, received ${millis}ms`);
  return text;
}
