import { buildApp } from '../main';
import { ReleasePosition, ReleasePositions } from '../lib';
import { send, shares, trafficOf } from './traffic';

/** What a request to demand-forecast does when releases.yaml records `position`. */
function forecastAt(position: Omit<ReleasePosition, 'from' | 'to'> | undefined) {
  const releases: ReleasePositions = position ? { 'ml/demand-forecast': { from: 'v1', to: 'v2', ...position } } : {};
  return send(trafficOf(buildApp({ releases })), { host: 'demand-forecast', path: '/forecast?sku=42' });
}

describe('demand-forecast: the example progressive release, step by step', () => {
  test('before the first step every request is served by v1', () => {
    const explanation = forecastAt(undefined);
    expect([explanation.status, explanation.rule, shares(explanation)]).toEqual([200, 'default', { v1: 100 }]);
    expect(shares(forecastAt({ state: 'progressing', step: 0 }))).toEqual({ v1: 100 });
  });

  test.each([
    [1, { v1: 90, v2: 10 }],
    [2, { v1: 75, v2: 25 }],
    [3, { v1: 50, v2: 50 }],
  ])('at step %i the candidate takes its share of every request', (step, expected) => {
    expect(shares(forecastAt({ state: 'progressing', step }))).toEqual(expected);
  });

  test('at the last step, and once completed, v2 serves everything', () => {
    expect(shares(forecastAt({ state: 'progressing', step: 4 }))).toEqual({ v2: 100 });
    expect(shares(forecastAt({ state: 'completed', step: 4 }))).toEqual({ v2: 100 });
  });

  test('after a rollback v1 serves everything again, whatever step was reached', () => {
    expect(shares(forecastAt({ state: 'rolled-back', step: 3 }))).toEqual({ v1: 100 });
  });

  test('the committed releases.yaml holds the example at step 1', () => {
    const explanation = send(trafficOf(buildApp()), { host: 'demand-forecast', path: '/forecast' });
    expect([explanation.rule, shares(explanation)]).toEqual(['default', { v1: 90, v2: 10 }]);
    // The service declares no resilience: the safe default retries, and no timeout.
    expect([explanation.retries, explanation.timeout]).toEqual([{ attempts: 2, retryOn: 'connect-failure,refused-stream' }, null]);
  });
});
