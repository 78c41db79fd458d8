import { Duration } from 'cdk8s';
import {
  Caller, ClientTlsMode, ConnectionPool, Exposure, FaultInjection, HashKey, LoadBalancing, OutlierDetection,
  Percent, RequestMatch, RetryOn, RetryPolicy, Strategy, StringMatch, UriRewrite,
} from '..';
import { SAFE_RETRIES, synthProblems, synthService } from '../../test/service-fixture';

const predict = (extra: object = {}) => ({ name: 'predict', match: RequestMatch.uriPrefix('/predict'), strategy: Strategy.to('v1'), ...extra });

describe('resilience', () => {
  test('timeout and retries with a per-try timeout', () => {
    const { objects } = synthService({
      versions: { v1: {} },
      timeout: Duration.seconds(3),
      routes: [predict({ retries: RetryPolicy.of({ attempts: 3, perTryTimeout: Duration.millis(750), on: [RetryOn.GATEWAY_ERROR], statusCodes: [429, 503] }) })],
    });
    const [route, fallback] = objects.VirtualService.spec.http;
    expect(route.timeout).toBe('3s');
    expect(route.retries).toEqual({ attempts: 3, perTryTimeout: '750ms', retryOn: 'gateway-error,429,503' });
    expect(fallback.timeout).toBe('3s');
    expect(fallback.retries).toEqual(SAFE_RETRIES);
  });

  test('retrying 5xx is possible when asked for explicitly; none() disables retries', () => {
    const { objects } = synthService({
      versions: { v1: {} },
      retries: RetryPolicy.none(),
      routes: [predict({ retries: RetryPolicy.of({ attempts: 1, on: [RetryOn.SERVER_ERROR, RetryOn.RESET] }) })],
    });
    expect(objects.VirtualService.spec.http[0].retries).toEqual({ attempts: 1, retryOn: '5xx,reset' });
    expect(objects.VirtualService.spec.http[1].retries).toEqual({ attempts: 0 });
  });

  test('retries must fit in the timeout, counting the first try', () => {
    expect(synthProblems({
      versions: { v1: {} },
      routes: [predict({ timeout: Duration.seconds(1), retries: RetryPolicy.of({ attempts: 2, perTryTimeout: Duration.millis(400), on: [RetryOn.GATEWAY_ERROR] }) })],
    })).toEqual(['test/model: route "predict": retries must fit in the timeout: (attempts 2 + 1) x perTryTimeout 400ms = 1200ms exceeds timeout 1000ms']);
  });

  test('retry and duration values are checked', () => {
    expect(() => RetryPolicy.of({ attempts: 0, on: [RetryOn.RESET] })).toThrow('RetryPolicy.of: attempts must be a whole number of at least 1 (use RetryPolicy.none() to disable), received 0');
    expect(() => RetryPolicy.of({ attempts: 1, on: [] })).toThrow('RetryPolicy.of: on or statusCodes must list at least one retry condition, received none');
    expect(() => RetryPolicy.of({ attempts: 1, on: [], statusCodes: [700] })).toThrow('RetryPolicy.of: statusCodes must be HTTP status codes (100..599), received 700');
    expect(synthProblems({ versions: { v1: {} }, timeout: Duration.millis(0.5) }))
      .toEqual(['test/model: route "default" timeout must be a whole number of milliseconds of at least 1ms, received 0.5ms']);
  });

  test('outlier detection, connection pool and warmup', () => {
    const { objects } = synthService({
      versions: { v1: {}, v2: { trafficPolicy: { connectionPool: ConnectionPool.of({ maxRequests: 10 }) }, idle: true } },
      warmup: Duration.minutes(2),
      outlierDetection: OutlierDetection.of({ consecutive5xxErrors: 3 }),
      connectionPool: ConnectionPool.of({ maxConnections: 100, maxPendingRequests: 20, maxRequests: 50, maxRequestsPerConnection: 5, connectTimeout: Duration.seconds(1) }),
    });
    expect(objects.DestinationRule.spec.trafficPolicy).toEqual({
      loadBalancer: { simple: 'LEAST_REQUEST', warmup: { duration: '120s' } },
      outlierDetection: { consecutive5xxErrors: 3, interval: '10s', baseEjectionTime: '30s', maxEjectionPercent: 50 },
      connectionPool: {
        tcp: { maxConnections: 100, connectTimeout: '1s' },
        http: { http1MaxPendingRequests: 20, http2MaxRequests: 50, maxRequestsPerConnection: 5 },
      },
    });
    expect(objects.DestinationRule.spec.subsets[1]).toEqual({
      // The version's limit merged into the service's block: Istio would otherwise drop the service's other limits.
      name: 'v2',
      labels: { version: 'v2' },
      trafficPolicy: {
        connectionPool: {
          tcp: { maxConnections: 100, connectTimeout: '1s' },
          http: { http1MaxPendingRequests: 20, http2MaxRequests: 10, maxRequestsPerConnection: 5 },
        },
      },
    });
  });

  test('warmup needs round robin or least request', () => {
    expect(synthProblems({ versions: { v1: {} }, warmup: Duration.seconds(30), loadBalancing: LoadBalancing.consistentHash(HashKey.sourceIp()) }))
      .toEqual(['test/model: trafficPolicy: warmup needs round robin or least request load balancing, received {"consistentHash":{"useSourceIp":true}}']);
    expect(() => ConnectionPool.of({})).toThrow('ConnectionPool.of: set at least one limit, received none');
    expect(() => ConnectionPool.of({ maxRequests: 0 })).toThrow('ConnectionPool.of: maxRequests must be a whole number of at least 1, received 0');
  });

  test('fault injection only applies to requests with the test header', () => {
    const { objects } = synthService({
      versions: { v1: {}, v2: {} },
      routes: [predict({
        strategy: Strategy.canary({ v1: Percent.of(90), v2: Percent.of(10) }),
        fault: FaultInjection.abort(503, { percent: Percent.of(50) }),
      })],
    });
    const [fault, main] = objects.VirtualService.spec.http;
    expect(fault).toEqual({
      name: 'predict-fault-test',
      match: [{ uri: { prefix: '/predict' }, headers: { 'x-chaos-test': { exact: 'true' } } }],
      fault: { abort: { httpStatus: 503, percentage: { value: 50 } } },
      retries: SAFE_RETRIES,
      route: [
        { destination: { host: 'model', subset: 'v1' }, weight: 90 },
        { destination: { host: 'model', subset: 'v2' }, weight: 10 },
      ],
    });
    expect(main.fault).toBeUndefined();
    expect(() => FaultInjection.abort(700)).toThrow('FaultInjection.abort: httpStatus must be between 200 and 599, received 700');
  });

  test('a delay on a custom test condition', () => {
    const { objects } = synthService({
      versions: { v1: {} },
      traffic: Strategy.to('v1'),
      routes: [predict({ fault: FaultInjection.delay(Duration.seconds(5), { onlyWhen: RequestMatch.header('x-test-run', StringMatch.prefix('chaos-')) }) })],
    });
    expect(objects.VirtualService.spec.http[0].match).toEqual([{ uri: { prefix: '/predict' }, headers: { 'x-test-run': { prefix: 'chaos-' } } }]);
    expect(objects.VirtualService.spec.http[0].fault).toEqual({ delay: { fixedDelay: '5s', percentage: { value: 100 } } });
  });
});

describe('sticky sessions by consistent hash', () => {
  test.each([
    [HashKey.header('X-User-Id'), { httpHeaderName: 'x-user-id' }],
    [HashKey.cookie('session', { ttl: Duration.hours(1), path: '/' }), { httpCookie: { name: 'session', path: '/', ttl: '3600s' } }],
    [HashKey.sourceIp(), { useSourceIp: true }],
    [HashKey.queryParameter('user'), { httpQueryParameterName: 'user' }],
  ])('%#: keyed as %j', (key, expected) => {
    const { objects } = synthService({ versions: { v1: {} }, loadBalancing: LoadBalancing.consistentHash(key) });
    expect(objects.DestinationRule.spec.trafficPolicy.loadBalancer).toEqual({ consistentHash: expected });
  });
});

describe('exposure', () => {
  test('an ingress gateway plus the mesh, with a KServe rewrite', () => {
    const { objects } = synthService({
      versions: { v1: {} },
      exposure: Exposure.ingress({ gateway: 'istio-ingress/public', hosts: ['churn.example.com'] }),
      routes: [predict({ match: RequestMatch.uriExact('/predict'), rewrite: UriRewrite.kserveV1('churn') })],
    });
    expect(objects.VirtualService.spec.hosts).toEqual(['model', 'churn.example.com']);
    expect(objects.VirtualService.spec.gateways).toEqual(['mesh', 'istio-ingress/public']);
    expect(objects.VirtualService.spec.http[0].rewrite).toEqual({ uri: '/v1/models/churn:predict' });
  });

  test('gateway only, and the Open Inference Protocol rewrite', () => {
    const { objects } = synthService({
      versions: { v1: {} },
      exposure: Exposure.ingress({ gateway: 'gw/edge', hosts: ['a.example.com'], mesh: false, unroutedMeshCallers: true }),
    });
    expect(objects.VirtualService.spec.gateways).toEqual(['gw/edge']);
    expect(UriRewrite.openInferenceV2('resnet').uri).toBe('/v2/models/resnet/infer');
    expect(UriRewrite.openInferenceV2('resnet', '3').uri).toBe('/v2/models/resnet/versions/3/infer');
  });

  test('gateway references and hosts are checked; wildcards only when asked for', () => {
    expect(() => Exposure.ingress({ gateway: 'public', hosts: ['a.example.com'] })).toThrow('Exposure.ingress: gateway must be "namespace/name", received "public"');
    expect(() => Exposure.ingress({ gateway: 'gw/edge', hosts: ['*.example.com'] })).toThrow('Exposure.ingress: host must be a DNS name without wildcards, received "*.example.com"');
    expect(Exposure.ingress({ gateway: 'gw/edge', hosts: ['*.example.com'], allowWildcardHosts: true }).externalHosts).toEqual(['*.example.com']);
    expect(() => Exposure.ingress({ gateway: 'gw/edge', hosts: ['*'], allowWildcardHosts: true })).toThrow('Exposure.ingress: host must be a DNS name, optionally starting with "*.", received "*"');
    expect(() => UriRewrite.kserveV1('a/b')).toThrow('UriRewrite: model name must be letters, digits, \'.\', \'_\' or \'-\', received "a/b"');
  });
});

describe('security', () => {
  test('Istio\'s automatic mTLS by default (no tls field); ISTIO_MUTUAL or DISABLE only when asked', () => {
    expect(synthService({ versions: { v1: {} } }).objects.DestinationRule.spec.trafficPolicy).toBeUndefined();
    expect(synthService({ versions: { v1: {} }, clientTls: ClientTlsMode.ISTIO_MUTUAL }).objects.DestinationRule.spec.trafficPolicy).toEqual({ tls: { mode: 'ISTIO_MUTUAL' } });
    expect(synthService({ versions: { v1: {} }, clientTls: ClientTlsMode.DISABLE }).objects.DestinationRule.spec.trafficPolicy).toEqual({ tls: { mode: 'DISABLE' } });
  });

  test('strict mTLS and an allow-list of callers for the model\'s paths', () => {
    const { objects } = synthService({
      versions: { v1: {} },
      strictMtls: true,
      defaultRoute: false,
      workloadLabels: { app: 'churn-model' },
      allowedCallers: [Caller.serviceAccount('web', 'frontend'), Caller.namespace('batch')],
      routes: [predict(), { name: 'health', match: RequestMatch.uriExact('/healthz'), strategy: Strategy.to('v1') }],
    });
    expect(objects.PeerAuthentication).toEqual({
      apiVersion: 'security.istio.io/v1',
      kind: 'PeerAuthentication',
      metadata: { name: 'model', namespace: 'ml' },
      spec: { selector: { matchLabels: { app: 'churn-model' } }, mtls: { mode: 'STRICT' } },
    });
    expect(objects.AuthorizationPolicy).toEqual({
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: 'model', namespace: 'ml' },
      spec: {
        selector: { matchLabels: { app: 'churn-model' } },
        action: 'ALLOW',
        rules: [{
          from: [{ source: { principals: ['cluster.local/ns/web/sa/frontend'] } }, { source: { namespaces: ['batch'] } }],
          to: [{ operation: { paths: ['/healthz', '/predict*'] } }],
        }],
      },
    });
  });

  test('with a catch-all route, callers are allowed on every path', () => {
    const { objects } = synthService({ versions: { v1: {} }, workloadLabels: { app: 'churn' }, allowedCallers: [Caller.namespace('web')] });
    expect(objects.AuthorizationPolicy.spec.rules).toEqual([{ from: [{ source: { namespaces: ['web'] } }] }]);
  });
});
