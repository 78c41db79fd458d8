import { Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import {
  ConnectionPool, ModelService, OutlierDetection, Percent, RequestMatch, RetryOn, RetryPolicy, Strategy, StringMatch,
} from '../lib';

/** How many namespaces (one chart each) a fleet of services is spread over. */
export const NAMESPACES = 20;

const VERSIONS = { v1: {}, v2: {}, v3: {} };

/**
 * Declares service number `i` of a benchmark fleet: 3 versions each, and a
 * mix of canary with resilience, A/B test, shadow and sticky canary.
 */
export function declareService(scope: Construct, i: number): ModelService {
  const name = `model-${i}`;
  switch (i % 4) {
    case 0:
      return new ModelService(scope, name, {
        versions: VERSIONS,
        timeout: Duration.seconds(5),
        retries: RetryPolicy.of({ attempts: 2, perTryTimeout: Duration.seconds(1), on: [RetryOn.CONNECT_FAILURE, RetryOn.REFUSED_STREAM, RetryOn.GATEWAY_ERROR] }),
        outlierDetection: OutlierDetection.of(),
        connectionPool: ConnectionPool.of({ maxRequests: 100 }),
        routes: [{
          name: 'predict',
          match: RequestMatch.uriPrefix('/predict'),
          strategy: Strategy.canary({ v1: Percent.of(80), v2: Percent.of(15), v3: Percent.of(5) }),
        }],
      });
    case 1:
      return new ModelService(scope, name, {
        versions: VERSIONS,
        routes: [{
          name: 'predict',
          match: RequestMatch.uriPrefix('/predict'),
          strategy: Strategy.abTest({
            variants: [{ name: 'beta', when: RequestMatch.header('x-user-group', StringMatch.exact('beta')), version: 'v3' }],
            otherwise: Strategy.canary({ v1: Percent.of(90), v2: Percent.of(10) }),
          }),
        }],
      });
    case 2:
      return new ModelService(scope, name, {
        versions: VERSIONS,
        routes: [{
          name: 'predict',
          match: RequestMatch.uriPrefix('/predict'),
          strategy: Strategy.shadow({ serve: Strategy.to('v1'), mirror: { v2: Percent.of(20), v3: Percent.of(5) } }),
        }],
      });
    default:
      return new ModelService(scope, name, {
        versions: { v1: {}, v2: {}, v3: { idle: true } },
        routes: [
          { name: 'explain', match: RequestMatch.uriPrefix('/explain'), strategy: Strategy.to('v1') },
          { name: 'predict', match: RequestMatch.uriPrefix('/predict'), strategy: Strategy.stickyCanary({ split: { v1: Percent.of(95), v2: Percent.of(5) } }) },
        ],
      });
  }
}

/** Our layout: one chart per namespace, many services per chart. */
export function declareFleet(app: Construct, count: number): void {
  const charts = Array.from({ length: Math.min(NAMESPACES, count) }, (_, n) =>
    new Chart(app, `team-${n}`, { namespace: `team-${n}`, disableResourceNameHashes: true }));
  for (let i = 0; i < count; i++) declareService(charts[i % charts.length], i);
}

/** cdk8s's usual pattern: one chart per service. */
export function declareChartPerService(app: Construct, count: number): void {
  for (let i = 0; i < count; i++) {
    const chart = new Chart(app, `svc-${i}`, { namespace: `team-${i % NAMESPACES}`, disableResourceNameHashes: true });
    declareService(chart, i);
  }
}
