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
 * `portable`: the same mix as both APIs write it (whole-segment prefixes, a
 * target port, retries on status codes, which the Gateway API has in its
 * experimental channel, instead of retried per-try timeouts).
 */
export function declareService(scope: Construct, i: number, portable = false): ModelService {
  const name = `model-${i}`;
  const prefix = portable ? RequestMatch.pathPrefix : RequestMatch.uriPrefix;
  const backend = portable ? { targetPort: 8080, workloadLabels: { app: name } } : {};
  switch (i % 4) {
    case 0:
      return new ModelService(scope, name, {
        ...backend,
        versions: VERSIONS,
        timeout: Duration.seconds(5),
        retries: portable
          ? RetryPolicy.of({ attempts: 2, on: [RetryOn.CONNECT_FAILURE, RetryOn.REFUSED_STREAM], statusCodes: [503] })
          : RetryPolicy.of({ attempts: 2, perTryTimeout: Duration.seconds(1), on: [RetryOn.CONNECT_FAILURE, RetryOn.REFUSED_STREAM, RetryOn.GATEWAY_ERROR] }),
        outlierDetection: OutlierDetection.of(),
        connectionPool: ConnectionPool.of({ maxRequests: 100 }),
        routes: [{
          name: 'predict',
          match: prefix('/predict'),
          strategy: Strategy.canary({ v1: Percent.of(80), v2: Percent.of(15), v3: Percent.of(5) }),
        }],
      });
    case 1:
      return new ModelService(scope, name, {
        ...backend,
        versions: VERSIONS,
        routes: [{
          name: 'predict',
          match: prefix('/predict'),
          strategy: Strategy.abTest({
            variants: [{ name: 'beta', when: RequestMatch.header('x-user-group', StringMatch.exact('beta')), version: 'v3' }],
            otherwise: Strategy.canary({ v1: Percent.of(90), v2: Percent.of(10) }),
          }),
        }],
      });
    case 2:
      return new ModelService(scope, name, {
        ...backend,
        versions: VERSIONS,
        routes: [{
          name: 'predict',
          match: prefix('/predict'),
          strategy: Strategy.shadow({ serve: Strategy.to('v1'), mirror: { v2: Percent.of(20), v3: Percent.of(5) } }),
        }],
      });
    default:
      return new ModelService(scope, name, {
        ...backend,
        versions: { v1: {}, v2: {}, v3: { idle: true } },
        routes: [
          { name: 'explain', match: prefix('/explain'), strategy: Strategy.to('v1') },
          { name: 'predict', match: prefix('/predict'), strategy: Strategy.stickyCanary({ split: { v1: Percent.of(95), v2: Percent.of(5) } }) },
        ],
      });
  }
}

/** Our layout: one chart per namespace, many services per chart. */
export function declareFleet(app: Construct, count: number, portable = false): void {
  const charts = Array.from({ length: Math.min(NAMESPACES, count) }, (_, n) =>
    new Chart(app, `team-${n}`, { namespace: `team-${n}`, disableResourceNameHashes: true }));
  for (let i = 0; i < count; i++) declareService(charts[i % charts.length], i, portable);
}

/** cdk8s's usual pattern: one chart per service. */
export function declareChartPerService(app: Construct, count: number): void {
  for (let i = 0; i < count; i++) {
    const chart = new Chart(app, `svc-${i}`, { namespace: `team-${i % NAMESPACES}`, disableResourceNameHashes: true });
    declareService(chart, i);
  }
}
