// Route timeouts and retries: Envoy's (seconds, as the simulate harness reads the route)
// against explain's (durations as declared, Istio's default retry policy when none).
import { comparePolicies, seconds } from './policy-compare.mjs';

const DEFAULT_RETRIES = { attempts: 2, retryOn: 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes' };
const envoyDefault = { attempts: 2, retryOn: ['connect-failure', 'refused-stream', 'unavailable', 'cancelled', 'retriable-status-codes'] };

describe('seconds', () => {
  test('Gateway API and Istio durations', () => {
    expect([seconds('10s'), seconds('250ms'), seconds('1m30s'), seconds('1h'), seconds('0s'), seconds(null)]).toEqual([10, 0.25, 90, 3600, null, null]);
  });
});

describe('comparePolicies', () => {
  test('no timeout (Envoy: none written, explain: null) and the default retry policy agree', () => {
    expect(comparePolicies({ status: 200, timeout: null, retries: envoyDefault }, { status: 200, timeout: null, retries: DEFAULT_RETRIES })).toEqual([]);
  });

  test('a timeout Envoy has and explain does not is a difference, in seconds', () => {
    expect(comparePolicies({ status: 200, timeout: 10, retries: envoyDefault }, { status: 200, timeout: '30s', retries: DEFAULT_RETRIES })).toEqual([
      { field: 'timeout', envoy: 10, ours: 30 },
    ]);
  });

  test('retry status codes: Envoy keeps them apart, explain inside retryOn; both say the same', () => {
    const envoy = { status: 200, timeout: 20, retries: { attempts: 3, perTryTimeout: 5, retryOn: ['connect-failure', 'refused-stream', 'unavailable', 'cancelled', 'retriable-status-codes'], statusCodes: [503, 504] } };
    const ours = { status: 200, timeout: '20s', retries: { attempts: 3, perTryTimeout: '5s', retryOn: 'connect-failure,refused-stream,unavailable,cancelled,503,504' } };
    expect(comparePolicies(envoy, ours)).toEqual([]);
    expect(comparePolicies(envoy, { ...ours, retries: { ...ours.retries, perTryTimeout: undefined } })).toEqual([
      {
        field: 'retries',
        envoy: { attempts: 3, perTryTimeout: 5, on: ['cancelled', 'connect-failure', 'refused-stream', 'unavailable'], codes: [503, 504] },
        ours: { attempts: 3, perTryTimeout: null, on: ['cancelled', 'connect-failure', 'refused-stream', 'unavailable'], codes: [503, 504] },
      },
    ]);
  });

  test('retries off: Envoy has no policy, explain says 0 attempts', () => {
    expect(comparePolicies({ status: 200, timeout: null, retries: null }, { status: 200, timeout: null, retries: { attempts: 0 } })).toEqual([]);
  });

  test('only routed requests are compared', () => {
    expect(comparePolicies({ status: 404, timeout: null, retries: null }, { status: 200, timeout: '1s', retries: DEFAULT_RETRIES })).toEqual([]);
  });
});
