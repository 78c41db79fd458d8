import { validateObjects } from '../validate-objects';

const route = (spec: object, extra: object = {}) => ({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'reviews', namespace: 'ml' }, spec, ...extra });
const parentRefs = [{ name: 'reviews', kind: 'Service', group: '', port: 80 }];
const retryRoute = route({ parentRefs, rules: [{ backendRefs: [{ name: 'reviews-v1', port: 80 }], retry: { attempts: 2, codes: [503] } }] });

/** What the API server says (the gateway controller's `gateway.*` findings are tested in gateway-controller/). */
const lines = (objects: object[], options = {}) => validateObjects(objects, options)
  .filter((d) => !d.rule.startsWith('gateway.'))
  .map((d) => `${d.severity} ${d.rule} ${d.path}: ${d.message}`);

describe('the channel rule: standard CRDs unless the cluster has the experimental ones', () => {
  test('an experimental-only field is an error that names the channel the cluster needs', () => {
    expect(lines([retryRoute])).toEqual([
      "error gateway-api.experimental-field spec.rules[0].retry: retry is a Gateway API experimental-channel field: the standard-channel CRDs reject it as an unknown field, so the cluster needs the experimental-channel CRDs of Gateway API v1.5.1 (say so with gatewayApiChannel: 'experimental', or validate --gateway-api-channel experimental)",
    ]);
  });

  test('with the experimental channel declared, the same route is valid', () => {
    expect(lines([retryRoute], { gatewayApiChannel: 'experimental' })).toEqual([]);
  });

  test('a field neither channel knows stays an unknown field', () => {
    expect(lines([route({ parentRefs, rules: [{ retires: {} }] })])).toEqual(['error schema spec.rules[0].retires: unknown field "retires"']);
  });
});

describe('the object the API server validates', () => {
  test('schema defaults apply before the rules: a backend without kind is a Service and needs a port', () => {
    expect(lines([route({ parentRefs, rules: [{ backendRefs: [{ name: 'reviews-v1' }] }] })])).toEqual(['error cel spec.rules[0].backendRefs[0]: Must have port for Service reference']);
  });

  test('a backend of another kind needs no port', () => {
    expect(lines([route({ parentRefs: [{ name: 'inference', namespace: 'gw' }], rules: [{ backendRefs: [{ group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'chat' }] }] })])).toEqual([]);
  });

  test('status is dropped on create (the status subresource), so it is never judged', () => {
    expect(lines([route({ parentRefs }, { status: { parents: 'not a list' } })])).toEqual([]);
  });

  test('list-map keys and set values are unique', () => {
    const headers = [{ name: 'x-model', value: 'a' }, { name: 'x-model', value: 'b' }];
    const filter = { type: 'RequestHeaderModifier', requestHeaderModifier: { remove: ['x-a', 'x-a'] } };
    expect(lines([route({ parentRefs, rules: [{ matches: [{ headers }], filters: [filter] }] })])).toEqual([
      'error schema spec.rules[0].filters[0].requestHeaderModifier.remove[1]: Duplicate value: "x-a"',
      'error schema spec.rules[0].matches[0].headers[1]: Duplicate value: {"name":"x-model"}',
    ]);
  });

  test("a string's length is checked before its pattern, as the API server stops at the first", () => {
    expect(lines([route({ parentRefs, hostnames: ['', 'Bad_Host'] })])).toEqual([
      'error schema spec.hostnames[0]: should be at least 1 chars long',
      "error schema spec.hostnames[1]: should match '^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$'",
    ]);
  });

  test('metadata is checked like every object', () => {
    expect(lines([{ ...route({ parentRefs }), metadata: { name: 'Reviews' } }])).toEqual([
      "error metadata metadata.name: Invalid value: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
    ]);
  });

  test('an InferencePool is checked against the Inference Extension CRD', () => {
    const pool = { apiVersion: 'inference.networking.k8s.io/v1', kind: 'InferencePool', metadata: { name: 'chat', namespace: 'ml' }, spec: { selector: { matchLabels: { app: 'chat' } }, targetPorts: [{ number: 8000 }] } };
    expect(lines([pool])).toEqual(['error schema spec.endpointPickerRef: Required value']);
  });
});
