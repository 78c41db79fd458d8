import { diagnosticsOf, httpRule, routeTo, virtualService } from '../test-fixtures';

const split = (a: number, b: number) => ({ route: [{ destination: { host: 'reviews' }, weight: a }, { destination: { host: 'reviews-canary' }, weight: b }] });

describe.each([
  ['istio', 'warning'],
  ['strict', 'error'],
] as const)('our stricter rules in profile %s are %ss', (profile, severity) => {
  const ours = (objects: object) => diagnosticsOf(objects, { profile }).filter((d) => d.rule.startsWith('ours.'));

  test('ours.weights-sum-100: 30/30 is accepted by Istio but splits 50/50', () => {
    expect(ours(httpRule(split(30, 30))).map((d) => [d.severity, d.rule, d.path, d.message, d.received])).toEqual([
      [severity, 'ours.weights-sum-100', 'spec.http[0].route', 'route weights must add up to 100 (Istio splits traffic by weight/sum of weights)', 60],
    ]);
  });

  test('ours.default-route-last: the last rule of a mesh VirtualService has a match', () => {
    const vs = virtualService({ hosts: ['reviews'], http: [{ match: [{ uri: { prefix: '/v2' } }], ...routeTo() }] });
    expect(ours(vs).map((d) => [d.severity, d.rule, d.path, d.message])).toEqual([
      [severity, 'ours.default-route-last', 'spec.http[0].match', 'the last http rule must have no match (a default route); requests that match no rule get a 404'],
    ]);
  });

  test('ours.retries-exceed-timeout: (attempts + 1) x perTryTimeout > timeout', () => {
    const rule = httpRule({ ...routeTo(), timeout: '5s', retries: { attempts: 3, perTryTimeout: '2s' } });
    expect(ours(rule).map((d) => [d.severity, d.rule, d.path, d.message])).toEqual([
      [severity, 'ours.retries-exceed-timeout', 'spec.http[0].retries', 'retries cannot fit in the timeout: (attempts + 1) × perTryTimeout = 8s > timeout 5s'],
    ]);
  });
});

test('configurations that meet our rules get no ours.* diagnostic', () => {
  const vs = virtualService({
    hosts: ['reviews'],
    http: [{ match: [{ uri: { prefix: '/v2' } }], ...split(90, 10), timeout: '6s', retries: { attempts: 2, perTryTimeout: '2s' } }, routeTo()],
  });
  expect(diagnosticsOf(vs, { profile: 'strict' })).toEqual([]);
});

test('a last rule that matches only ports and gateways is their catch-all (issue 22.7: each port routes to itself)', () => {
  const vs = virtualService({ hosts: ['reviews'], gateways: ['mesh', 'edge/public'], http: [{ match: [{ gateways: ['mesh'], port: 8000 }, { gateways: ['edge/public'] }], ...routeTo() }] });
  expect(diagnosticsOf(vs, { profile: 'strict' }).filter((d) => d.rule.startsWith('ours.'))).toEqual([]);
  const byHeader = virtualService({ hosts: ['reviews'], http: [{ match: [{ port: 8000 }, { headers: { x: { exact: '1' } } }], ...routeTo() }] });
  expect(diagnosticsOf(byHeader, { profile: 'strict' }).map((d) => d.rule)).toEqual(['ours.default-route-last']);
});

test('a VirtualService bound only to gateways may end with a match', () => {
  const vs = virtualService({ hosts: ['shop.example.com'], gateways: ['istio-system/ingress'], http: [{ match: [{ uri: { prefix: '/' } }], ...routeTo() }] });
  expect(diagnosticsOf(vs, { profile: 'strict' })).toEqual([]);
});
