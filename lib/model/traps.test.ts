import { Duration } from 'cdk8s';
import {
  Caller, ConnectionPool, Exposure, FaultInjection, HashKey, LoadBalancing, OutlierDetection, Percent, RequestMatch, RetryOn, RetryPolicy,
  Strategy, StringMatch, UriRewrite,
} from '..';
import { ownTrafficProblems } from './own-traffic-check';
import { resolveService } from './resolve-service';
import { synthProblems, synthService } from '../../test/service-fixture';
import { buildTrafficModel } from '../traffic';
import { send, shares, trafficOf } from '../../test/traffic';

// Each test names the trap of issue 13 it closes; each failed on the old output.
const predict = { name: 'predict', match: RequestMatch.uriPrefix('/predict') };

describe('semantic traps', () => {
  test('1: a per-try timeout needs a retry condition that retries it; status codes can be retried', () => {
    expect(() => RetryPolicy.inferenceSafe({ perTryTimeout: Duration.millis(500) } as never)).toThrow(/^RetryPolicy.inferenceSafe: a perTryTimeout is never retried on connect-failure,refused-stream/);
    expect(() => RetryPolicy.of({ attempts: 2, perTryTimeout: Duration.millis(500), on: [RetryOn.CONNECT_FAILURE] }))
      .toThrow('RetryPolicy.of: a perTryTimeout is retried only when on includes RetryOn.GATEWAY_ERROR or RetryOn.SERVER_ERROR (Envoy ends a timed-out try with a 504), received on: connect-failure');
    expect(RetryPolicy.of({ attempts: 2, on: [], statusCodes: [429, 503] }).toJson('r')).toEqual({ attempts: 2, retryOn: '429,503' });
  });

  test('retries must fit in the timeout on every route, the default route included', () => {
    expect(synthProblems({
      versions: { v1: {} },
      timeout: Duration.seconds(1),
      retries: RetryPolicy.of({ attempts: 2, perTryTimeout: Duration.millis(400), on: [RetryOn.GATEWAY_ERROR] }),
      routes: [{ ...predict, strategy: Strategy.to('v1'), noTimeout: true }],
    })).toEqual(['test/model: default route: retries must fit in the timeout: (attempts 2 + 1) x perTryTimeout 400ms = 1200ms exceeds timeout 1000ms']);
  });

  test('2: a streaming route can drop the service timeout', () => {
    const { objects } = synthService({
      versions: { v1: {} },
      timeout: Duration.seconds(2),
      routes: [{ ...predict, strategy: Strategy.to('v1') }, { name: 'stream', match: RequestMatch.uriPrefix('/stream'), strategy: Strategy.to('v1'), noTimeout: true }],
    });
    expect(objects.VirtualService.spec.http.map((r: any) => [r.name, r.timeout])).toEqual([['predict', '2s'], ['stream', undefined], ['default', '2s']]);
    expect(synthProblems({ versions: { v1: {} }, routes: [{ ...predict, strategy: Strategy.to('v1'), noTimeout: true, timeout: Duration.seconds(1) }] }))
      .toEqual(['test/model: route "predict": timeout and noTimeout contradict each other, received timeout 1000ms']);
  });

  test('3: a header route declared first keeps its place, so debug requests to /predict reach v2', () => {
    const { app } = synthService({
      versions: { v1: {}, v2: {} },
      routes: [
        { name: 'debug', match: RequestMatch.header('x-debug', StringMatch.exact('1')), strategy: Strategy.to('v2') },
        { ...predict, strategy: Strategy.to('v1') },
      ],
    });
    expect(shares(send(trafficOf(app), { host: 'model', path: '/predict', headers: { 'x-debug': '1' } }))).toEqual({ v2: 100 });
  });

  test('4: a chaos request gets the fault on top of the version it would reach (preview, pinned cookie)', () => {
    const { app, objects } = synthService({
      versions: { blue: {}, green: {} },
      routes: [{ ...predict, strategy: Strategy.blueGreen({ active: 'blue' }), fault: FaultInjection.abort(503) }],
    });
    const traffic = trafficOf(app);
    const chaos = send(traffic, { host: 'model', path: '/predict', headers: { 'x-preview': 'true', 'x-chaos-test': 'true' } });
    expect([chaos.rule, shares(chaos), chaos.status]).toEqual(['predict-preview-fault-test', { green: 100 }, 503]);
    expect(objects.VirtualService.spec.http.map((r: any) => r.name)).toEqual(['predict-preview-fault-test', 'predict-preview', 'predict-fault-test', 'predict', 'default']);

    const sticky = synthService({
      versions: { v1: {}, v2: {} },
      routes: [{ ...predict, strategy: Strategy.stickyCanary({ split: { v1: Percent.of(50), v2: Percent.of(50) } }), fault: FaultInjection.delay(Duration.seconds(1)) }],
    });
    const pinned = send(trafficOf(sticky.app), { host: 'model', path: '/predict', cookies: { 'model-version': 'v2' }, headers: { 'x-chaos-test': 'true' } });
    expect([pinned.rule, shares(pinned)]).toEqual(['predict-sticky-v2-fault-test', { v2: 100 }]);
  });

  test('5: rolling a sticky canary back to 0% leaves no cookie rule for that version; cookie attributes', () => {
    const { app, objects } = synthService({
      versions: { v1: {}, v2: {} },
      exposure: Exposure.ingress({ gateway: 'edge/public', hosts: ['m.example.com'] }),
      routes: [{ ...predict, strategy: Strategy.stickyCanary({ split: { v1: Percent.of(100), v2: Percent.of(0) }, cookieAttributes: { domain: 'example.com' } }) }],
    });
    expect(objects.VirtualService.spec.http.map((r: any) => r.name)).toEqual(['predict-sticky-v1', 'predict', 'default']);
    const forged = send(trafficOf(app), { host: 'model', path: '/predict', cookies: { 'model-version': 'v2' } });
    expect(shares(forged)).toEqual({ v1: 100 });
    expect(objects.VirtualService.spec.http[1].route[0].headers.response.add['set-cookie'])
      .toBe('model-version=v1; Path=/; Domain=example.com; Max-Age=86400; HttpOnly; Secure; SameSite=Lax');
  });

  test('6: a version\'s settings merge into the service\'s blocks; warmup cannot hide a consistent hash', () => {
    const { objects } = synthService({
      versions: { v1: {}, v2: { trafficPolicy: { connectionPool: ConnectionPool.of({ maxRequests: 20 }) } } },
      connectionPool: ConnectionPool.of({ maxRequests: 200, maxPendingRequests: 50 }),
      traffic: Strategy.canary({ v1: Percent.of(90), v2: Percent.of(10) }),
    });
    expect(objects.DestinationRule.spec.subsets[1].trafficPolicy).toEqual({ connectionPool: { http: { http1MaxPendingRequests: 50, http2MaxRequests: 20 } } });
    expect(synthProblems({
      versions: { v1: {}, v2: { trafficPolicy: { warmup: Duration.seconds(30) } } },
      loadBalancing: LoadBalancing.consistentHash(HashKey.header('x-user')),
      traffic: Strategy.canary({ v1: Percent.of(90), v2: Percent.of(10) }),
    })).toEqual(['test/model: version "v2": trafficPolicy: warmup needs round robin or least request load balancing, received {"consistentHash":{"httpHeaderName":"x-user"}} (inherited from the service unless the version sets its own)']);
  });

  test('7: security objects select the labels the user states, which every subset carries', () => {
    expect(synthProblems({ versions: { v1: {} }, strictMtls: true })).toEqual([
      'test/model: workloadLabels must name the labels of the model\'s pods when strictMtls or allowedCallers is set (a guessed selector that matches no pod leaves them open), received none',
    ]);
    const { objects } = synthService({ versions: { v1: {} }, strictMtls: true, workloadLabels: { 'serving.kserve.io/inferenceservice': 'm' } });
    expect(objects.PeerAuthentication.spec.selector).toEqual({ matchLabels: { 'serving.kserve.io/inferenceservice': 'm' } });
    expect(objects.DestinationRule.spec.subsets).toEqual([{ name: 'v1', labels: { 'serving.kserve.io/inferenceservice': 'm', version: 'v1' } }]);
    expect(synthProblems({ versions: { v1: { labels: { version: 'v1' } } }, strictMtls: true, workloadLabels: { app: 'm' } })).toEqual([
      'test/model: version "v1": labels must include the workloadLabels (app=m) so that the security policies select its pods, received {"version":"v1"}',
    ]);
  });

  test('9: test rules answer in-mesh callers only when exposed; mesh: false must be acknowledged', () => {
    const { app, objects } = synthService({
      versions: { blue: {}, green: {} },
      exposure: Exposure.ingress({ gateway: 'edge/public', hosts: ['m.example.com'] }),
      traffic: Strategy.blueGreen({ active: 'blue' }),
    });
    expect(objects.VirtualService.spec.http[0]).toMatchObject({ name: 'default-preview', match: [{ headers: { 'x-preview': { exact: 'true' } }, gateways: ['mesh'] }] });
    const traffic = trafficOf(app);
    expect(shares(send(traffic, { host: 'm.example.com', path: '/', headers: { 'x-preview': 'true' }, from: { kind: 'gateway', gateway: 'edge/public' } }))).toEqual({ blue: 100 });
    expect(shares(send(traffic, { host: 'model', path: '/', headers: { 'x-preview': 'true' } }))).toEqual({ green: 100 });
    expect(() => Exposure.ingress({ gateway: 'edge/public', hosts: ['m.example.com'], mesh: false })).toThrow(/^Exposure.ingress: mesh: false leaves in-mesh callers with no routes/);
  });

  test('11: Istio\'s automatic mTLS by default, so pods without a sidecar still answer', () => {
    expect(synthService({ versions: { v1: {} } }).objects.DestinationRule.spec).toEqual({ host: 'model', subsets: [{ name: 'v1', labels: { version: 'v1' } }] });
  });

  test('12: a route can own a port; model-protocol rewrites need exact paths', () => {
    const { objects } = synthService({
      versions: { v1: {} },
      port: 8000,
      routes: [{ name: 'grpc', match: RequestMatch.uriPrefix('/inference.GRPCInferenceService/'), strategy: Strategy.to('v1'), port: 8001 }],
    });
    expect(objects.VirtualService.spec.http[0]).toMatchObject({
      match: [{ uri: { prefix: '/inference.GRPCInferenceService/' }, port: 8001 }],
      route: [{ destination: { host: 'model', subset: 'v1', port: { number: 8001 } } }],
    });
    expect(objects.VirtualService.spec.http[1]).toMatchObject({ name: 'default', route: [{ destination: { port: { number: 8000 } } }] });
    // Issue 22.7: the default route is for the service's port, so it matches that port.
    expect(objects.VirtualService.spec.http[1].match).toEqual([{ port: 8000 }]);
    expect(synthProblems({ versions: { v1: {} }, routes: [{ ...predict, strategy: Strategy.to('v1'), rewrite: UriRewrite.kserveV1('m') }] })).toEqual([
      'test/model: route "predict": UriRewrite.kserveV1("m") replaces the whole path, so every match must be an exact path (RequestMatch.uriExact); a prefix or regex would send other paths to /v1/models/m:predict-suffixed paths the model server does not serve, received {"prefix":"/predict"}',
    ]);
  });

  test('synth refuses a route its own AuthorizationPolicy denies, and a version nothing reaches', () => {
    expect(synthProblems({ versions: { v1: {}, v2: {} } })).toEqual([
      'test/model: version "v2": no route sends it traffic, so no request can reach it; declare it idle: true if that is on purpose',
    ]);
    const { app } = synthService({
      versions: { v1: {} },
      workloadLabels: { app: 'm' },
      allowedCallers: [Caller.namespace('web')],
      defaultRoute: false,
      routes: [{ name: 'predict', match: RequestMatch.uriExact('/predict'), strategy: Strategy.to('v1'), rewrite: UriRewrite.kserveV1('m') }],
    });
    const served = send(trafficOf(app), { host: 'model.ml', path: '/predict', from: { kind: 'sidecar', namespace: 'web', serviceAccount: 'ui' } });
    expect([served.status, served.received?.path, served.authorization.policy]).toEqual([200, '/v1/models/m:predict', 'ml/model']);


    // The old image-classifier: its policy allowed the path before the rewrite, while the pods see the rewritten one.
    const props = { versions: { v1: {} }, workloadLabels: { app: 'm' }, allowedCallers: [Caller.namespace('web')], defaultRoute: false };
    const route = { name: 'predict', match: RequestMatch.uriExact('/predict'), strategy: Strategy.to('v1'), rewrite: UriRewrite.kserveV1('m') };
    const model = resolveService({ name: 'm', namespace: 'ml', host: 'm' }, props, [route]);
    const meta = { name: 'm', namespace: 'ml' };
    const oldObjects = [
      { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: meta, spec: { host: 'm', subsets: [{ name: 'v1', labels: { app: 'm', version: 'v1' } }] } },
      { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: meta, spec: { hosts: ['m'], http: [{ name: 'predict', match: [{ uri: { exact: '/predict' } }], rewrite: { uri: '/v1/models/m:predict' }, route: [{ destination: { host: 'm', subset: 'v1' } }] }] } },
      { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: meta, spec: { selector: { matchLabels: { app: 'm' } }, action: 'ALLOW', rules: [{ from: [{ source: { namespaces: ['web'] } }], to: [{ operation: { paths: ['/predict*'] } }] }] } },
    ];
    expect(ownTrafficProblems(model, oldObjects)).toEqual([
      'route "predict": its own requests are refused (403): no rule of ALLOW policy ml/m matches POST /v1/models/m:predict from cluster.local/ns/web/sa/default (probed /v1/models/m:predict from web/default)',
    ]);

    // A service named by its FQDN is probed by that name.
    const fqdn = 'm.ml.svc.cluster.local';
    const fqdnModel = resolveService({ name: 'm', namespace: 'ml', host: fqdn }, props, [route]);
    const fqdnObjects = JSON.parse(JSON.stringify(oldObjects).replace(/"host":"m"/g, `"host":"${fqdn}"`).replace(/"hosts":\["m"\]/, `"hosts":["${fqdn}"]`));
    expect(ownTrafficProblems(fqdnModel, fqdnObjects)).toEqual([
      'route "predict": its own requests are refused (403): no rule of ALLOW policy ml/m matches POST /v1/models/m:predict from cluster.local/ns/web/sa/default (probed /v1/models/m:predict from web/default)',
    ]);
  });
});

// Each test names the item of issue 22 it closes; each failed on the old output.
describe('issue 22: every option does what it says', () => {

  test('22.1: allowedCallers: [] lets nobody in (an ALLOW policy without rules), never an empty from', () => {
    const { app, objects } = synthService({ versions: { v1: {} }, workloadLabels: { app: 'm' }, allowedCallers: [] });
    expect(objects.AuthorizationPolicy.spec).toEqual({ action: 'ALLOW', selector: { matchLabels: { app: 'm' } } });
    const traffic = trafficOf(app);
    const inMesh = send(traffic, { host: 'model', path: '/predict' });
    expect([inMesh.status, inMesh.authorization.reason]).toEqual([403, 'no rule of ALLOW policy ml/model matches POST /predict from cluster.local/ns/ml/sa/default']);
    expect(send(traffic, { host: 'model.ml', path: '/predict', from: { kind: 'sidecar', namespace: 'web', serviceAccount: 'ui' } }).status).toBe(403);
  });

  test('22.1: explain reads an empty from, to or principals list as Istio does: unset, so any source', () => {
    const objects = [
      { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'm', namespace: 'ml' }, spec: { host: 'm', subsets: [{ name: 'v1', labels: { app: 'm' } }] } },
      { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'm', namespace: 'ml' }, spec: { hosts: ['m'], http: [{ route: [{ destination: { host: 'm', subset: 'v1' } }] }] } },
      { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'm', namespace: 'ml' }, spec: { selector: { matchLabels: { app: 'm' } }, rules: [{ from: [], to: [{ operation: { paths: [] } }] }] } },
    ];
    const traffic = buildTrafficModel(objects);
    expect(send(traffic, { host: 'm', path: '/x' }).authorization).toEqual({ allowed: true, policy: 'ml/m', reason: 'allowed by ml/m' });
    objects[2].spec.rules = [{ from: [{ source: { principals: [] } }] }] as never;
    expect(send(buildTrafficModel(objects), { host: 'm', path: '/x' }).status).toBe(200);
  });

  test('22.1: a caller names one identity: a wildcard or an empty service account is refused', () => {
    expect(() => Caller.serviceAccount('web', '*')).toThrow('Caller.serviceAccount: name must be a DNS name without wildcards, received "*"');
    expect(() => Caller.serviceAccount('web', '')).toThrow('Caller.serviceAccount: name must be a DNS name without wildcards, received ""');
    expect(() => Caller.serviceAccount('web', 'ui', '*')).toThrow('Caller.serviceAccount: trustDomain must be a DNS name without wildcards, received "*"');
    expect(Caller.serviceAccount('web', 'ui').source).toEqual({ principals: ['cluster.local/ns/web/sa/ui'] });
  });

  test('22.2: with no mesh binding, test rules (preview, fault tests, pinned-cookie fault twins) are refused unless testRulesFromGateways', () => {
    const gatewayOnly = Exposure.ingress({ gateway: 'edge/public', hosts: ['m.example.com'], mesh: false, unroutedMeshCallers: true });
    expect(synthProblems({
      versions: { blue: {}, green: {} },
      exposure: gatewayOnly,
      traffic: Strategy.blueGreen({ active: 'blue' }),
      routes: [{ ...predict, strategy: Strategy.stickyCanary({ split: { blue: Percent.of(50), green: Percent.of(50) } }), fault: FaultInjection.abort(503) }],
    })).toEqual([
      'test/model: route "predict": test rules (predict-sticky-blue-fault-test, predict-sticky-green-fault-test, predict-fault-test) must answer in-mesh callers only, but the VirtualService is bound to gateways only (Exposure.ingress mesh: false), so the gateways\' callers would reach them; set testRulesFromGateways: true if that is meant, received gateways edge/public',
      'test/model: default route: test rules (default-preview) must answer in-mesh callers only, but the VirtualService is bound to gateways only (Exposure.ingress mesh: false), so the gateways\' callers would reach them; set testRulesFromGateways: true if that is meant, received gateways edge/public',
    ]);

    const { app } = synthService({ versions: { blue: {}, green: {} }, exposure: gatewayOnly, traffic: Strategy.blueGreen({ active: 'blue' }), testRulesFromGateways: true });
    const preview = send(trafficOf(app), { host: 'm.example.com', path: '/', headers: { 'x-preview': 'true' }, from: { kind: 'gateway', gateway: 'edge/public' } });
    expect([preview.rule, shares(preview)]).toEqual(['default-preview', { green: 100 }]);
  });

  test('22.4: noTimeout means no per-try timeout either; a route\'s own per-try timeout with noTimeout is refused', () => {
    const retries = RetryPolicy.of({ attempts: 2, perTryTimeout: Duration.millis(500), on: [RetryOn.GATEWAY_ERROR] });
    const { app, objects } = synthService({
      versions: { v1: {} },
      timeout: Duration.seconds(2),
      retries,
      routes: [{ name: 'stream', match: RequestMatch.uriPrefix('/stream'), strategy: Strategy.to('v1'), noTimeout: true }],
    });
    expect(objects.VirtualService.spec.http.map((r: any) => [r.name, r.timeout, r.retries])).toEqual([
      ['stream', undefined, { attempts: 2, retryOn: 'gateway-error' }],
      ['default', '2s', { attempts: 2, perTryTimeout: '500ms', retryOn: 'gateway-error' }],
    ]);
    const stream = send(trafficOf(app), { host: 'model', path: '/stream' });
    expect([stream.timeout, stream.retries]).toEqual([null, { attempts: 2, retryOn: 'gateway-error' }]);
    expect(synthProblems({ versions: { v1: {} }, routes: [{ ...predict, strategy: Strategy.to('v1'), noTimeout: true, retries }] })).toEqual([
      'test/model: route "predict": retries must have no perTryTimeout with noTimeout (a per-try timeout cuts a stream as a timeout would), received perTryTimeout 500ms',
    ]);
  });

  test('22.6: a version\'s outlierDetection merges over the service\'s field by field; defaults fill only what neither sets', () => {
    const { objects } = synthService({
      versions: { v1: {}, v2: { trafficPolicy: { outlierDetection: OutlierDetection.of({ consecutive5xxErrors: 10 }) } } },
      outlierDetection: OutlierDetection.of({ interval: Duration.seconds(5), baseEjectionTime: Duration.minutes(2), maxEjectionPercent: Percent.of(20) }),
      traffic: Strategy.canary({ v1: Percent.of(90), v2: Percent.of(10) }),
    });
    expect(objects.DestinationRule.spec.trafficPolicy.outlierDetection).toEqual({ baseEjectionTime: '120s', consecutive5xxErrors: 5, interval: '5s', maxEjectionPercent: 20 });
    expect(objects.DestinationRule.spec.subsets[1].trafficPolicy.outlierDetection).toEqual({ baseEjectionTime: '120s', consecutive5xxErrors: 10, interval: '5s', maxEjectionPercent: 20 });
    const alone = synthService({ versions: { v1: { trafficPolicy: { outlierDetection: OutlierDetection.of({ consecutive5xxErrors: 10 }) } } } });
    expect(alone.objects.DestinationRule.spec.subsets[0].trafficPolicy.outlierDetection).toEqual({ baseEjectionTime: '30s', consecutive5xxErrors: 10, interval: '10s', maxEjectionPercent: 50 });
  });

  test('22.7: each port routes to itself: the service port never takes requests that arrive on another port', () => {
    const grpc = { name: 'grpc', match: RequestMatch.uriPrefix('/inference.GRPCInferenceService/'), strategy: Strategy.to('v2'), port: 8001 };
    const { app, objects } = synthService({ versions: { v1: {}, v2: {} }, port: 8000, routes: [grpc] });
    expect(objects.VirtualService.spec.http.map((r: any) => [r.name, r.match, r.route[0].destination.port])).toEqual([
      ['grpc', [{ uri: { prefix: '/inference.GRPCInferenceService/' }, port: 8001 }], { number: 8001 }],
      ['default', [{ port: 8000 }], { number: 8000 }],
    ]);
    const traffic = trafficOf(app);
    const on = (port: number, path: string) => send(traffic, { host: 'model', port, path });
    expect(on(8001, '/inference.GRPCInferenceService/ModelInfer').destinations).toEqual([{ host: 'model.ml.svc.cluster.local', subset: 'v2', port: 8001, weight: 100 }]);
    expect(on(8000, '/v2/health').destinations).toEqual([{ host: 'model.ml.svc.cluster.local', subset: 'v1', port: 8000, weight: 100 }]);
    // Before: both went to v1 on port 8000. Now no rule of the service's table answers them.
    expect([on(8001, '/grpc.health.v1.Health/Check').status, on(8001, '/grpc.health.v1.Health/Check').destinations]).toEqual([404, []]);
    // A port no rule names is not taken by the service port either: with no Service declaring it, the sidecar passes it through.
    expect(on(8002, '/metrics')).toMatchObject({
      virtualService: null,
      destinations: [{ host: 'model', subset: null, weight: 100 }],
      summary: 'no service or VirtualService of the mesh is named model on port 8002: the sidecar passes the request through unchanged; no ALLOW policy applies to the workload',
    });

    // Through a gateway requests arrive on the gateway's port: the port narrows in-mesh blocks only.
    const exposed = synthService({ versions: { v1: {}, v2: {} }, port: 8000, routes: [grpc], exposure: Exposure.ingress({ gateway: 'edge/public', hosts: ['m.example.com'] }) });
    expect(exposed.objects.VirtualService.spec.http[1].match).toEqual([{ gateways: ['mesh'], port: 8000 }, { gateways: ['edge/public'] }]);
    const viaGateway = (path: string) => send(trafficOf(exposed.app), { host: 'm.example.com', port: 443, path, from: { kind: 'gateway', gateway: 'edge/public' } });
    expect([viaGateway('/inference.GRPCInferenceService/ModelInfer').rule, viaGateway('/v2/health').rule]).toEqual(['grpc', 'default']);

    // A route on another port is not shadowed by an earlier one on the service's port.
    expect(synthProblems({ versions: { v1: {}, v2: {} }, port: 8000, routes: [{ name: 'http', match: RequestMatch.uriPrefix('/'), strategy: Strategy.to('v1') }, grpc] })).toEqual([]);
  });

  test('22.3: a host in another namespace puts the subsets there, where every caller finds them; a contradicting namespace is refused', () => {
    const host = 'scorer.serving.svc.cluster.local';
    const { app, service, objects } = synthService({ versions: { v1: {}, v2: {} }, host, workloadLabels: { app: 'scorer' }, allowedCallers: [Caller.namespace('web')], traffic: Strategy.canary({ v1: Percent.of(90), v2: Percent.of(10) }) });
    expect(Object.values(objects).map((o: any) => `${o.kind} ${o.metadata.namespace}`)).toEqual(['DestinationRule serving', 'AuthorizationPolicy serving', 'VirtualService serving']);
    expect(service.outputPath).toBe('serving.model.yaml');
    const fromWeb = send(trafficOf(app), { host: 'scorer.serving', path: '/', from: { kind: 'sidecar', namespace: 'web', serviceAccount: 'ui' } });
    expect([fromWeb.status, shares(fromWeb), fromWeb.authorization.policy]).toEqual([200, { v1: 90, v2: 10 }, 'serving/model']);

    expect(() => synthService({ versions: { v1: {} }, host, namespace: 'ml' })).toThrow(
      'test/model: namespace must be the namespace of the host\'s Service ("serving"): a DestinationRule in "ml" gives subsets to callers in "ml" only (Istio looks in the caller\'s namespace, then the Service\'s, then the root namespace), and security policies there select no pod of "serving"; received "ml"');
    expect(() => synthService({ versions: { v1: {} }, host: 'scorer.serving.svc' })).toThrow(
      'test/model: host must be a short name or a fully qualified name (scorer.serving.svc.cluster.local): Istio expands only names without dots, so this one names no Service, received "scorer.serving.svc"');
  });

  test('22.5: outlier detection ejects at most half of a version\'s pods, as Envoy counts them, and never a lone pod; 0% and fractions are refused', () => {
    const half = OutlierDetection.of();
    expect([1, 2, 3, 4, 5].map((pods) => half.maxEjected(pods))).toEqual([0, 1, 1, 2, 2]);
    expect([9, 10].map((pods) => OutlierDetection.of({ maxEjectionPercent: Percent.of(10) }).maxEjected(pods))).toEqual([0, 1]);
    expect(() => OutlierDetection.of({ maxEjectionPercent: Percent.of(0) })).toThrow(
      'OutlierDetection.of: maxEjectionPercent must be a whole percent from 1 to 100 (Istio reads 0 as unset, which Envoy turns into 10%), received 0%');
    expect(() => OutlierDetection.of({ maxEjectionPercent: Percent.of(33.3) })).toThrow(/received 33.3%$/);
  });
});
