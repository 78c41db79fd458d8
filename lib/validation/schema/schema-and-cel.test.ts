import { destinationRule, diagnosticsOf, expectDiagnostic, httpRule, routeTo, trafficPolicy, type InvalidCase } from '../test-fixtures';

const peerAuthentication = (spec: object) => ({ apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'pa', namespace: 'default' }, spec });
const authorizationPolicy = (spec: object, name = 'ap') => ({ apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name, namespace: 'default' }, spec });

const schemaCases: InvalidCase[] = [
  ['unknown field', httpRule({ route: [{ destination: { host: 'reviews' }, wieght: 50 }] }), { path: 'spec.http[0].route[0].wieght', message: 'unknown field "wieght"' }],
  ['unknown top-level field', { ...(httpRule(routeTo()) as object), specs: {} }, { path: 'specs', message: 'unknown field "specs"' }],
  ['enum value', trafficPolicy({ loadBalancer: { simple: 'FASTEST' } }), { path: 'spec.trafficPolicy.loadBalancer.simple', message: 'must be one of [UNSPECIFIED, LEAST_CONN, RANDOM, PASSTHROUGH, ROUND_ROBIN, LEAST_REQUEST]' }],
  ['StringMatch oneOf', httpRule({ match: [{ uri: { exact: '/a', prefix: '/a' } }], ...routeTo() }), { path: 'spec.http[0].match[0].uri', message: 'only one of [exact, prefix, regex] may be set' }],
  ['simple and consistentHash', trafficPolicy({ loadBalancer: { simple: 'ROUND_ROBIN', consistentHash: { useSourceIp: true } } }), { path: 'spec.trafficPolicy.loadBalancer', message: 'only one of [simple, consistentHash] may be set' }],
  ['weight of the wrong type', httpRule({ route: [{ destination: { host: 'reviews' }, weight: 'fifty' }] }), { path: 'spec.http[0].route[0].weight', message: 'must be of type integer' }],
  ['DestinationRule without host', destinationRule({ subsets: [] }), { path: 'spec.host', message: 'Required value' }],
  ['destination without host', httpRule({ route: [{ destination: { subset: 'v1' } }] }), { path: 'spec.http[0].route[0].destination.host', message: 'Required value' }],
  ['httpCookie without name', trafficPolicy({ loadBalancer: { consistentHash: { httpCookie: { ttl: '0s' } } } }), { path: 'spec.trafficPolicy.loadBalancer.consistentHash.httpCookie.name', message: 'Required value' }],
  ['metadata name not a DNS subdomain', { ...(httpRule(routeTo()) as any), metadata: { name: 'Reviews' } }, { path: 'metadata.name', message: "Invalid value: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character" }],
  ['metadata without name', { ...(httpRule(routeTo()) as any), metadata: { namespace: 'default' } }, { path: 'metadata.name', message: 'Required value: name or generateName is required' }],
  ['metadata name that is a number', { ...(httpRule(routeTo()) as any), metadata: { name: 123 } }, { path: 'metadata.name', message: 'must be of type string' }],
  ['label value that is a number', { ...(httpRule(routeTo()) as any), metadata: { name: 'r', labels: { 'app.kubernetes.io/version': 2 } } }, { path: 'metadata.labels["app.kubernetes.io/version"]', message: 'must be of type string' }],
  ['annotations that are a list', { ...(httpRule(routeTo()) as any), metadata: { name: 'r', annotations: ['a'] } }, { path: 'metadata.annotations', message: 'must be of type object' }],
  ['object without kind', { apiVersion: 'networking.istio.io/v1', metadata: { name: 'x' } }, { path: 'kind', message: 'kind must be set' }],
  ['empty portLevelMtls (minProperties)', peerAuthentication({ selector: { matchLabels: { app: 'a' } }, portLevelMtls: {} }), { path: 'spec.portLevelMtls', message: 'should have at least 1 properties' }],
  ['PeerAuthentication mode enum', peerAuthentication({ mtls: { mode: 'STRICTER' } }), { path: 'spec.mtls.mode', message: 'must be one of [UNSET, DISABLE, PERMISSIVE, STRICT]' }],
];

const celCases: InvalidCase[] = [
  ['timeout 0s', httpRule({ ...routeTo(), timeout: '0s' }), { path: 'spec.http[0].timeout', message: 'must be a valid duration greater than 1ms' }],
  ['timeout that is not a duration', httpRule({ ...routeTo(), timeout: '10' }), { path: 'spec.http[0].timeout', message: 'must be a valid duration greater than 1ms' }],
  ['perTryTimeout in days', httpRule({ ...routeTo(), retries: { attempts: 1, perTryTimeout: '1d' } }), { path: 'spec.http[0].retries.perTryTimeout', message: 'must be a valid duration greater than 1ms' }],
  ['connectTimeout 0s', trafficPolicy({ connectionPool: { tcp: { connectTimeout: '0s' } } }), { path: 'spec.trafficPolicy.connectionPool.tcp.connectTimeout', message: 'must be a valid duration greater than 1ms' }],
  ['workload selector value wildcard', destinationRule({ host: 'r', workloadSelector: { matchLabels: { app: '*' } } }), { path: 'spec.workloadSelector.matchLabels.app', message: 'wildcard not allowed in label value match' }],
  ['portLevelMtls without selector', peerAuthentication({ mtls: { mode: 'STRICT' }, portLevelMtls: { '8080': { mode: 'DISABLE' } } }), { path: 'spec', message: 'portLevelMtls requires selector' }],
  ['serviceAccounts with namespaces', authorizationPolicy({ rules: [{ from: [{ source: { serviceAccounts: ['a'], namespaces: ['b'] } }] }] }), { path: 'spec.rules[0].from[0].source', message: 'Cannot set serviceAccounts with namespaces or principals' }],
];

const securityWebhookCases: InvalidCase[] = [
  ['port-level mTLS without selector (webhook)', peerAuthentication({ mtls: { mode: 'STRICT' }, portLevelMtls: { '8080': { mode: 'DISABLE' } } }), { path: 'spec.portLevelMtls', message: 'mesh/namespace peer authentication cannot have port level mTLS' }],
  ['DENY without rules', authorizationPolicy({ action: 'DENY' }, 'deny-all'), { path: 'spec.rules', message: 'invalid policy deny-all.default: DENY action without `rules` is meaningless as it will never be triggered, add an empty rule `{}` if you want it be triggered for every request' }],
  ['condition without values', authorizationPolicy({ rules: [{ when: [{ key: 'request.headers[x-user]' }] }] }), { path: 'spec.rules[0].when[0]', message: 'invalid policy ap.default: at least one of `values` or `notValues` must be set for key request.headers[x-user]' }],
];

describe('API server layer: schema and metadata', () => {
  test.each(schemaCases)('%s', (_name, objects, expected) => expectDiagnostic(objects, expected));
});

describe('API server layer: CEL rules from x-kubernetes-validations', () => {
  test.each(celCases)('%s', (_name, objects, expected) => expectDiagnostic(objects, expected));

  test('a valid duration passes every duration rule', () => {
    const rules = diagnosticsOf(httpRule({ ...routeTo(), timeout: '1h30m', retries: { attempts: 2, perTryTimeout: '1.5s' } })).map((d) => d.rule);
    expect(rules).not.toContain('cel');
  });
});

describe('security webhook rules', () => {
  test.each(securityWebhookCases)('%s', (_name, objects, expected) => expectDiagnostic(objects, expected));
});

test('a null header match is only a type error, as the API server reports it (and istioctl accepts it)', () => {
  const found = diagnosticsOf(httpRule({ match: [{ headers: { 'x-model': null } }], ...routeTo() }))
    .filter((d) => d.severity === 'error')
    .map((d) => `${d.path}: ${d.message}`);
  expect(found).toEqual(['spec.http[0].match[0].headers["x-model"]: must be of type object']);
});

test('empty from/to lists in an AuthorizationPolicy rule are accepted (protobuf has no empty list)', () => {
  const errors = diagnosticsOf(authorizationPolicy({ rules: [{ from: [], to: [] }] })).filter((d) => d.severity === 'error');
  expect(errors).toEqual([]);
});

test('a delegate VirtualService may match by regex (Istio 1.30 dropped that restriction)', () => {
  const delegate = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'api', namespace: 'default' }, spec: { http: [{ match: [{ uri: { regex: '/v1/.*' } }], ...routeTo() }] } };
  expect(diagnosticsOf(delegate).filter((d) => d.severity === 'error')).toEqual([]);
});

test('objects of other kinds are skipped', () => {
  expect(diagnosticsOf({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'Not_Valid' }, spec: { bogus: true } })).toEqual([]);
});
