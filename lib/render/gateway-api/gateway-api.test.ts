import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiObject, Chart, Duration } from 'cdk8s';
import {
  ConnectionPool, Exposure, ExternalGateway, FaultInjection, HashKey, LoadBalancing, ModelService, ModelServiceProps, OutlierDetection, Percent,
  RequestMatch, RetryOn, RetryPolicy, RoutingApp, RoutingAppProps, Strategy, StringMatch, UriRewrite, ValidationFailed,
} from '../..';
import { gatewayApiMappingTable, GATEWAY_API_MAPPINGS } from '.';

/** The platform's ingress, declared: synth checks the routes against it as Istio's gateway controller would against the real one. */
const PUBLIC = ExternalGateway.of('istio-ingress/public', { hosts: ['m.example.com'] });

const SYNC_WAVE = { 'argocd.argoproj.io/sync-wave': '-1' };

function declare(props: ModelServiceProps, app: RoutingAppProps = { api: 'gateway-api' }, id = 'm'): { app: RoutingApp; service: ModelService } {
  const routing = new RoutingApp(app);
  const chart = new Chart(routing, 'team', { namespace: 'models', disableResourceNameHashes: true });
  return { app: routing, service: new ModelService(chart, id, props) };
}

/** The service's objects, by kind/name, as synth writes them (after the whole app passed its checks). */
function objectsOf(props: ModelServiceProps): Record<string, Record<string, any>> {
  const { app, service } = declare(props);
  app.synthesize();
  return Object.fromEntries(service.renderedObjects().map(({ json }) => [`${json.kind}/${json.metadata.name}`, json]));
}

function problemsOf(props: ModelServiceProps): readonly string[] {
  const { app } = declare(props);
  try {
    app.synthesize();
  } catch (err) {
    if (err instanceof ValidationFailed) return err.problems;
    throw err;
  }
  throw new Error('synth passed');
}

const CANARY: ModelServiceProps = {
  targetPort: 8080,
  workloadLabels: { app: 'm' },
  versions: { v1: {}, v2: {} },
  routes: [{ name: 'predict', match: RequestMatch.pathPrefix('/predict'), strategy: Strategy.canary({ v1: Percent.of(90), v2: Percent.of(10) }) }],
};

const REMEDY = "set api: 'istio' on this service";

describe('choosing the API', () => {
  test('the default stays Istio: a DestinationRule and a VirtualService', () => {
    // GIVEN no api anywhere
    const { service } = declare(CANARY, {});
    // THEN
    expect(service.api).toBe('istio');
    expect(service.renderedObjects().map((o) => o.json.kind)).toEqual(['DestinationRule', 'VirtualService']);
  });

  test('RoutingApp({ api: "gateway-api" }) writes every service with the Gateway API, and a service\'s own api wins', () => {
    // GIVEN an app in the Gateway API, one service keeping Istio's
    const app = new RoutingApp({ api: 'gateway-api' });
    const chart = new Chart(app, 'team', { namespace: 'models', disableResourceNameHashes: true });
    const gateway = new ModelService(chart, 'a', CANARY);
    const istio = new ModelService(chart, 'b', { ...CANARY, api: 'istio' });
    // WHEN
    const { files } = app.synthesize();
    // THEN
    expect(gateway.renderedObjects().map((o) => `${o.json.kind}/${o.json.metadata.name}`)).toEqual(['Service/a-v1', 'Service/a-v2', 'HTTPRoute/a']);
    expect(istio.renderedObjects().map((o) => `${o.json.kind}/${o.json.metadata.name}`)).toEqual(['DestinationRule/b', 'VirtualService/b']);
    expect([...files.keys()]).toEqual(['models.a.yaml', 'models.b.yaml']);
  });

  test('an app in Istio\'s API with one service in the Gateway API', () => {
    const { service } = declare({ ...CANARY, api: 'gateway-api' }, {});
    expect(service.renderedObjects().map((o) => o.json.kind)).toEqual(['Service', 'Service', 'HTTPRoute']);
  });

  test('an api that is neither is refused by name', () => {
    expect(() => new RoutingApp({ api: 'gamma' as never })).toThrow('RoutingApp: api must be one of \'istio\', \'gateway-api\', received "gamma"');
    expect(() => declare({ ...CANARY, api: 'Gateway' as never })).toThrow('team/m: api must be one of \'istio\', \'gateway-api\', received "Gateway"');
  });

  test('the objects synth reads from the routing model are exactly what the cdk8s constructs render', () => {
    const { service } = declare({
      ...CANARY,
      exposure: Exposure.ingress({ gateway: PUBLIC, hosts: ['m.example.com'] }),
      workloadLabels: { app: 'm' },
      strictMtls: true,
      outlierDetection: OutlierDetection.of(),
    });
    const fromConstructs = service.node.children.filter((c): c is ApiObject => c instanceof ApiObject).map((o) => ({ json: o.toJson(), constructPath: o.node.path }));
    expect(JSON.stringify(service.renderedObjects())).toBe(JSON.stringify(fromConstructs));
    expect(fromConstructs.map((o) => o.constructPath)).toEqual([
      'team/m/Service-v1', 'team/m/Service-v2', 'team/m/DestinationRule-v1', 'team/m/DestinationRule-v2', 'team/m/PeerAuthentication', 'team/m/HTTPRoute', 'team/m/HTTPRoute-ingress',
    ]);
  });
});

describe('rendering', () => {
  test('a canary: one Service per version and an HTTPRoute on the Service (GAMMA) with weighted backendRefs', () => {
    expect(objectsOf(CANARY)).toEqual({
      'Service/m-v1': {
        apiVersion: 'v1', kind: 'Service',
        metadata: { annotations: SYNC_WAVE, name: 'm-v1', namespace: 'models' },
        spec: { ports: [{ port: 80, targetPort: 8080 }], selector: { app: 'm', version: 'v1' } },
      },
      'Service/m-v2': {
        apiVersion: 'v1', kind: 'Service',
        metadata: { annotations: SYNC_WAVE, name: 'm-v2', namespace: 'models' },
        spec: { ports: [{ port: 80, targetPort: 8080 }], selector: { app: 'm', version: 'v2' } },
      },
      'HTTPRoute/m': {
        apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute',
        metadata: { name: 'm', namespace: 'models' },
        spec: {
          parentRefs: [{ group: '', kind: 'Service', name: 'm' }],
          rules: [
            {
              backendRefs: [{ name: 'm-v1', port: 80, weight: 90 }, { name: 'm-v2', port: 80, weight: 10 }],
              matches: [{ path: { type: 'PathPrefix', value: '/predict' } }],
              name: 'predict',
            },
            { backendRefs: [{ name: 'm-v1', port: 80 }], matches: [{ path: { type: 'PathPrefix', value: '/' } }], name: 'default' },
          ],
        },
      },
    });
  });

  test('without workloadLabels the per-version Services select app: <service> plus the version, and synth says so', () => {
    const { app, service } = declare({ ...CANARY, workloadLabels: undefined });
    expect(app.synthesize().notices).toEqual(['team/m: the per-version Services select app: m plus each version\'s labels, since workloadLabels is not declared: pods without that label get no traffic']);
    expect(service.renderedObjects()[0].json.spec.selector).toEqual({ app: 'm', version: 'v1' });
  });

  test('the service\'s port: on the parentRef (Istio then matches it), the per-version Services and every backendRef; workload labels and named target ports kept', () => {
    const objects = objectsOf({ ...CANARY, port: 8000, targetPort: 'http', workloadLabels: { 'app.kubernetes.io/name': 'm' }, versions: { v1: {}, v2: { labels: { track: 'canary' } } } });
    expect(objects['Service/m-v1'].spec).toEqual({ ports: [{ port: 8000, targetPort: 'http' }], selector: { 'app.kubernetes.io/name': 'm', 'version': 'v1' } });
    // Default version labels are the workload's plus the version label: the subset's labels, unchanged.
    expect(objects['Service/m-v2'].spec).toEqual({ ports: [{ port: 8000, targetPort: 'http' }], selector: { 'app.kubernetes.io/name': 'm', 'track': 'canary' } });
    expect(objects['HTTPRoute/m'].spec.parentRefs).toEqual([{ group: '', kind: 'Service', name: 'm', port: 8000 }]);
    expect(objects['HTTPRoute/m'].spec.rules[0].backendRefs).toEqual([{ name: 'm-v1', port: 8000, weight: 90 }, { name: 'm-v2', port: 8000, weight: 10 }]);
  });

  test('a full host name of the namespace names the Service parent by its short name', () => {
    const objects = objectsOf({ ...CANARY, host: 'scorer.models.svc.cluster.local' });
    expect(objects['HTTPRoute/m'].spec.parentRefs).toEqual([{ group: '', kind: 'Service', name: 'scorer' }]);
  });

  test('path, header, query and method matches: exact as Exact, regex as RegularExpression, a prefix as the regex <prefix>.*', () => {
    const objects = objectsOf({
      ...CANARY,
      routes: [
        { name: 'exact', match: RequestMatch.uriExact('/v1/infer').and(RequestMatch.method('POST')), strategy: Strategy.to('v2') },
        {
          name: 'tenant',
          match: RequestMatch.pathPrefix('/v1').and(RequestMatch.header('X-Tenant', StringMatch.prefix('gold.'))).and(RequestMatch.queryParam('debug', StringMatch.exact('1'))),
          strategy: Strategy.to('v2'),
        },
        { name: 'cookie', match: RequestMatch.cookie('beta', 'yes'), strategy: Strategy.to('v2') },
      ],
    });
    expect(objects['HTTPRoute/m'].spec.rules.map((r: any) => r.matches)).toEqual([
      [{ method: 'POST', path: { type: 'Exact', value: '/v1/infer' } }],
      [{
        headers: [{ name: 'x-tenant', type: 'RegularExpression', value: 'gold\\..*' }],
        path: { type: 'PathPrefix', value: '/v1' },
        queryParams: [{ name: 'debug', type: 'Exact', value: '1' }],
      }],
      [{ headers: [{ name: 'cookie', type: 'RegularExpression', value: '^(.*?;\\s*)?beta=yes(;.*)?$' }], path: { type: 'PathPrefix', value: '/' } }],
      [{ path: { type: 'PathPrefix', value: '/' } }],
    ]);
  });

  test('whole-segment prefixes are told apart by the shadowing check too: /explain and /predict never meet, /v1x is not under /v1', () => {
    const { app } = declare({
      ...CANARY,
      routes: [
        { name: 'explain', match: RequestMatch.pathPrefix('/explain'), strategy: Strategy.to('v1') },
        { name: 'v1', match: RequestMatch.pathPrefix('/v1'), strategy: Strategy.to('v1') },
        { name: 'v1x', match: RequestMatch.uriExact('/v1x'), strategy: Strategy.to('v2') },
        { name: 'predict', match: RequestMatch.pathPrefix('/predict'), strategy: Strategy.to('v2') },
      ],
    }, {});
    expect(app.synthesize().warnings).toEqual([]);
  });

  test('RequestMatch.pathPrefix is a whole-segment regex in the VirtualService', () => {
    expect(RequestMatch.pathPrefix('/v1/models').toJson()).toEqual({ uri: { regex: '/v1/models(/.*)?' } });
    expect(RequestMatch.pathPrefix('/').toJson()).toEqual({ uri: { prefix: '/' } });
    expect(() => RequestMatch.pathPrefix('/v1/')).toThrow('StringMatch.pathPrefix: prefix must start with "/", hold no "?", "#" or space, and not end with "/" (segments are whole), received "/v1/"');
  });

  test('shadow: one RequestMirror per mirrored version, whole shares as percent, others as a fraction Istio reads back exactly', () => {
    const objects = objectsOf({
      ...CANARY,
      versions: { v1: {}, v2: {}, v3: {} },
      routes: [],
      traffic: Strategy.shadow({ serve: Strategy.to('v1'), mirror: { v2: Percent.of(20), v3: Percent.of(0.5) } }),
    });
    expect(objects['HTTPRoute/m'].spec.rules).toEqual([{
      backendRefs: [{ name: 'm-v1', port: 80 }],
      filters: [
        { requestMirror: { backendRef: { name: 'm-v2', port: 80 }, percent: 20 }, type: 'RequestMirror' },
        { requestMirror: { backendRef: { name: 'm-v3', port: 80 }, fraction: { denominator: 1000, numerator: 5 } }, type: 'RequestMirror' },
      ],
      matches: [{ path: { type: 'PathPrefix', value: '/' } }],
      name: 'default',
    }]);
  });

  test('timeouts and retries: the request timeout, and retries other than the default in `retry`, on a cluster with the experimental channel', () => {
    const props: ModelServiceProps = {
      ...CANARY,
      timeout: Duration.seconds(90),
      retries: RetryPolicy.of({ attempts: 3, on: [RetryOn.CONNECT_FAILURE, RetryOn.REFUSED_STREAM, RetryOn.RETRIABLE_STATUS_CODES], statusCodes: [503, 429] }),
      routes: [{ name: 'slow', match: RequestMatch.uriExact('/batch'), strategy: Strategy.canary({ v1: Percent.of(50), v2: Percent.of(50) }), timeout: Duration.millis(61_500) }],
    };
    const { app, service } = declare(props, { api: 'gateway-api', gatewayApiChannel: 'experimental' });
    expect(app.synthesize().notices).toEqual([]);
    const rules = service.renderedObjects().find((o) => o.json.kind === 'HTTPRoute')!.json.spec.rules;
    expect(rules.map((r: any) => [r.retry, r.timeouts])).toEqual([
      [{ attempts: 3, codes: [503, 429] }, { request: '1m1s500ms' }],
      [{ attempts: 3, codes: [503, 429] }, { request: '1m30s' }],
    ]);
    // On the standard channel (the default), synth refuses the field and says what the cluster needs.
    expect(problemsOf(props)).toEqual([0, 1].map((i) => `team/m/HTTPRoute: spec.rules[${i}].retry: retry is a Gateway API experimental-channel field: the standard-channel CRDs reject it as an unknown field, so the cluster needs the experimental-channel CRDs of Gateway API v1.5.1 (say so with gatewayApiChannel: 'experimental', or validate --gateway-api-channel experimental)`));
  });

  test('the default retries are Istio\'s own default policy: no retry field, standard channel; no retries at all is attempts 0', () => {
    const { app, service } = declare(
      { ...CANARY, routes: [{ name: 'stream', match: RequestMatch.uriExact('/stream'), strategy: Strategy.to('v2'), retries: RetryPolicy.none() }] },
      { api: 'gateway-api', gatewayApiChannel: 'experimental' },
    );
    expect(app.synthesize().notices).toEqual([]);
    const rules = service.renderedObjects().find((o) => o.json.kind === 'HTTPRoute')!.json.spec.rules;
    expect(rules.map((r: any) => r.retry)).toEqual([{ attempts: 0 }, undefined]);
  });

  test('a sticky canary: cookie rules, and each weighted backendRef adds its Set-Cookie', () => {
    const objects = objectsOf({ ...CANARY, routes: [], traffic: Strategy.stickyCanary({ split: { v1: Percent.of(80), v2: Percent.of(20) } }) });
    const cookie = (version: string) => ({ name: 'set-cookie', value: `model-version=${version}; Path=/; Max-Age=86400; HttpOnly; SameSite=Lax` });
    expect(objects['HTTPRoute/m'].spec.rules).toEqual([
      { backendRefs: [{ name: 'm-v1', port: 80 }], matches: [{ headers: [{ name: 'cookie', type: 'RegularExpression', value: '^(.*?;\\s*)?model-version=v1(;.*)?$' }], path: { type: 'PathPrefix', value: '/' } }], name: 'default-sticky-v1' },
      { backendRefs: [{ name: 'm-v2', port: 80 }], matches: [{ headers: [{ name: 'cookie', type: 'RegularExpression', value: '^(.*?;\\s*)?model-version=v2(;.*)?$' }], path: { type: 'PathPrefix', value: '/' } }], name: 'default-sticky-v2' },
      {
        backendRefs: [
          { filters: [{ responseHeaderModifier: { add: [cookie('v1')] }, type: 'ResponseHeaderModifier' }], name: 'm-v1', port: 80, weight: 80 },
          { filters: [{ responseHeaderModifier: { add: [cookie('v2')] }, type: 'ResponseHeaderModifier' }], name: 'm-v2', port: 80, weight: 20 },
        ],
        matches: [{ path: { type: 'PathPrefix', value: '/' } }],
        name: 'default',
      },
    ]);
  });

  test('an exact path rewritten: URLRewrite ReplaceFullPath', () => {
    const objects = objectsOf({ ...CANARY, routes: [{ name: 'predict', match: RequestMatch.uriExact('/predict'), strategy: Strategy.to('v2'), rewrite: UriRewrite.kserveV1('resnet') }] });
    expect(objects['HTTPRoute/m'].spec.rules[0].filters).toEqual([{ type: 'URLRewrite', urlRewrite: { path: { replaceFullPath: '/v1/models/resnet:predict', type: 'ReplaceFullPath' } } }]);
  });

  test('policies: a DestinationRule per version host with the version\'s effective policy (its blocks replace the service\'s whole), no subsets', () => {
    const objects = objectsOf({
      ...CANARY,
      loadBalancing: LoadBalancing.consistentHash(HashKey.header('x-tenant')),
      connectionPool: ConnectionPool.of({ maxRequests: 100 }),
      versions: { v1: {}, v2: { trafficPolicy: { connectionPool: ConnectionPool.of({ maxPendingRequests: 5 }) } } },
    });
    expect(objects['DestinationRule/m-v1']).toEqual({
      apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule',
      metadata: { annotations: SYNC_WAVE, name: 'm-v1', namespace: 'models' },
      spec: { host: 'm-v1', trafficPolicy: { connectionPool: { http: { http2MaxRequests: 100 } }, loadBalancer: { consistentHash: { httpHeaderName: 'x-tenant' } } } },
    });
    expect(objects['DestinationRule/m-v2'].spec).toEqual({
      host: 'm-v2',
      trafficPolicy: { connectionPool: { http: { http1MaxPendingRequests: 5, http2MaxRequests: 100 } }, loadBalancer: { consistentHash: { httpHeaderName: 'x-tenant' } } },
    });
  });

  test('no policy declared: no DestinationRule at all', () => {
    expect(Object.keys(objectsOf(CANARY)).filter((k) => k.startsWith('DestinationRule'))).toEqual([]);
  });

  test('mesh and gateways: <service> for in-mesh callers, <service>-ingress for the Gateway with the hosts; test rules stay in the mesh', () => {
    const objects = objectsOf({
      ...CANARY,
      routes: [],
      exposure: Exposure.ingress({ gateway: PUBLIC, hosts: ['m.example.com'] }),
      traffic: Strategy.blueGreen({ active: 'v1' }),
    });
    const preview = { backendRefs: [{ name: 'm-v2', port: 80 }], matches: [{ headers: [{ name: 'x-preview', type: 'Exact', value: 'true' }], path: { type: 'PathPrefix', value: '/' } }], name: 'default-preview' };
    const active = { backendRefs: [{ name: 'm-v1', port: 80 }], matches: [{ path: { type: 'PathPrefix', value: '/' } }], name: 'default' };
    expect(objects['HTTPRoute/m'].spec).toEqual({ parentRefs: [{ group: '', kind: 'Service', name: 'm' }], rules: [preview, active] });
    expect(objects['HTTPRoute/m-ingress'].spec).toEqual({
      hostnames: ['m.example.com'],
      parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public', namespace: 'istio-ingress' }],
      rules: [active],
    });
  });

  test('a gateway named but not declared: Istio would attach the ingress route nowhere, and synth says so', () => {
    expect(problemsOf({ ...CANARY, exposure: Exposure.ingress({ gateway: 'istio-ingress/other', hosts: ['m.example.com'] }) })).toEqual([
      'team/m/HTTPRoute-ingress: spec.parentRefs[0]: NoMatchingParent: parent gateway: "other" not found',
    ]);
  });

  test('two ingress entries on one Gateway: one parentRef, each host once (the CRD refuses repeats)', () => {
    const both = ExternalGateway.of('istio-ingress/public', { hosts: ['m.example.com', 'api.example.com'] });
    const objects = objectsOf({
      ...CANARY,
      exposure: Exposure.ingress({ gateway: both, hosts: ['m.example.com', 'api.example.com'] }, { gateway: both, hosts: ['api.example.com'] }),
    });
    expect(objects['HTTPRoute/m-ingress'].spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public', namespace: 'istio-ingress' }]);
    expect(objects['HTTPRoute/m-ingress'].spec.hostnames).toEqual(['m.example.com', 'api.example.com']);
  });

  test('gateways only (mesh: false): no mesh HTTPRoute; testRulesFromGateways opens the test rules to them', () => {
    const objects = objectsOf({
      ...CANARY,
      routes: [],
      exposure: Exposure.ingress({ gateway: PUBLIC, hosts: ['m.example.com'], mesh: false, unroutedMeshCallers: true }),
      traffic: Strategy.blueGreen({ active: 'v1' }),
      testRulesFromGateways: true,
    });
    expect(Object.keys(objects)).toEqual(['Service/m-v1', 'Service/m-v2', 'HTTPRoute/m-ingress']);
    expect(objects['HTTPRoute/m-ingress'].spec.rules.map((r: any) => r.name)).toEqual(['default-preview', 'default']);
  });
});

describe('the loss report', () => {
  test('fault injection, a character prefix, retry conditions beyond status codes and low codes: each named, with its service and the remedy', () => {
    expect(problemsOf({
      ...CANARY,
      timeout: Duration.seconds(10),
      retries: RetryPolicy.of({ attempts: 2, perTryTimeout: Duration.seconds(2), on: [RetryOn.GATEWAY_ERROR, RetryOn.RESET], statusCodes: [302] }),
      routes: [{ name: 'classify', match: RequestMatch.uriPrefix('/classify'), strategy: Strategy.to('v2'), fault: FaultInjection.delay(Duration.seconds(2)) }],
    })).toEqual([
      `team/m: route "classify": fault has no Gateway API equivalent (${GATEWAY_API_MAPPINGS.fault.output}), received {"delay":{"fixedDelay":"2s","percentage":{"value":100}}}; ${REMEDY}`,
      `team/m: route "classify": match uri prefix has no Gateway API equivalent (${GATEWAY_API_MAPPINGS.uriPrefix.output}), received "/classify"; use RequestMatch.pathPrefix("/classify") (whole segments, in both APIs) or ${REMEDY}`,
      `team/m: route "classify": retries.on has no Gateway API equivalent (${GATEWAY_API_MAPPINGS.retryOn.output}), received gateway-error,reset; ${REMEDY}`,
      `team/m: route "classify": retries.perTryTimeout has no Gateway API equivalent (${GATEWAY_API_MAPPINGS.perTryTimeout.output}), received 2000ms; ${REMEDY}`,
      `team/m: route "classify": retries.statusCodes must be 400 to 599 in the Gateway API output (${GATEWAY_API_MAPPINGS.retryCodes.output}), received 302; ${REMEDY}`,
      `team/m: default route: retries.on has no Gateway API equivalent (${GATEWAY_API_MAPPINGS.retryOn.output}), received gateway-error,reset; ${REMEDY}`,
      `team/m: default route: retries.perTryTimeout has no Gateway API equivalent (${GATEWAY_API_MAPPINGS.perTryTimeout.output}), received 2000ms; ${REMEDY}`,
      `team/m: default route: retries.statusCodes must be 400 to 599 in the Gateway API output (${GATEWAY_API_MAPPINGS.retryCodes.output}), received 302; ${REMEDY}`,
    ]);
  });

  test('an empty header or query value, which the CRD refuses, is named as a loss, not left to the API server', () => {
    expect(problemsOf({
      ...CANARY,
      routes: [{ name: 'empty', match: RequestMatch.uriExact('/a').and(RequestMatch.header('x-flag', StringMatch.exact(''))).and(RequestMatch.queryParam('q', StringMatch.exact(''))), strategy: Strategy.to('v2') }],
    })).toEqual([
      `team/m: route "empty": match headers "x-flag" must not be empty in the Gateway API output (${GATEWAY_API_MAPPINGS.emptyMatchValue.output}), received {"exact":""}; ${REMEDY}`,
      `team/m: route "empty": match queryParams "q" must not be empty in the Gateway API output (${GATEWAY_API_MAPPINGS.emptyMatchValue.output}), received {"exact":""}; ${REMEDY}`,
    ]);
  });

  test('the exact messages, as a user reads them', () => {
    expect(problemsOf({ ...CANARY, targetPort: undefined })).toEqual([
      "team/m: targetPort must be set for the Gateway API output: the container port the Service forwards to (the per-version Services' `targetPort`; required: without it the library would have to guess the pod port), received none; set targetPort or set api: 'istio' on this service",
    ]);
    expect(problemsOf({ ...CANARY, routes: [{ name: 'classify', match: RequestMatch.uriPrefix('/classify/'), strategy: Strategy.to('v2') }] })).toEqual([
      "team/m: route \"classify\": match uri prefix has no Gateway API equivalent (a VirtualService prefix matches characters (`/predict` takes `/predictions`), PathPrefix whole segments; a regex would rank below every prefix), received \"/classify/\"; use RequestMatch.pathPrefix(\"/classify\") (whole segments, in both APIs) or set api: 'istio' on this service",
    ]);
  });

  test('what cannot be named or reached: a host that is no Service of the namespace, a version whose Service name is invalid, a route on another port, a method the Gateway API lacks, a rewrite of a prefix', () => {
    expect(problemsOf({
      ...CANARY,
      host: 'models.example.com',
      versions: { v1: {}, V2: { idle: true } },
      port: 8000,
      routes: [
        { name: 'purge', match: RequestMatch.uriExact('/cache').and(RequestMatch.method('PURGE')), strategy: Strategy.to('v1'), port: 9000 },
        { name: 'predict', match: RequestMatch.uriPrefix('/'), strategy: Strategy.to('v1'), rewrite: UriRewrite.to('/v2') },
      ],
    })).toEqual([
      `team/m: host must name a Kubernetes Service of the namespace (a short name or name.namespace.svc.<domain>) for the Gateway API output (${GATEWAY_API_MAPPINGS.host.output}), received "models.example.com"; ${REMEDY}`,
      `team/m: version "V2": its Service name "m-V2" (<service>-<version>) must be a DNS-1035 label (lower-case letters, digits and '-', starting with a letter, at most 63 characters) for the Gateway API output, received "m-V2"; rename the version or ${REMEDY}`,
      `team/m: route "purge": port must be the service's port in the Gateway API output (${GATEWAY_API_MAPPINGS.routePort.output}), received 9000 (the service's: 8000); ${REMEDY}`,
      `team/m: route "purge": match method must be one the Gateway API lists (${GATEWAY_API_MAPPINGS.method.output}), received "PURGE"; ${REMEDY}`,
      `team/m: route "predict": rewrite must apply to exact paths only in the Gateway API output (${GATEWAY_API_MAPPINGS.rewritePrefix.output}), received UriRewrite.to("/v2") on {"prefix":"/"}; ${REMEDY}`,
    ]);
  });

  test('rule order: a regex path declared before the catch-all would lose to it (every PathPrefix, / included, precedes a regex)', () => {
    expect(problemsOf({ ...CANARY, routes: [{ name: 'models', match: RequestMatch.uriRegex('/v[0-9]+/models/.*'), strategy: Strategy.to('v2') }] })).toEqual([
      `team/m: default route: rule "default" must not take requests that rule "models", declared before it, takes (${GATEWAY_API_MAPPINGS.routeOrder.output}), received rule "default" first by precedence; reorder or narrow the routes or ${REMEDY}`,
    ]);
  });

  test('rule order: a narrower route declared after a broader one would take its requests first; declared first it maps', () => {
    const broad = { name: 'all', match: RequestMatch.pathPrefix('/v1'), strategy: Strategy.to('v1') };
    const narrow = { name: 'infer', match: RequestMatch.uriExact('/v1/infer'), strategy: Strategy.to('v2') };
    expect(problemsOf({ ...CANARY, routes: [broad, narrow] })).toEqual([
      // The shadowing check (both APIs) already says the narrow route is unreachable; the order check says what the Gateway API would do.
      'team/m: route "infer": is unreachable: every request it matches is taken by route "all", declared before it (Istio uses the first matching rule); declare it earlier or narrow the earlier route',
      `team/m: route "infer": rule "infer" must not take requests that rule "all", declared before it, takes (${GATEWAY_API_MAPPINGS.routeOrder.output}), received rule "infer" first by precedence; reorder or narrow the routes or ${REMEDY}`,
    ]);
    expect(objectsOf({ ...CANARY, routes: [narrow, broad] })['HTTPRoute/m'].spec.rules.map((r: any) => r.name)).toEqual(['infer', 'all', 'default']);
  });

  test('rule order: a query-parameter variant declared before a header variant, when a request can carry both', () => {
    const problems = problemsOf({
      ...CANARY,
      routes: [],
      traffic: Strategy.abTest({
        variants: [
          { name: 'q', when: RequestMatch.queryParam('variant', StringMatch.exact('b')), version: 'v2' },
          { name: 'h', when: RequestMatch.header('x-group', StringMatch.exact('beta')), version: 'v1' },
        ],
        otherwise: Strategy.to('v1'),
      }),
    });
    expect(problems).toEqual([
      `team/m: default route: rule "default-h" must not take requests that rule "default-q", declared before it, takes (${GATEWAY_API_MAPPINGS.routeOrder.output}), received rule "default-h" first by precedence; reorder or narrow the routes or ${REMEDY}`,
    ]);
  });
});

describe('the mapping table', () => {
  test('docs/reference.md holds the table exactly as the code decides it', () => {
    const reference = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'reference.md'), 'utf8');
    expect(reference).toContain(gatewayApiMappingTable());
  });
});
