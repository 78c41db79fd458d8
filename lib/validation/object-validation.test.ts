import { ObjectValidation, validateObjects } from './validate-objects';
import { destinationRule, httpRule, virtualService } from './test-fixtures';

describe('ObjectValidation: objects added one at a time, in any order', () => {
  // Per-object findings (a negative weight) and set findings (a subset no
  // DestinationRule defines; two DestinationRules for one host).
  const output = [
    destinationRule({ host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }] }, { name: 'reviews-a' }),
    httpRule({ route: [{ destination: { host: 'reviews', subset: 'v2' }, weight: -1 }] }),
    destinationRule({ host: 'reviews', subsets: [{ name: 'v3', labels: { version: 'v3' } }] }, { name: 'reviews-b' }),
    virtualService({ hosts: ['ratings'], http: [{ route: [{ destination: { host: 'ratings', subset: 'v9' } }] }] }, { name: 'ratings' }),
  ];

  test('added in output order, finish() is validateObjects', () => {
    const validation = new ObjectValidation({ profile: 'strict' });
    for (const object of output) validation.add(object);
    const expected = validateObjects(output, { profile: 'strict' });
    expect(validation.finish()).toEqual(expected);
    expect(expected.some((d) => d.rule.startsWith('analyzer.'))).toBe(true);
    expect(expected.some((d) => d.rule === 'vs.weight-negative')).toBe(true);
  });

  test('added in another order, positions put every finding where validateObjects puts it on the output order', () => {
    const arrival = [3, 1, 0, 2];
    const validation = new ObjectValidation({ profile: 'strict' });
    for (const position of arrival) validation.add(output[position]);
    expect(validation.finish(arrival)).toEqual(validateObjects(output, { profile: 'strict' }));
  });
});

test('validation never changes the objects it reads (synth validates the very objects it then writes)', () => {
  const deepFreeze = (value: unknown): unknown => {
    if (value !== null && typeof value === 'object') {
      for (const child of Object.values(value)) deepFreeze(child);
      Object.freeze(value);
    }
    return value;
  };
  // Null entries are decoded as istiod decodes them: on a copy.
  const objects = [
    virtualService({ hosts: ['reviews'], http: [null, { match: [{ headers: { a: null } }], route: [{ destination: { host: 'reviews' }, weight: 100 }] }] }),
    destinationRule({ host: 'reviews', subsets: [null, { name: 'v1', labels: { version: 'v1' }, trafficPolicy: { connectionPool: { http: { http2MaxRequests: 10 } } } }] }),
  ];
  const before = JSON.stringify(objects);
  expect(validateObjects(objects.map(deepFreeze), { profile: 'strict' }).length).toBeGreaterThan(0);
  expect(JSON.stringify(objects)).toBe(before);
});
