import { describeRequest } from './cli/parse-request';
import { renderExplanation } from './cli/render-text';
import { explainRequest } from './explain';
import { readDocuments } from './read-documents';
import { RequestSource, TrafficRequest } from './request';
import { buildTrafficModel } from './traffic-model';

const GROUP = 'gateway.networking.k8s.io/v1';
const SIDECAR: RequestSource = { kind: 'sidecar', namespace: 'ml', serviceAccount: 'default' };
const INGRESS: RequestSource = { kind: 'gateway', gateway: 'edge/public' };

const service = (name: string, namespace = 'ml', port = 80) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { ports: [{ name: 'http', port }] } });
const backend = (name: string, extra: object = {}) => ({ name, port: 80, ...extra });

function route(name: string, spec: object, metadata: object = {}) {
  return { apiVersion: GROUP, kind: 'HTTPRoute', metadata: { name, namespace: 'ml', ...metadata }, spec };
}

/** A GAMMA route: bound to the Service `reviews` in `ml`. */
function meshRoute(name: string, rules: object[], metadata: object = {}) {
  return route(name, { parentRefs: [{ group: '', kind: 'Service', name: 'reviews' }], rules }, metadata);
}

const gateway = {
  apiVersion: GROUP,
  kind: 'Gateway',
  metadata: { name: 'public', namespace: 'edge' },
  spec: {
    gatewayClassName: 'istio',
    listeners: [
      { name: 'shop', port: 80, protocol: 'HTTP', hostname: 'shop.example.com', allowedRoutes: { namespaces: { from: 'All' } } },
      { name: 'any', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } } },
    ],
  },
};

function gatewayRoute(name: string, rules: object[], extra: object = {}) {
  return route(name, { parentRefs: [{ name: 'public', namespace: 'edge', sectionName: 'shop' }], hostnames: ['shop.example.com'], rules, ...extra });
}

const SERVICES = ['reviews', 'reviews-v1', 'reviews-v2', 'shadow'].map((s) => service(s));

function explain(objects: unknown[], request: Partial<TrafficRequest> & { path: string }) {
  return explainRequest(buildTrafficModel(objects), { host: 'reviews', from: SIDECAR, ...request });
}

const destinationsOf = (objects: unknown[], request: Partial<TrafficRequest> & { path: string }) =>
  explain(objects, request).destinations.map((d) => `${d.weight}% ${d.host.split('.')[0]}`);

describe('a GAMMA route (parentRef: the Service)', () => {
  test('is bound to the mesh with the Service FQDN as host; explain names the HTTPRoute, rule and match that answered', () => {
    // GIVEN a canary rule with a header match, and a weighted default
    const objects = [...SERVICES, meshRoute('reviews', [
      { name: 'canary', matches: [{ path: { type: 'PathPrefix', value: '/v1' }, headers: [{ name: 'x-canary', value: 'yes' }] }], backendRefs: [backend('reviews-v2')] },
      { backendRefs: [backend('reviews-v1', { weight: 90 }), backend('reviews-v2', { weight: 10 })] },
    ])];

    // WHEN a sidecar in ml calls reviews with the header
    const explanation = explain(objects, { path: '/v1/list', headers: { 'x-canary': 'yes' } });

    // THEN Istio's converted VirtualService ml/ml~reviews.ml.svc.cluster.local answers with its rule `canary`
    expect(explanation).toEqual({
      status: 200,
      summary: 'rule 0 ("canary") of HTTPRoute ml/reviews, match 0 sends it to 100% reviews-v2.ml.svc.cluster.local; no ALLOW policy applies to the workload',
      virtualService: 'ml/ml~reviews.ml.svc.cluster.local',
      rule: 'canary',
      httpRoute: { ref: 'ml/reviews', rule: 0, ruleName: 'canary', match: 0 },
      destinations: [{ host: 'reviews-v2.ml.svc.cluster.local', subset: null, port: 80, weight: 100 }],
      mirrors: [],
      rewrite: null,
      received: { host: 'reviews', path: '/v1/list' },
      timeout: null,
      retries: { attempts: 2, retryOn: 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes' },
      fault: null,
      headers: null,
      authorization: { allowed: true, policy: null, reason: 'no ALLOW policy applies to the workload' },
    });
    // ... and an unnamed rule is Istio's `<ns>.<route>.<index>`, shares as the weights say
    const other = explain(objects, { path: '/v1/list' });
    expect([other.rule, other.httpRoute]).toEqual(['ml.reviews.1', { ref: 'ml/reviews', rule: 1, match: 0 }]);
    expect(other.destinations.map((d) => [d.host, d.weight])).toEqual([['reviews-v1.ml.svc.cluster.local', 90], ['reviews-v2.ml.svc.cluster.local', 10]]);
  });

  test('the text output names the HTTPRoute, its rule and match, and the file it is written in', () => {
    // GIVEN the route read from a file
    const yaml = `apiVersion: ${GROUP}
kind: HTTPRoute
metadata: {name: reviews, namespace: ml}
spec:
  parentRefs: [{group: "", kind: Service, name: reviews}]
  rules:
  - name: stable
    backendRefs: [{name: reviews-v1, port: 80}]
`;
    const model = buildTrafficModel(readDocuments(yaml, 'routes/reviews.yaml'));
    const request: TrafficRequest = { host: 'reviews', from: SIDECAR, path: '/' };

    // WHEN explained as text
    const text = renderExplanation(describeRequest(request), explainRequest(model, request));

    // THEN
    expect(text).toBe([
      'request          GET reviews/ from a sidecar in ml (service account default)',
      'status           200',
      'summary          rule 0 ("stable") of HTTPRoute ml/reviews (routes/reviews.yaml), match 0 sends it to 100% reviews-v1.ml.svc.cluster.local; no ALLOW policy applies to the workload',
      'virtual service  ml/ml~reviews.ml.svc.cluster.local, rule "stable"',
      'http route       ml/reviews, rule 0 "stable", match 0, in routes/reviews.yaml',
      'destinations     100% reviews-v1.ml.svc.cluster.local:80',
      'mirrors          none',
      'received as      reviews /',
      'timeout          none',
      'retries          2 on connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes',
      'authorization    allowed: no ALLOW policy applies to the workload',
    ].join('\n'));
  });

  test('its parent Service is taken to exist when the inputs declare other Services but not it (the Gateway API output declares only the per-version Services)', () => {
    const objects = [service('reviews-v1'), meshRoute('reviews', [{ backendRefs: [backend('reviews-v1')] }])];
    expect(destinationsOf(objects, { path: '/' })).toEqual(['100% reviews-v1']);
  });

  test('a ServiceEntry parent gives the route its hosts; a Hostname backend routes to a host of the registry', () => {
    const entry = { apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'partner', namespace: 'ml' }, spec: { hosts: ['api.partner.example.com'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'DNS' } };
    const byHostname = route('partner', {
      parentRefs: [{ group: 'networking.istio.io', kind: 'ServiceEntry', name: 'partner' }],
      rules: [{ backendRefs: [{ group: 'networking.istio.io', kind: 'Hostname', name: 'api.partner.example.com', port: 80 }], filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'X-Env', value: 'prod' }] } }] }],
    });
    const explanation = explain([entry, byHostname], { host: 'api.partner.example.com', path: '/quote' });
    expect([explanation.status, explanation.virtualService, explanation.headers]).toEqual([200, 'ml/ml~api.partner.example.com', { request: { set: { 'x-env': 'prod' } } }]);
    expect(explanation.destinations).toEqual([{ host: 'api.partner.example.com', subset: null, port: 80, weight: 100 }]);
  });

  test('a route in the caller\'s namespace for a Service of another (a consumer route) applies to that namespace only', () => {
    // GIVEN the producer's route in ml, and a consumer's route in shop for the same Service
    const consumer = route('shop-view', { parentRefs: [{ group: '', kind: 'Service', name: 'reviews', namespace: 'ml' }], rules: [{ backendRefs: [backend('reviews-v2', { namespace: 'ml' })] }] }, { namespace: 'shop' });
    const objects = [...SERVICES, meshRoute('reviews', [{ backendRefs: [backend('reviews-v1')] }]), consumer];
    const from = (namespace: string): RequestSource => ({ kind: 'sidecar', namespace, serviceAccount: 'default' });

    // THEN a caller in shop gets the consumer's route, callers elsewhere the producer's
    expect(destinationsOf(objects, { host: 'reviews.ml', from: from('shop'), path: '/' })).toEqual(['100% reviews-v2']);
    expect(destinationsOf(objects, { host: 'reviews.ml', from: from('web'), path: '/' })).toEqual(['100% reviews-v1']);
  });
});

describe('precedence across the routes for one host', () => {
  const prefix = (value: string) => ({ path: { type: 'PathPrefix', value } });
  const to = (name: string) => ({ backendRefs: [backend(name)] });

  test.each([
    ['an exact path over a longer prefix', [{ matches: [prefix('/items/all')], ...to('reviews-v1') }], [{ matches: [{ path: { type: 'Exact', value: '/items' } }], ...to('reviews-v2') }], '/items', 'reviews-v2'],
    ['the longest prefix', [{ matches: [prefix('/items')], ...to('reviews-v1') }], [{ matches: [prefix('/items/special')], ...to('reviews-v2') }], '/items/special/1', 'reviews-v2'],
    ['a method match over none', [{ matches: [prefix('/items')], ...to('reviews-v1') }], [{ matches: [{ ...prefix('/items'), method: 'GET' }], ...to('reviews-v2') }], '/items', 'reviews-v2'],
    ['more header matches', [{ matches: [{ ...prefix('/'), headers: [{ name: 'a', value: '1' }] }], ...to('reviews-v1') }], [{ matches: [{ ...prefix('/'), headers: [{ name: 'a', value: '1' }, { name: 'b', value: '2' }] }], ...to('reviews-v2') }], '/', 'reviews-v2'],
    ['more query matches', [{ matches: [{ ...prefix('/'), queryParams: [{ name: 'q', value: '1' }] }], ...to('reviews-v1') }], [{ matches: [{ ...prefix('/'), queryParams: [{ name: 'q', value: '1' }, { name: 'r', value: '2' }] }], ...to('reviews-v2') }], '/?q=1&r=2', 'reviews-v2'],
    ['a prefix over a regex, even `/`: a rule without matches is PathPrefix `/` (the CRD default)', [{ matches: [{ path: { type: 'RegularExpression', value: '/items/.*' } }], ...to('reviews-v2') }], [to('reviews-v1')], '/items/1', 'reviews-v1'],
  ])('%s, whichever route is older', (_, first, second, path, expected) => {
    // GIVEN two routes for the host, the one that should lose being the older
    const older = meshRoute('a', first, { creationTimestamp: '2026-01-01T00:00:00Z' });
    const newer = meshRoute('b', second, { creationTimestamp: '2026-02-01T00:00:00Z' });
    const headers = { a: '1', b: '2' };

    // THEN the more precise match answers
    expect(destinationsOf([...SERVICES, older, newer], { path, headers })).toEqual([`100% ${expected}`]);
  });

  test('on a full tie the oldest route answers, then (same creation time) the route\'s namespace and name decide', () => {
    const rules = (name: string) => [{ matches: [prefix('/items')], backendRefs: [backend(name)] }];
    const at = (time: string) => ({ creationTimestamp: time });
    expect(destinationsOf([...SERVICES, meshRoute('a', rules('reviews-v1'), at('2026-02-01T00:00:00Z')), meshRoute('b', rules('reviews-v2'), at('2026-01-01T00:00:00Z'))], { path: '/items' }))
      .toEqual(['100% reviews-v2']);
    expect(destinationsOf([...SERVICES, meshRoute('b', rules('reviews-v2')), meshRoute('a', rules('reviews-v1'))], { path: '/items' }))
      .toEqual(['100% reviews-v1']);
  });
});

describe('paths, backends, filters', () => {
  test('no rule matches: a 404 that names the HTTPRoutes', () => {
    const objects = [...SERVICES, meshRoute('a', [{ matches: [{ path: { type: 'Exact', value: '/a' } }], backendRefs: [backend('reviews-v1')] }]), meshRoute('b', [{ matches: [{ path: { type: 'Exact', value: '/b' } }], backendRefs: [backend('reviews-v2')] }])];
    const explanation = explain(objects, { path: '/c' });
    expect([explanation.status, explanation.summary, explanation.virtualService]).toEqual([404, 'no rule of HTTPRoute ml/a, HTTPRoute ml/b matches GET /c: the proxy answers 404', 'ml/ml~reviews.ml.svc.cluster.local']);
  });

  test('PathPrefix matches whole segments, and a trailing `/` in the prefix is ignored', () => {
    const objects = [...SERVICES, meshRoute('r', [
      { matches: [{ path: { type: 'PathPrefix', value: '/v1/' } }], backendRefs: [backend('reviews-v2')] },
      { backendRefs: [backend('reviews-v1')] },
    ])];
    expect(['/v1', '/v1/', '/v1/x', '/v1?q=1', '/v1x', '/v10/x'].map((path) => destinationsOf(objects, { path })[0]))
      .toEqual(['100% reviews-v2', '100% reviews-v2', '100% reviews-v2', '100% reviews-v2', '100% reviews-v1', '100% reviews-v1']);
  });

  test('a backend Service that does not exist gets Envoy\'s 500, and only its share when weighted', () => {
    const objects = [...SERVICES, meshRoute('r', [
      { matches: [{ path: { type: 'PathPrefix', value: '/gone' } }], backendRefs: [backend('missing')] },
      { backendRefs: [backend('reviews-v1'), backend('missing')] },
    ])];
    const gone = explain(objects, { path: '/gone' });
    expect([gone.status, gone.authorization.reason]).toEqual([500, 'not judged: backend(missing.ml.svc.cluster.local) not found: Istio keeps the backend without a cluster; Envoy answers 500']);
    const split = explain(objects, { path: '/' });
    expect([split.status, split.summary]).toEqual([500, 'rule 1 of HTTPRoute ml/r, match 0 sends it to 50% reviews-v1.ml.svc.cluster.local, 50% missing.ml.svc.cluster.local; backend(missing.ml.svc.cluster.local) not found: Istio keeps the backend without a cluster; Envoy answers 500 to its 50% share']);
  });

  test('no backendRefs is a 404; backendRefs that all weigh 0 a 500', () => {
    const objects = [...SERVICES, meshRoute('r', [
      { matches: [{ path: { type: 'PathPrefix', value: '/none' } }] },
      { backendRefs: [backend('reviews-v1', { weight: 0 })] },
    ])];
    expect([explain(objects, { path: '/none' }).status, explain(objects, { path: '/' }).status]).toEqual([404, 500]);
  });

  test('a gateway route\'s backend in another namespace needs a ReferenceGrant there (500 without); a mesh route\'s does not', () => {
    // GIVEN a route in ml through the Gateway edge/public to a Service in store
    const crossNamespace = [{ backendRefs: [backend('catalog', { namespace: 'store' })] }];
    const objects = [gateway, service('catalog', 'store'), gatewayRoute('shop', crossNamespace)];
    const grant = { apiVersion: 'gateway.networking.k8s.io/v1beta1', kind: 'ReferenceGrant', metadata: { name: 'shop', namespace: 'store' }, spec: { from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'ml' }], to: [{ group: '', kind: 'Service' }] } };
    const request = { host: 'shop.example.com', from: INGRESS, path: '/' };

    // THEN
    const denied = explain(objects, request);
    expect([denied.status, denied.summary]).toEqual([500, 'rule 0 of HTTPRoute ml/shop, match 0 sends it to 100% an unresolved backendRef; backendRef catalog/store not accessible to a HTTPRoute in namespace "ml" (missing a ReferenceGrant?): Istio keeps the backend without a cluster; Envoy answers 500']);
    expect(denied.destinations).toEqual([{ host: '', subset: null, weight: 100 }]);
    expect(explain([...objects, grant], request).status).toBe(200);
    const mesh = [service('reviews'), service('catalog', 'store'), meshRoute('r', crossNamespace)];
    expect(destinationsOf(mesh, { path: '/' })).toEqual(['100% catalog']);
  });

  test('mirrors: a percent, a fraction, several; a mirror to a backend that does not exist is dropped', () => {
    const mirror = (name: string, extra: object = {}) => ({ type: 'RequestMirror', requestMirror: { backendRef: backend(name), ...extra } });
    const objects = [...SERVICES, meshRoute('r', [{
      filters: [mirror('shadow', { percent: 5 }), mirror('reviews-v2', { fraction: { numerator: 1, denominator: 3 } }), mirror('missing'), mirror('reviews-v1')],
      backendRefs: [backend('reviews-v1')],
    }])];
    expect(explain(objects, { path: '/' }).mirrors.map((m) => [m.host.split('.')[0], m.percentage])).toEqual([['shadow', 5], ['reviews-v2', 100 / 3], ['reviews-v1', 100]]);
  });

  test.each([
    ['ReplacePrefixMatch replaces the matched prefix', '/api', { type: 'ReplacePrefixMatch', replacePrefixMatch: '/v2/' }, '/api/items?q=1', '/v2/items?q=1'],
    ['ReplacePrefixMatch `/` removes it', '/api', { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' }, '/api/items', '/items'],
    ['ReplacePrefixMatch `/` on the whole prefix leaves `/`', '/api', { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' }, '/api', '/'],
    ['ReplaceFullPath replaces the path, not the query', '/api', { type: 'ReplaceFullPath', replaceFullPath: '/all' }, '/api/items?q=1', '/all?q=1'],
  ])('URLRewrite: %s', (_, prefix, path, sent, received) => {
    const objects = [...SERVICES, meshRoute('r', [{
      matches: [{ path: { type: 'PathPrefix', value: prefix } }],
      filters: [{ type: 'URLRewrite', urlRewrite: { path, hostname: 'backend.internal' } }],
      backendRefs: [backend('reviews-v1')],
    }])];
    expect(explain(objects, { path: sent }).received).toEqual({ host: 'backend.internal', path: received });
  });

  test('a redirect is a 302 unless its statusCode says otherwise; a filter Istio does not support drops the whole route', () => {
    const redirect = (extra: object) => ({ type: 'RequestRedirect', requestRedirect: { hostname: 'new.example.com', ...extra } });
    const objects = [...SERVICES, meshRoute('r', [
      { matches: [{ path: { type: 'Exact', value: '/old' } }], filters: [redirect({})] },
      { matches: [{ path: { type: 'Exact', value: '/moved' } }], filters: [redirect({ statusCode: 301 })] },
      { backendRefs: [backend('reviews-v1')] },
    ])];
    expect([explain(objects, { path: '/old' }).status, explain(objects, { path: '/moved' }).status]).toEqual([302, 301]);
    expect(explain(objects, { path: '/old?q=1' }).redirect).toEqual({ location: 'http://new.example.com/old?q=1' });
    const unsupported = [...SERVICES, meshRoute('r', [{ filters: [{ type: 'ExtensionRef', extensionRef: { group: 'x', kind: 'Y', name: 'z' } }], backendRefs: [backend('reviews-v2')] }])];
    expect(explain(unsupported, { path: '/' }).summary).toBe('no VirtualService for reviews: the request goes to service reviews.ml.svc.cluster.local, any of its pods; no ALLOW policy applies to the workload');
  });

  test.each([
    ['the request\'s port when none is given', {}, 8080, '/api/items', 'http://reviews:8080/api/items'],
    ['no port when it is the scheme\'s default', { scheme: 'https', port: 443 }, 80, '/api/items', 'https://reviews/api/items'],
    ['the Host header\'s port kept (Envoy drops only :80 when the scheme leaves http)', { scheme: 'https' }, 8080, '/api/items', 'https://reviews:8080/api/items'],
    ['ReplacePrefixMatch swaps the matched prefix', { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/v2' } }, 80, '/api/items?q=1', 'http://reviews/v2/items?q=1'],
    ['ReplaceFullPath swaps the path', { path: { type: 'ReplaceFullPath', replaceFullPath: '/home' } }, 80, '/api/items', 'http://reviews/home'],
  ])('a redirect\'s Location: %s', (_, requestRedirect, port, path, location) => {
    const objects = [service('reviews', 'ml', port), meshRoute('r', [{ matches: [{ path: { type: 'PathPrefix', value: '/api' } }], filters: [{ type: 'RequestRedirect', requestRedirect }] }])];
    const explanation = explain(objects, { path, port });
    expect([explanation.status, explanation.redirect, explanation.summary]).toEqual([302, { location }, `rule 0 of HTTPRoute ml/r, match 0 redirects (302) to ${location}`]);
  });

  test('timeouts and retry as Istio converts them: backendRequest is the per-try timeout when a retry is set, else the route timeout', () => {
    const objects = [...SERVICES, meshRoute('r', [
      { matches: [{ path: { type: 'Exact', value: '/a' } }], timeouts: { request: '10s', backendRequest: '2s' }, retry: { attempts: 3, codes: [503] }, backendRefs: [backend('reviews-v1')] },
      { matches: [{ path: { type: 'Exact', value: '/b' } }], timeouts: { request: '10s', backendRequest: '2s' }, backendRefs: [backend('reviews-v1')] },
    ])];
    const a = explain(objects, { path: '/a' });
    expect([a.timeout, a.retries]).toEqual(['10s', { attempts: 3, retryOn: 'connect-failure,refused-stream,unavailable,cancelled,503', perTryTimeout: '2s' }]);
    expect(explain(objects, { path: '/b' }).timeout).toBe('2s');
  });
});

describe('a route through a Kubernetes Gateway', () => {
  test('binds to the listener its parentRef names, for the hostnames both accept, through the Gateway\'s own proxy', () => {
    // GIVEN a route in ml for shop.example.com on the listener `shop` (which admits routes from all namespaces)
    const objects = [gateway, service('shop', 'ml'), gatewayRoute('shop', [{ backendRefs: [backend('shop')] }])];

    // THEN the Gateway's proxy routes shop.example.com by the generated Istio Gateway's VirtualService
    const routed = explain(objects, { host: 'shop.example.com', from: INGRESS, path: '/cart' });
    expect([routed.status, routed.virtualService, routed.rule]).toEqual([200, 'ml/edge~public~istio-autogenerated-k8s-gateway~shop~shop.example.com', 'ml.shop.0']);
    expect(routed.destinations).toEqual([{ host: 'shop.ml.svc.cluster.local', subset: null, port: 80, weight: 100 }]);
    // ... and another host is no route of it: 404
    expect(explain(objects, { host: 'other.example.com', from: INGRESS, path: '/' }).status).toBe(404);
  });

  test('a listener admits routes of its own namespace only by default, and a parentRef\'s sectionName or port must name it', () => {
    const bindTo = (parentRef: object) => route('any', { parentRefs: [{ name: 'public', namespace: 'edge', ...parentRef }], rules: [{ backendRefs: [backend('shop')] }] });
    const statusFor = (objects: unknown[]) => explain([gateway, service('shop', 'ml'), service('shop', 'edge'), ...objects], { host: 'anything.example.com', from: INGRESS, path: '/' }).status;
    expect(statusFor([bindTo({ sectionName: 'any' })])).toBe(404);
    expect(statusFor([{ ...bindTo({ sectionName: 'any' }), metadata: { name: 'any', namespace: 'edge' } }])).toBe(200);
    expect(statusFor([{ ...bindTo({ sectionName: 'any', port: 8080 }), metadata: { name: 'any', namespace: 'edge' } }])).toBe(404);
  });

  test('a Gateway of another GatewayClass is not Istio\'s: its routes give the proxy nothing', () => {
    const other = { ...gateway, spec: { ...gateway.spec, gatewayClassName: 'other' } };
    const explanation = explain([other, service('shop', 'ml'), gatewayRoute('shop', [{ backendRefs: [backend('shop')] }])], { host: 'shop.example.com', from: INGRESS, path: '/' });
    expect([explanation.status, explanation.summary]).toEqual([404, 'no VirtualService bound to gateway edge/public serves host shop.example.com on port 80: the gateway answers 404']);
  });
});
