import { load } from 'js-yaml';
import { buildTrafficModel, explainRequest, TrafficRequest } from '.';

// Each case is judged by Istio too: conformance/testdata/simulation/{gateway-merge,gateway-servers,
// creation-order,service-registry}.yaml run through Istio's own config generation.
const objects = (yaml: string) => yaml.split('\n---\n').map((doc) => load(doc));
const sidecar = (namespace: string) => ({ kind: 'sidecar' as const, namespace, serviceAccount: 'default' });
const gateway = (ref: string) => ({ kind: 'gateway' as const, gateway: ref });
const askIn = (yaml: string) => {
  const model = buildTrafficModel(objects(yaml));
  return (request: Partial<TrafficRequest> & { host: string }) => explainRequest(model, { path: '/', from: sidecar('default'), ...request });
};
const where = (e: { status: number; virtualService: string | null; rule: string | number | null; destinations: readonly { host: string }[] }) =>
  [e.status, e.virtualService, e.rule, e.destinations.map((d) => d.host)];

const vs = (name: string, spec: string, extra = '') => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ${name}, namespace: default${extra}}
spec:
${spec}`;

describe('a gateway host that several VirtualServices share (issue 22, item 9)', () => {
  const ask = askIn([
    vs('a-older', `  hosts: [shop.example.com]
  gateways: [edge/public]
  http:
  - {name: everything, route: [{destination: {host: a}}]}
  - {name: never, match: [{uri: {prefix: /never}}], route: [{destination: {host: a}}]}`, ', creationTimestamp: "2020-01-01T00:00:00Z"'),
    vs('b-newer', `  hosts: [shop.example.com]
  gateways: [edge/public]
  http:
  - {name: cart, match: [{uri: {prefix: /cart}}], route: [{destination: {host: b}}]}
  - {name: root, match: [{uri: {prefix: /}}], route: [{destination: {host: b}}]}`, ', creationTimestamp: "2021-01-01T00:00:00Z"'),
  ].join('\n---\n'));
  const from = gateway('edge/public');

  test('their rules merge, oldest VirtualService first, and rules that match everything move last', () => {
    expect(where(ask({ host: 'shop.example.com', path: '/cart/1', from }))).toEqual([200, 'default/b-newer', 'cart', ['b.default.svc.cluster.local']]);
    expect(where(ask({ host: 'shop.example.com', path: '/other', from }))).toEqual([200, 'default/a-older', 'everything', ['a.default.svc.cluster.local']]);
  });

  test('a VirtualService\'s rules after one that matches everything are dropped', () => {
    expect(where(ask({ host: 'shop.example.com', path: '/never', from }))).toEqual([200, 'default/a-older', 'everything', ['a.default.svc.cluster.local']]);
  });
});

describe('Gateway servers (issue 22, item 13)', () => {
  const gatewayYaml = (name: string, servers: string) => `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: ${name}, namespace: edge}
spec:
  selector: {istio: ingress}
  servers:
${servers}`;
  const ask = askIn([
    gatewayYaml('public', `  - port: {number: 80, name: http, protocol: HTTP}
    hosts: [shop.example.com, "default/api.example.com"]
  - port: {number: 8080, name: http-alt, protocol: HTTP}
    hosts: [secure.example.com]
    tls: {httpsRedirect: true}`),
    gatewayYaml('other', `  - port: {number: 80, name: http, protocol: HTTP}
    hosts: [other.example.com]`),
    vs('all', `  hosts: ["*"]
  gateways: [edge/public]
  http: [{name: all, route: [{destination: {host: web}}]}]`),
    vs('other', `  hosts: [other.example.com]
  gateways: [edge/other]
  http: [{name: other, route: [{destination: {host: other}}]}]`),
  ].join('\n---\n'));
  const from = gateway('edge/public');

  test('a server\'s hosts limit which hosts reach a VirtualService bound to its Gateway', () => {
    expect(where(ask({ host: 'shop.example.com', from }))).toEqual([200, 'default/all', 'all', ['web.default.svc.cluster.local']]);
    expect(where(ask({ host: 'api.example.com', from }))).toEqual([200, 'default/all', 'all', ['web.default.svc.cluster.local']]);
    expect(ask({ host: 'unknown.example.com', from }).status).toBe(404);
  });

  test('a server\'s port limits it: no server on a port, no route there', () => {
    expect(ask({ host: 'shop.example.com', port: 9090, from })).toMatchObject({ status: 404, summary: 'gateway edge/public has no HTTP server on port 9090: nothing listens there' });
    expect(ask({ host: 'shop.example.com', port: 8080, from }).status).toBe(404);
  });

  test('tls.httpsRedirect answers 301, with or without a VirtualService for the host', () => {
    expect(ask({ host: 'secure.example.com', port: 8080, from })).toMatchObject({ status: 301, virtualService: null });
  });

  test('Gateways that select the same pods are one proxy: their servers and VirtualServices add up', () => {
    expect(where(ask({ host: 'other.example.com', from }))).toEqual([200, 'default/other', 'other', ['other.default.svc.cluster.local']]);
  });
});

describe('two VirtualServices for one host (issue 22, item 13)', () => {
  const ask = askIn([
    vs('a-newer', `  hosts: [reviews]
  http: [{name: newer, route: [{destination: {host: reviews, subset: v2}}]}]`, ', creationTimestamp: "2021-01-01T00:00:00Z"'),
    vs('z-older', `  hosts: [reviews]
  http: [{name: older, route: [{destination: {host: reviews, subset: v1}}]}]`, ', creationTimestamp: "2020-01-01T00:00:00Z"'),
    `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews, namespace: default}
spec: {host: reviews, subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]}`,
  ].join('\n---\n'));

  test('the oldest wins, not the first by name', () => {
    expect(where(ask({ host: 'reviews' }))).toEqual([200, 'default/z-older', 'older', ['reviews.default.svc.cluster.local']]);
  });

  test('a VirtualService private to the caller\'s namespace comes before public ones, however old', () => {
    const local = vs('local', `  hosts: [reviews.default.svc.cluster.local]
  exportTo: ["."]
  http: [{name: local, route: [{destination: {host: reviews, subset: v3}}]}]`, ', namespace: web, creationTimestamp: "2022-01-01T00:00:00Z"').replace('namespace: default, namespace: web', 'namespace: web');
    const withLocal = askIn([local, vs('a-older', `  hosts: [reviews]
  http: [{name: older, route: [{destination: {host: reviews, subset: v1}}]}]`, ', creationTimestamp: "2020-01-01T00:00:00Z"')].join('\n---\n'));
    expect(withLocal({ host: 'reviews.default', from: sidecar('web') }).virtualService).toBe('web/local');
    expect(withLocal({ host: 'reviews' }).virtualService).toBe('default/a-older');
  });
});

describe('the service registry (issue 22, item 13)', () => {
  const services = `apiVersion: v1
kind: Service
metadata: {name: known, namespace: default}
spec:
  clusterIP: 10.0.0.1
  ports: [{name: http, port: 80}, {name: http-alt, port: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: alias, namespace: default}
spec: {type: ExternalName, externalName: known.default.svc.cluster.local}
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: istio-io, namespace: default}
spec:
  hosts: [istio.io]
  location: MESH_EXTERNAL
  resolution: DNS
  ports: [{number: 80, name: http, protocol: HTTP}]`;

  test('a host no Service names is passed through unchanged; a ServiceEntry host stays as written', () => {
    const ask = askIn(services);
    expect(where(ask({ host: 'istio.io' }))).toEqual([200, null, null, ['istio.io']]);
    expect(where(ask({ host: 'nowhere', from: sidecar('web') }))).toEqual([200, null, null, ['nowhere']]);
    expect(where(ask({ host: 'known', port: 8080 }))).toEqual([200, null, null, ['known.default.svc.cluster.local']]);
  });

  test('a ServiceEntry\'s short host is its name as written, not a Kubernetes Service\'s', () => {
    const ask = askIn(`${services}\n---\napiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: legacy, namespace: default}
spec:
  hosts: [legacy]
  resolution: STATIC
  endpoints: [{address: 10.9.9.9}]
  ports: [{number: 80, name: http, protocol: HTTP}]`);
    expect(where(ask({ host: 'legacy' }))).toEqual([200, null, null, ['legacy']]);
    expect(where(ask({ host: 'legacy.default' }))).toEqual([200, null, null, ['legacy.default']]);
  });

  test('a VirtualService for a host without a Service routes on port 80 only', () => {
    const ask = askIn(`${services}\n---\n${vs('foo', `  hosts: [foo.default.svc.cluster.local]
  http: [{name: foo, route: [{destination: {host: known}}]}]`)}`);
    expect(where(ask({ host: 'foo.default.svc.cluster.local' }))).toEqual([200, 'default/foo', 'foo', ['known.default.svc.cluster.local']]);
    expect(where(ask({ host: 'foo.default.svc.cluster.local', port: 8080 }))).toEqual([200, null, null, ['foo.default.svc.cluster.local']]);
    // Only the host as written: a host that is no service gets no short names.
    expect(where(ask({ host: 'foo' }))).toEqual([200, null, null, ['foo']]);
  });

  test('a wildcard VirtualService that covers services routes those services, and makes no route of its own', () => {
    const ask = askIn(`${services}\n---\n${vs('wild', `  hosts: ["*.svc.cluster.local"]
  http: [{name: wild, route: [{destination: {host: istio.io}}]}]`)}`);
    expect(where(ask({ host: 'known' }))).toEqual([200, 'default/wild', 'wild', ['istio.io']]);
    expect(where(ask({ host: 'unknown.default.svc.cluster.local' }))).toEqual([200, null, null, ['unknown.default.svc.cluster.local']]);
  });

  test('an ExternalName Service is followed to the Service it aliases; a VirtualService for the alias takes its exact name only', () => {
    expect(where(askIn(services)({ host: 'alias.default' }))).toEqual([200, null, null, ['known.default.svc.cluster.local']]);
    const ask = askIn(`${services}\n---\n${vs('alias', `  hosts: [alias.default.svc.cluster.local]
  http: [{name: one, match: [{uri: {prefix: /one}}], route: [{destination: {host: known}}]}]`)}`);
    expect(where(ask({ host: 'alias.default.svc.cluster.local', path: '/one' }))).toEqual([200, 'default/alias', 'one', ['known.default.svc.cluster.local']]);
    expect(where(ask({ host: 'alias.default', path: '/one' }))).toEqual([200, null, null, ['known.default.svc.cluster.local']]);
  });
});

describe('a match block that names gateways (Istio\'s sourceMatchHTTP)', () => {
  test('is decided by its gateways alone: its sourceLabels are ignored, and an empty list names none', () => {
    const ask = askIn(vs('m', `  hosts: [m]
  http:
  - name: empty-gateways
    match: [{gateways: [], uri: {prefix: /empty}}]
    route: [{destination: {host: m, subset: v3}}]
  - name: web-only
    match: [{gateways: [mesh], sourceLabels: {app: web}}]
    route: [{destination: {host: m, subset: v2}}]
  - {name: rest, route: [{destination: {host: m, subset: v1}}]}`));
    expect(ask({ host: 'm' }).rule).toBe('web-only');
    expect(ask({ host: 'm', path: '/empty' }).rule).toBe('empty-gateways');
  });
});

describe('source conditions at a gateway', () => {
  test('sourceLabels match the gateway pods\' labels: its Gateway\'s selector', () => {
    const ask = askIn(`apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: public, namespace: edge}
spec:
  selector: {istio: ingress}
  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}]
---
${vs('m', `  hosts: [m.example.com]
  gateways: [edge/public]
  http:
  - {name: by-labels, match: [{sourceLabels: {istio: ingress}}], route: [{destination: {host: m, subset: v2}}]}
  - {name: rest, route: [{destination: {host: m, subset: v1}}]}`)}`);
    expect(ask({ host: 'm.example.com', from: gateway('edge/public') }).rule).toBe('by-labels');
    expect(ask({ host: 'm.example.com', from: { ...gateway('edge/public'), labels: { istio: 'other' } } }).rule).toBe('rest');
  });
});
