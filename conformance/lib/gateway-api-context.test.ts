// The cluster context of a generated app: what its routes' parentRefs name that the library
// does not write (the service's own Service, the ingress Gateway), for both judges to read.
import { clusterContext } from './gateway-api-context.mjs';

const route = (name: string, spec: object) => ({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name, namespace: 'ml' }, spec });

describe('clusterContext', () => {
  test('a missing parent Service on the backends\' ports, and a missing Gateway with one HTTP listener for all namespaces', () => {
    const objects = [
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'model-v1', namespace: 'ml' }, spec: { ports: [{ port: 8000 }] } },
      route('model', { parentRefs: [{ group: '', kind: 'Service', name: 'model' }], rules: [{ backendRefs: [{ name: 'model-v1', port: 8000 }] }] }),
      route('model-ingress', { parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public', namespace: 'edge' }], rules: [{ backendRefs: [{ name: 'model-v1', port: 8000 }] }] }),
    ];
    expect(clusterContext(objects)).toEqual([
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'model', namespace: 'ml' }, spec: { selector: { app: 'model' }, ports: [{ name: 'http-8000', port: 8000 }] } },
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'Gateway',
        metadata: { name: 'public', namespace: 'edge' },
        spec: { gatewayClassName: 'istio', listeners: [{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } }] },
      },
    ]);
  });

  test('parents the objects declare are not added', () => {
    const objects = [
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'model', namespace: 'ml' }, spec: { ports: [{ port: 80 }] } },
      route('model', { parentRefs: [{ group: '', kind: 'Service', name: 'model' }], rules: [{ backendRefs: [{ name: 'model', port: 80 }] }] }),
    ];
    expect(clusterContext(objects)).toEqual([]);
  });
});
