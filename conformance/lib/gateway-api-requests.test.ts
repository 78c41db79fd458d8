// The requests of the gateway-api phase: HTTPRoute matches read as the Istio API's, so that
// the simulation's boundary requests (hits and near misses) reach them from the right places.
import { generateGatewayApiRequests } from './gateway-api-requests.mjs';

const service = (name: string, namespace: string) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { ports: [{ port: 80 }] } });
const route = (namespace: string, spec: object) => ({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r', namespace }, spec });
const sidecar = (namespace: string) => ({ kind: 'sidecar', namespace, serviceAccount: 'default' });

describe('generateGatewayApiRequests', () => {
  test('a Service parent: the hit and near misses of each match, from a sidecar in the namespace (every name of the host) and from one elsewhere (the FQDN)', () => {
    const requests = generateGatewayApiRequests([
      service('clf', 'ml'),
      route('ml', {
        parentRefs: [{ group: '', kind: 'Service', name: 'clf' }],
        rules: [{ matches: [{ path: { type: 'Exact', value: '/healthz' }, headers: [{ name: 'x-canary', value: 'on' }], method: 'POST' }], backendRefs: [{ name: 'clf', port: 80 }] }],
      }),
    ]);
    const fromMl = requests.filter((r) => r.from.namespace === 'ml' && r.host === 'clf');
    expect(fromMl).toContainEqual({ host: 'clf', from: sidecar('ml'), method: 'POST', path: '/healthz', headers: { 'x-canary': 'on' } });
    expect(fromMl).toContainEqual({ host: 'clf', from: sidecar('ml'), method: 'GET', path: '/healthz', headers: { 'x-canary': 'on' } });
    expect(fromMl).toContainEqual({ host: 'clf', from: sidecar('ml'), method: 'POST', path: '/healthz', headers: { 'x-canary': 'onx' } });
    expect(fromMl).toContainEqual({ host: 'clf', from: sidecar('ml'), method: 'POST', path: '/healthzx', headers: { 'x-canary': 'on' } });
    expect(new Set(requests.filter((r) => r.from.namespace === 'ml').map((r) => r.host))).toEqual(
      new Set(['clf', 'clf.ml', 'clf.ml.svc.cluster.local', 'CLF.ML.SVC.CLUSTER.LOCAL', 'clf.ml.svc.cluster.local.']),
    );
    expect(new Set(requests.filter((r) => r.from.namespace !== 'ml').map((r) => r.host))).toEqual(
      new Set(['clf.ml.svc.cluster.local', 'CLF.ML.SVC.CLUSTER.LOCAL', 'clf.ml.svc.cluster.local.']),
    );
  });

  test('a parent port: the route is asked on that port', () => {
    const requests = generateGatewayApiRequests([
      route('ml', { parentRefs: [{ group: '', kind: 'Service', name: 'clf', port: 9090 }], rules: [{ backendRefs: [{ name: 'clf', port: 9090 }] }] }),
    ]);
    expect(requests).toContainEqual({ host: 'clf', port: 9090, from: sidecar('ml'), path: '/' });
  });

  test('a Gateway parent: through the Gateway, on each HTTP listener port, to each hostname of the route; and each listener hostname', () => {
    const gateway = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'public', namespace: 'ingress' },
      spec: { gatewayClassName: 'istio', listeners: [{ name: 'web', port: 80, protocol: 'HTTP', hostname: '*.example.com' }, { name: 'tls', port: 443, protocol: 'HTTPS' }, { name: 'api', port: 8080, protocol: 'HTTP' }] },
    };
    const requests = generateGatewayApiRequests([
      gateway,
      route('ml', {
        parentRefs: [{ name: 'public', namespace: 'ingress' }],
        hostnames: ['clf.example.com'],
        rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/v2' }, queryParams: [{ type: 'RegularExpression', name: 'shard', value: 'shard-[0-9]+' }] }], backendRefs: [{ name: 'clf', port: 80 }] }],
      }),
    ]);
    const through = { kind: 'gateway', gateway: 'ingress/public' };
    expect(requests).toContainEqual({ host: 'clf.example.com', from: through, path: '/v2/sub?shard=shard-42' });
    expect(requests).toContainEqual({ host: 'clf.example.com', port: 8080, from: through, path: '/v2/sub?shard=shard-42' });
    expect(requests).toContainEqual({ host: 'clf.example.com', from: through, path: '/v2x' });
    expect(requests).toContainEqual({ host: 'sim.example.com', from: through, path: '/' });
    expect(requests.filter((r) => r.port === 443)).toEqual([]);
    // Bound to a Gateway only: no sidecar is asked about a host that is no service of the set.
    expect(requests.filter((r) => r.from.kind === 'sidecar')).toEqual([]);
  });
});
