import { validateObjects, WAIVER_ANNOTATION } from '..';

const vs = (annotations?: Record<string, string>) => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'm', namespace: 'ml', ...(annotations && { annotations }) },
  spec: {
    hosts: ['m'],
    http: [{ match: [{ uri: { prefix: '/p' } }], route: [{ destination: { host: 'm' }, weight: -1 }] }],
  },
});

describe('waivers', () => {
  test('an object can waive our stricter rules by annotation', () => {
    const rules = (o: object) => validateObjects([o], { profile: 'strict' }).map((d) => `${d.severity} ${d.rule}`);
    expect(rules(vs())).toEqual(['error ours.default-route-last', 'error vs.weight-negative']);
    expect(rules(vs({ [WAIVER_ANNOTATION]: 'ours.default-route-last' }))).toEqual(['error vs.weight-negative']);
  });

  test('Istio\'s own rules cannot be waived', () => {
    const rules = validateObjects([vs({ [WAIVER_ANNOTATION]: 'vs.weight-negative, ours.default-route-last' })]).map((d) => d.rule);
    expect(rules).toEqual(['vs.weight-negative']);
  });
});
