import type { ValidationOptions } from '../types';
import { validateObjects } from '../validate-objects';

/** What Istio's gateway controller writes in an HTTPRoute's status, as analysis findings (reason: message). */

const route = (spec: object, namespace = 'ml') => ({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'classify', namespace }, spec });
const service = (name: string, namespace = 'ml') => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { ports: [{ port: 80 }] } });
const gateway = (listeners: object[], namespace = 'istio-ingress') => ({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'public', namespace }, spec: { gatewayClassName: 'istio', listeners } });
const pool = (name: string) => ({ apiVersion: 'inference.networking.k8s.io/v1', kind: 'InferencePool', metadata: { name, namespace: 'ml' }, spec: { selector: { matchLabels: { app: name } }, targetPorts: [{ number: 8000 }], endpointPickerRef: { name: `${name}-epp`, port: { number: 9002 } } } });
const grant = (to: object) => ({ apiVersion: 'gateway.networking.k8s.io/v1beta1', kind: 'ReferenceGrant', metadata: { name: 'from-ml', namespace: 'shared' }, spec: { from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'ml' }], to: [to] } });
const mesh = [{ group: '', kind: 'Service', name: 'classify', port: 80 }];
const backend = (name: string, extra: object = {}) => ({ name, port: 80, ...extra });
const https = { name: 'https', port: 443, protocol: 'HTTPS', hostname: '*.models.example.com', tls: { certificateRefs: [{ name: 'cert' }] }, allowedRoutes: { namespaces: { from: 'All' } } };
const http = { name: 'http', port: 80, protocol: 'HTTP', hostname: '*.models.example.com', allowedRoutes: { namespaces: { from: 'All' } } };

/** The controller's findings (rule, path, message) on the first object, the route. */
function conditions(objects: object[], options: ValidationOptions = { context: [] }): string[] {
  return validateObjects(objects, options).filter((d) => d.rule.startsWith('gateway.')).map((d) => `${d.objectIndex} ${d.rule} ${d.path}: ${d.message}`);
}

describe('filters Istio cannot convert', () => {
  test('an ExtensionRef filter on a rule, a mirror on a backend', () => {
    expect(conditions([route({ parentRefs: mesh, rules: [{
      filters: [{ type: 'ExtensionRef', extensionRef: { group: 'example.com', kind: 'Filter', name: 'f' } }],
      backendRefs: [backend('classify-v1', { filters: [{ type: 'RequestMirror', requestMirror: { backendRef: backend('classify-v2') } }] })],
    }] })])).toEqual([
      '0 gateway.unsupported-filter spec.rules[0].backendRefs[0].filters[0]: InvalidFilter: unsupported filter type "RequestMirror"',
      '0 gateway.unsupported-filter spec.rules[0].filters[0]: InvalidFilter: unsupported filter type "ExtensionRef"',
    ]);
  });
});

describe('backends', () => {
  test('a backend in another namespace needs a ReferenceGrant there', () => {
    const objects = [route({ parentRefs: mesh, rules: [{ backendRefs: [backend('ranker', { namespace: 'shared' })] }] })];
    expect(conditions(objects)).toEqual(['0 gateway.ref-not-permitted spec.rules[0].backendRefs[0]: RefNotPermitted: backendRef ranker/shared not accessible to a HTTPRoute in namespace "ml" (missing a ReferenceGrant?)']);
    expect(conditions([...objects, grant({ group: '', kind: 'Service' })])).toEqual([]);
    expect(conditions([...objects, grant({ group: '', kind: 'Service', name: 'other' })])).toHaveLength(1);
  });

  test('a Service that is not among the Services given is not found; without any Service none is looked up', () => {
    const objects = [route({ parentRefs: mesh, rules: [{ backendRefs: [backend('classify-v1'), backend('classify-v2')], filters: [{ type: 'RequestMirror', requestMirror: { backendRef: backend('classify-shadow') } }] }] })];
    expect(conditions(objects)).toEqual([]);
    expect(conditions([...objects, service('classify'), service('classify-v1')])).toEqual([
      '0 gateway.backend-not-found spec.rules[0].backendRefs[1]: BackendNotFound: backend(classify-v2.ml.svc.cluster.local) not found',
      '0 gateway.backend-not-found spec.rules[0].filters[0].requestMirror.backendRef: BackendNotFound: backend(classify-shadow.ml.svc.cluster.local) not found',
    ]);
  });

  test('a backend of weight 0 is never resolved', () => {
    expect(conditions([route({ parentRefs: mesh, rules: [{ backendRefs: [backend('classify-v1'), backend('gone', { weight: 0 })] }] }), service('classify'), service('classify-v1')])).toEqual([]);
  });

  test('a host name where the Service name belongs', () => {
    expect(conditions([route({ parentRefs: mesh, rules: [{ backendRefs: [backend('classify-v1.ml.svc.cluster.local')] }] })])).toEqual([
      '0 gateway.invalid-destination spec.rules[0].backendRefs[0]: InvalidDestination: service name invalid; the name of the Service must be used, not the hostname.',
    ]);
  });

  test('a backend kind Istio does not route to', () => {
    expect(conditions([route({ parentRefs: mesh, rules: [{ backendRefs: [{ group: 'example.com', kind: 'Bucket', name: 'b' }] }] })])).toEqual([
      '0 gateway.invalid-kind spec.rules[0].backendRefs[0]: InvalidKind: referencing unsupported backendRef: group "example.com" kind "Bucket"',
    ]);
  });

  test("an InferencePool needs istiod's feature flag, then the pool itself", () => {
    const toPool = (name: string) => route({ parentRefs: [{ name: 'public', namespace: 'istio-ingress' }], hostnames: ['chat.models.example.com'], rules: [{ backendRefs: [{ group: 'inference.networking.k8s.io', kind: 'InferencePool', name }] }] });
    const objects = [toPool('chat'), gateway([https]), pool('chat')];
    expect(conditions(objects)).toEqual([
      '0 gateway.invalid-kind spec.rules[0].backendRefs[0]: InvalidKind: InferencePool is not enabled. To enable, set ENABLE_GATEWAY_API_INFERENCE_EXTENSION to true in istiod',
    ]);
    expect(conditions(objects, { context: [], inferenceExtension: true })).toEqual([]);
    expect(conditions([toPool('chat-b'), gateway([https]), pool('chat')], { context: [], inferenceExtension: true })).toEqual([
      '0 gateway.backend-not-found spec.rules[0].backendRefs[0]: BackendNotFound: backend(chat-b) not found',
    ]);
  });
});

describe('parents', () => {
  const toGateway = (parentRef: object, hostnames = ['classify.models.example.com'], namespace = 'ml') =>
    route({ parentRefs: [{ name: 'public', namespace: 'istio-ingress', ...parentRef }], hostnames, rules: [{ backendRefs: [backend('classify-v1')] }] }, namespace);

  test('a Service parent that is not among the Services given', () => {
    expect(conditions([route({ parentRefs: mesh }), service('classify-v1')])).toEqual(['0 gateway.no-matching-parent spec.parentRefs[0]: NoMatchingParent: parent service: "classify" not found']);
  });

  test('a Gateway that does not exist, judged only when the context is declared', () => {
    expect(conditions([toGateway({})])).toEqual(['0 gateway.no-matching-parent spec.parentRefs[0]: NoMatchingParent: parent gateway: "public" not found']);
    expect(conditions([toGateway({})], {})).toEqual([]);
    expect(conditions([toGateway({})], { context: [gateway([https])] })).toEqual([]);
  });

  test('a sectionName or port no listener has', () => {
    expect(conditions([toGateway({ sectionName: 'grpc' }), gateway([http, https])])).toEqual([
      '0 gateway.no-matching-parent spec.parentRefs[0]: NoMatchingParent: sectionName "grpc" not found; sectionName "grpc" not found',
    ]);
    expect(conditions([toGateway({ port: 8443 }), gateway([https])])).toEqual(['0 gateway.no-matching-parent spec.parentRefs[0]: NoMatchingParent: port 8443 not found']);
    expect(conditions([toGateway({ sectionName: 'https' }), gateway([http, https])])).toEqual([]);
  });

  test('hostnames that no listener serves; the least severe reason is reported, equal ones joined', () => {
    const other = { ...http, name: 'other', port: 8080, hostname: 'other.example.com' };
    expect(conditions([toGateway({}, ['classify.example.org']), gateway([https, other])])).toEqual([
      '0 gateway.no-matching-listener-hostname spec.parentRefs[0]: NoMatchingListenerHostname: no hostnames matched parent hostname "*.models.example.com"; no hostnames matched parent hostname "other.example.com"',
    ]);
    expect(conditions([toGateway({ sectionName: 'https' }, ['classify.example.org']), gateway([https, other])])).toEqual([
      '0 gateway.no-matching-listener-hostname spec.parentRefs[0]: NoMatchingListenerHostname: no hostnames matched parent hostname "*.models.example.com"',
    ]);
  });

  test("a route from a namespace the listener does not admit (allowedRoutes: Same, the default)", () => {
    const sameNamespace = { ...https, allowedRoutes: undefined };
    expect(conditions([toGateway({}), gateway([sameNamespace])])).toEqual([
      '0 gateway.not-allowed-by-listeners spec.parentRefs[0]: NotAllowedByListeners: hostnames matched parent hostname "*.models.example.com", but namespace "ml" is not allowed by the parent',
    ]);
    expect(conditions([toGateway({}, undefined, 'istio-ingress'), gateway([sameNamespace])])).toEqual([]);
  });

  test('a listener that admits other route kinds', () => {
    const grpcOnly = { ...https, allowedRoutes: { namespaces: { from: 'All' }, kinds: [{ kind: 'GRPCRoute' }] } };
    expect(conditions([toGateway({}), gateway([grpcOnly])])).toEqual([
      '0 gateway.not-allowed-by-listeners spec.parentRefs[0]: NotAllowedByListeners: kind gateway.networking.k8s.io/v1/HTTPRoute is not allowed',
    ]);
  });
});
