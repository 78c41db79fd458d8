import { Duration } from 'cdk8s';
import { gateQueries, promDuration } from './promql';
import { resolveHost } from '../../traffic/hosts';

describe('the gate\'s queries', () => {
  test('use Istio\'s standard metrics for the candidate, as its destination sidecar reports them, over the plan\'s interval', () => {
    const selector = 'reporter="destination",destination_service="fraud-scorer.ml.svc.cluster.local",destination_version="v3"';
    expect(gateQueries({ fqdn: 'fraud-scorer.ml.svc.cluster.local', version: 'v3' }, Duration.minutes(5))).toEqual({
      requests: `sum(increase(istio_requests_total{${selector}}[300s]))`,
      successRate: `(sum(increase(istio_requests_total{${selector},response_code!~"5.."}[300s])) or vector(0)) / sum(increase(istio_requests_total{${selector}}[300s])) * 100`,
      p99Latency: `histogram_quantile(0.99, sum by (le) (rate(istio_request_duration_milliseconds_bucket{${selector}}[300s])))`,
    });
  });

  test('durations in whole seconds when they are, else milliseconds', () => {
    expect([promDuration(Duration.minutes(5)), promDuration(Duration.millis(1500))]).toEqual(['300s', '1500ms']);
  });

  test('a short host is completed in the service\'s namespace; a host with dots is taken as given', () => {
    expect([resolveHost('fraud-scorer', 'ml'), resolveHost('api.example.com', 'ml')]).toEqual(['fraud-scorer.ml.svc.cluster.local', 'api.example.com']);
  });
});
