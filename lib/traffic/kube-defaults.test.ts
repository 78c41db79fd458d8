import crdDefaults from '../../imports/gateway-api-crd-defaults.json';
import schemas from '../../imports/gateway-api-crd-schemas.json';
import { crdDefaults as defaultsOf } from '../../scripts/gateway-api-crd-defaults.mjs';
import { withCrdDefaults } from './kube-defaults';

test('imports/gateway-api-crd-defaults.json is what the CRD schemas say (npm run import:gateway-api writes both)', () => {
  expect(crdDefaults).toEqual(defaultsOf(schemas));
});

test('an HTTPRoute gets the defaults the API server fills in; what it says stays; the input is not changed', () => {
  // GIVEN a route with a rule without matches, a match without path, a backend without weight, a redirect without code
  const route = {
    apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r', namespace: 'ml' },
    spec: {
      parentRefs: [{ name: 'public' }],
      rules: [
        { backendRefs: [{ name: 'a', port: 80 }] },
        { matches: [{ headers: [{ name: 'x', value: '1' }] }], filters: [{ type: 'RequestRedirect', requestRedirect: { hostname: 'b' } }] },
        { matches: [{ path: { type: 'Exact', value: '/x' } }], backendRefs: [{ name: 'c', port: 80, weight: 0 }] },
      ],
    },
  };
  const copy = structuredClone(route);

  // WHEN
  const defaulted = withCrdDefaults(route);

  // THEN
  expect(defaulted.spec).toEqual({
    parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public' }],
    rules: [
      { matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ group: '', kind: 'Service', name: 'a', port: 80, weight: 1 }] },
      { matches: [{ headers: [{ name: 'x', type: 'Exact', value: '1' }], path: { type: 'PathPrefix', value: '/' } }], filters: [{ type: 'RequestRedirect', requestRedirect: { hostname: 'b', statusCode: 302 } }] },
      { matches: [{ path: { type: 'Exact', value: '/x' } }], backendRefs: [{ group: '', kind: 'Service', name: 'c', port: 80, weight: 0 }] },
    ],
  });
  expect(route).toEqual(copy);
  const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } };
  expect(withCrdDefaults(service)).toBe(service);
});
