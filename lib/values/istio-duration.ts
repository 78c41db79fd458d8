import { Duration } from 'cdk8s';
import { UserError } from '../errors';

/**
 * Renders a cdk8s Duration the way Istio wants it: whole milliseconds of at
 * least 1 ms (Istio rejects `0s` and sub-millisecond precision).
 */
export function istioDuration(duration: Duration, field: string): string {
  const millis = duration.toMilliseconds({ integral: false });
  if (!Number.isInteger(millis) || millis < 1) {
    throw new UserError(`${field} must be a whole number of milliseconds of at least 1ms, received ${millis}ms`);
  }
  return millis % 1000 === 0 ? `${millis / 1000}s` : `${millis}ms`;
}
