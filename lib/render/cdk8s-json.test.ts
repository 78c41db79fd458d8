import { cdk8sJson } from './cdk8s-json';

describe('cdk8sJson', () => {
  test('an object already in cdk8s form is kept as it is, the same instance', () => {
    const spec = { host: 'm', subsets: [{ labels: { version: 'v1' }, name: 'v1' }] };
    expect(cdk8sJson(spec)).toBe(spec);
  });

  test('keys are sorted, undefined and null dropped, Istio field names used; only what changes is copied', () => {
    const kept = { maxRequests: 10 };
    const spec = { trafficPolicy: { outlierDetection: { consecutive5XxErrors: 3, interval: undefined }, connectionPool: kept }, host: 'm', tls: null };
    expect(JSON.stringify(cdk8sJson(spec))).toBe('{"host":"m","trafficPolicy":{"connectionPool":{"maxRequests":10},"outlierDetection":{"consecutive5xxErrors":3}}}');
    expect((cdk8sJson(spec) as any).trafficPolicy.connectionPool).toBe(kept);
  });

  test('each property is read at most twice, however deep the field that changes', () => {
    const reads = new Map<string, number>();
    const counted = (value: any, path: string): any => {
      if (value === null || typeof value !== 'object') return value;
      return new Proxy(value, {
        get: (target, key) => {
          if (typeof key === 'string') reads.set(`${path}.${key}`, (reads.get(`${path}.${key}`) ?? 0) + 1);
          return counted(target[key], `${path}.${String(key)}`);
        },
      });
    };
    const deep = { a: { b: { c: { d: { e: { consecutive5XxErrors: 1, z: 2 } } } } }, y: 1 };
    expect(JSON.stringify(cdk8sJson(counted(deep, '')))).toBe('{"a":{"b":{"c":{"d":{"e":{"consecutive5xxErrors":1,"z":2}}}}},"y":1}');
    expect(Math.max(...reads.values())).toBeLessThanOrEqual(2);
  });
});
